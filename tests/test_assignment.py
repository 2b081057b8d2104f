"""Regions, postcode ranges, rosters and assignment: postcode -> region ->
first available counsellor, over a table of postcodes, capacities and
absences; the other side's counsellor is never chosen; coordinator
reassignment is logged; the choice costs a fixed number of queries."""

from contextlib import closing
from datetime import timedelta

from odoo import fields
from odoo.addons.vertrouwenspersoon.const import COUNSELLOR
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import TransactionCase, new_test_user, tagged

from .common import VpCaseCommon, browser_secret, give_key, new_counsellor, opened_as


class AssignmentCommon(VpCaseCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        # The demo ranges cover every postcode; the tests bring their own.
        env["vp.region.postcode.range"].search([]).unlink()
        env["vp.roster.line"].search([]).unlink()
        cls.c1, cls.c2, cls.c3 = (
            new_test_user(env, login=f"vp_test_c{index}", groups=COUNSELLOR, name=f"Counsellor {index}")
            for index in (1, 2, 3)
        )
        give_key(cls.c1 | cls.c2 | cls.c3)
        # The bureau's duty roster takes what no region's roster can place.
        cls.duty = new_counsellor(env, "Dienstdoende", "vp_test_duty")
        env["vp.roster.line"].create(
            {"region_id": env.ref("vertrouwenspersoon.vp_region_duty").id, "user_id": cls.duty.id}
        )
        cls.noord = env["vp.region"].create(
            {
                "name": "T-Noord",
                "code": "TNOORD",
                "province": "Groningen",
                "postcode_range_ids": [
                    (0, 0, {"postcode_from": "9000", "postcode_to": "9499"}),
                    (0, 0, {"postcode_from": "9500", "postcode_to": "9999"}),
                ],
            }
        )
        cls.west = env["vp.region"].create(
            {
                "name": "T-West",
                "code": "TWEST",
                "province": "Zuid-Holland",
                "postcode_range_ids": [(0, 0, {"postcode_from": "2000", "postcode_to": "2999"})],
            }
        )
        cls.oost = env["vp.region"].create({"name": "T-Oost", "code": "TOOST", "province": "Drenthe"})
        env["vp.roster.line"].create(
            [
                {
                    "region_id": cls.noord.id,
                    "sequence": 1,
                    "user_id": cls.c1.id,
                    "max_open_cases": 2,
                    "backup_user_id": cls.c2.id,
                },
                {
                    "region_id": cls.noord.id,
                    "sequence": 2,
                    "user_id": cls.c2.id,
                    "max_open_cases": 3,
                    "backup_user_id": cls.c1.id,
                },
                {"region_id": cls.noord.id, "sequence": 3, "user_id": cls.c3.id, "max_open_cases": 1},
                {"region_id": cls.west.id, "sequence": 1, "user_id": cls.c3.id, "max_open_cases": 5},
                {"region_id": cls.oost.id, "sequence": 1, "user_id": cls.c2.id, "max_open_cases": 5},
            ]
        )
        cls.line = {line.user_id: line for line in cls.noord.roster_line_ids}

    @classmethod
    def _request(cls, postcode="9700", **values):
        """A new unassigned request, as the intake creates it: the region from the postcode."""
        vals = {
            "organisation_id": cls.organisation.id,
            "postcode": postcode,
            "region_id": cls.env["vp.region"]._vp_find(postcode).id,
            "state": "request",
            **values,
        }
        return cls.env["vp.case"].create(vals)

    def _load(self, user, count, state="open"):
        self.env["vp.case"].create(
            [{"organisation_id": self.organisation.id, "counsellor_id": user.id, "state": state} for _i in range(count)]
        )

    def _absent(self, user):
        now = fields.Datetime.now()
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Vakantie",
                "resource_id": self.line[user].resource_id.id,
                "date_from": now - timedelta(hours=1),
                "date_to": now + timedelta(days=3),
            }
        )


