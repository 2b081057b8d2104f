# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import json
import threading

from odoo import SUPERUSER_ID, api, fields, models
from odoo.exceptions import UserError
from odoo.http import request

from ..models.intake.intake_validation import INTAKE_CHANNELS
from ..tools import guards
from ..vault import crypto, keyring
from ..vault import session as vault_session

CONTENT_FIELDS = ("employee_name", "employee_email", "employee_phone", "preferred_time", "message")
# The coordinator's browser holds the secret the wizard's details are sealed under.
COOKIE = "vp_intake"

# Browser secrets held by code running here in the coordinator's name (the tests'
# stand-in for her browser, tests/common.py browser_secret): (dbname, uid, secret).
_scopes = threading.local()


def _browser_secret(env, create=False):
    """The secret that only the coordinator's own browser holds (an HttpOnly,
    SameSite=Strict cookie), inside a request from that browser for its own
    session user; None anywhere else (a server action of the administrator,
    a scheduled job, a shell), so nothing there opens a pending wizard."""
    for dbname, uid, secret in reversed(getattr(_scopes, "stack", [])):
        if dbname == env.cr.dbname and uid == env.uid:
            return secret
    if not request or not getattr(request, "session", None) or request.session.uid != env.uid:
        return None
    cached = getattr(request, "_vp_intake_secret", None)
    if cached:
        return cached
    secret = vault_session.browser_secret_of(COOKIE) or b""
    if len(secret) != keyring.KEY_SIZE:
        if not create:
            return None
        secret = keyring.new_session_secret()
        vault_session.set_browser_secret(COOKIE, secret)
    request._vp_intake_secret = secret
    return secret


CHOICES = [
    ("roster", "No preference (by region and roster)"),
    ("external", "An external counsellor"),
    ("internal", "An internal counsellor"),
    ("named", "A counsellor by name"),
]


class VpIntakeWizard(models.TransientModel):
    """The coordinator registers a request taken by phone.

    The coordinator may enter the employee's contact details but never read
    them back: the case is created with the system's right to write content
    (see ``_vp_register_request``), and the details are wiped from this
    wizard right after.

    The web client saves the wizard before it calls the button, so the
    details pass through the transient table (and PostgreSQL's write-ahead
    log and backups). They are therefore stored sealed, never in clear, under
    a random secret that only the coordinator's browser holds (an HttpOnly,
    SameSite=Strict cookie, sent with her own requests only): not under the
    master key, so no server action, scheduled job or shell opens a pending
    wizard. Only the coordinator who typed them gets them back, in her own
    browser, to correct a mistake the registration refuses. The confirm button
    seals them for the new case's readers (as the public intake does) and
    wipes them here.
    """

    _name = "vp.intake.wizard"
    _description = "Register a request taken by phone"
    _inherit = ["vp.field.access.mixin"]

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

    def _vp_aad(self):
        return f"vp.intake.wizard:{self._origin.id}:{self.create_uid.id}:contact".encode()

    @api.depends("sealed_contact")
    @api.depends_context("uid")
    def _compute_vp_unsealed(self):
        secret = None
        for wizard in self:
            values = {}
            if wizard.sealed_contact and wizard.create_uid.id == self.env.uid:
                secret = secret or _browser_secret(self.env)
                values = wizard._vp_unseal(secret) if secret else {}
            for fname in CONTENT_FIELDS:
                wizard[fname] = values.get(fname, False)

    def _inverse_vp_sealed(self):
        for wizard in self:
            values = {fname: wizard[fname] for fname in CONTENT_FIELDS if wizard[fname]}
            if not values:
                wizard.sealed_contact = False
                continue
            secret = _browser_secret(self.env, create=True)
            if secret is None or wizard.create_uid.id != self.env.uid:
                raise UserError(
                    self.env._(
                        "A phone request's details can only be entered by the coordinator in her own browser "
                        "session: they are sealed under a secret that only her browser holds."
                    )
                )
            wizard.sealed_contact = crypto.encrypt(secret, json.dumps(values).encode(), wizard._vp_aad())

    def _vp_unseal(self, secret):
        """The details, or nothing when they were sealed in another browser
        (the coordinator's cookie is gone: she types them again)."""
        try:
            return json.loads(crypto.decrypt(secret, self.sealed_contact, self._vp_aad()))
        except UserError:
            return {}

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
        # The change log names the coordinator who took the call, not the system.
        registering = guards.with_reason(
            cases.with_user(SUPERUSER_ID), self.env._("Request taken by phone by the coordinator"), self.env.uid
        )
        case = registering._vp_register_request(
            clean["organisation"],
            clean["postcode"],
            "phone",
            clean["contact"],
            notes=clean["notes"],
            province=clean["province"],
            counsellor_choice=self._vp_counsellor_choice(clean["organisation"]),
        )
        self.sealed_contact = False
        # Say who got the request, and open it as a page of its own (the breadcrumb
        # read "Cases / VP-2026-0039 / VP-2026-0042", the case she happened to have open).
        case = case.with_env(self.env)
        assigned = case.counsellor_id and not case.placed_on_duty
        if assigned:
            message = self.env._(
                "%(case)s is registered and assigned to %(counsellor)s.",
                case=case.name,
                counsellor=case.counsellor_id.name,
            )
        else:
            message = self.env._(
                "%(case)s is registered. Nobody on the roster can take it now: the duty counsellor %(duty)s holds "
                "it until you assign a counsellor.",
                case=case.name,
                duty=case.counsellor_id.name or "-",
            )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.env._("Phone request registered"),
                "message": message,
                "type": "success" if assigned else "warning",
                "next": {
                    "type": "ir.actions.act_window",
                    "res_model": "vp.case",
                    "res_id": case.id,
                    "views": [(False, "form")],
                    "view_mode": "form",
                    "target": "main",
                },
            },
        }

    # ------------------------------------------------------------------
    # The employee's choice of counsellor
    # ------------------------------------------------------------------
    # The employee's choice of counsellor, taken by phone (as on the intake page).
    counsellor_choice = fields.Selection(CHOICES, string="The employee asks for", default="roster", required=True)
    chosen_appointment_id = fields.Many2one(
        "vp.counsellor.appointment",
        string="Counsellor",
        domain="[('organisation_id', '=', organisation_id), ('show_on_intake', '=', True)]",
    )

    @api.onchange("organisation_id")
    def _onchange_organisation_clear_choice(self):
        if self.chosen_appointment_id.organisation_id != self.organisation_id:
            self.chosen_appointment_id = False

    def _vp_counsellor_choice(self, organisation):
        """The choice, checked as the intake page checks it (a counsellor of this organisation only)."""
        self.ensure_one()
        raw = {"roster": "", "external": "external", "internal": "internal"}.get(self.counsellor_choice)
        if raw is None:
            if not self.chosen_appointment_id:
                raise UserError(self.env._("Choose the counsellor the employee asked for."))
            raw = str(self.chosen_appointment_id.id)
        choice, errors = self.env["vp.case"]._vp_validate_counsellor_choice(organisation, raw)
        if errors:
            raise UserError("\n".join(errors))
        return choice
