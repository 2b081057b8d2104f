"""Retention by crypto-shredding, legal holds, the employee's data export and
the processing record (AVG/GDPR)."""

import base64
import io
import re
import zipfile
from datetime import timedelta

import pytz
from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import TransactionCase, tagged
from odoo.tools.misc import format_date

from .common import VpCaseCommon


@tagged("post_install", "-at_install")
class TestShredding(VpCaseCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = fields.Date.context_today(cls.env["vp.case"])
        # Demo cases keep their content during these tests; only the test organisation's cases expire.
        cls.env["vp.organisation"].search([]).retention_months = 1200
        cls.organisation = cls.env["vp.organisation"].create(
            {"name": "Testorganisatie", "code": "TESTORG", "retention_months": 12}
        )
        cls.unit = cls.env["vp.business.unit"].create({"name": "Afdeling", "organisation_id": cls.organisation.id})

    def _closed_case(self, extra_days=0, **values):
        close = self.today - relativedelta(months=12) + timedelta(days=extra_days)
        request = fields.Datetime.to_datetime(close - timedelta(days=40)).replace(hour=9, minute=30)
        case = self.new_case(
            self.counsellor,
            request_date=request,
            first_contact_date=request + timedelta(hours=30),
            close_date=close,
            state="closed",
            route_ids=[(6, 0, [self.env.ref("vertrouwenspersoon.route_mediation").id])],
            **values,
        )
        self.env["vp.case.meeting"].with_user(self.counsellor).create(
            {
                "case_id": case.id,
                "place": "Bij melder thuis",
                "duration": 1.5,
                "meeting_date": request + timedelta(days=2),
            }
        )
        self.env["vp.case.document"].with_user(self.counsellor).create(
            {"case_id": case.id, "name": "brief.txt", "data": base64.b64encode(b"Brief van melder")}
        )
        return case

    def _figures(self, cases):
        """What the annual report and invoicing read: anonymous counts and sums."""
        # Months on the Dutch calendar, as the annual report counts them.
        Case = self.env["vp.case"].sudo().with_context(tz="Europe/Amsterdam")
        domain = [("id", "in", cases.ids)]
        return (
            Case._read_group(domain, ["side", "request_date:month", "business_unit_id"], ["__count"]),
            Case._read_group(domain, ["behaviour_kind_ids", "route_ids"], ["__count"]),
            Case._read_group(domain, [], ["first_contact_hours:sum", "duration_days:sum"]),
            self.env["vp.case.meeting"]
            .sudo()
            .with_context(tz="Europe/Amsterdam")
            ._read_group([("case_id", "in", cases.ids)], ["channel", "meeting_date:month"], ["duration:sum"]),
        )

    def test_boundary_day(self):
        due = self._closed_case()
        not_yet = self._closed_case(extra_days=1)
        self.assertEqual(due.shred_due_date, self.today)
        self.env["vp.case"]._cron_shred_expired_cases()
        self.assertTrue(due.shredded_on)
        self.assertFalse(not_yet.shredded_on)

    def test_shredding_destroys_content_and_keeps_figures(self):
        cases = self._closed_case() | self._closed_case()
        before = self._figures(cases)
        document_attachments = (
            self.env["ir.attachment"]
            .sudo()
            .search(
                [
                    ("res_model", "=", "vp.case.document"),
                    ("res_field", "=", "data_ciphertext"),
                    ("res_id", "in", cases.document_ids.ids),
                ]
            )
        )
        self.assertTrue(document_attachments)
        self.env["vp.case"]._cron_shred_expired_cases()
        self.env.flush_all()
        self.assertFalse(
            self.env["vp.record.key"].sudo().search([("res_model", "=", "vp.case"), ("res_id", "in", cases.ids)])
        )
        self.env.cr.execute(
            "SELECT notes_ciphertext, intake_message_ciphertext, employee_name_ciphertext, employee_email_ciphertext, "
            "postcode FROM vp_case WHERE id IN %s",
            (tuple(cases.ids),),
        )
        self.assertEqual(set(self.env.cr.fetchall()), {(None, None, None, None, None)})
        self.assertFalse(document_attachments.exists())
        self.assertFalse(cases.document_ids)
        self.env.invalidate_all()
        self.assertFalse(cases[0].with_user(self.counsellor).notes)
        local_request = pytz.utc.localize(cases[0].request_date).astimezone(pytz.timezone("Europe/Amsterdam"))
        self.assertEqual((local_request.day, local_request.hour, local_request.minute), (1, 0, 0))
        self.assertEqual(self._figures(cases), before, "reports must give the same numbers after shredding")

    def test_timesheet_notes_go_hours_stay(self):
        case = self._closed_case()
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE account_analytic_line SET vp_case_id = %s "
            "WHERE id = (SELECT id FROM account_analytic_line WHERE vp_time_type IS NOT NULL LIMIT 1) "
            "RETURNING id, unit_amount",
            (case.id,),
        )
        line_id, hours = self.env.cr.fetchone()
        # A note under the case's key, and one of a line that was logged without a case
        # (its own key): both go with the case's hours.
        self.env.cr.execute("DELETE FROM vp_timesheet_note WHERE line_id = %s", (line_id,))
        self.env.cr.execute(
            "INSERT INTO vp_timesheet_note (line_id, case_id, note_sealed) VALUES (%s, %s, %s)",
            (line_id, case.id, "sealed: Gesprek met Jolanda"),
        )
        self.env.cr.execute(
            "UPDATE account_analytic_line SET vp_case_id = %s "
            "WHERE id = (SELECT id FROM account_analytic_line WHERE vp_time_type IS NOT NULL AND id != %s LIMIT 1) "
            "RETURNING id",
            (case.id, line_id),
        )
        other_id = self.env.cr.fetchone()[0]
        self.env.cr.execute("DELETE FROM vp_timesheet_note WHERE line_id = %s", (other_id,))
        self.env.cr.execute(
            "INSERT INTO vp_timesheet_note (line_id, note_sealed) VALUES (%s, 'sealed: Tweede gesprek')", (other_id,)
        )
        self.env.invalidate_all()
        self.env["vp.case"]._cron_shred_expired_cases()
        self.env.cr.execute("SELECT unit_amount, vp_case_id FROM account_analytic_line WHERE id = %s", (line_id,))
        self.assertEqual(self.env.cr.fetchone(), (hours, case.id))
        self.env.cr.execute("SELECT count(*) FROM vp_timesheet_note WHERE line_id IN %s", ((line_id, other_id),))
        self.assertEqual(self.env.cr.fetchone(), (0,), "the notes go with the case")

    def test_audit_keeps_that_a_shred_happened(self):
        case = self._closed_case()
        self.env["vp.case"]._cron_shred_expired_cases()
        line = self.env["vp.audit.log"].sudo().search([("case_id", "=", case.id), ("action", "=", "shred")])
        self.assertEqual(len(line), 1)
        self.env.cr.execute("SELECT row_to_json(l)::text FROM vp_audit_log l WHERE id = %s", (line.id,))
        row = self.env.cr.fetchone()[0]
        for plain in (self.NOTES, self.NAME, self.EMAIL, "Bij melder thuis", "brief.txt"):
            self.assertNotIn(plain, row)

    def test_legal_hold_stops_shredding_until_lifted(self):
        case = self._closed_case()
        self.env["vp.legal.hold"].with_user(self.counsellor).create({"case_id": case.id, "reason": "complaint"})
        self.assertTrue(case.on_legal_hold)
        self.env["vp.case"]._cron_shred_expired_cases()
        self.assertFalse(case.shredded_on)
        with self.assertRaisesRegex(UserError, "legal hold"):
            case.with_user(self.counsellor)._vp_erase_on_request()
        hold = case.legal_hold_ids
        self.assertEqual(hold.placed_by_id, self.counsellor)
        with self.assertRaises(UserError):
            hold.with_user(self.counsellor).action_lift("  ")
        with self.assertRaises(UserError):
            hold.with_user(self.counsellor).write({"reason": "court"})
        hold.with_user(self.counsellor).action_lift("Klachtenprocedure afgerond")
        self.assertEqual((hold.lifted_by_id, hold.lift_reason), (self.counsellor, "Klachtenprocedure afgerond"))
        self.assertFalse(case.on_legal_hold)
        self.env["vp.case"]._cron_shred_expired_cases()
        self.assertTrue(case.shredded_on)

    def test_rerun_after_interrupted_batch(self):
        cases = self._closed_case() | self._closed_case() | self._closed_case()
        Case = self.env["vp.case"]
        # A batch interrupted halfway rolls back entirely: nothing half-shredded.
        with self.assertRaises(RuntimeError), self.env.cr.savepoint():
            Case._vp_cases_due_for_shredding(limit=2)._vp_shred()
            raise RuntimeError("worker killed")
        self.env.invalidate_all()
        self.assertFalse(any(cases.mapped("shredded_on")))
        case_domain = [("res_model", "=", "vp.case"), ("res_id", "in", cases.ids)]
        keys = set(self.env["vp.record.key"].sudo().search(case_domain).mapped("res_id"))
        keys |= set(self.env["vp.record.grant"].sudo().search(case_domain).mapped("res_id"))
        self.assertEqual(len(keys), 3)
        self.assertEqual(Case._cron_shred_expired_cases(batch_size=2), 2)
        self.assertEqual(Case._cron_shred_expired_cases(batch_size=2), 1)
        self.assertEqual(Case._cron_shred_expired_cases(batch_size=2), 0)
        self.assertTrue(all(cases.mapped("shredded_on")))

    def test_early_erasure_on_request(self):
        case = self.new_case(self.counsellor)
        with self.assertRaises(AccessError):
            case.with_user(self.counsellor2)._vp_erase_on_request()
        case.with_user(self.counsellor)._vp_erase_on_request()
        self.assertTrue(case.shredded_on)
        self.assertFalse(
            self.env["vp.record.key"].sudo().search([("res_model", "=", "vp.case"), ("res_id", "=", case.id)])
        )


