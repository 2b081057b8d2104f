"""Helpers shared by the tests: the demo users, one per role."""

import base64
import json
import os
import tempfile
import threading
import time
import xmlrpc.client
from contextlib import contextmanager
from functools import cache
from pathlib import Path

import polib
import psycopg2.errors

from odoo.addons.auth_totp.models.totp import TIMESTEP, hotp
from odoo.addons.vertrouwenspersoon.tools import lockdown
from odoo.addons.vertrouwenspersoon.tools import receipt as receipt_tools
from odoo.addons.vertrouwenspersoon.vault import crypto, keyring
from odoo.addons.vertrouwenspersoon.vault import session as vault_session
from odoo.addons.vertrouwenspersoon.wizards import vp_intake_wizard
from odoo.tools import config

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


NEW_READER_PASSPHRASE = "nieuwe-lezer-kluis"


@contextmanager
def browser_secret(env):
    """Stand in for a coordinator's browser: the code inside the ``with`` block holds
    a random browser secret of env.uid's own for the phone intake wizard, which
    nothing outside the block can know."""
    stack = vp_intake_wizard._scopes.__dict__.setdefault("stack", [])
    entry = (env.cr.dbname, env.uid, keyring.new_session_secret())
    stack.append(entry)
    try:
        yield
    finally:
        stack.remove(entry)


@contextmanager
def master_key_configured():
    """The master key file of a deployment from before reader-held keys (a new one makes none)."""
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "master.key")
        with open(path, "w", encoding="ascii") as key_file:
            key_file.write(base64.b64encode(os.urandom(32)).decode() + "\n")
        before = config.get(crypto.CONFIG_KEY)
        config[crypto.CONFIG_KEY] = path
        try:
            yield path
        finally:
            config[crypto.CONFIG_KEY] = before


def make_legacy(case, counsellor=None):
    """Store ``case``, made in this transaction, as a database of the release before
    reader-held keys holds it: its key wrapped under the master key only (configured
    with master_key_configured), optionally with a counsellor who has no key pair."""
    env = case.env(su=True)
    data_key = env.cr.cache["vp_fresh_record_keys"][("vp.case", case.id)]
    master_id, master = next(iter(crypto.load_master_keys().items()))
    env["vp.record.grant"].search([("res_model", "=", "vp.case"), ("res_id", "=", case.id)]).unlink()
    env["vp.record.key"].create(
        {
            "res_model": "vp.case",
            "res_id": case.id,
            "wrapped_key": crypto.wrap_key(master, data_key, env["vp.record.key"]._aad("vp.case", case.id)),
            "master_key_id": master_id,
        }
    )
    if counsellor:
        env.flush_all()
        env.cr.execute("UPDATE vp_case SET counsellor_id = %s WHERE id = %s", (counsellor.id, case.id))
        env.invalidate_all()
    return case


def opened_as(user, passphrase=NEW_READER_PASSPHRASE):
    """``user``'s vault opened with her passphrase (a reader made with give_key or new_counsellor)."""
    return vault_session.opened_with_passphrase(user.env(user=user), passphrase)


def give_key(users, passphrase=NEW_READER_PASSPHRASE):
    """These users choose a vault passphrase (a key pair), as a counsellor must before she gets a case."""
    for user in users:
        user.env["vp.reader.key"].with_user(user)._vp_set_passphrase(passphrase)
    return users


def new_counsellor(env, name, login, passphrase=NEW_READER_PASSPHRASE, group="vertrouwenspersoon.group_counsellor"):
    """A new user of a reader's role; with ``passphrase`` she has chosen one."""
    user = env["res.users"].create({"name": name, "login": login, "groups_id": [(6, 0, [env.ref(group).id])]})
    if passphrase:
        give_key(user, passphrase)
    return user


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


@contextmanager
def recorded_receipt_codes():
    """The receipt codes given out while open, in the list it yields: the test's own record
    of the code a reporter saved (nothing on the server keeps it)."""
    from unittest.mock import patch  # noqa: PLC0415

    codes = []
    new_code = receipt_tools.new_code

    def spy():
        codes.append(new_code())
        return codes[-1]

    with patch.object(receipt_tools, "new_code", spy):
        yield codes


