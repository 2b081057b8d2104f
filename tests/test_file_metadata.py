"""Files lose their hidden information before they are sealed: a reporter's
photo its camera, place and time, a PDF or office document its author,
company, software and editing history; for files sent with the request, with
an inbox reply, attached by the counsellor to a message or kept as a case
document. A file that cannot be cleaned is refused with the reason, or sent
as it is only when the reporter chooses so after being told; she is told
what was removed. Real files, made as their formats prescribe
(tests/file_fixtures.py)."""

import base64
import io
import re
import zipfile

import openpyxl
import pikepdf
from lxml import html as lxml_html
from PIL import Image

from odoo import SUPERUSER_ID
from odoo.addons.vertrouwenspersoon.tools import file_metadata
from odoo.addons.vertrouwenspersoon.tools import receipt as receipt_tools
from odoo.exceptions import UserError
from odoo.tests import HttpCase, TransactionCase, tagged

from . import file_fixtures as fixtures
from .common import demo_user, recorded_receipt_codes, unlocked

UNKNOWN_BINARY = b"\x00\x01\x02 a recording of the meeting \x00\xff" * 20
INTAKE = "/en/vertrouwenspersoon/contact"


def leftovers(data, kind):
    if kind in ("docx", "xlsx", "odt"):
        text = fixtures.all_text_of_zip(data)
    elif kind == "pdf":
        text = fixtures.all_text_of_pdf(data)
    else:
        text = data
    return [secret for secret in fixtures.SECRETS if secret in text]


