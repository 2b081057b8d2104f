# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models
from odoo.exceptions import UserError

ENCRYPTED_MODELS = (
    "vp.case",
    "vp.case.meeting",
    "vp.case.document",
    "vp.consent",
    "vp.notice",
    "vp.breach",
    "vp.referral",
)


class IrAttachment(models.Model):
    """No plain attachment on a confidential record: the filestore would hold
    the file in clear. Documents go through vp.case.document, whose sealed
    bytes are the only attachments (of its binary field) these models have."""

    _inherit = "ir.attachment"

    def _vp_check_not_confidential(self, vals_list):
        for vals in vals_list:
            if vals.get("res_model") in ENCRYPTED_MODELS and not vals.get("res_field"):
                raise UserError(
                    self.env._("Files cannot be attached to a confidential record: add them as case documents.")
                )

    @api.model_create_multi
    def create(self, vals_list):
        self._vp_check_not_confidential(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        if vals.get("res_model") in ENCRYPTED_MODELS:
            self._vp_check_not_confidential([{"res_field": a.res_field, **vals} for a in self])
        return super().write(vals)
