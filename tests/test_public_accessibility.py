"""The public pages meet WCAG 2.2 AA at phone width, in Dutch and in Arabic
(right to left): axe-core (installed by bin/lib.sh or the docker test image,
VP_AXE_JS) is put into every page the browser opens, and a tour runs it on
every step of the intake, the receipt and the inbox. And the whole intake
and inbox is done with the keyboard alone: real key presses (Chrome's input
events, as a keyboard sends them), each field reached with Tab, each focus
visible."""

import json
import os
import time
from pathlib import Path
from unittest.mock import patch

from odoo.tests import HttpCase, tagged
from odoo.tests.common import ChromeBrowser

from .common import DEMO_LOGINS, recorded_receipt_codes, unlocked

PHONE = "390x844"
KEYS = {
    "Tab": ("Tab", 9, ""),
    "Enter": ("Enter", 13, "\r"),
    "Space": (" ", 32, " "),
    "ArrowDown": ("ArrowDown", 40, ""),
}


def axe_source():
    path = os.environ.get("VP_AXE_JS")
    if not path or not Path(path).is_file():
        raise AssertionError(
            "axe-core is missing: run the tests with bin/test (it installs axe-core and sets VP_AXE_JS)"
        )
    return Path(path).read_text()


class Keyboard:
    """A person at the keyboard of the test's Chrome: trusted key events only."""

    def __init__(self, browser, test):
        self.browser, self.test = browser, test

    def evaluate(self, expression):
        result = self.browser._websocket_request(
            "Runtime.evaluate", params={"expression": expression, "returnByValue": True, "awaitPromise": True}
        )
        return result["result"].get("value")

    def press(self, name, shift=False):
        key, code, text = KEYS[name]
        params = {"key": key, "code": "Space" if key == " " else key, "windowsVirtualKeyCode": code}
        if shift:
            params["modifiers"] = 8
        self.browser._websocket_request("Input.dispatchKeyEvent", params={"type": "keyDown", "text": text, **params})
        self.browser._websocket_request("Input.dispatchKeyEvent", params={"type": "keyUp", **params})

    def type(self, text):
        self.browser._websocket_request("Input.insertText", params={"text": text})

    def focused(self):
        return self.evaluate(
            "(() => { const e = document.activeElement;"
            " return e ? (e.id || e.name || e.className || e.tagName) : ''; })()"
        )

    def tab_to(self, target, presses=40):
        """Tab until ``target`` (an id, a name or a class of the focused element) has the focus;
        it must show that it has (an outline or a shadow)."""
        for _press in range(presses):
            self.press("Tab")
            if target in (self.focused() or "").split():
                visible = self.evaluate(
                    "(() => { const s = getComputedStyle(document.activeElement);"
                    " return (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0)"
                    " || s.boxShadow !== 'none'; })()"
                )
                self.test.assertTrue(visible, f"the focus on {target} is not visible")
                return
        self.test.fail(f"{target} cannot be reached with the Tab key (last focus: {self.focused()})")

    def wait_for(self, expression, timeout=30):
        deadline = time.time() + timeout
        while time.time() < deadline:
            ready = f"document.readyState === 'complete' && !!({expression})"
            if self.evaluate(f"(() => {{ try {{ return {ready}; }} catch (e) {{ return false; }} }})()"):
                return
            time.sleep(0.2)
        self.test.fail(f"the page never showed {expression} (at {self.evaluate('location.pathname')})")


