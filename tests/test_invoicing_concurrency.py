"""The monthly run and the logging of hours exclude each other; counsellors
logging hours for one client organisation do not.

A line's invoice follows from its engagement and month, so an hour logged in
a month while that month is being invoiced would be neither billed nor
refused. The run updates the engagement's row; logging hours takes a share
lock on it (vp.engagement._vp_claim_billing, _vp_hold_billing). Share locks
do not conflict, so two counsellors logging hours for one organisation go
ahead side by side (both used to update the row: the second waited and then
failed to serialize). Against the run: a counsellor whose transaction began
before the run committed fails to serialize and is retried (the retry sees
the invoice); a run that waited for a counsellor's hours finds them committed
meanwhile and fails to serialize itself (the retry bills them). Two real
database connections, each in its own thread, show it; what a test commits
is deleted again (and committed) at the end."""

import threading
from datetime import date
from unittest.mock import patch

import psycopg2.errors

from odoo import SUPERUSER_ID, api, sql_db
from odoo.tests import TransactionCase, tagged

from .common import assert_waits_then_fails_to_serialize, demo_user

FEBRUARY = (date(2026, 2, 1), date(2026, 2, 28))


@tagged("post_install", "-at_install")
class TestInvoicingConcurrency(TransactionCase):
    def test_hours_logged_in_a_transaction_older_than_the_run_are_retried(self):
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
            env_run["vp.engagement"].browse(engagement_id)._vp_claim_billing(*FEBRUARY)
            # The run ends (its update changed nothing) while the logging of hours waits.
            assert_waits_then_fails_to_serialize(
                self,
                cr_run,
                env_hours["vp.engagement"].browse(engagement_id)._vp_hold_billing,
                "the logging of hours waits for the run",
                "the logging of hours fails and is retried",
            )
            cr_hours.rollback()

    def test_counsellors_logging_hours_for_one_organisation_do_not_wait(self):
        engagement_id = self.env.ref("vertrouwenspersoon.engagement_zorggroep").id
        database = sql_db.db_connect(self.env.cr.dbname)
        with database.cursor() as cr_first, database.cursor() as cr_second:
            cr_second.execute("SET LOCAL lock_timeout = '2s'")
            cr_second.execute("SELECT 1")  # the second counsellor's snapshot is taken
            api.Environment(cr_first, SUPERUSER_ID, {})["vp.engagement"].browse(engagement_id)._vp_hold_billing()
            # would raise LockNotAvailable after 2 s if it waited for the first counsellor
            api.Environment(cr_second, SUPERUSER_ID, {})["vp.engagement"].browse(engagement_id)._vp_hold_billing()
            cr_first.commit()
            cr_second.commit()  # and it does not fail to serialize once the first has committed

    def test_gate_of_a_retrying_job_holds_new_hours_back(self):
        """Before it tries again the job closes a gate: hours logged meanwhile wait (here: until
        the lock timeout), so the next attempt cannot be outrun by a steady stream of hours."""
        engagement_id = self.env.ref("vertrouwenspersoon.engagement_zorggroep").id
        database = sql_db.db_connect(self.env.cr.dbname)
        with database.cursor() as cr_job, database.cursor() as cr_hours:
            env_job = api.Environment(cr_job, SUPERUSER_ID, {})
            try:
                env_job["vp.engagement"]._vp_close_billing_gate([engagement_id])
                cr_hours.execute("SET LOCAL lock_timeout = '1s'")
                with self.assertRaises(psycopg2.errors.LockNotAvailable):
                    api.Environment(cr_hours, SUPERUSER_ID, {})["vp.engagement"].browse(
                        engagement_id
                    )._vp_hold_billing()
                cr_hours.rollback()
            finally:
                cr_job.execute("SELECT pg_advisory_unlock_all()")
            cr_hours.execute("SET LOCAL lock_timeout = '2s'")
            api.Environment(cr_hours, SUPERUSER_ID, {})["vp.engagement"].browse(engagement_id)._vp_hold_billing()
            cr_hours.rollback()

    def test_other_engagements_are_not_held_up(self):
        zorggroep = self.env.ref("vertrouwenspersoon.engagement_zorggroep").id
        logistiek = self.env.ref("vertrouwenspersoon.engagement_logistiek").id
        database = sql_db.db_connect(self.env.cr.dbname)
        with database.cursor() as cr_run, database.cursor() as cr_hours:
            cr_hours.execute("SET LOCAL lock_timeout = '2s'")
            api.Environment(cr_run, SUPERUSER_ID, {})["vp.engagement"].browse(zorggroep)._vp_claim_billing(*FEBRUARY)
            # Hours for another client organisation go ahead while the run holds its engagement.
            api.Environment(cr_hours, SUPERUSER_ID, {})["vp.engagement"].browse(logistiek)._vp_hold_billing()
            cr_hours.rollback()
            cr_run.rollback()

    def test_monthly_job_waits_for_hours_being_logged_and_bills_them(self):
        """Odoo's scheduler would wait a month after a failed job: the job itself tries again
        in a new transaction, which bills the hour logged while it waited."""
        database = sql_db.db_connect(self.env.cr.dbname)
        counsellor = demo_user(self.env, "counsellor")
        case_id = self.env.ref("vertrouwenspersoon.case_14").id
        line_ids = []
        try:
            with database.cursor() as cr_job, database.cursor() as cr_hours:
                env_job = api.Environment(cr_job, SUPERUSER_ID, {})
                env_hours = api.Environment(cr_hours, counsellor.id, {})
                cr_job.execute("SET LOCAL lock_timeout = '20s'")
                engagements = env_job["vp.engagement"]._vp_engagements_of_month(FEBRUARY[0])
                engagements = engagements - engagements._vp_without_rate()
                self.assertFalse(env_job["account.move"]._vp_closed_periods({(e.id, FEBRUARY[0]) for e in engagements}))
                # A counsellor is logging an hour of February (not committed yet) ...
                line = env_hours["account.analytic.line"].create(
                    {"vp_case_id": case_id, "vp_time_type": "meeting", "unit_amount": 1.25, "date": date(2026, 2, 20)}
                )
                env_hours.flush_all()
                line_ids.append(line.id)
                self.assertIn(line.vp_engagement_id, engagements)
                # ... when the job starts: it waits for that hour, then tries again and bills it.
                errors = []

                def job():
                    try:
                        with patch("odoo.fields.Date.context_today", return_value=date(2026, 3, 3)):
                            env_job["vp.engagement"]._cron_invoice_last_month()
                    except Exception as error:  # reported by the assertion below
                        errors.append(error)

                thread = threading.Thread(target=job)
                thread.start()
                thread.join(1.0)
                self.assertTrue(thread.is_alive(), "the job waits for the hour being logged")
                cr_hours.commit()
                thread.join(30.0)
                self.assertFalse(thread.is_alive())
                self.assertEqual(errors, [])
                periods = {(e.id, FEBRUARY[0]) for e in engagements}
                self.assertTrue(env_job["account.move"]._vp_closed_periods(periods), "February is invoiced")
                billed = env_job["account.analytic.line"].browse(line_ids).vp_invoice_id
                self.assertTrue(billed, "the hour logged while the job waited is billed")
                self.assertIn(line_ids[0], billed.sudo().vp_timesheet_ids.ids)
                cr_job.rollback()
        finally:
            with database.cursor() as cr_cleanup:
                cr_cleanup.execute("DELETE FROM account_analytic_line WHERE id = ANY(%s)", [line_ids])
                cr_cleanup.commit()
