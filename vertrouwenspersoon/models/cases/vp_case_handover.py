# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError

from ...const import COUNSELLOR
from ...tools import guards
from ..mixins.vp_write_checked_mixin import check_active_counsellors

HANDED_TO_YOU = "vertrouwenspersoon.mail_activity_type_vp_handed_to_you"


class VpCaseHandover(models.Model):
    """A recorded handover: the backup counsellor reads the case while it runs.

    A handover gives a colleague the case's key, so it is made only by a reader
    of the case (its counsellor, or a colleague holding an active handover) or by
    the system (the first-contact deadline's job), to a counsellor who may hold
    the case, with a reason; it is logged in the change log and the colleague is
    told. The coordinator moves cases only through *Reassign*.
    """

    _name = "vp.case.handover"
    _description = "Case handover"
    _inherit = ["vp.write.checked.mixin", "vp.change.logged.mixin", "vp.field.access.mixin"]
    # Frozen once the case is erased (vp.write.checked.mixin).
    _vp_frozen_when_shredded = True
    _order = "date_start desc, id desc"
    # Who gave whom the case's key, when and why: in the change log, which nobody edits.
    _vp_logged_fields = ("to_user_id", "reason", "date_start", "date_end", "ended")

    # A handover stays on its case and with its backup; moving either
    # would pass the write rule checked on the handover as it was.
    _vp_create_only_fields = ("case_id", "to_user_id")
    _vp_guarded_fields = {"ended": guards.HANDOVER_END, "recorded_by_id": guards.HANDOVER_END}

    case_id = fields.Many2one("vp.case", required=True, ondelete="cascade", index=True)
    to_user_id = fields.Many2one(
        "res.users",
        string="Backup counsellor",
        required=True,
        index=True,
        domain=lambda self: [("groups_id", "in", self.env.ref(COUNSELLOR).id)],
    )
    # A choice, not free text: the coordinator reads every handover, and a
    # typed reason would sit outside the case's encryption.
    reason = fields.Selection(
        [
            ("absence", "Absence (leave or illness)"),
            ("workload", "Workload"),
            ("first_contact_deadline", "First-contact deadline passed"),
            ("other", "Other"),
        ],
        required=True,
        help="Why the case is handed over.",
    )
    date_start = fields.Date(string="From", required=True, default=fields.Date.context_today)
    date_end = fields.Date(string="Until")
    recorded_by_id = fields.Many2one(
        "res.users", string="Recorded by", readonly=True, default=lambda self: self.env.user
    )
    ended = fields.Boolean(readonly=True)
    is_active = fields.Boolean(compute="_compute_is_active", search="_search_is_active")

    @api.depends("date_start", "date_end", "ended")
    @api.depends_context("uid")
    def _compute_is_active(self):
        today = fields.Date.context_today(self)
        for handover in self:
            handover.is_active = (
                not handover.ended
                and handover.date_start <= today
                and (not handover.date_end or handover.date_end >= today)
            )

    def _search_is_active(self, operator, value):
        today = fields.Date.context_today(self)
        domain = [
            ("ended", "=", False),
            ("date_start", "<=", today),
            "|",
            ("date_end", "=", False),
            ("date_end", ">=", today),
        ]
        if (operator == "=") == bool(value):
            return domain
        return ["!", *domain]

    @api.constrains("to_user_id", "case_id", "date_start", "date_end")
    def _check_handover(self):
        for handover in self:
            if handover.date_end and handover.date_end < handover.date_start:
                raise ValidationError(self.env._("A handover cannot end before it starts."))
            # sudo: the case's counsellor, not its content
            if handover.to_user_id == handover.case_id.sudo().counsellor_id:
                raise ValidationError(self.env._("A case cannot be handed over to its own counsellor."))
        check_active_counsellors(self.to_user_id, self.env._("The backup counsellor of a handover"))
        # Never to whoever supports (or stands in for) the other side of a linked case.
        for handover in self.filtered(lambda h: not h.ended):
            if handover.to_user_id.id in handover.case_id._vp_other_side_readers()[handover.case_id.id]:
                raise ValidationError(
                    self.env._(
                        "%(user)s supports the other side of a case linked to %(case)s: the case cannot be "
                        "handed over to them.",
                        user=handover.to_user_id.sudo().name,  # sudo: a colleague's name
                        case=handover.case_id.sudo().name,  # sudo: the case number only
                    )
                )
        # An internal counsellor holds cases of their own organisation only (assignment_engine.py).
        self.case_id._vp_check_internal_holders()

    def _vp_log_case(self):
        return self.case_id

    @api.model
    def _vp_check_maker(self, case_ids):
        """Only a reader of the case hands it over: its counsellor, or a colleague
        holding an active handover of it. The system (the first-contact deadline's
        job) too; the coordinator moves a case with Reassign instead."""
        if self.env.su:
            return
        # sudo: who holds the cases, no content
        for case in self.env["vp.case"].sudo().browse(set(case_ids)):
            if self.env.uid not in case._vp_reader_user_ids():
                raise AccessError(
                    self.env._(
                        "Only the counsellor of %(case)s (or a colleague it is handed over to) can hand it over. "
                        "The coordinator moves a case with Reassign, which asks for the reason.",
                        case=case.name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        self._vp_check_maker([vals.get("case_id") for vals in vals_list])
        handovers = super().create(vals_list)
        handovers.case_id._vp_sync_followers()
        # A link may have been made since; the sides are checked again with this handover.
        # sudo: compares who holds the linked cases, reads no content
        self.env["vp.case.link"].sudo().search(
            ["|", ("reporter_case_id", "in", handovers.case_id.ids), ("accused_case_id", "in", handovers.case_id.ids)]
        )._check_counsellors_differ()
        handovers.case_id._vp_share_key()
        handovers._vp_tell_new_holder()
        return handovers

    def _vp_tell_new_holder(self):
        """An activity for the colleague: its type, the case number and today; no name."""
        # sudo: who the handovers are for, no content
        for case in self.sudo().case_id:
            users = self.sudo().filtered(lambda handover, case=case: handover.case_id == case).to_user_id
            case._vp_schedule(HANDED_TO_YOU, {case.id: users}, once=True)

    def write(self, vals):
        res = super().write(vals)
        if {"date_start", "date_end", "ended"} & set(vals):
            self.case_id._vp_sync_followers()
            # Whoever's access ended takes what they made of the inbox with them (vp_case.py, the reporter's inbox).
            self.case_id._vp_end_receipts_of_former_readers()
        if vals.get("ended"):
            # A colleague whose handover ended no longer holds the case's key either.
            self.case_id._vp_drop_former_readers()
        return res

    def action_end(self):
        """The case's counsellor ends a handover, or the colleague ends their own."""
        if not self.env.su:
            for handover in self:
                # sudo: who holds the case and the handover, no content
                if self.env.uid not in (handover.sudo().case_id.counsellor_id | handover.sudo().to_user_id).ids:
                    raise AccessError(
                        self.env._("Only the case's counsellor or the colleague it is handed over to ends a handover.")
                    )
        # sudo: ending is recorded by the system once the actor is checked (the colleague
        # has no write right on the handover, the case's counsellor has it anyway).
        guards.open_guard(self.sudo(), guards.HANDOVER_END).write(
            {"ended": True, "date_end": fields.Date.context_today(self)}
        )
