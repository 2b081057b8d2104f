# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models

from .account_analytic_line import TIME_TYPES


class AccountMoveLine(models.Model):
    """Invoice lines of the monthly run carry the time type and business unit
    they bill, so the specification can be matched to them."""

    _name = "account.move.line"
    _inherit = ["account.move.line", "vp.field.access.mixin"]

    vp_time_type = fields.Selection(TIME_TYPES, string="Time type", readonly=True, copy=False)
    vp_business_unit_id = fields.Many2one("vp.business.unit", string="Business unit", readonly=True, copy=False)
    vp_unit_merged = fields.Boolean(string="Other units", readonly=True, copy=False)
