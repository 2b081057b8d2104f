"""The vault as a counsellor uses it: changing the passphrase, locking now, a
list of many cases read and logged in a fixed number of queries, and the
content access log written in one statement per batch that names only the
person whose own key opened the read."""

from freezegun import freeze_time

from odoo.addons.vertrouwenspersoon.models.keys.vp_reader_key import WrongPassphrase
from odoo.addons.vertrouwenspersoon.vault import keyring
from odoo.addons.vertrouwenspersoon.vault import session as vault_session
from odoo.exceptions import UserError
from odoo.tests import HttpCase, TransactionCase, tagged

from .common import (
    DEMO_PASSPHRASES,
    VpCaseCommon,
    confirm_identity,
    json_call,
    make_legacy,
    master_key_configured,
    new_counsellor,
    translate,
    web_read,
)

NEW_PASSPHRASE = "een heel andere lange zin"


@tagged("post_install", "-at_install")
class TestPassphraseChange(VpCaseCommon, TransactionCase):
    def _key(self, user):
        return self.env["vp.reader.key"]._vp_key_of(user.ids)

    def test_change_reseals_only_the_private_key(self):
        key = self._key(self.counsellor)
        before = key.read(["public_key", "sealed_private_key", "sealed_keyring_key"])[0]
        keys = self.env["vp.reader.key"].with_user(self.counsellor)
        opened = keys._vp_set_passphrase(NEW_PASSPHRASE, DEMO_PASSPHRASES["counsellor"])
        self.env.invalidate_all()
        after = key.read(["public_key", "sealed_private_key", "sealed_keyring_key"])[0]
        self.assertNotEqual(before["sealed_private_key"], after["sealed_private_key"])
        self.assertEqual(before["public_key"], after["public_key"])
        self.assertEqual(before["sealed_keyring_key"], after["sealed_keyring_key"])
        # The old passphrase opens nothing any more, the new one opens the same key and cases.
        with self.assertRaises(keyring.VaultError):
            keyring.open_private_key(
                after["sealed_private_key"], DEMO_PASSPHRASES["counsellor"], key._vp_aad(key.user_id.id)
            )
        with vault_session.opened_with_passphrase(keys.env, NEW_PASSPHRASE) as reopened:
            self.assertEqual(reopened.keyring_key, opened.keyring_key)
            self.assertEqual(self.case.with_user(self.counsellor).notes, self.NOTES)
        log = self.env["vp.audit.log"].sudo().search([("user_id", "=", self.counsellor.id)], limit=4)
        self.assertEqual(log.mapped("action"), ["read", "unlock", "passphrase_changed", "unlock"])

    @freeze_time("2026-12-02 10:00:00")  # the wait after three failures is two seconds: no clock running out
    def test_wrong_old_passphrase_counts_as_a_wrong_unlock(self):
        keys = self.env["vp.reader.key"].with_user(self.counsellor)
        sealed = self._key(self.counsellor).sealed_private_key
        for _attempt in range(3):
            # Not assertRaises: VpCaseCommon's rolls back what the failing call wrote, and the
            # count of failures is what is checked (the route answers without raising, so it is kept).
            try:
                keys._vp_set_passphrase(NEW_PASSPHRASE, "niet mijn oude zin 123")
            except WrongPassphrase as error:
                self.assertIn("not your vault passphrase", str(error))
            else:
                self.fail("a wrong old passphrase changed the passphrase")
        key = self._key(self.counsellor)
        self.assertEqual(key.sealed_private_key, sealed)
        self.assertEqual(key.failed_attempts, 3)
        self.assertTrue(key.retry_after)
        with self.assertRaisesRegex(UserError, "Too many wrong passphrases"):
            keys._vp_set_passphrase(NEW_PASSPHRASE, DEMO_PASSPHRASES["counsellor"])
        failed = (
            self.env["vp.audit.log"]
            .sudo()
            .search([("user_id", "=", self.counsellor.id), ("action", "=", "unlock_failed")])
        )
        self.assertEqual(len(failed), 3)

    def test_new_passphrase_rules_hold_for_a_change(self):
        keys = self.env["vp.reader.key"].with_user(self.counsellor)
        with self.assertRaisesRegex(UserError, "at least 12 characters"):
            keys._vp_set_passphrase("kort", DEMO_PASSPHRASES["counsellor"])
        self.counsellor.sudo().password = NEW_PASSPHRASE
        with self.assertRaisesRegex(UserError, "differ from your login password"):
            keys._vp_set_passphrase(NEW_PASSPHRASE, DEMO_PASSPHRASES["counsellor"])


