"""Encryption at rest: ciphertext in every column and file, a missing master
key stops content access cleanly, rotation re-wraps keys only, and a dump of
the database holds no plaintext of the demo cases."""

import base64
import os
import re
import shutil
import subprocess
import tempfile
from datetime import date
from pathlib import Path

from lxml import etree

from odoo.exceptions import AccessError, UserError
from odoo.tests import TransactionCase, tagged
from odoo.tools import config

from .common import VpCaseCommon, make_legacy, master_key_configured, new_counsellor

DEMO_DIR = Path(__file__).resolve().parent.parent / "vertrouwenspersoon" / "demo"
ENCRYPTED_COLUMNS = {
    "vp_case": [
        "notes_ciphertext",
        "intake_message_ciphertext",
        "employee_name_ciphertext",
        "employee_email_ciphertext",
        "employee_phone_ciphertext",
    ],
    "vp_case_meeting": ["place_ciphertext", "note_ciphertext"],
    "vp_case_document": ["name_ciphertext"],
    "vp_consent": ["approved_summary_ciphertext"],
    "vp_notice": ["employee_name_ciphertext", "summary_ciphertext"],
    "vp_breach": ["disclosed_what_ciphertext", "disclosed_to_ciphertext"],
}
CONTENT_FIELD_NAMES = {
    "notes",
    "employee_name",
    "employee_email",
    "employee_phone",
    "place",
    "note",
    "approved_summary",
    "summary",
    "disclosed_what",
    "disclosed_to",
}


def demo_plaintexts():
    """Every content value the demo data stores (it must only exist as ciphertext)."""
    values = set()
    for path in DEMO_DIR.glob("vp_*.xml"):
        for field in etree.parse(str(path)).iter("field"):
            text = (field.text or "").strip()
            # Distinctive values only: a generic word like "Telefonisch" also occurs in Odoo's own translations.
            distinctive = len(text) >= 15 or "@" in text or re.fullmatch(r"06-?\d{8}", text)
            if field.get("name") in CONTENT_FIELD_NAMES and distinctive:
                values.add(text)
    return values


@tagged("post_install", "-at_install")
class TestEncryptionAtRest(VpCaseCommon, TransactionCase):
    def _raw(self, table, column, record_id):
        self.env.flush_all()
        self.env.cr.execute(f"SELECT {column} FROM {table} WHERE id = %s", (record_id,))
        return self.env.cr.fetchone()[0]

    def test_raw_columns_hold_ciphertext(self):
        self.env.flush_all()
        for table, columns in ENCRYPTED_COLUMNS.items():
            self.env.cr.execute(f"SELECT {', '.join(columns)} FROM {table}")
            rows = self.env.cr.fetchall()
            for row in rows:
                for value in row:
                    if value:
                        self.assertTrue(value.startswith("vp1:"), f"{table} holds a non-ciphertext value")
        raw = self._raw("vp_case", "notes_ciphertext", self.case.id)
        self.assertNotIn("intimidatie", raw)
        self.assertNotIn(self.NAME, self._raw("vp_case", "employee_name_ciphertext", self.case.id))
        # No column of the case table holds any of the plaintext.
        self.env.cr.execute("SELECT row_to_json(vp_case)::text FROM vp_case WHERE id = %s", (self.case.id,))
        row = self.env.cr.fetchone()[0]
        for plain in (self.NOTES, self.NAME, self.EMAIL, self.PHONE):
            self.assertNotIn(plain, row)

    def test_demo_content_is_encrypted(self):
        plaintexts = demo_plaintexts()
        self.assertGreater(len(plaintexts), 30)
        self.env.flush_all()
        for table in ENCRYPTED_COLUMNS:
            self.env.cr.execute(f"SELECT row_to_json(t)::text FROM {table} t")
            dump = "\n".join(r[0] for r in self.env.cr.fetchall())
            for plain in plaintexts:
                self.assertNotIn(plain, dump, f"{table} holds demo plaintext")

    def test_pg_dump_holds_no_plaintext(self):
        """A real pg_dump of the test database (demo data committed at install)."""
        pg_dump = shutil.which("pg_dump")
        self.assertTrue(pg_dump, "pg_dump is needed for this test")
        env = dict(os.environ)
        for key, var in (
            ("db_host", "PGHOST"),
            ("db_port", "PGPORT"),
            ("db_user", "PGUSER"),
            ("db_password", "PGPASSWORD"),
        ):
            if config.get(key):
                env[var] = str(config[key])
        dump = subprocess.run(
            [pg_dump, "--data-only", "--no-owner", self.env.cr.dbname],
            capture_output=True,
            text=True,
            check=True,
            env=env,
        ).stdout
        self.assertIn("vp1:", dump)
        for plain in demo_plaintexts():
            self.assertNotIn(plain, dump)

    def test_documents_are_sealed_in_the_filestore(self):
        payload = b"Verslag van gesprek met Jolanda Verbeek, vertrouwelijk."
        document = (
            self.env["vp.case.document"]
            .with_user(self.counsellor)
            .create({"case_id": self.case.id, "name": "gespreksverslag-verbeek.txt", "data": base64.b64encode(payload)})
        )
        self.env.flush_all()
        attachment = (
            self.env["ir.attachment"]
            .sudo()
            .search(
                [
                    ("res_model", "=", "vp.case.document"),
                    ("res_id", "=", document.id),
                    ("res_field", "=", "data_ciphertext"),
                ]
            )
        )
        self.assertEqual(len(attachment), 1)
        stored = attachment.raw
        self.assertNotIn(b"Verbeek", stored)
        self.assertTrue(stored.startswith(b"vp1:"))
        self.assertNotIn("verbeek", (attachment.name or "") + (attachment.index_content or ""))
        self.assertNotIn("verbeek", self._raw("vp_case_document", "name_ciphertext", document.id))
        self.env.invalidate_all()
        self.assertEqual(base64.b64decode(document.with_user(self.counsellor).data), payload)
        self.assertEqual(document.with_user(self.counsellor).name, "gespreksverslag-verbeek.txt")

    def test_ciphertext_bound_to_record_and_field(self):
        other = self.new_case(self.counsellor, notes="Andere notitie")
        self.env.flush_all()
        token = self._raw("vp_case", "notes_ciphertext", self.case.id)
        # Moving a ciphertext to another field or another case does not open it.
        self.env.cr.execute("UPDATE vp_case SET employee_name_ciphertext = %s WHERE id = %s", (token, self.case.id))
        self.env.cr.execute("UPDATE vp_case SET notes_ciphertext = %s WHERE id = %s", (token, other.id))
        self.env.invalidate_all()
        with self.assertRaises(UserError):
            self.case.with_user(self.counsellor).employee_name  # noqa: B018
        with self.assertRaises(UserError):
            other.with_user(self.counsellor).notes  # noqa: B018


