# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools.sql import create_index

from ..const import COUNSELLOR, COUNSELLOR_OR_COORDINATOR
from ..tools import guards
from .vp_write_checked_mixin import check_active_counsellors


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
    # The sealed chatter first: its message_post must run before mail.thread's.
    _inherit = [
        "vp.mail.sealed.mixin",
        "mail.thread",
        "vp.activity.owned.mixin",
        "vp.encrypted.mixin",
        "vp.change.logged.mixin",
        "vp.write.checked.mixin",
        "vp.field.access.mixin",
    ]
    # Frozen once the case is erased (vp.write.checked.mixin).
    _vp_frozen_when_shredded = True
    _order = "request_date desc, id desc"
    _mail_post_access = "write"

    # Who holds a case and when it closes decide who reads it and
    # when it is destroyed; every change is logged, whatever the context.
    # The dates that drive a deadline, a Wbk term or a published figure are logged
    # too, with the flow (or the correction) that set them (vp_case_dates.py).
    _vp_logged_fields = (
        "close_date",
        "state",
        "counsellor_id",
        "organisation_id",
        "region_id",
        "request_date",
        "first_contact_date",
        "wbk_acknowledged_on",
        "wbk_feedback_on",
    )
    # Set only by the roster, the reassignment wizard and the
    # counsellor's state buttons (which open these guards), never by a write.
    # The dates are set by the work they record: the intake, the first meeting or
    # message, the acknowledging and the feedback message, or the counsellor's
    # correction with a reason (vp_case_dates.py).
    _vp_guarded_fields = {
        "counsellor_id": guards.COUNSELLOR_ASSIGNMENT,
        "state": guards.CASE_STATE,
        "close_date": guards.CASE_STATE,
        "closed_retention_months": guards.CASE_STATE,
        "shredded_on": guards.SHREDDING,
        "request_date": guards.CASE_DATES,
        "first_contact_date": guards.CASE_DATES,
        "wbk_acknowledged_on": guards.CASE_DATES,
        "wbk_feedback_on": guards.CASE_DATES,
        "dates_corrected": guards.CASE_DATES,
        # What the employee chose at intake (vp_case_choice.py): set by the intake only.
        "employee_choice": guards.COUNSELLOR_ASSIGNMENT,
    }

    _vp_encrypted_fields = {
        "notes": "notes_ciphertext",
        "intake_message": "intake_message_ciphertext",
        "employee_name": "employee_name_ciphertext",
        "employee_email": "employee_email_ciphertext",
        "employee_phone": "employee_phone_ciphertext",
    }

    name = fields.Char(string="Case number", readonly=True, copy=False, default="/", index=True)
    organisation_id = fields.Many2one(
        "vp.organisation", string="Client organisation", required=True, index=True, tracking=True
    )
    region_id = fields.Many2one("vp.region", index=True, tracking=True)
    request_date = fields.Datetime(required=True, default=fields.Datetime.now, tracking=True, readonly=True)
    first_contact_date = fields.Datetime(string="First contact", tracking=True, readonly=True)
    close_date = fields.Date(string="Closed on", tracking=True, readonly=True)
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
        # Grouped in the order of the work, every state present (the kanban's columns).
        group_expand="_vp_expand_states",
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
        readonly=True,
        # A counsellor registering a case registers it as their own.
        default=lambda self: self.env.user if self.env.user.has_group(COUNSELLOR) else False,
        domain=lambda self: [("groups_id", "in", self.env.ref(COUNSELLOR).id)],
        help="Set by the counsellor registering the case, by the roster, or by the coordinator's Reassign.",
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
    # What the employee wrote at intake (or the coordinator noted of a phone request), apart
    # from the counsellor's own notes (it landed in them, mixed with what she writes).
    intake_message = fields.Text(
        string="The request as it came in",
        compute="_compute_vp_plaintext",
        inverse="_inverse_vp_plaintext",
        groups=COUNSELLOR,
    )
    employee_name = fields.Char(compute="_compute_vp_plaintext", inverse="_inverse_vp_plaintext", groups=COUNSELLOR)
    employee_email = fields.Char(compute="_compute_vp_plaintext", inverse="_inverse_vp_plaintext", groups=COUNSELLOR)
    employee_phone = fields.Char(compute="_compute_vp_plaintext", inverse="_inverse_vp_plaintext", groups=COUNSELLOR)
    notes_ciphertext = fields.Text(groups="base.group_system", copy=False, prefetch=False)
    intake_message_ciphertext = fields.Text(groups="base.group_system", copy=False, prefetch=False)
    employee_name_ciphertext = fields.Text(groups="base.group_system", copy=False, prefetch=False)
    employee_email_ciphertext = fields.Text(groups="base.group_system", copy=False, prefetch=False)
    employee_phone_ciphertext = fields.Text(groups="base.group_system", copy=False, prefetch=False)

    _sql_constraints = [
        ("name_unique", "unique(name)", "Case numbers are unique."),
    ]

    def init(self):
        res = super().init()
        # A counsellor's list (her cases, newest first, a page of 80): read in the order of
        # this index, it costs a page, not all her cases; a large bureau's counsellor holds
        # thousands, spread over the table by ten years of intake.
        create_index(
            self.env.cr,
            "vp_case_counsellor_request_date_idx",
            self._table,
            ["counsellor_id", "request_date DESC", "id DESC"],
        )
        # Her kanban: her cases counted per state (read from this index alone), then each
        # column's newest 40 in this index's order.
        create_index(
            self.env.cr,
            "vp_case_counsellor_state_request_date_idx",
            self._table,
            ["counsellor_id", "state", "request_date DESC", "id DESC"],
        )
        # The annual report counts an organisation's requests of a range of years, on demand
        # (report/counts.py), as does the wizard's overview: one index range per organisation.
        create_index(
            self.env.cr, "vp_case_organisation_request_date_idx", self._table, ["organisation_id", "request_date"]
        )
        return res

    def _vp_expand_states(self, states, domain):
        return [state for state, _label in self._fields["state"].selection]

    @api.model
    def read_group(self, domain, fields, groupby, offset=0, limit=None, orderby=False, lazy=True):
        """Grouped by state, the closed cases come folded: the pile grows every year, and the
        work is in the other columns (as a helpdesk folds its closed stage)."""
        result = super().read_group(domain, fields, groupby, offset=offset, limit=limit, orderby=orderby, lazy=lazy)
        first = [groupby] if isinstance(groupby, str) else list(groupby or [])
        if first and first[0] == "state":
            for line in result:
                if line.get("state") == "closed":
                    line["__fold"] = True
        return result

    def _creation_message(self):
        # Mail's "%s created" takes the model's name from ir.model, whose
        # translations are not loaded yet while the demo installs ("Case aangemaakt").
        # A message of our own, in the user's language (the installing user's when the
        # context names none, as mail's own message does); it names nobody.
        lang = self.env.lang or self.env.user.lang
        return self.with_context(lang=lang).env._("Case registered")

    # ------------------------------------------------------------------
    # Access
    # ------------------------------------------------------------------
    def _vp_case(self):
        return self

    def _vp_log_case(self):
        return self

    def _vp_reader_user_ids(self):
        """Users who may read this case's content: its counsellor and active handovers."""
        self.ensure_one()
        # sudo: reads who holds the case, not what is in it.
        case_sudo = self.sudo()
        return case_sudo.counsellor_id.ids + case_sudo.handover_ids.filtered("is_active").to_user_id.ids

    def _vp_case_ids(self):
        return {case_id: case_id for case_id in self._ids}

    def _vp_may_read_content(self):
        """The same readers as _vp_reader_user_ids, for a whole list at once."""
        uid = self.env.uid
        ids = [case_id for case_id in self._ids if case_id]
        if any(self.env.cache.get_missing_ids(self.browse(ids), self._fields["counsellor_id"])):
            # One narrow query: the ORM would fetch every column of a thousand cases for one of them.
            self.flush_model(["counsellor_id"])
            self.env.cr.execute("SELECT id FROM vp_case WHERE id = ANY(%s) AND counsellor_id = %s", (ids, uid))
            own = {row[0] for row in self.env.cr.fetchall()}
        else:
            own = {case.id for case in self.sudo().browse(ids) if case.counsellor_id.id == uid}  # sudo: holders only
        # sudo: who holds the cases (active handovers), not what is in them.
        others = self.sudo().browse([case_id for case_id in ids if case_id not in own])
        if others:
            own.update(others.handover_ids.filtered(lambda h: h.to_user_id.id == uid and h.is_active).case_id.ids)
        return self.browse([case_id for case_id in self._ids if case_id in own])

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                # sudo: the sequence is not readable by counsellors; a number is no content.
                vals["name"] = self.env["ir.sequence"].sudo().next_by_code("vp.case") or "/"
        # The request date of a case registered in the backend is the moment it is registered.
        creating = self if guards.reason_of(self.env) else guards.with_reason(self, self.env._("Case registered"))
        # Nobody becomes a follower by creating a case: only its counsellor follows it.
        cases = super(VpCase, creating.with_context(mail_create_nosubscribe=True)).create(vals_list)
        cases._vp_sync_followers()
        return cases.with_context(mail_create_nosubscribe=self.env.context.get("mail_create_nosubscribe"))

    def write(self, vals):
        if "organisation_id" in vals and not self.env.su:
            self._vp_check_organisation_movable(vals["organisation_id"])
        # Cases that had a counsellor before (read from the cache the caller filled).
        reassigned = self.filtered("counsellor_id") if "counsellor_id" in vals else self.browse()
        res = super().write(vals)
        if "counsellor_id" in vals:
            self._vp_sync_followers()
            self._vp_share_key()
            # The former counsellor's receipt code ends with her access (vp_case_inbox.py).
            reassigned._vp_end_receipts_of_former_readers()
        if "business_unit_id" in vals:
            self.env["account.analytic.line"]._vp_follow_case_units(self)
        return res

    def _vp_guarded_message(self, field_names):
        if "counsellor_id" in field_names:
            return self.env._(
                "The counsellor of a case is not changed directly: the coordinator uses Reassign, "
                "which records who moved the case, to whom and why."
            )
        if set(field_names) & {"request_date", "first_contact_date", "wbk_acknowledged_on", "wbk_feedback_on"}:
            return self.env._(
                "The dates of a case are set by the work they record: the request at intake, the first contact "
                "by the first meeting or message, the Wbk dates by the acknowledging and the feedback message. "
                "The case's counsellor corrects a wrong date with Correct a date, giving the reason."
            )
        return self.env._(
            "The state and dates of a case change only through its buttons (Start, Aftercare, Close, "
            "Reopen), which the case's counsellor uses."
        )

    def _vp_check_organisation_movable(self, organisation_id):
        """A case moves to another organisation only while it is a request
        without consent or notice: after that its HR recipients, hours and
        business unit belong to the organisation the employee spoke about."""
        for case in self.sudo():  # sudo: whether consents or notices exist, not what they say
            if case.organisation_id.id == organisation_id:
                continue
            if case.state != "request" or case.consent_ids or case.notice_ids or case.shredded_on:
                raise UserError(
                    self.env._(
                        "%(case)s stays with its client organisation: once the counsellor has started, "
                        "or consent or a notice exists, it cannot move to another organisation.",
                        case=case.name,
                    )
                )

    @api.constrains("counsellor_id")
    def _check_counsellor_is_counsellor(self):
        check_active_counsellors(self.counsellor_id, self.env._("The counsellor of a case"))

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
                # sudo: subscribes the case's own readers, computed just above
                guards.open_guard(case.sudo(), guards.FOLLOWER_SYNC).message_subscribe(
                    partner_ids=(wanted - current).ids
                )

    def message_subscribe(self, partner_ids=None, subtype_ids=None):
        if not partner_ids or guards.is_open(self.env, guards.FOLLOWER_SYNC):
            return super().message_subscribe(partner_ids=partner_ids, subtype_ids=subtype_ids)
        for case in self:
            # sudo: who may follow is who may read; user ids and partners only.
            readers = self.env["res.users"].sudo().browse(case.sudo()._vp_reader_user_ids())
            allowed = [pid for pid in partner_ids if pid in readers.partner_id.ids]
            if len(allowed) != len(set(partner_ids)) and not guards.is_open(self.env, guards.FOLLOW_QUIETLY):
                raise UserError(self.env._("Only the case's own counsellor can follow a case."))
            # Stock flows (activity assignment) subscribe quietly: the others are dropped.
            if allowed:
                super(VpCase, case).message_subscribe(partner_ids=allowed, subtype_ids=subtype_ids)
        return True

    def _message_auto_subscribe_followers(self, updated_values, default_subtype_ids):
        # Followers are managed by _vp_sync_followers: no automatic ones.
        return []

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    # Only the counsellor moves a case through its states (a backup
    # makes the first contact); dates are set here, to now, never by a client.
    def _vp_check_state_actor(self, allowed_states, backup_allowed=False):
        if self.env.su:
            return
        uid = self.env.uid
        for case in self:
            # sudo: who holds the case, no content
            readers = case._vp_reader_user_ids() if backup_allowed else case.sudo().counsellor_id.ids
            if uid not in readers:
                raise AccessError(
                    self.env._("Only the counsellor of %(case)s can start, close or reopen it.", case=case.name)
                )
            if case.state not in allowed_states:
                raise UserError(self.env._("%(case)s cannot make this step from its current state.", case=case.name))

    def action_open(self):
        self._vp_check_state_actor(("request", "aftercare"), backup_allowed=True)
        # Starting a request is the first contact when no meeting or message came before.
        starting = guards.with_reason(self, self.env._("Case started by its counsellor"))
        for case in starting:
            vals = {"state": "open"}
            if not case.first_contact_date:
                vals["first_contact_date"] = fields.Datetime.now()
            guards.open_guard(case, guards.CASE_STATE, guards.CASE_DATES).write(vals)

    def action_aftercare(self):
        self._vp_check_state_actor(("open",))
        guards.open_guard(self, guards.CASE_STATE).write({"state": "aftercare"})

    def action_close(self):
        self._vp_check_state_actor(("open", "aftercare"))
        for case in self:
            # The retention period as it is today: lowering it later never shortens it.
            # sudo: the organisation's setting, no content
            guards.open_guard(case, guards.CASE_STATE).write(
                {
                    "state": "closed",
                    "close_date": fields.Date.context_today(case),
                    # sudo: a setting of the organisation, no content
                    "closed_retention_months": case.sudo().organisation_id.retention_months,
                }
            )

    def action_vp_close_check(self):
        """The Close button: the checks fit for an irreversible-feeling step (vp.case.close.wizard)."""
        self.ensure_one()
        self._vp_check_state_actor(("open", "aftercare"))
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Close %(case)s", case=self.name),
            "res_model": "vp.case.close.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_case_id": self.id},
        }

    def action_reopen(self):
        self._vp_check_state_actor(("closed",))
        if self.filtered("shredded_on"):
            raise UserError(self.env._("An erased case cannot be reopened."))
        guards.open_guard(self, guards.CASE_STATE).write(
            {"state": "open", "close_date": False, "closed_retention_months": 0}
        )

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
