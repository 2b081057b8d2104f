# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Internal and external counsellors on vp.case (one concern, one file): the
employee's choice of counsellor at intake, the rule that an internal
counsellor holds cases of their own organisation only, and the case's side
of a consultation."""

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..const import COUNSELLOR
from ..tools import guards
from .vp_counsellor_appointment import KINDS

CHOICE_KINDS = ("external", "internal")


class VpCase(models.Model):
    _inherit = "vp.case"  # pylint: disable=consider-merging-classes-inherited

    counsellor_kind = fields.Selection(
        KINDS,
        string="Kind of counsellor",
        compute="_compute_counsellor_kind",
        help="Whether the case's counsellor is the organisation's own (internal) or the bureau's (external).",
    )
    # The link of a consultation to its case is kept on the case's side only:
    # a counsellor-only field of a record only the case's readers read, so the
    # adviser never learns which case (nor whose) they advise on.
    consultation_ids = fields.Many2many(
        "vp.consultation",
        "vp_case_consultation_rel",
        "case_id",
        "consultation_id",
        string="Consultations",
        groups=COUNSELLOR,
        copy=False,
    )

    employee_choice = fields.Selection(
        [("external", "An external counsellor"), ("internal", "An internal counsellor")],
        string="The employee chose",
        readonly=True,
        copy=False,
        help="What the employee chose at intake. A case whose employee chose an external counsellor is never "
        "given to the organisation's own internal counsellors, by reassignment or handover.",
    )

    def _compute_counsellor_kind(self):
        cases = self.sudo()  # sudo: counsellor and organisation ids only
        internal = self.env["vp.counsellor.appointment"]._vp_internal_organisation_of(cases.counsellor_id.ids)
        for case, case_sudo in zip(self, cases, strict=True):
            user = case_sudo.counsellor_id
            if not user:
                case.counsellor_kind = False
            else:
                case.counsellor_kind = (
                    "internal" if internal.get(user.id) == case_sudo.organisation_id.id else "external"
                )

    # ------------------------------------------------------------------
    # An internal counsellor holds cases of their own organisation only
    # ------------------------------------------------------------------
    @api.constrains("counsellor_id", "organisation_id")
    def _check_internal_counsellor_organisation(self):
        self._vp_check_internal_holders()

    def _vp_check_internal_holders(self):
        # sudo: who holds the cases and where they are internal; no content.
        cases = self.sudo()
        holders = cases.counsellor_id | cases.handover_ids.filtered(lambda h: not h.ended).to_user_id
        internal = self.env["vp.counsellor.appointment"]._vp_internal_organisation_of(holders.ids)
        if not internal:
            return
        for case in cases:
            for user in case.counsellor_id | case.handover_ids.filtered(lambda h: not h.ended).to_user_id:
                message = self._vp_unfit_internal_holder_message(case, user, internal.get(user.id))
                if message:
                    raise ValidationError(message)

    def _vp_unfit_internal_holder_message(self, case, user, internal_at):
        """Why ``user`` (internal counsellor at organisation id ``internal_at``, or None)
        may not hold ``case``, or None when they may."""
        if not internal_at:
            return None
        if internal_at != case.organisation_id.id:
            return self.env._(
                "%(user)s is an internal counsellor of another organisation and cannot hold %(case)s.",
                user=user.name,
                case=case.name,
            )
        if case.employee_choice == "external":
            # The employee may not feel safe with a colleague: their choice holds for every later holder.
            return self.env._(
                "The employee of %(case)s chose an external counsellor: %(user)s is the organisation's internal "
                "counsellor and cannot hold it.",
                user=user.name,
                case=case.name,
            )
        return None

    def _vp_unfit_holder_ids(self):
        """Per case, the ids of counsellors who may not hold it: those of the other
        side of a linked case, internal counsellors of another organisation, and the
        organisation's internal counsellors when the employee chose an external one."""
        # sudo: who is internal where and who holds the other sides; no content.
        appointments = (
            self.env["vp.counsellor.appointment"].sudo().search_fetch([("kind", "=", "internal")], ["user_id"])
        )
        internal = self.env["vp.counsellor.appointment"]._vp_internal_organisation_of(appointments.user_id.ids)
        other_side = self._vp_other_side_readers()
        result = {}
        for case in self.sudo():
            unfit = set(other_side[case.id])
            unfit |= {
                user.id
                for user in appointments.user_id
                if self._vp_unfit_internal_holder_message(case, user, internal.get(user.id))
            }
            result[case.id] = unfit
        return result

    # ------------------------------------------------------------------
    # Consultations: linked on the case's side, by its own readers
    # ------------------------------------------------------------------
    @api.constrains("consultation_ids")
    def _check_consultations(self):
        self.env["vp.consultation"].flush_model()
        self.flush_model(["consultation_ids"])
        for case in self.sudo():  # sudo: readers and organisations, to check the link; no content
            readers = set(case._vp_reader_user_ids())
            other_side = case._vp_other_side_readers()[case.id]
            for consultation in case.consultation_ids:
                if consultation.organisation_id != case.organisation_id or consultation.asker_id.id not in readers:
                    raise ValidationError(
                        self.env._("A consultation is linked by the counsellor who asked it, to a case of theirs.")
                    )
                if consultation.adviser_id.id in readers or consultation.adviser_id.id in other_side:
                    raise ValidationError(
                        self.env._(
                            "The adviser of a consultation holds neither this case nor the other side of it: "
                            "ask another external counsellor."
                        )
                    )
        if self.consultation_ids:
            self.env.cr.execute(
                "SELECT consultation_id FROM vp_case_consultation_rel WHERE consultation_id = ANY(%s) "
                "GROUP BY consultation_id HAVING COUNT(*) > 1",
                (self.sudo().consultation_ids.ids,),  # sudo: ids only
            )
            if self.env.cr.fetchall():
                raise ValidationError(self.env._("A consultation is about one case only."))

    def _vp_shred(self):
        """Shredding a case destroys its consultations' keys and text too (they may
        tell about the case); that a consultation was asked stays, for the report."""
        # sudo: the consultations linked to these cases, ids only.
        consultations = self.filtered(lambda case: not case.shredded_on).sudo().consultation_ids
        shredded = super()._vp_shred()
        # sudo: deletes sealed keys and text of these consultations; nothing is opened.
        consultations.sudo().write(
            {"asker_grant": False, "adviser_grant": False, "question_ciphertext": False, "answer_ciphertext": False}
        )
        return shredded

    # ------------------------------------------------------------------
    # The employee's choice at intake
    # ------------------------------------------------------------------
    @api.model
    def _vp_validate_counsellor_choice(self, organisation, raw):
        """What the employee chose: (choice, errors). ``raw`` is "", "external",
        "internal" or the id of one of the organisation's appointments named on
        the intake page. Anything else (another organisation's counsellor, a
        made-up id) is an error, the same for every wrong value."""
        raw = raw.strip() if isinstance(raw, str) else ""
        if not raw:
            return None, []
        if raw in CHOICE_KINDS:
            return {"kind": raw, "user": self.env["res.users"]}, []
        if raw.isdigit() and len(raw) <= 9 and organisation:
            # sudo: the public page; only this organisation's appointments named on the page count.
            appointment = (
                self.env["vp.counsellor.appointment"]
                .sudo()
                .search(
                    [
                        ("id", "=", int(raw)),
                        ("organisation_id", "=", organisation.id),
                        ("show_on_intake", "=", True),
                        ("user_id.active", "=", True),
                    ],
                    limit=1,
                )
            )
            if appointment:
                return {"kind": appointment.kind, "user": appointment.user_id}, []
        return None, [
            self.env._(
                "The counsellor you chose is not one of your organisation's counsellors. Choose again from the "
                "list, or leave the choice to us."
            )
        ]

    def _vp_assign_by_choice(self, choice):
        """Assign as the employee chose; without a choice (or "an external
        counsellor") by region and roster, as always. When the chosen counsellor
        (or every internal one) is absent or supports the other side, the
        coordinators get an assignment activity, as when a roster has nobody free."""
        if not choice:
            self._vp_assign_by_roster()
            return
        appointments = self.env["vp.counsellor.appointment"]
        escalate = self.browse()
        excluded = self._vp_other_side_counsellors()
        for case in self.filtered(lambda case: not case.counsellor_id):
            if choice["user"]:
                candidates = choice["user"]
            elif choice["kind"] == "internal":
                # sudo: the organisation's internal counsellors, by their order; no content.
                candidates = (
                    appointments.sudo()
                    .search(
                        [("organisation_id", "=", case.organisation_id.id), ("kind", "=", "internal")],
                        order="sequence, id",
                    )
                    .user_id.filtered("active")
                )
            else:
                candidates = self.env["res.users"]
            if not candidates:
                # "An external counsellor", or an internal one where the organisation has none
                # (the page offers both to every code, so it tells nobody which codes exist).
                case._vp_assign_by_roster()
                prefix = (
                    self.env._("The employee chose an external counsellor.")
                    if choice["kind"] == "external"
                    else self.env._("The employee chose an internal counsellor; the organisation has none.")
                )
                case.assignment_note = f"{prefix} {case.assignment_note or ''}".strip()
                continue
            load = self.env["vp.roster.line"]._vp_open_case_counts(candidates.ids)
            absent = self._vp_absent_user_ids(candidates)
            ready = self.env["vp.reader.key"]._vp_ready_user_ids(candidates.ids)
            free = [
                user
                for user in candidates
                if user.id not in absent and user.id not in excluded[case.id] and user.id in ready
            ]
            user = min(free, key=lambda user: load.get(user.id, 0), default=self.env["res.users"])
            if choice["user"]:
                label = choice["user"].sudo().name  # sudo: the chosen counsellor's name, for the coordinator
                note = (
                    self.env._(
                        "Chosen by the employee: %(name)s, %(open)s open cases", name=label, open=load.get(user.id, 0)
                    )
                    if user
                    else self.env._(
                        "The employee chose %(name)s, who is absent, supports the other side or has no vault "
                        "passphrase yet: escalated to the coordinator.",
                        name=label,
                    )
                )
            elif user:
                note = self.env._(
                    "The employee chose an internal counsellor: %(name)s, %(open)s open cases",
                    name=user.sudo().name,  # sudo: the counsellor's name, for the coordinator
                    open=load.get(user.id, 0),
                )
            else:
                note = self.env._(
                    "The employee chose an internal counsellor; none is available: escalated to the coordinator."
                )
            # The employee's choice is the third way a counsellor is assigned, beside the
            # roster and the coordinator's Reassign; it runs in the intake's system code.
            guards.open_guard(case, guards.COUNSELLOR_ASSIGNMENT).write(
                {"counsellor_id": user.id, "assignment_note": note}
            )
            if not user:
                escalate |= case
        escalate._vp_notify_coordinators("vertrouwenspersoon.mail_activity_type_vp_assign")

    @api.model
    def _vp_absent_user_ids(self, users):
        """Ids of ``users`` with a leave running now (their resources' leaves)."""
        if not users:
            return set()
        now = fields.Datetime.now()
        # sudo: resources and leaves of other users; only whether one runs now is used.
        resources = self.env["resource.resource"].sudo().search([("user_id", "in", users.ids)])
        # sudo: as above, whether a leave runs now only.
        leaves = (
            self.env["resource.calendar.leaves"]
            .sudo()
            .search_fetch(
                [("resource_id", "in", resources.ids), ("date_from", "<=", now), ("date_to", ">=", now)],
                ["resource_id"],
            )
        )
        return set(leaves.resource_id.user_id.ids)
