# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ResCompany(models.Model):
    """The bureau of confidential counsellors, as the intake page shows it:
    its name, logo and phone number are the company's own; the privacy
    statement is linked from here."""

    _name = "res.company"
    _inherit = ["res.company", "vp.field.access.mixin"]

    vp_privacy_url = fields.Char(
        string="Privacy statement (link)",
        help="Shown on the public intake page: what is stored, for how long and who reads it.",
    )
