# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The employee's choice of counsellor, taken by phone (as on the intake page)."""

from odoo import api, fields, models
from odoo.exceptions import UserError

CHOICES = [
    ("roster", "No preference (by region and roster)"),
    ("external", "An external counsellor"),
    ("internal", "An internal counsellor"),
    ("named", "A counsellor by name"),
]


class VpIntakeWizard(models.TransientModel):
    _inherit = "vp.intake.wizard"

    counsellor_choice = fields.Selection(CHOICES, string="The employee asks for", default="roster", required=True)
    chosen_appointment_id = fields.Many2one(
        "vp.counsellor.appointment",
        string="Counsellor",
        domain="[('organisation_id', '=', organisation_id), ('show_on_intake', '=', True)]",
    )

    @api.onchange("organisation_id")
    def _onchange_organisation_clear_choice(self):
        if self.chosen_appointment_id.organisation_id != self.organisation_id:
            self.chosen_appointment_id = False

    def _vp_counsellor_choice(self, organisation):
        """The choice, checked as the intake page checks it (a counsellor of this organisation only)."""
        self.ensure_one()
        raw = {"roster": "", "external": "external", "internal": "internal"}.get(self.counsellor_choice)
        if raw is None:
            if not self.chosen_appointment_id:
                raise UserError(self.env._("Choose the counsellor the employee asked for."))
            raw = str(self.chosen_appointment_id.id)
        choice, errors = self.env["vp.case"]._vp_validate_counsellor_choice(organisation, raw)
        if errors:
            raise UserError("\n".join(errors))
        return choice
