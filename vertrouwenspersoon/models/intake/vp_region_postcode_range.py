# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import re

from odoo import api, fields, models
from odoo.exceptions import ValidationError

# Dutch postcodes: four digits, the first never 0. Being equally long, they
# compare as strings exactly as they compare as numbers.
POSTCODE_RE = re.compile(r"^[1-9][0-9]{3}$")


def normalise_postcode(value):
    """The four digits of a Dutch postcode ('4811 AB' -> '4811'), or None."""
    digits = re.sub(r"\s+", "", value or "")[:4]
    return digits if POSTCODE_RE.match(digits) else None


class VpRegionPostcodeRange(models.Model):
    """A range of four-digit postcodes belonging to one region. Ranges of all
    regions together never overlap, so a postcode names at most one region."""

    _name = "vp.region.postcode.range"
    _inherit = ["vp.change.logged.mixin", "vp.field.access.mixin"]
    # Which postcodes a region covers is logged on every change.
    _vp_logged_fields = ("region_id", "postcode_from", "postcode_to")
    _description = "Postcode range of a region"
    _order = "postcode_from"
    _rec_name = "postcode_from"

    region_id = fields.Many2one("vp.region", required=True, ondelete="cascade", index=True)
    postcode_from = fields.Char(string="From", required=True, index=True)
    postcode_to = fields.Char(string="To", required=True, index=True)

    @api.depends("postcode_from", "postcode_to")
    def _compute_display_name(self):
        for postcode_range in self:
            postcode_range.display_name = f"{postcode_range.postcode_from}-{postcode_range.postcode_to}"

    @api.constrains("postcode_from", "postcode_to")
    def _check_range(self):
        for postcode_range in self:
            for value in (postcode_range.postcode_from, postcode_range.postcode_to):
                if not POSTCODE_RE.match(value or ""):
                    raise ValidationError(
                        self.env._(
                            "%(value)s is not a postcode range bound: use four digits from 1000 to 9999.",
                            value=value,
                        )
                    )
            if postcode_range.postcode_from > postcode_range.postcode_to:
                raise ValidationError(
                    self.env._(
                        "The range %(range)s ends before it starts.",
                        range=postcode_range.display_name,
                    )
                )
        self.flush_model(["postcode_from", "postcode_to", "region_id"])
        for postcode_range in self:
            overlap = self.search(
                [
                    ("id", "!=", postcode_range.id),
                    ("postcode_from", "<=", postcode_range.postcode_to),
                    ("postcode_to", ">=", postcode_range.postcode_from),
                ],
                limit=1,
            )
            if overlap:
                raise ValidationError(
                    self.env._(
                        "Postcodes %(range)s overlap with %(other)s of region %(region)s: "
                        "every postcode belongs to one region only.",
                        range=postcode_range.display_name,
                        other=overlap.display_name,
                        region=overlap.region_id.name,
                    )
                )
