"""Invoices a client can pay: the bureau as sender (name, address, KvK, btw number, IBAN)
whichever wkhtmltopdf prints them, a tax label that names the tax's own rate on the demo's
chart and on the Dutch one (l10n_nl), and a specification named after the customer and
month."""

import io
import subprocess
import tempfile
from datetime import date

import openpyxl

from odoo import Command
from odoo.addons.vertrouwenspersoon.tools import wkhtmltopdf
from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged
from odoo.tools import config

from .common import demo_user

FEBRUARY = date(2026, 2, 1)


def _tax_group_names(invoice):
    totals = invoice.tax_totals
    return [group["group_name"] for subtotal in totals["subtotals"] for group in subtotal["tax_groups"]]


@tagged("post_install", "-at_install")
class TestInvoiceAClientCanPay(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.accountant = demo_user(cls.env, "accountant")
        engagement = cls.env.ref("vertrouwenspersoon.engagement_zorggroep").with_user(cls.accountant)
        cls.invoice = engagement._vp_invoice_month(FEBRUARY)

    def test_tax_label_names_the_rate(self):
        """The tax group's label names the lines' rate: not 'Btw 15%' above 21% lines (the
        generic chart's tax group)."""
        self.assertEqual(set(self.invoice.invoice_line_ids.tax_ids.mapped("amount")), {21.0})
        names = _tax_group_names(self.invoice)
        self.assertTrue(names)
        for name in names:
            self.assertIn("21", name)
            self.assertNotIn("15", name)

    def test_a_tax_under_another_rates_label_is_refused(self):
        company = self.env.ref("base.main_company")
        wrong_group = self.env["account.tax.group"].create({"name": "Tax 15%", "company_id": company.id})
        tax = self.env.ref("vertrouwenspersoon.tax_sale_21")
        tax.tax_group_id = wrong_group
        engagement = self.env.ref("vertrouwenspersoon.engagement_logistiek").with_user(self.accountant)
        before = self.env["account.move"].search_count([])
        with self.assertRaisesRegex(UserError, "Tax 15%.*different rate"):
            engagement._vp_invoice_month(FEBRUARY)
        self.assertEqual(self.env["account.move"].search_count([]), before, "nothing was made")

    def test_sender_block_and_payment_details(self):
        html = (
            self.env["ir.actions.report"]
            .with_user(self.accountant)
            ._render_qweb_html("account.report_invoice", self.invoice.ids)[0]
            .decode()
        )
        for expected in ("NL91ABNA0417164300", "12345678", "NL123456782B01", "Vertrouwenspunt Noord-Nederland B.V."):
            self.assertIn(expected, html)
        # The name and address in the body only where wkhtmltopdf drops Odoo's header page.
        self.assertEqual('id="vp_sender"' in html, not wkhtmltopdf.prints_headers())
        self.assertEqual(self.invoice._vp_missing_sender_details(), [], "the demo bureau's invoice lacks nothing")
        wizard = self.env["vp.invoicing.wizard"].with_user(self.accountant).new({})
        self.assertFalse(wizard.sender_warning)
        self.assertEqual(wizard.with_context(lang="nl_NL").month_label.split()[-1], str(wizard.month.year))

    def test_pdf_prints_sender_and_rate(self):
        """Printed with this server's wkhtmltopdf: the sender, the payment details and the
        rate are on the page, and there is no empty second page."""
        self.env["ir.config_parameter"].sudo().set_param("report.url", f"http://127.0.0.1:{config['http_port']}")
        pdf = (
            self.env["ir.actions.report"]
            .with_user(self.accountant)
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf("account.account_invoices", self.invoice.ids)[0]
        )
        with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
            handle.write(pdf)
            handle.flush()
            text = subprocess.run(
                ["pdftotext", "-layout", handle.name, "-"], capture_output=True, text=True, check=True
            )
        pages = text.stdout.split("\f")[:-1]  # pdftotext ends every page with a form feed
        words = " ".join(text.stdout.split())
        for expected in ("Vertrouwenspunt Noord-Nederland B.V.", "Oude Boteringestraat 12", "NL91ABNA0417164300",
                         "12345678", "NL123456782B01", "21%"):  # fmt: skip
            self.assertIn(expected, words)
        self.assertNotIn("15%", words)
        self.assertTrue(pages)
        self.assertTrue(all(page.strip() for page in pages), "no empty page")

    def test_specification_named_after_customer_and_month(self):
        invoice = self.invoice.with_user(self.accountant).with_context(lang="nl_NL")
        name = invoice._vp_specification_file_name()
        self.assertEqual(name, "Specificatie Zorggroep De Linde februari 2026.xlsx")
        sheet = openpyxl.load_workbook(io.BytesIO(invoice._vp_specification_xlsx())).active
        rows = list(sheet.iter_rows(values_only=True))
        self.assertEqual(rows[0][:2], ("Klant", "Zorggroep De Linde"))
        self.assertEqual(rows[1][:2], ("Factuur", "Concept"))
        self.assertEqual(rows[2][:2], ("Maand", "februari 2026"))
        self.assertIn("Tarief", rows[4])
        self.assertEqual(invoice.vp_period_label, "februari 2026")


@tagged("post_install", "-at_install")
class TestInvoiceOnTheDutchChart(TransactionCase):
    """On l10n_nl's chart (its demo company, installed by bin/test after the addon) the run
    takes the company's 21% btw for the hour, which has no tax of its own there, and the
    invoice prints it under a label with 21%."""

    def test_dutch_chart_rate_and_label(self):
        company = self.env.ref("base.demo_company_nl")
        self.assertEqual(company.chart_template, "nl")
        customer = self.env["res.partner"].create({"name": "Gemeente Testdorp", "is_company": True})
        organisation = self.env["vp.organisation"].create(
            {"name": "Gemeente Testdorp", "code": "TESTNL", "partner_id": customer.id}
        )
        engagement = self.env["vp.engagement"].create(
            {
                "organisation_id": organisation.id,
                "company_id": company.id,
                "hourly_rate": 95.0,
                "date_start": FEBRUARY,
            }
        )
        prepared = engagement._vp_prepare_invoicing()[engagement.id]
        taxes = prepared["taxes"]
        self.assertEqual(taxes, company.account_sale_tax_id)
        self.assertEqual(taxes.amount, 21.0)
        invoice = (
            self.env["account.move"]
            .with_company(company)
            .create(
                {
                    "move_type": "out_invoice",
                    "partner_id": organisation.partner_id.id,
                    "company_id": company.id,
                    "invoice_line_ids": [
                        Command.create({"name": "Uren", "quantity": 2, "price_unit": 95.0, "tax_ids": taxes.ids})
                    ],
                }
            )
        )
        names = _tax_group_names(invoice)
        self.assertTrue(names)
        self.assertTrue(all("21" in name for name in names), names)
        self.assertAlmostEqual(invoice.amount_tax, 39.9)
