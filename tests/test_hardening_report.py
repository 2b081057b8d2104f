"""Confidentiality hardening of the reports, routes and uninstall hook: the
uninstall hook's reach (L11), who prints which report over /report/* (L6),
whose annual reports management reads (L13), and side-effect-free GET routes
(L10)."""

from odoo.addons.vertrouwenspersoon import uninstall_hook
from odoo.exceptions import AccessError
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


@tagged("post_install", "-at_install")
class TestManagementNamed(TransactionCase):
    """L13: an organisation that names no management is no management user's."""

    def test_unnamed_organisation_is_nobodys_in_management(self):
        manager = self.env.ref("vertrouwenspersoon.user_vp_manager")
        counsellor = self.env.ref("vertrouwenspersoon.user_vp_counsellor")
        organisation = self.env["vp.organisation"].create(
            {"name": "Andere klant", "code": "ANDERE", "counsellor_ids": [(6, 0, counsellor.ids)]}
        )
        report = self.env["vp.annual.report"].with_user(counsellor).create(
            {"organisation_id": organisation.id, "year": 2010}
        )
        self.assertFalse(self.env["vp.organisation"].with_user(manager).search([("id", "=", organisation.id)]))
        with self.assertRaises(AccessError):
            report.with_user(manager).read(["figures_json"])
        with self.assertRaises(AccessError):
            self.env["vp.annual.report"].with_user(manager).create({"organisation_id": organisation.id, "year": 2010})
        wizard = self.env["vp.annual.report.wizard"].with_user(manager).new({})
        self.assertNotIn(organisation.id, wizard.allowed_organisation_ids.ids)
        # The demo manager is named by the demo organisations and prints their reports.
        linde = self.env.ref("vertrouwenspersoon.organisation_zorggroep")
        self.assertIn(manager, linde.manager_user_ids)
        self.assertIn(linde.id, wizard.allowed_organisation_ids.ids)