@tagged("post_install", "-at_install")
class TestVaultRoutes(VpCaseCommon, HttpCase):
    def _read_notes(self):
        return web_read(self, self.case, {"notes": {}})

    def test_change_passphrase_and_lock_now_over_the_routes(self):
        self.authenticate("vp_counsellor", "vp_counsellor")
        self.env["res.users"].browse(self.counsellor.id).sudo().lang = "nl_NL"
        # Changing the passphrase asks for the password and the second factor again first.
        answer = json_call(
            self,
            "/vertrouwenspersoon/vault/passphrase",
            {"old_passphrase": DEMO_PASSPHRASES["counsellor"], "passphrase": NEW_PASSPHRASE},
        )["result"]
        self.assertFalse(answer["unlocked"])
        self.assertEqual(answer["identity_check"]["res_model"], "res.users.identitycheck")
        confirm_identity(self, "vp_counsellor")
        # Wrong old passphrase: the same answer as a wrong unlock, in Dutch, counted and logged.
        answer = json_call(
            self,
            "/vertrouwenspersoon/vault/passphrase",
            {"old_passphrase": "niet mijn oude zin 123", "passphrase": NEW_PASSPHRASE},
        )["result"]
        self.assertFalse(answer["unlocked"])
        self.assertEqual(answer["message"], translate("That is not your vault passphrase."))
        self.assertEqual(self.env["vp.reader.key"]._vp_key_of(self.counsellor.ids).failed_attempts, 1)
        self.assertIn("error", self._read_notes())
        # The right one: re-sealed, and this session is unlocked with it.
        answer = json_call(
            self,
            "/vertrouwenspersoon/vault/passphrase",
            {"old_passphrase": DEMO_PASSPHRASES["counsellor"], "passphrase": NEW_PASSPHRASE},
        )["result"]
        self.assertTrue(answer["unlocked"])
        self.assertEqual(self._read_notes()["result"][0]["notes"], self.NOTES)
        # Lock now: the same session reads nothing until it unlocks again, with the new passphrase only.
        self.assertFalse(json_call(self, "/vertrouwenspersoon/vault/lock")["result"]["unlocked"])
        self.assertFalse(json_call(self, "/vertrouwenspersoon/vault/status")["result"]["unlocked"])
        self.assertIn("error", self._read_notes())
        old = json_call(self, "/vertrouwenspersoon/vault/unlock", {"passphrase": DEMO_PASSPHRASES["counsellor"]})
        self.assertFalse(old["result"]["unlocked"])
        new = json_call(self, "/vertrouwenspersoon/vault/unlock", {"passphrase": NEW_PASSPHRASE})
        self.assertTrue(new["result"]["unlocked"])
        self.assertEqual(self._read_notes()["result"][0]["notes"], self.NOTES)

    def test_readers_are_asked_at_start(self):
        """Counsellors and HR are asked to unlock when the backend opens (before: HR only when
        a notice refused to open, then had to open it again); others are not asked."""
        for login, asked in (("vp_counsellor", True), ("vp_hr", True), ("vp_coordinator", False)):
            self.authenticate(login, login)
            self.assertEqual(json_call(self, "/vertrouwenspersoon/vault/status")["result"]["is_reader"], asked, login)


LIST_SPEC = {"name": {}, "state": {}, "employee_name": {}}


@tagged("post_install", "-at_install", "is_query_count")
class TestContentListQueries(VpCaseCommon, TransactionCase):
    """A counsellor's list with the employee's name decrypted
    costs the same number of queries for 5 cases as for 40: the keys come in
    one query, the log goes in one statement."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for index in range(40):
            cls.new_case(cls.counsellor, employee_name=f"Medewerker {index}")
        cls.env.flush_all()

    def _list(self, limit):
        self.env.invalidate_all()
        return (
            self.env["vp.case"]
            .with_user(self.counsellor)
            .web_search_read([("counsellor_id", "=", self.counsellor.id)], LIST_SPEC, limit=limit)
        )

    def test_list_with_names_does_not_grow_with_the_cases(self):
        self._list(40)  # the first read moves sealed grants under the keyring key
        with self.assertQueryCount(10):
            small = self._list(5)
        with self.assertQueryCount(10):
            large = self._list(40)
        self.assertEqual(len(small["records"]), 5)
        self.assertEqual(len(large["records"]), 40)
        self.assertTrue(all(record["employee_name"] for record in large["records"]))

    def test_first_read_after_intake_does_not_grow_either(self):
        """Sealed grants are opened and moved under the keyring key in one UPDATE."""
        with self.assertQueryCount(22):
            self._list(5)
        with self.assertQueryCount(22):
            self._list(40)

    def test_log_has_one_line_per_case_naming_whose_key_opened_it(self):
        log = self.env["vp.audit.log"].sudo()
        before = log.search([]).ids
        shown = self._list(40)["records"]
        lines = log.search([("id", "not in", before)])
        self.assertEqual(len(lines), 40)
        self.assertEqual(sorted(lines.case_id.ids), sorted(record["id"] for record in shown))
        self.assertEqual(lines.user_id, self.counsellor)
        self.assertEqual(set(lines.mapped("action")), {"read"})
        self.assertEqual(set(lines.mapped("key_source")), {"vault"})
        self.assertEqual(
            sorted(lines.mapped("case_number")), sorted(record["name"] for record in shown), "numbers from the cases"
        )

    def test_a_case_on_the_master_key_is_logged_as_such(self):
        # A case as a database from before reader-held keys holds it: on the master key,
        # its counsellor without a key pair yet.
        self.enterContext(master_key_configured())
        newcomer = new_counsellor(self.env, "Nieuwe collega", "vp_test_newcomer_log", passphrase=None)
        self.organisation.sudo().counsellor_ids |= newcomer
        case = make_legacy(self.new_case(self.counsellor2), counsellor=newcomer)
        self.env.invalidate_all()
        self.assertEqual(case.with_user(newcomer).employee_name, self.NAME)
        line = self.env["vp.audit.log"].sudo().search([("case_id", "=", case.id), ("action", "=", "read")], limit=1)
        self.assertEqual(line.user_id, newcomer)
        self.assertEqual(line.key_source, "master", "no secret of hers was needed: the line must not pretend it was")

    def test_the_log_cannot_be_written_by_hand(self):
        """No user, the administrator included, writes a line naming someone else."""
        vals = {"case_id": self.case.id, "user_id": self.counsellor.id, "action": "read", "key_source": "vault"}
        for user in (self.admin, self.counsellor):
            with self.assertRaisesRegex(UserError, "written by the system only"):
                self.env["vp.audit.log"].with_user(user).sudo().create(vals)
        line = self.env["vp.audit.log"].sudo().search([], limit=1)
        with self.assertRaisesRegex(UserError, "cannot be changed"):
            line.write({"user_id": self.counsellor2.id})
