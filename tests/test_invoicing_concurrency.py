"""The monthly run and the logging of hours exclude each other.

A line's invoice follows from its engagement and month, so an hour logged in
a month while that month is being invoiced would be neither billed nor
refused. Both sides therefore update the engagement's row: the second waits
for the first and then, under Odoo's REPEATABLE READ isolation, fails with a
serialization error, which Odoo retries (the retry sees the invoice, or the
hour). Two real database connections, each in its own thread, show it; the
only thing committed is a no-op update."""

from datetime import date
from unittest.mock import patch

from odoo import SUPERUSER_ID, api, sql_db
from odoo.tests import TransactionCase, tagged

from .common import assert_waits_then_fails_to_serialize


@tagged("post_install", "-at_install")
class TestInvoicingConcurrency(TransactionCase):
    def test_second_transaction_on_an_engagement_is_serialized(self):
        engagement_id = self.env.ref("vertrouwenspersoon.engagement_zorggroep").id
        database = sql_db.db_connect(self.env.cr.dbname)
        with database.cursor() as cr_run, database.cursor() as cr_hours:
            env_run = api.Environment(cr_run, SUPERUSER_ID, {})
            env_hours = api.Environment(cr_hours, SUPERUSER_ID, {})
            cr_run.execute("SET LOCAL lock_timeout = '20s'")
            cr_hours.execute("SET LOCAL lock_timeout = '20s'")
            # The counsellor's transaction has started (its snapshot is taken) ...
            cr_hours.execute("SELECT 1")
            # ... when the monthly run claims the engagement.
            env_run["vp.engagement"].browse(engagement_id)._vp_serialize_billing()
            # The run ends (its update changed nothing) while the logging of hours waits.
            assert_waits_then_fails_to_serialize(
                self,
                cr_run,
                env_hours["vp.engagement"].browse(engagement_id)._vp_serialize_billing,
                "the logging of hours waits for the run",
                "the logging of hours fails and is retried",
            )
            cr_hours.rollback()

    def test_other_engagements_are_not_held_up(self):
        zorggroep = self.env.ref("vertrouwenspersoon.engagement_zorggroep").id
        logistiek = self.env.ref("vertrouwenspersoon.engagement_logistiek").id
        database = sql_db.db_connect(self.env.cr.dbname)
        with database.cursor() as cr_run, database.cursor() as cr_hours:
            cr_hours.execute("SET LOCAL lock_timeout = '2s'")
            api.Environment(cr_run, SUPERUSER_ID, {})["vp.engagement"].browse(zorggroep)._vp_serialize_billing()
            # Hours for another client organisation go ahead while the run holds its engagement.
            api.Environment(cr_hours, SUPERUSER_ID, {})["vp.engagement"].browse(logistiek)._vp_serialize_billing()
            cr_hours.rollback()
            cr_run.rollback()

    def test_monthly_job_tries_again_after_hours_logged_meanwhile(self):
        """Odoo's scheduler would wait a month after a failed job: the job itself tries again
        in a new transaction. Nothing is committed but a no-op update."""
        database = sql_db.db_connect(self.env.cr.dbname)
        with database.cursor() as cr_job, database.cursor() as cr_hours:
            env_job = api.Environment(cr_job, SUPERUSER_ID, {})
            engagements = env_job["vp.engagement"]._vp_engagements_of_month(date(2026, 2, 1))
            engagements = engagements - engagements._vp_without_rate()
            self.assertTrue(engagements)
            self.assertFalse(
                env_job["account.move"]._vp_closed_periods({(e.id, date(2026, 2, 1)) for e in engagements})
            )
            # The job's transaction has begun when a counsellor logs hours for an engagement
            # of the month and commits (here: only the engagement's row, as logging does).
            cr_job.execute("SELECT 1")
            api.Environment(cr_hours, SUPERUSER_ID, {})["vp.engagement"].browse(
                engagements[:1].id
            )._vp_serialize_billing()
            cr_hours.commit()
            # Its first attempt fails with a serialization error (the test would stop on it
            # if the job did not try again); the second one invoices the month.
            with patch("odoo.fields.Date.context_today", return_value=date(2026, 3, 3)):
                env_job["vp.engagement"]._cron_invoice_last_month()
            periods = {(e.id, date(2026, 2, 1)) for e in engagements}
            self.assertTrue(env_job["account.move"]._vp_closed_periods(periods), "February is invoiced")
            cr_job.rollback()
