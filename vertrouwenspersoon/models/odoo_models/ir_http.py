# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models
from odoo.http import request

from ...tools.confidential import content_models


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    @classmethod
    def _get_default_lang(cls):
        """The language of a public page for a visitor who chose none yet (no
        language in the URL, no cookie): her browser's, when it is installed
        (the reporter reads the intake page in her own language at once), else
        Dutch, unless the administrator set a default language for contacts.
        Without this, Odoo takes the first installed language by name, which is
        Arabic once the public pages' languages are loaded, and never the browser's."""
        # sudo: a default the administrator set for contacts; no content.
        if request.env["ir.default"].sudo()._get("res.partner", "lang"):
            return super()._get_default_lang()
        browser = request.env["ir.http"].get_nearest_lang(request.best_lang)
        if browser:
            return request.env["res.lang"]._get_data(code=browser)
        dutch = request.env["res.lang"]._get_data(code="nl_NL")
        return dutch if dutch.active else super()._get_default_lang()

    def session_info(self):
        info = super().session_info()
        # The web client hides the composer on these (static/src/js/vp_chatter.js): the
        # same models on which the server refuses typed messages (models/odoo_models/mail_message.py).
        info["vp_content_models"] = sorted(content_models(self.env))
        return info
