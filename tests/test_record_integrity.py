"""Dates, handovers and receipt codes change only as the work happens
(docs/INTEGRITY.md). Each test plays an attack on them through the ORM as an
RPC client reaches it (``with_user``: the same
public methods and writes ``call_kw`` runs), and then shows the way the work
does set the value, logged with who and why."""

from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import TransactionCase, tagged

from .common import VpCaseCommon, browser_secret, translate
from .test_annual_report import YEAR, AnnualReportCommon

HANDED_TO_YOU = "vertrouwenspersoon.mail_activity_type_vp_handed_to_you"


class IntegrityCommon(VpCaseCommon):
    def log_lines(self, case, field_name):
        """The change log's lines that set ``field_name`` of ``case`` (a case's creation logs
        its empty dates too: those are left out)."""
        return self.env["vp.change.log"].search(
            [
                ("res_model", "=", "vp.case"),
                ("res_id", "=", case.id),
                ("field_name", "=", field_name),
                ("new_value", "!=", False),
            ],
            order="id",
        )

    def wbk_case(self, counsellor=None):
        fraud = self.env.ref("vertrouwenspersoon.behaviour_kind_fraud")
        case = self.new_case(counsellor or self.counsellor, behaviour_kind_ids=[Command.set(fraud.ids)])
        self.assertTrue(case.is_wbk)
        return case

    def give_code(self, case, user=None):
        action = case.with_user(user or self.counsellor).action_vp_give_receipt_code()
        return action["params"]["code"]

    def hand_over(self, case, to_user, by=None, **values):
        return (
            self.env["vp.case.handover"]
            .with_user(by or self.counsellor)
            .create({"case_id": case.id, "to_user_id": to_user.id, "reason": "absence", **values})
        )


