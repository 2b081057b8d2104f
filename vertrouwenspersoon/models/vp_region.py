# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

from .vp_region_postcode_range import normalise_postcode


class VpRegion(models.Model):
    """A region counsellors serve; the employee's place of residence decides it."""

    _name = "vp.region"
    _description = "Region"
    _inherit = ["vp.change.logged.mixin"]
    _order = "name"
    # Regions decide assignment (and once decided the postcode's region): every change
    # is logged, so nobody reshapes them unseen (review H3).
    _vp_logged_fields = ("name", "code", "province", "active")

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True)
    province = fields.Char()
    active = fields.Boolean(default=True)
    postcode_range_ids = fields.One2many("vp.region.postcode.range", "region_id", string="Postcode ranges")
    roster_line_ids = fields.One2many("vp.roster.line", "region_id", string="Roster")

    _sql_constraints = [
        ("code_unique", "unique(code)", "Another region already uses this code."),
    ]

    @api.model
    def _vp_find(self, postcode, province=None):
        """The region of a postcode of residence; the province when no range
        holds the postcode. An empty recordset when neither decides."""
        digits = normalise_postcode(postcode)
        if digits:
            postcode_range = self.env["vp.region.postcode.range"].search(
                [
                    ("postcode_from", "<=", digits),
                    ("postcode_to", ">=", digits),
                    ("region_id.active", "=", True),
                ],
                limit=1,
            )
            if postcode_range:
                return postcode_range.region_id
        if province and province.strip():
            return self.search([("province", "=ilike", province.strip())], limit=1)
        return self.browse()

    def _vp_pick_counsellor(self, exclude_user_ids=(), load=None, absent=None):
        """The first counsellor on this region's roster who may take a new
        request: not excluded (the other side's counsellor of a linked case),
        not absent, below their maximum of open cases.

        Returns (user, explanation). The explanation names the region, roster
        positions, the counsellors skipped and capacities, never anything of the case. ``load`` maps
        user ids to their open cases and is updated when someone is chosen, so
        a batch of requests spreads over the roster like single requests would;
        ``absent`` is the set of absent user ids (both computed when not given).
        """
        self.ensure_one()
        lines = self.roster_line_ids
        if load is None:
            load = self.env["vp.roster.line"]._vp_open_case_counts(lines.user_id.ids)
        if absent is None:
            absent = lines._vp_absent_user_ids()
        skipped = []
        for position, line in enumerate(lines, 1):
            user = line.user_id
            open_cases = load.get(user.id, 0)
            if user.id in exclude_user_ids:
                # Unnamed: who supports the other side of a linked case is not this case's business.
                skipped.append(self.env._("no. %(position)s supports the other side", position=position))
            elif user.id in absent:
                skipped.append(
                    self.env._("%(counsellor)s (no. %(position)s) absent", counsellor=user.name, position=position)
                )
            elif open_cases >= line.max_open_cases:
                skipped.append(
                    self.env._(
                        "%(counsellor)s (no. %(position)s) at capacity %(open)s/%(max)s",
                        counsellor=user.name,
                        position=position,
                        open=open_cases,
                        max=line.max_open_cases,
                    )
                )
            else:
                load[user.id] = open_cases + 1
                if position == 1:
                    explanation = self.env._(
                        "Region %(region)s, first on roster, capacity %(open)s/%(max)s",
                        region=self.name,
                        open=open_cases,
                        max=line.max_open_cases,
                    )
                else:
                    explanation = self.env._(
                        "Region %(region)s, number %(position)s on roster (skipped: %(skipped)s), "
                        "capacity %(open)s/%(max)s",
                        region=self.name,
                        position=position,
                        skipped="; ".join(skipped),
                        open=open_cases,
                        max=line.max_open_cases,
                    )
                return user, explanation
        if not lines:
            return self.env["res.users"], self.env._(
                "Region %(region)s has no roster: escalated to the coordinator.", region=self.name
            )
        return self.env["res.users"], self.env._(
            "Region %(region)s, nobody available (%(skipped)s): escalated to the coordinator.",
            region=self.name,
            skipped="; ".join(skipped),
        )
