"""A dashboard per role over what the role may read: the counsellor's own cases by state,
age and deadline; the coordinator's requests per organisation and region, unassigned
requests, deadlines at risk and each counsellor's load; management's published figures of
its closed years only, hidden numbers hidden as in the annual report."""

from datetime import datetime, timedelta

from odoo import fields
from odoo.addons.vertrouwenspersoon.report.counts import dutch_today
from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, tagged

from .common import VpCaseCommon
from .test_annual_report import AnnualReportCommon


@tagged("post_install", "-at_install")
class TestCaseDashboard(VpCaseCommon, TransactionCase):
    def _rows(self, user, domain=()):
        return self.env["vp.case.dashboard"].with_user(user).search(list(domain))

    def test_counsellor_reads_her_own_cases_only(self):
        mine = self.env["vp.case"].search([("counsellor_id", "=", self.counsellor.id), ("shredded_on", "=", False)])
        rows = self._rows(self.counsellor)
        self.assertEqual(set(rows.case_id.ids), set(mine.ids))
        self.assertIn(self.case, rows.case_id)
        other = self.new_case(self.counsellor2)
        self.assertNotIn(other, self._rows(self.counsellor).case_id)
        self.assertIn(other, self._rows(self.counsellor2).case_id)
        # Grouped, she counts her own cases only, whatever she groups by.
        groups = self.env["vp.case.dashboard"].with_user(self.counsellor)._read_group([], ["state"], ["__count"])
        self.assertEqual(sum(count for _state, count in groups), len(mine))

    def test_coordinator_reads_every_case_and_nothing_of_content(self):
        rows = self._rows(self.coordinator)
        self.assertEqual(len(rows), self.env["vp.case"].search_count([("shredded_on", "=", False)]))
        fields_of_dashboard = set(self.env["vp.case.dashboard"]._fields)
        for forbidden in ("behaviour_kind_ids", "route_ids", "business_unit_id", "notes", "employee_name", "postcode"):
            self.assertNotIn(forbidden, fields_of_dashboard)

    def test_other_roles_read_nothing(self):
        for user in (self.hr, self.manager, self.accountant, self.employee, self.portal):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self._rows(user)
            with self.assertRaises(AccessError):
                self.env["vp.counsellor.load"].with_user(user).search([])

    def test_deadlines_age_and_at_risk(self):
        now = fields.Datetime.now()
        soon = self.new_case(self.counsellor, request_date=now - timedelta(hours=40))
        overdue = self.new_case(self.counsellor, request_date=now - timedelta(days=3))
        relaxed = self.new_case(self.counsellor, request_date=now - timedelta(hours=1))
        met = self.new_case(
            self.counsellor, request_date=now - timedelta(days=40), first_contact_date=now - timedelta(days=39)
        )
        self.env.flush_all()
        rows = {
            row.case_id: row
            for row in self._rows(self.counsellor, [("case_id", "in", (soon | overdue | relaxed | met).ids)])
        }
        self.assertEqual(rows[soon].first_contact_status, "soon")
        self.assertEqual(rows[overdue].first_contact_status, "overdue")
        self.assertEqual(rows[relaxed].first_contact_status, "open")
        self.assertEqual(rows[met].first_contact_status, "met")
        self.assertEqual([rows[case].at_risk for case in (soon, overdue, relaxed, met)], [True, True, False, False])
        self.assertEqual(rows[relaxed].age, "a_2days")
        self.assertEqual(rows[overdue].age, "b_week")
        self.assertEqual(rows[met].age, "d_quarter")
        # No Wbk: its deadlines do not apply.
        self.assertFalse(rows[relaxed].wbk_ack_status)
        # A Wbk report: the 7-day acknowledgement is open.
        fraud = self.env.ref("vertrouwenspersoon.behaviour_kind_fraud")
        wbk = self.new_case(
            self.counsellor, request_date=now - timedelta(days=6), behaviour_kind_ids=[(6, 0, fraud.ids)]
        )
        self.env.flush_all()
        row = self._rows(self.counsellor, [("case_id", "=", wbk.id)])
        self.assertTrue(row.is_wbk)
        self.assertEqual(row.wbk_ack_status, "soon")
        self.assertEqual(row.wbk_feedback_status, "open")

    def test_load_per_counsellor_against_capacity(self):
        loads = self.env["vp.counsellor.load"].with_user(self.coordinator).search([])
        lines = self.env["vp.roster.line"].search([])
        self.assertEqual(set(loads.user_id.ids), set(lines.user_id.ids))
        counts = self.env["vp.roster.line"]._vp_open_case_counts(lines.user_id.ids)
        for load in loads:
            own = lines.filtered(lambda line, load=load: line.user_id == load.user_id)
            self.assertEqual(load.open_case_count, counts.get(load.user_id.id, 0))
            self.assertEqual(load.max_open_cases, min(own.mapped("max_open_cases")))
            self.assertEqual(load.over_capacity, load.open_case_count > load.max_open_cases)

    def test_saving_a_case_costs_no_query_for_the_dashboards(self):
        """The dashboards are PostgreSQL views read when opened: writing a case, a meeting or a
        notice does no work for them (the query counts of saving stay as they were)."""
        self.assertFalse(self.env["vp.case.dashboard"]._auto)
        self.assertFalse(self.env["vp.counsellor.load"]._auto)


