# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools import guards


class VpCaseReassignment(models.Model):
    """The log of reassignments: who moved a case from which counsellor to
    which, when and why. Append-only, written by the reassignment wizard.
    The reason is about the assignment (absence, workload, the other side),
    never about the case."""

    _name = "vp.case.reassignment"
    _description = "Case reassignment"
    _order = "reassigned_on desc, id desc"
    _rec_name = "case_id"
    # No write at all (see write()); the entries are made by the wizard only.

    case_id = fields.Many2one("vp.case", required=True, ondelete="cascade", index=True, readonly=True)
    from_user_id = fields.Many2one("res.users", string="From", readonly=True, ondelete="restrict")
    to_user_id = fields.Many2one("res.users", string="To", required=True, readonly=True, ondelete="restrict")
    reason = fields.Char(required=True, readonly=True)
    reassigned_by_id = fields.Many2one(
        "res.users", string="By", readonly=True, default=lambda self: self.env.user, ondelete="restrict"
    )
    reassigned_on = fields.Datetime(string="On", readonly=True, default=fields.Datetime.now)

    @api.model_create_multi
    def create(self, vals_list):
        if not guards.is_open(self.env, guards.REASSIGNMENT_APPEND):
            raise UserError(self.env._("Reassignments are logged by the reassignment wizard only."))
        return super().create(vals_list)

    def write(self, vals):  # pylint: disable=method-required-super
        raise UserError(self.env._("The reassignment log cannot be changed."))

    def unlink(self):  # pylint: disable=method-required-super
        raise UserError(self.env._("The reassignment log cannot be deleted."))
