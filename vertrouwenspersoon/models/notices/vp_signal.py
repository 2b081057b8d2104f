# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import re

from odoo import api, fields, models
from odoo.exceptions import UserError

from ...tools import guards

# Words of names too common to point at anyone (Dutch name particles).
NAME_PARTICLES = {"van", "de", "der", "den", "het", "ter", "ten", "te", "el", "al", "op", "in", "t"}
CONTACT_RE = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+|(?:\+31|0)[\s-]?[1-9](?:[\s-]?[0-9]){7,8}")


class VpSignal(models.Model):
    """A signal: an anonymised warning from the counsellor to the employer
    about a trend or a serious situation. Drafted by the counsellor, sent only
    after the counsellor confirms it holds nothing traceable to a person."""

    _name = "vp.signal"
    _description = "Signal to the employer"
    _inherit = ["mail.thread", "vp.activity.owned.mixin", "vp.write.checked.mixin", "vp.field.access.mixin"]
    # Its text reaches HR: no plain attachment, no typed chatter (tools/confidential.py).
    _vp_holds_content = True
    _order = "signal_date desc, id desc"

    # Sent by action_send only; a client can neither send nor address a signal itself.
    _vp_guarded_fields = {
        "state": guards.SIGNAL_TRANSITION,
        "sent_on": guards.SIGNAL_TRANSITION,
        "recipient_user_ids": guards.SIGNAL_TRANSITION,
        "counsellor_id": guards.SIGNAL_TRANSITION,
    }

    name = fields.Char(string="Subject", required=True)
    organisation_id = fields.Many2one("vp.organisation", string="Client organisation", required=True, index=True)
    signal_date = fields.Date(string="Date", required=True, default=fields.Date.context_today)
    kind = fields.Selection([("trend", "Trend"), ("serious", "Serious situation")], required=True, default="trend")
    body = fields.Text(string="Signal", required=True)
    counsellor_id = fields.Many2one("res.users", required=True, readonly=True, default=lambda self: self.env.user)
    state = fields.Selection([("draft", "Draft"), ("sent", "Sent")], default="draft", required=True, readonly=True)
    sent_on = fields.Datetime(readonly=True)
    confirmed_anonymous = fields.Boolean(
        string="Nothing traceable to a person",
        copy=False,
        help="I confirm this signal names no one and holds nothing from which a person can be recognised.",
    )
    recipient_user_ids = fields.Many2many(
        "res.users",
        "vp_signal_recipient_rel",
        "signal_id",
        "user_id",
        string="Sent to",
        readonly=True,
        copy=False,
    )

    def write(self, vals):
        if not guards.is_open(self.env, guards.SIGNAL_TRANSITION) and any(signal.state == "sent" for signal in self):
            raise UserError(self.env._("A signal that has been sent cannot be changed."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_sent(self):
        if any(signal.state == "sent" for signal in self):
            raise UserError(self.env._("A signal that has been sent cannot be deleted."))

    def _vp_traceable_words(self):
        """Names of the employees in this counsellor's own cases at the
        organisation: a signal that mentions one points at a person.

        Read as the counsellor, without sudo(): only content the counsellor
        may read anyway is decrypted, and each decryption is logged.
        """
        self.ensure_one()
        cases = self.env["vp.case"].search(
            [("organisation_id", "=", self.organisation_id.id), ("counsellor_id", "=", self.env.uid)]
        )
        words = set()
        for name in cases.mapped("employee_name"):
            if not name:
                continue
            words.add(name.strip().lower())
            words.update(
                word for word in re.split(r"[\s\-']+", name.lower()) if len(word) > 2 and word not in NAME_PARTICLES
            )
        return words

    def _vp_check_anonymous(self):
        self.ensure_one()
        if CONTACT_RE.search(self.body or ""):
            raise UserError(
                self.env._("The signal holds an e-mail address or a phone number: remove it before sending.")
            )
        text = (self.name + "\n" + (self.body or "")).lower()
        for word in self._vp_traceable_words():
            if re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text):
                raise UserError(
                    self.env._(
                        "The signal mentions a name from one of your cases at this organisation: "
                        "rewrite it so no one can be recognised."
                    )
                )

    def _vp_check_sendable(self):
        """What is refused before any "really send?" question: a sent signal, someone
        else's, or one whose anonymity the counsellor has not confirmed."""
        for signal in self:
            if signal.state != "draft":
                raise UserError(self.env._("This signal has been sent already."))
            if signal.counsellor_id != self.env.user:
                raise UserError(self.env._("Only the counsellor who drafted a signal can send it."))
            if not signal.confirmed_anonymous:
                raise UserError(
                    self.env._("Confirm that the signal holds nothing traceable to a person before sending it.")
                )

    def action_send_unconfirmed(self):
        """The send button of a draft whose checkbox is not ticked: it has no
        "really send?" confirmation, so the counsellor hears at once why it cannot
        go, instead of confirming first and being refused afterwards. It never sends:
        if the box was ticked meanwhile (another tab), the form reloads and offers the
        confirming button."""
        self._vp_check_sendable()
        return {"type": "ir.actions.client", "tag": "soft_reload"}

    def action_send(self):
        # The server's own guard: whatever the form shows, nothing unconfirmed is sent.
        self._vp_check_sendable()
        for signal in self:
            signal._vp_check_anonymous()
            recipients = signal.organisation_id._vp_hr_recipients(
                self.env._(
                    "No HR contact is set for %(organisation)s: ask the coordinator to set one.",
                    organisation=signal.organisation_id.display_name,
                )
            )
            guards.open_guard(signal, guards.SIGNAL_TRANSITION).write(
                {"state": "sent", "sent_on": fields.Datetime.now(), "recipient_user_ids": [(6, 0, recipients.ids)]}
            )
            todo = self.env.ref("mail.mail_activity_data_todo")
            for user in recipients:
                # sudo: counsellors cannot create activities for HR users; the
                # activity names the signal's subject, which was just checked.
                signal.sudo().activity_schedule(activity_type_id=todo.id, user_id=user.id, summary=False, note=False)
