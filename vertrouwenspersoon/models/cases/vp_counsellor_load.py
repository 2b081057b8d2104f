# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models, tools
from odoo.tools import SQL

from ..intake.vp_roster_line import OPEN_STATES


class VpCounsellorLoad(models.Model):
    """The coordinator's view of each counsellor's load against her capacity: the open
    cases (requests and cases in progress, as the roster counts them) against the strictest
    maximum of her rosters, and whether she is absent now. A PostgreSQL view over the
    rosters and the cases' counsellor and state: no case is named."""

    _name = "vp.counsellor.load"
    _description = "Load per counsellor"
    _inherit = ["vp.field.access.mixin"]
    _auto = False
    _order = "load_percent desc, user_id"
    _rec_name = "user_id"

    user_id = fields.Many2one("res.users", string="Counsellor", readonly=True)
    open_case_count = fields.Integer(string="Open cases", readonly=True, aggregator="sum")
    max_open_cases = fields.Integer(string="Maximum", readonly=True, aggregator=None)
    load_percent = fields.Float(string="Load (%)", readonly=True, aggregator=None)
    over_capacity = fields.Boolean(readonly=True)
    is_absent = fields.Boolean(string="Absent now", compute="_compute_is_absent")

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
                CREATE OR REPLACE VIEW %(table)s AS (
                    SELECT r.user_id AS id, r.user_id, COALESCE(o.n, 0) AS open_case_count,
                           r.maximum AS max_open_cases,
                           CASE WHEN r.maximum > 0 THEN 100.0 * COALESCE(o.n, 0) / r.maximum ELSE 0 END
                               AS load_percent,
                           COALESCE(o.n, 0) > r.maximum AS over_capacity
                      FROM (SELECT user_id, MIN(max_open_cases) AS maximum
                              FROM vp_roster_line GROUP BY user_id) r
                      LEFT JOIN (SELECT counsellor_id, COUNT(*) AS n FROM vp_case
                                  WHERE state IN %(open_states)s AND shredded_on IS NULL
                                  GROUP BY counsellor_id) o ON o.counsellor_id = r.user_id
                )
                """,
                table=SQL.identifier(self._table),
                open_states=OPEN_STATES,
            )
        )

    @api.depends("user_id")
    def _compute_is_absent(self):
        # sudo: the coordinator's own roster configuration; whether a leave runs now only
        lines = self.env["vp.roster.line"].sudo().search([("user_id", "in", self.user_id.ids)])
        absent = lines._vp_absent_user_ids()
        for load in self:
            load.is_absent = load.user_id.id in absent
