"""The annual report: every figure reproducible from known data (HTML, PDF via
pdftotext, XLSX via openpyxl), small-cell suppression that a recovery attempt
cannot undo, who may print, bad input, and a query count that does not grow
with the number of cases."""

import io
import itertools
import json
import subprocess
import tempfile
from datetime import date, datetime, timedelta
from unittest.mock import patch

import openpyxl
from lxml import html as lxml_html

from odoo import Command
from odoo.addons.base.models import ir_actions_report
from odoo.addons.vertrouwenspersoon.const import dutch_today
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, TransactionCase, tagged
from odoo.tools import config

from .common import VpCaseCommon, translate

YEAR = 2024
PREVIOUS = 2023
HTML_REPORT = "vertrouwenspersoon.vp_annual_report_action_report_html"
PDF_REPORT = "vertrouwenspersoon.vp_annual_report_action_report_pdf"


class AnnualReportCommon(VpCaseCommon):
    """A client organisation of its own, served by vp_counsellor only, so the
    demo data does not blur the counts."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env(context=dict(cls.env.context, lang="en_US"))
        cls.env = env
        cls.org = env["vp.organisation"].create(
            {
                "name": "Testorganisatie Jaarverslag",
                "code": "JVTEST",
                "counsellor_ids": [(6, 0, cls.counsellor.ids)],
                "manager_user_ids": [(6, 0, cls.manager.ids)],
            }
        )
        Unit = env["vp.business.unit"]
        cls.unit_a = Unit.create({"name": "Afdeling A", "organisation_id": cls.org.id})
        cls.unit_a1 = Unit.create({"name": "Team A1", "organisation_id": cls.org.id, "parent_id": cls.unit_a.id})
        cls.unit_b = Unit.create({"name": "Afdeling B", "organisation_id": cls.org.id})
        cls.noord = env.ref("vertrouwenspersoon.region_noord")
        cls.zuid = env.ref("vertrouwenspersoon.region_zuid")
        cls.kind = {
            code: env.ref(f"vertrouwenspersoon.behaviour_kind_{code}")
            for code in ("bullying", "work_pressure", "fraud")
        }
        cls.route = {
            code: env.ref(f"vertrouwenspersoon.route_{code}") for code in ("advice", "conversation", "complaint")
        }

    @classmethod
    def make_cases(cls, specs):
        """Create cases from short specs in one batch: no content, only what is counted."""
        vals_list = []
        for spec in specs:
            request = spec["request"]
            vals = {
                "organisation_id": cls.org.id,
                "counsellor_id": cls.counsellor.id,
                "request_date": request,
                "side": spec.get("side", "reporter"),
                "state": spec.get("state", "open"),
                "region_id": spec.get("region", cls.zuid).id,
                "business_unit_id": spec["unit"].id if spec.get("unit") else False,
                "behaviour_kind_ids": [(6, 0, [cls.kind[k].id for k in spec.get("kinds", ())])],
                "route_ids": [(6, 0, [cls.route[r].id for r in spec.get("routes", ())])],
            }
            if "contact_after" in spec:
                vals["first_contact_date"] = request + spec["contact_after"]
            if "closed_after" in spec:
                vals["close_date"] = request.date() + timedelta(days=spec["closed_after"])
            vals_list.append(vals)
        # As the system: states and dates are history here, which only the state buttons write.
        return cls.env["vp.case"].create(vals_list).with_user(cls.counsellor)

    @classmethod
    def varied_specs(cls, start, unit=None, other_unit=None):
        """15 requests from ``start``, in three groups of 5 that differ in every counted
        dimension, so that no table shows everybody in one row (suppression hides such tables)."""
        first = {"side": "reporter", "state": "open", "kinds": ("bullying",), "routes": ("advice",),
                 "region": cls.noord, "contact_after": timedelta(hours=20), "unit": unit}  # fmt: skip
        second = {"side": "accused", "state": "request", "kinds": ("fraud",), "region": cls.zuid,
                  "unit": other_unit or unit}  # fmt: skip
        third = {"state": "closed", "closed_after": 5, "kinds": ("work_pressure",), "routes": ("conversation",),
                 "region": cls.noord, "contact_after": timedelta(days=5), "unit": unit}  # fmt: skip
        return [
            {**spec, "request": start + timedelta(days=5 * group + i)}
            for group, spec in enumerate((first, second, third))
            for i in range(5)
        ]

    def print_report(self, user, year=YEAR, unit=None, observations=False):
        if observations and not user.has_group("vertrouwenspersoon.group_counsellor"):
            # Management writes no observations: the counsellor prepares them, its report carries them.
            self.print_report(self.counsellor, year, unit, observations)
        wizard = (
            self.env["vp.annual.report.wizard"]
            .with_user(user)
            .create(
                {
                    "organisation_id": self.org.id,
                    "year": year,
                    "business_unit_id": unit and unit.id,
                    "observations": observations,
                }
            )
        )
        return wizard._vp_create_report()

    def render_html(self, report, user):
        body = self.env["ir.actions.report"].with_user(user)._render_qweb_html(HTML_REPORT, report.ids)[0]
        return lxml_html.fromstring(body)

    @staticmethod
    def html_row(tree, table, key):
        rows = tree.xpath(f'//table[@data-table="{table}"]//tr[@data-key="{key}"]')
        assert len(rows) == 1, f"row {key} of {table}: {len(rows)} found"
        return [" ".join(td.text_content().split()) for td in rows[0].xpath("./td")]


@tagged("post_install", "-at_install")
class TestAnnualReportFigures(AnnualReportCommon, TransactionCase):
    """Known cases, every number checked. Counts are 0 or at least 5 so that
    nothing is suppressed here (suppression has tests of its own below)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        base = datetime(YEAR, 3, 4, 9, 0)

        def five(start, **spec):
            """Five requests alike, a day apart from ``start``."""
            return [{"request": start + timedelta(days=index), **spec} for index in range(5)]

        # 5 formal, closed after 10, 10, 20, 30, 40 days; unit A; bullying + fraud; contact within a day
        specs = [
            {
                "request": base + timedelta(days=index),
                "state": "closed",
                "closed_after": days,
                "unit": cls.unit_a,
                "kinds": ("bullying", "fraud"),
                "routes": ("conversation", "complaint"),
                "contact_after": timedelta(hours=20),
            }
            for index, days in enumerate((10, 10, 20, 30, 40))
        ]
        # 5 informal, open, unit A1 (counted under A); bullying; contact after 5 days; region Noord
        specs += five(
            base + timedelta(days=30),
            state="open",
            unit=cls.unit_a1,
            kinds=("bullying",),
            routes=("conversation",),
            region=cls.noord,
            contact_after=timedelta(days=5),
            side="reporter",
        )
        # 5 requests not taken on, accused side, unit B, work pressure, no route, no contact
        specs += five(
            base + timedelta(days=60), state="request", side="accused", unit=cls.unit_b, kinds=("work_pressure",)
        )
        # The previous year is published (at least 10 requests), and no table has everybody in one row:
        # 5 closed after 5 days, advice, unit B, bullying, Noord, contact within 48 hours;
        # 5 requests not taken on, accused side, unit A, work pressure, Zuid, no route, no contact;
        # 5 open, informal, unit B, bullying, Noord, contact after 5 days.
        specs += five(
            datetime(PREVIOUS, 6, 1, 10, 0),
            state="closed",
            closed_after=5,
            unit=cls.unit_b,
            kinds=("bullying",),
            routes=("advice",),
            region=cls.noord,
            contact_after=timedelta(hours=47),
        )
        specs += five(
            datetime(PREVIOUS, 7, 1, 10, 0), state="request", side="accused", unit=cls.unit_a, kinds=("work_pressure",)
        )
        specs += five(
            datetime(PREVIOUS, 8, 1, 10, 0),
            state="open",
            unit=cls.unit_b,
            kinds=("bullying",),
            routes=("conversation",),
            region=cls.noord,
            contact_after=timedelta(days=5),
        )
        # Noise that must not count: another organisation, and the year before the previous one.
        specs.append({"request": datetime(PREVIOUS - 1, 12, 31, 10, 0), "unit": cls.unit_b})
        cases = cls.make_cases(specs)
        cls.new_case(cls.counsellor, request_date=datetime(YEAR, 5, 5, 10, 0))  # another organisation
        Meeting = cls.env["vp.case.meeting"].with_user(cls.counsellor)
        Meeting.create(
            [
                {"case_id": cases[i].id, "meeting_date": datetime(YEAR, 4, 1, 10, 0), "channel": "in_person"}
                for i in range(5)
            ]
            + [
                {"case_id": cases[i].id, "meeting_date": datetime(YEAR, 5, 1, 10, 0), "channel": "phone"}
                for i in range(5)
            ]
            + [
                {"case_id": cases[15 + i].id, "meeting_date": datetime(PREVIOUS, 6, 2), "channel": "phone"}
                for i in range(5)
            ]
            + [
                {"case_id": cases[25 + i].id, "meeting_date": datetime(PREVIOUS, 8, 9), "channel": "in_person"}
                for i in range(5)
            ]
        )
        cls.env["vp.referral"].with_user(cls.counsellor).create(
            [
                {"case_id": cases[i].id, "destination": "company_doctor", "referral_date": date(YEAR, 4, 2)}
                for i in range(5)
            ]
            + [
                {"case_id": cases[5 + i].id, "destination": "mediator", "referral_date": date(YEAR, 5, 2)}
                for i in range(5)
            ]
        )
        signals = (
            cls.env["vp.signal"]
            .with_user(cls.counsellor)
            .create(
                [
                    {
                        "name": "Trend",
                        "body": "Werkdruk",
                        "organisation_id": cls.org.id,
                        "kind": "trend",
                        "signal_date": date(YEAR, 6, 1),
                    },
                    {
                        "name": "Trend",
                        "body": "Werkdruk",
                        "organisation_id": cls.org.id,
                        "kind": "trend",
                        "signal_date": date(YEAR, 7, 1),
                    },
                    {
                        "name": "Ernstig",
                        "body": "Ernstig",
                        "organisation_id": cls.org.id,
                        "kind": "serious",
                        "signal_date": date(YEAR, 8, 1),
                    },
                    {
                        "name": "Concept",
                        "body": "Concept",
                        "organisation_id": cls.org.id,
                        "kind": "serious",
                        "signal_date": date(YEAR, 9, 1),
                    },
                ]
            )
        )
        signals[:3].sudo().write({"state": "sent"})  # sudo: state is read-only in the form; the test sends them
        sessions = [
            ("information", date(YEAR, 2, 1), 30, 3, "held"),
            ("information", date(YEAR, 3, 1), 20, 2, "held"),
            ("awareness", date(YEAR, 4, 1), 15, 1.5, "held"),
            ("awareness", date(YEAR, 5, 1), 99, 9, "planned"),
        ]
        cls.env["vp.prevention.session"].with_user(cls.counsellor).create(
            [
                {
                    "name": "Voorlichting",
                    "organisation_id": cls.org.id,
                    "kind": kind,
                    "session_date": day,
                    "audience_size": audience,
                    "hours": hours,
                    "state": state,
                }
                for kind, day, audience, hours, state in sessions
            ]
        )

    # (table, row key, label, this year, previous year)
    EXPECTED = [
        ("requests", "requests", "Requests", "15", "15"),
        ("requests", "cases", "Cases (requests taken on)", "10", "10"),
        ("sides", "side:reporter", "Reporter", "10", "10"),
        ("sides", "side:accused", "Accused party", "5", "5"),
        ("routes", "route:4", "Formal route", "5", "0"),
        ("routes", "route:3", "Informal route", "5", "5"),
        ("routes", "route:1", "Listening and advice", "0", "5"),
        ("routes", "route:none", "No route (yet)", "5", "5"),
        ("outcomes", "state:request", "Not (yet) taken on", "5", "5"),
        ("outcomes", "state:open", "In progress", "5", "5"),
        ("outcomes", "state:closed", "Closed", "5", "5"),
        ("first_contact", "fc48:True", "Within 48 hours", "5", "5"),
        ("first_contact", "fc48:False", "Later, or not yet", "10", "10"),
        ("channels", "channel:in_person", "In person", "5", "5"),
        ("channels", "channel:phone", "Phone", "5", "5"),
        ("channels", "channel:video", "Video", "0", "0"),
        ("referrals", "referral:company_doctor", "Company doctor", "5", "0"),
        ("referrals", "referral:mediator", "Mediator", "5", "0"),
    ]

    def expected_rows(self):
        kind, unit, region = self.kind, (self.unit_a, self.unit_b), (self.zuid, self.noord)
        return [
            *self.EXPECTED,
            ("kinds", f"kind:{kind['bullying'].id}", "Bullying", "10", "10"),
            ("kinds", f"kind:{kind['work_pressure'].id}", "Work pressure", "5", "5"),
            ("kinds", f"kind:{kind['fraud'].id}", "Fraud", "5", "0"),
            ("units", f"unit:{unit[0].id}", "Afdeling A", "10", "5"),
            ("units", f"unit:{unit[1].id}", "Afdeling B", "5", "10"),
            ("units", "unit:none", "Not registered", "0", "0"),
            ("regions", f"region:{region[0].id}", "Zuid", "10", "5"),
            ("regions", f"region:{region[1].id}", "Noord", "5", "10"),
        ]

    def test_figures_in_html(self):
        report = self.print_report(self.manager, observations="Meer aandacht voor werkdruk in Afdeling B.")
        tree = self.render_html(report, self.manager)
        for table, key, label, this_year, previous in self.expected_rows():
            self.assertEqual(self.html_row(tree, table, key), [label, this_year, previous], f"{table} {key}")
        for table in ("sides", "routes", "outcomes", "units", "regions", "first_contact"):
            self.assertEqual(self.html_row(tree, table, "total:requests"), ["Requests", "15", "15"])
        self.assertEqual(self.html_row(tree, "channels", "total:meetings"), ["Contacts", "10", "10"])
        self.assertEqual(self.html_row(tree, "first_contact_share", "share"), [
            "Share of requests with first contact within 48 hours", "33%", "33%"])  # fmt: skip
        self.assertEqual(self.html_row(tree, "duration", "median"), ["Median", "20.0", "5.0"])
        self.assertEqual(self.html_row(tree, "duration", "average"), ["Average", "22.0", "5.0"])
        self.assertEqual(self.html_row(tree, "signals", "total"), ["Signals", "3", "0"])
        self.assertEqual(self.html_row(tree, "prevention", "total"), ["Total", "3", "65", "6.5", "0", "0", "0.0"])
        self.assertIn("Meer aandacht voor werkdruk in Afdeling B.", tree.text_content())
        self.assertEqual(
            len(tree.xpath('//div[hasclass("o_vp_chart")]//img[starts-with(@src, "data:image/svg+xml")]')), 2
        )
        # No name of a person anywhere: not the demo employee of the other case, not the manager;
        # the counsellors are named on the first page as the authors, nowhere else.
        text = tree.text_content()
        for name in (self.NAME, self.manager.name):
            self.assertNotIn(name, text)
        cover = "".join(node.text_content() for node in tree.xpath('//*[hasclass("o_vp_counsellors")]'))
        self.assertEqual(text.count(self.counsellor.name), cover.count(self.counsellor.name))

    def test_figures_in_pdf(self):
        # wkhtmltopdf loads the report's stylesheets from report.url: this test's own
        # server, never whatever else may answer on the default port.
        self.env["ir.config_parameter"].sudo().set_param("report.url", f"http://127.0.0.1:{config['http_port']}")
        report = self.print_report(self.counsellor)
        pdf = (
            self.env["ir.actions.report"]
            .with_user(self.counsellor)
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(PDF_REPORT, report.ids)[0]
        )
        self.assertTrue(pdf.startswith(b"%PDF"))
        with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
            handle.write(pdf)
            handle.flush()
            text = subprocess.run(
                ["pdftotext", "-layout", handle.name, "-"], check=True, capture_output=True, text=True
            ).stdout
        # wkhtmltopdf may set a row's last cell a hair lower, and pdftotext then puts it on the
        # next line: compare the words in reading order, not the lines.
        words = f" {' '.join(text.split())} "
        for _table, _key, label, this_year, previous in self.expected_rows():
            self.assertIn(f" {label} {this_year} {previous} ", words, f"{label} in the PDF")
        self.assertIn(" Median 20.0 5.0 ", words)
        self.assertIn(" Average 22.0 5.0 ", words)
        self.assertIn(" Signals 3 0 ", words)
        self.assertIn(" Total 3 65 6.5 0 0 0.0 ", words)

    def test_figures_in_xlsx(self):
        report = self.print_report(self.manager, observations="Advies: training voor leidinggevenden.")
        workbook = openpyxl.load_workbook(io.BytesIO(report.with_user(self.manager)._vp_render_xlsx()))
        sheet = workbook.worksheets[0]
        rows = [tuple(cell.value for cell in row[:3]) for row in sheet.iter_rows()]
        for _table, _key, label, this_year, previous in self.expected_rows():
            self.assertIn((label, int(this_year), int(previous)), rows)
        self.assertEqual(workbook.worksheets[1]["A2"].value, "Advies: training voor leidinggevenden.")

    def test_xlsx_holds_every_section_of_the_pdf(self):
        """Before: the workbook held only the main tables; the PDF's trend, key figures,
        duration, Wbk figures, requests by kind of counsellor, signals, prevention and
        hours were missing. Each is there now, with the cells the PDF prints."""
        report = self.print_report(self.manager).with_user(self.manager)
        figures = report._vp_figures()
        sheet = openpyxl.load_workbook(io.BytesIO(report._vp_render_xlsx())).worksheets[0]
        rows = [tuple(cell.value for cell in row) for row in sheet.iter_rows()]
        headings = {row[0] for row in rows}
        for heading in (
            translate(lang=report.env.lang, msgid="Trend over the years"),
            translate(lang=report.env.lang, msgid="Key figures"),
            translate(lang=report.env.lang, msgid="Duration of closed cases (days from request to closing)"),
            figures["wbk_follow_up"]["title"],
            figures["counsellor_kinds"]["title"],
            translate(lang=report.env.lang, msgid="Signals given"),
            translate(lang=report.env.lang, msgid="Prevention work"),
        ):
            self.assertIn(heading, headings)
        for block in (figures["wbk_follow_up"], figures["counsellor_kinds"]):
            for line in block["rows"]:
                cells = tuple(cell["display"] if cell["value"] is None else cell["value"] for cell in line["values"])
                self.assertIn((line["label"], *cells), [row[: 1 + len(cells)] for row in rows])
        trend = next(row for row in rows if row[0] == translate(lang=report.env.lang, msgid="Trend over the years"))
        self.assertEqual(trend[1 : 1 + len(figures["trend"])], tuple(str(year["year"]) for year in figures["trend"]))

    def test_figures_are_stored_and_reproducible(self):
        report = self.print_report(self.counsellor)
        stored = report.figures_json
        self.assertNotIn(self.counsellor.name, stored)
        report.with_user(self.counsellor).action_recompute()
        self.assertEqual(json.loads(report.figures_json), json.loads(stored))

    def test_same_figures_after_shredding(self):
        """Retention: shredding keeps exactly what the report counts."""
        report = self.print_report(self.counsellor)
        before = json.loads(report.figures_json)
        cases = self.env["vp.case"].sudo().search([("organisation_id", "=", self.org.id)])
        self.assertTrue(cases)
        cases._vp_shred()
        self.assertTrue(all(cases.mapped("shredded_on")))
        self.env.invalidate_all()
        report.with_user(self.counsellor).action_recompute()
        self.assertEqual(json.loads(report.figures_json), before)

    def test_business_unit_subtree(self):
        # A unit's report: the rest of the organisation needs at least 10 requests as well (B has 5 of its own).
        self.make_cases(
            [{"request": datetime(YEAR, 10, 1) + timedelta(hours=i), "unit": self.unit_b} for i in range(5)]
        )
        report = self.print_report(self.manager, unit=self.unit_a)
        tree = self.render_html(report, self.manager)
        # The previous year has 5 requests in Afdeling A: fewer than 10, so it is not published.
        # All 10 requests of Afdeling A come from reporters (a table with everybody in one row
        # hides its zeros and that row); the complementary cells reach the total of requests.
        self.assertEqual(self.html_row(tree, "requests", "requests"), ["Requests", "x", "-"])
        self.assertEqual(self.html_row(tree, "sides", "side:reporter"), ["Reporter", "x", "-"])
        self.assertEqual(self.html_row(tree, "sides", "side:accused"), ["Accused party", "< 5", "-"])
        self.assertEqual(self.html_row(tree, "units", f"unit:{self.unit_a.id}")[0], "Afdeling A itself")
        self.assertEqual(self.html_row(tree, "units", f"unit:{self.unit_a1.id}")[0], "Afdeling A / Team A1")
        # What the suppressed cells hide: the subtree's own counts.
        counts = report._vp_count_cases((YEAR, PREVIOUS))[0]
        self.assertEqual(counts[YEAR]["requests"], 10)
        self.assertEqual(counts[YEAR][f"unit:{self.unit_a.id}"], 5)
        self.assertEqual(counts[YEAR][f"unit:{self.unit_a1.id}"], 5)

    def test_query_count_does_not_grow_with_cases(self):
        report = self.print_report(self.manager)
        report = report.with_user(self.manager)
        report._vp_compute_figures()  # warm the registry caches (selection labels, rules)
        self.env.flush_all()
        self.env.invalidate_all()
        report._vp_compute_figures()
        self.env.flush_all()
        self.env.invalidate_all()
        # The report record and its organisation, the counts of cases, kinds, routes, meetings and
        # referrals (one statement of GROUP BYs, report/counts.py), the signals, prevention work and
        # hours (one statement), the labels of kinds, units and regions (one query each), and the
        # consultations (models/annual_report/vp_annual_report.py).
        with self.assertQueryCount(8):
            before = self.cr.sql_log_count
            report._vp_compute_figures()
            small_count = self.cr.sql_log_count - before
        # Five times as many cases, meetings and referrals: the same queries.
        more = self.make_cases(
            [
                {"request": datetime(YEAR, 9, 1) + timedelta(hours=i), "unit": self.unit_b, "kinds": ("fraud",)}
                for i in range(75)
            ]
        )
        self.env["vp.case.meeting"].with_user(self.counsellor).create(
            [{"case_id": case.id, "meeting_date": datetime(YEAR, 9, 2), "channel": "video"} for case in more]
        )
        self.env.flush_all()
        self.env.invalidate_all()
        with self.assertQueryCount(8):
            before = self.cr.sql_log_count
            figures = report._vp_compute_figures()
            large_count = self.cr.sql_log_count - before
        # assertQueryCount only fails above its bound: the two counts must be equal too
        self.assertEqual(large_count, small_count)
        self.assertEqual(figures["tables"][0]["rows"][0]["values"][0]["value"], 90)


