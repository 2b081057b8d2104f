# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..const import COUNSELLOR, HR_NOTICE, MANAGEMENT, MIN_REPORT_POPULATION

# The smallest population an annual report is published for: no client
# organisation can go below it; a coordinator or administrator may raise it.


class VpOrganisation(models.Model):
    """A client organisation: the employer that engages the counsellors."""

    _name = "vp.organisation"
    _inherit = ["vp.change.logged.mixin", "vp.field.access.mixin"]
    _description = "Client organisation"
    _order = "name"

    # Who receives notices and reports, how long content is kept,
    # and the smallest population a report is published for.
    _vp_logged_fields = ("retention_months", "hr_user_ids", "manager_user_ids", "code", "min_report_population")

    name = fields.Char(required=True)
    code = fields.Char(
        required=True,
        help="Short code employees type on the intake page to name their employer.",
    )
    active = fields.Boolean(default=True)
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        help="The partner invoiced for the counsellors' hours.",
    )
    business_unit_ids = fields.One2many("vp.business.unit", "organisation_id")
    counsellor_ids = fields.Many2many(
        "res.users",
        "vp_organisation_counsellor_rel",
        "organisation_id",
        "user_id",
        string="Counsellors",
        domain=lambda self: [("groups_id", "in", self.env.ref(COUNSELLOR).id)],
        help="Counsellors who serve this organisation.",
    )
    hr_user_ids = fields.Many2many(
        "res.users",
        "vp_organisation_hr_user_rel",
        "organisation_id",
        "user_id",
        string="HR notice recipients",
        domain=lambda self: [("groups_id", "in", self.env.ref(HR_NOTICE).id)],
    )
    manager_user_ids = fields.Many2many(
        "res.users",
        "vp_organisation_manager_rel",
        "organisation_id",
        "user_id",
        string="Management",
        domain=lambda self: [("groups_id", "in", self.env.ref(MANAGEMENT).id)],
        help="Management users who read and print this organisation's annual reports. Only these: "
        "left empty, no management user sees the organisation or its reports.",
    )

    # The organisation's recovery key: only its public half is stored; the
    # code that stands for its private half is printed once and kept offline.
    recovery_public_key = fields.Char(readonly=True, copy=False, groups="base.group_system")
    recovery_salt = fields.Char(readonly=True, copy=False, groups="base.group_system")
    # vault/endorsement.py: made with the key, in the coordinator's own session; a
    # public key written here otherwise is never sealed for.
    recovery_endorsement = fields.Char(readonly=True, copy=False, groups="base.group_system")
    recovery_created_on = fields.Datetime(string="Recovery key made on", readonly=True, copy=False)
    recovery_created_by_id = fields.Many2one("res.users", string="Recovery key made by", readonly=True, copy=False)
    vault_idle_minutes = fields.Integer(
        string="Lock after idle (minutes)",
        default=30,
        required=True,
        help="A counsellor's unlocked vault locks again after this many minutes without use.",
    )

    retention_months = fields.Integer(
        string="Retention (months)",
        default=12,
        required=True,
        help="Months after closing before a case's content is destroyed.",
    )

    min_report_population = fields.Integer(
        string="Minimum requests per annual report",
        default=MIN_REPORT_POPULATION,
        required=True,
        help="An annual report (of the organisation, or of a business unit) is made only over at least this "
        "many requests in its year, and a unit's report only when the rest of the unit above it also holds "
        "at least this many; a previous year below it is left out. At least 10.",
    )

    _sql_constraints = [
        ("vault_idle_positive", "CHECK(vault_idle_minutes BETWEEN 1 AND 720)", "Lock after 1 to 720 idle minutes."),
        ("retention_positive", "CHECK(retention_months >= 1)", "The retention period is at least one month."),
        ("code_unique", "unique(code)", "Another client organisation already uses this code."),
    ]

    @api.constrains("min_report_population")
    def _check_min_report_population(self):
        for organisation in self:
            if organisation.min_report_population < MIN_REPORT_POPULATION:
                raise ValidationError(
                    self.env._(
                        "An annual report covers at least %(floor)s requests: the minimum cannot be set lower.",
                        floor=MIN_REPORT_POPULATION,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("code"):
                vals["code"] = vals["code"].strip().upper()
        return super().create(vals_list)

    def write(self, vals):
        if vals.get("code"):
            vals["code"] = vals["code"].strip().upper()
        return super().write(vals)

    @api.constrains("hr_user_ids")
    def _check_hr_users(self):
        """Notices go to users of the HR notice role only (the view's
        domain is a suggestion the client may ignore)."""
        group = self.env.ref(HR_NOTICE)
        for organisation in self.sudo():  # sudo: group membership of the recipients only
            wrong = organisation.hr_user_ids.filtered(lambda user: not user.active or group not in user.groups_id)
            if wrong:
                raise ValidationError(
                    self.env._(
                        "HR notice recipients must be active users with the HR notice role: %(users)s is not.",
                        users=", ".join(wrong.mapped("name")),
                    )
                )

    def _vp_hr_recipients(self, missing_message):
        """The HR users who receive this organisation's notices and signals.

        Raises ``missing_message`` (a translated UserError text) when none is set.
        """
        self.ensure_one()
        recipients = self.sudo().hr_user_ids  # sudo: the recipients configured; no content involved
        # A user who left the HR role since it was set receives nothing.
        group = self.env.ref(HR_NOTICE)
        recipients = recipients.filtered(lambda user: user.active and group in user.groups_id)
        if not recipients:
            raise UserError(missing_message)
        return recipients
