# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The lockdown: code the administrator controls never runs where content is open.

Odoo evaluates or renders some of its data as code: record rules, server,
automated and scheduled actions, computed and related fields made in the user
interface, views and QWeb templates, web assets, report name expressions,
window action contexts and domains, and mail and SMS templates. Such code runs
inside whichever request needs it, also inside a counsellor's own request while
her vault is open there; from there it reads what she reads, and SQL run by it
needs no vault at all (it can empty the logs). A check inside the vault cannot
tell such code from the addon's own screens, so the addon keeps this kind of
data out of the administrator's hands instead: under the lockdown, it is
created or changed only by loading a module from the server's files (the
operator's), never through the web client, RPC, an import or a data module.

The setting is the operator's, in the Odoo configuration file::

    [options]
    vp_lockdown = True

On when absent. ``vp_lockdown = False`` turns it off; the server then no longer
keeps the promise that the administrator reads nothing (docs/SECURITY.md).

Nothing here reads the request's context: an RPC client sends any context it
likes. What opens the lock is the registry being loaded from the server's files
(``registry.ready`` is False only inside ``load_modules``, which holds the
registry lock: no request runs meanwhile), or code running as the superuser
account (uid 1), which nobody logs in as: scheduled jobs of modules and Odoo's
own asset generation.
"""

import ast
import re
import threading
from contextlib import contextmanager

from lxml import html

from odoo import SUPERUSER_ID
from odoo.exceptions import UserError
from odoo.tools import config
from odoo.tools.rendering_tools import parse_inline_template

CONFIG_KEY = "vp_lockdown"

EVERY_FIELD = None

# Data that Odoo evaluates or renders as code, by model: the fields that hold
# the code, or EVERY_FIELD. ``create`` of such a record is refused (unless all of
# its code fields are plain literals, where LITERAL_ONLY says so), ``write`` of a
# code field is refused, ``unlink`` only where UNLINK_LOCKED says so.
CODE_FIELDS = {
    # domain_force is Python run with ``user`` (and so the whole ORM) in every reader's request
    "ir.rule": EVERY_FIELD,
    # QWeb templates run on the server; other views are rendered as HTML in the browser
    "ir.ui.view": EVERY_FIELD,
    # JavaScript and styles served to every user of the web client
    "ir.asset": EVERY_FIELD,
    # server actions run Python; scheduled actions are server actions
    "ir.actions.server": EVERY_FIELD,
    "ir.cron": EVERY_FIELD,
    # automated actions run on create/write in the writer's request (when base_automation is installed)
    "base.automation": EVERY_FIELD,
    # Python evaluated with ``user`` when an action is opened or read
    "ir.actions.act_window": {"context", "domain"},
    # Python evaluated with the printed ``object``
    "ir.actions.report": {"print_report_name", "attachment"},
    # computed and related fields made in the interface run in whoever reads them
    "ir.model.fields": {"compute", "related", "depends"},
}

# Fields of locked models that hold no code and that Odoo or an operator changes
# in daily work (a scheduled action's timing, a server action's label or menu).
HARMLESS_FIELDS = {
    "ir.actions.server": {"name", "sequence", "groups_id", "binding_model_id", "binding_type", "binding_view_types"},
    "ir.cron": {
        "name",
        "active",
        "nextcall",
        "lastcall",
        "interval_number",
        "interval_type",
        "priority",
        "failure_count",
        "first_failure_date",
    },
    "base.automation": {"name", "active"},
}

# Expression fields that may still take a plain literal (a fixed context, a
# fixed report name): a literal runs nothing.
LITERAL_ONLY = {"ir.actions.act_window", "ir.actions.report"}

# Deleting these would let a record rule or template fall away that the module relies on.
UNLINK_LOCKED = {"ir.rule", "ir.ui.view", "ir.asset", "ir.model.access"}

# Odoo's analytic module gives every model with analytic plan columns one related field
# per sub-plan level (analytic_plan.py, _sync_plan_column) when an accountant adds a
# sub-plan: a read of an analytic account's plan and that plan's parents, no code of
# anyone's. Only that path, from a field of the model that points at analytic accounts,
# to a plan, unstored, is let through (_is_analytic_plan_level).
ANALYTIC_PLAN_LEVEL_PATH = re.compile(r"^(?P<account_field>account_id|x_plan\d+_id)\.plan_id(\.parent_id)*$")

# Wizards that load code from an upload: a custom translation file (view terms
# are parsed as XML) and a data module (XML, CSV and SQL files, run as is).
UPLOAD_WIZARDS = {"base.language.import", "base.import.module"}

ASSET_URL_PREFIX = "/web/assets/"
ADDON = "vertrouwenspersoon"
ADDON_MODEL_PREFIX = "vp."

# Set while Odoo regenerates its own generated view of user groups (a write it
# makes when groups change); thread-local, so no RPC client can set it.
_generating = threading.local()


@contextmanager
def odoo_generates_views():
    _generating.depth = getattr(_generating, "depth", 0) + 1
    try:
        yield
    finally:
        _generating.depth -= 1


def is_on():
    """Whether the operator's configuration asks for the lockdown (on when absent)."""
    value = config.get(CONFIG_KEY, True)
    if isinstance(value, str):
        return value.strip().lower() not in ("0", "false", "no", "off", "")
    return bool(value)


