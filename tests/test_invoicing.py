"""Timesheets and the monthly invoicing run: what is billed and at which
share, idempotence, atomicity, release on cancel and reversal, locks, the
XLSX specification read back, the anonymity rule, access of the accountant
and the query bound of the run."""

import io
from datetime import date
from unittest.mock import patch

import openpyxl
from dateutil.relativedelta import relativedelta

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, TransactionCase, tagged

from .common import VpCaseCommon, translate

MONTH = date(2026, 10, 1)
NOTE = "Gesprek met Jolanda over haar leidinggevende"


class VpInvoicingCommon(VpCaseCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.Engagement = env["vp.engagement"]
        cls.engagement = env.ref("vertrouwenspersoon.engagement_zorggroep")
        cls.engagement_logistiek = env.ref("vertrouwenspersoon.engagement_logistiek")
        cls.facilitair = env.ref("vertrouwenspersoon.bu_linde_facilitair")
        # Three distinct cases in Thuiszorg: that unit is named on the invoice.
        cls.case_b = cls.new_case(cls.counsellor)
        cls.case_c = cls.new_case(cls.counsellor)
        cls.case_small = cls.new_case(cls.counsellor, business_unit_id=cls.facilitair.id)
        cls.case_logistiek = cls.new_case(
            cls.counsellor,
            organisation_id=env.ref("vertrouwenspersoon.organisation_logistiek").id,
            business_unit_id=env.ref("vertrouwenspersoon.bu_vandam_magazijn").id,
        )

    @classmethod
    def log(cls, time_type, hours, case=None, day=None, user=None, session=None, name=None):
        vals = {
            "vp_time_type": time_type,
            "unit_amount": hours,
            "date": day or MONTH.replace(day=6),
        }
        if session:
            vals["vp_prevention_session_id"] = session.id
        else:
            vals["vp_case_id"] = (case or cls.case).id
        if name:
            vals["name"] = name
        return cls.env["account.analytic.line"].with_user(user or cls.counsellor).create(vals)

    def run_month(self, month=MONTH, engagements=None, user=None):
        Engagement = self.env["vp.engagement"].with_user(user or self.accountant)
        engagements = (engagements or Engagement._vp_engagements_of_month(month)).with_user(user or self.accountant)
        return engagements._vp_invoice_month(month)

    def vp_invoices(self, month=MONTH):
        return self.env["account.move"].search([("vp_period", "=", month), ("vp_engagement_id", "!=", False)])


@tagged("post_install", "-at_install")
class TestInvoicingRun(VpInvoicingCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.lines = (
            cls.log("intake", 2.0, name=NOTE)
            | cls.log("meeting", 1.5, cls.case_b, day=MONTH.replace(day=14))
            | cls.log("contact", 0.5, cls.case_c, day=MONTH.replace(day=20))
            | cls.log("travel", 1.0)
            | cls.log("cancelled_client", 2.0, cls.case_b)
            | cls.log("cancelled_counsellor", 1.0, cls.case_c)
            | cls.log("meeting", 1.0, cls.case_small)
        )

    def _line(self, invoice, time_type):
        return invoice.invoice_line_ids.filtered(lambda line: line.vp_time_type == time_type)

    def test_travel_and_cancellations(self):
        invoice = self.run_month(engagements=self.engagement)
        self.assertEqual(len(invoice), 1)
        self.assertEqual((invoice.move_type, invoice.state), ("out_invoice", "draft"))
        self.assertEqual(invoice.partner_id, self.organisation.partner_id)
        self.assertEqual(invoice.invoice_payment_term_id, self.engagement.payment_term_id)
        # Travel and the counsellor's cancellation are never billed; the client's at half the rate.
        self.assertFalse(self._line(invoice, "travel"))
        self.assertFalse(self._line(invoice, "cancelled_counsellor"))
        cancelled = self._line(invoice, "cancelled_client")
        self.assertEqual((cancelled.quantity, cancelled.price_unit), (2.0, 47.5))
        intake = self._line(invoice, "intake")
        self.assertEqual((intake.quantity, intake.price_unit, intake.price_subtotal), (2.0, 95.0, 190.0))
        billed_hours = 2.0 + 1.5 + 0.5 + 2.0 + 1.0
        self.assertAlmostEqual(sum(invoice.invoice_line_ids.mapped("quantity")), billed_hours)
        self.assertAlmostEqual(invoice.amount_untaxed, (2.0 + 1.5 + 0.5 + 1.0) * 95 + 2.0 * 47.5)
        # Every line of the month links to the invoice, the unbilled ones too (so they are closed).
        self.assertEqual(self.lines.sudo().vp_invoice_id, invoice)
        self.assertEqual(invoice.sudo().vp_timesheet_ids, self.lines)

    def _odoos_own_invoice(self, invoice):
        """The invoice Odoo makes itself from only product, quantity and price of each line."""
        return self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": invoice.partner_id.id,
                "ref": invoice.ref,
                "invoice_payment_term_id": invoice.invoice_payment_term_id.id,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "product_id": line.product_id.id,
                            "quantity": line.quantity,
                            "price_unit": line.price_unit,
                            "analytic_distribution": line.analytic_distribution,
                        }
                    )
                    for line in invoice.invoice_line_ids
                ],
            }
        )

    @staticmethod
    def _fingerprint(move):
        lines = sorted(
            (
                line.display_type,
                line.account_id.id,
                line.tax_ids.ids,
                line.tax_tag_ids.ids,
                line.tax_repartition_line_id.id,
                line.balance,
                line.amount_currency,
                line.amount_residual,
                line.price_subtotal,
                line.price_total,
                line.partner_id.id,
                line.date_maturity,
                line.discount_date,
                line.discount_balance,
                # product lines have names of their own; the others name their invoice
                "" if line.display_type == "product" else (line.name or "").replace(move.name or "/", "<number>"),
            )
            for line in move.line_ids
        )
        totals = (
            move.amount_untaxed,
            move.amount_tax,
            move.amount_total,
            move.amount_residual,
            move.invoice_date_due,
            move.journal_id.id,
            move.fiscal_position_id.id,
            move.date,
            move.partner_shipping_id.id,
            move.invoice_currency_rate,
            move.delivery_date,
            move.currency_id.id,
        )
        return lines, totals

    def test_invoice_amounts_equal_odoos_own(self):
        """The run creates its invoices through Odoo's own invoice creation, as sale does:
        lines and totals must be exactly what Odoo makes of the same product, quantity and
        price, here with Dutch VAT, for payment terms in two instalments, no payment terms,
        and an early-payment discount; and stay equal after an edit of the draft and once
        both are posted."""
        group = self.env["account.tax.group"].create({"name": "BTW 21% (test)"})
        vat = self.env["account.tax"].create(
            {
                "name": "21% BTW (test)",
                "amount": 21.0,
                "amount_type": "percent",
                "type_tax_use": "sale",
                "tax_group_id": group.id,
            }
        )
        self.engagement.product_id.taxes_id = vat
        two_parts = self.env["account.payment.term"].create(
            {
                "name": "30% now, the rest in 45 days (test)",
                "line_ids": [
                    Command.create({"value": "percent", "value_amount": 30.0, "nb_days": 0}),
                    Command.create({"value": "percent", "value_amount": 70.0, "nb_days": 45}),
                ],
            }
        )
        early = self.env["account.payment.term"].create(
            {
                "name": "2% within 8 days, net 30 (test)",
                "early_discount": True,
                "discount_percentage": 2.0,
                "discount_days": 8,
                "line_ids": [Command.create({"value": "percent", "value_amount": 100.0, "nb_days": 30})],
            }
        )
        # a delivery address of its own, which Odoo puts on the invoice
        delivery = self.env["res.partner"].create(
            {"name": "Afleveradres (test)", "type": "delivery", "parent_id": self.engagement.partner_id.id}
        )
        for terms in (two_parts, self.env["account.payment.term"], early):
            with self.subTest(terms=terms.name or "none"), self.env.cr.savepoint() as savepoint:
                self.engagement.payment_term_id = terms
                invoice = self.run_month(engagements=self.engagement)
                plain = self._odoos_own_invoice(invoice)
                self.maxDiff = None
                self.assertEqual(self._fingerprint(invoice), self._fingerprint(plain))
                self.assertEqual(invoice.partner_shipping_id, delivery)
                self.assertGreater(invoice.amount_tax, 0)
                self.assertEqual(invoice.invoice_line_ids.tax_ids, vat)
                self.assertEqual(len(invoice.line_ids.filtered("tax_repartition_line_id")), 1)
                self.assertEqual(
                    len(invoice.line_ids.filtered(lambda line: line.display_type == "payment_term")),
                    2 if terms == two_parts else 1,
                )
                # an accountant's edit of a draft synchronises both the same way
                for move in (invoice, plain):
                    line = move.invoice_line_ids.sorted(lambda line: (line.price_unit, line.quantity))[-1]
                    move.write({"invoice_line_ids": [Command.update(line.id, {"quantity": line.quantity + 1.5})]})
                self.assertEqual(self._fingerprint(invoice), self._fingerprint(plain))
                (invoice | plain).action_post()
                self.assertEqual(self._fingerprint(invoice), self._fingerprint(plain))
                savepoint.rollback()

    def test_invoice_lines_name_no_person_or_case(self):
        invoice = self.run_month(engagements=self.engagement)
        month = self.Engagement._vp_month_label(MONTH, invoice.partner_id.lang)
        names = invoice.invoice_line_ids.mapped("name")
        self.assertIn(f"Intake — Zorg en wonen / Thuiszorg — {month}", names)
        text = " ".join([*names, invoice.ref or "", invoice.invoice_origin or "", invoice.narration or ""])
        cases = self.case | self.case_b | self.case_c | self.case_small
        for forbidden in [*cases.mapped("name"), self.counsellor.name, "Anne", "Jolanda", NOTE, self.NAME]:
            self.assertNotIn(forbidden, text)

    def test_anonymity_rule_merges_small_units(self):
        invoice = self.run_month(engagements=self.engagement)
        # Facilitair has one case this month (< 3): its hours are under 'other units'.
        self.assertFalse(invoice.invoice_line_ids.filtered(lambda line: "Facilitair" in line.name))
        other = invoice.invoice_line_ids.filtered("vp_unit_merged")
        self.assertEqual(len(other), 1)
        self.assertIn(translate("Other units", invoice.partner_id.lang), other.name)
        self.assertEqual(other.quantity, 1.0)
        self.assertTrue(self.lines.filtered(lambda line: line.sudo().vp_case_id == self.case_small).vp_unit_merged)
        # Thuiszorg has three cases: named.
        self.assertTrue(invoice.invoice_line_ids.filtered(lambda line: "Thuiszorg" in line.name))
        self.assertEqual(invoice.vp_min_cases_per_unit, 3)
        # A higher threshold merges Thuiszorg too, from the next month on.
        self.engagement.with_user(self.accountant).min_cases_per_unit = 4
        self.log("intake", 1.0, day=date(2026, 11, 3))
        november = self.run_month(date(2026, 11, 1), engagements=self.engagement)
        self.assertFalse(november.invoice_line_ids.filtered(lambda line: "Thuiszorg" in line.name))
        self.assertEqual(november.vp_min_cases_per_unit, 4)

    def test_threshold_is_no_count_oracle(self):
        """Cancel, change the threshold, run again, compare the merged units.
        The month keeps the threshold of its first invoice, so the same units are merged."""
        accountant_engagement = self.engagement.with_user(self.accountant)
        first = self.run_month(engagements=self.engagement)
        merged = first.vp_merged_unit_ids
        self.assertIn(self.facilitair, merged)
        self.assertNotIn(self.unit, merged)
        for threshold in (4, 10, 3):
            first.with_user(self.accountant).button_cancel()
            accountant_engagement.min_cases_per_unit = threshold
            again = self.run_month(engagements=self.engagement)
            self.assertEqual(again.vp_merged_unit_ids, merged, f"threshold {threshold} changed the merged units")
            self.assertEqual(again.vp_min_cases_per_unit, 3)
            first = again
        # Nor can the accountant go below the organisation's floor, which they cannot change.
        for lower in (2, 1):
            with self.assertRaisesRegex(ValidationError, "at least 3"):
                accountant_engagement.min_cases_per_unit = lower
                accountant_engagement.flush_recordset()
        with self.assertRaises(AccessError):
            self.organisation.with_user(self.accountant).write({"min_cases_per_unit_floor": 1})
        # The coordinator sets the floor, and it is logged.
        self.organisation.with_user(self.coordinator).write({"min_cases_per_unit_floor": 5})
        log = self.env["vp.change.log"].search(
            [
                ("res_model", "=", "vp.organisation"),
                ("field_name", "=", "min_cases_per_unit_floor"),
                ("user_id", "=", self.coordinator.id),
            ]
        )
        self.assertEqual((log.user_id, log.old_value, log.new_value), (self.coordinator, "3", "5"))

    def test_rerun_is_idempotent(self):
        first = self.run_month()
        self.assertTrue(first)
        count = self.env["account.move"].search_count([])
        second = self.run_month()
        self.assertFalse(second)
        self.assertEqual(self.env["account.move"].search_count([]), count)
        # The wizard says so instead of failing.
        wizard = self.env["vp.invoicing.wizard"].with_user(self.accountant).create({"month": MONTH})
        action = wizard.action_run()
        self.assertEqual(action["tag"], "display_notification")
        self.assertEqual(self.env["account.move"].search_count([]), count)

    def test_wizard_creates_invoices(self):
        form = Form(self.env["vp.invoicing.wizard"].with_user(self.accountant))
        form.month = MONTH.replace(day=17)
        action = form.save().action_run()
        # The summary first, then the new invoices.
        self.assertEqual(action["tag"], "display_notification")
        invoices = self.env["account.move"].search(action["params"]["next"]["domain"])
        self.assertEqual(invoices.vp_engagement_id, self.engagement)
        self.assertEqual(invoices.vp_period, MONTH)

    def test_wizard_says_what_it_made_and_skipped(self):
        """A run says how many invoices it made and how many
        engagements it skipped, and why: already invoiced, or nothing to bill."""
        engagements = self.Engagement._vp_engagements_of_month(MONTH)
        self.assertIn(self.engagement_logistiek, engagements, "an engagement without hours that month")
        idle = engagements - self.engagement
        Wizard = self.env["vp.invoicing.wizard"].with_user(self.accountant).with_context(lang="en_US")

        def run():
            params = Wizard.create({"month": MONTH}).action_run()["params"]
            return params["message"], params

        message, params = run()
        self.assertEqual(params["type"], "success")
        self.assertTrue(message.startswith("1 invoice made."), message)
        self.assertIn(f"skipped: nothing to bill ({', '.join(idle.mapped('name'))})", message)
        self.assertNotIn("already invoiced", message)
        self.assertNotIn(self.NAME, message, "no person in the message")
        # The second run of the same month: nothing made, and why.
        message, params = run()
        self.assertEqual(params["type"], "info")
        self.assertEqual(params["next"], {"type": "ir.actions.act_window_close"})
        self.assertTrue(message.startswith("0 invoices made."), message)
        self.assertIn(f"1 engagement skipped: already invoiced ({self.engagement.name}).", message)
        self.assertIn("skipped: nothing to bill", message)
        # Two engagements, both invoiced before.
        self.log("meeting", 3.0, self.case_logistiek)
        self.run_month(engagements=self.engagement_logistiek)
        both = self.engagement | self.engagement_logistiek
        wizard = Wizard.create({"month": MONTH, "engagement_ids": [(6, 0, both.ids)]})
        message = wizard.action_run()["params"]["message"]
        self.assertIn("2 engagements skipped: already invoiced", message)
        self.assertNotIn("nothing to bill", message)

    def test_wizard_description_matches_billing_by_month(self):
        """The wizard says a month bills every hour of it, as the README does,
        not "the hours not yet invoiced"."""
        arch = self.env["vp.invoicing.wizard"].with_context(lang="en_US").get_view()["arch"]
        self.assertIn("it bills every hour the engagement logged in that month", arch)
        self.assertIn("which engagements were skipped, and why", arch)
        self.assertNotIn("not yet invoiced", arch)

    def test_crash_mid_run_leaves_nothing(self):
        self.log("meeting", 3.0, self.case_logistiek)
        engagements = (self.engagement | self.engagement_logistiek).sorted("id")
        Move = type(self.env["account.move"])
        original = Move.create
        calls = []

        def create_then_crash(moves, vals_list):
            created = original(moves, vals_list)
            calls.append(created.ids)
            moves.env.flush_all()  # the invoices are in the database: their hours count as billed
            # sudo: the accountant reads no line (global rule)
            lines = moves.env["account.analytic.line"].sudo()
            self.assertTrue(lines.search_count([("vp_invoice_id", "in", created.ids)]))
            raise RuntimeError("disk full")

        with patch.object(Move, "create", create_then_crash):
            with self.assertRaises(RuntimeError):
                self.run_month(engagements=engagements)
        self.assertEqual(len(calls[0]), 2, "both invoices were made before the crash")
        self.env.invalidate_all()
        self.assertFalse(self.vp_invoices())
        month_lines = [("vp_time_type", "!=", False), ("date", ">=", MONTH), ("date", "<", date(2026, 11, 1))]
        self.assertEqual(self.env["account.analytic.line"].search_count(month_lines), 8)
        self.assertFalse(self.env["account.analytic.line"].search([*month_lines, ("vp_invoice_id", "!=", False)]))
        # Nothing lost: the next run bills every hour once.
        invoices = self.run_month(engagements=engagements)
        self.assertEqual(len(invoices), 2)
        self.assertEqual(
            self.env["account.analytic.line"].search_count([*month_lines, ("vp_invoice_id", "=", False)]), 0
        )

    def test_cancel_releases_and_reversal_releases(self):
        invoice = self.run_month(engagements=self.engagement)
        invoice.button_cancel()
        self.assertFalse(self.lines.sudo().vp_invoice_id)
        with self.assertRaisesRegex(UserError, "cannot be reset to draft"):
            invoice.button_draft()
        invoice = self.run_month(engagements=self.engagement)
        self.assertEqual(self.lines.sudo().vp_invoice_id, invoice)
        invoice.action_post()
        reversal = (
            self.env["account.move.reversal"]
            .with_user(self.accountant)
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"journal_id": invoice.journal_id.id, "reason": "Tarief"})
        )
        reversal.refund_moves()
        credit_note = self.env["account.move"].search([("reversed_entry_id", "=", invoice.id)])
        self.assertEqual(credit_note.move_type, "out_refund")
        self.assertFalse(credit_note.vp_engagement_id)
        # A draft credit note releases nothing yet; posted, it reverses the whole invoice.
        self.assertEqual(credit_note.state, "draft")
        self.assertFalse(invoice.vp_released)
        self.assertEqual(self.lines.sudo().vp_invoice_id, invoice)
        credit_note.with_user(self.accountant).action_post()
        self.assertTrue(invoice.vp_released)
        self.assertFalse(self.lines.sudo().vp_invoice_id)
        # Released hours go on the next run, once.
        again = self.run_month(engagements=self.engagement)
        self.assertEqual(len(again), 1)
        self.assertAlmostEqual(again.amount_untaxed, invoice.amount_untaxed)
        self.assertFalse(self.run_month(engagements=self.engagement))
        # The credit note that released the hours stays posted: they may be billed again.
        with self.assertRaisesRegex(UserError, "cannot be reset to draft"):
            credit_note.with_user(self.accountant).button_draft()

    def test_partial_credit_note_keeps_hours_billed(self):
        invoice = self.run_month(engagements=self.engagement)
        invoice.action_post()
        reversal = (
            self.env["account.move.reversal"]
            .with_user(self.accountant)
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"journal_id": invoice.journal_id.id, "reason": "Korting op de intake"})
        )
        reversal.refund_moves()
        credit_note = self.env["account.move"].search([("reversed_entry_id", "=", invoice.id)])
        # Only the intake (2 hours at 95) is credited, and only half of it.

        def intake_of(move):
            return move.invoice_line_ids.filtered(lambda line: (line.quantity, line.price_unit) == (2.0, 95.0))

        intake = intake_of(credit_note)
        self.assertEqual(len(intake), 1)
        credit_note.write(
            {
                "invoice_line_ids": [Command.unlink(line.id) for line in credit_note.invoice_line_ids - intake]
                + [Command.update(intake.id, {"quantity": intake.quantity / 2})]
            }
        )
        credit_note.action_post()
        self.assertLess(credit_note.amount_untaxed, invoice.amount_untaxed)
        self.assertFalse(invoice.vp_released)
        self.assertEqual(self.lines.sudo().vp_invoice_id, invoice)
        self.assertFalse(self.run_month(engagements=self.engagement), "nothing is billed twice")
        # A second credit note for the rest reverses the whole invoice: its hours are released.
        rest = invoice._reverse_moves([{"ref": "Rest"}])
        rest.write({"invoice_line_ids": [Command.update(intake_of(rest).id, {"quantity": 1.0})]})
        rest.action_post()
        self.assertTrue(invoice.vp_released)
        self.assertFalse(self.lines.sudo().vp_invoice_id)

    def test_cron_invoices_the_engagements_with_a_rate(self):
        self.log("meeting", 3.0, self.case_logistiek)
        self.engagement_logistiek.hourly_rate = 0
        today = date(2026, 11, 3)  # the job of 3 November invoices October
        with patch("odoo.fields.Date.context_today", return_value=today):
            with self.assertLogs("odoo.addons.vertrouwenspersoon.models.invoicing.vp_engagement", "WARNING") as logs:
                self.env["vp.engagement"]._cron_invoice_last_month()
        self.assertIn(str(self.engagement_logistiek.id), logs.output[0])
        self.assertEqual(self.vp_invoices().vp_engagement_id, self.engagement)
        # Once the rate is set, the month of the other engagement can still be invoiced.
        self.engagement_logistiek.hourly_rate = 80.0
        self.assertTrue(self.run_month(engagements=self.engagement_logistiek))

    def test_search_hours_by_invoice(self):
        invoice = self.run_month(engagements=self.engagement)
        other = self.env["account.analytic.line"].create(
            {"name": "Other work", "account_id": self.engagement.analytic_account_id.id, "unit_amount": 1.0}
        )
        Line = self.env["account.analytic.line"]
        scope = [("id", "in", [*self.lines.ids, other.id])]
        self.assertEqual(Line.search([*scope, ("vp_invoice_id", "=", invoice.id)]), self.lines)
        self.assertEqual(Line.search([*scope, ("vp_invoice_id", "in", invoice.ids)]), self.lines)
        self.assertEqual(Line.search([*scope, ("vp_invoice_id", "!=", False)]), self.lines)
        # Not billed (by it): the hours of no counsellor, whatever their month.
        self.assertEqual(Line.search([*scope, ("vp_invoice_id", "=", False)]), other)
        self.assertEqual(Line.search([*scope, ("vp_invoice_id", "!=", invoice.id)]), other)
        self.assertEqual(Line.search([*scope, ("vp_invoice_id", "not in", invoice.ids)]), other)
        self.assertEqual(Line.search([*scope, ("vp_invoice_id", "in", [])]), Line)
        invoice.button_cancel()
        self.assertEqual(Line.search([*scope, ("vp_invoice_id", "=", False)]), self.lines | other)

    def test_deleting_draft_releases(self):
        invoice = self.run_month(engagements=self.engagement)
        invoice.unlink()
        self.assertFalse(self.lines.sudo().vp_invoice_id)
        self.assertTrue(self.run_month(engagements=self.engagement))

    def test_billed_lines_are_locked(self):
        invoice = self.run_month(engagements=self.engagement)
        line = self.lines[0].with_user(self.counsellor)
        with self.assertRaisesRegex(UserError, "draft invoice"):
            line.write({"unit_amount": 9.0})
        with self.assertRaisesRegex(UserError, "draft invoice"):
            line.unlink()
        invoice.action_post()
        with self.assertRaisesRegex(UserError, "already posted"):
            line.write({"unit_amount": 9.0})
        self.assertEqual(line.unit_amount, 2.0)
        # The month is closed: new hours in it are refused, with the reason.
        with self.assertRaisesRegex(UserError, "already invoiced"):
            self.log("meeting", 1.0)
        # No user sets the link by hand.
        with self.assertRaisesRegex(UserError, "Only the monthly invoicing run"):
            self.lines[1].write({"vp_invoice_id": False})

    def test_bad_input(self):
        # A month without any engagement.
        with self.assertRaisesRegex(UserError, "No engagement runs in"):
            self.env["vp.invoicing.wizard"].with_user(self.accountant).create({"month": date(2020, 1, 1)}).action_run()
        # A rate missing: nothing is invoiced, for any engagement.
        self.engagement_logistiek.hourly_rate = 0
        self.log("meeting", 3.0, self.case_logistiek)
        with self.assertRaisesRegex(UserError, "No hourly rate is set for Van Dam"):
            self.run_month()
        self.assertFalse(self.vp_invoices())
        # Hours for an organisation without engagement on that date.
        with self.assertRaisesRegex(UserError, "No engagement with"):
            self.log("meeting", 1.0, day=date(2020, 1, 6))
        # A case and a session at once, or neither, or prevention work on a case.
        with self.assertRaisesRegex(ValidationError, "Prevention work is logged on a prevention session"):
            self.log("prevention", 1.0)
        with self.assertRaisesRegex(ValidationError, "one of the two"):
            self.env["account.analytic.line"].with_user(self.counsellor).create(
                {"vp_time_type": "meeting", "unit_amount": 1, "date": MONTH}
            )

    def test_xlsx_specification_totals(self):
        session = (
            self.env["vp.prevention.session"]
            .with_user(self.counsellor)
            .create(
                {"name": "Voorlichting", "organisation_id": self.organisation.id, "session_date": MONTH, "hours": 2}
            )
        )
        self.log("prevention", 2.0, session=session, day=MONTH.replace(day=27))
        invoice = self.run_month(engagements=self.engagement)
        data = invoice.with_user(self.accountant)._vp_specification_xlsx()
        sheet = openpyxl.load_workbook(io.BytesIO(data)).active
        rows = list(sheet.iter_rows(values_only=True))
        lang = invoice.partner_id.lang
        header_index = next(i for i, row in enumerate(rows) if row[0] == translate("Business unit", lang))
        total_index = next(i for i, row in enumerate(rows) if row[0] == translate("Total excluding tax", lang))
        body = rows[header_index + 1 : total_index]
        total = rows[total_index]
        self.assertAlmostEqual(sum(row[2] for row in body), sum(invoice.invoice_line_ids.mapped("quantity")))
        self.assertAlmostEqual(sum(row[4] for row in body), invoice.amount_untaxed, places=2)
        self.assertAlmostEqual(total[2], sum(invoice.invoice_line_ids.mapped("quantity")))
        self.assertAlmostEqual(total[4], invoice.amount_untaxed, places=2)
        # No row finer than the invoice's own lines (no split per week), so the
        # anonymity threshold, counted per month, protects every printed row.
        self.assertEqual(len(body), len(invoice.invoice_line_ids.filtered("vp_time_type")))
        for inv_line in invoice.invoice_line_ids:
            unit = inv_line.name.split(" — ")[1]
            cells = [row for row in body if row[0] == unit and inv_line.name.startswith(row[1])]
            self.assertEqual(len(cells), 1, inv_line.name)
            self.assertAlmostEqual(cells[0][2], inv_line.quantity, msg=inv_line.name)
        # Same anonymity rule as the invoice: no small unit, no case, no person.
        text = " ".join(str(cell) for row in rows for cell in row if cell is not None)
        self.assertNotIn("Facilitair", text)
        self.assertIn(translate("Other units", lang), text)
        for forbidden in [self.case.name, self.case_small.name, self.counsellor.name, NOTE, self.NAME]:
            self.assertNotIn(forbidden, text)
        # The button attaches it to the invoice.
        action = invoice.with_user(self.accountant).action_vp_specification_xlsx()
        self.assertIn("/web/content/", action["params"]["url"])

    def test_invoice_pdf_has_specification(self):
        invoice = self.run_month(engagements=self.engagement)
        html = (
            self.env["ir.actions.report"]
            .with_user(self.accountant)
            ._render_qweb_html("account.report_invoice", invoice.ids)[0]
            .decode()
        )
        self.assertIn("vp_specification", html)
        self.assertIn("o_vp_specification_total", html, "a total row, as in the XLSX")
        self.assertIn(translate("Other units", invoice.partner_id.lang), html)
        for forbidden in [self.case.name, self.counsellor.name, NOTE]:
            self.assertNotIn(forbidden, html)


