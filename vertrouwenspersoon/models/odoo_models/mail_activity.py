# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models
from odoo.exceptions import AccessError, UserError
from odoo.osv import expression
from odoo.tools import is_html_empty

from ...tools import guards
from ...tools.confidential import content_models


class MailActivity(models.Model):
    """Activities on confidential records (tools/confidential.py) carry their type,
    the record's number and a deadline, never free text: summaries, notes and
    feedback can be read by assignees and end up in the chatter, outside the
    encryption. And they are read only by the user they are for: that a case
    has an activity ("the reporter wrote", "feedback is due") is itself a fact
    about the case, which the coordinator or a colleague must not learn from it.
    Marking one done leaves no line in the record's chatter, for the same reason."""

    _inherit = "mail.activity"

    def _vp_res_model(self, vals):
        if vals.get("res_model"):
            return vals["res_model"]
        if vals.get("res_model_id"):
            return self.env["ir.model"].sudo().browse(vals["res_model_id"]).model  # sudo: model name only
        return False

    def _vp_check_no_free_text(self, vals_list):
        confidential = content_models(self.env)
        for vals in vals_list:
            if self._vp_res_model(vals) not in confidential:
                continue
            activity_type = self.env["mail.activity.type"].browse(vals.get("activity_type_id"))
            if vals.get("summary") and vals["summary"] != activity_type.summary:
                raise UserError(self.env._("Activities on a confidential record cannot have a free-text summary."))
            if not is_html_empty(vals.get("note")):
                raise UserError(self.env._("Activities on a confidential record cannot have a note."))

    # ------------------------------------------------------------------
    # Read by the user they are for
    # ------------------------------------------------------------------
    def _vp_own_domain(self):
        return ["|", ("res_model", "not in", list(content_models(self.env))), ("user_id", "=", self.env.uid)]

    @api.model
    def _search(self, domain, offset=0, limit=None, order=None):
        if not self.env.su:
            domain = expression.AND([domain or [], self._vp_own_domain()])
        return super()._search(domain, offset, limit, order)

    def _check_access(self, operation):
        result = super()._check_access(operation)
        if self.env.su or not self._ids or operation == "create":
            return result
        confidential = content_models(self.env)
        # sudo: the model and the assignee of each activity, to decide; nothing else
        others = self.sudo().filtered(lambda act: act.res_model in confidential and act.user_id.id != self.env.uid)
        if not others:
            return result
        forbidden = (result[0] if result else self.browse()) | self.browse(others.ids)
        return forbidden, lambda: AccessError(
            self.env._("An activity of a confidential record is read and done only by the user it is for.")
        )

    @api.model_create_multi
    def create(self, vals_list):
        self._vp_check_no_free_text(vals_list)
        # Assigning an activity makes its assignee a follower in stock Odoo;
        # on confidential records only the counsellor follows (see vp.case).
        return super(MailActivity, guards.open_guard(self, guards.FOLLOW_QUIETLY)).create(vals_list)

    def write(self, vals):
        confidential = content_models(self.env)
        if ("summary" in vals or "note" in vals) and any(a.res_model in confidential for a in self):
            self._vp_check_no_free_text(
                [{"res_model": a.res_model, "activity_type_id": a.activity_type_id.id, **vals} for a in self]
            )
        # Same reason as in create: a new assignee does not become a follower.
        activities = guards.open_guard(self, guards.FOLLOW_QUIETLY) if "user_id" in vals else self
        return super(MailActivity, activities).write(vals)

    def _action_done(self, feedback=False, attachment_ids=None):
        confidential_models = content_models(self.env)
        confidential = self.filtered(lambda a: a.res_model in confidential_models)
        if confidential and (feedback or attachment_ids):
            raise UserError(self.env._("Activities on a confidential record are marked done without feedback."))
        messages, next_activities = super(MailActivity, self - confidential)._action_done(
            feedback=feedback, attachment_ids=attachment_ids
        )
        # Done is gone: no "... done" line in the record's chatter, which others read.
        confidential.unlink()
        return messages, next_activities