def _applies(records):
    """The lock holds for this call: on, outside module loading, not the superuser account."""
    if not is_on():
        return False
    if not records.pool.ready:
        # load_modules: data from the server's files (the operator's)
        return False
    return records.env.uid != SUPERUSER_ID


def _refuse(records, what):
    raise UserError(
        records.env._(
            "This server runs in lockdown, set by its operator to keep confidential case content from everyone "
            "but its readers: %(what)s can only be created or changed by installing or updating a module from "
            "the server's files, not through the web client, RPC or an import. See docs/SECURITY.md, 'Lockdown'.",
            what=what,
        )
    )


def _is_literal(value):
    if not value or not isinstance(value, str):
        return True
    try:
        ast.literal_eval(value)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return False
    return True


def _code_fields_in(model_name, vals):
    locked = CODE_FIELDS[model_name]
    harmless = HARMLESS_FIELDS.get(model_name, set())
    if locked is EVERY_FIELD:
        return [name for name in vals if name not in harmless]
    return [name for name in vals if name in locked]


def _describe(records):
    return records.env["ir.model"]._get(records._name).name or records._name


def check_create(records, vals_list):
    """Refuse creating code the administrator controls (see the module docstring)."""
    model_name = records._name
    if model_name not in CODE_FIELDS and model_name not in _SPECIAL and not _renders(records):
        return
    if not _applies(records):
        return
    if model_name in UPLOAD_WIZARDS:
        _refuse(records, _describe(records))
    if model_name == "ir.attachment":
        if any(str(vals.get("url") or "").startswith(ASSET_URL_PREFIX) for vals in vals_list):
            _refuse(records, records.env._("web asset bundles"))
        return
    if model_name == "ir.model.access":
        _check_access_rows(records, vals_list)
        return
    if model_name == "ir.module.module":
        if any(vals.get("imported") or vals.get("state") == "installed" for vals in vals_list):
            _refuse(records, records.env._("modules"))
        return
    if model_name in CODE_FIELDS:
        for vals in vals_list:
            code = _code_fields_in(model_name, vals)
            if model_name == "ir.model.fields":
                code = [name for name in code if vals.get(name)]
                if code == ["related"] and _is_analytic_plan_level(records, vals):
                    code = []
            elif model_name in LITERAL_ONLY:
                code = [name for name in code if not _is_literal(vals[name])]
            elif CODE_FIELDS[model_name] is EVERY_FIELD:
                code = code or ["*"]
            if code:
                _refuse(records, _describe(records))
        return
    for vals in vals_list:
        for name, field in _render_fields(records).items():
            if name in vals and _expressions(field, vals[name]):
                _refuse(records, records.env._("templates with placeholders (%(model)s)", model=_describe(records)))


def _is_analytic_plan_level(records, vals):
    """Whether a new field is Odoo's own related field of an analytic sub-plan level
    (ANALYTIC_PLAN_LEVEL_PATH): every step of its path is a field of Odoo's, from
    analytic accounts to plans."""
    path = ANALYTIC_PLAN_LEVEL_PATH.match(vals.get("related") or "")
    to_plan = vals.get("ttype") == "many2one" and vals.get("relation") == "account.analytic.plan"
    if not (path and to_plan) or vals.get("store"):
        return False
    # sudo: the name of the model the field is made on, nothing more
    model_name = vals.get("model") or records.env["ir.model"].browse(vals.get("model_id")).sudo().model
    if model_name not in records.env:
        return False
    account_field = records.env[model_name]._fields.get(path["account_field"])
    return bool(account_field) and (account_field.type, account_field.comodel_name) == (
        "many2one",
        "account.analytic.account",
    )


def check_write(records, vals):
    model_name = records._name
    if not records or (model_name not in CODE_FIELDS and model_name not in _SPECIAL and not _renders(records)):
        return
    if not _applies(records):
        return
    if model_name == "ir.attachment":
        if str(vals.get("url") or "").startswith(ASSET_URL_PREFIX) or _asset_bundles(records):
            _refuse(records, records.env._("web asset bundles"))
        return
    if model_name == "ir.model.access":
        _check_access_rows(records, [vals])
        return
    if model_name == "ir.module.module":
        _check_module_states(records, vals)
        return
    if model_name == "ir.ui.view" and getattr(_generating, "depth", 0):
        return
    if model_name in CODE_FIELDS:
        code = _code_fields_in(model_name, vals)
        if model_name in LITERAL_ONLY:
            code = [name for name in code if not _is_literal(vals[name])]
        if code:
            _refuse(records, _describe(records))
        return
    _check_template_write(records, vals)


