# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64
import datetime
import io
import re
import zipfile

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools.misc import format_date, format_datetime

from ..const import DUTCH_TZ


class VpGdprExport(models.TransientModel):
    """Everything held on one employee (AVG art. 15), for their counsellor.

    The employee is found by the e-mail address or name on the chosen case,
    among the cases this counsellor may read. The ZIP is built in memory and
    streamed by the controller: no copy of the content is stored anywhere.
    """

    _name = "vp.gdpr.export"
    _description = "Export of an employee's data"
    _inherit = ["vp.write.checked.mixin", "vp.field.access.mixin"]

    _vp_create_only_fields = ("case_id",)

    case_id = fields.Many2one("vp.case", required=True, ondelete="cascade")
    matched_case_ids = fields.Many2many("vp.case", compute="_compute_matched_case_ids", string="Cases included")

    @api.model_create_multi
    def create(self, vals_list):
        # An export is started on a case the user may read: the record rule
        # only ties it to its creator, not to the case.
        exports = super().create(vals_list)
        for export in exports:
            case = export.case_id
            if case not in case._vp_may_read_content():
                case._vp_deny()
        return exports

    @api.depends("case_id")
    def _compute_matched_case_ids(self):
        for wizard in self:
            wizard.matched_case_ids = wizard._vp_employee_cases()

    def _vp_employee_cases(self):
        """The reader's cases about the same employee (same e-mail, or same name when no e-mail)."""
        self.ensure_one()
        case = self.case_id
        if case not in case._vp_may_read_content():
            case._vp_deny()
        email = (case.employee_email or "").strip().lower()
        name = (case.employee_name or "").strip().lower()
        if not email and not name:
            return case
        candidates = self.env["vp.case"].search([("organisation_id", "=", case.organisation_id.id)])
        candidates = candidates._vp_may_read_content()
        return candidates.filtered(
            lambda other: (
                (email and (other.employee_email or "").strip().lower() == email)
                or (not email and name and (other.employee_name or "").strip().lower() == name)
            )
        )

    def action_download(self):
        self.ensure_one()
        self._vp_employee_cases()  # checks access before handing out a link
        return {
            "type": "ir.actions.act_url",
            "url": f"/vertrouwenspersoon/gdpr-export/{self.id}",
            "target": "self",
        }

    def _vp_build_zip(self):
        """Return (file name, ZIP bytes) for the employee of this export."""
        self.ensure_one()
        cases = self._vp_employee_cases()
        if not cases:
            raise UserError(self.env._("Nothing is held on this employee."))
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for case in cases:
                archive.writestr(f"{case.name}/{self.env._('case')}.txt", self._vp_case_text(case))
                for document in case.document_ids:
                    file_name = re.sub(r"[\\/]", "_", document.name or str(document.id))
                    archive.writestr(
                        f"{case.name}/{self.env._('documents')}/{file_name}", base64.b64decode(document.data or b"")
                    )
        self.env["vp.audit.log"]._log(cases, "export")
        return f"{self.env._('employee data')} {self.case_id.name}.zip", buffer.getvalue()

    def _vp_when(self, value):
        """Dates and times as the employee reads them, in Dutch time
        (the case's organisation is Dutch), without seconds."""
        if not value:
            return ""
        if isinstance(value, datetime.datetime):
            return format_datetime(self.env, value, tz=DUTCH_TZ.zone, dt_format="dd-MM-yyyy HH:mm")
        return format_date(self.env, value, date_format="dd-MM-yyyy")

    def _vp_case_text(self, case):
        selection = self._vp_selection_label
        when = self._vp_when
        lines = [
            f"{self.env._('Case')}: {case.name}",
            f"{self.env._('Client organisation')}: {case.organisation_id.name}",
            f"{self.env._('Request date')}: {when(case.request_date)}",
            f"{self.env._('First contact')}: {when(case.first_contact_date)}",
            f"{self.env._('Closed on')}: {when(case.close_date)}",
            f"{self.env._('Status')}: {selection(case, 'state')}",
            f"{self.env._('Side')}: {selection(case, 'side')}",
            f"{self.env._('Kinds of behaviour')}: {', '.join(case.behaviour_kind_ids.mapped('name'))}",
            f"{self.env._('Routes taken')}: {', '.join(case.route_ids.mapped('name'))}",
            "",
            f"{self.env._('Name')}: {case.employee_name or ''}",
            f"{self.env._('E-mail')}: {case.employee_email or ''}",
            f"{self.env._('Phone')}: {case.employee_phone or ''}",
            f"{self.env._('Postcode of residence')}: {case.postcode or ''}",
            "",
            f"{self.env._('The request as it came in')}:",
            case.intake_message or "",
            "",
            f"{self.env._('Notes')}:",
            case.notes or "",
            "",
            f"{self.env._('Meetings')}:",
        ]
        for meeting in case.meeting_ids:
            lines.append(
                f"- {when(meeting.meeting_date)}, {meeting.duration:.2f} h, "
                f"{selection(meeting, 'channel')}, {meeting.place or ''}"
                + (f"\n  {meeting.note}" if meeting.note else "")
            )
        lines += ["", f"{self.env._('Consent')}:"]
        for consent in case.consent_ids:
            lines.append(
                f"- {selection(consent, 'level')}, {when(consent.given_on)}, {selection(consent, 'given_how')}"
                + (f", {self.env._('withdrawn on')} {when(consent.withdrawn_on)}" if consent.withdrawn_on else "")
                + (f"\n  {consent.approved_summary}" if consent.approved_summary else "")
            )
        lines += ["", f"{self.env._('Notices to HR')}:"]
        for notice in case.notice_ids:
            lines.append(
                f"- {notice.name}, {selection(notice, 'level')}, {selection(notice, 'state')}, "
                f"{when(notice.sent_on)}"
                + (f"\n  {notice.employee_name}" if notice.employee_name else "")
                + (f"\n  {notice.summary}" if notice.summary else "")
            )
        # The messages with the reporter in the inbox are theirs too.
        lines += ["", f"{self.env._('Messages in the inbox')}:"]
        for message in case.reporter_message_ids.sorted("sent_on"):
            lines.append(
                f"- {when(message.sent_on)}, {selection(message, 'author')}: {message.body or ''}"
                + (f"\n  {self.env._('File')}: {message.file_name}" if message.file_name else "")
            )
        lines += ["", f"{self.env._('Hours logged')}:"]
        for line in self.env["account.analytic.line"].search([("vp_case_id", "=", case.id)], order="date"):
            lines.append(
                f"- {when(line.date)}, {line.unit_amount:.2f} h, {line.name}"
                + (f": {line.vp_note}" if line.vp_note else "")
            )
        lines += ["", f"{self.env._('Referrals')}:"]
        for referral in case.referral_ids:
            lines.append(f"- {selection(referral, 'destination')}, {when(referral.referral_date)}")
        return "\n".join(lines) + "\n"

    def _vp_selection_label(self, record, field_name):
        return dict(record._fields[field_name]._description_selection(self.env)).get(record[field_name], "")
