# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class VpRegion(models.Model):
    """A region counsellors serve; the employee's place of residence decides it."""

    _name = "vp.region"
    _description = "Region"
    _order = "name"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True)
    province = fields.Char()
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ("code_unique", "unique(code)", "Another region already uses this code."),
    ]
