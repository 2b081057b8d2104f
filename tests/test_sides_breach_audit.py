"""Both sides of a case, handovers, the breach protocol and the access log."""

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import TransactionCase, tagged

from .common import VpCaseCommon, give_key, opened_as


@tagged("post_install", "-at_install")
class TestBothSides(VpCaseCommon, TransactionCase):
    def test_same_counsellor_never_on_both_sides(self):
        accused = self.new_case(self.counsellor, side="accused")
        Link = self.env["vp.case.link"].with_user(self.coordinator)
        with self.assertRaisesRegex(ValidationError, "cannot support both"):
            Link.create({"reporter_case_id": self.case.id, "accused_case_id": accused.id})
        self.reassign(accused, self.counsellor2)
        link = Link.create({"reporter_case_id": self.case.id, "accused_case_id": accused.id})
        self.assertTrue(link)
        # Reassigning either side to the other side's counsellor is refused.
        with self.assertRaisesRegex(ValidationError, "cannot support both"):
            self.reassign(accused, self.counsellor)
        with self.assertRaisesRegex(ValidationError, "cannot support both"):
            self.reassign(self.case, self.counsellor2)

    def test_link_needs_one_case_per_side(self):
        other = self.new_case(self.counsellor2)
        with self.assertRaises(ValidationError):
            self.env["vp.case.link"].with_user(self.coordinator).create(
                {"reporter_case_id": self.case.id, "accused_case_id": other.id}
            )

    def test_each_counsellor_sees_only_that_a_link_exists(self):
        accused = self.new_case(self.counsellor2, side="accused")
        self.assertFalse(self.case.with_user(self.counsellor).is_linked)
        self.env["vp.case.link"].with_user(self.coordinator).create(
            {"reporter_case_id": self.case.id, "accused_case_id": accused.id}
        )
        self.env.invalidate_all()
        self.assertTrue(self.case.with_user(self.counsellor).is_linked)
        self.assertTrue(accused.with_user(self.counsellor2).is_linked)
        for user in (self.counsellor, self.counsellor2):
            with self.assertRaises(AccessError):
                self.env["vp.case.link"].with_user(user).search([])
        with self.assertRaises(AccessError):
            accused.with_user(self.counsellor).read(["name"])


@tagged("post_install", "-at_install")
class TestHandover(VpCaseCommon, TransactionCase):
    def test_backup_reads_only_during_a_recorded_handover(self):
        with self.assertRaises(AccessError):
            self.case.with_user(self.counsellor2).notes  # noqa: B018
        handover = (
            self.env["vp.case.handover"]
            .with_user(self.counsellor)
            .create({"case_id": self.case.id, "to_user_id": self.counsellor2.id, "reason": "absence"})
        )
        self.env.invalidate_all()
        self.assertIn(self.case, self.env["vp.case"].with_user(self.counsellor2).search([]))
        self.assertEqual(self.case.with_user(self.counsellor2).notes, self.NOTES)
        self.assertIn(self.counsellor2.partner_id, self.case.sudo().message_partner_ids)
        handover.with_user(self.counsellor).action_end()
        self.env.invalidate_all()
        self.assertNotIn(self.case, self.env["vp.case"].with_user(self.counsellor2).search([]))
        with self.assertRaises(AccessError):
            self.case.with_user(self.counsellor2).notes  # noqa: B018
        self.assertEqual(self.case.sudo().message_partner_ids, self.counsellor.partner_id)

    def test_future_handover_gives_no_access_yet(self):
        self.env["vp.case.handover"].with_user(self.counsellor).create(
            {
                "case_id": self.case.id,
                "to_user_id": self.counsellor2.id,
                "reason": "absence",
                "date_start": "2999-01-01",
            }
        )
        self.env.invalidate_all()
        with self.assertRaises(AccessError):
            self.case.with_user(self.counsellor2).read(["name"])

    def test_nobody_hands_a_case_over_to_themselves(self):
        with self.assertRaises(AccessError):
            self.env["vp.case.handover"].with_user(self.counsellor2).create(
                {"case_id": self.case.id, "to_user_id": self.counsellor2.id, "reason": "other"}
            )
        with self.assertRaises(AccessError):
            self.case.with_user(self.counsellor2).read(["name"])

    def test_handover_to_own_counsellor_refused(self):
        with self.assertRaises(ValidationError):
            self.env["vp.case.handover"].with_user(self.counsellor).create(
                {"case_id": self.case.id, "to_user_id": self.counsellor.id, "reason": "other"}
            )


