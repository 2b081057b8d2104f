# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The integrity of the record (docs/INTEGRITY.md), for a database of an earlier release.

- The record rules of this release (the coordinator no longer sees cases whose
  retention ended, a handover is made by a reader of the case, a counsellor's
  preview of the running year is hers alone) are loaded by the update itself:
  pre-migrate.py makes the earlier ``noupdate`` rules updatable again.
- Receipt codes a counsellor gave before this release do not say who gave them:
  they count as the case's current counsellor's, so they end when her access ends,
  as every code given from now on does. Codes from the intake page stay the
  reporter's own.
- A database with the demo: an update does not load new demo files, so the demo
  users who now sign in with a second factor get the demo's known authenticator
  secret here (demo/res_users_second_factor_demo.xml); without it they would wait
  for a mailed code that a demo server does not send.
"""

from odoo import SUPERUSER_ID, api
from odoo.tools import convert_file

DEMO_SECOND_FACTOR = "demo/res_users_second_factor_demo.xml"


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    cr.execute(
        """
        UPDATE vp_case_receipt r
           SET made_by_id = c.counsellor_id
          FROM vp_case c
         WHERE c.id = r.case_id AND r.made_by_id IS NULL AND c.intake_channel <> 'web'
           AND c.counsellor_id IS NOT NULL
        """
    )
    cr.execute("SELECT demo FROM ir_module_module WHERE name = 'vertrouwenspersoon'")
    row = cr.fetchone()
    demo_users = (
        "user_vp_counsellor",
        "user_vp_counsellor2",
        "user_vp_counsellor_internal",
        "user_vp_coordinator",
        "user_vp_hr",
    )
    if row and row[0] and all(env.ref(f"vertrouwenspersoon.{xmlid}", raise_if_not_found=False) for xmlid in demo_users):
        convert_file(env, "vertrouwenspersoon", DEMO_SECOND_FACTOR, None, mode="init", kind="demo")
