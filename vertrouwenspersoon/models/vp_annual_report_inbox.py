# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models
from odoo.tools import SQL

from ..report import suppression
from .vp_case_retention import REPORT_TZ

WBK_KEYS = ("wbk", "ack_in_time", "feedback_in_time")


class VpAnnualReport(models.Model):
    """The Wbk figures of the annual report (one concern, one file): reports
    under the Whistleblowers Protection Act, how many were acknowledged
    within 7 days and how many got feedback within 3 months (through the
    reporter's inbox or otherwise), in the year and the year before."""

    _inherit = "vp.annual.report"

    def _vp_compute_figures(self):
        figures = super()._vp_compute_figures()
        figures["wbk_follow_up"] = self._vp_wbk_follow_up(figures)
        return figures

    @staticmethod
    def _vp_withheld_years(figures):
        """Years the report withholds (M6): every cell of the first table is '-'."""
        years = (figures["year"], figures["previous_year"])
        first = (figures.get("tables") or [{}])[0]
        withheld = set()
        for index, year in enumerate(years):
            cells = [row["values"][index] for row in first.get("rows", [])]
            if cells and all(cell["display"] == "-" for cell in cells):
                withheld.add(year)
        return withheld

    def _vp_wbk_counts(self, years):
        """Per year: requests, Wbk reports, acknowledged in time, feedback in
        time, of the organisation (and the unit's subtree), counted from the
        stored fields of the cases in one statement, so anyone can recount
        them. Run without the printing user's rules: counts only."""
        self.env["vp.case"].flush_model(
            ["organisation_id", "business_unit_id", "request_date", "is_wbk", "wbk_ack_in_time", "wbk_feedback_in_time"]
        )
        self.env.cr.execute(
            SQL(
                """
                SELECT EXTRACT(YEAR FROM timezone(%(tz)s, timezone('UTC', request_date)))::int AS year,
                       COUNT(*),
                       COUNT(*) FILTER (WHERE is_wbk),
                       COUNT(*) FILTER (WHERE is_wbk AND wbk_ack_in_time),
                       COUNT(*) FILTER (WHERE is_wbk AND wbk_feedback_in_time)
                  FROM vp_case
                 WHERE organisation_id = %(organisation)s AND %(in_unit)s
                   AND EXTRACT(YEAR FROM timezone(%(tz)s, timezone('UTC', request_date)))::int IN %(years)s
                 GROUP BY 1
                """,
                tz=REPORT_TZ.zone,
                organisation=self.organisation_id.id,
                in_unit=self._vp_in_subtree(SQL("business_unit_id")),
                years=tuple(years),
            )
        )
        counts = {year: dict.fromkeys(("requests", *WBK_KEYS), 0) for year in years}
        for year, requests, wbk, ack, feedback in self.env.cr.fetchall():
            counts[year] = {"requests": requests, "wbk": wbk, "ack_in_time": ack, "feedback_in_time": feedback}
        return counts

    @staticmethod
    def _vp_wbk_cells(count):
        """Small-cell suppression of the three figures of one year: a count of
        1 to 4 is '< 5'; when the Wbk reports are hidden, or the other requests
        (requests minus Wbk reports) are 1 to 4, all three are hidden, and an
        in-time count whose complement (Wbk reports not in time) is 1 to 4 is
        'x', since the published total would give either back."""

        def small(value):
            return 1 <= value <= suppression.SMALL_MAX

        cells = {}
        hide_all = small(count["wbk"]) or small(count["requests"] - count["wbk"])
        for key in WBK_KEYS:
            value = count[key]
            if small(value):
                cells[key] = {"value": None, "display": "< 5"}
            elif hide_all or (key != "wbk" and small(count["wbk"] - value)):
                cells[key] = {"value": None, "display": "x"}
            else:
                cells[key] = {"value": value, "display": str(value)}
        return cells

    def _vp_wbk_follow_up(self, figures):
        years = (figures["year"], figures["previous_year"])
        withheld = self._vp_withheld_years(figures)
        counts = self._vp_wbk_counts(years)
        labels = {
            "wbk": self.env._("Reports under the Whistleblowers Protection Act"),
            "ack_in_time": self.env._("Acknowledged within 7 days"),
            "feedback_in_time": self.env._("Feedback within 3 months"),
        }
        per_year = [
            {key: {"value": None, "display": "-"} for key in WBK_KEYS}
            if year in withheld
            else self._vp_wbk_cells(counts[year])
            for year in years
        ]
        return {
            "title": self.env._("Whistleblowers Protection Act: acknowledgement and feedback within term"),
            "rows": [
                {"key": key, "label": labels[key], "values": [cells[key] for cells in per_year]} for key in WBK_KEYS
            ],
        }