@tagged("post_install", "-at_install")
class TestWorkDates(IntegrityCommon, TransactionCase):
    def test_nobody_moves_the_request_date_by_hand(self):
        """The counsellor moved a missed Wbk deadline into 2027; the coordinator
        backdated a request to force the first-contact escalation."""
        case = self.wbk_case()
        deadline = case.wbk_ack_deadline
        for user, value in ((self.counsellor, "2027-01-01 09:00:00"), (self.coordinator, "2026-01-01 09:00:00")):
            with self.subTest(user=user.login), self.assertRaises(UserError):
                case.with_user(user).write({"request_date": value})
        self.assertEqual(case.wbk_ack_deadline, deadline)
        # Nor at creation: a counsellor's new case is requested now.
        with self.assertRaises(UserError):
            self.env["vp.case"].with_user(self.counsellor).create(
                {"organisation_id": self.organisation.id, "request_date": "2027-01-01 09:00:00"}
            )

    def test_wbk_dates_are_not_set_by_hand(self):
        """The coordinator stopped the Wbk clocks of a case through two public methods;
        the counsellor backdated the dates into the term."""
        case = self.wbk_case()
        for action in ("action_wbk_acknowledged", "action_wbk_feedback_given"):
            with self.subTest(action=action), self.assertRaises(AccessError):
                getattr(case.with_user(self.coordinator), action)()
        for user in (self.counsellor, self.coordinator):
            for field_name in ("wbk_acknowledged_on", "wbk_feedback_on"):
                with self.subTest(user=user.login, field=field_name), self.assertRaises(UserError):
                    case.with_user(user).write({field_name: case.request_date + timedelta(days=1)})
        self.assertFalse(case.wbk_acknowledged_on or case.wbk_feedback_on or case.wbk_feedback_in_time)
        # A colleague without a running handover does no work on the case either.
        with self.assertRaises(AccessError):
            case.with_user(self.counsellor2).action_wbk_acknowledged()

    def test_dates_are_never_in_the_future_nor_before_the_request(self):
        case = self.case.sudo()
        with self.assertRaisesRegex(ValidationError, "future"):
            case.write({"request_date": fields.Datetime.now() + timedelta(days=2)})
        with self.assertRaisesRegex(ValidationError, "before the request"):
            case.write({"first_contact_date": case.request_date - timedelta(hours=1)})

    def test_the_intake_sets_the_request_date_and_says_so(self):
        with freeze_time("2026-03-02 09:00:00"):
            case = self.env["vp.case"]._vp_register_request(
                self.organisation, "4811", "web", {"employee_name": self.NAME, "employee_phone": self.PHONE}
            )
        line = self.log_lines(case, "request_date")
        self.assertEqual(line.new_value, "2026-03-02 09:00:00")
        self.assertEqual(line.reason, "Request received through the intake page")

    def test_the_phone_intake_is_logged_as_the_coordinators(self):
        wizard = (
            self.env["vp.intake.wizard"]
            .with_user(self.coordinator)
            .create({"organisation_id": self.organisation.id, "postcode": "4811", "preferred_channel": "phone"})
        )
        with browser_secret(wizard.env):
            wizard.employee_phone = self.PHONE
            case = self.env["vp.case"].browse(wizard.action_register()["params"]["next"]["res_id"])
        line = self.log_lines(case, "request_date")
        self.assertEqual(line.user_id, self.coordinator)
        self.assertEqual(line.reason, "Request taken by phone by the coordinator")

    def test_the_first_meeting_held_is_the_first_contact(self):
        case = self.case
        meetings = self.env["vp.case.meeting"].with_user(self.counsellor)
        # A meeting planned for later, or one that was cancelled, is no contact.
        meetings.create({"case_id": case.id, "meeting_date": fields.Datetime.now() + timedelta(days=3)})
        meetings.create({"case_id": case.id, "time_type": "cancelled_client"})
        self.assertFalse(case.first_contact_date)
        held = meetings.create({"case_id": case.id, "channel": "phone"})
        self.assertEqual(case.first_contact_date, held.meeting_date)
        line = self.log_lines(case, "first_contact_date")
        self.assertEqual((line.user_id, line.reason), (self.counsellor, "First meeting with the employee"))
        # The first stays the first.
        meetings.create({"case_id": case.id})
        self.assertEqual(case.first_contact_date, held.meeting_date)

    def test_the_messages_to_the_reporter_set_the_wbk_dates(self):
        case = self.wbk_case()
        self.give_code(case)
        messages = self.env["vp.case.message"].with_user(self.counsellor)
        ack = messages.create({"case_id": case.id, "body": "Uw melding is ontvangen.", "is_acknowledgement": True})
        self.assertEqual(case.wbk_acknowledged_on, ack.sent_on)
        self.assertEqual(case.first_contact_date, ack.sent_on, "the first message is the first contact")
        feedback = messages.create({"case_id": case.id, "body": "Zo gaan we verder.", "is_feedback": True})
        self.assertEqual(case.wbk_feedback_on, feedback.sent_on)
        self.assertTrue(case.wbk_ack_in_time and case.wbk_feedback_in_time)
        self.assertEqual(self.log_lines(case, "wbk_acknowledged_on").reason, "Acknowledging message to the reporter")
        self.assertEqual(self.log_lines(case, "wbk_feedback_on").reason, "Feedback message to the reporter")

    def test_the_counsellor_records_an_acknowledgement_given_outside_the_inbox(self):
        case = self.wbk_case()
        with freeze_time(fields.Datetime.now() + timedelta(hours=1)):
            case.with_user(self.counsellor).action_wbk_acknowledged()
            self.assertEqual(case.wbk_acknowledged_on, fields.Datetime.now(), "recorded now, never backdated")
        line = self.log_lines(case, "wbk_acknowledged_on")
        self.assertEqual(line.user_id, self.counsellor)
        self.assertEqual(line.reason, "Acknowledged outside the inbox, recorded by the counsellor")


@tagged("post_install", "-at_install")
class TestDateCorrection(IntegrityCommon, TransactionCase):
    def _correct(self, user, case, field_name, value, reason="typing_error"):
        wizard = self.env["vp.case.date.correction"].with_user(user)
        return wizard.create(
            {"case_id": case.id, "field_name": field_name, "new_value": value, "reason": reason}
        ).action_correct()

    def test_only_the_cases_own_counsellor_corrects(self):
        case = self.case
        self.hand_over(case, self.counsellor2)
        earlier = case.request_date - timedelta(hours=3)
        for user in (self.counsellor2, self.coordinator, self.hr):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self._correct(user, case, "request_date", earlier)
        with self.assertRaises(AccessError):
            case.with_user(self.coordinator).action_vp_correct_date()
        self.assertFalse(case.dates_corrected)

    def test_a_correction_is_checked_and_logged_with_its_reason(self):
        case = self.case
        with self.assertRaisesRegex(ValidationError, "future"):
            self._correct(self.counsellor, case, "request_date", fields.Datetime.now() + timedelta(days=1))
        earlier = case.request_date - timedelta(hours=3)
        self._correct(self.counsellor, case, "request_date", earlier, reason="registered_late")
        self.assertEqual(case.request_date, earlier)
        self.assertTrue(case.dates_corrected)
        line = self.log_lines(case, "request_date")[-1]
        self.assertEqual(line.user_id, self.counsellor)
        self.assertEqual(line.new_value, fields.Datetime.to_string(earlier))
        self.assertEqual(line.reason, "Corrected by the counsellor: Registered later than it happened")
        # The coordinator reads the line (the dates are hers to follow), not a free text.
        self.assertEqual(line.with_user(self.coordinator).reason, line.reason)
        with self.assertRaisesRegex(ValidationError, "before the request"):
            self._correct(self.counsellor, case, "first_contact_date", earlier - timedelta(hours=1))


