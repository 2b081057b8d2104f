"""Benchmark of the annual report against one bare SQL GROUP BY.

Fills a scratch database with N cases (default 10,000) over 5 years and 20
business units of one client organisation (SQL inserts: cases, kinds, routes,
about two meetings and a fifth of a referral per case), then times

- the report's figures (``vp.annual.report._vp_compute_figures``, run as a
  management user) and its SQL query count,
- the whole HTML document (figures already stored, QWeb rendering only),
- one bare ``SELECT year, business_unit_id, count(*) ... GROUP BY`` over the
  same case rows,
- the writes (the fill, and closing a fifth of the cases in one UPDATE),
  which pay nothing for the report: it counts on demand (report/counts.py),

and prints the ratio of report to bare GROUP BY. It repeats this at a tenth of
the size to show that the query count does not grow with the number of cases.
Everything runs in one transaction that is rolled back: the database is left
as it was. Run it with the project's virtualenv (see README, "Annual report"):

    ~/.cache/vertrouwenspersoon/venv/bin/python benchmarks/annual_report.py \\
        -c ~/.cache/vertrouwenspersoon/odoo-<hash>.conf -d <scratch db with the addon installed>
"""

import argparse
import statistics
import time

from addon_env import addon_env

YEARS = 5
UNITS_TOP, UNITS_CHILD = 5, 3  # 5 top-level units with 3 units each: 20 units
REPEAT = 20  # best of 20: single runs of a few ms vary by 2x on a shared machine


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-c", "--config", required=True, help="Odoo configuration file (addons_path incl. this addon)")
    parser.add_argument("-d", "--database", required=True, help="scratch database with vertrouwenspersoon installed")
    parser.add_argument("-n", "--cases", type=int, default=10_000)
    return parser.parse_args()


def fill(env, cases, last_year):
    """One organisation, 20 units, `cases` cases spread over 5 years: SQL inserts."""
    from odoo.addons.vertrouwenspersoon.const import ROUTE_RANKS  # noqa: PLC0415  once Odoo knows the addons

    org = env["vp.organisation"].create({"name": f"Benchmark {cases}", "code": f"BENCH{cases}"})
    units = env["vp.business.unit"]
    for top in range(UNITS_TOP):
        parent = units.create({"name": f"Unit {top}", "organisation_id": org.id})
        units |= parent
        for child in range(UNITS_CHILD):
            units |= units.create({"name": f"Unit {top}.{child}", "organisation_id": org.id, "parent_id": parent.id})
    regions = env["vp.region"].search([]).ids or [None]
    kinds = env["vp.behaviour.kind"].search([]).ids
    routes = env["vp.route"].search([])
    # the furthest route of a case with one route: that route's rank (vp.case.route_rank)
    route_ranks = [ROUTE_RANKS[route.category] for route in routes]
    routes = routes.ids
    env.flush_all()
    cr = env.cr
    cr.execute(
        """
        INSERT INTO vp_case (id, organisation_id, region_id, business_unit_id, name, state, side, request_date,
                             first_contact_date, close_date, first_contact_hours, duration_days, route_rank,
                             create_uid, write_uid, create_date, write_date)
        SELECT id, org, region, unit, name, state, side, req, first_contact, closed,
               -- the stored durations, as vp.case computes them
               EXTRACT(EPOCH FROM first_contact - req) / 3600,
               COALESCE(closed - timezone('Europe/Amsterdam', timezone('UTC', req))::date, 0),
               -- the furthest route, of the one route linked below
               CASE WHEN id %% 5 <> 0 THEN (%(ranks)s::int[])[1 + id %% cardinality(%(ranks)s::int[])] ELSE 0 END,
               1, 1, now(), now()
          FROM (
        SELECT nextval('vp_case_id_seq') AS id, %(org)s AS org,
               (%(regions)s::int[])[1 + i %% cardinality(%(regions)s::int[])] AS region,
               (%(units)s::int[])[1 + i %% cardinality(%(units)s::int[])] AS unit,
               'BENCH-' || %(org)s || '-' || i AS name,
               (ARRAY['request', 'open', 'aftercare', 'closed', 'closed'])[1 + i %% 5] AS state,
               CASE WHEN i %% 7 = 0 THEN 'accused' ELSE 'reporter' END AS side,
               req,
               CASE WHEN i %% 5 <> 0 THEN req + (i %% 96) * interval '1 hour' END AS first_contact,
               CASE WHEN i %% 5 >= 3 THEN (req + (i %% 120) * interval '1 day')::date END AS closed
          -- the year from i / 5, the state from i mod 5: every year holds every state
          FROM (SELECT i, make_timestamp(%(first)s + (i / 5) %% %(years)s, 1, 1, 8, 0, 0)
                          + (i * 7919 %% 364) * interval '1 day' AS req
                  FROM generate_series(1, %(n)s) i) s
        ) cases
        RETURNING id
        """,
        {
            "org": org.id,
            "regions": regions,
            "units": units.ids,
            "ranks": route_ranks,
            "n": cases,
            "first": last_year - YEARS + 1,
            "years": YEARS,
        },
    )
    case_ids = [row[0] for row in cr.fetchall()]
    cr.execute(
        """
        INSERT INTO vp_behaviour_kind_vp_case_rel (vp_case_id, vp_behaviour_kind_id)
        SELECT c, (%(kinds)s::int[])[1 + c %% cardinality(%(kinds)s::int[])] FROM unnest(%(ids)s::int[]) c
        UNION
        SELECT c, (%(kinds)s::int[])[1 + (c / 3) %% cardinality(%(kinds)s::int[])] FROM unnest(%(ids)s::int[]) c
         WHERE c %% 4 = 0;
        INSERT INTO vp_case_vp_route_rel (vp_case_id, vp_route_id)
        SELECT c, (%(routes)s::int[])[1 + c %% cardinality(%(routes)s::int[])] FROM unnest(%(ids)s::int[]) c
         WHERE c %% 5 <> 0;
        INSERT INTO vp_case_meeting (case_id, channel, meeting_date, duration, create_uid, write_uid,
                                     create_date, write_date)
        SELECT c.id, (ARRAY['in_person', 'phone', 'video'])[1 + (c.id + k) %% 3],
               c.request_date + k * interval '3 days', 1, 1, 1, now(), now()
          FROM vp_case c, generate_series(1, 2) k WHERE c.id = ANY(%(ids)s::int[]);
        INSERT INTO vp_referral (case_id, destination, referral_date, create_uid, write_uid, create_date, write_date)
        SELECT c.id, (ARRAY['company_doctor', 'mediator', 'lawyer', 'social_work', 'police'])[1 + c.id %% 5],
               (c.request_date + interval '10 days')::date, 1, 1, now(), now()
          FROM vp_case c WHERE c.id = ANY(%(ids)s::int[]) AND c.id %% 5 = 1;
        ANALYZE vp_case; ANALYZE vp_behaviour_kind_vp_case_rel; ANALYZE vp_case_vp_route_rel;
        ANALYZE vp_case_meeting; ANALYZE vp_referral;
        """,
        {"kinds": kinds, "routes": routes, "ids": case_ids},
    )
    return org


