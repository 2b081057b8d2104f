# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

MANAGEMENT = "vertrouwenspersoon.group_management"


class VpAnnualReportWizard(models.TransientModel):
    """Asks for the organisation, the year, optionally a business unit and
    the counsellor's observations, then stores the report and prints it."""

    _name = "vp.annual.report.wizard"
    _description = "Print the annual report"

    # B1: the web client asks for a new wizard's values through onchange(), which
    # puts False in the cache for every field without a default, so a compute
    # without dependencies never runs there; the default gives the form the list.
    allowed_organisation_ids = fields.Many2many(
        "vp.organisation",
        compute="_compute_allowed_organisation_ids",
        default=lambda self: self._vp_allowed_organisations(),
    )
    organisation_id = fields.Many2one(
        "vp.organisation",
        string="Client organisation",
        required=True,
        domain="[('id', 'in', allowed_organisation_ids)]",
    )
    year = fields.Integer(required=True, default=lambda self: self.env["vp.annual.report"]._vp_default_year())
    business_unit_id = fields.Many2one(
        "vp.business.unit",
        string="Business unit",
        domain="[('organisation_id', '=', organisation_id)]",
        help="Leave empty for the whole organisation; otherwise the report covers this unit and the units below it.",
    )
    observations = fields.Text(
        string="Observations and advice",
        help="Your own observations, trends and advice for management; kept with the report. "
        "Write nothing that could identify a person.",
    )

    @api.model
    def _vp_allowed_organisations(self):
        # Management reads only the organisations that name it (record rule, L13).
        organisations = self.env["vp.organisation"].search([])
        if not self.env.user.has_group(MANAGEMENT):
            organisations = organisations.filtered(lambda org: self.env.user in org.sudo().counsellor_ids)  # sudo: ids
        return organisations

    @api.depends_context("uid")
    def _compute_allowed_organisation_ids(self):
        organisations = self._vp_allowed_organisations()
        for wizard in self:
            wizard.allowed_organisation_ids = organisations

    @api.onchange("organisation_id")
    def _onchange_organisation_id(self):
        if self.business_unit_id.organisation_id != self.organisation_id:
            self.business_unit_id = False

    def _vp_create_report(self):
        self.ensure_one()
        return self.env["vp.annual.report"].create(
            {
                "organisation_id": self.organisation_id.id,
                "year": self.year,
                "business_unit_id": self.business_unit_id.id,
                "observations": self.observations,
            }
        )

    def action_print_pdf(self):
        self.ensure_one()
        # Before anything is stored: a missing wkhtmltopdf leaves no half-made report.
        self.env["vp.annual.report"]._vp_check_wkhtmltopdf()
        action = self._vp_create_report().action_print_pdf()
        # The wizard closes once the PDF is downloaded, as Odoo's own print dialogs do.
        action["close_on_report_download"] = True
        return action

    def action_preview_html(self):
        return self._vp_create_report().action_preview_html()

    def action_download_xlsx(self):
        url = self._vp_create_report().action_download_xlsx()["url"]
        # Downloaded in the page like the PDF (no blank tab), then the wizard closes.
        return {
            "type": "ir.actions.client",
            "tag": "vp_download",
            "params": {"url": url, "next": {"type": "ir.actions.act_window_close"}},
        }
