# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The reporter's receipt code: the primitives, without the ORM.

An employee who used the intake page gets a receipt code, and with it they
read and answer the counsellor's messages (``/vertrouwenspersoon/inbox``). The
code is the reporter's only secret:

- it is 5 groups of 4 characters from a base32 alphabet without look-alikes
  (no 0/O, 1/I): 20 x 5 = 100 random bits, far above the 64 asked for, and
  still short enough to copy by hand (a 16-digit code has only 53 bits);
- the reporter's X25519 key pair is derived from it with HKDF-SHA256 and a
  salt of the case's own (so one code guessed opens one case, and no table of
  codes can be computed in advance); only the public key is stored;
- the server finds a code's case by a keyed hash of the code (HMAC-SHA256,
  keyed with a server secret), an exact match on a unique index: one lookup
  and one derivation per try, for a right code and a wrong one alike (a wrong
  code is derived on a dummy salt). The hash reveals nothing of the code:
  inverting it means guessing 100 bits, and without the server's key a copy
  of the table cannot even test a guess.

Why HKDF and not scrypt: a memory-hard function slows the guessing
of a secret people choose (a passphrase: see vault/keyring.py, which keeps
scrypt). A code of 100 random bits needs no slowing: at a trillion guesses a
second, 2**100 guesses take some 40 billion years, with or without scrypt's
factor of about 2**13 on top, and online guesses are bounded by the rate
limit. scrypt cost about 55 ms of CPU per intake submission and per inbox
login, two thirds of the submission's time, which is what 16 submissions at
once queue behind on a small machine. Receipts made before keep scrypt
(``KDF_SCRYPT``, the receipt's ``kdf``), so their codes keep working.
"""

import hashlib
import hmac
import secrets

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from ..vault import keyring

ALPHABET = keyring.RECOVERY_ALPHABET
GROUPS = 5
GROUP_SIZE = 4
LENGTH = GROUPS * GROUP_SIZE
BITS = LENGTH * 5
KDF_HKDF = "hkdf"
KDF_SCRYPT = "scrypt"  # receipts made before HKDF (see the module docstring)
HKDF_INFO = b"vertrouwenspersoon receipt key"
# scrypt 2**14 x 8 (receipts of KDF_SCRYPT only): 16 MiB and about 55 ms per try.
SCRYPT_N = 2**14
SCRYPT_R = 8
SCRYPT_P = 1
SALT_SIZE = 16
DUMMY_SALT = b"vp-receipt-dummy"


def new_code():
    """A fresh receipt code, e.g. ``K7Q4-M2XP-9HNC-T3WD-YB6F``."""
    chars = "".join(secrets.choice(ALPHABET) for _index in range(LENGTH))
    return "-".join(chars[i : i + GROUP_SIZE] for i in range(0, LENGTH, GROUP_SIZE))


def normalise(code):
    """What a person typed, in the canonical form (case, spaces and dashes
    ignored; O and I read as 0 and 1 are not in the alphabet, so they are
    refused rather than guessed), or None when it cannot be a code."""
    if not isinstance(code, str) or len(code) > 64:
        return None
    cleaned = "".join(ch for ch in code.upper() if ch.isalnum())
    if len(cleaned) != LENGTH or any(ch not in ALPHABET for ch in cleaned):
        return None
    return "-".join(cleaned[i : i + GROUP_SIZE] for i in range(0, LENGTH, GROUP_SIZE))


def lookup_hash(pepper, normalised):
    """The keyed hash the receipt is found by (never the code itself)."""
    return hmac.new(pepper.encode(), f"vp-receipt:{normalised}".encode(), hashlib.sha256).hexdigest()


def new_salt():
    return secrets.token_bytes(SALT_SIZE)


def derive_private_key(normalised, salt, kdf=KDF_HKDF):
    """The reporter's private key from the code and the case's salt: HKDF-SHA256,
    or scrypt for a receipt made before (``kdf``)."""
    if kdf == KDF_SCRYPT:
        kdf_function = Scrypt(salt=salt, length=keyring.KEY_SIZE, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P)
    else:
        kdf_function = HKDF(algorithm=hashes.SHA256(), length=keyring.KEY_SIZE, salt=salt, info=HKDF_INFO)
    return X25519PrivateKey.from_private_bytes(kdf_function.derive(normalised.encode()))


def public_key_text(private_key):
    return keyring._b64(keyring.public_bytes(private_key))


def same_public_key(private_key, stored_text):
    """Whether the derived key is the one stored (constant time)."""
    return hmac.compare_digest(public_key_text(private_key).encode(), (stored_text or "").encode())
