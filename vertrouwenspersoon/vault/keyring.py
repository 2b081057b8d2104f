# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Reader-held keys: the primitives, without the ORM.

The building blocks for keys that only a case's readers hold (the server
alone cannot decrypt):

- each reader has an X25519 key pair; the private key is stored only sealed
  under a key derived with scrypt (memory-hard) from a passphrase the reader
  chooses, separate from the Odoo login password;
- a secret (a case's data key) is sealed *for* a reader with their public key
  alone (an anonymous sealed box: ephemeral X25519, HKDF-SHA256, AES-GCM), so
  code without any reader's session (the intake page, the phone intake) can
  grant access and then forget the secret;
- an unlocked private key rests only wrapped under a random session secret
  that the browser holds (a cookie), never in clear where the server could
  read it without the browser.

Every sealed value is bound to what it belongs to (associated data): moved to
another record, reader or field it fails to open. All formats carry a version
prefix so they can change later.
"""

import base64
import os
import secrets

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

KEY_SIZE = 32
NONCE_SIZE = 12
SALT_SIZE = 16
# scrypt cost: 2**15 x 8 x 128 bytes = 32 MiB of memory and about 0.1 s per
# try on the 2-core development machine; a guess costs an attacker the same.
SCRYPT_N = 2**15
SCRYPT_R = 8
SCRYPT_P = 1
MIN_PASSPHRASE_LENGTH = 12

PRIVATE_PREFIX = "vpk1"
SEALED_PREFIX = "vps1"
SESSION_PREFIX = "vpt1"
KEYRING_PREFIX = "vpg1"
# Base32 without look-alikes is what a person copies from a printed sheet.
RECOVERY_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
RECOVERY_GROUPS = 8
RECOVERY_GROUP_SIZE = 4


class VaultError(Exception):
    """A sealed value that does not open: wrong passphrase or key, or tampered."""


def _b64(data):
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unb64(text):
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (ValueError, TypeError) as error:
        raise VaultError("malformed sealed value") from error


def _split(text, prefix, parts):
    fields = (text or "").split(":")
    if len(fields) != parts + 1 or fields[0] != prefix:
        raise VaultError("malformed sealed value")
    return fields[1:]


def check_passphrase(passphrase):
    """The passphrase policy: long enough to resist guessing at scrypt's cost."""
    return isinstance(passphrase, str) and len(passphrase.strip()) >= MIN_PASSPHRASE_LENGTH


def _derive(passphrase, salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P):
    return Scrypt(salt=salt, length=KEY_SIZE, n=n, r=r, p=p).derive(passphrase.encode())


def public_bytes(private_key):
    return private_key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def _private_bytes(private_key):
    return private_key.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )


def new_key_pair(passphrase, aad):
    """A new reader key pair: (public key as text, private key sealed under the passphrase)."""
    private_key = X25519PrivateKey.generate()
    return _b64(public_bytes(private_key)), seal_private_key(private_key, passphrase, aad)


def seal_private_key(private_key, passphrase, aad):
    if not check_passphrase(passphrase):
        raise ValueError("passphrase too short")
    salt = os.urandom(SALT_SIZE)
    nonce = os.urandom(NONCE_SIZE)
    sealed = AESGCM(_derive(passphrase, salt)).encrypt(nonce, _private_bytes(private_key), aad)
    params = f"{SCRYPT_N}.{SCRYPT_R}.{SCRYPT_P}"
    return ":".join([PRIVATE_PREFIX, params, _b64(salt), _b64(nonce), _b64(sealed)])


def open_private_key(sealed_text, passphrase, aad):
    """The reader's private key, or VaultError for a wrong passphrase."""
    params, salt, nonce, sealed = _split(sealed_text, PRIVATE_PREFIX, 4)
    try:
        n, r, p = (int(value) for value in params.split("."))
    except ValueError as error:
        raise VaultError("malformed sealed value") from error
    try:
        raw = AESGCM(_derive(passphrase or "", _unb64(salt), n, r, p)).decrypt(_unb64(nonce), _unb64(sealed), aad)
    except InvalidTag as error:
        raise VaultError("wrong passphrase") from error
    return X25519PrivateKey.from_private_bytes(raw)


def _box_key(shared, ephemeral_public, recipient_public):
    return HKDF(
        algorithm=hashes.SHA256(),
        length=KEY_SIZE,
        salt=None,
        info=b"vp-sealed-box" + ephemeral_public + recipient_public,
    ).derive(shared)


def seal_for(recipient_public_text, secret, aad):
    """Seal ``secret`` (bytes) so that only the holder of the private key of
    ``recipient_public_text`` opens it. Needs no secret of the sender."""
    recipient_public = _unb64(recipient_public_text)
    ephemeral = X25519PrivateKey.generate()
    ephemeral_public = public_bytes(ephemeral)
    shared = ephemeral.exchange(X25519PublicKey.from_public_bytes(recipient_public))
    nonce = os.urandom(NONCE_SIZE)
    sealed = AESGCM(_box_key(shared, ephemeral_public, recipient_public)).encrypt(nonce, secret, aad)
    return ":".join([SEALED_PREFIX, _b64(ephemeral_public), _b64(nonce), _b64(sealed)])