@tagged("post_install", "-at_install")
class TestEmployeeExport(VpCaseCommon, TransactionCase):
    def test_export_holds_everything_of_that_employee_and_nothing_else(self):
        second = self.new_case(self.counsellor, notes="Tweede melding van dezelfde medewerker")
        other = self.new_case(
            self.counsellor,
            employee_name="Karel Anders",
            employee_email="karel@example.nl",
            notes="Over iemand anders",
        )
        self.env["vp.case.meeting"].with_user(self.counsellor).create(
            {"case_id": self.case.id, "place": "Koffiehuis De Markt", "channel": "in_person"}
        )
        self.env["vp.case.document"].with_user(self.counsellor).create(
            {"case_id": second.id, "name": "verslag.txt", "data": base64.b64encode(b"Inhoud van het verslag")}
        )
        consent = self.new_consent("Korte samenvatting", given_how="email")
        notice_vals = self.env["vp.notice"]._prepare_from_case(self.case.with_user(self.counsellor), consent)
        self.env["vp.notice"].with_user(self.counsellor).create(notice_vals)
        # the messages with the reporter in the inbox are the employee's data too
        self.env["vp.case.receipt"].with_user(self.counsellor)._vp_create_for_case(
            self.case.with_user(self.counsellor), "ZZZZ-YYYY-XXXX-WWWW-VVVV"
        )
        self.env["vp.case.message"].with_user(self.counsellor).create(
            {"case_id": self.case.id, "body": "Bericht aan de melder in de inbox"}
        )
        wizard = self.env["vp.gdpr.export"].with_user(self.counsellor).create({"case_id": self.case.id})
        self.assertEqual(wizard.matched_case_ids, self.case | second)
        name, payload = wizard._vp_build_zip()
        self.assertTrue(name.endswith(".zip"))
        archive = zipfile.ZipFile(io.BytesIO(payload))
        text = "\n".join(archive.read(member).decode() for member in archive.namelist())
        expected = (
            self.NOTES,
            self.NAME,
            self.EMAIL,
            self.PHONE,
            "Tweede melding",
            "Koffiehuis De Markt",
            "Korte samenvatting",
            self.case.name,
            second.name,
            "Inhoud van het verslag",
            "Bericht aan de melder in de inbox",
        )
        for value in expected:
            self.assertIn(value, text)
        for unexpected in ("Karel Anders", "karel@example.nl", "Over iemand anders", other.name):
            self.assertNotIn(unexpected, text + " ".join(archive.namelist()))
        logged = self.env["vp.audit.log"].sudo().search([("action", "=", "export")])
        self.assertEqual(logged.case_id, self.case | second)

    def test_export_only_by_the_counsellor(self):
        with self.assertRaises(AccessError):
            self.env["vp.gdpr.export"].with_user(self.counsellor2).create({"case_id": self.case.id})
        with self.assertRaises(AccessError):
            self.env["vp.gdpr.export"].with_user(self.hr).create({"case_id": self.case.id})


