# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class VpBehaviourKind(models.Model):
    """A kind of behaviour a case is about (the PSA categories and integrity)."""

    _name = "vp.behaviour.kind"
    _description = "Kind of behaviour"
    _inherit = ["vp.catalogue.mixin", "vp.field.access.mixin"]

    category = fields.Selection(
        [
            ("unwanted", "Unwanted behaviour"),
            ("integrity", "Integrity violation"),
            ("other", "Other"),
        ],
        required=True,
    )

    _sql_constraints = [
        ("code_unique", "unique(code)", "Another kind of behaviour already uses this code."),
    ]
