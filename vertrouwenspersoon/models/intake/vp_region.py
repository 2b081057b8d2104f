# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .vp_region_postcode_range import normalise_postcode


class VpRegion(models.Model):
    """A region counsellors serve; the employee's place of residence decides it."""

    _name = "vp.region"
    _description = "Region"
    _inherit = ["vp.change.logged.mixin", "vp.field.access.mixin"]
    _order = "name"
    # Regions decide assignment (and once decided the postcode's region): every change
    # is logged, so nobody reshapes them unseen.
    _vp_logged_fields = ("name", "code", "province", "active", "duty_roster")

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True)
    province = fields.Char()
    active = fields.Boolean(default=True)
    postcode_range_ids = fields.One2many("vp.region.postcode.range", "region_id", string="Postcode ranges")
    roster_line_ids = fields.One2many("vp.roster.line", "region_id", string="Roster")
    duty_roster = fields.Boolean(
        string="Duty roster",
        help="The bureau's duty counsellors, in order: a request that no region's roster can place (an unknown "
        "organisation code, no region, nobody free) goes to the first of them who has a vault passphrase, "
        "absent or at capacity if need be, so that its content is sealed for a reader at once. Matches no "
        "postcode or province.",
    )

    _sql_constraints = [
        ("code_unique", "unique(code)", "Another region already uses this code."),
    ]

    @api.constrains("duty_roster", "active")
    def _check_one_duty_roster(self):
        if self.search_count([("duty_roster", "=", True)]) > 1:
            raise ValidationError(self.env._("The bureau has one duty roster."))

    @api.model
    def _vp_duty_roster(self):
        # sudo: the duty roster's counsellors, to place a request; no case is read.
        return self.sudo().search([("duty_roster", "=", True)], limit=1)

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
                    ("region_id.duty_roster", "=", False),
                ],
                limit=1,
            )
            if postcode_range:
                return postcode_range.region_id
        if province and province.strip():
            return self.search([("province", "=ilike", province.strip()), ("duty_roster", "=", False)], limit=1)
        return self.browse()

    def _vp_pick_counsellor(self, exclude_user_ids=(), load=None, absent=None, ready=None, last_resort=False):
        """The first counsellor on this region's roster who may take a new
        request: not excluded (the other side's counsellor of a linked case),
        not absent, below their maximum of open cases.

        Returns (user, explanation). The explanation names the region, roster
        positions, the counsellors skipped and capacities, never anything of the case. ``load`` maps
        user ids to their open cases and is updated when someone is chosen, so
        a batch of requests spreads over the roster like single requests would;
        ``absent`` is the set of absent user ids (both computed when not given).
        A counsellor without a vault passphrase (``ready``: the ids of those with
        one) gets no case: its content could not be sealed for her. With
        ``last_resort`` (the duty roster), absence and capacity do not stop the
        choice when nobody else is left: a reader must hold the request.
        """
        self.ensure_one()
        lines = self.roster_line_ids
        if load is None:
            load = self.env["vp.roster.line"]._vp_open_case_counts(lines.user_id.ids)
        if absent is None:
            absent = lines._vp_absent_user_ids()
        if ready is None:
            ready = self.env["vp.reader.key"]._vp_ready_user_ids(lines.user_id.ids)
        skipped = []
        fallback = None
        for position, line in enumerate(lines, 1):
            user = line.user_id
            open_cases = load.get(user.id, 0)
            if user.id not in ready:
                skipped.append(
                    self.env._(
                        "%(counsellor)s (no. %(position)s) has no vault passphrase yet",
                        counsellor=user.name,
                        position=position,
                    )
                )
                continue
            if user.id not in exclude_user_ids and fallback is None:
                fallback = (position, line)
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
        if last_resort and fallback:
            position, line = fallback
            load[line.user_id.id] = load.get(line.user_id.id, 0) + 1
            return line.user_id, self.env._(
                "Region %(region)s, number %(position)s on roster although absent or at capacity (skipped: "
                "%(skipped)s)",
                region=self.name,
                position=position,
                skipped="; ".join(skipped),
            )
        if not lines:
            return self.env["res.users"], self.env._(
                "Region %(region)s has no roster: escalated to the coordinator.", region=self.name
            )
        return self.env["res.users"], self.env._(
            "Region %(region)s, nobody available (%(skipped)s): escalated to the coordinator.",
            region=self.name,
            skipped="; ".join(skipped),
        )
