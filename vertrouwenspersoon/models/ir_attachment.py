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
    "vp.legal.hold",
    "vp.case.handover",
    "vp.signal",
)
SEALED_FIELD = ("vp.case.document", "data_ciphertext")


class IrAttachment(models.Model):
    """No plain attachment on a confidential record: the filestore would hold
    the file in clear. Documents go through vp.case.document, whose sealed
    bytes are the only attachments (of its binary field) these models have."""

    _inherit = "ir.attachment"

    def _vp_check_not_confidential(self, vals_list):
        for vals in vals_list:
            if vals.get("res_model") not in ENCRYPTED_MODELS:
                continue
            # L9: the one attachment a confidential record has is the sealed bytes
            # of a case document, stored by the Binary field itself (which creates
            # its attachment as superuser); a client naming any res_field, even
            # this one, is refused.
            sealed = vals.get("res_model") == SEALED_FIELD[0] and vals.get("res_field") == SEALED_FIELD[1]
            if not (sealed and self.env.su):
                raise UserError(
                    self.env._("Files cannot be attached to a confidential record: add them as case documents.")
                )

    @api.model_create_multi
    def create(self, vals_list):
        self._vp_check_not_confidential(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        if {"res_model", "res_field"} & set(vals):
            self._vp_check_not_confidential(
                # sudo: the model and field an attachment belongs to, not its content
                [{"res_model": a.res_model, "res_field": a.res_field, **vals} for a in self.sudo()]
            )
        return super().write(vals)
