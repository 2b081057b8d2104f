"""A consultation's key in the one key store (vp.record.key, vp.record.grant).

Up to 18.0.2.2.0 a consultation kept its data key in columns of its own
(``asker_grant``, ``adviser_grant``), sealed for each reader's public key. The
update to 18.0.2.3.0 moves them into the key store as they are: nothing can be
sealed again (the server holds neither reader's private key), so each must open
as before. Here the columns are put back on the table and filled as that release
filled them, with its associated data written out below (not taken from the code
under test); then the migration script runs, and the consultation opens for its
asker and its adviser and for nobody else, also not for a reader the
administrator copies a moved grant to."""

import importlib.util
from pathlib import Path

from odoo import Command
from odoo.addons.vertrouwenspersoon.vault import keyring
from odoo.addons.vertrouwenspersoon.vault import session as vault_session
from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, tagged

from .common import DEMO_PASSPHRASES, VpCaseCommon

MIGRATION = (
    Path(__file__).resolve().parent.parent
    / "vertrouwenspersoon"
    / "migrations"
    / "18.0.2.3.0"
    / "pre-consultation-keys.py"
)

# The columns of the release before, as its ORM made them (fields.Text).
OLD_COLUMNS = "ALTER TABLE vp_consultation ADD COLUMN asker_grant TEXT, ADD COLUMN adviser_grant TEXT"

QUESTION = "Een medewerker voelt zich buitengesloten door haar team. Hoe pak ik een eerste gesprek aan?"
ANSWER = "Begin met luisteren; vraag wat zij wil bereiken."


def old_grant_aad(consultation_id, role):
    """vp.consultation._vp_grant_aad of the release before."""
    return f"vp.consultation:{consultation_id}:{role}".encode()


def run_migration(cr):
    spec = importlib.util.spec_from_file_location("pre_consultation_keys", MIGRATION)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.migrate(cr, "18.0.2.2.0")


