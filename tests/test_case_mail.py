"""Mail channels: followers, messages, tracking, activities and attachments
never carry case content, and never reach anyone but the counsellor."""

from odoo.exceptions import AccessError, UserError
from odoo.tests import TransactionCase, tagged

from .common import VpCaseCommon

CONTENT_FIELDS = {"notes", "employee_name", "employee_email", "employee_phone", "postcode"}


@tagged("post_install", "-at_install")
class TestCaseMail(VpCaseCommon, TransactionCase):
    def test_only_the_counsellor_follows(self):
        self.assertEqual(self.case.sudo().message_partner_ids, self.counsellor.partner_id)
        # Created by the coordinator: the coordinator does not become a follower.
        # (Not for a counsellor of their choice: only the roster or Reassign assigns it.)
        case = self.env["vp.case"].with_user(self.coordinator).create({"organisation_id": self.organisation.id})
        self.assertFalse(case.sudo().message_partner_ids)
        self.reassign(case, self.counsellor2)
        self.assertEqual(case.sudo().message_partner_ids, self.counsellor2.partner_id)
        # Reassigning replaces the follower.
        self.reassign(case, self.counsellor)
        self.assertEqual(case.sudo().message_partner_ids, self.counsellor.partner_id)

    def test_nobody_else_can_be_added_as_follower(self):
        for partner in (self.hr.partner_id, self.coordinator.partner_id, self.counsellor2.partner_id):
            with self.assertRaises(UserError):
                self.case.with_user(self.counsellor).message_subscribe(partner_ids=partner.ids)
            with self.assertRaises(UserError):
                self.case.sudo().message_subscribe(partner_ids=partner.ids)

    def test_followers_of_cases_invisible_to_others(self):
        for user in (self.hr, self.coordinator, self.counsellor2, self.employee):
            followers = (
                self.env["mail.followers"]
                .with_user(user)
                .search([("res_model", "=", "vp.case"), ("res_id", "=", self.case.id)])
            )
            self.assertFalse(followers, user.login)

    def test_no_messages_or_attachments_on_a_case(self):
        case = self.case.with_user(self.counsellor)
        with self.assertRaises(UserError):
            case.message_post(body="Melder vertelde over intimidatie", message_type="comment")
        with self.assertRaises(UserError):
            case.message_post(body="note", message_type="comment", subtype_xmlid="mail.mt_note")
        with self.assertRaises(UserError):
            self.env["ir.attachment"].with_user(self.counsellor).create(
                {"name": "verslag.txt", "raw": b"vertrouwelijk", "res_model": "vp.case", "res_id": self.case.id}
            )
        with self.assertRaises(UserError):
            self.env["ir.attachment"].sudo().create(
                {"name": "verslag.txt", "raw": b"vertrouwelijk", "res_model": "vp.case", "res_id": self.case.id}
            )
        attachment = self.env["ir.attachment"].create({"name": "los.txt", "raw": b"x"})
        with self.assertRaises(UserError):
            attachment.write({"res_model": "vp.case", "res_id": self.case.id})

    def test_tracking_never_holds_content(self):
        # Odoo tracks no change in the transaction that created the record: end that phase.
        self.env.cr.precommit.run()
        case = self.case.with_user(self.counsellor)
        case.write({"notes": "Tweede gesprek gevoerd", "employee_phone": "06-99999999"})
        case.action_open()  # the state through its button
        self.env.flush_all()
        self.env.cr.precommit.run()  # tracking is written at commit time
        tracked = (
            self.env["mail.tracking.value"]
            .sudo()
            .search([("mail_message_id.model", "=", "vp.case"), ("mail_message_id.res_id", "=", self.case.id)])
        )
        self.assertTrue(tracked, "status changes are tracked")
        self.assertFalse(set(tracked.field_id.mapped("name")) & CONTENT_FIELDS)
        messages = self.env["mail.message"].sudo().search([("model", "=", "vp.case"), ("res_id", "=", self.case.id)])
        for message in messages:
            for plain in (self.NOTES, self.NAME, self.EMAIL, "06-99999999", "Tweede gesprek"):
                self.assertNotIn(plain, str(message.body or "") + (message.subject or "") + (message.record_name or ""))
        self.assertTrue(all(m.record_name in (False, self.case.name) for m in messages))

    def test_messages_of_a_case_unreadable_for_others(self):
        self.case.with_user(self.counsellor).action_open()
        self.env.flush_all()
        self.env.cr.precommit.run()
        # The coordinator reads the case's assignment data, so also its tracking
        # of status, counsellor and dates (checked content-free above).
        for user in (self.hr, self.counsellor2, self.employee, self.portal):
            messages = (
                self.env["mail.message"]
                .with_user(user)
                .search([("model", "=", "vp.case"), ("res_id", "=", self.case.id)])
            )
            self.assertFalse(messages.filtered(lambda m, u=user: m.author_id != u.partner_id), user.login)

    def test_activities_carry_no_free_text(self):
        case = self.case.with_user(self.counsellor)
        todo = self.env.ref("mail.mail_activity_data_todo")
        with self.assertRaises(UserError):
            case.activity_schedule(activity_type_id=todo.id, summary="Bel Jolanda terug", user_id=self.counsellor.id)
        with self.assertRaises(UserError):
            case.activity_schedule(
                activity_type_id=todo.id, note="<p>Over de leidinggevende</p>", user_id=self.counsellor.id
            )
        activity = case.activity_schedule(activity_type_id=todo.id, user_id=self.counsellor.id)
        self.assertEqual(activity.res_name, self.case.name)
        with self.assertRaises(UserError):
            activity.write({"summary": "Jolanda"})
        with self.assertRaises(UserError):
            activity.action_feedback(feedback="Jolanda gebeld, gaat beter")
        activity.action_feedback()
        self.assertFalse(activity.exists())

    def test_activity_of_coordinator_shows_only_the_number(self):
        todo = self.env.ref("mail.mail_activity_data_todo")
        activity = self.case.sudo().activity_schedule(activity_type_id=todo.id, user_id=self.coordinator.id)
        data = activity.with_user(self.coordinator).read(["res_name", "summary", "note", "res_model"])[0]
        self.assertEqual(data["res_name"], self.case.name)
        self.assertFalse(data["summary"])
        # The assignee of an activity cannot open the case's content through it.
        with self.assertRaises(AccessError):
            self.case.with_user(self.coordinator).notes  # noqa: B018

    def test_no_report_prints_a_case(self):
        reports = (
            self.env["ir.actions.report"]
            .sudo()
            .search([("model", "in", ("vp.case", "vp.case.meeting", "vp.case.document", "vp.consent", "vp.breach"))])
        )
        self.assertFalse(reports, "no report may print case records")