@tagged("post_install", "-at_install")
class TestBreachProtocol(VpCaseCommon, TransactionCase):
    def _breach(self, **values):
        vals = {
            "case_id": self.case.id,
            "ground": "legal_duty",
            "disclosed_what": "Dreiging met geweld tegen collega",
            "disclosed_to": "Politie",
            "employee_informed": True,
            "approver_id": self.counsellor2.id,
        }
        vals.update(values)
        return self.env["vp.breach"].with_user(self.counsellor).create(vals)

    def test_four_eyes_then_immutable(self):
        breach = self._breach()
        with self.assertRaises(UserError):
            breach.with_user(self.counsellor).action_approve()
        breach.action_submit()
        self.assertEqual(breach.state, "submitted")
        with self.assertRaises(UserError):
            breach.write({"disclosed_to": "Iemand anders"})
        with self.assertRaises(UserError):
            breach.with_user(self.counsellor).action_approve()
        breach.with_user(self.counsellor2).action_approve()
        self.assertEqual(breach.state, "approved")
        with self.assertRaises(UserError):
            breach.with_user(self.counsellor2).write({"ground": "conscience"})
        with self.assertRaises(UserError):
            breach.unlink()

    def test_readable_by_the_two_signatories_only(self):
        # A second signatory reads with a key pair of her own, like any reader.
        give_key(self.coordinator)
        breach = self._breach(approver_id=self.coordinator.id)
        breach.action_submit()
        with opened_as(self.coordinator):
            self.assertEqual(breach.with_user(self.coordinator).disclosed_to, "Politie")
        self.assertEqual(breach.with_user(self.counsellor).disclosed_what, "Dreiging met geweld tegen collega")
        for user in (self.counsellor2, self.hr, self.manager, self.admin):
            with self.assertRaises(AccessError, msg=user.login):
                breach.with_user(user).read(["state"])
            with self.assertRaises(AccessError, msg=user.login):
                breach.with_user(user).sudo().disclosed_what  # noqa: B018

    def test_requester_cannot_be_forged(self):
        breach = self._breach(requested_by_id=self.counsellor2.id, approver_id=self.coordinator.id)
        self.assertEqual(breach.requested_by_id, self.counsellor)

    def test_bad_input(self):
        with self.assertRaises(ValidationError):
            self._breach(approver_id=self.counsellor.id)
        with self.assertRaises(ValidationError):
            self._breach(employee_informed=False)
        self.assertTrue(self._breach(employee_informed=False, employee_not_informed_reason="Acuut gevaar"))
        with self.assertRaises(UserError):
            self.env["vp.breach"].with_user(self.counsellor2).create(
                {
                    "case_id": self.case.id,
                    "ground": "conscience",
                    "employee_informed": True,
                    "approver_id": self.coordinator.id,
                }
            )
        with self.assertRaises(UserError):
            self._breach(disclosed_to=False).action_submit()


@tagged("post_install", "-at_install")
class TestAuditLog(VpCaseCommon, TransactionCase):
    def test_every_decryption_is_logged_without_content(self):
        Log = self.env["vp.audit.log"].sudo()
        before = Log.search_count([("case_id", "=", self.case.id), ("action", "=", "read")])
        self.env.invalidate_all()
        self.case.with_user(self.counsellor).read(["notes", "employee_name"])
        lines = Log.search([("case_id", "=", self.case.id), ("action", "=", "read")])
        self.assertEqual(len(lines), before + 1)
        line = lines[0]
        self.assertEqual(line.user_id, self.counsellor)
        self.assertEqual(line.case_number, self.case.name)
        self.assertEqual(line.channel, "server")
        self.env.cr.execute("SELECT row_to_json(l)::text FROM vp_audit_log l WHERE case_id = %s", (self.case.id,))
        for (row,) in self.env.cr.fetchall():
            for plain in (self.NOTES, self.NAME, self.EMAIL, self.PHONE):
                self.assertNotIn(plain, row)

    def test_log_is_append_only_and_visible_to_own_counsellor(self):
        self.case.with_user(self.counsellor).notes  # noqa: B018
        mine = self.env["vp.audit.log"].with_user(self.counsellor).search([("case_id", "=", self.case.id)])
        self.assertTrue(mine)
        self.assertFalse(self.env["vp.audit.log"].with_user(self.counsellor2).search([("case_id", "=", self.case.id)]))
        for user in (self.coordinator, self.hr, self.admin):
            with self.assertRaises(AccessError):
                self.env["vp.audit.log"].with_user(user).search([])
        with self.assertRaises(UserError):
            mine.sudo().write({"channel": "x"})
        with self.assertRaises(UserError):
            mine.sudo().unlink()
        with self.assertRaises(UserError):
            self.env["vp.audit.log"].sudo().create({"case_number": "VP-0"})
