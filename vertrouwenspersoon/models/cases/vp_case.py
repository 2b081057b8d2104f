# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.addons.base.models.res_users import check_identity
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL
from odoo.tools.sql import create_index

from ...const import COUNSELLOR, COUNSELLOR_OR_COORDINATOR, ROUTE_RANKS, to_dutch
from ...tools import guards
from ...tools import receipt as receipt_tools
from ...tools.followers import check_own_partner_only
from ..intake import assignment_engine, deadlines, intake_validation
from ..intake.deadlines import ALERTS, WORK_DATES
from ..intake.vp_counsellor_appointment import KINDS
from ..mixins.vp_write_checked_mixin import check_active_counsellors
from ..retention import shredding
from ..retention.shredding import SHRED_BATCH

# Stored values that follow from a case's kinds, dates and holds. Odoo lets a client
# write a stored computed field like any other; these must follow from the data only:
# a coordinator who could set is_wbk would steer the Wbk deadlines, and a
# counsellor who could clear on_legal_hold would let the case be shredded.
DERIVED_CASE_FIELDS = frozenset(
    {
        "is_wbk",
        "first_contact_deadline",
        "first_contact_in_time",
        "wbk_ack_deadline",
        "wbk_ack_in_time",
        "wbk_feedback_deadline",
        "wbk_feedback_in_time",
        "on_legal_hold",
        "route_rank",
    }
)

# What the annual report reads of a case (report/counts.py), held in the index it counts from.
REPORT_COLUMNS = (
    "id",
    "business_unit_id",
    "region_id",
    "counsellor_id",
    "side",
    "state",
    "first_contact_date",
    "first_contact_hours",
    "close_date",
    "duration_days",
    "route_rank",
    "is_wbk",
    "wbk_ack_in_time",
    "wbk_feedback_in_time",
    "dates_corrected",
)

# A request waiting for a counsellor: nobody holds it, or only the duty counsellor for now;
# neither closed nor shredded (the coordinator's dashboard counts the same). In SQL as the
# ORM writes the search filter "unassigned" (views/vp_case_views.xml), so that the index on
# it serves that filter; tests/test_scale_indexes.py fails when the two part.
UNASSIGNED_SQL = (
    "(counsellor_id IS NULL OR placed_on_duty) AND (state <> 'closed' OR state IS NULL) AND shredded_on IS NULL"
)

REPLY_ACTIVITY = "vertrouwenspersoon.mail_activity_type_vp_reporter_message"

