# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class VpCaseLink(models.Model):
    """Links the accused party's case to the reporter's case.

    Kept apart from both cases so that each counsellor sees only that a link
    exists (vp.case.is_linked); the coordinator, who assigns the second
    counsellor, manages the links and sees nothing but case numbers.
    """

    _name = "vp.case.link"
    _description = "Link between the two sides of a case"
    _inherit = ["vp.write.checked.mixin", "vp.field.access.mixin"]

    _vp_create_only_fields = ("reporter_case_id", "accused_case_id")

    reporter_case_id = fields.Many2one(
        "vp.case", required=True, ondelete="cascade", index=True, domain=[("side", "=", "reporter")]
    )
    accused_case_id = fields.Many2one(
        "vp.case", required=True, ondelete="cascade", index=True, domain=[("side", "=", "accused")]
    )

    _sql_constraints = [
        ("pair_unique", "unique(reporter_case_id, accused_case_id)", "These cases are already linked."),
    ]

    @api.model_create_multi
    def create(self, vals_list):
        links = super().create(vals_list)
        # The other side's counsellor may have held a key as a roster backup:
        # from now on they never do.
        (links.reporter_case_id | links.accused_case_id)._vp_drop_former_readers()
        return links

    @api.constrains("reporter_case_id", "accused_case_id")
    def _check_sides(self):
        for link in self.sudo():  # sudo: side only, no content
            if link.reporter_case_id.side != "reporter" or link.accused_case_id.side != "accused":
                raise ValidationError(
                    self.env._("A link joins a case on the reporter's side to a case on the accused party's side.")
                )
        self._check_counsellors_differ()

    def _check_counsellors_differ(self):
        for link in self.sudo():  # sudo: compares counsellors, reads no content
            # The counsellors and the backups of handovers not ended, on either side.
            reporter_side = set(link.reporter_case_id._vp_holder_user_ids())
            if reporter_side & set(link.accused_case_id._vp_holder_user_ids()):
                raise ValidationError(
                    self.env._(
                        "The same counsellor cannot support both the reporter (%(reporter)s) and the "
                        "accused party (%(accused)s), also not as a backup: assign a second counsellor.",
                        reporter=link.reporter_case_id.name,
                        accused=link.accused_case_id.name,
                    )
                )
