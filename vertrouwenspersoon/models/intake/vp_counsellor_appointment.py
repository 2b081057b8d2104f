# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ...const import COUNSELLOR
from ..mixins.vp_write_checked_mixin import check_active_counsellors

KINDS = [("external", "External (the bureau's)"), ("internal", "Internal (employed by the organisation)")]


class VpCounsellorAppointment(models.Model):
    """A counsellor appointed at a client organisation, internal or external.

    Kept per organisation rather than on the roster line: rosters are the
    bureau's, per region and across organisations, while an internal
    counsellor is employed by one organisation and serves only its
    employees. So an internal counsellor holds an appointment at exactly one
    organisation and is on no roster (the roster would give them another
    employer's employees), and a case of theirs belongs to that organisation
    only. A counsellor without an appointment at an organisation they serve
    is external, as before this model existed.

    Both kinds are counsellors of the same group, with the same record rules
    and the same reader-held keys: the employer's HR and administrator read
    an internal counsellor's cases no more than an external one's.
    """

    _name = "vp.counsellor.appointment"
    _inherit = ["vp.change.logged.mixin", "vp.field.access.mixin"]
    _description = "Counsellor appointed at a client organisation"
    _order = "organisation_id, kind, sequence, id"
    _rec_name = "user_id"
    # Who is internal decides who may hold whose cases and what is invoiced.
    _vp_logged_fields = ("user_id", "organisation_id", "kind", "active", "show_on_intake")

    organisation_id = fields.Many2one(
        "vp.organisation", string="Client organisation", required=True, ondelete="cascade", index=True
    )
    user_id = fields.Many2one(
        "res.users",
        string="Counsellor",
        required=True,
        ondelete="cascade",
        index=True,
        domain=lambda self: [("groups_id", "in", self.env.ref(COUNSELLOR).id)],
    )
    kind = fields.Selection(KINDS, required=True, default="external")
    sequence = fields.Integer(default=10, help="Order on the intake page and among internal counsellors.")
    active = fields.Boolean(default=True)
    show_on_intake = fields.Boolean(
        string="Named on the intake page",
        default=True,
        help="The employee can choose this counsellor by name: name, photo and the introduction the "
        "counsellor writes on their own profile.",
    )

    _sql_constraints = [
        ("user_unique", "unique(organisation_id, user_id)", "A counsellor is appointed once per organisation."),
    ]

    @api.model_create_multi
    def create(self, vals_list):
        appointments = super().create(vals_list)
        appointments._vp_serve_organisations()
        return appointments

    def write(self, vals):
        res = super().write(vals)
        if {"user_id", "organisation_id"} & set(vals):
            self._vp_serve_organisations()
        return res

    def _vp_serve_organisations(self):
        """An appointed counsellor serves the organisation (its list of counsellors)."""
        for appointment in self:
            organisation = appointment.organisation_id
            if appointment.user_id not in organisation.counsellor_ids:
                organisation.counsellor_ids = [fields.Command.link(appointment.user_id.id)]

    @api.constrains("user_id", "kind", "organisation_id", "active")
    def _check_internal_at_one_organisation(self):
        check_active_counsellors(self.user_id, self.env._("An appointed counsellor"))
        # sudo: appointments and rosters of other organisations, to check the rule; ids only.
        appointments = self.sudo().with_context(active_test=False).search([("user_id", "in", self.user_id.ids)])
        internal = appointments.filtered(lambda appointment: appointment.kind == "internal")
        for user in internal.user_id:
            if len(appointments.filtered(lambda appointment, user=user: appointment.user_id == user)) > 1:
                raise ValidationError(
                    self.env._(
                        "%(user)s is an internal counsellor: employed by one organisation, they are appointed "
                        "at that organisation only.",
                        user=user.name,
                    )
                )
        # sudo: roster lines of any region, to check the rule; user ids only.
        rostered = (
            self.env["vp.roster.line"]
            .sudo()
            .search(["|", ("user_id", "in", internal.user_id.ids), ("backup_user_id", "in", internal.user_id.ids)])
        )
        if rostered:
            raise ValidationError(
                self.env._(
                    "%(user)s is on a region's roster, which serves every organisation: an internal counsellor "
                    "cannot be. Take them off the roster first.",
                    user=", ".join(
                        (rostered.user_id | rostered.backup_user_id)
                        .filtered(lambda user: user in internal.user_id)
                        .mapped("name")
                    ),
                )
            )

    @api.model
    def _vp_internal_organisation_of(self, user_ids):
        """{user id: organisation id} of the internal counsellors among ``user_ids``."""
        if not user_ids:
            return {}
        # sudo: who is internal where; no case is read.
        appointments = self.sudo().search_fetch(
            [("user_id", "in", list(user_ids)), ("kind", "=", "internal")], ["user_id", "organisation_id"]
        )
        return {appointment.user_id.id: appointment.organisation_id.id for appointment in appointments}

    @api.model
    def _vp_kind_of(self, user_id, organisation_id):
        """'internal' or 'external': how ``user_id`` serves ``organisation_id``."""
        internal = self._vp_internal_organisation_of([user_id])
        return "internal" if internal.get(user_id) == organisation_id else "external"
