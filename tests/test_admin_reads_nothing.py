"""The administrator reads nothing, through data either.

An Odoo administrator can try to read content without changing any code: a
recovery key of his own written into the database, requests sealed under the
server's master key, a record rule run inside a reader's request
(tests/test_lockdown.py) and the content access log emptied by SQL. Each test
here plays that attacker, with each of these steps and with other members of
the same class of attack. Where the attack needs SQL
(the lockdown refuses the server action that would run it), the test runs the
SQL itself: that is what an administrator could do where the lockdown is off,
or anyone with the database."""

import base64
import os
import xmlrpc.client
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from odoo.addons.vertrouwenspersoon.tools import guards
from odoo.addons.vertrouwenspersoon.vault import crypto, keyring
from odoo.exceptions import ValidationError
from odoo.tests import HttpCase, TransactionCase, tagged
from odoo.tools import config

from .common import (
    DEMO_PASSPHRASES,
    VpCaseCommon,
    admin_xmlrpc,
    json_call,
    make_legacy,
    master_key_configured,
    new_counsellor,
    opened_as,
    translate,
    unlock_session,
    unlocked,
    web_read,
)

REPO = Path(__file__).resolve().parent.parent
ATTACKER = X25519PrivateKey.generate()
ATTACKER_PUBLIC = keyring._b64(keyring.public_bytes(ATTACKER))


def attacker_opens(grants):
    """The grants the attacker's private key opens (of cases and records)."""
    opened = grants.browse()
    for grant in grants.filtered("token"):
        try:
            keyring.open_sealed(ATTACKER, grant.token, grant._vp_aad(grant.res_model, grant.res_id, grant._vp_holder()))
        except keyring.VaultError:
            continue
        opened |= grant
    return opened


class AttackerCommon(VpCaseCommon):
    def register(self, organisation=None, postcode="4811", channel="web", name="Testpersoon Geheim"):
        """A request through the intake page's own code (as the public page calls it)."""
        return (
            self.env["vp.case"]
            .sudo()
            ._vp_register_request(
                organisation or self.organisation,
                postcode,
                channel,
                {"employee_name": name, "employee_phone": "06-11112222"},
                notes="Geheim bericht",
            )
        )

    def grants_of(self, case):
        return self.env["vp.record.grant"].sudo().search([("res_model", "=", "vp.case"), ("res_id", "=", case.id)])


