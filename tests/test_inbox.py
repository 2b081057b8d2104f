"""The reporter's receipt code and inbox: the code is shown once after
the intake and opens the thread with the counsellor; nobody else (the Odoo
administrator and the server's own code included) reads the thread; code
guessing is rate-limited and never a server error; shredding ends it all; the
Wbk clocks stop on the acknowledgement and feedback messages."""

import html
import json
import logging
import re

from odoo.addons.vertrouwenspersoon.models.annual_report.vp_annual_report import VpAnnualReport
from odoo.addons.vertrouwenspersoon.tools import receipt as receipt_tools
from odoo.addons.vertrouwenspersoon.vault import keyring
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.http import root
from odoo.tests import HttpCase, TransactionCase, tagged

from .common import PublicPagesMixin, VpCaseCommon, demo_user, run_admin_server_action, translate
from .test_vault import _Locked

CONTACT = "/vertrouwenspersoon/contact"
INBOX = "/vertrouwenspersoon/inbox"
CODE_RE = re.compile(r"[A-Z2-9]{4}(?:-[A-Z2-9]{4}){4}")


@tagged("post_install", "-at_install")
class TestReceiptCode(TransactionCase):
    def test_code_has_100_bits_and_copies_forgivingly(self):
        code = receipt_tools.new_code()
        self.assertRegex(code, CODE_RE)
        self.assertGreaterEqual(receipt_tools.BITS, 64)
        self.assertEqual(receipt_tools.BITS, 100)
        self.assertEqual(receipt_tools.normalise(code.lower().replace("-", " ")), code)
        for bad in ("", "ABCD", code + "A", code.replace(code[0], "0"), None, 123, "x" * 1000):
            self.assertIsNone(receipt_tools.normalise(bad))
        self.assertNotEqual(receipt_tools.new_code(), code)

    def test_lookup_reveals_no_code(self):
        code = receipt_tools.new_code()
        values = self.env["vp.case.receipt"]._vp_prepare(code)
        self.assertNotIn(code, json.dumps(values))
        self.assertNotIn(code.replace("-", ""), json.dumps(values))
        # Keyed: another server secret gives another hash for the same code.
        self.assertNotEqual(receipt_tools.lookup_hash("a", code), receipt_tools.lookup_hash("b", code))


@tagged("post_install", "-at_install")
class TestReceiptCodeForPhoneReporter(VpCaseCommon, TransactionCase):
    """A reporter who phoned or came directly gets a receipt code from their counsellor."""

    def test_counsellor_gives_a_code_shown_once(self):
        case = self.case.with_user(self.counsellor)
        self.assertFalse(case.has_receipt)
        action = case.action_vp_give_receipt_code()
        # the dialog of its own (copy, print, "passed on"), not a toast
        self.assertEqual(action["tag"], "vp_receipt_code")
        self.assertEqual(action["params"]["case_name"], case.name)
        self.assertTrue(action["params"]["url"].endswith("/vertrouwenspersoon/inbox"))
        code = action["params"]["code"]
        self.assertRegex(code, r"^[A-Z2-9]{4}(?:-[A-Z2-9]{4}){4}$")
        receipt, private_key = self.env["vp.case.receipt"]._vp_open(code)
        self.assertEqual(receipt.case_id, self.case)
        self.assertTrue(receipt._vp_data_key(private_key))
        # the database keeps no code
        self.env.flush_all()
        self.env.cr.execute("SELECT lookup, salt, public_key FROM vp_case_receipt WHERE id = %s", [receipt.id])
        self.assertNotIn(code, " ".join(self.env.cr.fetchone()))
        case.invalidate_recordset()
        self.assertTrue(case.has_receipt)
        with self.assertRaisesRegex(UserError, translate("This reporter has a receipt code already.", case.env.lang)):
            case.action_vp_give_receipt_code()

    def test_only_the_case_counsellor(self):
        for user in (self.counsellor2, self.coordinator):
            with self.assertRaises(AccessError):
                self.case.with_user(user).action_vp_give_receipt_code()
        self.assertFalse(self.env["vp.case.receipt"].sudo().search([("case_id", "=", self.case.id)]))


