# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64

from odoo import api, fields, models


class VpCaseDocument(models.Model):
    """A document kept with a case. Its name and its bytes are encrypted with
    the case key; the filestore and the database hold ciphertext only."""

    _name = "vp.case.document"
    _description = "Case document"
    _inherit = ["vp.encrypted.mixin", "vp.write.checked.mixin", "vp.field.access.mixin"]
    # Frozen once the case is erased (vp.write.checked.mixin).
    _vp_frozen_when_shredded = True
    _order = "id desc"
    _rec_name = "id"

    _vp_create_only_fields = ("case_id",)

    _vp_encrypted_fields = {"name": "name_ciphertext"}

    case_id = fields.Many2one("vp.case", required=True, ondelete="cascade", index=True)
    name = fields.Char(string="File name", compute="_compute_vp_plaintext", inverse="_inverse_vp_plaintext")
    name_ciphertext = fields.Text(groups="base.group_system", copy=False, prefetch=False)
    data = fields.Binary(string="File", compute="_compute_data", inverse="_inverse_data")
    # The sealed bytes, kept as an attachment of this field (filestore), never in clear.
    data_ciphertext = fields.Binary(attachment=True, groups="base.group_system", copy=False, prefetch=False)

    def _vp_case(self):
        return self.case_id

    def _compute_display_name(self):
        for document in self:
            document.display_name = self.env._("Document %(id)s", id=document._origin.id or "")

    @api.depends_context("uid")
    def _compute_data(self):
        stored = self.filtered(lambda doc: doc._origin.id)
        (self - stored).data = False
        if not stored:
            return
        origins = stored._origin
        tokens, keys, sources = origins._vp_sealed_for_reading({"data": "data_ciphertext"})
        for document in stored:
            token = tokens[document._origin.id]["data"]
            if not token:
                document.data = False
                continue
            origin = document._origin
            raw = origin._vp_open_value(keys[origin.id], "data", base64.b64decode(token).decode())
            document.data = base64.b64encode(raw)
        self.env["vp.audit.log"]._log(origins, "read", key_source=sources)

    def _inverse_data(self):
        documents = self.filtered("id")
        denied = documents - documents._vp_may_write_content()
        if denied:
            denied._vp_deny()
        keys = documents._vp_content_keys(create_missing=True)
        for document in documents:
            sealed = False
            if document.data:
                # Without its hidden information (author, device, place), or refused.
                raw = self.env["vp.file.cleaner"]._vp_clean_for_counsellor(
                    document.name or "", base64.b64decode(document.data)
                )
                token = document._vp_seal_value(keys[document.id], "data", raw)
                sealed = base64.b64encode(token.encode())
            document.sudo().data_ciphertext = sealed  # sudo: ciphertext only
        self.env["vp.audit.log"]._log(documents, "write")
