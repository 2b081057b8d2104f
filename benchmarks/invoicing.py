"""Benchmark: the monthly invoicing run against Odoo's stock sale_timesheet flow.

Builds a scratch database with the addon and ``sale_timesheet`` (installed in
the scratch database only; the addon does not depend on it), creates N
engagements with L timesheet lines in one month, then times:

1. ``vp.engagement._vp_invoice_month``: one draft invoice per engagement;
2. the stock flow for the same hours: one sale order per customer with a
   timesheet-based service (invoiced on delivered hours), its timesheets on
   the order's project, and ``sale.order._create_invoices`` (what the
   "Create invoice" button runs), which links the timesheets to the invoices;
3. for reference, Odoo's own ``account.move.create`` of the same number of
   invoices from product, quantity and price alone, without any timesheet:
   the cost of making these invoices through the ORM at all.

Each flow runs --repeat times (default 3), every run in its own transaction
on a vacuumed database; the best run is reported. It prints seconds, SQL
queries and lines billed of each, and the ratios.

Run with the project's virtual environment and Odoo configuration:

    CONF=$(ls ~/.cache/vertrouwenspersoon/odoo-*.conf | head -1)   # or the one of your checkout
    ~/.cache/vertrouwenspersoon/venv/bin/python benchmarks/invoicing.py -c "$CONF"
    # options: --engagements 50 --lines 20000 --db vp_bench --keep

The scratch database (default ``vp_bench``) is dropped first and, unless
``--keep`` is given, afterwards.
"""

import argparse
import contextlib
import cProfile
import logging
import pstats
import time
from datetime import date

import psycopg2

import odoo
from odoo import Command
from odoo.tools import config

MONTH = date(2026, 3, 1)
BILLED_TYPES = ["intake", "meeting", "contact", "administration", "cancelled_client"]
TYPES = ["intake", "meeting", "contact", "administration", "travel", "cancelled_client", "cancelled_counsellor"]


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-c", "--config", required=True, help="Odoo configuration file (addons_path with the addon)")
    parser.add_argument("--db", default="vp_bench", help="scratch database, dropped and rebuilt")
    parser.add_argument("--engagements", type=int, default=50)
    parser.add_argument("--lines", type=int, default=20000, help="timesheet lines in the month, in total")
    parser.add_argument("--cases-per-engagement", type=int, default=4)
    parser.add_argument("--keep", action="store_true", help="keep the scratch database afterwards")
    parser.add_argument("--reuse", action="store_true", help="time again on a database kept by --keep")
    parser.add_argument("--repeat", type=int, default=3, help="runs per flow; the best is reported")
    parser.add_argument("--profile", action="store_true", help="print a cProfile summary of the monthly run")
    return parser.parse_args()


def pg_kwargs(config):
    keys = {"host": "db_host", "port": "db_port", "user": "db_user", "password": "db_password"}
    return {key: config[opt] for key, opt in keys.items() if config.get(opt)}


def drop_database(config, name):
    conn = psycopg2.connect(dbname="postgres", **pg_kwargs(config))
    conn.autocommit = True
    conn.cursor().execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    conn.close()


def vacuum(config, name):
    """VACUUM ANALYZE the scratch database, as autovacuum would between runs: each timed run is
    rolled back, leaving 35,000 dead line versions behind, so with autovacuum off (as on the
    development machine) every --reuse run would otherwise be slower than the one before."""
    conn = psycopg2.connect(dbname=name, **pg_kwargs(config))
    conn.autocommit = True
    conn.cursor().execute("VACUUM ANALYZE")
    conn.close()


class Meter:
    """Wall time and number of SQL queries of a block, on one cursor."""

    def __init__(self, cr):
        self.cr = cr

    def __enter__(self):
        self.cr.flush()
        self.queries = self.cr.sql_log_count
        self.start = time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.cr.flush()
        self.seconds = time.perf_counter() - self.start
        self.queries = self.cr.sql_log_count - self.queries


