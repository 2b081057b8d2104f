# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models
from odoo.exceptions import UserError

from ...tools.confidential import content_models

SEALED_FIELD = ("vp.case.document", "data_ciphertext")


class IrAttachment(models.Model):
    """No plain attachment on a record that holds content (tools/confidential.py:
    every sealed model and everything that hangs off a case): the filestore would
    hold the file in clear. Documents go through vp.case.document, whose sealed
    bytes are the only attachments (of its binary field) these models have."""

    _inherit = "ir.attachment"

    def _vp_check_not_confidential(self, vals_list):
        confidential = content_models(self.env)
        for vals in vals_list:
            if vals.get("res_model") not in confidential:
                continue
            # The one attachment a confidential record has is the sealed bytes
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