@tagged("post_install", "-at_install")
class TestMasterKey(VpCaseCommon, TransactionCase):
    """The master key, for cases not yet moved to reader-held keys: their
    counsellor has set no vault passphrase (the state of every case before
    reader-held keys, and of a new counsellor's cases until they set one)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.keyed_case = cls.case
        cls.enterClassContext(master_key_configured())
        newcomer = new_counsellor(cls.env, "Nieuwe vertrouwenspersoon", "vp_test_new_counsellor", passphrase=None)
        cls.organisation.counsellor_ids = [(4, newcomer.id)]
        cls.case = make_legacy(cls.new_case(cls.counsellor2), counsellor=newcomer)
        cls.counsellor = newcomer

    def test_reader_held_keys_need_no_master_key(self):
        """Once its counsellor holds its key, a case opens without any master key file."""
        self.assertFalse(
            self.env["vp.record.key"]
            .sudo()
            .search([("res_model", "=", "vp.case"), ("res_id", "=", self.keyed_case.id)])
        )
        config["vp_master_key_file"] = os.path.join(self.key_dir, "missing.key")
        self.env.invalidate_all()
        self.assertEqual(self.keyed_case.with_user(self.keyed_case.counsellor_id).notes, self.NOTES)

    def setUp(self):
        super().setUp()
        self.key_dir = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, self.key_dir)
        self.original_key_file = config.get("vp_master_key_file")
        self.addCleanup(config.__setitem__, "vp_master_key_file", self.original_key_file)

    def _use_key_file(self, *keys):
        path = os.path.join(self.key_dir, f"key-{len(os.listdir(self.key_dir))}")
        Path(path).write_text("".join(base64.b64encode(key).decode() + "\n" for key in keys))
        config["vp_master_key_file"] = path
        self.env.invalidate_all()

    def test_missing_master_key_is_a_clear_error_and_changes_nothing(self):
        self.env.flush_all()
        self.env.cr.execute("SELECT notes_ciphertext FROM vp_case WHERE id = %s", (self.case.id,))
        before = self.env.cr.fetchone()[0]
        config["vp_master_key_file"] = os.path.join(self.key_dir, "missing.key")
        self.env.invalidate_all()
        case = self.case.with_user(self.counsellor)
        with self.assertRaisesRegex(UserError, "master key"):
            case.notes  # noqa: B018
        with self.assertRaisesRegex(UserError, "master key"):
            case.write({"notes": "Nieuwe notitie"})
        # Non-content work goes on, and the stored ciphertext is untouched.
        case.action_open()
        self.env.flush_all()
        self.env.cr.execute("SELECT notes_ciphertext, state FROM vp_case WHERE id = %s", (self.case.id,))
        self.assertEqual(self.env.cr.fetchone(), (before, "open"))
        config["vp_master_key_file"] = self.original_key_file
        self.env.invalidate_all()
        self.assertEqual(case.notes, self.NOTES)

    def test_unconfigured_or_malformed_key_file(self):
        for content in ("", "not base64 !!\n", base64.b64encode(b"short").decode()):
            path = os.path.join(self.key_dir, "bad.key")
            Path(path).write_text(content)
            config["vp_master_key_file"] = path
            self.env.invalidate_all()
            with self.assertRaisesRegex(UserError, "master key"):
                self.case.with_user(self.counsellor).notes  # noqa: B018
        config["vp_master_key_file"] = None
        self.env.invalidate_all()
        with self.assertRaisesRegex(UserError, "master key"):
            self.case.with_user(self.counsellor).notes  # noqa: B018

    def test_rotation_rewraps_case_keys_without_touching_content(self):
        old_key = base64.b64decode(Path(self.original_key_file).read_text().split()[0])
        new_key = os.urandom(32)
        self.env.flush_all()
        self.env.cr.execute("SELECT id, notes_ciphertext FROM vp_case ORDER BY id")
        content_before = self.env.cr.fetchall()
        engagement = self.env.ref("vertrouwenspersoon.engagement_zorggroep")
        line = (
            self.env["account.analytic.line"]
            .with_user(self.counsellor)
            .create(
                {
                    "vp_time_type": "meeting",
                    "vp_case_id": self.case.id,
                    "unit_amount": 1.0,
                    "date": max(engagement.date_start, date.today().replace(day=1)),
                    "name": "Gesprek met Jolanda",
                }
            )
        )
        self._use_key_file(new_key, old_key)
        keys = self.env["vp.record.key"].sudo().search([])
        self.assertTrue(keys)
        rotated = self.env["vp.record.key"].with_user(self.admin)._rotate_master_key()
        self.assertEqual(rotated, len(keys))
        self.env.flush_all()
        self.env.cr.execute("SELECT id, notes_ciphertext FROM vp_case ORDER BY id")
        self.assertEqual(self.env.cr.fetchall(), content_before, "rotation must not rewrite content")
        # Only the new key is needed now.
        self._use_key_file(new_key)
        self.assertEqual(self.case.with_user(self.counsellor).notes, self.NOTES)
        self.assertEqual(line.with_user(self.counsellor).vp_note, "Gesprek met Jolanda")
        self.assertEqual(self.env["vp.record.key"].with_user(self.admin)._rotate_master_key(), 0)

    def test_timesheet_note_is_stored_sealed(self):
        engagement = self.env.ref("vertrouwenspersoon.engagement_zorggroep")
        Line = self.env["account.analytic.line"].with_user(self.counsellor)
        line = Line.create(
            {
                "vp_time_type": "meeting",
                "vp_case_id": self.case.id,
                "unit_amount": 1.0,
                "date": max(engagement.date_start, date.today().replace(day=1)),
                "name": "Gesprek met Jolanda over haar leidinggevende",
            }
        )
        self.env.flush_all()
        self.env.cr.execute("SELECT to_jsonb(l)::text FROM account_analytic_line l WHERE id = %s", [line.id])
        self.assertNotIn("Jolanda", self.env.cr.fetchone()[0])
        self.env.cr.execute("SELECT to_jsonb(n)::text FROM vp_timesheet_note n WHERE line_id = %s", [line.id])
        self.assertNotIn("Jolanda", self.env.cr.fetchone()[0])
        self.env.invalidate_all()
        self.assertEqual(line.vp_note, "Gesprek met Jolanda over haar leidinggevende")
        line.vp_note = "Nog een gesprek"
        self.env.invalidate_all()
        self.assertEqual(line.vp_note, "Nog een gesprek")
        # Bound to its line: a sealed note copied onto another line does not open.
        other = Line.create(
            {"vp_time_type": "contact", "vp_case_id": self.case.id, "unit_amount": 0.5, "date": line.date, "name": "x"}
        )
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE vp_timesheet_note SET note_sealed = (SELECT note_sealed FROM vp_timesheet_note "
            "WHERE line_id = %s) WHERE line_id = %s",
            [line.id, other.id],
        )
        self.env.invalidate_all()
        with self.assertRaisesRegex(UserError, "could not be decrypted"):
            other.vp_note  # noqa: B018

    def test_only_an_administrator_rotates(self):
        with self.assertRaises(AccessError):
            self.env["vp.record.key"].with_user(self.counsellor)._rotate_master_key()
