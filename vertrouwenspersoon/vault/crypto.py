# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Envelope encryption for case content.

Each case has its own 256-bit data key. Content is sealed with AES-GCM under
that key, with the record and field as associated data, so a ciphertext moved
to another record or field fails to open. The data key is stored wrapped
(AES-GCM again) by a master key that lives in a file outside the database,
named by ``vp_master_key_file`` in the Odoo configuration.

The key file holds one base64-encoded 32-byte key per line; the first line is
the current key, later lines are older keys kept until every case key has been
re-wrapped (see ``vp.record.key._rotate_master_key``; every use of the master
key goes through ``vault/master_key.py``). A key is known by its
fingerprint, the first 16 hex digits of its SHA-256.
"""

import base64
import binascii
import hashlib
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from odoo.exceptions import UserError
from odoo.tools import config
from odoo.tools.translate import LazyTranslate

_lt = LazyTranslate(__name__)

CONFIG_KEY = "vp_master_key_file"
FORMAT_PREFIX = "vp1:"
NONCE_SIZE = 12
KEY_SIZE = 32

MISSING_KEY_MESSAGE = _lt(
    "The master key for confidential case content cannot be read, so case "
    "content can be neither shown nor saved. Ask your administrator to set "
    "'vp_master_key_file' in the Odoo configuration to a readable key file. "
    "Nothing stored has been changed."
)
NOBODY_HOLDS_MESSAGE = _lt(
    "Nobody could read this content: none of its readers has a vault passphrase yet and the organisation "
    "has no recovery key. Ask the counsellor to choose a vault passphrase, or the coordinator to make the "
    "organisation's recovery key, first. Nothing has been saved."
)
BROKEN_CIPHERTEXT_MESSAGE = _lt(
    "Stored case content could not be decrypted: it was encrypted with a "
    "master key that is not in the key file, or it was altered. Nothing has "
    "been changed."
)


def fingerprint(key):
    return hashlib.sha256(key).hexdigest()[:16]


def load_master_keys(path=None):
    """Return the master keys as an ordered {fingerprint: key} dict, current first.

    Raises UserError when the file is not configured, unreadable or malformed;
    callers reach this before writing anything, so nothing stored is touched.
    """
    path = path or config.get(CONFIG_KEY)
    keys = {}
    try:
        with open(path, encoding="ascii") as key_file:
            for line in key_file:
                line = line.strip()
                if not line or line.startswith("#"):
                    continue
                key = base64.b64decode(line, validate=True)
                if len(key) != KEY_SIZE:
                    raise ValueError("master key of wrong length")
                keys[fingerprint(key)] = key
    except (TypeError, OSError, ValueError, binascii.Error) as error:
        raise UserError(str(MISSING_KEY_MESSAGE)) from error
    if not keys:
        raise UserError(str(MISSING_KEY_MESSAGE))
    return keys


def current_master_key():
    """The key new content is sealed with: the first of the key file."""
    return next(iter(load_master_keys().values()))


def open_with_any(master_keys, token, aad):
    """Open content sealed directly under a master key, whichever of the file's keys that was
    (content sealed before a rotation stays readable while its key is listed)."""
    for master_key in master_keys.values():
        try:
            return _open(master_key, token, aad)
        except UserError:
            continue
    raise UserError(str(BROKEN_CIPHERTEXT_MESSAGE))


def new_data_key():
    return AESGCM.generate_key(bit_length=256)


def wrap_key(master_key, data_key, aad):
    nonce = os.urandom(NONCE_SIZE)
    return _encode(nonce + AESGCM(master_key).encrypt(nonce, data_key, aad))


def unwrap_key(master_key, wrapped, aad):
    return _open(master_key, wrapped, aad)


def encrypt(data_key, plaintext, aad):
    """Seal bytes; returns the ASCII text stored in the database."""
    nonce = os.urandom(NONCE_SIZE)
    return _encode(nonce + AESGCM(data_key).encrypt(nonce, plaintext, aad))


def decrypt(data_key, token, aad):
    return _open(data_key, token, aad)


def cipher(data_key):
    """One AES-GCM object for a key, to open many tokens sealed under it (a list of records)."""
    return AESGCM(data_key)


def decrypt_with(key_cipher, token, aad):
    """Like decrypt(), with the object cipher() made for the key."""
    if not token or not token.startswith(FORMAT_PREFIX):
        raise UserError(str(BROKEN_CIPHERTEXT_MESSAGE))
    raw = base64.b64decode(token[len(FORMAT_PREFIX) :])
    try:
        return key_cipher.decrypt(raw[:NONCE_SIZE], raw[NONCE_SIZE:], aad)
    except InvalidTag as error:
        raise UserError(str(BROKEN_CIPHERTEXT_MESSAGE)) from error


def _encode(raw):
    return FORMAT_PREFIX + base64.b64encode(raw).decode("ascii")


def _open(key, token, aad):
    if not token or not token.startswith(FORMAT_PREFIX):
        raise UserError(str(BROKEN_CIPHERTEXT_MESSAGE))
    raw = base64.b64decode(token[len(FORMAT_PREFIX) :])
    try:
        return AESGCM(key).decrypt(raw[:NONCE_SIZE], raw[NONCE_SIZE:], aad)
    except InvalidTag as error:
        raise UserError(str(BROKEN_CIPHERTEXT_MESSAGE)) from error
