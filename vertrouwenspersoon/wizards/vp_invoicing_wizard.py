# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import api, fields, models


class VpInvoicingWizard(models.TransientModel):
    """Run the monthly invoicing by hand for a month (the scheduled action runs it for the
    previous month on the first of each month)."""

    _name = "vp.invoicing.wizard"
    _description = "Monthly invoicing of counsellor hours"

    month = fields.Date(
        required=True,
        default=lambda self: (fields.Date.context_today(self).replace(day=1) - timedelta(days=1)).replace(day=1),
        help="Any day of the month to invoice.",
    )
    engagement_ids = fields.Many2many(
        "vp.engagement", string="Engagements", help="Leave empty to invoice every engagement that ran that month."
    )

    @api.onchange("month")
    def _onchange_month(self):
        if self.month:
            self.month = self.month.replace(day=1)

    def action_run(self):
        self.ensure_one()
        Engagement = self.env["vp.engagement"]
        start, _end = Engagement._vp_period(self.month)
        engagements = self.engagement_ids or Engagement._vp_engagements_of_month(start)
        invoices = engagements._vp_invoice_month(start)
        month = Engagement._vp_month_label(start)
        if not invoices:
            return {
                "type": "ir.actions.client",
                "tag": "display_notification",
                "params": {
                    "type": "info",
                    "title": self.env._("Nothing new to invoice"),
                    "message": self.env._(
                        "The hours of %(month)s are already invoiced, or no billable hours were logged.", month=month
                    ),
                    "next": {"type": "ir.actions.act_window_close"},
                },
            }
        action = self.env["ir.actions.act_window"]._for_xml_id("account.action_move_out_invoice_type")
        action["domain"] = [("id", "in", invoices.ids)]
        action["context"] = {"default_move_type": "out_invoice", "create": False}
        return action
