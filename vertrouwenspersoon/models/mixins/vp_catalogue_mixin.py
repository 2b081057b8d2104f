# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class VpCatalogueMixin(models.AbstractModel):
    """An entry of a list the bureau keeps (kinds of behaviour, routes): a translated
    name, a fixed code that data files and the report refer to, an order, and archiving
    instead of deletion, so that the cases that name an entry keep it."""

    _name = "vp.catalogue.mixin"
    _description = "Catalogue entry"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
