# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

from ...const import THROTTLE_WINDOW

DEFAULT_LIMIT = 20
DEFAULT_GLOBAL_LIMIT = 600


class VpInboxThrottle(models.Model):
    """Rate limit of receipt-code tries on the inbox, per client address and
    for the inbox as a whole, as the intake page's (vp.intake.throttle).

    Every try of a well-formed code is charged before the code is looked up,
    right or wrong alike, so the limit says nothing about which codes exist;
    a reporter whose code opened the inbox keeps it open for the session and
    tries no more. Kept apart from the intake's table so that a flood of
    guessed codes never uses up the intake page's own limit.

    Keeps a keyed hash of the address (never the address, never a code) and
    the time of each try, for one to two hours. Only inserts and counts: no
    row another try touches (no hot row).
    """

    _name = "vp.inbox.throttle"
    _description = "Inbox rate limit (receipt code tries)"
    _inherit = ["vp.field.access.mixin"]
    _log_access = False

    key = fields.Char(required=True, index=True)
    hit_on = fields.Datetime(required=True, default=fields.Datetime.now, index=True)

    @api.model
    def _vp_param(self, name, default):
        # sudo: a number set by the administrator.
        value = self.env["ir.config_parameter"].sudo().get_param(name)
        try:
            return max(int(value), 1) if value else default
        except ValueError:
            return default

    @api.model
    def _vp_refusal(self, address):
        """Record one try from ``address``. None when it is allowed, else
        "address" (too many from this address) or "global" (too many in all)."""
        key = self.env["vp.intake.throttle"]._vp_key(f"inbox:{address}")
        since = fields.Datetime.now() - THROTTLE_WINDOW
        # sudo: no user has access to this table; the public inbox counts here.
        throttle = self.sudo()
        if throttle.search_count([("key", "=", key), ("hit_on", ">", since)]) >= self._vp_param(
            "vertrouwenspersoon.inbox_rate_limit", DEFAULT_LIMIT
        ):
            return "address"
        if throttle.search_count([("hit_on", ">", since)]) >= self._vp_param(
            "vertrouwenspersoon.inbox_global_rate_limit", DEFAULT_GLOBAL_LIMIT
        ):
            return "global"
        self.env.cr.execute("INSERT INTO vp_inbox_throttle (key, hit_on) VALUES (%s, %s)", (key, fields.Datetime.now()))
        return None

    @api.model
    def _gc_expired(self):
        """Forget tries older than the window."""
        self.env.cr.execute(
            "DELETE FROM vp_inbox_throttle WHERE hit_on <= %s", (fields.Datetime.now() - THROTTLE_WINDOW,)
        )
