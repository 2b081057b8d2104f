"""Reader-held keys beyond cases: notices to HR, breach records, timesheet
notes and the phone intake wizard no longer depend on the server's master key.

The attack tests play the Odoo administrator (a server action "as" HR, a
shell or scheduled job with no request at all). On the version before this
change, notices, breach records and timesheet notes were opened with the
master key for whoever ``env.uid`` said, so each "locked" below was the
content.
"""

import os
import shutil
import tempfile
from datetime import date

from odoo.addons.vertrouwenspersoon.vault import crypto
from odoo.addons.vertrouwenspersoon.vault import session as vault_session
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, TransactionCase, tagged
from odoo.tools import config

from .common import (
    DEMO_PASSPHRASES,
    VpCaseCommon,
    browser_secret,
    json_call,
    master_key_configured,
    run_admin_server_action,
    translate,
    web_read,
)

NO_KEY = translate(str(vault_session.NO_READER_KEY_MESSAGE._source))[:20]
WAITING = translate(str(vault_session.WAITING_MESSAGE._source))[:20]

SUMMARY = "Melder ervaart ongewenst gedrag binnen het team en wil dat HR op de hoogte is."


class _Locked:
    """Leave the test's own unlocked scopes for a block: the server as it
    runs with nobody typing a passphrase (a shell, a scheduled job)."""

    def __enter__(self):
        self.saved = list(vault_session._scope_stack())
        vault_session._scope_stack().clear()

    def __exit__(self, *exc):
        vault_session._scope_stack().extend(self.saved)


class RecordVaultCommon(VpCaseCommon):
    def _sent_notice(self, case=None):
        case = (case or self.case).with_user(self.counsellor)
        consent = self.new_consent(SUMMARY, case=case)
        Notice = self.env["vp.notice"].with_user(self.counsellor)
        notice = Notice.create(Notice._prepare_from_case(case, consent))
        notice.action_send()
        return notice

    def _breach(self):
        return (
            self.env["vp.breach"]
            .with_user(self.counsellor)
            .create(
                {
                    "case_id": self.case.id,
                    "ground": "conscience",
                    "approver_id": self.counsellor2.id,
                    "employee_informed": True,
                    "disclosed_what": "Bedreiging met een mes door een collega",
                    "disclosed_to": "Politie",
                }
            )
        )

    def _grants(self, record):
        return self.env["vp.record.grant"].sudo().search([("res_model", "=", record._name), ("res_id", "=", record.id)])

    def _line(self, **values):
        engagement = self.env.ref("vertrouwenspersoon.engagement_zorggroep")
        vals = {
            "vp_time_type": "meeting",
            "vp_case_id": self.case.id,
            "unit_amount": 1.0,
            "date": max(engagement.date_start, date.today().replace(day=1)),
            "name": "Gesprek met Jolanda over haar leidinggevende",
        }
        vals.update(values)
        return self.env["account.analytic.line"].with_user(self.counsellor).create(vals)