@tagged("post_install", "-at_install")
class TestKeysAreAuthentic(AttackerCommon, HttpCase):
    def _plant_recovery_key(self, organisation):
        """What the administrator's recovery-key server action wrote."""
        self.env.cr.execute(
            "UPDATE vp_organisation SET recovery_public_key = %s, recovery_salt = %s WHERE id = %s",
            (ATTACKER_PUBLIC, base64.b64encode(os.urandom(16)).decode(), organisation.id),
        )
        self.env.invalidate_all()

    def test_server_action_planting_a_recovery_key_is_refused(self):
        """A server action that plants a recovery key: the lockdown refuses it."""
        code = (
            f"env['vp.organisation'].sudo().browse({self.organisation.id})"
            f".write({{'recovery_public_key': '{ATTACKER_PUBLIC}'}})"
        )
        values = {"name": "maintenance", "model_id": self.env["ir.model"]._get_id("res.partner"), "state": "code"}
        with self.assertRaises(xmlrpc.client.Fault):
            admin_xmlrpc(self)("ir.actions.server", "create", {**values, "code": code})

    def test_planted_recovery_key_is_never_sealed_for(self):
        """A recovery key planted through data, not made in the app, seals nothing, at an
        ordinary unlock or at a new intake, and the counsellor is told."""
        self._plant_recovery_key(self.organisation)
        self.assertTrue(self.organisation.recovery_key_invalid)
        self.assertFalse(self.organisation.has_recovery_key)
        self.authenticate("vp_counsellor", "vp_counsellor")
        result = unlock_session(self, "counsellor")
        self.assertTrue(result["unlocked"])
        self.assertTrue(any(self.organisation.name in notice for notice in result["notices"]), result["notices"])
        case = self.register()
        self.assertTrue(case.counsellor_id, "sealed for a reader")
        recovery_grants = (
            self.env["vp.record.grant"]
            .sudo()
            .search([("res_model", "=", "vp.case"), ("organisation_id", "=", self.organisation.id)])
        )
        self.assertFalse(recovery_grants)
        self.assertFalse(attacker_opens(self.env["vp.record.grant"].sudo().search([])))

    def test_replaced_reader_key_is_not_used_and_set_back(self):
        """The administrator writes his public key into a
        counsellor's own key row. Nothing is sealed for it; her next unlock sets her
        key back and tells her."""
        key = self.env["vp.reader.key"].sudo().search([("user_id", "=", self.counsellor2.id)])
        real = key.public_key
        self.env.cr.execute("UPDATE vp_reader_key SET public_key = %s WHERE id = %s", (ATTACKER_PUBLIC, key.id))
        self.env.invalidate_all()
        self.assertNotIn(self.counsellor2.id, self.env["vp.reader.key"]._vp_ready_user_ids(self.counsellor2.ids))
        case = self.register()
        self.assertFalse(attacker_opens(self.grants_of(case)))
        waiting = self.grants_of(case).filtered(lambda grant: grant.user_id == self.counsellor2)
        self.assertFalse(waiting.token, "the roster backup waits for the key instead")
        self.authenticate("vp_counsellor2", "vp_counsellor2")
        result = unlock_session(self, "counsellor2")
        self.env.invalidate_all()
        self.assertEqual(key.public_key, real)
        self.assertTrue(result["notices"])

    def test_key_row_written_for_a_newcomer_is_not_used(self):
        """A new counsellor has no key pair yet; the
        administrator writes one of his own as hers. She gets no case, and a case
        she backs up is not sealed for it."""
        newcomer = new_counsellor(self.env, "Nieuwkomer", "vp_newcomer_planted", passphrase=None)
        self.env.cr.execute(
            "INSERT INTO vp_reader_key (user_id, public_key, sealed_private_key, sealed_keyring_key, failed_attempts)"
            " VALUES (%s, %s, 'vpk1:x', 'vps1:x', 0)",
            (newcomer.id, ATTACKER_PUBLIC),
        )
        self.env.invalidate_all()
        self.assertFalse(self.env["vp.reader.key"]._vp_ready_user_ids(newcomer.ids))
        line = self.region.roster_line_ids.filtered(lambda line: line.user_id == self.counsellor)
        line.write({"backup_user_id": newcomer.id, "max_open_cases": 1000, "sequence": 0})
        case = self.register()
        self.assertEqual(case.counsellor_id, self.counsellor)
        self.assertFalse(self.grants_of(case).filtered(lambda grant: grant.user_id == newcomer).token)
        self.assertFalse(attacker_opens(self.grants_of(case)))

    def test_recovery_key_made_by_the_coordinator_is_used(self):
        """The real thing still works: the coordinator's own key is sealed for."""
        code = self.organisation.with_user(self.coordinator)._vp_make_recovery_key()
        self.assertTrue(self.organisation.has_recovery_key)
        case = self.register()
        grant = self.grants_of(case).filtered("organisation_id")
        salt = base64.b64decode(self.organisation.sudo().recovery_salt)
        data_key = keyring.open_sealed(
            keyring.recovery_key_pair(code, salt), grant.token, grant._vp_aad("vp.case", case.id, grant._vp_holder())
        )
        self.assertEqual(len(data_key), 32)


