# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class VpNoticeSendWizard(models.TransientModel):
    """A sent notice can never change, so the counsellor
    confirms first and sees who will receive it. Sending itself is the notice's
    own action_send, with all its checks."""

    _name = "vp.notice.send.wizard"
    _description = "Confirm sending a notice to HR"
    _inherit = ["vp.field.access.mixin"]

    notice_id = fields.Many2one("vp.notice", required=True, ondelete="cascade")
    recipient_names = fields.Char(string="Recipients", compute="_compute_recipient_names")

    @api.model_create_multi
    def create(self, vals_list):
        # Only on a notice the user may change: its counsellor's own draft.
        wizards = super().create(vals_list)
        wizards.notice_id.check_access("write")
        return wizards

    @api.depends("notice_id")
    def _compute_recipient_names(self):
        for wizard in self:
            # sudo: the names of the HR users configured as recipients, no content;
            # the same users action_send will notify
            users = wizard.notice_id.organisation_id.sudo().hr_user_ids
            wizard.recipient_names = ", ".join(users.mapped("name"))

    def action_confirm(self):
        self.ensure_one()
        self.notice_id.action_send()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._(
                    "Notice %(name)s was sent to %(recipients)s.",
                    name=self.notice_id.name,
                    recipients=", ".join(self.notice_id.recipient_user_ids.mapped("name")),
                ),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }
