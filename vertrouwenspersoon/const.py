# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Names and limits the addon's models, wizards and controllers share, each defined
once: the roles, Dutch time, and the limits on what a visitor or a user sends.

Which models hold case content is not a name typed here: it follows from the models
themselves (tools/confidential.py).
"""

from datetime import datetime, time, timedelta

import pytz

from odoo.tools import SQL

# ---------------------------------------------------------------------------
# Roles: the xml ids of the addon's groups (security/vertrouwenspersoon_security.xml)
# ---------------------------------------------------------------------------
COUNSELLOR = "vertrouwenspersoon.group_counsellor"
COORDINATOR = "vertrouwenspersoon.group_coordinator"
HR_NOTICE = "vertrouwenspersoon.group_hr_notice"
MANAGEMENT = "vertrouwenspersoon.group_management"
INVOICING = "vertrouwenspersoon.group_invoicing"
# Every role, in the order the user form lists them.
ROLES = (COUNSELLOR, COORDINATOR, HR_NOTICE, MANAGEMENT, INVOICING)
ROLE_CATEGORY = "vertrouwenspersoon.module_category_confidential_counsellor"
# ``groups=`` of fields that two roles read.
COUNSELLOR_OR_COORDINATOR = f"{COUNSELLOR},{COORDINATOR}"
COUNSELLOR_OR_HR = f"{COUNSELLOR},{HR_NOTICE}"

# ---------------------------------------------------------------------------
# Dutch time: the annual report's years and months, and the dates the public pages
# show, are Dutch ones, whatever the user's or the server's time zone.
# ---------------------------------------------------------------------------
DUTCH_TZ = pytz.timezone("Europe/Amsterdam")


def dutch_today():
    """Today in Dutch local time (the same boundary as dutch_year_sql)."""
    return datetime.now(DUTCH_TZ).date()


def dutch_year_sql(column):
    """SQL: the year, in Dutch local time, of the UTC timestamp in ``column``."""
    return SQL("EXTRACT(YEAR FROM timezone(%s, timezone('UTC', %s)))::int", DUTCH_TZ.zone, column)


def to_dutch(value):
    """A naive UTC datetime as an aware datetime in Dutch local time."""
    return pytz.utc.localize(value).astimezone(DUTCH_TZ)


def dutch_month_start(value):
    """The first moment of the value's month in Dutch time, as naive UTC: what a date
    is cut back to when only its month may be kept, so that its Dutch year and month
    do not shift."""
    if not value:
        return value
    start = DUTCH_TZ.localize(datetime.combine(to_dutch(value).date().replace(day=1), time.min))
    return start.astimezone(pytz.utc).replace(tzinfo=None)


# ---------------------------------------------------------------------------
# Limits
# ---------------------------------------------------------------------------
# What the intake (the public page and the coordinator's phone intake) accepts, in
# characters: enough for any real answer, small enough that nobody stores a document
# through the public page.
INTAKE_LIMITS = {
    "organisation_code": 20,
    "postcode": 7,
    "province": 40,
    "preferred_channel": 10,
    "preferred_time": 100,
    "employee_name": 100,
    "employee_email": 254,
    "employee_phone": 30,
    "message": 1000,
}
# A message between counsellor and reporter, and the files sent with one.
MAX_BODY = 5000
MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_FILE_NAME = 120
# Files sent with the request itself (the intake page).
MAX_INTAKE_FILES = 3
# How far back the public pages' rate limits count.
THROTTLE_WINDOW = timedelta(hours=1)
# The fewest people an annual report may describe, whatever an organisation sets.
MIN_REPORT_POPULATION = 10
# A case's route for the annual report is the furthest route it took: its rank here
# (vp.case.route_rank, stored; 0 for no route yet).
ROUTE_RANKS = {"advice": 1, "referral": 2, "informal": 3, "formal": 4}
