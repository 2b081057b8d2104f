"""The case form a counsellor works in (tabs, consent, documents,
meetings with their own notes) and the demo's chatter in Dutch."""

from pathlib import Path

from lxml import etree

from odoo.tests import TransactionCase, tagged

from .common import VpCaseCommon, translate

MAX_TABS = 8  # twelve did not fit at 1440 px


@tagged("post_install", "-at_install")
class TestCaseForm(VpCaseCommon, TransactionCase):
    def form(self, user):
        arch = self.env["vp.case"].with_user(user).get_view(view_type="form")["arch"]
        return etree.fromstring(arch)

    def test_tabs_fit(self):
        """Every tab a counsellor can open, at most eight, each with a short label."""
        pages = self.form(self.counsellor).xpath("//notebook/page")
        self.assertLessEqual(len(pages), MAX_TABS, [page.get("string") for page in pages])
        for page in pages:
            self.assertLessEqual(len(page.get("string")), 28, page.get("string"))

    def test_consent_in_a_form_of_its_own(self):
        """The approved summary is the employee's own text: typed in a form, not in a list cell;
        the consent list and the notices list each have a heading."""
        consent = self.form(self.counsellor).xpath("//page[@name='consent']")[0]
        consents = consent.xpath(".//field[@name='consent_ids']")[0]
        self.assertIsNone(consents.find("list").get("editable"))
        self.assertTrue(consents.xpath("./form//field[@name='approved_summary']"))
        self.assertFalse(consents.xpath("./list/field[@name='approved_summary']"))
        self.assertEqual(len(consent.xpath("./separator")), 2)
        withdraw = consents.xpath("./list/button[@name='action_withdraw']")[0]
        self.assertIn("not id", withdraw.get("invisible"), "no Withdraw on a row not yet saved")

    def test_documents_show_the_file_name(self):
        documents = self.form(self.counsellor).xpath("//field[@name='document_ids']/list")[0]
        name = documents.xpath("./field[@name='name']")[0]
        self.assertNotIn(name.get("column_invisible"), ("1", "True", "true"))

    def test_meeting_note_is_content(self):
        """What was discussed goes with the meeting, encrypted, readable by the case's counsellor only."""
        meeting = (
            self.env["vp.case.meeting"]
            .with_user(self.counsellor)
            .create({"case_id": self.case.id, "note": "Besproken: de werkdruk op de afdeling Thuiszorg."})
        )
        self.env.flush_all()
        self.env.cr.execute("SELECT note_ciphertext FROM vp_case_meeting WHERE id = %s", [meeting.id])
        ciphertext = self.env.cr.fetchone()[0]
        self.assertTrue(ciphertext)
        self.assertNotIn("werkdruk", ciphertext)
        meeting.invalidate_recordset()
        self.assertIn("werkdruk", meeting.with_user(self.counsellor).note)
        self.assertFalse(meeting.with_user(self.counsellor2).search([("id", "=", meeting.id)]))

    def test_creation_message_in_dutch(self):
        """The demo's chatter read "Case aangemaakt": mail's own creation message, taken from
        ir.model before its translations were loaded."""
        case = self.env.ref("vertrouwenspersoon.case_01")
        first = case.sudo().message_ids.sorted("id")[:1]
        self.assertIn(translate("Case registered"), first.body)
        self.assertNotIn("Case aangemaakt", first.body)

    def test_demo_cases_came_in_as_their_notes_say(self):
        """VP-2026-0030's notes said it came through the intake form, its channel said directly."""
        demo = Path(__file__).resolve().parent.parent / "vertrouwenspersoon" / "demo" / "vp_case_demo.xml"
        for record in etree.parse(str(demo)).iter("record"):
            fields = {field.get("name"): (field.text or "") for field in record.iter("field")}
            if "intakeformulier" in fields.get("notes", ""):
                self.assertEqual(fields.get("intake_channel"), "web", record.get("id"))