# The counsellor answers a reporter's message within this many days, unless a
# Wbk acknowledgement falls due earlier.
REPLY_DAYS = 3


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
    # too, with the flow (or the correction) that set them (deadlines.py).
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
    # correction with a reason (deadlines.py).
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
        # What the employee chose at intake (intake_validation.py): set by the intake only.
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
    # Stored so that the annual report counts each case under its furthest route in the
    # same scan as its other categories (report/counts.py), not by joining every route link.
    route_rank = fields.Integer(
        string="Furthest route",
        compute="_compute_route_rank",
        store=True,
        groups=COUNSELLOR,
        help="The furthest route the case took, as the annual report counts it: 1 advice, 2 referral, "
        "3 informal, 4 formal; 0 while no route is registered.",
    )
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
        # The coordinator's home screen, the requests waiting for a counsellor (the search
        # filter "unassigned", with its very conditions, so PostgreSQL may use this index for
        # it): a few dozen among a bureau's 200,000 cases, read in the list's order. Without
        # it, the read rule's retention date picked them out of every case still kept.
        create_index(
            self.env.cr,
            "vp_case_unassigned_idx",
            self._table,
            ["request_date DESC", "id DESC"],
            where=UNASSIGNED_SQL,
        )
        # The annual report counts an organisation's requests of a range of years, on demand
        # (report/counts.py), as does the wizard's overview: one index range per organisation.
        # The range holds every column the report counts, so it is read from the index alone:
        # a large organisation's cases are one in 25 of a bureau's, one per page of the table,
        # and fetching them page by page was most of the report's count. (It replaces the
        # index of 18.0.2.2.0 on the same two columns; a column the count comes to read must
        # be added here, and tests/test_scale_indexes.py fails until it is.)
        self.env.cr.execute("DROP INDEX IF EXISTS vp_case_organisation_request_date_idx")
        self.env.cr.execute(
            SQL(
                "CREATE INDEX IF NOT EXISTS vp_case_organisation_report_idx ON vp_case (organisation_id, request_date) "
                "INCLUDE (%s)",
                SQL(", ").join(SQL.identifier(name) for name in REPORT_COLUMNS),
            )
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
        self._vp_check_no_derived_values(vals_list)
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
        self._vp_check_no_derived_values([vals])
        if "organisation_id" in vals and not self.env.su:
            self._vp_check_organisation_movable(vals["organisation_id"])
        # Cases that had a counsellor before (read from the cache the caller filled).
        reassigned = self.filtered("counsellor_id") if "counsellor_id" in vals else self.browse()
        res = super().write(vals)
        if "counsellor_id" in vals:
            self._vp_sync_followers()
            self._vp_share_key()
            # The former counsellor's receipt code ends with her access (the reporter's inbox, below).
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

    @api.model
    def _search_message_partner_ids(self, operator, operand):
        check_own_partner_only(self, operator, operand)
        return super()._search_message_partner_ids(operator, operand)

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

    # ------------------------------------------------------------------
    # Assignment, intake and deadlines: fields here, the logic in
    # intake/assignment_engine.py, intake/intake_validation.py and intake/deadlines.py
    # ------------------------------------------------------------------
    intake_channel = fields.Selection(
        [("web", "Intake page"), ("phone", "Phone, registered by the coordinator"), ("direct", "Directly")],
        string="Received through",
        default="direct",
        readonly=True,
    )
    intake_reference = fields.Char(
        string="Reference given to the employee",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="A random reference shown to the employee at intake, to mention when calling the back office. "
        "Unlike the case number it counts nothing.",
    )
    assignment_note = fields.Char(
        string="Assignment",
        readonly=True,
        help="Why this counsellor was chosen: region, roster position and capacity. Holds no case content.",
    )
    reassignment_ids = fields.One2many("vp.case.reassignment", "case_id", string="Reassignments", readonly=True)
    placed_on_duty = fields.Boolean(
        string="With the duty counsellor",
        readonly=True,
        copy=False,
        index=True,
        help="No region's roster could place this request, so the duty counsellor holds it until the "
        "coordinator assigns a counsellor.",
    )
    first_contact_deadline = fields.Datetime(compute="_compute_deadlines", store=True, index=True)
    first_contact_in_time = fields.Boolean(compute="_compute_in_time", store=True)
    first_contact_alert = fields.Selection(ALERTS, readonly=True, copy=False)
    is_wbk = fields.Boolean(
        string="Whistleblowers Protection Act",
        compute="_compute_is_wbk",
        store=True,
        help="An integrity violation: acknowledgement within 7 days, feedback within 3 months.",
    )
    wbk_ack_deadline = fields.Datetime(string="Acknowledge by", compute="_compute_deadlines", store=True, index=True)
    wbk_acknowledged_on = fields.Datetime(string="Acknowledged on", tracking=True, readonly=True)
    wbk_ack_in_time = fields.Boolean(compute="_compute_in_time", store=True)
    wbk_ack_alert = fields.Selection(ALERTS, readonly=True, copy=False)
    wbk_feedback_deadline = fields.Datetime(string="Feedback by", compute="_compute_deadlines", store=True, index=True)
    wbk_feedback_on = fields.Datetime(string="Feedback given on", tracking=True, readonly=True)
    wbk_feedback_in_time = fields.Boolean(compute="_compute_in_time", store=True)
    wbk_feedback_alert = fields.Selection(ALERTS, readonly=True, copy=False)

    # ------------------------------------------------------------------
    # Derived values are never written by a user
    # ------------------------------------------------------------------
    def _vp_check_no_derived_values(self, vals_list):
        if self.env.su:
            return
        given = sorted(DERIVED_CASE_FIELDS.intersection(set().union(*vals_list)))
        if given:
            raise AccessError(
                self.env._(
                    "%(fields)s follow from the case's registration and cannot be set by hand.",
                    fields=", ".join(self._fields[name]._description_string(self.env) for name in given),
                )
            )

    def action_reassign(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Reassign %(case)s", case=self.name),
            "res_model": "vp.case.reassign.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_case_id": self.id},
        }

    def _vp_other_side_counsellors(self):
        return assignment_engine.other_side_counsellors(self)

    def _vp_other_side_readers(self):
        return assignment_engine.other_side_readers(self)

    def _vp_holder_user_ids(self):
        return assignment_engine.holder_user_ids(self)

    def _vp_assign_by_roster(self):
        return assignment_engine.assign_by_roster(self)

    def _vp_place_on_duty(self):
        return assignment_engine.place_on_duty(self)

    @api.constrains("counsellor_id")
    def _check_counsellor_ready(self):
        return assignment_engine.check_counsellor_ready(self)

    def _vp_assign_todos_done(self):
        return assignment_engine.assign_todos_done(self)

    def _vp_notify_coordinators(self, activity_type_xmlid, deadlines=None):
        return assignment_engine.notify_coordinators(self, activity_type_xmlid, deadlines)

    def _vp_schedule(self, activity_type_xmlid, users_by_case, deadlines=None, once=False):
        return assignment_engine.schedule(self, activity_type_xmlid, users_by_case, deadlines, once)

    def action_assign_by_roster(self):
        return assignment_engine.action_assign_by_roster(self)

    @api.model
    def _vp_register_request(
        self, organisation, postcode, channel, contact, notes=False, province=None, counsellor_choice=None, receipt=None
    ):
        return assignment_engine.register_request(
            self, organisation, postcode, channel, contact, notes, province, counsellor_choice, receipt
        )

    @api.model
    def _vp_intake_limits(self):
        return intake_validation.intake_limits(self)

    @api.model
    def _vp_validate_intake(self, values, accept_unknown_code=False):
        return intake_validation.validate_intake(self, values, accept_unknown_code)

    @api.model
    def _vp_intake_labels(self):
        return intake_validation.intake_labels(self)

    @api.model
    def _vp_channel_labels(self):
        return intake_validation.channel_labels(self)

    @api.model
    def _vp_intake_notes(self, channel, preferred_time, message):
        return intake_validation.intake_notes(self, channel, preferred_time, message)

    @api.depends("behaviour_kind_ids.category")
    def _compute_is_wbk(self):
        return deadlines.compute_is_wbk(self)

    @api.depends("route_ids.category")
    def _compute_route_rank(self):
        for case in self:
            case.route_rank = max((ROUTE_RANKS[route.category] for route in case.route_ids), default=0)

    @api.depends("request_date", "is_wbk", "wbk_acknowledged_on")
    def _compute_deadlines(self):
        return deadlines.compute_deadlines(self)

    @api.depends(
        "first_contact_date",
        "first_contact_deadline",
        "wbk_acknowledged_on",
        "wbk_ack_deadline",
        "wbk_feedback_on",
        "wbk_feedback_deadline",
    )
    def _compute_in_time(self):
        return deadlines.compute_in_time(self)

    def action_wbk_acknowledged(self):
        return deadlines.action_wbk_acknowledged(self)

    def action_wbk_feedback_given(self):
        return deadlines.action_wbk_feedback_given(self)

    @api.model
    def _cron_check_deadlines(self):
        return deadlines.cron_check_deadlines(self)

    def _vp_deadline_dates(self, deadline):
        return deadlines.deadline_dates(self, deadline)

    def _vp_warn_counsellor(self, deadline, alert, activity_type):
        return deadlines.warn_counsellor(self, deadline, alert, activity_type)

    def _vp_escalate(self, key, deadline, alert, activity_type):
        return deadlines.escalate(self, key, deadline, alert, activity_type)

    def _vp_hand_over_to_backups(self):
        return deadlines.hand_over_to_backups(self)

    def _vp_absent_backups(self, lines):
        return deadlines.absent_backups(self, lines)

    # ------------------------------------------------------------------
    # The employee's choice of counsellor, internal counsellors and consultations
    # ------------------------------------------------------------------
    # The employee's choice of counsellor at intake (intake_validation.py), the rule
    # that an internal counsellor holds cases of their own organisation only, and the
    # case's side of a consultation (assignment_engine.py).
    counsellor_kind = fields.Selection(
        KINDS,
        string="Kind of counsellor",
        compute="_compute_counsellor_kind",
        help="Whether the case's counsellor is the organisation's own (internal) or the bureau's (external).",
    )
    # The link of a consultation to its case is kept on the case's side only:
    # a counsellor-only field of a record only the case's readers read, so the
    # adviser never learns which case (nor whose) they advise on.
    consultation_ids = fields.Many2many(
        "vp.consultation",
        "vp_case_consultation_rel",
        "case_id",
        "consultation_id",
        string="Consultations",
        groups=COUNSELLOR,
        copy=False,
    )
    employee_choice = fields.Selection(
        [("external", "An external counsellor"), ("internal", "An internal counsellor")],
        string="The employee chose",
        readonly=True,
        copy=False,
        help="What the employee chose at intake. A case whose employee chose an external counsellor is never "
        "given to the organisation's own internal counsellors, by reassignment or handover.",
    )

    def _compute_counsellor_kind(self):
        return assignment_engine.compute_counsellor_kind(self)

    @api.constrains("counsellor_id", "organisation_id")
    def _check_internal_counsellor_organisation(self):
        return assignment_engine.check_internal_counsellor_organisation(self)

    def _vp_check_internal_holders(self):
        return assignment_engine.check_internal_holders(self)

    def _vp_unfit_internal_holder_message(self, case, user, internal_at):
        return assignment_engine.unfit_internal_holder_message(self, case, user, internal_at)

    def _vp_unfit_holder_ids(self):
        return assignment_engine.unfit_holder_ids(self)

    @api.constrains("consultation_ids")
    def _check_consultations(self):
        return assignment_engine.check_consultations(self)

    @api.model
    def _vp_validate_counsellor_choice(self, organisation, raw):
        return intake_validation.validate_counsellor_choice(self, organisation, raw)

    def _vp_assign_by_choice(self, choice):
        return assignment_engine.assign_by_choice(self, choice)

    @api.model
    def _vp_absent_user_ids(self, users):
        return assignment_engine.absent_user_ids(self, users)

    # ------------------------------------------------------------------
    # The dates of the record (intake/deadlines.py)
    # ------------------------------------------------------------------
    dates_corrected = fields.Boolean(
        string="A date corrected",
        readonly=True,
        copy=False,
        help="One of the case's dates was corrected by its counsellor, with a reason in the change log. "
        "The annual report says how many requests rest on a corrected date.",
    )

    @api.constrains(*WORK_DATES)
    def _check_work_dates(self):
        return deadlines.check_work_dates(self)

    def _vp_check_reader(self):
        return deadlines.check_reader(self)

    def _vp_record_work_date(self, field_name, reason):
        return deadlines.record_work_date(self, field_name, reason)

    def _vp_note_first_contact(self, moments, reason):
        return deadlines.note_first_contact(self, moments, reason)

    def action_vp_correct_date(self):
        return deadlines.action_vp_correct_date(self)

    # ------------------------------------------------------------------
    # The reporter's inbox and receipt code
    # ------------------------------------------------------------------
    # The messages tab, the activity when the reporter writes, the reporter's e-mail
    # notice, and what the inbox shows of the case.
    reporter_message_ids = fields.One2many(
        "vp.case.message", "case_id", string="Messages with the reporter", groups=COUNSELLOR
    )
    has_receipt = fields.Boolean(
        string="Reporter has a receipt code",
        compute="_compute_has_receipt",
        groups=COUNSELLOR,
        help="The reporter received a receipt code at intake and reads the messages with it in the inbox.",
    )
    receipt_last_used_on = fields.Datetime(
        string="Receipt code last used",
        compute="_compute_has_receipt",
        groups=COUNSELLOR,
        help="When the reporter's code last opened the inbox or sent a reply. The code itself is never shown again.",
    )
    reporter_waiting = fields.Boolean(
        string="The reporter wrote",
        compute="_compute_reporter_waiting",
        groups=COUNSELLOR,
        help="The last message in the inbox is the reporter's: it waits for your answer.",
    )
    reporter_language = fields.Char(
        string="Reporter's language",
        compute="_compute_reporter_language",
        groups=COUNSELLOR,
        help="The language of the public pages on which the reporter wrote (the request, her latest reply). "
        "Write to her in it if you can; her messages and yours are never translated.",
    )

    def _compute_reporter_waiting(self):
        """One query for a whole kanban: whose is each case's last message."""
        ids = [case_id for case_id in self.ids if case_id]
        last = {}
        if ids:
            self.env["vp.case.message"].flush_model(["case_id", "author", "sent_on"])
            self.env.cr.execute(
                """
                SELECT DISTINCT ON (case_id) case_id, author
                  FROM vp_case_message
                 WHERE case_id = ANY(%s)
                 ORDER BY case_id, sent_on DESC, id DESC
                """,
                (ids,),
            )
            last = dict(self.env.cr.fetchall())
        for case in self:
            case.reporter_waiting = last.get(case.id) == "reporter"

    def _vp_receipts_by_case(self, field_names):
        # sudo: the cases' receipts, for the fields asked (whether one exists, when it was
        # last used, the language of its pages), nothing else of them
        receipts = self.env["vp.case.receipt"].sudo().search_fetch([("case_id", "in", self.ids)], field_names)
        return {receipt.case_id.id: receipt for receipt in receipts}

    def _compute_has_receipt(self):
        by_case = self._vp_receipts_by_case(["case_id", "last_used_on"])
        for case in self:
            receipt = by_case.get(case.id)
            case.has_receipt = bool(receipt)
            case.receipt_last_used_on = receipt.last_used_on if receipt else False

    def _compute_reporter_language(self):
        by_case = self._vp_receipts_by_case(["case_id", "lang"])
        names = dict(self.env["res.lang"].get_installed()) if any(rec.lang for rec in by_case.values()) else {}
        for case in self:
            receipt = by_case.get(case.id)
            case.reporter_language = names.get(receipt.lang, receipt.lang) if receipt and receipt.lang else False

    def action_vp_revoke_receipt_code(self):
        """The case's counsellor ends the reporter's code (lost, or given to the wrong
        person): the inbox no longer opens with it, an inbox open with it closes, and
        she can give a new one. The messages stay on the case."""
        self.ensure_one()
        receipts = self.env["vp.case.receipt"]
        receipts._vp_check_giver(self)
        # sudo: the case's receipt, to end it (its grant goes with it)
        receipts.sudo().search([("case_id", "=", self.id)])._vp_end()
        return True

    def _vp_end_receipts_of_former_readers(self):
        """A code given by a reader whose access to the case ended (reassigned, handover
        ended) ends with it: what she made of the inbox does not outlive her access."""
        # sudo: the cases' receipts given by a counsellor, to check their givers
        self.env["vp.case.receipt"].sudo().search(
            [("case_id", "in", self.ids), ("made_by_id", "!=", False)]
        )._vp_valid()

    def action_vp_give_receipt_code(self):
        """A receipt code for a reporter who did not come through the intake page
        (by phone, directly): the counsellor tells it to them, and they read and
        write messages in the inbox with it, as an intake reporter does. The code
        is shown once, in this counsellor's browser only: the database keeps its
        keyed hash and the case key sealed for it, never the code. Only the case's
        own counsellor gives one (vp.case.receipt._vp_check_giver)."""
        self.ensure_one()
        self.env["vp.case.receipt"]._vp_check_giver(self)
        if self.has_receipt:
            raise UserError(self.env._("This reporter has a receipt code already."))
        if self.shredded_on:
            raise UserError(self.env._("This case has been erased."))
        code = receipt_tools.new_code()
        self.env["vp.case.receipt"]._vp_create_for_case(self, code)
        # A dialog of its own in her browser (static/src/js/vp_receipt_code.js): copy, print,
        # and "I have passed it on"; the code is in this answer only.
        return {
            "type": "ir.actions.client",
            "tag": "vp_receipt_code",
            "params": {
                "code": code,
                "url": f"{self.get_base_url()}/vertrouwenspersoon/inbox",
                "case_name": self.name,
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    # ------------------------------------------------------------------
    # The counsellor is told; the reporter is told
    # ------------------------------------------------------------------
    def _vp_tell_counsellor_of_reply(self):
        """An activity for the case's readers (type, case number, deadline;
        never content); the coordinators when the case has no counsellor yet."""
        today = fields.Date.context_today(self)
        for case in self:
            case_sudo = case.sudo()  # sudo: who holds the case and its deadlines, no content
            due = today + timedelta(days=REPLY_DAYS)
            if case_sudo.wbk_ack_deadline and not case_sudo.wbk_acknowledged_on:
                due = min(due, fields.Date.context_today(case, case_sudo.wbk_ack_deadline))
            readers = self.env["res.users"].browse(case._vp_reader_user_ids())
            if readers:
                case_sudo._vp_schedule(REPLY_ACTIVITY, {case.id: readers}, {case.id: due})
            else:
                case_sudo._vp_notify_coordinators(REPLY_ACTIVITY, {case.id: due})

    def _vp_notify_reporter(self):
        """The e-mail the reporter asked for: that a message is waiting, and
        nothing else (no case number, no counsellor, no content). Runs in the
        counsellor's own session, the only place the address opens."""
        # sudo: which receipts asked for a notice; no content
        receipts = self.env["vp.case.receipt"].sudo().search([("case_id", "in", self.ids), ("notify", "=", True)])
        if not receipts:
            return
        inbox_url = self.get_base_url() + "/vertrouwenspersoon/inbox"
        for receipt in receipts:
            address = receipt.case_id.with_env(self.env).employee_email
            if not address:
                continue
            # In the language the reporter wrote in, not the counsellor's.
            env = self.with_context(lang=receipt.lang or self.env.lang).env
            body = env._(
                "<p>There is a new message for you from your confidential counsellor.</p>"
                "<p>Read it with your receipt code at %(url)s.</p>",
                url=inbox_url,
            )
            # sudo: the system sends the notice; it holds no case, name or content.
            self.env["mail.mail"].sudo().create(
                {
                    "subject": env._("There is a message for you"),
                    "body_html": body,
                    "email_to": address,
                    "auto_delete": True,
                }
            )

    # ------------------------------------------------------------------
    # What the inbox shows of the case
    # ------------------------------------------------------------------
    def _vp_inbox_summary(self):
        """The case's status in plain words and its Wbk dates; nothing else."""
        self.ensure_one()
        case = self.sudo()  # sudo: state and dates, which the reporter may know; no content
        words = {
            "request": self.env._("received"),
            "open": self.env._("in progress"),
            "aftercare": self.env._("in progress"),
            "closed": self.env._("closed"),
        }
        return {
            "status": words.get(case.state, words["request"]),
            "closed": case.state == "closed",
            "received_on": case.request_date,
            "is_wbk": case.is_wbk,
            "ack_deadline": case.wbk_ack_deadline,
            "acknowledged_on": case.wbk_acknowledged_on,
            "feedback_deadline": case.wbk_feedback_deadline,
            "feedback_on": case.wbk_feedback_on,
        }

    # ------------------------------------------------------------------
    # Reader-held keys
    # ------------------------------------------------------------------
    # Who holds a case's key, how it reaches a new reader, and how cases move off
    # the master key.
    def _vp_key_readers_by_case(self):
        """Per case, who holds its key: its counsellor, the backups of a running
        or planned handover, and the counsellor's backup on the region's
        roster (so an overdue first contact can be handed over without anyone
        re-granting). Never a counsellor of the other side. A fixed number of
        queries for any number of cases."""
        # sudo: who is on the cases and the rosters, not what is in the cases.
        cases = self.sudo()
        excluded = self._vp_other_side_counsellors()
        lines = cases.region_id.roster_line_ids
        backup_of = {(line.region_id.id, line.user_id.id): line.backup_user_id for line in lines}
        result = {}
        for case in cases:
            readers = case.counsellor_id | case.handover_ids.filtered(lambda h: not h.ended).to_user_id
            if case.counsellor_id:
                readers |= backup_of.get((case.region_id.id, case.counsellor_id.id), self.env["res.users"])
            result[case.id] = readers.filtered(lambda user, case=case: user.id not in excluded[case.id] and user.active)
        return result

    def _vp_key_readers(self):
        self.ensure_one()
        return self._vp_key_readers_by_case()[self.id]

    def _vp_record_readers(self):
        """The cases' readers as the key store asks every model for them
        (vp.record.key): per case, (who holds its key, its principal reader,
        its organisation, whose recovery key holds it too). The principal
        reader is its counsellor: once she holds the key, a case leaves the
        master key."""
        readers = self._vp_key_readers_by_case()
        # sudo: counsellors and organisations, not what is in the cases.
        return {case.id: (readers[case.id], case.counsellor_id, case.organisation_id) for case in self.sudo()}

    def _vp_share_key(self):
        """Give the cases' current readers their key, and their notices' keys
        (vp.record.key._vp_share, as for every record with readers): sealed
        when the current user can open it, else a waiting grant that the next
        reader who opens the case fulfils; once a current reader holds it, the
        grants of former readers go (a reassigned counsellor, an ended
        handover). Cases without content yet have no key to share: the first
        content written seals one for their readers."""
        self._vp_share_notice_keys()
        if self and self._vp_cases_with_a_key():
            self.env["vp.record.key"]._vp_share(self)

    def _vp_share_notice_keys(self):
        """The cases' notices have keys of their own, read by the case's
        readers too: a new reader gets them the same way (vp.record.key)."""
        # sudo: ids of the cases' notices, to share their keys; nothing is read.
        notices = self.env["vp.notice"].sudo().search([("case_id", "in", self.ids)]) if self else None
        if notices:
            self.env["vp.record.key"]._vp_share(notices.with_env(self.env))

    def _vp_cases_with_a_key(self):
        """Ids of these cases that have a data key (one query): a case without
        content has none, and nothing to share."""
        return self.env["vp.record.key"]._vp_with_a_key("vp.case", self.ids)

    def _vp_drop_former_readers(self):
        """Grants of people who no longer read the case go (a reassigned
        counsellor, an ended handover, the other side's counsellor once the
        cases are linked), once a current reader holds the key."""
        self.env["vp.record.key"]._vp_drop_former_grants(self)

    def unlink(self):
        """A deleted case's data key and every grant of it go with the case. They
        name it by model and id, so no foreign key would delete them."""
        case_ids = self.ids
        result = super().unlink()
        self.env["vp.record.key"]._vp_forget("vp.case", case_ids)
        return result

    # ------------------------------------------------------------------
    # Retention and shredding (retention/shredding.py)
    # ------------------------------------------------------------------
    first_contact_hours = fields.Float(
        compute="_compute_durations",
        store=True,
        aggregator="avg",
        help="Hours from request to first contact; kept when the case is shredded.",
    )
    duration_days = fields.Integer(
        compute="_compute_durations",
        store=True,
        aggregator="avg",
        help="Days from request to closing; kept when the case is shredded.",
    )
    legal_hold_ids = fields.One2many("vp.legal.hold", "case_id", groups=COUNSELLOR)
    # Counsellors only: that a hold exists tells that a complaint procedure or
    # court case runs. The shredding job reads it with sudo.
    on_legal_hold = fields.Boolean(compute="_compute_on_legal_hold", store=True, groups=COUNSELLOR)
    shred_due_date = fields.Date(
        compute="_compute_shred_due_date",
        store=True,
        index=True,
        # The coordinator's read rule tests it on every case she reads (in Python, over the
        # records read): fetched on its own, not with every column of those cases.
        prefetch="vp_read_rule",
        help="The day the case's content is destroyed: closing date plus the organisation's retention period.",
    )
    shredded_on = fields.Datetime(readonly=True, copy=False, index=True)
    closed_retention_months = fields.Integer(
        string="Retention when closed (months)",
        readonly=True,
        copy=False,
        help="The organisation's retention period on the day the case was closed: a shorter period "
        "set later never brings the destruction forward.",
    )

    @api.depends("request_date", "first_contact_date", "close_date")
    def _compute_durations(self):
        for case in self:
            case.first_contact_hours = (
                (case.first_contact_date - case.request_date).total_seconds() / 3600
                if case.request_date and case.first_contact_date
                else 0.0
            )
            # Days counted on the Dutch calendar, as the annual report does.
            request_day = to_dutch(case.request_date).date() if case.request_date else None
            case.duration_days = (case.close_date - request_day).days if request_day and case.close_date else 0

    @api.depends("legal_hold_ids.is_active")
    def _compute_on_legal_hold(self):
        for case in self:
            case.on_legal_hold = any(case.legal_hold_ids.mapped("is_active"))

    @api.depends("close_date", "organisation_id.retention_months", "closed_retention_months", "state")
    def _compute_shred_due_date(self):
        for case in self:
            # The longer of the period when closed and the organisation's
            # current one: raising it postpones destruction, lowering it does not advance it.
            months = max(case.closed_retention_months, case.organisation_id.retention_months)
            case.shred_due_date = (
                case.close_date + relativedelta(months=months) if case.state == "closed" and case.close_date else False
            )

    @check_identity
    def action_erase_on_request(self):
        """Early erasure at the employee's request (AVG art. 17), unless a legal hold
        applies. Asks for the password and the second factor again (Odoo's identity
        check): erasing cannot be undone."""
        return self._vp_erase_on_request()

    def _vp_erase_on_request(self):
        """The erasure itself, by a reader of the case."""
        for case in self:
            if case not in case._vp_may_read_content():
                case._vp_deny()
        self._vp_shred()
        return True

    def _vp_shred(self):
        return shredding.shred(self)

    @api.model
    def _vp_cases_due_for_shredding(self, limit=None):
        return shredding.cases_due_for_shredding(self, limit)

    @api.model
    def _cron_shred_expired_cases(self, batch_size=SHRED_BATCH):
        return shredding.cron_shred_expired_cases(self, batch_size)
