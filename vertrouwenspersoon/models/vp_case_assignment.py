# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import re
import secrets
from collections import defaultdict
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError

from ..const import COORDINATOR, COUNSELLOR, INTAKE_LIMITS
from ..tools import guards
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
    }
)


class VpCase(models.Model):
    """Assignment of requests to counsellors by region and roster.

    Kept apart from vp_case.py because it is one concern, the coordinator's:
    the right counsellor within 48 hours. Postcode -> region -> first
    available counsellor on the region's roster; the ways in for requests
    (intake page, phone); the deadlines a request is held to and the
    scheduled job that follows them.

    Deadlines, dates and alerts are assignment data: the coordinator follows
    them without reading content. Whether the Wbk applies is derived from the
    kinds of behaviour (an integrity kind); the coordinator learns that it
    applies, because the law's deadlines must be followed, not which kind.
    """

    _inherit = "vp.case"

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

    @api.model_create_multi
    def create(self, vals_list):
        self._vp_check_no_derived_values(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        self._vp_check_no_derived_values([vals])
        return super().write(vals)

    # ------------------------------------------------------------------
    # Assignment by roster
    # ------------------------------------------------------------------
    def _vp_other_side_counsellors(self):
        """Per case, the counsellors supporting the other side of a linked case."""
        # sudo: links and counsellors only, nothing of either case's content.
        links = (
            self.env["vp.case.link"]
            .sudo()
            .search(["|", ("reporter_case_id", "in", self.ids), ("accused_case_id", "in", self.ids)])
        )
        excluded = defaultdict(set)
        for link in links:
            excluded[link.reporter_case_id.id].add(link.accused_case_id.counsellor_id.id)
            excluded[link.accused_case_id.id].add(link.reporter_case_id.counsellor_id.id)
        return excluded

    def _vp_other_side_readers(self):
        """Per case, everyone who holds the other side of a linked case: its
        counsellor and the backups of its handovers not ended."""
        # sudo: links, counsellors and handover recipients only, no content.
        links = (
            self.env["vp.case.link"]
            .sudo()
            .search(["|", ("reporter_case_id", "in", self.ids), ("accused_case_id", "in", self.ids)])
        )
        readers = defaultdict(set)
        for link in links:
            for mine, other in (
                (link.reporter_case_id, link.accused_case_id),
                (link.accused_case_id, link.reporter_case_id),
            ):
                readers[mine.id] |= set(other._vp_holder_user_ids())
        return readers

    def _vp_holder_user_ids(self):
        """The counsellor and the backups of handovers not ended (active or to come)."""
        self.ensure_one()
        # sudo: who holds the case, not what is in it.
        case = self.sudo()
        return case.counsellor_id.ids + case.handover_ids.filtered(lambda h: not h.ended).to_user_id.ids

    def _vp_assign_by_roster(self):
        """Give each unassigned request the first available counsellor of its
        region; escalate to the coordinators when nobody is available.

        A fixed number of queries for the choice, whatever the length of the
        rosters or the number of open cases (see tests/test_assignment.py).
        """
        # A request the duty counsellor holds is still to be placed on its region's roster.
        cases = self.filtered(lambda case: not case.counsellor_id or case.placed_on_duty)
        if not cases:
            return
        regions = self.env["vp.region"]
        # The stored region only: the postcode decides the region once, at
        # intake (_vp_register_request), and never again. The coordinator defines regions
        # and ranges and may call this at will, so a region looked up from the postcode
        # here would let them read the postcode back through regions they made for it.
        region_of = {case.id: case.region_id for case in cases}
        all_regions = regions.union(*region_of.values())
        lines = all_regions.roster_line_ids
        roster = self.env["vp.roster.line"]
        load = roster._vp_open_case_counts(lines.user_id.ids)
        absent = lines._vp_absent_user_ids()
        ready = self.env["vp.reader.key"]._vp_ready_user_ids(lines.user_id.ids)
        excluded = cases._vp_other_side_counsellors()
        escalate = self.browse()
        for case in cases:
            region = region_of[case.id]
            if region:
                user, note = region._vp_pick_counsellor(excluded[case.id], load=load, absent=absent, ready=ready)
            else:
                user = self.env["res.users"]
                note = self.env._("No region for this postcode or province: escalated to the coordinator.")
            if not user:
                escalate |= case
                if case.placed_on_duty:
                    # The duty counsellor keeps it: a request always has a reader.
                    continue
            # The roster is one of the ways a counsellor is assigned; the region was
            # decided at intake, never looked up again from the postcode.
            guards.open_guard(case, guards.COUNSELLOR_ASSIGNMENT).write(
                {"counsellor_id": user.id, "assignment_note": note}
            )
        escalate._vp_notify_coordinators("vertrouwenspersoon.mail_activity_type_vp_assign")
        (cases - escalate).filtered("placed_on_duty").placed_on_duty = False
        (cases - escalate)._vp_assign_todos_done()

    def _vp_place_on_duty(self):
        """Requests without a counsellor go to the duty roster, so that their
        content is sealed for a reader at once and never under a key the server
        holds. The coordinator keeps her to-do to assign a counsellor."""
        cases = self.filtered(lambda case: not case.counsellor_id)
        duty = self.env["vp.region"]._vp_duty_roster()
        if not cases or not duty:
            return self.browse()
        lines = duty.roster_line_ids
        load = self.env["vp.roster.line"]._vp_open_case_counts(lines.user_id.ids)
        absent = lines._vp_absent_user_ids()
        ready = self.env["vp.reader.key"]._vp_ready_user_ids(lines.user_id.ids)
        excluded = cases._vp_other_side_counsellors()
        placed = self.browse()
        for case in cases:
            user, note = duty._vp_pick_counsellor(
                excluded[case.id], load=load, absent=absent, ready=ready, last_resort=True
            )
            if not user:
                continue
            note = self.env._("Duty counsellor (%(why)s): %(note)s", why=case.assignment_note or "", note=note)
            # The duty roster is the roster of last resort (one of the ways a counsellor is assigned).
            guards.open_guard(case, guards.COUNSELLOR_ASSIGNMENT).write(
                {"counsellor_id": user.id, "assignment_note": note, "placed_on_duty": True}
            )
            placed |= case
        return placed

    @api.constrains("counsellor_id")
    def _check_counsellor_ready(self):
        """A counsellor gets no case before she holds a key pair: its content
        would have nobody to be sealed for."""
        if not self.pool.ready:
            # Data loaded from the server's files (an update of a database from before
            # reader-held keys): its counsellors choose their passphrases afterwards.
            return
        users = self.sudo().counsellor_id  # sudo: who the counsellors are, not what the cases hold
        ready = self.env["vp.reader.key"]._vp_ready_user_ids(users.ids)
        for case in self.sudo():  # sudo: as above
            if case.counsellor_id and case.counsellor_id.id not in ready:
                raise ValidationError(
                    self.env._(
                        "%(counsellor)s has no vault passphrase yet and gets no case until she has chosen one "
                        "(she is asked when she next opens the app).",
                        counsellor=case.counsellor_id.name,
                    )
                )

    def _vp_assign_todos_done(self):
        """The coordinators' to-dos of cases that now have a counsellor: "assign a counsellor"
        and "first contact required" escalated to them (it stayed after she
        assigned the case, so her counter never went down for work she had done; the new
        counsellor's own deadline and warnings follow the case)."""
        if not self:
            return
        first_contact = self.env.ref("vertrouwenspersoon.mail_activity_type_vp_first_contact")
        # sudo: activities of these types on these cases; they carry no content.
        self.env["mail.activity"].sudo().search(
            [
                ("res_model", "=", "vp.case"),
                ("res_id", "in", self.ids),
                "|",
                ("activity_type_id", "=", self.env.ref("vertrouwenspersoon.mail_activity_type_vp_assign").id),
                "&",
                ("activity_type_id", "=", first_contact.id),
                ("user_id.groups_id", "in", self.env.ref(COORDINATOR).ids),
            ]
        ).unlink()

    def _vp_notify_coordinators(self, activity_type_xmlid, deadlines=None):
        """One activity per case and coordinator: the type, the case number and a date."""
        if not self:
            return self.env["mail.activity"]
        coordinators = self.env.ref(COORDINATOR).sudo().users  # sudo: who the coordinators are
        return self._vp_schedule(activity_type_xmlid, {case.id: coordinators for case in self}, deadlines, once=True)

    def _vp_schedule(self, activity_type_xmlid, users_by_case, deadlines=None, once=False):
        """Activities without summary or note: rule 3 of the brief, and
        mail_activity.py refuses anything else on a case. With ``once``, a user
        who already has an open activity of this type on the case gets no second."""
        activity_type = self.env.ref(activity_type_xmlid)
        model_id = self.env["ir.model"]._get_id("vp.case")
        today = fields.Date.context_today(self)
        # Asking again (a second click on Assign by roster) adds no second
        # identical to-do; one open activity of a type per case and user is enough.
        # sudo: which of these cases already have such an activity, in one query.
        existing = set()
        if once:
            activities = self.env["mail.activity"].sudo()
            domain = [
                ("res_model", "=", "vp.case"),
                ("res_id", "in", self.ids),
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
            for case in self
            for user in users_by_case.get(case.id, ())
            if (case.id, user.id) not in existing
        ]
        # sudo: activities are written by the system (intake, scheduled job);
        # they carry a type, the case number (display name) and a date only.
        return self.env["mail.activity"].sudo().create(vals_list)

    def action_assign_by_roster(self):
        """Assign by roster and say what happened: who got the case,
        or, when nobody is free, why not and what the coordinator can do."""
        self._vp_assign_by_roster()
        if len(self) != 1:
            return True
        if self.counsellor_id and not self.placed_on_duty:
            message = self.env._(
                "%(case)s is assigned to %(counsellor)s.", case=self.name, counsellor=self.counsellor_id.name
            )
            kind = "success"
        else:
            message = self.env._(
                "Nobody on the roster can take %(case)s now: %(note)s Choose a counsellor with Assign to.",
                case=self.name,
                note=self.assignment_note or "",
            )
            kind = "warning"
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.env._("Assign by roster"),
                "message": message,
                "type": kind,
                "sticky": kind == "warning",
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

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

    # ------------------------------------------------------------------
    # Intake: the public page and the coordinator's phone registration
    # ------------------------------------------------------------------
    @api.model
    def _vp_register_request(
        self, organisation, postcode, channel, contact, notes=False, province=None, counsellor_choice=None, receipt=None
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
        unknown = organisation == self.env.ref(UNKNOWN_ORGANISATION, raise_if_not_found=False)
        # The request date is the moment the request arrives; the change log says how it came.
        registering = (
            self
            if guards.reason_of(self.env)
            else guards.with_reason(self, self.env._("Request received through the intake page"))
        )
        case = registering.create(
            {
                "intake_reference": new_intake_reference(),
                "organisation_id": organisation.id,
                "region_id": self.env["vp.region"]._vp_find(postcode, province).id,
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
            case.assignment_note = self.env._("Unknown organisation code")
            case._vp_notify_coordinators("vertrouwenspersoon.mail_activity_type_vp_assign")
        else:
            # Without a choice of the employee: by region and roster (vp_case_choice.py).
            case._vp_assign_by_choice(counsellor_choice)
        # Never sealed under a key the server holds: a request no roster placed goes to a reader.
        case._vp_place_on_duty()
        if receipt:
            # sudo: a receipt holds a hash, a salt and a public key; no group may touch it.
            self.env["vp.case.receipt"].sudo().create({**receipt, "case_id": case.id})
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

    @api.model
    def _vp_intake_limits(self):
        """Maximum length of each intake field, in characters."""
        return dict(INTAKE_LIMITS)

    @api.model
    def _vp_validate_intake(self, values, accept_unknown_code=False):
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
                    self.env._(
                        "%(field)s is too long: at most %(limit)s characters.",
                        field=self._vp_intake_labels()[key],
                        limit=limit,
                    )
                )
                raw[key] = ""
        clean = {}
        code = raw["organisation_code"].upper()
        # sudo: the public page has no access to organisations; only the
        # record with exactly this code is looked up.
        organisation = (
            self.env["vp.organisation"].sudo().search([("code", "=", code)], limit=1)
            if code
            else self.env["vp.organisation"]
        )
        if not organisation and code and accept_unknown_code:
            organisation = self.env.ref(UNKNOWN_ORGANISATION).sudo()  # sudo: the public page, as above
        if not organisation:
            errors.append(
                self.env._(
                    "We do not know this organisation code. Your employer's intranet or HR can tell you the code."
                )
                if code
                else self.env._(
                    "Enter the organisation code of your employer. Not sure? Type your employer's name: "
                    "the back office will find the right counsellor."
                )
            )
        clean["organisation"] = organisation
        clean["postcode"] = normalise_postcode(raw["postcode"])
        if not clean["postcode"]:
            errors.append(self.env._("Enter the four digits of the postcode where you live, for example 4811."))
        clean["province"] = raw["province"] or None
        channel = raw["preferred_channel"] or "phone"
        # The public page also offers the inbox alone (with the receipt code), for a
        # reporter who leaves no phone number or e-mail address.
        channels = [*INTAKE_CHANNELS, ("inbox", "")] if accept_unknown_code else INTAKE_CHANNELS
        if channel not in dict(channels):
            errors.append(self.env._("Choose how you want to be contacted: by phone or by e-mail."))
        clean["preferred_channel"] = channel
        email, phone = raw["employee_email"], raw["employee_phone"]
        if email and not EMAIL_RE.match(email):
            errors.append(self.env._("This e-mail address does not look right, for example name@example.nl."))
        if phone and not PHONE_RE.match(phone):
            errors.append(self.env._("This phone number does not look right, for example 06-12345678."))
        if not email and not phone and channel != "inbox":
            errors.append(self.env._("Leave a phone number or an e-mail address, so the counsellor can reach you."))
        elif channel == "phone" and not phone:
            errors.append(self.env._("You prefer a call: leave a phone number."))
        elif channel == "email" and not email:
            errors.append(self.env._("You prefer an e-mail: leave an e-mail address."))
        clean["contact"] = {
            "employee_name": raw["employee_name"],
            "employee_email": email,
            "employee_phone": phone,
        }
        clean["notes"] = self._vp_intake_notes(channel, raw["preferred_time"], raw["message"])
        return clean, errors

    @api.model
    def _vp_intake_labels(self):
        return {
            "organisation_code": self.env._("Organisation code"),
            "postcode": self.env._("Postcode"),
            "province": self.env._("Province"),
            "preferred_channel": self.env._("Preferred contact"),
            "preferred_time": self.env._("Preferred time"),
            "employee_name": self.env._("Name"),
            "employee_email": self.env._("E-mail"),
            "employee_phone": self.env._("Phone"),
            "message": self.env._("Message"),
        }

    @api.model
    def _vp_channel_labels(self):
        return {
            "phone": self.env._("Phone"),
            "email": self.env._("E-mail"),
            "inbox": self.env._("Only through the inbox, with the receipt code"),
        }

    @api.model
    def _vp_intake_notes(self, channel, preferred_time, message):
        """The request as the counsellor reads it first (stored encrypted)."""
        lines = [
            self.env._("Preferred contact: %(channel)s", channel=self._vp_channel_labels().get(channel, channel)),
        ]
        if preferred_time:
            lines.append(self.env._("Preferred time: %(time)s", time=preferred_time))
        if message:
            lines += ["", message]
        return "\n".join(lines)

    # ------------------------------------------------------------------
    # Deadlines
    # ------------------------------------------------------------------
    @api.depends("behaviour_kind_ids.category")
    def _compute_is_wbk(self):
        for case in self:
            case.is_wbk = "integrity" in case.behaviour_kind_ids.mapped("category")

    @api.depends("request_date", "is_wbk", "wbk_acknowledged_on")
    def _compute_deadlines(self):
        for case in self:
            request_date = case.request_date
            case.first_contact_deadline = request_date and request_date + FIRST_CONTACT_DELAY
            if case.is_wbk and request_date:
                case.wbk_ack_deadline = request_date + WBK_ACK_DELAY
                case.wbk_feedback_deadline = (case.wbk_acknowledged_on or case.wbk_ack_deadline) + WBK_FEEDBACK_DELAY
            else:
                case.wbk_ack_deadline = case.wbk_feedback_deadline = False

    @api.depends(
        "first_contact_date",
        "first_contact_deadline",
        "wbk_acknowledged_on",
        "wbk_ack_deadline",
        "wbk_feedback_on",
        "wbk_feedback_deadline",
    )
    def _compute_in_time(self):
        for case in self:
            for _key, deadline, done, _alert, in_time, _warn, _type in DEADLINES:
                case[in_time] = bool(case[done] and case[deadline] and case[done] <= case[deadline])

    def action_wbk_acknowledged(self):
        """The reporter's report was acknowledged outside the inbox (by phone, by
        letter): recorded now, by a reader of the case, never backdated."""
        self._vp_record_work_date(
            "wbk_acknowledged_on", self.env._("Acknowledged outside the inbox, recorded by the counsellor")
        )

    def action_wbk_feedback_given(self):
        """Feedback was given outside the inbox: recorded now, by a reader of the case."""
        self._vp_record_work_date(
            "wbk_feedback_on", self.env._("Feedback given outside the inbox, recorded by the counsellor")
        )

    # ------------------------------------------------------------------
    # The scheduled job
    # ------------------------------------------------------------------
    @api.model
    def _cron_check_deadlines(self):
        """Warn the counsellor before a deadline passes; once it has passed,
        escalate to the coordinators and, for the first contact, hand the
        case over to the counsellor's backup on the region's roster.

        Each case is warned once and escalated once per deadline (the alert
        fields), so running the job more often sends nothing twice.
        """
        now = fields.Datetime.now()
        for key, deadline, done, alert, _in_time, warn_before, activity_type in DEADLINES:
            base = [(deadline, "!=", False), (done, "=", False), ("state", "!=", "closed"), ("shredded_on", "=", False)]
            to_warn = self.search(
                [*base, (alert, "=", False), (deadline, ">", now), (deadline, "<=", now + warn_before)]
            )
            to_warn._vp_warn_counsellor(deadline, alert, activity_type)
            overdue = self.search([*base, (alert, "!=", "escalated"), (deadline, "<=", now)])
            overdue._vp_escalate(key, deadline, alert, activity_type)

    def _vp_deadline_dates(self, deadline):
        return {case.id: fields.Date.context_today(case, case[deadline]) for case in self}

    def _vp_warn_counsellor(self, deadline, alert, activity_type):
        cases = self.filtered("counsellor_id")
        cases._vp_schedule(
            activity_type,
            {case.id: case.counsellor_id for case in cases},
            cases._vp_deadline_dates(deadline),
        )
        self.write({alert: "warned"})

    def _vp_escalate(self, key, deadline, alert, activity_type):
        if not self:
            return
        dates = self._vp_deadline_dates(deadline)
        users_by_case = {case.id: self.env["res.users"] for case in self}
        if key == "first_contact":
            backups = self._vp_hand_over_to_backups()
            for case_id, backup in backups.items():
                users_by_case[case_id] |= backup
        coordinators = self.env.ref(COORDINATOR).sudo().users  # sudo: user ids only
        for case_id in users_by_case:
            users_by_case[case_id] |= coordinators
        self._vp_schedule(activity_type, users_by_case, dates)
        self.write({alert: "escalated"})

    def _vp_hand_over_to_backups(self):
        """Hand each case to the backup of its counsellor on its region's
        roster, so someone who may read the contact details makes contact.
        Returns {case id: backup user}."""
        lines = self.env["vp.roster.line"].search(
            [("region_id", "in", self.region_id.ids), ("user_id", "in", self.counsellor_id.ids)]
        )
        backup_of = {(line.region_id.id, line.user_id.id): line.backup_user_id for line in lines}
        absent = self._vp_absent_backups(lines) if lines.backup_user_id else set()
        # sudo: handovers are the coordinator's; reads who is on them only.
        active = self.sudo().handover_ids.filtered("is_active")
        handed = {(handover.case_id.id, handover.to_user_id.id) for handover in active}
        other_side = self._vp_other_side_readers()
        counsellor_group = self.env.ref(COUNSELLOR)
        vals_list, result = [], {}
        for case in self:
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
        self.env["vp.case.handover"].sudo().create(vals_list)
        return result

    def _vp_absent_backups(self, lines):
        backup_lines = self.env["vp.roster.line"].search([("user_id", "in", lines.backup_user_id.ids)])
        return backup_lines._vp_absent_user_ids()
