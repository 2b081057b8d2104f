# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ...const import COUNSELLOR
from ..mixins.vp_write_checked_mixin import check_active_counsellors

# Open cases count against a counsellor's capacity; aftercare and closed do not.
OPEN_STATES = ("request", "open")


class VpRosterLine(models.Model):
    """One counsellor on duty in a region, in priority order.

    Absences are Odoo's own resource calendar leaves of the counsellor's
    resource (made for them when they first join a roster), so time off
    recorded elsewhere in Odoo counts too.
    """

    _name = "vp.roster.line"
    _description = "Roster line"
    _inherit = ["vp.field.access.mixin"]
    _order = "region_id, sequence, id"
    _rec_name = "user_id"

    region_id = fields.Many2one("vp.region", required=True, ondelete="cascade", index=True)
    sequence = fields.Integer(default=10, help="Priority on the roster: the first available counsellor is assigned.")
    user_id = fields.Many2one(
        "res.users",
        string="Counsellor",
        required=True,
        index=True,
        ondelete="cascade",
        domain=lambda self: [("groups_id", "in", self.env.ref(COUNSELLOR).id)],
    )
    max_open_cases = fields.Integer(
        string="Maximum open cases",
        default=10,
        # A maximum per counsellor: its sum over a region's roster means nothing.
        aggregator=None,
        help="Requests and cases in progress, in all regions together.",
    )
    backup_user_id = fields.Many2one(
        "res.users",
        string="Backup",
        ondelete="set null",
        domain=lambda self: [("groups_id", "in", self.env.ref(COUNSELLOR).id)],
        help="Takes over the first contact when this counsellor lets its deadline pass.",
    )
    resource_id = fields.Many2one("resource.resource", readonly=True, index=True, ondelete="restrict")
    open_case_count = fields.Integer(string="Open cases", compute="_compute_availability")
    is_absent = fields.Boolean(string="Absent now", compute="_compute_availability")
    vault_ready = fields.Boolean(
        string="Has a vault passphrase",
        compute="_compute_availability",
        help="Only a counsellor with a vault passphrase gets cases: their content is sealed for her key. "
        "She is asked to choose one when she next opens the app.",
    )

    _sql_constraints = [
        ("user_unique", "unique(region_id, user_id)", "A counsellor is on a region's roster once."),
        ("max_positive", "CHECK(max_open_cases >= 0)", "The maximum of open cases cannot be negative."),
    ]

    @api.constrains("user_id", "backup_user_id")
    def _check_backup(self):
        for line in self:
            if line.backup_user_id and line.backup_user_id == line.user_id:
                raise ValidationError(self.env._("A counsellor cannot be their own backup."))
        # Whoever the roster assigns or hands over to is an active counsellor.
        check_active_counsellors(self.user_id | self.backup_user_id, self.env._("Everyone on a roster"))
        # Rosters serve every organisation of a region: an internal counsellor, employed by
        # one organisation, would be given another employer's employees (or their key, as backup).
        internal = self.env["vp.counsellor.appointment"]._vp_internal_organisation_of(
            (self.user_id | self.backup_user_id).ids
        )
        if internal:
            raise ValidationError(
                self.env._(
                    "%(users)s is an internal counsellor of one organisation and cannot be on a region's roster.",
                    # sudo: the counsellors' names, for the message
                    users=", ".join(self.env["res.users"].browse(list(internal)).sudo().mapped("name")),
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines._vp_ensure_resources()
        return lines

    def write(self, vals):
        res = super().write(vals)
        if "user_id" in vals:
            self._vp_ensure_resources()
        return res

    def _vp_ensure_resources(self):
        """Give each counsellor one resource, where their absences are kept."""
        # sudo: resources are created by administrators only; one holds the
        # counsellor's name and calendar, nothing of any case.
        resources = self.env["resource.resource"].sudo()
        existing = resources.search([("user_id", "in", self.user_id.ids), ("resource_type", "=", "user")])
        by_user = {resource.user_id.id: resource for resource in existing}
        missing = self.user_id.filtered(lambda user: user.id not in by_user)
        if missing:
            created = resources.create(
                [
                    {"name": user.name, "user_id": user.id, "resource_type": "user", "tz": user.tz or "UTC"}
                    for user in missing
                ]
            )
            by_user.update({resource.user_id.id: resource for resource in created})
        for line in self:
            if line.resource_id != by_user[line.user_id.id]:
                line.write({"resource_id": by_user[line.user_id.id].id})

    @api.model
    def _vp_open_case_counts(self, user_ids):
        """Open cases per counsellor in one grouped query."""
        if not user_ids:
            return {}
        # sudo: counts cases per counsellor, reads nothing of them; a
        # counsellor's own rules would hide the others' caseload.
        groups = (
            self.env["vp.case"]
            .sudo()
            ._read_group(
                [("counsellor_id", "in", list(user_ids)), ("state", "in", OPEN_STATES)],
                ["counsellor_id"],
                ["__count"],
            )
        )
        return {user.id: count for user, count in groups}

    def _vp_absent_user_ids(self, now=None):
        """Counsellors of these lines with a leave running at ``now``."""
        now = now or fields.Datetime.now()
        if not self:
            return set()
        # sudo: leaves of other users are hidden by resource's own rules; only
        # whether one runs now is used.
        leaves = (
            self.env["resource.calendar.leaves"]
            .sudo()
            .search_fetch(
                [
                    ("resource_id", "in", self.resource_id.ids),
                    ("date_from", "<=", now),
                    ("date_to", ">=", now),
                ],
                ["resource_id"],
            )
        )
        absent_resources = set(leaves.resource_id.ids)
        return {line.user_id.id for line in self if line.resource_id.id in absent_resources}

    @api.depends("user_id", "max_open_cases")
    def _compute_availability(self):
        load = self._vp_open_case_counts(self.user_id.ids)
        absent = self._vp_absent_user_ids()
        ready = self.env["vp.reader.key"]._vp_ready_user_ids(self.user_id.ids)
        for line in self:
            line.open_case_count = load.get(line.user_id.id, 0)
            line.is_absent = line.user_id.id in absent
            line.vault_ready = line.user_id.id in ready
