"""The counsellor's daily work on a case: a meeting logs its own hours
in one step, under the invoicing rules (travel never billed, a client's
cancellation at half the rate, a billed month closed); an erased case is frozen
in the model, not only in the view."""

from datetime import datetime

from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged

from .test_invoicing import MONTH, VpInvoicingCommon


@tagged("post_install", "-at_install")
class TestMeetingHours(VpInvoicingCommon, TransactionCase):
    def _meeting(self, **values):
        vals = {
            "case_id": self.case.id,
            "meeting_date": datetime(MONTH.year, MONTH.month, 12, 9, 0),
            "duration": 1.5,
            "travel_hours": 0.5,
            "log_hours": True,
            **values,
        }
        return self.env["vp.case.meeting"].with_user(self.counsellor).create(vals)

    def _hours(self, meeting):
        lines = meeting.with_user(self.counsellor).timesheet_ids
        return {line.vp_time_type: line.unit_amount for line in lines}

    def test_a_meeting_logs_its_hours_and_travel(self):
        meeting = self._meeting(place="Bij melder thuis")
        self.assertEqual(self._hours(meeting), {"meeting": 1.5, "travel": 0.5})
        lines = meeting.with_user(self.counsellor).timesheet_ids
        self.assertEqual(lines.user_id, self.counsellor)
        self.assertEqual(set(lines.mapped("date")), {MONTH.replace(day=12)})
        self.assertEqual(lines.vp_case_id, self.case)
        # What others read of the lines is the time type, never the meeting's place.
        self.assertEqual(sorted(lines.mapped("name")), ["Meeting", "Travel"])
        self.assertFalse(any(lines.mapped("vp_note")))
        # The meeting changes, its hours follow; without travel the travel line goes.
        meeting.with_user(self.counsellor).write({"duration": 2.0, "travel_hours": 0})
        self.assertEqual(self._hours(meeting), {"meeting": 2.0})
        meeting.with_user(self.counsellor).log_hours = False
        self.assertEqual(self._hours(meeting), {})
        meeting.with_user(self.counsellor).log_hours = True
        meeting.with_user(self.counsellor).unlink()
        self.assertFalse(self.env["account.analytic.line"].search([("vp_meeting_id", "=", meeting.id)]))

    def test_off_by_default_for_code_on_in_the_form(self):
        meeting = self._meeting(log_hours=None)
        self.assertFalse(meeting.log_hours)
        self.assertEqual(self._hours(meeting), {})
        arch = self.env["vp.case"].with_user(self.counsellor).get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertIn("'default_log_hours': True", arch)

    def test_invoicing_rules_hold_for_meeting_hours(self):
        self._meeting()
        self._meeting(time_type="cancelled_client", duration=2.0, travel_hours=1.0)
        self._meeting(time_type="cancelled_counsellor", duration=1.0, travel_hours=0)
        invoice = self.run_month(engagements=self.engagement)
        by_type = {line.vp_time_type: line for line in invoice.invoice_line_ids}
        self.assertEqual(set(by_type), {"meeting", "cancelled_client"}, "travel and own cancellations unbilled")
        self.assertEqual((by_type["meeting"].quantity, by_type["meeting"].price_unit), (1.5, 95.0))
        self.assertEqual((by_type["cancelled_client"].quantity, by_type["cancelled_client"].price_unit), (2.0, 47.5))

    def test_a_billed_month_refuses_changes_to_its_meetings(self):
        meeting = self._meeting()
        self.run_month(engagements=self.engagement)
        as_counsellor = meeting.with_user(self.counsellor)
        with self.assertRaisesRegex(UserError, "invoice"):
            as_counsellor.duration = 3.0
        with self.assertRaisesRegex(UserError, "invoice"):
            as_counsellor.unlink()
        self.assertEqual(self._hours(meeting), {"meeting": 1.5, "travel": 0.5})


@tagged("post_install", "-at_install")
class TestErasedCaseIsFrozen(VpInvoicingCommon, TransactionCase):
    """After Erase now, the case and what hangs off it refuse every change."""

    def test_erased_case_refuses_content_state_and_additions(self):
        case = self.new_case(self.counsellor)
        meeting = (
            self.env["vp.case.meeting"]
            .with_user(self.counsellor)
            .create({"case_id": case.id, "duration": 1.0, "place": "Kantoor"})
        )
        as_counsellor = case.with_user(self.counsellor)
        as_counsellor._vp_erase_on_request()
        self.assertTrue(case.shredded_on)
        # Its state stays what the annual report counted (it is frozen, not closed).
        self.assertEqual(case.state, "request")
        message = "erased"
        # The attacker is the counsellor herself over RPC, not only the form.
        for vals in ({"notes": "Nieuwe notitie"}, {"employee_name": "Iemand"}, {"side": "accused"}):
            with self.subTest(vals=vals), self.assertRaisesRegex(UserError, message):
                as_counsellor.write(vals)
        for action in ("action_reopen", "action_wbk_acknowledged"):
            with self.subTest(action=action), self.assertRaises(UserError):
                getattr(as_counsellor, action)()
        with self.assertRaisesRegex(UserError, message):
            as_counsellor.write({"meeting_ids": [(0, 0, {"duration": 1.0})]})
        with self.assertRaisesRegex(UserError, message):
            self.env["vp.case.meeting"].with_user(self.counsellor).create({"case_id": case.id, "duration": 1.0})
        with self.assertRaisesRegex(UserError, message):
            meeting.with_user(self.counsellor).write({"place": "Elders"})
        with self.assertRaisesRegex(UserError, message):
            self.env["vp.referral"].with_user(self.counsellor).create(
                {"case_id": case.id, "destination": "company_doctor"}
            )
        # The coordinator cannot change it either.
        with self.assertRaisesRegex(UserError, message):
            case.with_user(self.coordinator).write({"region_id": False})
        # The message is the user's language.
        nl = as_counsellor.with_context(lang="nl_NL")
        with self.assertRaises(UserError) as caught:
            nl.write({"notes": "x"})
        self.assertIn(case.name, str(caught.exception))