@tagged("post_install", "-at_install", "is_tour")
class TestPublicAccessibility(HttpCase):
    browser_size = PHONE
    touch_enabled = True

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.config_parameter"].set_param("vertrouwenspersoon.intake_rate_limit", "50")
        cls.axe = axe_source()

    def _with_axe(self):
        """Put axe-core into every document the test's browser opens."""
        navigate = ChromeBrowser.navigate_to
        axe = self.axe

        def navigate_with_axe(browser, url, wait_stop=False):
            browser._websocket_request("Page.addScriptToEvaluateOnNewDocument", params={"source": axe})
            return navigate(browser, url, wait_stop)

        return patch.object(ChromeBrowser, "navigate_to", navigate_with_axe)

    def _walk_with_axe(self, lang):
        """The axe tour from the intake page (with the organisation's counsellors to choose
        from) to the inbox; then, after the counsellor answered and closed the request,
        the thread as the reporter finds it."""
        with self._with_axe(), recorded_receipt_codes() as codes:
            self.start_tour(f"/{lang}/vertrouwenspersoon/contact?code=LINDE", "vp_public_axe_tour", timeout=300)
        receipt, _key = self.env["vp.case.receipt"]._vp_open(codes[-1])
        case = receipt.case_id
        counsellor = case.counsellor_id
        role = next(role for role, login in DEMO_LOGINS.items() if login == counsellor.login)
        with unlocked(self.env, role):
            messages = self.env(user=counsellor)["vp.case.message"]
            messages.create({"case_id": case.id, "body": "Dag, ik ben Anne.", "signed": True})
            messages.create({"case_id": case.id, "body": "Wanneer kun je bellen?"})
        case.sudo().state = "closed"  # sudo: the test closes the case, as its counsellor does
        options = {"stepDelay": 0, "keepWatchBrowser": False, "debug": False}
        code = f"sessionStorage.setItem('vp_test_receipt_code', {json.dumps(codes[-1])});"
        code += f" odoo.startTour('vp_public_axe_inbox_tour', {json.dumps(options)})"
        with self._with_axe():
            self.start_tour(f"/{lang}/vertrouwenspersoon/inbox", "vp_public_axe_inbox_tour", code=code, timeout=120)

    def test_wcag_on_every_step_in_dutch(self):
        self._walk_with_axe("nl")

    def test_wcag_on_every_step_in_arabic(self):
        self._walk_with_axe("ar")

    def test_intake_and_inbox_with_the_keyboard_alone(self):
        walked = []

        def walk(browser, _code, timeout, error_checker=None):
            keys = Keyboard(browser, self)
            keys.wait_for("document.querySelector('#vp_organisation_code')")
            keys.tab_to("vp_organisation_code")
            keys.type("LINDE")
            keys.tab_to("vp_postcode")
            keys.type("9712")
            # The channels are one group of radio buttons: Tab enters it, the arrows choose.
            keys.tab_to("vp_channel_phone")
            keys.press("ArrowDown")
            keys.press("ArrowDown")
            self.assertTrue(keys.evaluate("document.querySelector('#vp_channel_inbox').checked"))
            # The ways to reach her are gone from the page (and from the Tab order).
            self.assertFalse(keys.evaluate("!!document.querySelector('#vp_employee_phone').offsetParent"))
            keys.tab_to("vp_message")
            keys.type("Ik wil iemand spreken, liefst hier.")
            keys.tab_to("o_vp_intake_submit")
            keys.press("Enter")
            keys.wait_for("document.querySelector('.o_vp_receipt_code')")
            code = keys.evaluate("document.querySelector('.o_vp_receipt_code').textContent.trim()")
            self.assertEqual(code, codes[-1])
            keys.tab_to("vp_receipt_saved")
            keys.press("Space")
            keys.tab_to("o_vp_receipt_done")
            keys.press("Enter")
            keys.wait_for("document.querySelector('.o_vp_receipt_hidden a')")
            keys.press("Tab")
            # the inbox's address, a real link
            for _press in range(30):
                if keys.evaluate("document.activeElement.matches('.o_vp_receipt_hidden a')"):
                    break
                keys.press("Tab")
            keys.press("Enter")
            keys.wait_for("document.querySelector('#vp_inbox_code')")
            keys.tab_to("vp_inbox_code")
            keys.type(code.lower())
            keys.press("Enter")  # sends the form from its field
            keys.wait_for("document.querySelector('#vp_inbox_body')")
            keys.tab_to("vp_inbox_body")
            keys.type("Dank je, ik schrijf liever hier.")
            keys.tab_to("o_vp_inbox_send")
            keys.press("Enter")
            keys.wait_for("document.querySelector('.o_vp_inbox_message_reporter .o_vp_inbox_body')")
            bodies = keys.evaluate("[...document.querySelectorAll('.o_vp_inbox_body')].map(b => b.textContent)")
            self.assertIn("Dank je, ik schrijf liever hier.", bodies)
            keys.tab_to("o_vp_inbox_close")
            keys.press("Enter")
            keys.wait_for("document.querySelector('#vp_inbox_code')")
            walked.append(True)
            return original(browser, "console.log('test successful')", timeout, error_checker)

        # The walk runs where the browser would run a test's code: between the page's
        # load and the end of the test.
        original = ChromeBrowser._wait_code_ok
        with recorded_receipt_codes() as codes, patch.object(ChromeBrowser, "_wait_code_ok", walk):
            self.browser_js(
                "/nl/vertrouwenspersoon/contact", "", ready="document.readyState === 'complete'", timeout=180
            )
        self.assertEqual(walked, [True])
        receipt, _key = self.env["vp.case.receipt"]._vp_open(codes[-1])
        self.assertEqual(receipt.case_id.intake_channel, "web")
        self.assertEqual(len(self.env["vp.case.message"].sudo().search([("case_id", "=", receipt.case_id.id)])), 1)
        self.assertEqual(receipt.lang, "nl_NL")
