"""Reader-held keys: neither the Odoo administrator nor the server alone reads a case.

Each test plays an attack of the vault issue (point 1) or checks a property
(sessions, idle lock, migration, handovers, shredding). On the version before
reader-held keys every "refused" here was a read of the content.
"""

import json
import time

from odoo.addons.vertrouwenspersoon.vault import keyring
from odoo.addons.vertrouwenspersoon.vault import session as vault_session
from odoo.exceptions import AccessError, UserError
from odoo.http import root
from odoo.tests import HttpCase, TransactionCase, tagged

from .common import (
    DEMO_PASSPHRASES,
    VpCaseCommon,
    demo_user,
    json_call,
    make_legacy,
    master_key_configured,
    new_counsellor,
    run_admin_server_action,
    translate,
    web_read,
)


class _Locked:
    """Leave the test's own unlocked scopes for a block: the server as it
    runs with nobody typing a passphrase."""

    def __enter__(self):
        self.saved = list(vault_session._scope_stack())
        vault_session._scope_stack().clear()

    def __exit__(self, *exc):
        vault_session._scope_stack().extend(self.saved)


@tagged("post_install", "-at_install")
class TestVaultServerSide(VpCaseCommon, TransactionCase):
    def test_case_content_is_held_by_its_readers_not_the_master_key(self):
        self.assertFalse(
            self.env["vp.record.key"].sudo().search([("res_model", "=", "vp.case"), ("res_id", "=", self.case.id)])
        )
        grants = (
            self.env["vp.record.grant"].sudo().search([("res_model", "=", "vp.case"), ("res_id", "=", self.case.id)])
        )
        self.assertIn(self.counsellor, grants.user_id)
        self.assertTrue(all(grant.token for grant in grants))
        self.assertEqual(self.case.with_user(self.counsellor).notes, self.NOTES)

    def test_nothing_on_the_server_decrypts_without_the_passphrase(self):
        """sudo, with_user, the superuser, a scheduled job: all locked."""
        with _Locked():
            for env in (
                self.case.with_user(self.counsellor).env,
                self.case.with_user(self.counsellor).sudo().env,
            ):
                with self.assertRaises(vault_session.VaultLocked):
                    self.case.with_env(env).notes  # noqa: B018
                self.env.invalidate_all()
            # The superuser writes new content (intake) but reads none back.
            with self.assertRaises(UserError):
                self.case.sudo().notes  # noqa: B018

    def test_data_keys_need_the_readers_private_key(self):
        """With every row of the database and the master key, a grant does not open:
        it is sealed for the reader's public key, whose private half is sealed
        under the passphrase (scrypt)."""
        grant = (
            self.env["vp.record.grant"]
            .sudo()
            .search(
                [("res_model", "=", "vp.case"), ("res_id", "=", self.case.id), ("user_id", "=", self.counsellor.id)]
            )
        )
        key = self.env["vp.reader.key"]._vp_key_of(self.counsellor.ids)
        for guess in ("vp_counsellor", "admin", ""):
            with self.assertRaises(keyring.VaultError):
                keyring.open_private_key(key.sealed_private_key, guess, key._vp_aad(self.counsellor.id))
        self.assertNotIn(DEMO_PASSPHRASES["counsellor"], key.sealed_private_key + (grant.token or ""))

    def test_wrong_passphrase_is_slowed_down_and_logged(self):
        keys = self.env["vp.reader.key"].with_user(self.counsellor2)
        for _attempt in range(3):
            try:
                keys._vp_open("verkeerde zin 12345")
            except UserError as error:
                self.assertIn("not your vault passphrase", str(error))
        key = keys._vp_key_of(self.counsellor2.ids)
        self.assertEqual(key.failed_attempts, 3)
        self.assertTrue(key.retry_after)
        with self.assertRaisesRegex(UserError, "Too many wrong passphrases"):
            keys._vp_open(DEMO_PASSPHRASES["counsellor2"])
        log = (
            self.env["vp.audit.log"]
            .sudo()
            .search([("user_id", "=", self.counsellor2.id), ("action", "=", "unlock_failed")])
        )
        self.assertEqual(len(log), 3)

    def test_a_password_reset_opens_nothing(self):
        """The administrator resets the counsellor's login password: the vault
        passphrase is another secret, and the new password does not open it."""
        self.counsellor.with_user(self.admin).sudo().password = "nieuw-wachtwoord-123"
        with self.assertRaises(UserError):
            self.env["vp.reader.key"].with_user(self.counsellor)._vp_open("nieuw-wachtwoord-123")
        self.employee.sudo().password = "nieuw-wachtwoord-123"
        with self.assertRaisesRegex(UserError, "differ from your login password"):
            self.env["vp.reader.key"].with_user(self.employee)._vp_set_passphrase("nieuw-wachtwoord-123")

    def test_shredding_leaves_no_key(self):
        self.case.with_user(self.counsellor).action_open()
        self.case.with_user(self.counsellor).action_close()
        self.case.with_user(self.counsellor)._vp_erase_on_request()
        self.assertFalse(
            self.env["vp.record.grant"].sudo().search([("res_model", "=", "vp.case"), ("res_id", "=", self.case.id)])
        )
        self.assertFalse(
            self.env["vp.record.key"].sudo().search([("res_model", "=", "vp.case"), ("res_id", "=", self.case.id)])
        )

    def test_new_counsellor_moves_off_the_master_key_when_setting_a_passphrase(self):
        # A database from before reader-held keys: the case on the master key, its
        # counsellor without a key pair (nothing new is stored this way).
        self.enterContext(master_key_configured())
        newcomer = new_counsellor(self.env, "Nieuwe collega", "vp_test_newcomer", passphrase=None)
        case = make_legacy(self.new_case(self.counsellor2), counsellor=newcomer)
        self.assertTrue(
            self.env["vp.record.key"].sudo().search([("res_model", "=", "vp.case"), ("res_id", "=", case.id)]),
            "master key meanwhile",
        )
        before = self.env["vp.record.key"]._vp_master_key_dependants()
        keys = self.env["vp.reader.key"].with_user(newcomer)
        opened = keys._vp_set_passphrase("een nieuwe lange zin")
        with vault_session.opened(keys.env, opened):
            self.assertEqual(self.env["vp.record.key"].with_user(newcomer)._vp_migrate_current_reader(), 1)
            self.assertEqual(case.with_user(newcomer).notes, self.NOTES)
        self.assertEqual(self.env["vp.record.key"]._vp_master_key_dependants(), before - 1)
        self.env.invalidate_all()
        with _Locked(), self.assertRaises(vault_session.VaultLocked):
            case.with_user(newcomer).notes  # noqa: B018

    def test_handover_shares_the_key_but_never_with_the_other_side(self):
        accused = self.new_case(self.counsellor2, side="accused")
        self.env["vp.case.link"].create({"reporter_case_id": self.case.id, "accused_case_id": accused.id})
        readers = self.case._vp_key_readers()
        self.assertNotIn(self.counsellor2, readers, "the accused party's counsellor never holds the key")
        grants = (
            self.env["vp.record.grant"].sudo().search([("res_model", "=", "vp.case"), ("res_id", "=", self.case.id)])
        )
        self.assertNotIn(self.counsellor2, grants.user_id)

    def test_reassigned_counsellor_waits_until_a_reader_opens_the_case(self):
        # Drop the roster backup's grant to see the waiting state on its own.
        case = self.new_case(self.counsellor)
        self.env["vp.record.grant"].sudo().search(
            [("res_model", "=", "vp.case"), ("res_id", "=", case.id), ("user_id", "!=", self.counsellor.id)]
        ).unlink()
        with _Locked():
            wizard = (
                self.env["vp.case.reassign.wizard"]
                .with_user(self.coordinator)
                .create({"case_id": case.id, "counsellor_id": self.counsellor2.id, "reason": "Werkdruk"})
            )
            wizard.action_reassign()
        grant = (
            self.env["vp.record.grant"]
            .sudo()
            .search([("res_model", "=", "vp.case"), ("res_id", "=", case.id), ("user_id", "=", self.counsellor2.id)])
        )
        self.assertTrue(grant)
        self.assertFalse(grant.token, "the coordinator holds no key: the new counsellor waits")
        with self.assertRaisesRegex(
            vault_session.VaultLocked, translate(str(vault_session.WAITING_MESSAGE._source))[:20]
        ):
            case.with_user(self.counsellor2).notes  # noqa: B018
        # The former counsellor still holds the key; the next open of the case
        # by a holder (here through the key store, as a handover would) fulfils it.
        self.env["vp.record.key"].with_user(self.counsellor)._get_data_keys("vp.case", [case.id])
        self.env.invalidate_all()
        self.assertTrue(grant.token)
        self.assertEqual(case.with_user(self.counsellor2).notes, self.NOTES)

    def _case_without_roster_backups(self):
        """A case of the counsellor's whose region names no backups: in the demo
        the two counsellors back each other up, and a backup keeps the key."""
        self.env["vp.roster.line"].sudo().search([("region_id", "=", self.region.id)]).backup_user_id = False
        return self.new_case(self.counsellor)

    def _grant_holders(self, case):
        grants = self.env["vp.record.grant"].sudo().search([("res_model", "=", "vp.case"), ("res_id", "=", case.id)])
        return grants.user_id

    def _hand_over(self, case, user):
        return (
            self.env["vp.case.handover"]
            .with_user(self.counsellor)
            .create({"case_id": case.id, "to_user_id": user.id, "reason": "absence"})
        )

    def test_a_reassigned_counsellor_keeps_no_key_once_the_new_one_holds_it(self):
        """The former counsellor, her vault open, asks the key store itself for
        the key (past every check on the case): after the reassignment it has
        none for her. Her grant went as soon as a current reader held the key."""
        case = self._case_without_roster_backups()
        self._hand_over(case, self.counsellor2)
        self.assertIn(self.counsellor2, self._grant_holders(case), "the handover sealed the key for her")
        with _Locked():
            self.reassign(case, self.counsellor2)
        self.assertNotIn(self.counsellor, self._grant_holders(case))
        with self.assertRaises(vault_session.VaultLocked):
            self.env["vp.record.key"].with_user(self.counsellor)._get_data_keys("vp.case", case.ids)
        with self.assertRaises(AccessError):
            case.with_user(self.counsellor).notes  # noqa: B018
        self.assertEqual(case.with_user(self.counsellor2).notes, self.NOTES)

    def test_a_waiting_new_counsellor_gets_the_key_at_the_former_ones_unlock_and_she_loses_it(self):
        """Nobody holding the key is present at the reassignment: the new counsellor
        waits, the former one's grant stays (else the key would be lost); at her next
        unlock the key passes to the new counsellor and her own grant goes."""
        case = self._case_without_roster_backups()
        with _Locked():
            self.reassign(case, self.counsellor2)
        self.assertIn(self.counsellor, self._grant_holders(case), "the only grant that opens the key stays")
        # Her unlock (with any case of hers someone waits for).
        self.assertGreaterEqual(self.env["vp.record.key"].with_user(self.counsellor)._vp_fulfil_waiting_for_holder(), 1)
        self.env.invalidate_all()
        self.assertNotIn(self.counsellor, self._grant_holders(case))
        with self.assertRaises(vault_session.VaultLocked):
            self.env["vp.record.key"].with_user(self.counsellor)._get_data_keys("vp.case", case.ids)
        self.assertEqual(case.with_user(self.counsellor2).notes, self.NOTES)

    def test_an_ended_handover_takes_the_colleagues_key(self):
        case = self._case_without_roster_backups()
        handover = self._hand_over(case, self.counsellor2)
        self.assertEqual(case.with_user(self.counsellor2).notes, self.NOTES)
        handover.with_user(self.counsellor).action_end()
        self.env.invalidate_all()
        self.assertNotIn(self.counsellor2, self._grant_holders(case))
        with self.assertRaises(vault_session.VaultLocked):
            self.env["vp.record.key"].with_user(self.counsellor2)._get_data_keys("vp.case", case.ids)
        self.assertEqual(case.with_user(self.counsellor).notes, self.NOTES)


