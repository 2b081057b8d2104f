# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Notice numbers per client organisation, given when a notice is sent.

One number series for every organisation, given at drafting, told HR of one
organisation that other notices existed: a gap (HR-2026-0004 missing) meant a
notice drafted and never sent, or one sent to another organisation. Each
organisation now has its own series, and a notice gets its number when it is
sent, so HR reads 1, 2, 3 of their own notices. The series is a PostgreSQL
sequence (``implementation = standard``): taking a number locks no row, so
counsellors sending notices of one organisation at once do not wait for each
other; a number is lost only if the sending itself fails.
"""

from odoo import fields, models


class VpOrganisation(models.Model):
    _inherit = "vp.organisation"  # pylint: disable=consider-merging-classes-inherited

    notice_sequence_id = fields.Many2one(
        "ir.sequence", string="Notice numbers", readonly=True, copy=False, groups="base.group_system"
    )

    def _vp_next_notice_number(self):
        self.ensure_one()
        # sudo: the organisation's own number series; a number is no content, and the
        # sending counsellor may neither read nor create sequences.
        organisation = self.sudo()
        if not organisation.notice_sequence_id:
            organisation.notice_sequence_id = (
                self.env["ir.sequence"]
                .sudo()
                .create(
                    {
                        "name": self.env._("Notice numbers of %(organisation)s", organisation=organisation.name),
                        "prefix": "HR-%(year)s-",
                        "padding": 4,
                        "implementation": "standard",
                        "company_id": False,
                    }
                )
            )
        return organisation.notice_sequence_id.next_by_id()
