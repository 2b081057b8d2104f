# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ResourceResource(models.Model):
    _name = "resource.resource"
    _inherit = ["resource.resource", "vp.field.access.mixin"]

    # Lets the coordinator's rule on absences reach counsellors on a roster only.
    vp_roster_line_ids = fields.One2many("vp.roster.line", "resource_id")
