# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import SUPERUSER_ID, fields, models
from odoo.exceptions import UserError

from ..models.vp_case_assignment import INTAKE_CHANNELS

CONTENT_FIELDS = ("employee_name", "employee_email", "employee_phone", "preferred_time", "message")


class VpIntakeWizard(models.TransientModel):
    """The coordinator registers a request taken by phone.

    The coordinator may enter the employee's contact details but never read
    them back: the case is created with the system's right to write content
    (see ``_vp_register_request``), and the details are wiped from this
    wizard right after, so the transient table does not keep them in clear.
    """

    _name = "vp.intake.wizard"
    _description = "Register a request taken by phone"

    organisation_id = fields.Many2one("vp.organisation", string="Client organisation", required=True)
    postcode = fields.Char(string="Postcode of residence", size=7, required=True)
    province = fields.Char(help="Decides the region when no region covers the postcode.")
    preferred_channel = fields.Selection(INTAKE_CHANNELS, string="Preferred contact", default="phone", required=True)
    preferred_time = fields.Char(size=100)
    employee_name = fields.Char(string="Name", size=100)
    employee_email = fields.Char(string="E-mail", size=254)
    employee_phone = fields.Char(string="Phone", size=30)
    message = fields.Text(help="A short note for the counsellor, at most 1000 characters; stored encrypted.")

    def action_register(self):
        self.ensure_one()
        cases = self.env["vp.case"]
        clean, errors = cases._vp_validate_intake(
            {
                "organisation_code": self.organisation_id.code,
                "postcode": self.postcode,
                "province": self.province,
                "preferred_channel": self.preferred_channel,
                "preferred_time": self.preferred_time,
                "employee_name": self.employee_name,
                "employee_email": self.employee_email,
                "employee_phone": self.employee_phone,
                "message": self.message,
            }
        )
        if errors:
            raise UserError("\n".join(errors))
        # Superuser (not sudo(), which keeps the coordinator's uid and so
        # could not encrypt): the coordinator may write this content but not
        # read it. Only the new case's id is used below; the coordinator
        # then opens it with their own rights, which show no content.
        case = cases.with_user(SUPERUSER_ID)._vp_register_request(
            clean["organisation"],
            clean["postcode"],
            "phone",
            clean["contact"],
            notes=clean["notes"],
            province=clean["province"],
        )
        self.write(dict.fromkeys(CONTENT_FIELDS, False))
        return {
            "type": "ir.actions.act_window",
            "res_model": "vp.case",
            "res_id": case.id,
            "view_mode": "form",
            "target": "current",
        }
