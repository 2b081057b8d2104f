# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_date

from ..const import COUNSELLOR
from ..models.cases.vp_case_handover import HANDED_TO_YOU
from ..models.mixins.vp_write_checked_mixin import check_active_counsellors
from ..tools import guards

# An absence starting within this many days is named in the reassignment's capacity note.
SOON_DAYS = 7


class VpCaseReassignWizard(models.TransientModel):
    """The coordinator gives a case to another counsellor, with a reason."""

    _name = "vp.case.reassign.wizard"
    _description = "Reassign a case"
    _inherit = ["vp.field.access.mixin"]

    case_id = fields.Many2one("vp.case", required=True, readonly=True, ondelete="cascade")
    current_user_id = fields.Many2one(related="case_id.counsellor_id", string="Current counsellor")
    allowed_counsellor_ids = fields.Many2many("res.users", compute="_compute_allowed_counsellor_ids")
    counsellor_id = fields.Many2one(
        "res.users",
        string="New counsellor",
        required=True,
        domain="[('id', 'in', allowed_counsellor_ids)]",
    )
    capacity_note = fields.Char(
        string="Capacity",
        compute="_compute_capacity",
        help="Open cases of the new counsellor against the maximum on their roster, and absence.",
    )
    over_capacity = fields.Boolean(compute="_compute_capacity")
    reason = fields.Char(
        required=True,
        help="Why the case moves, e.g. absence, workload or the other side's counsellor. Never case content.",
    )

    # The current counsellor is not offered, and the coordinator sees the
    # new counsellor's load and absence before confirming (a warning, not a refusal:
    # a case may have to go to a full counsellor, e.g. when she already knows the employee).
    @api.depends("case_id")
    def _compute_allowed_counsellor_ids(self):
        # sudo: the active members of the counsellor group, names only.
        counsellors = self.env.ref(COUNSELLOR).sudo().users.filtered("active")
        # Only counsellors with a vault passphrase: a case's content is sealed for its readers.
        ready = self.env["vp.reader.key"]._vp_ready_user_ids(counsellors.ids)
        counsellors = counsellors.filtered(lambda user: user.id in ready)
        # Nobody who may not hold the case: the other side, an internal counsellor of
        # another organisation, or of this one when the employee chose an external one.
        unfit = self.case_id._vp_unfit_holder_ids()
        for wizard in self:
            excluded = unfit.get(wizard.case_id.id, set())
            wizard.allowed_counsellor_ids = (counsellors - wizard.case_id.counsellor_id).filtered(
                lambda user, excluded=excluded: user.id not in excluded
            )

    @api.depends("case_id", "counsellor_id")
    def _compute_capacity(self):
        roster = self.env["vp.roster.line"]
        users = self.counsellor_id
        # sudo: roster lines are the coordinator's own configuration; counts and leaves only.
        lines = roster.sudo().search([("user_id", "in", users.ids)]) if users else roster
        load = roster._vp_open_case_counts(users.ids)
        absent = lines._vp_absent_user_ids()
        soon = self._vp_absences_starting_soon(lines)
        for wizard in self:
            user = wizard.counsellor_id
            wizard.capacity_note = False
            wizard.over_capacity = False
            if not user:
                continue
            own = lines.filtered(lambda line, user=user: line.user_id == user)
            # The maximum of the case's region, else the strictest of the counsellor's rosters.
            line = own.filtered(lambda line, wizard=wizard: line.region_id == wizard.case_id.region_id)[:1]
            maximum = line.max_open_cases if line else min(own.mapped("max_open_cases"), default=None)
            after = load.get(user.id, 0) + 1
            if maximum is None:
                note = self.env._(
                    "%(counsellor)s is on no roster: %(after)s open cases after this reassignment.",
                    counsellor=user.name,
                    after=after,
                )
            else:
                note = self.env._(
                    "%(counsellor)s: %(after)s open cases after this reassignment, maximum %(max)s.",
                    counsellor=user.name,
                    after=after,
                    max=maximum,
                )
                if after > maximum:
                    wizard.over_capacity = True
                    note = " ".join((note, self.env._("That is above the maximum.")))
            if user.id in absent:
                wizard.over_capacity = True
                note = " ".join((note, self.env._("%(counsellor)s is absent now.", counsellor=user.name)))
            elif user.id in soon:
                wizard.over_capacity = True
                note = " ".join(
                    (
                        note,
                        self.env._(
                            "%(counsellor)s is absent from %(date)s.",
                            counsellor=user.name,
                            date=format_date(self.env, soon[user.id]),
                        ),
                    )
                )
            wizard.capacity_note = note

    @api.model
    def _vp_absences_starting_soon(self, lines):
        """{user id: first day} of absences that start within the coming week (an
        absence starting tomorrow was not mentioned, only one running now)."""
        now = fields.Datetime.now()
        if not lines:
            return {}
        # sudo: leaves of the counsellors on these roster lines; only their start is used
        leaves = (
            self.env["resource.calendar.leaves"]
            .sudo()
            .search_fetch(
                [
                    ("resource_id", "in", lines.resource_id.ids),
                    ("date_from", ">", now),
                    ("date_from", "<=", now + timedelta(days=SOON_DAYS)),
                ],
                ["resource_id", "date_from"],
                order="date_from",
            )
        )
        users = {line.resource_id.id: line.user_id.id for line in lines}
        soon = {}
        for leave in leaves:
            soon.setdefault(users.get(leave.resource_id.id), leave.date_from.date())
        return soon

    def action_reassign(self):
        self.ensure_one()
        case = self.case_id
        if self.counsellor_id == case.counsellor_id:
            raise UserError(self.env._("%(case)s already has this counsellor.", case=case.name))
        if not self.reason.strip():
            raise UserError(self.env._("Give the reason for the reassignment."))
        check_active_counsellors(self.counsellor_id, self.env._("The new counsellor"))
        # sudo: the active members of the counsellor group, names only.
        if not self.counsellor_id & self.env.ref(COUNSELLOR).sudo().users.filtered("active"):
            raise UserError(self.env._("Choose an active counsellor other than the current one."))
        # Who may not hold the case (the other side, an internal counsellor the employee's
        # choice or organisation rules out) is refused by the case's constraints, with the reason.
        previous = case.counsellor_id
        # The wizard is one of the two ways a counsellor is assigned; the change
        # log keeps the reason with the move.
        reassigning = guards.with_reason(case, self.reason.strip())
        guards.open_guard(reassigning, guards.COUNSELLOR_ASSIGNMENT).write(
            {
                "counsellor_id": self.counsellor_id.id,
                "assignment_note": self.env._("Reassigned by the coordinator"),
                "placed_on_duty": False,
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
        # The coordinators' "assign a counsellor" to-dos of this case are done now.
        case._vp_assign_todos_done()
        # The new counsellor is told: the type and the case number, no name.
        case._vp_schedule(HANDED_TO_YOU, {case.id: self.counsellor_id}, once=True)
        return {"type": "ir.actions.act_window_close"}
