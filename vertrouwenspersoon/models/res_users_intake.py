# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What the intake page shows of a counsellor the employee may choose by name.

Kept apart from res_users.py: it is the intake page's concern. The
introduction is written by the counsellor on their own profile (My
profile / Preferences), like the photo; nobody else sets it.
"""

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools.image import image_data_uri

INTRODUCTION_LIMIT = 600


class ResUsers(models.Model):
    _inherit = "res.users"  # pylint: disable=consider-merging-classes-inherited

    vp_intake_introduction = fields.Text(
        string="Introduction on the intake page",
        help="A few sentences about yourself for employees who choose a counsellor on the intake page "
        "(shown with your name and photo; nothing else of you).",
    )

    @property
    def SELF_READABLE_FIELDS(self):
        return [*super().SELF_READABLE_FIELDS, "vp_intake_introduction"]

    @property
    def SELF_WRITEABLE_FIELDS(self):
        return [*super().SELF_WRITEABLE_FIELDS, "vp_intake_introduction"]

    @api.constrains("vp_intake_introduction")
    def _check_vp_intake_introduction(self):
        for user in self:
            if len(user.vp_intake_introduction or "") > INTRODUCTION_LIMIT:
                raise ValidationError(
                    self.env._("An introduction is at most %(limit)s characters.", limit=INTRODUCTION_LIMIT)
                )

    def _vp_public_profile(self):
        """The public-safe part of a counsellor: name, photo, introduction.

        Only these three are read; the caller (the intake page, as the public
        user) reads them with sudo, for counsellors the organisation names on
        its intake page."""
        self.ensure_one()
        image = self.image_128
        return {
            "name": self.name,
            "image": image_data_uri(image) if image else False,
            "introduction": self.vp_intake_introduction or "",
        }