@tagged("post_install", "-at_install")
class TestRecordKeysHeldByReaders(RecordVaultCommon, TransactionCase):
    def test_notice_key_is_sealed_for_hr_never_the_case_key(self):
        notice = self._sent_notice()
        self.assertFalse(
            self.env["vp.record.key"].sudo().search([("res_model", "=", "vp.notice"), ("res_id", "=", notice.id)]),
            "no wrapping under the master key",
        )
        grants = self._grants(notice)
        self.assertEqual(grants.filtered("user_id").user_id & (self.counsellor | self.hr), self.counsellor | self.hr)
        self.assertTrue(all(grant.token for grant in grants))
        self.env.invalidate_all()
        self.assertEqual(notice.with_user(self.hr).summary, SUMMARY)
        # HR holds the notice's own key, never the case's.
        self.assertFalse(
            self.env["vp.record.grant"]
            .sudo()
            .search([("res_model", "=", "vp.case"), ("res_id", "=", self.case.id), ("user_id", "=", self.hr.id)])
        )
        with self.assertRaises(AccessError):
            self.case.with_user(self.hr).read(["notes"])

    def test_notice_without_a_request_is_locked(self):
        """A shell or scheduled job (no request): ``with_user(hr)`` and sudo()
        find no opened key. Before: the master key opened the notice."""
        notice = self._sent_notice()
        self.env.invalidate_all()
        with _Locked():
            for env in (notice.with_user(self.hr).env, notice.with_user(self.hr).sudo().env):
                with self.assertRaises(vault_session.VaultLocked):
                    notice.with_env(env).summary  # noqa: B018
                self.env.invalidate_all()
            with self.assertRaises(UserError):
                notice.sudo().summary  # noqa: B018

    def test_a_notice_key_follows_its_case_to_the_new_counsellor(self):
        """The case's notices have keys of their own, shared with the case's
        readers along with the case's key: after a reassignment the new
        counsellor reads the notice and the former one holds its key no more
        (she asks the key store itself, her vault open)."""
        self.env["vp.roster.line"].sudo().search([("region_id", "=", self.region.id)]).backup_user_id = False
        case = self.new_case(self.counsellor)
        notice = self._sent_notice(case)
        self.env["vp.case.handover"].with_user(self.counsellor).create(
            {"case_id": case.id, "to_user_id": self.counsellor2.id, "reason": "absence"}
        )
        self.reassign(case, self.counsellor2)
        holders = self._grants(notice).user_id
        self.assertIn(self.counsellor2, holders)
        self.assertNotIn(self.counsellor, holders)
        self.env.invalidate_all()
        self.assertEqual(notice.with_user(self.counsellor2).summary, SUMMARY)
        with self.assertRaises(vault_session.VaultLocked):
            self.env["vp.record.key"].with_user(self.counsellor)._get_data_keys("vp.notice", notice.ids)

    def test_breach_record_without_a_request_is_locked(self):
        """The second signatory's breach record, read by a shell or job as
        her: locked. Before: the master key opened it."""
        breach = self._breach()
        self.assertEqual(set(self._grants(breach).user_id.ids), {self.counsellor.id, self.counsellor2.id})
        self.env.invalidate_all()
        self.assertEqual(breach.with_user(self.counsellor2).disclosed_to, "Politie")
        self.env.invalidate_all()
        with _Locked():
            for user in (self.counsellor, self.counsellor2):
                with self.assertRaises(vault_session.VaultLocked):
                    breach.with_user(user).sudo().disclosed_what  # noqa: B018
                self.env.invalidate_all()

    def test_recipient_without_a_key_pair_waits_then_gets_it_from_a_holder(self):
        newcomer = self.env["res.users"].create(
            {
                "name": "Nieuwe HR-medewerker",
                "login": "vp_test_hr_new",
                "groups_id": [(6, 0, [self.env.ref("vertrouwenspersoon.group_hr_notice").id])],
            }
        )
        self.organisation.hr_user_ids = [(4, newcomer.id)]
        notice = self._sent_notice()
        grant = self._grants(notice).filtered(lambda g: g.user_id == newcomer)
        self.assertTrue(grant)
        self.assertFalse(grant.token, "no key pair yet: a waiting grant")
        with self.assertRaisesRegex(vault_session.VaultLocked, NO_KEY):
            notice.with_user(newcomer).summary  # noqa: B018
        keys = self.env["vp.reader.key"].with_user(newcomer)
        opened = keys._vp_set_passphrase("een lange zin voor HR")
        with vault_session.opened(keys.env, opened):
            self.env.invalidate_all()
            with self.assertRaisesRegex(vault_session.VaultLocked, WAITING):
                notice.with_user(newcomer).summary  # noqa: B018
            # The counsellor's next unlock fulfils it (with any case of hers someone waits for).
            self.assertGreaterEqual(
                self.env["vp.record.key"].with_user(self.counsellor)._vp_fulfil_waiting_for_holder(), 1
            )
            self.env.invalidate_all()
            self.assertTrue(grant.token)
            self.assertEqual(notice.with_user(newcomer).summary, SUMMARY)

    def test_master_wrapped_record_keys_move_as_readers_unlock(self):
        """A notice from before: its key wrapped under the master key only. It
        moves to its readers once the counsellor and HR hold it."""
        self.enterContext(master_key_configured())
        notice = self._sent_notice()
        data_key = (
            self.env["vp.record.key"].with_user(self.counsellor)._get_data_keys("vp.notice", notice.ids)[notice.id]
        )
        self._grants(notice).unlink()
        master_id, master = next(iter(crypto.load_master_keys().items()))
        aad = self.env["vp.record.key"]._aad("vp.notice", notice.id)
        legacy = (
            self.env["vp.record.key"]
            .sudo()
            .create(
                {
                    "res_model": "vp.notice",
                    "res_id": notice.id,
                    "wrapped_key": crypto.wrap_key(master, data_key, aad),
                    "master_key_id": master_id,
                }
            )
        )
        before = self.env["vp.record.key"]._vp_master_key_dependants_by_kind()["records"]
        self.assertGreaterEqual(before, 1)
        # HR has no key pair for a moment: the master wrapping stays while a principal reader lacks one.
        hr_key = self.env["vp.reader.key"]._vp_key_of(self.hr.ids)
        hr_key_vals = hr_key.read(["public_key", "sealed_private_key", "sealed_keyring_key", "endorsement"])[0]
        hr_key.unlink()
        self.env["vp.record.key"].with_user(self.counsellor)._vp_migrate_current_reader()
        self.assertTrue(legacy.exists(), "HR does not hold it yet")
        self.env["vp.reader.key"].sudo().create(
            {"user_id": self.hr.id, **{k: v for k, v in hr_key_vals.items() if k != "id"}}
        )
        # The counsellor's next unlock (or HR's own) seals it for HR's public key too.
        self.env["vp.record.key"].with_user(self.counsellor)._vp_migrate_current_reader()
        self.assertFalse(legacy.exists())
        self.assertEqual(self.env["vp.record.key"]._vp_master_key_dependants_by_kind()["records"], before - 1)
        self.env.invalidate_all()
        self.assertEqual(notice.with_user(self.hr).summary, SUMMARY)

    def test_timesheet_note_is_sealed_under_the_case_key(self):
        self.enterContext(master_key_configured())
        line = self._line()
        note_sudo = self.env["vp.timesheet.note"].sudo().search([("line_id", "=", line.id)])
        self.assertEqual(note_sudo.case_id, self.case)
        self.assertFalse(note_sudo.on_master_key or note_sudo.sealed_as_line)
        case_key = (
            self.env["vp.record.key"].with_user(self.counsellor)._get_data_keys("vp.case", [self.case.id])[self.case.id]
        )
        aad = f"vp.timesheet.note:{note_sudo.id}:note".encode()
        self.assertEqual(note_sudo._vp_aad("note"), aad, "sealed as the note, by the mixin")
        opened = crypto.decrypt(case_key, note_sudo.note_sealed, aad).decode()
        self.assertEqual(opened, "Gesprek met Jolanda over haar leidinggevende")
        with self.assertRaises(UserError):
            crypto.open_with_any(crypto.load_master_keys(), note_sudo.note_sealed, aad)
        self.env.invalidate_all()
        with _Locked(), self.assertRaises(vault_session.VaultLocked):
            line.with_user(self.counsellor).vp_note  # noqa: B018

    def test_master_sealed_timesheet_note_moves_when_the_reader_unlocks(self):
        self.enterContext(master_key_configured())
        line = self._line(name="Intake")
        master = crypto.current_master_key()
        self.env.flush_all()
        # As the update to 18.0.2.4.0 moves a note of 18.0.1.x: as it was sealed on its line.
        self.env.cr.execute("DELETE FROM vp_timesheet_note WHERE line_id = %s", (line.id,))
        self.env.cr.execute(
            "INSERT INTO vp_timesheet_note (line_id, case_id, note_sealed, sealed_as_line, on_master_key) "
            "VALUES (%s, %s, %s, TRUE, TRUE) RETURNING id",
            (
                line.id,
                self.case.id,
                crypto.encrypt(
                    master, b"Oude notitie over Jolanda", f"account.analytic.line:{line.id}:vp_note".encode()
                ),
            ),
        )
        note = self.env["vp.timesheet.note"].browse(self.env.cr.fetchone()[0])
        self.env.invalidate_all()
        self.assertEqual(line.with_user(self.counsellor).vp_note, "Oude notitie over Jolanda")
        before = self.env["vp.record.key"]._vp_master_key_dependants_by_kind()["notes"]
        self.assertGreaterEqual(before, 1)
        self.assertGreaterEqual(
            self.env["vp.timesheet.note"].with_user(self.counsellor)._vp_migrate_notes_of_current_reader(), 1
        )
        self.assertFalse(note.sudo().on_master_key or note.sudo().sealed_as_line, "sealed again as the note")
        self.assertEqual(self.env["vp.record.key"]._vp_master_key_dependants_by_kind()["notes"], before - 1)
        self.env.invalidate_all()
        self.assertEqual(line.with_user(self.counsellor).vp_note, "Oude notitie over Jolanda")

    def test_phone_intake_wizard_opens_only_in_the_coordinators_browser(self):
        """The wizard's details between save and confirm: sealed under a
        secret of the coordinator's browser, not the master key. A server
        action, scheduled job or shell (no such browser) reads nothing, and
        cannot store details either."""
        Wizard = self.env["vp.intake.wizard"].with_user(self.coordinator)
        with browser_secret(Wizard.env):
            wizard = Wizard.create(
                {"organisation_id": self.organisation.id, "postcode": "4811", "employee_phone": self.PHONE}
            )
            self.assertEqual(wizard.employee_phone, self.PHONE)
        sealed = wizard.sudo().sealed_contact
        with self.assertRaises(UserError):
            crypto.open_with_any(crypto.load_master_keys(), sealed, wizard._vp_aad())
        self.env.invalidate_all()
        self.assertFalse(wizard.employee_phone, "outside her browser: nothing")
        self.assertFalse(wizard.sudo().employee_phone)
        with browser_secret(Wizard.env):
            self.env.invalidate_all()
            self.assertFalse(wizard.employee_phone, "another browser's secret opens nothing")
        with self.assertRaisesRegex(UserError, "own browser session"):
            wizard.write({"employee_name": "Iemand"})


