"""Guards an RPC client cannot open, and the append-only change log."""

import copy
import json

from odoo.addons.vertrouwenspersoon.tools import guards
from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestGuards(TransactionCase):
    def test_client_context_opens_no_guard(self):
        """Whatever a client sends as context (JSON: strings, numbers, lists,
        dicts) never opens a guard; only the Guard object itself does."""
        guard = guards.BREACH_TRANSITION
        forged = [
            {guards.CONTEXT_KEY: True},
            {guards.CONTEXT_KEY: [guard.name]},
            {guards.CONTEXT_KEY: (guard.name,)},
            {guards.CONTEXT_KEY: json.loads(json.dumps({"a": [guard.name, 1, None]}))},
            {"vp_breach_transition": True},
        ]
        for context in forged:
            self.assertFalse(guards.is_open(self.env(context=context), guard), context)
        opened = guards.open_guard(self.env["vp.breach"], guard)
        self.assertTrue(guards.is_open(opened.env, guard))
        self.assertFalse(guards.is_open(opened.env, guards.NOTICE_TRANSITION), "one guard opens only itself")
        # A copy of a guard (pickled, deep-copied) is another object: it opens nothing.
        self.assertFalse(guards.is_open(self.env(context={guards.CONTEXT_KEY: (copy.deepcopy(guard),)}), guard))
        # Guards opened on top of each other stay open together.
        both = guards.open_guard(opened, guards.NOTICE_TRANSITION)
        self.assertTrue(guards.is_open(both.env, guard) and guards.is_open(both.env, guards.NOTICE_TRANSITION))
        with self.assertRaises(TypeError):
            guards.open_guard(self.env["vp.breach"], "breach state transition")

    def test_change_log_is_append_only(self):
        log = self.env["vp.change.log"]._vp_append(
            [{"res_model": "vp.organisation", "res_id": 1, "operation": "write"}]
        )
        self.assertTrue(log)
        with self.assertRaises(UserError):
            log.write({"new_value": "x"})
        with self.assertRaises(UserError):
            log.unlink()
        with self.assertRaises(UserError):
            self.env["vp.change.log"].create({"res_model": "vp.organisation", "res_id": 1, "operation": "write"})
        with self.assertRaises(UserError):
            self.env["vp.change.log"].with_context(vp_open_guards=("change log entry",)).create(
                {"res_model": "vp.organisation", "res_id": 1, "operation": "write"}
            )
