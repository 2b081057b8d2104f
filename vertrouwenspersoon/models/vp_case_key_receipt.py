# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models


class VpCaseKey(models.Model):
    """A case's fresh data key is granted to its reporter too, when the case
    has a receipt code (the intake page makes the receipt before it writes
    the content, so the first key of the case reaches the reporter)."""

    _inherit = "vp.case.key"

    @api.model
    def _vp_new_data_keys(self, case_ids):
        data_keys = super()._vp_new_data_keys(case_ids)
        # sudo: receipts hold public keys only; the key is sealed for the reporter and forgotten.
        receipts = self.env["vp.case.receipt"].sudo().search([("case_id", "in", list(data_keys))])
        if receipts:
            receipts._vp_seal_for_reporter(data_keys)
        return data_keys
