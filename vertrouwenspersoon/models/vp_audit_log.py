# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import threading

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.http import request


class VpAuditLog(models.Model):
    """Who decrypted which case's content, when and through what. Append-only.

    It names the case by its number and the record by model and id, never
    what was read.
    """

    _name = "vp.audit.log"
    _description = "Content access log"
    _order = "id desc"
    _rec_name = "case_id"

    case_id = fields.Many2one("vp.case", ondelete="set null", index=True, readonly=True)
    case_number = fields.Char(readonly=True)
    user_id = fields.Many2one("res.users", readonly=True, ondelete="restrict")
    access_date = fields.Datetime(readonly=True, default=fields.Datetime.now)
    action = fields.Selection(
        [
            ("read", "Read"),
            ("write", "Write"),
            ("export", "Export for the employee"),
            ("shred", "Shredded"),
            ("unlock", "Vault unlocked"),
            ("unlock_failed", "Wrong vault passphrase"),
            ("passphrase_set", "Vault passphrase set"),
            ("passphrase_changed", "Vault passphrase changed"),
            ("recovery", "Recovery key used"),
            ("recovery_made", "Recovery key made"),
            ("recovery_failed", "Wrong recovery code"),
        ],
        readonly=True,
    )
    res_model = fields.Char(string="Record type", readonly=True)
    res_id = fields.Integer(string="Record", readonly=True)
    channel = fields.Char(readonly=True, help="The request path or server process that asked for the content.")

    @api.model
    def _current_channel(self):
        if request and getattr(request, "httprequest", None):
            params = getattr(request, "params", None) or {}
            method = params.get("method") if isinstance(params, dict) else None
            path = request.httprequest.path
            return f"{path} ({method})" if method else path
        # Odoo hides the HTTP request while it serves /xmlrpc and /jsonrpc
        # (http.borrow_request); the serving thread still tells what it is.
        thread = threading.current_thread().name
        if thread.startswith("odoo.service.http"):
            return "external RPC (/xmlrpc, /jsonrpc)"
        if "cron" in thread:
            return "scheduled action"
        return "server"

    @api.model
    def _log(self, records, action):
        """Append one line per record; records belong to an encrypted model."""
        channel = self._current_channel()
        vals_list = []
        for record in records:
            case = record._vp_case()
            vals_list.append(
                {
                    "case_id": case.id,
                    "case_number": case.sudo().name,  # sudo: only the number, never content
                    "user_id": self.env.uid,
                    "action": action,
                    "res_model": record._name,
                    "res_id": record.id,
                    "channel": channel,
                }
            )
        # sudo: no group may create log lines by hand; the log holds no content.
        return self.sudo().with_context(vp_audit_append=True).create(vals_list)

    @api.model
    def _vp_log_vault(self, action, case=None):
        """A line about the vault itself (unlock, passphrase, recovery): who and
        through what, never a passphrase or a key."""
        case = case or self.env["vp.case"]
        # sudo: no group may create log lines by hand; the log holds no content.
        return (
            self.sudo()
            .with_context(vp_audit_append=True)
            .create(
                {
                    "case_id": case.id,
                    "case_number": case.sudo().name or False,  # sudo: only the number
                    "user_id": self.env.uid,
                    "action": action,
                    "channel": self._current_channel(),
                }
            )
        )

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.context.get("vp_audit_append"):
            raise UserError(self.env._("The content access log is written by the system only."))
        return super().create(vals_list)

    def write(self, vals):  # pylint: disable=method-required-super
        raise UserError(self.env._("The content access log cannot be changed."))

    def unlink(self):  # pylint: disable=method-required-super
        raise UserError(self.env._("The content access log cannot be deleted."))
