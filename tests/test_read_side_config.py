"""Configuration the coordinator cannot steer, derived
values nobody sets by hand, reasons that are no free text outside the encryption, and
followers of confidential records that cannot be searched."""

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import TransactionCase, tagged

from .common import VpCaseCommon


@tagged("post_install", "-at_install")
class TestReadSideConfig(VpCaseCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.kind = cls.env.ref("vertrouwenspersoon.behaviour_kind_bullying")
        cls.route = cls.env["vp.route"].search([], limit=1)
        cls.system = cls.env["res.users"].create(
            {
                "name": "Beheerder",
                "login": "vp_test_system",
                "groups_id": [(6, 0, [cls.env.ref("base.group_system").id])],
            }
        )

    def test_coordinator_cannot_change_kinds_or_routes(self):
        """A kind set to 'integrity', then is_wbk read back, would tell a case's kind."""
        for record, vals in ((self.kind, {"category": "integrity"}), (self.route, {"category": "formal"})):
            with self.subTest(model=record._name), self.assertRaises(AccessError):
                record.with_user(self.coordinator).write(vals)
            with self.assertRaises(AccessError):
                record.with_user(self.coordinator).create({"name": "x", "code": "x", **vals})
            self.assertTrue(record.with_user(self.coordinator).read(["name"]))
        # Nor does the administrator: kinds and routes are fixed configuration (data files).
        with self.assertRaises(AccessError):
            self.kind.with_user(self.system).write({"category": "integrity"})

    def test_is_wbk_cannot_be_steered(self):
        case = self.case.with_user(self.coordinator)
        self.assertFalse(case.is_wbk, "the coordinator reads whether the Wbk applies")
        for vals in ({"is_wbk": True}, {"wbk_ack_deadline": "2030-01-01 00:00:00"}, {"first_contact_in_time": True}):
            with self.subTest(vals=vals), self.assertRaises(AccessError):
                case.write(vals)
        with self.assertRaises(AccessError):
            self.env["vp.case"].with_user(self.coordinator).create(
                {"organisation_id": self.organisation.id, "is_wbk": True}
            )
        self.assertFalse(self.case.is_wbk)
        self.assertFalse(self.case.wbk_ack_deadline)
        # It follows from the counsellor's registration only.
        integrity = self.env["vp.behaviour.kind"].search([("category", "=", "integrity")], limit=1)
        self.case.with_user(self.counsellor).behaviour_kind_ids = [(4, integrity.id)]
        self.assertTrue(case.is_wbk)
        self.assertTrue(case.wbk_ack_deadline)

    def test_legal_hold_is_for_counsellors(self):
        self.env["vp.legal.hold"].with_user(self.counsellor).create({"case_id": self.case.id, "reason": "court"})
        self.assertTrue(self.case.with_user(self.counsellor).on_legal_hold)
        with self.assertRaises(AccessError):
            self.case.with_user(self.coordinator).read(["on_legal_hold"])
        with self.assertRaises(AccessError):
            self.env["vp.case"].with_user(self.coordinator).search([("on_legal_hold", "=", True)])
        with self.assertRaises(AccessError):
            self.case.with_user(self.counsellor).write({"on_legal_hold": False})
        self.assertTrue(self.case.on_legal_hold)
        # The shredding job (sudo) still sees it.
        self.assertNotIn(self.case, self.env["vp.case"]._vp_cases_due_for_shredding())

    def _column(self, table, column, record_id):
        self.env.flush_all()
        self.env.cr.execute(f"SELECT {column} FROM {table} WHERE id = %s", (record_id,))
        return self.env.cr.fetchone()[0]

    def test_reasons_are_no_free_text_outside_the_encryption(self):
        # Handover: a choice of reasons, no text.
        field = self.env["vp.case.handover"]._fields["reason"]
        self.assertEqual(field.type, "selection")
        with self.assertRaises(ValueError):
            self.env["vp.case.handover"].with_user(self.counsellor).create(
                {"case_id": self.case.id, "to_user_id": self.counsellor2.id, "reason": "Ziek na ruzie met Jolanda"}
            )
        # Breach: why the employee was not told is encrypted with the case's key.
        reason = "Direct gevaar voor de veiligheid van Jolanda"
        breach = (
            self.env["vp.breach"]
            .with_user(self.counsellor)
            .create(
                {
                    "case_id": self.case.id,
                    "ground": "legal_duty",
                    "disclosed_what": "Dreiging",
                    "disclosed_to": "Politie",
                    "employee_informed": False,
                    "employee_not_informed_reason": reason,
                    "approver_id": self.counsellor2.id,
                }
            )
        )
        self.assertEqual(breach.employee_not_informed_reason, reason)
        stored = self._column("vp_breach", "employee_not_informed_reason_ciphertext", breach.id)
        self.assertTrue(stored)
        self.assertNotIn("Jolanda", stored)
        self.env.cr.execute(
            "SELECT 1 FROM information_schema.columns WHERE table_name = 'vp_breach' "
            "AND column_name = 'employee_not_informed_reason'"
        )
        self.assertFalse(self.env.cr.fetchone(), "no plaintext column")
        with self.assertRaises(ValidationError):
            self.env["vp.breach"].with_user(self.counsellor).create(
                {
                    "case_id": self.case.id,
                    "ground": "legal_duty",
                    "employee_informed": False,
                    "approver_id": self.counsellor2.id,
                }
            )
        # Legal hold: the lift reason likewise.
        self.env["vp.legal.hold"].with_user(self.counsellor).create({"case_id": self.case.id, "reason": "court"})
        hold = self.case.with_user(self.counsellor).legal_hold_ids
        hold.write({"lift_reason": "Rechtszaak van Jolanda afgerond"})
        hold.action_lift()
        self.assertEqual(hold.lift_reason, "Rechtszaak van Jolanda afgerond")
        stored = self._column("vp_legal_hold", "lift_reason_ciphertext", hold.id)
        self.assertTrue(stored)
        self.assertNotIn("Jolanda", stored)
        with self.assertRaises(AccessError):
            hold.with_user(self.counsellor2).sudo().lift_reason  # noqa: B018

    def test_followers_cannot_be_searched(self):
        """message_partner_ids searched with sudo on mail.followers."""
        partner = self.counsellor.partner_id
        for user in (self.coordinator, self.counsellor2):
            Case = self.env["vp.case"].with_user(user)
            for domain in (
                [("message_partner_ids", "in", [partner.id])],
                [("message_partner_ids", "=", partner.id)],
                [("message_partner_ids", "!=", False)],
                [("message_partner_ids", "ilike", partner.name)],
                [("message_partner_ids.name", "ilike", partner.name)],
            ):
                with self.subTest(user=user.login, domain=domain), self.assertRaises(AccessError):
                    Case.search(domain)
            # The one2many goes through the followers rule: nothing of others shows.
            self.assertNotIn(self.case, Case.search([("message_follower_ids.partner_id", "=", partner.id)]))
            self.assertNotIn(self.case, Case.search([("message_follower_ids", "!=", False)]))
            with self.assertRaises(AccessError):
                self.env["vp.notice"].with_user(user).search([("message_partner_ids", "in", [partner.id])])
        # Filtering on oneself still works ("cases I follow").
        mine = self.env["vp.case"].with_user(self.counsellor).search([("message_partner_ids", "in", [partner.id])])
        self.assertIn(self.case, mine)
        self.assertIn(
            self.case, self.env["vp.case"].with_user(self.counsellor).search([("message_is_follower", "=", True)])
        )
