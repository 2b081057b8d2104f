# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import hashlib
import hmac
from datetime import timedelta

from odoo import api, fields, models

WINDOW = timedelta(hours=1)
DEFAULT_LIMIT = 10


class VpIntakeThrottle(models.Model):
    """Rate limit of the public intake page per client address.

    Keeps a keyed hash of the address (never the address) and the time of
    each submission, for one to two hours (the window, then the hourly job
    that forgets them): long enough to refuse a flood, too short and too
    anonymous to tell who asked for a counsellor.
    """

    _name = "vp.intake.throttle"
    _description = "Intake page rate limit"
    _log_access = False

    key = fields.Char(required=True, index=True)
    hit_on = fields.Datetime(required=True, default=fields.Datetime.now, index=True)

    @api.model
    def _vp_key(self, address):
        # sudo: the database secret keys the hash, so the table alone does not
        # give the addresses back by hashing all of them.
        secret = self.env["ir.config_parameter"].sudo().get_param("database.secret") or ""
        return hmac.new(secret.encode(), (address or "").encode(), hashlib.sha256).hexdigest()

    @api.model
    def _vp_limit(self):
        # sudo: a number set by the administrator.
        value = self.env["ir.config_parameter"].sudo().get_param("vertrouwenspersoon.intake_rate_limit")
        try:
            return max(int(value), 1) if value else DEFAULT_LIMIT
        except ValueError:
            return DEFAULT_LIMIT

    @api.model
    def _vp_allow(self, address):
        """Record one submission from ``address``; False when it is one too many.

        Only an insert and a count of this address's rows in the window: no
        row another submission touches. (Forgetting expired rows here made
        every pair of concurrent submissions delete the same rows, so the
        second one waited and then failed to serialize: the hourly job
        forgets them instead.)"""
        key = self._vp_key(address)
        since = fields.Datetime.now() - WINDOW
        # sudo: no user has access to this table; the public page counts here.
        throttle = self.sudo()
        if throttle.search_count([("key", "=", key), ("hit_on", ">", since)]) >= self._vp_limit():
            return False
        throttle.create({"key": key})
        return True

    @api.model
    def _gc_expired(self):
        """Forget submissions older than the window."""
        self.env.cr.execute("DELETE FROM vp_intake_throttle WHERE hit_on <= %s", (fields.Datetime.now() - WINDOW,))
