# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64

from odoo import http
from odoo.exceptions import AccessError, UserError
from odoo.http import request

from ..tools import identity


class VpRecoveryController(http.Controller):
    """The recovery key's two pages, for the coordinator.

    The code is made and shown in one POST response (a printable sheet with
    the code and its QR image inline) and is stored nowhere: not in a wizard
    row, a URL, a log or an attachment. Typed back in, it goes in a POST body.
    """

    def _refused_without_identity(self, organisation):
        """The page again, with the reason, when the coordinator did not confirm her
        identity (password and second factor) in the last ten minutes; else None."""
        if identity.recently_confirmed():
            return None
        message = request.env._(
            "For your safety, confirm your identity first: open Recovery key from the organisation again, "
            "give your password and your authentication code, then make or use the key within ten minutes."
        )
        return request.render(
            "vertrouwenspersoon.vp_recovery_page", {"organisation": organisation, "error": message, "done": None}
        )

    def _organisation(self, organisation_id):
        organisation = request.env["vp.organisation"].browse(int(organisation_id)).exists()
        if not organisation:
            raise request.not_found()
        organisation.check_access("read")
        organisation._vp_check_coordinator()
        return organisation

    @http.route("/vertrouwenspersoon/recovery/<int:organisation_id>", type="http", auth="user", methods=["GET"])
    def recovery_page(self, organisation_id, **_kwargs):
        organisation = self._organisation(organisation_id)
        return request.render(
            "vertrouwenspersoon.vp_recovery_page", {"organisation": organisation, "error": False, "done": None}
        )

    @http.route("/vertrouwenspersoon/recovery/<int:organisation_id>/make", type="http", auth="user", methods=["POST"])
    def make(self, organisation_id, replace=None, **_kwargs):
        organisation = self._organisation(organisation_id)
        refused = self._refused_without_identity(organisation)
        if refused:
            return refused
        try:
            code = organisation._vp_make_recovery_key(replace=bool(replace))
        except (UserError, AccessError) as error:
            request.env.cr.rollback()
            return request.render(
                "vertrouwenspersoon.vp_recovery_page", {"organisation": organisation, "error": str(error), "done": None}
            )
        qr = request.env["ir.actions.report"].barcode("QR", code, width=240, height=240, barLevel="M")
        response = request.render(
            "vertrouwenspersoon.vp_recovery_sheet",
            {
                "organisation": organisation,
                "code": code,
                "qr": "data:image/png;base64," + base64.b64encode(qr).decode(),
                "made_on": organisation.recovery_created_on,
            },
        )
        response.headers["Cache-Control"] = "no-store"
        return response

    @http.route("/vertrouwenspersoon/recovery/<int:organisation_id>/use", type="http", auth="user", methods=["POST"])
    def use(self, organisation_id, code=None, **_kwargs):
        organisation = self._organisation(organisation_id)
        refused = self._refused_without_identity(organisation)
        if refused:
            return refused
        try:
            done = organisation._vp_use_recovery_key(code or "")
        except (UserError, AccessError) as error:
            # The failed try is logged in the same transaction: keep it.
            return request.render(
                "vertrouwenspersoon.vp_recovery_page", {"organisation": organisation, "error": str(error), "done": None}
            )
        return request.render(
            "vertrouwenspersoon.vp_recovery_page", {"organisation": organisation, "error": False, "done": done}
        )
