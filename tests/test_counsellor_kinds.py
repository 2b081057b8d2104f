"""Internal and external counsellors side by side.

An internal counsellor (employed by the client organisation) works in the
same backend with the same confidentiality as the bureau's external ones:
the employer's HR and the administrator read none of their cases, and they
read no external colleague's case. The employee chooses whom to ask on the
intake page and by phone; a consultation reaches the external adviser
without the case; the annual report counts both kinds together and, where
suppression allows, apart; only external counsellors' hours are invoiced.
"""

import re
from datetime import date

from odoo import SUPERUSER_ID, Command
from odoo.addons.vertrouwenspersoon.vault import session as vault_session
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, TransactionCase, tagged

from .common import DEMO_PASSPHRASES, PublicPagesMixin, VpCaseCommon, browser_secret, translate
from .test_vault import _Locked

URL = "/vertrouwenspersoon/contact"
CONTACT = {"employee_name": "Karin de Boer", "employee_email": "", "employee_phone": "06-11112222"}
QUESTION = "Een medewerker voelt zich buitengesloten door haar team. Hoe pak ik een eerste gesprek aan?"


class KindsCommon(VpCaseCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.internal = env.ref("vertrouwenspersoon.user_vp_counsellor_internal")
        cls.enterClassContext(
            vault_session.opened_with_passphrase(env(user=cls.internal), DEMO_PASSPHRASES["internal"])
        )
        cls.logistiek = env.ref("vertrouwenspersoon.organisation_logistiek")
        cls.appointment_internal = env.ref("vertrouwenspersoon.appointment_linde_internal")
        cls.appointment_anne = env.ref("vertrouwenspersoon.appointment_linde_anne")
        cls.internal_case = cls.new_case(cls.internal)

    @classmethod
    def register(cls, choice=None, organisation=None, postcode="4811"):
        return (
            cls.env["vp.case"]
            .with_user(SUPERUSER_ID)
            ._vp_register_request(
                organisation or cls.organisation,
                postcode,
                "web",
                CONTACT,
                notes="Graag contact.",
                counsellor_choice=choice,
            )
        )

    def new_counsellor(self, name):
        return self.env["res.users"].create(
            {
                "name": name,
                "login": name.lower().replace(" ", "_"),
                "groups_id": [Command.set([self.env.ref("vertrouwenspersoon.group_counsellor").id])],
            }
        )

    def choice(self, raw, organisation=None):
        choice, errors = self.env["vp.case"]._vp_validate_counsellor_choice(organisation or self.organisation, raw)
        self.assertFalse(errors)
        return choice


@tagged("post_install", "-at_install")
class TestInternalConfidentiality(KindsCommon, TransactionCase):
    def test_internal_case_hidden_from_hr(self):
        """The employer's HR finds, reads and decrypts nothing of an internal counsellor's case."""
        case = self.internal_case
        as_hr = case.with_user(self.hr)
        with self.assertRaises(AccessError):
            self.env["vp.case"].with_user(self.hr).search([("id", "=", case.id)])
        with self.assertRaises(AccessError):
            as_hr.read(["name"])
        with self.assertRaises(AccessError):
            as_hr.sudo().notes  # noqa: B018  (sudo keeps the real user: no content)

    def test_internal_case_hidden_from_admin(self):
        """The administrator (often the employer's own IT): no access right, and sudo or
        impersonation finds no unlocked key of the internal counsellor."""
        case = self.internal_case
        with self.assertRaises(AccessError):
            case.with_user(self.admin).read(["name"])
        with self.assertRaises(AccessError):
            case.with_user(self.admin).sudo().employee_name  # noqa: B018
        # Code the administrator runs as the internal counsellor, outside her own session: locked.
        with _Locked(), self.assertRaises(vault_session.VaultLocked):
            case.with_user(self.internal).with_env(self.env(user=self.internal)).notes  # noqa: B018
        stored = case.sudo().read(["notes_ciphertext", "employee_name_ciphertext"])[0]
        self.assertNotIn("Jolanda", str(stored))

    def test_internal_reads_own_case(self):
        self.assertEqual(self.internal_case.with_user(self.internal).employee_name, self.NAME)
        self.assertEqual(self.internal_case.with_user(self.internal).counsellor_kind, "internal")
        self.assertEqual(self.case.with_user(self.counsellor).counsellor_kind, "external")

    def test_internal_cannot_read_external_cases(self):
        as_internal = self.env["vp.case"].with_user(self.internal)
        self.assertFalse(as_internal.search([("id", "=", self.case.id)]))
        with self.assertRaises(AccessError):
            self.case.with_user(self.internal).read(["notes"])
        with self.assertRaises(AccessError):
            self.case.with_user(self.internal).sudo().notes  # noqa: B018
        # and the external colleague reads none of the internal counsellor's cases
        with self.assertRaises(AccessError):
            self.internal_case.with_user(self.counsellor).sudo().notes  # noqa: B018

    def test_internal_holds_cases_of_their_own_organisation_only(self):
        with self.assertRaisesRegex(ValidationError, "internal counsellor of another organisation"):
            self.new_case(self.internal, organisation_id=self.logistiek.id, business_unit_id=False)
        other = self.new_case(self.counsellor, organisation_id=self.logistiek.id, business_unit_id=False)
        with self.assertRaisesRegex(ValidationError, "internal counsellor of another organisation"):
            self.env["vp.case.handover"].with_user(self.counsellor).create(
                {"case_id": other.id, "to_user_id": self.internal.id, "reason": "absence"}
            )
        with self.assertRaisesRegex(ValidationError, "internal counsellor of another organisation"):
            self.reassign(other, self.internal)

    def test_internal_on_one_organisation_and_no_roster(self):
        with self.assertRaisesRegex(ValidationError, "cannot be on a region's roster"):
            self.env["vp.roster.line"].create({"region_id": self.region.id, "user_id": self.internal.id})
        with self.assertRaisesRegex(ValidationError, "appointed at that organisation only"):
            self.env["vp.counsellor.appointment"].create(
                {"organisation_id": self.logistiek.id, "user_id": self.internal.id, "kind": "external"}
            )
        rostered = self.new_counsellor("Roster VP")
        self.env["vp.roster.line"].create({"region_id": self.region.id, "user_id": rostered.id})
        with self.assertRaisesRegex(ValidationError, "on a region's roster"):
            self.env["vp.counsellor.appointment"].create(
                {"organisation_id": self.logistiek.id, "user_id": rostered.id, "kind": "internal"}
            )


@tagged("post_install", "-at_install")
class TestChoice(KindsCommon, TransactionCase):
    def test_no_choice_is_todays_roster(self):
        case = self.register()
        self.assertIn(case.counsellor_id, self.region.roster_line_ids.user_id)
        self.assertNotEqual(case.counsellor_id, self.internal)

    def test_external_choice_uses_the_roster(self):
        case = self.register(self.choice("external"))
        self.assertIn(case.counsellor_id, self.region.roster_line_ids.user_id)
        self.assertIn("chose an external counsellor", case.assignment_note)

    def test_internal_choice(self):
        case = self.register(self.choice("internal"))
        self.assertEqual(case.counsellor_id, self.internal)
        self.assertIn("internal counsellor", case.assignment_note)
        # sealed for her: she reads the contact details, the coordinator does not
        self.assertEqual(case.with_user(self.internal).employee_phone, CONTACT["employee_phone"])
        with self.assertRaises(AccessError):
            case.with_user(self.coordinator).read(["employee_phone"])

    def test_internal_choice_without_internal_counsellor_falls_back_to_the_roster(self):
        case = self.register(self.choice("internal", self.logistiek), organisation=self.logistiek)
        self.assertTrue(case.counsellor_id)
        self.assertIn("the organisation has none", case.assignment_note)

    def test_named_choice(self):
        case = self.register(self.choice(str(self.appointment_anne.id)))
        self.assertEqual(case.counsellor_id, self.counsellor)
        self.assertIn("Chosen by the employee", case.assignment_note)

    def test_named_choice_absent_is_escalated(self):
        resource = self.env["resource.resource"].create(
            {"name": self.internal.name, "user_id": self.internal.id, "resource_type": "user"}
        )
        self.env["resource.calendar.leaves"].create(
            {"name": "Verlof", "resource_id": resource.id, "date_from": "2020-01-01", "date_to": "2099-01-01"}
        )
        case = self.register(self.choice(str(self.appointment_internal.id)))
        # The duty counsellor holds it until the coordinator assigns it.
        self.assertTrue(case.placed_on_duty)
        self.assertIn("escalated", case.assignment_note)
        activities = self.env["mail.activity"].search([("res_model", "=", "vp.case"), ("res_id", "=", case.id)])
        self.assertIn(self.coordinator, activities.user_id)

    def test_wrong_or_foreign_choice_is_refused(self):
        foreign = self.env["vp.counsellor.appointment"].create(
            {"organisation_id": self.logistiek.id, "user_id": self.counsellor2.id, "kind": "external"}
        )
        hidden = self.appointment_anne.copy(
            {"organisation_id": self.env.ref("vertrouwenspersoon.organisation_gemeente").id}
        )
        for raw in (str(foreign.id), str(hidden.id), "999999", "abc", "1 OR 1=1", "-1", "user:2", "9" * 40):
            choice, errors = self.env["vp.case"]._vp_validate_counsellor_choice(self.organisation, raw)
            self.assertIsNone(choice, raw)
            self.assertEqual(len(errors), 1, raw)
        # an appointment the organisation does not name on its page cannot be chosen either
        self.appointment_anne.show_on_intake = False
        _choice, errors = self.env["vp.case"]._vp_validate_counsellor_choice(
            self.organisation, str(self.appointment_anne.id)
        )
        self.assertTrue(errors)

    def test_phone_intake_choice(self):
        def phone_intake(appointment):
            return (
                self.env["vp.intake.wizard"]
                .with_user(self.coordinator)
                .create(
                    {
                        "organisation_id": self.organisation.id,
                        "postcode": "4811",
                        "employee_phone": "06-12121212",
                        "counsellor_choice": "named",
                        "chosen_appointment_id": appointment.id,
                    }
                )
            )

        # The wizard's details are sealed under a secret of the coordinator's browser:
        # the test stands in for it (wizards/vp_intake_wizard.py).
        with browser_secret(self.env(user=self.coordinator)):
            action = phone_intake(self.appointment_internal).action_register()
            case = self.env["vp.case"].browse(action["params"]["next"]["res_id"])
            self.assertEqual(case.counsellor_id, self.internal)
            foreign = self.env["vp.counsellor.appointment"].create(
                {"organisation_id": self.logistiek.id, "user_id": self.counsellor2.id, "kind": "external"}
            )
            wizard = phone_intake(foreign)
            with self.assertRaisesRegex(UserError, "not one of your organisation's counsellors"):
                wizard.action_register()

    def test_other_side_never_gets_the_same_counsellor(self):
        reporter = self.register(self.choice("internal"))
        self.assertEqual(reporter.counsellor_id, self.internal)
        accused = self.new_case(self.internal, side="accused")
        with self.assertRaisesRegex(ValidationError, "cannot support both"):
            self.env["vp.case.link"].create({"reporter_case_id": reporter.id, "accused_case_id": accused.id})
        # an unassigned accused side linked first: the choice of the same internal counsellor is escalated
        unassigned = self.env["vp.case"].create(
            {"organisation_id": self.organisation.id, "side": "accused", "region_id": self.region.id}
        )
        self.env["vp.case.link"].create({"reporter_case_id": reporter.id, "accused_case_id": unassigned.id})
        unassigned._vp_assign_by_choice(self.choice(str(self.appointment_internal.id)))
        self.assertFalse(unassigned.counsellor_id)


@tagged("post_install", "-at_install")
class TestConsultation(KindsCommon, TransactionCase):
    def ask(self, case=None, adviser=None, question=QUESTION):
        case = (case or self.internal_case).with_user(self.internal)
        case.write(
            {
                "consultation_ids": [
                    Command.create(
                        {
                            "organisation_id": case.organisation_id.id,
                            "adviser_id": (adviser or self.counsellor).id,
                            "question": question,
                        }
                    )
                ]
            }
        )
        return case.consultation_ids[-1:]

    def test_adviser_reads_question_never_the_case(self):
        consultation = self.ask()
        self.assertEqual(consultation.state, "asked")
        as_adviser = consultation.with_user(self.counsellor)
        self.assertEqual(as_adviser.question, QUESTION)
        as_adviser.answer = "Begin met luisteren; vraag wat zij wil bereiken."
        self.assertEqual(consultation.with_user(self.internal).answer[:13], "Begin met lui")
        self.assertEqual(consultation.state, "answered")
        # nothing of the consultation leads to a case
        relational = [f for f in consultation._fields.values() if f.type in ("many2one", "one2many", "many2many")]
        self.assertFalse([f.name for f in relational if f.comodel_name == "vp.case"])
        self.assertFalse(
            self.env["vp.case"].with_user(self.counsellor).search([("consultation_ids", "in", consultation.ids)])
        )
        with self.assertRaises(AccessError):
            self.internal_case.with_user(self.counsellor).read(["name"])
        # the adviser cannot link it to a case of her own to learn more
        with self.assertRaisesRegex(ValidationError, "linked by the counsellor who asked it"):
            self.case.with_user(self.counsellor).write({"consultation_ids": [Command.link(consultation.id)]})

    def _key_grants(self, consultation):
        return (
            self.env["vp.record.grant"]
            .sudo()
            .search([("res_model", "=", "vp.consultation"), ("res_id", "=", consultation.id)])
        )

    def test_nobody_else_reads_a_consultation(self):
        consultation = self.ask()
        for user in (self.hr, self.admin, self.coordinator, self.counsellor2, self.manager):
            with self.assertRaises(AccessError):
                consultation.with_user(user).read(["question"])
            with self.assertRaises(AccessError):
                consultation.with_user(user).sudo().question  # noqa: B018
        stored = consultation.sudo().read(["question_ciphertext"])[0]
        self.assertNotIn("buitengesloten", str(stored))
        # Its key in the one key store: sealed for its two readers only, no recovery
        # key, never wrapped under the master key.
        grants = self._key_grants(consultation)
        self.assertEqual(grants.user_id, self.internal | self.counsellor)
        self.assertTrue(all(grants.mapped("token")))
        self.assertFalse(grants.organisation_id)
        self.assertFalse(
            self.env["vp.record.key"]
            .sudo()
            .search([("res_model", "=", "vp.consultation"), ("res_id", "=", consultation.id)])
        )
        # sealed for its readers: without the adviser's own unlocked vault, locked
        with _Locked(), self.assertRaises(vault_session.VaultLocked):
            consultation.with_user(self.counsellor).with_env(self.env(user=self.counsellor)).question  # noqa: B018

    def test_rules_of_asking_and_answering(self):
        with self.assertRaisesRegex(UserError, "than yourself"):
            self.ask(adviser=self.internal)
        with self.assertRaisesRegex(UserError, "not an external counsellor"):
            self.ask(adviser=self.new_counsellor("Elders VP"))
        consultation = self.ask()
        with self.assertRaisesRegex(UserError, "Only the adviser answers"):
            consultation.with_user(self.internal).answer = "zelf"
        with self.assertRaisesRegex(UserError, "Only the counsellor who asks"):
            consultation.with_user(self.counsellor).question = "anders"
        with self.assertRaises(AccessError):
            self.env["vp.consultation"].with_user(self.counsellor2).create(
                {
                    "organisation_id": self.organisation.id,
                    "asker_id": self.internal.id,
                    "adviser_id": self.counsellor.id,
                }
            )
        with self.assertRaises(UserError):
            consultation.with_user(self.internal).write({"adviser_id": self.counsellor2.id})

    def test_shredding_the_case_destroys_its_consultations(self):
        consultation = self.ask()
        self.internal_case.sudo()._vp_shred()
        stored = consultation.sudo().read(["question_ciphertext", "asked_on"])[0]
        self.assertFalse(stored["question_ciphertext"] or self._key_grants(consultation))
        self.assertTrue(stored["asked_on"])  # still counted in the annual report
        self.assertFalse(consultation.with_user(self.counsellor).question)

    def test_adviser_never_holds_the_other_side(self):
        accused = self.new_case(self.counsellor, side="accused")
        self.env["vp.case.link"].create({"reporter_case_id": self.internal_case.id, "accused_case_id": accused.id})
        with self.assertRaisesRegex(ValidationError, "neither this case nor the other side"):
            self.ask(adviser=self.counsellor)


@tagged("post_install", "-at_install")
class TestKindsInReportAndInvoices(KindsCommon, TransactionCase):
    YEAR = 2025

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cases = cls.env["vp.case"].create(
            [
                {
                    "organisation_id": cls.organisation.id,
                    "request_date": f"{cls.YEAR}-03-01 10:00:00",
                    "counsellor_id": (cls.internal if index < 6 else cls.counsellor).id,
                }
                for index in range(14)
            ]
        )
        cls.report_cases = cases

    def figures(self, year=None):
        report = (
            self.env["vp.annual.report"]
            .with_user(self.manager)
            .create({"organisation_id": self.organisation.id, "year": year or self.YEAR})
        )
        return report._vp_figures()

    def row(self, figures, key):
        return next(line for line in figures["counsellor_kinds"]["rows"] if line["key"] == key)

    def test_report_counts_both_kinds_together_and_apart(self):
        self.env["vp.consultation"].create(
            {"organisation_id": self.organisation.id, "asker_id": self.internal.id, "adviser_id": self.counsellor.id}
        ).write({"asked_on": f"{self.YEAR}-04-01 10:00:00"})
        figures = self.figures()
        table = next(t for t in figures["tables"] if t["code"] == "requests")
        requests = next(line for line in table["rows"] if line["key"] == "requests")["values"][0]["value"]
        internal = self.row(figures, "counsellor_kind:internal")["values"][0]["value"]
        external = self.row(figures, "counsellor_kind:external")["values"][0]["value"]
        unassigned = self.row(figures, "counsellor_kind:none")["values"][0]["value"]
        self.assertEqual(internal, 6)
        self.assertEqual(internal + external + unassigned, requests)
        self.assertEqual(figures["counsellor_kinds"]["consultations"]["values"][0], 1)
        # reproducible: recounted from the cases themselves
        year_cases = self.env["vp.case"].search(
            [
                ("organisation_id", "=", self.organisation.id),
                ("request_date", ">=", "2024-12-31 23:00:00"),
                ("request_date", "<", "2025-12-31 23:00:00"),
            ]
        )
        self.assertEqual(internal, len(year_cases.filtered(lambda case: case.counsellor_kind == "internal")))

    def test_kind_follows_the_appointment(self):
        """Making the internal counsellor external (or archiving the appointment)
        counts her cases as external's, and appointing her again as internal's."""
        self.assertEqual(self.row(self.figures(), "counsellor_kind:internal")["values"][0]["value"], 6)
        report = (
            self.env["vp.annual.report"]
            .with_user(self.manager)
            .create({"organisation_id": self.organisation.id, "year": self.YEAR})
        )

        def counted():
            self.env.flush_all()
            return report._vp_count_cases((self.YEAR,))[0][self.YEAR]

        self.appointment_internal.kind = "external"
        # nobody internal: the split is not printed (the zero rule), the counts moved
        counts = counted()
        self.assertEqual(counts.get("counsellor_kind:internal", 0), 0)
        self.assertEqual(counts["counsellor_kind:external"], counts["requests"] - counts.get("counsellor_kind:none", 0))
        self.appointment_internal.write({"kind": "internal", "active": False})
        self.assertEqual(counted().get("counsellor_kind:internal", 0), 0)
        self.appointment_internal.active = True
        self.assertEqual(counted()["counsellor_kind:internal"], 6)
        self.assertEqual(self.row(self.figures(), "counsellor_kind:internal")["values"][0]["value"], 6)

    def test_split_hidden_when_a_kind_is_small(self):
        self.report_cases[:3].sudo().write({"counsellor_id": self.counsellor.id})  # 3 internal left
        figures = self.figures()
        for key in ("internal", "external", "none"):
            cell = self.row(figures, f"counsellor_kind:{key}")["values"][0]
            self.assertIsNone(cell["value"])
            self.assertEqual(cell["display"], "x")

    def test_only_external_hours_are_invoiced(self):
        month = date(2026, 10, 1)
        Line = self.env["account.analytic.line"]
        external = Line.with_user(self.counsellor).create(
            {"vp_case_id": self.case.id, "vp_time_type": "meeting", "unit_amount": 2.0, "date": month.replace(day=6)}
        )
        internal = Line.with_user(self.internal).create(
            {
                "vp_case_id": self.internal_case.id,
                "vp_time_type": "meeting",
                "unit_amount": 3.0,
                "date": month.replace(day=7),
            }
        )
        self.assertEqual(internal.vp_counsellor_kind, "internal")
        self.assertEqual(external.vp_counsellor_kind, "external")
        with self.assertRaises(UserError):
            internal.with_user(self.internal).write({"vp_counsellor_kind": "external"})
        engagement = self.env.ref("vertrouwenspersoon.engagement_zorggroep").with_user(self.accountant)
        invoice = engagement._vp_invoice_month(month)
        self.assertEqual(sum(invoice.invoice_line_ids.filtered("vp_time_type").mapped("quantity")), 2.0)
        self.assertEqual(sum(row["hours"] for row in invoice._vp_specification_rows()), 2.0)
        self.assertEqual(internal.vp_invoice_id, self.env["account.move"])
        self.assertEqual(external.vp_invoice_id, invoice)
        self.assertNotIn(internal, Line.sudo().search([("vp_invoice_id", "=", invoice.id)]))
        self.assertIn(internal, Line.sudo().search([("vp_invoice_id", "=", False), ("id", "=", internal.id)]))
        hours = self.env["vp.engagement.hours"].with_user(self.accountant).search([("month", "=", month)])
        self.assertEqual(sum(hours.mapped("hours")), 2.0)
        # the month is closed for the invoiced hours, not for the internal counsellor's
        Line.with_user(self.internal).create(
            {
                "vp_case_id": self.internal_case.id,
                "vp_time_type": "contact",
                "unit_amount": 0.5,
                "date": month.replace(day=20),
            }
        )
        with self.assertRaisesRegex(UserError, "already invoiced"):
            Line.with_user(self.counsellor).create(
                {
                    "vp_case_id": self.case.id,
                    "vp_time_type": "contact",
                    "unit_amount": 0.5,
                    "date": month.replace(day=20),
                }
            )

    def test_internal_hours_in_the_report(self):
        Line = self.env["account.analytic.line"]
        Line.with_user(self.internal).create(
            {"vp_case_id": self.internal_case.id, "vp_time_type": "meeting", "unit_amount": 3.0, "date": "2025-05-06"}
        )
        work = self.env["vp.annual.report"].new({"organisation_id": self.organisation.id, "year": self.YEAR})
        hours = work._vp_count_work((self.YEAR, self.YEAR - 1))["hours"][self.YEAR]
        self.assertEqual(hours["meeting"]["hours"], 3.0)


@tagged("post_install", "-at_install")
class TestIntakePageChoice(PublicPagesMixin, KindsCommon, HttpCase):
    def _tokens(self, url=URL):
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', response.text).group(1)
        submission = re.search(r'name="submission" value="([^"]+)"', response.text).group(1)
        return response, csrf, submission

    def test_named_counsellors_of_the_code_only(self):
        response, _csrf, _submission = self._tokens(f"{URL}?code=LINDE")
        self.assertIn("Ilse Kramer", response.text)
        self.assertIn("interne vertrouwenspersoon", response.text)  # her own introduction
        self.assertIn(f'value="{self.appointment_internal.id}"', response.text)
        self.assertNotIn("ilse.kramer@example.com", response.text)
        for url in (f"{URL}?code=VANDAM", f"{URL}?code=NOPE", URL):
            response, _csrf, _submission = self._tokens(url)
            self.assertNotIn("Ilse Kramer", response.text)
            self.assertIn('value="internal"', response.text)  # every code gets the general choices

    def test_foreign_counsellor_in_post_is_refused(self):
        foreign = self.env["vp.counsellor.appointment"].create(
            {"organisation_id": self.logistiek.id, "user_id": self.counsellor2.id, "kind": "external"}
        )
        before = self.env["vp.case"].search_count([("intake_channel", "=", "web")])
        _response, csrf, submission = self._tokens()
        response = self.url_open(
            URL,
            data={
                "csrf_token": csrf,
                "submission": submission,
                "organisation_code": "LINDE",
                "postcode": "4811",
                "preferred_channel": "phone",
                "employee_phone": "06-12345678",
                "counsellor_choice": str(foreign.id),
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn(
            translate(
                "The counsellor you chose is not one of your organisation's counsellors. Choose again from the "
                "list, or leave the choice to us.",
                "nl_NL",
            ).split(".")[0],
            response.text.replace("&#39;", "'"),
        )
        self.assertEqual(self.env["vp.case"].search_count([("intake_channel", "=", "web")]), before)

    def test_browser_chooses_the_internal_counsellor(self):
        before = self.env["vp.case"].search([("intake_channel", "=", "web")])
        self.start_tour(f"{URL}?code=LINDE", "vp_intake_choice_tour", timeout=180)
        case = self.env["vp.case"].search([("intake_channel", "=", "web")]) - before
        self.assertEqual(len(case), 1)
        self.assertEqual(case.counsellor_id, self.internal)
        self.assertEqual(case.with_user(self.internal).employee_phone, "06-55554444")
