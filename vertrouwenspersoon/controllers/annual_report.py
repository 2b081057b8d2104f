# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import http
from odoo.http import content_disposition, request


class VpAnnualReportController(http.Controller):
    @http.route("/vertrouwenspersoon/annual_report/<int:report_id>/xlsx", type="http", auth="user")
    def annual_report_xlsx(self, report_id):
        """The annual report's figures as an XLSX workbook. Access rights, record
        rules and the printing check apply to the logged-in user."""
        report = request.env["vp.annual.report"].browse(report_id).exists()
        if not report:
            raise request.not_found()
        report.check_access("read")
        content = report._vp_render_xlsx()
        return request.make_response(
            content,
            headers=[
                ("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
                ("Content-Disposition", content_disposition(f"{report.name}.xlsx")),
            ],
        )
