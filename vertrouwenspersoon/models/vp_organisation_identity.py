# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models
from odoo.addons.base.models.res_users import check_identity


class VpOrganisation(models.Model):
    """Making or using a recovery key asks for the password and the second factor
    again (Odoo's identity check): its pages (controllers/recovery.py) accept a
    code only within ten minutes of that check."""

    _inherit = "vp.organisation"  # pylint: disable=consider-merging-classes-inherited

    @check_identity
    def action_open_recovery(self):
        return super().action_open_recovery()
