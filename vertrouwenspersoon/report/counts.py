# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What the annual report counts, counted on demand from the tables of cases.

One definition of the report's counts: ``case_counts_sql`` gives, for one
organisation and a range of Dutch years, rows (business unit, year, key, n)
summed per unit, with keys as the report reads them (``requests``,
``side:reporter``, ``kind:3``, ``channel:phone``, ...). It is a handful of
``GROUP BY`` over the organisation's cases of those years (found through the
index on organisation and request date), their kinds, and the meetings and
referrals of the years. Nothing is kept between two reports, so
no write of a case, meeting or referral pays for the report, and there is no
count that can drift from the data.

The rows hold category codes and ids of units, regions and kinds, never a
case's content, number or counsellor. Plain SQL, without the ORM: the report
is printed by management, who may not read the cases themselves.
"""

from datetime import date, datetime

import pytz

from odoo.tools import SQL

# Year boundaries are Dutch local time for everyone, as for the retention of cases.
from ..const import DUTCH_TZ, ROUTE_RANKS, dutch_year_sql


def dutch_new_year_utc(year):
    """The UTC moment (naive, as Odoo stores datetimes) at which ``year`` begins in Dutch time."""
    return DUTCH_TZ.localize(datetime(year, 1, 1)).astimezone(pytz.utc).replace(tzinfo=None)


def requests_per_year_sql(organisation_ids, years):
    """SQL of rows (organisation, Dutch year, requests) of the given organisations and years."""
    return SQL(
        """
        SELECT organisation_id, %(year)s, COUNT(*)
          FROM vp_case
         WHERE organisation_id IN %(organisations)s
           AND request_date >= %(first)s AND request_date < %(end)s
         GROUP BY 1, 2
        """,
        year=dutch_year_sql(SQL("request_date")),
        organisations=tuple(organisation_ids),
        first=dutch_new_year_utc(min(years)),
        end=dutch_new_year_utc(max(years) + 1),
    )


def year_sql(column, years, day=False):
    """SQL: the Dutch year of ``column`` (a UTC timestamp, or a date with ``day``), for a
    value within the years from min(years) to max(years): a binary search in their first
    moments (``width_bucket``), much cheaper per row than converting each value's time zone
    (``dutch_year_sql``), which gives the same year."""
    first, last = min(years), max(years)
    if day:
        starts = [date(year, 1, 1) for year in range(first, last + 2)]
        return SQL("(%s + width_bucket(%s, %s::date[]))", first - 1, column, starts)
    starts = [dutch_new_year_utc(year) for year in range(first, last + 2)]
    return SQL("(%s + width_bucket(%s, %s::timestamp[]))", first - 1, column, starts)


def case_counts_sql(organisation_id, years, kinds, sides, states, own_user_id=None, detail_years=None):
    """SQL of rows (business_unit_id, year, key, n): what the organisation's cases add to the
    annual report in the Dutch years from min(years) to max(years), summed per business unit.

    A case counts in the year of its request; its meetings and referrals in the year they
    took place, whenever the case was requested. ``kinds`` is the case's many2many field
    of behaviour kinds (its table), ``sides`` and ``states`` the values of the case's side
    and state (a key each). With ``own_user_id``, only the cases that user holds (a
    counsellor's preview of the running year). Kinds, durations, meetings and referrals
    are counted in ``detail_years`` only (default: all the years): their tables share no
    cell with the requests, so the first page's trend, which needs only the requests and
    the cases of the older years (and suppresses them over the tables that share their
    cells), does not read them.

    Each part is one hashed ``GROUP BY`` over the organisation's rows of the years, found
    through the index on organisation and request date: the cases by unit, year and region
    with every fixed category counted side by side, the furthest route (the case's stored
    ``route_rank``) among them, their keys unfolded from the few groups, not from the
    cases; then, over the cases of the detail years taken once (ids, units, years: joined
    by hash, whatever the size of the table of links), the durations of the closed ones
    and their kinds; the meetings and the referrals of the organisation's cases."""
    detail_years = detail_years or years
    categories = [
        (f"{column}:{value}", SQL("%s = %s", SQL.identifier(column), value))
        for column, values in (("side", sides), ("state", states))
        for value in values
    ]
    categories += [(f"{column}:none", SQL("%s IS NULL", SQL.identifier(column))) for column in ("side", "state")]
    categories += [
        ("fc48:True", SQL("fc48")),
        ("fc48:False", SQL("NOT fc48")),
        *((f"counsellor_kind:{kind}", SQL("counsellor_kind = %s", kind)) for kind in ("internal", "external", "none")),
        ("closed", SQL("closed")),
        ("wbk", SQL("is_wbk")),
        ("wbk:ack", SQL("is_wbk AND wbk_ack_in_time")),
        ("wbk:feedback", SQL("is_wbk AND wbk_feedback_in_time")),
        ("dates_corrected", SQL("dates_corrected")),
        *((f"route:{rank}", SQL("route_rank = %s", rank)) for rank in ROUTE_RANKS.values()),
    ]
    own = SQL("vp_case.counsellor_id = %s", own_user_id) if own_user_id else SQL("TRUE")

    def requested_in(first_year, last_year):
        """SQL: the organisation's (own) cases requested in the years from first to last."""
        return SQL(
            "vp_case.organisation_id = %s AND %s AND vp_case.request_date >= %s AND vp_case.request_date < %s",
            organisation_id,
            own,
            dutch_new_year_utc(first_year),
            dutch_new_year_utc(last_year + 1),
        )

    return SQL(
        """
        WITH c AS MATERIALIZED (
            -- the organisation's cases of the detail years, once, for the parts that join them
            SELECT vp_case.id, vp_case.business_unit_id, %(detail_request_year)s AS year, duration_days,
                   state = 'closed' AND close_date IS NOT NULL AS closed
              FROM vp_case
             WHERE %(detail_cases)s
        )
        SELECT p.business_unit_id, p.year, k.key, k.n
          FROM (
            SELECT business_unit_id, year, region_id, COUNT(*) AS n, %(category_counts)s,
                   SUM(COALESCE(duration_days, 0)) FILTER (WHERE closed) AS closed_days
              FROM (
                SELECT vp_case.business_unit_id, %(request_year)s AS year, region_id, side, state, duration_days,
                       is_wbk, wbk_ack_in_time, wbk_feedback_in_time, dates_corrected, route_rank,
                       COALESCE(first_contact_date IS NOT NULL AND first_contact_hours <= 48, FALSE) AS fc48,
                       state = 'closed' AND close_date IS NOT NULL AS closed,
                       -- internal: the counsellor is appointed internal for the organisation (the
                       -- few appointed, read once before the scan: no join per case)
                       CASE WHEN vp_case.counsellor_id IS NULL THEN 'none'
                            WHEN vp_case.counsellor_id = ANY(ARRAY(
                                SELECT user_id FROM vp_counsellor_appointment
                                 WHERE organisation_id = %(organisation)s AND kind = 'internal' AND active))
                            THEN 'internal' ELSE 'external' END AS counsellor_kind
                  FROM vp_case
                 WHERE %(cases)s
              ) c
             GROUP BY 1, 2, 3
          ) p
         -- the keys of each group of unit, year and region; the report sums the regions away
         CROSS JOIN LATERAL (VALUES
               ('region:' || COALESCE(p.region_id::varchar, 'none'), p.n),
               ('requests', p.n),
               %(category_keys)s,
               ('closed_days', p.closed_days)
         ) k (key, n)
         WHERE k.n <> 0
        UNION ALL
        -- the durations of the closed cases, for the median: days as a key
        SELECT c.business_unit_id, c.year, 'days:' || c.duration_days, COUNT(*)
          FROM c
         WHERE c.closed
         GROUP BY 1, 2, 3
        UNION ALL
        SELECT c.business_unit_id, c.year, 'kind:' || COALESCE(rel.%(kind_kind)s::varchar, 'none'), COUNT(*)
          FROM c LEFT JOIN %(kind_rel)s rel ON rel.%(kind_case)s = c.id
         GROUP BY 1, 2, 3
        UNION ALL
        -- meetings and referrals count in the year they took place
        SELECT vp_case.business_unit_id, %(meeting_year)s, 'channel:' || COALESCE(m.channel, 'none'), COUNT(*)
          FROM vp_case_meeting m JOIN vp_case ON vp_case.id = m.case_id
         WHERE vp_case.organisation_id = %(organisation)s AND %(own)s
           AND m.meeting_date >= %(detail_first)s AND m.meeting_date < %(detail_end)s
         GROUP BY 1, 2, 3
        UNION ALL
        SELECT vp_case.business_unit_id, %(referral_year)s, 'referral:' || COALESCE(f.destination, 'none'), COUNT(*)
          FROM vp_referral f JOIN vp_case ON vp_case.id = f.case_id
         WHERE vp_case.organisation_id = %(organisation)s AND %(own)s
           AND f.referral_date >= %(detail_first_day)s AND f.referral_date < %(detail_end_day)s
         GROUP BY 1, 2, 3
        """,
        organisation=organisation_id,
        category_counts=SQL(", ").join(
            SQL("COUNT(*) FILTER (WHERE %s) AS %s", condition, SQL.identifier(f"n{index}"))
            for index, (_key, condition) in enumerate(categories)
        ),
        category_keys=SQL(",\n").join(
            SQL("(%s, p.%s)", key, SQL.identifier(f"n{index}")) for index, (key, _condition) in enumerate(categories)
        ),
        own=own,
        cases=requested_in(min(years), max(years)),
        detail_cases=requested_in(min(detail_years), max(detail_years)),
        detail_first=dutch_new_year_utc(min(detail_years)),
        detail_end=dutch_new_year_utc(max(detail_years) + 1),
        detail_first_day=date(min(detail_years), 1, 1),
        detail_end_day=date(max(detail_years) + 1, 1, 1),
        request_year=year_sql(SQL("vp_case.request_date"), years),
        detail_request_year=year_sql(SQL("vp_case.request_date"), detail_years),
        meeting_year=year_sql(SQL("m.meeting_date"), detail_years),
        referral_year=year_sql(SQL("f.referral_date"), detail_years, day=True),
        kind_rel=SQL.identifier(kinds.relation),
        kind_case=SQL.identifier(kinds.column1),
        kind_kind=SQL.identifier(kinds.column2),
    )
