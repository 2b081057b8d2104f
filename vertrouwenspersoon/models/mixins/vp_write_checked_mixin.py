# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models
from odoo.exceptions import UserError, ValidationError

from ...const import COUNSELLOR
from ...tools import guards


def check_active_counsellors(users, what):
    """``users`` (res.users) must be active users of the counsellor group.
    ``what`` names the role they get (translated), for the message."""
    # sudo: group membership and the active flag only, for the check.
    users = users.sudo().with_context(active_test=False)
    group = users.env.ref(COUNSELLOR)
    wrong = users.filtered(lambda user: not user.active or group not in user.groups_id)
    if wrong:
        raise ValidationError(
            users.env._(
                "%(what)s must be an active counsellor: %(users)s is not.",
                what=what,
                users=", ".join(wrong.mapped("name")),
            )
        )


class VpWriteCheckedMixin(models.AbstractModel):
    """Writes that cannot move a record out of the rule they were checked against.

    Odoo checks the record rules of a ``write`` on the records as they are
    *before* the write, and never again (a counsellor rewrites the
    ``case_id`` of a handover of their own case to a colleague's case). So:

    - ``_vp_create_only_fields`` are given at creation and never change
      (``case_id`` of everything that hangs off a case, a handover's backup);
    - ``_vp_guarded_fields`` maps fields that only the model's own server code
      sets (states, dates of a protocol, who signed) to the guard that code
      opens (tools/guards.py); a client can neither write them nor give them
      at creation other than their default. Code running as superuser (the
      scheduled jobs, the intake page, installation) is server code too;
    - after every write by a user, the write rule is checked again on the
      records as they are now.
    """

    _name = "vp.write.checked.mixin"
    _description = "Writes checked against the record rules, before and after"

    _vp_create_only_fields = ()
    _vp_guarded_fields = {}
    # Records that hang off a case (``case_id``) and freeze with it once
    # it is erased; the case itself freezes too (vp.case sets this).
    _vp_frozen_when_shredded = False

    def _vp_check_not_shredded(self, case_ids=()):
        """Refuse to change or add to an erased case: what the employee asked to erase
        must not fill up again. Only the shredding itself (its guard) and server code
        running as superuser (scheduled jobs) pass."""
        if not self._vp_frozen_when_shredded or self.env.su or guards.is_open(self.env, guards.SHREDDING):
            return
        # sudo: whether the cases are erased and their numbers, nothing else.
        cases = self.sudo().env["vp.case"].browse(set(case_ids))
        cases |= self.sudo() if self._name == "vp.case" else self.sudo().case_id
        shredded = cases.filtered("shredded_on")
        if shredded:
            raise UserError(
                self.env._(
                    "%(case)s was erased at the employee's request or at the end of its retention period: "
                    "it can no longer be changed, and nothing can be added to it.",
                    case=", ".join(shredded.mapped("name")),
                )
            )

    def _vp_guarded_message(self, field_names):
        labels = ", ".join(self._fields[name]._description_string(self.env) for name in field_names)
        return self.env._(
            "%(fields)s of a %(model)s change only through its buttons, not by a direct write.",
            fields=labels,
            model=self._description,
        )

    def _vp_differs(self, record, name, value):
        field = self._fields[name]
        if field.type in ("one2many", "many2many"):
            return True
        new = field.convert_to_record(field.convert_to_cache(value, record), record)
        return new != record[name] and bool(new or record[name])

    def _vp_closed_guarded(self, names):
        """The guarded fields among ``names`` whose guard this call did not open."""
        if self.env.su:
            return []
        return [name for name in names if not guards.is_open(self.env, self._vp_guarded_fields[name])]

    @api.model_create_multi
    def create(self, vals_list):
        if self._vp_frozen_when_shredded and self._name != "vp.case":
            self._vp_check_not_shredded([vals["case_id"] for vals in vals_list if vals.get("case_id")])
        names = {name for vals in vals_list for name in vals if name in self._vp_guarded_fields}
        closed = self._vp_closed_guarded(sorted(names))
        if closed:
            defaults = self.default_get(closed)
            for vals in vals_list:
                given = [
                    name
                    for name in closed
                    if name in vals and self._vp_differs(self.new({name: defaults.get(name)}), name, vals[name])
                ]
                if given:
                    raise UserError(self._vp_guarded_message(given))
        return super().create(vals_list)

    def write(self, vals):
        self._vp_check_not_shredded()
        frozen = [name for name in self._vp_create_only_fields if name in vals]
        moved = [name for name in frozen for record in self if self._vp_differs(record, name, vals[name])]
        if moved:
            labels = ", ".join(sorted({self._fields[name]._description_string(self.env) for name in moved}))
            raise UserError(
                self.env._(
                    "%(fields)s of a %(model)s is set when it is created and cannot change afterwards: "
                    "record a new one instead.",
                    fields=labels,
                    model=self._description,
                )
            )
        closed = self._vp_closed_guarded([name for name in vals if name in self._vp_guarded_fields])
        changed = [name for name in closed if any(self._vp_differs(record, name, vals[name]) for record in self)]
        if changed:
            raise UserError(self._vp_guarded_message(changed))
        result = super().write(vals)
        # The rule again, on the records as they are now (no-op for the superuser).
        self.check_access("write")
        return result

    def unlink(self):
        self._vp_check_not_shredded()
        return super().unlink()
