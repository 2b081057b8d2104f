"""The annual report's counts, made on demand from the tables (report/counts.py),
equal a count made from the records themselves, in Python, after every kind of
change: through the ORM, through raw SQL, by cascades, shredding, deletion and a
rolled-back savepoint."""

import random
import statistics
from collections import Counter
from datetime import datetime, timedelta

import pytz

from odoo import Command
from odoo.addons.vertrouwenspersoon.const import ROUTE_RANKS
from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, tagged

from .test_annual_report import PREVIOUS, YEAR, AnnualReportCommon

DUTCH = pytz.timezone("Europe/Amsterdam")


def dutch_year(utc_datetime):
    return pytz.utc.localize(utc_datetime).astimezone(DUTCH).year


@tagged("post_install", "-at_install")
class TestReportCounts(AnnualReportCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        rng = random.Random(20261126)
        units = [cls.unit_a, cls.unit_a1, cls.unit_b, None]
        # around the turn of the year in Dutch time: 23:30 UTC on 31 December is already January
        moments = [
            datetime(PREVIOUS, 3, 1, 9, 0),
            datetime(PREVIOUS, 12, 31, 22, 30),
            datetime(YEAR, 1, 1, 0, 30),
            datetime(YEAR, 6, 15, 14, 0),
            datetime(YEAR, 12, 31, 23, 30),
        ]
        specs = []
        for index in range(40):
            spec = {
                "request": rng.choice(moments) + timedelta(days=rng.randint(0, 3) if index % 3 else 0),
                "unit": rng.choice(units),
                "side": rng.choice(["reporter", "accused"]),
                "state": rng.choice(["request", "open", "aftercare", "closed"]),
                "region": rng.choice([cls.noord, cls.zuid]),
                "kinds": rng.sample(sorted(cls.kind), rng.randint(0, 2)),
                "routes": rng.sample(sorted(cls.route), rng.randint(0, 2)),
            }
            if rng.random() < 0.7:
                spec["contact_after"] = timedelta(hours=rng.choice([1, 47, 49, 120]))
            if spec["state"] == "closed" and rng.random() < 0.9:
                spec["closed_after"] = rng.randint(0, 60)
            specs.append(spec)
        cls.cases = cls.make_cases(specs)
        meetings = []
        for case in cls.cases:
            for _index in range(rng.randint(0, 3)):
                meetings.append(
                    {
                        "case_id": case.id,
                        "meeting_date": case.request_date + timedelta(days=rng.choice([0, 2, 200])),
                        "channel": rng.choice(["in_person", "phone", "video"]),
                    }
                )
        cls.env["vp.case.meeting"].with_user(cls.counsellor).create(meetings)
        cls.env["vp.referral"].with_user(cls.counsellor).create(
            [
                {
                    "case_id": case.id,
                    "destination": rng.choice(["company_doctor", "mediator", "lawyer"]),
                    "referral_date": case.request_date.date() + timedelta(days=rng.choice([1, 300])),
                }
                for case in cls.cases[::3]
            ]
        )

    def setUp(self):
        super().setUp()
        # A unit's report needs 10 requests in it and in the rest of the organisation, which
        # this random data may not have; the unit's counts are read from a report of the whole
        # organisation moved to the unit (sudo: the test only needs its counts, not a printable report).
        self.reports = {unit: self.print_report(self.manager, year=YEAR) for unit in (None, self.unit_a)}
        self.reports[self.unit_a].sudo().business_unit_id = self.unit_a

    def report_counts(self, unit=None):
        return self.reports[unit]._vp_count_cases((YEAR, PREVIOUS))

    def python_counts(self, unit=None):
        """The same figures, counted in Python from the records."""
        years = (YEAR, PREVIOUS)
        domain = [("organisation_id", "=", self.org.id)]
        if unit:
            domain.append(("business_unit_id", "child_of", unit.id))
        cases = self.env["vp.case"].sudo().with_context(active_test=False).search(domain)
        counts = {year: Counter() for year in years}
        closed_days = {year: [] for year in years}

        def reported_unit(case_unit):
            if not case_unit:
                return "none"
            while case_unit.parent_id and case_unit.parent_id != unit and case_unit != unit:
                case_unit = case_unit.parent_id
            return case_unit.id

        for case in cases:
            for meeting in case.meeting_ids:
                if dutch_year(meeting.meeting_date) in years:
                    counts[dutch_year(meeting.meeting_date)][f"channel:{meeting.channel}"] += 1
            for referral in case.referral_ids:
                if referral.referral_date.year in years:
                    counts[referral.referral_date.year][f"referral:{referral.destination}"] += 1
            year = dutch_year(case.request_date)
            if year not in years:
                continue
            count = counts[year]
            count["requests"] += 1
            count[f"side:{case.side}"] += 1
            count[f"state:{case.state}"] += 1
            count[f"region:{case.region_id.id or 'none'}"] += 1
            count[f"unit:{reported_unit(case.business_unit_id)}"] += 1
            count[f"fc48:{bool(case.first_contact_date and case.first_contact_hours <= 48)}"] += 1
            for kind in case.behaviour_kind_ids or [None]:
                count[f"kind:{kind.id if kind else 'none'}"] += 1
            ranks = [ROUTE_RANKS[route.category] for route in case.route_ids]
            count[f"route:{max(ranks) if ranks else 'none'}"] += 1
            # the Wbk block and the requests by kind of counsellor
            count["wbk"] += case.is_wbk
            count["wbk:ack"] += case.is_wbk and case.wbk_ack_in_time
            count["wbk:feedback"] += case.is_wbk and case.wbk_feedback_in_time
            count[f"counsellor_kind:{case.counsellor_kind if case.counsellor_id else 'none'}"] += 1
            count["dates_corrected"] += case.dates_corrected
            if case.state == "closed" and case.close_date:
                closed_days[year].append(case.duration_days)
        durations = {
            year: {
                "closed": len(days),
                "total": sum(days),
                "median": statistics.median(days) if days else None,
                "average": sum(days) / len(days) if days else None,
            }
            for year, days in closed_days.items()
        }
        return {year: {key: n for key, n in count.items() if n} for year, count in counts.items()}, durations

    def correct_date(self, case, field_name, value):
        """The only way a work date changes by hand: its counsellor's correction, with a reason."""
        wizard = self.env["vp.case.date.correction"].with_user(case.sudo().counsellor_id)
        wizard.create(
            {"case_id": case.id, "field_name": field_name, "new_value": value, "reason": "typing_error"}
        ).action_correct()

    def assertCountsRight(self, step):
        for unit in (None, self.unit_a):
            self.assertEqual(self.report_counts(unit), self.python_counts(unit), f"{step}, unit {unit}")

    def test_counts_equal_a_python_count(self):
        counts, durations = self.report_counts()
        self.assertGreater(counts[YEAR]["requests"], 5)
        self.assertGreater(counts[PREVIOUS]["requests"], 5)
        self.assertTrue(durations[YEAR]["closed"])
        self.assertCountsRight("after creation")

    def test_every_kind_of_change_keeps_the_counts_right(self):
        as_counsellor = self.cases.with_user(self.counsellor)
        first, second, third = as_counsellor[0], as_counsellor[1], as_counsellor[2]
        steps = [
            # States and dates are the state buttons'; here the system stands in for them.
            (
                "closing a case",
                lambda: first.sudo().write({"state": "closed", "close_date": first.request_date.date()}),
            ),
            ("moving a case to another unit", lambda: second.write({"business_unit_id": self.unit_b.id})),
            ("moving a case to no unit", lambda: third.write({"business_unit_id": False})),
            (
                "moving a request into another year (its counsellor corrects the date)",
                lambda: self.correct_date(
                    second,
                    "request_date",
                    datetime(PREVIOUS, 7, 1)
                    if dutch_year(second.request_date) == YEAR
                    else datetime(PREVIOUS - 1, 7, 1),
                ),
            ),
            ("changing side and region", lambda: first.write({"side": "accused", "region_id": self.noord.id})),
            (
                "first contact",
                lambda: third.sudo().write({"first_contact_date": third.request_date + timedelta(hours=3)}),
            ),
            ("adding a kind", lambda: first.write({"behaviour_kind_ids": [Command.link(self.kind["fraud"].id)]})),
            ("removing all kinds", lambda: second.write({"behaviour_kind_ids": [Command.clear()]})),
            ("setting routes", lambda: third.write({"route_ids": [Command.set(self.route["complaint"].ids)]})),
            ("a route changing category", lambda: self.route["conversation"].write({"category": "formal"})),
            (
                "a new meeting",
                lambda: (
                    self.env["vp.case.meeting"]
                    .with_user(self.counsellor)
                    .create({"case_id": first.id, "meeting_date": datetime(YEAR, 5, 5), "channel": "video"})
                ),
            ),
            (
                "a meeting moved to another case and year",
                # The ORM refuses to move a meeting to another case; the report counts what
                # the database holds, so the move is made in SQL.
                lambda: (
                    self.env.flush_all(),
                    self.env.cr.execute(
                        "UPDATE vp_case_meeting SET case_id = %s, meeting_date = %s WHERE id = %s",
                        (second.id, datetime(PREVIOUS, 5, 5), first.meeting_ids[:1].id),
                    ),
                ),
            ),
            ("a meeting deleted", lambda: second.meeting_ids[:1].unlink()),
            (
                "a referral",
                lambda: (
                    self.env["vp.referral"]
                    .with_user(self.counsellor)
                    .create(
                        {"case_id": third.id, "destination": "lawyer", "referral_date": datetime(YEAR, 8, 1).date()}
                    )
                ),
            ),
            ("a referral's destination", lambda: third.referral_ids[:1].write({"destination": "mediator"})),
            ("shredding", lambda: as_counsellor[3:6]._vp_shred()),
            ("deleting a case", lambda: self.cases[6].sudo().unlink()),
            (
                "raw SQL on the cases",
                lambda: self.env.cr.execute(
                    "UPDATE vp_case SET state = 'aftercare' WHERE id = ANY(%s)", [self.cases[7:12].ids]
                ),
            ),
            (
                "a new case",
                lambda: self.make_cases([{"request": datetime(YEAR, 2, 2), "unit": self.unit_a1, "kinds": ("fraud",)}]),
            ),
        ]
        for step, change in steps:
            change()
            self.env.invalidate_all()
            self.assertCountsRight(f"after {step}")

    def test_furthest_route_follows_the_routes_only(self):
        """The report counts a case under its stored furthest route (vp.case.route_rank):
        its counsellor sets routes, never the rank itself."""
        case = self.cases[0].with_user(self.counsellor)
        case.route_ids = [Command.set((self.route["conversation"] | self.route["complaint"]).ids)]
        self.assertEqual(case.route_rank, ROUTE_RANKS["formal"])
        with self.assertRaises(AccessError):
            case.write({"route_rank": ROUTE_RANKS["advice"]})
        case.route_ids = [Command.clear()]
        self.assertEqual(case.route_rank, 0)

    def test_rolled_back_change_leaves_the_counts(self):
        before = self.report_counts()
        with self.assertRaises(RuntimeError), self.env.cr.savepoint():
            self.cases.sudo().write({"state": "closed", "close_date": datetime(YEAR, 12, 1).date()})
            self.env.flush_all()
            self.assertNotEqual(self.report_counts(), before)
            raise RuntimeError("rolled back")
        self.env.invalidate_all()
        self.assertEqual(self.report_counts(), before)
        self.assertCountsRight("after a rollback")

    def test_trend_counts_the_older_years_without_their_details(self):
        """The first page's trend counts its older years without kinds, meetings and
        referrals (report/counts.py): their tables share no cell with the requests and the
        cases, so the trend is the one suppressed over every table of those years."""
        older = self.cases[:15]
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE vp_case SET request_date = request_date - interval '2 years' WHERE id = ANY(%s)", [older.ids]
        )
        self.env.cr.execute(
            "UPDATE vp_case_meeting SET meeting_date = meeting_date - interval '2 years' WHERE case_id = ANY(%s)",
            [older.ids],
        )
        self.env.invalidate_all()
        report = self.reports[None]
        figures = report._vp_compute_figures()
        trend_years = tuple(range(YEAR - 4, YEAR + 1))
        counts, _durations, complement = report._vp_count_cases_and_complement(trend_years)  # every detail
        self.assertTrue(
            counts[YEAR - 2].get("requests") and any(key.startswith("channel:") for key in counts[YEAR - 2])
        )
        for year in trend_years:
            counts[year]["cases"] = sum(
                counts[year].get(f"state:{state}", 0) for state in ("open", "aftercare", "closed")
            )
        layout = report._vp_table_layout({year: counts[year] for year in (YEAR, PREVIOUS)})
        self.assertEqual(figures["trend"], report._vp_publish_trend(trend_years, counts, complement, layout))
        self.assertIn(YEAR - 2, [row["year"] for row in figures["trend"]])
