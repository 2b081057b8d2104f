# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Counts for the annual report, kept up to date by PostgreSQL as cases change.

The annual report needs a dozen breakdowns of two years of cases (kinds,
routes, sides, units, regions, durations, meetings, referrals). Counting them
from the case rows every time costs several times one GROUP BY over those
rows, so the database keeps the counts itself:

``vp_report_case_count``
    what each case adds to the report: rows (case, organisation, unit, year,
    key, n), computed by the SQL function ``vp_report_case_rows`` from the
    case, its kinds of behaviour, routes, meetings and referrals. This is the
    one definition of what the report counts.
``vp_report_count``
    rows (organisation, business unit, year, key, n) whose sum per
    organisation, unit, year and key is what the report reads: each changing
    statement appends what it changed (a delta per key), and a job
    (``_vp_compact_counts``, hourly) replaces the rows of each key by their
    sum, so the table stays at a few hundred rows per organisation and year
    plus the deltas of the last hour.

Statement-level triggers on every table ``vp_report_case_rows`` reads call
``vp_report_refresh(case ids)``: it replaces the changed cases' rows and
appends the difference to the sums, in the same transaction as the change.
So the counts are right whichever way a row changes (ORM, raw SQL, cascades,
shredding, deletion), and a rolled-back change leaves them as they were.
``_vp_recount`` rebuilds both tables from the data (on every install and
update of the addon) and ``_vp_count_differences`` compares the stored sums
with a fresh count: the tests and the benchmark check that it is empty.

The tables are plain SQL tables, not Odoo models: no ORM, RPC, export or
report route can reach them. Their keys hold category codes and ids of units,
regions and kinds, never a case's content, number or counsellor.

