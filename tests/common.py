"""Helpers shared by the tests: the demo users, one per role."""

import base64
import json
import threading
import time
import xmlrpc.client
from contextlib import contextmanager
from functools import cache
from pathlib import Path

import polib
import psycopg2.errors

from odoo.addons.auth_totp.models.totp import TIMESTEP, hotp
from odoo.addons.vertrouwenspersoon import vault_session

DEMO_LOGINS = {
    "counsellor": "vp_counsellor",
    "counsellor2": "vp_counsellor2",
    "coordinator": "vp_coordinator",
    "hr": "vp_hr",
    "manager": "vp_manager",
    "accountant": "vp_accountant",
}

# The demo counsellors' and HR's vault passphrases (demo/vp_vault_demo.xml; bin/run prints them).
DEMO_PASSPHRASES = {
    "counsellor": "vp_counsellor-kluis",
    "counsellor2": "vp_counsellor2-kluis",
    "hr": "vp_hr-kluis-demo",
    # The internal counsellor of Zorggroep De Linde (demo/vp_counsellor_kinds_demo.xml).
    "internal": "vp_counsellor_internal-kluis",
}

# The authenticator secret the demo gives the users who sign in with a second factor
# (demo/res_users_second_factor_demo.xml): the tests compute the code a phone would show.
DEMO_TOTP_SECRET = "VERTROUWENSPERSOONDEMOTOTPSECRET"
SECOND_FACTOR_ROLES = ("counsellor", "counsellor2", "coordinator", "hr")

ROLE_GROUPS = {
    "counsellor": "vertrouwenspersoon.group_counsellor",
    "counsellor2": "vertrouwenspersoon.group_counsellor",
    "coordinator": "vertrouwenspersoon.group_coordinator",
    "hr": "vertrouwenspersoon.group_hr_notice",
    "manager": "vertrouwenspersoon.group_management",
    "accountant": "vertrouwenspersoon.group_invoicing",
}


@cache
def _dutch_catalogue():
    path = Path(__file__).resolve().parent.parent / "vertrouwenspersoon" / "i18n" / "nl.po"
    return {entry.msgid: entry.msgstr for entry in polib.pofile(str(path)) if entry.msgstr}


def translate(msgid, lang="nl_NL"):
    """What a user in ``lang`` reads for the source string ``msgid`` (this addon's catalogue)."""
    if not lang or not lang.startswith("nl"):
        return msgid
    return _dutch_catalogue().get(msgid, msgid)


def demo_user(env, role):
    return env["res.users"].search([("login", "=", DEMO_LOGINS[role])])


def totp_code(secret=DEMO_TOTP_SECRET):
    """The 6-digit code an authenticator app shows now for ``secret``."""
    return f"{hotp(base64.b32decode(secret), int(time.time() / TIMESTEP)):06d}"


def api_key(env, user):
    """An API key of ``user``, as she makes one in her preferences: the only way a user
    who signs in with a second factor reaches XML-RPC (Odoo refuses her password there)."""
    return env["res.users.apikeys"].with_user(user).sudo()._generate(None, "vertrouwenspersoon tests", None)