@tagged("post_install", "-at_install")
class TestPostcodeRanges(AssignmentCommon, TransactionCase):
    def test_region_by_postcode_and_province(self):
        find = self.env["vp.region"]._vp_find
        self.assertEqual(find("9000"), self.noord)
        self.assertEqual(find("9499"), self.noord)
        self.assertEqual(find("9500"), self.noord)
        self.assertEqual(find("9711 AB"), self.noord)
        self.assertEqual(find("2801"), self.west)
        self.assertEqual(find("1234", "drenthe"), self.oost, "province is the fallback")
        self.assertEqual(find("2801", "Drenthe"), self.west, "a range beats the province")
        self.assertFalse(find("1234"))
        self.assertFalse(find("12a4"))
        self.assertFalse(find(False, "Limburg"))

    def test_malformed_ranges_refused(self):
        for bounds in [("123", "456"), ("abcd", "9999"), ("0999", "1000"), ("1000", "10000"), ("5000", "4000")]:
            with self.subTest(bounds=bounds), self.assertRaises(ValidationError):
                self.env["vp.region.postcode.range"].create(
                    {"region_id": self.oost.id, "postcode_from": bounds[0], "postcode_to": bounds[1]}
                )

    def test_overlapping_ranges_refused(self):
        for bounds in [("8000", "9000"), ("9499", "9500"), ("2500", "2600"), ("1000", "9999")]:
            with self.subTest(bounds=bounds), self.assertRaisesRegex(ValidationError, "overlap"):
                self.env["vp.region.postcode.range"].create(
                    {"region_id": self.oost.id, "postcode_from": bounds[0], "postcode_to": bounds[1]}
                )
        # Adjacent is fine.
        self.env["vp.region.postcode.range"].create(
            {"region_id": self.oost.id, "postcode_from": "7000", "postcode_to": "8999"}
        )

    def test_roster_constraints(self):
        with self.assertRaises(ValidationError):
            self.line[self.c3].backup_user_id = self.c3
        self.assertTrue(self.line[self.c1].resource_id, "each counsellor gets a resource for absences")
        self.assertEqual(self.line[self.c1].resource_id.user_id, self.c1)