@tagged("post_install", "-at_install")
class TestInboxModel(VpCaseCommon, TransactionCase):
    CODE = "K7Q4-M2XP-9HNC-T3WD-YB6F"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.receipt = cls.env(user=cls.counsellor)["vp.case.receipt"]._vp_create_for_case(
            cls.case.with_user(cls.counsellor), cls.CODE, notify=True
        )

    def _data_key(self, code=None):
        receipt, private_key = self.env["vp.case.receipt"]._vp_open(code or self.CODE)
        self.assertTrue(receipt)
        return receipt._vp_data_key(private_key)

    def test_new_codes_hkdf_old_codes_still_open(self):
        """A new receipt derives the reporter's key with HKDF (no scrypt on every
        intake); a receipt made before, with scrypt, still opens with its code."""
        self.assertEqual(self.receipt.kdf, receipt_tools.KDF_HKDF)
        self.assertTrue(self._data_key())
        # a receipt as made before: the same code's key pair by scrypt, marked so
        salt = receipt_tools.new_salt()
        old_key = receipt_tools.derive_private_key(self.CODE, salt, receipt_tools.KDF_SCRYPT)
        self.assertNotEqual(
            receipt_tools.public_key_text(old_key),
            receipt_tools.public_key_text(receipt_tools.derive_private_key(self.CODE, salt)),
        )
        self.receipt.sudo().write(
            {
                "kdf": receipt_tools.KDF_SCRYPT,
                "salt": keyring._b64(salt),
                "public_key": receipt_tools.public_key_text(old_key),
            }
        )
        receipt, private_key = self.env["vp.case.receipt"]._vp_open(self.CODE)
        self.assertEqual(receipt, self.receipt)
        self.assertTrue(receipt_tools.same_public_key(private_key, receipt.public_key))

    def test_thread_opens_with_the_code_only(self):
        as_counsellor = self.env(user=self.counsellor)["vp.case.message"]
        as_counsellor.create({"case_id": self.case.id, "body": "Dank voor uw melding.", "signed": True})
        thread = self.env["vp.case.message"]._vp_thread(self.case, self._data_key())
        self.assertEqual([m["body"] for m in thread], ["Dank voor uw melding."])
        self.assertEqual(thread[0]["signature"], self.counsellor.name)
        self.assertEqual(self.env["vp.case.receipt"]._vp_open("AAAA-AAAA-AAAA-AAAA-AAAA"), (None, None))
        self.assertEqual(self.env["vp.case.receipt"]._vp_open("not a code"), (None, None))
        # The stored rows: no code, no text.
        self.env.flush_all()
        self.env.cr.execute("SELECT lookup, salt, public_key FROM vp_case_receipt WHERE id = %s", [self.receipt.id])
        self.assertNotIn(self.CODE, " ".join(self.env.cr.fetchone()))
        self.env.cr.execute("SELECT body_ciphertext FROM vp_case_message WHERE case_id = %s", [self.case.id])
        self.assertNotIn("melding", self.env.cr.fetchone()[0])

    def test_reply_reaches_the_counsellor_as_an_activity_without_content(self):
        self.env["vp.case.message"]._vp_post_reply(self.case, self._data_key(), "Ik heb nog een vraag.", "a.txt", b"x")
        message = self.env["vp.case.message"].with_user(self.counsellor).search([("case_id", "=", self.case.id)])
        self.assertEqual(message.author, "reporter")
        self.assertEqual(message.body, "Ik heb nog een vraag.")
        self.assertEqual(message.file_name, "a.txt")
        activity = self.case.activity_ids.filtered(
            lambda a: a.activity_type_id == self.env.ref("vertrouwenspersoon.mail_activity_type_vp_reporter_message")
        )
        self.assertEqual(activity.user_id, self.counsellor)
        self.assertFalse(activity.summary)
        self.assertFalse(activity.note)
        self.assertTrue(activity.date_deadline)
        with self.assertRaises(UserError):
            self.env["vp.case.message"]._vp_post_reply(self.case, self._data_key(), "   ")

    def test_acknowledgement_and_feedback_stop_the_wbk_clocks(self):
        case = self.new_case(
            self.counsellor,
            behaviour_kind_ids=[(6, 0, [self.env.ref("vertrouwenspersoon.behaviour_kind_fraud").id])],
        )
        self.env(user=self.counsellor)["vp.case.receipt"]._vp_create_for_case(
            case.with_user(self.counsellor), "AAAA-BBBB-CCCC-DDDD-EEEE"
        )
        self.assertTrue(case.is_wbk)
        messages = self.env(user=self.counsellor)["vp.case.message"]
        messages.create({"case_id": case.id, "body": "Uw melding is ontvangen.", "is_acknowledgement": True})
        self.assertTrue(case.wbk_acknowledged_on)
        self.assertTrue(case.wbk_ack_in_time)
        self.assertFalse(case.wbk_feedback_on)
        messages.create({"case_id": case.id, "body": "Terugkoppeling: het onderzoek loopt.", "is_feedback": True})
        self.assertTrue(case.wbk_feedback_in_time)
        summary = case._vp_inbox_summary()
        self.assertEqual(summary["status"], translate("received", self.env.lang))
        self.assertTrue(summary["is_wbk"])
        self.assertEqual(
            set(summary),
            {
                "status",
                "closed",
                "received_on",
                "is_wbk",
                "ack_deadline",
                "acknowledged_on",
                "feedback_deadline",
                "feedback_on",
            },
        )

    def test_a_sent_message_never_changes_and_others_do_not_see_it(self):
        message = self.env(user=self.counsellor)["vp.case.message"].create(
            {"case_id": self.case.id, "body": "Eerste bericht."}
        )
        with self.assertRaises(AccessError):
            message.with_user(self.counsellor).write({"is_feedback": True})
        with self.assertRaises(AccessError):
            message.with_user(self.counsellor).unlink()
        for user in (self.counsellor2, self.coordinator, self.hr, self.manager):
            with self.assertRaises(AccessError):
                message.with_user(user).read(["body"])
        # A client cannot write the reporter's side.
        forged = self.env(user=self.counsellor)["vp.case.message"].create(
            {"case_id": self.case.id, "body": "Namens de melder", "author": "reporter"}
        )
        self.assertEqual(forged.author, "counsellor")
        # A case without a receipt code gets no messages: its reporter could not read them.
        other = self.new_case(self.counsellor)
        with self.assertRaises(ValidationError):
            self.env(user=self.counsellor)["vp.case.message"].create({"case_id": other.id, "body": "Hallo"})

    def test_notice_email_says_only_that_there_is_a_message(self):
        before = self.env["mail.mail"].search([])
        self.env(user=self.counsellor)["vp.case.message"].create(
            {"case_id": self.case.id, "body": "Vertrouwelijke inhoud"}
        )
        mail = self.env["mail.mail"].search([]) - before
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.email_to, self.EMAIL)
        for text in ("Vertrouwelijke", self.case.name, self.counsellor.name, self.NAME):
            self.assertNotIn(text, mail.body_html + mail.subject)
        self.assertIn("/vertrouwenspersoon/inbox", mail.body_html)

    def test_the_server_alone_reads_no_thread(self):
        """The shell, a scheduled job, sudo: no counsellor's key is unlocked there, and the
        reporter's key exists only while someone types the code."""
        self.env(user=self.counsellor)["vp.case.message"].create({"case_id": self.case.id, "body": "Geheim"})
        self.env.invalidate_all()
        with _Locked():
            with self.assertRaises(UserError):
                self.env["vp.case.message"].with_user(self.counsellor).search([("case_id", "=", self.case.id)]).body  # noqa: B018
            self.env.invalidate_all()
            with self.assertRaises(UserError):
                self.env["vp.case.message"].sudo().search([("case_id", "=", self.case.id)]).body  # noqa: B018
        # The reporter's grant opens only with the key derived from the code.
        grant = (
            self.env["vp.record.grant"]
            .sudo()
            .search([("res_model", "=", "vp.case"), ("receipt_id", "=", self.receipt.id)])
        )
        self.assertEqual(grant.kind, "sealed")
        wrong = receipt_tools.derive_private_key("AAAA-AAAA-AAAA-AAAA-AAAA", b"0" * 16)
        with self.assertRaises(keyring.VaultError):
            self.receipt._vp_data_key(wrong)

    def test_shredding_destroys_thread_and_code(self):
        self.env(user=self.counsellor)["vp.case.message"].create({"case_id": self.case.id, "body": "Tot ziens"})
        self.case.sudo()._vp_shred()
        self.assertFalse(self.env["vp.case.message"].sudo().search([("case_id", "=", self.case.id)]))
        self.assertFalse(self.env["vp.case.receipt"].sudo().search([("case_id", "=", self.case.id)]))
        self.assertFalse(
            self.env["vp.record.grant"].sudo().search([("res_model", "=", "vp.case"), ("res_id", "=", self.case.id)])
        )
        self.assertEqual(self.env["vp.case.receipt"]._vp_open(self.CODE), (None, None))

    def test_annual_report_wbk_cells_are_suppressed(self):
        cells = VpAnnualReport._vp_wbk_cells
        shown = cells({"requests": 40, "wbk": 20, "ack_in_time": 12, "feedback_in_time": 10})
        self.assertEqual([shown[k]["display"] for k in ("wbk", "ack_in_time", "feedback_in_time")], ["20", "12", "10"])
        small = cells({"requests": 40, "wbk": 3, "ack_in_time": 3, "feedback_in_time": 0})
        self.assertEqual([small[k]["display"] for k in ("wbk", "ack_in_time", "feedback_in_time")], ["< 5", "< 5", "x"])
        # 18 of 20 in time: the 2 not in time would follow from the total.
        complement = cells({"requests": 40, "wbk": 20, "ack_in_time": 18, "feedback_in_time": 20})
        self.assertEqual(complement["ack_in_time"]["display"], "x")
        self.assertEqual(complement["feedback_in_time"]["display"], "20")
        # 38 of 40 requests are Wbk: the other 2 would follow from the requests.
        others = cells({"requests": 40, "wbk": 38, "ack_in_time": 30, "feedback_in_time": 30})
        self.assertEqual({cell["display"] for cell in others.values()}, {"x"})


