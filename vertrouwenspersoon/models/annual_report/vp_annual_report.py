# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import hashlib
import io
import json
from collections import defaultdict
from datetime import date

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from ...const import COUNSELLOR, MANAGEMENT, MIN_REPORT_POPULATION, ROUTE_RANKS, dutch_today, dutch_year_sql
from ...report import suppression
from ...report.charts import bar_chart_data_uri
from ...report.counts import case_counts_sql, year_sql

# A year whose figures are not published (fewer requests than the minimum):
# every cell of its column is withheld.
WITHHELD = "withheld"
# Years on the first page's trend: the report's year and up to four before it.
TREND_YEARS = 5


WBK_KEYS = ("wbk", "ack_in_time", "feedback_in_time")

KIND_ROWS = ("internal", "external", "none")


class VpAnnualReport(models.Model):
    """An annual report (jaarverslag) for a client organisation.

    Holds the counsellor's observations and the *published* figures (after
    small-cell suppression) as JSON, so a printed report can be reprinted
    exactly and checked against the data by recomputing. It never holds an
    unsuppressed count, a case, a name or any content.
    """

    _name = "vp.annual.report"
    _inherit = ["vp.change.logged.mixin", "vp.field.access.mixin"]
    _description = "Annual report"
    _order = "year desc, id desc"
    # Every computation of the figures is logged: who, when, and whether the
    # figures changed (their fingerprint), never the figures themselves.
    _vp_logged_fields = ("computation_count", "figures_digest")

    name = fields.Char(compute="_compute_name", store=True)
    organisation_id = fields.Many2one(
        "vp.organisation", string="Client organisation", required=True, readonly=True, ondelete="restrict", index=True
    )
    year = fields.Integer(required=True, readonly=True)
    business_unit_id = fields.Many2one(
        "vp.business.unit",
        string="Business unit",
        readonly=True,
        ondelete="restrict",
        help="When set, the report covers this unit and the units below it.",
    )
    own_cases_user_id = fields.Many2one(
        "res.users",
        string="Only the cases of",
        readonly=True,
        ondelete="cascade",
        help="A counsellor's preview of the running year counts only the cases she holds: figures of a year "
        "still running, compared before and after a colleague's change, would tell her about that colleague's "
        "cases. Only she reads such a preview.",
    )
    observations = fields.Text(string="Observations and advice")
    figures_json = fields.Text(string="Published figures", readonly=True, copy=False)
    computed_on = fields.Datetime(string="Figures computed on", readonly=True, copy=False)
    computation_count = fields.Integer(
        string="Computations",
        readonly=True,
        copy=False,
        help="How often the figures were computed; each computation is in the change log (who, when).",
    )
    figures_digest = fields.Char(
        string="Fingerprint of the figures",
        readonly=True,
        copy=False,
        help="Changes only when the published figures change; the change log keeps each computation.",
    )

    @api.depends("year", "organisation_id.name", "business_unit_id.complete_name")
    def _compute_name(self):
        for report in self:
            name = self.env._(
                "Annual report %(year)s %(organisation)s", year=report.year, organisation=report.organisation_id.name
            )
            if report.business_unit_id:
                name = f"{name} - {report.business_unit_id.complete_name}"
            report.name = name

    # ------------------------------------------------------------------
    # Who may print
    # ------------------------------------------------------------------
    @api.model
    def _vp_check_may_print(self, organisation, year):
        """The management the organisation names (an organisation that
        names nobody has no management that may print), and counsellors for
        the organisations they serve; a year that has not begun gets no report."""
        user = self.env.user
        organisation_sudo = organisation.sudo()  # sudo: the user ids of its counsellors and management only
        if not (
            (user.has_group(MANAGEMENT) and user in organisation_sudo.manager_user_ids)
            or (user.has_group(COUNSELLOR) and user in organisation_sudo.counsellor_ids)
        ):
            raise AccessError(
                self.env._(
                    "You cannot print the annual report of %(organisation)s: only its management and the "
                    "counsellors who serve this organisation can.",
                    # The name only to who may read the organisation: not to another client's management.
                    organisation=organisation.display_name if organisation.has_access("read") else "",
                )
            )
        if not year or year < 1900:
            raise UserError(
                self.env._("Choose the year of the report, for example %(year)s.", year=self._vp_default_year())
            )
        this_year = dutch_today().year
        if year > this_year:
            raise UserError(
                self.env._("The annual report of %(year)s cannot be made yet: that year has not begun.", year=year)
            )
        # Management gets closed years only, so it cannot follow a year's
        # requests as they arrive. A counsellor may preview the running year to
        # prepare her observations, over her own cases only (own_cases_user_id).
        if year == this_year and not user.has_group(COUNSELLOR):
            raise UserError(
                self.env._(
                    "The annual report of %(year)s can be printed once the year is over. Until then only the "
                    "counsellors can preview it.",
                    year=year,
                )
            )

    @api.model
    def _vp_default_year(self):
        return dutch_today().year - 1

    @api.model_create_multi
    def create(self, vals_list):
        organisations = self.env["vp.organisation"].browse([vals.get("organisation_id") for vals in vals_list])
        for vals, organisation in zip(vals_list, organisations, strict=True):
            self._vp_check_may_print(organisation, vals.get("year"))
            unit = self.env["vp.business.unit"].browse(vals.get("business_unit_id"))
            if unit and unit.organisation_id != organisation:
                raise UserError(self.env._("The business unit must belong to the organisation of the report."))
            # A running year is previewed over the counsellor's own cases only (set here, never by a client).
            vals["own_cases_user_id"] = (
                self.env.uid if vals.get("year") == fields.Date.context_today(self).year and not self.env.su else False
            )
        reports = super().create(vals_list)
        reports._vp_store_figures()
        return reports

    def write(self, vals):
        if "own_cases_user_id" in vals and not self.env.su:
            raise AccessError(self.env._("Whose cases a preview counts is decided when it is made."))
        return super().write(vals)

    def _vp_check_own_preview(self):
        """A preview over one counsellor's cases is hers alone: nobody else prints or recomputes it."""
        for report in self:
            if report.own_cases_user_id and report.own_cases_user_id.id != self.env.uid and not self.env.su:
                raise AccessError(self.env._("This preview counts another counsellor's own cases: make your own."))

    def _vp_store_figures(self):
        for report in self:
            figures_json = json.dumps(report._vp_compute_figures(), sort_keys=True)
            report.write(
                {
                    "figures_json": figures_json,
                    "figures_digest": hashlib.sha256(figures_json.encode()).hexdigest()[:16],
                    "computed_on": fields.Datetime.now(),
                    "computation_count": report.computation_count + 1,
                }
            )

    def action_recompute(self):
        """Recompute the figures from the data as it is now (allowed, for a
        late correction must reach the report, and logged in the change log:
        who, when and whether the figures changed). Management only ever
        recomputes a closed year, so recomputing shows it no arrivals."""
        for report in self:
            self._vp_check_may_print(report.organisation_id, report.year)
        self._vp_check_own_preview()
        self._vp_store_figures()

    def _vp_figures(self):
        self.ensure_one()
        return json.loads(self.figures_json or "{}")

    # ------------------------------------------------------------------
    # Outputs
    # ------------------------------------------------------------------
    def _vp_check_outputs(self):
        for report in self:
            self._vp_check_may_print(report.organisation_id, report.year)
        self._vp_check_own_preview()

    def action_print_pdf(self):
        self._vp_check_outputs()
        self._vp_check_wkhtmltopdf()
        return self.env.ref("vertrouwenspersoon.vp_annual_report_action_report_pdf").report_action(self, config=False)

    def action_preview_html(self):
        self._vp_check_outputs()
        return self.env.ref("vertrouwenspersoon.vp_annual_report_action_report_html").report_action(self, config=False)

    def action_download_xlsx(self):
        self.ensure_one()
        self._vp_check_outputs()
        return {
            "type": "ir.actions.act_url",
            "url": f"/vertrouwenspersoon/annual_report/{self.id}/xlsx",
            "target": "download",
        }

    @api.model
    def _vp_check_wkhtmltopdf(self):
        state = self.env["ir.actions.report"].get_wkhtmltopdf_state()
        if state in ("install", "broken", "upgrade"):
            raise UserError(
                self.env._(
                    "The PDF cannot be made: wkhtmltopdf is not installed or does not work on the server "
                    "(state: %(state)s). Use the HTML preview or the XLSX workbook, or ask your "
                    "administrator to install wkhtmltopdf 0.12.",
                    state=state,
                )
            )

    def _vp_report_context(self):
        """What the QWeb template shows: the stored figures plus charts drawn
        from them (so charts never show a suppressed number)."""
        self.ensure_one()
        figures = self._vp_figures()
        tables = {table["code"]: table for table in figures.get("tables", [])}
        charts = []
        for code in ("kinds", "units"):
            table = tables.get(code)
            if table and figures.get("has_requests"):
                # A chart of hidden numbers says nothing; it is left out, with a note.
                shown = any(row["values"][0]["value"] for row in table["rows"])
                charts.append(
                    {
                        "code": code,
                        "title": table["title"],
                        "src": shown and bar_chart_data_uri(table, figures["year"], figures["previous_year"]),
                    }
                )
        # The counsellors who report (first page): the organisation's own, by name, as
        # management knows them. Not stored with the figures (which name nobody); no table names anyone.
        # sudo: names of the organisation's counsellors, no case.
        counsellors = sorted(self.organisation_id.sudo().counsellor_ids.mapped("name"))
        return {
            "figures": figures,
            "charts": charts,
            "counsellors": counsellors,
            "summary": self._vp_summary(figures, tables),
        }

    def _vp_summary(self, figures, tables):
        """The year in a few sentences for the first page (a manager should not read seven
        pages of cells before learning anything), from the published cells only: a hidden
        number is said to be hidden, never given."""
        if not figures.get("has_requests") or "requests" not in tables:
            return []
        requests, cases = (row["values"][0]["value"] for row in tables["requests"]["rows"][:2])
        if requests is not None and cases is not None:
            first = self.env._(
                "In %(year)s, %(requests)s employees asked a confidential counsellor for support; %(cases)s of "
                "these requests became a case.",
                year=figures["year"],
                requests=requests,
                cases=cases,
            )
        else:
            first = self.env._(
                "In %(year)s, employees asked a confidential counsellor for support; how many is partly hidden "
                "below, so that nobody can be recognised.",
                year=figures["year"],
            )
        summary = [first]
        shown = [
            (row["values"][0]["value"], row["label"])
            for row in (tables.get("kinds") or {}).get("rows", [])
            if row["values"][0]["value"] and row["key"] != "kind:none"
        ]
        if shown:
            count, label = max(shown, key=lambda kind: kind[0])
            summary.append(
                self.env._("The kind of behaviour mentioned most: %(kind)s (%(count)s).", kind=label, count=count)
            )
        summary.append(self.env._("A number that could point to a person is hidden ('< 5' or 'x'); see the legend."))
        return summary

    def _vp_render_xlsx(self):
        """The published figures as an XLSX workbook (bytes)."""
        import xlsxwriter  # noqa: PLC0415  an external dependency, declared in the manifest

        self.ensure_one()
        self._vp_check_outputs()
        figures = self._vp_figures()
        buffer = io.BytesIO()
        workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
        bold = workbook.add_format({"bold": True})
        title = workbook.add_format({"bold": True, "font_size": 14})
        sheet = workbook.add_worksheet(self.env._("Figures"))
        sheet.set_column(0, 0, 48)
        sheet.set_column(1, 2, 14)
        sheet.write(0, 0, self.name, title)
        sheet.write(1, 0, figures.get("legend", ""))
        row = 3
        if not figures.get("has_requests"):
            sheet.write(row, 0, figures.get("no_requests_text", ""), bold)
            row += 2
        years = (str(figures["year"]), str(figures["previous_year"]))

        def write_cell(row, column, cell):
            # a published cell {"value", "display"}, a plain number, or a hidden mark ("< 5", "x", "-")
            if isinstance(cell, dict):
                cell = cell["display"] if cell.get("value") is None else cell["value"]
            if isinstance(cell, int | float):
                sheet.write_number(row, column, cell)
            else:
                sheet.write_string(row, column, "" if cell is None else str(cell))

        def write_block(row, heading, lines, note="", columns=years, total=None):
            sheet.write(row, 0, heading, bold)
            for column, label in enumerate(columns, start=1):
                sheet.write(row, column, label, bold)
            row += 1
            for line in [*lines, *([total] if total else [])]:
                sheet.write(row, 0, line["label"], bold if line is total else None)
                for column, cell in enumerate(line["values"], start=1):
                    write_cell(row, column, cell)
                row += 1
            if note:
                sheet.write(row, 0, note)
                row += 1
            return row + 1

        if figures.get("small_year"):
            # The one-page report of a small year: the words, the prevention work, the observations.
            sheet.write(row, 0, figures["small_year_text"])
            row = self._vp_xlsx_prevention(figures, write_block, row + 2)
        else:
            for table in figures.get("tables", []):
                row = write_block(row, table["title"], table["rows"], table.get("note"), total=table.get("total"))
            # The same sections as the PDF: the workbook holds what the report prints.
            row = self._vp_xlsx_sections(figures, write_block, row)
        notes = workbook.add_worksheet(self.env._("Observations"))
        notes.set_column(0, 0, 100)
        notes.write(0, 0, self.env._("Observations and advice"), bold)
        notes.write(1, 0, self.observations or "")
        workbook.close()
        return buffer.getvalue()

    def _vp_xlsx_sections(self, figures, write_block, row):
        """The report's sections after its tables, as blocks of the workbook's sheet:
        the trend, first contact, duration, the Wbk figures, the requests by kind
        of counsellor and consultations, signals, prevention and hours. Hidden
        cells are written as the PDF prints them."""
        trend = figures.get("trend") or []
        if trend:
            row = write_block(
                row,
                self.env._("Trend over the years"),
                [
                    {"label": self.env._("Requests"), "values": [year["requests_display"] for year in trend]},
                    {
                        "label": self.env._("Cases (requests taken on)"),
                        "values": [year["cases_display"] for year in trend],
                    },
                ],
                columns=[str(year["year"]) for year in trend],
            )
        share = figures.get("first_contact_share") or []
        row = write_block(
            row,
            self.env._("Key figures"),
            [
                {
                    "label": self.env._("First contact within 48 hours"),
                    "values": [self.env._("hidden") if v is None else f"{v}%" for v in share],
                },
                *(
                    [{"label": self.env._("Requests with a date corrected by hand"), "values": corrected}]
                    if (corrected := figures.get("corrected_dates"))
                    else []
                ),
            ],
        )
        durations = figures.get("duration") or []
        row = write_block(
            row,
            self.env._("Duration of closed cases (days from request to closing)"),
            [
                {
                    "label": self.env._("Median"),
                    "values": [d["median"] if d else self.env._("fewer than 5 closed") for d in durations],
                },
                {
                    "label": self.env._("Average"),
                    "values": [d["average"] if d else self.env._("fewer than 5 closed") for d in durations],
                },
            ],
        )
        for block in (figures.get("wbk_follow_up"), figures.get("counsellor_kinds")):
            if block:
                row = write_block(row, block["title"], block["rows"], block.get("note", ""))
        consultations = (figures.get("counsellor_kinds") or {}).get("consultations")
        if consultations:
            row = write_block(row, self.env._("Consultations"), [consultations])
        signals = figures.get("signals")
        if signals:
            total = {"label": self.env._("Total"), "values": signals["total"]}
            row = write_block(row, self.env._("Signals given"), signals["rows"], total=total)
        row = self._vp_xlsx_prevention(figures, write_block, row)
        hours = figures.get("hours")
        if hours:
            row = write_block(row, self.env._("Hours spent by time type"), hours)
        return row

    def _vp_xlsx_prevention(self, figures, write_block, row):
        prevention = figures.get("prevention")
        if not prevention:
            return row
        parts = (
            ("sessions", self.env._("Sessions")),
            ("people", self.env._("People reached")),
            ("hours", self.env._("Hours")),
        )
        lines = [
            {"label": f"{line['label']}: {part_label}", "values": [cell[part] for cell in line["values"]]}
            for line in [*prevention["rows"], {"label": self.env._("Total"), "values": prevention["total"]}]
            for part, part_label in parts
        ]
        return write_block(row, self.env._("Prevention work"), lines)

    # ------------------------------------------------------------------
    # Figures
    # ------------------------------------------------------------------
    def _vp_unit_level(self):
        """Position, in a unit's parent_path, of the units the report breaks down by:
        the top-level units, or the units right below the chosen unit."""
        if not self.business_unit_id:
            return 1
        return len(self.business_unit_id.parent_path.strip("/").split("/")) + 1

    def _vp_in_subtree(self, unit_column):
        """SQL condition: the unit in ``unit_column`` is the report's unit or below it (always
        true for a report of the whole organisation)."""
        if not self.business_unit_id:
            return SQL("TRUE")
        return SQL(
            "%s IN (SELECT id FROM vp_business_unit WHERE parent_path LIKE %s)",
            unit_column,
            f"{self.business_unit_id.parent_path}%",
        )

    def _vp_count_cases(self, years):
        counts, durations, _complement = self._vp_count_cases_and_complement(years)
        return counts, durations

    def _vp_parent_subtree(self, unit_column):
        """SQL condition: the unit in ``unit_column`` is under the parent of the report's unit
        (the whole organisation for a top-level unit or no unit)."""
        parent = self.business_unit_id.parent_id
        if not parent:
            return SQL("TRUE")
        return SQL(
            "%s IN (SELECT id FROM vp_business_unit WHERE parent_path LIKE %s)",
            unit_column,
            f"{parent.parent_path}%",
        )

    def _vp_count_cases_and_complement(self, years, detail_years=None):
        """As _vp_count_cases, plus per year the requests of the complement
        of the report's unit within its parent (what subtracting this
        report from the parent's would isolate; 0 for a whole organisation).

        Counts of the cases requested in the given years, by year and by
        each dimension and kind of behaviour, the duration of closed cases,
        and the meetings by channel and referrals by destination held in the
        years (of the organisation's cases, whenever requested). Kinds, meetings and
        referrals only in ``detail_years``, when given (see report/counts.py).

        They are counted now from the cases of the organisation (report/counts.py: rows
        per unit, year and key), in one query, with the units rolled up to the level the
        report breaks down by. Those rows hold category codes and ids of units, regions
        and kinds, never a case's number, content or counsellor.
        """
        # flush: the counts are read with SQL
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT c.year, c.key,
                       CASE WHEN c.key = 'requests' AND bu.id IS NOT NULL
                            THEN COALESCE(NULLIF(split_part(bu.parent_path, '/', %(level)s), '')::int, bu.id)
                       END,
                       %(in_unit)s,
                       SUM(c.n)::bigint
                  FROM (%(counts)s) c
                  LEFT JOIN vp_business_unit bu ON bu.id = c.business_unit_id
                 WHERE %(in_parent)s AND (%(in_unit)s OR c.key = 'requests')
                 GROUP BY 1, 2, 3, 4
                HAVING SUM(c.n) <> 0
                """,
                level=self._vp_unit_level(),
                counts=self._vp_counts_source(years, detail_years),
                in_unit=self._vp_in_subtree(SQL("c.business_unit_id")),
                in_parent=self._vp_parent_subtree(SQL("c.business_unit_id")),
            )
        )
        counts = {year: defaultdict(int) for year in years}
        durations = {year: {"closed": 0, "total": 0, "median": None} for year in years}
        days = {year: {} for year in years}
        complement = dict.fromkeys(years, 0)
        # The counts hold only the years from the first to the last of ``years`` (one range).
        for year, key, unit, in_unit, count in self.env.cr.fetchall():
            if year not in counts:
                continue
            if not in_unit:
                complement[year] += count
            elif key == "requests":
                counts[year]["requests"] += count
                counts[year][f"unit:{unit or 'none'}"] += count
            elif key == "closed":
                durations[year]["closed"] = count
            elif key == "closed_days":
                durations[year]["total"] = count
            elif key.startswith("days:"):
                days[year][int(key[5:])] = count
            else:
                counts[year][key] += count
        for year in years:
            ranked = sum(counts[year].get(f"route:{rank}", 0) for rank in ROUTE_RANKS.values())
            if counts[year].get("requests", 0) > ranked:
                counts[year]["route:none"] = counts[year]["requests"] - ranked
            closed = durations[year]["closed"]
            durations[year]["average"] = durations[year]["total"] / closed if closed else None
            durations[year]["median"] = self._vp_median(days[year])
        return {year: dict(values) for year, values in counts.items()}, durations, complement

    def _vp_counts_source(self, years, detail_years=None):
        """SQL of the counts the report reads, per unit, year and key: of the organisation's
        cases or, in a counsellor's preview of the running year, of her own cases only."""
        case_fields = self.env["vp.case"]._fields
        return case_counts_sql(
            self.organisation_id.id,
            years,
            case_fields["behaviour_kind_ids"],
            [value for value, _label in case_fields["side"].selection],
            [value for value, _label in case_fields["state"].selection],
            own_user_id=self.own_cases_user_id.id,
            detail_years=detail_years,
        )

    def _vp_own_work(self, column):
        """SQL condition: the work in ``column`` (whose work it is) counts in this report."""
        if not self.own_cases_user_id:
            return SQL("TRUE")
        return SQL("%s = %s", column, self.own_cases_user_id.id)

    @staticmethod
    def _vp_median(histogram):
        """Median of the values of {value: how often}, as PostgreSQL's
        percentile_cont(0.5): the mean of the two middle values when their
        number is even; None when there are none."""
        size = sum(histogram.values())
        if not size:
            return None
        wanted = {(size - 1) // 2, size // 2}  # positions of the middle value(s), from 0
        middle, seen = [], 0
        for value in sorted(histogram):
            for position in sorted(wanted):
                if seen <= position < seen + histogram[value]:
                    middle.append(value)
            seen += histogram[value]
        return sum(middle) / len(middle)

    def _vp_count_work(self, years):
        """The counsellors' own work in the years, not people: signals sent
        (by kind), prevention sessions held (by kind: sessions, people reached,
        hours) and the hours on their timesheet lines (by time type), of the
        organisation (and the unit's subtree, where the work has a unit). One
        SQL statement of sums per year and kind, so it reads no subject, topic,
        description, case or person; the management printing the report cannot
        read those records themselves, so the statement is not run through
        their access rules."""
        # flush: the sums are read with SQL
        for model in ("vp.signal", "vp.prevention.session", "account.analytic.line", "vp.engagement"):
            self.env[model].flush_model()
        self.env.cr.execute(self._vp_work_sql(years))
        work = {tag: {year: {} for year in years} for tag in ("signal", "session", "hours")}
        for tag, year, kind, count, people, hours in self.env.cr.fetchall():
            if tag == "signal":
                work[tag][year][kind] = count
            elif tag == "session":
                work[tag][year][kind] = {"sessions": count, "people": people, "hours": hours}
            else:
                # the cases the hours were spent on, counted up to one above "small":
                # enough to tell whether the hours name fewer than five cases
                work[tag][year][kind] = {"cases_capped": count, "hours": hours}
        return work

    def _vp_work_sql(self, years):
        """SQL of the sums of ``_vp_count_work``: rows (tag, year, kind, count, people, hours)."""
        first, last = date(min(years), 1, 1), date(max(years), 12, 31)
        return SQL(
            """
            SELECT 'signal', EXTRACT(YEAR FROM signal_date)::int, kind, COUNT(*), 0, 0.0
              FROM vp_signal
             WHERE organisation_id = %(organisation)s AND state = 'sent'
               AND signal_date >= %(first)s AND signal_date <= %(last)s AND %(own_signal)s
             GROUP BY 2, 3
             UNION ALL
            SELECT 'session', EXTRACT(YEAR FROM session_date)::int, kind, COUNT(*),
                   COALESCE(SUM(audience_size), 0), COALESCE(SUM(hours), 0.0)
              FROM vp_prevention_session
             WHERE organisation_id = %(organisation)s AND state = 'held'
               AND session_date >= %(first)s AND session_date <= %(last)s AND %(session_unit)s
               AND %(own_session)s
             GROUP BY 2, 3
             UNION ALL
            -- The hours per year and time type, with the number of their cases counted up to
            -- one above "small" (all the report needs to know: fewer than five cases or not).
            -- Distinct remainders of the case ids modulo 64 are distinct cases: where there
            -- are more than "small" of them, that is known from one pass over the lines, read
            -- from the index alone (account_analytic_line_vp_engagement_hours_idx), with no
            -- sort of the lines for an exact count of distinct cases. Only where there are
            -- fewer are the cases counted exactly, over that year and time type's lines.
            SELECT 'hours', hours.year, hours.time_type,
                   CASE WHEN hours.remainders > %(small)s THEN %(small)s + 1
                        ELSE (SELECT LEAST(COUNT(DISTINCT line.vp_case_id), %(small)s + 1)
                                FROM account_analytic_line line
                                JOIN vp_engagement engagement ON engagement.id = line.vp_engagement_id
                               WHERE %(lines)s AND line.vp_time_type = hours.time_type
                                 AND line.date >= make_date(hours.year, 1, 1)
                                 AND line.date < make_date(hours.year + 1, 1, 1)) END,
                   0, hours.hours
              FROM (
                SELECT %(line_year)s AS year, line.vp_time_type AS time_type,
                       -- the number of distinct remainders: the 1 bits of their 64-bit mask
                       length(replace(bit_or(1::bigint << mod(line.vp_case_id, 64)::int)::bit(64)::text, '0', ''))
                           AS remainders,
                       COALESCE(SUM(line.unit_amount), 0.0) AS hours
                  FROM account_analytic_line line
                  JOIN vp_engagement engagement ON engagement.id = line.vp_engagement_id
                 WHERE %(lines)s
                 GROUP BY 1, 2
              ) hours
            """,
            organisation=self.organisation_id.id,
            first=first,
            last=last,
            session_unit=self._vp_in_subtree(SQL("business_unit_id")),
            own_signal=self._vp_own_work(SQL("counsellor_id")),
            own_session=self._vp_own_work(SQL("counsellor_id")),
            small=suppression.SMALL_MAX,
            lines=SQL(
                "engagement.organisation_id = %s AND line.vp_time_type IS NOT NULL"
                " AND line.date >= %s AND line.date <= %s AND %s AND %s",
                self.organisation_id.id,
                first,
                last,
                self._vp_in_subtree(SQL("line.vp_business_unit_id")),
                self._vp_own_work(SQL("line.user_id")),
            ),
            line_year=year_sql(SQL("line.date"), years, day=True),
        )

    def _vp_compute_figures(self):
        """The published figures of this report: raw counts from a fixed
        number of GROUP BY queries, then small-cell suppression per year."""
        self.ensure_one()
        year, previous = self.year, self.year - 1
        years = (year, previous)
        # The same one query reads the trend's years too (up to five years on the first page).
        trend_years = tuple(range(year - TREND_YEARS + 1, year + 1))
        # The older years' kinds, meetings and referrals are not read: the trend suppresses
        # their requests and cases over the tables that share those cells, and no other.
        all_counts, all_durations, all_complement = self._vp_count_cases_and_complement(trend_years, years)
        for y in trend_years:
            all_counts[y]["cases"] = sum(
                all_counts[y].get(f"state:{state}", 0) for state in ("open", "aftercare", "closed")
            )
        counts = {y: all_counts[y] for y in years}
        durations = {y: all_durations[y] for y in years}
        complement = {y: all_complement[y] for y in years}
        withheld = self._vp_check_population(counts, complement)
        work = self._vp_count_work(years)
        if year in withheld:
            return self._vp_small_year_figures(years, work, withheld)
        layout = self._vp_table_layout(counts)
        try:
            published = {y: self._vp_suppress_year(counts[y], layout) if y not in withheld else None for y in years}
        except ValueError as error:
            # Counted in one statement, the sums cannot contradict each other; if they ever
            # did, nothing is published rather than a table the suppression cannot protect.
            raise UserError(
                self.env._(
                    "The counts of this report do not add up, so they cannot be published safely. Ask your "
                    "administrator to report this fault in the Vertrouwenspersoon module."
                )
            ) from error
        tables = [self._vp_publish_table(table, years, counts, published) for table in layout]
        figures = {
            "year": year,
            "previous_year": previous,
            "organisation": self.organisation_id.name,
            "business_unit": self.business_unit_id.complete_name or False,
            "has_requests": bool(counts[year].get("requests")),
            "no_requests_text": self.env._("No requests were registered in %(year)s.", year=year),
            "legend": self.env._(
                "'< 5': a number from 0 to 4, hidden so that nobody can be recognised (a 0 is hidden too where "
                "it would tell that almost everybody counted shares one row). 'x': hidden as well, so that a "
                "hidden number cannot be worked out from the totals. '-': not published, because that year has "
                "fewer than %(minimum)s requests. Each year is hidden on its own.",
                minimum=self._vp_min_population(),
            ),
            "tables": tables,
            "own_cases_only": bool(self.own_cases_user_id),
            "first_contact_share": [
                self._vp_share(published[y], counts[y]) if y not in withheld else None for y in years
            ],
            "duration": [self._vp_duration(durations[y]) if y not in withheld else None for y in years],
            "corrected_dates": [
                self._vp_corrected_dates_cell(counts[y].get("dates_corrected", 0), y in withheld) for y in years
            ],
            "signals": self._vp_publish_signals(years, work["signal"]),
            "prevention": self._vp_publish_prevention(years, work["session"], withheld),
            "hours": self._vp_publish_hours(years, work["hours"], withheld),
            "trend": self._vp_publish_trend(trend_years, all_counts, all_complement, layout, published),
        }
        return self._vp_add_figures(figures, counts)

    def _vp_small_year_figures(self, years, work, withheld):
        """A year with fewer than the minimum of requests still gets its report: one page that
        says so in words and why no figure is published, with the prevention work and the
        counsellors' observations. It publishes no count of people, not even the number of
        requests (that would be the small number itself)."""
        year = self.year
        minimum = self._vp_min_population()
        return {
            "year": year,
            "previous_year": year - 1,
            "organisation": self.organisation_id.name,
            "business_unit": False,
            "has_requests": True,
            "small_year": True,
            "small_year_text": self.env._(
                "In %(year)s fewer than %(minimum)s employees of %(organisation)s asked a confidential counsellor "
                "for support. For such a year no figures about the requests are published: with so few, a "
                "figure (a kind of behaviour, a department, a region, even the number itself) could point to "
                "the people who asked for help. That a small number came in is usual for an organisation of this "
                "size; it says nothing about how safe the workplace is.",
                year=year,
                minimum=minimum,
                organisation=self.organisation_id.name,
            ),
            "no_requests_text": "",
            "legend": self.env._(
                "'-': not published, because that year has fewer than %(minimum)s requests.", minimum=minimum
            ),
            "tables": [],
            "first_contact_share": [None, None],
            "duration": [None, None],
            "signals": self._vp_publish_signals(years, work["signal"]),
            "prevention": self._vp_publish_prevention(years, work["session"], withheld - {year}),
            "hours": [],
            "trend": [],
        }

    def _vp_add_figures(self, figures, counts):
        """The report's further blocks, added to ``figures`` (and returned) from the
        same raw counts of the report's two years (``{year: {key: count}}``, read once
        above; never stored, only what the blocks publish is): the Wbk follow-up, then
        the requests by kind of counsellor and the consultations."""
        figures["wbk_follow_up"] = self._vp_wbk_follow_up(figures, counts)
        figures["counsellor_kinds"] = self._vp_counsellor_kind_figures(figures, counts)
        return figures

    def _vp_publish_trend(self, years, counts, complement, layout, published=None):
        """Requests and cases per year, oldest first, from the first year with requests
        (at most TREND_YEARS, up to the report's year), under the report's own rules: a
        year with fewer than k requests (itself or the rest of its parent) is withheld
        ('-'); otherwise the year's cells are suppressed as its tables are (the report's
        and the previous year reuse the tables' own suppression, so the trend never shows
        a number a table hides; older years are suppressed over the same table layout)."""
        minimum = self._vp_min_population()
        published = published or {}
        active = [y for y in years if counts[y].get("requests")]
        trend = []
        for y in years[years.index(active[0]) :] if active else [self.year]:
            requests = counts[y].get("requests", 0)
            if y in published:
                # The report's own years: exactly what its tables show.
                hidden = published[y] if published[y] is not None else dict.fromkeys(("requests", "cases"), WITHHELD)
            elif 0 < requests < minimum or 0 < complement[y] < minimum:
                hidden = dict.fromkeys(("requests", "cases"), WITHHELD)
            else:
                hidden = self._vp_suppress_year(dict(counts[y]), layout)
            cells = {key: self._vp_cell(counts[y].get(key, 0), hidden.get(key)) for key in ("requests", "cases")}
            trend.append(
                {
                    "year": y,
                    "requests": cells["requests"]["value"],
                    "cases": cells["cases"]["value"],
                    "requests_display": cells["requests"]["display"],
                    "cases_display": cells["cases"]["display"],
                }
            )
        return trend

    def _vp_min_population(self):
        return max(self.organisation_id.min_report_population, MIN_REPORT_POPULATION)

    def _vp_check_population(self, counts, complement):
        """Refuse a unit's report over fewer than k requests (k: the
        organisation's minimum, never below MIN_REPORT_POPULATION), and a
        unit's report when the rest of its parent holds fewer than k (the
        parent's report minus this one would isolate them). A year without
        any request gives nothing away and is reported as such. Returns the
        years that fail the same rule: those are withheld, not printed; the
        whole organisation's own small year gets the one-page report."""
        minimum = self._vp_min_population()

        def too_small(year):
            return 0 < counts[year].get("requests", 0) < minimum or 0 < complement[year] < minimum

        if self.own_cases_user_id:
            # A counsellor's preview over her own cases is for her alone (she reads every one of
            # them): no minimum refuses it; small cells are still hidden as they would be in print.
            return {year for year in counts if year != self.year and too_small(year)}
        if 0 < counts[self.year].get("requests", 0) < minimum and self.business_unit_id:
            raise UserError(
                self.env._(
                    "This report cannot be made: %(unit)s has fewer than %(minimum)s requests in %(year)s, so its "
                    "figures could point to a person. Print the report of the whole organisation instead.",
                    unit=self.business_unit_id.display_name,
                    year=self.year,
                    minimum=minimum,
                )
            )
        if 0 < complement[self.year] < minimum:
            raise UserError(
                self.env._(
                    "This report cannot be made: outside %(unit)s, its parent holds fewer than %(minimum)s "
                    "requests in %(year)s, so comparing the two reports would point to a person. Choose the "
                    "unit above it.",
                    unit=self.business_unit_id.display_name,
                    minimum=minimum,
                    year=self.year,
                )
            )
        # The organisation's own small year is withheld as a whole (a one-page report).
        return {year for year in counts if too_small(year)}

    def _vp_table_layout(self, counts):
        """The suppressed tables: code, title, rows [(cell key, label)], the
        total's key and label (None when no total line is printed), and
        whether the rows add up to the total (else the total is virtual)."""
        env = self.env
        seen = set().union(*(set(year_counts) for year_counts in counts.values()))

        def selection(model, field):
            return env[model]._fields[field]._description_selection(env)

        def present_or_active(records, prefix):
            return [
                (f"{prefix}:{record.id}", record.display_name)
                for record in records
                if record.active or f"{prefix}:{record.id}" in seen
            ]

        # search_fetch: each list and its labels in one query
        kinds = env["vp.behaviour.kind"].with_context(active_test=False).search_fetch([], ["name", "active"])
        units = (
            env["vp.business.unit"]
            .with_context(active_test=False)
            .search_fetch(
                [
                    ("organisation_id", "=", self.organisation_id.id),
                    ("parent_id", "=", self.business_unit_id.id or False),
                ],
                ["complete_name", "active"],
            )
        )
        unit_rows = []
        if self.business_unit_id:
            unit_rows.append(
                (f"unit:{self.business_unit_id.id}", env._("%(unit)s itself", unit=self.business_unit_id.name))
            )
        unit_rows += present_or_active(units, "unit")
        region_ids = sorted(
            int(key.split(":")[1]) for key in seen if key.startswith("region:") and key != "region:none"
        )
        regions = env["vp.region"].with_context(active_test=False).search_fetch([("id", "in", region_ids)], ["name"])
        not_registered = env._("Not registered")
        route_labels = dict(selection("vp.route", "category"))
        states = dict(selection("vp.case", "state"))
        return [
            {
                "code": "requests",
                "title": env._("Requests and cases"),
                "rows": [("requests", env._("Requests")), ("cases", env._("Cases (requests taken on)"))],
                "total": None,
            },
            {
                "code": "sides",
                "title": env._("Requests by side"),
                "rows": [(f"side:{value}", label) for value, label in selection("vp.case", "side")],
                "total": ("requests", env._("Requests")),
            },
            {
                "code": "kinds",
                "title": env._("Requests by kind of behaviour"),
                "rows": [*present_or_active(kinds, "kind"), ("kind:none", not_registered)],
                "total": ("kinds_total", None),
                "note": env._("A request can concern more than one kind of behaviour, so these do not add up."),
            },
            {
                "code": "routes",
                "title": env._("Requests by route taken"),
                "rows": [
                    *((f"route:{rank}", route_labels[category]) for category, rank in ROUTE_RANKS.items()),
                    ("route:none", env._("No route (yet)")),
                ],
                "total": ("requests", env._("Requests")),
                "note": env._("Each request is counted once, under the furthest route it took."),
            },
            {
                "code": "outcomes",
                "title": env._("Outcome"),
                "rows": [
                    ("state:request", env._("Not (yet) taken on")),
                    ("state:open", states["open"]),
                    ("state:aftercare", states["aftercare"]),
                    ("state:closed", states["closed"]),
                    ("cases", env._("Cases (requests taken on)")),
                ],
                "total": ("requests", env._("Requests")),
                "sums": [
                    ("cases", ["state:open", "state:aftercare", "state:closed"]),
                    ("requests", ["state:request", "cases"]),
                ],
            },
            {
                "code": "units",
                "title": env._("Requests by business unit"),
                "rows": [*unit_rows, ("unit:none", not_registered)],
                "total": ("requests", env._("Requests")),
            },
            {
                "code": "regions",
                "title": env._("Requests by region"),
                "rows": [*((f"region:{r.id}", r.display_name) for r in regions), ("region:none", not_registered)],
                "total": ("requests", env._("Requests")),
            },
            {
                "code": "first_contact",
                "title": env._("First contact within 48 hours of the request"),
                "rows": [("fc48:True", env._("Within 48 hours")), ("fc48:False", env._("Later, or not yet"))],
                "total": ("requests", env._("Requests")),
            },
            {
                "code": "channels",
                "title": env._("Contacts by channel"),
                "rows": [(f"channel:{value}", label) for value, label in selection("vp.case.meeting", "channel")],
                "total": ("meetings", env._("Contacts")),
            },
            {
                "code": "referrals",
                "title": env._("Referrals by destination"),
                "rows": [(f"referral:{value}", label) for value, label in selection("vp.referral", "destination")],
                "total": ("referrals", env._("Referrals")),
            },
        ]

    @staticmethod
    def _vp_suppress_year(year_counts, layout):
        """Suppress one year's cells (see report/suppression.py): returns
        {cell key: PRIMARY/COMPLEMENTARY}. Every table's rows sum to its total;
        where a case counts in several rows the total is a virtual one that
        is not printed but is assumed known to the reader (the safe side)."""
        values, constraints, order = {}, [], []
        for table in layout:
            for key, _label in table["rows"]:
                values[key] = year_counts.get(key, 0)
                order.append(key)
            total_key = table["total"] and table["total"][0]
            if table.get("sums"):
                constraints += table["sums"]
            elif total_key:
                parts = [key for key, _label in table["rows"]]
                if total_key not in year_counts:  # a sum not counted by SQL: the rows'
                    year_counts[total_key] = sum(values[key] for key in parts)
                constraints.append((total_key, parts))
            if total_key:
                values[total_key] = year_counts.get(total_key, 0)
                order.append(total_key)
        return suppression.suppress(values, constraints, order)

    @staticmethod
    def _vp_cell(value, hidden):
        if hidden == WITHHELD:
            return {"value": None, "display": "-"}
        if hidden in (suppression.PRIMARY, suppression.ZERO):
            return {"value": None, "display": "< 5"}
        if hidden == suppression.COMPLEMENTARY:
            return {"value": None, "display": "x"}
        return {"value": value, "display": str(value)}

    def _vp_publish_table(self, table, years, counts, published):
        def line(key, label):
            return {
                "key": key,
                "label": label,
                "values": [
                    self._vp_cell(counts[y].get(key, 0), WITHHELD if published[y] is None else published[y].get(key))
                    for y in years
                ],
            }

        total_key, total_label = table["total"] or (None, None)
        rows = [line(key, label) for key, label in table["rows"]]
        return {
            "code": table["code"],
            "title": table["title"],
            "note": table.get("note", ""),
            "rows": rows,
            "total": line(total_key, total_label) if total_label else None,
        }

    @staticmethod
    def _vp_corrected_dates_cell(count, withheld):
        """How many of the year's requests rest on a date their counsellor corrected
        (each correction is in the change log, with who and why): '-' in a withheld
        year, '< 5' from 1 to 4, as every small count of the report."""
        if withheld:
            return {"value": None, "display": "-"}
        if 1 <= count <= suppression.SMALL_MAX:
            return {"value": None, "display": "< 5"}
        return {"value": count, "display": str(count)}

    @staticmethod
    def _vp_share(hidden, year_counts):
        """Share of requests with first contact within 48 hours, in percent;
        None when one of its counts is hidden (it would give that count away)."""
        keys = ("fc48:True", "fc48:False", "requests")
        if any(key in hidden for key in keys) or not year_counts.get("requests"):
            return None
        return round(100.0 * year_counts.get("fc48:True", 0) / year_counts["requests"])

    @staticmethod
    def _vp_duration(duration):
        """Median and average days from request to closing, shown only over
        at least 5 closed cases."""
        if not duration or (duration["closed"] or 0) <= suppression.SMALL_MAX:
            return None
        return {"median": round(float(duration["median"]), 1), "average": round(float(duration["average"]), 1)}

    def _vp_publish_signals(self, years, signals):
        kinds = self.env["vp.signal"]._fields["kind"]._description_selection(self.env)
        rows = [{"label": label, "values": [signals[y].get(value, 0) for y in years]} for value, label in kinds]
        return {"rows": rows, "total": [sum(signals[y].values()) for y in years]}

    def _vp_publish_prevention(self, years, sessions, withheld=()):
        """Sessions, people reached and hours per kind of session. In a unit's
        report (work per unit under the counts' rule) a kind with 1 to 4
        sessions is hidden ("< 5") and then the total too, the only sum that
        would give it back; a withheld year shows "-"."""
        kinds = self.env["vp.prevention.session"]._fields["kind"]._description_selection(self.env)
        empty = {"sessions": 0, "people": 0, "hours": 0.0}
        rows = []
        for value, label in kinds:
            per_year = [sessions[y].get(value, empty) for y in years]
            rows.append({"label": label, "values": [{**empty, **cell} for cell in per_year]})
        totals = [
            {
                "sessions": sum(row["values"][i]["sessions"] for row in rows),
                "people": sum(row["values"][i]["people"] for row in rows),
                "hours": round(sum(row["values"][i]["hours"] for row in rows), 2),
            }
            for i in range(len(years))
        ]
        for i, year in enumerate(years):
            if year in withheld:
                for cell in [row["values"][i] for row in rows] + [totals[i]]:
                    cell.update(sessions="-", people="-", hours="-")
                continue
            if not self.business_unit_id:
                continue
            small = [row["values"][i] for row in rows if 1 <= row["values"][i]["sessions"] <= suppression.SMALL_MAX]
            for cell in small + ([totals[i]] if small else []):
                cell.update(sessions="< 5" if cell is not totals[i] else "x", people="x", hours="x")
        return {"rows": rows, "total": totals}

    def _vp_publish_hours(self, years, hours, withheld=()):
        """Hours per time type. Hours spent on 1 to 4 cases are hidden ("< 5
        cases"): they would tell the number behind a "< 5"; no sum of
        them is printed. A withheld year shows "-"."""
        labels = dict(self.env["account.analytic.line"]._fields["vp_time_type"]._description_selection(self.env))
        per_year = [{labels[time_type]: spent for time_type, spent in hours[y].items()} for y in years]
        names = sorted(set().union(*(set(spent) for spent in per_year)))
        hidden = self.env._("< 5 cases")

        def cell(year, spent):
            if year in withheld:
                return "-"
            if not spent:
                return 0.0
            if 1 <= spent["cases_capped"] <= suppression.SMALL_MAX:
                return hidden
            return round(spent["hours"], 2)

        return [
            {
                "label": name,
                "values": [cell(year, spent.get(name)) for year, spent in zip(years, per_year, strict=True)],
            }
            for name in names
        ]

    # ------------------------------------------------------------------
    # The Wbk follow-up
    # ------------------------------------------------------------------
    # The Wbk figures of the annual report: reports
    # under the Whistleblowers Protection Act, how many were acknowledged
    # within 7 days and how many got feedback within 3 months (through the
    # reporter's inbox or otherwise), in the year and the year before.
    @staticmethod
    def _vp_withheld_years(figures):
        """Years the report withholds (too few requests): every cell of the first table is '-'."""
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

    # ------------------------------------------------------------------
    # By kind of counsellor, and the consultations
    # ------------------------------------------------------------------
    # The annual report's figures by kind of counsellor, and the consultations.
    #
    # The report itself counts every request of the
    # organisation, whoever holds it: internal and external counsellors' cases
    # together. This adds, as a block of its own (report template
    # ``vp_annual_report_counsellor_kinds``):
    #
    # - requests by kind of counsellor (internal, external, not assigned), per
    #   year, only where no cell would have to be hidden: every row 0 or at least
    #   5, at least two rows of 5 or more (a sum in which one row holds nearly
    #   everybody is what the report's zero rule hides), and the year's
    #   request total printed in the main tables (a published split of a hidden
    #   total would give it back). Otherwise the year's column is hidden whole
    #   ('x'), so this block never needs suppression of its own and adds no sum
    #   over a hidden cell;
    # - consultations asked in the year (counsellors' work, not people: printed
    #   exactly, like signals), in the whole organisation's report only: a
    #   consultation has no business unit.
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