@tagged("post_install", "-at_install")
class TestFileCleaning(TransactionCase):
    """The cleaning itself (tools/file_metadata.py), file kind by file kind."""

    def assertCleaned(self, kind, data, expected_removed):
        self.assertTrue(leftovers(data, kind), f"the {kind} fixture carries no metadata to remove")
        cleaned = file_metadata.clean(data)
        self.assertEqual(leftovers(cleaned.data, kind), [], f"{kind}: metadata left")
        self.assertLessEqual(set(expected_removed), set(cleaned.removed), kind)
        return cleaned

    def test_photo_loses_camera_place_time_and_keeps_picture(self):
        original = fixtures.jpeg()
        cleaned = self.assertCleaned("jpeg", original, {"location", "device", "dates", "author", "xmp", "comments"})
        with Image.open(io.BytesIO(original)) as before, Image.open(io.BytesIO(cleaned.data)) as after:
            self.assertEqual(after.size, before.size)
            # Not encoded again: the same picture, pixel for pixel.
            self.assertEqual(after.tobytes(), before.tobytes())
            self.assertFalse(after.getexif())
            self.assertFalse({"exif", "xmp", "icc_profile", "comment"} & set(after.info))
        self.assertFalse(cleaned.data.endswith(b"trailer"))

    def test_photo_taken_sideways_keeps_only_its_orientation(self):
        cleaned = self.assertCleaned("jpeg", fixtures.jpeg(orientation=6), {"location", "device"})
        with Image.open(io.BytesIO(cleaned.data)) as after:
            self.assertEqual(dict(after.getexif()), {0x0112: 6})

    def test_png_and_tiff(self):
        for kind, data in (("png", fixtures.png()), ("tiff", fixtures.tiff())):
            cleaned = self.assertCleaned(kind, data, {"author"} if kind == "png" else {"location"})
            with Image.open(io.BytesIO(cleaned.data)) as after:
                # (a TIFF's own tags describe the picture: width, height, compression)
                self.assertFalse({0x010F, 0x0110, 0x0131, 0x013B, 0x8825, 0x8769} & set(after.getexif()))
                self.assertEqual(after.size, Image.open(io.BytesIO(data)).size)

    def test_pdf_loses_info_xmp_and_comment_authors(self):
        original = fixtures.pdf(pages=3)
        cleaned = self.assertCleaned("pdf", original, {"author", "software", "xmp", "comments"})
        with pikepdf.open(io.BytesIO(cleaned.data)) as document:
            self.assertEqual(len(document.pages), 3)
            self.assertNotIn("/Info", document.trailer)
            self.assertNotIn("/Metadata", document.Root)
            annotation = document.pages[0].Annots[0]
            self.assertEqual(str(annotation.Contents), "zie pagina 2")  # the comment itself stays
            self.assertNotIn("/T", annotation)
            self.assertIn(b"Wat er gebeurde, pagina 3.", fixtures.all_text_of_pdf(cleaned.data))

    def test_word_loses_properties_names_and_history(self):
        cleaned = self.assertCleaned("docx", fixtures.docx(), {"author", "dates", "revisions", "comments", "thumbnail"})
        with zipfile.ZipFile(io.BytesIO(cleaned.data)) as archive:
            document = archive.read("word/document.xml")
            self.assertIn(b"Toegevoegde zin.", document)  # a tracked insertion is accepted
            self.assertNotIn(b"Geschrapte zin.", document)  # a tracked deletion is gone, not hidden
            self.assertNotIn(b"rsid", document + archive.read("word/settings.xml"))
            self.assertIn(b"Klopt dit?", archive.read("word/comments.xml"))
            self.assertNotIn("docProps/thumbnail.jpeg", archive.namelist())
            self.assertNotIn(b"thumbnail", archive.read("_rels/.rels"))
            self.assertEqual({info.date_time for info in archive.infolist()}, {(1980, 1, 1, 0, 0, 0)})

    def test_excel_opens_without_its_author(self):
        cleaned = self.assertCleaned("xlsx", fixtures.xlsx(), {"author"})
        workbook = openpyxl.load_workbook(io.BytesIO(cleaned.data))
        self.assertEqual(workbook.active["A1"].value, "Dienst")
        self.assertNotEqual(workbook.properties.creator, "Jan Jansen")

    def test_opendocument_loses_meta_and_tracked_changes(self):
        cleaned = self.assertCleaned("odt", fixtures.odt(), {"author", "revisions", "comments", "thumbnail"})
        with zipfile.ZipFile(io.BytesIO(cleaned.data)) as archive:
            self.assertEqual(archive.namelist()[0], "mimetype")
            self.assertEqual(archive.getinfo("mimetype").compress_type, zipfile.ZIP_STORED)
            content = archive.read("content.xml")
            self.assertIn(b"Het gebeurde op maandag.", content)
            self.assertIn(b"Klopt dit?", content)
            self.assertNotIn(b"Geschrapte zin.", content)
            self.assertNotIn(b"Thumbnails/", archive.read("META-INF/manifest.xml"))

    def test_plain_text_is_kept_and_unknown_kinds_cannot_be_cleaned(self):
        self.assertEqual(file_metadata.clean(b"Wat er gebeurde.\n").removed, ())
        for data, kind in (
            (UNKNOWN_BINARY, "unknown"),
            (fixtures.jpeg()[:400], "damaged"),
            (b"PK\x03\x04" + b"\x00" * 60, "unknown"),
        ):
            with self.assertRaises(file_metadata.CannotClean) as refusal:
                file_metadata.clean(data)
            self.assertEqual(refusal.exception.kind, kind)

    def test_refused_with_a_reason_or_kept_when_chosen(self):
        cleaner = self.env["vp.file.cleaner"].with_context(lang="en_US")
        with self.assertRaisesRegex(UserError, "We cannot remove the hidden information from “opname.m4a”"):
            cleaner._vp_clean("opname.m4a", UNKNOWN_BINARY)
        data, report = cleaner._vp_clean("opname.m4a", UNKNOWN_BINARY, keep_uncleaned=True)
        self.assertEqual(data, UNKNOWN_BINARY)
        self.assertIn("You chose to send it as it is.", cleaner._vp_notice(report))
        data, report = cleaner._vp_clean("foto.jpg", fixtures.jpeg())
        notice = cleaner._vp_notice(report)
        self.assertIn("“foto.jpg”: we removed the place where it was made (GPS position)", notice)
        self.assertIn("the camera, phone or printer", notice)
        with self.assertRaisesRegex(UserError, "Save it as PDF"):
            cleaner._vp_clean_for_counsellor("opname.m4a", UNKNOWN_BINARY)


