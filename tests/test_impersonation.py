"""Against impersonation: content is decrypted only for the user logged in to the
web request, and the access log records who really was logged in.

Not covered, by design: ``odoo-bin shell`` or code deployed as a module run
outside any request, and an administrator of the server can read the master
key; the full fix (keys held by the counsellors) is a later issue."""

import json

from odoo.tests import HttpCase, tagged

from .common import VpCaseCommon, lockdown_off, unlock_session


@tagged("post_install", "-at_install")
class TestImpersonation(VpCaseCommon, HttpCase):
    def _call_kw(self, model, method, args, kwargs=None):
        payload = {
            "jsonrpc": "2.0",
            "method": "call",
            "params": {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
        }
        return self.url_open(
            f"/web/dataset/call_kw/{model}/{method}",
            data=json.dumps(payload),
            headers={"Content-Type": "application/json"},
        )

    def test_server_action_as_the_counsellor_is_refused_and_logged(self):
        """The administrator's exploit over JSON-RPC: he creates and
        runs a server action that reads the notes as the counsellor. The
        lockdown refuses the server action itself (test_lockdown.py); without
        it, the read is still refused."""
        self.enterContext(lockdown_off())
        self.authenticate("admin", "admin")
        # Any model the administrator may write will do; the code reaches every model through env.
        model_id = self.env["ir.model"]._get_id("res.partner")
        code = f"c = env['vp.case'].browse({self.case.id})\nraise UserError(c.with_user(c.sudo().counsellor_id).notes)"
        created = self._call_kw(
            "ir.actions.server", "create", [{"name": "x", "model_id": model_id, "state": "code", "code": code}]
        ).json()
        action_id = created["result"]
        with self.assertLogs("odoo.addons.vertrouwenspersoon.models.logs.vp_audit_log", "WARNING") as logged:
            response = self._call_kw("ir.actions.server", "run", [[action_id]])
        self.assertNotIn(self.NOTES, response.text)
        error = response.json()["error"]["data"]
        self.assertEqual(error["name"], "odoo.exceptions.AccessError")
        self.assertIn("logged in", error["message"])
        self.assertIn(f"for user {self.counsellor.id}", logged.output[0])
        self.assertIn(f"the logged-in user is {self.admin.id}", logged.output[0])

    def test_log_names_the_session_user(self):
        """A counsellor's own read over the web client: the log line names the
        session user and is not flagged."""
        self.authenticate("vp_counsellor", "vp_counsellor")
        unlock_session(self, "counsellor")
        result = self._call_kw("vp.case", "web_read", [[self.case.id]], {"specification": {"notes": {}}}).json()
        self.assertEqual(result["result"][0]["notes"], self.NOTES)
        line = (
            self.env["vp.audit.log"].sudo().search([("case_id", "=", self.case.id), ("action", "=", "read")], limit=1)
        )
        self.assertEqual((line.user_id, line.session_user_id), (self.counsellor, self.counsellor))
        self.assertFalse(line.other_user or line.as_superuser or line.in_server_action)

    def test_flag_in_a_server_action(self):
        """Outside a request (a scheduled job running a server action as the
        counsellor), the read is possible but flagged on the counsellor's log."""
        action = self.env["ir.actions.server"].create(
            {
                "name": "Nachtelijke taak",
                "model_id": self.env["ir.model"]._get_id("vp.case"),
                "state": "code",
                "code": f"env['vp.case'].browse({self.case.id}).notes",
            }
        )
        action.with_user(self.counsellor).sudo().run()
        line = (
            self.env["vp.audit.log"].sudo().search([("case_id", "=", self.case.id), ("action", "=", "read")], limit=1)
        )
        self.assertTrue(line.in_server_action and line.other_user)
        self.assertEqual(line.channel, "server action")