def call_kw(http_case, model, method, args, kwargs=None):
    """A model method called as the web client calls it (JSON-RPC, the session's user)."""
    return json_call(
        http_case,
        f"/web/dataset/call_kw/{model}/{method}",
        {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
    )


def confirm_identity(http_case, login, code=None):
    """Pass Odoo's identity check in an HttpCase's session as the user does in its dialog:
    her password and the code of her second factor. Returns the check's answer."""
    action = call_kw(http_case, "res.users", "action_vp_confirm_identity", [[]])["result"]
    check_id = action["res_id"]
    call_kw(
        http_case, "res.users.identitycheck", "write", [[check_id], {"password": login, "vp_code": code or totp_code()}]
    )
    return call_kw(http_case, "res.users.identitycheck", "run_check", [[check_id]])


class TotpTourMixin:
    """For an HttpCase whose tours pass Odoo's identity check: the tour asks
    ``https://vp-tour.test/totp`` (an address outside the server, which Odoo's test
    browser hands to fetch_proxy) for the code the demo user's authenticator app
    shows now, as she would read it off her phone."""

    def fetch_proxy(self, url):
        if url == "https://vp-tour.test/totp":
            return self.make_fetch_proxy_response(totp_code())
        return super().fetch_proxy(url)


def json_call(http_case, route, params=None):
    """A JSON-RPC call as the web client makes it, in an HttpCase's session."""
    payload = {"jsonrpc": "2.0", "method": "call", "params": params or {}}
    return http_case.url_open(route, data=json.dumps(payload), headers={"Content-Type": "application/json"}).json()


def unlock_session(http_case, role):
    """Unlock a demo reader's vault (a counsellor's, HR's) in an HttpCase's session, as the unlock dialog does."""
    return json_call(http_case, "/vertrouwenspersoon/vault/unlock", {"passphrase": DEMO_PASSPHRASES[role]})["result"]


def unlocked(env, role):
    """A demo reader's vault (a counsellor's, HR's) opened with their passphrase,
    as a context manager (a test stands in for the person typing it)."""
    user = demo_user(env, role)
    return vault_session.opened_with_passphrase(env(user=user), DEMO_PASSPHRASES[role])


def assert_waits_then_fails_to_serialize(test, first_cr, second, waits, fails):
    """Run ``second`` (SQL on a cursor whose snapshot predates ``first_cr``'s changes) in a
    thread: it must wait for ``first_cr`` (message ``waits``) and, once that commits, fail
    with a serialization error, which Odoo retries (message ``fails``)."""
    errors = []

    def run():
        try:
            second()
        except psycopg2.errors.SerializationFailure as error:
            errors.append(error)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(1.0)
    test.assertTrue(thread.is_alive(), waits)
    first_cr.commit()
    thread.join(20.0)
    test.assertFalse(thread.is_alive())
    test.assertEqual(len(errors), 1, fails)


# Set on a case by its state buttons only; fixtures stand in for that history.
HISTORY_FIELDS = ("state", "close_date", "first_contact_date", "request_date", "wbk_acknowledged_on", "wbk_feedback_on")


class VpCaseCommon:
    """Mixin for TransactionCase: demo users and a fresh case with content."""

    NOTES = "Melder ervaart intimidatie door een leidinggevende op de afdeling Thuiszorg."
    NAME = "Testmelder Jolanda Verbeek"
    EMAIL = "jolanda.verbeek@example.nl"
    PHONE = "06-12345678"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.counsellor = demo_user(env, "counsellor")
        cls.counsellor2 = demo_user(env, "counsellor2")
        cls.coordinator = demo_user(env, "coordinator")
        cls.hr = demo_user(env, "hr")
        cls.manager = demo_user(env, "manager")
        cls.accountant = demo_user(env, "accountant")
        cls.admin = env.ref("base.user_admin")
        cls.employee = env["res.users"].create({"name": "Gewone medewerker", "login": "vp_test_employee"})
        cls.portal = env["res.users"].create(
            {
                "name": "Portal user",
                "login": "vp_test_portal",
                "groups_id": [(6, 0, [env.ref("base.group_portal").id])],
            }
        )
        cls.organisation = env.ref("vertrouwenspersoon.organisation_zorggroep")
        cls.region = env.ref("vertrouwenspersoon.region_zuid")
        cls.unit = env.ref("vertrouwenspersoon.bu_linde_thuiszorg")
        # Both demo counsellors and HR work unlocked, as after typing their passphrase;
        # tests of the locked state leave this with vault_session.locked_for_test().
        for role in ("counsellor", "counsellor2", "hr"):
            cls.enterClassContext(unlocked(env, role))
        cls.case = cls.new_case(cls.counsellor)

    @contextmanager
    def assertRaisesRegex(self, exception, regex):
        """Like Odoo's assertRaises: roll back what the failing call wrote."""
        with super().assertRaisesRegex(exception, regex) as context, self.env.cr.savepoint():
            yield context

    @classmethod
    def new_case(cls, counsellor, **values):
        vals = {
            "organisation_id": cls.organisation.id,
            "region_id": cls.region.id,
            "counsellor_id": counsellor.id,
            "business_unit_id": cls.unit.id,
            "postcode": "4811",
            "behaviour_kind_ids": [(6, 0, [cls.env.ref("vertrouwenspersoon.behaviour_kind_bullying").id])],
            "notes": cls.NOTES,
            "employee_name": cls.NAME,
            "employee_email": cls.EMAIL,
            "employee_phone": cls.PHONE,
        }
        vals.update(values)
        # A case's state and dates are the counsellor's buttons' (M9): a case
        # with a history is made by the system, as the state buttons would have.
        history = {name: vals.pop(name) for name in HISTORY_FIELDS if name in vals}
        case = cls.env["vp.case"].with_user(counsellor).create(vals)
        if history:
            case.sudo().write(history)
        return case

    @classmethod
    def reassign(cls, case, counsellor, reason="Werkdruk"):
        """The coordinator's Reassign (M3, L4: the only way to change a counsellor)."""
        wizard = cls.env["vp.case.reassign.wizard"].with_user(demo_user(cls.env, "coordinator"))
        return wizard.create({"case_id": case.id, "counsellor_id": counsellor.id, "reason": reason}).action_reassign()


def run_admin_server_action(http_case, code):
    """The security review's attack: the Odoo administrator creates a server action
    running ``code`` (on res.partner) and runs it over XML-RPC, then again through
    her own browser session. Returns the XML-RPC fault's text and the JSON-RPC
    response; the test fails if the XML-RPC run raised nothing."""
    db = http_case.env.cr.dbname
    uid = http_case.xmlrpc_common.authenticate(db, "admin", "admin", {})
    model_id = http_case.env["ir.model"]._get_id("res.partner")
    values = {"name": "x", "model_id": model_id, "state": "code", "code": code}
    action = http_case.xmlrpc_object.execute_kw(db, uid, "admin", "ir.actions.server", "create", [values])
    with http_case.assertRaises(xmlrpc.client.Fault) as fault:
        http_case.xmlrpc_object.execute_kw(db, uid, "admin", "ir.actions.server", "run", [[action]])
    http_case.opener.cookies.clear()
    http_case.authenticate("admin", "admin")
    response = json_call(
        http_case,
        "/web/dataset/call_kw/ir.actions.server/run",
        {"model": "ir.actions.server", "method": "run", "args": [[action]], "kwargs": {}},
    )
    return fault.exception.faultString, response