@tagged("post_install", "-at_install")
class TestAnnualReportAccess(AnnualReportCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.make_cases(cls.varied_specs(datetime(YEAR, 2, 1, 10, 0), cls.unit_a, cls.unit_b))

    def test_management_and_own_counsellor_may_print(self):
        for user in (self.manager, self.counsellor):
            report = self.print_report(user)
            tree = self.render_html(report, user)
            self.assertEqual(self.html_row(tree, "requests", "requests"), ["Requests", "15", "0"])

    def test_hr_and_others_cannot_print(self):
        report = self.print_report(self.manager)
        for user in (self.hr, self.coordinator, self.accountant, self.employee):
            with self.assertRaises(AccessError, msg=user.login):
                self.print_report(user)
            with self.assertRaises(AccessError, msg=user.login):
                self.render_html(report, user)
            with self.assertRaises(AccessError, msg=user.login):
                report.with_user(user).read(["figures_json"])

    def test_counsellor_of_another_organisation_refused(self):
        with self.assertRaisesRegex(AccessError, "only its management and the counsellors who serve"):
            self.print_report(self.counsellor2)
        report = self.print_report(self.counsellor)
        with self.assertRaises(AccessError):
            self.render_html(report, self.counsellor2)
        with self.assertRaises(AccessError):
            report.with_user(self.counsellor2)._vp_render_xlsx()

    def test_organisation_that_names_its_management(self):
        """An organisation names its management: only those managers print or read its
        reports (another client organisation's management does not). An organisation
        that names nobody is readable by no management user: see
        test_hardening_report.TestManagementNamed."""
        report = self.print_report(self.manager)
        other_manager = self.env["res.users"].create(
            {
                "name": "Directie andere organisatie",
                "login": "vp_test_other_manager",
                "groups_id": [Command.set([self.env.ref("vertrouwenspersoon.group_management").id])],
            }
        )
        with self.assertRaisesRegex(AccessError, "only its management"):
            self.print_report(other_manager)
        with self.assertRaises(AccessError):
            report.with_user(other_manager).read(["figures_json"])
        with self.assertRaises(AccessError):
            self.render_html(report, other_manager)
        # The named manager and the organisation's counsellor still print it.
        for user in (self.manager, self.counsellor):
            self.assertEqual(
                self.html_row(self.render_html(self.print_report(user), user), "requests", "requests"),
                ["Requests", "15", "0"],
            )

    def test_management_reads_no_case(self):
        self.assertFalse(self.env["vp.case"].with_user(self.manager).has_access("read"))
        self.assertFalse(self.env["vp.case.meeting"].with_user(self.manager).has_access("read"))

    def test_future_year_refused(self):
        next_year = date.today().year + 1
        with self.assertRaisesRegex(UserError, f"annual report of {next_year} cannot be made yet"):
            self.print_report(self.manager, year=next_year)

    def test_year_without_cases_says_so(self):
        report = self.print_report(self.manager, year=2010)
        tree = self.render_html(report, self.manager)
        self.assertIn("No requests were registered in 2010.", tree.text_content())
        self.assertEqual(self.html_row(tree, "requests", "requests"), ["Requests", "0", "0"])
        self.assertFalse(tree.xpath('//table[@data-table="kinds"]'))

    def test_missing_wkhtmltopdf_is_a_clear_error(self):
        wizard = (
            self.env["vp.annual.report.wizard"]
            .with_user(self.manager)
            .create({"organisation_id": self.org.id, "year": YEAR})
        )
        before = self.env["vp.annual.report"].search_count([])
        # Simulates Odoo's own start-up detection of a missing binary.
        with patch.object(ir_actions_report, "wkhtmltopdf_state", "install"):
            with self.assertRaisesRegex(UserError, "wkhtmltopdf is not installed"):
                wizard.action_print_pdf()
        self.assertEqual(self.env["vp.annual.report"].search_count([]), before, "nothing half-made is stored")
        action = wizard.action_print_pdf()
        self.assertEqual(action["report_type"], "qweb-pdf")


@tagged("post_install", "-at_install")
class TestAnnualReportXlsxHttp(AnnualReportCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.make_cases(cls.varied_specs(datetime(YEAR, 2, 1, 10, 0), cls.unit_a, cls.unit_b))

    def test_xlsx_download(self):
        report = self.print_report(self.manager)
        self.authenticate("vp_manager", "vp_manager")
        response = self.url_open(f"/vertrouwenspersoon/annual_report/{report.id}/xlsx")
        self.assertEqual(response.status_code, 200)
        rows = [
            tuple(c.value for c in row[:3])
            for row in openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0].iter_rows()
        ]
        self.assertIn(("Requests", 15, 0), rows)
        self.authenticate("vp_hr", "vp_hr")
        response = self.url_open(f"/vertrouwenspersoon/annual_report/{report.id}/xlsx")
        self.assertNotEqual(response.status_code, 200)
        self.assertNotIn(b"PK", response.content[:2])


def brute_force_ranges(published, constraints):
    """The recovery attempt: every assignment of the hidden cells that agrees
    with what is printed ('< 5' is 1..4, 'x' is 5 or more, up to the largest
    total) and with every printed sum; returns the values each hidden cell can
    take. 'x' cells are tried up to 10 above the largest printed number: the
    search is smaller than the attacker's, so it can only find fewer values.
    '< 5' is 0 to 4 since zeros may be hidden too."""
    ceiling = max([value for value, _mark in published.values() if value is not None] + [5]) + 10
    hidden = [key for key, (value, _mark) in published.items() if value is None]
    choices = [range(0, 5) if published[key][1] == "< 5" else range(5, ceiling + 1) for key in hidden]
    feasible = {key: set() for key in hidden}
    for combination in itertools.product(*choices):
        values = {key: value for key, (value, _mark) in published.items() if value is not None}
        values.update(zip(hidden, combination, strict=True))
        if all(values[total] == sum(values[part] for part in parts) for total, parts in constraints):
            for key, value in zip(hidden, combination, strict=True):
                feasible[key].add(value)
    return feasible


@tagged("post_install", "-at_install")
class TestSmallCellSuppression(AnnualReportCommon, TransactionCase):
    """Crafted data where naive '< 5' alone would be undone by subtraction."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        base = datetime(YEAR, 2, 1, 10, 0)
        specs = (
            # Afdeling A 13 (one in Team A1), Afdeling B 1, no unit 6: B would be the total minus the rest.
            [{"request": base + timedelta(days=i), "unit": cls.unit_a, "side": "reporter"} for i in range(12)]
            + [{"request": base + timedelta(days=20), "unit": cls.unit_b, "side": "accused"}]
            + [{"request": base + timedelta(days=30 + i), "side": "reporter"} for i in range(6)]
            + [{"request": base + timedelta(days=40), "side": "reporter", "unit": cls.unit_a1}]
            # previous year: A 2, B 8 (10 requests: the minimum for publishing a year)
            + [{"request": datetime(PREVIOUS, 3, 1) + timedelta(days=i), "unit": cls.unit_a} for i in range(2)]
            + [{"request": datetime(PREVIOUS, 4, 1) + timedelta(days=i), "unit": cls.unit_b} for i in range(8)]
        )
        cls.make_cases(specs)

    def published_table(self, figures, code, column):
        table = next(t for t in figures["tables"] if t["code"] == code)
        lines = table["rows"] + [table["total"]]
        return {
            line["label"]: (line["values"][column]["value"], line["values"][column]["display"]) for line in lines
        }, table

    def test_recovery_attempt_fails(self):
        figures = self.print_report(self.manager)._vp_figures()
        for code in ("units", "sides"):
            for column in (0, 1):
                published, table = self.published_table(figures, code, column)
                hidden = [label for label, (value, _mark) in published.items() if value is None]
                total_label = table["total"]["label"]
                if not hidden:
                    continue
                # Naive attack: the total minus the visible rows.
                visible_rows = sum(v for label, (v, _m) in published.items() if v is not None and label != total_label)
                if published[total_label][0] is not None:
                    residual = published[total_label][0] - visible_rows
                    self.assertGreaterEqual(len(hidden), 2, f"{code}/{column}: one hidden row equals {residual}")
                # Full attack: every assignment that fits what is printed.
                parts = [line["label"] for line in table["rows"]]
                ranges = brute_force_ranges(published, [(total_label, parts)])
                for label, values in ranges.items():
                    self.assertGreaterEqual(len(values), 2, f"{code}/{column}: {label} recovered as {values}")
        # The crafted small cells really are hidden, and shown as '< 5'.
        units, _table = self.published_table(figures, "units", 0)
        self.assertEqual(units["Afdeling B"], (None, "< 5"))
        # Every request here is 'In progress', so the outcome table hides its zeros, and the
        # complementary cells it needs reach the total of requests: that is the cell hidden here
        # besides B (not the next smallest row, 'Not registered').
        self.assertEqual(units["Requests"], (None, "x"), "a second cell is hidden too")
        self.assertEqual(units["Afdeling A"], (13, "13"))
        # Previous year: B holds all but a '< 5': the zero of 'Not registered' is hidden
        # as '< 5' too, so A is no longer pinned and B can stay.
        previous, _table = self.published_table(figures, "units", 1)
        self.assertEqual(previous["Afdeling A"], (None, "< 5"))
        self.assertEqual(previous["Not registered"], (None, "< 5"))
        self.assertEqual(previous["Afdeling B"], (8, "8"))
        self.assertEqual(previous["Requests"], (None, "x"))

    def test_previous_year_column_matches_last_years_report(self):
        """A year is hidden the same way in every report that shows it, so this
        year's 'previous year' column adds nothing to last year's report."""
        this_year = self.print_report(self.manager)._vp_figures()
        last_year = self.print_report(self.manager, year=PREVIOUS)._vp_figures()
        for now, then in zip(this_year["tables"], last_year["tables"], strict=True):
            for line_now, line_then in zip(now["rows"], then["rows"], strict=True):
                self.assertEqual(line_now["values"][1], line_then["values"][0], f"{now['code']} {line_now['key']}")

    def test_suppression_rule_on_edge_cases(self):
        from odoo.addons.vertrouwenspersoon.report import suppression  # noqa: PLC0415

        cases = [
            # one small cell, and the complement would be 5: the total must go too
            ({"T": 6, "a": 1, "b": 5, "c": 0}, [("T", ["a", "b", "c"])]),
            ({"T": 13, "a": 3, "b": 10, "c": 0}, [("T", ["a", "b", "c"])]),
            ({"T": 30, "a": 4, "b": 6, "c": 20}, [("T", ["a", "b", "c"])]),
            # nested sums: cases = open + closed; requests = not taken on + cases
            (
                {"R": 20, "C": 17, "n": 3, "o": 5, "c": 12, "s1": 18, "s2": 2},
                [("C", ["o", "c"]), ("R", ["n", "C"]), ("R", ["s1", "s2"])],
            ),
        ]
        for values, constraints in cases:
            hidden = suppression.suppress(values, constraints)
            published = {
                key: (None, "x" if hidden[key] == suppression.COMPLEMENTARY else "< 5")
                if key in hidden
                else (value, str(value))
                for key, value in values.items()
            }
            for key, value in values.items():
                if 1 <= value <= 4:
                    self.assertIn(key, hidden)
            for key, feasible in brute_force_ranges(published, constraints).items():
                self.assertIn(values[key], feasible)
                self.assertGreaterEqual(len(feasible), 2, f"{values}: {key} recovered")


@tagged("post_install", "-at_install")
class TestAnnualReportHours(AnnualReportCommon, TransactionCase):
    def test_hours_by_time_type_come_from_timesheets(self):
        """The demo hours of Zorggroep De Linde, summed per time type, as the report prints them."""
        organisation = self.env.ref("vertrouwenspersoon.organisation_zorggroep")
        lines = (
            self.env["account.analytic.line"]
            .sudo()
            .search([("vp_engagement_id.organisation_id", "=", organisation.id), ("vp_time_type", "!=", False)])
        )
        self.assertTrue(lines, "the demo data logs hours for this organisation")
        year = max(lines.mapped("date")).year
        labels = dict(lines._fields["vp_time_type"]._description_selection(self.env))
        expected = {}
        for line in lines.filtered(lambda line: line.date.year == year):
            expected[labels[line.vp_time_type]] = expected.get(labels[line.vp_time_type], 0.0) + line.unit_amount
        # The demo organisation has fewer than 10 requests a year, too few for a report: the
        # hours are published by the report's own method, on an unsaved report.
        report = (
            self.env["vp.annual.report"]
            .with_user(self.counsellor)
            .new({"organisation_id": organisation.id, "year": year})
        )
        years = (year, year - 1)
        hours = report._vp_publish_hours(years, report._vp_count_work(years)["hours"])
        printed = {row["label"]: row["values"][0] for row in hours}
        # Hours spent on 1 to 4 cases would give the number behind a '< 5': hidden.
        cases = {}
        for line in lines.filtered(lambda line: line.date.year == year and line.vp_case_id):
            cases.setdefault(labels[line.vp_time_type], set()).add(line.vp_case_id.id)
        self.assertEqual(
            printed,
            {
                label: "< 5 cases" if 1 <= len(cases.get(label, ())) <= 4 else round(hours, 2)
                for label, hours in expected.items()
            },
        )

    def test_hours_hidden_by_their_exact_number_of_cases(self):
        """The report knows that hours were spent on five cases or more from the distinct
        remainders of their case ids (modulo 64) in one pass; where there are fewer than
        five remainders, it counts the cases themselves. Five cases in four remainders are
        five cases (shown); four cases over many lines are hidden."""
        customer = self.env["res.partner"].create({"name": "Testorganisatie Jaarverslag", "is_company": True})
        self.env["vp.engagement"].create(
            {
                "organisation_id": self.org.id,
                "partner_id": customer.id,
                "hourly_rate": 90.0,
                "date_start": date(PREVIOUS, 1, 1),
            }
        )
        cases = self.make_cases([{"request": datetime(YEAR, 1, 10)} for _index in range(65)])
        by_remainder = {}
        for case in cases:
            by_remainder.setdefault(case.id % 64, []).append(case)
        # 65 cases in 64 remainders: two cases share one
        shared = next(group for group in by_remainder.values() if len(group) > 1)[:2]
        alone = [group[0] for remainder, group in by_remainder.items() if remainder != shared[0].id % 64]
        plan = {
            "meeting": [*shared, *alone[:3]],  # five cases, four remainders: counted exactly
            "intake": alone[3:7] * 2,  # four cases, eight lines
            "contact": alone[7:13],  # six remainders: five or more cases without counting them
        }
        Line = self.env["account.analytic.line"].with_user(self.counsellor)
        for time_type, line_cases in plan.items():
            Line.create(
                [
                    {"vp_case_id": case.id, "vp_time_type": time_type, "unit_amount": 1.0, "date": date(YEAR, 3, 1)}
                    for case in line_cases
                ]
            )
        report = (
            self.env["vp.annual.report"].with_user(self.counsellor).new({"organisation_id": self.org.id, "year": YEAR})
        )
        years = (YEAR, PREVIOUS)
        hours = report._vp_count_work(years)["hours"][YEAR]
        self.assertEqual(
            {time_type: hours[time_type]["cases_capped"] for time_type in plan},
            {"meeting": 5, "intake": 4, "contact": 5},
        )
        printed = {
            row["label"]: row["values"][0] for row in report._vp_publish_hours(years, {YEAR: hours, PREVIOUS: {}})
        }
        self.assertEqual(printed, {"Meeting": 5.0, "Intake": "< 5 cases", "Phone or e-mail": 6.0})


@tagged("post_install", "-at_install")
class TestReportForEveryClient(AnnualReportCommon, TransactionCase):
    """A small client's management gets a report every year: one page, in words, with the
    prevention work and the counsellor's observations; the Dutch year is the one year of
    the rule and of the figures; the wizard says beforehand what can be printed."""

    def test_small_year_gets_a_one_page_report(self):
        self.make_cases([{"request": datetime(YEAR, 3, 1) + timedelta(days=i)} for i in range(7)])
        self.env["vp.prevention.session"].with_user(self.counsellor).create(
            {
                "name": "Voorlichting omgangsvormen",
                "organisation_id": self.org.id,
                "session_date": date(YEAR, 4, 2),
                "kind": "information",
                "audience_size": 23,
                "hours": 2.0,
                "state": "held",
            }
        )
        # The counsellor prepares her observations; management prints the closed year with them.
        self.print_report(self.counsellor, observations="Weinig meldingen; training voor leidinggevenden gegeven.")
        report = self.print_report(self.manager)
        figures = report._vp_figures()
        self.assertTrue(figures["small_year"])
        self.assertEqual(figures["tables"], [])
        # Not even the number of requests is published: it is the small number itself.
        self.assertNotIn("7", json.dumps({key: value for key, value in figures.items() if key != "prevention"}))
        tree = self.render_html(report, self.manager)
        text = " ".join(tree.text_content().split())
        self.assertIn("fewer than 10 employees of Testorganisatie Jaarverslag", text)
        self.assertIn("Weinig meldingen; training voor leidinggevenden gegeven.", text)
        self.assertFalse(tree.xpath('//table[@data-table="requests"]'))
        prevention = tree.xpath('//table[@data-table="prevention"]//tr[@data-key="total"]/td')
        self.assertEqual([td.text_content().strip() for td in prevention][1:3], ["1", "23"])
        # One page of A4, whatever wkhtmltopdf does with headers.
        self.env["ir.config_parameter"].sudo().set_param("report.url", f"http://127.0.0.1:{config['http_port']}")
        pdf = (
            self.env["ir.actions.report"]
            .with_user(self.manager)
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(PDF_REPORT, report.ids)[0]
        )
        with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
            handle.write(pdf)
            handle.flush()
            info = subprocess.run(["pdfinfo", handle.name], check=True, capture_output=True, text=True).stdout
        self.assertRegex(info, r"Pages:\s+1\n")
        workbook = openpyxl.load_workbook(io.BytesIO(report.with_user(self.manager)._vp_render_xlsx()))
        cells = [str(cell) for row in workbook.worksheets[0].iter_rows(values_only=True) for cell in row if cell]
        self.assertTrue(any("fewer than 10 employees" in cell for cell in cells))

    def test_the_dutch_year_is_one_definition(self):
        """A request at 23:30 UTC on 31 December is 00:30 on 1 January in the Netherlands: it
        counts in the new year for the minimum and for the figures alike."""
        new_year_eve = datetime(PREVIOUS, 12, 31, 23, 30)
        self.make_cases([{**spec, "request": new_year_eve} if i == 0 else spec
                         for i, spec in enumerate(self.varied_specs(datetime(YEAR, 2, 1))[:10])])  # fmt: skip
        report = self.print_report(self.manager)
        figures = report._vp_figures()
        self.assertFalse(figures.get("small_year"), "10 requests in the Dutch year: the full report")
        counts, _durations = report._vp_count_cases((YEAR, PREVIOUS))
        self.assertEqual((counts[YEAR]["requests"], counts[PREVIOUS].get("requests", 0)), (10, 0))
        earlier = self.print_report(self.manager, year=PREVIOUS)._vp_figures()
        self.assertFalse(earlier["has_requests"], "none of them in the year before")
        # The next year's report publishes this year's column exactly as this year's own report.
        self.make_cases(self.varied_specs(datetime(YEAR + 1, 2, 1)))
        following = self.print_report(self.manager, year=YEAR + 1)._vp_figures()
        own = {table["code"]: [line["values"][0]["display"] for line in table["rows"]] for table in figures["tables"]}
        previous = {
            table["code"]: [line["values"][1]["display"] for line in table["rows"]] for table in following["tables"]
        }
        self.assertNotIn("-", previous["requests"], "not withheld")
        self.assertEqual(previous["requests"], own["requests"])
        # The wizard's overview counts the same year.
        overview = dict(self.env["vp.annual.report.wizard"].with_user(self.manager)._vp_availability())
        kinds = {year: kind for year, kind, _text in overview[self.org]}
        if YEAR in kinds:  # the overview shows the last four years
            self.assertEqual(kinds[YEAR], "full")

    def test_first_page_says_the_year_in_words(self):
        """The first page says the year in a few sentences, from the published cells only:
        a manager learns it before seven pages of cells."""
        self.make_cases(self.varied_specs(datetime(YEAR, 2, 1)))
        report = self.print_report(self.manager)
        text = " ".join(self.render_html(report, self.manager).text_content().split())
        self.assertIn(f"In {YEAR}, 15 employees asked a confidential counsellor for support; 10 of these", text)
        figures = report._vp_figures()
        kinds = next(table for table in figures["tables"] if table["code"] == "kinds")
        shown = [row for row in kinds["rows"] if row["values"][0]["value"] and row["key"] != "kind:none"]
        most = max(shown, key=lambda row: row["values"][0]["value"])
        self.assertIn(f"The kind of behaviour mentioned most: {most['label']}", text)

    def test_wizard_shows_what_can_be_printed(self):
        this_year = dutch_today().year
        last_year = this_year - 1
        self.make_cases([{"request": datetime(last_year, 3, 1) + timedelta(days=i)} for i in range(4)])
        self.make_cases(self.varied_specs(datetime(last_year - 1, 2, 1)))
        Wizard = self.env["vp.annual.report.wizard"]
        overview = dict(Wizard.with_user(self.manager)._vp_availability())
        kinds = {year: kind for year, kind, _text in overview[self.org]}
        self.assertEqual(kinds[this_year], "running")
        self.assertEqual(kinds[last_year], "small")
        self.assertEqual(kinds[last_year - 1], "full")
        self.assertEqual(kinds[last_year - 2], "empty")
        html = str(Wizard.with_user(self.manager).new({}).availability)
        self.assertIn(f'data-organisation="{self.org.id}" data-year="{last_year}" data-kind="small"', html)
        self.assertIn("Printable from 1 January", html)
        # The counsellor may preview the running year.
        overview = dict(Wizard.with_user(self.counsellor)._vp_availability())
        self.assertIn("Preview", {year: text for year, _kind, text in overview[self.org]}[this_year])
