"""Two transactions that change the annual report's counts of the same cases
at the same moment: the later one waits for the first and then, under Odoo's
REPEATABLE READ isolation, fails with a serialization error, which Odoo
retries; no count is lost or counted twice. Two real database connections,
each in its own thread, show it. The first transaction's meeting is committed,
so it is deleted again (and committed) at the end."""

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
    def test_concurrent_changes_are_serialized_and_counted_once(self):
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
            with database.cursor() as cr_check:
                counter = api.Environment(cr_check, SUPERUSER_ID, {})["vp.report.counter"]
                self.assertEqual(counter._vp_count_differences(), [])
        finally:
            with database.cursor() as cr_cleanup:
                if committed:
                    cr_cleanup.execute("DELETE FROM vp_case_meeting WHERE id = ANY(%s)", [committed])
                counter = api.Environment(cr_cleanup, SUPERUSER_ID, {})["vp.report.counter"]
                self.assertEqual(counter._vp_count_differences(), [])
                cr_cleanup.commit()
