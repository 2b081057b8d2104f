# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

COUNSELLOR = "vertrouwenspersoon.group_counsellor"
COUNSELLOR_OR_COORDINATOR = "vertrouwenspersoon.group_counsellor,vertrouwenspersoon.group_coordinator"


class VpCase(models.Model):
    """A case (melding): what an employee brings to their counsellor.

    Who reads what is decided here and in the record rules, never in views:
    - metadata the coordinator needs for assignment (organisation, region,
      dates, status, side, counsellor) has no field group;
    - registration details (business unit, kinds, routes, meetings,
      postcode) are for counsellors only, and record rules limit counsellors
      to their own cases and to cases handed over to them;
    - content (notes, the employee's identity and contact details, documents)
      is encrypted with the case's key and decrypted only for the case's own
      counsellor or an active handover (vp.encrypted.mixin), never for a
      group as such.
    The display name is the case number and nothing else.
    """

    _name = "vp.case"
    _description = "Case"
    _inherit = ["mail.thread", "mail.activity.mixin", "vp.encrypted.mixin"]
    _order = "request_date desc, id desc"
    _mail_post_access = "write"

    _vp_encrypted_fields = {
        "notes": "notes_ciphertext",
        "employee_name": "employee_name_ciphertext",
        "employee_email": "employee_email_ciphertext",
        "employee_phone": "employee_phone_ciphertext",
    }

    name = fields.Char(string="Case number", readonly=True, copy=False, default="/", index=True)
    organisation_id = fields.Many2one(
        "vp.organisation", string="Client organisation", required=True, index=True, tracking=True
    )
    region_id = fields.Many2one("vp.region", index=True, tracking=True)
    request_date = fields.Datetime(required=True, default=fields.Datetime.now, tracking=True)
    first_contact_date = fields.Datetime(string="First contact", tracking=True)
    close_date = fields.Date(string="Closed on", tracking=True)
    state = fields.Selection(
        [
            ("request", "Request"),
            ("open", "In progress"),
            ("aftercare", "Aftercare"),
            ("closed", "Closed"),
        ],
        default="request",
        required=True,
        tracking=True,
        index=True,
    )
    side = fields.Selection(
        [("reporter", "Reporter"), ("accused", "Accused party")],
        default="reporter",
        required=True,
        help="Whom the counsellor supports in this case.",
    )
    counsellor_id = fields.Many2one(
        "res.users",
        index=True,
        tracking=True,
        ondelete="restrict",
        domain=lambda self: [("groups_id", "in", self.env.ref(COUNSELLOR).id)],
    )
    is_linked = fields.Boolean(
        string="Other side supported",
        compute="_compute_is_linked",
        help="Another counsellor supports the other side of this case.",
    )
    handover_ids = fields.One2many("vp.case.handover", "case_id", groups=COUNSELLOR_OR_COORDINATOR)

    # Registration details: counsellors only (record rules limit them to own cases).
    business_unit_id = fields.Many2one(
        "vp.business.unit",
        groups=COUNSELLOR,
        index=True,
        domain="[('organisation_id', '=', organisation_id)]",
    )
    postcode = fields.Char(
        string="Postcode of residence", size=4, groups=COUNSELLOR, help="The four digits decide the region."
    )
    behaviour_kind_ids = fields.Many2many("vp.behaviour.kind", string="Kinds of behaviour", groups=COUNSELLOR)
    route_ids = fields.Many2many("vp.route", string="Routes taken", groups=COUNSELLOR)
    meeting_ids = fields.One2many("vp.case.meeting", "case_id", groups=COUNSELLOR)
    document_ids = fields.One2many("vp.case.document", "case_id", groups=COUNSELLOR)
    consent_ids = fields.One2many("vp.consent", "case_id", groups=COUNSELLOR)
    notice_ids = fields.One2many("vp.notice", "case_id", groups=COUNSELLOR)
    breach_ids = fields.One2many("vp.breach", "case_id", groups=COUNSELLOR)
    referral_ids = fields.One2many("vp.referral", "case_id", groups=COUNSELLOR)

    # Content: plaintext never stored; see vp.encrypted.mixin.
    notes = fields.Text(compute="_compute_vp_plaintext", inverse="_inverse_vp_plaintext", groups=COUNSELLOR)
    employee_name = fields.Char(compute="_compute_vp_plaintext", inverse="_inverse_vp_plaintext", groups=COUNSELLOR)
    employee_email = fields.Char(compute="_compute_vp_plaintext", inverse="_inverse_vp_plaintext", groups=COUNSELLOR)
    employee_phone = fields.Char(compute="_compute_vp_plaintext", inverse="_inverse_vp_plaintext", groups=COUNSELLOR)
    notes_ciphertext = fields.Text(groups="base.group_system", copy=False, prefetch=False)
    employee_name_ciphertext = fields.Text(groups="base.group_system", copy=False, prefetch=False)
    employee_email_ciphertext = fields.Text(groups="base.group_system", copy=False, prefetch=False)
    employee_phone_ciphertext = fields.Text(groups="base.group_system", copy=False, prefetch=False)

    _sql_constraints = [
        ("name_unique", "unique(name)", "Case numbers are unique."),
    ]

    # ------------------------------------------------------------------
    # Access
    # ------------------------------------------------------------------
    def _vp_case(self):
        return self

    def _vp_reader_user_ids(self):
        """Users who may read this case's content: its counsellor and active handovers."""
        self.ensure_one()
        # sudo: reads who holds the case, not what is in it.
        case_sudo = self.sudo()
        return case_sudo.counsellor_id.ids + case_sudo.handover_ids.filtered("is_active").to_user_id.ids

    def _vp_may_read_content(self):
        uid = self.env.uid
        return self.filtered(lambda case: uid in case._vp_reader_user_ids())

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                # sudo: the sequence is not readable by counsellors; a number is no content.
                vals["name"] = self.env["ir.sequence"].sudo().next_by_code("vp.case") or "/"
        # Nobody becomes a follower by creating a case: only its counsellor follows it.
        cases = super(VpCase, self.with_context(mail_create_nosubscribe=True)).create(vals_list)
        cases._vp_sync_followers()
        return cases.with_context(mail_create_nosubscribe=self.env.context.get("mail_create_nosubscribe"))

    def write(self, vals):
        res = super().write(vals)
        if "counsellor_id" in vals:
            self._vp_sync_followers()
            self._vp_share_key()
        return res

    def copy(self, default=None):  # pylint: disable=method-required-super
        raise UserError(self.env._("A case cannot be duplicated: register a new request instead."))

    def _compute_is_linked(self):
        # sudo: only whether a link exists is shown, never the other case.
        links = (
            self.env["vp.case.link"]
            .sudo()
            .search(["|", ("reporter_case_id", "in", self.ids), ("accused_case_id", "in", self.ids)])
        )
        linked = set(links.reporter_case_id.ids) | set(links.accused_case_id.ids)
        for case in self:
            case.is_linked = case.id in linked

    @api.constrains("counsellor_id")
    def _check_counsellor_not_on_both_sides(self):
        self.env["vp.case.link"].sudo().search(  # sudo: the check must see both sides
            ["|", ("reporter_case_id", "in", self.ids), ("accused_case_id", "in", self.ids)]
        )._check_counsellors_differ()

    @api.constrains("postcode")
    def _check_postcode(self):
        for case in self.sudo():  # sudo: constraints run for writers of other fields too
            if case.postcode and not (len(case.postcode) == 4 and case.postcode.isdigit()):
                raise ValidationError(self.env._("A postcode of residence is four digits, for example 4811."))

    # ------------------------------------------------------------------
    # Mail: only the counsellor follows; the chatter never carries content
    # ------------------------------------------------------------------
    def _vp_sync_followers(self):
        """Make the counsellor and active handovers the only followers."""
        for case in self:
            wanted = case.sudo().counsellor_id.partner_id  # sudo: the counsellor's partner only
            wanted |= case.sudo().handover_ids.filtered("is_active").to_user_id.partner_id
            current = case.sudo().message_partner_ids
            if current - wanted:
                case.sudo().message_unsubscribe(partner_ids=(current - wanted).ids)
            if wanted - current:
                case.sudo().with_context(vp_follower_sync=True).message_subscribe(partner_ids=(wanted - current).ids)

    def message_subscribe(self, partner_ids=None, subtype_ids=None):
        if not partner_ids or self.env.context.get("vp_follower_sync"):
            return super().message_subscribe(partner_ids=partner_ids, subtype_ids=subtype_ids)
        for case in self:
            # sudo: who may follow is who may read; user ids and partners only.
            readers = self.env["res.users"].sudo().browse(case.sudo()._vp_reader_user_ids())
            allowed = [pid for pid in partner_ids if pid in readers.partner_id.ids]
            if len(allowed) != len(set(partner_ids)) and not self.env.context.get("vp_skip_follow"):
                raise UserError(self.env._("Only the case's own counsellor can follow a case."))
            # Stock flows (activity assignment) subscribe quietly: the others are dropped.
            if allowed:
                super(VpCase, case).message_subscribe(partner_ids=allowed, subtype_ids=subtype_ids)
        return True

    def _message_auto_subscribe_followers(self, updated_values, default_subtype_ids):
        # Followers are managed by _vp_sync_followers: no automatic ones.
        return []

    def message_post(self, *, message_type="notification", **kwargs):
        if message_type == "comment" or kwargs.get("attachment_ids") or kwargs.get("attachments"):
            raise UserError(
                self.env._(
                    "Messages and attachments cannot be posted on a case: notes and documents "
                    "are kept encrypted in the case itself."
                )
            )
        return super().message_post(message_type=message_type, **kwargs)

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_open(self):
        for case in self:
            vals = {"state": "open"}
            if not case.first_contact_date:
                vals["first_contact_date"] = fields.Datetime.now()
            case.write(vals)

    def action_aftercare(self):
        self.write({"state": "aftercare"})

    def action_close(self):
        self.write({"state": "closed", "close_date": fields.Date.context_today(self)})

    def action_reopen(self):
        self.write({"state": "open", "close_date": False})

    def action_prepare_notice(self):
        """Draft a notice to HR at the level of the employee's latest valid consent."""
        self.ensure_one()
        if self not in self._vp_may_read_content():
            self._vp_deny()
        consent = self.consent_ids.filtered("is_valid")[:1]
        notice = self.env["vp.notice"].create(self.env["vp.notice"]._prepare_from_case(self, consent or None))
        return {
            "type": "ir.actions.act_window",
            "res_model": "vp.notice",
            "res_id": notice.id,
            "view_mode": "form",
        }
