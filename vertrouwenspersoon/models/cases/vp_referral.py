# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models

REFERRAL_DESTINATIONS = [
    ("company_doctor", "Company doctor"),
    ("mediator", "Mediator"),
    ("lawyer", "Lawyer"),
    ("social_work", "Social work"),
    ("police", "Police"),
    ("whistleblowers_authority", "Whistleblowers' authority"),
    ("other", "Other"),
]


class VpReferral(models.Model):
    """A referral of the employee to other help; counted in the annual report."""

    _name = "vp.referral"
    _description = "Referral"
    _inherit = ["vp.write.checked.mixin", "vp.field.access.mixin"]
    # Frozen once the case is erased (vp.write.checked.mixin).
    _vp_frozen_when_shredded = True
    _order = "referral_date desc, id desc"
    _rec_name = "destination"

    _vp_create_only_fields = ("case_id",)

    case_id = fields.Many2one("vp.case", required=True, ondelete="cascade", index=True)
    destination = fields.Selection(REFERRAL_DESTINATIONS, required=True)
    referral_date = fields.Date(string="Date", required=True, default=fields.Date.context_today)
