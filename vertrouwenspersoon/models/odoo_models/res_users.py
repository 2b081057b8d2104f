# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.addons.base.models.res_users import check_identity
from odoo.exceptions import ValidationError
from odoo.tools.image import image_data_uri

from ...const import COORDINATOR, COUNSELLOR, HR_NOTICE, INVOICING, MANAGEMENT, ROLES

# Where each role lands after login: its own daily work, not Discuss.
ROLE_HOME_ACTIONS = {
    COUNSELLOR: "vertrouwenspersoon.vp_case_action_counsellor",
    COORDINATOR: "vertrouwenspersoon.vp_case_action_unassigned",
    HR_NOTICE: "vertrouwenspersoon.vp_notice_action",
    MANAGEMENT: "vertrouwenspersoon.vp_annual_report_action",
    INVOICING: "vertrouwenspersoon.vp_engagement_hours_action",
}
# The fields through which the user form changes groups (Odoo's reified group fields).
GROUP_FIELD_PREFIXES = ("groups_id", "sel_groups_", "in_group_")


INTRODUCTION_LIMIT = 600

# The roles that read cases, deadlines, organisations or notices: a password alone
# does not open them (docs/SECOND_FACTOR.md).
SECOND_FACTOR_GROUPS = (
    COUNSELLOR,
    COORDINATOR,
    HR_NOTICE,
)


class ResUsers(models.Model):
    _name = "res.users"
    _inherit = ["res.users", "vp.field.access.mixin"]

    @api.constrains("groups_id")
    def _check_vp_roles_disjoint(self):
        """One confidential-counsellor role per user: record rules of two roles
        would add up (e.g. a counsellor who is also coordinator would see every
        case with the fields of a counsellor)."""
        roles = self.env["res.groups"]
        for xmlid in ROLES:
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

    @api.model_create_multi
    def create(self, vals_list):
        users = super().create(vals_list)
        users._vp_set_home_actions()
        return users

    def write(self, vals):
        res = super().write(vals)
        if any(key.startswith(GROUP_FIELD_PREFIXES) for key in vals):
            self._vp_set_home_actions()
        return res

    @api.model
    def _vp_role_group_xmlids(self):
        return ROLES

    def _vp_set_home_actions(self):
        """Give a user with a role the role's own home screen (and take it away with the
        role). A home action the administrator chose herself is left alone."""
        homes = {}
        for group_xmlid, action_xmlid in ROLE_HOME_ACTIONS.items():
            group = self.env.ref(group_xmlid, raise_if_not_found=False)
            action = self.env.ref(action_xmlid, raise_if_not_found=False)
            if group and action:
                homes[group.id] = action.id
        ours = set(homes.values())
        # sudo: the groups and home action of the users just written, nothing of any case
        for user in self.sudo():
            if user.action_id and user.action_id.id not in ours:
                continue
            roles = [group_id for group_id in user.groups_id.ids if group_id in homes]
            wanted = homes[roles[0]] if len(roles) == 1 else False
            if user.action_id.id != wanted:
                user.action_id = wanted

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

    # ------------------------------------------------------------------
    # The intake page: what it shows of a counsellor
    # ------------------------------------------------------------------
    # What the intake page shows of a counsellor the employee may choose by name.
    #
    # The introduction is written by the counsellor on their own profile (My
    # profile / Preferences), like the photo; nobody else sets it.
    vp_intake_introduction = fields.Text(
        string="Introduction on the intake page",
        help="A few sentences about yourself for employees who choose a counsellor on the intake page "
        "(shown with your name and photo; nothing else of you).",
    )

    @property
    def SELF_READABLE_FIELDS(self):
        return [*super().SELF_READABLE_FIELDS, "vp_intake_introduction"]

    @property
    def SELF_WRITEABLE_FIELDS(self):
        return [*super().SELF_WRITEABLE_FIELDS, "vp_intake_introduction"]

    @api.constrains("vp_intake_introduction")
    def _check_vp_intake_introduction(self):
        for user in self:
            if len(user.vp_intake_introduction or "") > INTRODUCTION_LIMIT:
                raise ValidationError(
                    self.env._("An introduction is at most %(limit)s characters.", limit=INTRODUCTION_LIMIT)
                )

    def _vp_public_profile(self):
        """The public-safe part of a counsellor: name, photo, introduction.

        Only these three are read; the caller (the intake page, as the public
        user) reads them with sudo, for counsellors the organisation names on
        its intake page."""
        self.ensure_one()
        image = self.image_128
        return {
            "name": self.name,
            "image": image_data_uri(image) if image else False,
            "introduction": self.vp_intake_introduction or "",
        }

    # ------------------------------------------------------------------
    # The second factor
    # ------------------------------------------------------------------
    # Counsellors, coordinators and HR recipients sign in with a second factor,
    # by Odoo's own means: a code from an authenticator app (auth_totp) or a
    # passkey (auth_passkey), and otherwise a code Odoo mails them
    # (auth_totp_mail_enforce), whatever the database's general 2FA policy.
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
