"""Concurrent changes of the annual report's counts, on two real database
connections, each in its own thread.

Changes of different cases of one organisation, business unit and year (new
meetings, cases moving on) neither wait for each other nor fail to
serialize: no shared sum row is updated (vp.report.counter appends deltas).
Before, every such change updated the same per-year sum row, so the second
writer waited and then failed with a serialization error, which Odoo retries
and, past five tries, turns into a failed request.

Two changes of the same case still exclude each other (they replace that
case's own rows): the second waits, fails to serialize and is retried; no
count is lost or counted twice. What the tests commit is deleted again (and
committed) at the end."""

import threading
from datetime import datetime

from odoo import SUPERUSER_ID, api, sql_db
from odoo.tests import TransactionCase, tagged

from .common import assert_waits_then_fails_to_serialize

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

    def _check_counts(self, database):
        with database.cursor() as cr_check:
            counter = api.Environment(cr_check, SUPERUSER_ID, {})["vp.report.counter"]
            self.assertEqual(counter._vp_count_differences(), [])

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
                errors = []

                def second():
                    try:
                        cr_second.execute(INSERT_MEETING, (case_b, when))
                        meetings.append(cr_second.fetchone()[0])
                        cr_second.execute("UPDATE vp_case SET state = 'closed' WHERE id = %s", [case_b])
                    except Exception as error:
                        errors.append(error)

                thread = threading.Thread(target=second)
                thread.start()
                thread.join(10.0)
                self.assertFalse(thread.is_alive(), "the second writer does not wait for the first")
                self.assertEqual(errors, [], "the second writer does not fail to serialize")
                cr_first.commit()
                cr_second.commit()
            self._check_counts(database)
        finally:
            with database.cursor() as cr_cleanup:
                cr_cleanup.execute("DELETE FROM vp_case_meeting WHERE id = ANY(%s)", [meetings])
                cr_cleanup.execute("UPDATE vp_case SET state = %s WHERE id = %s", [state_a, case_a])
                cr_cleanup.execute("UPDATE vp_case SET state = %s WHERE id = %s", [state_b, case_b])
                counter = api.Environment(cr_cleanup, SUPERUSER_ID, {})["vp.report.counter"]
                self.assertEqual(counter._vp_count_differences(), [])
                cr_cleanup.commit()

    def test_compaction_does_not_wait_for_writers(self):
        """The job that sums the appended rows runs while a writer is open, and the
        writer's rows are counted once: after its commit and after the next run."""
        case_a = self._two_cases_of_one_organisation_unit_and_year()[0]
        database = sql_db.db_connect(self.env.cr.dbname)
        meetings = []
        try:
            with database.cursor() as cr_writer, database.cursor() as cr_job:
                cr_job.execute("SET LOCAL lock_timeout = '2s'")
                for _meeting in range(2):  # two statements: two deltas of one key
                    cr_writer.execute(INSERT_MEETING, (case_a, datetime(2025, 6, 1, 10, 0)))
                    meetings.append(cr_writer.fetchone()[0])
                api.Environment(cr_job, SUPERUSER_ID, {})["vp.report.counter"]._vp_compact_counts()
                cr_job.commit()
                cr_writer.commit()
            self._check_counts(database)
            with database.cursor() as cr_job:
                counter = api.Environment(cr_job, SUPERUSER_ID, {})["vp.report.counter"]
                self.assertGreater(counter._vp_compact_counts(), 0, "the writer's deltas are summed")
                self.assertEqual(counter._vp_count_differences(), [])
                cr_job.commit()
        finally:
            with database.cursor() as cr_cleanup:
                cr_cleanup.execute("DELETE FROM vp_case_meeting WHERE id = ANY(%s)", [meetings])
                counter = api.Environment(cr_cleanup, SUPERUSER_ID, {})["vp.report.counter"]
                self.assertEqual(counter._vp_count_differences(), [])
                cr_cleanup.commit()

    def test_concurrent_changes_of_one_case_are_serialized_and_counted_once(self):
        self.env.cr.execute("SELECT id FROM vp_case WHERE organisation_id IS NOT NULL ORDER BY id LIMIT 1")
        case_id = self.env.cr.fetchone()[0]
        when = datetime(2025, 6, 1, 10, 0)
        database = sql_db.db_connect(self.env.cr.dbname)
        committed = []
        try:
            with database.cursor() as cr_first, database.cursor() as cr_second:
                cr_first.execute("SET LOCAL lock_timeout = '20s'")
                cr_second.execute("SET LOCAL lock_timeout = '20s'")
                cr_second.execute("SELECT 1")  # the second transaction's snapshot is taken
                cr_first.execute(INSERT_MEETING, (case_id, when))
                committed.append(cr_first.fetchone()[0])
                assert_waits_then_fails_to_serialize(
                    self,
                    cr_first,
                    lambda: cr_second.execute(INSERT_MEETING, (case_id, when)),
                    "the second transaction waits for the first",
                    "the second transaction fails, and Odoo would retry it",
                )
                cr_second.rollback()
            self._check_counts(database)
        finally:
            with database.cursor() as cr_cleanup:
                if committed:
                    cr_cleanup.execute("DELETE FROM vp_case_meeting WHERE id = ANY(%s)", [committed])
                counter = api.Environment(cr_cleanup, SUPERUSER_ID, {})["vp.report.counter"]
                self.assertEqual(counter._vp_count_differences(), [])
                cr_cleanup.commit()
