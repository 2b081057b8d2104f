# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
import threading

from odoo import SUPERUSER_ID, api, fields, models
from odoo.http import request
from odoo.tools.translate import LazyTranslate

from ...tools import guards

_logger = logging.getLogger(__name__)
_lt = LazyTranslate(__name__)

# Set while an ir.actions.server runs in this thread (models/odoo_models/ir_actions_server.py):
# a thread-local value, which no request can set.
SERVER_ACTION = threading.local()


def session_uid():
    """The user logged in to the HTTP request being served, if any.

    None outside a request, and for /xmlrpc and /jsonrpc, where Odoo hides the
    request (http.borrow_request) and each call authenticates as the user it runs as.
    """
    try:
        session = request.session if request else None
    except RuntimeError:  # no request bound to this thread
        return None
    return session.uid if session is not None else None


def in_server_action():
    return bool(getattr(SERVER_ACTION, "depth", 0))


class VpAuditLog(models.Model):
    """Who decrypted which case's content, when and through what. Append-only.

    It names the case by its number and the record by model and id, never
    what was read.
    """

    _name = "vp.audit.log"
    _description = "Content access log"
    _inherit = ["vp.append.only.mixin", "vp.field.access.mixin"]
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
            ("refused", "Refused: run as another user"),
            ("unlock", "Vault unlocked"),
            ("unlock_failed", "Wrong vault passphrase"),
            ("passphrase_set", "Vault passphrase set"),
            ("passphrase_changed", "Vault passphrase changed"),
            ("recovery", "Recovery key used"),
            ("recovery_made", "Recovery key made"),
            ("recovery_failed", "Wrong recovery code"),
            ("key_restored", "Own vault key set back"),
            ("log_checked", "Logs checked at unlock"),
        ],
        readonly=True,
    )
    res_model = fields.Char(string="Record type", readonly=True)
    res_id = fields.Integer(string="Record", readonly=True)
    channel = fields.Char(readonly=True, help="The request path or server process that asked for the content.")
    key_source = fields.Selection(
        [("vault", "The reader's own vault passphrase"), ("master", "The master key (case not yet moved)")],
        string="Opened with",
        readonly=True,
        help="Content opened with the reader's own vault needed that person's passphrase in their own browser "
        "session; content of a case still on the master key needed no secret of theirs.",
    )
    # Who was really logged in, and how the code ran; the administrator can
    # run code as a counsellor, and the line must not simply blame the counsellor.
    session_user_id = fields.Many2one(
        "res.users",
        string="Logged-in user",
        readonly=True,
        ondelete="restrict",
        help="The user logged in to the web session that made the request, when there was one.",
    )
    as_superuser = fields.Boolean(string="Ran as superuser", readonly=True)
    in_server_action = fields.Boolean(
        string="In a server action or scheduled job",
        readonly=True,
        help="The content was asked for by code an administrator wrote (a server action or scheduled "
        "action), not by a screen of this app.",
    )
    other_user = fields.Boolean(
        string="Run as someone else",
        readonly=True,
        help="The logged-in user differs from the user the content was asked for, or the request ran "
        "in a server action or scheduled job: someone may have acted in this counsellor's name.",
    )

    # Lines are added by the server code below only (and by the SQL insert of list reads).
    _vp_append_guard = guards.AUDIT_APPEND
    _vp_append_only_messages = {
        "create": _lt("The content access log is written by the system only."),
        "write": _lt("The content access log cannot be changed."),
        "unlink": _lt("The content access log cannot be deleted."),
    }

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
        if in_server_action():
            return "server action"
        if thread.startswith("odoo.service.http"):
            return "external RPC (/xmlrpc, /jsonrpc)"
        if "cron" in thread:
            return "scheduled action"
        return "server"

    @api.model
    def _vp_context_values(self):
        session = session_uid()
        server_code = in_server_action() or "cron" in threading.current_thread().name
        return {
            "session_user_id": session or False,
            "as_superuser": self.env.su or self.env.uid == SUPERUSER_ID,
            "in_server_action": server_code,
            "other_user": bool(session and session != self.env.uid) or server_code,
        }

    @api.model
    def _log(self, records, action, key_source=None):
        """Append one line per record; records belong to an encrypted model.

        One SQL statement for the whole batch, whatever its size: a list of a
        thousand cases must not write a thousand rows through the ORM. The
        line names ``env.uid``, the user the content was decrypted for; a read
        through the vault can only happen for the user whose own opened key is
        in this request (see vault_session.current_vault), so that is the person
        whose secret unlocked it. ``key_source`` maps a record id to "vault" or
        "master": a line for content opened with the master key (a case not yet
        moved to reader-held keys) says so, because no secret of that person was
        needed for it. No value comes from the caller's context or arguments
        but the records and the action: nothing here can name someone else.
        """
        if not records:
            return
        case_ids = records._vp_case_ids()
        key_source = key_source or {}
        channel = self._current_channel()
        extra = self._vp_context_values()
        now = self.env.cr.now()
        uid = self.env.uid
        self.env["vp.case"].flush_model(["name"])
        res_ids = list(records._ids)
        # Raw SQL, not ORM: create() is refused to everybody (it is reached here
        # only, behind the AUDIT_APPEND guard in the ORM path); the case number
        # is taken from the case row itself, never from the caller.
        # The lines and their block (models/logs/vp_log_block.py) in one statement.
        self.env.cr.execute(
            """
            WITH line AS (
            INSERT INTO vp_audit_log (
                case_id, case_number, user_id, access_date, action, res_model, res_id, channel, key_source,
                session_user_id, as_superuser, in_server_action, other_user,
                create_uid, create_date, write_uid, write_date)
            SELECT t.case_id, c.name, %(uid)s, %(now)s, %(action)s, %(model)s, t.res_id, %(channel)s, t.source,
                   %(session)s, %(su)s, %(server)s, %(other)s, %(uid)s, %(now)s, %(uid)s, %(now)s
              FROM unnest(%(res_ids)s::int[], %(case_ids)s::int[], %(sources)s::varchar[])
                   WITH ORDINALITY AS t(res_id, case_id, source, position)
              LEFT JOIN vp_case c ON c.id = t.case_id
             ORDER BY t.position
            RETURNING id
            )
            INSERT INTO vp_log_block (log, owner_id, line_ids, migrated)
            SELECT 'audit', %(uid)s, string_agg(id::text, ',' ORDER BY id), false FROM line
            """,
            {
                "uid": uid,
                "now": now,
                "action": action,
                "model": records._name,
                "channel": channel,
                "session": extra["session_user_id"] or None,
                "su": extra["as_superuser"],
                "server": extra["in_server_action"],
                "other": extra["other_user"],
                "res_ids": res_ids,
                "case_ids": [case_ids.get(res_id) or None for res_id in res_ids],
                "sources": [key_source.get(res_id) for res_id in res_ids],
            },
        )
        self.env["vp.log.block"]._vp_seal_after_commit(self.env.cr)

    @api.model
    def _log_refused(self, records):
        """Log a refused decryption where the refusal cannot undo it: the
        AccessError rolls back the request's transaction, so the line is
        written and committed through a cursor of its own."""
        extra = self._vp_context_values()
        _logger.warning(
            "Refused to decrypt %s %s for user %s: the logged-in user is %s (server action: %s)",
            records._name,
            records.ids,
            self.env.uid,
            extra["session_user_id"],
            extra["in_server_action"],
        )
        # sudo: case numbers only
        cases = [(record._name, record.id, record._vp_case().sudo()) for record in records]
        channel = self._current_channel()
        with self.env.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            vals_list = [
                {
                    "case_id": case.id,
                    "case_number": case.name,
                    "user_id": self.env.uid,
                    "action": "refused",
                    "res_model": model,
                    "res_id": res_id,
                    "channel": channel,
                    **extra,
                }
                for model, res_id, case in cases
            ]
            lines = guards.open_guard(env["vp.audit.log"], guards.AUDIT_APPEND).create(vals_list)
            env["vp.log.block"]._vp_append("audit", self.env.uid, lines.ids)

    @api.model
    def _vp_log_vault(self, action, case=None):
        """A line about the vault itself (unlock, passphrase, recovery): who and
        through what, never a passphrase or a key."""
        case = case or self.env["vp.case"]
        # sudo: no group may create log lines by hand; the log holds no content.
        line = guards.open_guard(self.sudo(), guards.AUDIT_APPEND).create(
            {
                "case_id": case.id,
                "case_number": case.sudo().name or False,  # sudo: only the number
                "user_id": self.env.uid,
                "action": action,
                "channel": self._current_channel(),
            }
        )
        self.env["vp.log.block"]._vp_append("audit", self.env.uid, line.ids)
        return line
