"""Confidentiality hardening of the reports and routes: who prints which report
over /report/*, whose annual reports management reads, and side-effect-free GET
routes."""

import re
from datetime import date, datetime, timedelta

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, TransactionCase, tagged

from .common import VpCaseCommon, unlock_session
from .test_annual_report import PREVIOUS, YEAR, AnnualReportCommon


@tagged("post_install", "-at_install")
class TestManagementNamed(TransactionCase):
    """An organisation that names no management is no management user's."""

    def test_unnamed_organisation_is_nobodys_in_management(self):
        manager = self.env.ref("vertrouwenspersoon.user_vp_manager")
        counsellor = self.env.ref("vertrouwenspersoon.user_vp_counsellor")
        organisation = self.env["vp.organisation"].create(
            {"name": "Andere klant", "code": "ANDERE", "counsellor_ids": [(6, 0, counsellor.ids)]}
        )
        report = (
            self.env["vp.annual.report"]
            .with_user(counsellor)
            .create({"organisation_id": organisation.id, "year": 2010})
        )
        self.assertFalse(self.env["vp.organisation"].with_user(manager).search([("id", "=", organisation.id)]))
        with self.assertRaises(AccessError):
            report.with_user(manager).read(["figures_json"])
        with self.assertRaises(AccessError):
            self.env["vp.annual.report"].with_user(manager).create({"organisation_id": organisation.id, "year": 2010})
        wizard = self.env["vp.annual.report.wizard"].with_user(manager).new({})
        self.assertNotIn(organisation.id, wizard.allowed_organisation_ids.ids)
        # The demo manager is named by the demo organisations and prints their reports.
        linde = self.env.ref("vertrouwenspersoon.organisation_zorggroep")
        self.assertIn(manager, linde.manager_user_ids)
        self.assertIn(linde.id, wizard.allowed_organisation_ids.ids)