def check_unlink(records):
    model_name = records._name
    if not records or model_name not in UNLINK_LOCKED or not _applies(records):
        return
    if model_name == "ir.model.access":
        _check_access_rows(records, [{}])
        return
    _refuse(records, _describe(records))


def check_translations(records, field_name):
    """Translating a view's terms changes the view's markup: the same as writing it."""
    if records._name == "ir.ui.view" and _applies(records):
        _refuse(records, _describe(records))


# ---------------------------------------------------------------------------
# The special cases
# ---------------------------------------------------------------------------
_SPECIAL = {"ir.attachment", "ir.model.access", "ir.module.module"} | UPLOAD_WIZARDS


def _asset_bundles(records):
    # sudo-free: reads the url of records the caller is writing anyway
    return any((url or "").startswith(ASSET_URL_PREFIX) for url in records.mapped("url"))


def _check_access_rows(records, vals_list):
    """Access rights on the addon's models are the module's own: a right added or
    widened by hand would show HR or anyone else what the rules keep from them."""
    model_ids = {vals["model_id"] for vals in vals_list if vals.get("model_id")}
    if records:
        model_ids |= set(records.sudo().model_id.ids)  # sudo: the model of a right, to check it
    models = records.env["ir.model"].sudo().browse(model_ids)  # sudo: model names only
    if any(model.model.startswith(ADDON_MODEL_PREFIX) for model in models):
        _refuse(records, records.env._("access rights of the confidential counsellor's models"))


def _check_module_states(records, vals):
    """A module is installed only from the server's files (load_modules), never
    by importing one; this addon is not removed through the web client."""
    state = vals.get("state")
    if vals.get("imported") or state == "installed":
        _refuse(records, records.env._("modules"))
    if state == "to remove" and ADDON in records.mapped("name"):
        _refuse(records, records.env._("the confidential counsellor's module"))


def _renders(records):
    """Models whose fields Odoo renders as templates (mail, SMS, mailings); wizards
    (a composer) live for one user and one request and are not counted."""
    if records._transient or "mail.render.mixin" not in records.env:
        return False
    cls = type(records)
    if "_vp_renders" not in cls.__dict__:
        cls._vp_renders = isinstance(records, type(records.env["mail.render.mixin"]))
    return cls._vp_renders


def _render_fields(records):
    """The stored template fields of the model, computed once per model class (this
    runs before every create and write of every model while the lockdown holds)."""
    cls = type(records)
    if "_vp_render_fields" not in cls.__dict__:
        # Odoo renders any text field of such a model it is asked to (subject, e-mail
        # addresses, language ...), as an inline template unless the field says otherwise.
        cls._vp_render_fields = frozenset(
            name
            for name, field in records._fields.items()
            if field.type in ("char", "text", "html") and field.store and not field.compute and not field.related
        )
    return {name: records._fields[name] for name in cls._vp_render_fields}


def _expressions(field, value):
    """The code in a template value: its placeholders (inline templates) or its
    QWeb directives (``t-*`` attributes), as a set of strings."""
    if not value:
        return set()
    engine = getattr(field, "render_engine", "inline_template")
    if engine == "qweb":
        try:
            fragment = html.fragment_fromstring(str(value), create_parent="div")
        except Exception:
            return {str(value)}
        return {
            f"{name}={attribute}"
            for element in fragment.iter()
            if isinstance(element.tag, str)
            for name, attribute in element.attrib.items()
            if name.startswith("t-")
        }
    if engine == "qweb_view":
        return {str(value)}
    return {expression for _literal, expression, _default in parse_inline_template(str(value)) if expression}


def _check_template_write(records, vals):
    """A template's wording may change; its code may not: every placeholder of
    the new value must already be in the value it replaces. Its model may change
    only while it holds no code (the same placeholder reads other fields there)."""
    fields_map = _render_fields(records)
    names = [name for name in vals if name in fields_map]
    model_fields = {"model", "model_id", "render_model"} & set(vals)
    if not names and not model_fields:
        return
    for record in records.sudo():  # sudo: the current template code, to compare with the new
        old = {name: _expressions(field, record[name]) for name, field in fields_map.items()}
        if model_fields and any(old.values()):
            _refuse(records, records.env._("templates with placeholders (%(model)s)", model=_describe(records)))
        for name in names:
            if _expressions(fields_map[name], vals[name]) - old[name]:
                _refuse(records, records.env._("templates with placeholders (%(model)s)", model=_describe(records)))
