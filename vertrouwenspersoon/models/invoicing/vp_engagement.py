# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
import re
from collections import defaultdict
from datetime import timedelta

import psycopg2.errors
from babel.dates import format_date
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.service.model import PG_CONCURRENCY_EXCEPTIONS_TO_RETRY
from odoo.tools import SQL, float_is_zero, float_repr
from odoo.tools.misc import get_lang

from ..odoo_models.account_analytic_line import BILLING_FACTOR, INVOICE_ORDER

_logger = logging.getLogger(__name__)
# How often the monthly job tries again when hours were logged meanwhile.
CRON_ATTEMPTS = 5
# A rate named in a tax group's label: "Tax 15%", "BTW 21%", "9 %".
PERCENT_RE = re.compile(r"(\d+(?:[.,]\d+)?)\s*%")
# Advisory lock class of the gate between the monthly job's retry and the logging of hours.
BILLING_GATE = "vp_engagement_billing"


class VpEngagement(models.Model):
    """The contract with a client organisation: whom to invoice, at which
    hourly rate, on which terms, and the analytic account the hours go to."""

    _name = "vp.engagement"
    _description = "Engagement"
    _inherit = ["vp.field.access.mixin"]
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

    @api.constrains("hourly_rate", "min_cases_per_unit", "organisation_id")
    def _check_numbers(self):
        for engagement in self:
            if engagement.hourly_rate < 0:
                raise ValidationError(self.env._("An hourly rate cannot be negative."))
            floor = engagement.organisation_id.min_cases_per_unit_floor
            if engagement.min_cases_per_unit < max(floor, 1):
                # The accountant sets this threshold; the organisation's floor,
                # which only the coordinator or an administrator sets (and which is logged),
                # keeps single cases from being named on an invoice.
                raise ValidationError(
                    self.env._(
                        "The minimum number of cases per unit is at least %(floor)s for %(organisation)s.",
                        floor=max(floor, 1),
                        organisation=engagement.organisation_id.name,
                    )
                )

    def _vp_threshold(self):
        """The anonymity threshold in force: never below the organisation's floor, also
        when the floor was raised after the engagement was recorded."""
        self.ensure_one()
        return max(self.min_cases_per_unit, self.organisation_id.min_cases_per_unit_floor, 1)

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
        month of ``period_start`` from the month's hours; return them.

        An invoice bills every hour of its engagement's month (see
        ``account.analytic.line._compute_vp_invoice_id``), so billing writes
        nothing on the lines.
        Idempotent: engagements whose month already has an invoice (neither
        cancelled nor reversed) are skipped; a unique index makes that hold
        against a concurrent run too.
        Atomic: the invoices are made inside one savepoint, so an error leaves
        no invoice and no hour billed.
        Batch: a fixed number of queries per engagement, whatever the number
        of lines: lines are grouped in SQL, invoices created in one call.
        """
        start, end = self._vp_period(period_start)
        month = self._vp_month_label(start)
        if not self:
            raise UserError(self.env._("No engagement runs in %(month)s: there is nothing to invoice.", month=month))
        no_rate = self._vp_without_rate()
        if no_rate:
            raise UserError(
                self.env._(
                    "No hourly rate is set for %(engagements)s: set the rate on the engagement and run "
                    "%(month)s again. Nothing was invoiced.",
                    engagements=", ".join(no_rate.mapped("name")),
                    month=month,
                )
            )
        self._vp_claim_billing(start, end)
        closed = self.env["account.move"]._vp_closed_periods({(e.id, start) for e in self})
        todo = self.filtered(lambda e: (e.id, start) not in closed)
        if not todo:
            return self.env["account.move"]
        # sudo (here and below): the lines are their counsellors' alone (the global rule on
        # account.analytic.line); the run reads only sums of hours and counts of distinct
        # cases per engagement, unit and time type, and prints only what the anonymity rule allows.
        Line = self.env["account.analytic.line"].sudo()
        Line.flush_model()
        thresholds = self._vp_frozen_thresholds(start, todo)
        domain = [
            ("vp_engagement_id", "in", todo.ids),
            ("vp_time_type", "!=", False),
            # An internal counsellor's hours are not invoiced (account.analytic.line's vp_counsellor_kind).
            ("vp_counsellor_kind", "!=", "internal"),
            ("date", ">=", start),
            ("date", "<=", end),
        ]
        # sudo: counts of distinct cases per business unit, for the anonymity rule; no case is read.
        case_counts = {
            (engagement.id, unit.id): count
            for engagement, unit, count in Line._read_group(
                [*domain, ("vp_subject", "=", "case")],
                ["vp_engagement_id", "vp_business_unit_id"],
                ["vp_case_id:count_distinct"],
            )
        }
        groups = Line._read_group(
            domain,
            ["vp_engagement_id", "vp_time_type", "vp_business_unit_id", "vp_subject"],
            ["unit_amount:sum"],
        )
        # engagement -> {(time_type, unit or no unit, merged): hours}, and the units merged per engagement
        hours = defaultdict(lambda: defaultdict(float))
        merged_units = defaultdict(set)
        for engagement, time_type, unit, subject, amount in groups:
            merged = bool(
                subject == "case" and unit and case_counts.get((engagement.id, unit.id), 0) < thresholds[engagement.id]
            )
            if merged:
                merged_units[engagement.id].add(unit.id)
            if BILLING_FACTOR[time_type]:
                hours[engagement.id][time_type, self.env["vp.business.unit"] if merged else unit, merged] += amount
        to_invoice = todo.filtered(lambda e: any(hours[e.id].values()))
        if not to_invoice:
            return self.env["account.move"]
        prepared = to_invoice._vp_prepare_invoicing()
        for engagement in to_invoice:
            prepared[engagement.id]["threshold"] = thresholds[engagement.id]
        # One query for the merged units of all invoices, not one per invoice.
        self.env["vp.business.unit"].browse(set().union(*merged_units.values())).mapped("complete_name")
        Move = self.env["account.move"].with_context(
            default_move_type="out_invoice",
            tracking_disable=True,
            mail_create_nolog=True,
            mail_create_nosubscribe=True,
        )
        try:
            with self.env.cr.savepoint():
                # Odoo's own invoice creation, as sale does: one create for the batch, from
                # product, quantity and price; Odoo adds the taxes, the receivable lines of the
                # payment terms and the totals itself.
                invoices = Move.create(
                    [e._vp_invoice_vals(start, hours[e.id], merged_units[e.id], prepared[e.id]) for e in to_invoice]
                )
                invoices.flush_recordset()
        except psycopg2.errors.UniqueViolation as error:
            raise UserError(
                self.env._("Another invoicing run billed %(month)s meanwhile: run the month again.", month=month)
            ) from error
        invoices._vp_release_lines()  # forget values computed before the invoices existed
        _logger.info("Monthly invoicing %s: %d invoice(s) created", start, len(invoices))
        return invoices

    def _vp_frozen_thresholds(self, start, engagements):
        """{engagement id: threshold} for the month of ``start``: the one of the month's first
        invoice, cancelled or reversed ones included, else the engagement's own.
        Otherwise cancelling and re-running a month with another threshold would tell, from
        the units each run merges, how many cases every unit had. One query for all."""
        # sudo: thresholds of earlier invoices of these engagements, numbers only.
        earlier = (
            self.env["account.move"]
            .sudo()
            .search_fetch(
                [
                    ("vp_engagement_id", "in", engagements.ids),
                    ("vp_period", "=", start),
                    ("vp_min_cases_per_unit", ">", 0),
                ],
                ["vp_engagement_id", "vp_min_cases_per_unit"],
                order="id desc",
            )
        )
        frozen = {move.vp_engagement_id.id: move.vp_min_cases_per_unit for move in earlier}  # the first wins
        return {
            engagement.id: max(
                frozen.get(engagement.id) or engagement._vp_threshold(),
                engagement.organisation_id.min_cases_per_unit_floor,
            )
            for engagement in engagements
        }

    def _vp_without_rate(self):
        return self.filtered(lambda e: float_is_zero(e.hourly_rate, precision_rounding=e.currency_id.rounding))

    def _vp_claim_billing(self, start, end):
        """Make the monthly run of these engagements and the logging of their
        hours exclude each other, so no hour is logged in a month while it is
        being invoiced (it would be neither billed nor refused), while
        counsellors logging hours for one organisation at the same moment do
        not wait for each other (see ``_vp_hold_billing``).

        The run updates the engagement rows (a no-op UPDATE, which still
        writes a new row version; the ORM is bypassed on purpose: it would
        change write_date and write_uid). So:

        - a counsellor whose transaction started before the run committed
          fails, on its share lock, with a serialization error, which Odoo
          retries; the retry sees the invoice and refuses the hour;
        - a counsellor who holds the share lock makes the run wait until the
          hours are committed; those hours are then not in the run's snapshot
          (Odoo's REPEATABLE READ), so the run looks on a fresh connection
          for hours of the month committed meanwhile and, if there are any,
          fails with a serialization error itself, which Odoo (or the monthly
          job) retries; the retry bills them.
        """
        if not self:
            return
        cr = self.env.cr
        cr.execute(SQL("UPDATE vp_engagement SET write_date = write_date WHERE id = ANY(%s)", sorted(self.ids)))
        months_lines = SQL(
            "SELECT id FROM account_analytic_line WHERE vp_engagement_id = ANY(%s) "
            "AND vp_time_type IS NOT NULL AND vp_counsellor_kind IS DISTINCT FROM 'internal' "
            "AND date >= %s AND date <= %s",
            list(self.ids),
            start,
            end,
        )
        with self.env.registry.cursor() as fresh:
            fresh.execute(months_lines)
            committed = [row[0] for row in fresh.fetchall()]
        cr.execute(SQL("SELECT id FROM account_analytic_line WHERE id = ANY(%s)", committed))
        if len(cr.fetchall()) < len(committed):
            _logger.info("Monthly invoicing %s: hours were logged while the run waited for them", start)
            cr.execute(
                "DO $$ BEGIN RAISE EXCEPTION 'vertrouwenspersoon: hours were logged while the month was invoiced' "
                "USING ERRCODE = 'serialization_failure'; END $$"
            )

    def _vp_hold_billing(self):
        """The logging of hours for these engagements: a share lock on their rows.
        Share locks do not conflict with each other, so counsellors logging hours
        for one client organisation at the same moment go ahead side by side (an
        update of the row, as before, made the second one wait and then fail to
        serialize). The monthly run's update conflicts with it: see
        ``_vp_claim_billing``."""
        if self:
            # First the gate the monthly job closes when it tries again (see _cron_invoice_last_month).
            self.env.cr.execute(
                SQL(
                    "SELECT pg_advisory_xact_lock_shared(hashtext(%s), id) FROM unnest(%s::int[]) id ORDER BY id",
                    BILLING_GATE,
                    sorted(self.ids),
                )
            )
            self.env.cr.execute(
                SQL("SELECT id FROM vp_engagement WHERE id = ANY(%s) ORDER BY id FOR SHARE", list(self.ids))
            )

    def _vp_prepare_invoicing(self):
        """Per engagement, what its invoice and lines need and Odoo would otherwise
        work out invoice by invoice and line by line: the delivery address, the
        fiscal position, the taxes and the sales journal, found once per customer
        and product."""
        Journal = self.env["account.journal"]
        FiscalPosition = self.env["account.fiscal.position"]
        journals, positions, prepared = {}, {}, {}
        checked = self.env["account.tax"]
        # account.move._compute_partner_shipping_id, for all customers at once (one query
        # for their contacts, one for the addresses found, read together)
        customers = self.partner_id
        customers.child_ids.mapped("type")
        delivery_ids = {partner.id: partner.address_get(["delivery"])["delivery"] for partner in customers}
        addresses = {address.id: address for address in customers.browse(set(delivery_ids.values()))}
        shipping = {partner_id: addresses[address_id] for partner_id, address_id in delivery_ids.items()}
        for engagement in self:
            company = engagement.company_id
            if company.id not in journals:
                # The sales journal Odoo would pick for a customer invoice in the company's currency.
                journals[company.id] = Journal.search(
                    [*Journal._check_company_domain(company), ("type", "=", "sale")], limit=1
                )
            partner = engagement.partner_id
            key = (company.id, partner.id)
            if key not in positions:
                # account.move._compute_fiscal_position_id
                positions[key] = FiscalPosition.with_company(company)._get_fiscal_position(
                    partner, delivery=shipping[partner.id]
                )
            product = engagement.product_id.with_company(company)
            # The product's taxes in this company, or the company's default sales tax when the
            # product has none there (the addon's product is made before a chart exists).
            own_taxes = product.taxes_id._filter_taxes_by_company(company) or company.account_sale_tax_id
            taxes = positions[key].map_tax(own_taxes)
            checked |= taxes
            prepared[engagement.id] = {
                "journal": journals[company.id],
                "fiscal_position": positions[key],
                "shipping": shipping[partner.id],
                "taxes": taxes,
            }
        # Once for every tax of the run, before any invoice is made.
        self._vp_check_tax_labels(checked)
        return prepared

    @api.model
    def _vp_check_tax_labels(self, taxes):
        """An invoice prints each tax under its tax group's name. A group named for another
        rate (the generic chart's 'Tax 15%' above 21% lines) tells the client a wrong
        rate: refuse before any invoice is made, and say what to change."""
        for tax in taxes.filtered(lambda tax: tax.amount_type == "percent"):
            label = tax.tax_group_id.name or ""
            rates = {float(rate.replace(",", ".")) for rate in PERCENT_RE.findall(label)}
            if rates and tax.amount not in rates:
                raise UserError(
                    self.env._(
                        "The tax %(tax)s of %(rate)s%% is printed on the invoice as '%(label)s', a different rate. "
                        "Give the tax a tax group that names its own rate (Invoicing > Configuration > Taxes), "
                        "then invoice again.",
                        tax=tax.name,
                        rate=float_repr(tax.amount, 2).rstrip("0").rstrip("."),
                        label=label,
                    )
                )

    def _vp_invoice_vals(self, start, hours, merged_units, prepared):
        """Values of the invoice of ``start``'s month, as ``sale`` gives them to
        ``account.move.create``: the header and, per time type and business unit, a product
        line of quantity and price with the product's taxes. Odoo computes the accounts,
        the tax and receivable lines, the due dates and the totals."""
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
                    # Given, as sale gives its order line's: Odoo's own would not fall back on
                    # the company's default sales tax (see _vp_prepare_invoicing).
                    "tax_ids": [fields.Command.set(prepared["taxes"].ids)],
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
            "journal_id": prepared["journal"].id,
            "fiscal_position_id": prepared["fiscal_position"].id,
            "partner_shipping_id": prepared["shipping"].id,
            "currency_id": self.currency_id.id,
            "invoice_payment_term_id": self.payment_term_id.id,
            "invoice_origin": env_lang._("Counsellor hours %(month)s", month=month),
            "ref": env_lang._("Counsellor hours %(month)s", month=month),
            "vp_engagement_id": self.id,
            "vp_period": start,
            "vp_merged_unit_ids": [fields.Command.set(sorted(merged_units))],
            "vp_min_cases_per_unit": prepared["threshold"],
            "invoice_line_ids": [fields.Command.create(vals) for vals in lines],
        }

    @api.model
    def _cron_invoice_last_month(self):
        """Scheduled: invoice the previous month for every engagement that ran in it.

        An engagement without hourly rate is left out (the wizard names it and refuses the
        whole month instead): the others are invoiced, and that engagement's month stays
        open until someone sets the rate and runs the month from the wizard.

        When a counsellor logs hours for one of the engagements while the job runs, the
        job's transaction fails with a serialization error (see ``_vp_claim_billing``).
        Odoo's scheduler would then wait a month, so the job tries again itself in a new
        transaction, which sees those hours; nothing of the failed attempt was saved."""
        start = (fields.Date.context_today(self).replace(day=1) - timedelta(days=1)).replace(day=1)
        gated = []
        try:
            for attempt in range(1, CRON_ATTEMPTS + 1):
                engagements = self._vp_engagements_of_month(start)
                no_rate = engagements._vp_without_rate()
                try:
                    if engagements - no_rate:
                        (engagements - no_rate)._vp_invoice_month(start)
                    break
                except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY as error:
                    if attempt == CRON_ATTEMPTS:
                        raise
                    _logger.info(
                        "Monthly invoicing %s: hours were logged meanwhile (%s), trying again (attempt %d of %d)",
                        start,
                        error.pgcode,
                        attempt + 1,
                        CRON_ATTEMPTS,
                    )
                    self.env.cr.rollback()  # a new transaction, with a new snapshot
                    if not gated:
                        gated = sorted(engagements.ids)
                        self._vp_close_billing_gate(gated)
        finally:
            if gated:
                self.env.cr.execute(
                    SQL(
                        "SELECT pg_advisory_unlock(hashtext(%s), id) FROM unnest(%s::int[]) id",
                        BILLING_GATE,
                        gated,
                    )
                )
        if no_rate:
            _logger.warning(
                "Monthly invoicing %s: engagement(s) %s have no hourly rate and were not invoiced",
                start,
                no_rate.ids,
            )

    def _vp_close_billing_gate(self, ids):
        """Before the job tries again: wait until no counsellor is logging hours for
        these engagements and hold new ones back (they wait, then fail to serialize
        on the run's update and are retried), in a transaction committed on its own,
        so the next attempt's snapshot holds every hour logged so far. Without it, a
        steady stream of hours could make every attempt find hours committed while
        it waited. A session lock: released at the end of the job, or when the
        connection closes."""
        self.env.cr.execute(
            SQL(
                "SELECT pg_advisory_lock(hashtext(%s), id) FROM unnest(%s::int[]) id ORDER BY id",
                BILLING_GATE,
                ids,
            )
        )
        # only the lock: the next attempt starts a new transaction
        self.env.cr.commit()  # pylint: disable=invalid-commit

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
