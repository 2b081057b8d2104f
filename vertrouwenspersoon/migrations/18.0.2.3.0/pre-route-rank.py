# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A case stores its furthest route (``vp.case.route_rank``), which the annual report
counts with the case's other categories. Left to Odoo, the update would compute the new
column case by case through the ORM (reading every case's routes: minutes for a bureau's
200,000 cases); made here, it is one statement with the ranks of vp.case's compute, and
Odoo finds the column filled."""

from odoo.addons.vertrouwenspersoon.const import ROUTE_RANKS
from odoo.tools import SQL


def migrate(cr, version):
    if not version:
        return
    cr.execute("ALTER TABLE vp_case ADD COLUMN IF NOT EXISTS route_rank integer")
    rank = SQL(
        "CASE route.category %s END",
        SQL(" ").join(SQL("WHEN %s THEN %s", category, rank) for category, rank in ROUTE_RANKS.items()),
    )
    cr.execute(
        SQL(
            """
            UPDATE vp_case SET route_rank = COALESCE(ranked.rank, 0)
              FROM vp_case c
              LEFT JOIN (SELECT rel.vp_case_id, MAX(%s) AS rank
                           FROM vp_case_vp_route_rel rel JOIN vp_route route ON route.id = rel.vp_route_id
                          GROUP BY 1) ranked ON ranked.vp_case_id = c.id
             WHERE vp_case.id = c.id
            """,
            rank,
        )
    )
