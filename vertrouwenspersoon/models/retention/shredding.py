# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Shredding: what happens when a case is shredded, step by step, in one place.

A closed case is shredded a configurable period after closing (or earlier, when
the employee asks for erasure): its data key is destroyed, so every ciphertext and
sealed document of the case is unreadable for good; then the ciphertext, documents
and the postcode are deleted and dates are reduced to their month. What the annual
report and invoicing need survives as anonymous figures: kinds, side, routes,
business unit, region, meetings (channel, duration), referrals, months, and the two
derived durations stored before the dates are reduced.

:func:`shred` runs the steps in the order written there; no model adds a step of
its own through ``super()``. Plain functions over ``vp.case`` recordsets: the model
keeps thin methods that call them (``_vp_shred``, ``_cron_shred_expired_cases``).
"""

import logging

from odoo import fields
from odoo.exceptions import UserError

from ...const import dutch_month_start
from ...tools import guards
from ...tools.confidential import case_record_key_models

_logger = logging.getLogger(__name__)

SHRED_BATCH = 200


def shred(cases):
    """Crypto-shred these cases and return those shredded now. Idempotent: shredded
    cases are skipped; a case under a legal hold refuses the whole batch."""
    to_shred = cases.filtered(lambda case: not case.shredded_on)
    if not to_shred:
        return to_shred
    refuse_legal_holds(to_shred)
    # Read before the keys go: the consultations linked to these cases (ids only).
    # sudo: the consultations linked to these cases, ids only.
    consultations = to_shred.sudo().consultation_ids
    # sudo: shredding removes content without reading any of it; the
    # callers are the daily job and the case's own counsellor.
    # No tracking: the chatter must not keep the exact dates being removed.
    cases_sudo = guards.open_guard(
        to_shred.sudo().with_context(tracking_disable=True),
        guards.SHREDDING,
        guards.NOTICE_TRANSITION,
        guards.BREACH_TRANSITION,
        guards.CASE_STATE,
    )
    destroy_keys(to_shred)
    delete_content(cases_sudo)
    keep_months_only(cases_sudo)
    strip_hours(to_shred)
    # The chatter's tracking of exact dates goes too: only the case number remains.
    # sudo: deletes the tracking of these cases, reads nothing.
    to_shred.env["mail.message"].sudo().search([("model", "=", "vp.case"), ("res_id", "in", to_shred.ids)]).unlink()
    to_shred.env["vp.audit.log"]._log(to_shred, "shred")
    _logger.info("Shredded %d case(s)", len(to_shred))
    shred_consultations(consultations)
    delete_reporter_thread(to_shred)
    return to_shred


def refuse_legal_holds(cases):
    held = cases.filtered("on_legal_hold")
    if held:
        raise UserError(
            cases.env._(
                "Case %(cases)s is under a legal hold and cannot be erased until the hold is lifted.",
                cases=", ".join(held.mapped("name")),
            )
        )


def destroy_keys(cases):
    """Crypto-shred: without its key no ciphertext of the case can ever be opened."""
    env = cases.env
    keys = env["vp.record.key"]
    keys._vp_forget("vp.case", cases.ids)
    # The records of these cases sealed under keys of their own (notices, breach records).
    for model in case_record_key_models(env):
        # sudo: the ids of the case's records, to forget their keys; nothing is read.
        keys._vp_forget(model, env[model].sudo().search([("case_id", "in", cases.ids)]).ids)


def delete_content(cases_sudo):
    """Delete the ciphertext, documents and identifying details of the case's records."""
    cases_sudo.document_ids.unlink()
    cases_sudo.meeting_ids.write({"place_ciphertext": False, "note_ciphertext": False})
    cases_sudo.consent_ids.write({"approved_summary_ciphertext": False})
    # sudo (the caller's): clears ciphertext of these cases only, reads nothing.
    cases_sudo.env["vp.notice"].search([("case_id", "in", cases_sudo.ids)]).write(
        {"employee_name_ciphertext": False, "summary_ciphertext": False}
    )
    cases_sudo.env["vp.breach"].search([("case_id", "in", cases_sudo.ids)]).write(
        {"disclosed_what_ciphertext": False, "disclosed_to_ciphertext": False}
    )


def keep_months_only(cases_sudo):
    """The case's own content goes, and its dates keep only their month; the durations
    computed from the exact dates stay."""
    durations = [cases_sudo._fields["first_contact_hours"], cases_sudo._fields["duration_days"]]
    with cases_sudo.env.protecting(durations, cases_sudo):
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


def strip_hours(cases):
    """Hours stay (invoicing, annual report); what the counsellor typed with them goes,
    and their days become the first of their month: the month, which invoicing and the
    annual report count by, stays the same. In SQL: billed lines are locked against
    edits, and neither change alters an hour or amount."""
    lines = cases.env["account.analytic.line"]
    notes = cases.env["vp.timesheet.note"]
    lines.flush_model(["vp_case_id", "date"])
    notes.flush_model()
    cases.env.cr.execute(
        "DELETE FROM vp_timesheet_note WHERE case_id IN %(cases)s "
        "OR line_id IN (SELECT id FROM account_analytic_line WHERE vp_case_id IN %(cases)s)",
        {"cases": tuple(cases.ids)},
    )
    cases.env.cr.execute(
        "UPDATE account_analytic_line SET date = date_trunc('month', date)::date "
        "WHERE vp_case_id IN %s AND date <> date_trunc('month', date)::date",
        (tuple(cases.ids),),
    )
    notes.invalidate_model()
    lines.invalidate_model(["vp_note", "date"])


def shred_consultations(consultations):
    """A case's consultations lose their keys and text too (they may tell about the
    case); that a consultation was asked stays, for the report."""
    # sudo: deletes the sealed text of these consultations; nothing is opened.
    consultations.sudo().write({"question_ciphertext": False, "answer_ciphertext": False})
    consultations.env["vp.record.key"]._vp_forget(consultations._name, consultations.ids)


def delete_reporter_thread(cases):
    """The thread with the reporter and her receipt codes go with the case (the code
    stops working)."""
    # sudo: deletes these cases' messages and receipts; reads nothing.
    cases.env["vp.case.message"].sudo().search([("case_id", "in", cases.ids)]).unlink()
    cases.env["vp.case.receipt"].sudo().search([("case_id", "in", cases.ids)]).unlink()


def cases_due_for_shredding(case_model, limit=None):
    """The cases whose retention has ended and that no legal hold keeps, oldest due first."""
    # sudo: the job looks at dates and holds only.
    return (
        case_model.sudo()
        .with_context(active_test=False)
        .search(
            [
                ("shredded_on", "=", False),
                ("on_legal_hold", "=", False),
                ("shred_due_date", "!=", False),
                ("shred_due_date", "<=", fields.Date.context_today(case_model)),
            ],
            order="shred_due_date, id",
            limit=limit,
        )
    )


def cron_shred_expired_cases(case_model, batch_size=SHRED_BATCH):
    """Daily job: one batch per run; the cron runs again at once while
    cases remain, each batch in its own transaction, so an interruption
    loses at most the batch in progress and a re-run simply goes on."""
    due = case_model._vp_cases_due_for_shredding(limit=batch_size)
    due._vp_shred()
    remaining = len(case_model._vp_cases_due_for_shredding())
    case_model.env["ir.cron"]._notify_progress(done=len(due), remaining=remaining)
    return len(due)
