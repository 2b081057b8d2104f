# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Meetings and hours: a case's meetings (which log the counsellor's hours on
account.analytic.line) and prevention sessions without a case; the sealed note of a
timesheet line.
"""

from . import vp_case_meeting
from . import vp_prevention_session
from . import vp_timesheet_note
