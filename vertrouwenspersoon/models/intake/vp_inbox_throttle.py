# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class VpInboxThrottle(models.Model):
    """Rate limit of receipt-code tries on the inbox, per client address and
    for the inbox as a whole, as the intake page's (vp.intake.throttle).

    Every try of a well-formed code is charged before the code is looked up,
    right or wrong alike, so the limit says nothing about which codes exist;
    a reporter whose code opened the inbox keeps it open for the session and
    tries no more. Kept apart from the intake's table so that a flood of
    guessed codes never uses up the intake page's own limit. Keeps a keyed hash
    of the address, never the address or a code (vp.throttle.mixin).
    """

    _name = "vp.inbox.throttle"
    _description = "Inbox rate limit (receipt code tries)"
    _inherit = ["vp.throttle.mixin", "vp.field.access.mixin"]
    _log_access = False
    _vp_limits = {
        "address": ("vertrouwenspersoon.inbox_rate_limit", 20),
        "global": ("vertrouwenspersoon.inbox_global_rate_limit", 600),
    }

    @api.model
    def _vp_refusal(self, address):
        """Record one try from ``address``. None when it is allowed, else
        "address" (too many from this address) or "global" (too many in all)."""
        key = self._vp_key(f"inbox:{address}")
        refusal = self._vp_over_limit(key)
        if not refusal:
            self.env.cr.execute(
                "INSERT INTO vp_inbox_throttle (key, hit_on) VALUES (%s, %s)", (key, fields.Datetime.now())
            )
        return refusal
