# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from markupsafe import Markup, escape

from odoo import api, fields, models

from ..const import COUNSELLOR, MANAGEMENT, MIN_REPORT_POPULATION, dutch_today
from ..report.counts import requests_per_year_sql

# Years the wizard's overview shows: the running year and the ones before it.
OVERVIEW_YEARS = 4


class VpAnnualReportWizard(models.TransientModel):
    """Asks for the organisation, the year, optionally a business unit and
    the counsellor's observations, then stores the report and prints it."""

    _name = "vp.annual.report.wizard"
    _description = "Print the annual report"
    _inherit = ["vp.field.access.mixin"]

    # The web client asks for a new wizard's values through onchange(), which
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

    # A default as well: the web client's onchange() of a new wizard never runs a compute
    # without dependencies (see allowed_organisation_ids).
    availability = fields.Html(
        string="What can be printed",
        compute="_compute_availability",
        default=lambda self: self._vp_availability_html(),
        sanitize=False,
        help="Per organisation and year: a full report, a one-page report, or not yet.",
    )

    @api.depends_context("uid")
    def _compute_availability(self):
        html = self._vp_availability_html()
        for wizard in self:
            wizard.availability = html

    @api.model
    def _vp_requests_per_year(self, organisations, years):
        """{(organisation id, year): requests}, counted from the cases (the Dutch year of each
        request, as the report counts it); whether a year reaches the minimum is all the
        overview shows of them."""
        if not organisations:
            return {}
        self.env["vp.case"].flush_model(["organisation_id", "request_date"])
        self.env.cr.execute(requests_per_year_sql(organisations.ids, years))
        return {(organisation, year): count for organisation, year, count in self.env.cr.fetchall()}

    @api.model
    def _vp_availability(self):
        """[(organisation, [(year, kind, explanation)])] for the organisations this user may
        print, newest year first. kind: full, small, empty, running."""
        organisations = self._vp_allowed_organisations()
        this_year = dutch_today().year
        years = list(range(this_year, this_year - OVERVIEW_YEARS, -1))
        counts = self._vp_requests_per_year(organisations, years)
        counsellor = not self.env.user.has_group(MANAGEMENT)
        result = []
        for organisation in organisations:
            # sudo: the organisation's minimum, a setting, no case
            minimum = max(organisation.sudo().min_report_population, MIN_REPORT_POPULATION)
            rows = []
            for year in years:
                requests = counts.get((organisation.id, year), 0)
                if year == this_year and not counsellor:
                    rows.append((year, "running", self.env._("Printable from 1 January %(next)s.", next=year + 1)))
                    continue
                if not requests:
                    kind, text = "empty", self.env._("No requests: a report that says so.")
                elif requests < minimum:
                    kind, text = (
                        "small",
                        self.env._(
                            "One page: fewer than %(minimum)s requests, so no figures; the prevention work and "
                            "the observations.",
                            minimum=minimum,
                        ),
                    )
                else:
                    kind, text = "full", self.env._("The full report with figures.")
                if year == this_year:
                    text = self.env._("Preview of the running year: %(what)s", what=text)
                rows.append((year, kind, text))
            result.append((organisation, rows))
        return result

    @api.model
    def _vp_availability_html(self):
        badge = {"full": "text-bg-success", "small": "text-bg-info", "empty": "text-bg-secondary"}
        parts = [Markup('<table class="table table-sm o_vp_availability mb-0"><tbody>')]
        for organisation, rows in self._vp_availability():
            for index, (year, kind, text) in enumerate(rows):
                parts.append(
                    Markup('<tr data-organisation="%s" data-year="%s" data-kind="%s">') % (organisation.id, year, kind)
                )
                parts.append(Markup('<td class="fw-bold">%s</td>') % (organisation.display_name if index == 0 else ""))
                parts.append(
                    Markup('<td>%s</td><td><span class="badge %s">%s</span></td></tr>')
                    % (year, badge.get(kind, "text-bg-light"), escape(text))
                )
        parts.append(Markup("</tbody></table>"))
        return Markup("").join(parts)

    @api.model
    def _vp_allowed_organisations(self):
        # Management reads only the organisations that name it (record rule).
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

    def _vp_counsellors_observations(self):
        """Management writes no observations (the counsellor's text was an input for
        her): its report carries what a counsellor wrote for the same organisation, year and
        unit, the latest first."""
        # sudo: the observations written for this management; the reports hold no case or count
        earlier = (
            self.env["vp.annual.report"]
            .sudo()
            .search(
                [
                    ("organisation_id", "=", self.organisation_id.id),
                    ("year", "=", self.year),
                    ("business_unit_id", "=", self.business_unit_id.id),
                    ("observations", "!=", False),
                    ("create_uid.groups_id", "in", self.env.ref(COUNSELLOR).ids),
                ],
                order="id desc",
                limit=1,
            )
        )
        return earlier.observations

    def _vp_create_report(self):
        self.ensure_one()
        writes_observations = self.env.user.has_group(COUNSELLOR)
        return self.env["vp.annual.report"].create(
            {
                "organisation_id": self.organisation_id.id,
                "year": self.year,
                "business_unit_id": self.business_unit_id.id,
                "observations": self.observations if writes_observations else self._vp_counsellors_observations(),
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