@tagged("post_install", "-at_install")
class TestInboxPages(PublicPagesMixin, VpCaseCommon, HttpCase):
    def _csrf(self, url):
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        return response, re.search(r'name="csrf_token" value="([^"]+)"', response.text).group(1)

    def _submit_intake(self, **values):
        response, csrf = self._csrf(CONTACT)
        submission = re.search(r'name="submission" value="([^"]+)"', response.text).group(1)
        data = {
            "organisation_code": self.organisation.code,
            "postcode": "4811",
            "preferred_channel": "email",
            "employee_email": "melder@example.nl",
            "message": "Er wordt gefraudeerd.",
            "csrf_token": csrf,
            "submission": submission,
            **values,
        }
        return self.url_open(CONTACT, data=data)

    def _open_inbox(self, code):
        _response, csrf = self._csrf(INBOX)
        return self.url_open(f"{INBOX}/open", data={"code": code, "csrf_token": csrf})

    def test_code_shown_until_saved_never_in_url_or_session_in_clear(self):
        response = self._submit_intake(notify_me="1")
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.url.endswith("/vertrouwenspersoon/contact/received"))
        code = CODE_RE.search(response.text).group(0)
        text = html.unescape(response.text)
        self.assertIn(translate("Print this receipt"), text)
        self.assertIn(self.env.company.name, text)
        self.assertNotIn("gefraudeerd", text)
        for past in response.history:
            self.assertNotIn(code, past.url)
            self.assertNotIn(code, past.headers.get("Location", ""))
        # The session store holds the code only wrapped: without the browser's cookie it is noise.
        sid = self.opener.cookies.get("session_id")
        self.assertNotIn(code, json.dumps(dict(root.session_store.get(sid))))
        # A reload shows it again (same browser) until the employee ticks that they saved it.
        self.assertIn(code, self.url_open("/vertrouwenspersoon/contact/received").text)
        _page, csrf = self._csrf("/vertrouwenspersoon/contact/received")
        after = self.url_open("/vertrouwenspersoon/contact/receipt-saved", data={"saved": "1", "csrf_token": csrf})
        self.assertNotIn(code, after.text)
        shown_once = translate(
            "Your receipt code was shown once and is not shown again. With it you open your inbox at"
        )
        self.assertIn(" ".join(shown_once.split()), " ".join(html.unescape(after.text).split()))
        receipt, _key = self.env["vp.case.receipt"]._vp_open(code)
        self.assertTrue(receipt.notify)

    def test_a_reporter_may_leave_no_contact_details_and_use_the_inbox_alone(self):
        response = self._submit_intake(preferred_channel="inbox", employee_email="", notify_me="")
        code = CODE_RE.search(response.text).group(0)
        receipt, _key = self.env["vp.case.receipt"]._vp_open(code)
        self.assertEqual(receipt.case_id.intake_channel, "web")
        self.assertIn(
            translate("The counsellor writes to you in your inbox within 48 hours: open it with your receipt code."),
            html.unescape(response.text),
        )
        # The inbox alone: whatever was typed in the ways to reach her is not kept.
        response = self._submit_intake(preferred_channel="inbox", employee_phone="06-12345678", employee_name="Els")
        receipt, _key = self.env["vp.case.receipt"]._vp_open(CODE_RE.search(response.text).group(0))
        self.assertIn(receipt.case_id.counsellor_id, self.counsellor | self.counsellor2)
        case = receipt.case_id.with_user(receipt.case_id.counsellor_id)  # unlocked (VpCaseCommon)
        self.assertFalse(case.employee_phone or case.employee_email or case.employee_name)
        # The e-mail notice needs an address.
        response = self._submit_intake(
            preferred_channel="phone", employee_phone="06-12345678", employee_email="", notify_me="1"
        )
        self.assertIn(
            translate("You asked for an e-mail when there is a message: leave an e-mail address."),
            html.unescape(response.text),
        )

    def test_reporter_and_counsellor_write_to_each_other(self):
        code = CODE_RE.search(self._submit_intake().text).group(0)
        receipt, _key = self.env["vp.case.receipt"]._vp_open(code)
        case = receipt.case_id
        counsellor = case.counsellor_id
        self.assertIn(counsellor, demo_user(self.env, "counsellor") | demo_user(self.env, "counsellor2"))
        self.env(user=counsellor)["vp.case.message"].create(
            {"case_id": case.id, "body": "Goed dat u zich meldt.", "is_acknowledgement": True}
        )
        # A fresh browser: only the code opens the inbox.
        self.opener.cookies.clear()
        page = self._open_inbox(code.lower().replace("-", " "))
        self.assertEqual(page.status_code, 200)
        self.assertEqual(page.url, self.base_url() + INBOX)
        text = html.unescape(page.text)
        self.assertIn("Goed dat u zich meldt.", text)
        self.assertIn(translate("received"), text)
        self.assertNotIn(case.name, text)
        self.assertNotIn("gefraudeerd", text, "the case's notes are not part of the thread")
        self.assertNotIn(counsellor.name, text, "unsigned: the counsellor's name is not shown")
        _page, csrf = self._csrf(INBOX)
        sent = self.url_open(
            f"{INBOX}/reply",
            data={"body": "Dank u, ik wacht af.", "csrf_token": csrf},
            files={"file": ("bewijs.txt", b"inhoud van het bewijs", "text/plain")},
        )
        self.assertIn("Dank u, ik wacht af.", html.unescape(sent.text))
        reply = self.env["vp.case.message"].sudo().search([("case_id", "=", case.id), ("author", "=", "reporter")])
        self.assertEqual(reply.with_user(counsellor).body, "Dank u, ik wacht af.")
        file_link = re.search(r'href="(/vertrouwenspersoon/inbox/file/\d+)"', sent.text).group(1)
        self.assertEqual(self.url_open(file_link).content, b"inhoud van het bewijs")
        # Closed: the thread needs the code again.
        self.url_open(f"{INBOX}/close", data={"close": "1"})
        self.assertNotIn("Dank u, ik wacht af.", self.url_open(INBOX).text)
        # Without the browser's cookie the session opens nothing either.
        self._open_inbox(code)
        self.opener.cookies.pop("vp_inbox")
        self.assertNotIn("Dank u, ik wacht af.", self.url_open(INBOX).text)

    def test_administrator_cannot_read_the_thread(self):
        """The vault issue's attack on the thread: the administrator's server action reads the
        messages as the counsellor (XML-RPC and the administrator's own browser)."""
        counsellor = demo_user(self.env, "counsellor")
        self.env(user=counsellor)["vp.case.receipt"]._vp_create_for_case(
            self.case.with_user(counsellor), "ZZZZ-YYYY-XXXX-WWWW-VVVV"
        )
        self.env(user=counsellor)["vp.case.message"].create({"case_id": self.case.id, "body": "Alleen voor u"})
        code = (
            f"messages = env['vp.case.message'].sudo().search([('case_id', '=', {self.case.id})])\n"
            "raise UserError(str(messages.with_user(messages.case_id.sudo().counsellor_id).sudo().mapped('body')))"
        )
        _fault, response = run_admin_server_action(self, code, secret="Alleen voor u")
        self.assertIn("error", response)

    def test_flood_of_wrong_and_malformed_codes_gives_no_server_error(self):
        self.env["ir.config_parameter"].set_param("vertrouwenspersoon.inbox_rate_limit", "8")
        _page, csrf = self._csrf(INBOX)
        statuses = []
        logged = []
        handler = logging.Handler()
        handler.emit = lambda record: logged.append(record.getMessage())
        logging.getLogger().addHandler(handler)
        try:
            tries = [
                {"code": receipt_tools.new_code(), "csrf_token": csrf},
                {"code": "x" * 5000, "csrf_token": csrf},
                {"code": "", "csrf_token": csrf},
                {"code": "ÄÖÜ-\x00-☃", "csrf_token": csrf},
                {"csrf_token": csrf},
                {"code": receipt_tools.new_code(), "csrf_token": "forged"},
                {"code": [receipt_tools.new_code(), "b"], "csrf_token": csrf},
            ]
            for attempt in range(14):
                statuses.append(self.url_open(f"{INBOX}/open", data=tries[attempt % len(tries)]).status_code)
            statuses.append(self.url_open(f"{INBOX}/reply", data={"body": "x"}).status_code)
            statuses.append(self.url_open(f"{INBOX}/file/1").status_code)
            statuses.append(self.url_open(f"{INBOX}/file/abc").status_code)
        finally:
            logging.getLogger().removeHandler(handler)
        self.assertFalse([status for status in statuses if status >= 500], statuses)
        self.assertIn(429, statuses, "the per-address limit answered")
        for code in [t.get("code") for t in tries if isinstance(t.get("code"), str) and CODE_RE.fullmatch(t["code"])]:
            self.assertFalse([line for line in logged if code in line], "a code reached the log")
