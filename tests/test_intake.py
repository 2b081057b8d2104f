"""The public intake page: a real headless Chromium fills it in and sees the
confirmation; bad input and abuse (unknown code, invalid postcode, oversized
fields, forged CSRF, honeypot, a flood beyond the rate limit) get a clear
answer, never a server error, and never cost a valid request."""

import html
import re

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged

from .common import translate
from .test_assignment import AssignmentCommon

URL = "/vertrouwenspersoon/contact"


@tagged("post_install", "-at_install")
class TestIntakePage(AssignmentCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.config_parameter"].set_param("vertrouwenspersoon.intake_rate_limit", "50")

    def _web_cases(self):
        return self.env["vp.case"].search([("intake_channel", "=", "web")])

    def _form(self):
        response = self.url_open(URL)
        self.assertEqual(response.status_code, 200)
        return re.search(r'name="csrf_token" value="([^"]+)"', response.text).group(1)

    def _post(self, csrf_token=None, **values):
        data = {
            "organisation_code": "LINDE",
            "postcode": "9712",
            "preferred_channel": "phone",
            "employee_phone": "06-12345678",
            "message": "Graag een gesprek.",
            **values,
        }
        data["csrf_token"] = self._form() if csrf_token is None else csrf_token
        data = {key: value for key, value in data.items() if value is not None}
        return self.url_open(URL, data=data)

    # ------------------------------------------------------------------
    # The browser test
    # ------------------------------------------------------------------
    def test_browser_fills_in_and_sees_confirmation(self):
        before = self._web_cases()
        self.start_tour(URL, "vp_intake_tour")
        case = self._web_cases() - before
        self.assertEqual(len(case), 1)
        self.assertEqual(case.organisation_id, self.organisation)
        self.assertEqual(case.region_id, self.noord)
        self.assertEqual(case.counsellor_id, self.c1)
        self.assertEqual(case.state, "request")
        # The page speaks Dutch (the first active language), and so does what it records.
        expected = translate("Region %(region)s, first on roster, capacity %(open)s/%(max)s")
        self.assertEqual(case.assignment_note, expected % {"region": "T-Noord", "open": 0, "max": 2})
        as_counsellor = case.with_user(self.c1)
        self.assertEqual(as_counsellor.employee_phone, "06-98765432")
        self.assertEqual(as_counsellor.postcode, "9712")
        self.assertIn("Dinsdagavond na 19:00", as_counsellor.notes)
        self.assertIn("mijn leidinggevende", as_counsellor.notes)

    # ------------------------------------------------------------------
    # Plain HTTP
    # ------------------------------------------------------------------
    def test_page_and_prefilled_code(self):
        response = self.url_open(f"{URL}?code=LINDE")
        self.assertEqual(response.status_code, 200)
        self.assertIn('value="LINDE"', response.text)
        self.assertIn('name="homepage"', response.text, "the honeypot field is there")
        self.assertIn('maxlength="1000"', response.text)

    def test_valid_request_encrypted_and_hidden_from_others(self):
        response = self._post(employee_name="Pieter Post", employee_email="p.post@example.nl")
        self.assertEqual(response.status_code, 200)
        self.assertIn(translate("The counsellor contacts you within 48 hours,"), html.unescape(response.text))
        case = self._web_cases()
        self.assertEqual(len(case), 1)
        self.assertIn(case.name, response.text)
        self.assertEqual(case.counsellor_id, self.c1)
        self.assertEqual(case.with_user(self.c1).employee_name, "Pieter Post")
        self.env.cr.execute("SELECT employee_name_ciphertext, notes_ciphertext FROM vp_case WHERE id = %s", [case.id])
        for column in self.env.cr.fetchone():
            self.assertTrue(column)
            self.assertNotIn("Pieter", column)
            self.assertNotIn("gesprek", column)
        # The coordinator sees the request, not what is in it; the other
        # counsellor and HR do not see it at all.
        with self.assertRaises(AccessError):
            case.with_user(self.coordinator).read(["employee_name"])
        self.assertFalse(self.env["vp.case"].with_user(self.c2).search([("id", "=", case.id)]))
        for user in (self.hr, self.manager):
            with self.assertRaises(AccessError):
                self.env["vp.case"].with_user(user).search([("id", "=", case.id)])

    def test_unknown_code_and_invalid_postcode(self):
        response = self._post(organisation_code="NOPE")
        self.assertEqual(response.status_code, 200)
        self.assertIn(
            translate("We do not know this organisation code. Your employer's intranet or HR can tell you the code."),
            html.unescape(response.text),
        )
        postcode_error = translate("Enter the four digits of the postcode where you live, for example 4811.")
        response = self._post(postcode="98")
        self.assertIn(postcode_error, html.unescape(response.text))
        response = self._post(postcode="0123")
        self.assertIn(postcode_error, html.unescape(response.text))
        response = self._post(employee_phone="", employee_email="")
        self.assertIn(
            translate("Leave a phone number or an e-mail address, so the counsellor can reach you."),
            html.unescape(response.text),
        )
        response = self._post(employee_email="geen-adres")
        self.assertIn(
            translate("This e-mail address does not look right, for example name@example.nl."),
            html.unescape(response.text),
        )
        self.assertFalse(self._web_cases())
        # What was typed is kept, so nothing has to be typed again.
        self.assertIn("Graag een gesprek.", response.text)

    def test_oversized_fields(self):
        response = self._post(message="x" * 1001)
        self.assertEqual(response.status_code, 200)
        too_long = translate("%(field)s is too long: at most %(limit)s characters.")
        self.assertIn(too_long % {"field": translate("Message"), "limit": 1000}, html.unescape(response.text))
        response = self._post(employee_name="n" * 500, preferred_time="t" * 5000)
        for field in (translate("Name"), translate("Preferred time")):
            self.assertIn(too_long.split("%(limit)s")[0] % {"field": field}, html.unescape(response.text))
        self.assertFalse(self._web_cases())
        # A body beyond any form: refused by size, not by an error.
        response = self._post(message="x" * 100_000)
        self.assertEqual(response.status_code, 413)
        self.assertFalse(self._web_cases())
        # A valid request still goes through afterwards.
        self.assertEqual(self._post().status_code, 200)
        self.assertEqual(len(self._web_cases()), 1)

    def test_forged_or_missing_csrf(self):
        response = self._post(csrf_token="0123456789abcdef0123456789abcdef01234567o9999999999")
        self.assertEqual(response.status_code, 200)
        self.assertIn(
            translate("This page was open too long. Please check your answers and send them again."),
            html.unescape(response.text),
        )
        self.assertIn('value="9712"', response.text)
        response = self._post(csrf_token="")
        self.assertIn(
            translate("This page was open too long. Please check your answers and send them again."),
            html.unescape(response.text),
        )
        self.assertFalse(self._web_cases())
        self.assertEqual(self._post().status_code, 200)
        self.assertEqual(len(self._web_cases()), 1)

    def test_honeypot(self):
        response = self._post(homepage="http://spam.example")
        self.assertEqual(response.status_code, 200)
        self.assertIn(translate("The counsellor contacts you within 48 hours,"), html.unescape(response.text))
        self.assertFalse(self._web_cases())

    def test_odd_input_never_a_server_error(self):
        for data in (
            {"organisation_code": "LINDE\x00", "postcode": "9712\x00"},
            {"organisation_code": "' OR 1=1 --", "postcode": "<script>"},
            {"preferred_channel": "fax"},
            {"organisation_code": "linde ", "postcode": " 9712ab "},
            {"message": "\u202e\U0001f600" * 100},
        ):
            with self.subTest(data=data):
                response = self._post(**data)
                self.assertLess(response.status_code, 500)
                self.assertIn("o_vp_intake", response.text)
                self.assertNotIn("<script>", response.text.split("o_vp_intake_form")[-1].split("</form>")[0])
        response = self.url_open(URL, data={"csrf_token": self._form(), "postcode": ["1", "2"]})
        self.assertLess(response.status_code, 500)

    def test_flood_beyond_rate_limit(self):
        self.env["ir.config_parameter"].set_param("vertrouwenspersoon.intake_rate_limit", "3")
        for _index in range(3):
            self.assertEqual(self._post().status_code, 200)
        accepted = self._web_cases()
        self.assertEqual(len(accepted), 3)
        for _index in range(5):
            response = self._post(message="Nog een keer")
            self.assertEqual(response.status_code, 429)
            self.assertIn(
                translate(
                    "Too many requests came from your connection in the last hour. "
                    "Please try again later, or call the back office."
                ),
                html.unescape(response.text),
            )
            self.assertIn("Nog een keer", response.text, "the refused request is shown back, not lost")
        self.assertEqual(self._web_cases(), accepted, "the valid requests made before the flood are kept")
        # Only keyed hashes are kept, never the address itself.
        rows = self.env["vp.intake.throttle"].sudo().search([])
        self.assertTrue(rows)
        self.assertTrue(all("127.0.0.1" not in row.key and len(row.key) == 64 for row in rows))