@tagged("post_install", "-at_install")
class TestHoursFollowTheCaseUnit(VpInvoicingCommon, TransactionCase):
    def test_hours_logged_before_the_unit_follow_it_until_invoiced(self):
        """The first meeting comes before the registration: its hours take the unit set later,
        except in a month already invoiced."""
        case = self.new_case(self.counsellor, business_unit_id=False)
        later = self.log("meeting", 1.5, case)
        billed = self.log("meeting", 1.0, case, day=MONTH.replace(day=6) - relativedelta(months=1))
        self.assertFalse((later | billed).vp_business_unit_id)
        self.run_month(month=MONTH - relativedelta(months=1), engagements=self.engagement)
        self.assertTrue(billed.vp_invoice_id)
        case.with_user(self.counsellor).business_unit_id = self.facilitair
        self.assertEqual(later.vp_business_unit_id, self.facilitair)
        self.assertFalse(billed.vp_business_unit_id, "an invoiced month keeps what it billed")


@tagged("post_install", "-at_install")
class TestTimesheetAccess(VpInvoicingCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.line = cls.log("meeting", 1.25, name=NOTE)

    def test_name_is_anonymous_and_note_is_counsellors(self):
        line = self.line.with_user(self.counsellor)
        self.assertEqual(line.name, "Meeting")
        self.assertEqual(line.vp_note, NOTE)
        self.assertEqual(line.vp_case_id, self.case)
        self.assertEqual(line.vp_business_unit_id, self.unit)
        self.assertEqual(line.vp_engagement_id, self.engagement)
        self.assertEqual(line.account_id, self.engagement.analytic_account_id)
        self.assertEqual(line.employee_id.user_id, self.counsellor)
        # Changing the description keeps the name anonymous.
        line.write({"name": "Nog een gesprek met Jolanda"})
        self.assertEqual(line.name, "Meeting")
        self.assertEqual(line.vp_note, "Nog een gesprek met Jolanda")

    def test_accountant_reads_hours_not_case_nor_description(self):
        """The accountant reads no line (day, counsellor, unit per line),
        changes none, and reads the hours per month, unit and time type instead."""
        lines = self.env["account.analytic.line"].with_user(self.accountant)
        self.assertFalse(lines.search([("vp_time_type", "!=", False)]))
        self.assertFalse(lines.search_count([("id", "=", self.line.id)]))
        with self.assertRaises(AccessError):
            self.line.with_user(self.accountant).read(["date", "user_id", "unit_amount"])
        with self.assertRaises(AccessError):
            self.line.with_user(self.accountant).unlink()
        self.assertFalse(lines.search([("name", "ilike", "Jolanda")]))
        self.assertFalse(lines.read_group([("vp_time_type", "!=", False)], ["unit_amount:sum"], ["user_id"]))
        hours = self.env["vp.engagement.hours"].with_user(self.accountant)
        rows = hours.search([("engagement_id", "=", self.engagement.id), ("month", "=", MONTH)])
        self.assertEqual(len(rows), 1)
        # Before the month is invoiced, case hours show under 'other units' only.
        self.assertEqual(
            (rows.time_type, rows.hours, rows.unit_merged, rows.business_unit_id),
            ("meeting", 1.25, True, self.unit.browse()),
        )
        self.assertNotIn("user_id", hours.fields_get())
        self.assertNotIn("date", hours.fields_get())
        with self.assertRaises(AccessError):
            rows.write({"hours": 5})
        fields = lines.fields_get()
        for field in ("vp_case_id", "vp_note", "vp_prevention_session_id"):
            self.assertNotIn(field, fields)
            with self.assertRaises(AccessError):
                self.line.with_user(self.accountant).read([field])
            with self.assertRaises(AccessError):
                lines.search_read([("id", "=", self.line.id)], [field])
        with self.assertRaises(AccessError):
            lines.read_group([("vp_time_type", "!=", False)], ["vp_case_id"], ["vp_case_id"])
        with self.assertRaises(AccessError):
            self.case.with_user(self.accountant).read(["name"])
        # Hours are the counsellor's: the accountant does not change them.
        with self.assertRaises(AccessError):
            self.line.with_user(self.accountant).write({"unit_amount": 5})
        self.assertEqual(self.line.unit_amount, 1.25)

    def test_counsellor_sees_own_lines_only(self):
        other = self.log("meeting", 2.0, self.new_case(self.counsellor2), user=self.counsellor2)
        mine = self.env["account.analytic.line"].with_user(self.counsellor).search([("vp_time_type", "!=", False)])
        self.assertIn(self.line, mine)
        self.assertNotIn(other, mine)
        with self.assertRaises(AccessError):
            other.with_user(self.counsellor).read(["unit_amount"])
        # Nor log hours on another counsellor's case.
        with self.assertRaises(AccessError):
            self.log("meeting", 1.0, other.sudo().vp_case_id)

    def test_counsellor_with_accounting_group_reads_own_notes_only(self):
        other = self.log("meeting", 2.0, self.new_case(self.counsellor2), user=self.counsellor2, name=NOTE)
        self.counsellor.groups_id = [Command.link(self.env.ref("account.group_account_invoice").id)]
        lines = self.env["account.analytic.line"].with_user(self.counsellor)
        found = lines.search_read([("vp_time_type", "!=", False)], ["user_id", "vp_note"])
        self.assertNotIn(other.id, [row["id"] for row in found])
        self.assertIn(self.line.id, [row["id"] for row in found])
        # Even where a rule would let the line through, the note opens for its own counsellor only.
        self.assertFalse(other.with_user(self.counsellor).sudo().vp_note)
        self.assertEqual(other.with_user(self.counsellor2).vp_note, NOTE)
        # For such a counsellor too: another's hours cannot be changed or deleted.
        with self.assertRaises(AccessError):
            other.with_user(self.counsellor).write({"unit_amount": 0})
        with self.assertRaises(AccessError):
            other.with_user(self.counsellor).unlink()
        self.assertEqual(other.unit_amount, 2.0)

    def test_analytic_accounting_opens_no_line(self):
        """With Analytic Accounting on, every internal user may read analytic lines;
        the coordinator, who reads every case, would log a line to learn a case's unit."""
        analytic = self.env.ref("analytic.group_analytic_accounting")
        for user in (self.coordinator, self.hr, self.manager, self.employee):
            user.groups_id = [Command.link(analytic.id)]
            lines = self.env["account.analytic.line"].with_user(user)
            self.assertFalse(lines.search([("vp_time_type", "!=", False)]), user.login)
            with self.assertRaises(AccessError, msg=user.login):
                self.line.with_user(user).read(["unit_amount"])
        with self.assertRaisesRegex(AccessError, "Only counsellors log hours"):
            self.env["account.analytic.line"].with_user(self.coordinator).create(
                {"vp_case_id": self.case.id, "vp_time_type": "administration", "unit_amount": 0}
            )

    def test_other_roles_see_no_lines(self):
        for user in (self.coordinator, self.hr, self.manager):
            with self.assertRaises(AccessError, msg=user.login):
                self.env["account.analytic.line"].with_user(user).search([("vp_time_type", "!=", False)])


@tagged("post_install", "-at_install", "is_query_count")
class TestInvoicingQueryCount(VpInvoicingCommon, TransactionCase):
    """The run's queries grow with the number of engagements, not of lines."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Line = cls.env["account.analytic.line"].with_user(cls.counsellor)
        cases = [cls.case, cls.case_b, cls.case_c, cls.case_small]
        types = ["intake", "meeting", "contact", "administration", "travel", "cancelled_client"]

        def lines(month, per_engagement):
            vals = []
            for index in range(per_engagement):
                day = month.replace(day=1 + index % 28)
                vals.append(
                    {
                        "vp_time_type": types[index % len(types)],
                        "vp_case_id": cases[index % len(cases)].id,
                        "unit_amount": 0.25 + index % 4,
                        "date": day,
                    }
                )
                vals.append(
                    {
                        "vp_time_type": types[index % len(types)],
                        "vp_case_id": cls.case_logistiek.id,
                        "unit_amount": 0.5,
                        "date": day,
                    }
                )
            Line.create(vals)

        # Multiples of 12 lines: every (time type, case) pair occurs in both months.
        lines(date(2026, 7, 1), 12)  # warm-up
        lines(date(2026, 8, 1), 12)
        lines(date(2026, 9, 1), 240)

    def test_query_count_independent_of_lines(self):
        engagements = self.engagement | self.engagement_logistiek
        self.run_month(date(2026, 7, 1), engagements)
        # Both runs start from the same (cold) caches: 12 and 240 lines per engagement.
        counts = []
        for month in (date(2026, 8, 1), date(2026, 9, 1)):
            self.env.registry.clear_cache()
            self.env.invalidate_all()
            # one query more than the lines' own: the check for hours committed while the run waited;
            # six for the Dutch customers' labels, looked up in their language (one more since
            # English is installed beside Dutch for the public pages); four for the tax groups,
            # whose names the invoice prints, checked against their rates before any invoice; the
            # rest is Odoo's own invoice creation (taxes, payment terms, totals), per invoice
            with self.assertQueryCount(157):
                before = self.cr.sql_log_count
                invoices = self.run_month(month, engagements)
                counts.append((self.cr.sql_log_count - before, invoices))
        (small_count, small), (large_count, large) = counts
        # assertQueryCount only fails above its bound: the two counts must be equal too
        self.assertEqual(small_count, large_count)
        self.assertEqual(len(small), 2)
        self.assertEqual(len(large), 2)
        self.assertEqual(len(large.sudo().vp_timesheet_ids), 480)
