# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import http
from odoo.http import content_disposition, request


class VpGdprExportController(http.Controller):
    """The employee data export (AVG access request).

    A GET changes nothing and builds nothing: it shows a page with a
    download button. Only the POST of that page, with Odoo's CSRF token
    (checked by the route), decrypts the case and writes the "export" lines of
    the access log, so another site cannot make a counsellor's browser do it.
    """

    def _vp_wizard(self, wizard_id):
        wizard = request.env["vp.gdpr.export"].browse(wizard_id).exists()
        if not wizard or wizard.create_uid != request.env.user:
            raise request.not_found()
        return wizard

    @http.route("/vertrouwenspersoon/gdpr-export/<int:wizard_id>", type="http", auth="user", methods=["GET"])
    def gdpr_export_page(self, wizard_id):
        wizard = self._vp_wizard(wizard_id)
        return request.render("vertrouwenspersoon.vp_gdpr_export_download_page", {"wizard": wizard})

    @http.route("/vertrouwenspersoon/gdpr-export/<int:wizard_id>", type="http", auth="user", methods=["POST"])
    def gdpr_export(self, wizard_id, **_post):
        """Stream the ZIP built in memory; access is checked by the wizard's methods."""
        wizard = self._vp_wizard(wizard_id)
        file_name, payload = wizard._vp_build_zip()
        return request.make_response(
            payload,
            headers=[
                ("Content-Type", "application/zip"),
                ("Content-Disposition", content_disposition(file_name)),
                ("Cache-Control", "no-store"),
            ],
        )
