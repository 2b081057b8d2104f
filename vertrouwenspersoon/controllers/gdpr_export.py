# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import http
from odoo.http import content_disposition, request


class VpGdprExportController(http.Controller):
    @http.route("/vertrouwenspersoon/gdpr-export/<int:wizard_id>", type="http", auth="user", methods=["GET"])
    def gdpr_export(self, wizard_id):
        """Stream the ZIP built in memory; access is checked by the wizard's methods."""
        wizard = request.env["vp.gdpr.export"].browse(wizard_id).exists()
        if not wizard or wizard.create_uid != request.env.user:
            raise request.not_found()
        file_name, payload = wizard._vp_build_zip()
        return request.make_response(
            payload,
            headers=[
                ("Content-Type", "application/zip"),
                ("Content-Disposition", content_disposition(file_name)),
                ("Cache-Control", "no-store"),
            ],
        )
