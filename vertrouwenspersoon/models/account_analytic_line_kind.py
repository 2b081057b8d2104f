# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Hours of internal counsellors: logged like any counsellor's, never invoiced.

Kept apart from account_analytic_line.py: it is one rule. An internal
counsellor is employed by the client organisation, so the bureau bills none
of their hours; they log hours for the annual report's figures (hours by
time type), on the organisation's engagement like the external ones. The
kind is stored on the line when it is logged (as the business unit is), so
invoicing never reads an appointment or a case, and the hours of a month
keep the kind they were logged with.
"""

from odoo import api, fields, models
from odoo.exceptions import UserError

from .vp_counsellor_appointment import KINDS

# Not invoiced, not in the specification, not in the accountant's hours.
NOT_INVOICED = "internal"


class AccountAnalyticLine(models.Model):
    _inherit = "account.analytic.line"  # pylint: disable=consider-merging-classes-inherited

    vp_counsellor_kind = fields.Selection(
        KINDS,
        string="Kind of counsellor",
        compute="_compute_vp_counsellor_kind",
        store=True,
        readonly=True,
        index="btree_not_null",
        help="Hours of an internal counsellor (employed by the client organisation) are not invoiced.",
    )

    @api.depends("user_id", "vp_engagement_id")
    def _compute_vp_counsellor_kind(self):
        lines = self.filtered(lambda line: line.vp_time_type and line.vp_engagement_id and line.user_id)
        # sudo: the engagements' organisations and who is internal where; no case is read.
        internal = self.env["vp.counsellor.appointment"]._vp_internal_organisation_of(lines.sudo().user_id.ids)
        for line in self:
            if line not in lines:
                line.vp_counsellor_kind = False
                continue
            organisation = line.sudo().vp_engagement_id.organisation_id  # sudo: the engagement's organisation id
            line.vp_counsellor_kind = "internal" if internal.get(line.user_id.id) == organisation.id else "external"

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su and any("vp_counsellor_kind" in vals for vals in vals_list):
            raise UserError(self.env._("Whether hours are invoiced follows from the counsellor's appointment."))
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su and "vp_counsellor_kind" in vals:
            raise UserError(self.env._("Whether hours are invoiced follows from the counsellor's appointment."))
        return super().write(vals)

    def _vp_invoiced_lines(self):
        return self.filtered(lambda line: line.vp_counsellor_kind != NOT_INVOICED)

    # An internal counsellor's hours belong to no invoice, so no invoice closes their month.
    @api.depends("vp_engagement_id", "date", "vp_subject", "vp_business_unit_id", "vp_counsellor_kind")
    def _compute_vp_invoice_id(self):
        invoiced = self._vp_invoiced_lines()
        (self - invoiced).update({"vp_invoice_id": False, "vp_unit_merged": False})
        if invoiced:
            return super(AccountAnalyticLine, invoiced)._compute_vp_invoice_id()
        return None

    def _search_vp_invoice_id(self, operator, value):
        domain = super()._search_vp_invoice_id(operator, value)
        ids = [value] if operator in ("=", "!=") else list(value or [])
        billed_wanted = (operator in ("=", "in")) == bool([invoice_id for invoice_id in ids if invoice_id])
        if billed_wanted:
            return ["&", ("vp_counsellor_kind", "!=", NOT_INVOICED), *domain]
        return ["|", ("vp_counsellor_kind", "=", NOT_INVOICED), *domain]

    def _vp_check_month_open(self):
        return super(AccountAnalyticLine, self._vp_invoiced_lines())._vp_check_month_open()

    def _vp_check_not_billed(self):
        return super(AccountAnalyticLine, self._vp_invoiced_lines())._vp_check_not_billed()
