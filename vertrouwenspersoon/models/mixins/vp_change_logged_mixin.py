# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models

from ...tools import guards


class VpChangeLoggedMixin(models.AbstractModel):
    """Logs every change of the fields named in ``_vp_logged_fields`` to
    vp.change.log, whatever the context says. Name only fields without case
    content (settings, dates, users, regions)."""

    _name = "vp.change.logged.mixin"
    _description = "Changes logged in the change log"

    _vp_logged_fields = ()

    def _vp_log_case(self):
        """The case a log line is about, if any (for the counsellor's view)."""
        return self.env["vp.case"]

    def _vp_render_value(self, field_name):
        self.ensure_one()
        field = self._fields[field_name]
        value = self[field_name]
        if field.type in ("many2one", "many2many", "one2many"):
            return ", ".join(value.mapped("display_name")) or False
        if field.type == "selection":
            return dict(field._description_selection(self.env)).get(value) or False
        if field.type == "boolean":
            return self.env._("Yes") if value else self.env._("No")
        return False if value is False or value is None else str(value)

    def _vp_snapshot(self, field_names):
        # sudo: reads the logged fields (settings, no content) of these records,
        # which the writer may not be able to read in full (e.g. user names).
        return {record.id: {name: record._vp_render_value(name) for name in field_names} for record in self.sudo()}

    def _vp_log_rows(self, operation, before, after, field_names):
        labels = {name: self._fields[name]._description_string(self.env) for name in field_names}
        # Who and why, when server code says so (a flow acting for a user, a correction's reason).
        reason = guards.reason_of(self.env)
        user_id = (reason and reason.user_id) or self.env.uid
        rows = []
        for record in self.sudo():  # sudo: display name (a number or a setting's name) and case id only
            old, new = before.get(record.id, {}), after.get(record.id, {})
            for name in field_names:
                if operation == "write" and old.get(name) == new.get(name):
                    continue
                rows.append(
                    {
                        "user_id": user_id,
                        "res_model": record._name,
                        "res_id": record.id,
                        "record_name": record.display_name,
                        "case_id": record._vp_log_case().id,
                        "field_name": name,
                        "field_label": labels[name],
                        "operation": operation,
                        "old_value": old.get(name) or False,
                        "new_value": new.get(name) or False,
                        "reason": reason.text if reason else False,
                    }
                )
        return rows

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        if self._vp_logged_fields:
            names = list(self._vp_logged_fields)
            rows = records._vp_log_rows("create", {}, records._vp_snapshot(names), names)
            self.env["vp.change.log"]._vp_append(rows)
        return records

    def write(self, vals):
        names = [name for name in self._vp_logged_fields if name in vals]
        # Shredding reduces dates to their month; a log line of that would tell a shredded
        # case from one kept under a legal hold (which the coordinator must not learn),
        # and would keep the exact dates the shredding removes. The content access log
        # records the shredding itself.
        if not names or guards.is_open(self.env, guards.SHREDDING):
            return super().write(vals)
        before = self._vp_snapshot(names)
        result = super().write(vals)
        self.env["vp.change.log"]._vp_append(self._vp_log_rows("write", before, self._vp_snapshot(names), names))
        return result

    def unlink(self):
        names = list(self._vp_logged_fields)
        if names:
            rows = self._vp_log_rows("unlink", self._vp_snapshot(names), {}, names)
            self.env["vp.change.log"]._vp_append(rows)
        return super().unlink()
