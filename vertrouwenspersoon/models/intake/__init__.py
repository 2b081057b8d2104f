# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Intake, rosters and assignment: regions and their postcode ranges, rosters, appointments
of counsellors, the intake's validation and throttles, the reporter's receipt code,
inbox thread and file cleaning, the assignment engine, deadlines and reassignments.
"""

from . import vp_region
from . import vp_region_postcode_range
from . import vp_roster_line
from . import vp_counsellor_appointment
from . import vp_case_reassignment
from . import vp_intake_throttle
from . import vp_inbox_throttle
from . import vp_case_receipt
from . import vp_file_cleaner
from . import vp_case_message
