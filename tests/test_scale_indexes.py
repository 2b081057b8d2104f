"""Searches that every counsellor's unlock or save runs stay index lookups in a large
bureau (benchmarks/scale.py): PostgreSQL can answer them from an index, so
their cost does not grow with the two million lines of hours or the 200,000 cases.

Each test asks the planner for the plan of the query the ORM sends, with sequential
scans priced out: the plan names the index only when one can answer the query."""

from lxml import etree

from odoo.tests import TransactionCase, tagged
from odoo.tools import SQL
from odoo.tools.safe_eval import safe_eval


@tagged("post_install", "-at_install")
class TestScaleIndexes(TransactionCase):
    def _search_plan(self, model, domain, in_order=False):
        """``in_order``: sorting priced out too (a page in the model's order must come from an
        index in that order; on a test database's few rows the planner would rather sort)."""
        query = self.env[model].sudo()._search(domain, limit=80, order=self.env[model]._order)
        self.env.cr.execute("SET LOCAL enable_seqscan = off")
        self.env.cr.execute(f"SET LOCAL enable_sort = {'off' if in_order else 'on'}")
        self.env.cr.execute(SQL("EXPLAIN %s", query.select()))
        return "\n".join(row[0] for row in self.env.cr.fetchall())

    def test_notes_under_the_master_key_found_by_index(self):
        # Every unlock asks for them (vp.timesheet.note._vp_legacy_notes).
        plan = self._search_plan("vp.timesheet.note", [("on_master_key", "=", True)])
        self.assertIn("vp_timesheet_note_legacy_idx", plan)

    def test_counsellors_list_read_in_index_order(self):
        # Her list, newest first, as the web client asks it (record rules apart): the index
        # gives the page in order, without reading and sorting all her cases.
        plan = self._search_plan("vp.case", [("counsellor_id", "=", self.env.uid)], in_order=True)
        self.assertIn("vp_case_counsellor_request_date_idx", plan)
        self.assertNotIn("Sort Key", plan)

    def test_unassigned_requests_read_in_index_order(self):
        # The coordinator's home screen: the search view's filter "unassigned", as the web
        # client sends it, is answered by the index on its very conditions, in the list's
        # order, not picked out of every case still kept. A filter the index's conditions no
        # longer cover fails here.
        arch = self.env["vp.case"].get_views([(False, "search")])["views"]["search"]["arch"]
        domain = safe_eval(etree.fromstring(arch).find(".//filter[@name='unassigned']").get("domain"))
        plan = self._search_plan("vp.case", domain, in_order=True)
        self.assertIn("vp_case_unassigned_idx", plan)
        self.assertNotIn("Sort Key", plan)

    def test_engagement_hours_of_a_period_by_one_index_range(self):
        engagement = self.env["vp.engagement"].search([], limit=1)
        plan = self._search_plan(
            "account.analytic.line",
            [("vp_engagement_id", "=", engagement.id), ("date", ">=", "2025-01-01"), ("date", "<=", "2025-12-31")],
        )
        self.assertIn("account_analytic_line_vp_engagement_hours_idx", plan)

    def test_report_hours_read_from_the_index_alone(self):
        # A large organisation's hours of the report's two years are thousands of lines
        # scattered over the bureau's two million: the index holds what the report adds up.
        organisation = self.env["vp.engagement"].search([], limit=1).organisation_id
        report = self.env["vp.annual.report"].sudo().new({"organisation_id": organisation.id, "year": 2025})
        # Only a scan of an index that holds every column it reads is left open.
        for scan in ("seqscan", "bitmapscan", "indexscan"):
            self.env.cr.execute(f"SET LOCAL enable_{scan} = off")
        self.env.cr.execute(SQL("EXPLAIN %s", report._vp_work_sql((2025, 2024))))
        plan = "\n".join(row[0] for row in self.env.cr.fetchall())
        self.assertIn("Index Only Scan using account_analytic_line_vp_engagement_hours_idx", plan)

    def test_counsellors_kanban_column_read_in_index_order(self):
        plan = self._search_plan(
            "vp.case", [("counsellor_id", "=", self.env.uid), ("state", "=", "open")], in_order=True
        )
        self.assertIn("vp_case_counsellor_state_request_date_idx", plan)
        self.assertNotIn("Sort Key", plan)