def best_of(function):
    """Best wall time of REPEAT runs (the usual way to time a warm path), and the last result."""
    timings, result = [], None
    for _run in range(REPEAT):
        start = time.perf_counter()
        result = function()
        timings.append(time.perf_counter() - start)
    return min(timings), statistics.median(timings), result


def measure(env, manager, cases, year, target=True):
    start = time.perf_counter()
    org = fill(env, cases, year)
    fill_seconds = time.perf_counter() - start
    start = time.perf_counter()
    env.cr.execute("UPDATE vp_case SET state = 'closed' WHERE organisation_id = %s AND state = 'aftercare'", [org.id])
    closed_rows, close_seconds = env.cr.rowcount, time.perf_counter() - start
    # Management reads only the organisations that name it as their Management.
    org.manager_user_ids = [(4, manager.id)]
    report = env["vp.annual.report"].with_user(manager).create({"organisation_id": org.id, "year": year})
    cr = env.cr

    def figures():
        env.invalidate_all()
        before = cr.sql_log_count
        report._vp_compute_figures()
        return cr.sql_log_count - before

    report_best, report_median, queries = best_of(figures)

    def render():
        env.invalidate_all()
        return (
            env["ir.actions.report"]
            .with_user(manager)
            ._render_qweb_html("vertrouwenspersoon.vp_annual_report_action_report_html", report.ids)
        )

    render_best, _median, _html = best_of(render)

    def bare():
        cr.execute(
            """
            SELECT EXTRACT(YEAR FROM timezone('Europe/Amsterdam', timezone('UTC', request_date)))::int,
                   business_unit_id, COUNT(*)
              FROM vp_case WHERE organisation_id = %s AND request_date >= %s AND request_date < %s
             GROUP BY 1, 2
            """,
            (org.id, f"{year - 2}-12-31 23:00:00", f"{year}-12-31 23:00:00"),
        )
        return cr.fetchall()

    bare_best, bare_median, _rows = best_of(bare)
    cr.execute("SELECT COUNT(*) FROM vp_case WHERE organisation_id = %s", (org.id,))
    total = cr.fetchone()[0]
    print(f"\n{total:,} cases over {YEARS} years and {UNITS_TOP * (1 + UNITS_CHILD)} business units:")
    print(
        f"  report figures     {report_best * 1000:8.1f} ms (median {report_median * 1000:.1f})  {queries} SQL queries"
    )
    print(f"  whole HTML report  {render_best * 1000:8.1f} ms (figures stored; QWeb and charts)")
    print(f"  bare SQL GROUP BY  {bare_best * 1000:8.1f} ms (median {bare_median * 1000:.1f})  1 SQL query")
    verdict = "target: within 5x" if target else "the target is set at the full size"
    print(f"  ratio report / bare GROUP BY: {report_best / bare_best:.1f}x ({verdict})")
    print(
        f"  writes: fill {fill_seconds:.2f} s (cases, links, meetings, referrals), "
        f"closing {closed_rows:,} cases in one UPDATE {close_seconds * 1000:.0f} ms"
    )
    return queries


def main():
    args = parse_args()
    with addon_env(args.config, args.database, "vp.annual.report") as env:
        from odoo import fields  # noqa: PLC0415  the script is run from the project's virtualenv

        manager = env["res.users"].create(
            {
                "name": "Benchmark manager",
                "login": "vp_benchmark_manager",
                "groups_id": [(6, 0, [env.ref("vertrouwenspersoon.group_management").id])],
            }
        )
        year = fields.Date.today().year - 1
        try:
            small = measure(env, manager, max(args.cases // 10, 1), year, target=False)
            large = measure(env, manager, args.cases, year)
            verdict = "the same" if small == large else "DIFFERENT"
            print(f"\nSQL queries at {args.cases // 10:,} and {args.cases:,} cases: {small} and {large} ({verdict}).")
        finally:
            env.cr.rollback()


if __name__ == "__main__":
    main()