@tagged("post_install", "-at_install")
class TestManagementFigures(AnnualReportCommon, TransactionCase):
    def test_closed_years_only_and_as_published(self):
        last = dutch_today().year - 1
        self.make_cases(self.varied_specs(datetime(last, 2, 1)))
        self.make_cases([{"request": datetime(last - 1, 3, 1) + timedelta(days=i)} for i in range(3)])
        self.make_cases(self.varied_specs(datetime(last + 1, 2, 1)))  # the running year
        Figure = self.env["vp.annual.figure"].with_user(self.manager)
        Figure._vp_refresh()
        rows = Figure.search([("organisation_id", "=", self.org.id)])
        self.assertTrue(rows)
        self.assertNotIn(str(last + 1), rows.mapped("year"), "never the running year")
        # Exactly the report's own published cells.
        report = self.print_report(self.manager, year=last)
        published = {
            (table["title"], line["label"]): line["values"][0]
            for table in report._vp_figures()["tables"]
            for line in [*table["rows"], *([table["total"]] if table["total"] else [])]
        }
        for row in rows.filtered(lambda row: row.year == str(last)):
            cell = published[(row.section, row.label)]
            self.assertEqual(row.display, cell["display"])
            self.assertEqual(row.value if not row.hidden else None, cell["value"])
        self.assertTrue(rows.filtered("hidden"), "hidden cells stay hidden")
        self.assertFalse(any(row.value for row in rows.filtered("hidden")))
        # A year below the minimum: one row saying it is withheld.
        small = rows.filtered(lambda row: row.year == str(last - 1))
        self.assertEqual(small.mapped("display"), ["-"])
        # Grouped as the dashboard groups: the sums are sums of shown numbers only.
        groups = Figure._read_group([("organisation_id", "=", self.org.id)], ["year"], ["value:sum"])
        self.assertEqual(dict(groups)[str(last - 1)], 0)

    def test_only_managements_own_organisations(self):
        self.env["vp.annual.figure"].with_user(self.manager)._vp_refresh()
        other = self.env["vp.organisation"].create({"name": "Niet van deze directie", "code": "NIETDEZE"})
        self.env["vp.annual.figure"].sudo().create(
            {"organisation_id": other.id, "year": "2020", "section": "x", "label": "y", "display": "1", "value": 1}
        )
        seen = self.env["vp.annual.figure"].with_user(self.manager).search([])
        self.assertNotIn(other, seen.organisation_id)
        for user in (self.counsellor, self.coordinator, self.hr, self.accountant):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.env["vp.annual.figure"].with_user(user).search([])