@tagged("post_install", "-at_install")
class TestVaultOverHttp(VpCaseCommon, HttpCase):
    def _json(self, route, params):
        return json_call(self, route, params)

    def _read_notes(self):
        return web_read(self, self.case, {"notes": {}})

    def test_administrator_server_action_as_the_counsellor_is_locked(self):
        """The attack of the issue: the administrator creates and runs a server
        action that reads cases "as" the counsellor, while the counsellor is
        unlocked in her own browser. It gets the locked error, no content."""
        self.authenticate("vp_counsellor", "vp_counsellor")
        self.assertTrue(
            self._json("/vertrouwenspersoon/vault/unlock", {"passphrase": DEMO_PASSPHRASES["counsellor"]})["result"][
                "unlocked"
            ]
        )
        self.assertEqual(self._read_notes()["result"][0]["notes"], self.NOTES)
        code = (
            f"case = env['vp.case'].browse({self.case.id})\n"
            "raise UserError(str(case.with_user(case.sudo().counsellor_id).sudo().notes))"
        )
        fault, response = run_admin_server_action(self, code, secret=self.NOTES)
        self.assertIn("without a web session", fault)
        # The same through the administrator's own browser session: locked too.
        # Refused before any key is looked for: the session user is not the counsellor.
        self.assertEqual(response["error"]["data"]["name"], "odoo.exceptions.AccessError")

    def test_two_sessions_and_idle_lock(self):
        self.authenticate("vp_counsellor", "vp_counsellor")
        self.assertIn("error", self._read_notes())
        self._json("/vertrouwenspersoon/vault/unlock", {"passphrase": DEMO_PASSPHRASES["counsellor"]})
        self.assertEqual(self._read_notes()["result"][0]["notes"], self.NOTES)
        # The session store holds the key only wrapped; without the cookie it opens nothing.
        self.opener.cookies.pop("vp_vault")
        self.assertIn("error", self._read_notes())
        # A second session of the same counsellor unlocks on its own.
        self.opener.cookies.clear()
        self.authenticate("vp_counsellor", "vp_counsellor")
        self.assertIn("error", self._read_notes())
        self._json("/vertrouwenspersoon/vault/unlock", {"passphrase": DEMO_PASSPHRASES["counsellor"]})
        self.assertEqual(self._read_notes()["result"][0]["notes"], self.NOTES)
        # Idle longer than the organisation's lock time: locked again.
        sid = [cookie.value for cookie in self.opener.cookies if cookie.name == "session_id"][-1]
        stored = root.session_store.get(sid)
        stored["vp_vault"]["last_used"] = time.time() - 31 * 60
        root.session_store.save(stored)
        self.assertIn("error", self._read_notes())
        # Logging out forgets it too.
        self._json("/vertrouwenspersoon/vault/unlock", {"passphrase": DEMO_PASSPHRASES["counsellor"]})
        self.url_open("/web/session/logout")
        self.opener.cookies.clear()
        self.authenticate("vp_counsellor", "vp_counsellor")
        self.assertIn("error", self._read_notes())

    def test_intake_case_is_sealed_for_the_assigned_counsellor_only(self):
        counsellor = demo_user(self.env, "counsellor")
        case = (
            self.env["vp.case"]
            .with_user(1)
            ._vp_register_request(
                self.organisation,
                "4811",
                "web",
                {"employee_name": "Intake Melder", "employee_phone": "06-11112222"},
                notes="Via het formulier",
            )
        )
        self.assertFalse(
            self.env["vp.record.key"].sudo().search([("res_model", "=", "vp.case"), ("res_id", "=", case.id)])
        )
        holders = (
            self.env["vp.record.grant"].sudo().search([("res_model", "=", "vp.case"), ("res_id", "=", case.id)]).user_id
        )
        self.assertIn(case.counsellor_id, holders)
        self.assertTrue(holders <= case._vp_key_readers())
        self.assertTrue(counsellor)


