"""The foundation: the addon installs with demo data, its roles exist as
intended, demo users log in, and a role cannot reach another role's menus."""

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import HttpCase, TransactionCase, tagged

from .common import DEMO_LOGINS, ROLE_GROUPS, SECOND_FACTOR_ROLES, api_key, demo_user

VP_GROUPS = sorted(set(ROLE_GROUPS.values()))


@tagged("post_install", "-at_install")
class TestInstall(TransactionCase):
    def test_module_installed_with_demo(self):
        module = self.env["ir.module.module"].search([("name", "=", "vertrouwenspersoon")])
        self.assertEqual(module.state, "installed")
        self.assertTrue(module.demo, "demo data must be loaded")
        for role in DEMO_LOGINS:
            self.assertTrue(demo_user(self.env, role), f"demo user for {role} missing")

    def test_manifest(self):
        manifest = self.env["ir.module.module"].get_module_info("vertrouwenspersoon")
        self.assertEqual(manifest["version"], "18.0.2.5.0")
        self.assertIn(manifest["license"], ("AGPL-3", "LGPL-3"))
        self.assertTrue({"hr", "hr_timesheet", "account", "mail", "portal"} <= set(manifest["depends"]))

    def test_manifest_hooks_exist(self):
        """Every hook the manifest names is a function of the addon: Odoo calls it by name at
        install or uninstall, and a missing one makes uninstalling the addon fail."""
        import odoo.addons.vertrouwenspersoon as addon  # noqa: PLC0415

        manifest = self.env["ir.module.module"].get_module_info("vertrouwenspersoon")
        for hook in ("pre_init_hook", "post_init_hook", "uninstall_hook", "post_load"):
            if manifest.get(hook):
                self.assertTrue(callable(getattr(addon, manifest[hook], None)), f"{hook}: {manifest[hook]}")


@tagged("post_install", "-at_install")
class TestGroups(TransactionCase):
    def test_groups_in_category(self):
        category = self.env.ref("vertrouwenspersoon.module_category_confidential_counsellor")
        self.assertEqual(category.name, "Confidential counsellor")
        for xmlid in VP_GROUPS:
            self.assertEqual(self.env.ref(xmlid).category_id, category, xmlid)

    def test_implied_groups(self):
        expected = {
            "vertrouwenspersoon.group_counsellor": {"base.group_user", "hr_timesheet.group_hr_timesheet_user"},
            "vertrouwenspersoon.group_coordinator": {"base.group_user"},
            "vertrouwenspersoon.group_hr_notice": {"base.group_user"},
            "vertrouwenspersoon.group_management": {"base.group_user"},
            "vertrouwenspersoon.group_invoicing": {"base.group_user", "account.group_account_invoice"},
        }
        for xmlid, implied in expected.items():
            group = self.env.ref(xmlid)
            self.assertEqual(
                set(group.implied_ids.get_external_id().values()), implied, f"{xmlid} implies the wrong groups"
            )
            # Disjoint roles: no role reaches another one through implication.
            others = {self.env.ref(other) for other in VP_GROUPS if other != xmlid}
            self.assertFalse(set(group.trans_implied_ids) & others, f"{xmlid} implies another role")

    def test_each_demo_user_holds_exactly_its_role(self):
        roles = self.env["res.groups"].browse([self.env.ref(x).id for x in VP_GROUPS])
        for role, xmlid in ROLE_GROUPS.items():
            user = demo_user(self.env, role)
            self.assertEqual(user.groups_id & roles, self.env.ref(xmlid), role)
            self.assertTrue(user.has_group("base.group_user"))
            self.assertFalse(user.has_group("base.group_system"), f"{role} must not be an administrator")

    def test_roles_cannot_be_combined(self):
        counsellor = demo_user(self.env, "counsellor")
        with self.assertRaises(ValidationError):
            counsellor.write({"groups_id": [(4, self.env.ref("vertrouwenspersoon.group_coordinator").id)]})


@tagged("post_install", "-at_install")
class TestMenus(TransactionCase):
    MENUS = {
        "vertrouwenspersoon.vp_case_menu": {"coordinator"},
        "vertrouwenspersoon.vp_case_menu_counsellor": {"counsellor", "counsellor2"},
        "vertrouwenspersoon.vp_case_deadlines_menu": {"counsellor", "counsellor2"},
        "vertrouwenspersoon.vp_notice_menu": {"counsellor", "counsellor2", "hr"},
        "vertrouwenspersoon.vp_breach_menu": {"counsellor", "counsellor2", "coordinator"},
        "vertrouwenspersoon.vp_audit_log_menu": {"counsellor", "counsellor2"},
        "vertrouwenspersoon.menu_configuration": {"coordinator"},
        "vertrouwenspersoon.vp_organisation_menu": {"coordinator"},
    }

    def test_menu_visibility_per_role(self):
        for role in DEMO_LOGINS:
            user = demo_user(self.env, role)
            visible = self.env["ir.ui.menu"].with_user(user)._visible_menu_ids()
            for xmlid, roles in self.MENUS.items():
                menu = self.env.ref(xmlid)
                if role in roles:
                    self.assertIn(menu.id, visible, f"{role} should reach {xmlid}")
                else:
                    self.assertNotIn(menu.id, visible, f"{role} must not reach {xmlid}")

    def test_other_roles_cannot_open_the_case_action(self):
        for role in ("hr", "manager", "accountant"):
            user = demo_user(self.env, role)
            with self.assertRaises(AccessError, msg=role):
                self.env["vp.case"].with_user(user).search([])

    def test_plain_internal_user_sees_no_menu(self):
        user = self.env["res.users"].create({"name": "Plain employee", "login": "vp_plain_employee"})
        visible = self.env["ir.ui.menu"].with_user(user)._visible_menu_ids()
        self.assertNotIn(self.env.ref("vertrouwenspersoon.menu_root").id, visible)


@tagged("post_install", "-at_install")
class TestDemoLogins(HttpCase):
    def test_each_demo_user_logs_in_over_xmlrpc(self):
        """Management and invoicing with their password; the roles that sign in with a
        second factor never with a password alone, only with an API key of their own."""
        for role, login in DEMO_LOGINS.items():
            user = demo_user(self.env, role)
            if role in SECOND_FACTOR_ROLES:
                self.assertFalse(self.xmlrpc_common.authenticate(self.env.cr.dbname, login, login, {}), login)
                secret = api_key(self.env, user)
            else:
                secret = login
            uid = self.xmlrpc_common.authenticate(self.env.cr.dbname, login, secret, {})
            self.assertEqual(uid, user.id, f"{login} cannot log in")

    def test_wrong_password_is_refused(self):
        self.assertFalse(self.xmlrpc_common.authenticate(self.env.cr.dbname, "vp_counsellor", "wrong", {}))