No write updates a row that another case's write touches: a change only
deletes and inserts its own cases' rows and appends deltas. So two
transactions that change different cases of the same organisation, unit and
year at the same moment (intake submissions, counsellors saving their cases,
meetings, referrals) never wait for each other nor fail to serialize. (Sums
kept as one row per key did: every new case of an organisation updated the
same "requests" row of its year, so concurrent writers of one organisation
serialized and Odoo retried them, up to failing a request.) The compaction
only deletes committed rows that no writer touches again, so it does not
conflict with the writers either.
"""

from datetime import datetime

from odoo import api, models
from odoo.tools import SQL

# Year boundaries are Dutch local time for everyone, as for the retention of cases.
from .vp_case_retention import REPORT_TZ

# A case's route for the report is the furthest route it took.
ROUTE_RANKS = {"advice": 1, "referral": 2, "informal": 3, "formal": 4}
# The case columns the report's counts depend on: other changes (notes,
# counsellor, consent, ...) do not touch the counts.
CASE_COLUMNS = (
    "organisation_id",
    "business_unit_id",
    "request_date",
    "side",
    "state",
    "region_id",
    "first_contact_date",
    "first_contact_hours",
    "close_date",
    "duration_days",
    # the Wbk block and the requests by kind of counsellor (issue 15: read here,
    # not counted from the case rows at every printing)
    "counsellor_id",
    "is_wbk",
    "wbk_ack_in_time",
    "wbk_feedback_in_time",
    # how many requests rest on a date their counsellor corrected (vp_case_dates.py)
    "dates_corrected",
)


def dutch_today():
    """Today in Dutch local time: the report's years begin and end there, whatever the
    user's or the server's time zone (the same boundary as dutch_year_sql)."""
    return datetime.now(REPORT_TZ).date()


def dutch_year_sql(column):
    """SQL: the year, in Dutch local time, of the UTC timestamp in ``column``."""
    return SQL("EXTRACT(YEAR FROM timezone(%s, timezone('UTC', %s)))::int", REPORT_TZ.zone, column)


class VpReportCounter(models.AbstractModel):
    _name = "vp.report.counter"
    _description = "Annual report counts kept by the database"

    def init(self):
        # The functions read the tables of cases, meetings, referrals and the
        # kind and route links: create them once every table of the addon exists.
        self.pool.post_init(self._vp_create_counters)

    # ------------------------------------------------------------------
    # Schema: tables, functions, triggers
    # ------------------------------------------------------------------
    def _vp_relations(self):
        case_fields = self.env["vp.case"]._fields
        return {name: case_fields[name] for name in ("behaviour_kind_ids", "route_ids")}

    def _vp_create_counters(self):
        cr = self.env.cr
        relations = self._vp_relations()
        kinds, routes = relations["behaviour_kind_ids"], relations["route_ids"]

        route_rank = SQL(
            "CASE r.category %s END",
            SQL(" ").join(SQL("WHEN %s THEN %s", category, rank) for category, rank in ROUTE_RANKS.items()),
        )
        cr.execute(
            SQL(
                """
                CREATE TABLE IF NOT EXISTS vp_report_case_count (
                    case_id integer NOT NULL,
                    organisation_id integer NOT NULL,
                    business_unit_id integer,
                    year integer NOT NULL,
                    key varchar NOT NULL,
                    n bigint NOT NULL
                );
                CREATE INDEX IF NOT EXISTS vp_report_case_count_case_id_idx ON vp_report_case_count (case_id);
                CREATE TABLE IF NOT EXISTS vp_report_count (
                    organisation_id integer NOT NULL,
                    business_unit_id integer,
                    year integer NOT NULL,
                    key varchar NOT NULL,
                    n bigint NOT NULL
                );
                -- Appended to, never updated: one unique row per key was the hot row of
                -- concurrent writers of an organisation (see the module docstring).
                DROP INDEX IF EXISTS vp_report_count_uniq;
                CREATE INDEX IF NOT EXISTS vp_report_count_organisation_year_idx
                    ON vp_report_count (organisation_id, year);
                COMMENT ON TABLE vp_report_count
                    IS 'vertrouwenspersoon: annual report counts per organisation, unit, year and key (summed at read)';

                -- What the given cases add to the annual report. Keys as the report reads them.
                CREATE OR REPLACE FUNCTION vp_report_case_rows(ids integer[])
                RETURNS TABLE (case_id integer, organisation_id integer, business_unit_id integer,
                               year integer, key varchar, n bigint)
                LANGUAGE sql STABLE AS $function$
                    WITH c AS (
                        SELECT id, organisation_id, business_unit_id, %(request_year)s AS year, side, state,
                               region_id, duration_days,
                               COALESCE(first_contact_date IS NOT NULL AND first_contact_hours <= 48, FALSE) AS fc48,
                               state = 'closed' AND close_date IS NOT NULL AS closed,
                               is_wbk, is_wbk AND wbk_ack_in_time AS wbk_ack, dates_corrected,
                               is_wbk AND wbk_feedback_in_time AS wbk_feedback,
                               -- internal: the counsellor is appointed internal for the organisation
                               -- (the appointment's trigger counts the counsellor's cases again)
                               CASE WHEN counsellor_id IS NULL THEN 'none'
                                    WHEN EXISTS (SELECT FROM vp_counsellor_appointment a
                                                  WHERE a.user_id = vp_case.counsellor_id
                                                    AND a.organisation_id = vp_case.organisation_id
                                                    AND a.kind = 'internal' AND a.active)
                                    THEN 'internal' ELSE 'external' END AS counsellor_kind
                          FROM vp_case
                         WHERE id = ANY(ids) AND organisation_id IS NOT NULL AND request_date IS NOT NULL
                    )
                    SELECT c.id, c.organisation_id, c.business_unit_id, c.year, k.key, k.n
                      FROM c CROSS JOIN LATERAL (VALUES
                           ('requests'::varchar, 1::bigint),
                           ('side:' || COALESCE(c.side, 'none'), 1),
                           ('state:' || COALESCE(c.state, 'none'), 1),
                           ('region:' || COALESCE(c.region_id::varchar, 'none'), 1),
                           ('fc48:' || CASE WHEN c.fc48 THEN 'True' ELSE 'False' END, 1),
                           ('closed', CASE WHEN c.closed THEN 1 END),
                           ('closed_days', CASE WHEN c.closed THEN COALESCE(c.duration_days, 0) END),
                           ('days:' || c.duration_days, CASE WHEN c.closed THEN 1 END),
                           ('wbk', CASE WHEN c.is_wbk THEN 1 END),
                           ('wbk:ack', CASE WHEN c.wbk_ack THEN 1 END),
                           ('wbk:feedback', CASE WHEN c.wbk_feedback THEN 1 END),
                           ('counsellor_kind:' || c.counsellor_kind, 1),
                           ('dates_corrected', CASE WHEN c.dates_corrected THEN 1 END)
                      ) k (key, n)
                     WHERE k.key IS NOT NULL AND k.n IS NOT NULL
                    UNION ALL
                    SELECT c.id, c.organisation_id, c.business_unit_id, c.year,
                           'kind:' || COALESCE(rel.%(kind_kind)s::varchar, 'none'), 1
                      FROM c LEFT JOIN %(kind_rel)s rel ON rel.%(kind_case)s = c.id
                    UNION ALL
                    SELECT c.id, c.organisation_id, c.business_unit_id, c.year, 'route:' || MAX(%(route_rank)s), 1
                      FROM c
                      JOIN %(route_rel)s rr ON rr.%(route_case)s = c.id
                      JOIN vp_route r ON r.id = rr.%(route_route)s
                     GROUP BY c.id, c.organisation_id, c.business_unit_id, c.year
                    HAVING MAX(%(route_rank)s) IS NOT NULL
                    UNION ALL
                    -- meetings and referrals count in the year they took place
                    SELECT c.id, c.organisation_id, c.business_unit_id, %(meeting_year)s,
                           'channel:' || COALESCE(m.channel, 'none'), COUNT(*)
                      FROM c JOIN vp_case_meeting m ON m.case_id = c.id
                     WHERE m.meeting_date IS NOT NULL
                     GROUP BY 1, 2, 3, 4, 5
                    UNION ALL
                    SELECT c.id, c.organisation_id, c.business_unit_id, EXTRACT(YEAR FROM f.referral_date)::int,
                           'referral:' || COALESCE(f.destination, 'none'), COUNT(*)
                      FROM c JOIN vp_referral f ON f.case_id = c.id
                     WHERE f.referral_date IS NOT NULL
                     GROUP BY 1, 2, 3, 4, 5
                $function$;

                -- Replace the given cases' rows and append the difference to the sums.
                CREATE OR REPLACE FUNCTION vp_report_refresh(ids integer[]) RETURNS void
                LANGUAGE plpgsql AS $function$
                BEGIN
                    IF ids IS NULL OR cardinality(ids) = 0 THEN
                        RETURN;
                    END IF;
                    WITH old AS (
                        DELETE FROM vp_report_case_count WHERE case_id = ANY(ids)
                        RETURNING organisation_id, business_unit_id, year, key, -n AS n
                    ), new AS (
                        INSERT INTO vp_report_case_count SELECT * FROM vp_report_case_rows(ids)
                        RETURNING organisation_id, business_unit_id, year, key, n
                    ), delta AS (
                        SELECT d.organisation_id, d.business_unit_id, d.year, d.key, SUM(d.n) AS n
                          FROM (SELECT * FROM old UNION ALL SELECT * FROM new) d
                         GROUP BY 1, 2, 3, 4
                        HAVING SUM(d.n) <> 0
                    )
                    -- A plain insert: no row another transaction may touch (no upsert of a sum row).
                    INSERT INTO vp_report_count (organisation_id, business_unit_id, year, key, n)
                    SELECT * FROM delta;
                END
                $function$;
                """,
                request_year=dutch_year_sql(SQL("request_date")),
                meeting_year=dutch_year_sql(SQL("m.meeting_date")),
                route_rank=route_rank,
                kind_rel=SQL.identifier(kinds.relation),
                kind_case=SQL.identifier(kinds.column1),
                kind_kind=SQL.identifier(kinds.column2),
                route_rel=SQL.identifier(routes.relation),
                route_case=SQL.identifier(routes.column1),
                route_route=SQL.identifier(routes.column2),
            )
        )
        # table: (SQL of the changed case ids from new_rows / old_rows on insert, update, delete)
        watched = {
            "vp_case": self._vp_case_ids_of("id", CASE_COLUMNS),
            "vp_case_meeting": self._vp_case_ids_of("case_id", ("case_id", "channel", "meeting_date")),
            "vp_referral": self._vp_case_ids_of("case_id", ("case_id", "destination", "referral_date")),
            kinds.relation: self._vp_case_ids_of(kinds.column1),
            routes.relation: self._vp_case_ids_of(routes.column1),
            # A counsellor appointed, made internal or external, or archived for an
            # organisation: that counsellor's cases there change kind.
            "vp_counsellor_appointment": tuple(
                SQL(
                    "SELECT c.id FROM (%s) r (user_id, organisation_id) "
                    "JOIN vp_case c ON c.counsellor_id = r.user_id AND c.organisation_id = r.organisation_id",
                    SQL(select),
                )
                for select in (
                    "SELECT user_id, organisation_id FROM new_rows",
                    "SELECT user_id, organisation_id FROM old_rows UNION SELECT user_id, organisation_id FROM new_rows",
                    "SELECT user_id, organisation_id FROM old_rows",
                )
            ),
            "vp_route": (
                None,
                SQL(
                    "SELECT rr.%s FROM new_rows n JOIN old_rows o ON o.id = n.id JOIN %s rr ON rr.%s = n.id "
                    "WHERE n.category IS DISTINCT FROM o.category",
                    SQL.identifier(routes.column1),
                    SQL.identifier(routes.relation),
                    SQL.identifier(routes.column2),
                ),
                None,  # deleting a route deletes its links, and the link trigger counts again
            ),
        }
        for table, (on_insert, on_update, on_delete) in watched.items():
            for event, select, tables in (
                ("INSERT", on_insert, "NEW TABLE AS new_rows"),
                ("UPDATE", on_update, "OLD TABLE AS old_rows NEW TABLE AS new_rows"),
                ("DELETE", on_delete, "OLD TABLE AS old_rows"),
            ):
                name = f"vp_report_{table}_{event.lower()}"
                cr.execute(SQL("DROP TRIGGER IF EXISTS %s ON %s", SQL.identifier(name), SQL.identifier(table)))
                if select is None:
                    continue
                cr.execute(
                    SQL(
                        """
                        CREATE OR REPLACE FUNCTION %(function)s() RETURNS trigger LANGUAGE plpgsql AS $function$
                        BEGIN
                            PERFORM vp_report_refresh(ARRAY(SELECT DISTINCT x FROM (%(select)s) s (x)
                                                            WHERE x IS NOT NULL ORDER BY 1));
                            RETURN NULL;
                        END
                        $function$;
                        CREATE TRIGGER %(trigger)s AFTER %(event)s ON %(table)s REFERENCING %(tables)s
                            FOR EACH STATEMENT EXECUTE FUNCTION %(function)s();
                        """,
                        function=SQL.identifier(name),
                        select=select,
                        trigger=SQL.identifier(name),
                        event=SQL(event),
                        table=SQL.identifier(table),
                        tables=SQL(tables),
                    )
                )
        self._vp_recount()

    @staticmethod
    def _vp_case_ids_of(case_column, columns=None):
        """The case ids a change of the cases, or of a table that points to
        cases, touches, on insert, update and delete. On update: the old and
        the new case of every row where a counted column changed; link tables
        have no id, and Odoo never updates their rows, so there every old and
        new case."""
        case = SQL.identifier(case_column)
        if columns:
            changed = SQL(
                "(%s) IS DISTINCT FROM (%s)",
                SQL(", ").join(SQL.identifier("n", column) for column in columns),
                SQL(", ").join(SQL.identifier("o", column) for column in columns),
            )
            on_update = SQL(
                "SELECT unnest(ARRAY[o.%s, n.%s]) FROM old_rows o JOIN new_rows n ON n.id = o.id WHERE %s",
                case,
                case,
                changed,
            )
        else:
            on_update = SQL("SELECT %s FROM old_rows UNION ALL SELECT %s FROM new_rows", case, case)
        return (
            SQL("SELECT %s FROM new_rows", case),
            on_update,
            SQL("SELECT %s FROM old_rows", case),
        )

    # ------------------------------------------------------------------
    # Recount and check
    # ------------------------------------------------------------------
    @api.model
    def _vp_recount(self):
        """Rebuild the counts from the data, for every case."""
        self.env.flush_all()
        self.env.cr.execute(
            """
            TRUNCATE vp_report_case_count, vp_report_count;
            SELECT vp_report_refresh(ARRAY(SELECT id FROM vp_case ORDER BY id));
            """
        )

    @api.model
    def _vp_compact_counts(self):
        """Scheduled: replace the rows of every organisation, unit, year and key
        that has more than one (or sums to nought) by their sum, so reading the
        report stays one GROUP BY over a few hundred rows per organisation and
        year. The sums do not change. It deletes only committed rows, which no
        writer updates or deletes again (writers append), so it never waits for
        nor conflicts with them; rows appended meanwhile are not in its snapshot
        and wait for the next run. Returns the number of rows removed."""
        cr = self.env.cr
        # Two compactions at once (the job and a manual run) would delete the same rows.
        cr.execute("SELECT pg_try_advisory_xact_lock(hashtext('vp_report_count'))")
        if not cr.fetchone()[0]:
            return 0
        cr.execute(
            """
            WITH keys AS (
                SELECT organisation_id, year, key, COALESCE(business_unit_id, 0) AS unit
                  FROM vp_report_count
                 GROUP BY 1, 2, 3, 4
                HAVING COUNT(*) > 1 OR SUM(n) = 0
            ), gone AS (
                DELETE FROM vp_report_count c
                 USING keys
                 WHERE c.organisation_id = keys.organisation_id AND c.year = keys.year AND c.key = keys.key
                   AND COALESCE(c.business_unit_id, 0) = keys.unit
                RETURNING c.organisation_id, c.business_unit_id, c.year, c.key, c.n
            ), summed AS (
                INSERT INTO vp_report_count (organisation_id, business_unit_id, year, key, n)
                SELECT organisation_id, business_unit_id, year, key, SUM(n)
                  FROM gone
                 GROUP BY 1, 2, 3, 4
                HAVING SUM(n) <> 0
                RETURNING 1
            )
            SELECT (SELECT COUNT(*) FROM gone) - (SELECT COUNT(*) FROM summed)
            """
        )
        return cr.fetchone()[0]

    @api.model
    def _vp_count_differences(self):
        """Stored sums that differ from a fresh count of all cases:
        [(organisation, unit, year, key, stored, fresh)]; empty when right."""
        self.env.flush_all()
        self.env.cr.execute(
            """
            WITH fresh AS (
                SELECT organisation_id, business_unit_id, year, key, SUM(n) AS n
                  FROM vp_report_case_rows(ARRAY(SELECT id FROM vp_case))
                 GROUP BY 1, 2, 3, 4
            ), stored AS (
                SELECT organisation_id, business_unit_id, year, key, SUM(n) AS n
                  FROM vp_report_count
                 GROUP BY 1, 2, 3, 4
                HAVING SUM(n) <> 0
            )
            SELECT COALESCE(stored.organisation_id, fresh.organisation_id),
                   COALESCE(stored.business_unit_id, fresh.business_unit_id),
                   COALESCE(stored.year, fresh.year), COALESCE(stored.key, fresh.key), stored.n, fresh.n
              FROM stored FULL JOIN fresh
                ON fresh.organisation_id = stored.organisation_id AND fresh.year = stored.year
               AND fresh.key = stored.key
               AND COALESCE(fresh.business_unit_id, 0) = COALESCE(stored.business_unit_id, 0)
             WHERE stored.n IS DISTINCT FROM fresh.n
             ORDER BY 1, 2, 3, 4
            """
        )
        return self.env.cr.fetchall()
