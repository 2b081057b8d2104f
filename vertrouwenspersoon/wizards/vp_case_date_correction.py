# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..tools import guards

# The reasons a date is corrected. A choice, not free text: the change log that
# keeps the reason is read by the coordinator, outside the case's encryption.
REASONS = [
    ("typing_error", "Typing error when it was registered"),
    ("registered_late", "Registered later than it happened"),
    ("recorded_late", "The work was recorded later than it was done"),
    ("set_by_mistake", "Set on this case by mistake"),
]


class VpCaseDateCorrection(models.TransientModel):
    """The case's counsellor corrects one of its work dates, with a reason.

    The correction is logged in the change log (old and new date, who, the
    reason), marks the case (``dates_corrected``) so the annual report can say
    how many of its requests rest on a corrected date, and is checked like any
    other setting of the date: never in the future, never before the request.
    """

    _name = "vp.case.date.correction"
    _description = "Correct a date of a case"
    _inherit = ["vp.field.access.mixin"]

    case_id = fields.Many2one("vp.case", required=True, readonly=True, ondelete="cascade")
    field_name = fields.Selection(
        [
            ("request_date", "Request date"),
            ("first_contact_date", "First contact"),
            ("wbk_acknowledged_on", "Acknowledged on (Wbk)"),
            ("wbk_feedback_on", "Feedback given on (Wbk)"),
        ],
        string="Date",
        required=True,
        default="request_date",
    )
    current_value = fields.Datetime(string="Now recorded", compute="_compute_current_value")
    new_value = fields.Datetime(
        string="Correct date",
        help="Leave empty to clear a first contact or Wbk date that was set by mistake.",
    )
    reason = fields.Selection(REASONS, required=True)

    @api.model
    def _vp_check_corrector(self, case):
        """The case's own counsellor only: not a colleague holding a handover, not the
        coordinator, not code running as the system on someone's behalf."""
        # sudo: who holds the case and whether it was erased; no content.
        case_sudo = case.sudo()
        if case_sudo.counsellor_id.id != self.env.uid or self.env.su:
            raise AccessError(self.env._("Only the counsellor of %(case)s can correct its dates.", case=case_sudo.name))
        if case_sudo.shredded_on:
            raise UserError(self.env._("%(case)s was erased: its dates cannot change.", case=case_sudo.name))

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._vp_check_corrector(self.env["vp.case"].browse(vals.get("case_id")))
        return super().create(vals_list)

    @api.depends("case_id", "field_name")
    def _compute_current_value(self):
        for wizard in self:
            # sudo: the case's dates, which its counsellor reads anyway
            wizard.current_value = wizard.case_id.sudo()[wizard.field_name] if wizard.field_name else False

    def action_correct(self):
        self.ensure_one()
        case = self.case_id
        self._vp_check_corrector(case)
        if not self.new_value and self.field_name == "request_date":
            raise UserError(self.env._("A case always has a request date: give the correct one."))
        if self.new_value == case.sudo()[self.field_name]:  # sudo: the date, as above
            raise UserError(self.env._("That is the date already recorded."))
        reason = dict(self._fields["reason"]._description_selection(self.env))[self.reason]
        correcting = guards.with_reason(case, self.env._("Corrected by the counsellor: %(reason)s", reason=reason))
        guards.open_guard(correcting, guards.CASE_DATES).write(
            {self.field_name: self.new_value or False, "dates_corrected": True}
        )
        return {"type": "ir.actions.act_window_close"}