@tagged("post_install", "-at_install")
class TestCounsellorFilesCleaned(TransactionCase):
    """The counsellor's files: a case document and a file with a message to the reporter."""

    def test_case_document_and_message_file_are_cleaned_before_sealing(self):
        role = "counsellor"
        counsellor = demo_user(self.env, role)
        case = self.env["vp.case"].search([("counsellor_id", "=", counsellor.id), ("state", "!=", "closed")], limit=1)
        self.assertTrue(case)
        with unlocked(self.env, role):
            documents = self.env["vp.case.document"].with_user(counsellor)
            document = documents.create(
                {"case_id": case.id, "name": "verslag.pdf", "data": base64.b64encode(fixtures.pdf())}
            )
            document.invalidate_recordset(["data"])  # read back what was sealed
            self.assertEqual(leftovers(base64.b64decode(document.data), "pdf"), [])
            with self.assertRaisesRegex(UserError, "Save it as PDF"):
                documents.create({"case_id": case.id, "name": "opname.m4a", "data": base64.b64encode(UNKNOWN_BINARY)})
            if not case.sudo().has_receipt:
                self.env(user=counsellor)["vp.case.receipt"]._vp_create_for_case(
                    case.with_user(counsellor), receipt_tools.new_code()
                )
            message = (
                self.env["vp.case.message"]
                .with_user(counsellor)
                .create(
                    {
                        "case_id": case.id,
                        "body": "Hierbij het verslag.",
                        "file_name": "foto.jpg",
                        "file_data": base64.b64encode(fixtures.jpeg()).decode(),
                    }
                )
            )
            message.invalidate_recordset(["file_data"])
            self.assertEqual(leftovers(base64.b64decode(message.file_data), "jpeg"), [])


