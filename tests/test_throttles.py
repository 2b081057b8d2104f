"""The two rate limits of the public pages (the intake page's and the inbox's) stand on one
mixin (vp.throttle.mixin): each reads its own two limits from its own system parameters,
refuses per address and in all, keeps keyed hashes only, and forgets its own old rows."""

from datetime import timedelta

from odoo import fields
from odoo.tests import TransactionCase, tagged

ADDRESS = "192.0.2.20"  # documentation range: never a real client


@tagged("post_install", "-at_install")
class TestThrottles(TransactionCase):
    def _set(self, name, value):
        self.env["ir.config_parameter"].sudo().set_param(f"vertrouwenspersoon.{name}", value)

    def test_inbox_refuses_per_address_then_in_all(self):
        inbox = self.env["vp.inbox.throttle"]
        self._set("inbox_rate_limit", "2")
        self._set("inbox_global_rate_limit", "3")
        self.assertEqual([inbox._vp_refusal(ADDRESS) for _try in range(3)], [None, None, "address"])
        # Another address has tries left of its own, until the inbox as a whole is full.
        self.assertEqual([inbox._vp_refusal("192.0.2.21") for _try in range(2)], [None, "global"])
        # The intake page's own limit is untouched by the inbox's tries.
        self.assertIsNone(self.env["vp.intake.throttle"]._vp_refusal(ADDRESS))

    def test_limits_from_their_own_parameters_with_defaults(self):
        inbox, intake = self.env["vp.inbox.throttle"], self.env["vp.intake.throttle"]
        self._set("inbox_rate_limit", "7")
        self._set("intake_rate_limit", "not a number")
        self._set("intake_global_rate_limit", "0")
        self.assertEqual(inbox._vp_limit("address"), 7)
        self.assertEqual(inbox._vp_limit("global"), 600)
        self.assertEqual(intake._vp_limit("address"), 10, "a value that is no number falls back to the default")
        self.assertEqual(intake._vp_limit("global"), 1, "a limit is never below one")

    def test_rows_hold_a_keyed_hash_and_expire_per_table(self):
        inbox, intake = self.env["vp.inbox.throttle"].sudo(), self.env["vp.intake.throttle"].sudo()
        # Only this test's rows in both tables.
        inbox.search([]).unlink()
        intake.search([]).unlink()
        inbox._vp_refusal(ADDRESS)
        intake._vp_refusal(ADDRESS)
        self.assertNotIn(ADDRESS, inbox.search([]).mapped("key") + intake.search([]).mapped("key"))
        self.assertEqual(intake.search([]).key, intake._vp_key(ADDRESS))
        self.assertNotEqual(inbox.search([]).key, intake.search([]).key, "the inbox keys its tries apart")
        long_ago = fields.Datetime.now() - timedelta(hours=2)
        old_inbox = inbox.create({"key": "old", "hit_on": long_ago})
        old_intake = intake.create({"key": "old", "hit_on": long_ago})
        inbox._gc_expired()
        self.assertFalse(old_inbox.exists())
        self.assertTrue(old_intake.exists(), "each job forgets its own table's rows only")
        intake._gc_expired()
        self.assertFalse(old_intake.exists())
        self.assertEqual((len(inbox.search([])), len(intake.search([]))), (1, 1), "the tries of this hour stay")
