from odoo.tools import SQL

from . import controllers
from . import models
from . import report
from . import tools
from . import wizards
from .tools import anonymous_log

# No visitor's address in Odoo's request log (tools/anonymous_log.py).
anonymous_log.install()


def uninstall_hook(env):
    """Drop what models/vp_report_counter.py created outside Odoo's models:
    its functions with the triggers that call them (before Odoo deletes the
    addon's records, which would fire them), and its tables.

    Only functions of the current schema: the addon creates its own
    there, and another schema of the same database (another application, a
    copy of this one) may hold functions of the same name that are not ours."""
    env.cr.execute(
        "SELECT oid::regprocedure::text FROM pg_proc"
        " WHERE proname LIKE 'vp\\_report\\_%' AND pronamespace = current_schema()::regnamespace"
    )
    for (function,) in env.cr.fetchall():
        env.cr.execute(SQL("DROP FUNCTION IF EXISTS %s CASCADE", SQL(function)))
    env.cr.execute("DROP TABLE IF EXISTS vp_report_case_count, vp_report_count")
