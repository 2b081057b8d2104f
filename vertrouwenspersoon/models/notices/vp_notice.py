# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import SUPERUSER_ID, api, fields, models
from odoo.exceptions import UserError, ValidationError

from ...const import COUNSELLOR, COUNSELLOR_OR_HR
from ...tools import guards
from ...tools.followers import check_own_partner_only
from .vp_consent import CONSENT_LEVELS

# What each recorded consent level permits; without consent only "anonymous".
PERMITTED_LEVELS = {
    "name_summary": {"name_summary", "name", "anonymous"},
    "name": {"name", "anonymous"},
    "anonymous": {"anonymous"},
    False: {"anonymous"},
}


class VpNotice(models.Model):
    """A notice to HR that a request was made, as far as the employee consented.

    With consent: the date and the employee's name, and the summary only if the
    employee approved that exact text. Without: anonymous, date and region.
    HR reads only the notices sent to them and nothing of the case; a sent
    notice cannot change, HR only acknowledges receipt.
    """

    _name = "vp.notice"
    _description = "Notice to HR"
    # The sealed chatter first: its message_post must run before mail.thread's.
    _inherit = [
        "vp.mail.sealed.mixin",
        "mail.thread",
        "vp.activity.owned.mixin",
        "vp.encrypted.mixin",
        "vp.write.checked.mixin",
        "vp.field.access.mixin",
    ]
    _order = "id desc"
    _mail_post_access = "write"

    # Sending and acknowledging are the buttons' (action_send,
    # action_acknowledge), never a client write, whatever its context.
    _vp_create_only_fields = ("case_id",)
    _vp_guarded_fields = {
        "state": guards.NOTICE_TRANSITION,
        "recipient_user_ids": guards.NOTICE_TRANSITION,
        "sent_on": guards.NOTICE_TRANSITION,
        "acknowledged_on": guards.NOTICE_TRANSITION,
        "acknowledged_by_id": guards.NOTICE_TRANSITION,
    }

    _vp_encrypted_fields = {"employee_name": "employee_name_ciphertext", "summary": "summary_ciphertext"}
    # Its readers (HR recipients; the second signatory) never hold the case's key.
    _vp_key_scope = "record"

    name = fields.Char(string="Notice number", readonly=True, copy=False, default="/")
    case_id = fields.Many2one("vp.case", required=True, ondelete="restrict", index=True, groups=COUNSELLOR)
    # Who made or last changed a notice is its counsellor (or, once acknowledged, the HR
    # officer): HR must not learn which counsellor an anonymous notice comes from, so the
    # log fields are the counsellor's only (record rules limit those to their own notices).
    create_uid = fields.Many2one("res.users", string="Created by", readonly=True, groups=COUNSELLOR)
    write_uid = fields.Many2one("res.users", string="Last Updated by", readonly=True, groups=COUNSELLOR)
    consent_id = fields.Many2one(
        "vp.consent",
        ondelete="restrict",
        groups=COUNSELLOR,
        domain="[('case_id', '=', case_id), ('withdrawn_on', '=', False)]",
        help="The employee's recorded consent. Without it only an anonymous notice can be sent.",
    )
    organisation_id = fields.Many2one("vp.organisation", string="Client organisation", required=True, readonly=True)
    level = fields.Selection(CONSENT_LEVELS, required=True, default="anonymous")
    request_date = fields.Date(string="Date of the request", required=True)
    region_id = fields.Many2one("vp.region", readonly=True)
    employee_name = fields.Char(
        compute="_compute_vp_plaintext", inverse="_inverse_vp_plaintext", groups=COUNSELLOR_OR_HR
    )
    summary = fields.Text(compute="_compute_vp_plaintext", inverse="_inverse_vp_plaintext", groups=COUNSELLOR_OR_HR)
    employee_name_ciphertext = fields.Text(groups="base.group_system", copy=False, prefetch=False)
    summary_ciphertext = fields.Text(groups="base.group_system", copy=False, prefetch=False)
    # Not tracked: HR reads the notice's chatter, whose author would name the
    # counsellor; sent_on and acknowledged_on record the steps instead.
    state = fields.Selection(
        [("draft", "Draft"), ("sent", "Sent"), ("acknowledged", "Acknowledged")],
        default="draft",
        required=True,
        readonly=True,
    )
    recipient_user_ids = fields.Many2many(
        "res.users", "vp_notice_recipient_rel", "notice_id", "user_id", string="Sent to", readonly=True
    )
    sent_on = fields.Datetime(readonly=True)
    acknowledged_on = fields.Datetime(readonly=True)
    acknowledged_by_id = fields.Many2one("res.users", readonly=True)

    # ------------------------------------------------------------------
    # Access
    # ------------------------------------------------------------------
    def _vp_case(self):
        # sudo: HR has no access to the case; the key is looked up by id only.
        return self.sudo().case_id

    def _vp_may_read_content(self):
        uid = self.env.uid
        return self.filtered(
            lambda notice: (
                uid in notice._vp_case()._vp_reader_user_ids()
                or (notice.state != "draft" and uid in notice.recipient_user_ids.ids)
            )
        )

    def _vp_may_write_content(self):
        uid = self.env.uid
        if uid == SUPERUSER_ID:
            return self
        return self.filtered(lambda notice: notice.state == "draft" and uid in notice._vp_case()._vp_reader_user_ids())

    # ------------------------------------------------------------------
    # CRUD and rules
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        # No number yet; it is given at sending (per organisation, no gaps
        # for drafts never sent: see vp.organisation._vp_next_notice_number).
        for vals in vals_list:
            vals["name"] = "/"
        return super(VpNotice, self.with_context(mail_create_nosubscribe=True, mail_create_nolog=True)).create(
            vals_list
        )

    def write(self, vals):
        if not guards.is_open(self.env, guards.NOTICE_TRANSITION) and any(n.state != "draft" for n in self):
            raise UserError(self.env._("A notice that has been sent cannot be changed."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_sent(self):
        if any(notice.state != "draft" for notice in self):
            raise UserError(self.env._("A notice that has been sent cannot be deleted."))

    def unlink(self):
        ids = self.ids
        result = super().unlink()
        self.env["vp.record.key"]._vp_forget(self._name, ids)
        return result

    @api.model
    def _search_message_partner_ids(self, operator, operand):
        check_own_partner_only(self, operator, operand)
        return super()._search_message_partner_ids(operator, operand)

    def _vp_record_readers(self):
        """Per notice: (readers, principal readers, organisation). A notice has a key
        of its own. The case's key readers (its counsellor, handover backups, the
        roster backup: never the other side) read it, and, once sent, its HR
        recipients. HR gets the notice's own key, never the case's. The principal
        readers (the counsellor and the recipients) must hold the key before its
        wrapping under the master key goes. A fixed number of queries."""
        # sudo: who reads the notices, not what is in them.
        notices = self.sudo()
        readers_by_case = notices.case_id._vp_key_readers_by_case()
        result = {}
        for notice in notices:
            case = notice.case_id
            readers = readers_by_case.get(case.id, self.env["res.users"])
            principal = case.counsellor_id & readers
            if notice.state != "draft":
                recipients = notice.recipient_user_ids.filtered("active")
                readers |= recipients
                principal |= recipients
            result[notice.id] = (readers, principal, case.organisation_id)
        return result

    def copy(self, default=None):  # pylint: disable=method-required-super
        raise UserError(self.env._("A notice cannot be duplicated."))

    @api.constrains("level", "consent_id")
    def _check_level_consented(self):
        for notice in self.sudo():  # sudo: constraint also runs for the superuser; reads levels only
            consent = notice.consent_id
            if consent and (consent.withdrawn_on or consent.case_id != notice.case_id):
                raise ValidationError(self.env._("This consent was withdrawn or belongs to another case."))
            if notice.level not in PERMITTED_LEVELS[consent.level if consent else False]:
                raise ValidationError(
                    self.env._(
                        "The employee did not consent to this: without recorded consent only an "
                        "anonymous notice (date and region) can be sent, and a summary only with "
                        "consent to share that exact text."
                    )
                )

    @api.model
    def _prepare_from_case(self, case, consent=None):
        """Values of a draft notice for a case, limited to what the consent allows."""
        level = consent.level if consent else "anonymous"
        vals = {
            "case_id": case.id,
            "consent_id": consent.id if consent else False,
            "organisation_id": case.organisation_id.id,
            "level": level,
            "request_date": fields.Date.to_date(case.request_date),
            "region_id": case.region_id.id if level == "anonymous" else False,
        }
        if level in ("name", "name_summary"):
            vals["employee_name"] = case.employee_name
        if level == "name_summary":
            vals["summary"] = consent.approved_summary
        return vals

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def _vp_content_at_send(self):
        """What HR receives, derived here from the case and the consent,
        never from what a client typed: no name unless the consent allows
        it, the case's own name, and exactly the approved summary."""
        self.ensure_one()
        case = self.case_id
        if self.organisation_id != case.organisation_id:
            raise UserError(self.env._("A notice goes to the HR of its case's own client organisation."))
        consent = self.consent_id
        vals = {
            "employee_name": case.employee_name if self.level in ("name", "name_summary") else False,
            "summary": consent.approved_summary if self.level == "name_summary" else False,
            "request_date": fields.Date.to_date(case.request_date),
            "region_id": case.region_id.id if self.level == "anonymous" else False,
        }
        for field_name, message in (
            (
                "employee_name",
                self.env._("The name in the notice is not what the consent allows: it cannot be sent."),
            ),
            (
                "summary",
                self.env._("The summary differs from the text the employee approved: it cannot be sent."),
            ),
        ):
            typed = self[field_name] or False
            if typed and typed != (vals[field_name] or False):
                raise UserError(message)
        return vals

    @api.depends("name")
    def _compute_display_name(self):
        # A notice is numbered when sent; a draft is not called "/"
        for notice in self:
            notice.display_name = notice.name if notice.name and notice.name != "/" else self.env._("Draft notice")

    def action_send(self):
        for notice in self:
            if notice.state != "draft":
                raise UserError(self.env._("Notice %(name)s has been sent already.", name=notice.name))
            if notice not in notice._vp_may_write_content():
                notice._vp_deny()
            notice._check_level_consented()
            notice.write(notice._vp_content_at_send())
            if notice.level in ("name", "name_summary") and not (notice.employee_name or "").strip():
                raise UserError(
                    self.env._(
                        "This notice would carry the employee's name, but the name is not filled in on the case: "
                        "fill it in on the case's Employee tab, or choose a level without the name. HR cannot "
                        "tell a withheld name from a forgotten one."
                    )
                )
            recipients = notice.organisation_id._vp_hr_recipients(
                self.env._(
                    "No HR notice recipient is set for %(organisation)s: ask the coordinator to set one.",
                    organisation=notice.organisation_id.display_name,
                )
            )
            guards.open_guard(notice, guards.NOTICE_TRANSITION).write(
                {
                    "name": notice.organisation_id._vp_next_notice_number(),
                    "state": "sent",
                    "sent_on": fields.Datetime.now(),
                    "recipient_user_ids": [(6, 0, recipients.ids)],
                }
            )
            todo = self.env.ref("mail.mail_activity_data_todo")
            # As the system (OdooBot), not the counsellor: counsellors cannot create
            # activities for HR users, and the to-do and its "assigned to you" mail
            # name the notice number only, not which counsellor sent it.
            system_notice = notice.with_user(SUPERUSER_ID)
            for user in recipients:
                system_notice.activity_schedule(activity_type_id=todo.id, user_id=user.id, summary=False, note=False)
        # The counsellor sends in her unlocked session: the notice's key is
        # sealed for each recipient's public key now (a recipient without a
        # key pair waits until she chooses a passphrase and a holder unlocks).
        self.env["vp.record.key"]._vp_share(self)

    def action_acknowledge(self):
        for notice in self:
            if notice.state != "sent" or self.env.uid not in notice.recipient_user_ids.ids:
                raise UserError(self.env._("Only a recipient can acknowledge a notice that was sent to them."))
            # sudo: HR has no write right on notices; this one step, on a
            # notice sent to this user, changes only the state and who acknowledged when.
            guards.open_guard(notice.sudo(), guards.NOTICE_TRANSITION).write(
                {"state": "acknowledged", "acknowledged_on": fields.Datetime.now(), "acknowledged_by_id": self.env.uid}
            )
            # sudo: closes this user's own to-do on the notice
            notice.sudo().activity_ids.filtered(lambda a: a.user_id.id == self.env.uid).action_feedback()
