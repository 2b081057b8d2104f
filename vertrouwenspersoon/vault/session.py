# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Where an unlocked reader key lives while a person works.

A reader's private key and keyring key are opened with the passphrase the
person types (``unlock``). They then rest in two places at once, and only
together do they open anything:

- the server-side session (``request.session``, the sessions directory)
  holds them wrapped under a random session secret;
- the browser holds that session secret, in an HttpOnly, SameSite=Strict
  cookie (Secure over https), and sends it with each of its own requests.

So code on the server finds an unlocked key only inside a request from that
person's browser, for that person's own session user: not in a server action
run by the administrator (another session, no cookie), not in a scheduled
action (no request), not in ``odoo-bin shell``, not through ``with_user`` or
``sudo`` (the session user is the one that counts), and not from a cache (an
opened key lives on the request object only and goes with it).

Tests and an operator's own shell open a key for a stretch of code with
:func:`opened_with_passphrase`, which needs the passphrase: the person who
may read supplies the secret at that moment, as everywhere else.
"""

import base64
import secrets
import threading
import time
from contextlib import contextmanager

from odoo.exceptions import AccessError, UserError
from odoo.http import request
from odoo.tools.translate import LazyTranslate

from . import keyring

_lt = LazyTranslate(__name__)

SESSION_KEY = "vp_vault"
COOKIE = "vp_vault"
DEFAULT_IDLE_MINUTES = 30

LOCKED_MESSAGE = _lt(
    "Confidential content is locked. Unlock it with your vault passphrase (not your login password) to read it."
)
NO_READER_KEY_MESSAGE = _lt(
    "You have no vault passphrase yet: choose one in the dialog that opens to read confidential content."
)
WAITING_MESSAGE = _lt(
    "Waiting for access: this case has not been opened for you yet. The case's counsellor, a backup who "
    "holds its key, or the organisation's recovery key gives you access."
)
EXTERNAL_RPC_MESSAGE = _lt(
    "Confidential content cannot be read over XML-RPC or JSON-RPC without a web session: there is no session "
    "to unlock. Sign in through /web/session/authenticate and unlock with /vertrouwenspersoon/vault/unlock."
)


class VaultLocked(UserError):
    """Content asked for while the reader's key is not unlocked in this browser session.

    The web client maps this exception to the unlock dialog by the name Odoo sends with
    it, the class's module and name (static/src/vault/vault_dialog.js)."""


class UnlockedVault:
    """An opened reader key, for one user, for the life of one request or scope."""

    __slots__ = ("keyring_key", "private_key", "uid")

    def __init__(self, uid, private_key, keyring_key):
        self.uid = uid
        self.private_key = private_key
        self.keyring_key = keyring_key

    def __repr__(self):
        return f"<UnlockedVault uid={self.uid}>"

    def __reduce__(self):
        # Never serialised (a cache, a queue, a pickle of the request): an
        # opened key does not leave the process that opened it.
        raise TypeError("an unlocked vault cannot be serialised")


_scopes = threading.local()


def _scope_stack():
    if not hasattr(_scopes, "stack"):
        _scopes.stack = []
    return _scopes.stack


@contextmanager
def opened_with_passphrase(env, passphrase):
    """Open the current user's key for the code inside the ``with`` block,
    with their passphrase (tests; an operator's shell for their own cases)."""
    with opened(env, env["vp.reader.key"]._vp_open(passphrase)) as vault_:
        yield vault_


@contextmanager
def opened(env, vault_):
    """Make an already opened key (opened with its passphrase just before)
    the current user's for the code inside the ``with`` block."""
    if vault_.uid != env.uid:
        raise AccessError(env._("An opened vault serves its own user only."))
    stack = _scope_stack()
    entry = (env.cr.dbname, vault_)
    stack.append(entry)
    try:
        yield vault_
    finally:
        stack.remove(entry)