def web_read(http_case, records, specification):
    """``records`` read as the web client reads them (JSON-RPC web_read, in the session's name)."""
    return call_kw(http_case, records._name, "web_read", [records.ids], {"specification": specification})


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


class PublicPagesMixin:
    """For an HttpCase on the public pages: a Dutch employee's browser (the pages follow its
    language), and an intake rate limit that the test's own requests stay under."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.config_parameter"].set_param("vertrouwenspersoon.intake_rate_limit", "50")

    def setUp(self):
        super().setUp()
        # A Dutch employee's browser: the public pages follow its language.
        self.opener.headers["Accept-Language"] = "nl-NL,nl;q=0.9"


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


def errors_of_a_second_writer(test, second, waits):
    """Run ``second`` (SQL on a cursor whose snapshot predates another open transaction's
    changes) in a thread: it must end within 10 seconds without waiting for that
    transaction (message ``waits``). Returns what it raised."""
    errors = []

    def run():
        try:
            second()
        except Exception as error:  # reported by the test's assertion on the result
            errors.append(error)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(10.0)
    test.assertFalse(thread.is_alive(), waits)
    return errors


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

    def new_consent(self, summary, given_how="in_person", case=None):
        """The employee's consent to a notice with her name and ``summary``, as the test's
        counsellor records it on ``case`` (the test's case)."""
        return (
            self.env["vp.consent"]
            .with_user(self.counsellor)
            .create(
                {
                    "case_id": (case or self.case).id,
                    "level": "name_summary",
                    "given_how": given_how,
                    "approved_summary": summary,
                }
            )
        )

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
        # A case's state and dates are the counsellor's buttons': a case
        # with a history is made by the system, as the state buttons would have.
        history = {name: vals.pop(name) for name in HISTORY_FIELDS if name in vals}
        case = cls.env["vp.case"].with_user(counsellor).create(vals)
        if history:
            case.sudo().write(history)
        return case

    @classmethod
    def reassign(cls, case, counsellor, reason="Werkdruk"):
        """The coordinator's Reassign (the only way to change a counsellor)."""
        wizard = cls.env["vp.case.reassign.wizard"].with_user(demo_user(cls.env, "coordinator"))
        return wizard.create({"case_id": case.id, "counsellor_id": counsellor.id, "reason": reason}).action_reassign()


@contextmanager
def lockdown_off():
    """The operator's configuration without the lockdown (``vp_lockdown = False``),
    for the tests that show the vault holds on its own when the administrator
    can run code (the test and the server's threads share one configuration)."""
    before = config.get(lockdown.CONFIG_KEY)
    config[lockdown.CONFIG_KEY] = False
    try:
        yield
    finally:
        if before is None:
            config.options.pop(lockdown.CONFIG_KEY, None)
        else:
            config[lockdown.CONFIG_KEY] = before


def admin_xmlrpc(http_case):
    """The administrator's XML-RPC: a function calling ``model.method(*args, **kwargs)`` as admin."""
    db = http_case.env.cr.dbname
    uid = http_case.xmlrpc_common.authenticate(db, "admin", "admin", {})

    def call(model, method, *args, **kwargs):
        return http_case.xmlrpc_object.execute_kw(db, uid, "admin", model, method, list(args), kwargs)

    return call


def run_admin_server_action(http_case, code, secret=None):
    """The administrator's attack: she creates a server action running ``code`` (on
    res.partner) and runs it over XML-RPC, then again through her own browser session.
    Returns the XML-RPC fault's text and the JSON-RPC response; the test fails if the
    XML-RPC run raised nothing, or if ``secret`` (the content the code reaches for) is
    in either answer.

    The lockdown refuses the server action itself (tests/test_lockdown.py); this
    runs without it, to show that the vault alone still holds."""
    with lockdown_off():
        fault, response = _run_admin_server_action(http_case, code)
    if secret is not None:
        http_case.assertNotIn(secret, fault)
        http_case.assertNotIn(secret, json.dumps(response))
    return fault, response


def _run_admin_server_action(http_case, code):
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
