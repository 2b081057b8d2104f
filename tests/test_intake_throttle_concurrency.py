"""The intake page's rate limit is no hot row: two submissions from different
addresses at the same moment, with an expired row left in the table, go ahead
side by side on two real database connections. Before, every submission
deleted the expired rows itself, so the second one waited for the first and
then failed to serialize (Odoo retries it; past five tries the employee's
request fails). The hourly job forgets the expired rows. What the test commits
is deleted again (and committed) at the end."""

from datetime import timedelta

from odoo import SUPERUSER_ID, api, fields, sql_db
from odoo.tests import TransactionCase, tagged

from .common import errors_of_a_second_writer

ADDRESSES = ("192.0.2.10", "192.0.2.11", "192.0.2.12")  # documentation range: never a real client


@tagged("post_install", "-at_install")
class TestIntakeThrottleConcurrency(TransactionCase):
    def test_concurrent_submissions_do_not_wait_nor_fail(self):
        database = sql_db.db_connect(self.env.cr.dbname)
        keys = [self.env["vp.intake.throttle"]._vp_key(address) for address in ADDRESSES]
        try:
            with database.cursor() as cr_old:
                api.Environment(cr_old, SUPERUSER_ID, {})["vp.intake.throttle"].create(
                    {"key": keys[2], "hit_on": fields.Datetime.now() - timedelta(hours=2)}
                )
                cr_old.commit()
            with database.cursor() as cr_first, database.cursor() as cr_second:
                for cr in (cr_first, cr_second):
                    cr.execute("SET LOCAL lock_timeout = '20s'")
                cr_second.execute("SELECT 1")  # the second submission's snapshot is taken
                self.assertTrue(
                    api.Environment(cr_first, SUPERUSER_ID, {})["vp.intake.throttle"]._vp_refusal(ADDRESSES[0]) is None
                )
                results = []

                def second():
                    throttle = api.Environment(cr_second, SUPERUSER_ID, {})["vp.intake.throttle"]
                    results.append(throttle._vp_refusal(ADDRESSES[1]) is None)
                    throttle.env.flush_all()

                errors = errors_of_a_second_writer(self, second, "the second submission does not wait for the first")
                self.assertEqual((results, errors), ([True], []))
                cr_first.commit()
                cr_second.commit()
            with database.cursor() as cr_job:
                throttle = api.Environment(cr_job, SUPERUSER_ID, {})["vp.intake.throttle"]
                throttle._gc_expired()
                self.assertEqual(sorted(throttle.search([("key", "in", keys)]).mapped("key")), sorted(keys[:2]))
                self.assertFalse(throttle.search([("key", "=", keys[2])]), "the job forgets the expired row")
                cr_job.commit()
        finally:
            with database.cursor() as cr_cleanup:
                cr_cleanup.execute("DELETE FROM vp_intake_throttle WHERE key = ANY(%s)", [keys])
                cr_cleanup.commit()
