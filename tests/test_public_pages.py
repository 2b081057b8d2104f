"""What the reporter meets on the public pages (the walk of December 2026 at
phone width): one code on the receipt, the inbox as a real link with the
site's address on the intake page, the receipt and its printout, the inbox's
status and times in her language and in Dutch time, the ways to reach her
left out when she chose the inbox alone, one field for the organisation code,
a phone field that says so, no grey example that reads as a value, the
counsellor she chose named, her own messages as "you", a closed request
explained, a copy button, and no template logo."""

import datetime
import re

from lxml import html as lxml_html

from odoo.tests import HttpCase, tagged

from .common import DEMO_LOGINS, recorded_receipt_codes, translate, unlocked

INTAKE = "/nl/vertrouwenspersoon/contact"
INBOX = "/nl/vertrouwenspersoon/inbox"


@tagged("post_install", "-at_install")
class TestPublicPages(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.config_parameter"].set_param("vertrouwenspersoon.intake_rate_limit", "50")

    def _doc(self, response):
        return lxml_html.fromstring(response.text)

    def _hidden(self, response, form_id):
        return {
            f.get("name"): f.get("value") or ""
            for f in self._doc(response).xpath(f"//form[@id='{form_id}']//input[@type='hidden']")
        }

    def _request(self, **values):
        form = self._hidden(self.url_open(INTAKE), "vp_intake_form")
        data = {**form, "organisation_code": "LINDE", "postcode": "9712", "preferred_channel": "inbox", **values}
        with recorded_receipt_codes() as codes:
            answer = self.url_open(INTAKE, data=data)
        return answer, codes[-1]

    def test_intake_page(self):
        self.assertTrue(self.env.company.uses_default_logo)
        page = self.url_open(INTAKE)
        doc = self._doc(page)
        # One field for the organisation code, and no second form for it.
        self.assertEqual(doc.xpath("//input[contains(@name, 'code')]/@name"), ["organisation_code", "postcode"])
        self.assertEqual([(f.get("id"), f.get("action")) for f in doc.xpath("//form")], [("vp_intake_form", INTAKE)])
        # The inbox is a real link, with the site's address, on the intake page itself.
        link = doc.xpath("//p[contains(@class, 'o_vp_intake_inbox_link')]/a/@href")
        self.assertEqual(link, [self.base_url() + "/vertrouwenspersoon/inbox"])
        # No grey example that reads as a value; the phone field says it wants a number.
        self.assertFalse(doc.xpath("//input[@placeholder]"))
        self.assertEqual(doc.xpath("//label[@for='vp_employee_phone']/text()"), [translate("Phone number")])
        # No template logo ("Your logo") while the bureau has not uploaded its own.
        self.assertFalse(doc.xpath("//header//img"))
        # Choosing the inbox alone hides the ways to reach her (the page's style) ...
        self.assertTrue(doc.xpath("//div[contains(@class, 'o_vp_intake_contact')]//input[@name='employee_phone']"))

    def test_inbox_alone_keeps_no_contact_details_and_the_receipt_has_one_code(self):
        answer, code = self._request(employee_phone="06-12345678", employee_name="Els", counsellor_choice="")
        receipt, _key = self.env["vp.case.receipt"]._vp_open(code)
        case = receipt.case_id
        # ... and the server keeps none of what was typed there.
        role = next(role for role, login in DEMO_LOGINS.items() if login == case.counsellor_id.login)
        with unlocked(self.env, role):
            readable = case.with_user(case.counsellor_id)
            self.assertFalse(readable.employee_phone or readable.employee_name or readable.employee_email)
        text = answer.text
        self.assertEqual(re.findall(r"[A-Z2-9]{4}(?:-[A-Z2-9]{4}){4}", text), [code])
        self.assertNotIn(case.intake_reference, text)
        doc = self._doc(answer)
        # The inbox's address as a link inside the printed part, a copy button beside the code.
        printed = doc.xpath("//div[contains(@class, 'o_vp_receipt')]")[0]
        self.assertEqual(
            printed.xpath(".//a[contains(@class, 'o_vp_receipt_inbox_link')]/@href"),
            [self.base_url() + "/vertrouwenspersoon/inbox"],
        )
        self.assertTrue(doc.xpath("//button[contains(@class, 'o_vp_receipt_copy')]"))
        self.assertIn(
            translate("A confidential counsellor for the region where you live is assigned to your request."),
            answer.text,
        )

    def test_a_chosen_counsellor_is_named_on_the_receipt(self):
        appointment = (
            self.env["vp.counsellor.appointment"]
            .sudo()
            .search([("organisation_id.code", "=", "LINDE"), ("show_on_intake", "=", True)], limit=1)
        )
        answer, _code = self._request(counsellor_choice=str(appointment.id))
        self.assertIn(
            translate("Your request goes to the counsellor you chose; if they are away, to a colleague."), answer.text
        )
        self.assertNotIn(
            translate("A confidential counsellor for the region where you live is assigned to your request."),
            answer.text,
        )

    def test_inbox_status_times_and_a_closed_request(self):
        _answer, code = self._request()
        receipt, _key = self.env["vp.case.receipt"]._vp_open(code)
        case = receipt.case_id
        counsellor = case.counsellor_id
        role = next(role for role, login in DEMO_LOGINS.items() if login == counsellor.login)
        with unlocked(self.env, role):
            message = (
                self.env(user=counsellor)["vp.case.message"]
                .create({"case_id": case.id, "body": "Dag, ik ben er voor je.", "signed": True})
                .sudo()
            )
        message.sent_on = datetime.datetime(2026, 12, 6, 20, 3)  # 21:03 in Amsterdam
        inbox = self.url_open(INBOX)
        thread = self.url_open(
            "/nl/vertrouwenspersoon/inbox/open", data={**self._hidden(inbox, "vp_inbox_code_form"), "code": code}
        )
        doc = self._doc(thread)
        self.assertEqual(doc.xpath("//dd[contains(@class, 'o_vp_inbox_state')]/text()"), [translate("received")])
        heading = doc.xpath("//p[contains(@class, 'o_vp_inbox_message_head')]/text()")[0]
        self.assertEqual(heading, f"{counsellor.name} schreef, 6 dec. 2026 21:03")
        self.assertNotIn("UTC", thread.text)
        self.assertIn(translate("Times are Dutch time."), thread.text)
        reply = self.url_open(
            "/nl/vertrouwenspersoon/inbox/reply",
            data={**self._hidden(thread, "vp_inbox_reply_form"), "body": "Dank je."},
        )
        headings = self._doc(reply).xpath("//p[contains(@class, 'o_vp_inbox_message_head')]/text()")
        self.assertTrue(headings[-1].startswith("Jij schreef, "), headings)
        self.assertNotIn(" ,", " ".join(headings))
        self.assertFalse(self._doc(reply).xpath("//*[contains(@class, 'o_vp_inbox_closed_note')]"))
        case.sudo().state = "closed"  # sudo: the test closes the case, as its counsellor does
        closed = self._doc(self.url_open(INBOX))
        self.assertEqual(closed.xpath("//dd[contains(@class, 'o_vp_inbox_state')]/text()"), [translate("closed")])
        self.assertTrue(closed.xpath("//*[contains(@class, 'o_vp_inbox_closed_note')]"))
