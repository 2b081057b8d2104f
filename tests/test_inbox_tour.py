"""The reporter's inbox in headless Chromium: at phone width the
reporter sends a request, saves the receipt code, opens the inbox and writes;
the counsellor answers in the backend (Wbk acknowledgement); the reporter
reads the answer with the code."""

import json

from odoo.tests import HttpCase, tagged

from .common import DEMO_LOGINS, DEMO_PASSPHRASES, recorded_receipt_codes, unlocked

PHONE = "390x844"


@tagged("post_install", "-at_install")
class TestInboxTour(HttpCase):
    def _start(self, url, tour, storage, **kwargs):
        """Start ``tour`` with values in the tab's sessionStorage (what the person
        remembers: the code they saved, the passphrase they know)."""
        options = {"stepDelay": 0, "keepWatchBrowser": False, "debug": False, "startUrl": url}
        setup = "".join(f"sessionStorage.setItem({json.dumps(k)}, {json.dumps(v)});" for k, v in storage.items())
        code = f"{setup} odoo.startTour({tour!r}, {json.dumps(options)})"
        return self.start_tour(url, tour, code=code, timeout=120, **kwargs)

    def test_reporter_and_counsellor_through_the_inbox(self):
        self.browser_size = PHONE
        with recorded_receipt_codes() as codes:
            self.start_tour("/vertrouwenspersoon/contact", "vp_inbox_reporter_tour", timeout=120)
        self.assertEqual(len(codes), 1)
        receipt, _key = self.env["vp.case.receipt"]._vp_open(codes[0])
        case = receipt.case_id
        reply = self.env["vp.case.message"].sudo().search([("case_id", "=", case.id)])
        self.assertEqual(reply.author, "reporter")
        role = next(role for role, login in DEMO_LOGINS.items() if login == case.counsellor_id.login)
        with unlocked(self.env, role):
            self.assertEqual(reply.with_user(case.counsellor_id).body, "Ik heb ook een bewijsstuk.")

        self.browser_size = "1366x768"
        case_url = f"/odoo/action-vertrouwenspersoon.vp_case_action_counsellor/{case.id}"
        self._start(
            "/odoo",
            "vp_inbox_counsellor_tour",
            {"vp_test_passphrase": DEMO_PASSPHRASES[role], "vp_test_case_url": case_url},
            login=case.counsellor_id.login,
        )
        answer = self.env["vp.case.message"].sudo().search([("case_id", "=", case.id), ("author", "=", "counsellor")])
        self.assertEqual(len(answer), 1)
        self.assertTrue(answer.is_acknowledgement)
        self.assertTrue(case.wbk_acknowledged_on)

        self.browser_size = PHONE
        self._start("/vertrouwenspersoon/inbox", "vp_inbox_read_tour", {"vp_test_receipt_code": codes[0]})
        self.assertTrue(answer.read_by_reporter)