@tagged("post_install", "-at_install")
class TestNothingUnderAServerKey(AttackerCommon, TransactionCase):
    def assertOnNoServerKey(self, case):
        self.assertFalse(
            self.env["vp.record.key"].sudo().search([("res_model", "=", "vp.case"), ("res_id", "=", case.id)])
        )
        self.assertTrue(self.grants_of(case).filtered("token"))

    def test_unknown_code_goes_to_the_duty_counsellor(self):
        """A request with a code nobody knows, on a deployment that still has a
        master key file. It is sealed for the duty counsellor, never under the key."""
        unknown = self.env.ref("vertrouwenspersoon.organisation_unknown")
        with master_key_configured():
            case = self.register(organisation=unknown)
        self.assertEqual(case.counsellor_id, self.counsellor, "first on the duty roster")
        self.assertTrue(case.placed_on_duty)
        self.assertOnNoServerKey(case)
        self.assertEqual(case.with_user(self.counsellor).employee_name, "Testpersoon Geheim")

    def test_no_free_counsellor_and_no_roster_go_to_duty(self):
        """Nobody free on the region's roster, and a region
        without a roster (as the coordinator's phone intake meets it)."""
        self.region.roster_line_ids.write({"max_open_cases": 0})
        full = self.register()
        self.env.ref("vertrouwenspersoon.region_west").roster_line_ids.unlink()
        nowhere = self.register(postcode="1011", channel="phone")
        for case in full | nowhere:
            self.assertTrue(case.placed_on_duty)
            self.assertOnNoServerKey(case)

    def test_duty_case_reaches_its_counsellor_without_the_server(self):
        """Reassigned by the coordinator, the new counsellor waits until the duty
        counsellor (who holds the key) next unlocks; the server never held it."""
        unknown = self.env.ref("vertrouwenspersoon.organisation_unknown")
        case = self.register(organisation=unknown)
        colleague = new_counsellor(self.env, "Collega", "vp_test_duty_colleague")
        self.reassign(case, colleague)
        self.assertFalse(case.placed_on_duty)
        mine = self.grants_of(case).filtered(lambda grant: grant.user_id == colleague)
        self.assertFalse(mine.token, "waiting: nobody present held the key")
        with unlocked(self.env, "counsellor") as opened:
            self.env["vp.reader.key"].with_user(self.counsellor)._vp_after_unlock(opened)
        self.assertTrue(mine.token)
        with opened_as(colleague):
            self.assertEqual(case.with_user(colleague).employee_name, "Testpersoon Geheim")
        self.assertOnNoServerKey(case)

    def test_notice_to_hr_without_a_key_waits_not_on_the_master_key(self):
        """A notice for an HR recipient who has no key pair."""
        newcomer = new_counsellor(
            self.env, "Nieuwe HR", "vp_new_hr", passphrase=None, group="vertrouwenspersoon.group_hr_notice"
        )
        self.organisation.hr_user_ids = newcomer
        with master_key_configured():
            consent = self.new_consent("Samenvatting met toestemming")
            Notice = self.env["vp.notice"].with_user(self.counsellor)
            notice = Notice.create(Notice._prepare_from_case(self.case.with_user(self.counsellor), consent))
            notice.action_send()
        self.assertFalse(
            self.env["vp.record.key"].sudo().search([("res_model", "=", "vp.notice"), ("res_id", "=", notice.id)])
        )
        grants = (
            self.env["vp.record.grant"].sudo().search([("res_model", "=", "vp.notice"), ("res_id", "=", notice.id)])
        )
        self.assertFalse(grants.filtered(lambda grant: grant.user_id == newcomer).token)
        self.assertTrue(grants.filtered(lambda grant: grant.user_id == self.counsellor).token)


@tagged("post_install", "-at_install")
class TestNewDeploymentHasNoMasterKey(AttackerCommon, HttpCase):
    def test_no_master_key_configured_anywhere(self):
        """bin/run, bin/test and docker-compose make none; the demo installed without one."""
        self.assertFalse(config.get(crypto.CONFIG_KEY))
        self.assertEqual(self.env["vp.record.key"]._vp_master_key_dependants(), 0)
        lib = (REPO / "bin" / "lib.sh").read_text()
        self.assertNotIn("master.key", lib)
        self.assertNotIn("keygen", (REPO / "docker-compose.yml").read_text())
        active = [line for line in (REPO / "docker" / "odoo.conf").read_text().splitlines() if not line.startswith(";")]
        self.assertFalse([line for line in active if "vp_master_key_file" in line])
        self.assertFalse((REPO / "docker" / "make-master-key.sh").exists())

    def test_counsellor_without_a_key_pair_gets_no_case(self):
        """From the roster, the employee's choice or a reassignment; the coordinator's
        roster says who is not ready."""
        newcomer = new_counsellor(self.env, "Nieuwkomer", "vp_newcomer_nokey", passphrase=None)
        line = self.env["vp.roster.line"].create({"region_id": self.region.id, "user_id": newcomer.id, "sequence": 1})
        self.assertFalse(line.vault_ready)
        case = self.register()
        self.assertNotEqual(case.counsellor_id, newcomer)
        self.assertIn("no vault passphrase", case.assignment_note)
        wizard = self.env["vp.case.reassign.wizard"].with_user(self.coordinator).new({"case_id": case.id})
        self.assertNotIn(newcomer, wizard.allowed_counsellor_ids)
        with self.assertRaisesRegex(ValidationError, "vault passphrase"):
            guards.open_guard(case, guards.COUNSELLOR_ASSIGNMENT).write({"counsellor_id": newcomer.id})

    def test_reader_with_content_on_the_master_key_cannot_dismiss(self):
        """Content from before reader-held keys waits for its reader: the dialog
        cannot be dismissed until she moved it; after her unlock nothing is left."""
        with master_key_configured():
            case = make_legacy(self.new_case(self.counsellor2))
            self.authenticate("vp_counsellor2", "vp_counsellor2")
            self.assertTrue(json_call(self, "/vertrouwenspersoon/vault/status")["result"]["must_unlock"])
            self.assertTrue(unlock_session(self, "counsellor2")["unlocked"])
            self.assertFalse(json_call(self, "/vertrouwenspersoon/vault/status")["result"]["must_unlock"])
        self.assertFalse(
            self.env["vp.record.key"].sudo().search([("res_model", "=", "vp.case"), ("res_id", "=", case.id)])
        )
        with unlocked(self.env, "counsellor2"):
            self.assertEqual(case.with_user(self.counsellor2).notes, self.NOTES)


