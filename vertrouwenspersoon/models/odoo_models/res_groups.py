# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models

from ...const import ROLE_CATEGORY, ROLES
from ...tools import lockdown


class ResGroups(models.Model):
    _inherit = "res.groups"

    def _update_user_groups_view(self):
        """Odoo regenerates the user form's group fields (a view) whenever groups
        change: its own markup, built from group names it escapes, not code
        anybody wrote. The lockdown lets this one write through."""
        with lockdown.odoo_generates_views():
            return super()._update_user_groups_view()

    @api.model
    def get_groups_by_application(self):
        """The five roles as one selection on the user form, as Odoo's own apps show theirs.

        Odoo makes a selection only of groups that imply each other in a chain; the roles
        are disjoint on purpose (see res_users.py), so Odoo would show five checkboxes, and
        only in developer mode. A selection also holds exactly what the roles allow: none or
        one of them."""
        result = super().get_groups_by_application()
        category = self.env.ref(ROLE_CATEGORY, raise_if_not_found=False)
        if not category:
            return result
        order = {self.env.ref(xmlid).id: index for index, xmlid in enumerate(ROLES)}
        adjusted = []
        for app, kind, groups, category_name in result:
            if app == category:
                kind = "selection"
                groups = groups.sorted(lambda group: order.get(group.id, len(order)))
                parent = app.parent_id
                category_name = (parent.sequence, parent.name) if parent else category_name
            adjusted.append((app, kind, groups, category_name))
        return adjusted
