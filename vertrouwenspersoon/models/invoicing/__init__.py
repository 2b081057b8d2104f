# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Invoicing: engagements with client organisations and their hours per month."""

from . import vp_engagement
from . import vp_engagement_hours