def build(env, args):
    """Engagements, counsellors and cases, and per engagement a stock sale order."""
    company = env.company
    counsellors = env["res.users"].create(
        [
            {
                "name": f"Counsellor {index}",
                "login": f"bench_counsellor_{index}",
                "groups_id": [Command.set([env.ref("vertrouwenspersoon.group_counsellor").id])],
            }
            for index in range(5)
        ]
    )
    # A counsellor gets a case only once she has chosen a vault passphrase (a key pair).
    for user in counsellors:
        env["vp.reader.key"].with_user(user)._vp_set_passphrase(f"benchmark passphrase {user.login}")
    employees = env["hr.employee"].create(
        [{"name": user.name, "user_id": user.id, "company_id": company.id} for user in counsellors]
    )
    partners = env["res.partner"].create(
        [{"name": f"Client {index:02d}", "is_company": True} for index in range(args.engagements)]
    )
    organisations = env["vp.organisation"].create(
        [
            {"name": partner.name, "code": f"BENCH{index:02d}", "partner_id": partner.id}
            for index, partner in enumerate(partners)
        ]
    )
    units = env["vp.business.unit"].create(
        [{"name": f"Unit {u}", "organisation_id": org.id} for org in organisations for u in range(3)]
    )
    engagements = env["vp.engagement"].create(
        [{"organisation_id": org.id, "hourly_rate": 95.0, "date_start": date(2026, 1, 1)} for org in organisations]
    )
    # Dutch VAT on counsellor hours, on both flows' products: invoices carry a tax line.
    # Its own tax group: the run refuses a 21% tax printed under a group named for another rate.
    vat = env["account.tax"].create(
        {
            "name": "21% BTW (benchmark)",
            "amount": 21.0,
            "amount_type": "percent",
            "type_tax_use": "sale",
            "tax_group_id": env["account.tax.group"].create({"name": "BTW 21% (benchmark)"}).id,
        }
    )
    engagements.product_id.taxes_id = vat
    region = env["vp.region"].search([], limit=1) or env["vp.region"].create({"name": "Bench", "code": "BENCH"})
    cases = env["vp.case"].create(
        [
            {
                "organisation_id": org.id,
                "region_id": region.id,
                "counsellor_id": counsellors[(index + c) % len(counsellors)].id,
                "business_unit_id": units[index * 3 + c % 3].id,
            }
            for index, org in enumerate(organisations)
            for c in range(args.cases_per_engagement)
        ]
    )

    # Stock flow, with the same invoice structure: per customer a sale order with one line per
    # billed time type (timesheet-based services invoiced on delivered hours; client
    # cancellations at half the price), confirmed, which makes the project the timesheets go to.
    hour = env.ref("uom.product_uom_hour").id
    products = env["product.product"].create(
        [
            {
                "name": f"Counsellor hours: {time_type} (stock)",
                "type": "service",
                "service_type": "timesheet",
                "invoice_policy": "delivery",
                "service_tracking": "project_only" if index == 0 else "no",
                "list_price": 47.5 if time_type == "cancelled_client" else 95.0,
                "uom_id": hour,
                "uom_po_id": hour,
                "taxes_id": [Command.set(vat.ids)],
            }
            for index, time_type in enumerate(BILLED_TYPES)
        ]
    )
    orders = env["sale.order"].create(
        [
            {
                "partner_id": partner.id,
                "order_line": [
                    Command.create({"product_id": product.id, "product_uom_qty": 0}) for product in products
                ],
            }
            for partner in partners
        ]
    )
    orders.action_confirm()
    return counsellors, employees, engagements, cases, orders


def log_hours(env, args, counsellors, employees, cases, orders):
    """The same hours twice: as vp lines on cases, and as stock timesheets on the orders' projects."""
    per_engagement = args.lines // args.engagements
    employee_of = dict(zip(counsellors.ids, employees.ids, strict=True))
    vp_vals, stock_vals = [], []
    cases_by_org = {}
    for case in cases:
        cases_by_org.setdefault(case.organisation_id.id, []).append(case)
    for org_index, (org_cases, order) in enumerate(zip(cases_by_org.values(), orders, strict=True)):
        project = order.order_line.project_id
        sale_line = dict(zip(BILLED_TYPES, order.order_line, strict=True))
        for index in range(per_engagement):
            case = org_cases[index % len(org_cases)]
            day = MONTH.replace(day=1 + (index + org_index) % 28)
            hours = 0.25 * (1 + index % 8)
            vp_vals.append(
                {
                    "vp_time_type": TYPES[index % len(TYPES)],
                    "vp_case_id": case.id,
                    "unit_amount": hours,
                    "date": day,
                    "user_id": case.counsellor_id.id,
                    "employee_id": employee_of[case.counsellor_id.id],
                    "name": "Gesprek",
                }
            )
            time_type = TYPES[index % len(TYPES)]
            stock_vals.append(
                {
                    "project_id": project.id,
                    # Travel and the counsellor's cancellations are not billed: no sale line.
                    "so_line": sale_line[time_type].id if time_type in sale_line else False,
                    "unit_amount": hours,
                    "date": day,
                    "employee_id": employee_of[case.counsellor_id.id],
                    "name": "Gesprek",
                }
            )
    Line = env["account.analytic.line"]
    for start in range(0, len(vp_vals), 2000):
        Line.create(vp_vals[start : start + 2000])
    for start in range(0, len(stock_vals), 2000):
        Line.create(stock_vals[start : start + 2000])
    env.cr.flush()
    return len(vp_vals), len(stock_vals)


def warm_up(env, engagement):
    """Build the registry's lazy caches (field trigger trees, rule and view caches) once, so
    neither flow pays for them: create one invoice and roll it back."""
    with contextlib.suppress(RuntimeError), env.cr.savepoint():
        env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": engagement.partner_id.id,
                "invoice_line_ids": [
                    Command.create({"product_id": engagement.product_id.id, "quantity": 1, "price_unit": 1})
                ],
            }
        )
        env.cr.flush()
        raise RuntimeError("rolled back")
    env.invalidate_all()


