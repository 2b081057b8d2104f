# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import io
from collections import defaultdict

import xlsxwriter

from odoo import api, fields, models
from odoo.exceptions import UserError

from ...tools import wkhtmltopdf
from .account_analytic_line import BILLING_FACTOR, INVOICE_ORDER


class AccountMove(models.Model):
    """Invoices of the monthly run: the engagement and month they bill, the
    timesheet lines they hold, and their anonymous specification."""

    _name = "account.move"
    _inherit = ["account.move", "vp.field.access.mixin"]

    vp_engagement_id = fields.Many2one(
        "vp.engagement", string="Engagement", readonly=True, copy=False, index="btree_not_null"
    )
    vp_period = fields.Date(string="Month invoiced", readonly=True, copy=False)
    vp_period_label = fields.Char(
        string="Month", compute="_compute_vp_period_label", help="The month the invoice bills, e.g. 'februari 2026'."
    )
    vp_released = fields.Boolean(
        string="Hours released",
        readonly=True,
        copy=False,
        help="The invoice was reversed: its hours were released for the next monthly run.",
    )
    vp_merged_unit_ids = fields.Many2many(
        "vp.business.unit",
        "account_move_vp_merged_unit_rel",
        string="Units shown as other units",
        readonly=True,
        copy=False,
        help="Business units with too few cases in the month to be named: their case hours are "
        "billed under 'other units' (anonymity rule).",
    )
    vp_min_cases_per_unit = fields.Integer(
        string="Minimum cases per unit applied",
        readonly=True,
        copy=False,
        help="The anonymity threshold this invoice was made with. Every later invoice of the same "
        "engagement and month uses the first one's, so re-running a month tells nothing new.",
    )
    vp_timesheet_ids = fields.Many2many(
        "account.analytic.line", string="Hours billed", compute="_compute_vp_timesheet_ids"
    )

    @api.depends("vp_period")
    @api.depends_context("lang")
    def _compute_vp_period_label(self):
        Engagement = self.env["vp.engagement"]
        for move in self:
            move.vp_period_label = Engagement._vp_month_label(move.vp_period) if move.vp_period else False

    def init(self):
        res = super().init()
        # At most one invoice that bills an engagement's month, also against two runs at once.
        self.env.cr.execute(
            """
            CREATE UNIQUE INDEX IF NOT EXISTS account_move_vp_engagement_period_uniq
                ON account_move (vp_engagement_id, vp_period)
             WHERE vp_engagement_id IS NOT NULL AND state != 'cancel' AND vp_released IS NOT TRUE
            """
        )
        return res

    def _compute_vp_timesheet_ids(self):
        Line = self.env["account.analytic.line"]
        for move in self:
            move.vp_timesheet_ids = Line.search([("vp_invoice_id", "=", move.id)]) if move.vp_engagement_id else Line

    # ------------------------------------------------------------------
    # Which months are closed; releasing hours
    # ------------------------------------------------------------------
    @api.model
    def _vp_active_invoices(self, periods):
        """{(engagement id, first day of month): invoice} for those of ``periods`` that have an
        invoice which still bills their hours (neither cancelled nor reversed)."""
        if not periods:
            return {}
        invoices = self.search_fetch(
            [
                ("vp_engagement_id", "in", list({engagement for engagement, _period in periods})),
                ("vp_period", "in", list({period for _engagement, period in periods})),
                ("state", "!=", "cancel"),
                ("vp_released", "=", False),
            ],
            ["vp_engagement_id", "vp_period"],
        )
        found = {(invoice.vp_engagement_id.id, invoice.vp_period): invoice for invoice in invoices}
        return {period: invoice for period, invoice in found.items() if period in periods}

    def _vp_shows_as_other_units(self, subject, unit):
        """Whether hours logged on ``subject`` ('case' or 'prevention') in ``unit`` are billed
        under 'other units' on this invoice (the anonymity rule)."""
        self.ensure_one()
        return subject == "case" and unit in self.vp_merged_unit_ids

    @api.model
    def _vp_closed_periods(self, periods):
        """The (engagement id, first day of month) pairs among ``periods`` that are closed: an
        invoice bills their hours."""
        return set(self._vp_active_invoices(periods))

    @api.model
    def _vp_forget_billing(self):
        """An invoice started or stopped billing its month's hours: nothing to write on the
        hours (their invoice follows from engagement and month), only cached values to forget."""
        self.env["account.analytic.line"].invalidate_model(["vp_invoice_id", "vp_unit_merged"])
        self.invalidate_model(["vp_timesheet_ids"])

    def _vp_release_lines(self):
        if self.filtered("vp_engagement_id"):
            self._vp_forget_billing()

    def button_cancel(self):
        res = super().button_cancel()
        self.filtered(lambda move: move.state == "cancel")._vp_release_lines()
        return res

    def button_draft(self):
        if any(move.vp_engagement_id and move.state == "cancel" for move in self):
            raise UserError(
                self.env._(
                    "A cancelled invoice of counsellor hours cannot be reset to draft: its hours were "
                    "released. Run the monthly invoicing for that month again instead."
                )
            )
        if any(move.vp_released for move in self):
            raise UserError(
                self.env._("This invoice was reversed and its hours released: it cannot be reset to draft.")
            )
        if any(move.move_type == "out_refund" and move.reversed_entry_id.vp_released for move in self):
            raise UserError(
                self.env._(
                    "This credit note reversed an invoice of counsellor hours and released its hours, which "
                    "may be billed again: it cannot be reset to draft."
                )
            )
        return super().button_draft()

    def unlink(self):
        released = bool(self.filtered("vp_engagement_id"))
        res = super().unlink()
        if released:
            self.env["account.move"]._vp_forget_billing()
        return res

    def _post(self, soft=True):
        posted = super()._post(soft=soft)
        posted._vp_release_reversed_invoices()
        return posted

    def _vp_release_reversed_invoices(self):
        """An invoice of counsellor hours whose posted credit notes together reverse all of it
        releases its hours for the next run. A partial credit note (a correction of some
        amounts) does not: the hours stay billed on the invoice, so none is billed twice."""
        credit_notes = self.filtered(
            lambda move: move.move_type == "out_refund" and move.reversed_entry_id.vp_engagement_id
        )
        invoices = credit_notes.reversed_entry_id.filtered(lambda invoice: not invoice.vp_released)
        if not invoices:
            return
        refunded = {
            invoice.id: sum(refund.amount_untaxed for refund in refunds)
            for invoice, refunds in self.search(
                [("reversed_entry_id", "in", invoices.ids), ("state", "=", "posted"), ("move_type", "=", "out_refund")]
            )
            .grouped("reversed_entry_id")
            .items()
        }
        released = invoices.filtered(
            lambda invoice: (
                invoice.currency_id.compare_amounts(refunded.get(invoice.id, 0.0), invoice.amount_untaxed) >= 0
            )
        )
        if released:
            released.write({"vp_released": True})
            released._vp_release_lines()

    # ------------------------------------------------------------------
    # The sender on the invoice a client must be able to pay
    # ------------------------------------------------------------------
    def _vp_sender_in_body(self):
        """Whether the invoice prints the bureau's name and address in its own body: with a
        wkhtmltopdf that drops Odoo's header page (tools/wkhtmltopdf.py) it would have none."""
        return not wkhtmltopdf.prints_headers()

    def _vp_sender(self):
        """What the bureau's invoice says of the bureau: name, address, chamber of commerce
        (KvK) and VAT (btw) numbers, and the account to pay into."""
        self.ensure_one()
        company = self.company_id
        partner = company.partner_id
        address = [
            line
            for line in (partner.street, partner.street2, f"{partner.zip or ''} {partner.city or ''}".strip())
            if line
        ]
        bank = self.partner_bank_id or partner.bank_ids[:1]
        return {
            "name": company.name,
            "address": address,
            "registry": company.company_registry,
            "vat": company.vat,
            "iban": bank.acc_number,
            "holder": bank.acc_holder_name or company.name,
        }

    def _vp_missing_sender_details(self):
        """The details without which a client cannot pay, or may not accept, the invoice."""
        self.ensure_one()
        sender = self._vp_sender()
        labels = {
            "address": self.env._("address"),
            "registry": self.env._("chamber of commerce (KvK) number"),
            "vat": self.env._("VAT (btw) number"),
            "iban": self.env._("bank account (IBAN)"),
        }
        return [label for key, label in labels.items() if not sender[key]]

    # ------------------------------------------------------------------
    # Specification: per business unit and time type, for the month
    # ------------------------------------------------------------------
    def _vp_specification_rows(self):
        """Rows (unit label, time type label, hours, amount), ordered, of the billed hours.

        Per month, not per week: the anonymity threshold counts the cases of a
        unit in the month, and a row per week would split a named unit's hours into rows
        finer than the threshold protects (one case's meeting in one week). So the rows are
        the invoice lines' own cells, which the threshold was applied to.
        Units follow the invoice's anonymity rule: hours shown under 'other units' on the
        invoice are shown so here too. Amounts are hours times the invoice line's unit price,
        so every column adds up to the invoice."""
        self.ensure_one()
        lang = self.partner_id.lang or self.env.lang
        env_lang = self.with_context(lang=lang).env
        labels = dict(self.env["account.analytic.line"]._fields["vp_time_type"]._description_selection(env_lang))
        other, no_unit = env_lang._("Other units"), env_lang._("Organisation-wide")
        prices = {
            (line.vp_time_type, line.vp_business_unit_id.id, line.vp_unit_merged): line.price_unit
            for line in self.invoice_line_ids
            if line.vp_time_type
        }
        if self.state == "cancel" or self.vp_released:
            return []  # its hours were released
        start, end = self.vp_engagement_id._vp_period(self.vp_period)
        # sudo: the lines are their counsellors' alone (global rule); only sums of hours per
        # unit and time type are read, and printed under the invoice's anonymity rule.
        groups = (
            self.env["account.analytic.line"]
            .sudo()
            ._read_group(
                [
                    ("vp_engagement_id", "=", self.vp_engagement_id.id),
                    ("vp_time_type", "!=", False),
                    # An internal counsellor's hours are not invoiced (account.analytic.line's vp_counsellor_kind).
                    ("vp_counsellor_kind", "!=", "internal"),
                    ("date", ">=", start),
                    ("date", "<=", end),
                ],
                ["vp_business_unit_id", "vp_subject", "vp_time_type"],
                ["unit_amount:sum"],
            )
        )
        cells = defaultdict(lambda: [0.0, 0.0])
        for unit, subject, time_type, hours in groups:
            if not BILLING_FACTOR[time_type]:
                continue
            merged = self._vp_shows_as_other_units(subject, unit)
            unit = self.env["vp.business.unit"] if merged else unit
            price = prices.get((time_type, unit.id, merged), 0.0)
            unit_label = other if merged else (unit.complete_name if unit else no_unit)
            key = ((merged, not unit, unit_label), INVOICE_ORDER.index(time_type), labels[time_type])
            cells[key][0] += hours
            cells[key][1] += hours * price
        return [
            {
                "unit": key[0][2],
                "time_type": key[2],
                "hours": hours,
                "rate": amount / hours if hours else 0.0,
                "amount": amount,
            }
            for key, (hours, amount) in sorted(cells.items())
        ]

    def _vp_specification_xlsx(self):
        """The specification as an XLSX workbook (bytes)."""
        self.ensure_one()
        lang = self.partner_id.lang or self.env.lang
        env_lang = self.with_context(lang=lang).env
        output = io.BytesIO()
        workbook = xlsxwriter.Workbook(output, {"in_memory": True})
        sheet = workbook.add_worksheet(env_lang._("Specification")[:31])
        bold = workbook.add_format({"bold": True})
        hours_format = workbook.add_format({"num_format": "0.00"})
        money = workbook.add_format({"num_format": "#,##0.00"})
        money_bold = workbook.add_format({"num_format": "#,##0.00", "bold": True})
        # Who, which invoice, which month, then the rows with their rate: a sheet an
        # accountant reads without the invoice beside it.
        heading = (
            (env_lang._("Customer"), self.partner_id.name or ""),
            (env_lang._("Invoice"), self._vp_invoice_reference(env_lang)),
            (
                env_lang._("Month"),
                self.env["vp.engagement"]._vp_month_label(self.vp_period, lang) if self.vp_period else "",
            ),
        )
        for row, (label, value) in enumerate(heading):
            sheet.write(row, 0, label, bold)
            sheet.write(row, 1, value)
        header = [
            env_lang._("Business unit"),
            env_lang._("Time type"),
            env_lang._("Hours"),
            env_lang._("Rate"),
            env_lang._("Amount"),
        ]
        for col, title in enumerate(header):
            sheet.write(4, col, title, bold)
        row = 5
        for line in self._vp_specification_rows():
            sheet.write(row, 0, line["unit"])
            sheet.write(row, 1, line["time_type"])
            sheet.write_number(row, 2, line["hours"], hours_format)
            sheet.write_number(row, 3, line["rate"], money)
            sheet.write_number(row, 4, line["amount"], money)
            row += 1
        sheet.write(row, 0, env_lang._("Total excluding tax"), bold)
        sheet.write_number(row, 2, sum(self.invoice_line_ids.filtered("vp_time_type").mapped("quantity")), hours_format)
        sheet.write_number(row, 4, self.amount_untaxed, money_bold)
        sheet.set_column(0, 1, 40)
        workbook.close()
        return output.getvalue()

    def _vp_invoice_reference(self, env=None):
        """The invoice's number, or 'Draft' while it has none ('/')."""
        env = env or self.env
        return self.name if self.name and self.name != "/" else env._("Draft")

    def _vp_specification_file_name(self):
        """'Specificatie Zorggroep De Linde februari 2026 INV-2026-0003.xlsx': the customer, the
        month and (once it has one) the invoice number, not the database id."""
        self.ensure_one()
        parts = [self.env._("Specification"), self.partner_id.name or ""]
        if self.vp_period:
            parts.append(self.env["vp.engagement"]._vp_month_label(self.vp_period))
        if self.name and self.name != "/":
            parts.append(self.name)
        name = " ".join(part for part in parts if part)
        return "".join(char for char in name if char not in '/\\:*?"<>|') + ".xlsx"

    def action_vp_specification_xlsx(self):
        self.ensure_one()
        if not self.vp_engagement_id:
            raise UserError(self.env._("Only invoices of counsellor hours have a specification."))
        attachment = self.env["ir.attachment"].create(
            {
                "name": self._vp_specification_file_name(),
                "raw": self._vp_specification_xlsx(),
                "res_model": self._name,
                "res_id": self.id,
                "mimetype": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            }
        )
        # Downloaded in the page (no blank tab, no navigation), then a toast says it is there.
        return {
            "type": "ir.actions.client",
            "tag": "vp_download",
            "params": {
                "url": f"/web/content/{attachment.id}?download=true",
                "next": {
                    "type": "ir.actions.client",
                    "tag": "display_notification",
                    "params": {
                        "type": "success",
                        "message": self.env._("%(file)s is downloaded.", file=attachment.name),
                    },
                },
            },
        }
