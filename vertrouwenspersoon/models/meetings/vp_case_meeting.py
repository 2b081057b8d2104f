# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import format_datetime

from ...const import COUNSELLOR
from ...tools import guards

# What a meeting's own hours are logged as: the time types of account_analytic_line
# that a meeting can be (travel is logged beside it, prevention work is not a case's).
MEETING_TIME_TYPES = [
    ("meeting", "Meeting"),
    ("intake", "Intake"),
    ("contact", "Phone or e-mail"),
    ("cancelled_client", "Cancelled by the client organisation"),
    ("cancelled_counsellor", "Cancelled by the counsellor"),
]
# Changes of a meeting that change its hours.
HOURS_FIELDS = {"meeting_date", "duration", "time_type", "travel_hours", "log_hours", "case_id"}
# A meeting of these time types did not take place: it is no contact with the employee.
CANCELLED_TIME_TYPES = ("cancelled_client", "cancelled_counsellor")


class VpCaseMeeting(models.Model):
    """A meeting with the employee. Date, duration and channel are counted in
    the annual report; the place and the notes of the meeting are content and
    stored encrypted.

    A meeting logs its own hours (no second entry under
    My hours): with *Log hours* on, saving it creates the timesheet line of its
    duration, as the chosen time type (a meeting the client organisation
    cancelled is billed at half, one the counsellor cancelled not at all), and a
    separate travel line that is never billed. Changing the meeting changes its
    lines, deleting it deletes them; a billed or closed month refuses both, with
    the timesheet's own message. The lines are ordinary counsellor hours: their
    description is the time type, never anything of the meeting.
    """

    _name = "vp.case.meeting"
    _description = "Case meeting"
    _inherit = ["vp.encrypted.mixin", "vp.write.checked.mixin", "vp.field.access.mixin"]
    # Frozen once the case is erased (vp.write.checked.mixin).
    _vp_frozen_when_shredded = True
    _order = "meeting_date desc, id desc"
    _rec_name = "meeting_date"

    _vp_create_only_fields = ("case_id",)

    _vp_encrypted_fields = {"place": "place_ciphertext", "note": "note_ciphertext"}

    case_id = fields.Many2one("vp.case", required=True, ondelete="cascade", index=True)
    meeting_date = fields.Datetime(string="Date", required=True, default=fields.Datetime.now)
    duration = fields.Float(string="Duration (hours)", default=1.0)
    channel = fields.Selection(
        [("in_person", "In person"), ("phone", "Phone"), ("video", "Video")],
        required=True,
        default="in_person",
    )
    place = fields.Char(compute="_compute_vp_plaintext", inverse="_inverse_vp_plaintext")
    place_ciphertext = fields.Text(groups="base.group_system", copy=False, prefetch=False)
    # What was discussed in this meeting, so the meetings are the case's
    # timeline ("what did we discuss on 12 May"); content, stored encrypted like the place.
    note = fields.Text(string="What was discussed", compute="_compute_vp_plaintext", inverse="_inverse_vp_plaintext")
    note_ciphertext = fields.Text(groups="base.group_system", copy=False, prefetch=False)
    # Off by default for code and imports (the demo's meetings have hours of their own);
    # the case form turns it on, so a counsellor logs a meeting and its hours in one step.
    log_hours = fields.Boolean(
        help="Saving the meeting logs its duration (and travel) as your hours on this case.",
    )
    time_type = fields.Selection(
        MEETING_TIME_TYPES,
        string="Hours as",
        default="meeting",
        # Not required in the database: meetings written there directly (migrations,
        # the report-count tests) have none, and count as a meeting.
        help="A meeting the client organisation cancelled is billed at half the rate, "
        "one the counsellor cancelled is not billed.",
    )
    travel_hours = fields.Float(string="Travel (hours)", help="Logged as travel, which is never billed.")
    timesheet_ids = fields.One2many("account.analytic.line", "vp_meeting_id", string="Hours", groups=COUNSELLOR)

    @api.depends("meeting_date")
    def _compute_display_name(self):
        # In the user's time zone and format, without seconds (My hours showed
        # "2026-12-06 21:04:21", the UTC value of the stored datetime).
        for meeting in self:
            meeting.display_name = (
                format_datetime(self.env, meeting.meeting_date, dt_format="short") if meeting.meeting_date else ""
            )

    def _vp_case(self):
        return self.case_id

    @api.constrains("duration", "travel_hours")
    def _check_duration(self):
        if any(meeting.duration < 0 or meeting.duration > 24 for meeting in self):
            raise ValidationError(self.env._("A meeting lasts between 0 and 24 hours."))
        if any(meeting.travel_hours < 0 or meeting.travel_hours > 24 for meeting in self):
            raise ValidationError(self.env._("Travel for a meeting takes between 0 and 24 hours."))

    @api.model_create_multi
    def create(self, vals_list):
        meetings = super().create(vals_list)
        meetings.filtered("log_hours")._vp_sync_hours()
        meetings._vp_note_first_contact()
        return meetings

    def write(self, vals):
        res = super().write(vals)
        # Shredding moves meeting dates to the first of their month and does the same to
        # their lines in one statement of its own (billed lines included).
        if HOURS_FIELDS & set(vals) and not guards.is_open(self.env, guards.SHREDDING):
            self._vp_sync_hours()
            if {"meeting_date", "time_type"} & set(vals):
                self._vp_note_first_contact()
        return res

    def _vp_note_first_contact(self):
        """The first meeting held is the case's first contact, when nothing came before
        (a meeting planned for later, or cancelled, is none)."""
        moments = {}
        for meeting in self:
            if (meeting.time_type or "meeting") in CANCELLED_TIME_TYPES or not meeting.meeting_date:
                continue
            case_id = meeting.case_id.id
            moments[case_id] = min(moments.get(case_id) or meeting.meeting_date, meeting.meeting_date)
        if moments:
            self.env["vp.case"]._vp_note_first_contact(moments, self.env._("First meeting with the employee"))

    def unlink(self):
        # sudo: the meeting's own lines, which go with it (refused in a billed or closed month).
        self.sudo().timesheet_ids.unlink()
        return super().unlink()

    def _vp_hours_wanted(self):
        """{time type: hours} this meeting should have as timesheet lines."""
        self.ensure_one()
        if not self.log_hours:
            return {}
        wanted = {self.time_type or "meeting": self.duration, "travel": self.travel_hours}
        return {time_type: hours for time_type, hours in wanted.items() if hours}

    def _vp_sync_hours(self):
        """Create, change or delete the meeting's timesheet lines to match it."""
        Line = self.env["account.analytic.line"]
        to_create = []
        for meeting in self:
            # sudo: the meeting's own lines, whoever of its readers logged them; the
            # line's checks (billed, month closed) still apply.
            lines = meeting.sudo().timesheet_ids
            wanted = meeting._vp_hours_wanted()
            day = fields.Date.context_today(meeting, meeting.meeting_date)
            travel = lines.filtered(lambda line: line.vp_time_type == "travel")[:1]
            own = (lines - travel)[:1]
            for line, time_type in ((own, meeting.time_type or "meeting"), (travel, "travel")):
                hours = wanted.get(time_type)
                if line and not hours:
                    line.unlink()
                elif line:
                    changes = {"vp_time_type": time_type, "unit_amount": hours, "date": day}
                    changes = {key: value for key, value in changes.items() if line[key] != value}
                    if changes:
                        line.write(changes)
                elif hours:
                    to_create.append(
                        {
                            "vp_meeting_id": meeting.id,
                            "vp_case_id": meeting.case_id.id,
                            "vp_time_type": time_type,
                            "unit_amount": hours,
                            "date": day,
                        }
                    )
            (lines - own - travel).unlink()
        if to_create:
            Line.create(to_create)
