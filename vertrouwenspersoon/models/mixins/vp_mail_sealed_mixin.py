# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models
from odoo.exceptions import UserError

from ...tools import guards

# Never on a sealed chatter, whoever posts: a message someone typed or mailed.
TYPED_MESSAGE_TYPES = ("comment", "email", "email_outgoing")


class VpMailSealedMixin(models.AbstractModel):
    """The chatter of a confidential record holds only what the system
    writes itself (tracking of its dates and states, activities done), never
    text a user typed or mailed: anyone with access to the record reads it,
    outside the encryption.

    - ``message_post`` (public, so callable over RPC with any message type)
      refuses typed and mailed messages always, and system notifications
      unless system code posts them (superuser, or the tracking and log
      helpers below, which open the MAIL_SYSTEM guard);
    - ``mail.message.create`` for these models is refused the same way
      (models/odoo_models/mail_message.py);
    - e-mail routed by the gateway to such a record is refused
      (``message_new`` / ``message_update``): a reply to a notification must
      not store the counsellor's words next to the case number.
    """

    _name = "vp.mail.sealed.mixin"
    _description = "Chatter without typed content"

    def _vp_refuse_chatter(self):
        raise UserError(
            self.env._(
                "Messages and attachments cannot be posted on a confidential record: notes and documents "
                "are kept encrypted in the case itself."
            )
        )

    def message_post(self, *, message_type="notification", **kwargs):
        system = self.env.su or guards.is_open(self.env, guards.MAIL_SYSTEM)
        if (
            message_type in TYPED_MESSAGE_TYPES
            or kwargs.get("attachment_ids")
            or kwargs.get("attachments")
            or not system
        ):
            self._vp_refuse_chatter()
        return super().message_post(message_type=message_type, **kwargs)

    def _message_log_batch(self, bodies, *args, **kwargs):
        # The system's own log lines (creation, tracking without a subtype).
        return super(VpMailSealedMixin, guards.open_guard(self, guards.MAIL_SYSTEM))._message_log_batch(
            bodies, *args, **kwargs
        )

    def _message_track(self, fields_iter, initial_values_dict):
        # Tracking of the record's own fields (states, dates), written by the system.
        return super(VpMailSealedMixin, guards.open_guard(self, guards.MAIL_SYSTEM))._message_track(
            fields_iter, initial_values_dict
        )

    def message_new(self, msg_dict, custom_values=None):
        self._vp_refuse_chatter()

    def message_update(self, msg_dict, update_vals=None):
        self._vp_refuse_chatter()
