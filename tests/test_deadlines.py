"""Deadlines with frozen time: first contact within 48 hours (warn the
counsellor, then escalate to the backup and the coordinator), the Wbk's
acknowledgement within 7 days and feedback within 3 months, and the monthly
share of requests contacted in time."""

from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.tests import TransactionCase, tagged
from odoo.tools import is_html_empty

from .common import opened_as
from .test_assignment import AssignmentCommon

T0 = datetime(2026, 3, 2, 9, 0)


@tagged("post_install", "-at_install")
class TestDeadlines(AssignmentCommon, TransactionCase):
    def _activities(self, case, xmlid=None):
        domain = [("res_model", "=", "vp.case"), ("res_id", "=", case.id)]
        if xmlid:
            domain.append(("activity_type_id", "=", self.env.ref(xmlid).id))
        return self.env["mail.activity"].search(domain)

    def _cron(self, when):
        with freeze_time(when):
            self.env["vp.case"]._cron_check_deadlines()
            self.env.flush_all()

    def _new_request(self, **contact):
        with freeze_time(T0):
            return self.env["vp.case"]._vp_register_request(
                self.organisation,
                "9700",
                "web",
                contact or {"employee_name": self.NAME, "employee_phone": self.PHONE},
                notes=self.NOTES,
            )

    def test_first_contact_warned_then_escalated(self):
        case = self._new_request()
        self.assertEqual(case.counsellor_id, self.c1)
        self.assertEqual(case.first_contact_deadline, T0 + timedelta(hours=48))
        first_contact = "vertrouwenspersoon.mail_activity_type_vp_first_contact"

        self._cron(T0 + timedelta(hours=20))
        self.assertFalse(self._activities(case))
        self.assertFalse(case.first_contact_alert)

        self._cron(T0 + timedelta(hours=37))
        warning = self._activities(case, first_contact)
        self.assertEqual(warning.user_id, self.c1)
        self.assertEqual(warning.date_deadline, (T0 + timedelta(hours=48)).date())
        self.assertEqual(case.first_contact_alert, "warned")
        # Again within the hour: nothing twice.
        self._cron(T0 + timedelta(hours=38))
        self.assertEqual(self._activities(case), warning)

        self._cron(T0 + timedelta(hours=49))
        activities = self._activities(case, first_contact)
        self.assertEqual(activities.user_id, self.c1 | self.c2 | self.coordinator)
        self.assertEqual(case.first_contact_alert, "escalated")
        handover = case.handover_ids
        self.assertEqual(handover.to_user_id, self.c2, "the backup on the roster takes over the first contact")
        with freeze_time(T0 + timedelta(hours=49)):
            self.assertTrue(handover.is_active)
            with opened_as(self.c2):
                self.assertEqual(case.with_user(self.c2).employee_phone, self.PHONE)
        self._cron(T0 + timedelta(hours=60))
        self.assertEqual(self._activities(case, first_contact), activities)
        self.assertEqual(len(case.handover_ids), 1)

        # Activities and their mails carry a case number and a deadline, nothing more.
        for activity in activities:
            self.assertFalse(activity.summary)
            self.assertTrue(is_html_empty(activity.note))
            self.assertEqual(activity.res_name, case.name)
        messages = self.env["mail.message"].search([("model", "=", "vp.case"), ("res_id", "=", case.id)])
        mails = self.env["mail.mail"].search([("mail_message_id", "in", messages.ids)])
        for text in [*messages.mapped("body"), *messages.mapped("subject"), *mails.mapped("body_html")]:
            for secret in (self.NAME, self.PHONE, self.NOTES[:30], "9700"):
                self.assertNotIn(secret, text or "")

    def test_contact_in_time_stops_the_clock(self):
        case = self._new_request()
        with freeze_time(T0 + timedelta(hours=30)):
            case.with_user(self.c1).action_open()
        self.assertTrue(case.first_contact_in_time)
        self._cron(T0 + timedelta(hours=40))
        self._cron(T0 + timedelta(hours=50))
        self.assertFalse(self._activities(case))
        self.assertFalse(case.handover_ids)

    def test_unassigned_request_escalates_to_coordinator(self):
        self._load(self.c1, 2)
        self._load(self.c2, 3)
        self._load(self.c3, 1)
        case = self._new_request()
        # Nobody free: the duty counsellor holds it (sealed for her), the coordinator assigns it.
        self.assertEqual(case.counsellor_id, self.duty)
        self.assertTrue(case.placed_on_duty)
        self._cron(T0 + timedelta(hours=49))
        escalation = self._activities(case, "vertrouwenspersoon.mail_activity_type_vp_first_contact")
        self.assertIn(self.coordinator, escalation.user_id)
        self.assertFalse(case.handover_ids)

    def test_absent_backup_is_skipped(self):
        case = self._new_request()
        with freeze_time(T0 + timedelta(hours=49)):
            self._absent(self.c2)
        self._cron(T0 + timedelta(hours=49, minutes=30))
        self.assertFalse(case.handover_ids)
        activities = self._activities(case, "vertrouwenspersoon.mail_activity_type_vp_first_contact")
        self.assertEqual(activities.user_id, self.coordinator)

    def test_wbk_deadlines(self):
        case = self._new_request()
        self.assertFalse(case.is_wbk)
        self.assertFalse(case.wbk_ack_deadline)
        fraud = self.env.ref("vertrouwenspersoon.behaviour_kind_fraud")
        with freeze_time(T0 + timedelta(hours=2)):
            case.with_user(self.c1).write({"behaviour_kind_ids": [(4, fraud.id)]})
            case.with_user(self.c1).action_open()
        self.assertTrue(case.is_wbk)
        self.assertEqual(case.wbk_ack_deadline, T0 + timedelta(days=7))
        self.assertEqual(case.wbk_feedback_deadline, datetime(2026, 6, 9, 9, 0))
        # The coordinator follows the dates, not the kinds.
        as_coordinator = case.with_user(self.coordinator)
        self.assertEqual(as_coordinator.wbk_ack_deadline, T0 + timedelta(days=7))

        ack = "vertrouwenspersoon.mail_activity_type_vp_wbk_ack"
        self._cron(T0 + timedelta(days=4))
        self.assertFalse(self._activities(case, ack))
        self._cron(T0 + timedelta(days=6))
        self.assertEqual(self._activities(case, ack).user_id, self.c1)
        self._cron(T0 + timedelta(days=8))
        self.assertEqual(self._activities(case, ack).user_id, self.c1 | self.coordinator)
        self.assertEqual(case.wbk_ack_alert, "escalated")
        self.assertFalse(case.handover_ids, "only the first contact is handed to the backup")

        with freeze_time(T0 + timedelta(days=9)):
            case.with_user(self.c1).action_wbk_acknowledged()
        self.assertFalse(case.wbk_ack_in_time)
        self.assertEqual(case.wbk_feedback_deadline, datetime(2026, 6, 11, 9, 0))
        feedback = "vertrouwenspersoon.mail_activity_type_vp_wbk_feedback"
        self._cron(datetime(2026, 5, 20))
        self.assertFalse(self._activities(case, feedback))
        self._cron(datetime(2026, 6, 1))
        self.assertEqual(self._activities(case, feedback).user_id, self.c1)
        with freeze_time(datetime(2026, 6, 5)):
            case.with_user(self.c1).action_wbk_feedback_given()
        self.assertTrue(case.wbk_feedback_in_time)
        self._cron(datetime(2026, 6, 20))
        self.assertEqual(self._activities(case, feedback).user_id, self.c1)