@tagged("post_install", "-at_install")
class TestConsultationKeyStore(VpCaseCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.internal = cls.env.ref("vertrouwenspersoon.user_vp_counsellor_internal")
        cls.enterClassContext(
            vault_session.opened_with_passphrase(cls.env(user=cls.internal), DEMO_PASSPHRASES["internal"])
        )

    def _ask(self):
        case = self.new_case(self.internal).with_user(self.internal)
        case.write(
            {
                "consultation_ids": [
                    Command.create(
                        {
                            "organisation_id": case.organisation_id.id,
                            "adviser_id": self.counsellor.id,
                            "question": QUESTION,
                        }
                    )
                ]
            }
        )
        consultation = case.consultation_ids[-1:]
        consultation.with_user(self.counsellor).answer = ANSWER
        return consultation

    def _grants(self, consultation):
        return (
            self.env["vp.record.grant"]
            .sudo()
            .search([("res_model", "=", "vp.consultation"), ("res_id", "=", consultation.id)])
        )

    def _as_the_release_before(self, consultation):
        """The consultation as 18.0.2.2.0 stored it: its key sealed for each reader in
        the consultation's own columns, nothing of it in the key store."""
        data_key = (
            self.env["vp.record.key"]
            .with_user(self.internal)
            ._get_data_keys("vp.consultation", consultation.ids)[consultation.id]
        )
        self._grants(consultation).unlink()
        self.env.flush_all()
        public = {
            key.user_id.id: key.public_key
            for key in self.env["vp.reader.key"]._vp_key_of((self.internal | self.counsellor).ids)
        }
        self.env.cr.execute(OLD_COLUMNS)
        self.env.cr.execute(
            "UPDATE vp_consultation SET asker_grant = %s, adviser_grant = %s WHERE id = %s",
            (
                keyring.seal_for(public[self.internal.id], data_key, old_grant_aad(consultation.id, "asker")),
                keyring.seal_for(public[self.counsellor.id], data_key, old_grant_aad(consultation.id, "adviser")),
                consultation.id,
            ),
        )
        self.env.invalidate_all()
        return data_key

    def _read(self, consultation, user):
        self.env.invalidate_all()
        record = consultation.with_user(user)
        return record.question, record.answer

    def test_new_consultation_key_is_held_by_its_two_readers_only(self):
        consultation = self._ask()
        grants = self._grants(consultation)
        self.assertEqual(grants.user_id, self.internal | self.counsellor)
        self.assertFalse(grants.organisation_id, "no recovery key holds a consultation")
        self.assertFalse(grants.filtered("sealed_as"))
        self.assertFalse(
            self.env["vp.record.key"]
            .sudo()
            .search([("res_model", "=", "vp.consultation"), ("res_id", "=", consultation.id)]),
            "never wrapped under the master key",
        )

    def test_consultation_of_the_release_before_opens_for_its_readers_after_the_update(self):
        consultation = self._ask()
        data_key = self._as_the_release_before(consultation)
        run_migration(self.env.cr)
        grants = self._grants(consultation)
        self.assertEqual(
            {(grant.user_id, grant.sealed_as, grant.kind) for grant in grants},
            {(self.internal, "asker", "sealed"), (self.counsellor, "adviser", "sealed")},
        )
        self.env.cr.execute("SELECT asker_grant, adviser_grant FROM vp_consultation WHERE id = %s", consultation.ids)
        self.assertEqual(self.env.cr.fetchone(), (None, None), "the key stays in the key store only")
        self.assertFalse(
            self.env["vp.record.key"].sudo().search([("res_model", "=", "vp.consultation")]),
            "still no master-key copy",
        )
        for user in (self.internal, self.counsellor):
            self.assertEqual(self._read(consultation, user), (QUESTION, ANSWER))
            self.assertEqual(
                self.env["vp.record.key"].with_user(user)._get_data_keys("vp.consultation", consultation.ids),
                {consultation.id: data_key},
            )
        # The first open moved each grant under its reader's keyring key; it opens again.
        self.assertEqual(set(self._grants(consultation).mapped("kind")), {"keyring"})
        for user in (self.internal, self.counsellor):
            self.assertEqual(self._read(consultation, user), (QUESTION, ANSWER))
        # Running the script again moves nothing twice.
        run_migration(self.env.cr)
        self.assertEqual(len(self._grants(consultation)), 2)

    def test_a_moved_grant_opens_for_nobody_else(self):
        consultation = self._ask()
        self._as_the_release_before(consultation)
        run_migration(self.env.cr)
        for user in (self.counsellor2, self.coordinator, self.hr, self.admin):
            with self.assertRaises(AccessError):
                consultation.with_user(user).read(["question"])
        # The administrator copies the asker's moved grant to another counsellor, role
        # and all: it is sealed for the asker's public key and opens with hers only.
        asker_grant = self._grants(consultation).filtered(lambda grant: grant.user_id == self.internal)
        self.env.cr.execute(
            "INSERT INTO vp_record_grant (res_model, res_id, user_id, kind, token, sealed_as) "
            "SELECT res_model, res_id, %s, kind, token, sealed_as FROM vp_record_grant WHERE id = %s",
            (self.counsellor2.id, asker_grant.id),
        )
        self.env.invalidate_all()
        with self.assertRaises(keyring.VaultError):
            self.env["vp.record.key"].with_user(self.counsellor2)._get_data_keys("vp.consultation", consultation.ids)
        # Nor does a moved grant open as the other reader's (another role's associated data).
        grants = self.env["vp.record.grant"].sudo()
        self.assertNotEqual(
            grants._vp_aad("vp.consultation", consultation.id, "user:1", "asker"),
            grants._vp_aad("vp.consultation", consultation.id, "user:1", "adviser"),
        )
        # A role is honoured for a consultation's grant only: on any other model the
        # grant is bound as every grant there is.
        self.assertEqual(
            grants._vp_aad("vp.notice", consultation.id, "user:1", "asker"),
            grants._vp_aad("vp.notice", consultation.id, "user:1"),
        )
