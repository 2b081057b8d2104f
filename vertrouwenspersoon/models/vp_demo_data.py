# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What the demo data (demo/*.xml) needs beyond records: the demo readers' vault
passphrases, actions done as a demo reader with her vault open, and the demo
company's currency. Called by ``<function>`` tags of the demo files only; nothing of
the app calls it."""

import logging

from odoo import api, models

from ..vault import session as vault_session

_logger = logging.getLogger(__name__)

# account's demo (account.chart.template._get_demo_data) names its records of a
# company "account.<company id>_demo_...": its invoices, bills, entries, the bank
# statement and the bank transactions.
ACCOUNT_DEMO_MODELS = ("account.move", "account.bank.statement", "account.bank.statement.line")


class VpDemoData(models.AbstractModel):
    _name = "vp.demo.data"
    _description = "Demo data of the confidential counsellor"

    # ------------------------------------------------------------------
    # The demo readers' vaults
    # ------------------------------------------------------------------
    @api.model
    def _vp_set_passphrase(self, user_id, passphrase):
        """Give a demo counsellor a passphrase and move their cases to it."""
        as_user = self.env["vp.reader.key"].with_user(user_id)
        if not as_user._vp_own_key():
            opened = as_user._vp_set_passphrase(passphrase)
            with vault_session.opened(as_user.env, opened):
                as_user.env["vp.record.key"]._vp_migrate_current_reader()

    @api.model
    def _vp_call_as_reader(self, user_id, passphrase, model, method, ids):
        """``model.method`` on ``ids`` as a demo reader, with her vault opened with her
        demo passphrase (as she would in her browser)."""
        env = self.with_user(user_id).env
        with vault_session.opened_with_passphrase(env, passphrase):
            return getattr(env[model].browse(ids), method)()

    # ------------------------------------------------------------------
    # The demo company in euros
    # ------------------------------------------------------------------
    @api.model
    def _vp_switch_currency(self, company_ids, currency_id):
        """Make the demo companies' currency ``currency_id`` (EUR), which Odoo refuses
        while journal items exist. The only ones in a fresh demo database are account's
        own demo accounting, posted in the generic chart's currency (USD) during
        account's install, before this addon's demo loads: remove those, then change
        the currency. A company with any other journal item (accounting of its own)
        keeps its currency: nothing of it is removed."""
        currency = self.env["res.currency"].browse(currency_id)
        for company in self.env["res.company"].browse(company_ids):
            if company.currency_id == currency:
                # already in EUR: a company made so, or the demo loaded again
                continue
            moves, st_lines, statements = self._vp_account_demo_accounting(company)
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
            self._vp_follow_currency(company, old_currency)

    @api.model
    def _vp_account_demo_accounting(self, company):
        """account's demo accounting of ``company``: its journal entries (those of the
        bank transactions included), bank transactions and statements."""
        prefix = f"{company.id}_demo_"
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

    @api.model
    def _vp_follow_currency(self, company, old_currency):
        """After the demo's currency change: the generic chart leaves journals,
        accounts and bank accounts without a currency of their own (they follow
        the company's); one set to the old currency would now be a foreign-currency
        journal or account by accident, so it follows the company's again (it has
        no entries, so the change is allowed)."""
        own = [
            ("account.journal", [("company_id", "=", company.id)]),
            ("account.account", [("company_ids", "in", company.ids)]),
            ("res.partner.bank", [("partner_id", "=", company.partner_id.id)]),
        ]
        for model, domain in own:
            records = (
                self.env[model].with_context(active_test=False).search([*domain, ("currency_id", "=", old_currency.id)])
            )
            records.currency_id = False
