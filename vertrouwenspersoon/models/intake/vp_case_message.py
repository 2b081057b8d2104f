# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64
import logging

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ...const import MAX_BODY, MAX_FILE_BYTES, MAX_FILE_NAME
from ...tools import guards
from .intake_validation import CONTROL_RE

_logger = logging.getLogger(__name__)

# Only the inbox (the reporter holding the receipt code) writes the reporter's side.
REPORTER_MESSAGE = guards.Guard("reporter's message through the inbox")


class VpCaseMessage(models.Model):
    """A message between the counsellor and the reporter of a case, read by
    the reporter in the inbox with their receipt code.

    Body and file are content: sealed under the case's data key (vp.encrypted.mixin),
    which is granted to the case's readers and to the reporter's receipt code.
    The counsellor writes messages in the case; the reporter's replies come
    only through the inbox (REPORTER_MESSAGE). A message sent is never changed
    or deleted by anyone (the reporter may have read it); shredding the case
    removes them all.
    """

    _name = "vp.case.message"
    _description = "Message with the reporter"
    _inherit = ["vp.encrypted.mixin", "vp.field.access.mixin"]
    _order = "sent_on, id"
    _rec_name = "sent_on"

    _vp_encrypted_fields = {
        "body": "body_ciphertext",
        "file_name": "file_name_ciphertext",
        "file_data": "file_data_ciphertext",
    }

    case_id = fields.Many2one("vp.case", required=True, ondelete="cascade", index=True, readonly=True)
    author = fields.Selection(
        [("counsellor", "Counsellor"), ("reporter", "Reporter")], default="counsellor", required=True, readonly=True
    )
    sent_on = fields.Datetime(default=fields.Datetime.now, required=True, readonly=True)
    is_acknowledgement = fields.Boolean(
        string="Wbk acknowledgement",
        help="This message acknowledges receipt of the report (Whistleblowers Protection Act): it stops the "
        "7-day clock.",
    )
    is_feedback = fields.Boolean(
        string="Wbk feedback",
        help="This message gives the reporter feedback on the follow-up of the report: it stops the 3-month clock.",
    )
    signed = fields.Boolean(
        string="Sign with my name", help="Show your name with this message; otherwise it reads 'your counsellor'."
    )
    read_by_reporter = fields.Boolean(readonly=True, copy=False)

    body = fields.Text(compute="_compute_vp_plaintext", inverse="_inverse_vp_plaintext")
    file_name = fields.Char(compute="_compute_vp_plaintext", inverse="_inverse_vp_plaintext")
    # The file as base64 text, sealed like the body.
    file_data = fields.Text(compute="_compute_vp_plaintext", inverse="_inverse_vp_plaintext")
    body_ciphertext = fields.Text(groups="base.group_system", copy=False, prefetch=False)
    file_name_ciphertext = fields.Text(groups="base.group_system", copy=False, prefetch=False)
    file_data_ciphertext = fields.Text(groups="base.group_system", copy=False, prefetch=False)

    def _vp_case(self):
        return self.case_id

    def init(self):
        # A sealed file is megabytes of random-looking text: PostgreSQL's compression
        # would try it on every insert and gain nothing. Stored as it is, a 2 MB photo
        # costs an intake about 70 ms less (docs/BENCHMARKS.md).
        self.env.cr.execute("ALTER TABLE vp_case_message ALTER COLUMN file_data_ciphertext SET STORAGE EXTERNAL")

    # ------------------------------------------------------------------
    # The counsellor's side: create only, never change
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        from_inbox = guards.is_open(self.env, REPORTER_MESSAGE)
        for vals in vals_list:
            if not from_inbox:
                # What the system decides, never a client: who wrote it and when.
                vals.update(author="counsellor", sent_on=fields.Datetime.now(), read_by_reporter=False)
                if not (vals.get("body") or "").strip():
                    raise ValidationError(self.env._("Write a message to the reporter first."))
                if len(vals["body"]) > MAX_BODY:
                    raise ValidationError(self.env._("A message holds at most %(limit)s characters.", limit=MAX_BODY))
                if vals.get("file_data"):
                    # The counsellor's file leaves without its hidden information (author, device, place).
                    cleaned = self.env["vp.file.cleaner"]._vp_clean_for_counsellor(
                        vals.get("file_name") or "", base64.b64decode(vals["file_data"])
                    )
                    vals["file_data"] = base64.b64encode(cleaned).decode()
        messages = super().create(vals_list)
        # sudo: whether the cases have a receipt code, nothing of it
        with_receipt = self.env["vp.case.receipt"].sudo().search([("case_id", "in", messages.case_id.ids)]).case_id
        if messages.case_id - with_receipt:
            raise ValidationError(
                self.env._("This reporter has no receipt code, so they cannot read messages: contact them another way.")
            )
        if not from_inbox:
            messages._vp_after_counsellor_message()
        return messages

    def write(self, vals):
        # The inverse of the sealed fields writes ciphertext with sudo(); the
        # inbox marks messages read. Nothing else changes a sent message.
        if not self.env.su:
            raise AccessError(self.env._("A message that was sent cannot be changed."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_by_the_system(self):
        if not self.env.su:
            raise AccessError(self.env._("A message that was sent cannot be deleted; erasing the case removes it."))

    def _vp_after_counsellor_message(self):
        """The first message to the reporter is the first contact when nothing came
        before; the Wbk clocks stop on the message that acknowledges or gives
        feedback (the only ways those dates are set by a message, at the moment it
        is sent, and logged); the reporter gets the e-mail they asked for."""
        self.env["vp.case"]._vp_note_first_contact(
            {message.case_id.id: message.sent_on for message in self}, self.env._("First message to the reporter")
        )
        for message in self:
            for flag, field_name, reason in (
                ("is_acknowledgement", "wbk_acknowledged_on", self.env._("Acknowledging message to the reporter")),
                ("is_feedback", "wbk_feedback_on", self.env._("Feedback message to the reporter")),
            ):
                case = message.case_id
                if message[flag] and not case[field_name]:
                    guards.open_guard(guards.with_reason(case, reason), guards.CASE_DATES).write(
                        {field_name: message.sent_on}
                    )
        self.case_id._vp_notify_reporter()

    def action_download_file(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_url",
            "url": f"/vertrouwenspersoon/message/{self.id}/file",
            "target": "self",
        }

    # ------------------------------------------------------------------
    # The reporter's side (the inbox, with the data key from the receipt code)
    # ------------------------------------------------------------------
    @api.model
    def _vp_thread(self, case, data_key):
        """The thread of ``case`` as the reporter reads it, decrypted with the
        data key opened from their receipt code (not through the ORM's
        reader check: the reporter is no user)."""
        # sudo: ciphertext of this case's messages, opened with the reporter's key only.
        messages = self.sudo().search([("case_id", "=", case.id)])
        messages.fetch(["author", "sent_on", "signed", "create_uid", *self._vp_encrypted_fields.values()])
        thread = []
        for message in messages:
            plain = {}
            for name, cipher in self._vp_encrypted_fields.items():
                token = message[cipher]
                plain[name] = message._vp_open_value(data_key, name, token).decode() if token else ""
            thread.append(
                {
                    "id": message.id,
                    "author": message.author,
                    "sent_on": message.sent_on,
                    "body": plain["body"],
                    "file_name": plain["file_name"],
                    "has_file": bool(plain["file_data"]),
                    "signature": message.create_uid.name if message.author == "counsellor" and message.signed else "",
                }
            )
        unread = messages.filtered(lambda m: m.author == "counsellor" and not m.read_by_reporter)
        if unread:
            unread.write({"read_by_reporter": True})
        return thread

    @api.model
    def _vp_file(self, case, data_key, message_id):
        """(name, bytes) of a file in the thread of ``case``, or None."""
        # sudo: a message of this case only, opened with the reporter's key.
        message = self.sudo().search([("id", "=", message_id), ("case_id", "=", case.id)])
        if not message or not message.file_data_ciphertext:
            return None
        name = message._vp_open_value(data_key, "file_name", message.file_name_ciphertext).decode()
        data = message._vp_open_value(data_key, "file_data", message.file_data_ciphertext)
        return name, base64.b64decode(data)

    @api.model
    def _vp_post_reply(self, case, data_key, body, file_name=None, file_bytes=None, keep_uncleaned=False):
        """Store the reporter's reply, sealed under the case's key, and tell
        the counsellor (an activity: type, case number, deadline). A file is
        cleaned of its hidden information first (vp.file.cleaner); one that
        cannot be cleaned is refused unless the reporter chose to keep it."""
        body = crypto_clean(body)
        if not body and not file_bytes:
            raise UserError(self.env._("Write a message or add a file."))
        if len(body) > MAX_BODY:
            raise UserError(self.env._("A message holds at most %(limit)s characters.", limit=MAX_BODY))
        file_name, file_bytes, report = self._vp_reporter_file(file_name, file_bytes, keep_uncleaned)
        message = self._vp_store_reporter_messages(case, data_key, [{"body": body, "file": (file_name, file_bytes)}])
        case._vp_tell_counsellor_of_reply()
        return message, report

    @api.model
    def _vp_reporter_file(self, file_name, file_bytes, keep_uncleaned):
        """(name, cleaned bytes, what was done: vp.file.cleaner's report) of a reporter's
        file, or (None, None, None) without one; UserError when it is refused."""
        if not file_bytes:
            return None, None, None
        if len(file_bytes) > MAX_FILE_BYTES:
            raise UserError(self.env._("A file can be at most 2 MB."))
        name = crypto_clean(file_name or "")[:MAX_FILE_NAME] or "bestand"
        return name, *self.env["vp.file.cleaner"]._vp_clean(name, file_bytes, keep_uncleaned)

    @api.model
    def _vp_store_reporter_messages(self, case, data_key, entries):
        """Reporter's messages (``entries``: {"body", "file": (name, bytes)}), sealed under the
        case's key. Files must come from ``_vp_reporter_file`` (cleaned, or kept by her choice)."""
        now = fields.Datetime.now()
        # sudo + guard: the reporter is no user; the rows hold ciphertext only.
        messages = guards.open_guard(self.sudo(), REPORTER_MESSAGE).create(
            [{"case_id": case.id, "author": "reporter", "sent_on": now} for _entry in entries]
        )
        for message, entry in zip(messages, entries, strict=True):
            file_name, file_bytes = entry["file"]
            plain = {"body": entry["body"]}
            if file_bytes:
                plain["file_name"] = file_name
                plain["file_data"] = base64.b64encode(file_bytes).decode()
            message.write(
                {
                    self._vp_encrypted_fields[name]: message._vp_seal_value(data_key, name, value.encode())
                    for name, value in plain.items()
                    if value
                }
            )
        return messages


def crypto_clean(text):
    """Text as the inbox accepts it: a string without control characters."""
    return CONTROL_RE.sub("", text if isinstance(text, str) else "").strip()
