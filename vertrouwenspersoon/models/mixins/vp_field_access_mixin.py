# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Field groups guard searching, grouping and sorting too.

Odoo 18 checks a field's ``groups`` in a domain, a group-by or an order only where it
turns a *stored column* into SQL (``BaseModel._field_to_sql``). Everything else goes
around it: a many2many or one2many in a domain becomes an ``EXISTS``/``IN`` subquery
on the relation or the comodel, a many2many group-by joins the relation table
directly, a ``.``-path or ``any`` only needs read access on the comodel, and a
non-stored field with a search method is never checked at all. Each of those turns a
field a role may not read into an oracle ("which cases have kind X", "which cases
have a breach record").

This mixin closes the whole class at the entry points, before Odoo builds any SQL:
every step of every domain path (``a.b.c``, ``any``/``not any`` sub-domains, on the
comodels too), every group-by spec, aggregate and having term, and every order term
must be a field the current user may read, or the call is refused with an
AccessError. Superuser environments (the installation, scheduled jobs, ``sudo()``
server code) are not checked: they decide for themselves what they return.

Every model of the addon lists it in its ``_inherit``, and so do the Odoo models the
addon adds fields to; on those, Odoo's own fields are left to Odoo and only this
addon's fields are guarded, so no stock flow changes. tests/test_field_access.py
fails for a model with fields of the addon that does not inherit it.
"""

from odoo import api, models
from odoo.exceptions import AccessError
from odoo.models import parse_read_group_spec, regex_order
from odoo.osv import expression

MODULE = "vertrouwenspersoon"


class VpFieldAccessMixin(models.AbstractModel):
    _name = "vp.field.access.mixin"
    _description = "Field groups also guard search, group-by and order"

    # ------------------------------------------------------------------
    # Which fields are guarded here
    # ------------------------------------------------------------------
    @api.model
    def _vp_guards_field(self, field):
        """Whether this mixin decides on ``field`` of this model: every field of the addon's
        own models, and the addon's fields on Odoo models."""
        return self._original_module == MODULE or field._module == MODULE

    @api.model
    def _vp_refuse_field(self, model, field, usage):
        raise AccessError(
            self.env._(
                "You cannot %(usage)s on the field '%(field)s' of %(model)s: you may not read it.",
                usage=usage,
                field=field.get_description(self.env, ["string"])["string"] or field.name,
                model=self.env["ir.model"]._get(model._name).name or model._name,
            )
        )

    @api.model
    def _vp_check_readable(self, model, field, usage):
        if field.is_accessible(model.env):
            return
        # A path may go on into an Odoo model without this mixin: there, too, only the
        # addon's fields are this mixin's to guard.
        guarded = model._vp_guards_field(field) if hasattr(model, "_vp_guards_field") else field._module == MODULE
        if guarded:
            self._vp_refuse_field(model, field, usage)

    # ------------------------------------------------------------------
    # Domains: every step of every path, and the sub-domains of any / not any
    # ------------------------------------------------------------------
    @api.model
    def _vp_check_domain_access(self, domain):
        if not domain or self.env.su:
            return
        self._vp_check_domain_on(self, domain)

    @api.model
    def _vp_check_domain_on(self, model, domain):
        usage = self.env._("search")
        for leaf in domain:
            if not isinstance(leaf, (list, tuple)) or len(leaf) != 3 or not isinstance(leaf[0], str):
                continue  # operators, TRUE/FALSE leaves, ids
            path, operator, value = leaf
            current = model
            steps = path.split(".")
            for position, name in enumerate(steps):
                field = current._fields.get(name)
                if field is None:
                    break  # Odoo refuses unknown fields itself
                self._vp_check_readable(current, field, usage)
                if not field.relational:
                    break
                current = current.env[field.comodel_name]
                last = position == len(steps) - 1
                if last and operator in ("any", "not any") and isinstance(value, (list, tuple)):
                    self._vp_check_domain_on(current, value)

    @api.model
    def _where_calc(self, domain, active_test=True):
        # _search and Odoo's own one2many subqueries build their WHERE here.
        self._vp_check_domain_access(domain)
        return super()._where_calc(domain, active_test)

    # ------------------------------------------------------------------
    # Orders and groups
    # ------------------------------------------------------------------
    @api.model
    def _vp_check_terms(self, names, usage):
        for name in names:
            field = self._fields.get(name)
            if field is not None:
                self._vp_check_readable(self, field, usage)

    @api.model
    def _vp_order_fields(self, order):
        names = []
        for part in (order or "").split(","):
            match = regex_order.match(part)
            if match:
                names.append(match["field"].strip('"'))
        return names

    @api.model
    def _search(self, domain, offset=0, limit=None, order=None):
        if order and not self.env.su:
            self._vp_check_terms(self._vp_order_fields(order), self.env._("sort"))
        return super()._search(domain, offset=offset, limit=limit, order=order)

    @api.model
    def _read_group(self, domain, groupby=(), aggregates=(), having=(), offset=0, limit=None, order=None):
        if not self.env.su:
            names = [parse_read_group_spec(spec)[0] for spec in groupby]
            self._vp_check_terms(names, self.env._("group"))
            names = [spec.split(":")[0] for spec in aggregates if spec != "__count"]
            names += [
                leaf[0].split(":")[0]
                for leaf in expression.normalize_domain(having or [])
                if isinstance(leaf, (list, tuple)) and len(leaf) == 3 and isinstance(leaf[0], str)
            ]
            names += self._vp_order_fields(order)
            self._vp_check_terms([name for name in names if name != "__count"], self.env._("group"))
        return super()._read_group(domain, groupby, aggregates, having=having, offset=offset, limit=limit, order=order)