@tagged("post_install", "-at_install")
class TestAssignment(AssignmentCommon, TransactionCase):
    def test_assignment_table(self):
        c1, c2, c3 = self.c1, self.c2, self.c3
        # (postcode, province, {user: open cases}, absent users, expected counsellor, explanation)
        table = [
            ("9700", None, {}, [], c1, "Region T-Noord, first on roster, capacity 0/2"),
            ("9711 AB", None, {c1: 1}, [], c1, "Region T-Noord, first on roster, capacity 1/2"),
            (
                "9100",
                None,
                {c1: 2},
                [],
                c2,
                "Region T-Noord, number 2 on roster (skipped: Counsellor 1 (no. 1) at capacity 2/2), capacity 0/3",
            ),
            (
                "9100",
                None,
                {},
                [c1],
                c2,
                "Region T-Noord, number 2 on roster (skipped: Counsellor 1 (no. 1) absent), capacity 0/3",
            ),
            (
                "9999",
                None,
                {c2: 3},
                [c1],
                c3,
                "Region T-Noord, number 3 on roster (skipped: Counsellor 1 (no. 1) absent; "
                "Counsellor 2 (no. 2) at capacity 3/3), capacity 0/1",
            ),
            ("9000", None, {c1: 2, c2: 3, c3: 1}, [], None, "nobody available"),
            (
                "9000",
                None,
                {c2: 3},
                [c1, c3],
                None,
                "nobody available (Counsellor 1 (no. 1) absent; Counsellor 2 (no. 2) at capacity 3/3; "
                "Counsellor 3 (no. 3) absent)",
            ),
            ("2801", None, {c1: 2, c2: 3}, [], c3, "Region T-West, first on roster, capacity 0/5"),
            ("4811", "Drenthe", {}, [], c2, "Region T-Oost, first on roster, capacity 0/5"),
            ("4811", None, {}, [], None, "No region for this postcode or province"),
        ]
        for postcode, province, load, absent, expected, explanation in table:
            with self.subTest(postcode=postcode, load=load, absent=absent), closing(self.env.cr.savepoint()):
                for user, count in load.items():
                    self._load(user, count)
                for user in absent:
                    self._absent(user)
                case = self.env["vp.case"]._vp_register_request(
                    self.organisation, postcode, "web", {"employee_phone": "06-12345678"}, province=province
                )
                # Nobody on the region's roster: the duty counsellor holds the request (sealed for her).
                self.assertEqual(case.counsellor_id, expected or self.duty)
                self.assertEqual(case.placed_on_duty, not expected)
                self.assertIn(explanation, case.assignment_note)
                activities = self.env["mail.activity"].search([("res_model", "=", "vp.case"), ("res_id", "=", case.id)])
                if expected:
                    self.assertFalse(activities, "no escalation when someone is available")
                else:
                    self.assertEqual(activities.user_id, self.coordinator, "escalated to the coordinator")
                    self.assertEqual(
                        activities.activity_type_id, self.env.ref("vertrouwenspersoon.mail_activity_type_vp_assign")
                    )
                    self.assertFalse(activities.summary)
                    self.assertFalse(activities.note)
            self.env.invalidate_all()

    def test_closed_and_aftercare_do_not_count(self):
        self._load(self.c1, 2, state="closed")
        self._load(self.c1, 2, state="aftercare")
        case = self._request()
        case._vp_assign_by_roster()
        self.assertEqual(case.counsellor_id, self.c1)

    def test_batch_spreads_over_roster(self):
        self._load(self.c1, 1)
        cases = self._request() | self._request() | self._request() | self._request()
        cases._vp_assign_by_roster()
        self.assertEqual(cases.mapped("counsellor_id"), self.c1 | self.c2)
        self.assertEqual([c.counsellor_id for c in cases], [self.c1, self.c2, self.c2, self.c2])

    def test_explanation_holds_no_content(self):
        case = self.env["vp.case"]._vp_register_request(
            self.organisation,
            "9700",
            "web",
            {"employee_name": self.NAME, "employee_phone": self.PHONE},
            notes=self.NOTES,
        )
        for secret in (self.NAME, self.PHONE, "9700", self.NOTES[:20]):
            self.assertNotIn(secret, case.assignment_note)
        self.assertEqual(case.with_user(self.coordinator).assignment_note, case.assignment_note)

    def test_linked_reporter_never_gets_accused_counsellor(self):
        accused = self._request(side="accused")
        accused._vp_assign_by_roster()
        self.assertEqual(accused.counsellor_id, self.c1)
        reporter = self._request(side="reporter")
        self.env["vp.case.link"].create({"reporter_case_id": reporter.id, "accused_case_id": accused.id})
        reporter.with_user(self.coordinator).action_assign_by_roster()
        self.assertEqual(reporter.counsellor_id, self.c2)
        self.assertIn("no. 1 supports the other side", reporter.assignment_note)

    def test_linked_accused_never_gets_reporter_counsellor(self):
        reporter = self._request()
        reporter._vp_assign_by_roster()
        accused = self._request(side="accused")
        self.env["vp.case.link"].create({"reporter_case_id": reporter.id, "accused_case_id": accused.id})
        self._load(self.c2, 3)
        accused._vp_assign_by_roster()
        self.assertEqual(reporter.counsellor_id, self.c1)
        self.assertEqual(accused.counsellor_id, self.c3)

    def test_assigned_cases_are_left_alone(self):
        case = self._request(counsellor_id=self.c3.id)
        case._vp_assign_by_roster()
        self.assertEqual(case.counsellor_id, self.c3)
        self.assertFalse(case.assignment_note)

    def test_coordinator_assigns_without_reading_postcode(self):
        case = self._request(postcode="2801")
        as_coordinator = case.with_user(self.coordinator)
        as_coordinator.action_assign_by_roster()
        self.assertEqual(case.counsellor_id, self.c3)
        self.assertEqual(as_coordinator.region_id, self.west)
        with self.assertRaises(AccessError):
            as_coordinator.read(["postcode"])

    def test_roster_availability_shown(self):
        self._load(self.c1, 2)
        self._absent(self.c2)
        line1 = self.line[self.c1].with_user(self.coordinator)
        self.assertEqual(line1.open_case_count, 2)
        self.assertFalse(line1.is_absent)
        self.assertTrue(self.line[self.c2].with_user(self.coordinator).is_absent)


