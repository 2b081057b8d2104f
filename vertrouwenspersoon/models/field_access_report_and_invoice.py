# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The search, group-by and order guard (vp.field.access.mixin) on the annual report's
models and on invoices, whose own files are being reshaped apart from this one: move
each ``_inherit`` below into its model's own file when that file is next edited."""

from odoo import models


class VpAnnualReport(models.Model):
    _name = "vp.annual.report"
    _inherit = ["vp.annual.report", "vp.field.access.mixin"]


class VpAnnualFigure(models.Model):
    _name = "vp.annual.figure"
    _inherit = ["vp.annual.figure", "vp.field.access.mixin"]


class AccountMove(models.Model):
    _name = "account.move"
    _inherit = ["account.move", "vp.field.access.mixin"]


class AccountMoveLine(models.Model):
    _name = "account.move.line"
    _inherit = ["account.move.line", "vp.field.access.mixin"]
