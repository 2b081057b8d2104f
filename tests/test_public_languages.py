"""The public pages in the reporter's own language: Dutch, English, Polish,
Turkish, Arabic (right to left) and Ukrainian.

Every page (the intake form, with its errors, the receipt, the inbox's code
page, the thread with messages, the closed request and a file's notice) is
rendered in each language and compared with English: a sentence of the page
that reads the same as in English is untranslated. Every term of the public
templates and code has a translation in each catalogue. The language follows
the browser on a first visit, the switch keeps what was typed, the
counsellor sees the reporter's language, her own words are never translated,
and the reporter's e-mail notice is in her language."""

import re
from pathlib import Path

import polib
from lxml import html as lxml_html

from odoo.addons.vertrouwenspersoon.controllers.public_page import LANG_NAMES, PUBLIC_LANGS
from odoo.tests import HttpCase, tagged

from . import file_fixtures as fixtures
from .common import recorded_receipt_codes, unlocked
from .public_terms import public_terms

I18N = Path(__file__).resolve().parent.parent / "vertrouwenspersoon" / "i18n"
CATALOGUES = {"nl_NL": "nl.po", "pl_PL": "pl.po", "tr_TR": "tr.po", "ar_001": "ar.po", "uk_UA": "uk.po"}
COUNSELLOR_WORDS = "Dag, dank voor je bericht. Ik ben Anne; wanneer kun je bellen?"
REPORTER_WORDS = "Het gebeurt vooral in het teamoverleg op maandag."
INTAKE = "/vertrouwenspersoon/contact"
INBOX = "/vertrouwenspersoon/inbox"
# Texts that are the same in every language: the bureau's and people's names, codes,
# what the reporter and counsellor wrote, and the languages' own names.
CODE_OR_ADDRESS = re.compile(r"[A-Z2-9]{4}(-[A-Z2-9]{4}){4}|https?://\S+")
NOT_TRANSLATED = {
    *LANG_NAMES.values(),
    COUNSELLOR_WORDS,
    REPORTER_WORDS,
    "foto.jpg",
    "LINDE",
    "XXXX-XXXX-XXXX-XXXX-XXXX",
}


def visible_texts(page):
    """The sentences a reader sees or hears on ``page``: text, and the labels
    of images and controls; normalised, without numbers-only fragments."""
    doc = lxml_html.fromstring(page)
    for junk in doc.xpath("//script|//style|//noscript"):
        junk.drop_tree()
    texts = set()
    for node in doc.xpath("//title|//body//*"):
        for value in (node.text, node.tail, *(node.get(a) for a in ("alt", "title", "aria-label", "placeholder"))):
            text = re.sub(r"\s+", " ", value or "").strip(" .,:;")
            if re.search(r"[^\W\d_]{2}", text):
                texts.add(text)
    return texts