@tagged("post_install", "-at_install")
class TestReassignment(AssignmentCommon, TransactionCase):
    def _reassign(self, case, user, reason="Afwezig wegens ziekte van de VP"):
        wizard = (
            self.env["vp.case.reassign.wizard"]
            .with_user(self.coordinator)
            .create({"case_id": case.id, "counsellor_id": user.id, "reason": reason})
        )
        return wizard.action_reassign()

    def test_reassignment_logged(self):
        case = self._request()
        case._vp_assign_by_roster()
        self._reassign(case, self.c2)
        self.assertEqual(case.counsellor_id, self.c2)
        log = self.env["vp.case.reassignment"].with_user(self.coordinator).search([("case_id", "=", case.id)])
        self.assertEqual(len(log), 1)
        self.assertEqual((log.from_user_id, log.to_user_id, log.reassigned_by_id), (self.c1, self.c2, self.coordinator))
        self.assertEqual(log.reason, "Afwezig wegens ziekte van de VP")
        with self.assertRaises(UserError):
            log.write({"reason": "x"})
        with self.assertRaises(UserError):
            log.unlink()
        with self.assertRaises(UserError):
            self.env["vp.case.reassignment"].with_user(self.coordinator).create(
                {"case_id": case.id, "to_user_id": self.c3.id, "reason": "other"}
            )
        # The new counsellor sees the log of their case, the old one no longer.
        self.assertEqual(self.env["vp.case.reassignment"].with_user(self.c2).search([]), log)
        self.assertFalse(self.env["vp.case.reassignment"].with_user(self.c1).search([]))

    def test_reassignment_needs_reason_and_other_counsellor(self):
        case = self._request()
        case._vp_assign_by_roster()
        with self.assertRaises(UserError):
            self._reassign(case, self.c1)
        with self.assertRaises(UserError):
            self._reassign(case, self.c2, reason="   ")
        self.assertFalse(self.env["vp.case.reassignment"].search([("case_id", "=", case.id)]))

    def test_reassignment_never_puts_one_counsellor_on_both_sides(self):
        reporter = self._request()
        reporter._vp_assign_by_roster()
        accused = self._request(side="accused")
        self.env["vp.case.link"].create({"reporter_case_id": reporter.id, "accused_case_id": accused.id})
        accused._vp_assign_by_roster()
        with self.assertRaises(ValidationError):
            self._reassign(accused, self.c1)

    def test_counsellor_cannot_reassign(self):
        case = self._request()
        case._vp_assign_by_roster()
        with self.assertRaises(AccessError):
            self.env["vp.case.reassign.wizard"].with_user(self.c1).create(
                {"case_id": case.id, "counsellor_id": self.c2.id, "reason": "x"}
            )