def set_browser_secret(name, secret, path="/"):
    """Give the browser ``secret`` to hold: an HttpOnly, SameSite=Strict
    cookie (Secure over https) that page scripts cannot read. Used for the
    vault's session secret, the phone-intake wizard and the public inbox."""
    request.future_response.set_cookie(
        name,
        base64.urlsafe_b64encode(secret).decode().rstrip("="),
        httponly=True,
        samesite="Strict",
        secure=request.httprequest.scheme == "https",
        path=path,
        cookie_type="required",
    )


def browser_secret_of(name):
    """The secret the browser sent back in cookie ``name``, or None."""
    text = request.httprequest.cookies.get(name)
    if not text or len(text) > 64:
        return None
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except ValueError:
        return None


def _request_vault(env):
    """The vault unlocked in this request's browser session for env.uid, if any."""
    if not request or not getattr(request, "session", None):
        return None
    cached = getattr(request, "_vp_unlocked_vault", None)
    if cached is not None and cached.uid == env.uid:
        return cached
    session = request.session
    if session.uid != env.uid:
        # with_user() inside someone else's request (e.g. the administrator's
        # server action "as" a counsellor): that session holds no key of env.uid.
        return None
    stored = session.get(SESSION_KEY)
    secret = browser_secret_of(COOKIE)
    if not stored or not secret or stored.get("uid") != env.uid:
        return None
    idle = stored.get("idle_minutes") or DEFAULT_IDLE_MINUTES
    if time.time() - stored.get("last_used", 0) > idle * 60:
        session.pop(SESSION_KEY, None)
        return None
    try:
        aad = _session_aad(env.uid, stored["id"])
        private_key = keyring.unwrap_for_session(stored["private"], secret, aad)
        keyring_key = keyring.unwrap_secret_for_session(stored["keyring"], secret, aad)
    except (keyring.VaultError, ValueError, KeyError):
        return None
    stored["last_used"] = time.time()
    session.touch()
    opened = UnlockedVault(env.uid, private_key, keyring_key)
    request._vp_unlocked_vault = opened
    return opened


def _session_aad(uid, vault_id):
    # Bound to the user and to this unlock, not to the session id, which Odoo
    # rotates (at login and periodically) without ending the session.
    return f"vp-vault-session:{uid}:{vault_id}".encode()


def current_vault(env):
    """The key of env.uid opened by that person for this request or scope, or None."""
    for dbname, opened in reversed(_scope_stack()):
        if dbname == env.cr.dbname and opened.uid == env.uid:
            return opened
    return _request_vault(env)


def require_vault(env):
    """The opened key of env.uid, or a clear error saying how to open it."""
    opened = current_vault(env)
    if opened is not None:
        return opened
    if not env["vp.reader.key"].sudo().search_count([("user_id", "=", env.uid)]):  # sudo: whether a key exists
        raise VaultLocked(str(NO_READER_KEY_MESSAGE))
    if not request or not getattr(request, "session", None):
        raise VaultLocked(str(EXTERNAL_RPC_MESSAGE))
    raise VaultLocked(str(LOCKED_MESSAGE))


def store_in_session(env, opened, idle_minutes):
    """After an unlock: keep the opened key wrapped in the session, the secret in the browser."""
    if not request or not getattr(request, "session", None) or request.session.uid != env.uid:
        raise AccessError(str(EXTERNAL_RPC_MESSAGE))
    secret = keyring.new_session_secret()
    vault_id = secrets.token_hex(8)
    aad = _session_aad(env.uid, vault_id)
    request.session[SESSION_KEY] = {
        "id": vault_id,
        "uid": env.uid,
        "private": keyring.wrap_for_session(opened.private_key, secret, aad),
        "keyring": keyring.wrap_secret_for_session(opened.keyring_key, secret, aad),
        "last_used": time.time(),
        "idle_minutes": idle_minutes,
    }
    set_browser_secret(COOKIE, secret)
    request._vp_unlocked_vault = opened


def lock(env):
    """Forget the opened key of this browser session."""
    if request and getattr(request, "session", None):
        request.session.pop(SESSION_KEY, None)
        request.future_response.set_cookie(COOKIE, "", max_age=0, httponly=True, samesite="Strict")
        if hasattr(request, "_vp_unlocked_vault"):
            request._vp_unlocked_vault = None
