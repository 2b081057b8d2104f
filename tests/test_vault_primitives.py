"""The primitives of reader-held keys (tools/keyring.py), without the ORM."""

import os
import unittest

from odoo.addons.vertrouwenspersoon.vault import keyring

PASSPHRASE = "lange zin met spaties 42"


class TestVaultPrimitives(unittest.TestCase):
    def test_private_key_opens_only_with_its_passphrase_and_binding(self):
        public, sealed = keyring.new_key_pair(PASSPHRASE, b"user:7")
        private_key = keyring.open_private_key(sealed, PASSPHRASE, b"user:7")
        self.assertEqual(keyring._b64(keyring.public_bytes(private_key)), public)
        for passphrase, aad in (("lange zin met spaties 43", b"user:7"), (PASSPHRASE, b"user:8"), ("", b"user:7")):
            with self.assertRaises(keyring.VaultError):
                keyring.open_private_key(sealed, passphrase, aad)
        self.assertNotIn(PASSPHRASE, sealed)
        with self.assertRaises(ValueError):
            keyring.new_key_pair("kort", b"user:7")

    def test_sealed_box_opens_for_its_recipient_only(self):
        public, sealed = keyring.new_key_pair(PASSPHRASE, b"user:1")
        other_public, other_sealed = keyring.new_key_pair(PASSPHRASE, b"user:2")
        data_key = os.urandom(32)
        box = keyring.seal_for(public, data_key, b"case:5")
        mine = keyring.open_private_key(sealed, PASSPHRASE, b"user:1")
        self.assertEqual(keyring.open_sealed(mine, box, b"case:5"), data_key)
        theirs = keyring.open_private_key(other_sealed, PASSPHRASE, b"user:2")
        with self.assertRaises(keyring.VaultError):
            keyring.open_sealed(theirs, box, b"case:5")
        with self.assertRaises(keyring.VaultError):
            keyring.open_sealed(mine, box, b"case:6")
        tampered = box[:-2] + ("A" if box[-2] != "A" else "B") + box[-1]
        with self.assertRaises(keyring.VaultError):
            keyring.open_sealed(mine, tampered, b"case:5")
        with self.assertRaises(keyring.VaultError):
            keyring.open_sealed(mine, "vps1:garbage", b"case:5")
        self.assertNotEqual(keyring.seal_for(public, data_key, b"case:5"), box, "each seal is fresh")
        self.assertTrue(other_public)

    def test_session_wrap_needs_the_browser_secret(self):
        _public, sealed = keyring.new_key_pair(PASSPHRASE, b"user:1")
        private_key = keyring.open_private_key(sealed, PASSPHRASE, b"user:1")
        secret = keyring.new_session_secret()
        wrapped = keyring.wrap_for_session(private_key, secret, b"session:abc")
        again = keyring.unwrap_for_session(wrapped, secret, b"session:abc")
        self.assertEqual(keyring.public_bytes(again), keyring.public_bytes(private_key))
        with self.assertRaises(keyring.VaultError):
            keyring.unwrap_for_session(wrapped, keyring.new_session_secret(), b"session:abc")
        with self.assertRaises(keyring.VaultError):
            keyring.unwrap_for_session(wrapped, secret, b"session:other")

    def test_recovery_code_is_typed_back_in_any_form(self):
        code = keyring.new_recovery_code()
        self.assertRegex(code, r"^([A-HJ-NP-Z2-9]{4}-){7}[A-HJ-NP-Z2-9]{4}$")
        salt = os.urandom(16)
        key = keyring.recovery_key_pair(code, salt)
        typed = code.lower().replace("-", " ")
        self.assertEqual(keyring.public_bytes(keyring.recovery_key_pair(typed, salt)), keyring.public_bytes(key))
        self.assertIsNone(keyring.normalise_recovery_code(code[:-1]))
        with self.assertRaises(keyring.VaultError):
            keyring.recovery_key_pair("0000", salt)

    def test_passphrase_cost_is_stored_with_the_key(self):
        """The scrypt cost travels with each sealed key (so it can be raised
        later) and is the memory-hard one chosen: 2**15 x 8 (32 MiB)."""
        _public, sealed = keyring.new_key_pair(PASSPHRASE, b"user:1")
        self.assertEqual(sealed.split(":")[1], "32768.8.1")
