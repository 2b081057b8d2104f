# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Endorsements: which public keys content may be sealed for.

Content is sealed for public keys read from the database (a reader's key pair,
an organisation's recovery key, a reporter's receipt code) also when no reader
is present (the intake page). A database row is not enough to trust such a
key: whoever can write the row could put his own key there and have the next
intake sealed for it. So each key carries an endorsement made when its owner
made the key in her own session (she chose a passphrase; the coordinator made
the recovery key; the reporter was given her code), and content is sealed only
for a key whose endorsement checks.

The endorsement is an HMAC-SHA256 under a secret kept in a file on the server,
outside the database and the filestore (the operator's), named by
``vp_endorsement_key_file`` in the Odoo configuration, by default
``<data_dir>/vertrouwenspersoon/endorsement.key``, made on first use. It binds
the kind of key, its holder and the key itself, so a key moved to another holder
fails to check. It holds for every database the server serves (a copy for
staging keeps working); a server's databases share their operator. Losing the
file costs no content: readers are endorsed again at their next unlock, and the
coordinator confirms a recovery key by typing its code once.
"""

import base64
import contextlib
import hashlib
import hmac
import os
import threading

from odoo.tools import config

CONFIG_KEY = "vp_endorsement_key_file"
PREFIX = "vpe1:"
SECRET_SIZE = 32

_secrets = {}
_lock = threading.Lock()


class EndorsementUnavailable(Exception):
    """The endorsement secret can be neither read nor made (a read-only data directory)."""


def secret_path():
    return config.get(CONFIG_KEY) or os.path.join(config["data_dir"], "vertrouwenspersoon", "endorsement.key")


def _read(path):
    with open(path, "rb") as secret_file:
        secret = base64.b64decode(secret_file.read().strip(), validate=True)
    if len(secret) != SECRET_SIZE:
        raise ValueError("endorsement secret of wrong length")
    return secret


def _make(path):
    """A new secret, published atomically: two workers starting at once read the same one."""
    os.makedirs(os.path.dirname(path), mode=0o700, exist_ok=True)
    draft = f"{path}.{os.getpid()}.{threading.get_ident()}"
    fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as draft_file:
        draft_file.write(base64.b64encode(os.urandom(SECRET_SIZE)))
    try:
        # Published only if no other worker did it first; either way the file's secret is read back.
        with contextlib.suppress(FileExistsError):
            os.link(draft, path)
    finally:
        os.unlink(draft)
    return _read(path)


def _secret():
    path = secret_path()
    secret = _secrets.get(path)
    if secret is not None:
        return secret
    with _lock:
        try:
            secret = _read(path)
        except FileNotFoundError:
            try:
                secret = _make(path)
            except OSError as error:
                raise EndorsementUnavailable(str(error)) from error
        except (OSError, ValueError) as error:
            raise EndorsementUnavailable(str(error)) from error
        _secrets[path] = secret
    return secret


def endorse(kind, holder, public_key):
    """The endorsement of ``public_key`` as the ``kind`` key of ``holder``."""
    statement = f"vp-endorsement:{kind}:{holder}:{public_key}".encode()
    return PREFIX + hmac.new(_secret(), statement, hashlib.sha256).hexdigest()


def is_endorsed(token, kind, holder, public_key):
    if not token or not public_key:
        return False
    return hmac.compare_digest(str(token), endorse(kind, holder, public_key))
