# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""ORM-free helpers of the addon (as Odoo core keeps ``account/tools``)."""
