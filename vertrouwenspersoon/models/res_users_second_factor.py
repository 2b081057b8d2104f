# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models
from odoo.addons.base.models.res_users import check_identity

from ..const import COORDINATOR, COUNSELLOR, HR_NOTICE

# The roles that read cases, deadlines, organisations or notices: a password alone
# does not open them (docs/SECOND_FACTOR.md).
SECOND_FACTOR_GROUPS = (
    COUNSELLOR,
    COORDINATOR,
    HR_NOTICE,
)


class ResUsers(models.Model):
    """Counsellors, coordinators and HR recipients sign in with a second factor,
    by Odoo's own means: a code from an authenticator app (auth_totp) or a
    passkey (auth_passkey), and otherwise a code Odoo mails them
    (auth_totp_mail_enforce), whatever the database's general 2FA policy."""

    _inherit = "res.users"  # pylint: disable=consider-merging-classes-inherited

    def _vp_second_factor_required(self):
        self.ensure_one()
        # sudo: the user's own groups, to decide how she signs in
        groups = self.sudo().groups_id
        return any(
            (group := self.env.ref(xmlid, raise_if_not_found=False)) and group in groups
            for xmlid in SECOND_FACTOR_GROUPS
        )

    def _mfa_type(self):
        kind = super()._mfa_type()
        if kind is None and self._vp_second_factor_required():
            # No app and no passkey yet: Odoo mails a code (auth_totp_mail_enforce).
            return "totp_mail"
        return kind

    @check_identity
    def action_vp_confirm_identity(self):
        """Asks for the password and the second factor again (Odoo's identity check,
        res.users.identitycheck) before a sensitive act that is not a button of its
        own: choosing or changing the vault passphrase. Returns the closing of the
        check's dialog, which tells the vault dialog to go on."""
        return {"type": "ir.actions.act_window_close", "infos": {"vp_identity_confirmed": True}}
