# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models

from ...tools import lockdown


class Base(models.AbstractModel):
    """The lockdown's hooks on every model (tools/lockdown.py says what is locked
    and why). A model not named there costs one dictionary lookup per call."""

    _inherit = "base"

    @api.model_create_multi
    def create(self, vals_list):
        lockdown.check_create(self, vals_list)
        return super().create(vals_list)

    def write(self, vals):
        lockdown.check_write(self, vals)
        return super().write(vals)

    def unlink(self):
        lockdown.check_unlink(self)
        return super().unlink()

    def _update_field_translations(self, field_name, translations, digest=None, source_lang=None):
        lockdown.check_translations(self, field_name)
        return super()._update_field_translations(field_name, translations, digest=digest, source_lang=source_lang)
