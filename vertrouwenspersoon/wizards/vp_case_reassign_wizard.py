# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models
from odoo.exceptions import UserError

from ..models.vp_write_checked_mixin import check_active_counsellors
from ..tools import guards

COUNSELLOR = "vertrouwenspersoon.group_counsellor"


class VpCaseReassignWizard(models.TransientModel):
    """The coordinator gives a case to another counsellor, with a reason."""

    _name = "vp.case.reassign.wizard"
    _description = "Reassign a case"

    case_id = fields.Many2one("vp.case", required=True, readonly=True, ondelete="cascade")
    current_user_id = fields.Many2one(related="case_id.counsellor_id", string="Current counsellor")
    counsellor_id = fields.Many2one(
        "res.users",
        string="New counsellor",
        required=True,
        domain=lambda self: [("groups_id", "in", self.env.ref(COUNSELLOR).id)],
    )
    reason = fields.Char(
        required=True,
        help="Why the case moves, e.g. absence, workload or the other side's counsellor. Never case content.",
    )

    def action_reassign(self):
        self.ensure_one()
        case = self.case_id
        if self.counsellor_id == case.counsellor_id:
            raise UserError(self.env._("%(case)s already has this counsellor.", case=case.name))
        if not self.reason.strip():
            raise UserError(self.env._("Give the reason for the reassignment."))
        check_active_counsellors(self.counsellor_id, self.env._("The new counsellor"))
        previous = case.counsellor_id
        # The wizard is one of the two ways a counsellor is assigned (M3, L4).
        guards.open_guard(case, guards.COUNSELLOR_ASSIGNMENT).write(
            {
                "counsellor_id": self.counsellor_id.id,
                "assignment_note": self.env._("Reassigned by the coordinator"),
            }
        )
        guards.open_guard(self.env["vp.case.reassignment"], guards.REASSIGNMENT_APPEND).create(
            {
                "case_id": case.id,
                "from_user_id": previous.id,
                "to_user_id": self.counsellor_id.id,
                "reason": self.reason.strip(),
            }
        )
        return {"type": "ir.actions.act_window_close"}