@tagged("post_install", "-at_install")
class TestPublicLanguages(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.config_parameter"].set_param("vertrouwenspersoon.intake_rate_limit", "50")
        cls.langs = {code: cls.env["res.lang"]._get_data(code=code) for code in PUBLIC_LANGS}
        cls.company = cls.env.company
        cls.company.write({"phone": "050 123 45 67", "vp_privacy_url": "https://example.nl/privacy"})

    def _url(self, lang, path):
        return f"/{self.langs[lang].url_code}{path}"

    def _hidden(self, page, form_id):
        doc = lxml_html.fromstring(page)
        return {
            f.get("name"): f.get("value") or "" for f in doc.xpath(f"//form[@id='{form_id}']//input[@type='hidden']")
        }

    def _request(self, lang, files=(), **values):
        """Send a request from the page in ``lang``; (answer, receipt code)."""
        page = self.url_open(self._url(lang, INTAKE)).text
        data = {
            **self._hidden(page, "vp_intake_form"),
            "organisation_code": "LINDE",
            "postcode": "9712",
            "preferred_channel": "inbox",
            "message": "Ik wil iemand spreken.",
            **values,
        }
        with recorded_receipt_codes() as codes:
            answer = self.url_open(self._url(lang, INTAKE), data=data, files=[("files", f) for f in files])
        return answer, codes[-1] if codes else None

    def _pages(self, lang, code, case):
        """Every public page in ``lang``, with this browser's request and inbox."""
        pages = {"intake": self.url_open(self._url(lang, f"{INTAKE}?code=LINDE")).text}
        form = self._hidden(pages["intake"], "vp_intake_form")
        pages["intake with errors"] = self.url_open(
            self._url(lang, INTAKE),
            data={**form, "organisation_code": "", "postcode": "x", "preferred_channel": "phone",
                  "employee_email": "niet-goed", "employee_phone": "abc", "notify_me": "1", "counsellor_choice": "999"},
            files=[("files", ("opname.m4a", b"\x00\x01 geluid \x00" * 30, "audio/mp4"))],
        ).text  # fmt: skip
        pages["receipt"] = self.url_open(self._url(lang, "/vertrouwenspersoon/contact/received")).text
        pages["inbox code"] = self.url_open(self._url(lang, INBOX)).text
        wrong = self._hidden(pages["inbox code"], "vp_inbox_code_form")
        pages["inbox wrong code"] = self.url_open(
            self._url(lang, f"{INBOX}/open"), data={**wrong, "code": "AAAA-BBBB-CCCC-DDDD-EEEE"}
        ).text
        right = self._hidden(pages["inbox wrong code"], "vp_inbox_code_form")
        pages["thread"] = self.url_open(self._url(lang, f"{INBOX}/open"), data={**right, "code": code}).text
        reply = self._hidden(pages["thread"], "vp_inbox_reply_form")
        pages["thread after a reply"] = self.url_open(
            self._url(lang, f"{INBOX}/reply"),
            data={**reply, "body": REPORTER_WORDS},
            files={"file": ("foto.jpg", fixtures.jpeg(), "image/jpeg")},
        ).text
        pages["thread refusing a file"] = self.url_open(
            self._url(lang, f"{INBOX}/reply"),
            data={**reply, "body": REPORTER_WORDS},
            files={"file": ("opname.m4a", b"\x00\x01 geluid \x00" * 30, "audio/mp4")},
        ).text
        case.sudo().state = "closed"  # sudo: the test closes the case as its counsellor would
        pages["thread of a closed request"] = self.url_open(self._url(lang, INBOX)).text
        case.sudo().state = "request"
        self.url_open(self._url(lang, f"{INBOX}/close"), data={})
        return pages

    def _setup_case(self):
        answer, code = self._request("en_US", files=[("foto.jpg", fixtures.jpeg(), "image/jpeg")])
        self.assertEqual(answer.status_code, 200)
        receipt, _key = self.env["vp.case.receipt"]._vp_open(code)
        case = receipt.case_id
        counsellor = case.counsellor_id
        self.assertTrue(counsellor, "the demo roster assigns the request")
        return answer, code, case, counsellor

    def _counsellor_writes(self, case, counsellor):
        role = {"vp_counsellor": "counsellor", "vp_counsellor2": "counsellor2"}.get(counsellor.login, "internal")
        with unlocked(self.env, role):
            messages = self.env(user=counsellor)["vp.case.message"]
            messages.create({"case_id": case.id, "body": COUNSELLOR_WORDS, "signed": True, "is_acknowledgement": True})
            messages.create({"case_id": case.id, "body": COUNSELLOR_WORDS})

    def test_every_page_in_every_language(self):
        _answer, code, case, counsellor = self._setup_case()
        case.sudo().behaviour_kind_ids = [(4, self.env.ref("vertrouwenspersoon.behaviour_kind_fraud").id)]  # sudo: Wbk
        self._counsellor_writes(case, counsellor)
        english = self._pages("en_US", code, case)
        english_texts = {name: visible_texts(page) for name, page in english.items()}
        allowed = NOT_TRANSLATED | {self.company.name, counsellor.name}
        # The counsellors on the intake page, with their introductions as they wrote them.
        shown = self.env["vp.counsellor.appointment"].sudo().search([]).user_id
        allowed |= set(shown.mapped("name"))
        allowed |= set(shown.mapped(lambda user: user._vp_public_profile().get("introduction") or ""))
        untranslated = {}
        for lang in PUBLIC_LANGS:
            if lang == "en_US":
                continue
            pages = self._pages(lang, code, case)
            for name, page in pages.items():
                root = lxml_html.fromstring(page)
                self.assertEqual(root.get("lang"), lang.replace("_", "-"), f"{name} in {lang}")
                self.assertEqual(root.get("dir"), "rtl" if lang == "ar_001" else "ltr", f"{name} in {lang}")
                same = {
                    text
                    for text in visible_texts(page) & english_texts[name]
                    if text not in allowed
                    and not any(text in a or a in text for a in allowed if len(a) > 3)
                    and not CODE_OR_ADDRESS.fullmatch(text)
                }
                if same:
                    untranslated[f"{lang} {name}"] = sorted(same)
                # The counsellor's words and the reporter's stay as they were written.
                if name.startswith("thread"):
                    self.assertIn(COUNSELLOR_WORDS, page)
        self.assertFalse(untranslated, f"untranslated on the public pages: {untranslated}")
        # Each page really was shown in English first (not an error page).
        self.assertIn("o_vp_inbox_closed_note", english["thread of a closed request"])
        self.assertIn("o_vp_file_notices", english["thread after a reply"])
        self.assertIn("keep_uncleaned", english["intake with errors"])

    def test_every_public_term_has_a_translation_in_every_catalogue(self):
        template = polib.pofile(str(I18N / "vertrouwenspersoon.pot"))
        terms = public_terms(template)
        self.assertGreater(len(terms), 100)
        self.assertFalse(terms - {entry.msgid for entry in template}, "run bin/i18n: public terms are not extracted")
        for name in CATALOGUES.values():
            catalogue = {entry.msgid: entry.msgstr for entry in polib.pofile(str(I18N / name)) if not entry.obsolete}
            missing = sorted(term for term in terms if not catalogue.get(term))
            self.assertFalse(missing, f"{len(missing)} public term(s) without a translation in {name}: {missing[:5]}")

    def test_language_follows_the_browser_then_the_choice(self):
        self.opener.cookies.clear()
        first = self.url_open(INTAKE, headers={"Accept-Language": "uk-UA,uk;q=0.9,en;q=0.5"})
        self.assertEqual(lxml_html.fromstring(first.text).get("lang"), "uk-UA")
        self.opener.cookies.clear()
        arabic = self.url_open(INTAKE, headers={"Accept-Language": "ar"})
        self.assertEqual(lxml_html.fromstring(arabic.text).get("dir"), "rtl")
        self.opener.cookies.clear()
        unknown = self.url_open(INTAKE, headers={"Accept-Language": "de-DE,de"})
        self.assertEqual(lxml_html.fromstring(unknown.text).get("lang"), "nl-NL")
        # The switch: the page in the chosen language, with what was typed, and nothing filed.
        before = self.env["vp.case"].search_count([])
        form = self._hidden(self.url_open(self._url("nl_NL", INTAKE)).text, "vp_intake_form")
        switched = self.url_open(
            self._url("tr_TR", "/vertrouwenspersoon/contact/update"),
            data={**form, "organisation_code": "LINDE", "postcode": "9712", "message": "Mijn eigen woorden.",
                  "preferred_channel": "inbox", "counsellor_choice": "external"},
        )  # fmt: skip
        doc = lxml_html.fromstring(switched.text)
        self.assertEqual(doc.get("lang"), "tr-TR")
        self.assertEqual(doc.xpath("//input[@name='postcode']/@value"), ["9712"])
        self.assertEqual(doc.xpath("//textarea[@name='message']/text()"), ["Mijn eigen woorden."])
        self.assertTrue(doc.xpath("//input[@id='vp_channel_inbox'][@checked]"))
        self.assertTrue(doc.xpath("//input[@id='vp_choice_external'][@checked]"))
        self.assertEqual(self.env["vp.case"].search_count([]), before)
        # The chosen language stays for the next pages (a cookie), whatever the browser says.
        later = self.url_open(INBOX, headers={"Accept-Language": "nl"})
        self.assertEqual(lxml_html.fromstring(later.text).get("lang"), "tr-TR")
        # Every page names the languages in their own words, each marked with its language.
        switch = doc.xpath("//nav[contains(@class, 'o_vp_lang_switch')]//*[@lang]")
        self.assertEqual([(item.text, item.get("lang")) for item in switch],
                         [(LANG_NAMES[code], code.replace("_", "-")) for code in PUBLIC_LANGS])  # fmt: skip

    def test_counsellor_sees_the_language_and_the_reporter_gets_her_e_mail_in_it(self):
        answer, code = self._request(
            "pl_PL", preferred_channel="email", employee_email="melder@example.nl", notify_me="1"
        )
        self.assertEqual(lxml_html.fromstring(answer.text).get("lang"), "pl-PL")
        receipt, _key = self.env["vp.case.receipt"]._vp_open(code)
        case = receipt.case_id
        self.assertEqual(receipt.lang, "pl_PL")
        counsellor = case.counsellor_id
        self.assertEqual(case.with_user(counsellor).reporter_language, self.langs["pl_PL"].name)
        # What the request wrote for the bureau is in the bureau's language, her words as she wrote them.
        role = {"vp_counsellor": "counsellor", "vp_counsellor2": "counsellor2"}.get(counsellor.login, "internal")
        with unlocked(self.env, role):
            notes = case.with_user(counsellor).intake_message
            self.assertIn("Ik wil iemand spreken.", notes)
            self.assertIn("Voorkeur voor contact", notes)
        mails = self.env["mail.mail"].sudo()
        before = mails.search([])
        self._counsellor_writes(case, counsellor)
        notice = mails.search([("email_to", "=", "melder@example.nl")]) - before
        self.assertTrue(notice)
        self.assertEqual(notice[0].subject, "Masz wiadomość")
        self.assertIn("Masz nową wiadomość", notice[0].body_html)
        self.assertNotIn(COUNSELLOR_WORDS, notice[0].body_html)
