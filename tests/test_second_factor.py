"""Counsellors, coordinators and HR recipients sign in with a second factor, by
Odoo's own modules; choosing or changing a vault passphrase, making or using a
recovery key and erasing a case ask for it again (docs/SECOND_FACTOR.md). Over
real HTTP, as a browser or an RPC client with a stolen password would try."""

import html
import re

from odoo.addons.vertrouwenspersoon.const import COUNSELLOR
from odoo.tests import HttpCase, new_test_user, tagged

from .common import VpCaseCommon, call_kw, confirm_identity, json_call, totp_code, translate, unlock_session

CONFIRM_FIRST = (
    "For your safety, confirm your identity first: open Recovery key from the organisation again, "
    "give your password and your authentication code, then make or use the key within ten minutes."
)


@tagged("post_install", "-at_install")
class TestSignInWithASecondFactor(VpCaseCommon, HttpCase):
    def _login(self, login, password):
        self.opener.cookies.clear()
        page = self.url_open("/web/login")
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        return self.url_open("/web/login", data={"login": login, "password": password, "csrf_token": csrf})

    def _session_uid(self):
        return json_call(self, "/web/session/get_session_info").get("result", {}).get("uid")

    def test_a_password_alone_opens_nothing(self):
        for login in ("vp_counsellor", "vp_coordinator", "vp_hr"):
            with self.subTest(login=login):
                response = self._login(login, login)
                self.assertIn("/web/login/totp", response.url)
                self.assertFalse(self._session_uid(), "no session before the second factor")
        # Management has no second factor to give (it reads no case).
        self.assertNotIn("/web/login/totp", self._login("vp_manager", "vp_manager").url)

    def test_the_code_of_the_app_completes_the_sign_in(self):
        response = self._login("vp_counsellor", "vp_counsellor")
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', response.text).group(1)
        wrong = self.url_open("/web/login/totp", data={"totp_token": "000000", "csrf_token": csrf})
        self.assertIn("/web/login/totp", wrong.url)
        self.assertFalse(self._session_uid())
        self.url_open("/web/login/totp", data={"totp_token": totp_code(), "csrf_token": csrf})
        self.assertEqual(self._session_uid(), self.counsellor.id)

    def test_without_an_app_the_code_comes_by_mail(self):
        newcomer = new_test_user(self.env, login="vp_test_newcomer_2fa", groups=COUNSELLOR)
        self.assertEqual(newcomer._mfa_type(), "totp_mail")
        plain = new_test_user(self.env, login="vp_test_plain_2fa", groups="base.group_user")
        self.assertFalse(plain._mfa_type())


@tagged("post_install", "-at_install")
class TestSensitiveActsAskAgain(VpCaseCommon, HttpCase):
    def test_erasing_a_case_asks_for_the_factor_again(self):
        self.authenticate("vp_counsellor", "vp_counsellor")
        unlock_session(self, "counsellor")
        answer = call_kw(self, "vp.case", "action_erase_on_request", [[self.case.id]])["result"]
        self.assertEqual(answer["res_model"], "res.users.identitycheck")
        self.assertFalse(self.case.shredded_on, "nothing is erased before the check")
        # The password alone, or with a wrong code, does not pass.
        refused = confirm_identity(self, "vp_counsellor", code="000000")
        self.assertIn("error", refused)
        self.assertFalse(self.case.shredded_on)
        # The identity check runs the erasure once password and code are right.
        check_id = answer["res_id"]
        call_kw(
            self,
            "res.users.identitycheck",
            "write",
            [[check_id], {"password": "vp_counsellor", "vp_code": totp_code()}],
        )
        call_kw(self, "res.users.identitycheck", "run_check", [[check_id]])
        self.env.invalidate_all()
        self.assertTrue(self.case.shredded_on)

    def test_the_passphrase_route_asks_for_the_factor_again(self):
        self.authenticate("vp_counsellor2", "vp_counsellor2")
        answer = json_call(
            self, "/vertrouwenspersoon/vault/passphrase", {"old_passphrase": "x", "passphrase": "een lange nieuwe zin"}
        )["result"]
        self.assertEqual(answer["identity_check"]["res_model"], "res.users.identitycheck")
        self.assertFalse(answer["unlocked"])

    def test_the_recovery_key_asks_for_the_factor_again(self):
        organisation = self.organisation
        self.authenticate("vp_coordinator", "vp_coordinator")
        answer = call_kw(self, "vp.organisation", "action_open_recovery", [[organisation.id]])["result"]
        self.assertEqual(answer["res_model"], "res.users.identitycheck")
        page = self.url_open(f"/vertrouwenspersoon/recovery/{organisation.id}")
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
        data = {"replace": "1", **({"csrf_token": csrf.group(1)} if csrf else {})}
        before = organisation.sudo().recovery_public_key
        made = self.url_open(f"/vertrouwenspersoon/recovery/{organisation.id}/make", data=data)
        self.assertIn(translate(CONFIRM_FIRST), html.unescape(made.text))
        self.env.invalidate_all()
        self.assertEqual(organisation.sudo().recovery_public_key, before, "no key is made before the check")
        used = self.url_open(f"/vertrouwenspersoon/recovery/{organisation.id}/use", data={**data, "code": "X" * 32})
        self.assertIn(translate(CONFIRM_FIRST), html.unescape(used.text))
        # After the check (password and code), the button leads to the page.
        self.assertEqual(confirm_identity(self, "vp_coordinator")["result"]["type"], "ir.actions.act_window_close")
        opened = call_kw(self, "vp.organisation", "action_open_recovery", [[organisation.id]])["result"]
        self.assertEqual(opened["url"], f"/vertrouwenspersoon/recovery/{organisation.id}")
