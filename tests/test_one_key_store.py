"""Cases and records share one key store (vp.record.key, vp.record.grant).

The update to 18.0.2.2.0 moves the case keys and grants of the release before
(vp_case_key, vp_key_grant) into it as they are: nothing is sealed again, so
each must open as before. Here the rows are put back into the release's tables
sealed with that release's associated data, written out below (not taken from
the code under test), then the migration script runs and every kind of holder
opens its key again. A key of one kind never opens as the other, and a deleted
case takes its key and grants with it."""

import importlib.util
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from odoo.addons.vertrouwenspersoon.vault import crypto, keyring
from odoo.addons.vertrouwenspersoon.vault import session as vault_session
from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged

from .common import VpCaseCommon, master_key_configured

MIGRATION = (
    Path(__file__).resolve().parent.parent / "vertrouwenspersoon" / "migrations" / "18.0.2.2.0" / "pre-one-key-store.py"
)

# The tables of the release before, as its ORM made them.
OLD_TABLES = """
CREATE TABLE vp_case_key (
    id SERIAL PRIMARY KEY, case_id INTEGER NOT NULL REFERENCES vp_case(id) ON DELETE CASCADE,
    wrapped_key VARCHAR NOT NULL, master_key_id VARCHAR NOT NULL
);
CREATE TABLE vp_key_grant (
    id SERIAL PRIMARY KEY, case_id INTEGER NOT NULL REFERENCES vp_case(id) ON DELETE CASCADE,
    user_id INTEGER, organisation_id INTEGER, receipt_id INTEGER, kind VARCHAR, token VARCHAR
);
"""

CODE = "K7Q4-M2XP-9HNC-T3WD-YB6F"


def old_key_aad(case_id):
    return f"vp.case.key:{case_id}".encode()


def old_grant_aad(case_id, holder):
    return f"vp.key.grant:{case_id}:{holder}".encode()


def run_migration(cr):
    spec = importlib.util.spec_from_file_location("pre_one_key_store", MIGRATION)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.migrate(cr, "18.0.2.1.0")


