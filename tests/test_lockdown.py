"""The lockdown: the administrator cannot create or change any data that Odoo
evaluates or renders as code, so no code of his runs inside a reader's request
(where her vault is open) and he has no SQL.

Each test plays the administrator over XML-RPC, with nothing but what the web
client and RPC give a member of Settings. The first one is a record rule that
exfiltrates a reader's cases; the others are members of the same class of
attack. Loading a module from the server's files (the
install that built this database) is what still writes such data."""

import xmlrpc.client

from odoo import Command
from odoo.tests import HttpCase, tagged

from .common import VpCaseCommon, admin_xmlrpc, lockdown_off, unlock_session

# A record rule that reads the counsellor's cases inside her own request and
# copies them into a system parameter the administrator reads afterwards.
EXFILTRATING_DOMAIN = (
    "[(1, '=', 1)] if (user.has_group('vertrouwenspersoon.group_counsellor') and "
    "user.env['ir.config_parameter'].sudo().set_param('vp.exfil.%d' % user.id, "
    "str(user.env['vp.case'].search_read([('counsellor_id', '=', user.id)], ['employee_name', 'notes'], limit=2)))"
    " is None) or True else []"
)
CODE = "env['ir.config_parameter'].sudo().set_param('vp.exfil', str(env['vp.case'].search_read([], ['notes'])))"


