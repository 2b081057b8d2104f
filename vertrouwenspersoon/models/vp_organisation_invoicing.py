# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The organisation's floor under the invoices' anonymity threshold (review M7).

The accountant sets an engagement's ``min_cases_per_unit``; set to 1 it would name the
business unit of a single case on the invoice to the client. The floor is set on the
client organisation, which the accountant only reads: by the coordinator or an
administrator, and every change is logged. Kept apart from vp_organisation.py: it is
invoicing's concern.
"""

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .vp_organisation import VpOrganisation as VpOrganisationBase


class VpOrganisation(models.Model):
    _name = "vp.organisation"
    _inherit = ["vp.organisation", "vp.change.logged.mixin"]

    _vp_logged_fields = (*getattr(VpOrganisationBase, "_vp_logged_fields", ()), "min_cases_per_unit_floor")

    min_cases_per_unit_floor = fields.Integer(
        string="Minimum cases per unit on invoices",
        default=3,
        required=True,
        help="No engagement with this organisation may name on its invoices a business unit with fewer "
        "distinct cases in a month; the invoicing department can raise the threshold, never lower it below this.",
    )

    @api.constrains("min_cases_per_unit_floor")
    def _check_min_cases_per_unit_floor(self):
        for organisation in self:
            if organisation.min_cases_per_unit_floor < 1:
                raise ValidationError(self.env._("The minimum number of cases per unit is at least 1."))
