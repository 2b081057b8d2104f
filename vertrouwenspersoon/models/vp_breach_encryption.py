# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Why the employee was not told before a breach is encrypted (the field in
vp_breach.py); here the check that it is recorded. Odoo validates constraints on stored
fields (``employee_informed``) before it stores inverse fields such as the encrypted
reason, so a constraint would find no reason yet: the check runs once create and write
are done. Kept apart from vp_breach.py, whose write() is the breach protocol's."""

from odoo import api, models
from odoo.exceptions import ValidationError


class VpBreach(models.Model):
    _inherit = "vp.breach"  # pylint: disable=consider-merging-classes-inherited

    def _vp_check_not_informed_reason(self):
        for breach in self:
            # sudo: whether the encrypted reason is there, without decrypting it
            if not breach.employee_informed and not breach.sudo().employee_not_informed_reason_ciphertext:
                raise ValidationError(self.env._("Record why the employee was not told first, or tick that they were."))

    @api.model_create_multi
    def create(self, vals_list):
        breaches = super().create(vals_list)
        breaches._vp_check_not_informed_reason()
        return breaches

    def write(self, vals):
        result = super().write(vals)
        if {"employee_informed", "employee_not_informed_reason"} & set(vals):
            self._vp_check_not_informed_reason()
        return result
