"""The administrator gives a role as one selection on the ordinary user form, and the role
brings its own home screen; the login page lists no recent users."""

from lxml import etree

from odoo.addons.vertrouwenspersoon.const import ROLES
from odoo.addons.vertrouwenspersoon.models.odoo_models.res_users import ROLE_HOME_ACTIONS
from odoo.tests import TransactionCase, tagged

from .common import demo_user


@tagged("post_install", "-at_install")
class TestRoleSelection(TransactionCase):
    def _role_field(self):
        roles = self.env["res.groups"].browse([self.env.ref(xmlid).id for xmlid in ROLES])
        name = "sel_groups_" + "_".join(str(gid) for gid in sorted(roles.ids))
        return name, roles

    def test_one_selection_outside_developer_mode(self):
        name, roles = self._role_field()
        field = self.env["res.users"].with_context(lang="nl_NL").fields_get([name])[name]
        self.assertEqual(field["type"], "selection")
        self.assertEqual(field["string"], "Vertrouwenspersoon")
        ordered = roles.sorted(lambda group: ROLES.index(group.get_external_id()[group.id]))
        self.assertEqual([key for key, _label in field["selection"]], [False, *ordered.ids])
        # On the form an administrator sees without developer mode: Odoo's generated part of
        # the user form holds the field outside every "technical features" (developer) group.
        arch = etree.fromstring(self.env.ref("base.user_groups_view").arch_db.encode())
        nodes = arch.xpath(f"//field[@name='{name}']")
        self.assertTrue(nodes)
        for node in nodes:
            groups = [ancestor.get("groups") or "" for ancestor in (node, *node.iterancestors())]
            self.assertFalse([group for group in groups if "base.group_no_one" in group and "!" not in group])

    def test_choosing_a_role_gives_its_home_and_one_role_only(self):
        name, roles = self._role_field()
        user = self.env["res.users"].create({"name": "Nieuwe HR", "login": "vp_new_hr"})
        hr = self.env.ref("vertrouwenspersoon.group_hr_notice")
        user.write({name: hr.id})
        self.assertEqual(user.groups_id & roles, hr)
        self.assertEqual(user.action_id.id, self.env.ref(ROLE_HOME_ACTIONS["vertrouwenspersoon.group_hr_notice"]).id)
        # Another choice replaces the role (a selection holds one) and its home screen.
        management = self.env.ref("vertrouwenspersoon.group_management")
        user.write({name: management.id})
        self.assertEqual(user.groups_id & roles, management)
        self.assertEqual(user.action_id.id, self.env.ref("vertrouwenspersoon.vp_annual_report_action").id)
        # No role, no home screen of the addon.
        user.write({name: False})
        self.assertFalse(user.groups_id & roles)
        self.assertFalse(user.action_id)
        # A home action the administrator chose herself stays.
        own = self.env.ref("base.action_res_users")
        user.write({"action_id": own.id})
        user.write({name: hr.id})
        self.assertEqual(user.action_id.id, own.id)

    def test_demo_users_land_on_their_role_screen(self):
        for role, xmlid in (
            ("counsellor", "vp_case_action_counsellor"),
            ("coordinator", "vp_case_action_unassigned"),
            ("hr", "vp_notice_action"),
            ("manager", "vp_annual_report_action"),
            ("accountant", "vp_engagement_hours_action"),
        ):
            self.assertEqual(
                demo_user(self.env, role).action_id.id, self.env.ref(f"vertrouwenspersoon.{xmlid}").id, role
            )

    def test_login_page_lists_no_recent_users(self):
        self.assertEqual(self.env["ir.config_parameter"].sudo().get_param("web.quick_login"), "False")
