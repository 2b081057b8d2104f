"""Concurrent changes of one organisation's cases, on two real database
connections, each in its own thread.

Changes of different cases of one organisation, business unit and year (new
meetings, cases moving on) neither wait for each other nor fail to
serialize: the annual report counts on demand (report/counts.py), so no write
updates a row of counts that another write touches. (When the counts were
kept per year, every such change updated the same sum row: the second writer
waited and then failed with a serialization error.) What the tests commit is
deleted again (and committed) at the end."""

from datetime import datetime

from odoo import sql_db
from odoo.tests import TransactionCase, tagged

from .common import errors_of_a_second_writer

INSERT_MEETING = """
    INSERT INTO vp_case_meeting (case_id, channel, meeting_date, duration,
                                 create_uid, write_uid, create_date, write_date)
    VALUES (%s, 'phone', %s, 1, 1, 1, now(), now())
    RETURNING id
"""


@tagged("post_install", "-at_install")
class TestReportCountsConcurrency(TransactionCase):
    def _two_cases_of_one_organisation_unit_and_year(self):
        self.env.cr.execute(
            """
            SELECT a.id, b.id, a.state, b.state
              FROM vp_case a
              JOIN vp_case b ON b.organisation_id = a.organisation_id AND b.id > a.id
                            AND b.business_unit_id IS NOT DISTINCT FROM a.business_unit_id
                            AND date_trunc('year', b.request_date) = date_trunc('year', a.request_date)
             WHERE a.organisation_id IS NOT NULL AND a.request_date IS NOT NULL AND a.state <> 'closed'
               AND b.state <> 'closed'
             ORDER BY a.id, b.id
             LIMIT 1
            """
        )
        row = self.env.cr.fetchone()
        self.assertTrue(row, "the demo data has two open cases of one organisation, unit and year")
        return row

    def test_writers_of_one_organisation_do_not_wait_nor_fail(self):
        """Intake, case edits and meetings of one organisation at the same moment:
        the second transaction (its snapshot taken before the first's change) goes
        ahead while the first is still open, and both commit."""
        case_a, case_b, state_a, state_b = self._two_cases_of_one_organisation_unit_and_year()
        when = datetime(2025, 6, 1, 10, 0)
        database = sql_db.db_connect(self.env.cr.dbname)
        meetings = []
        try:
            with database.cursor() as cr_first, database.cursor() as cr_second:
                for cr in (cr_first, cr_second):
                    cr.execute("SET LOCAL lock_timeout = '20s'")
                cr_second.execute("SELECT 1")  # the second transaction's snapshot is taken
                cr_first.execute(INSERT_MEETING, (case_a, when))
                meetings.append(cr_first.fetchone()[0])
                cr_first.execute("UPDATE vp_case SET state = 'closed' WHERE id = %s", [case_a])

                def second():
                    cr_second.execute(INSERT_MEETING, (case_b, when))
                    meetings.append(cr_second.fetchone()[0])
                    cr_second.execute("UPDATE vp_case SET state = 'closed' WHERE id = %s", [case_b])

                errors = errors_of_a_second_writer(self, second, "the second writer does not wait for the first")
                self.assertEqual(errors, [], "the second writer does not fail to serialize")
                cr_first.commit()
                cr_second.commit()
        finally:
            with database.cursor() as cr_cleanup:
                cr_cleanup.execute("DELETE FROM vp_case_meeting WHERE id = ANY(%s)", [meetings])
                cr_cleanup.execute("UPDATE vp_case SET state = %s WHERE id = %s", [state_a, case_a])
                cr_cleanup.execute("UPDATE vp_case SET state = %s WHERE id = %s", [state_b, case_b])
                cr_cleanup.commit()