@tagged("post_install", "-at_install")
class TestPhoneRequest(AssignmentCommon, TransactionCase):
    def test_coordinator_registers_without_reading_back(self):
        # The coordinator's browser holds the secret her typed details are sealed under.
        with browser_secret(self.env(user=self.coordinator)):
            self._register_without_reading_back()

    def _register_without_reading_back(self):
        wizard = (
            self.env["vp.intake.wizard"]
            .with_user(self.coordinator)
            .create(
                {
                    "organisation_id": self.organisation.id,
                    "postcode": "9712",
                    "preferred_channel": "phone",
                    "preferred_time": "na 17:00",
                    "employee_name": self.NAME,
                    "employee_phone": self.PHONE,
                    "message": "Wil graag praten over een conflict.",
                }
            )
        )
        # Saved (as the web client does before the button), nothing is stored in clear.
        self.env.flush_all()
        self.env.cr.execute("SELECT to_jsonb(w)::text FROM vp_intake_wizard w WHERE id = %s", [wizard.id])
        row = self.env.cr.fetchone()[0]
        for secret in (self.NAME, self.PHONE, "conflict", "na 17:00"):
            self.assertNotIn(secret, row)
        self.assertEqual(wizard.employee_phone, self.PHONE, "the coordinator who typed it can correct it")
        self.assertFalse(wizard.with_user(self.c1).sudo().employee_phone, "nobody else reads it back")
        action = wizard.action_register()
        case = self.env["vp.case"].browse(action["params"]["next"]["res_id"])
        self.assertEqual(case.counsellor_id, self.c1)
        # Told who got it, and the case opens as a page of its own (no stale breadcrumb).
        self.assertIn(self.c1.name, action["params"]["message"])
        self.assertEqual(action["params"]["next"]["target"], "main")
        self.assertEqual(case.intake_channel, "phone")
        self.assertEqual(case.region_id, self.noord)
        # The wizard no longer holds the details in clear.
        self.assertFalse(wizard.employee_phone or wizard.employee_name or wizard.message)
        # The coordinator cannot read them back; the counsellor can.
        with self.assertRaises(AccessError):
            case.with_user(self.coordinator).read(["employee_phone"])
        as_counsellor = case.with_user(self.c1)
        self.enterContext(opened_as(self.c1))
        self.assertEqual(as_counsellor.employee_phone, self.PHONE)
        self.assertEqual(as_counsellor.employee_name, self.NAME)
        self.assertIn("Wil graag praten", as_counsellor.intake_message)
        self.assertIn("na 17:00", as_counsellor.intake_message)
        # Stored encrypted only.
        self.env.flush_all()
        self.env.cr.execute("SELECT employee_phone_ciphertext FROM vp_case WHERE id = %s", [case.id])
        self.assertNotIn(self.PHONE, self.env.cr.fetchone()[0])

    def test_phone_request_bad_input(self):
        wizard = (
            self.env["vp.intake.wizard"]
            .with_user(self.coordinator)
            .create({"organisation_id": self.organisation.id, "postcode": "12", "preferred_channel": "phone"})
        )
        with self.assertRaisesRegex(UserError, "four digits"):
            wizard.action_register()
        wizard.postcode = "9712"
        with self.assertRaisesRegex(UserError, "phone number"):
            wizard.action_register()


@tagged("post_install", "-at_install", "is_query_count")
class TestAssignmentQueryCount(AssignmentCommon, TransactionCase):
    def _assign_counted(self, expected):
        # A first assignment warms Odoo's own caches (cleared by creating users).
        self._request()._vp_assign_by_roster()
        case = self._request()
        self.env.flush_all()
        self.env.cr.flush()
        self.env.invalidate_all()
        with self.assertQueryCount(expected):
            case._vp_assign_by_roster()
        return case

    def test_assignment_queries_do_not_grow_with_roster_or_load(self):
        # The first two counsellors are full: the choice walks the roster.
        self.line[self.c3].max_open_cases = 10
        self._load(self.c1, 2)
        self._load(self.c2, 3)
        case = self._assign_counted(QUERIES)
        self.assertEqual(case.counsellor_id, self.c3)
        # Eight more counsellors on the roster, all absent, and many more cases:
        # the same number of queries.
        extra = self.env["res.users"].create(
            [
                {
                    "name": f"Extra {i}",
                    "login": f"vp_test_extra{i}",
                    "groups_id": [(6, 0, [self.env.ref(COUNSELLOR).id])],
                }
                for i in range(8)
            ]
        )
        lines = self.env["vp.roster.line"].create(
            [{"region_id": self.noord.id, "sequence": 0, "user_id": user.id} for user in extra]
        )
        for line in lines:
            self.line[line.user_id] = line
            self._absent(line.user_id)
        self._load(self.c1, 20, state="closed")
        case = self._assign_counted(QUERIES)
        self.assertEqual(case.counsellor_id, self.c3)
        self.assertIn("number 11 on roster", case.assignment_note)


# 26 for the choice, 3 for the change log line of the new counsellor,
# 1 for whether the case has a key to share with its new counsellor (reader-held keys),
# 1 for the case's notices, whose own keys follow the case's readers (vp_case.py, _vp_share_key),
# 1 for the coordinators' "assign a counsellor" to-dos, done once a counsellor has it,
# 2 for who on the roster holds an endorsed key pair (the choice, and the check on the case),
# 1 for the change log line's block in its evidence chain (models/logs/vp_log_block.py),
# and 2 more now that the same search also ends their escalated "first contact" to-dos (the
# coordinators' group in the search, and the unlink of what it finds).
QUERIES = 37