@tagged("post_install", "-at_install")
class TestAnnualReportPopulation(AnnualReportCommon, TransactionCase):
    """Minimum population, zeros, closed years, logged recomputation, work rows."""

    def test_fewer_than_k_requests_refused(self):
        """A unit with 9 requests in a year gets no report of its own (the whole organisation
        gets its one-page report); k cannot go below 10 and is logged."""
        self.make_cases([{"request": datetime(YEAR, 2, 1) + timedelta(days=i), "unit": self.unit_a} for i in range(9)])
        with self.assertRaisesRegex(UserError, "Afdeling A has fewer than 10 requests.*whole organisation"):
            self.print_report(self.manager, unit=self.unit_a)
        self.assertTrue(self.print_report(self.manager)._vp_figures()["small_year"])
        with self.assertRaises(ValidationError):
            self.org.with_user(self.coordinator).min_report_population = 9
        with self.assertRaises(AccessError):
            self.org.with_user(self.manager).min_report_population = 20
        self.org.with_user(self.coordinator).min_report_population = 12
        log = (
            self.env["vp.change.log"]
            .sudo()
            .search(
                [
                    ("res_model", "=", "vp.organisation"),
                    ("res_id", "=", self.org.id),
                    ("field_name", "=", "min_report_population"),
                ]
            )
        )
        self.assertEqual((log[:1].user_id, log[:1].new_value), (self.coordinator, "12"))
        self.make_cases(self.varied_specs(datetime(YEAR, 5, 1), self.unit_a)[:2])  # 11 requests: still below 12
        with self.assertRaisesRegex(UserError, "fewer than 12 requests"):
            self.print_report(self.counsellor, unit=self.unit_a)
        figures = self.print_report(self.counsellor)._vp_figures()
        self.assertTrue(figures["small_year"])
        self.assertIn("fewer than 12 employees", figures["small_year_text"])

    def test_unit_whose_complement_is_small_refused(self):
        """The organisation's report minus unit A's would isolate B's 4 requests."""
        self.make_cases(self.varied_specs(datetime(YEAR, 2, 1), self.unit_a))
        self.make_cases([{"request": datetime(YEAR, 9, 1) + timedelta(days=i), "unit": self.unit_b} for i in range(4)])
        self.print_report(self.manager)  # 19 requests: the organisation's report is fine
        with self.assertRaisesRegex(UserError, "outside Afdeling A"):
            self.print_report(self.manager, unit=self.unit_a)
        self.make_cases([{"request": datetime(YEAR, 10, 1) + timedelta(days=i), "unit": self.unit_b} for i in range(6)])
        self.print_report(self.manager, unit=self.unit_a)

    def test_previous_year_below_k_is_withheld(self):
        self.make_cases(self.varied_specs(datetime(YEAR, 2, 1), self.unit_a, self.unit_b))
        self.make_cases([{"request": datetime(PREVIOUS, 2, 1) + timedelta(days=i)} for i in range(3)])
        tree = self.render_html(self.print_report(self.manager), self.manager)
        self.assertEqual(self.html_row(tree, "requests", "requests"), ["Requests", "15", "-"])
        self.assertEqual(self.html_row(tree, "sides", "side:accused"), ["Accused party", "5", "-"])

    def test_zeros_that_reveal_are_hidden(self):
        """When everybody shares one row, its zeros would say so: they are hidden as '< 5',
        and the row holding everybody cannot be worked out from the total."""
        self.make_cases(self.varied_specs(datetime(YEAR, 2, 1), self.unit_a, self.unit_b))
        cases = self.env["vp.case"].sudo().search([("organisation_id", "=", self.org.id)])[:6]
        referrals = [
            {"case_id": case.id, "destination": "company_doctor", "referral_date": date(YEAR, 6, 1)} for case in cases
        ]
        self.env["vp.referral"].with_user(self.counsellor).create(referrals)
        tree = self.render_html(self.print_report(self.manager), self.manager)
        self.assertEqual(self.html_row(tree, "referrals", "referral:company_doctor"), ["Company doctor", "x", "0"])
        self.assertEqual(self.html_row(tree, "referrals", "referral:lawyer"), ["Lawyer", "< 5", "0"])
        self.assertEqual(self.html_row(tree, "referrals", "total:referrals"), ["Referrals", "6", "0"])
        # Where two rows hold 5 or more, a zero tells nobody anything and is shown.
        self.assertEqual(self.html_row(tree, "sides", "side:reporter"), ["Reporter", "10", "0"])
        self.assertEqual(self.html_row(tree, "kinds", f"kind:{self.kind['fraud'].id}"), ["Fraud", "5", "0"])

    def test_running_year_only_for_counsellors(self):
        """Management prints closed years only, and cannot read a counsellor's preview."""
        this_year = date.today().year
        self.make_cases(self.varied_specs(datetime(this_year, 1, 1, 10), self.unit_a, self.unit_b))
        with self.assertRaisesRegex(UserError, "once the year is over"):
            self.print_report(self.manager, year=this_year)
        preview = self.print_report(self.counsellor, year=this_year)
        self.assertIn("15", self.html_row(self.render_html(preview, self.counsellor), "requests", "requests"))
        self.assertFalse(self.env["vp.annual.report"].with_user(self.manager).search([("id", "=", preview.id)]))
        with self.assertRaises(AccessError):
            preview.with_user(self.manager).read(["figures_json"])

    def test_recomputation_is_logged(self):
        self.make_cases(self.varied_specs(datetime(YEAR, 2, 1), self.unit_a, self.unit_b))
        report = self.print_report(self.counsellor)
        report.with_user(self.manager).action_recompute()
        lines = (
            self.env["vp.change.log"]
            .sudo()
            .search(
                [
                    ("res_model", "=", "vp.annual.report"),
                    ("res_id", "=", report.id),
                    ("field_name", "=", "computation_count"),
                ]
            )
        )
        self.assertIn(self.manager, lines.user_id)
        self.assertIn(self.counsellor, lines.user_id)

    def test_hours_and_prevention_of_a_unit_are_suppressed(self):
        """Hours on 1 to 4 cases would tell the number behind a '< 5'; prevention
        sessions of a unit are hidden by the same rule, and then their total."""
        self.make_cases(self.varied_specs(datetime(YEAR, 2, 1), self.unit_a, self.unit_b))
        self.make_cases([{"request": datetime(YEAR, 9, 1) + timedelta(days=i), "unit": self.unit_b} for i in range(10)])
        report = self.print_report(self.manager, unit=self.unit_a)
        years = (YEAR, PREVIOUS)
        year_hours = {"intake": {"cases_capped": 2, "hours": 1.5}, "meeting": {"cases_capped": 5, "hours": 9.0}}
        work = {"hours": {YEAR: year_hours, PREVIOUS: {}}}
        hours = {row["label"]: row["values"] for row in report._vp_publish_hours(years, work["hours"], {PREVIOUS})}
        self.assertEqual(hours, {"Intake": ["< 5 cases", "-"], "Meeting": [9.0, "-"]})
        sessions = {YEAR: {"information": {"sessions": 2, "people": 30, "hours": 3.0},
                           "awareness": {"sessions": 6, "people": 60, "hours": 9.0}}, PREVIOUS: {}}  # fmt: skip
        prevention = report._vp_publish_prevention(years, sessions)
        rows = {row["label"]: row["values"][0] for row in prevention["rows"]}
        self.assertEqual(rows["Information session"]["sessions"], "< 5")
        self.assertEqual(rows["Awareness session"]["sessions"], 6)
        self.assertEqual(prevention["total"][0]["sessions"], "x")


