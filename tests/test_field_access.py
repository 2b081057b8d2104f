"""A field a role may not read cannot be used by that role to search, group or sort
(a search, a group or an order on a hidden field tells its values): every field of every
model of the addon, and the addon's fields on Odoo models, for every role."""

from lxml import etree

from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, tagged
from odoo.tools.safe_eval import safe_eval

from .common import VpCaseCommon

MODULE = "vertrouwenspersoon"
ROLES = ("counsellor", "coordinator", "hr", "manager", "accountant", "employee", "portal")


def _guarded_fields(env):
    """{model name: [field names]} of what the mixin must guard: every field of the addon's
    own (non-abstract) models, and the addon's fields on Odoo models."""
    result = {}
    for name in sorted(env.registry):
        model = env[name]
        if model._abstract:
            continue
        own = model._original_module == MODULE
        fields = [fname for fname, field in model._fields.items() if own or field._module == MODULE]
        if fields:
            result[name] = fields
    return result


@tagged("post_install", "-at_install")
class TestFieldAccess(VpCaseCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        case = cls.case
        cls.kind = env.ref("vertrouwenspersoon.behaviour_kind_bullying")
        cls.meeting = (
            env["vp.case.meeting"]
            .with_user(cls.counsellor)
            .create({"case_id": case.id, "meeting_date": "2026-03-02 10:00:00", "channel": "in_person"})
        )

    def _user(self, role):
        return self.employee if role == "employee" else self.portal if role == "portal" else getattr(self, role)

    def _probes(self, model, fname):
        field = model._fields[fname]
        probes = [
            ("search !=False", lambda: model.search([(fname, "!=", False)])),
            ("search =False", lambda: model.search_count([(fname, "=", False)])),
            ("read_group", lambda: model.read_group([], ["__count"], [fname], lazy=False)),
            ("order", lambda: model.search([], order=f"{fname} desc")),
        ]
        if field.relational:
            probes += [
                (".id", lambda: model.search([(f"{fname}.id", "in", [1, 2, 3])])),
                ("any", lambda: model.search([(fname, "any", [("id", "!=", False)])])),
                ("not any", lambda: model.search([(fname, "not any", [("id", "=", 0)])])),
            ]
        return probes

    def test_guard_covers_every_model(self):
        """A model of the addon (or an Odoo model with fields of the addon) without
        vp.field.access.mixin in its _inherit would let its fields be searched."""
        guarded = set(self.env["vp.field.access.mixin"]._inherit_children)
        missing = sorted(set(_guarded_fields(self.env)) - guarded)
        self.assertEqual(missing, [], "models without vp.field.access.mixin")

    def test_unreadable_fields_cannot_be_searched_grouped_or_sorted(self):
        holes = []
        checked = 0
        for role in ROLES:
            user = self._user(role)
            env = self.env(user=user)
            for model_name, fnames in _guarded_fields(self.env).items():
                model = env[model_name]
                for fname in fnames:
                    if model._fields[fname].is_accessible(env):
                        continue
                    for label, probe in self._probes(model, fname):
                        checked += 1
                        try:
                            with self.env.cr.savepoint():
                                probe()
                        except AccessError:
                            continue
                        except Exception as error:
                            holes.append(f"{role} {model_name}.{fname} {label}: {type(error).__name__} {error}")
                            continue
                        holes.append(f"{role} {model_name}.{fname} {label}: not refused")
        self.assertGreater(checked, 1000)
        self.assertEqual(holes, [], f"{len(holes)} probes not refused:\n" + "\n".join(holes[:80]))

    def test_coordinator_probes_on_counsellor_fields_are_refused(self):
        """Probes on a counsellor's fields, as the coordinator (who reads every case)."""
        Case = self.env["vp.case"].with_user(self.coordinator)
        probes = [
            lambda: Case.read_group([], ["__count"], ["name", "behaviour_kind_ids"], lazy=False),
            lambda: Case.read_group([], ["__count"], ["name", "route_ids"], lazy=False),
            lambda: Case.search([("behaviour_kind_ids", "in", [self.kind.id])]),
            lambda: Case.search([("route_ids.category", "=", "formal")]),
            lambda: Case.search([("behaviour_kind_ids", "any", [("category", "=", "integrity")])]),
            lambda: Case.search([("breach_ids", "!=", False)]),
            lambda: Case.search([("consent_ids", "!=", False)]),
            lambda: Case.search([("referral_ids", "!=", False)]),
            lambda: Case.search([("id", "=", self.case.id), ("meeting_ids", "in", [self.meeting.id])]),
            lambda: Case.search(["|", ("state", "=", "open"), "!", ("document_ids", "=", False)]),
            # through a model the coordinator reads, one step further
            lambda: (
                self.env["vp.case.handover"]
                .with_user(self.coordinator)
                .search([("case_id.behaviour_kind_ids", "in", [self.kind.id])])
            ),
            lambda: (
                self.env["vp.case.handover"]
                .with_user(self.coordinator)
                .search([("case_id", "any", [("route_ids", "!=", False)])])
            ),
        ]
        for number, probe in enumerate(probes):
            with self.subTest(probe=number), self.assertRaises(AccessError):
                probe()
        # What the coordinator may use still works.
        self.assertIn(self.case, Case.search([("state", "=", "request"), ("counsellor_id", "=", self.counsellor.id)]))
        self.assertTrue(Case.read_group([], ["__count"], ["region_id", "state"], lazy=False))
        self.assertTrue(Case.search([], order="request_date desc, counsellor_id"))

    def test_the_counsellor_and_server_code_keep_working(self):
        Case = self.env["vp.case"].with_user(self.counsellor)
        self.assertEqual(
            Case.search([("behaviour_kind_ids", "in", [self.kind.id]), ("id", "=", self.case.id)]), self.case
        )
        self.assertTrue(Case.read_group([("id", "=", self.case.id)], ["__count"], ["behaviour_kind_ids"]))
        self.assertEqual(Case.search([("meeting_ids", "!=", False), ("id", "=", self.case.id)]), self.case)
        # sudo code is not checked: it decides itself what it returns
        cases = self.env["vp.case"].with_user(self.coordinator).sudo().search([("behaviour_kind_ids", "!=", False)])
        self.assertIn(self.case, cases)
        # the error is a clear, translated message
        with self.assertRaisesRegex(AccessError, "Soorten gedrag|Kinds of behaviour"):
            self.env["vp.case"].with_user(self.coordinator).search([("behaviour_kind_ids", "!=", False)])


# The dashboards' views, with the role that opens each (views/vp_dashboard_views.xml).
DASHBOARD_ACTIONS = {
    "vertrouwenspersoon.vp_case_dashboard_action_counsellor": "counsellor",
    "vertrouwenspersoon.vp_case_dashboard_action_coordinator": "coordinator",
    "vertrouwenspersoon.vp_counsellor_load_action": "coordinator",
    "vertrouwenspersoon.vp_annual_figure_action": "manager",
    "vertrouwenspersoon.account_analytic_line_action_vp_counsellor": "counsellor",
}


@tagged("post_install", "-at_install")
class TestDashboardGroupings(VpCaseCommon, TransactionCase):
    """Every grouping the dashboards offer (graph, pivot, search view) works for the role
    whose dashboard it is, over that role's rows only, and is refused to every other role."""

    def _groupings(self, action):
        model = self.env[action.res_model]
        views = [(view_id, mode) for view_id, mode in action.views if mode in ("graph", "pivot")]
        views.append((action.search_view_id.id, "search"))
        found = set()
        for view_id, view_type in views:
            arch = etree.fromstring(model.get_views([(view_id, view_type)])["views"][view_type]["arch"])
            if view_type in ("graph", "pivot"):
                found.update(node.get("name") for node in arch.iter("field") if node.get("type") != "measure")
            for node in arch.iter("filter"):
                context = safe_eval(node.get("context") or "{}")
                if context.get("group_by"):
                    found.add(context["group_by"].split(":")[0])
        context = safe_eval(action.context or "{}", {"uid": self.env.uid})
        for key in ("graph_groupbys", "pivot_row_groupby", "pivot_column_groupby"):
            found.update(context.get(key, ()))
        return sorted(name for name in found if name in model._fields and model._fields[name].store)

    def test_every_grouping_of_every_dashboard(self):
        self.env["vp.annual.figure"].with_user(self.manager)._vp_refresh()
        checked = 0
        for xmlid, role in DASHBOARD_ACTIONS.items():
            action = self.env.ref(xmlid)
            groupings = self._groupings(action)
            self.assertTrue(groupings, xmlid)
            for name in groupings:
                if action.res_model == "account.analytic.line":
                    # Her hours by month: grouped, her own lines only (the global timesheet rule).
                    lines = self.env["account.analytic.line"].with_user(self.counsellor)
                    domain = [("vp_time_type", "!=", False)]
                    groups = lines.read_group(domain, ["__count"], [name], lazy=False)
                    own = self.env["account.analytic.line"].search_count(
                        [*domain, ("user_id", "=", self.counsellor.id)]
                    )
                    self.assertEqual(sum(group["__count"] for group in groups), own, name)
                    checked += 1
                    continue
                for other in ROLES:
                    model = self.env[action.res_model].with_user(self._user(other))
                    # the coordinator's and the counsellor's dashboards are one model, rows by rule
                    shared = action.res_model == "vp.case.dashboard" and other in ("counsellor", "coordinator")
                    checked += 1
                    with self.subTest(action=xmlid, groupby=name, role=other):
                        if other == role or shared:
                            model.read_group([], ["__count"], [name], lazy=False)
                        else:
                            with self.assertRaises(AccessError):
                                model.read_group([], ["__count"], [name], lazy=False)
        self.assertGreater(checked, 50)

    def _user(self, role):
        return self.employee if role == "employee" else self.portal if role == "portal" else getattr(self, role)
