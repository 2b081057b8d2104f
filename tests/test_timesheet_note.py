"""The counsellor's note on her hours (``account.analytic.line.vp_note``), sealed in a
``vp.timesheet.note`` of the line's own through vp.encrypted.mixin.

The counsellor writes, edits, lists and clears it, on a case and on prevention work;
nobody else reads a word of it, through either model, by any channel a client has (the
administrator, HR, the accountant, another counsellor, one with an Accounting group).
Notes sealed on the line by the release before (18.0.2.3.0) are put back in the line's
old columns here, as that release wrote them, with their associated data written out
below (not taken from the code under test); then the update's script moves them, and
each opens as before: under its case's key, its line's own key, or the master key, the
last sealed again at the reader's unlock."""

import importlib.util
import xmlrpc.client
from datetime import date
from pathlib import Path

from odoo import Command
from odoo.addons.vertrouwenspersoon.vault import crypto
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, TransactionCase, tagged

from .common import VpCaseCommon, admin_xmlrpc, master_key_configured

NOTE = "Gesprek met Jolanda over haar leidinggevende"

MIGRATION = (
    Path(__file__).resolve().parent.parent
    / "vertrouwenspersoon"
    / "migrations"
    / "18.0.2.4.0"
    / "post-timesheet-notes.py"
)

# The columns of the release before, as its ORM made them (fields.Text, fields.Selection).
OLD_COLUMNS = "ALTER TABLE account_analytic_line ADD COLUMN vp_note_sealed TEXT, ADD COLUMN vp_note_key VARCHAR"


def old_note_aad(line_id):
    """account.analytic.line._vp_note_aad of the release before."""
    return f"account.analytic.line:{line_id}:vp_note".encode()


def run_migration(cr):
    spec = importlib.util.spec_from_file_location("post_timesheet_notes", MIGRATION)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.migrate(cr, "18.0.2.3.0")


class TimesheetNoteCommon(VpCaseCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.engagement = cls.env.ref("vertrouwenspersoon.engagement_zorggroep")
        cls.day = max(cls.engagement.date_start, date.today().replace(day=1))
        cls.session = (
            cls.env["vp.prevention.session"]
            .with_user(cls.counsellor)
            .create({"name": "Voorlichting", "organisation_id": cls.organisation.id, "session_date": cls.day})
        )

    @classmethod
    def log(cls, name=NOTE, user=None, case=None, prevention=False):
        vals = {"unit_amount": 1.0, "date": cls.day}
        if prevention:
            vals.update(vp_time_type="prevention", vp_prevention_session_id=cls.session.id)
        else:
            vals.update(vp_time_type="meeting", vp_case_id=(case or cls.case).id)
        if name:
            vals["name"] = name
        return cls.env["account.analytic.line"].with_user(user or cls.counsellor).create(vals)

    def note_of(self, line):
        return self.env["vp.timesheet.note"].sudo().search([("line_id", "=", line.id)])


@tagged("post_install", "-at_install")
class TestTimesheetNote(TimesheetNoteCommon, TransactionCase):
    def test_counsellor_writes_edits_lists_and_clears_her_notes(self):
        line = self.log()
        prevention = self.log("Voorlichting aan het team van Jolanda", prevention=True)
        plain = self.log(name=False)
        self.env.invalidate_all()
        self.assertEqual(line.with_user(self.counsellor).vp_note, NOTE)
        self.assertEqual(line.with_user(self.counsellor).name, "Meeting", "the description stays anonymous")
        self.assertFalse(plain.with_user(self.counsellor).vp_note)
        self.assertFalse(self.note_of(plain), "no note, no row")
        # On a case: under the case's key; prevention work: under its line's own key.
        self.assertEqual(self.note_of(line).case_id, self.case)
        self.assertFalse(self.note_of(prevention).case_id)
        self.assertTrue(
            self.env["vp.record.grant"]
            .sudo()
            .search([("res_model", "=", "account.analytic.line"), ("res_id", "=", prevention.id)])
        )
        # Her list of hours, and the notes read directly.
        rows = (
            self.env["account.analytic.line"]
            .with_user(self.counsellor)
            .search_read([("id", "in", (line | prevention | plain).ids)], ["vp_note"])
        )
        self.assertEqual(
            {row["id"]: row["vp_note"] for row in rows},
            {line.id: NOTE, prevention.id: "Voorlichting aan het team van Jolanda", plain.id: False},
        )
        notes = self.env["vp.timesheet.note"].with_user(self.counsellor).search([("line_id", "in", line.ids)])
        self.assertEqual(notes.note, NOTE)
        # Edited through the line, with its own field or with the description.
        line.with_user(self.counsellor).write({"vp_note": "Tweede gesprek"})
        prevention.with_user(self.counsellor).write({"name": "Voorlichting, vervolg"})
        plain.with_user(self.counsellor).vp_note = "Nu wel een notitie"
        self.env.invalidate_all()
        self.assertEqual(line.with_user(self.counsellor).vp_note, "Tweede gesprek")
        self.assertEqual(prevention.with_user(self.counsellor).vp_note, "Voorlichting, vervolg")
        self.assertEqual(plain.with_user(self.counsellor).vp_note, "Nu wel een notitie")
        # Not writable on its own: a billed month's note changes only as its line may.
        with self.assertRaises(AccessError):
            notes.with_user(self.counsellor).write({"note": "Buiten de regel om"})
        with self.assertRaises(AccessError):
            notes.with_user(self.counsellor).unlink()
        # Cleared: the note goes; a deleted line takes its note along.
        line.with_user(self.counsellor).vp_note = False
        self.assertFalse(self.note_of(line))
        self.assertFalse(line.with_user(self.counsellor).vp_note)
        note = self.note_of(prevention)
        prevention.with_user(self.counsellor).unlink()
        self.assertFalse(note.exists())

    def test_nothing_in_the_database_in_clear(self):
        line = self.log()
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT to_jsonb(l)::text || to_jsonb(n)::text FROM account_analytic_line l "
            "JOIN vp_timesheet_note n ON n.line_id = l.id WHERE l.id = %s",
            [line.id],
        )
        self.assertNotIn("Jolanda", self.env.cr.fetchone()[0])

    def _reading_costs(self, count):
        lines = self.env["account.analytic.line"]
        for index in range(count):
            lines |= self.log(f"Gesprek {index} met Jolanda")
            lines |= self.log(f"Voorlichting {index}", prevention=True)
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        rows = lines.with_user(self.counsellor).read(["vp_note", "unit_amount"])
        self.assertTrue(all(row["vp_note"] for row in rows))
        return self.env.cr.sql_log_count - before

    def test_a_list_reads_its_notes_in_a_bounded_number_of_queries(self):
        self._reading_costs(1)  # caches of the first read (the vault's opened key, the rules)
        self.assertEqual(self._reading_costs(2), self._reading_costs(8))


