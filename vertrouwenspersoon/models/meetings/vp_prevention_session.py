# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ...const import COUNSELLOR


class VpPreventionSession(models.Model):
    """Prevention work for a client organisation: an information or awareness
    session. Holds no personal data: an audience size, never who attended."""

    _name = "vp.prevention.session"
    _description = "Prevention session"
    _inherit = ["vp.write.checked.mixin", "vp.field.access.mixin"]
    _order = "session_date desc, id desc"

    name = fields.Char(string="Topic", required=True, help="The subject of the session, e.g. 'Pesten op de werkvloer'.")
    organisation_id = fields.Many2one("vp.organisation", string="Client organisation", required=True, index=True)
    business_unit_id = fields.Many2one(
        "vp.business.unit", index=True, domain="[('organisation_id', '=', organisation_id)]"
    )
    kind = fields.Selection(
        [
            ("information", "Information session"),
            ("awareness", "Awareness session"),
            ("management_advice", "Advice to management"),
        ],
        required=True,
        default="information",
    )
    session_date = fields.Date(string="Date", required=True, default=fields.Date.context_today)
    audience_size = fields.Integer(string="People reached")
    hours = fields.Float(help="Hours spent, preparation included.")
    counsellor_id = fields.Many2one(
        "res.users",
        required=True,
        default=lambda self: self.env.user,
        domain=lambda self: [("groups_id", "in", self.env.ref(COUNSELLOR).id)],
    )
    state = fields.Selection(
        [("planned", "Planned"), ("held", "Held"), ("cancelled", "Cancelled")],
        default="planned",
        required=True,
    )

    @api.constrains("audience_size", "hours")
    def _check_numbers(self):
        for session in self:
            if session.audience_size < 0 or session.hours < 0:
                raise ValidationError(self.env._("People reached and hours cannot be negative."))
