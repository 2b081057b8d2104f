# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging

from odoo import fields, models

_logger = logging.getLogger(__name__)

# account's demo (account.chart.template._get_demo_data) names its records of a
# company "account.<company id>_demo_...": its invoices, bills, entries, the bank
# statement and the bank transactions.
ACCOUNT_DEMO_MODELS = ("account.move", "account.bank.statement", "account.bank.statement.line")


class ResCompany(models.Model):
    """The bureau of confidential counsellors, as the intake page shows it (L7):
    its name, logo and phone number are the company's own; the privacy
    statement is linked from here."""

    _name = "res.company"
    _inherit = ["res.company", "vp.field.access.mixin"]

    vp_privacy_url = fields.Char(
        string="Privacy statement (link)",
        help="Shown on the public intake page: what is stored, for how long and who reads it.",
    )

    def _vp_demo_switch_currency(self, currency_id):
        """Demo data only (demo/res_company_demo.xml): make the demo company's
        currency ``currency_id`` (EUR), which Odoo refuses while journal items
        exist. The only ones in a fresh demo database are account's own demo
        accounting, posted in the generic chart's currency (USD) during
        account's install, before this addon's demo loads: remove those, then
        change the currency. A company with any other journal item (accounting
        of its own) keeps its currency: nothing of it is removed."""
        currency = self.env["res.currency"].browse(currency_id)
        for company in self:
            if company.currency_id == currency:
                # already in EUR: a company made so, or the demo loaded again
                continue
            moves, st_lines, statements = company._vp_account_demo_accounting()
            others = self.env["account.move.line"].search_count(
                [("company_id", "child_of", company.id), ("move_id", "not in", moves.ids)], limit=1
            )
            if others:
                _logger.info(
                    "Demo: company %s keeps currency %s: it has journal items other than account's demo.",
                    company.id,
                    company.currency_id.name,
                )
                continue
            old_currency = company.currency_id
            # Unreconcile first: a reconciled journal item cannot be deleted.
            moves.line_ids.remove_move_reconcile()
            # A bank transaction's unlink deletes its journal entry too (as Odoo's
            # "delete" of a transaction does); then the emptied statements go.
            st_lines.unlink()
            statements.unlink()
            moves = moves.exists()
            moves.filtered(lambda move: move.state in ("posted", "cancel")).button_draft()
            # force_delete: these entries have consumed a sequence number and are
            # not the last of their chain, which unlink refuses without it.
            moves.with_context(force_delete=True).unlink()
            company.currency_id = currency
            company._vp_demo_follow_currency(old_currency)

    def _vp_account_demo_accounting(self):
        """account's demo accounting of this company: its journal entries (those
        of the bank transactions included), bank transactions and statements."""
        self.ensure_one()
        prefix = f"{self.id}_demo_"
        data = self.env["ir.model.data"].search([("module", "=", "account"), ("model", "in", ACCOUNT_DEMO_MODELS)])
        ids = {model: [] for model in ACCOUNT_DEMO_MODELS}
        for record in data.filtered(lambda d: d.name.startswith(prefix)):
            ids[record.model].append(record.res_id)
        statements = self.env["account.bank.statement"].browse(ids["account.bank.statement"]).exists()
        st_lines = (
            self.env["account.bank.statement.line"].browse(ids["account.bank.statement.line"]).exists()
            | statements.line_ids
        )
        moves = self.env["account.move"].browse(ids["account.move"]).exists() | st_lines.move_id
        return moves, st_lines, statements

    def _vp_demo_follow_currency(self, old_currency):
        """After the demo's currency change: the generic chart leaves journals,
        accounts and bank accounts without a currency of their own (they follow
        the company's); one set to the old currency would now be a foreign-currency
        journal or account by accident, so it follows the company's again (it has
        no entries, so the change is allowed)."""
        self.ensure_one()
        own = [
            ("account.journal", [("company_id", "=", self.id)]),
            ("account.account", [("company_ids", "in", self.ids)]),
            ("res.partner.bank", [("partner_id", "=", self.partner_id.id)]),
        ]
        for model, domain in own:
            records = (
                self.env[model].with_context(active_test=False).search([*domain, ("currency_id", "=", old_currency.id)])
            )
            records.currency_id = False
