# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import hashlib
import hmac

from odoo import api, fields, models

from ...const import THROTTLE_WINDOW

DEFAULT_LIMIT = 10
DEFAULT_GLOBAL_LIMIT = 200


class VpIntakeThrottle(models.Model):
    """Rate limit of the public intake page per client address, and for
    the page as a whole.

    Only valid requests are counted: the page charges the throttle after the
    CSRF check and the validation, so a visitor's typing errors and forged
    posts cost nobody a request. The address is Odoo's ``remote_addr``:
    behind a reverse proxy, run Odoo with ``proxy_mode = True`` (and a proxy
    that sets X-Forwarded-For), or every visitor has the proxy's address and
    one of them can use up the limit for all. The global cap
    (``vertrouwenspersoon.intake_global_rate_limit``, default 200 an hour)
    bounds what a flood from many addresses can store.

    Keeps a keyed hash of the address (never the address) and the time of
    each submission, for one to two hours (the window, then the hourly job
    that forgets them): long enough to refuse a flood, too short and too
    anonymous to tell who asked for a counsellor.
    """

    _name = "vp.intake.throttle"
    _description = "Intake page rate limit"
    _inherit = ["vp.field.access.mixin"]
    _log_access = False

    key = fields.Char(required=True, index=True)
    hit_on = fields.Datetime(required=True, default=fields.Datetime.now, index=True)
    submission = fields.Char(help="Keyed hash of the form's one-time token: a form is filed once.")

    _sql_constraints = [("submission_unique", "unique(submission)", "This form was sent already.")]

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
    def _vp_global_limit(self):
        # sudo: a number set by the administrator.
        value = self.env["ir.config_parameter"].sudo().get_param("vertrouwenspersoon.intake_global_rate_limit")
        try:
            return max(int(value), 1) if value else DEFAULT_GLOBAL_LIMIT
        except ValueError:
            return DEFAULT_GLOBAL_LIMIT

    @api.model
    def _vp_refusal(self, address, submission=None):
        """Record one valid submission from ``address``. Returns None when it
        is allowed, else why not: "duplicate" (this form's one-time token
        ``submission`` was filed already), "address" (too many from this
        address) or "global" (too many in all).

        The token is claimed with INSERT ... ON CONFLICT: when the same form
        is sent twice at once (a double click), the later transaction fails to
        serialize on the earlier's row, Odoo runs it again, and it then finds
        the form filed.

        Only inserts and counts: no row another submission touches.
        (Forgetting expired rows here made every pair of concurrent
        submissions delete the same rows, so the second one waited and then
        failed to serialize: the hourly job forgets them instead.)"""
        key = self._vp_key(address)
        claim = self._vp_key(f"submission:{submission}") if submission else None
        since = fields.Datetime.now() - THROTTLE_WINDOW
        # sudo: no user has access to this table; the public page counts here.
        throttle = self.sudo()
        if claim and throttle.search_count([("submission", "=", claim)]):
            return "duplicate"
        if throttle.search_count([("key", "=", key), ("hit_on", ">", since)]) >= self._vp_limit():
            return "address"
        if throttle.search_count([("hit_on", ">", since)]) >= self._vp_global_limit():
            return "global"
        self.env.cr.execute(
            "INSERT INTO vp_intake_throttle (key, hit_on, submission) VALUES (%s, %s, %s)"
            " ON CONFLICT (submission) DO NOTHING RETURNING id",
            (key, fields.Datetime.now(), claim),
        )
        return None if self.env.cr.fetchone() else "duplicate"

    @api.model
    def _gc_expired(self):
        """Forget submissions older than the window."""
        self.env.cr.execute(
            "DELETE FROM vp_intake_throttle WHERE hit_on <= %s", (fields.Datetime.now() - THROTTLE_WINDOW,)
        )
