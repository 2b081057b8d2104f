# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64
import logging
import os
from datetime import timedelta

from odoo import api, fields, models
from odoo.addons.base.models.res_users import check_identity
from odoo.exceptions import AccessError, UserError, ValidationError

from ...const import COORDINATOR, COUNSELLOR, HR_NOTICE, MANAGEMENT, MIN_REPORT_POPULATION, THROTTLE_WINDOW
from ...tools.confidential import case_record_key_models
from ...vault import endorsement, keyring
from ..logs.vp_audit_log import in_server_action, session_uid

# The smallest population an annual report is published for: no client
# organisation can go below it; a coordinator or administrator may raise it.


CRON_UNIT_HOURS = {"minutes": 1 / 60, "hours": 1, "days": 24, "weeks": 24 * 7}

_logger = logging.getLogger(__name__)


class VpOrganisation(models.Model):
    """A client organisation: the employer that engages the counsellors."""

    _name = "vp.organisation"
    _inherit = ["vp.change.logged.mixin", "vp.field.access.mixin"]
    _description = "Client organisation"
    _order = "name"

    # Who receives notices and reports, how long content is kept,
    # and the smallest population a report is published for.
    # The floor under the invoices' anonymity threshold too.
    _vp_logged_fields = (
        "retention_months",
        "hr_user_ids",
        "manager_user_ids",
        "code",
        "min_report_population",
        "min_cases_per_unit_floor",
    )

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

    # ------------------------------------------------------------------
    # Invoicing: the floor under the invoices' anonymity threshold
    # ------------------------------------------------------------------
    # The accountant sets an engagement's ``min_cases_per_unit``; set to 1 it would name the
    # business unit of a single case on the invoice to the client. The floor is set on the
    # client organisation, which the accountant only reads: by the coordinator or an
    # administrator, and every change is logged.
    min_cases_per_unit_floor = fields.Integer(
        string="Minimum cases per unit on invoices",
        default=3,
        required=True,
        help="No engagement with this organisation may name on its invoices a business unit with fewer "
        "distinct cases in a month; the invoicing department can raise the threshold, never lower it below this.",
    )

    @api.constrains("min_cases_per_unit_floor")
    def _check_min_cases_per_unit_floor(self):
        for organisation in self:
            if organisation.min_cases_per_unit_floor < 1:
                raise ValidationError(self.env._("The minimum number of cases per unit is at least 1."))

    # ------------------------------------------------------------------
    # Notice numbers
    # ------------------------------------------------------------------
    # Notice numbers per client organisation, given when a notice is sent.
    #
    # One number series for every organisation, given at drafting, told HR of one
    # organisation that other notices existed: a gap (HR-2026-0004 missing) meant a
    # notice drafted and never sent, or one sent to another organisation. Each
    # organisation now has its own series, and a notice gets its number when it is
    # sent, so HR reads 1, 2, 3 of their own notices. The series is a PostgreSQL
    # sequence (``implementation = standard``): taking a number locks no row, so
    # counsellors sending notices of one organisation at once do not wait for each
    # other; a number is lost only if the sending itself fails.
    notice_sequence_id = fields.Many2one(
        "ir.sequence", string="Notice numbers", readonly=True, copy=False, groups="base.group_system"
    )

    def _vp_next_notice_number(self):
        self.ensure_one()
        # sudo: the organisation's own number series; a number is no content, and the
        # sending counsellor may neither read nor create sequences.
        organisation = self.sudo()
        if not organisation.notice_sequence_id:
            organisation.notice_sequence_id = (
                self.env["ir.sequence"]
                .sudo()
                .create(
                    {
                        "name": self.env._("Notice numbers of %(organisation)s", organisation=organisation.name),
                        "prefix": "HR-%(year)s-",
                        "padding": 4,
                        "implementation": "standard",
                        "company_id": False,
                    }
                )
            )
        return organisation.notice_sequence_id.next_by_id()

    # ------------------------------------------------------------------
    # The processing record
    # ------------------------------------------------------------------
    # What the processing record (AVG art. 30, report/vp_processing_record_report.xml)
    # reads beyond the organisation's own fields: its date and version, and the retention
    # terms as the addon applies them, so the record never drifts from the configuration.
    def _vp_processing_record_version(self):
        """{"version", "changed_on", "printed_on"}: version 1 is the organisation as created,
        and every logged change of a setting the record shows (retention, HR contacts,
        managers ...) adds one, counted from the change log, which no one can edit;
        ``changed_on`` is the day of the last change. Read as the coordinator, who renders
        the record and may read the change log."""
        self.ensure_one()
        changes = self.env["vp.change.log"].search_read(
            [("res_model", "=", self._name), ("res_id", "=", self.id), ("operation", "=", "write")],
            ["change_date"],
        )
        last = max((change["change_date"] for change in changes), default=self.create_date)
        return {
            "version": len(changes) + 1,
            "changed_on": fields.Date.context_today(self, last),
            "printed_on": fields.Date.context_today(self),
        }

    def _vp_intake_visitor_hours(self):
        """At most how many hours the intake page keeps a visitor's hashed address: its
        window, then the scheduled job that forgets what is older (data/ir_cron_data.xml)."""
        cron = self.env.ref("vertrouwenspersoon.ir_cron_vp_intake_throttle", raise_if_not_found=False)
        interval = timedelta(0)
        if cron:
            # sudo: the job's interval only, no data (coordinators cannot read scheduled actions).
            cron = cron.sudo()
            interval = timedelta(hours=cron.interval_number * CRON_UNIT_HOURS.get(cron.interval_type, 0))
        return round((THROTTLE_WINDOW + interval).total_seconds() / 3600)

    # ------------------------------------------------------------------
    # The recovery key
    # ------------------------------------------------------------------
    # The organisation's recovery key: made once by the
    # coordinator, printed once, stored only as its public key; typed back in to
    # give a case's readers its key again when a counsellor leaves or forgets their
    # passphrase.
    has_recovery_key = fields.Boolean(
        compute="_compute_has_recovery_key",
        help="The organisation has a recovery key made in this app, which cases are sealed for.",
    )
    recovery_key_invalid = fields.Boolean(
        string="Recovery key not valid",
        compute="_compute_has_recovery_key",
        help="A recovery key is on record that was not made in this app (written outside it): nothing is "
        "sealed for it. Make a new one, or type the code of the real one to confirm it.",
    )
    master_key_case_count = fields.Integer(
        string="Still on the master key",
        compute="_compute_master_key_case_count",
        help="Cases, notices, breach records and timesheet notes that the server's master key alone still "
        "opens, because a reader has set no vault passphrase or not unlocked since the update. When every "
        "organisation shows 0, the master key can be retired (see the README).",
    )

    @api.model
    def vp_without_recovery_key(self):
        """Names of the active organisations without a recovery key, for the coordinator, who
        makes them (the warning above her case lists); nothing for anyone else."""
        if not self.env.user.has_group(COORDINATOR):
            return []
        # sudo: whether a key exists, per organisation; no key is read
        organisations = self.sudo().search([("recovery_public_key", "=", False)])
        return organisations.mapped("name")

    def _compute_has_recovery_key(self):
        for organisation in self:
            endorsed = bool(organisation._vp_recovery_public_key())
            organisation.has_recovery_key = endorsed
            # sudo: whether a public key is on record at all, not what it is
            organisation.recovery_key_invalid = not endorsed and bool(organisation.sudo().recovery_public_key)

    def _vp_recovery_public_key(self):
        """The recovery public key that content may be sealed for: the one made in
        this app (endorsed), or False. The only reader of the column for sealing."""
        if not self:
            return False
        self.ensure_one()
        organisation = self.sudo()  # sudo: the public key columns are the administrator's group
        public = organisation.recovery_public_key
        if public and endorsement.is_endorsed(organisation.recovery_endorsement, "recovery", self.id, public):
            return public
        return False

    def _vp_recovery_notices(self):
        """For the unlocking counsellor: the organisations she serves whose recovery
        key on record was not made in the app (and so is not used)."""
        # sudo: the organisations this user serves, and whether their key checks; no key is opened.
        organisations = self.sudo().search([("counsellor_ids", "in", self.env.uid)])
        notices = []
        for organisation in organisations.filtered("recovery_key_invalid"):
            notices.append(
                self.env._(
                    "The recovery key on record for %(organisation)s was not made in this app (last changed on "
                    "%(date)s by %(user)s). Nothing is sealed for it. Tell your coordinator: she makes a new one, "
                    "or confirms the real one by typing its code.",
                    organisation=organisation.name,
                    date=organisation.write_date,
                    user=organisation.write_uid.name,
                )
            )
        return notices

    def _compute_master_key_case_count(self):
        """Cases, notices, breach records and timesheet notes still on the master key, per
        organisation (a few queries, whatever their number): the one key store read once."""
        # sudo (this method): counts rows per organisation; no key or note is read.
        record_keys = self.env["vp.record.key"].sudo().search_fetch([], ["res_model", "res_id"])
        per_org = {}
        for res_model in ("vp.case", *case_record_key_models(self.env)):
            ids = [key.res_id for key in record_keys if key.res_model == res_model]
            for record in self.env[res_model].sudo().browse(ids).exists():  # sudo: see above
                organisation_id = (
                    record.organisation_id if res_model == "vp.case" else record.case_id.organisation_id
                ).id
                per_org[organisation_id] = per_org.get(organisation_id, 0) + 1
        line_ids = [key.res_id for key in record_keys if key.res_model == "account.analytic.line"]
        lines = self.env["account.analytic.line"].sudo()  # sudo: see above
        legacy = self.env["vp.timesheet.note"]._vp_legacy_notes([]).line_id
        for line in lines.browse(line_ids).exists() | legacy:
            organisation = line.vp_case_id.organisation_id or line.vp_prevention_session_id.organisation_id
            per_org[organisation.id] = per_org.get(organisation.id, 0) + 1
        for organisation in self:
            organisation.master_key_case_count = per_org.get(organisation.id, 0)

    def _vp_check_coordinator(self):
        if not self.env.user.has_group(COORDINATOR):
            raise AccessError(self.env._("Only the coordinator makes or uses an organisation's recovery key."))

    @check_identity
    def action_open_recovery(self):
        """Making or using a recovery key asks for the password and the second factor
        again (Odoo's identity check): its pages (controllers/recovery.py) accept a
        code only within ten minutes of that check."""
        self.ensure_one()
        self._vp_check_coordinator()
        return {"type": "ir.actions.act_url", "url": f"/vertrouwenspersoon/recovery/{self.id}", "target": "self"}

    def _vp_make_recovery_key(self, replace=False):
        """A new recovery code for this organisation, returned once and never
        stored: only its public key is. Replacing one leaves the cases sealed
        for the old code to be sealed for the new one as their readers open them."""
        self.ensure_one()
        self._vp_check_coordinator()
        self._vp_check_own_session()
        organisation = self.sudo()  # sudo: the public key columns are the administrator's group
        if self._vp_recovery_public_key() and not replace:
            raise UserError(self.env._("%(organisation)s already has a recovery key.", organisation=self.name))
        code = keyring.new_recovery_code()
        salt = os.urandom(16)
        private_key = keyring.recovery_key_pair(code, salt)
        if replace:
            # sudo: the grants of the old code open nothing any more once it is replaced.
            self.env["vp.record.grant"].sudo().search([("organisation_id", "=", self.id)]).unlink()
        public = keyring._b64(keyring.public_bytes(private_key))
        organisation.write(
            {
                "recovery_public_key": public,
                "recovery_salt": base64.b64encode(salt).decode(),
                "recovery_endorsement": endorsement.endorse("recovery", self.id, public),
                "recovery_created_on": fields.Datetime.now(),
                "recovery_created_by_id": self.env.uid,
            }
        )
        self.env["vp.audit.log"]._vp_log_vault("recovery_made")
        return code

    def _vp_check_own_session(self):
        """The recovery key is made or confirmed by the coordinator signed in herself,
        never by code run in her name."""
        session = session_uid()
        if in_server_action() or (session and session != self.env.uid):
            raise AccessError(self.env._("The recovery key is made only by the coordinator, signed in herself."))

    def _vp_use_recovery_key(self, code):
        """Give every case of this organisation that the recovery key holds
        back to its current readers (sealed for their public keys: the person
        typing the code, the coordinator, gets no key). Logged, and told to
        all counsellors of the organisation. Returns the number of cases."""
        self.ensure_one()
        self._vp_check_coordinator()
        self._vp_check_own_session()
        organisation = self.sudo()  # sudo: public key and salt, to check the code typed
        if not organisation.recovery_public_key:
            raise UserError(self.env._("%(organisation)s has no recovery key.", organisation=self.name))
        try:
            private_key = keyring.recovery_key_pair(code, base64.b64decode(organisation.recovery_salt))
        except (keyring.VaultError, ValueError):
            private_key = None
        if private_key is None or keyring._b64(keyring.public_bytes(private_key)) != organisation.recovery_public_key:
            self.env["vp.audit.log"]._vp_log_vault("recovery_failed")
            raise UserError(self.env._("This is not the recovery code of %(organisation)s.", organisation=self.name))
        if not self._vp_recovery_public_key():
            # Typing the code proves the key is the organisation's: endorsed again
            # (after the server's endorsement secret changed, for instance).
            organisation.recovery_endorsement = endorsement.endorse(
                "recovery", self.id, organisation.recovery_public_key
            )
        grants_model = self.env["vp.record.grant"].sudo()  # sudo: the recovery grants of this organisation only
        recovery_grants = grants_model.search(
            [("res_model", "=", "vp.case"), ("organisation_id", "=", self.id), ("token", "!=", False)]
        )
        cases = self.env["vp.case"].sudo().browse(recovery_grants.mapped("res_id")).exists()  # sudo: as the grants
        readers = cases._vp_key_readers_by_case()
        for grant in recovery_grants.filtered(lambda grant: grant.res_id in cases.ids):
            aad = grant._vp_aad(grant.res_model, grant.res_id, grant._vp_holder())
            data_key = keyring.open_sealed(private_key, grant.token, aad)
            grants_model._vp_seal(grant.res_model, grant.res_id, data_key, readers[grant.res_id])
            self.env["vp.audit.log"]._vp_log_vault("recovery", case=cases.browse(grant.res_id))
        cases._vp_drop_former_readers()
        self._vp_recover_records(private_key)
        self._vp_tell_counsellors_of_recovery(len(cases))
        _logger.info("Recovery key of organisation %s used for %d case(s)", self.id, len(cases))
        return len(cases)

    def _vp_recover_records(self, private_key):
        """The notices, breach records and prevention notes the recovery key
        holds go back to their current readers (sealed for their public keys)."""
        # sudo: the recovery grants of this organisation's records only.
        grants_model = self.env["vp.record.grant"].sudo()
        grants = grants_model.search(
            [("res_model", "!=", "vp.case"), ("organisation_id", "=", self.id), ("token", "!=", False)]
        )
        for res_model in set(grants.mapped("res_model")):
            model_grants = grants.filtered(lambda grant, res_model=res_model: grant.res_model == res_model)
            records = self.env[res_model].sudo().browse(model_grants.mapped("res_id")).exists()  # sudo: ids
            readers_map = records._vp_record_readers()
            for grant in model_grants.filtered(lambda grant, ids=set(records.ids): grant.res_id in ids):
                aad = grant._vp_aad(grant.res_model, grant.res_id, grant._vp_holder())
                data_key = keyring.open_sealed(private_key, grant.token, aad)
                grants_model._vp_seal(res_model, grant.res_id, data_key, readers_map[grant.res_id][0])
        return len(grants)

    def _vp_tell_counsellors_of_recovery(self, count):
        """Every counsellor of the organisation is told that the recovery key was used."""
        partners = self.sudo().counsellor_ids.partner_id  # sudo: who the counsellors are
        if not partners:
            return
        body = self.env._(
            "The recovery key of %(organisation)s was used by %(user)s: %(count)s case(s) were given back to "
            "their counsellors. If you did not expect this, tell your coordinator.",
            organisation=self.name,
            user=self.env.user.name,
            count=count,
        )
        # sudo: a notification from the system to the counsellors; it names no case.
        self.env["mail.thread"].sudo().message_notify(
            partner_ids=partners.ids,
            subject=self.env._("Recovery key used for %(organisation)s", organisation=self.name),
            body=body,
        )