@tagged("post_install", "-at_install")
class TestCorrectedDatesInTheReport(AnnualReportCommon, TransactionCase):
    def test_the_annual_report_says_how_many_requests_rest_on_a_corrected_date(self):
        cases = self.make_cases(self.varied_specs(datetime(YEAR, 2, 1, 10, 0), self.unit_a, self.unit_b))
        figures = self.print_report(self.manager)._vp_figures()
        self.assertEqual(figures["corrected_dates"][0], {"value": 0, "display": "0"})
        wizard = self.env["vp.case.date.correction"].with_user(self.counsellor)
        for case in cases[:6]:
            wizard.create(
                {
                    "case_id": case.id,
                    "field_name": "request_date",
                    "new_value": case.request_date - timedelta(hours=1),
                    "reason": "typing_error",
                }
            ).action_correct()
        report = self.print_report(self.manager)
        self.assertEqual(report._vp_figures()["corrected_dates"][0], {"value": 6, "display": "6"})
        # Reproducible from the data: the flag and the change log.
        corrected = self.env["vp.case"].search([("id", "in", cases.ids), ("dates_corrected", "=", True)])
        self.assertEqual(len(corrected), 6)
        self.assertEqual(
            len(self.env["vp.change.log"].search([("res_id", "in", corrected.ids), ("reason", "like", "Corrected")])),
            6,
        )
        html = self.render_html(report, self.manager)
        self.assertEqual(
            [cell.text_content().strip() for cell in html.xpath("//tr[@data-key='corrected_dates']/td")][:2],
            ["Requests with a date corrected by hand", "6"],
        )


@tagged("post_install", "-at_install")
class TestHandovers(IntegrityCommon, TransactionCase):
    def test_the_coordinator_hands_no_case_over(self):
        """The coordinator gave a colleague the key of any case with a handover
        (and a counsellor who does not hold the case could hand it to herself)."""
        for user, to_user in ((self.coordinator, self.counsellor2), (self.counsellor2, self.counsellor2)):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.hand_over(self.case, to_user, by=user)
        self.assertFalse(self.case.sudo().handover_ids)

    def test_a_reader_hands_over_with_a_reason_logged_and_the_colleague_told(self):
        third = self.env["res.users"].create(
            {
                "name": "Derde vertrouwenspersoon",
                "login": "vp_test_integrity_third",
                "groups_id": [Command.set([self.env.ref("vertrouwenspersoon.group_counsellor").id])],
            }
        )
        handover = self.hand_over(self.case, self.counsellor2, reason="workload")
        line = self.env["vp.change.log"].search(
            [("res_model", "=", "vp.case.handover"), ("res_id", "=", handover.id), ("field_name", "=", "reason")]
        )
        self.assertEqual((line.user_id, line.case_id, line.new_value), (self.counsellor, self.case, "Workload"))
        told = self.env["mail.activity"].search(
            [("res_model", "=", "vp.case"), ("res_id", "=", self.case.id), ("user_id", "=", self.counsellor2.id)]
        )
        self.assertEqual(told.activity_type_id, self.env.ref(HANDED_TO_YOU))
        self.assertFalse(told.summary)
        # The colleague holding it may hand it on while she holds it; she does not extend her own.
        self.hand_over(self.case, third, by=self.counsellor2)
        with self.assertRaises(AccessError):
            handover.with_user(self.counsellor2).write({"date_end": "2999-01-01"})
        # She may end her own; then she hands nothing over any more.
        handover.with_user(self.counsellor2).action_end()
        with self.assertRaises(AccessError):
            self.hand_over(self.case, third, by=self.counsellor2)

    def test_the_employees_choice_of_an_external_counsellor_holds(self):
        """The coordinator gave an external counsellor's case to the organisation's own
        internal counsellor, a colleague of the employee who chose an external one."""
        linde = self.env.ref("vertrouwenspersoon.organisation_zorggroep")
        internal = self.env.ref("vertrouwenspersoon.user_vp_counsellor_internal")
        case = self.env["vp.case"]._vp_register_request(
            linde,
            "4811",
            "web",
            {"employee_name": self.NAME, "employee_phone": self.PHONE},
            counsellor_choice={"kind": "external", "user": self.env["res.users"]},
        )
        self.assertEqual(case.employee_choice, "external")
        counsellor = case.counsellor_id
        self.assertTrue(counsellor and counsellor != internal)
        with self.assertRaisesRegex(ValidationError, "chose an external counsellor"):
            self.hand_over(case, internal, by=counsellor)
        wizard = (
            self.env["vp.case.reassign.wizard"]
            .with_user(self.coordinator)
            .create({"case_id": case.id, "counsellor_id": internal.id, "reason": "Werkdruk"})
        )
        self.assertNotIn(internal, wizard.allowed_counsellor_ids)
        with self.assertRaises(UserError):
            wizard.action_reassign()
        self.assertEqual(case.counsellor_id, counsellor)
        # Nor can anyone rewrite the employee's choice.
        for user in (counsellor, self.coordinator):
            with self.assertRaises(UserError):
                case.with_user(user).write({"employee_choice": "internal"})

    def test_reassign_logs_the_reason_and_tells_the_new_counsellor(self):
        self.reassign(self.case, self.counsellor2, reason="Afwezig wegens ziekte")
        line = self.env["vp.change.log"].search(
            [("res_model", "=", "vp.case"), ("res_id", "=", self.case.id), ("field_name", "=", "counsellor_id")],
            order="id desc",
            limit=1,
        )
        self.assertEqual((line.user_id, line.reason), (self.coordinator, "Afwezig wegens ziekte"))
        told = self.env["mail.activity"].search(
            [("res_model", "=", "vp.case"), ("res_id", "=", self.case.id), ("user_id", "=", self.counsellor2.id)]
        )
        self.assertEqual(told.activity_type_id, self.env.ref(HANDED_TO_YOU))


