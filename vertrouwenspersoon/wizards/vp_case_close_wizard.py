# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError


class VpCaseCloseWizard(models.TransientModel):
    """Closing a case, with the checks that fit the step: the registration the annual
    report counts is complete, and the employee knows. Holds no content: the case and a
    tick."""

    _name = "vp.case.close.wizard"
    _description = "Close a case"
    _inherit = ["vp.field.access.mixin"]

    case_id = fields.Many2one("vp.case", required=True, readonly=True, ondelete="cascade")
    missing_registration = fields.Char(compute="_compute_checks")
    has_receipt = fields.Boolean(compute="_compute_checks")
    reporter_waiting = fields.Boolean(compute="_compute_checks")
    employee_informed = fields.Boolean(
        string="The employee knows the case is closed",
        help="Told in a meeting, by phone, or in a message in the inbox.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        # Only the case's counsellor closes it, from a state that can be closed.
        wizards = super().create(vals_list)
        wizards.case_id._vp_check_state_actor(("open", "aftercare"))
        return wizards

    @api.depends("case_id")
    def _compute_checks(self):
        for wizard in self:
            case = wizard.case_id
            missing = []
            if not case.behaviour_kind_ids:
                missing.append(self.env._("kinds of behaviour"))
            if not case.route_ids:
                missing.append(self.env._("routes taken"))
            wizard.missing_registration = ", ".join(missing)
            wizard.has_receipt = case.has_receipt
            wizard.reporter_waiting = case.reporter_waiting

    def action_close(self):
        self.ensure_one()
        if self.missing_registration:
            raise UserError(
                self.env._(
                    "%(case)s cannot be closed yet: fill in %(missing)s on the Employee tab first. The annual "
                    "report counts them.",
                    case=self.case_id.name,
                    missing=self.missing_registration,
                )
            )
        if not self.employee_informed:
            raise UserError(self.env._("Tell the employee that the case is closed first, then tick that they know."))
        self.case_id.action_close()
        return {"type": "ir.actions.act_window_close"}
