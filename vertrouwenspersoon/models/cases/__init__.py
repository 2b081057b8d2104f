# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Cases and confidentiality: the client organisation and its units, the case with its
documents, referrals, consultations, handovers and links between the two sides, and the
dashboards over cases (deadlines, counsellors' load): SQL views, imported after the tables
they read.
"""

from . import vp_organisation
from . import vp_business_unit
from . import vp_behaviour_kind
from . import vp_route
from . import vp_case
from . import vp_case_document
from . import vp_case_handover
from . import vp_case_link
from . import vp_referral
from . import vp_consultation
from . import vp_case_dashboard
from . import vp_counsellor_load
