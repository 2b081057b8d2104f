# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The annual report per organisation and year, and the figures published from it."""

from . import vp_annual_report
from . import vp_annual_figure
