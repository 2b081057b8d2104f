# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError

from ...const import COUNSELLOR
from ...tools import guards


class VpLegalHold(models.Model):
    """A legal hold: while a complaint procedure or a court case runs, the case
    is not shredded. Placing and lifting are both recorded with reason and who.

    The reason a hold was lifted is stored encrypted under the case's key: typed text
    about a complaint procedure or court case belongs with the case's content, and is
    crypto-shredded with it."""

    _name = "vp.legal.hold"
    _description = "Legal hold"
    _inherit = ["vp.write.checked.mixin", "vp.field.access.mixin", "vp.encrypted.mixin"]
    _order = "placed_on desc, id desc"
    _rec_name = "case_id"

    _vp_create_only_fields = ("case_id",)
    # Who placed or lifted it, and when, is recorded by the system, never typed in.
    _vp_guarded_fields = {
        "placed_by_id": guards.LEGAL_HOLD_LIFT,
        "placed_on": guards.LEGAL_HOLD_LIFT,
        "lifted_by_id": guards.LEGAL_HOLD_LIFT,
        "lifted_on": guards.LEGAL_HOLD_LIFT,
    }
    _vp_encrypted_fields = {"lift_reason": "lift_reason_ciphertext"}

    case_id = fields.Many2one("vp.case", required=True, ondelete="cascade", index=True)
    reason = fields.Selection(
        [("complaint", "Complaint procedure running"), ("court", "Court case running"), ("other", "Other legal duty")],
        required=True,
    )
    placed_by_id = fields.Many2one("res.users", readonly=True, default=lambda self: self.env.user)
    placed_on = fields.Datetime(readonly=True, default=fields.Datetime.now)
    lift_reason = fields.Char(compute="_compute_vp_plaintext", inverse="_inverse_vp_plaintext", groups=COUNSELLOR)
    lift_reason_ciphertext = fields.Text(groups="base.group_system", copy=False, prefetch=False)
    lifted_by_id = fields.Many2one("res.users", readonly=True)
    lifted_on = fields.Datetime(readonly=True)
    is_active = fields.Boolean(compute="_compute_is_active", store=True)

    @api.depends("lifted_on")
    def _compute_is_active(self):
        for hold in self:
            hold.is_active = not hold.lifted_on

    def write(self, vals):
        # Only the reason for lifting may be typed in before lifting; the rest is a record.
        lift_reason_only = set(vals) == {"lift_reason"} and not any(self.mapped("lifted_on"))
        if not guards.is_open(self.env, guards.LEGAL_HOLD_LIFT) and not lift_reason_only:
            raise UserError(self.env._("A legal hold is not edited: lift it with a reason and place a new one."))
        return super().write(vals)

    def _vp_write_ciphertext(self, vals):
        # write() above refuses every change but the lift reason: the ciphertext stored
        # here *is* that lift reason, which the outer write of ``lift_reason`` already let
        # through. So store it past that check, not past any other.
        return super().write(vals)

    def _vp_case(self):
        return self.sudo().case_id  # sudo: the case whose key encrypts the reason; its id only

    @api.ondelete(at_uninstall=False)
    def _unlink_except_by_shredding(self):
        if not guards.is_open(self.env, guards.SHREDDING):
            raise UserError(self.env._("A legal hold cannot be deleted; lift it instead."))

    def action_lift(self, reason=None):
        reason = reason or (self[:1].lift_reason if len(self) == 1 else None)
        if not reason or not reason.strip():
            raise UserError(self.env._("Give the reason why the legal hold is lifted."))
        if any(hold.lifted_on for hold in self):
            raise UserError(self.env._("This legal hold was lifted already."))
        guards.open_guard(self, guards.LEGAL_HOLD_LIFT).write(
            {"lift_reason": reason.strip(), "lifted_by_id": self.env.uid, "lifted_on": fields.Datetime.now()}
        )
