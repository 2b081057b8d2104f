# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools import guards


class VpChangeLog(models.Model):
    """Who changed which setting or date that decides assignment, disclosure
    or destruction, from what to what, and when. Append-only.

    The chatter is no such log: a client can switch its tracking off with
    ``tracking_disable`` in the context, and messages can be deleted. Models
    name the fields they log in ``_vp_logged_fields`` (vp.change.logged.mixin);
    those fields never hold case content, so neither does this log.
    """

    _name = "vp.change.log"
    _description = "Change log"
    _order = "id desc"
    _rec_name = "field_label"

    change_date = fields.Datetime(readonly=True, default=fields.Datetime.now, index=True)
    user_id = fields.Many2one("res.users", string="Changed by", readonly=True, ondelete="restrict")
    res_model = fields.Char(string="Record type", readonly=True, index=True)
    res_id = fields.Integer(string="Record", readonly=True, index=True)
    record_name = fields.Char(string="Record name", readonly=True)
    case_id = fields.Many2one("vp.case", readonly=True, ondelete="set null", index=True)
    field_name = fields.Char(string="Field", readonly=True)
    field_label = fields.Char(string="What", readonly=True)
    operation = fields.Selection(
        [("create", "Created"), ("write", "Changed"), ("unlink", "Deleted")], readonly=True, required=True
    )
    old_value = fields.Char(string="Before", readonly=True)
    new_value = fields.Char(string="After", readonly=True)
    # Why the system made the change (the flow that did the work, or the reason chosen
    # for a correction or a handover): given by server code only (tools/guards.py).
    reason = fields.Char(string="Why", readonly=True)

    @api.model
    def _vp_append(self, vals_list):
        # sudo: no user may write this log by hand (no create right); it holds
        # setting values and dates only, never case content.
        lines = guards.open_guard(self.sudo(), guards.CHANGE_LOG_APPEND).create(vals_list)
        self.env["vp.log.block"]._vp_append("change", 0, lines.ids)
        return lines

    @api.model_create_multi
    def create(self, vals_list):
        if not guards.is_open(self.env, guards.CHANGE_LOG_APPEND):
            raise UserError(self.env._("The change log is written by the system only."))
        return super().create(vals_list)

    def write(self, vals):  # pylint: disable=method-required-super
        raise UserError(self.env._("The change log cannot be changed."))

    def unlink(self):  # pylint: disable=method-required-super
        raise UserError(self.env._("The change log cannot be deleted."))