@tagged("post_install", "-at_install")
class TestReporterFilesCleaned(HttpCase):
    """The reporter's files, through the public pages: with the request, and with an inbox reply."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.config_parameter"].set_param("vertrouwenspersoon.intake_rate_limit", "50")

    def _form_tokens(self, url=INTAKE):
        page = lxml_html.fromstring(self.url_open(url).text)
        return {
            field.get("name"): field.get("value")
            for field in page.xpath("//form[@id='vp_intake_form']//input[@type='hidden']")
        }

    def _send_request(self, files, **extra):
        data = {
            **self._form_tokens(),
            "organisation_code": "LINDE",
            "postcode": "9712",
            "preferred_channel": "inbox",
            "message": "Zie de bijlagen.",
            **extra,
        }
        return self.url_open(INTAKE, data=data, files=[("files", f) for f in files])

    def _reporter_files(self, case, code):
        receipt, private_key = self.env["vp.case.receipt"]._vp_open(code)
        self.assertEqual(receipt.case_id, case)
        key = receipt._vp_data_key(private_key)
        messages = self.env["vp.case.message"]
        return [
            messages._vp_file(case, key, entry["id"]) for entry in messages._vp_thread(case, key) if entry["has_file"]
        ]

    def test_files_with_the_request_are_cleaned_and_the_reporter_is_told(self):
        before = self.env["vp.case"].search([("intake_channel", "=", "web")])
        with recorded_receipt_codes() as codes:
            answer = self._send_request(
                [
                    ("foto.jpg", fixtures.jpeg(), "image/jpeg"),
                    ("verslag.docx", fixtures.docx(), "application/octet-stream"),
                ]
            )
        self.assertEqual(answer.status_code, 200)
        case = self.env["vp.case"].search([("intake_channel", "=", "web")]) - before
        self.assertEqual(len(case), 1)
        stored = dict(self._reporter_files(case, codes[-1]))
        self.assertEqual(set(stored), {"foto.jpg", "verslag.docx"})
        self.assertEqual(leftovers(stored["foto.jpg"], "jpeg"), [])
        self.assertEqual(leftovers(stored["verslag.docx"], "docx"), [])
        page = lxml_html.fromstring(answer.text)
        notices = " ".join(page.xpath("//div[hasclass('o_vp_file_notices')]//li/text()"))
        self.assertIn("“foto.jpg”: we removed the place where it was made (GPS position)", notices)
        self.assertIn("“verslag.docx”: we removed", notices)
        self.assertIn("tracked changes and the editing history", notices)

    def test_a_file_that_cannot_be_cleaned_is_refused_then_sent_when_chosen(self):
        before = self.env["vp.case"].search_count([("intake_channel", "=", "web")])
        answer = self._send_request([("opname.m4a", UNKNOWN_BINARY, "audio/mp4")])
        page = lxml_html.fromstring(answer.text)
        errors = " ".join(page.xpath("//div[hasclass('o_vp_intake_errors')]//li/text()"))
        self.assertIn("We cannot remove the hidden information from “opname.m4a”", errors)
        self.assertIn("choose them again", errors)
        self.assertTrue(page.xpath("//input[@name='keep_uncleaned']"))
        # what she typed is still there; nothing was filed
        self.assertEqual(page.xpath("//textarea[@name='message']/text()"), ["Zie de bijlagen."])
        self.assertEqual(self.env["vp.case"].search_count([("intake_channel", "=", "web")]), before)

        with recorded_receipt_codes() as codes:
            answer = self._send_request([("opname.m4a", UNKNOWN_BINARY, "audio/mp4")], keep_uncleaned="1")
        case = self.env["vp.case"].search([("intake_channel", "=", "web")], order="id desc", limit=1)
        self.assertEqual(dict(self._reporter_files(case, codes[-1])), {"opname.m4a": UNKNOWN_BINARY})
        self.assertIn("You chose to send it as it is.", answer.text)

    def test_inbox_reply_file_is_cleaned_and_the_reporter_is_told(self):
        with recorded_receipt_codes() as codes:
            self._send_request([])
        code = codes[-1]
        case = self.env["vp.case"].search([("intake_channel", "=", "web")], order="id desc", limit=1)
        inbox = self.url_open("/en/vertrouwenspersoon/inbox")
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', inbox.text).group(1)
        opened = self.url_open("/en/vertrouwenspersoon/inbox/open", data={"csrf_token": csrf, "code": code})
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', opened.text).group(1)
        answer = self.url_open(
            "/en/vertrouwenspersoon/inbox/reply",
            data={"csrf_token": csrf, "body": "Nog een foto."},
            files={"file": ("foto.png", fixtures.png(), "image/png")},
        )
        self.assertIn("“Your file”: we removed", answer.text)
        self.assertEqual(leftovers(dict(self._reporter_files(case, code))["foto.png"], "png"), [])
        # a file that cannot be cleaned: refused with the reason and the choice, nothing sent
        refused = self.url_open(
            "/en/vertrouwenspersoon/inbox/reply",
            data={"csrf_token": csrf, "body": "En een opname."},
            files={"file": ("opname.m4a", UNKNOWN_BINARY, "audio/mp4")},
        )
        self.assertIn("We cannot remove the hidden information", refused.text)
        self.assertIn('name="keep_uncleaned"', refused.text)
        self.assertEqual(len(self._reporter_files(case, code)), 1)

    def test_intake_files_cost_a_bounded_number_of_queries(self):
        code = receipt_tools.new_code()
        organisation = self.env.ref("vertrouwenspersoon.organisation_zorggroep")
        case = (
            self.env["vp.case"]
            .with_user(SUPERUSER_ID)
            ._vp_register_request(
                organisation, "9712", "web", {}, receipt=self.env["vp.case.receipt"]._vp_prepare(code)
            )
        )
        receipt, private_key = self.env["vp.case.receipt"]._vp_open(code)
        key = receipt._vp_data_key(private_key)
        messages = self.env["vp.case.message"]
        files = [
            messages._vp_reporter_file(name, data, False)[:2]
            for name, data in (("foto.jpg", fixtures.jpeg()), ("verslag.pdf", fixtures.pdf()))
        ]
        messages._vp_store_reporter_messages(case, key, [{"body": "", "file": files[0]}])  # warm the caches
        # One INSERT for the messages, one UPDATE with each file's sealed name and bytes.
        with self.assertQueryCount(3):
            messages._vp_store_reporter_messages(case, key, [{"body": "", "file": file} for file in files])
        # The sealed bytes are stored without PostgreSQL's compression, which gains nothing on them.
        self.env.cr.execute(
            "SELECT attstorage FROM pg_attribute WHERE attrelid = 'vp_case_message'::regclass"
            " AND attname = 'file_data_ciphertext'"
        )
        self.assertEqual(self.env.cr.fetchone()[0], "e")
