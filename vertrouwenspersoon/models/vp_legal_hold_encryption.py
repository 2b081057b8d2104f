# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The reason a legal hold was lifted is stored encrypted under the case's key: typed
text about a complaint procedure or court case belongs with the case's content, and is
crypto-shredded with it. Kept apart from vp_legal_hold.py, whose record-keeping (what
may be changed or deleted) is its own concern."""

from odoo import fields, models

from ..const import COUNSELLOR
from .vp_legal_hold import VpLegalHold as VpLegalHoldRecord


class VpLegalHold(models.Model):
    _name = "vp.legal.hold"
    _inherit = ["vp.legal.hold", "vp.encrypted.mixin"]

    _vp_encrypted_fields = {"lift_reason": "lift_reason_ciphertext"}

    lift_reason = fields.Char(compute="_compute_vp_plaintext", inverse="_inverse_vp_plaintext", groups=COUNSELLOR)
    lift_reason_ciphertext = fields.Text(groups="base.group_system", copy=False, prefetch=False)

    def _vp_case(self):
        return self.sudo().case_id  # sudo: the case whose key encrypts the reason; its id only

    def _vp_write_ciphertext(self, vals):
        # The hold's own write() refuses every change but the lift reason: the ciphertext
        # stored here *is* that lift reason, which the outer write of ``lift_reason``
        # already let through. So store it past that check, not past any other.
        return super(VpLegalHoldRecord, self).write(vals)