@tagged("post_install", "-at_install")
class TestReportRoutes(VpCaseCommon, HttpCase):
    """/report/* renders the addon's reports only for the roles they are made for.
    The GDPR export's GET changes nothing; its POST needs the CSRF token."""

    def report_url(self, report_name, record_id):
        return f"/report/html/{report_name}/{record_id}"

    def test_processing_record_for_the_coordinator_only(self):
        organisation = self.env.ref("vertrouwenspersoon.organisation_zorggroep")
        url = self.report_url("vertrouwenspersoon.vp_processing_record_document", organisation.id)
        for login in ("vp_hr", "vp_manager", "vp_accountant", "vp_counsellor"):
            self.authenticate(login, login)
            response = self.url_open(url)
            self.assertNotEqual(response.status_code, 200, login)
            self.assertNotIn(b"Carla Smit", response.content, login)
        self.authenticate("vp_coordinator", "vp_coordinator")
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        self.assertIn(b"Carla Smit", response.content)  # the staff per role, printed for the coordinator

    def test_every_report_of_the_addon_checks_its_groups(self):
        reports = self.env["ir.actions.report"].search([("report_name", "=like", "vertrouwenspersoon.%")])
        self.assertGreaterEqual(len(reports), 3)
        hr = self.env.ref("vertrouwenspersoon.user_vp_hr")
        for report in reports:
            self.assertTrue(report.groups_id, report.report_name)
            with self.assertRaises(AccessError, msg=report.report_name):
                self.env["ir.actions.report"].with_user(hr)._render_qweb_html(report.report_name, [1])

    def test_gdpr_export_get_changes_nothing(self):
        case = self.new_case(self.counsellor)
        wizard = self.env["vp.gdpr.export"].with_user(self.counsellor).create({"case_id": case.id})
        url = f"/vertrouwenspersoon/gdpr-export/{wizard.id}"
        audit = self.env["vp.audit.log"].sudo()
        before = audit.search_count([("case_id", "=", case.id)])
        self.authenticate("vp_counsellor", "vp_counsellor")
        unlock_session(self, "counsellor")
        page = self.url_open(url)
        self.assertEqual(page.status_code, 200)
        self.assertNotIn(b"PK", page.content[:2])
        self.assertIn(b'method="post"', page.content)
        self.assertEqual(audit.search_count([("case_id", "=", case.id)]), before, "a GET decrypts nothing")
        forged = self.url_open(url, data={"csrf_token": "forged"})
        self.assertNotEqual(forged.status_code, 200)
        self.assertEqual(audit.search_count([("case_id", "=", case.id)]), before, "a forged POST decrypts nothing")
        token = re.search(rb'name="csrf_token" value="([^"]+)"', page.content).group(1).decode()
        download = self.url_open(url, data={"csrf_token": token})
        self.assertEqual(download.status_code, 200)
        self.assertEqual(download.content[:2], b"PK")
        self.assertGreater(audit.search_count([("case_id", "=", case.id)]), before)
