# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The integrity of the record (docs/INTEGRITY.md), for a database of an earlier release.

- The record rules are ``noupdate``: an update keeps their old definitions. This
  release changes who reads what (the coordinator no longer sees cases whose
  retention ended, a handover is made by a reader of the case, a counsellor's
  preview of the running year is hers alone), so the rules file is loaded again
  as shipped.
- Receipt codes a counsellor gave before this release do not say who gave them:
  they count as the case's current counsellor's, so they end when her access ends,
  as every code given from now on does. Codes from the intake page stay the
  reporter's own.
"""

from odoo import SUPERUSER_ID, api
from odoo.tools import convert_file


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    convert_file(env, "vertrouwenspersoon", "security/vertrouwenspersoon_rules.xml", None, mode="init", kind="data")
    cr.execute(
        """
        UPDATE vp_case_receipt r
           SET made_by_id = c.counsellor_id
          FROM vp_case c
         WHERE c.id = r.case_id AND r.made_by_id IS NULL AND c.intake_channel <> 'web'
           AND c.counsellor_id IS NOT NULL
        """
    )
