# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.tools import SQL
from odoo.tools.translate import LazyTranslate

_lt = LazyTranslate(__name__)


class VpChangeLog(models.Model):
    """Who changed which setting or date that decides assignment, disclosure
    or destruction, from what to what, and when. Append-only.

    The chatter is no such log: a client can switch its tracking off with
    ``tracking_disable`` in the context, and messages can be deleted. Models
    name the fields they log in ``_vp_logged_fields`` (vp.change.logged.mixin);
    those fields never hold case content, so neither does this log.
    """

    _name = "vp.change.log"
    _description = "Change log"
    _inherit = ["vp.append.only.mixin", "vp.field.access.mixin"]
    _order = "id desc"
    _rec_name = "field_label"

    change_date = fields.Datetime(readonly=True, default=fields.Datetime.now, index=True)
    user_id = fields.Many2one("res.users", string="Changed by", readonly=True, ondelete="restrict")
    res_model = fields.Char(string="Record type", readonly=True, index=True)
    res_id = fields.Integer(string="Record", readonly=True, index=True)
    record_name = fields.Char(string="Record name", readonly=True)
    case_id = fields.Many2one("vp.case", readonly=True, ondelete="set null", index=True)
    field_name = fields.Char(string="Field", readonly=True)
    field_label = fields.Char(string="What", readonly=True)
    operation = fields.Selection(
        [("create", "Created"), ("write", "Changed"), ("unlink", "Deleted")], readonly=True, required=True
    )
    old_value = fields.Char(string="Before", readonly=True)
    new_value = fields.Char(string="After", readonly=True)
    # Why the system made the change (the flow that did the work, or the reason chosen
    # for a correction or a handover): given by server code only (tools/guards.py).
    reason = fields.Char(string="Why", readonly=True)

    # No guard opens create(): lines come in only through _vp_append's SQL, with their block.
    _vp_append_guard = None
    _vp_append_only_messages = {
        "create": _lt("The change log is written by the system only."),
        "write": _lt("The change log cannot be changed."),
        "unlink": _lt("The change log cannot be deleted."),
    }

    @api.model
    def _vp_append(self, vals_list):
        """Append lines (settings and dates, never case content) and their block in the
        evidence chain (models/logs/vp_log_block.py), in one statement: a save that changes
        a logged field costs one query for the log, whatever it logs. No user writes this
        log by hand: create() is refused; this is the only way in."""
        if not vals_list:
            return self.browse()
        columns = {
            "user_id": "int",
            "res_model": "varchar",
            "res_id": "int",
            "record_name": "varchar",
            "case_id": "int",
            "field_name": "varchar",
            "field_label": "varchar",
            "operation": "varchar",
            "old_value": "varchar",
            "new_value": "varchar",
            "reason": "varchar",
        }
        now = fields.Datetime.now()
        self.env.cr.execute(
            SQL(
                """
                WITH line AS (
                    INSERT INTO vp_change_log (change_date, create_uid, create_date, write_uid, write_date, %(names)s)
                    SELECT %(now)s, %(uid)s, %(now)s, %(uid)s, %(now)s, %(names)s
                      FROM unnest(%(arrays)s) AS t(%(names)s)
                    RETURNING id
                ), block AS (
                    INSERT INTO vp_log_block (log, owner_id, line_ids, migrated)
                    SELECT 'change', 0, string_agg(id::text, ',' ORDER BY id), false FROM line
                )
                SELECT id FROM line ORDER BY id
                """,
                names=SQL(", ").join(SQL.identifier(name) for name in columns),
                now=now,
                uid=self.env.uid,
                arrays=SQL(", ").join(
                    SQL("%s::" + kind + "[]", [vals.get(name) or None for vals in vals_list])
                    for name, kind in columns.items()
                ),
            )
        )
        ids = [row[0] for row in self.env.cr.fetchall()]
        self.env["vp.log.block"]._vp_seal_after_commit(self.env.cr)
        return self.browse(ids)