@tagged("post_install", "-at_install")
class TestNobodyElseReadsANote(TimesheetNoteCommon, TransactionCase):
    """The administrator (Settings), HR, the accountant, another counsellor, and a
    counsellor with an Accounting group: nothing of a note by any client channel of
    either model, nor with sudo() in code run as them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.line = cls.log(NOTE)
        cls.prevention = cls.log("Voorlichting aan het team van Jolanda", prevention=True)
        cls.env.flush_all()
        cls.notes = cls.env["vp.timesheet.note"].sudo().search([("line_id", "in", (cls.line | cls.prevention).ids)])

    def _nothing(self, call):
        """``call`` is refused (a field that cannot be searched or grouped by is refused
        too), or returns nothing of a note."""
        try:
            with self.env.cr.savepoint():
                result = call()
        except (AccessError, UserError, ValueError):
            return
        finally:
            self.env.invalidate_all()
        self.assertNotIn("Jolanda", str(result))

    def _attack(self, user):
        lines = (self.line | self.prevention).with_user(user)
        Line = self.env["account.analytic.line"].with_user(user)
        notes = self.notes.with_user(user).sudo(False)
        Note = self.env["vp.timesheet.note"].with_user(user)
        domain = [("id", "in", lines.ids)]
        for label, call in (
            ("line read", lambda: lines.read(["vp_note"])),
            ("line search_read", lambda: Line.search_read(domain, ["vp_note"])),
            ("line web_search_read", lambda: Line.web_search_read(domain, {"vp_note": {}})),
            ("line export", lambda: lines.export_data(["vp_note"])),
            ("line read_group", lambda: Line.read_group(domain, ["unit_amount:sum"], ["vp_note"])),
            ("line search on the note", lambda: Line.search([("vp_note", "ilike", "Jolanda")]).ids),
            ("line with sudo", lambda: [line.vp_note for line in lines.sudo()]),
            ("note read", lambda: notes.read(["note", "note_sealed"])),
            ("note search_read", lambda: Note.search_read([], ["note"])),
            ("note web_search_read", lambda: Note.web_search_read([], {"note": {}, "line_id": {}})),
            ("note export", lambda: notes.export_data(["note", "line_id/vp_note"])),
            ("note read_group", lambda: Note.read_group([], ["line_id"], ["note"])),
            ("note search on the note", lambda: Note.search([("note", "ilike", "Jolanda")]).ids),
            ("note count", lambda: Note.search_count([])),
            ("note with sudo", lambda: [note.note for note in notes.sudo()]),
            ("sealed with sudo", lambda: notes.sudo().read(["note"])),
        ):
            with self.subTest(user=user.login, channel=label):
                self._nothing(call)

    def test_administrator(self):
        self.assertTrue(self.admin.has_group("base.group_system"))
        self._attack(self.admin)

    def test_hr(self):
        self._attack(self.hr)

    def test_accountant(self):
        self._attack(self.accountant)

    def test_coordinator_and_manager(self):
        self._attack(self.coordinator)
        self._attack(self.manager)

    def test_another_counsellor(self):
        self._attack(self.counsellor2)
        # Her own notes are hers; counting other notes tells her nothing either.
        self.log("Eigen notitie", user=self.counsellor2, case=self.new_case(self.counsellor2))
        self.assertEqual(self.env["vp.timesheet.note"].with_user(self.counsellor2).search_count([]), 1)

    def test_another_counsellor_with_an_accounting_group(self):
        self.counsellor2.groups_id = [
            Command.link(self.env.ref("account.group_account_invoice").id),
            Command.link(self.env.ref("analytic.group_analytic_accounting").id),
        ]
        self._attack(self.counsellor2)


@tagged("post_install", "-at_install")
class TestAdministratorOverRpc(TimesheetNoteCommon, HttpCase):
    """The administrator over XML-RPC, as a client of her own: no note of either model."""

    def test_nothing_of_a_note_over_xmlrpc(self):
        line = self.log()
        prevention = self.log("Voorlichting aan het team van Jolanda", prevention=True)
        ids = (line | prevention).ids
        note_ids = self.env["vp.timesheet.note"].sudo().search([("line_id", "in", ids)]).ids
        call = admin_xmlrpc(self)
        for model, method, args, kwargs in (
            ("vp.timesheet.note", "search_read", [[]], {"fields": ["note", "note_sealed", "line_id"]}),
            ("vp.timesheet.note", "read", [note_ids, ["note", "note_sealed"]], {}),
            ("vp.timesheet.note", "export_data", [note_ids, ["note", "note_sealed"]], {}),
            ("vp.timesheet.note", "read_group", [[], ["line_id"], ["line_id"]], {}),
            ("account.analytic.line", "search_read", [[("id", "in", ids)]], {"fields": ["vp_note"]}),
            ("account.analytic.line", "read", [ids, ["vp_note"]], {}),
            ("account.analytic.line", "export_data", [ids, ["vp_note"]], {}),
            ("account.analytic.line", "read_group", [[], ["unit_amount:sum"], ["vp_note"]], {}),
        ):
            with self.subTest(model=model, method=method):
                try:
                    result = call(model, method, *args, **kwargs)
                except xmlrpc.client.Fault as fault:
                    result = fault.faultString
                self.assertNotIn("Jolanda", str(result))


@tagged("post_install", "-at_install")
class TestNotesMovedByTheUpdate(TimesheetNoteCommon, TransactionCase):
    """The update to 18.0.2.4.0 on notes the release before sealed on their line."""

    def setUp(self):
        super().setUp()
        self.enterContext(master_key_configured())

    def _as_the_release_before(self, line, token, key_kind):
        """``line``'s note as the release before stored it, in its own columns."""
        self.env.cr.execute(
            "UPDATE account_analytic_line SET vp_note_sealed = %s, vp_note_key = %s WHERE id = %s",
            (token, key_kind, line.id),
        )

    def test_every_note_opens_as_before_and_master_key_notes_move_at_unlock(self):
        on_case = self.log(name=False)
        prevention = self.log(name=False, prevention=True)
        on_master = self.log(name=False)
        prevention_on_master = self.log(name=False, prevention=True)
        other = self.log(name=False, user=self.counsellor2, case=self.new_case(self.counsellor2))
        case_key = (
            self.env["vp.record.key"].with_user(self.counsellor)._get_data_keys("vp.case", self.case.ids)[self.case.id]
        )
        line_key = (
            self.env["vp.record.key"]
            .with_user(self.counsellor)
            ._get_data_keys("account.analytic.line", prevention.ids, create_missing=True)[prevention.id]
        )
        other_key = (
            self.env["vp.record.key"]
            .with_user(self.counsellor2)
            ._get_data_keys("vp.case", other.sudo().vp_case_id.ids)[other.sudo().vp_case_id.id]
        )
        master = crypto.current_master_key()
        self.env.flush_all()
        self.env.cr.execute(OLD_COLUMNS)
        sealed = {
            on_case: (crypto.encrypt(case_key, b"Op de zaak, van voor de update", old_note_aad(on_case.id)), "case"),
            prevention: (
                crypto.encrypt(line_key, b"Voorlichting van voor de update", old_note_aad(prevention.id)),
                "record",
            ),
            on_master: (crypto.encrypt(master, b"Onder de hoofdsleutel", old_note_aad(on_master.id)), None),
            prevention_on_master: (
                crypto.encrypt(master, b"Voorlichting onder de hoofdsleutel", old_note_aad(prevention_on_master.id)),
                None,
            ),
            other: (crypto.encrypt(other_key, b"Van de collega", old_note_aad(other.id)), "case"),
        }
        for line, (token, kind) in sealed.items():
            self._as_the_release_before(line, token, kind)

        run_migration(self.env.cr)
        self.env.invalidate_all()

        # The old columns are gone with their ciphertext; each note moved as it was sealed.
        self.env.cr.execute(
            "SELECT count(*) FROM information_schema.columns WHERE table_name = 'account_analytic_line'"
            " AND column_name IN ('vp_note_sealed', 'vp_note_key')"
        )
        self.assertEqual(self.env.cr.fetchone()[0], 0)
        notes = {line: self.note_of(line) for line in sealed}
        self.assertEqual(notes[on_case].note_sealed, sealed[on_case][0], "moved as it is")
        self.assertTrue(notes[on_case].sealed_as_line)
        self.assertEqual(notes[on_case].case_id, self.case)
        self.assertFalse(notes[prevention].case_id)
        self.assertTrue(notes[on_master].on_master_key, "its case is held by its reader: it waits for her unlock")
        self.assertFalse(notes[prevention_on_master].on_master_key, "prevention work moves at the update")
        self.assertFalse(notes[prevention_on_master].sealed_as_line)
        # Each opens for its own counsellor as before, and for nobody else.
        expected = {
            on_case: "Op de zaak, van voor de update",
            prevention: "Voorlichting van voor de update",
            on_master: "Onder de hoofdsleutel",
            prevention_on_master: "Voorlichting onder de hoofdsleutel",
        }
        for line, text in expected.items():
            self.assertEqual(line.with_user(self.counsellor).vp_note, text)
            for user in (self.counsellor2, self.admin, self.hr, self.accountant):
                try:
                    self.assertFalse(line.with_user(user).sudo().vp_note)
                except AccessError:
                    pass
            self.env.invalidate_all()
        self.assertEqual(other.with_user(self.counsellor2).vp_note, "Van de collega")
        # The master key's note waits for its reader; her unlock seals it again, as the note.
        self.assertEqual(self.env["vp.record.key"]._vp_master_key_dependants_by_kind()["notes"], 1)
        self.env["vp.record.key"].with_user(self.counsellor)._vp_migrate_current_reader()
        self.assertFalse(notes[on_master].on_master_key or notes[on_master].sealed_as_line)
        self.assertEqual(self.env["vp.record.key"]._vp_master_key_dependants_by_kind()["notes"], 0)
        new_aad = f"vp.timesheet.note:{notes[on_master].id}:note".encode()
        self.assertEqual(crypto.decrypt(case_key, notes[on_master].note_sealed, new_aad), b"Onder de hoofdsleutel")
        self.env.invalidate_all()
        self.assertEqual(on_master.with_user(self.counsellor).vp_note, "Onder de hoofdsleutel")
        # Nobody else writes it, not even with sudo(): refused before anything changes.
        with self.assertRaises(AccessError):
            notes[on_case].with_user(self.counsellor2).sudo().note = "Overschreven"
        self.assertTrue(notes[on_case].sealed_as_line)
        # A moved note written again is sealed as the note itself.
        on_case.with_user(self.counsellor).vp_note = "Bijgewerkt na de update"
        self.assertFalse(notes[on_case].sealed_as_line)
        self.env.invalidate_all()
        self.assertEqual(on_case.with_user(self.counsellor).vp_note, "Bijgewerkt na de update")
        # A moved note copied onto another line does not open there.
        self.env.cr.execute(
            "UPDATE vp_timesheet_note SET note_sealed = %s, sealed_as_line = TRUE WHERE id = %s",
            (sealed[on_case][0], notes[on_master].id),
        )
        self.env.invalidate_all()
        with self.assertRaisesRegex(UserError, "could not be decrypted"):
            on_master.with_user(self.counsellor).vp_note  # noqa: B018

    def test_the_update_runs_once(self):
        line = self.log(name=False)
        case_key = (
            self.env["vp.record.key"].with_user(self.counsellor)._get_data_keys("vp.case", self.case.ids)[self.case.id]
        )
        self.env.flush_all()
        self.env.cr.execute(OLD_COLUMNS)
        self._as_the_release_before(line, crypto.encrypt(case_key, b"Eenmaal", old_note_aad(line.id)), "case")
        run_migration(self.env.cr)
        run_migration(self.env.cr)  # the columns are gone: nothing to do
        self.env.invalidate_all()
        self.assertEqual(len(self.note_of(line)), 1)
        self.assertEqual(line.with_user(self.counsellor).vp_note, "Eenmaal")
