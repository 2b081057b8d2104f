# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Secrets of the intake page and the inbox that rest in the public session
only wrapped, under a random secret the browser holds in an HttpOnly,
SameSite=Strict cookie (as vault/session.py does for a counsellor's key).
Shared by controllers/intake.py and controllers/inbox.py."""

import datetime
import json
import secrets
import time

from odoo.http import request

from ..tools import receipt as receipt_tools
from ..vault import keyring
from ..vault import session as vault_session
from . import public_page

SESSION_INBOX = "vp_inbox"
COOKIE_INBOX = "vp_inbox"
SESSION_RECEIPT = "vp_intake_receipt"
COOKIE_RECEIPT = "vp_receipt"
# The whole site: the pages are also served under a language prefix (/pl/vertrouwenspersoon/...).
# The secret alone opens nothing: it unwraps an entry of this browser's session only.
COOKIE_PATH = "/"
RECEIPT_SHOWN_SECONDS = 60 * 60


def secret_cookie(name, secret):
    vault_session.set_browser_secret(name, secret, path=COOKIE_PATH)


def cookie_secret(name):
    return vault_session.browser_secret_of(name)


def forget(session_key, cookie):
    request.session.pop(session_key, None)
    request.future_response.set_cookie(cookie, "", max_age=0, httponly=True, samesite="Strict", path=COOKIE_PATH)


def remember_receipt_code(code, notices=()):
    """After the intake: keep the new code to show on the answer page,
    wrapped under a secret the browser holds, until the employee says they saved it;
    with it, what was removed from the files she sent (their names are in it)."""
    secret = keyring.new_session_secret()
    entry_id = secrets.token_hex(8)
    aad = f"vp-receipt-shown:{entry_id}".encode()
    request.session[SESSION_RECEIPT] = {
        "id": entry_id,
        "code": keyring.wrap_secret_for_session(code.encode(), secret, aad),
        "made": time.time(),
    }
    if notices:
        request.session[SESSION_RECEIPT]["notices"] = keyring.wrap_secret_for_session(
            json.dumps(list(notices)).encode(), secret, f"vp-receipt-notices:{entry_id}".encode()
        )
    secret_cookie(COOKIE_RECEIPT, secret)


def shown_file_notices():
    """What was removed from the files of this browser's last request, while its code is shown."""
    stored = request.session.get(SESSION_RECEIPT)
    secret = cookie_secret(COOKIE_RECEIPT)
    if not isinstance(stored, dict) or not secret or not stored.get("notices"):
        return []
    try:
        aad = f"vp-receipt-notices:{stored['id']}".encode()
        return json.loads(keyring.unwrap_secret_for_session(stored["notices"], secret, aad).decode())
    except (keyring.VaultError, KeyError, TypeError, ValueError):
        return []


def shown_receipt_code():
    """The code made for this browser's last request, or None."""
    stored = request.session.get(SESSION_RECEIPT)
    secret = cookie_secret(COOKIE_RECEIPT)
    if not isinstance(stored, dict) or not secret:
        return None
    if time.time() - stored.get("made", 0) > RECEIPT_SHOWN_SECONDS:
        request.session.pop(SESSION_RECEIPT, None)
        return None
    try:
        aad = f"vp-receipt-shown:{stored['id']}".encode()
        return keyring.unwrap_secret_for_session(stored["code"], secret, aad).decode()
    except (keyring.VaultError, KeyError, TypeError, ValueError):
        return None


def new_receipt_values(env, post):
    """(code, values for vp.case.receipt) for a new request."""
    code = receipt_tools.new_code()
    values = env["vp.case.receipt"]._vp_prepare(code, notify=bool(post.get("notify_me")))
    # The language the reporter wrote in: her counsellor sees it, her e-mail notice is in it.
    values["lang"] = request.lang.code if getattr(request, "lang", None) else env.lang
    return code, values


def receipt_errors(env, post, clean):
    """What the receipt part of the intake form needs: an e-mail address for the notice."""
    if post.get("notify_me") and not (clean.get("contact") or {}).get("employee_email"):
        return [env._("You asked for an e-mail when there is a message: leave an e-mail address.")]
    return []


def env_notice(report):
    """What was done to a file, in the page's language."""
    return request.env["vp.file.cleaner"]._vp_notice(report)


def receipt_display_values():
    """What the answer page shows of the receipt: the code and the day it was made."""
    stored = request.session.get(SESSION_RECEIPT)
    code = shown_receipt_code()
    made = datetime.datetime.utcfromtimestamp(stored["made"]) if code else None
    return {
        "receipt_code": code,
        "receipt_date": public_page.dutch_date(made),
        "file_notices": [env_notice(report) for report in shown_file_notices()] if code else [],
    }