def open_sealed(private_key, sealed_text, aad):
    ephemeral_public, nonce, sealed = (_unb64(part) for part in _split(sealed_text, SEALED_PREFIX, 3))
    try:
        shared = private_key.exchange(X25519PublicKey.from_public_bytes(ephemeral_public))
        key = _box_key(shared, ephemeral_public, public_bytes(private_key))
        return AESGCM(key).decrypt(nonce, sealed, aad)
    except (InvalidTag, ValueError) as error:
        raise VaultError("not sealed for this key") from error


def new_session_secret():
    """The secret a browser holds (in an HttpOnly cookie) for one unlocked session."""
    return secrets.token_bytes(KEY_SIZE)


def wrap_for_session(private_key, session_secret, aad):
    """An unlocked private key as it rests in the server-side session: useless
    without the browser's session secret."""
    nonce = os.urandom(NONCE_SIZE)
    sealed = AESGCM(session_secret).encrypt(nonce, _private_bytes(private_key), aad)
    return ":".join([SESSION_PREFIX, _b64(nonce), _b64(sealed)])


def unwrap_for_session(wrapped_text, session_secret, aad):
    nonce, sealed = (_unb64(part) for part in _split(wrapped_text, SESSION_PREFIX, 2))
    try:
        return X25519PrivateKey.from_private_bytes(AESGCM(session_secret).decrypt(nonce, sealed, aad))
    except (InvalidTag, ValueError) as error:
        raise VaultError("session secret does not match") from error


def wrap_secret_for_session(secret, session_secret, aad):
    """A symmetric key (the reader's keyring key) as it rests in the session."""
    nonce = os.urandom(NONCE_SIZE)
    return ":".join([SESSION_PREFIX, _b64(nonce), _b64(AESGCM(session_secret).encrypt(nonce, secret, aad))])


def unwrap_secret_for_session(wrapped_text, session_secret, aad):
    nonce, sealed = (_unb64(part) for part in _split(wrapped_text, SESSION_PREFIX, 2))
    try:
        return AESGCM(session_secret).decrypt(nonce, sealed, aad)
    except (InvalidTag, ValueError) as error:
        raise VaultError("session secret does not match") from error


def new_keyring_key():
    """A reader's keyring key: the symmetric key their case keys are kept
    under once they have opened them, so reading a list of cases costs one
    symmetric unwrap per case and no public-key operation."""
    return AESGCM.generate_key(bit_length=256)


def wrap_with_keyring(keyring_key, secret, aad):
    nonce = os.urandom(NONCE_SIZE)
    return ":".join([KEYRING_PREFIX, _b64(nonce), _b64(AESGCM(keyring_key).encrypt(nonce, secret, aad))])


def unwrap_with_keyring(keyring_key, wrapped_text, aad):
    return unwrap_with_keyring_cipher(AESGCM(keyring_key), wrapped_text, aad)


def keyring_cipher(keyring_key):
    """One AES-GCM object for the keyring key, to unwrap a list of case keys."""
    return AESGCM(keyring_key)


def unwrap_with_keyring_cipher(cipher, wrapped_text, aad):
    nonce, sealed = (_unb64(part) for part in _split(wrapped_text, KEYRING_PREFIX, 2))
    try:
        return cipher.decrypt(nonce, sealed, aad)
    except (InvalidTag, ValueError) as error:
        raise VaultError("not wrapped under this keyring key") from error


def new_recovery_code():
    """An organisation's recovery code: 160 random bits as eight groups of
    four characters, to print once and keep in a safe."""
    chars = [secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_GROUPS * RECOVERY_GROUP_SIZE)]
    groups = ["".join(chars[i : i + RECOVERY_GROUP_SIZE]) for i in range(0, len(chars), RECOVERY_GROUP_SIZE)]
    return "-".join(groups)


def normalise_recovery_code(code):
    """What a person typed, in the canonical form (case, spaces and dashes ignored)."""
    cleaned = "".join(ch for ch in (code or "").upper() if ch.isalnum())
    if len(cleaned) != RECOVERY_GROUPS * RECOVERY_GROUP_SIZE or any(ch not in RECOVERY_ALPHABET for ch in cleaned):
        return None
    return "-".join(cleaned[i : i + RECOVERY_GROUP_SIZE] for i in range(0, len(cleaned), RECOVERY_GROUP_SIZE))


def recovery_key_pair(code, salt):
    """The key pair a recovery code stands for: derived, never stored (only
    its public key is). The code's entropy carries it; scrypt slows guessing."""
    normalised = normalise_recovery_code(code)
    if not normalised:
        raise VaultError("malformed recovery code")
    seed = _derive(normalised, salt)
    return X25519PrivateKey.from_private_bytes(seed)
