# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The evidence of confidentiality: who read what (the audit log), what changed (the change
log), and the hash chains that seal both against change.
"""

from . import vp_log_block
from . import vp_audit_log
from . import vp_change_log
