# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import hashlib
import hmac

from odoo import api, fields, models
from odoo.tools import SQL

from ...const import THROTTLE_WINDOW


class VpThrottleMixin(models.AbstractModel):
    """A rate limit of a public page, per client address and for the page as a whole.

    Keeps a keyed hash of the address (never the address) and the time of each try
    charged, for one to two hours (the window, then the hourly job that forgets them):
    long enough to refuse a flood, too short and too anonymous to tell who came. Only
    inserts and counts: no row another try touches, so two tries at once never wait for
    each other (no hot row).

    A model that inherits it names the system parameters of its two limits and their
    defaults (``_vp_limits``), and charges a try with ``_vp_over_limit`` then its own
    insert."""

    _name = "vp.throttle.mixin"
    _description = "Rate limit of a public page"

    # {"address": (system parameter, default), "global": (system parameter, default)}
    _vp_limits = {}

    key = fields.Char(required=True, index=True)
    hit_on = fields.Datetime(required=True, default=fields.Datetime.now, index=True)

    @api.model
    def _vp_key(self, value):
        # sudo: the database secret keys the hash, so the table alone does not give the
        # addresses back by hashing all of them; the secret itself is not returned.
        secret = self.env["ir.config_parameter"].sudo().get_param("database.secret") or ""
        return hmac.new(secret.encode(), (value or "").encode(), hashlib.sha256).hexdigest()

    @api.model
    def _vp_limit(self, scope):
        """The limit of ``scope`` ("address" or "global") in tries per window."""
        name, default = self._vp_limits[scope]
        # sudo: a number set by the administrator.
        value = self.env["ir.config_parameter"].sudo().get_param(name)
        try:
            return max(int(value), 1) if value else default
        except ValueError:
            return default

    @api.model
    def _vp_over_limit(self, key):
        """Why a try under ``key`` now is refused: "address" (too many under that key) or
        "global" (too many in all); None when it is allowed."""
        since = fields.Datetime.now() - THROTTLE_WINDOW
        # sudo: no user has access to these tables; the public pages count here, and
        # only a number comes back.
        throttle = self.sudo()
        if throttle.search_count([("key", "=", key), ("hit_on", ">", since)]) >= self._vp_limit("address"):
            return "address"
        if throttle.search_count([("hit_on", ">", since)]) >= self._vp_limit("global"):
            return "global"
        return None

    @api.model
    def _gc_expired(self):
        """Forget the tries older than the window (the hourly job)."""
        self.env.cr.execute(
            SQL(
                "DELETE FROM %s WHERE hit_on <= %s",
                SQL.identifier(self._table),
                fields.Datetime.now() - THROTTLE_WINDOW,
            )
        )
