# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class VpSignal(models.Model):
    """A signal: an anonymised warning from the counsellor to the employer
    about a trend or a serious situation. Drafted by the counsellor, sent only
    after the counsellor confirms it holds nothing traceable to a person."""

    _name = "vp.signal"
    _description = "Signal to the employer"
    _order = "signal_date desc, id desc"

    name = fields.Char(string="Subject", required=True)
    organisation_id = fields.Many2one("vp.organisation", string="Client organisation", required=True, index=True)
    signal_date = fields.Date(string="Date", required=True, default=fields.Date.context_today)
    kind = fields.Selection([("trend", "Trend"), ("serious", "Serious situation")], required=True, default="trend")
    body = fields.Text(string="Signal", required=True)
    counsellor_id = fields.Many2one("res.users", required=True, readonly=True, default=lambda self: self.env.user)
    state = fields.Selection([("draft", "Draft"), ("sent", "Sent")], default="draft", required=True, readonly=True)
    sent_on = fields.Datetime(readonly=True)
