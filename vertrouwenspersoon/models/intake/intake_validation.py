# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Intake validation: what an employee (on the public page) or the coordinator (on the
phone) entered, checked and normalised before a request is registered, and the
employee's choice of counsellor. Plain functions over the ``vp.case`` model; the
model keeps thin methods that call them.
"""

import re
import secrets

from ...const import INTAKE_LIMITS
from .vp_region_postcode_range import normalise_postcode

INTAKE_CHANNELS = [("phone", "Phone"), ("email", "E-mail")]

EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

# Control characters (NUL included, which PostgreSQL refuses) are dropped;
# tabs and line breaks stay.
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

PHONE_RE = re.compile(r"^\+?[0-9][0-9 ()-]{5,24}$")

# The reference the employee gets: random, so two of them tell nothing
# about how many requests came in between; no 0/O or 1/I to misread on the phone.
REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"

UNKNOWN_ORGANISATION = "vertrouwenspersoon.organisation_unknown"


def new_intake_reference():
    code = "".join(secrets.choice(REFERENCE_ALPHABET) for _index in range(8))
    return f"{code[:4]}-{code[4:]}"


CHOICE_KINDS = ("external", "internal")


def intake_limits(case_model):
    """Maximum length of each intake field, in characters."""
    return dict(INTAKE_LIMITS)


def validate_intake(case_model, values, accept_unknown_code=False):
    """Check what an employee (or the coordinator on the phone) entered.

    Returns (clean, errors): ``clean`` holds the organisation record and
    normalised values, ``errors`` clear messages for the person entering
    them. Nothing is looked up beyond the organisation code.

    ``accept_unknown_code`` (the public page): a code that names no
    organisation is no error, so the page cannot be used to find out which
    organisations are clients; the request goes to the "unknown
    organisation" for the coordinator to sort out.
    """
    errors = []
    raw = {key: CONTROL_RE.sub("", values.get(key) or "").strip() for key in INTAKE_LIMITS}
    for key, limit in INTAKE_LIMITS.items():
        if len(raw[key]) > limit:
            errors.append(
                case_model.env._(
                    "%(field)s is too long: at most %(limit)s characters.",
                    field=case_model._vp_intake_labels()[key],
                    limit=limit,
                )
            )
            raw[key] = ""
    clean = {}
    code = raw["organisation_code"].upper()
    # sudo: the public page has no access to organisations; only the
    # record with exactly this code is looked up.
    organisation = (
        case_model.env["vp.organisation"].sudo().search([("code", "=", code)], limit=1)
        if code
        else case_model.env["vp.organisation"]
    )
    if not organisation and code and accept_unknown_code:
        organisation = case_model.env.ref(UNKNOWN_ORGANISATION).sudo()  # sudo: the public page, as above
    if not organisation:
        errors.append(
            case_model.env._(
                "We do not know this organisation code. Your employer's intranet or HR can tell you the code."
            )
            if code
            else case_model.env._(
                "Enter the organisation code of your employer. Not sure? Type your employer's name: "
                "the back office will find the right counsellor."
            )
        )
    clean["organisation"] = organisation
    clean["postcode"] = normalise_postcode(raw["postcode"])
    if not clean["postcode"]:
        errors.append(case_model.env._("Enter the four digits of the postcode where you live, for example 4811."))
    clean["province"] = raw["province"] or None
    channel = raw["preferred_channel"] or "phone"
    # The public page also offers the inbox alone (with the receipt code), for a
    # reporter who leaves no phone number or e-mail address.
    channels = [*INTAKE_CHANNELS, ("inbox", "")] if accept_unknown_code else INTAKE_CHANNELS
    if channel not in dict(channels):
        errors.append(case_model.env._("Choose how you want to be contacted: by phone or by e-mail."))
    clean["preferred_channel"] = channel
    email, phone = raw["employee_email"], raw["employee_phone"]
    if email and not EMAIL_RE.match(email):
        errors.append(case_model.env._("This e-mail address does not look right, for example name@example.nl."))
    if phone and not PHONE_RE.match(phone):
        errors.append(case_model.env._("This phone number does not look right, for example 06-12345678."))
    if not email and not phone and channel != "inbox":
        errors.append(case_model.env._("Leave a phone number or an e-mail address, so the counsellor can reach you."))
    elif channel == "phone" and not phone:
        errors.append(case_model.env._("You prefer a call: leave a phone number."))
    elif channel == "email" and not email:
        errors.append(case_model.env._("You prefer an e-mail: leave an e-mail address."))
    clean["contact"] = {
        "employee_name": raw["employee_name"],
        "employee_email": email,
        "employee_phone": phone,
    }
    clean["notes"] = case_model._vp_intake_notes(channel, raw["preferred_time"], raw["message"])
    return clean, errors


def intake_labels(case_model):
    return {
        "organisation_code": case_model.env._("Organisation code"),
        "postcode": case_model.env._("Postcode"),
        "province": case_model.env._("Province"),
        "preferred_channel": case_model.env._("Preferred contact"),
        "preferred_time": case_model.env._("Preferred time"),
        "employee_name": case_model.env._("Name"),
        "employee_email": case_model.env._("E-mail"),
        "employee_phone": case_model.env._("Phone"),
        "message": case_model.env._("Message"),
    }


def channel_labels(case_model):
    return {
        "phone": case_model.env._("Phone"),
        "email": case_model.env._("E-mail"),
        "inbox": case_model.env._("Only through the inbox, with the receipt code"),
    }


def intake_notes(case_model, channel, preferred_time, message):
    """The request as the counsellor reads it first (stored encrypted)."""
    lines = [
        case_model.env._(
            "Preferred contact: %(channel)s", channel=case_model._vp_channel_labels().get(channel, channel)
        ),
    ]
    if preferred_time:
        lines.append(case_model.env._("Preferred time: %(time)s", time=preferred_time))
    if message:
        lines += ["", message]
    return "\n".join(lines)


# ------------------------------------------------------------------
# The employee's choice at intake
# ------------------------------------------------------------------
def validate_counsellor_choice(case_model, organisation, raw):
    """What the employee chose: (choice, errors). ``raw`` is "", "external",
    "internal" or the id of one of the organisation's appointments named on
    the intake page. Anything else (another organisation's counsellor, a
    made-up id) is an error, the same for every wrong value."""
    raw = raw.strip() if isinstance(raw, str) else ""
    if not raw:
        return None, []
    if raw in CHOICE_KINDS:
        return {"kind": raw, "user": case_model.env["res.users"]}, []
    if raw.isdigit() and len(raw) <= 9 and organisation:
        # sudo: the public page; only this organisation's appointments named on the page count.
        appointment = (
            case_model.env["vp.counsellor.appointment"]
            .sudo()
            .search(
                [
                    ("id", "=", int(raw)),
                    ("organisation_id", "=", organisation.id),
                    ("show_on_intake", "=", True),
                    ("user_id.active", "=", True),
                ],
                limit=1,
            )
        )
        if appointment:
            return {"kind": appointment.kind, "user": appointment.user_id}, []
    return None, [
        case_model.env._(
            "The counsellor you chose is not one of your organisation's counsellors. Choose again from the "
            "list, or leave the choice to us."
        )
    ]
