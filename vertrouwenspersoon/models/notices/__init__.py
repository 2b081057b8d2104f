# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Consent, notices and breaches: the employee's consent, notices to HR as consented,
anonymous signals to management, and the confidentiality-breach protocol.
"""

from . import vp_consent
from . import vp_notice
from . import vp_breach
from . import vp_signal
