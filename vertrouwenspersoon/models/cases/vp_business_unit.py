# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class VpBusinessUnit(models.Model):
    """A part of a client organisation: the finest grain of anonymous registration."""

    _name = "vp.business.unit"
    _description = "Business unit"
    _inherit = ["vp.field.access.mixin"]
    _parent_store = True
    _order = "complete_name"
    _rec_name = "complete_name"

    name = fields.Char(required=True)
    complete_name = fields.Char(compute="_compute_complete_name", store=True, recursive=True)
    organisation_id = fields.Many2one("vp.organisation", required=True, ondelete="cascade", index=True)
    parent_id = fields.Many2one(
        "vp.business.unit",
        string="Part of",
        ondelete="restrict",
        index=True,
        domain="[('organisation_id', '=', organisation_id)]",
    )
    parent_path = fields.Char(index=True)
    active = fields.Boolean(default=True)

    @api.depends("name", "parent_id.complete_name")
    def _compute_complete_name(self):
        for unit in self:
            unit.complete_name = f"{unit.parent_id.complete_name} / {unit.name}" if unit.parent_id else unit.name

    @api.constrains("parent_id")
    def _check_parent(self):
        if self._has_cycle():
            raise ValidationError(self.env._("A business unit cannot be part of itself."))
        for unit in self.filtered("parent_id"):
            if unit.parent_id.organisation_id != unit.organisation_id:
                raise ValidationError(
                    self.env._("A business unit can only be part of a unit of the same organisation.")
                )
