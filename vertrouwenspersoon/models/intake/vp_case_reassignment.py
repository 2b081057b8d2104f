# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models
from odoo.tools.translate import LazyTranslate

from ...tools import guards

_lt = LazyTranslate(__name__)


class VpCaseReassignment(models.Model):
    """The log of reassignments: who moved a case from which counsellor to
    which, when and why. Append-only, written by the reassignment wizard.
    The reason is about the assignment (absence, workload, the other side),
    never about the case."""

    _name = "vp.case.reassignment"
    _description = "Case reassignment"
    _inherit = ["vp.append.only.mixin", "vp.field.access.mixin"]
    _order = "reassigned_on desc, id desc"
    _rec_name = "case_id"
    # The entries are made by the reassignment wizard only, and never changed.
    _vp_append_guard = guards.REASSIGNMENT_APPEND
    _vp_append_only_messages = {
        "create": _lt("Reassignments are logged by the reassignment wizard only."),
        "write": _lt("The reassignment log cannot be changed."),
        "unlink": _lt("The reassignment log cannot be deleted."),
    }

    case_id = fields.Many2one("vp.case", required=True, ondelete="cascade", index=True, readonly=True)
    from_user_id = fields.Many2one("res.users", string="From", readonly=True, ondelete="restrict")
    to_user_id = fields.Many2one("res.users", string="To", required=True, readonly=True, ondelete="restrict")
    reason = fields.Char(required=True, readonly=True)
    reassigned_by_id = fields.Many2one(
        "res.users", string="By", readonly=True, default=lambda self: self.env.user, ondelete="restrict"
    )
    reassigned_on = fields.Datetime(string="On", readonly=True, default=fields.Datetime.now)
