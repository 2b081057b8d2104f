"""Query-count bounds of the counsellor's daily screens: the case list and the
case form (content decrypted and logged in a fixed number of queries)."""

from odoo.tests import TransactionCase, tagged

from .common import VpCaseCommon

LIST_SPEC = {
    "name": {},
    "organisation_id": {"fields": {"display_name": {}}},
    "region_id": {"fields": {"display_name": {}}},
    "side": {},
    "request_date": {},
    "first_contact_date": {},
    "close_date": {},
    "counsellor_id": {"fields": {"display_name": {}}},
    "state": {},
}
FORM_SPEC = {
    **LIST_SPEC,
    "is_linked": {},
    "notes": {},
    "employee_name": {},
    "employee_email": {},
    "employee_phone": {},
    "postcode": {},
    "business_unit_id": {"fields": {"display_name": {}}},
    "behaviour_kind_ids": {"fields": {"display_name": {}}},
    "route_ids": {"fields": {"display_name": {}}},
    "meeting_ids": {"fields": {"meeting_date": {}, "duration": {}, "channel": {}, "place": {}}},
    "consent_ids": {"fields": {"level": {}, "given_on": {}, "given_how": {}, "approved_summary": {}}},
    "notice_ids": {"fields": {"name": {}, "level": {}, "state": {}}},
    "handover_ids": {"fields": {"to_user_id": {"fields": {"display_name": {}}}, "reason": {}}},
}


@tagged("post_install", "-at_install", "is_query_count")
class TestCaseQueryCounts(VpCaseCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for _index in range(20):
            case = cls.new_case(cls.counsellor)
            cls.env["vp.case.meeting"].with_user(cls.counsellor).create(
                [{"case_id": case.id, "place": "Kantoor"}, {"case_id": case.id, "channel": "phone"}]
            )
        cls.env["vp.consent"].with_user(cls.counsellor).create(
            {"case_id": case.id, "level": "name_summary", "given_how": "email", "approved_summary": "Samenvatting"}
        )
        cls.busy_case = case

    def _list(self, limit):
        return self.env["vp.case"].with_user(self.counsellor).web_search_read([], LIST_SPEC, limit=limit)

    def test_case_list(self):
        self.env.invalidate_all()
        with self.assertQueryCount(11):
            result = self._list(80)
        self.assertGreaterEqual(result["length"], 21)
        # The same number of queries for a page of 10 as for a page of 80.
        self.env.invalidate_all()
        with self.assertQueryCount(11):
            self._list(10)

    def test_case_form(self):
        self.env.invalidate_all()
        # Case, meeting and consent content: each decrypted and logged in one batch.
        with self.assertQueryCount(42):
            data = self.busy_case.with_user(self.counsellor).web_read(FORM_SPEC)
        self.assertEqual(data[0]["notes"], self.NOTES)
        self.assertEqual(len(data[0]["meeting_ids"]), 2)
        self.assertEqual(data[0]["consent_ids"][0]["approved_summary"], "Samenvatting")
