# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models
from odoo.exceptions import UserError
from odoo.tools import is_html_empty

from ..tools import guards

CONFIDENTIAL_MODELS = ("vp.case", "vp.notice", "vp.breach")


class MailActivity(models.Model):
    """Activities on confidential records carry their type, the record's
    number and a deadline, never free text: summaries, notes and feedback can
    be read by assignees and end up in the chatter, outside the encryption."""

    _inherit = "mail.activity"

    def _vp_res_model(self, vals):
        if vals.get("res_model"):
            return vals["res_model"]
        if vals.get("res_model_id"):
            return self.env["ir.model"].sudo().browse(vals["res_model_id"]).model  # sudo: model name only
        return False

    def _vp_check_no_free_text(self, vals_list):
        for vals in vals_list:
            if self._vp_res_model(vals) not in CONFIDENTIAL_MODELS:
                continue
            activity_type = self.env["mail.activity.type"].browse(vals.get("activity_type_id"))
            if vals.get("summary") and vals["summary"] != activity_type.summary:
                raise UserError(self.env._("Activities on a confidential record cannot have a free-text summary."))
            if not is_html_empty(vals.get("note")):
                raise UserError(self.env._("Activities on a confidential record cannot have a note."))

    @api.model_create_multi
    def create(self, vals_list):
        self._vp_check_no_free_text(vals_list)
        # Assigning an activity makes its assignee a follower in stock Odoo;
        # on confidential records only the counsellor follows (see vp.case).
        return super(MailActivity, guards.open_guard(self, guards.FOLLOW_QUIETLY)).create(vals_list)

    def write(self, vals):
        if ("summary" in vals or "note" in vals) and any(a.res_model in CONFIDENTIAL_MODELS for a in self):
            self._vp_check_no_free_text(
                [{"res_model": a.res_model, "activity_type_id": a.activity_type_id.id, **vals} for a in self]
            )
        # Same reason as in create: a new assignee does not become a follower.
        activities = guards.open_guard(self, guards.FOLLOW_QUIETLY) if "user_id" in vals else self
        return super(MailActivity, activities).write(vals)

    def _action_done(self, feedback=False, attachment_ids=None):
        confidential = self.filtered(lambda a: a.res_model in CONFIDENTIAL_MODELS)
        if confidential and (feedback or attachment_ids):
            raise UserError(self.env._("Activities on a confidential record are marked done without feedback."))
        return super()._action_done(feedback=feedback, attachment_ids=attachment_ids)
