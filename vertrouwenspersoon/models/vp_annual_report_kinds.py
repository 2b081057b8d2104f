# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The annual report's figures by kind of counsellor, and the consultations.

Kept apart from vp_annual_report.py (its own concern, and the report's main
figures change elsewhere). The report itself counts every request of the
organisation, whoever holds it: internal and external counsellors' cases
together. This adds, as a block of its own (report template
``vp_annual_report_counsellor_kinds``):

- requests by kind of counsellor (internal, external, not assigned), per
  year, only where no cell would have to be hidden: every row 0 or at least
  5, at least two rows of 5 or more (a sum in which one row holds nearly
  everybody is what the report's zero rule hides, M6), and the year's
  request total printed in the main tables (a published split of a hidden
  total would give it back). Otherwise the year's column is hidden whole
  ('x'), so this block never needs suppression of its own and adds no sum
  over a hidden cell;
- consultations asked in the year (counsellors' work, not people: printed
  exactly, like signals), in the whole organisation's report only: a
  consultation has no business unit.
"""

from odoo import models
from odoo.tools import SQL

from ..const import dutch_year_sql
from ..report import suppression

KIND_ROWS = ("internal", "external", "none")


class VpAnnualReport(models.Model):
    _inherit = "vp.annual.report"  # pylint: disable=consider-merging-classes-inherited

    def _vp_add_figures(self, figures, counts):
        figures = super()._vp_add_figures(figures, counts)
        figures["counsellor_kinds"] = self._vp_counsellor_kind_figures(figures, counts)
        return figures

    def _vp_count_by_counsellor_kind(self, counts, years):
        """{year: {kind: requests}} from the report's counts (report/counts.py,
        ``counsellor_kind:*``), and {year: consultations} in one statement."""
        by_kind = {year: {kind: counts[year].get(f"counsellor_kind:{kind}", 0) for kind in KIND_ROWS} for year in years}
        consultations = dict.fromkeys(years, 0)
        if self.business_unit_id:  # a consultation has no unit: a unit's report counts none
            return by_kind, consultations
        self.env["vp.consultation"].flush_model(["organisation_id", "asked_on"])
        # Counts only (management may not read consultations, so it does not run through
        # their rules): counsellors' work, no person.
        self.env.cr.execute(
            SQL(
                """
                SELECT %(asked_year)s, COUNT(*)
                  FROM vp_consultation
                 WHERE organisation_id = %(organisation)s AND asked_on IS NOT NULL AND %(asked_year)s IN %(years)s
                   AND %(own)s
                 GROUP BY 1
                """,
                asked_year=dutch_year_sql(SQL("asked_on")),
                own=self._vp_own_work(SQL("asker_id")),
                organisation=self.organisation_id.id,
                years=tuple(years),
            )
        )
        consultations.update(self.env.cr.fetchall())
        return by_kind, consultations

    @staticmethod
    def _vp_requests_published(figures, index):
        """Whether the main tables print the year's number of requests."""
        for table in figures["tables"]:
            for line in [*table["rows"], table["total"]]:
                if line and line["key"] == "requests":
                    return line["values"][index]["value"] is not None
        return False

    def _vp_counsellor_kind_figures(self, figures, counts):
        years = (figures["year"], figures["previous_year"])
        by_kind, consultations = self._vp_count_by_counsellor_kind(counts, years)
        labels = {
            "internal": self.env._("Internal counsellors"),
            "external": self.env._("External counsellors"),
            "none": self.env._("Not yet assigned"),
        }
        columns = []
        for index, year in enumerate(years):
            counts = by_kind[year]
            publishable = (
                self._vp_requests_published(figures, index)
                and not any(1 <= count <= suppression.SMALL_MAX for count in counts.values())
                and sum(1 for count in counts.values() if count > suppression.SMALL_MAX) >= 2
            )
            columns.append(publishable)
        rows = [
            {
                "key": f"counsellor_kind:{kind}",
                "label": labels[kind],
                "values": [
                    {"value": by_kind[year][kind], "display": str(by_kind[year][kind])}
                    if columns[index]
                    else {"value": None, "display": "x"}
                    for index, year in enumerate(years)
                ],
            }
            for kind in KIND_ROWS
        ]
        return {
            "title": self.env._("Requests by kind of counsellor"),
            "note": self.env._(
                "Internal counsellors are employed by the organisation, external ones by the bureau. A year is "
                "split only where every number is 0 or at least 5 and at least two are 5 or more ('x': not split)."
            ),
            "rows": rows,
            "consultations": None
            if self.business_unit_id
            else {
                "label": self.env._("Consultations (an internal counsellor asked an external one for advice)"),
                "values": [consultations[year] for year in years],
            },
        }
