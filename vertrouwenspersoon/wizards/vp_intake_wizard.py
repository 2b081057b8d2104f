# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import json

from odoo import SUPERUSER_ID, api, fields, models
from odoo.exceptions import UserError

from .. import crypto
from ..models.vp_case_assignment import INTAKE_CHANNELS

CONTENT_FIELDS = ("employee_name", "employee_email", "employee_phone", "preferred_time", "message")


class VpIntakeWizard(models.TransientModel):
    """The coordinator registers a request taken by phone.

    The coordinator may enter the employee's contact details but never read
    them back: the case is created with the system's right to write content
    (see ``_vp_register_request``), and the details are wiped from this
    wizard right after.

    The web client saves the wizard before it calls the button, so the
    details pass through the transient table (and PostgreSQL's write-ahead
    log and backups). They are therefore stored sealed, under the current
    master key, never in clear; only the coordinator who typed them gets them
    back, to correct a mistake the registration refuses.
    """

    _name = "vp.intake.wizard"
    _description = "Register a request taken by phone"

    organisation_id = fields.Many2one("vp.organisation", string="Client organisation", required=True)
    postcode = fields.Char(string="Postcode of residence", size=7, required=True)
    province = fields.Char(help="Decides the region when no region covers the postcode.")
    preferred_channel = fields.Selection(INTAKE_CHANNELS, string="Preferred contact", default="phone", required=True)
    preferred_time = fields.Char(size=100, compute="_compute_vp_unsealed", inverse="_inverse_vp_sealed")
    employee_name = fields.Char(string="Name", size=100, compute="_compute_vp_unsealed", inverse="_inverse_vp_sealed")
    employee_email = fields.Char(
        string="E-mail", size=254, compute="_compute_vp_unsealed", inverse="_inverse_vp_sealed"
    )
    employee_phone = fields.Char(string="Phone", size=30, compute="_compute_vp_unsealed", inverse="_inverse_vp_sealed")
    message = fields.Text(
        help="A short note for the counsellor, at most 1000 characters; stored encrypted.",
        compute="_compute_vp_unsealed",
        inverse="_inverse_vp_sealed",
    )
    sealed_contact = fields.Text(copy=False, prefetch=False)

    @api.model
    def _vp_aad(self):
        return b"vp.intake.wizard:contact"

    @api.depends("sealed_contact")
    @api.depends_context("uid")
    def _compute_vp_unsealed(self):
        for wizard in self:
            values = {}
            if wizard.sealed_contact and wizard.create_uid.id in (self.env.uid, False):
                values = wizard._vp_unseal(wizard.sealed_contact)
            for fname in CONTENT_FIELDS:
                wizard[fname] = values.get(fname, False)

    def _inverse_vp_sealed(self):
        master_key = crypto.current_master_key()
        for wizard in self:
            values = {fname: wizard[fname] for fname in CONTENT_FIELDS if wizard[fname]}
            wizard.sealed_contact = (
                crypto.encrypt(master_key, json.dumps(values).encode(), self._vp_aad()) if values else False
            )

    def _vp_unseal(self, token):
        return json.loads(crypto.open_with_any(crypto.load_master_keys(), token, self._vp_aad()))

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
            counsellor_choice=self._vp_counsellor_choice(clean["organisation"]),
        )
        self.sealed_contact = False
        return {
            "type": "ir.actions.act_window",
            "res_model": "vp.case",
            "res_id": case.id,
            "view_mode": "form",
            "target": "current",
        }
