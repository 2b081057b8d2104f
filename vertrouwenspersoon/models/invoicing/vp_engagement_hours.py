# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models, tools
from odoo.tools import SQL

from ..odoo_models.account_analytic_line import BILLING_FACTOR, TIME_TYPES


class VpEngagementHours(models.Model):
    """What the accountant reads of the counsellors' hours: hours per
    engagement, month, business unit and time type, exactly as the invoice shows them.

    The lines themselves (day, counsellor, case, description) are their counsellor's
    alone (the global rule on account.analytic.line). Here:
    - a month with an invoice shows the invoice's units: those it merged under
      'other units' (anonymity rule, account.move.vp_merged_unit_ids) are merged here;
    - a month without invoice yet shows all its case hours under 'other units': which
      units are large enough to be named is decided once, by the first invoice of the
      month, and may not be probed before by changing the threshold;
    - prevention work is by unit, as on the invoice (no case behind it);
    - only the time types an invoice bills.
    A read-only SQL view: nothing here can be written.
    """

    _name = "vp.engagement.hours"
    _description = "Counsellor hours per month, unit and time type"
    _inherit = ["vp.field.access.mixin"]
    _auto = False
    _order = "month desc, engagement_id, unit_merged, business_unit_id, time_type"

    engagement_id = fields.Many2one("vp.engagement", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    month = fields.Date(readonly=True)
    # "01-02-2026" where an accountant reads "februari 2026".
    month_label = fields.Char(string="Month in words", compute="_compute_month_label")
    subject = fields.Selection([("case", "Case"), ("prevention", "Prevention work")], string="Logged on", readonly=True)
    business_unit_id = fields.Many2one(
        "vp.business.unit", readonly=True, help="Empty for organisation-wide hours and for other units."
    )
    unit_merged = fields.Boolean(
        string="Other units", readonly=True, help="Hours of units too small to be named (anonymity rule)."
    )
    time_type = fields.Selection(TIME_TYPES, readonly=True)
    hours = fields.Float(readonly=True, aggregator="sum")
    invoice_id = fields.Many2one("account.move", readonly=True)

    @api.depends("month")
    @api.depends_context("lang")
    def _compute_month_label(self):
        Engagement = self.env["vp.engagement"]
        for line in self:
            line.month_label = Engagement._vp_month_label(line.month) if line.month else False

    def _vp_query(self):
        billed_types = [time_type for time_type, factor in BILLING_FACTOR.items() if factor]
        return SQL(
            """
            WITH line AS (
                SELECT l.vp_engagement_id AS engagement_id,
                       e.company_id,
                       date_trunc('month', l.date)::date AS month,
                       l.vp_subject AS subject,
                       l.vp_business_unit_id AS unit_id,
                       l.vp_time_type AS time_type,
                       l.unit_amount AS hours,
                       move.id AS invoice_id,
                       l.vp_subject = 'case' AND (
                           move.id IS NULL
                           OR EXISTS (
                               SELECT 1 FROM account_move_vp_merged_unit_rel rel
                                WHERE rel.account_move_id = move.id
                                  AND rel.vp_business_unit_id = l.vp_business_unit_id
                           )
                       ) AS merged
                  FROM account_analytic_line l
                  JOIN vp_engagement e ON e.id = l.vp_engagement_id
             LEFT JOIN account_move move
                    ON move.vp_engagement_id = l.vp_engagement_id
                   AND move.vp_period = date_trunc('month', l.date)::date
                   AND move.state != 'cancel'
                   AND move.vp_released IS NOT TRUE
                 WHERE l.vp_time_type = ANY(%(types)s)
                   -- hours of internal counsellors are not invoiced (account_analytic_line.vp_counsellor_kind)
                   AND l.vp_counsellor_kind IS DISTINCT FROM 'internal'
            )
            SELECT row_number() OVER (ORDER BY engagement_id, month, merged, unit, subject, time_type) AS id,
                   engagement_id, company_id, month, subject, unit AS business_unit_id,
                   merged AS unit_merged, time_type, hours, invoice_id
              FROM (
                    SELECT engagement_id, company_id, month, subject,
                           CASE WHEN merged THEN NULL ELSE unit_id END AS unit,
                           merged, time_type, SUM(hours) AS hours, invoice_id
                      FROM line
                  GROUP BY engagement_id, company_id, month, subject,
                           CASE WHEN merged THEN NULL ELSE unit_id END, merged, time_type, invoice_id
                   ) grouped
            """,
            types=billed_types,
        )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(SQL("CREATE OR REPLACE VIEW %s AS (%s)", SQL.identifier(self._table), self._vp_query()))
