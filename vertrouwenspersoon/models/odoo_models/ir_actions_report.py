# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models
from odoo.exceptions import AccessError

MODULE = "vertrouwenspersoon"


class IrActionsReport(models.Model):
    """The addon's reports are rendered only for the roles they are made for.

    Odoo does not check a report's ``groups_id`` on ``/report/*``: that field
    only hides the Print menu entry. Every rendering (HTML, PDF, text, the
    routes and ``report_action`` alike) goes through the rendering context,
    so the check is made there, for every report of this addon: the
    processing record for the coordinator only, the annual report for
    management and counsellors (its own values then check which ones).
    """

    _inherit = "ir.actions.report"

    def _get_rendering_context(self, report, docids, data):
        # ``report`` comes in as sudo (Odoo's _get_report): the user is the caller's, self's.
        self._vp_check_may_render(report)
        return super()._get_rendering_context(report, docids, data)

    def _vp_check_may_render(self, reports):
        if self.env.su:
            return
        for report in reports.sudo():  # sudo: the report's own groups, to compare with the user's
            if not (report.report_name or "").startswith(f"{MODULE}."):
                continue
            if not report.groups_id or report.groups_id & self.env.user.groups_id:
                continue
            raise AccessError(
                self.env._("You cannot print %(report)s: it is not made for your role.", report=report.name)
            )
