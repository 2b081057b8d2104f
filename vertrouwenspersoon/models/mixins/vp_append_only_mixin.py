# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models
from odoo.exceptions import UserError

from ...tools import guards


class VpAppendOnlyMixin(models.AbstractModel):
    """A log the ORM only appends to: its lines are added by the system and never
    changed or deleted through the ORM, not even under ``sudo()``.

    A log says how its lines come in with ``_vp_append_guard``: the guard
    (tools/guards.py) that server code opens around ``create``, or None when its
    lines are inserted only by its own SQL statement together with their block of
    the evidence chain (vp.change.log), so that ``create`` is refused to everybody.
    ``_vp_append_only_messages`` holds what the user reads for each refused
    operation ("create", "write", "unlink").
    """

    _name = "vp.append.only.mixin"
    _description = "Append-only log"

    _vp_append_guard = None
    _vp_append_only_messages = {}

    def _vp_refuse(self, operation):
        raise UserError(self.env._(self._vp_append_only_messages[operation]))

    @api.model_create_multi
    def create(self, vals_list):
        if self._vp_append_guard is None or not guards.is_open(self.env, self._vp_append_guard):
            self._vp_refuse("create")
        return super().create(vals_list)

    def write(self, vals):  # pylint: disable=method-required-super
        self._vp_refuse("write")

    @api.ondelete(at_uninstall=False)
    def _unlink_except_append_only(self):
        self._vp_refuse("unlink")
