"""Notices to HR under the employee's consent ladder."""

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import TransactionCase, tagged

from .common import VpCaseCommon

SUMMARY = "Melder ervaart ongewenst gedrag binnen het team en wil dat HR op de hoogte is."


@tagged("post_install", "-at_install")
class TestNoticeConsent(VpCaseCommon, TransactionCase):
    def _consent(self, level, **values):
        vals = {"case_id": self.case.id, "level": level, "given_how": "in_person"}
        if level == "name_summary":
            vals["approved_summary"] = SUMMARY
        vals.update(values)
        return self.env["vp.consent"].with_user(self.counsellor).create(vals)

    def _notice(self, consent=None, **values):
        Notice = self.env["vp.notice"].with_user(self.counsellor)
        vals = Notice._prepare_from_case(self.case.with_user(self.counsellor), consent)
        vals.update(values)
        return Notice.create(vals)

    def test_without_consent_only_anonymous(self):
        notice = self._notice()
        self.assertEqual(notice.level, "anonymous")
        self.assertEqual(notice.region_id, self.region)
        self.assertFalse(notice.employee_name)
        with self.assertRaises(ValidationError):
            self._notice(level="name", employee_name=self.NAME)
        with self.assertRaises(ValidationError):
            notice.write({"level": "name_summary"})

    def test_consent_level_limits_the_notice(self):
        consent = self._consent("name")
        notice = self._notice(consent)
        self.assertEqual(notice.level, "name")
        self.assertEqual(notice.employee_name, self.NAME)
        self.assertFalse(notice.region_id)
        self.assertFalse(notice.summary)
        with self.assertRaises(ValidationError):
            notice.write({"level": "name_summary"})

    def test_summary_only_the_exact_approved_text(self):
        with self.assertRaises(ValidationError):
            self._consent("name_summary", approved_summary=False)
        consent = self._consent("name_summary")
        notice = self._notice(consent)
        self.assertEqual(notice.summary, SUMMARY)
        notice.write({"summary": SUMMARY + " Ook de leidinggevende is betrokken."})
        with self.assertRaises(UserError):
            notice.action_send()
        notice.write({"summary": SUMMARY})
        notice.action_send()
        self.assertEqual(notice.state, "sent")

    def test_sent_notice_is_immutable_and_reaches_hr(self):
        consent = self._consent("name_summary")
        notice = self._notice(consent)
        notice.action_send()
        self.assertEqual(notice.recipient_user_ids, self.hr)
        with self.assertRaises(UserError):
            notice.write({"request_date": "2020-01-01"})
        with self.assertRaises(UserError):
            notice.unlink()
        with self.assertRaises(UserError):
            consent.write({"level": "name"})
        # HR reads what was consented, and nothing of the case.
        as_hr = notice.with_user(self.hr)
        self.assertEqual(as_hr.employee_name, self.NAME)
        self.assertEqual(as_hr.summary, SUMMARY)
        with self.assertRaises(AccessError):
            self.case.with_user(self.hr).read(["name"])
        with self.assertRaises(UserError):
            as_hr.write({"summary": "Gewijzigd"})
        # HR's to-do carries the notice number only.
        activity = (
            self.env["mail.activity"]
            .with_user(self.hr)
            .search([("res_model", "=", "vp.notice"), ("res_id", "=", notice.id)])
        )
        self.assertEqual(activity.user_id, self.hr)
        self.assertEqual(activity.res_name, notice.name)
        self.assertFalse(activity.summary)
        # Neither the to-do nor its mail names the counsellor who sent the notice.
        self.assertNotEqual(activity.create_uid, self.counsellor)
        assigned = self.env["mail.message"].sudo().search([("model", "=", "vp.notice"), ("res_id", "=", notice.id)])
        for message in assigned:
            self.assertNotIn(self.counsellor.name, str(message.body) + (message.subject or ""))
            self.assertNotEqual(message.author_id, self.counsellor.partner_id)
        as_hr.action_acknowledge()
        self.assertEqual(notice.state, "acknowledged")
        self.assertEqual(notice.acknowledged_by_id, self.hr)
        self.assertFalse(activity.exists())

    def test_numbered_at_sending_per_organisation(self):
        """A number only when sent, in the organisation's own series: a draft never
        sent leaves no gap in what HR reads, and other organisations' notices take none of its
        numbers (before: one series for all, taken at drafting)."""
        first = self._notice()
        never_sent = self._notice()
        second = self._notice()
        self.assertEqual((first.name, never_sent.name), ("/", "/"))
        first.action_send()
        second.action_send()
        self.assertEqual(never_sent.name, "/")
        prefix, number = first.name.rsplit("-", 1)
        self.assertEqual(second.name, f"{prefix}-{int(number) + 1:04d}")
        series = self.organisation.sudo().notice_sequence_id
        other = self.env.ref("vertrouwenspersoon.organisation_logistiek").sudo()
        self.assertTrue(series)
        self.assertNotEqual(other._vp_next_notice_number() and other.notice_sequence_id, series)
        self.assertEqual(second.name, f"{prefix}-{series.number_next_actual - 1:04d}")

    def test_hr_cannot_tell_which_counsellor_sent_a_notice(self):
        notice = self._notice()
        notice.action_send()
        self.assertEqual(notice.sudo().create_uid, self.counsellor)
        as_hr = notice.with_user(self.hr)
        for fname in ("create_uid", "write_uid"):
            with self.assertRaises(AccessError):
                as_hr.read([fname])
            with self.assertRaises(AccessError):
                self.env["vp.notice"].with_user(self.hr).search([(fname, "=", self.counsellor.id)])
            with self.assertRaises(AccessError):
                self.env["vp.notice"].with_user(self.hr).read_group([], [fname], [fname])
        # What HR reads of the notice (all fields it may read) does not include them.
        values = as_hr.read()[0]
        self.assertNotIn("create_uid", values)
        self.assertNotIn("write_uid", values)
        as_hr.action_acknowledge()
        self.assertEqual(notice.state, "acknowledged")

    def test_draft_notice_invisible_to_hr(self):
        notice = self._notice(self._consent("name"))
        self.assertFalse(self.env["vp.notice"].with_user(self.hr).search([("id", "=", notice.id)]))
        with self.assertRaises(AccessError):
            notice.with_user(self.hr).read(["name"])
        with self.assertRaises(AccessError):
            notice.with_user(self.hr).sudo().employee_name  # noqa: B018

    def test_other_hr_user_cannot_read_or_acknowledge(self):
        other_hr = self.env["res.users"].create(
            {
                "name": "Andere HR",
                "login": "vp_test_other_hr",
                "groups_id": [(6, 0, [self.env.ref("vertrouwenspersoon.group_hr_notice").id])],
            }
        )
        notice = self._notice(self._consent("name"))
        notice.action_send()
        self.assertFalse(self.env["vp.notice"].with_user(other_hr).search([("id", "=", notice.id)]))
        with self.assertRaises(AccessError):
            notice.with_user(other_hr).action_acknowledge()

    def test_consent_withdrawn_before_sending(self):
        consent = self._consent("name")
        notice = self._notice(consent)
        consent.action_withdraw()
        self.assertTrue(consent.withdrawn_on)
        self.assertFalse(notice.exists(), "drafts on a withdrawn consent are cancelled")
        with self.assertRaises(ValidationError):
            self._notice(consent)
        self.assertEqual(self._notice().level, "anonymous")

    def test_no_recipient_is_a_clear_error(self):
        self.organisation.hr_user_ids = [(5,)]
        notice = self._notice()
        with self.assertRaisesRegex(UserError, "No HR notice recipient"):
            notice.action_send()
        self.assertEqual(notice.state, "draft")

    def test_prepare_notice_from_case_uses_latest_valid_consent(self):
        self._consent("name")
        action = self.case.with_user(self.counsellor).action_prepare_notice()
        notice = self.env["vp.notice"].browse(action["res_id"])
        self.assertEqual(notice.level, "name")
        with self.assertRaises(AccessError):
            self.case.with_user(self.counsellor2).action_prepare_notice()

    def test_coordinator_cannot_draft_or_read_notices(self):
        with self.assertRaises(AccessError):
            self.env["vp.notice"].with_user(self.coordinator).search([])
