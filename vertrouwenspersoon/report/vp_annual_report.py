# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models


class ReportVpAnnualReport(models.AbstractModel):
    """Values of the annual report's QWeb template (PDF and HTML alike).

    Rendering checks again who prints: the report URL can be called without
    going through the wizard or the record's buttons."""

    _name = "report.vertrouwenspersoon.vp_annual_report_document"
    _description = "Annual report document"

    @api.model
    def _get_report_values(self, docids, data=None):
        reports = self.env["vp.annual.report"].browse(docids)
        reports.check_access("read")
        reports._vp_check_outputs()
        decimal_point = self.env["res.lang"]._lang_get(self.env.lang or "en_US").decimal_point or "."

        def num(value):
            """A decimal in the reader's language (0,75 in Dutch); integers and marks as they are."""
            if isinstance(value, float):
                return str(value).replace(".", decimal_point)
            return value

        return {
            "num": num,
            "doc_ids": reports.ids,
            "doc_model": "vp.annual.report",
            "docs": reports,
            "contexts": {report.id: report._vp_report_context() for report in reports},
        }
