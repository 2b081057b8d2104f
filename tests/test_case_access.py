"""The access matrix: every demo role against every model of the addon and
every ORM channel (read, search_read, web_read, read_group, export_data,
name_search, display names)."""

import re

from odoo.exceptions import AccessError, UserError
from odoo.tests import TransactionCase, tagged

from .common import VpCaseCommon

CONTENT_FIELDS = ["notes", "employee_name", "employee_email", "employee_phone"]
COUNSELLOR_ONLY_FIELDS = [*CONTENT_FIELDS, "postcode", "business_unit_id", "behaviour_kind_ids", "route_ids"]
ASSIGNMENT_FIELDS = ["name", "organisation_id", "region_id", "request_date", "state", "counsellor_id", "side"]

CONFIDENTIAL_MODELS = [
    "vp.case",
    "vp.case.meeting",
    "vp.case.document",
    "vp.consent",
    "vp.notice",
    "vp.breach",
    "vp.audit.log",
    "vp.record.key",
    "vp.case.link",
    "vp.case.handover",
    "vp.case.reassignment",
    "vp.referral",
    "vp.signal",
    "vp.intake.throttle",
]

# Which roles may read each model at all (record rules narrow it further).
READABLE_BY = {
    "vp.case": {"counsellor", "coordinator"},
    "vp.case.meeting": {"counsellor"},
    "vp.case.document": {"counsellor"},
    "vp.consent": {"counsellor"},
    "vp.notice": {"counsellor", "hr"},
    "vp.breach": {"counsellor", "coordinator"},
    "vp.audit.log": {"counsellor"},
    "vp.record.key": set(),
    "vp.case.link": {"coordinator"},
    "vp.case.handover": {"counsellor", "coordinator"},
    "vp.case.reassignment": {"counsellor", "coordinator"},
    "vp.referral": {"counsellor"},
    "vp.signal": {"counsellor", "hr"},
    "vp.intake.throttle": set(),
}


