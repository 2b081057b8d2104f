# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The assignment engine of vp.case: who holds a request.

Postcode -> region -> first available counsellor on the region's roster, the
employee's choice of counsellor (internal or external, by name), the duty roster
of last resort, and who may hold a case at all (never both sides of a linked
case, internal counsellors only within their own organisation). Plain functions
over ``vp.case`` recordsets; the model keeps thin methods that call them.
"""

from collections import defaultdict

from odoo import fields
from odoo.exceptions import ValidationError

from ...const import COORDINATOR
from ...tools import guards
from .intake_validation import UNKNOWN_ORGANISATION, new_intake_reference


# ------------------------------------------------------------------
# Assignment by roster
# ------------------------------------------------------------------
def other_side_counsellors(cases):
    """Per case, the counsellors supporting the other side of a linked case."""
    # sudo: links and counsellors only, nothing of either case's content.
    links = (
        cases.env["vp.case.link"]
        .sudo()
        .search(["|", ("reporter_case_id", "in", cases.ids), ("accused_case_id", "in", cases.ids)])
    )
    excluded = defaultdict(set)
    for link in links:
        excluded[link.reporter_case_id.id].add(link.accused_case_id.counsellor_id.id)
        excluded[link.accused_case_id.id].add(link.reporter_case_id.counsellor_id.id)
    return excluded


def other_side_readers(cases):
    """Per case, everyone who holds the other side of a linked case: its
    counsellor and the backups of its handovers not ended."""
    # sudo: links, counsellors and handover recipients only, no content.
    links = (
        cases.env["vp.case.link"]
        .sudo()
        .search(["|", ("reporter_case_id", "in", cases.ids), ("accused_case_id", "in", cases.ids)])
    )
    readers = defaultdict(set)
    for link in links:
        for mine, other in (
            (link.reporter_case_id, link.accused_case_id),
            (link.accused_case_id, link.reporter_case_id),
        ):
            readers[mine.id] |= set(other._vp_holder_user_ids())
    return readers


def holder_user_ids(cases):
    """The counsellor and the backups of handovers not ended (active or to come)."""
    cases.ensure_one()
    # sudo: who holds the case, not what is in it.
    case = cases.sudo()
    return case.counsellor_id.ids + case.handover_ids.filtered(lambda h: not h.ended).to_user_id.ids


def assign_by_roster(all_cases):
    """Give each unassigned request the first available counsellor of its
    region; escalate to the coordinators when nobody is available.

    A fixed number of queries for the choice, whatever the length of the
    rosters or the number of open cases (see tests/test_assignment.py).
    """
    # A request the duty counsellor holds is still to be placed on its region's roster.
    cases = all_cases.filtered(lambda case: not case.counsellor_id or case.placed_on_duty)
    if not cases:
        return
    regions = all_cases.env["vp.region"]
    # The stored region only: the postcode decides the region once, at
    # intake (_vp_register_request), and never again. The coordinator defines regions
    # and ranges and may call this at will, so a region looked up from the postcode
    # here would let them read the postcode back through regions they made for it.
    region_of = {case.id: case.region_id for case in cases}
    all_regions = regions.union(*region_of.values())
    lines = all_regions.roster_line_ids
    roster = all_cases.env["vp.roster.line"]
    load = roster._vp_open_case_counts(lines.user_id.ids)
    absent = lines._vp_absent_user_ids()
    ready = all_cases.env["vp.reader.key"]._vp_ready_user_ids(lines.user_id.ids)
    excluded = cases._vp_other_side_counsellors()
    escalate = all_cases.browse()
    for case in cases:
        region = region_of[case.id]
        if region:
            user, note = region._vp_pick_counsellor(excluded[case.id], load=load, absent=absent, ready=ready)
        else:
            user = all_cases.env["res.users"]
            note = all_cases.env._("No region for this postcode or province: escalated to the coordinator.")
        if not user:
            escalate |= case
            if case.placed_on_duty:
                # The duty counsellor keeps it: a request always has a reader.
                continue
        # The roster is one of the ways a counsellor is assigned; the region was
        # decided at intake, never looked up again from the postcode.
        guards.open_guard(case, guards.COUNSELLOR_ASSIGNMENT).write({"counsellor_id": user.id, "assignment_note": note})
    escalate._vp_notify_coordinators("vertrouwenspersoon.mail_activity_type_vp_assign")
    (cases - escalate).filtered("placed_on_duty").placed_on_duty = False
    (cases - escalate)._vp_assign_todos_done()


def place_on_duty(all_cases):
    """Requests without a counsellor go to the duty roster, so that their
    content is sealed for a reader at once and never under a key the server
    holds. The coordinator keeps her to-do to assign a counsellor."""
    cases = all_cases.filtered(lambda case: not case.counsellor_id)
    duty = all_cases.env["vp.region"]._vp_duty_roster()
    if not cases or not duty:
        return all_cases.browse()
    lines = duty.roster_line_ids
    load = all_cases.env["vp.roster.line"]._vp_open_case_counts(lines.user_id.ids)
    absent = lines._vp_absent_user_ids()
    ready = all_cases.env["vp.reader.key"]._vp_ready_user_ids(lines.user_id.ids)
    excluded = cases._vp_other_side_counsellors()
    placed = all_cases.browse()
    for case in cases:
        user, note = duty._vp_pick_counsellor(
            excluded[case.id], load=load, absent=absent, ready=ready, last_resort=True
        )
        if not user:
            continue
        note = all_cases.env._("Duty counsellor (%(why)s): %(note)s", why=case.assignment_note or "", note=note)
        # The duty roster is the roster of last resort (one of the ways a counsellor is assigned).
        guards.open_guard(case, guards.COUNSELLOR_ASSIGNMENT).write(
            {"counsellor_id": user.id, "assignment_note": note, "placed_on_duty": True}
        )
        placed |= case
    return placed


def check_counsellor_ready(all_cases):
    """A counsellor gets no case before she holds a key pair: its content
    would have nobody to be sealed for."""
    if not all_cases.pool.ready:
        # Data loaded from the server's files (an update of a database from before
        # reader-held keys): its counsellors choose their passphrases afterwards.
        return
    users = all_cases.sudo().counsellor_id  # sudo: who the counsellors are, not what the cases hold
    ready = all_cases.env["vp.reader.key"]._vp_ready_user_ids(users.ids)
    for case in all_cases.sudo():  # sudo: as above
        if case.counsellor_id and case.counsellor_id.id not in ready:
            raise ValidationError(
                all_cases.env._(
                    "%(counsellor)s has no vault passphrase yet and gets no case until she has chosen one "
                    "(she is asked when she next opens the app).",
                    counsellor=case.counsellor_id.name,
                )
            )


def assign_todos_done(all_cases):
    """The coordinators' to-dos of cases that now have a counsellor: "assign a counsellor"
    and "first contact required" escalated to them (it stayed after she
    assigned the case, so her counter never went down for work she had done; the new
    counsellor's own deadline and warnings follow the case)."""
    if not all_cases:
        return
    first_contact = all_cases.env.ref("vertrouwenspersoon.mail_activity_type_vp_first_contact")
    # sudo: activities of these types on these cases; they carry no content.
    all_cases.env["mail.activity"].sudo().search(
        [
            ("res_model", "=", "vp.case"),
            ("res_id", "in", all_cases.ids),
            "|",
            ("activity_type_id", "=", all_cases.env.ref("vertrouwenspersoon.mail_activity_type_vp_assign").id),
            "&",
            ("activity_type_id", "=", first_contact.id),
            ("user_id.groups_id", "in", all_cases.env.ref(COORDINATOR).ids),
        ]
    ).unlink()


def notify_coordinators(cases, activity_type_xmlid, deadlines=None):
    """One activity per case and coordinator: the type, the case number and a date."""
    if not cases:
        return cases.env["mail.activity"]
    coordinators = cases.env.ref(COORDINATOR).sudo().users  # sudo: who the coordinators are
    return cases._vp_schedule(activity_type_xmlid, {case.id: coordinators for case in cases}, deadlines, once=True)


def schedule(all_cases, activity_type_xmlid, users_by_case, deadlines=None, once=False):
    """Activities without summary or note: rule 3 of the brief, and
    mail_activity.py refuses anything else on a case. With ``once``, a user
    who already has an open activity of this type on the case gets no second."""
    activity_type = all_cases.env.ref(activity_type_xmlid)
    model_id = all_cases.env["ir.model"]._get_id("vp.case")
    today = fields.Date.context_today(all_cases)
    # Asking again (a second click on Assign by roster) adds no second
    # identical to-do; one open activity of a type per case and user is enough.
    # sudo: which of these cases already have such an activity, in one query.
    existing = set()
    if once:
        activities = all_cases.env["mail.activity"].sudo()
        domain = [
            ("res_model", "=", "vp.case"),
            ("res_id", "in", all_cases.ids),
            ("activity_type_id", "=", activity_type.id),
        ]
        existing = {(act.res_id, act.user_id.id) for act in activities.search_fetch(domain, ["res_id", "user_id"])}
    vals_list = [
        {
            "res_model_id": model_id,
            "res_id": case.id,
            "activity_type_id": activity_type.id,
            "user_id": user.id,
            "date_deadline": (deadlines or {}).get(case.id) or today,
        }
        for case in all_cases
        for user in users_by_case.get(case.id, ())
        if (case.id, user.id) not in existing
    ]
    # sudo: activities are written by the system (intake, scheduled job);
    # they carry a type, the case number (display name) and a date only.
    return all_cases.env["mail.activity"].sudo().create(vals_list)


def action_assign_by_roster(cases):
    """Assign by roster and say what happened: who got the case,
    or, when nobody is free, why not and what the coordinator can do."""
    cases._vp_assign_by_roster()
    if len(cases) != 1:
        return True
    if cases.counsellor_id and not cases.placed_on_duty:
        message = cases.env._(
            "%(case)s is assigned to %(counsellor)s.", case=cases.name, counsellor=cases.counsellor_id.name
        )
        kind = "success"
    else:
        message = cases.env._(
            "Nobody on the roster can take %(case)s now: %(note)s Choose a counsellor with Assign to.",
            case=cases.name,
            note=cases.assignment_note or "",
        )
        kind = "warning"
    return {
        "type": "ir.actions.client",
        "tag": "display_notification",
        "params": {
            "title": cases.env._("Assign by roster"),
            "message": message,
            "type": kind,
            "sticky": kind == "warning",
            "next": {"type": "ir.actions.client", "tag": "soft_reload"},
        },
    }


# ------------------------------------------------------------------
# Intake: the public page and the coordinator's phone registration
# ------------------------------------------------------------------
def register_request(
    case_model,
    organisation,
    postcode,
    channel,
    contact,
    notes=False,
    province=None,
    counsellor_choice=None,
    receipt=None,
):
    """Create a request and assign it by region.

    ``contact`` holds employee_name, employee_email and employee_phone;
    ``counsellor_choice`` what the employee chose (see
    ``_vp_validate_counsellor_choice``), None for today's assignment.
    Content is written encrypted, which only a case's readers or the
    superuser may do: callers that cannot read cases (the public page, the
    coordinator) call this on a superuser environment and get back the
    case only to read its number and assignment, never its content.
    ``receipt``: the values of the reporter's receipt code
    (vp.case.receipt._vp_prepare), made before the content so that the
    case's data key is granted to the reporter too.
    """
    unknown = organisation == case_model.env.ref(UNKNOWN_ORGANISATION, raise_if_not_found=False)
    # The request date is the moment the request arrives; the change log says how it came.
    registering = (
        case_model
        if guards.reason_of(case_model.env)
        else guards.with_reason(case_model, case_model.env._("Request received through the intake page"))
    )
    case = registering.create(
        {
            "intake_reference": new_intake_reference(),
            "organisation_id": organisation.id,
            "region_id": case_model.env["vp.region"]._vp_find(postcode, province).id,
            "postcode": postcode,
            "intake_channel": channel,
            "state": "request",
            "side": "reporter",
            "employee_choice": (counsellor_choice and counsellor_choice.get("kind")) or False,
        }
    )
    if unknown:
        # A code nobody knows still reaches the bureau: the duty counsellor holds
        # it and the coordinator finds out the employer before a counsellor is chosen.
        case.assignment_note = case_model.env._("Unknown organisation code")
        case._vp_notify_coordinators("vertrouwenspersoon.mail_activity_type_vp_assign")
    else:
        # Without a choice of the employee: by region and roster (assign_by_choice, below).
        case._vp_assign_by_choice(counsellor_choice)
    # Never sealed under a key the server holds: a request no roster placed goes to a reader.
    case._vp_place_on_duty()
    if receipt:
        # sudo: a receipt holds a hash, a salt and a public key; no group may touch it.
        case_model.env["vp.case.receipt"].sudo().create({**receipt, "case_id": case.id})
    # Content last: its fresh data key is granted to the counsellor just
    # assigned, their roster backup and the organisation's recovery key,
    # then forgotten (reader-held keys).
    case.write(
        {
            "employee_name": contact.get("employee_name") or False,
            "employee_email": contact.get("employee_email") or False,
            "employee_phone": contact.get("employee_phone") or False,
            "intake_message": notes or False,
        }
    )
    return case


def compute_counsellor_kind(all_cases):
    cases = all_cases.sudo()  # sudo: counsellor and organisation ids only
    internal = all_cases.env["vp.counsellor.appointment"]._vp_internal_organisation_of(cases.counsellor_id.ids)
    for case, case_sudo in zip(all_cases, cases, strict=True):
        user = case_sudo.counsellor_id
        if not user:
            case.counsellor_kind = False
        else:
            case.counsellor_kind = "internal" if internal.get(user.id) == case_sudo.organisation_id.id else "external"


# ------------------------------------------------------------------
# An internal counsellor holds cases of their own organisation only
# ------------------------------------------------------------------
def check_internal_counsellor_organisation(cases):
    cases._vp_check_internal_holders()


def check_internal_holders(all_cases):
    # sudo: who holds the cases and where they are internal; no content.
    cases = all_cases.sudo()
    holders = cases.counsellor_id | cases.handover_ids.filtered(lambda h: not h.ended).to_user_id
    internal = all_cases.env["vp.counsellor.appointment"]._vp_internal_organisation_of(holders.ids)
    if not internal:
        return
    for case in cases:
        for user in case.counsellor_id | case.handover_ids.filtered(lambda h: not h.ended).to_user_id:
            message = all_cases._vp_unfit_internal_holder_message(case, user, internal.get(user.id))
            if message:
                raise ValidationError(message)


def unfit_internal_holder_message(cases, case, user, internal_at):
    """Why ``user`` (internal counsellor at organisation id ``internal_at``, or None)
    may not hold ``case``, or None when they may."""
    if not internal_at:
        return None
    if internal_at != case.organisation_id.id:
        return cases.env._(
            "%(user)s is an internal counsellor of another organisation and cannot hold %(case)s.",
            user=user.name,
            case=case.name,
        )
    if case.employee_choice == "external":
        # The employee may not feel safe with a colleague: their choice holds for every later holder.
        return cases.env._(
            "The employee of %(case)s chose an external counsellor: %(user)s is the organisation's internal "
            "counsellor and cannot hold it.",
            user=user.name,
            case=case.name,
        )
    return None


def unfit_holder_ids(cases):
    """Per case, the ids of counsellors who may not hold it: those of the other
    side of a linked case, internal counsellors of another organisation, and the
    organisation's internal counsellors when the employee chose an external one."""
    # sudo: who is internal where and who holds the other sides; no content.
    appointments = cases.env["vp.counsellor.appointment"].sudo().search_fetch([("kind", "=", "internal")], ["user_id"])
    internal = cases.env["vp.counsellor.appointment"]._vp_internal_organisation_of(appointments.user_id.ids)
    other_side = cases._vp_other_side_readers()
    result = {}
    for case in cases.sudo():  # sudo: organisation, the employee's choice, the number; no content
        unfit = set(other_side[case.id])
        unfit |= {
            user.id
            for user in appointments.user_id
            if cases._vp_unfit_internal_holder_message(case, user, internal.get(user.id))
        }
        result[case.id] = unfit
    return result


# ------------------------------------------------------------------
# Consultations: linked on the case's side, by its own readers
# ------------------------------------------------------------------
def check_consultations(cases):
    cases.env["vp.consultation"].flush_model()
    cases.flush_model(["consultation_ids"])
    for case in cases.sudo():  # sudo: readers and organisations, to check the link; no content
        readers = set(case._vp_reader_user_ids())
        other_side = case._vp_other_side_readers()[case.id]
        for consultation in case.consultation_ids:
            if consultation.organisation_id != case.organisation_id or consultation.asker_id.id not in readers:
                raise ValidationError(
                    cases.env._("A consultation is linked by the counsellor who asked it, to a case of theirs.")
                )
            if consultation.adviser_id.id in readers or consultation.adviser_id.id in other_side:
                raise ValidationError(
                    cases.env._(
                        "The adviser of a consultation holds neither this case nor the other side of it: "
                        "ask another external counsellor."
                    )
                )
    if cases.consultation_ids:
        cases.env.cr.execute(
            "SELECT consultation_id FROM vp_case_consultation_rel WHERE consultation_id = ANY(%s) "
            "GROUP BY consultation_id HAVING COUNT(*) > 1",
            (cases.sudo().consultation_ids.ids,),  # sudo: ids only
        )
        if cases.env.cr.fetchall():
            raise ValidationError(cases.env._("A consultation is about one case only."))


def assign_by_choice(all_cases, choice):
    """Assign as the employee chose; without a choice (or "an external
    counsellor") by region and roster, as always. When the chosen counsellor
    (or every internal one) is absent or supports the other side, the
    coordinators get an assignment activity, as when a roster has nobody free."""
    if not choice:
        all_cases._vp_assign_by_roster()
        return
    appointments = all_cases.env["vp.counsellor.appointment"]
    escalate = all_cases.browse()
    excluded = all_cases._vp_other_side_counsellors()
    for case in all_cases.filtered(lambda case: not case.counsellor_id):
        if choice["user"]:
            candidates = choice["user"]
        elif choice["kind"] == "internal":
            # sudo: the organisation's internal counsellors, by their order; no content.
            candidates = (
                appointments.sudo()
                .search(
                    [("organisation_id", "=", case.organisation_id.id), ("kind", "=", "internal")],
                    order="sequence, id",
                )
                .user_id.filtered("active")
            )
        else:
            candidates = all_cases.env["res.users"]
        if not candidates:
            # "An external counsellor", or an internal one where the organisation has none
            # (the page offers both to every code, so it tells nobody which codes exist).
            case._vp_assign_by_roster()
            prefix = (
                all_cases.env._("The employee chose an external counsellor.")
                if choice["kind"] == "external"
                else all_cases.env._("The employee chose an internal counsellor; the organisation has none.")
            )
            case.assignment_note = f"{prefix} {case.assignment_note or ''}".strip()
            continue
        load = all_cases.env["vp.roster.line"]._vp_open_case_counts(candidates.ids)
        absent = all_cases._vp_absent_user_ids(candidates)
        ready = all_cases.env["vp.reader.key"]._vp_ready_user_ids(candidates.ids)
        free = [
            user
            for user in candidates
            if user.id not in absent and user.id not in excluded[case.id] and user.id in ready
        ]
        user = min(free, key=lambda user: load.get(user.id, 0), default=all_cases.env["res.users"])
        if choice["user"]:
            label = choice["user"].sudo().name  # sudo: the chosen counsellor's name, for the coordinator
            note = (
                all_cases.env._(
                    "Chosen by the employee: %(name)s, %(open)s open cases", name=label, open=load.get(user.id, 0)
                )
                if user
                else all_cases.env._(
                    "The employee chose %(name)s, who is absent, supports the other side or has no vault "
                    "passphrase yet: escalated to the coordinator.",
                    name=label,
                )
            )
        elif user:
            note = all_cases.env._(
                "The employee chose an internal counsellor: %(name)s, %(open)s open cases",
                name=user.sudo().name,  # sudo: the counsellor's name, for the coordinator
                open=load.get(user.id, 0),
            )
        else:
            note = all_cases.env._(
                "The employee chose an internal counsellor; none is available: escalated to the coordinator."
            )
        # The employee's choice is the third way a counsellor is assigned, beside the
        # roster and the coordinator's Reassign; it runs in the intake's system code.
        guards.open_guard(case, guards.COUNSELLOR_ASSIGNMENT).write({"counsellor_id": user.id, "assignment_note": note})
        if not user:
            escalate |= case
    escalate._vp_notify_coordinators("vertrouwenspersoon.mail_activity_type_vp_assign")


def absent_user_ids(case_model, users):
    """Ids of ``users`` with a leave running now (their resources' leaves)."""
    if not users:
        return set()
    now = fields.Datetime.now()
    # sudo: resources and leaves of other users; only whether one runs now is used.
    resources = case_model.env["resource.resource"].sudo().search([("user_id", "in", users.ids)])
    # sudo: as above, whether a leave runs now only.
    leaves = (
        case_model.env["resource.calendar.leaves"]
        .sudo()
        .search_fetch(
            [("resource_id", "in", resources.ids), ("date_from", "<=", now), ("date_to", ">=", now)],
            ["resource_id"],
        )
    )
    return set(leaves.resource_id.user_id.ids)
