# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import api, fields, models


class VpInvoicingWizard(models.TransientModel):
    """Run the monthly invoicing by hand for a month (the scheduled action runs it for the
    previous month on the first of each month)."""

    _name = "vp.invoicing.wizard"
    _description = "Monthly invoicing of counsellor hours"
    _inherit = ["vp.field.access.mixin"]

    month = fields.Date(
        required=True,
        default=lambda self: (fields.Date.context_today(self).replace(day=1) - timedelta(days=1)).replace(day=1),
        help="Any day of the month to invoice.",
    )
    month_label = fields.Char(string="Month to invoice", compute="_compute_month_label")
    # A default as well: the web client's onchange() of a new wizard never runs a compute
    # without dependencies.
    sender_warning = fields.Char(compute="_compute_sender_warning", default=lambda self: self._vp_sender_warning())
    engagement_ids = fields.Many2many(
        "vp.engagement", string="Engagements", help="Leave empty to invoice every engagement that ran that month."
    )

    @api.depends("month")
    def _compute_month_label(self):
        Engagement = self.env["vp.engagement"]
        for wizard in self:
            wizard.month_label = Engagement._vp_month_label(wizard.month) if wizard.month else False

    @api.depends_context("company")
    def _compute_sender_warning(self):
        warning = self._vp_sender_warning()
        for wizard in self:
            wizard.sender_warning = warning

    @api.model
    def _vp_sender_warning(self):
        """What the invoices will lack for a client to pay them: said before the run."""
        company = self.env.company
        missing = []
        if not (company.street and company.city):
            missing.append(self.env._("address"))
        if not company.company_registry:
            missing.append(self.env._("chamber of commerce (KvK) number"))
        if not company.vat:
            missing.append(self.env._("VAT (btw) number"))
        if not company.partner_id.bank_ids:
            missing.append(self.env._("bank account (IBAN)"))
        if not company.external_report_layout_id:
            missing.append(self.env._("document layout"))
        if not missing:
            return False
        return self.env._(
            "The invoices will lack the bureau's %(missing)s: fill them in under Settings > Companies first.",
            missing=", ".join(missing),
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
        summary = self._vp_summary(engagements, invoices, start)
        params = {
            "type": "success" if invoices else "info",
            "title": self.env._("Invoicing of %(month)s", month=Engagement._vp_month_label(start)),
            "message": summary,
            "sticky": not invoices,
            "next": {"type": "ir.actions.act_window_close"},
        }
        if invoices:
            action = self.env["ir.actions.act_window"]._for_xml_id("account.action_move_out_invoice_type")
            action["domain"] = [("id", "in", invoices.ids)]
            # The run's invoices with the month they bill (drafts are all numbered "/").
            list_view = self.env.ref("vertrouwenspersoon.account_move_view_list_vp")
            action["views"] = [(list_view.id, "list"), (False, "form")]
            action["view_mode"] = "list,form"
            action["context"] = {"default_move_type": "out_invoice", "create": False}
            params["next"] = action
        return {"type": "ir.actions.client", "tag": "display_notification", "params": params}

    def _vp_summary(self, engagements, invoices, start):
        """What a run did: how many invoices it made and how many engagements it
        skipped, and why, so a second run of a month says "already invoiced" rather than
        nothing. Counted after the run, in its transaction: an engagement whose month is
        closed and that got no invoice now was invoiced before. Names client
        organisations only, never a person."""
        invoiced_now = invoices.vp_engagement_id
        closed = self.env["account.move"]._vp_closed_periods({(e.id, start) for e in engagements - invoiced_now})
        already = (engagements - invoiced_now).filtered(lambda e: (e.id, start) in closed)
        empty = engagements - invoiced_now - already
        parts = [
            self.env._("1 invoice made.")
            if len(invoices) == 1
            else self.env._("%(count)s invoices made.", count=len(invoices))
        ]
        if already:
            names = ", ".join(already.mapped("name"))
            parts.append(
                self.env._("1 engagement skipped: already invoiced (%(names)s).", names=names)
                if len(already) == 1
                else self.env._(
                    "%(count)s engagements skipped: already invoiced (%(names)s).", count=len(already), names=names
                )
            )
        if empty:
            names = ", ".join(empty.mapped("name"))
            parts.append(
                self.env._("1 engagement skipped: nothing to bill (%(names)s).", names=names)
                if len(empty) == 1
                else self.env._(
                    "%(count)s engagements skipped: nothing to bill (%(names)s).", count=len(empty), names=names
                )
            )
        return " ".join(parts)
