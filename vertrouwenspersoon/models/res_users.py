# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models
from odoo.exceptions import ValidationError

ROLE_GROUPS = (
    "vertrouwenspersoon.group_counsellor",
    "vertrouwenspersoon.group_coordinator",
    "vertrouwenspersoon.group_hr_notice",
    "vertrouwenspersoon.group_management",
    "vertrouwenspersoon.group_invoicing",
)


class ResUsers(models.Model):
    _inherit = "res.users"

    @api.constrains("groups_id")
    def _check_vp_roles_disjoint(self):
        """One confidential-counsellor role per user: record rules of two roles
        would add up (e.g. a counsellor who is also coordinator would see every
        case with the fields of a counsellor)."""
        roles = self.env["res.groups"]
        for xmlid in ROLE_GROUPS:
            roles |= self.env.ref(xmlid, raise_if_not_found=False) or roles
        for user in self:
            held = user.groups_id & roles
            if len(held) > 1:
                raise ValidationError(
                    self.env._(
                        "%(user)s cannot hold more than one confidential-counsellor role (now: %(roles)s).",
                        user=user.name,
                        roles=", ".join(held.mapped("name")),
                    )
                )

    def _vp_is_password(self, candidate):
        """Whether ``candidate`` is this user's login password (a vault
        passphrase must not be: a password reset would then open the vault)."""
        self.ensure_one()
        self.env.cr.execute("SELECT COALESCE(password, '') FROM res_users WHERE id = %s", (self.id,))
        hashed = self.env.cr.fetchone()[0]
        if not hashed:
            return False
        valid, _replacement = self._crypt_context().verify_and_update(candidate, hashed)
        return valid
