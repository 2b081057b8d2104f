# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models
from odoo.exceptions import UserError

from ...tools import guards
from ...tools.confidential import content_models


class MailMessage(models.Model):
    """No message on a confidential record's chatter but the system's own.
    ``mail.message.create`` is public: with write access to a case, stock Odoo
    lets a user create a comment on it directly, without message_post."""

    _inherit = "mail.message"

    def _vp_system(self):
        return self.env.su or guards.is_open(self.env, guards.MAIL_SYSTEM)

    @api.model_create_multi
    def create(self, vals_list):
        confidential = content_models(self.env)
        if not self._vp_system() and any(vals.get("model") in confidential for vals in vals_list):
            raise UserError(self.env._("Messages cannot be added to a confidential record."))
        return super().create(vals_list)

    def write(self, vals):
        # What a message says or where it hangs; flags (read, starred) stay Odoo's.
        touches_content = {"body", "subject", "attachment_ids", "model", "res_id", "message_type"} & set(vals)
        confidential = content_models(self.env)
        if (
            touches_content
            and not self._vp_system()
            and (
                vals.get("model") in confidential
                # sudo: the model each message hangs on, no content
                or any(message.model in confidential for message in self.sudo())
            )
        ):
            raise UserError(self.env._("Messages of a confidential record cannot be changed."))
        return super().write(vals)