@tagged("post_install", "-at_install")
class TestWithoutMasterKey(RecordVaultCommon, TransactionCase):
    """The master key retired: no key file configured at all."""

    def setUp(self):
        super().setUp()
        key_dir = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, key_dir)
        self.addCleanup(config.__setitem__, "vp_master_key_file", config.get("vp_master_key_file"))
        config["vp_master_key_file"] = os.path.join(key_dir, "nowhere.key")
        self.env.invalidate_all()
        with self.assertRaises(UserError):
            crypto.load_master_keys()

    def test_everything_works_for_the_unlocked_reader_and_nothing_without(self):
        # Intake (public page, as the superuser): sealed for the assigned counsellor.
        case = (
            self.env["vp.case"]
            .with_user(1)
            ._vp_register_request(
                self.organisation, "4811", "web", {"employee_name": "Intake Melder"}, notes="Via het formulier"
            )
        )
        self.assertFalse(
            self.env["vp.record.key"].sudo().search([("res_model", "=", "vp.case"), ("res_id", "=", case.id)])
        )
        reader = case.counsellor_id
        self.assertIn(reader, self.counsellor | self.counsellor2)
        self.assertEqual(case.with_user(reader).employee_name, "Intake Melder")
        # Phone intake by the coordinator.
        Wizard = self.env["vp.intake.wizard"].with_user(self.coordinator)
        with browser_secret(Wizard.env):
            wizard = Wizard.create(
                {
                    "organisation_id": self.organisation.id,
                    "postcode": "4811",
                    "preferred_channel": "phone",
                    "employee_name": "Telefonische Melder",
                    "employee_phone": self.PHONE,
                }
            )
            phoned = self.env["vp.case"].browse(wizard.action_register()["params"]["next"]["res_id"])
        self.assertFalse(wizard.sudo().sealed_contact)
        self.assertEqual(phoned.with_user(phoned.counsellor_id).employee_phone, self.PHONE)
        # Case content, a notice to HR, a breach record, a timesheet note.
        self.case.with_user(self.counsellor).write({"notes": "Nieuwe notitie zonder hoofdsleutel"})
        notice = self._sent_notice()
        breach = self._breach()
        line = self._line()
        self.env.invalidate_all()
        self.assertEqual(self.case.with_user(self.counsellor).notes, "Nieuwe notitie zonder hoofdsleutel")
        self.assertEqual(notice.with_user(self.hr).summary, SUMMARY)
        self.assertEqual(breach.with_user(self.counsellor2).disclosed_to, "Politie")
        self.assertEqual(line.with_user(self.counsellor).vp_note, "Gesprek met Jolanda over haar leidinggevende")
        self.assertFalse(self.env["vp.record.key"].sudo().search([("res_id", "in", [notice.id, breach.id])]))
        # Nothing decrypts without the passphrase.
        self.env.invalidate_all()
        with _Locked():
            for record, user, field in (
                (self.case, self.counsellor, "notes"),
                (case, reader, "employee_name"),
                (notice, self.hr, "summary"),
                (breach, self.counsellor2, "disclosed_to"),
                (line, self.counsellor, "vp_note"),
            ):
                with self.assertRaises(vault_session.VaultLocked):
                    record.with_user(user)[field]
                self.env.invalidate_all()

    def test_a_writer_without_a_key_pair_is_asked_to_choose_a_passphrase(self):
        newcomer = self.env["res.users"].create(
            {
                "name": "Nieuwe collega",
                "login": "vp_test_nomaster",
                "groups_id": [(6, 0, [self.env.ref("vertrouwenspersoon.group_counsellor").id])],
            }
        )
        # She gets no case before she has a key pair, and is told to choose a passphrase.
        with self.assertRaisesRegex(ValidationError, "vault passphrase"):
            self.new_case(newcomer)