@tagged("post_install", "-at_install")
class TestLockdown(VpCaseCommon, HttpCase):
    def setUp(self):
        super().setUp()
        self.admin_rpc = admin_xmlrpc(self)

    def assertRefused(self, model, method, *args, **kwargs):
        with self.assertRaises(xmlrpc.client.Fault) as refused:
            self.admin_rpc(model, method, *args, **kwargs)
        self.assertIn("lockdown", refused.exception.faultString)
        return refused.exception.faultString

    def _model_id(self, model):
        return self.env["ir.model"]._get_id(model)

    def test_record_rule_planted_by_the_admin_is_refused_and_reads_nothing(self):
        """The rule is refused; the counsellor's next reads in her own
        unlocked session leave nothing for the administrator."""
        self.assertRefused(
            "ir.rule",
            "create",
            {"name": "Regions: all", "model_id": self._model_id("vp.region"), "domain_force": EXFILTRATING_DOMAIN},
        )
        self.authenticate("vp_counsellor", "vp_counsellor")
        unlock_session(self, "counsellor")
        self.url_open("/web/dataset/call_kw/vp.region/search_read", data="{}", headers={})
        self.env["vp.region"].with_user(self.counsellor).search_read([], ["name"])
        self.assertFalse(self.admin_rpc("ir.config_parameter", "get_param", f"vp.exfil.{self.counsellor.id}"))

    def test_existing_rules_can_be_neither_changed_nor_deleted(self):
        rule = self.env.ref("vertrouwenspersoon.vp_case_rule_counsellor")
        self.assertRefused("ir.rule", "write", [rule.id], {"domain_force": EXFILTRATING_DOMAIN})
        self.assertRefused("ir.rule", "write", [rule.id], {"active": False})
        self.assertRefused("ir.rule", "unlink", [rule.id])
        self.assertTrue(rule.exists().active)

    def test_server_scheduled_actions_refused_timing_allowed(self):
        """No server action means no code and no SQL for the administrator (a server
        action could empty the log); a scheduled action's timing stays his."""
        values = {"name": "x", "model_id": self._model_id("res.partner"), "state": "code", "code": CODE}
        self.assertRefused("ir.actions.server", "create", values)
        self.assertRefused("ir.cron", "create", {**values, "interval_number": 1, "interval_type": "days"})
        cron = self.env.ref("vertrouwenspersoon.ir_cron_vp_case_deadlines")
        self.assertRefused("ir.cron", "write", [cron.id], {"code": CODE})
        self.admin_rpc("ir.cron", "write", [cron.id], {"interval_number": 2, "active": True})
        self.assertEqual(cron.interval_number, 2)

    def test_computed_field_refused_plain_field_allowed(self):
        """A field computed by code the administrator typed runs in whoever reads it."""
        partner = self._model_id("res.partner")
        self.assertRefused(
            "ir.model.fields",
            "create",
            {
                "name": "x_leak",
                "model_id": partner,
                "ttype": "char",
                "compute": "for r in self: r['x_leak'] = str(r.env['vp.case'].search_read([], ['notes']))",
            },
        )
        self.assertRefused(
            "ir.model.fields",
            "create",
            {"name": "x_rel", "model_id": partner, "ttype": "char", "related": "user_id.name"},
        )
        self.admin_rpc("ir.model.fields", "create", {"name": "x_plain", "model_id": partner, "ttype": "char"})
        plain = self.env["ir.model.fields"].search([("model", "=", "res.partner"), ("name", "=", "x_plain")])
        self.assertRefused("ir.model.fields", "write", [plain.id], {"compute": "for r in self: r['x_plain'] = 'x'"})

    def test_analytic_sub_plan_allowed_other_related_fields_refused(self):
        """Adding an analytic sub-plan (Accounting's configuration) makes Odoo create a
        related field per level on every model with plan columns; that one path, from an
        analytic account to its plan's parents, is let through, and nothing like it."""
        # The organisation uses analytic plans: its administrator keeps its accounts.
        self.admin.groups_id = [Command.link(self.env.ref("analytic.group_analytic_accounting").id)]
        root = self.admin_rpc("account.analytic.plan", "create", {"name": "Regio's"})
        sub_plan = self.admin_rpc("account.analytic.plan", "create", {"name": "Zuid", "parent_id": root})
        column = self.env["account.analytic.plan"].browse(root)._strict_column_name()
        level = self.env["ir.model.fields"].search(
            [("model", "=", "account.analytic.line"), ("name", "=", f"{column}_1")]
        )
        self.assertEqual(level.related, f"{column}.plan_id")
        self.assertEqual(self.env["account.analytic.plan"].browse(sub_plan).parent_id.id, root)
        line = self._model_id("account.analytic.line")
        values = {"model_id": line, "ttype": "many2one", "relation": "account.analytic.plan"}
        # The same shape, stored (computed as the superuser and kept), or leaving the plans:
        self.assertRefused(
            "ir.model.fields", "create", {**values, "name": "x_stored", "related": f"{column}.plan_id", "store": True}
        )
        self.assertRefused(
            "ir.model.fields", "create", {**values, "name": "x_company", "related": "company_id.parent_id"}
        )
        self.assertRefused(
            "ir.model.fields",
            "create",
            {**values, "name": "x_case", "ttype": "many2one", "relation": "vp.case", "related": "vp_case_id"},
        )

    def test_views_templates_and_assets_refused(self):
        """A QWeb template runs on the server when the page renders; a view's markup
        and an asset run in the counsellor's browser, where her session is."""
        layout = self.env.ref("web.layout")
        self.assertRefused(
            "ir.ui.view",
            "create",
            {
                "name": "x",
                "type": "qweb",
                "inherit_id": layout.id,
                "arch": (
                    '<xpath expr="//head" position="inside">'
                    "<t t-esc=\"request.env['vp.case'].search_read([])\"/></xpath>"
                ),
            },
        )
        form = self.env.ref("vertrouwenspersoon.vp_case_view_form")
        self.assertRefused(
            "ir.ui.view", "write", [form.id], {"arch_db": form.arch_db.replace("<form", "<form string='x'", 1)}
        )
        self.assertRefused("ir.ui.view", "unlink", [form.id])
        self.assertRefused(
            "ir.ui.view",
            "update_field_translations",
            [form.id],
            "arch_db",
            {"nl_NL": {"Notes": "<img src=x onerror=alert(1)>"}},
        )
        self.assertRefused(
            "ir.asset",
            "create",
            {"name": "x", "bundle": "web.assets_backend", "path": "/web/content/1?x.js"},
        )
        self.assertRefused(
            "ir.attachment",
            "create",
            {"name": "web.assets_backend.min.js", "url": "/web/assets/1/web.assets_backend.min.js", "raw": "alert(1)"},
        )

    def test_window_and_report_expressions_literal_only(self):
        """A window action's context and a report's file name are Python with ``user``
        or ``object``: a fixed value is accepted, code is not."""
        model = "res.partner"
        self.assertRefused(
            "ir.actions.act_window",
            "create",
            {"name": "x", "res_model": model, "context": "{'x': user.env['vp.case'].search_read([], ['notes'])}"},
        )
        self.admin_rpc("ir.actions.act_window", "create", {"name": "y", "res_model": model, "context": "{'a': 1}"})
        report = self.env.ref("vertrouwenspersoon.vp_processing_record_report")
        self.assertRefused(
            "ir.actions.report", "write", [report.id], {"print_report_name": "object.env['vp.case'].search([]).notes"}
        )

    def test_mail_templates_keep_their_code(self):
        """A template renders in the request of whoever sends it: its wording may
        change, its placeholders may not grow."""
        model = self._model_id("res.partner")
        self.assertRefused(
            "mail.template",
            "create",
            {"name": "x", "model_id": model, "body_html": "<p t-out=\"object.env['vp.case'].search_read([])\"/>"},
        )
        self.assertRefused(
            "mail.template", "create", {"name": "x", "model_id": model, "subject": "{{ object.env.cr.dbname }}"}
        )
        static = self.admin_rpc("mail.template", "create", {"name": "x", "model_id": model, "subject": "Hallo"})
        self.assertRefused("mail.template", "write", [static], {"subject": "Hallo {{ object.name }}"})
        template = self.env["mail.template"].search([("subject", "like", "{{")], limit=1)
        self.assertTrue(template, "Odoo ships templates with placeholders")
        self.admin_rpc("mail.template", "write", [template.id], {"subject": "Nieuw: " + template.subject})

    def test_access_rights_modules_and_uploads_refused(self):
        hr_group = self.env.ref("vertrouwenspersoon.group_hr_notice")
        self.assertRefused(
            "ir.model.access",
            "create",
            {"name": "x", "model_id": self._model_id("vp.case"), "group_id": hr_group.id, "perm_read": True},
        )
        module = self.env["ir.module.module"].search([("name", "=", "vertrouwenspersoon")])
        self.assertRefused("ir.module.module", "button_uninstall", [module.id])
        self.assertEqual(module.state, "installed")
        self.assertRefused("ir.module.module", "create", {"name": "x_imported", "imported": True, "state": "installed"})
        self.assertRefused("base.language.import", "create", {"name": "x", "code": "xx_XX", "filename": "x.po"})

    def test_a_context_key_opens_nothing(self):
        """Module loading is told by the registry, not by the context an RPC client sends."""
        context = {"install_mode": True, "install_filename": "x.xml", "module": "vertrouwenspersoon"}
        self.assertRefused(
            "ir.rule",
            "create",
            {"name": "x", "model_id": self._model_id("vp.region"), "domain_force": "[(1, '=', 1)]"},
            context=context,
        )

    def test_groups_and_users_still_managed(self):
        """Daily administration goes on: a group (Odoo regenerates its user form view), a user."""
        group = self.admin_rpc("res.groups", "create", {"name": "Eigen groep"})
        self.admin_rpc("res.users", "create", {"name": "Nieuwe collega", "login": "nieuw", "groups_id": [(4, group)]})

    def test_off_only_in_the_operators_configuration(self):
        """``vp_lockdown = False`` is the operator's choice, and then the administrator
        may write rules again (and the threat model no longer holds)."""
        with lockdown_off():
            rule = self.admin_rpc(
                "ir.rule",
                "create",
                {"name": "x", "model_id": self._model_id("vp.region"), "domain_force": "[(1, '=', 1)]"},
            )
        self.assertTrue(rule)