@tagged("post_install", "-at_install")
class TestRecoveryKey(VpCaseCommon, TransactionCase):
    def test_forgotten_passphrase_is_recovered_by_the_coordinator_without_reading(self):
        organisation = self.organisation.with_user(self.coordinator)
        with self.assertRaises(AccessError):
            self.organisation.with_user(self.counsellor)._vp_make_recovery_key()
        code = organisation._vp_make_recovery_key()
        self.assertNotIn(code, json.dumps(self.organisation.sudo().read()[0], default=str))
        with self.assertRaisesRegex(UserError, "already has a recovery key"):
            organisation._vp_make_recovery_key()
        # At her next unlock, the counsellor's existing cases are sealed for it too.
        self.assertGreaterEqual(self.env["vp.record.key"].with_user(self.counsellor)._vp_top_up_recovery(), 1)
        self.assertTrue(
            self.env["vp.record.grant"]
            .sudo()
            .search([("res_model", "=", "vp.case"), ("res_id", "=", self.case.id), ("organisation_id", "!=", False)])
        )
        # She forgets her passphrase: a new key pair opens none of her old grants.
        self.env["vp.reader.key"]._vp_key_of(self.counsellor.ids).unlink()
        self.env["vp.record.grant"].sudo().search(
            [("res_model", "=", "vp.case"), ("user_id", "=", self.counsellor.id)]
        ).unlink()
        keys = self.env["vp.reader.key"].with_user(self.counsellor)
        opened = keys._vp_set_passphrase("mijn nieuwe lange zin")
        self.env.invalidate_all()
        with _Locked(), vault_session.opened(keys.env, opened), self.assertRaises(UserError):
            self.case.with_user(self.counsellor).notes  # noqa: B018
        # A wrong code is refused and logged; the right one gives the case back to her, not to the coordinator.
        with self.assertRaisesRegex(UserError, "not the recovery code"):
            organisation._vp_use_recovery_key("AAAA-AAAA-AAAA-AAAA-AAAA-AAAA-AAAA-AAAA")
        self.assertGreaterEqual(organisation._vp_use_recovery_key(code.lower()), 1)
        self.assertFalse(
            self.env["vp.record.grant"]
            .sudo()
            .search(
                [("res_model", "=", "vp.case"), ("res_id", "=", self.case.id), ("user_id", "=", self.coordinator.id)]
            )
        )
        self.env.invalidate_all()
        with _Locked(), vault_session.opened(keys.env, opened):
            self.assertEqual(self.case.with_user(self.counsellor).notes, self.NOTES)
        log = self.env["vp.audit.log"].sudo().search([("action", "=", "recovery"), ("case_id", "=", self.case.id)])
        self.assertEqual(log.user_id, self.coordinator)
