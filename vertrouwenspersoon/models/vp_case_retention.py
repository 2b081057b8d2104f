# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Retention of vp.case by crypto-shredding (kept apart from vp_case.py: one concern, one file).

A closed case is shredded a configurable period after closing: its data key
is destroyed, so every ciphertext and sealed document of the case is
unreadable for good; then the ciphertext, documents and the postcode are
deleted and dates are reduced to their month. What the annual report and
invoicing need survives as anonymous figures: kinds, side, routes, business
unit, region, meetings (channel, duration), referrals, months, and the two
derived durations stored before the dates are reduced.
"""

import logging

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.addons.base.models.res_users import check_identity
from odoo.exceptions import UserError
from odoo.osv import expression

from ..const import COUNSELLOR, dutch_month_start, to_dutch
from ..tools import guards
from ..tools.confidential import record_key_models

_logger = logging.getLogger(__name__)

SHRED_BATCH = 200


# Retention is its own concern, kept apart from assignment (vp_case_assignment.py).
class VpCase(models.Model):
    _inherit = "vp.case"  # pylint: disable=consider-merging-classes-inherited

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

    # ------------------------------------------------------------------
    # Shredding
    # ------------------------------------------------------------------
    def _vp_shred(self):
        """Crypto-shred these cases. Idempotent: shredded cases are skipped."""
        cases = self.filtered(lambda case: not case.shredded_on)
        if not cases:
            return cases
        if cases.filtered("on_legal_hold"):
            raise UserError(
                self.env._(
                    "Case %(cases)s is under a legal hold and cannot be erased until the hold is lifted.",
                    cases=", ".join(cases.filtered("on_legal_hold").mapped("name")),
                )
            )
        # sudo: shredding removes content without reading any of it; the
        # callers are the daily job and the case's own counsellor.
        # No tracking: the chatter must not keep the exact dates being removed.
        cases_sudo = guards.open_guard(
            cases.sudo().with_context(tracking_disable=True),
            guards.SHREDDING,
            guards.NOTICE_TRANSITION,
            guards.BREACH_TRANSITION,
            guards.CASE_STATE,
        )
        # 1. Crypto-shred: without its key no ciphertext of the case can ever be opened.
        # sudo (to the end of this step): finds and deletes keys of these cases, and the ids of
        # their records that have keys of their own; no key is opened.
        self.env["vp.record.key"]._vp_forget("vp.case", cases.ids)
        # The records of these cases sealed under keys of their own (notices, breach records).
        record_keys = expression.OR(
            [
                [
                    ("res_model", "=", model),
                    ("res_id", "in", self.env[model].sudo().search([("case_id", "in", cases.ids)]).ids),
                ]
                for model in record_key_models(self.env)
            ]
        )
        self.env["vp.record.key"].sudo().search(record_keys).unlink()
        self.env["vp.record.grant"].sudo().search(record_keys).unlink()
        # 2. Delete the ciphertext, documents and identifying details.
        cases_sudo.document_ids.unlink()
        cases_sudo.meeting_ids.write({"place_ciphertext": False, "note_ciphertext": False})
        cases_sudo.consent_ids.write({"approved_summary_ciphertext": False})
        # sudo (here and below): clears ciphertext of these cases only, reads nothing.
        cases_sudo.env["vp.notice"].search([("case_id", "in", cases.ids)]).write(
            {"employee_name_ciphertext": False, "summary_ciphertext": False}
        )
        cases_sudo.env["vp.breach"].search([("case_id", "in", cases.ids)]).write(
            {"disclosed_what_ciphertext": False, "disclosed_to_ciphertext": False}
        )
        # 3. Keep only months; the durations computed from the exact dates stay.
        durations = [self._fields["first_contact_hours"], self._fields["duration_days"]]
        with self.env.protecting(durations, cases_sudo):
            for case in cases_sudo:
                case.write(
                    {
                        "notes_ciphertext": False,
                        "intake_message_ciphertext": False,
                        "employee_name_ciphertext": False,
                        "employee_email_ciphertext": False,
                        "employee_phone_ciphertext": False,
                        "postcode": False,
                        "request_date": dutch_month_start(case.request_date),
                        "first_contact_date": dutch_month_start(case.first_contact_date),
                        "close_date": case.close_date and case.close_date.replace(day=1),
                        "shredded_on": fields.Datetime.now(),
                    }
                )
            for meeting in cases_sudo.meeting_ids:
                meeting.meeting_date = dutch_month_start(meeting.meeting_date)
            for referral in cases_sudo.referral_ids:
                referral.referral_date = referral.referral_date.replace(day=1)
        # Hours stay (invoicing, annual report); what the counsellor typed with them goes,
        # and their days become the first of their month: the month, which invoicing
        # and the annual report count by, stays the same.
        # In SQL: billed lines are locked against edits, and neither change alters an hour or amount.
        self.env["account.analytic.line"].flush_model(["vp_note_sealed", "vp_case_id", "date"])
        self.env.cr.execute(
            "UPDATE account_analytic_line SET vp_note_sealed = NULL, date = date_trunc('month', date)::date "
            "WHERE vp_case_id IN %s AND (vp_note_sealed IS NOT NULL OR date <> date_trunc('month', date)::date)",
            (tuple(cases.ids),),
        )
        self.env["account.analytic.line"].invalidate_model(["vp_note", "vp_note_sealed", "date"])
        # The chatter's tracking of exact dates goes too: only the case number remains.
        # sudo: deletes the tracking of these cases, reads nothing.
        self.env["mail.message"].sudo().search([("model", "=", "vp.case"), ("res_id", "in", cases.ids)]).unlink()
        self.env["vp.audit.log"]._log(cases, "shred")
        _logger.info("Shredded %d case(s)", len(cases))
        return cases

    @api.model
    def _vp_cases_due_for_shredding(self, limit=None):
        # sudo: the job looks at dates and holds only.
        return (
            self.sudo()
            .with_context(active_test=False)
            .search(
                [
                    ("shredded_on", "=", False),
                    ("on_legal_hold", "=", False),
                    ("shred_due_date", "!=", False),
                    ("shred_due_date", "<=", fields.Date.context_today(self)),
                ],
                order="shred_due_date, id",
                limit=limit,
            )
        )

    @api.model
    def _cron_shred_expired_cases(self, batch_size=SHRED_BATCH):
        """Daily job: one batch per run; the cron runs again at once while
        cases remain, each batch in its own transaction, so an interruption
        loses at most the batch in progress and a re-run simply goes on."""
        due = self._vp_cases_due_for_shredding(limit=batch_size)
        due._vp_shred()
        remaining = len(self._vp_cases_due_for_shredding())
        self.env["ir.cron"]._notify_progress(done=len(due), remaining=remaining)
        return len(due)

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
