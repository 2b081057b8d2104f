# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Retention and rights: legal holds, and shredding a case at the end of its retention."""

from . import vp_legal_hold
