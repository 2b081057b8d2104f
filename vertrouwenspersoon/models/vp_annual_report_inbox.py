# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models

from ..report import suppression

WBK_KEYS = ("wbk", "ack_in_time", "feedback_in_time")


class VpAnnualReport(models.Model):
    """The Wbk figures of the annual report (one concern, one file): reports
    under the Whistleblowers Protection Act, how many were acknowledged
    within 7 days and how many got feedback within 3 months (through the
    reporter's inbox or otherwise), in the year and the year before."""

    _inherit = "vp.annual.report"

    def _vp_add_figures(self, figures, counts):
        figures = super()._vp_add_figures(figures, counts)
        figures["wbk_follow_up"] = self._vp_wbk_follow_up(figures, counts)
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

    @staticmethod
    def _vp_wbk_counts(counts, years):
        """Per year: requests, Wbk reports, acknowledged in time, feedback in
        time, of the organisation (and the unit's subtree): keys of the report's
        counts, from the cases' stored fields (report/counts.py, ``wbk``,
        ``wbk:ack``, ``wbk:feedback``), so anyone can recount them."""
        return {
            year: {
                "requests": counts[year].get("requests", 0),
                "wbk": counts[year].get("wbk", 0),
                "ack_in_time": counts[year].get("wbk:ack", 0),
                "feedback_in_time": counts[year].get("wbk:feedback", 0),
            }
            for year in years
        }

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

    def _vp_wbk_follow_up(self, figures, raw_counts):
        years = (figures["year"], figures["previous_year"])
        withheld = self._vp_withheld_years(figures)
        counts = self._vp_wbk_counts(raw_counts, years)
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
