# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The annual report counts on demand (report/counts.py): drop the counts that
PostgreSQL kept for it in earlier releases, with the triggers that kept them, and the
job that compacted them.

Functions first, with CASCADE, so their triggers go with them (a trigger left behind
would call a function that no longer exists on every write of a case). Only the
functions of the current schema: another schema of the same database may hold
functions of the same name that are not this addon's."""

from odoo import SUPERUSER_ID, api
from odoo.tools import SQL


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        "SELECT oid::regprocedure::text FROM pg_proc"
        " WHERE proname LIKE 'vp\\_report\\_%' AND pronamespace = current_schema()::regnamespace"
    )
    for (function,) in cr.fetchall():
        cr.execute(SQL("DROP FUNCTION IF EXISTS %s CASCADE", SQL(function)))
    cr.execute("DROP TABLE IF EXISTS vp_report_case_count, vp_report_count")
    # noupdate: the update itself would leave the job, on a model that no longer exists
    env = api.Environment(cr, SUPERUSER_ID, {})
    cron = env.ref("vertrouwenspersoon.ir_cron_vp_compact_report_counts", raise_if_not_found=False)
    if cron:
        cron.unlink()
    # The job's server action went with it (ON DELETE CASCADE), past the ORM: its
    # external id would be left pointing at nothing.
    cr.execute(
        "DELETE FROM ir_model_data WHERE module = 'vertrouwenspersoon'"
        " AND name = 'ir_cron_vp_compact_report_counts_ir_actions_server'"
    )
