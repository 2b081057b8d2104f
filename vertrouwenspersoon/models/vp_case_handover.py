# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class VpCaseHandover(models.Model):
    """A recorded handover: the backup counsellor reads the case while it runs."""

    _name = "vp.case.handover"
    _description = "Case handover"
    _order = "date_start desc, id desc"

    case_id = fields.Many2one("vp.case", required=True, ondelete="cascade", index=True)
    to_user_id = fields.Many2one(
        "res.users",
        string="Backup counsellor",
        required=True,
        index=True,
        domain=lambda self: [("groups_id", "in", self.env.ref("vertrouwenspersoon.group_counsellor").id)],
    )
    reason = fields.Char(required=True, help="Why the case is handed over, e.g. absence. No case content.")
    date_start = fields.Date(string="From", required=True, default=fields.Date.context_today)
    date_end = fields.Date(string="Until")
    recorded_by_id = fields.Many2one(
        "res.users", string="Recorded by", readonly=True, default=lambda self: self.env.user
    )
    ended = fields.Boolean(readonly=True)
    is_active = fields.Boolean(compute="_compute_is_active", search="_search_is_active")

    @api.depends("date_start", "date_end", "ended")
    @api.depends_context("uid")
    def _compute_is_active(self):
        today = fields.Date.context_today(self)
        for handover in self:
            handover.is_active = (
                not handover.ended
                and handover.date_start <= today
                and (not handover.date_end or handover.date_end >= today)
            )

    def _search_is_active(self, operator, value):
        today = fields.Date.context_today(self)
        domain = [
            ("ended", "=", False),
            ("date_start", "<=", today),
            "|",
            ("date_end", "=", False),
            ("date_end", ">=", today),
        ]
        if (operator == "=") == bool(value):
            return domain
        return ["!", *domain]

    @api.constrains("to_user_id", "case_id", "date_start", "date_end")
    def _check_handover(self):
        for handover in self:
            if handover.date_end and handover.date_end < handover.date_start:
                raise ValidationError(self.env._("A handover cannot end before it starts."))
            # sudo: the case's counsellor, not its content
            if handover.to_user_id == handover.case_id.sudo().counsellor_id:
                raise ValidationError(self.env._("A case cannot be handed over to its own counsellor."))

    @api.model_create_multi
    def create(self, vals_list):
        handovers = super().create(vals_list)
        handovers.case_id._vp_sync_followers()
        handovers.case_id._vp_share_key()
        return handovers

    def action_end(self):
        self.write({"ended": True, "date_end": fields.Date.context_today(self)})
        self.case_id._vp_sync_followers()
