# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class VpCaseReceipt(models.Model):
    """The language in which the reporter wrote (the public page's language at
    intake, then at each reply): her counsellor sees it on the case, and the
    e-mail notice she asked for is written in it. Her messages and the
    counsellor's are never translated."""

    _inherit = "vp.case.receipt"

    lang = fields.Char(string="Reporter's language", readonly=True)
