# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class VpCaseMeeting(models.Model):
    """A meeting with the employee. Date, duration and channel are counted in
    the annual report; the place is content and stored encrypted."""

    _name = "vp.case.meeting"
    _description = "Case meeting"
    _inherit = ["vp.encrypted.mixin", "vp.write.checked.mixin"]
    _order = "meeting_date desc, id desc"
    _rec_name = "meeting_date"

    _vp_create_only_fields = ("case_id",)

    _vp_encrypted_fields = {"place": "place_ciphertext"}

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

    def _vp_case(self):
        return self.case_id

    @api.constrains("duration")
    def _check_duration(self):
        if any(meeting.duration < 0 or meeting.duration > 24 for meeting in self):
            raise ValidationError(self.env._("A meeting lasts between 0 and 24 hours."))
