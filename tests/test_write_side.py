"""Write-side hardening, played by the attacker in the real role (with_user): records
that stay on their case, states and dates that only their buttons set, assignment
only through its actions, context keys that open nothing, and the write rule
checked again after each write."""

from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import TransactionCase, tagged

from .common import VpCaseCommon

SUMMARY = "Melder ervaart ongewenst gedrag binnen het team en wil dat HR op de hoogte is."
REFUSED = (AccessError, UserError, ValidationError)


class WriteSideCommon(VpCaseCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # counsellor2's case: the victim of the exploits below.
        cls.victim = cls.new_case(cls.counsellor2, notes="Geheim van een collega", employee_name="Piet Slachtoffer")

    def assertRefused(self, call, exceptions=REFUSED):
        """``call`` raises one of ``exceptions`` (a clear, translated error)
        and leaves nothing stored."""
        try:
            with self.env.cr.savepoint():
                call()
                self.env.flush_all()
        except exceptions:
            pass
        else:
            self.fail(f"not refused: {call}")
        finally:
            self.env.invalidate_all()


@tagged("post_install", "-at_install")
class TestRecordsStayInTheirRule(WriteSideCommon, TransactionCase):
    def test_handover_moved_onto_a_colleagues_case(self):
        """The exact RPC exploit: a handover of my own case, rewritten to
        a colleague's case and to myself, to read the colleague's case."""
        Handover = self.env["vp.case.handover"].with_user(self.counsellor)
        handover = Handover.create({"case_id": self.case.id, "to_user_id": self.counsellor2.id, "reason": "absence"})
        self.assertRefused(lambda: handover.write({"case_id": self.victim.id, "to_user_id": self.counsellor.id}))
        # Each half on its own is refused too.
        self.assertRefused(lambda: handover.write({"case_id": self.victim.id}))
        self.assertRefused(lambda: handover.write({"to_user_id": self.counsellor.id}))
        self.assertEqual((handover.case_id, handover.to_user_id), (self.case, self.counsellor2))
        with self.assertRaises(AccessError):
            self.victim.with_user(self.counsellor).read(["notes"])
        # Writing the same values (a form saving what it shows) is no move.
        handover.write({"case_id": self.case.id, "reason": "absence"})
        self.assertEqual(handover.reason, "absence")

    def test_children_cannot_move_to_another_case(self):
        """A consent, meeting, document, referral, legal
        hold, notice or breach record of my case is not moved onto a colleague's."""
        as_me = self.env(user=self.counsellor)
        children = [
            as_me["vp.consent"].create({"case_id": self.case.id, "level": "name", "given_how": "in_person"}),
            as_me["vp.case.meeting"].create({"case_id": self.case.id, "channel": "phone"}),
            as_me["vp.case.document"].create({"case_id": self.case.id, "name": "brief.txt"}),
            as_me["vp.referral"].create({"case_id": self.case.id, "destination": "mediator"}),
            as_me["vp.legal.hold"].create({"case_id": self.case.id, "reason": "court"}),
            as_me["vp.notice"].create(as_me["vp.notice"]._prepare_from_case(self.case.with_env(as_me))),
            as_me["vp.breach"].create(
                {
                    "case_id": self.case.id,
                    "ground": "conscience",
                    "approver_id": self.coordinator.id,
                    "employee_informed": True,
                }
            ),
        ]
        for child in children:
            self.assertRefused(lambda child=child: child.write({"case_id": self.victim.id}))
            self.assertEqual(child.sudo().case_id, self.case, child._name)
        # The forged consent would have been picked by the victim's next notice.
        self.assertFalse(self.victim.sudo().consent_ids)

    def test_write_rule_is_checked_again_after_the_write(self):
        """The mechanism that keeps records on their case: a write that takes a record out of the
        writer's rule is undone, also for fields that may change."""
        other_org = self.env["vp.organisation"].create({"name": "Elders BV", "code": "ELDERS"})
        session = (
            self.env["vp.prevention.session"]
            .with_user(self.counsellor)
            .create({"name": "Voorlichting", "organisation_id": other_org.id})
        )
        # My own session, handed to a colleague at an organisation I do not serve: out of my rule.
        self.assertRefused(lambda: session.write({"counsellor_id": self.counsellor2.id}), AccessError)
        self.assertEqual(session.counsellor_id, self.counsellor)

    def test_links_stay_on_their_cases(self):
        accused = self.new_case(self.counsellor2, side="accused")
        link = (
            self.env["vp.case.link"]
            .with_user(self.coordinator)
            .create({"reporter_case_id": self.case.id, "accused_case_id": accused.id})
        )
        other = self.new_case(self.counsellor2, side="accused")
        self.assertRefused(lambda: link.with_user(self.coordinator).write({"accused_case_id": other.id}))


@tagged("post_install", "-at_install")
class TestCounsellorAssignment(WriteSideCommon, TransactionCase):
    def test_backup_cannot_take_the_case(self):
        """During a handover the backup reads and works the case, but
        never makes it their own."""
        self.env["vp.case.handover"].with_user(self.counsellor).create(
            {"case_id": self.case.id, "to_user_id": self.counsellor2.id, "reason": "absence"}
        )
        as_backup = self.case.with_user(self.counsellor2).with_context(tracking_disable=True)
        self.assertEqual(as_backup.notes, self.NOTES)
        self.assertRefused(lambda: as_backup.write({"counsellor_id": self.counsellor2.id}))
        self.assertEqual(self.case.counsellor_id, self.counsellor)
        # What a backup needs to work the case still works: notes and meetings.
        as_backup.write({"notes": self.NOTES + " Gesprek gehad."})
        self.env["vp.case.meeting"].with_user(self.counsellor2).create({"case_id": self.case.id, "channel": "phone"})

    def test_new_case_is_the_creators_own(self):
        Case = self.env["vp.case"].with_user(self.counsellor)
        mine = Case.create({"organisation_id": self.organisation.id})
        self.assertEqual(mine.counsellor_id, self.counsellor)
        self.assertRefused(
            lambda: Case.create({"organisation_id": self.organisation.id, "counsellor_id": self.counsellor2.id})
        )
        # The coordinator registers requests without a counsellor: the roster or Reassign assigns one.
        self.assertRefused(
            lambda: (
                self.env["vp.case"]
                .with_user(self.coordinator)
                .create({"organisation_id": self.organisation.id, "counsellor_id": self.counsellor.id})
            )
        )

    def test_coordinator_reassigns_only_through_the_wizard(self):
        """A direct write of the counsellor, even without tracking, is
        refused with a pointer to Reassign; the wizard logs who, to whom, why."""
        as_coordinator = self.case.with_user(self.coordinator).with_context(tracking_disable=True)
        with self.assertRaisesRegex(UserError, "Reassign"):
            as_coordinator.write({"counsellor_id": self.counsellor2.id})
        self.reassign(self.case, self.counsellor2, "Afwezigheid")
        self.assertEqual(self.case.sudo().counsellor_id, self.counsellor2)
        log = self.env["vp.case.reassignment"].search([("case_id", "=", self.case.id)])
        self.assertEqual(
            (log.from_user_id, log.to_user_id, log.reason), (self.counsellor, self.counsellor2, "Afwezigheid")
        )
        changes = self.env["vp.change.log"].search(
            [("res_model", "=", "vp.case"), ("res_id", "=", self.case.id), ("field_name", "=", "counsellor_id")]
        )
        self.assertEqual(changes[:1].user_id, self.coordinator)
        # A forged log entry is refused, whatever the context says.
        for context in ({}, {"vp_reassignment_append": True}):
            self.assertRefused(
                lambda context=context: (
                    self.env["vp.case.reassignment"]
                    .with_user(self.coordinator)
                    .with_context(**context)
                    .create({"case_id": self.case.id, "to_user_id": self.counsellor.id, "reason": "absence"})
                )
            )

    def test_only_active_counsellors_hold_or_back_up_cases(self):
        inactive = self.env["res.users"].create(
            {
                "name": "Oud-vertrouwenspersoon",
                "login": "vp_test_inactive_counsellor",
                "groups_id": [Command.set([self.env.ref("vertrouwenspersoon.group_counsellor").id])],
            }
        )
        inactive.active = False
        for user in (self.coordinator, self.hr, self.employee, self.portal, inactive):
            with self.assertRaisesRegex(ValidationError, "active counsellor"):
                self.env["vp.case.handover"].with_user(self.counsellor).create(
                    {"case_id": self.case.id, "to_user_id": user.id, "reason": "absence"}
                )
            with self.assertRaisesRegex(ValidationError, "active counsellor"):
                self.reassign(self.case, user)
            line = self.region.roster_line_ids[:1]
            with self.assertRaisesRegex(ValidationError, "active counsellor"):
                line.with_user(self.coordinator).write({"backup_user_id": user.id})


@tagged("post_install", "-at_install")
class TestOtherSide(WriteSideCommon, TransactionCase):
    def setUp(self):
        super().setUp()
        self.accused = self.new_case(self.counsellor2, side="accused")
        self.link = self.env["vp.case.link"].create(
            {"reporter_case_id": self.case.id, "accused_case_id": self.accused.id}
        )

    def test_no_manual_handover_to_the_other_side(self):
        with self.assertRaisesRegex(ValidationError, "other side"):
            self.env["vp.case.handover"].with_user(self.counsellor).create(
                {"case_id": self.case.id, "to_user_id": self.counsellor2.id, "reason": "absence"}
            )
        # The coordinator hands no case over at all (she uses Reassign).
        with self.assertRaises(AccessError):
            self.env["vp.case.handover"].with_user(self.coordinator).create(
                {"case_id": self.case.id, "to_user_id": self.counsellor2.id, "reason": "absence"}
            )
        # Nor to someone standing in for the other side.
        third = self.env["res.users"].create(
            {
                "name": "Derde vertrouwenspersoon",
                "login": "vp_test_third",
                "groups_id": [Command.set([self.env.ref("vertrouwenspersoon.group_counsellor").id])],
            }
        )
        self.env["vp.case.handover"].with_user(self.counsellor2).create(
            {"case_id": self.accused.id, "to_user_id": third.id, "reason": "absence"}
        )
        with self.assertRaisesRegex(ValidationError, "other side"):
            self.env["vp.case.handover"].with_user(self.counsellor).create(
                {"case_id": self.case.id, "to_user_id": third.id, "reason": "absence"}
            )

    def test_link_refused_when_a_backup_holds_both_sides(self):
        reporter = self.new_case(self.counsellor)
        accused = self.new_case(self.counsellor2, side="accused")
        self.env["vp.case.handover"].with_user(self.counsellor2).create(
            {"case_id": accused.id, "to_user_id": self.counsellor.id, "reason": "absence"}
        )
        with self.assertRaisesRegex(ValidationError, "cannot support both"):
            self.env["vp.case.link"].with_user(self.coordinator).create(
                {"reporter_case_id": reporter.id, "accused_case_id": accused.id}
            )

    def test_first_contact_backup_skips_the_other_side(self):
        """The reporter's counsellor lets the first contact pass; their
        roster backup is the accused party's counsellor: no handover."""
        line = self.region.roster_line_ids.filtered(lambda line: line.user_id == self.counsellor)
        if not line:
            line = self.env["vp.roster.line"].create({"region_id": self.region.id, "user_id": self.counsellor.id})
        line.backup_user_id = self.counsellor2
        self.case.sudo().write({"request_date": fields.Datetime.now() - timedelta(days=3)})
        self.env["vp.case"]._cron_check_deadlines()
        self.assertFalse(self.case.sudo().handover_ids.filtered("is_active"))
        with self.assertRaises(AccessError):
            self.case.with_user(self.counsellor2).read(["notes"])


@tagged("post_install", "-at_install")
class TestBreachProtocol(WriteSideCommon, TransactionCase):
    def _breach(self, **values):
        vals = {
            "case_id": self.case.id,
            "ground": "conscience",
            "approver_id": self.counsellor2.id,
            "employee_informed": True,
            "disclosed_what": "Dreiging",
            "disclosed_to": "Huisarts",
        }
        vals.update(values)
        return self.env["vp.breach"].with_user(self.counsellor).create(vals)

    def test_no_approval_alone(self):
        """The requesting counsellor cannot approve, submit by a write,
        or open the record with the old context key."""
        breach = self._breach()
        for vals in (
            {"state": "approved", "decided_on": "2026-01-01 10:00:00"},
            {"state": "submitted"},
            {"submitted_on": "2026-01-01 10:00:00"},
            {"requested_by_id": self.counsellor2.id},
        ):
            self.assertRefused(lambda vals=vals: breach.write(vals))
            self.assertRefused(lambda vals=vals: breach.with_context(vp_breach_transition=True).write(vals))
        self.assertEqual(breach.state, "draft")
        self.assertRefused(lambda: self._breach(state="approved"))
        self.assertRefused(lambda: breach.action_approve())
        breach.action_submit()
        self.assertRefused(
            lambda: breach.with_context(vp_breach_transition=True).write(
                {"approver_id": self.coordinator.id, "disclosed_to": "Werkgever"}
            )
        )
        self.assertRefused(lambda: breach.with_user(self.counsellor2).write({"state": "approved"}))
        self.assertRefused(lambda: breach.action_approve())
        breach.with_user(self.counsellor2).action_approve()
        self.assertEqual((breach.state, breach.approver_id), ("approved", self.counsellor2))

    def test_approver_is_an_active_signatory(self):
        for user in (self.employee, self.portal, self.hr, self.env.ref("base.user_root")):
            self.assertRefused(lambda user=user: self._breach(approver_id=user.id), ValidationError)
        self.assertRefused(lambda: self._breach(approver_id=self.counsellor.id), ValidationError)
        self.assertTrue(self._breach(approver_id=self.coordinator.id))


@tagged("post_install", "-at_install")
class TestNoticeContent(WriteSideCommon, TransactionCase):
    def _consent(self, level):
        vals = {"case_id": self.case.id, "level": level, "given_how": "in_person"}
        if level == "name_summary":
            vals["approved_summary"] = SUMMARY
        return self.env["vp.consent"].with_user(self.counsellor).create(vals)

    def _notice(self, consent=None):
        Notice = self.env["vp.notice"].with_user(self.counsellor)
        return Notice.create(Notice._prepare_from_case(self.case.with_user(self.counsellor), consent))

    def test_hr_receives_exactly_what_the_consent_allows(self):
        # Anonymous: a typed name or summary is refused at send.
        for vals in ({"employee_name": "J. Jansen"}, {"summary": "Melder is J. Jansen"}):
            notice = self._notice()
            notice.write(vals)
            self.assertRefused(notice.action_send, UserError)
            self.assertEqual(notice.state, "draft")
        # Name: no summary, and the case's own name only.
        consent = self._consent("name")
        for vals in ({"summary": "Details"}, {"employee_name": "Iemand anders"}):
            notice = self._notice(consent)
            notice.write(vals)
            self.assertRefused(notice.action_send, UserError)
        notice = self._notice(consent)
        notice.write({"employee_name": False})
        notice.action_send()
        as_hr = notice.with_user(self.hr)
        self.assertEqual((as_hr.employee_name, as_hr.summary), (self.NAME, False))
        # Name and summary: exactly the approved text.
        notice = self._notice(self._consent("name_summary"))
        notice.action_send()
        self.assertEqual(notice.with_user(self.hr).summary, SUMMARY)

    def test_notice_goes_to_its_cases_organisation(self):
        other = self.env["vp.organisation"].create(
            {"name": "Elders BV", "code": "ELDERS", "hr_user_ids": [Command.set(self.hr.ids)]}
        )
        notice = self._notice(self._consent("name"))
        notice.sudo().organisation_id = other
        self.assertRefused(notice.action_send, UserError)

    def test_hr_only_acknowledges(self):
        notice = self._notice(self._consent("name"))
        notice.action_send()
        as_hr = notice.with_user(self.hr)
        colleague = self.env["res.users"].create(
            {
                "name": "Andere HR",
                "login": "vp_test_hr2",
                "groups_id": [Command.set([self.env.ref("vertrouwenspersoon.group_hr_notice").id])],
            }
        )
        for vals in ({"recipient_user_ids": [Command.link(colleague.id)]}, {"state": "draft"}, {"summary": "x"}):
            self.assertRefused(lambda vals=vals: as_hr.with_context(vp_notice_transition=True).write(vals))
        self.assertEqual(notice.recipient_user_ids, self.hr)
        as_hr.action_acknowledge()
        self.assertEqual((notice.state, notice.acknowledged_by_id), ("acknowledged", self.hr))

    def test_hr_recipients_are_hr_users_and_logged(self):
        for user in (self.coordinator, self.counsellor, self.manager, self.employee):
            self.assertRefused(
                lambda user=user: self.organisation.with_user(self.coordinator).write(
                    {"hr_user_ids": [Command.link(user.id)]}
                ),
                ValidationError,
            )
        hr2 = self.env["res.users"].create(
            {
                "name": "Tweede HR",
                "login": "vp_test_hr3",
                "groups_id": [Command.set([self.env.ref("vertrouwenspersoon.group_hr_notice").id])],
            }
        )
        self.organisation.with_user(self.coordinator).write({"hr_user_ids": [Command.link(hr2.id)]})
        logged = self.env["vp.change.log"].search(
            [
                ("res_model", "=", "vp.organisation"),
                ("res_id", "=", self.organisation.id),
                ("field_name", "=", "hr_user_ids"),
            ]
        )
        self.assertIn("Tweede HR", logged[:1].new_value)

    def test_case_stays_with_its_organisation(self):
        other = self.env["vp.organisation"].create({"name": "Elders BV", "code": "ELDERS"})
        as_coordinator = self.case.with_user(self.coordinator)
        self.case.with_user(self.counsellor).action_open()
        self.assertRefused(lambda: as_coordinator.write({"organisation_id": other.id}), UserError)
        request = self.env["vp.case"].with_user(self.coordinator).create({"organisation_id": self.organisation.id})
        request.with_user(self.coordinator).write({"organisation_id": other.id})
        self.assertEqual(request.organisation_id, other)


@tagged("post_install", "-at_install")
class TestContextKeysOpenNothing(WriteSideCommon, TransactionCase):
    def test_old_context_keys_are_refused(self):
        """Every old context key, sent by the
        attacking role as an RPC client would, opens nothing."""
        as_me = self.env(user=self.counsellor)
        consent = as_me["vp.consent"].create({"case_id": self.case.id, "level": "name", "given_how": "in_person"})
        notice = as_me["vp.notice"].create(as_me["vp.notice"]._prepare_from_case(self.case.with_env(as_me), consent))
        notice.action_send()
        hold = as_me["vp.legal.hold"].create({"case_id": self.case.id, "reason": "court"})
        signal = as_me["vp.signal"].create(
            {
                "name": "Planning",
                "organisation_id": self.organisation.id,
                "body": "Zorgen over de planning.",
                "confirmed_anonymous": True,
            }
        )
        signal.action_send()
        breach = as_me["vp.breach"].create(
            {
                "case_id": self.case.id,
                "ground": "conscience",
                "approver_id": self.counsellor2.id,
                "employee_informed": True,
                "disclosed_what": "x",
                "disclosed_to": "y",
            }
        )
        breach.action_submit()
        entry_points = {
            "vp_follower_sync": lambda ctx: (
                self.case.with_user(self.coordinator)
                .with_context(**ctx)
                .message_subscribe(partner_ids=self.hr.partner_id.ids)
            ),
            "vp_reassignment_append": lambda ctx: (
                self.env["vp.case.reassignment"]
                .with_user(self.coordinator)
                .with_context(**ctx)
                .create({"case_id": self.case.id, "to_user_id": self.counsellor2.id, "reason": "absence"})
            ),
            "vp_lift_hold": lambda ctx: hold.with_context(**ctx).write({"lifted_on": "2001-01-01 00:00:00"}),
            "vp_shredding": lambda ctx: consent.with_context(**ctx).write({"level": "name_summary"}),
            "vp_consent_create": lambda ctx: (
                as_me["vp.consent"]
                .with_context(**ctx)
                .create({"case_id": self.case.id, "level": "name_summary", "given_how": "phone"})
            ),
            "vp_audit_append": lambda ctx: (
                self.env["vp.audit.log"]
                .with_user(self.counsellor)
                .with_context(**ctx)
                .create({"case_id": self.case.id, "user_id": self.counsellor2.id, "action": "read"})
            ),
            "vp_breach_transition": lambda ctx: breach.with_context(**ctx).write({"disclosed_to": "Werkgever"}),
            "vp_notice_transition": lambda ctx: (
                notice.with_user(self.hr)
                .with_context(**ctx)
                .write({"recipient_user_ids": [Command.link(self.coordinator.id)]})
            ),
            "vp_signal_transition": lambda ctx: signal.with_context(**ctx).write({"body": "Jolanda Verbeek"}),
        }
        for key, call in entry_points.items():
            self.assertRefused(lambda call=call, key=key: call({key: True}))
            # Legal-hold deletion under the old shredding key, too.
        self.assertRefused(lambda: hold.with_context(vp_shredding=True).unlink())
        self.assertEqual(self.case.sudo().message_partner_ids, self.counsellor.partner_id)

    def test_skip_follow_gives_nothing(self):
        """vp_skip_follow (now a guard): a client sending the old key gets no
        follower it may not have; at most the error becomes a silent drop."""
        for user in (self.coordinator, self.counsellor):
            try:
                with self.env.cr.savepoint():
                    self.case.with_user(user).with_context(vp_skip_follow=True).message_subscribe(
                        partner_ids=(self.hr.partner_id | self.coordinator.partner_id).ids
                    )
            except REFUSED:
                pass
        self.assertEqual(self.case.sudo().message_partner_ids, self.counsellor.partner_id)


@tagged("post_install", "-at_install")
class TestCaseStatesAndRetention(WriteSideCommon, TransactionCase):
    def test_coordinator_cannot_close_or_backdate(self):
        """The coordinator's exploit: close as of 2001 without tracking."""
        as_coordinator = self.case.with_user(self.coordinator).with_context(tracking_disable=True)
        self.assertRefused(lambda: as_coordinator.write({"state": "closed", "close_date": "2001-01-01"}))
        for action in ("action_open", "action_aftercare", "action_close", "action_reopen"):
            self.assertRefused(getattr(as_coordinator, action))
        self.assertRefused(
            lambda: (
                self.env["vp.case"]
                .with_user(self.coordinator)
                .create({"organisation_id": self.organisation.id, "state": "closed", "close_date": "2001-01-01"})
            )
        )
        self.assertEqual((self.case.state, self.case.close_date), ("request", False))
        # Not the counsellor either, by a plain write.
        as_me = self.case.with_user(self.counsellor)
        for vals in ({"close_date": "2001-01-01"}, {"state": "closed"}, {"first_contact_date": "2001-01-01 10:00:00"}):
            self.assertRefused(lambda vals=vals: as_me.write(vals))

    def test_counsellor_closes_today_and_retention_only_grows(self):
        as_me = self.case.with_user(self.counsellor)
        as_me.action_open()
        as_me.action_close()
        today = fields.Date.context_today(self.case)
        self.assertEqual((self.case.state, self.case.close_date), ("closed", today))
        months = self.organisation.retention_months
        self.assertEqual(self.case.shred_due_date, today + relativedelta(months=months))
        # Lowering the organisation's period does not bring destruction forward...
        self.organisation.with_user(self.coordinator).write({"retention_months": 1})
        self.assertEqual(self.case.shred_due_date, today + relativedelta(months=months))
        self.assertNotIn(self.case, self.env["vp.case"]._vp_cases_due_for_shredding())
        # ...raising it postpones it.
        self.organisation.with_user(self.coordinator).write({"retention_months": months + 6})
        self.assertEqual(self.case.shred_due_date, today + relativedelta(months=months + 6))
        logged = self.env["vp.change.log"].search(
            [("res_model", "=", "vp.organisation"), ("field_name", "=", "retention_months")]
        )
        self.assertEqual(logged[:2].mapped("user_id"), self.coordinator)
        closes = self.env["vp.change.log"].search(
            [("res_model", "=", "vp.case"), ("res_id", "=", self.case.id), ("field_name", "=", "close_date")]
        )
        self.assertEqual(closes[:1].user_id, self.counsellor)

    def test_shredding_reduces_timesheet_days_to_the_month(self):
        self.case.sudo().write(
            {"state": "closed", "close_date": fields.Date.context_today(self.case) - relativedelta(months=400)}
        )
        self.env.cr.execute(
            "UPDATE account_analytic_line SET vp_case_id = %s, date = '2025-03-17' "
            "WHERE id = (SELECT id FROM account_analytic_line WHERE vp_time_type IS NOT NULL LIMIT 1) RETURNING id",
            (self.case.id,),
        )
        (line_id,) = self.env.cr.fetchone()
        self.env["account.analytic.line"].invalidate_model()
        self.case._vp_shred()
        self.env.cr.execute("SELECT date::text FROM account_analytic_line WHERE id = %s", (line_id,))
        self.assertEqual(self.env.cr.fetchone()[0], "2025-03-01")


@tagged("post_install", "-at_install")
class TestSealedChatter(WriteSideCommon, TransactionCase):
    def test_mail_gateway_reply_refused(self):
        """An e-mail routed to a case by the gateway is not stored."""
        for method in ("message_update", "message_new"):
            target = self.case.sudo() if method == "message_update" else self.env["vp.case"].sudo()
            with self.assertRaises(UserError):
                getattr(target, method)({"body": "Antwoord: Jolanda vertelde mij...", "subject": "Re: VP"})
        self.assertRefused(
            lambda: self.case.sudo().message_post(body="Antwoord van melder", message_type="email"), UserError
        )

    def test_system_tracking_still_logged(self):
        self.env.cr.precommit.run()  # Odoo tracks nothing in the creating transaction's phase
        self.case.with_user(self.counsellor).action_open()
        self.env.flush_all()
        self.env.cr.precommit.run()
        tracked = self.env["mail.message"].sudo().search([("model", "=", "vp.case"), ("res_id", "=", self.case.id)])
        self.assertTrue(tracked.tracking_value_ids)

    def test_bogus_res_field_refused(self):
        for user in (self.counsellor, self.coordinator, self.admin):
            for res_field in ("name", "data_ciphertext"):
                self.assertRefused(
                    lambda user=user, res_field=res_field: (
                        self.env["ir.attachment"]
                        .with_user(user)
                        .create(
                            {
                                "name": "verslag.txt",
                                "raw": b"Melder J. Jansen",
                                "res_model": "vp.case.document" if res_field == "data_ciphertext" else "vp.case",
                                "res_id": self.case.id,
                                "res_field": res_field,
                            }
                        )
                    ),
                    UserError,
                )
        # The addon's own sealed document still stores its bytes.
        document = (
            self.env["vp.case.document"]
            .with_user(self.counsellor)
            .create({"case_id": self.case.id, "name": "brief.txt", "data": "QnJpZWY="})
        )
        self.assertEqual(document.data, b"QnJpZWY=")
