# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class VpRoute(models.Model):
    """A route taken in a case: advice, an informal or formal route, a referral."""

    _name = "vp.route"
    _description = "Route"
    _inherit = ["vp.catalogue.mixin", "vp.field.access.mixin"]

    category = fields.Selection(
        [
            ("advice", "Listening and advice"),
            ("informal", "Informal route"),
            ("formal", "Formal route"),
            ("referral", "Referral"),
        ],
        required=True,
    )

    _sql_constraints = [
        ("code_unique", "unique(code)", "Another route already uses this code."),
    ]
