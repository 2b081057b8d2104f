# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.addons.base.models.res_users import check_identity
from odoo.exceptions import UserError


class VpCaseEraseWizard(models.TransientModel):
    """Erasing a case at the employee's request cannot be undone: the counsellor types
    the case number, as a repository host asks for its name before deleting it."""

    _name = "vp.case.erase.wizard"
    _description = "Erase a case now"
    _inherit = ["vp.field.access.mixin"]

    case_id = fields.Many2one(
        "vp.case", required=True, readonly=True, ondelete="cascade", default=lambda self: self._default_case()
    )
    case_name = fields.Char(related="case_id.name", string="Case number")
    typed_name = fields.Char(string="Type the case number")

    @api.model_create_multi
    def create(self, vals_list):
        # Only a reader of the case's content erases it (the erasure checks again).
        wizards = super().create(vals_list)
        for case in wizards.case_id:
            if case not in case._vp_may_read_content():
                case._vp_deny()
        return wizards

    def _default_case(self):
        context = self.env.context
        if context.get("active_model") == "vp.case" and context.get("active_id"):
            return context["active_id"]
        return context.get("default_case_id")

    def action_erase(self):
        self.ensure_one()
        typed = (self.typed_name or "").strip().upper()
        if typed != self.case_id.name.upper():
            raise UserError(
                self.env._(
                    "Type the case number %(case)s exactly to erase it. Nothing was erased.", case=self.case_id.name
                )
            )
        return self._vp_erase_after_identity_check()

    @check_identity
    def _vp_erase_after_identity_check(self):
        """Then Odoo's identity check (password and second factor), as for every
        erasure (vp.case.action_erase_on_request)."""
        self.case_id._vp_erase_on_request()
        return {"type": "ir.actions.client", "tag": "soft_reload"}
