# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models

from ..logs.vp_audit_log import SERVER_ACTION


class IrActionsServer(models.Model):
    """The access log tells content asked for by a server action (code an
    administrator wrote, also what scheduled actions run) from content asked
    for by a screen of the app. The marker is thread-local, set here only."""

    _inherit = "ir.actions.server"

    def run(self):
        SERVER_ACTION.depth = getattr(SERVER_ACTION, "depth", 0) + 1
        try:
            return super().run()
        finally:
            SERVER_ACTION.depth -= 1
