"""The public intake page: a real headless Chromium fills it in and sees the
confirmation; bad input and abuse (unknown code, invalid postcode, oversized
fields, forged CSRF, honeypot, a flood beyond the rate limit) get a clear
answer, never a server error, and never cost a valid request."""

import html
import re

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged

from .common import PublicPagesMixin, opened_as, translate
from .test_assignment import AssignmentCommon

URL = "/vertrouwenspersoon/contact"


@tagged("post_install", "-at_install")
class TestIntakePage(PublicPagesMixin, AssignmentCommon, HttpCase):
    def _web_cases(self):
        return self.env["vp.case"].search([("intake_channel", "=", "web")])

    def _form(self):
        return self._tokens()[0]

    def _tokens(self):
        """The form's CSRF token and its one-time submission token."""
        response = self.url_open(URL)
        self.assertEqual(response.status_code, 200)
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', response.text).group(1)
        submission = re.search(r'name="submission" value="([^"]+)"', response.text).group(1)
        return csrf, submission

    def _post(self, csrf_token=None, **values):
        data = {
            "organisation_code": "LINDE",
            "postcode": "9712",
            "preferred_channel": "phone",
            "employee_phone": "06-12345678",
            "message": "Graag een gesprek.",
            **values,
        }
        csrf, submission = self._tokens()
        data["csrf_token"] = csrf if csrf_token is None else csrf_token
        data.setdefault("submission", submission)
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
        self.enterContext(opened_as(self.c1))
        self.assertEqual(as_counsellor.employee_phone, "06-98765432")
        self.assertEqual(as_counsellor.postcode, "9712")
        # What the employee wrote stays apart from the counsellor's own notes.
        self.assertIn("Dinsdagavond na 19:00", as_counsellor.intake_message)
        self.assertIn("mijn leidinggevende", as_counsellor.intake_message)
        self.assertFalse(as_counsellor.notes)

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
        self.assertIn(
            translate("The counsellor contacts you by phone within 48 hours to make an appointment."),
            html.unescape(response.text),
        )
        case = self._web_cases()
        self.assertEqual(len(case), 1)
        # The employee gets one code, the receipt code; neither the case
        # number that counts requests nor the back office's reference.
        self.assertNotIn(case.intake_reference, response.text)
        self.assertNotIn(case.name, response.text)
        self.assertEqual(len(re.findall(r'class="[^"]*o_vp_receipt_code', response.text)), 1)
        self.assertNotIn(case.name, response.text)
        self.assertEqual(case.counsellor_id, self.c1)
        with opened_as(self.c1):
            self.assertEqual(case.with_user(self.c1).employee_name, "Pieter Post")
        self.env.cr.execute(
            "SELECT employee_name_ciphertext, intake_message_ciphertext FROM vp_case WHERE id = %s", [case.id]
        )
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

    def test_invalid_postcode_and_contact(self):
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
        response = self._post(message="x" * 7_000_000)
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

    def test_failed_posts_cost_no_request(self):
        """The throttle counts valid requests only: forged CSRF and typing errors cost nothing."""
        self.env["ir.config_parameter"].set_param("vertrouwenspersoon.intake_rate_limit", "3")
        for _index in range(4):
            self._post(csrf_token="forged")
            self._post(postcode="98")
        self.assertFalse(self.env["vp.intake.throttle"].sudo().search([]))
        self.assertEqual(self._post().status_code, 200)
        self.assertEqual(len(self._web_cases()), 1)

    def test_global_cap(self):
        """Beyond the global cap nobody files a request, from whatever address."""
        self.env["ir.config_parameter"].set_param("vertrouwenspersoon.intake_global_rate_limit", "2")
        throttle = self.env["vp.intake.throttle"].sudo()
        throttle.create([{"key": "elders-1"}, {"key": "elders-2"}])
        response = self._post(message="Nu nog")
        self.assertEqual(response.status_code, 429)
        self.assertIn(
            translate("The page is very busy at the moment. Please try again later, or call the back office."),
            html.unescape(response.text),
        )
        self.assertFalse(self._web_cases())

    def test_unknown_code_same_answer(self):
        """An unknown code gets the same answer as a known one, and the request is kept
        for the coordinator; nothing on the page says which codes exist."""
        known = self._post()
        unknown = self._post(organisation_code="BESTAATNIET")
        self.assertEqual(unknown.status_code, known.status_code)
        self.assertEqual(unknown.url, known.url)

        def strip(text, case):
            # the reference, the receipt code and the session's fresh CSRF token differ on every page
            text = re.sub(r"[A-Z2-9]{4}(?:-[A-Z2-9]{4}){4}", "RECEIPT", text.replace(case.intake_reference, "REF"))
            return re.sub(r'csrf_token(: "|" value=")[^"]+"', "", text)

        cases = self._web_cases().sorted("id")
        self.assertEqual(len(cases), 2)
        self.assertEqual(strip(unknown.text, cases[1]), strip(known.text, cases[0]))
        stored = cases[1]
        self.assertEqual(stored.organisation_id, self.env.ref("vertrouwenspersoon.organisation_unknown"))
        # Sealed for the duty counsellor, never under a key the server holds.
        self.assertTrue(stored.placed_on_duty)
        self.assertFalse(
            self.env["vp.record.key"].sudo().search([("res_model", "=", "vp.case"), ("res_id", "=", stored.id)])
        )
        activities = (
            self.env["mail.activity"].sudo().search([("res_model", "=", "vp.case"), ("res_id", "=", stored.id)])
        )
        self.assertIn(self.coordinator, activities.user_id)
        # The form's help for a code one is unsure of does not send the employee to HR.
        page = html.unescape(self.url_open(URL).text)
        self.assertNotIn(" HR ", page.split("o_vp_intake_form")[1])

    def test_random_reference(self):
        """Two references tell nothing about how many requests came in between."""
        self._post()
        self._post()
        first, second = self._web_cases().sorted("id")
        self.assertRegex(first.intake_reference, r"^[A-Z2-9]{4}-[A-Z2-9]{4}$")
        self.assertNotEqual(first.intake_reference, second.intake_reference)
        self.assertNotIn(first.name.split("-")[-1], first.intake_reference)

    def test_reload_and_double_submit_file_once(self):
        """Post-redirect-get, and the form's one-time token: reloading the
        answer or sending the same form again files nothing more."""
        csrf, submission = self._tokens()
        data = {"organisation_code": "LINDE", "postcode": "9712", "preferred_channel": "phone",
                "employee_phone": "06-12345678", "csrf_token": csrf, "submission": submission}  # fmt: skip
        first = self.url_open(URL, data=data, allow_redirects=False)
        self.assertEqual(first.status_code, 303)
        done = self.url_open(first.headers["Location"])
        self.assertEqual(len(self._web_cases()), 1)
        code = re.search(r"[A-Z2-9]{4}(?:-[A-Z2-9]{4}){4}", done.text).group(0)
        self.assertEqual(self.url_open(done.url).status_code, 200)  # reload
        again = self.url_open(URL, data=data)  # the same form, sent again
        self.assertIn(code, again.text)
        self.assertEqual(len(self._web_cases()), 1)

    def test_page_earns_trust(self):
        """The page earns trust: the bureau's name, phone number and privacy statement; no sign-in
        link and no Odoo branding; a Dutch title."""
        company = self.env.company
        company.write({"phone": "088-1234567", "vp_privacy_url": "https://example.nl/privacy"})
        page = self.url_open(URL).text
        self.assertIn(company.name, page)
        self.assertIn("088-1234567", page)
        self.assertIn("https://example.nl/privacy", page)
        self.assertNotIn("/web/login", page)
        self.assertNotIn("o_brand_promotion", page)
        self.assertNotIn("Odoo</a>", page)
        title = re.search(r"<title>([^<]*)</title>", page).group(1)
        self.assertEqual(html.unescape(title), translate("Contact a confidential counsellor"))
        done = self._post().text
        self.assertIn("088-1234567", done)

    def test_honeypot(self):
        response = self._post(homepage="http://spam.example")
        self.assertEqual(response.status_code, 200)
        self.assertIn(
            translate("The counsellor contacts you by phone within 48 hours to make an appointment."),
            html.unescape(response.text),
        )
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
        # Only keyed hashes are kept, never the address (nor the form's token) itself.
        rows = self.env["vp.intake.throttle"].sudo().search([])
        self.assertTrue(rows)
        self.assertTrue(all("127.0.0.1" not in row.key and len(row.key) == 64 for row in rows))
        self.assertTrue(all(len(row.submission) == 64 for row in rows))
