# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The dates of a case's record and the deadlines they start.

The request date, the first contact and the two Wbk dates decide every
deadline, the Wbk terms and the published figures (the annual report's year,
"first contact within 48 hours", "acknowledged within 7 days"). So they change
only as the work happens (docs/INTEGRITY.md):

- the request date is the moment of the intake (intake page, phone intake, or
  the counsellor registering a case);
- the first contact is set by the first meeting held, the first message to the
  reporter, or *Start*, whichever comes first;
- *Acknowledged on* by the message that acknowledges the report, *Feedback
  given on* by the feedback message (or, for a reporter without an inbox, the
  counsellor recording today that it happened by phone or letter);
- a wrong date is corrected by the case's own counsellor, with a reason
  (wizards/vp_case_date_correction.py).

Each is checked (never in the future, never before the request) and lands in
the change log with who set it and why. No client writes them: they are guarded
fields (vp.write.checked.mixin, tools/guards.py).

The deadlines: first contact within 48 hours (the contract); under the
Whistleblowers Protection Act (Wbk) acknowledgement within 7 days and feedback
within 3 months. The daily job warns the counsellor, escalates to the coordinator
and hands an overdue request to the roster's backup.

Plain functions over ``vp.case`` recordsets; the model keeps thin methods that
call them.
"""

from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.exceptions import AccessError, ValidationError

from ...const import COORDINATOR, COUNSELLOR
from ...tools import guards

# The deadlines a case is held to: (key, deadline field, done field, alert
# field, in-time field, warn this long before, activity type).
# First contact within 48 hours (the contract); under the Whistleblowers
# Protection Act (Wbk) acknowledgement within 7 days and feedback within 3
# months of the acknowledgement.
DEADLINES = [
    (
        "first_contact",
        "first_contact_deadline",
        "first_contact_date",
        "first_contact_alert",
        "first_contact_in_time",
        timedelta(hours=12),
        "vertrouwenspersoon.mail_activity_type_vp_first_contact",
    ),
    (
        "wbk_ack",
        "wbk_ack_deadline",
        "wbk_acknowledged_on",
        "wbk_ack_alert",
        "wbk_ack_in_time",
        timedelta(days=2),
        "vertrouwenspersoon.mail_activity_type_vp_wbk_ack",
    ),
    (
        "wbk_feedback",
        "wbk_feedback_deadline",
        "wbk_feedback_on",
        "wbk_feedback_alert",
        "wbk_feedback_in_time",
        timedelta(days=14),
        "vertrouwenspersoon.mail_activity_type_vp_wbk_feedback",
    ),
]

FIRST_CONTACT_DELAY = timedelta(hours=48)

WBK_ACK_DELAY = timedelta(days=7)

WBK_FEEDBACK_DELAY = relativedelta(months=3)

ALERTS = [("warned", "Counsellor warned"), ("escalated", "Escalated")]

WORK_DATES = ("request_date", "first_contact_date", "wbk_acknowledged_on", "wbk_feedback_on")


# ------------------------------------------------------------------
# Deadlines
# ------------------------------------------------------------------
def compute_is_wbk(cases):
    for case in cases:
        case.is_wbk = "integrity" in case.behaviour_kind_ids.mapped("category")


def compute_deadlines(cases):
    for case in cases:
        request_date = case.request_date
        case.first_contact_deadline = request_date and request_date + FIRST_CONTACT_DELAY
        if case.is_wbk and request_date:
            case.wbk_ack_deadline = request_date + WBK_ACK_DELAY
            case.wbk_feedback_deadline = (case.wbk_acknowledged_on or case.wbk_ack_deadline) + WBK_FEEDBACK_DELAY
        else:
            case.wbk_ack_deadline = case.wbk_feedback_deadline = False


def compute_in_time(cases):
    for case in cases:
        for _key, deadline, done, _alert, in_time, _warn, _type in DEADLINES:
            case[in_time] = bool(case[done] and case[deadline] and case[done] <= case[deadline])


def action_wbk_acknowledged(cases):
    """The reporter's report was acknowledged outside the inbox (by phone, by
    letter): recorded now, by a reader of the case, never backdated."""
    cases._vp_record_work_date(
        "wbk_acknowledged_on", cases.env._("Acknowledged outside the inbox, recorded by the counsellor")
    )


def action_wbk_feedback_given(cases):
    """Feedback was given outside the inbox: recorded now, by a reader of the case."""
    cases._vp_record_work_date(
        "wbk_feedback_on", cases.env._("Feedback given outside the inbox, recorded by the counsellor")
    )


# ------------------------------------------------------------------
# The scheduled job
# ------------------------------------------------------------------
def cron_check_deadlines(case_model):
    """Warn the counsellor before a deadline passes; once it has passed,
    escalate to the coordinators and, for the first contact, hand the
    case over to the counsellor's backup on the region's roster.

    Each case is warned once and escalated once per deadline (the alert
    fields), so running the job more often sends nothing twice.
    """
    now = fields.Datetime.now()
    for key, deadline, done, alert, _in_time, warn_before, activity_type in DEADLINES:
        base = [(deadline, "!=", False), (done, "=", False), ("state", "!=", "closed"), ("shredded_on", "=", False)]
        to_warn = case_model.search(
            [*base, (alert, "=", False), (deadline, ">", now), (deadline, "<=", now + warn_before)]
        )
        to_warn._vp_warn_counsellor(deadline, alert, activity_type)
        overdue = case_model.search([*base, (alert, "!=", "escalated"), (deadline, "<=", now)])
        overdue._vp_escalate(key, deadline, alert, activity_type)


def deadline_dates(cases, deadline):
    return {case.id: fields.Date.context_today(case, case[deadline]) for case in cases}


def warn_counsellor(all_cases, deadline, alert, activity_type):
    cases = all_cases.filtered("counsellor_id")
    cases._vp_schedule(
        activity_type,
        {case.id: case.counsellor_id for case in cases},
        cases._vp_deadline_dates(deadline),
    )
    all_cases.write({alert: "warned"})


def escalate(cases, key, deadline, alert, activity_type):
    if not cases:
        return
    dates = cases._vp_deadline_dates(deadline)
    users_by_case = {case.id: cases.env["res.users"] for case in cases}
    if key == "first_contact":
        backups = cases._vp_hand_over_to_backups()
        for case_id, backup in backups.items():
            users_by_case[case_id] |= backup
    coordinators = cases.env.ref(COORDINATOR).sudo().users  # sudo: user ids only
    for case_id in users_by_case:
        users_by_case[case_id] |= coordinators
    cases._vp_schedule(activity_type, users_by_case, dates)
    cases.write({alert: "escalated"})


def hand_over_to_backups(cases):
    """Hand each case to the backup of its counsellor on its region's
    roster, so someone who may read the contact details makes contact.
    Returns {case id: backup user}."""
    lines = cases.env["vp.roster.line"].search(
        [("region_id", "in", cases.region_id.ids), ("user_id", "in", cases.counsellor_id.ids)]
    )
    backup_of = {(line.region_id.id, line.user_id.id): line.backup_user_id for line in lines}
    absent = cases._vp_absent_backups(lines) if lines.backup_user_id else set()
    # sudo: handovers are the coordinator's; reads who is on them only.
    active = cases.sudo().handover_ids.filtered("is_active")
    handed = {(handover.case_id.id, handover.to_user_id.id) for handover in active}
    other_side = cases._vp_other_side_readers()
    counsellor_group = cases.env.ref(COUNSELLOR)
    vals_list, result = [], {}
    for case in cases:
        backup = backup_of.get((case.region_id.id, case.counsellor_id.id))
        if not backup or backup == case.counsellor_id or backup.id in absent:
            continue
        # Never the other side's counsellor or backup; an active counsellor only.
        # sudo: the backup's groups and active flag only
        if backup.id in other_side[case.id] or not backup.sudo().active:
            continue
        if counsellor_group not in backup.sudo().groups_id:
            continue
        result[case.id] = backup
        if (case.id, backup.id) not in handed:
            vals_list.append(
                {
                    "case_id": case.id,
                    "to_user_id": backup.id,
                    "reason": "first_contact_deadline",
                }
            )
    # sudo: the scheduled job records the handover; the backup reads the
    # case's content from now on, as a handover intends.
    cases.env["vp.case.handover"].sudo().create(vals_list)
    return result


def absent_backups(cases, lines):
    backup_lines = cases.env["vp.roster.line"].search([("user_id", "in", lines.backup_user_id.ids)])
    return backup_lines._vp_absent_user_ids()


# ------------------------------------------------------------------
# The dates of the record
# ------------------------------------------------------------------
def check_work_dates(cases):
    now = fields.Datetime.now()
    # sudo: dates only; the constraint runs for whoever set them (a flow, the system).
    for case in cases.sudo():
        if case.shredded_on:
            # Shredding reduced the dates to their month: their order was checked before.
            continue
        for name in WORK_DATES:
            value = case[name]
            if not value:
                continue
            label = cases._fields[name]._description_string(cases.env)
            if value > now:
                raise ValidationError(
                    cases.env._("%(date)s of %(case)s cannot lie in the future.", date=label, case=case.name)
                )
            if name != "request_date" and case.request_date and value < case.request_date:
                raise ValidationError(
                    cases.env._(
                        "%(date)s of %(case)s cannot lie before the request (%(request)s).",
                        date=label,
                        case=case.name,
                        request=fields.Datetime.to_string(case.request_date),
                    )
                )


# ------------------------------------------------------------------
# Set by the work
# ------------------------------------------------------------------
def check_reader(cases):
    """Only a reader of the case (its counsellor, an active handover) records its
    work; the coordinator and everyone else are refused."""
    if cases.env.su:
        return
    for case in cases:
        if cases.env.uid not in case._vp_reader_user_ids():
            raise AccessError(
                cases.env._(
                    "Only the counsellor of %(case)s (or a colleague it is handed over to) records its work.",
                    case=case.sudo().name,  # sudo: the case number only
                )
            )


def record_work_date(all_cases, field_name, reason):
    """Record that the work of ``field_name`` happened now, on the cases
    where it had not yet: by a reader of the case, logged with ``reason``."""
    all_cases._vp_check_reader()
    todo = all_cases.filtered(lambda case: not case[field_name])
    if todo:
        guards.open_guard(guards.with_reason(todo, reason), guards.CASE_DATES).write(
            {field_name: fields.Datetime.now()}
        )
    return True


def note_first_contact(all_cases, moments, reason):
    """The first contact of each case in ``moments`` ({case id: datetime}, a
    meeting held or a message sent), where the case has none yet. Called by
    the meeting and the message in the session of the reader who made it."""
    now = fields.Datetime.now()
    # sudo: the dates of the cases this reader just worked on; no content.
    for case in all_cases.sudo().browse(list(moments)):
        moment = moments[case.id]
        if case.first_contact_date or case.shredded_on or not moment or moment > now:
            continue
        if case.request_date and moment < case.request_date:
            continue
        guards.open_guard(guards.with_reason(case.with_env(all_cases.env), reason), guards.CASE_DATES).write(
            {"first_contact_date": moment}
        )


# ------------------------------------------------------------------
# Corrected by the counsellor
# ------------------------------------------------------------------
def action_vp_correct_date(cases):
    cases.ensure_one()
    cases.env["vp.case.date.correction"]._vp_check_corrector(cases)
    return {
        "type": "ir.actions.act_window",
        "name": cases.env._("Correct a date of %(case)s", case=cases.name),
        "res_model": "vp.case.date.correction",
        "view_mode": "form",
        "target": "new",
        "context": {"default_case_id": cases.id},
    }