def main():
    args = parse_args()
    config.parse_config(["-c", args.config, "-d", args.db, "--log-level", "warn"])
    logging.getLogger("odoo").setLevel(logging.WARNING)
    if not args.reuse:
        drop_database(config, args.db)
        print(f"Building scratch database {args.db} (vertrouwenspersoon + sale_timesheet, no demo) ...", flush=True)
        odoo.service.db._create_empty_database(args.db)
        config["init"] = dict.fromkeys(["vertrouwenspersoon", "sale_timesheet"], 1)
        config["without_demo"] = "all"
    registry = odoo.modules.registry.Registry.new(args.db, update_module=not args.reuse)
    try:
        with registry.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            if args.reuse:
                vp_count = env["account.analytic.line"].search_count([("vp_time_type", "!=", False)])
                stock_count = env["account.analytic.line"].search_count(
                    [("project_id", "!=", False), ("vp_time_type", "=", False)]
                )
            else:
                print(f"Logging {args.lines} lines for {args.engagements} engagements, twice ...", flush=True)
                counsellors, employees, _engagements, cases, orders = build(env, args)
                vp_count, stock_count = log_hours(env, args, counsellors, employees, cases, orders)
            cr.commit()

        def vp_flow(env):
            return env["vp.engagement"].search([])._vp_invoice_month(MONTH)

        vp_flow.billed_field = "vp_invoice_id"

        def stock_flow(env):
            orders = env["sale.order"].search([])
            return orders.with_context(
                timesheet_start_date=MONTH, timesheet_end_date=date(2026, 3, 31)
            )._create_invoices()

        stock_flow.billed_field = "timesheet_invoice_id"

        def plain_invoices(env):
            """For reference, no timesheets at all: Odoo's own account.move.create of one invoice
            per engagement with five lines from product, quantity and price alone, what any
            module creating these invoices through the ORM starts from."""
            engagements = env["vp.engagement"].search([])
            return (
                env["account.move"]
                .with_context(tracking_disable=True, mail_create_nolog=True)
                .create(
                    [
                        {
                            "move_type": "out_invoice",
                            "partner_id": engagement.partner_id.id,
                            "invoice_line_ids": [
                                Command.create(
                                    {
                                        "product_id": engagement.product_id.id,
                                        "quantity": 10 + index,
                                        "price_unit": 95.0,
                                        "analytic_distribution": {str(engagement.analytic_account_id.id): 100},
                                    }
                                )
                                for index in range(5)
                            ],
                        }
                        for engagement in engagements
                    ]
                )
            )

        plain_invoices.billed_field = "vp_invoice_id"

        def best_of(flow, profile=False):
            """Best of --repeat runs, each in its own transaction (rolled back) on a vacuumed
            database, after a warm-up that builds the registry's lazy caches."""
            best = None
            for _run in range(args.repeat):
                vacuum(config, args.db)
                with registry.cursor() as cr:
                    env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
                    warm_up(env, env["vp.engagement"].search([], limit=1))
                    env.invalidate_all()
                    profiler = cProfile.Profile() if profile else None
                    with Meter(cr) as meter:
                        if profiler:
                            profiler.enable()
                        invoices = flow(env)
                        if profiler:
                            profiler.disable()
                    if profiler:
                        pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)
                    billed = env["account.analytic.line"].search_count([(flow.billed_field, "in", invoices.ids)])
                    result = {
                        "seconds": meter.seconds,
                        "queries": meter.queries,
                        "billed": billed,
                        "invoices": len(invoices),
                        "invoice_lines": sum(len(invoice.invoice_line_ids) for invoice in invoices),
                    }
                    cr.rollback()
                if best is None or result["seconds"] < best["seconds"]:
                    best = result
            return best

        vp = best_of(vp_flow, args.profile)
        stock = best_of(stock_flow)
        plain = best_of(plain_invoices)

        print()
        print(f"best of {args.repeat} runs each, every run in its own transaction on a vacuumed database")
        print(f"{'flow':<28}{'seconds':>10}{'queries':>10}{'lines billed':>15}{'invoices':>10}{'inv. lines':>12}")
        for label, row in (
            ("vertrouwenspersoon run", vp),
            ("stock sale_timesheet", stock),
            ("reference: bare invoices", plain),
        ):
            print(
                f"{label:<28}{row['seconds']:>10.2f}{row['queries']:>10}{row['billed']:>15}"
                f"{row['invoices']:>10}{row['invoice_lines']:>12}"
            )
        print()
        print(f"lines logged: {vp_count} vp, {stock_count} stock (travel and counsellor cancellations: no sale line)")
        print(f"ratio (stock seconds / vp seconds): {stock['seconds'] / vp['seconds']:.1f}x (target: at least 3x)")
        print(f"ratio (stock queries / vp queries): {stock['queries'] / max(vp['queries'], 1):.1f}x")
        print(
            "reference: Odoo's own account.move.create of the same 50 invoices, from product, quantity and "
            f"price alone and without any timesheet, takes {plain['seconds']:.2f} s "
            f"(stock / that: {stock['seconds'] / plain['seconds']:.1f}x)"
        )
    finally:
        odoo.modules.registry.Registry.delete(args.db)
        odoo.sql_db.close_all()
        if not args.keep:
            drop_database(config, args.db)


if __name__ == "__main__":
    main()