@tagged("post_install", "-at_install")
class TestAccessMatrix(VpCaseCommon, TransactionCase):
    def _roles(self):
        return {
            "counsellor": self.counsellor,
            "coordinator": self.coordinator,
            "hr": self.hr,
            "manager": self.manager,
            "accountant": self.accountant,
            "admin": self.admin,
            "employee": self.employee,
            "portal": self.portal,
        }

    def test_model_level_access(self):
        for model in CONFIDENTIAL_MODELS:
            for role, user in self._roles().items():
                allowed = role in READABLE_BY[model]
                self.assertEqual(
                    self.env[model].with_user(user).has_access("read"),
                    allowed,
                    f"{role} read access on {model}",
                )
                if not allowed:
                    with self.assertRaises(AccessError, msg=f"{role} on {model}"):
                        self.env[model].with_user(user).search([])

    def test_counsellor_sees_only_own_cases(self):
        other = self.new_case(self.counsellor2)
        mine = self.env["vp.case"].with_user(self.counsellor).search([])
        self.assertIn(self.case, mine)
        self.assertNotIn(other, mine)
        self.assertTrue(all(c.counsellor_id == self.counsellor or c._vp_may_read_content() for c in mine.sudo()))
        theirs = self.env["vp.case"].with_user(self.counsellor2).search([])
        self.assertNotIn(self.case, theirs)
        with self.assertRaises(AccessError):
            self.case.with_user(self.counsellor2).read(["name"])
        with self.assertRaises(AccessError):
            self.case.with_user(self.counsellor2).notes  # noqa: B018

    def test_counsellor_reads_own_content(self):
        case = self.case.with_user(self.counsellor)
        self.assertEqual(case.notes, self.NOTES)
        data = case.read(CONTENT_FIELDS)[0]
        self.assertEqual(data["employee_name"], self.NAME)
        web = case.web_read({"notes": {}, "employee_email": {}, "business_unit_id": {"fields": {}}})[0]
        self.assertEqual(web["employee_email"], self.EMAIL)

    def test_coordinator_sees_assignment_not_content(self):
        # Allowed to export at all, so the export below is refused for the field, not the feature.
        self.coordinator.groups_id = [(4, self.env.ref("base.group_allow_export").id)]
        case = self.case.with_user(self.coordinator)
        data = case.read(ASSIGNMENT_FIELDS)[0]
        self.assertEqual(data["counsellor_id"][0], self.counsellor.id)
        fields = self.env["vp.case"].with_user(self.coordinator).fields_get()
        for field in COUNSELLOR_ONLY_FIELDS:
            self.assertNotIn(field, fields)
            with self.assertRaises(AccessError, msg=f"coordinator read {field}"):
                case.read([field])
            with self.assertRaises(AccessError, msg=f"coordinator search_read {field}"):
                case.search_read([("id", "=", case.id)], [field])
            with self.assertRaises(AccessError, msg=f"coordinator web_read {field}"):
                case.web_read({field: {}})
            with self.assertRaises(AccessError, msg=f"coordinator export {field}"):
                case.export_data(["name", field])
        # Searching or grouping by a counsellor-only field is refused as well.
        with self.assertRaises(AccessError):
            self.env["vp.case"].with_user(self.coordinator).search([("postcode", "=", "4811")])
        with self.assertRaises(AccessError):
            self.env["vp.case"].with_user(self.coordinator).read_group([], ["business_unit_id"], ["business_unit_id"])

    def test_sudo_does_not_open_content(self):
        for user in (self.coordinator, self.admin, self.counsellor2, self.hr):
            with self.assertRaises(AccessError, msg=user.login):
                self.case.with_user(user).sudo().notes  # noqa: B018
        # The superuser (installation, cron) cannot read content either.
        with self.assertRaises(AccessError):
            self.case.sudo().with_user(self.env.ref("base.user_root")).notes  # noqa: B018

    def test_read_group_carries_no_content(self):
        groups = self.env["vp.case"].with_user(self.coordinator).read_group([], ["state"], ["state"])
        self.assertTrue(groups)
        self.assertEqual(set(groups[0]) - {"__domain", "__count", "state", "state_count", "__range"}, set())
        # Content is never stored in clear, so there is nothing to group by.
        for field in CONTENT_FIELDS:
            try:
                self.env["vp.case"].with_user(self.counsellor).read_group([], [field], [field])
            except (AccessError, ValueError, UserError):
                continue
            self.fail(f"read_group by {field} must be refused")

    def test_display_name_is_the_case_number(self):
        self.assertRegex(self.case.display_name, r"^VP-\d{4}-\d{4,}$")
        for user in (self.counsellor, self.coordinator):
            self.assertEqual(self.case.with_user(user).display_name, self.case.name)
            found = self.env["vp.case"].with_user(user).name_search(self.NAME)
            self.assertFalse(found, "name_search must not look into content")
            found = self.env["vp.case"].with_user(user).name_search(self.case.name)
            self.assertEqual([r[0] for r in found], [self.case.id])
        for model in ("vp.case.meeting", "vp.case.document", "vp.notice", "vp.breach", "vp.consent"):
            for record in self.env[model].sudo().search([]):
                self.assertNotIn(self.NAME, record.display_name)
                self.assertFalse(re.search(r"[A-Z][a-z]+ [A-Z][a-z]+", record.display_name or ""), record.display_name)

    def test_hr_sees_only_sent_notices_addressed_to_them(self):
        notices = self.env["vp.notice"].with_user(self.hr).search([])
        self.assertTrue(notices, "demo data sends notices to vp_hr")
        self.assertTrue(all(n.state in ("sent", "acknowledged") for n in notices))
        self.assertTrue(all(self.hr in n.recipient_user_ids for n in notices))
        drafts = self.env["vp.notice"].sudo().search([("state", "=", "draft")])
        self.assertTrue(drafts)
        self.assertFalse(drafts & notices)
        fields = self.env["vp.notice"].with_user(self.hr).fields_get()
        self.assertNotIn("case_id", fields)
        self.assertNotIn("consent_id", fields)
        with self.assertRaises(AccessError):
            notices[:1].read(["case_id"])

    def test_management_accountant_employee_portal_see_nothing(self):
        for user in (self.manager, self.accountant, self.employee, self.portal, self.admin):
            for model in ("vp.case", "vp.notice", "vp.case.meeting", "vp.case.document", "vp.breach"):
                with self.assertRaises(AccessError, msg=f"{user.login} {model}"):
                    self.env[model].with_user(user).search_read([], ["id"])
            with self.assertRaises(AccessError):
                self.case.with_user(user).read(["name"])

    def test_meetings_documents_consents_follow_the_case(self):
        meeting = (
            self.env["vp.case.meeting"]
            .with_user(self.counsellor)
            .create({"case_id": self.case.id, "channel": "video", "place": "Beeldbellen vanuit huis"})
        )
        self.assertEqual(meeting.place, "Beeldbellen vanuit huis")
        for user in (self.counsellor2, self.coordinator):
            with self.assertRaises(AccessError):
                meeting.with_user(user).read(["channel"])
        self.assertEqual(
            self.env["vp.case.meeting"].with_user(self.counsellor2).search([("id", "=", meeting.id)]),
            self.env["vp.case.meeting"],
        )
