# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_date

from ...tools import guards

# Labels HR understands too (the level is what a notice to HR contains;
# a notice always has its date).
CONSENT_LEVELS = [
    ("name_summary", "With name and summary"),
    ("name", "With name"),
    ("anonymous", "Anonymous (date and region)"),
]


class VpConsent(models.Model):
    """The employee's recorded decision on what HR may learn (toestemming).

    It records the level, when and how consent was given, and for the
    highest level the exact summary text the employee approved (encrypted).
    Consent can be withdrawn until a notice based on it has been sent.
    """

    _name = "vp.consent"
    _description = "Consent for a notice to HR"
    _inherit = ["vp.encrypted.mixin", "vp.write.checked.mixin", "vp.field.access.mixin"]
    # Frozen once the case is erased (vp.write.checked.mixin).
    _vp_frozen_when_shredded = True
    _order = "given_on desc, id desc"

    _vp_create_only_fields = ("case_id",)
    _vp_guarded_fields = {"withdrawn_on": guards.CONSENT_WITHDRAWAL}

    _vp_encrypted_fields = {"approved_summary": "approved_summary_ciphertext"}

    case_id = fields.Many2one("vp.case", required=True, ondelete="cascade", index=True)
    level = fields.Selection(CONSENT_LEVELS, required=True)
    given_on = fields.Date(required=True, default=fields.Date.context_today)
    given_how = fields.Selection(
        [
            ("in_person", "In person, in a meeting"),
            ("phone", "By phone"),
            ("email", "By e-mail"),
            ("in_writing", "In writing, signed"),
        ],
        string="Given how",
        required=True,
    )
    approved_summary = fields.Text(
        compute="_compute_vp_plaintext",
        inverse="_inverse_vp_plaintext",
        help="The exact text the employee approved for HR. Only this text can go into a notice.",
    )
    approved_summary_ciphertext = fields.Text(groups="base.group_system", copy=False, prefetch=False)
    withdrawn_on = fields.Date(readonly=True)
    is_valid = fields.Boolean(compute="_compute_is_valid")

    def _vp_case(self):
        return self.case_id

    @api.depends("withdrawn_on")
    def _compute_is_valid(self):
        for consent in self:
            consent.is_valid = not consent.withdrawn_on

    def _compute_display_name(self):
        # The date as the user reads dates ("(2026-12-06)" in a Dutch screen)
        levels = dict(self._fields["level"]._description_selection(self.env))
        for consent in self:
            given = format_date(self.env, consent.given_on) if consent.given_on else ""
            consent.display_name = (
                f"{levels.get(consent.level, '')} ({given})" if given else levels.get(consent.level, "")
            )

    @api.model_create_multi
    def create(self, vals_list):
        # Odoo checks constraints on stored fields before it stores the
        # (encrypted) summary of a new record: check once it is stored.
        consents = super(VpConsent, guards.open_guard(self, guards.CONSENT_CREATE)).create(vals_list)
        consents = consents.with_env(self.env)
        consents._check_summary()
        return consents

    @api.constrains("level", "approved_summary")
    def _check_summary(self):
        if guards.is_open(self.env, guards.CONSENT_CREATE):
            return
        for consent in self.sudo():  # sudo: tests whether a summary exists, reads none
            if consent.level == "name_summary" and not consent.approved_summary_ciphertext:
                raise ValidationError(
                    self.env._("Consent to share a summary needs the exact summary text the employee approved.")
                )

    def write(self, vals):
        # Shredding may clear the approved summary of a consent that was used.
        if not guards.is_open(self.env, guards.SHREDDING) and self._vp_used_for_sent_notice():
            raise UserError(self.env._("This consent was used for a notice already sent: it can no longer change."))
        return super().write(vals)

    def _vp_used_for_sent_notice(self):
        # sudo: counts sent notices only, reads none
        notices_sudo = self.env["vp.notice"].sudo()
        return bool(notices_sudo.search_count([("consent_id", "in", self.ids), ("state", "!=", "draft")]))

    def action_withdraw(self):
        guards.open_guard(self, guards.CONSENT_WITHDRAWAL).write({"withdrawn_on": fields.Date.context_today(self)})
        # A withdrawn consent cannot carry a notice: drafts based on it are cancelled.
        self.env["vp.notice"].search([("consent_id", "in", self.ids), ("state", "=", "draft")]).unlink()
