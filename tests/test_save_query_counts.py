"""Saving a case, a meeting or a notice, as the form does (web_save and its read-back),
makes no more queries than it did before the walk's changes (the counts of the previous
release, measured on it with this same test)."""

from odoo import Command
from odoo.tests import TransactionCase, tagged

from .common import VpCaseCommon

CASE_SPEC = {
    "name": {},
    "state": {},
    "notes": {},
    "employee_phone": {},
    "business_unit_id": {"fields": {"display_name": {}}},
    "meeting_ids": {"fields": {"meeting_date": {}, "duration": {}, "channel": {}, "note": {}}},
}
NOTICE_SPEC = {"name": {}, "state": {}, "level": {}, "employee_name": {}}


@tagged("post_install", "-at_install", "is_query_count")
class TestSaveQueryCounts(VpCaseCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.case.sudo().write({"state": "open"})
        cls.env["vp.case.meeting"].with_user(cls.counsellor).create({"case_id": cls.case.id, "note": "Eerste gesprek"})
        cls.env["vp.consent"].with_user(cls.counsellor).create(
            {"case_id": cls.case.id, "level": "name_summary", "given_how": "email", "approved_summary": "Samenvatting"}
        )
        cls.notice = (
            cls.env["vp.notice"]
            .with_user(cls.counsellor)
            .create(cls.env["vp.notice"]._prepare_from_case(cls.case, cls.case.consent_ids[:1]))
        )

    def _save(self, record, vals, spec):
        record.env.invalidate_all()
        return record.web_save(vals, spec)

    def test_saving_a_case(self):
        case = self.case.with_user(self.counsellor)
        self._save(case, {"notes": "Eerste notitie"}, CASE_SPEC)  # warm: the key is opened once per session
        with self.assertQueryCount(CASE_QUERIES):
            self._save(case, {"notes": "Tweede notitie", "employee_phone": "06-87654321"}, CASE_SPEC)

    def test_saving_a_meeting(self):
        case = self.case.with_user(self.counsellor)
        self._save(case, {"notes": "Eerste notitie"}, CASE_SPEC)
        meeting = {
            "duration": 1.0,
            "channel": "phone",
            "note": "Tweede gesprek",
            "log_hours": True,
            "time_type": "meeting",
        }
        with self.assertQueryCount(MEETING_QUERIES):
            self._save(case, {"meeting_ids": [Command.create(meeting)]}, CASE_SPEC)

    def test_saving_a_notice(self):
        notice = self.notice.with_user(self.counsellor)
        self._save(notice, {"request_date": self.case.request_date.date()}, NOTICE_SPEC)
        with self.assertQueryCount(NOTICE_QUERIES):
            self._save(notice, {"level": "name"}, NOTICE_SPEC)


# Measured on the release before (the same test on its code and demo data).
CASE_QUERIES = 13
# One more in the whole suite's order since six languages are loaded (the public pages):
# Odoo reads a language record once its own language cache was cleared by an earlier test.
MEETING_QUERIES = 52
NOTICE_QUERIES = 10