@tagged("post_install", "-at_install")
class TestRecordVaultOverHttp(RecordVaultCommon, HttpCase):
    def test_administrator_server_action_as_hr_is_locked(self):
        """The administrator's server action reads a notice "as" HR while HR
        is unlocked in her own browser. Before: the master key opened it for
        ``with_user(hr)`` over XML-RPC (no session to compare with)."""
        notice = self._sent_notice()
        self.env.flush_all()
        self.authenticate("vp_hr", "vp_hr")
        self.assertTrue(
            json_call(self, "/vertrouwenspersoon/vault/unlock", {"passphrase": DEMO_PASSPHRASES["hr"]})["result"][
                "unlocked"
            ]
        )
        read = web_read(self, notice, {"summary": {}})
        self.assertEqual(read["result"][0]["summary"], SUMMARY)
        code = (
            f"notice = env['vp.notice'].browse({notice.id})\n"
            f"hr = env['res.users'].browse({self.hr.id})\n"
            "raise UserError(str(notice.with_user(hr).sudo().summary))"
        )
        fault, response = run_admin_server_action(self, code, secret=SUMMARY)
        self.assertIn("without a web session", fault)
        # Through the administrator's own browser session: refused too.
        self.assertIn("error", response)

    def test_administrator_server_action_as_the_second_signatory_is_locked(self):
        """The same for a breach record, read "as" its second signatory while
        she is unlocked in her own browser. Before: the master key opened it."""
        breach = self._breach()
        self.env.flush_all()
        self.authenticate("vp_counsellor2", "vp_counsellor2")
        json_call(self, "/vertrouwenspersoon/vault/unlock", {"passphrase": DEMO_PASSPHRASES["counsellor2"]})
        code = (
            f"breach = env['vp.breach'].sudo().browse({breach.id})\n"
            "raise UserError('what=' + str(breach.with_user(breach.approver_id).disclosed_what))"
        )
        fault, _response = run_admin_server_action(self, code, secret="Bedreiging met een mes")
        self.assertIn("without a web session", fault)

    def test_phone_intake_wizard_in_the_coordinators_browser(self):
        """Saved in the coordinator's browser (its cookie holds the secret), the
        details come back there; a server action of the administrator reads nothing."""
        self.authenticate("vp_coordinator", "vp_coordinator")
        saved = json_call(
            self,
            "/web/dataset/call_kw/vp.intake.wizard/web_save",
            {
                "model": "vp.intake.wizard",
                "method": "web_save",
                "args": [
                    [],
                    {"organisation_id": self.organisation.id, "postcode": "4811", "employee_phone": self.PHONE},
                ],
                "kwargs": {"specification": {"employee_phone": {}}},
            },
        )
        self.assertEqual(saved["result"][0]["employee_phone"], self.PHONE)
        self.assertTrue([c for c in self.opener.cookies if c.name == "vp_intake"])
        wizard_id = saved["result"][0]["id"]
        code = (
            f"wizard = env['vp.intake.wizard'].sudo().browse({wizard_id})\n"
            "coordinator = wizard.create_uid\n"
            "raise UserError('phone=' + str(wizard.with_user(coordinator).employee_phone))"
        )
        fault, _response = run_admin_server_action(self, code, secret=self.PHONE)
        self.assertIn("phone=False", fault)


@tagged("post_install", "-at_install", "is_query_count")
class TestRecordVaultQueryCount(RecordVaultCommon, TransactionCase):
    def test_hr_notice_list_with_content_costs_the_same_for_more_notices(self):
        """HR's list of sent notices with their content: the number of queries
        does not grow with the number of notices (one grant query, no
        public-key operation once each grant is under HR's keyring key)."""

        def read(notices):
            as_hr = self.env["vp.notice"].with_user(self.hr).browse(notices.ids)
            self.env.flush_all()
            self.env.invalidate_all()
            as_hr.mapped("summary")
            self.env.flush_all()

        few = self._sent_notice() | self._sent_notice()
        many = few | self._sent_notice() | self._sent_notice() | self._sent_notice()
        read(many)  # each grant moves under HR's keyring key the first time
        before = self.env.cr.sql_log_count
        read(few)
        expected = self.env.cr.sql_log_count - before
        with self.assertQueryCount(expected):
            read(many)
