# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict

from odoo import fields, models

ACTIVITY_STATES = ("overdue", "today", "planned", False)


class VpActivityOwnedMixin(models.AbstractModel):
    """Activities of a confidential record tell only the user they are for.

    An activity says something about a case ("the reporter wrote", "feedback is
    due"): mail.activity shows it to its assignee only (models/odoo_models/mail_activity.py).
    Stock mail.activity.mixin would still pass it sideways: its related fields
    (next activity type, icon, summary) are computed as superuser, the one2many
    joins activities without their access rules, and the activity-state search
    reads every user's activities in SQL. Here all of them see only the current
    user's own activities.
    """

    _name = "vp.activity.owned.mixin"
    _inherit = ["mail.activity.mixin"]
    _description = "Activities read only by the user they are for"

    activity_ids = fields.One2many(auto_join=False)
    activity_type_id = fields.Many2one(compute_sudo=False)
    activity_type_icon = fields.Char(compute_sudo=False)
    activity_summary = fields.Char(compute_sudo=False)

    def _search_activity_state(self, operator, value):
        if operator == "=":
            wanted = {value or False}
        elif operator == "!=":
            wanted = set(ACTIVITY_STATES) - {value or False}
        elif operator == "in":
            wanted = {state or False for state in value}
        else:
            wanted = set(ACTIVITY_STATES) - {state or False for state in value}
        # The activities this user may read (their own), not every user's as Odoo's SQL does.
        activities = self.env["mail.activity"].search_fetch(
            [("res_model", "=", self._name)], ["res_id", "date_deadline", "user_id"]
        )
        states = defaultdict(set)
        for activity in activities:
            states[activity.res_id].add(activity.state)
        state_of = {
            res_id: next((state for state in ACTIVITY_STATES if state in found), False)
            for res_id, found in states.items()
        }
        if False in wanted:
            return [("id", "not in", [res_id for res_id, state in state_of.items() if state not in wanted])]
        return [("id", "in", [res_id for res_id, state in state_of.items() if state in wanted])]