@tagged("post_install", "-at_install")
class TestEvidenceSurvives(AttackerCommon, HttpCase):
    def _unlock(self, role):
        self.opener.cookies.clear()
        self.authenticate(f"vp_{role}", f"vp_{role}")
        result = unlock_session(self, role)
        self.assertTrue(result["unlocked"])
        return result["notices"]

    def _read_in_her_session(self):
        """A read of the case's notes through the web client, logged in her name."""
        read = web_read(self, self.case, {"notes": {}})
        self.assertEqual(read["result"][0]["notes"], self.NOTES)

    def test_log_lines_deleted_by_sql_are_seen(self):
        """Lines of her log deleted by SQL between her unlocks (the attacker deletes
        the lines recording the administrator's refused tries) are seen at her next
        unlock."""
        self.assertFalse(self._unlock("counsellor"))
        self._read_in_her_session()
        lines = (
            self.env["vp.audit.log"]
            .sudo()
            .search([("action", "=", "read"), ("user_id", "=", self.counsellor.id), ("case_id", "=", self.case.id)])
        )
        self.assertTrue(lines)
        self.env.cr.execute("DELETE FROM vp_audit_log WHERE id IN %s", (tuple(lines.ids),))
        notices = self._unlock("counsellor")
        self.assertTrue([notice for notice in notices if translate("your content access log") in notice], notices)

    def test_changed_line_is_seen(self):
        """A line's flags changed (an administrator's read made
        to look like her own)."""
        self._unlock("counsellor")
        self._read_in_her_session()
        self.env.cr.execute(
            "UPDATE vp_audit_log SET channel = 'web' WHERE id = (SELECT max(id) FROM vp_audit_log WHERE user_id = %s)",
            (self.counsellor.id,),
        )
        notices = self._unlock("counsellor")
        self.assertTrue([notice for notice in notices if translate("your content access log") in notice], notices)

    def test_change_log_lines_deleted_are_seen(self):
        """The change log emptied of a reassignment."""
        self._unlock("counsellor2")
        self.reassign(self.new_case(self.counsellor), self.counsellor2)
        # Sealed into the chain as after the commit (a test's own cursor never commits).
        self.env["vp.log.block"]._vp_seal_pending()
        self.env.cr.execute("DELETE FROM vp_change_log WHERE id = (SELECT max(id) FROM vp_change_log)")
        notices = self._unlock("counsellor2")
        self.assertTrue([notice for notice in notices if translate("the change log") in notice], notices)

    def test_removed_checkpoint_is_seen(self):
        self._unlock("counsellor")
        self.env.cr.execute("UPDATE vp_reader_key SET log_checkpoint = NULL WHERE user_id = %s", (self.counsellor.id,))
        self.env.invalidate_all()
        notices = self._unlock("counsellor")
        removed = translate(
            "The record of your logs kept with your vault was removed or altered: the logs cannot be checked back "
            "to your last unlock. From now on they are checked again."
        )
        self.assertIn(removed, notices)

    def test_nothing_changed_nothing_told(self):
        self._unlock("counsellor")
        self._read_in_her_session()
        self.assertFalse(self._unlock("counsellor"))
        self.assertEqual(DEMO_PASSPHRASES["counsellor"], "vp_counsellor-kluis")
