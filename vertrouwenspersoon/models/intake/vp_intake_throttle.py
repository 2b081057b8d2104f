# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class VpIntakeThrottle(models.Model):
    """Rate limit of the public intake page per client address, and for
    the page as a whole (vp.throttle.mixin: keyed hashes, never the address).

    Only valid requests are counted: the page charges the throttle after the
    CSRF check and the validation, so a visitor's typing errors and forged
    posts cost nobody a request. The address is Odoo's ``remote_addr``:
    behind a reverse proxy, run Odoo with ``proxy_mode = True`` (and a proxy
    that sets X-Forwarded-For), or every visitor has the proxy's address and
    one of them can use up the limit for all. The global cap
    (``vertrouwenspersoon.intake_global_rate_limit``, default 200 an hour)
    bounds what a flood from many addresses can store.
    """

    _name = "vp.intake.throttle"
    _description = "Intake page rate limit"
    _inherit = ["vp.throttle.mixin", "vp.field.access.mixin"]
    _log_access = False
    _vp_limits = {
        "address": ("vertrouwenspersoon.intake_rate_limit", 10),
        "global": ("vertrouwenspersoon.intake_global_rate_limit", 200),
    }

    submission = fields.Char(help="Keyed hash of the form's one-time token: a form is filed once.")

    _sql_constraints = [("submission_unique", "unique(submission)", "This form was sent already.")]

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
        # sudo: no user has access to this table; the public page counts here.
        if claim and self.sudo().search_count([("submission", "=", claim)]):
            return "duplicate"
        refusal = self._vp_over_limit(key)
        if refusal:
            return refusal
        self.env.cr.execute(
            "INSERT INTO vp_intake_throttle (key, hit_on, submission) VALUES (%s, %s, %s)"
            " ON CONFLICT (submission) DO NOTHING RETURNING id",
            (key, fields.Datetime.now(), claim),
        )
        return None if self.env.cr.fetchone() else "duplicate"
