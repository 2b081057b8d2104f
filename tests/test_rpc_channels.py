"""The same confidentiality over real HTTP: XML-RPC, JSON-RPC (the web
client's call_kw), the export controller and the portal."""

import json
import xmlrpc.client

from odoo import http
from odoo.tests import HttpCase, tagged

from .common import DEMO_PASSPHRASES, VpCaseCommon, api_key, json_call, web_read


@tagged("post_install", "-at_install")
class TestRpcChannels(VpCaseCommon, HttpCase):
    def _xmlrpc(self, login, model, method, *args, **kwargs):
        # A user who signs in with a second factor reaches XML-RPC with an API key only.
        user = self.env["res.users"].search([("login", "=", login)])
        secret = api_key(self.env, user) if user._vp_second_factor_required() else login
        uid = self.xmlrpc_common.authenticate(self.env.cr.dbname, login, secret, {})
        self.assertTrue(uid)
        return self.xmlrpc_object.execute_kw(self.env.cr.dbname, uid, secret, model, method, list(args), kwargs)

    def test_xmlrpc_reads_no_content_and_says_why(self):
        """XML-RPC has no web session, so no unlocked vault: the counsellor's own
        content is refused with the reason; assignment data still reads."""
        rows = self._xmlrpc("vp_counsellor", "vp.case", "read", [self.case.id], ["name", "state"])
        self.assertEqual(rows[0]["name"], self.case.name)
        with self.assertRaisesRegex(xmlrpc.client.Fault, "without a web session"):
            self._xmlrpc("vp_counsellor", "vp.case", "read", [self.case.id], ["name", "notes"])

    def test_xmlrpc_others_refused(self):
        for login in ("vp_counsellor2", "vp_coordinator", "vp_hr", "vp_manager", "vp_accountant"):
            with self.assertRaises(xmlrpc.client.Fault, msg=login):
                self._xmlrpc(login, "vp.case", "read", [self.case.id], ["notes"])
        # Another counsellor's search finds nothing; roles without access rights are refused.
        self.assertEqual(
            self._xmlrpc("vp_counsellor2", "vp.case", "search_read", [("id", "=", self.case.id)], ["employee_name"]),
            [],
        )
        for login in ("vp_coordinator", "vp_hr", "vp_manager", "vp_accountant"):
            with self.assertRaises(xmlrpc.client.Fault, msg=login):
                self._xmlrpc(login, "vp.case", "search_read", [("id", "=", self.case.id)], ["employee_name"])
        with self.assertRaises(xmlrpc.client.Fault):
            self._xmlrpc("admin", "vp.case", "read", [self.case.id], ["notes"])

    def test_xmlrpc_coordinator_export_and_grouped_read_refused(self):
        self.coordinator.groups_id = [(4, self.env.ref("base.group_allow_export").id)]
        rows = self._xmlrpc("vp_coordinator", "vp.case", "search_read", [("id", "=", self.case.id)], ["name", "state"])
        self.assertEqual(rows[0]["name"], self.case.name)
        with self.assertRaises(xmlrpc.client.Fault):
            self._xmlrpc("vp_coordinator", "vp.case", "export_data", [self.case.id], ["name", "employee_name"])
        with self.assertRaises(xmlrpc.client.Fault):
            self._xmlrpc("vp_coordinator", "vp.case", "read_group", [], ["postcode"], ["postcode"])

    def _json(self, route, params):
        return json_call(self, route, params)

    def test_jsonrpc_web_client_calls(self):
        self.authenticate("vp_counsellor2", "vp_counsellor2")
        answer = web_read(self, self.case, {"notes": {}})
        self.assertIn("error", answer)
        self.assertNotIn(self.NOTES, json.dumps(answer))
        self.authenticate("vp_counsellor", "vp_counsellor")
        # Signed in is not unlocked: the web client gets the error that opens its unlock dialog.
        error = web_read(self, self.case, {"notes": {}})["error"]["data"]
        self.assertEqual(error["name"], "odoo.addons.vertrouwenspersoon.vault.session.VaultLocked")
        self.assertNotIn(self.NOTES, json.dumps(error))
        # The login password does not unlock; the vault passphrase does (README: external clients).
        wrong = self._json("/vertrouwenspersoon/vault/unlock", {"passphrase": "vp_counsellor"})["result"]
        self.assertFalse(wrong["unlocked"])
        ok = self._json("/vertrouwenspersoon/vault/unlock", {"passphrase": DEMO_PASSPHRASES["counsellor"]})
        self.assertTrue(ok["result"]["unlocked"])
        self.assertNotIn(DEMO_PASSPHRASES["counsellor"], self.opener.cookies.get("vp_vault", ""))
        result = web_read(self, self.case, {"notes": {}, "display_name": {}})["result"][0]
        self.assertEqual(result["notes"], self.NOTES)
        self.assertEqual(result["display_name"], self.case.name)
        log = self.env["vp.audit.log"].sudo().search([("case_id", "=", self.case.id)], limit=1)
        self.assertEqual(log.channel, "/web/dataset/call_kw/vp.case/web_read (web_read)")
        # Locking forgets it again.
        self._json("/vertrouwenspersoon/vault/lock", {})
        self.assertIn("error", web_read(self, self.case, {"notes": {}}))

    def test_export_controller_refuses_content_to_coordinator(self):
        self.coordinator.groups_id = [(4, self.env.ref("base.group_allow_export").id)]
        self.authenticate("vp_coordinator", "vp_coordinator")

        def export(*fields):
            data = {
                "model": "vp.case",
                "fields": [{"name": name, "label": name} for name in fields],
                "ids": [self.case.id],
                "domain": [],
                "import_compat": False,
            }
            token = http.Request.csrf_token(self)
            return self.url_open("/web/export/csv", data={"data": json.dumps(data), "csrf_token": token})

        allowed = export("name", "state")
        self.assertEqual(allowed.status_code, 200)
        self.assertIn(self.case.name, allowed.text)
        refused = export("name", "notes")
        self.assertNotEqual(refused.status_code, 200)
        self.assertNotIn(self.NOTES, refused.text)

    def test_portal_shows_nothing_of_cases(self):
        portal = self.portal
        portal.password = "vp_test_portal_pw"
        self.authenticate(portal.login, "vp_test_portal_pw")
        response = self.url_open("/my")
        self.assertEqual(response.status_code, 200)
        for text in (self.case.name, self.NAME, self.NOTES):
            self.assertNotIn(text, response.text)
        response = self.url_open(f"/web#model=vp.case&id={self.case.id}")
        self.assertNotIn(self.NOTES, response.text)
