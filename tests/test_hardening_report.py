"""Confidentiality hardening of the reports, routes and uninstall hook: the
uninstall hook's reach (L11), who prints which report over /report/* (L6),
whose annual reports management reads (L13), and side-effect-free GET routes
(L10)."""

from odoo.addons.vertrouwenspersoon import uninstall_hook
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestUninstallHookScope(TransactionCase):
    def test_uninstall_hook_leaves_other_schemas_alone(self):
        """L11: a vp_report_* function of another schema is not the addon's and stays."""
        cr = self.env.cr
        with cr.savepoint(flush=False) as savepoint:
            cr.execute("CREATE SCHEMA vp_other_application")
            cr.execute(
                "CREATE FUNCTION vp_other_application.vp_report_totals() RETURNS integer"
                " LANGUAGE sql AS 'SELECT 1'"
            )
            uninstall_hook(self.env)
            cr.execute(
                "SELECT n.nspname, COUNT(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace"
                " WHERE p.proname LIKE 'vp\\_report\\_%%' GROUP BY 1"
            )
            self.assertEqual(dict(cr.fetchall()), {"vp_other_application": 1})
            savepoint.rollback()