@tagged("post_install", "-at_install")
class TestOneKeyStore(VpCaseCommon, TransactionCase):
    def _key_of(self, user, case):
        return self.env["vp.record.key"].with_user(user)._get_data_keys("vp.case", case.ids)[case.id]

    def _case_rows(self, case):
        domain = [("res_model", "=", "vp.case"), ("res_id", "=", case.id)]
        return self.env["vp.record.key"].sudo().search(domain), self.env["vp.record.grant"].sudo().search(domain)

    def test_keys_and_grants_of_the_release_before_open_after_the_update(self):
        self.enterContext(master_key_configured())
        counsellor2_vault = vault_session.require_vault(self.env(user=self.counsellor2))
        public = self.env["vp.reader.key"]._vp_key_of(self.counsellor.ids).public_key
        case, legacy = self.case, self.new_case(self.counsellor)
        data_key, legacy_key = self._key_of(self.counsellor, case), self._key_of(self.counsellor, legacy)
        receipt = self.env(user=self.counsellor)["vp.case.receipt"]._vp_create_for_case(
            case.with_user(self.counsellor), CODE
        )
        self.assertEqual(receipt._vp_grant_aad(), old_grant_aad(case.id, f"receipt:{receipt.id}"))
        receipt_token = self._case_rows(case)[1].filtered("receipt_id").token
        recovery = X25519PrivateKey.generate()
        recovery_public = keyring._b64(keyring.public_bytes(recovery))
        for keys, grants in (self._case_rows(case), self._case_rows(legacy)):
            keys.unlink()
            grants.unlink()
        master_id, master = next(iter(crypto.load_master_keys().items()))
        organisation = case.sudo().organisation_id
        cr = self.env.cr
        self.env.flush_all()
        cr.execute(OLD_TABLES)
        cr.execute(
            "INSERT INTO vp_case_key (case_id, wrapped_key, master_key_id) VALUES (%s, %s, %s)",
            (legacy.id, crypto.wrap_key(master, legacy_key, old_key_aad(legacy.id)), master_id),
        )
        grants = [
            # sealed for the counsellor's public key (an intake)
            (
                self.counsellor.id,
                None,
                None,
                "sealed",
                keyring.seal_for(public, data_key, old_grant_aad(case.id, f"user:{self.counsellor.id}")),
            ),
            # under a reader's keyring key (opened once before)
            (
                self.counsellor2.id,
                None,
                None,
                "keyring",
                keyring.wrap_with_keyring(
                    counsellor2_vault.keyring_key, data_key, old_grant_aad(case.id, f"user:{self.counsellor2.id}")
                ),
            ),
            # the organisation's recovery key
            (
                None,
                organisation.id,
                None,
                "sealed",
                keyring.seal_for(recovery_public, data_key, old_grant_aad(case.id, f"recovery:{organisation.id}")),
            ),
            # the reporter's receipt code
            (None, None, receipt.id, "sealed", receipt_token),
        ]
        for user_id, organisation_id, receipt_id, kind, token in grants:
            cr.execute(
                "INSERT INTO vp_key_grant (case_id, user_id, organisation_id, receipt_id, kind, token)"
                " VALUES (%s, %s, %s, %s, %s, %s)",
                (case.id, user_id, organisation_id, receipt_id, kind, token),
            )

        run_migration(cr)
        self.env.invalidate_all()

        cr.execute("SELECT to_regclass('vp_case_key'), to_regclass('vp_key_grant')")
        self.assertEqual(cr.fetchone(), (None, None), "the old tables are gone")
        self.assertFalse(self.env["ir.model"].search([("model", "in", ("vp.case.key", "vp.key.grant"))]))
        keys, moved = self._case_rows(case)
        self.assertFalse(keys)
        self.assertEqual(len(moved), 4)
        # Each holder opens the case's key as before.
        self.assertEqual(self._key_of(self.counsellor, case), data_key)
        self.assertEqual(moved.filtered(lambda grant: grant.user_id == self.counsellor).kind, "keyring")
        self.assertEqual(self._key_of(self.counsellor2, case), data_key)
        recovery_grant = moved.filtered("organisation_id")
        holder_aad = recovery_grant._vp_aad("vp.case", case.id, recovery_grant._vp_holder())
        self.assertEqual(keyring.open_sealed(recovery, recovery_grant.token, holder_aad), data_key)
        opened_receipt, private_key = self.env["vp.case.receipt"]._vp_open(CODE)
        self.assertEqual(opened_receipt, receipt)
        self.assertEqual(receipt._vp_data_key(private_key), data_key)
        self.assertEqual(case.with_user(self.counsellor).notes, self.NOTES)
        # The case still on the master key opens from the store, and moves off it.
        sources = {}
        self.env["vp.record.key"].with_user(self.counsellor)._get_data_keys("vp.case", legacy.ids, sources=sources)
        self.assertEqual(sources, {legacy.id: "master"})
        self.assertEqual(legacy.with_user(self.counsellor).notes, self.NOTES)
        self.assertGreaterEqual(self.env["vp.record.key"].with_user(self.counsellor)._vp_migrate_current_reader(), 1)
        self.assertFalse(self._case_rows(legacy)[0])
        self.env.invalidate_all()
        self.assertEqual(legacy.with_user(self.counsellor).notes, self.NOTES)

    def test_a_key_of_one_kind_never_opens_as_the_other(self):
        """A case's wrapped key or grant copied onto a record of the same id (or the
        reverse) does not open: the associated data of the two kinds differ."""
        self.enterContext(master_key_configured())
        store = self.env["vp.record.key"].sudo()
        master_id, master = next(iter(crypto.load_master_keys().items()))
        data_key = self._key_of(self.counsellor, self.case)
        case_row = store.create(
            {
                "res_model": "vp.case",
                "res_id": self.case.id + 100000,
                "wrapped_key": crypto.wrap_key(master, data_key, store._aad("vp.case", self.case.id + 100000)),
                "master_key_id": master_id,
            }
        )
        store.create(
            {
                "res_model": "vp.notice",
                "res_id": case_row.res_id,
                "wrapped_key": case_row.wrapped_key,
                "master_key_id": master_id,
            }
        )
        self.assertEqual(store._vp_master_wrapped_keys("vp.case", [case_row.res_id]), {case_row.res_id: data_key})
        with self.assertRaises(UserError):
            store._vp_master_wrapped_keys("vp.notice", [case_row.res_id])
        self.assertNotEqual(store._aad("vp.case", 7), store._aad("vp.notice", 7))
        grants = self.env["vp.record.grant"]
        self.assertNotEqual(grants._vp_aad("vp.case", 7, "user:2"), grants._vp_aad("vp.notice", 7, "user:2"))
        reader = X25519PrivateKey.generate()
        token = keyring.seal_for(
            keyring._b64(keyring.public_bytes(reader)), data_key, grants._vp_aad("vp.case", 7, "user:2")
        )
        with self.assertRaises(keyring.VaultError):
            keyring.open_sealed(reader, token, grants._vp_aad("vp.notice", 7, "user:2"))

    def test_a_deleted_case_takes_its_key_and_grants(self):
        case = self.new_case(self.counsellor)
        self.env(user=self.counsellor)["vp.case.receipt"]._vp_create_for_case(case.with_user(self.counsellor), CODE)
        self.assertTrue(self._case_rows(case)[1])
        case.sudo().unlink()
        keys, grants = self._case_rows(case)
        self.assertFalse(keys)
        self.assertFalse(grants)
