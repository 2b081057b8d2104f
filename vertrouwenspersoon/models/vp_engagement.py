# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
from collections import defaultdict
from datetime import timedelta

from babel.dates import format_date
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, float_is_zero
from odoo.tools.misc import get_lang

from .account_analytic_line import BILLING_FACTOR

_logger = logging.getLogger(__name__)

# Time types in the order they appear on invoices and specifications.
INVOICE_ORDER = ["intake", "meeting", "contact", "administration", "prevention", "cancelled_client"]


class VpEngagement(models.Model):
    """The contract with a client organisation: whom to invoice, at which
    hourly rate, on which terms, and the analytic account the hours go to."""

    _name = "vp.engagement"
    _description = "Engagement"
    _order = "date_start desc, id desc"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True, readonly=False, required=True, precompute=True)
    organisation_id = fields.Many2one("vp.organisation", string="Client organisation", required=True, index=True)
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        compute="_compute_partner_id",
        store=True,
        precompute=True,
        readonly=False,
        required=True,
        check_company=True,
    )
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id")
    product_id = fields.Many2one(
        "product.product",
        string="Service",
        required=True,
        check_company=True,
        default=lambda self: self.env.ref("vertrouwenspersoon.product_counsellor_hour", raise_if_not_found=False),
        domain="[('type', '=', 'service')]",
        help="The product on the invoice lines: its income account and taxes apply.",
    )
    hourly_rate = fields.Monetary(help="Price of one hour, before tax.")
    payment_term_id = fields.Many2one("account.payment.term", string="Payment terms", check_company=True)
    analytic_account_id = fields.Many2one(
        "account.analytic.account",
        string="Analytic account",
        check_company=True,
        ondelete="restrict",
        help="The counsellors' hours for this organisation go to this account; made when left empty.",
    )
    date_start = fields.Date(string="Start date", required=True, default=fields.Date.context_today)
    date_end = fields.Date(string="End date")
    active = fields.Boolean(default=True)
    min_cases_per_unit = fields.Integer(
        string="Minimum cases per unit shown",
        default=3,
        help="Case hours of a business unit with fewer distinct cases in a month are shown under "
        "'other units' on the invoice and its specification, so nobody can be traced.",
    )
    invoice_ids = fields.One2many("account.move", "vp_engagement_id", string="Invoices", readonly=True)

    @api.depends("organisation_id")
    def _compute_name(self):
        for engagement in self:
            engagement.name = engagement.organisation_id.name or engagement.name

    @api.depends("organisation_id")
    def _compute_partner_id(self):
        for engagement in self:
            engagement.partner_id = engagement.organisation_id.partner_id or engagement.partner_id

    @api.constrains("date_start", "date_end", "organisation_id", "active")
    def _check_dates(self):
        for engagement in self:
            if engagement.date_end and engagement.date_end < engagement.date_start:
                raise ValidationError(self.env._("An engagement cannot end before it starts."))
        # One engagement per organisation at any time: hours must go to exactly one.
        for engagement in self.filtered("active"):
            overlapping = self.search_count(
                [
                    ("id", "!=", engagement.id),
                    ("organisation_id", "=", engagement.organisation_id.id),
                    "|",
                    ("date_end", "=", False),
                    ("date_end", ">=", engagement.date_start),
                ]
                + ([("date_start", "<=", engagement.date_end)] if engagement.date_end else []),
                limit=1,
            )
            if overlapping:
                raise ValidationError(
                    self.env._(
                        "%(organisation)s already has an engagement in that period: one engagement per "
                        "client organisation at a time.",
                        organisation=engagement.organisation_id.name,
                    )
                )

    @api.constrains("hourly_rate", "min_cases_per_unit")
    def _check_numbers(self):
        for engagement in self:
            if engagement.hourly_rate < 0:
                raise ValidationError(self.env._("An hourly rate cannot be negative."))
            if engagement.min_cases_per_unit < 1:
                raise ValidationError(self.env._("The minimum number of cases per unit is at least 1."))

    @api.model_create_multi
    def create(self, vals_list):
        engagements = super().create(vals_list)
        engagements.filtered(lambda e: not e.analytic_account_id)._vp_create_analytic_accounts()
        return engagements

    def _vp_create_analytic_accounts(self):
        project_plan, _other_plans = self.env["account.analytic.plan"]._get_all_plans()
        accounts = self.env["account.analytic.account"].create(
            [
                {
                    "name": engagement.name,
                    "plan_id": project_plan.id,
                    "partner_id": engagement.partner_id.id,
                    "company_id": engagement.company_id.id,
                }
                for engagement in self
            ]
        )
        for engagement, account in zip(self, accounts, strict=True):
            engagement.analytic_account_id = account

    @api.model
    def _vp_for_organisations(self, organisations, date_from, date_to):
        """Engagements of these organisations running at some point between the two dates."""
        return self.search(
            [
                ("organisation_id", "in", organisations.ids),
                ("date_start", "<=", date_to),
                "|",
                ("date_end", "=", False),
                ("date_end", ">=", date_from),
            ]
        )

    def _vp_covers(self, organisation, day):
        self.ensure_one()
        return (
            self.organisation_id == organisation
            and self.date_start <= day
            and (not self.date_end or self.date_end >= day)
        )

    @api.model
    def _vp_month_label(self, period_start, lang=None):
        """'maart 2026': the month in the given (or the user's) language."""
        locale = get_lang(self.env, lang).code
        return format_date(period_start, "LLLL yyyy", locale=locale)

    # ------------------------------------------------------------------
    # The monthly run
    # ------------------------------------------------------------------
    @api.model
    def _vp_period(self, day):
        start = fields.Date.to_date(day).replace(day=1)
        return start, start + relativedelta(months=1, days=-1)

    @api.model
    def _vp_engagements_of_month(self, period_start):
        start, end = self._vp_period(period_start)
        return self.search(
            [("date_start", "<=", end), "|", ("date_end", "=", False), ("date_end", ">=", start)],
            order="id",
        )

    def _vp_invoice_month(self, period_start):
        """Create one draft customer invoice per engagement in self for the
        month of ``period_start`` from the hours not billed yet; return them.

        Idempotent: engagements whose month already has an invoice (neither
        cancelled nor reversed) are skipped, and only unbilled lines are read.
        Atomic: invoices and links are made inside one savepoint, so an error
        leaves no invoice and no line marked billed.
        Batch: a fixed number of queries per engagement, whatever the number
        of lines: lines are grouped in SQL and linked with one UPDATE per invoice.
        """
        start, end = self._vp_period(period_start)
        month = self._vp_month_label(start)
        if not self:
            raise UserError(self.env._("No engagement runs in %(month)s: there is nothing to invoice.", month=month))
        no_rate = self.filtered(lambda e: float_is_zero(e.hourly_rate, precision_rounding=e.currency_id.rounding))
        if no_rate:
            raise UserError(
                self.env._(
                    "No hourly rate is set for %(engagements)s: set the rate on the engagement and run "
                    "%(month)s again. Nothing was invoiced.",
                    engagements=", ".join(no_rate.mapped("name")),
                    month=month,
                )
            )
        closed = self.env["account.move"]._vp_closed_periods(set(self.ids), {(e.id, start) for e in self})
        todo = self.filtered(lambda e: (e.id, start) not in closed)
        if not todo:
            return self.env["account.move"]
        Line = self.env["account.analytic.line"]
        Line.flush_model()
        domain = [
            ("vp_engagement_id", "in", todo.ids),
            ("vp_time_type", "!=", False),
            ("date", ">=", start),
            ("date", "<=", end),
            ("vp_invoice_id", "=", False),
        ]
        # sudo: counts of distinct cases per business unit, for the anonymity rule; no case is read.
        case_counts = {
            (engagement.id, unit.id): count
            for engagement, unit, count in Line.sudo()._read_group(
                [*domain, ("vp_subject", "=", "case")],
                ["vp_engagement_id", "vp_business_unit_id"],
                ["vp_case_id:count_distinct"],
            )
        }
        groups = Line._read_group(
            domain,
            ["vp_engagement_id", "vp_time_type", "vp_business_unit_id", "vp_subject"],
            ["unit_amount:sum", "id:array_agg"],
        )
        # engagement -> {(time_type, unit or False): hours}, and line ids per (engagement, merged?)
        hours = defaultdict(lambda: defaultdict(float))
        line_ids = defaultdict(lambda: {False: [], True: []})
        for engagement, time_type, unit, subject, amount, ids in groups:
            merged = bool(
                subject == "case"
                and unit
                and case_counts.get((engagement.id, unit.id), 0) < engagement.min_cases_per_unit
            )
            line_ids[engagement.id][merged].extend(ids)
            if BILLING_FACTOR[time_type]:
                hours[engagement.id][time_type, self.env["vp.business.unit"] if merged else unit, merged] += amount
        to_invoice = todo.filtered(lambda e: any(hours[e.id].values()))
        if not to_invoice:
            return self.env["account.move"]
        with self.env.cr.savepoint():
            invoices = (
                self.env["account.move"]
                .with_context(default_move_type="out_invoice", tracking_disable=True, mail_create_nolog=True)
                .create([e._vp_invoice_vals(start, hours[e.id]) for e in to_invoice])
            )
            for engagement, invoice in zip(to_invoice, invoices, strict=True):
                engagement._vp_link_lines(invoice, line_ids[engagement.id])
        _logger.info("Monthly invoicing %s: %d invoice(s) created", start, len(invoices))
        return invoices

    def _vp_link_lines(self, invoice, line_ids):
        """Mark the lines billed on ``invoice``: one UPDATE, no per-line write checks or recomputes
        (the lines' stored fields do not depend on the link)."""
        self.ensure_one()
        self.env.cr.execute(
            SQL(
                "UPDATE account_analytic_line SET vp_invoice_id = %s, vp_unit_merged = (id = ANY(%s)) "
                "WHERE id = ANY(%s) AND vp_invoice_id IS NULL",
                invoice.id,
                line_ids[True],
                line_ids[False] + line_ids[True],
            )
        )
        if self.env.cr.rowcount != len(line_ids[False]) + len(line_ids[True]):
            raise UserError(self.env._("Some hours were billed by another run meanwhile: run the month again."))
        self.env["account.analytic.line"].invalidate_model(["vp_invoice_id", "vp_unit_merged"])
        self.env["account.move"].invalidate_model(["vp_timesheet_ids"])

    def _vp_invoice_vals(self, start, hours):
        self.ensure_one()
        lang = self.partner_id.lang or self.env.lang
        month = self._vp_month_label(start, lang)
        env_lang = self.with_context(lang=lang).env
        labels = dict(self.env["account.analytic.line"]._fields["vp_time_type"]._description_selection(env_lang))
        other = env_lang._("Other units")
        no_unit = env_lang._("Organisation-wide")
        lines = []
        for time_type, unit, merged in sorted((key for key, amount in hours.items() if amount), key=_line_order):
            factor = BILLING_FACTOR[time_type]
            service = labels[time_type] if factor == 1 else f"{labels[time_type]} ({int(factor * 100)}%)"
            unit_label = other if merged else (unit.complete_name if unit else no_unit)
            lines.append(
                {
                    "product_id": self.product_id.id,
                    "name": f"{service} — {unit_label} — {month}",
                    "quantity": round(hours[time_type, unit, merged], 2),
                    "product_uom_id": self.product_id.uom_id.id,
                    "price_unit": self.currency_id.round(self.hourly_rate * factor),
                    "analytic_distribution": {str(self.analytic_account_id.id): 100},
                    "vp_time_type": time_type,
                    "vp_business_unit_id": unit.id,
                    "vp_unit_merged": merged,
                }
            )
        return {
            "move_type": "out_invoice",
            "partner_id": self.partner_id.id,
            "company_id": self.company_id.id,
            "currency_id": self.currency_id.id,
            "invoice_payment_term_id": self.payment_term_id.id,
            "invoice_origin": env_lang._("Counsellor hours %(month)s", month=month),
            "ref": env_lang._("Counsellor hours %(month)s", month=month),
            "vp_engagement_id": self.id,
            "vp_period": start,
            "invoice_line_ids": [fields.Command.create(vals) for vals in lines],
        }

    @api.model
    def _cron_invoice_last_month(self):
        """Scheduled: invoice the previous month for every engagement that ran in it."""
        start = (fields.Date.context_today(self).replace(day=1) - timedelta(days=1)).replace(day=1)
        engagements = self._vp_engagements_of_month(start)
        if engagements:
            engagements._vp_invoice_month(start)

    def action_view_invoices(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("account.action_move_out_invoice_type")
        action["domain"] = [("vp_engagement_id", "=", self.id)]
        action["context"] = {"default_move_type": "out_invoice", "create": False}
        return action


def _line_order(key):
    """Invoice lines by time type, then named units, organisation-wide, other units."""
    time_type, unit, merged = key
    return (INVOICE_ORDER.index(time_type), merged, not unit, unit.complete_name or "")
