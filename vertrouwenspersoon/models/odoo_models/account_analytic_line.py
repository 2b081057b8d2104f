# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL

from ...const import COUNSELLOR
from ..intake.vp_counsellor_appointment import KINDS

TIME_TYPES = [
    ("intake", "Intake"),
    ("meeting", "Meeting"),
    ("contact", "Phone or e-mail"),
    ("administration", "Case administration"),
    ("prevention", "Prevention work"),
    ("travel", "Travel"),
    ("cancelled_client", "Cancelled by the client organisation"),
    ("cancelled_counsellor", "Cancelled by the counsellor"),
]

# Time types in the order they appear on invoices and specifications.
INVOICE_ORDER = ["intake", "meeting", "contact", "administration", "prevention", "cancelled_client"]

# Share of the hourly rate billed per time type (the contract: travel is never
# billed; a session the client organisation cancels is billed at half; one the
# counsellor cancels is not billed).
BILLING_FACTOR = {
    "intake": 1.0,
    "meeting": 1.0,
    "contact": 1.0,
    "administration": 1.0,
    "prevention": 1.0,
    "travel": 0.0,
    "cancelled_client": 0.5,
    "cancelled_counsellor": 0.0,
}

# Hours of internal counsellors: logged like any counsellor's, never invoiced. An internal
# counsellor is employed by the client organisation, so the bureau bills none of their
# hours; they log hours for the annual report's figures (hours by time type), on the
# organisation's engagement like the external ones. The kind is stored on the line when it
# is logged (as the business unit is), so invoicing never reads an appointment or a case,
# and the hours of a month keep the kind they were logged with. Not invoiced, not in the
# specification, not in the accountant's hours.
NOT_INVOICED = "internal"
# Fields that follow from the monthly invoicing run; no user may set them.
BILLING_FIELDS = {"vp_invoice_id", "vp_unit_merged"}
# Fields of hours a meeting logged that follow the meeting (vp.case.meeting._vp_sync_hours).
MEETING_FIELDS = {"vp_time_type", "vp_case_id", "vp_meeting_id", "unit_amount", "date"}
# Fields a vp line's engagement, account, unit and name are derived from, and those derived.
DERIVING_FIELDS = {"vp_time_type", "vp_case_id", "vp_prevention_session_id", "date", "name"}
DERIVED_FIELDS = {"vp_subject", "vp_engagement_id", "account_id", "company_id", "vp_business_unit_id", "name"}