@tagged("post_install", "-at_install")
class TestReceiptCodes(IntegrityCommon, TransactionCase):
    def test_a_colleague_holding_a_handover_gives_no_code(self):
        """The handover backup made a receipt code and kept the thread after the handover."""
        self.hand_over(self.case, self.counsellor2)
        with self.assertRaises(AccessError):
            self.case.with_user(self.counsellor2).action_vp_give_receipt_code()
        self.assertFalse(self.env["vp.case.receipt"].sudo().search([("case_id", "=", self.case.id)]))

    def test_a_code_ends_with_the_access_of_who_gave_it(self):
        code = self.give_code(self.case)
        self.assertTrue(self.env["vp.case.receipt"]._vp_open(code)[0])
        self.reassign(self.case, self.counsellor2)
        self.assertEqual(self.env["vp.case.receipt"]._vp_open(code), (None, None))
        self.assertFalse(
            self.env["vp.record.grant"]
            .sudo()
            .search([("res_model", "=", "vp.case"), ("res_id", "=", self.case.id), ("receipt_id", "!=", False)])
        )

    def test_a_code_given_by_a_backup_before_ends_with_the_handover(self):
        """A code a colleague gave while she held a handover (before this release she could):
        once her handover ends, the inbox no longer opens with it."""
        handover = self.hand_over(self.case, self.counsellor2)
        code = self.give_code(self.case)
        # As given by the colleague (as it was allowed before).
        self.env["vp.case.receipt"].sudo().search([("case_id", "=", self.case.id)]).made_by_id = self.counsellor2
        self.assertTrue(self.env["vp.case.receipt"]._vp_open(code)[0])
        handover.with_user(self.counsellor).action_end()
        self.assertEqual(self.env["vp.case.receipt"]._vp_open(code), (None, None))

    def test_the_counsellor_sees_its_use_revokes_it_and_gives_a_new_one(self):
        case = self.case.with_user(self.counsellor)
        code = self.give_code(self.case)
        self.assertFalse(case.receipt_last_used_on)
        with freeze_time("2026-11-30 10:00:00"):
            self.env["vp.case.receipt"]._vp_open(code)
        case.invalidate_recordset()
        self.assertEqual(case.receipt_last_used_on, datetime(2026, 11, 30, 10, 0))
        self.assertNotIn(code, str(case.read(["has_receipt", "receipt_last_used_on"])))
        for user in (self.counsellor2, self.coordinator):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.case.with_user(user).action_vp_revoke_receipt_code()
        case.action_vp_revoke_receipt_code()
        case.invalidate_recordset()
        self.assertFalse(case.has_receipt)
        self.assertEqual(self.env["vp.case.receipt"]._vp_open(code), (None, None))
        new_code = self.give_code(self.case)
        self.assertNotEqual(new_code, code)
        self.assertTrue(self.env["vp.case.receipt"]._vp_open(new_code)[0])
        case.invalidate_recordset()
        with self.assertRaisesRegex(UserError, translate("This reporter has a receipt code already.", case.env.lang)):
            case.action_vp_give_receipt_code()
