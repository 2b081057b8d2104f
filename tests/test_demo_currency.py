"""The demo company is a Dutch one in euros: account's own demo
accounting in USD is gone, and the addon's monthly invoice of the demo hours is
in EUR with the demo's 21% btw."""

from datetime import date

from odoo.tests import TransactionCase, tagged

from .common import demo_user

FEBRUARY = date(2026, 2, 1)


@tagged("post_install", "-at_install")
class TestDemoCurrency(TransactionCase):
    def test_demo_company_in_eur(self):
        company = self.env.ref("base.main_company")
        eur = self.env.ref("base.EUR")
        self.assertEqual(company.currency_id, eur)
        self.assertTrue(eur.active)
        # No journal item left in another currency (account's demo posted USD ones).
        self.assertFalse(
            self.env["account.move.line"].search_count(
                [("company_id", "=", company.id), ("company_currency_id", "!=", eur.id)]
            )
        )
        # The generic chart's journals follow the company's currency.
        journals = self.env["account.journal"].search([("company_id", "=", company.id)])
        self.assertTrue(journals)
        self.assertFalse(journals.filtered(lambda j: j.currency_id not in (eur, j.currency_id.browse())))
        self.assertEqual(company.currency_exchange_journal_id.company_id, company)

    def test_demo_monthly_invoice_in_eur_with_21_btw(self):
        """The demo hours of February 2026 invoiced as the accountant does:
        in EUR, every hour line with the demo's 21% btw, and 21% on the total."""
        eur = self.env.ref("base.EUR")
        btw = self.env.ref("vertrouwenspersoon.tax_sale_21")
        engagement = self.env.ref("vertrouwenspersoon.engagement_zorggroep")
        accountant = demo_user(self.env, "accountant")
        invoice = engagement.with_user(accountant)._vp_invoice_month(FEBRUARY)
        self.assertEqual(len(invoice), 1)
        self.assertEqual(invoice.currency_id, eur)
        self.assertEqual(invoice.company_currency_id, eur)
        hour_lines = invoice.invoice_line_ids.filtered("vp_time_type")
        self.assertTrue(hour_lines)
        self.assertEqual(hour_lines.tax_ids, btw)
        self.assertEqual(btw.amount, 21.0)
        self.assertTrue(invoice.amount_untaxed)
        # 21% of each line, rounded per line (the company's tax rounding), all of it btw
        self.assertAlmostEqual(
            invoice.amount_tax, sum(eur.round(line.price_subtotal * 0.21) for line in invoice.invoice_line_ids)
        )
        self.assertEqual(invoice.line_ids.filtered("tax_line_id").tax_line_id, btw)
        self.assertEqual(set(invoice.line_ids.mapped("currency_id")), {eur})
        # Posted as Odoo posts it: the journal items are in EUR, in the company's currency.
        invoice.with_user(accountant).action_post()
        self.assertEqual(invoice.state, "posted")
        self.assertAlmostEqual(sum(invoice.line_ids.mapped("balance")), 0.0)
        self.assertEqual(set(invoice.line_ids.mapped("company_currency_id")), {eur})