@tagged("post_install", "-at_install")
class TestProcessingRecord(VpCaseCommon, TransactionCase):
    def test_generated_from_configuration(self):
        self.organisation.retention_months = 18
        html, _type = (
            self.env["ir.actions.report"]
            .with_user(self.coordinator)
            ._render_qweb_html("vertrouwenspersoon.vp_processing_record_report", self.organisation.ids)
        )
        html = html.decode()
        self.assertIn("18", html)
        for user in (self.counsellor, self.coordinator, self.hr):
            self.assertIn(user.name, html)
        self.assertNotIn(self.NAME, html)

    def _render(self, lang="en_US"):
        """The record as text, its tags stripped and its white space collapsed."""
        report = self.env["ir.actions.report"].with_user(self.coordinator).with_context(lang=lang)
        html, _type = report._render_qweb_html("vertrouwenspersoon.vp_processing_record_report", self.organisation.ids)
        return " ".join(re.sub(r"<[^>]+>", " ", html.decode()).split()).replace(" .", ".")

    def test_items_of_avg_article_30(self):
        """The controller and its contact details (from the company),
        the legal basis per purpose, the data subjects, the recipients, the retention
        terms from the configuration, and a date and version."""
        company = self.env.company
        company.write(
            {"email": "privacy@praktijk.example.nl", "phone": "050 765 43 21", "company_registry": "87654321"}
        )
        self.organisation.retention_months = 19
        text = self._render()
        self.assertIn("Controller", text)
        for value in (company.name, company.street, company.city, company.email, company.phone, "87654321"):
            self.assertIn(value, text)
        # One legal basis per purpose.
        self.assertIn("Purposes and legal basis", text)
        for basis in ("art. 6(1)(c)", "art. 6(1)(a)", "art. 6(1)(f)", "art. 6(1)(b)"):
            self.assertIn(basis, text)
        self.assertIn("Categories of data subjects", text)
        self.assertIn("Persons the employee's account concerns", text)
        self.assertIn("Categories of recipients", text)
        self.assertIn("accounts payable", text)
        # Retention terms as configured: the organisation's period, the intake page's
        # window plus the interval of the job that forgets.
        self.assertIn("Destroyed 19 months after closing", text)
        self.assertIn("At most 2 hours", text)
        self.env.ref("vertrouwenspersoon.ir_cron_vp_intake_throttle").interval_number = 3
        self.assertIn("At most 4 hours", self._render())
        # Dated and versioned: a logged change of a setting makes a new version.
        version = self.organisation._vp_processing_record_version()
        self.assertIn(f"Version: {version['version']} (settings last changed on", text)
        self.organisation.with_user(self.coordinator).retention_months = 20
        self.assertEqual(self.organisation._vp_processing_record_version()["version"], version["version"] + 1)
        today = fields.Date.context_today(self.organisation)
        self.assertIn(f"date of this record: {format_date(self.env, today, lang_code='en_US')}", text)
        # In Dutch, the same items from the same data.
        dutch = self._render("nl_NL")
        self.assertIn("20", dutch)
        self.assertIn(company.email, dutch)
