"""The plain modules behind vp.case, called directly rather than through the model's thin
methods: intake validation, deadlines, the assignment engine and shredding."""

import re

from odoo.addons.vertrouwenspersoon.models.intake import assignment_engine, deadlines, intake_validation
from odoo.addons.vertrouwenspersoon.models.retention import shredding
from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged

from .common import VpCaseCommon


def test_intake_reference_is_random_and_easy_to_read_out():
    references = {intake_validation.new_intake_reference() for _index in range(50)}
    assert len(references) == 50
    for reference in references:
        # No 0/O or 1/I to misread on the phone.
        assert re.fullmatch(r"[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}", reference)


def test_control_characters_go_but_tabs_and_line_breaks_stay():
    assert intake_validation.CONTROL_RE.sub("", "a\x00b\tc\nd\x7f") == "ab\tc\nd"


@tagged("post_install", "-at_install")
class TestIntakeValidation(VpCaseCommon, TransactionCase):
    def _values(self, **values):
        return {
            "organisation_code": self.organisation.code.lower(),
            "postcode": "4811 AB",
            "preferred_channel": "phone",
            "employee_name": "Jan\x00 de Vries",
            "employee_phone": "06-12345678",
            "message": "Ik wil graag praten.",
            **values,
        }

    def test_clean_values(self):
        clean, errors = intake_validation.validate_intake(self.env["vp.case"], self._values())
        self.assertEqual(errors, [])
        self.assertEqual(clean["organisation"], self.organisation)
        self.assertEqual(clean["postcode"], "4811")
        self.assertEqual(clean["contact"]["employee_name"], "Jan de Vries")
        self.assertIn("Ik wil graag praten.", clean["notes"])

    def test_wrong_values_are_told(self):
        _clean, errors = intake_validation.validate_intake(
            self.env["vp.case"],
            self._values(employee_email="geen-adres", employee_phone="", preferred_channel="email", postcode="x"),
        )
        self.assertEqual(len(errors), 2, errors)

    def test_an_unknown_code_reaches_the_bureau_from_the_public_page_only(self):
        values = self._values(organisation_code="ONBEKEND")
        _clean, errors = intake_validation.validate_intake(self.env["vp.case"], values)
        self.assertEqual(len(errors), 1)
        clean, errors = intake_validation.validate_intake(self.env["vp.case"], values, accept_unknown_code=True)
        self.assertEqual(errors, [])
        self.assertEqual(clean["organisation"], self.env.ref(intake_validation.UNKNOWN_ORGANISATION))

    def test_choice_of_counsellor(self):
        case_model = self.env["vp.case"]
        self.assertEqual(intake_validation.validate_counsellor_choice(case_model, self.organisation, ""), (None, []))
        choice, errors = intake_validation.validate_counsellor_choice(case_model, self.organisation, "external")
        self.assertEqual((choice["kind"], errors), ("external", []))
        choice, errors = intake_validation.validate_counsellor_choice(case_model, self.organisation, "999999")
        self.assertIsNone(choice)
        self.assertEqual(len(errors), 1)


@tagged("post_install", "-at_install")
class TestDeadlinesAndAssignment(VpCaseCommon, TransactionCase):
    def test_deadlines_follow_the_request_date(self):
        case = self.case
        self.assertEqual(case.first_contact_deadline, case.request_date + deadlines.FIRST_CONTACT_DELAY)
        self.assertFalse(case.is_wbk)
        self.assertFalse(case.wbk_ack_deadline)
        integrity = self.env["vp.behaviour.kind"].search([("category", "=", "integrity")], limit=1)
        wbk = self.new_case(self.counsellor, behaviour_kind_ids=[(6, 0, integrity.ids)])
        self.assertTrue(wbk.is_wbk)
        self.assertEqual(wbk.wbk_ack_deadline, wbk.request_date + deadlines.WBK_ACK_DELAY)
        self.assertEqual(wbk.wbk_feedback_deadline, wbk.wbk_ack_deadline + deadlines.WBK_FEEDBACK_DELAY)

    def test_holders_and_the_other_side(self):
        self.assertEqual(assignment_engine.holder_user_ids(self.case), [self.counsellor.id])
        self.assertEqual(assignment_engine.other_side_counsellors(self.case)[self.case.id], set())


@tagged("post_install", "-at_install")
class TestShredding(VpCaseCommon, TransactionCase):
    def test_shred_destroys_keys_and_content_once(self):
        case = self.case.sudo()
        of_the_case = [("res_model", "=", "vp.case"), ("res_id", "=", case.id)]
        self.assertTrue(self.env["vp.record.grant"].sudo().search_count(of_the_case))
        self.assertEqual(shredding.shred(case), case)
        self.assertTrue(case.shredded_on)
        self.assertFalse(case.notes_ciphertext or case.employee_name_ciphertext or case.postcode)
        for model in ("vp.record.key", "vp.record.grant"):
            self.assertFalse(self.env[model].sudo().search_count(of_the_case), model)
        for model in ("vp.case.message", "vp.case.receipt", "vp.case.document"):
            self.assertFalse(self.env[model].sudo().search_count([("case_id", "=", case.id)]), model)
        # Idempotent: a shredded case is skipped.
        self.assertFalse(shredding.shred(case))

    def test_a_legal_hold_refuses_the_batch(self):
        held = self.new_case(self.counsellor)
        self.env["vp.legal.hold"].with_user(self.counsellor).create({"case_id": held.id, "reason": "court"})
        with self.assertRaisesRegex(UserError, held.name):
            shredding.shred((self.case | held).sudo())
        self.assertFalse(self.case.shredded_on)
