# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models

from ..tools import lockdown


class ResGroups(models.Model):
    _inherit = "res.groups"

    def _update_user_groups_view(self):
        """Odoo regenerates the user form's group fields (a view) whenever groups
        change: its own markup, built from group names it escapes, not code
        anybody wrote. The lockdown lets this one write through."""
        with lockdown.odoo_generates_views():
            return super()._update_user_groups_view()