class AccountAnalyticLine(models.Model):
    """A counsellor's timesheet line, logged on a case or on prevention work.

    Nothing on a line that other roles can read identifies a person or a case:
    - ``name`` (the description Odoo shows everywhere: lists, pivots, exports,
      portal, invoices) always holds the time type's label; what the counsellor
      types as description goes to ``vp_note``, a counsellor-only field, on a
      line only its own counsellor can read (record rules), sealed in a
      ``vp.timesheet.note`` of its own;
    - the case is a counsellor-only field; the business unit the invoice needs
      is copied from the case or session when the line is logged and stored.
    Once billed (``vp_invoice_id``), a line cannot be changed or deleted until
    its invoice is cancelled or reversed.
    """

    _name = "account.analytic.line"
    _inherit = ["account.analytic.line", "vp.field.access.mixin"]

    vp_time_type = fields.Selection(TIME_TYPES, string="Time type", index="btree_not_null")
    vp_case_id = fields.Many2one("vp.case", string="Case", groups=COUNSELLOR, index="btree_not_null")
    # The meeting that logged these hours (vp.case.meeting._vp_sync_hours); a meeting
    # deleted with its case leaves its hours, which invoicing and the report count.
    vp_meeting_id = fields.Many2one(
        "vp.case.meeting", string="Meeting", groups=COUNSELLOR, index="btree_not_null", ondelete="set null"
    )
    vp_prevention_session_id = fields.Many2one(
        "vp.prevention.session", string="Prevention session", groups=COUNSELLOR, index="btree_not_null"
    )
    vp_note = fields.Char(
        string="Description (counsellor only)",
        groups=COUNSELLOR,
        compute="_compute_vp_note",
        inverse="_inverse_vp_note",
        help="Only you can read this; invoices and the accountant see the time type only. Stored encrypted.",
    )
    vp_subject = fields.Selection(
        [("case", "Case"), ("prevention", "Prevention work")],
        string="Logged on",
        readonly=True,
        help="Whether the hours were spent on a case or on prevention work.",
    )
    vp_engagement_id = fields.Many2one("vp.engagement", string="Engagement", readonly=True, index="btree_not_null")
    vp_business_unit_id = fields.Many2one(
        "vp.business.unit",
        string="Business unit",
        readonly=True,
        help="Copied from the case or session when the hours were logged.",
    )
    vp_invoice_id = fields.Many2one(
        "account.move",
        string="Billed on",
        compute="_compute_vp_invoice_id",
        search="_search_vp_invoice_id",
        # sudo: the id of the invoice of the line's own engagement and month, nothing more.
        compute_sudo=True,
        help="The invoice of this engagement and month. Once it exists, it bills every hour of the "
        "month and the month is closed; cancelling or reversing it releases the hours.",
    )
    vp_unit_merged = fields.Boolean(
        string="Shown as other units",
        compute="_compute_vp_invoice_id",
        compute_sudo=True,
        help="On the invoice, these hours count under 'other units' (anonymity rule).",
    )
    vp_counsellor_kind = fields.Selection(
        KINDS,
        string="Kind of counsellor",
        compute="_compute_vp_counsellor_kind",
        store=True,
        readonly=True,
        index="btree_not_null",
        help="Hours of an internal counsellor (employed by the client organisation) are not invoiced.",
    )

    # ------------------------------------------------------------------
    # The counsellor's description: a note of its own, sealed
    # ------------------------------------------------------------------
    # What a counsellor types with her hours can name the employee ("talk with
    # Jolanda about her manager"), so it is sealed, in a vp.timesheet.note of the
    # line's own (models/meetings/vp_timesheet_note.py), through vp.encrypted.mixin:
    # under the case's key, or, for prevention work, under a key of the line held by
    # its counsellor (vp.record.key). Only the line's own counsellor reads it, whatever
    # groups and rules allow (a counsellor who also holds an Accounting group would
    # otherwise read every colleague's notes); shredding a case deletes it.
    def _vp_record_readers(self):
        """A prevention-work line's note key: (readers, principal readers,
        organisation) per line, its own counsellor alone."""
        result = {}
        for line in self.sudo():  # sudo: who logged the line and for which organisation
            user = line.user_id.filtered("active")
            result[line.id] = (user, user, line.vp_prevention_session_id.organisation_id)
        return result

    def _vp_notes_sudo(self):
        """{line id: its vp.timesheet.note} for these stored lines, in one query.
        Reached with sudo: a note has no access of its own beyond its line's; it opens
        for the line's counsellor only (vp.timesheet.note._vp_may_read_content)."""
        notes_sudo = self.env["vp.timesheet.note"].sudo()  # sudo: see above
        notes = notes_sudo.search_fetch([("line_id", "in", self.ids)], ["line_id", "case_id"])
        return {note.line_id.id: note for note in notes}

    @api.depends_context("uid")
    def _compute_vp_note(self):
        # sudo: the line's counsellor (a user id) decides who reads the note, nothing else.
        own = self.filtered(lambda line: line._origin.id and line._origin.sudo().user_id.id == self.env.uid)
        (self - own).vp_note = False
        if not own:
            return
        # The notes come from one search: the first one read opens them all (one prefetch).
        notes = own._origin._vp_notes_sudo()
        for line in own:
            note = notes.get(line._origin.id)
            line.vp_note = note.note if note else False

    def _inverse_vp_note(self):
        lines = self.filtered("id")
        if not lines:
            return
        notes = lines._vp_notes_sudo()
        Note = self.env["vp.timesheet.note"].sudo()  # sudo: see _vp_notes_sudo
        Note.browse([notes[line.id].id for line in lines if not line.vp_note and line.id in notes]).unlink()
        new_vals, changed = [], {}
        for line in lines.filtered("vp_note"):
            case = line.sudo().vp_case_id  # sudo: the case whose key seals the note
            note = notes.get(line.id)
            if not note:
                new_vals.append({"line_id": line.id, "case_id": case.id, "note": line.vp_note})
                continue
            if note.case_id != case:
                note.case_id = case
            changed.setdefault(line.vp_note, Note.browse())
            changed[line.vp_note] |= note
        for text, group in changed.items():
            group.note = text
        if new_vals:
            Note.create(new_vals)

    def init(self):
        res = super().init()
        # An engagement's hours of a month (invoicing) or of the report's years (the annual
        # report's hours): one range of this index, not the engagement's ten years of hours
        # intersected with every engagement's hours of the period. It holds what the report
        # adds up, so the report reads its years of hours from the index alone (a large
        # organisation's 16,000 lines, scattered over a bureau's two million, are not fetched
        # one by one). It replaces the index of 18.0.2.2.0 on the same two columns.
        self.env.cr.execute("DROP INDEX IF EXISTS account_analytic_line_vp_engagement_date_idx")
        self.env.cr.execute(
            "CREATE INDEX IF NOT EXISTS account_analytic_line_vp_engagement_hours_idx "
            "ON account_analytic_line (vp_engagement_id, date) "
            "INCLUDE (vp_time_type, vp_case_id, unit_amount, vp_business_unit_id, user_id) "
            "WHERE vp_engagement_id IS NOT NULL"
        )
        return res

    # ------------------------------------------------------------------
    # The invoice of a line: its engagement's invoice of the line's month
    # ------------------------------------------------------------------
    # Billing is by month: the monthly run bills every hour of an engagement's
    # month on one invoice and closes that month (no hour can be logged, changed
    # or deleted in it any more). So a line's invoice follows from its engagement
    # and date, and billing writes nothing on the lines: 20,000 lines cost no
    # more to bill than 20, and cancelling or reversing the invoice releases
    # them without touching them either.
    # An internal counsellor's hours belong to no invoice, so no invoice closes their month.
    @api.depends("vp_engagement_id", "date", "vp_subject", "vp_business_unit_id", "vp_counsellor_kind")
    def _compute_vp_invoice_id(self):
        invoiced = self._vp_invoiced_lines()
        (self - invoiced).update({"vp_invoice_id": False, "vp_unit_merged": False})
        lines = invoiced.filtered(lambda line: line.vp_engagement_id and line.vp_time_type and line.date)
        invoices = self.env["account.move"]._vp_active_invoices(
            {(line.vp_engagement_id.id, line.date.replace(day=1)) for line in lines}
        )
        for line in invoiced:
            invoice = invoices.get((line.vp_engagement_id.id, line.date.replace(day=1))) if line in lines else None
            line.vp_invoice_id = invoice
            line.vp_unit_merged = bool(invoice) and invoice._vp_shows_as_other_units(
                line.vp_subject, line.vp_business_unit_id
            )

    def _search_vp_invoice_id(self, operator, value):
        """Lines whose engagement and month have an invoice that bills them (among ``value``);
        an internal counsellor's hours are billed by none."""
        domain = self._vp_search_billing_invoice(operator, value)
        ids = [value] if operator in ("=", "!=") else list(value or [])
        billed_wanted = (operator in ("=", "in")) == bool([invoice_id for invoice_id in ids if invoice_id])
        if billed_wanted:
            return ["&", ("vp_counsellor_kind", "!=", NOT_INVOICED), *domain]
        return ["|", ("vp_counsellor_kind", "=", NOT_INVOICED), *domain]

    def _vp_search_billing_invoice(self, operator, value):
        """Lines whose engagement and month have an invoice among ``value``, whatever the
        counsellor's kind."""
        if operator not in ("=", "!=", "in", "not in"):
            raise UserError(self.env._("Search on the invoice of hours with =, !=, in or not in."))
        ids = [value] if operator in ("=", "!=") else list(value)
        if operator in ("in", "not in") and not ids:
            return [(1, "=", 1 if operator == "not in" else 0)]
        ids = [invoice_id for invoice_id in ids if invoice_id]
        # The SQL below reads these columns: pending changes must reach the database first.
        self.env["account.move"].flush_model(["vp_engagement_id", "vp_period", "state", "vp_released"])
        self.flush_model(["vp_engagement_id", "date", "vp_time_type"])
        # ('vp_invoice_id', '=', False) asks for lines billed by no invoice at all.
        billed_wanted = (operator in ("=", "in")) == bool(ids)
        billing_move = SQL(
            """move.vp_engagement_id = line.vp_engagement_id
               AND move.vp_period = date_trunc('month', line.date)::date
               AND move.state != 'cancel' AND move.vp_released IS NOT TRUE %s""",
            SQL("AND move.id = ANY(%s)", ids) if ids else SQL(""),
        )
        if billed_wanted:
            billed = SQL(
                "(SELECT line.id FROM account_analytic_line line JOIN account_move move ON %s "
                "WHERE line.vp_time_type IS NOT NULL)",
                billing_move,
            )
            return [("id", "in", billed)]
        # Not billed: every line that is no counsellor's hours, and the hours whose month has no
        # such invoice. Both as positive conditions: a NOT IN over all billed hours of past years
        # would outgrow PostgreSQL's hashed subplans.
        unbilled = SQL(
            "(SELECT line.id FROM account_analytic_line line WHERE line.vp_time_type IS NOT NULL "
            "AND NOT EXISTS (SELECT 1 FROM account_move move WHERE %s))",
            billing_move,
        )
        return ["|", ("vp_time_type", "=", False), ("id", "in", unbilled)]

    # ------------------------------------------------------------------
    # Logging hours: derive engagement, account, unit; keep name anonymous
    # ------------------------------------------------------------------
    def _vp_check_counsellor(self):
        """Only counsellors log or change hours on cases and prevention work (with
        Analytic Accounting on, every internal user may create analytic lines, and a
        line on a case copies the case's business unit, a counsellor-only value)."""
        if not self.env.su and not self.env.user.has_group(COUNSELLOR):
            raise AccessError(self.env._("Only counsellors log hours on cases and prevention work."))

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su and any("vp_counsellor_kind" in vals for vals in vals_list):
            raise UserError(self.env._("Whether hours are invoiced follows from the counsellor's appointment."))
        vp_vals = [vals for vals in vals_list if self._vp_is_vp_vals(vals)]
        if vp_vals:
            self._vp_check_counsellor()
            self._vp_check_meetings(vp_vals)
            self._vp_prepare_vals(vp_vals)
        lines = super().create(vals_list)
        if vp_vals:
            lines.filtered("vp_time_type")._vp_check_month_open()
        return lines

    @api.model
    def _vp_follow_case_units(self, cases):
        """Hours logged on a case before its business unit was registered follow the unit set
        later (the first meeting's hours stayed organisation-wide while a line logged a
        minute later got the unit), as long as their month is not invoiced."""
        # sudo: the unit of these cases and their lines (ids only), to move the lines' unit
        lines = self.sudo().search([("vp_case_id", "in", cases.ids), ("vp_time_type", "!=", False)])
        by_unit = defaultdict(lambda: self.sudo().browse())
        for line in lines:
            unit = line.vp_case_id.business_unit_id
            if line.vp_business_unit_id != unit and not line.vp_invoice_id:
                by_unit[unit] |= line
        for unit, unit_lines in by_unit.items():
            # sudo: a derived field the user never writes; the lines are this case's, unbilled
            super(AccountAnalyticLine, unit_lines).write({"vp_business_unit_id": unit.id})
        return lines

    def write(self, vals):
        if not self.env.su and "vp_counsellor_kind" in vals:
            raise UserError(self.env._("Whether hours are invoiced follows from the counsellor's appointment."))
        if set(vals) & BILLING_FIELDS:
            raise UserError(self.env._("Only the monthly invoicing run links hours to an invoice."))
        vp_lines = self.filtered("vp_time_type")
        if vp_lines or self._vp_is_vp_vals(vals):
            self._vp_check_counsellor()
        # sudo: whether these lines belong to a meeting (a link, no content).
        if not self.env.su and set(vals) & MEETING_FIELDS and self.sudo().filtered("vp_meeting_id"):
            # The meeting's own sync writes as superuser; a user changes the meeting instead.
            raise UserError(self.env._("These hours were logged by a meeting: change the meeting on its case instead."))
        if vp_lines:
            vp_lines._vp_check_not_billed()
            vp_lines._vp_check_month_open()
        if not (DERIVING_FIELDS & set(vals) and (vp_lines or self._vp_is_vp_vals(vals))):
            return super().write(vals)
        # Engagement, account, unit and name depend on each line's own values.
        for line in self:
            # sudo: ids of the line's own case or session, to derive the engagement and unit.
            line_sudo = line.sudo()
            merged = {
                "vp_time_type": line.vp_time_type,
                "date": line.date,
                "vp_case_id": line_sudo.vp_case_id.id,
                "vp_prevention_session_id": line_sudo.vp_prevention_session_id.id,
                "employee_id": line.employee_id.id,
                "user_id": line.user_id.id,
                **vals,
            }
            self._vp_prepare_vals([merged])
            line_vals = {key: value for key, value in merged.items() if key in vals or key in DERIVED_FIELDS}
            if "name" in vals and merged.get("vp_note"):
                line_vals["vp_note"] = merged["vp_note"]
            super(AccountAnalyticLine, line).write(line_vals)
        self.filtered("vp_time_type")._vp_check_month_open()
        return True

    def unlink(self):
        # A prevention-work note has a key of its own: it goes with the line.
        note_ids = self.filtered("vp_time_type").ids
        result = super().unlink()
        if note_ids:
            self.env["vp.record.key"]._vp_forget(self._name, note_ids)
        return result

    @api.model
    def _vp_check_meetings(self, vals_list):
        """Hours linked to a meeting are that meeting's, on its own case, which the user may read."""
        meeting_ids = {vals["vp_meeting_id"] for vals in vals_list if vals.get("vp_meeting_id")}
        if not meeting_ids:
            return
        meetings = self.env["vp.case.meeting"].browse(meeting_ids)
        meetings.check_access("read")
        case_of = {meeting.id: meeting.case_id.id for meeting in meetings}
        if any(
            vals.get("vp_meeting_id") and case_of[vals["vp_meeting_id"]] != vals.get("vp_case_id") for vals in vals_list
        ):
            raise ValidationError(self.env._("Hours of a meeting are logged on the meeting's own case."))

    @api.ondelete(at_uninstall=False)
    def _unlink_except_vp_billed(self):
        self.filtered("vp_time_type")._vp_check_not_billed()
        self.filtered("vp_time_type")._vp_check_month_open()

    @api.model
    def _vp_is_vp_vals(self, vals):
        return bool(vals.get("vp_time_type") or vals.get("vp_case_id") or vals.get("vp_prevention_session_id"))

    @api.model
    def _vp_prepare_vals(self, vals_list):
        """Fill engagement, analytic account, business unit, employee and the
        anonymous name for new or changed vp lines, in a few queries per batch."""
        Case = self.env["vp.case"]
        Session = self.env["vp.prevention.session"]
        case_ids = {vals["vp_case_id"] for vals in vals_list if vals.get("vp_case_id")}
        session_ids = {vals["vp_prevention_session_id"] for vals in vals_list if vals.get("vp_prevention_session_id")}
        # The user must be able to read what they log hours on: their own cases and sessions.
        cases = Case.browse(case_ids)
        sessions = Session.browse(session_ids)
        cases.check_access("read")
        sessions.check_access("read")
        # sudo: the organisation and business unit only, of records the user may read (checked above);
        # the business unit of a case is a counsellor-only field, and the line stores it for invoicing.
        case_data = {c.id: (c.organisation_id, c.business_unit_id) for c in cases.sudo()}
        # sudo: organisation and unit of sessions the user may read (checked above).
        session_data = {s.id: (s.organisation_id, s.business_unit_id) for s in sessions.sudo()}
        dates = [fields.Date.to_date(vals.get("date")) or fields.Date.context_today(self) for vals in vals_list]
        organisations = self.env["vp.organisation"].union(*(org for org, _unit in case_data.values()))
        organisations |= self.env["vp.organisation"].union(*(org for org, _unit in session_data.values()))
        engagements = self.env["vp.engagement"]._vp_for_organisations(organisations, min(dates), max(dates))
        labels = dict(self._fields["vp_time_type"]._description_selection(self.env))
        employee_by_user = {}
        for vals, date in zip(vals_list, dates, strict=True):
            time_type = vals.get("vp_time_type")
            if not time_type:
                raise ValidationError(self.env._("Choose a time type for hours logged on a case or prevention work."))
            if bool(vals.get("vp_case_id")) == bool(vals.get("vp_prevention_session_id")):
                raise ValidationError(self.env._("Log hours on a case or on a prevention session, one of the two."))
            if time_type == "prevention" and not vals.get("vp_prevention_session_id"):
                raise ValidationError(self.env._("Prevention work is logged on a prevention session."))
            if vals.get("vp_case_id"):
                organisation, unit = case_data[vals["vp_case_id"]]
                vals["vp_subject"] = "case"
            else:
                organisation, unit = session_data[vals["vp_prevention_session_id"]]
                vals["vp_subject"] = "prevention"
            engagement = engagements.filtered(lambda e, org=organisation, day=date: e._vp_covers(org, day))[:1]
            if not engagement:
                raise UserError(
                    self.env._(
                        "No engagement with %(organisation)s runs on %(date)s: ask the invoicing department "
                        "to record one before logging these hours.",
                        organisation=organisation.name,
                        date=fields.Date.to_string(date),
                    )
                )
            vals["vp_engagement_id"] = engagement.id
            vals["account_id"] = engagement.analytic_account_id.id
            vals["company_id"] = engagement.company_id.id
            vals["vp_business_unit_id"] = unit.id
            vals["date"] = date
            # The description stays with the counsellor; the name everyone can read is the time type.
            if vals.get("name") and vals["name"] not in ("/", labels[time_type]) and "vp_note" not in vals:
                vals["vp_note"] = vals["name"]
            vals["name"] = labels[time_type]
            if "employee_id" not in vals:
                user_id = vals.get("user_id") or self.env.uid
                if user_id not in employee_by_user:
                    employee_domain = [("user_id", "=", user_id), ("company_id", "=", engagement.company_id.id)]
                    # sudo: the user's own employee record, for the timesheet's employee only.
                    employees = self.env["hr.employee"].sudo()
                    employee_by_user[user_id] = employees.search(employee_domain, limit=1)
                vals["employee_id"] = employee_by_user[user_id].id
                vals["user_id"] = user_id
        return vals_list

    # ------------------------------------------------------------------
    # Checks
    # ------------------------------------------------------------------
    @api.depends("user_id", "vp_engagement_id")
    def _compute_vp_counsellor_kind(self):
        lines = self.filtered(lambda line: line.vp_time_type and line.vp_engagement_id and line.user_id)
        # sudo: the engagements' organisations and who is internal where; no case is read.
        internal = self.env["vp.counsellor.appointment"]._vp_internal_organisation_of(lines.sudo().user_id.ids)
        for line in self:
            if line not in lines:
                line.vp_counsellor_kind = False
                continue
            organisation = line.sudo().vp_engagement_id.organisation_id  # sudo: the engagement's organisation id
            line.vp_counsellor_kind = "internal" if internal.get(line.user_id.id) == organisation.id else "external"

    def _vp_invoiced_lines(self):
        return self.filtered(lambda line: line.vp_counsellor_kind != NOT_INVOICED)

    def _vp_check_not_billed(self):
        # An internal counsellor's hours are billed by no invoice.
        billed = self._vp_invoiced_lines().filtered("vp_invoice_id")
        if not billed:
            return
        # sudo: the invoice's number and state only, to say which invoice holds the hours.
        invoices = billed.sudo().vp_invoice_id
        posted = invoices.filtered(lambda move: move.state == "posted")
        if posted:
            raise UserError(
                self.env._(
                    "These hours are billed on invoice %(invoice)s, which is already posted: "
                    "they can only change after the invoice is reversed with a credit note.",
                    invoice=", ".join(posted.mapped("name")),
                )
            )
        raise UserError(
            self.env._(
                "These hours are billed on draft invoice %(invoice)s: cancel or delete that invoice "
                "first to change them.",
                invoice=", ".join(
                    invoices.mapped(lambda move: move.name if move.name and move.name != "/" else f"#{move.id}")
                ),
            )
        )

    def _vp_check_month_open(self):
        """A month is closed for an engagement once its invoice exists (and is
        neither cancelled nor reversed): hours logged later would be lost. No invoice
        closes the month of an internal counsellor's hours."""
        invoiced = self._vp_invoiced_lines()
        if not invoiced:
            return
        # sudo: which months have an invoice; no line content is read.
        lines = invoiced.sudo()
        periods = {(line.vp_engagement_id.id, line.date.replace(day=1)) for line in lines if line.vp_engagement_id}
        if not periods:
            return
        self.env["vp.engagement"].browse({eng for eng, _p in periods})._vp_hold_billing()
        moves_sudo = self.env["account.move"].sudo()  # sudo: whether an invoice bills the month, nothing more
        closed = moves_sudo._vp_closed_periods(periods)
        hit = sorted(periods & closed, key=lambda period: period[1])
        if hit:
            engagement = self.env["vp.engagement"].sudo().browse(hit[0][0])  # sudo: its name for the message
            raise UserError(
                self.env._(
                    "The hours of %(month)s for %(engagement)s are already invoiced: that month is closed. "
                    "Cancel or reverse its invoice first, or log the hours in the current month.",
                    month=self.env["vp.engagement"]._vp_month_label(hit[0][1]),
                    engagement=engagement.name,
                )
            )
