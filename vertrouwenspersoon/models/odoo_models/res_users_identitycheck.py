# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import AccessDenied, AccessError, UserError


class ResUsersIdentitycheck(models.TransientModel):
    """Odoo's identity check asks for the password (or a passkey). For a user who
    signs in with a second factor (res_users.py) it asks for that
    factor too: choosing or changing a vault passphrase, making or using a
    recovery key and erasing a case are worth more than a password typed at an
    unattended desk. A passkey is a factor of its own and needs no code."""

    _name = "res.users.identitycheck"
    _inherit = ["res.users.identitycheck", "vp.field.access.mixin"]

    vp_needs_code = fields.Boolean(string="Second factor asked", compute="_compute_vp_needs_code")
    vp_code_by_mail = fields.Boolean(string="Code by e-mail", compute="_compute_vp_needs_code")
    vp_code = fields.Char(string="Authentication code", help="The 6-digit code of your authenticator app.")

    @api.depends_context("uid")
    def _compute_vp_needs_code(self):
        user = self.env.user
        needs = user._vp_second_factor_required() and user._mfa_type() in ("totp", "totp_mail")
        for check in self:
            check.vp_needs_code = needs
            check.vp_code_by_mail = needs and user._mfa_type() == "totp_mail"

    def _check_identity(self):
        super()._check_identity()
        if self.auth_method != "password" or not self.vp_needs_code:
            return
        code = (self.vp_code or "").replace(" ", "")
        try:
            self.create_uid._totp_check(int(code) if code.isdigit() else -1)
        except AccessDenied as error:
            raise UserError(self.env._("That authentication code is not right: type the code shown now.")) from error
        finally:
            self.vp_code = False

    def action_vp_send_code(self):
        """The code by e-mail, for a user without an authenticator app or passkey yet."""
        self.ensure_one()
        if self.create_uid != self.env.user:
            raise AccessError(self.env._("Only the user who is asked for the code has it sent."))
        if self.vp_code_by_mail:
            self.create_uid._send_totp_mail_code()
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "name": self.env._("Security Control"),
            "target": "new",
            "views": [(False, "form")],
        }
