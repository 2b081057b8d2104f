# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

from ...const import MANAGEMENT, dutch_today

# Closed years shown on management's dashboard: the last ones before the running year.
DASHBOARD_YEARS = 5


class VpAnnualFigure(models.Model):
    """One published figure of an annual report: an organisation's closed year, a table
    of the report and a row of it, with the number as the report prints it. Management's
    dashboard (graph, pivot and list) reads these rows only, so it shows exactly what the
    annual report publishes, small-cell rule included: a hidden cell has no number, only
    its mark ("< 5", "x", or "-" for a withheld year). Refreshed from the data when the
    dashboard opens; every row can be made again from the data (rule 5)."""

    _name = "vp.annual.figure"
    _inherit = ["vp.field.access.mixin"]
    _description = "Published figure of an annual report"
    _order = "organisation_id, year desc, sequence, id"
    _rec_name = "label"

    organisation_id = fields.Many2one(
        "vp.organisation", string="Client organisation", required=True, readonly=True, index=True, ondelete="cascade"
    )
    year = fields.Char(required=True, readonly=True, help="A closed year (as text: no thousands separator).")
    section = fields.Char(string="Table", required=True, readonly=True)
    sequence = fields.Integer(readonly=True)
    label = fields.Char(string="Row", required=True, readonly=True)
    value = fields.Integer(
        string="Published figure", readonly=True, aggregator="sum", help="Empty where the report hides the number."
    )
    display = fields.Char(string="As printed", readonly=True)
    hidden = fields.Boolean(readonly=True, help="The report hides this number so that nobody can be recognised.")

    @api.model
    def _vp_dashboard_organisations(self):
        """The organisations whose figures this user may see: those that name her as their
        management (the same as who may print their annual report)."""
        user = self.env.user
        # sudo: which organisations name this user; ids only
        return self.env["vp.organisation"].sudo().search([("manager_user_ids", "in", user.ids)])

    @api.model
    def _vp_refresh(self):
        """The published figures of the closed years of this user's organisations, computed
        now from the data as the annual report computes them (one report per organisation
        and year, not stored as an annual report)."""
        organisations = self._vp_dashboard_organisations()
        this_year = dutch_today().year
        years = range(this_year - DASHBOARD_YEARS, this_year)
        vals_list = []
        Report = self.env["vp.annual.report"]
        for organisation in organisations:
            for year in years:
                report = Report.new({"organisation_id": organisation.id, "year": year})
                report._vp_check_may_print(organisation, year)
                figures = report._vp_compute_figures()
                vals_list += self._vp_rows(organisation, year, figures)
        # sudo: rows of published figures, written by the system for these organisations
        figures_sudo = self.sudo()
        figures_sudo.search([("organisation_id", "in", organisations.ids)]).unlink()
        figures_sudo.create(vals_list)

    @api.model
    def _vp_rows(self, organisation, year, figures):
        rows = []
        if figures.get("small_year"):
            rows.append(
                {
                    "organisation_id": organisation.id,
                    "year": str(year),
                    "section": self.env._("Requests and cases"),
                    "sequence": 0,
                    "label": self.env._("Requests"),
                    "value": False,
                    "display": "-",
                    "hidden": True,
                }
            )
            return rows
        sequence = 0
        for table in figures.get("tables", []):
            lines = [*table["rows"], *([table["total"]] if table.get("total") else [])]
            for line in lines:
                cell = line["values"][0]  # the report's own year; the previous year is its own report
                sequence += 1
                rows.append(
                    {
                        "organisation_id": organisation.id,
                        "year": str(year),
                        "section": table["title"],
                        "sequence": sequence,
                        "label": line["label"],
                        "value": cell["value"] if cell["value"] is not None else False,
                        "display": cell["display"],
                        "hidden": cell["value"] is None,
                    }
                )
        return rows

    @api.model
    def action_vp_open_dashboard(self):
        """Management's dashboard: refresh the figures, then show them."""
        if self.env.user.has_group(MANAGEMENT):
            self._vp_refresh()
        action = self.env["ir.actions.act_window"]._for_xml_id("vertrouwenspersoon.vp_annual_figure_action")
        return action
