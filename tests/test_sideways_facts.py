"""No fact about a case reaches anyone sideways (docs/INTEGRITY.md): not through
the running year's report preview, not through the dates of a case under a legal
hold, not through an activity meant for someone else, and not as a plain file on
a record that holds content. Each test plays one such attack."""

import json
from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import TransactionCase, tagged

from .common import VpCaseCommon


@tagged("post_install", "-at_install")
class TestRunningYearPreview(VpCaseCommon, TransactionCase):
    """A counsellor's preview of the running year was a differencing oracle on a
    colleague's cases (before and after the colleague changed one)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.org = cls.env["vp.organisation"].create(
            {
                "name": "Testorganisatie Lopend Jaar",
                "code": "LOPEND",
                "counsellor_ids": [Command.set((cls.counsellor | cls.counsellor2).ids)],
            }
        )
        cls.unit_a = cls.env["vp.business.unit"].create({"name": "Afdeling A", "organisation_id": cls.org.id})
        cls.unit_b = cls.env["vp.business.unit"].create({"name": "Afdeling B", "organisation_id": cls.org.id})
        start = fields.Datetime.now().replace(month=1, day=2, hour=10)
        kinds = [cls.env.ref(f"vertrouwenspersoon.behaviour_kind_{code}").id for code in ("bullying", "fraud")]
        vals = []
        for counsellor in (cls.counsellor, cls.counsellor2):
            for index in range(12):
                vals.append(
                    {
                        "organisation_id": cls.org.id,
                        "counsellor_id": counsellor.id,
                        "request_date": start + timedelta(hours=index),
                        "business_unit_id": (cls.unit_a if index % 2 else cls.unit_b).id,
                        "side": "accused" if index % 3 else "reporter",
                        "behaviour_kind_ids": [Command.set([kinds[index % 2]])],
                    }
                )
        cls.cases = cls.env["vp.case"].create(vals)
        cls.colleague_case = cls.cases.filtered(lambda case: case.counsellor_id == cls.counsellor2)[:1]

    def _preview(self, user):
        wizard = self.env["vp.annual.report.wizard"].with_user(user)
        year = fields.Date.today().year
        return wizard.create({"organisation_id": self.org.id, "year": year})._vp_create_report()

    def test_the_preview_counts_only_her_own_cases(self):
        report = self._preview(self.counsellor)
        self.assertEqual(report.own_cases_user_id, self.counsellor)
        figures = report._vp_figures()
        self.assertTrue(figures["own_cases_only"])
        year = report.year
        self.assertEqual(report._vp_count_cases((year, year - 1))[0][year]["requests"], 12, "her 12, not 24")
        # A colleague changes her own case: the preview does not move.
        self.colleague_case.with_user(self.counsellor2).write({"business_unit_id": self.unit_a.id, "side": "reporter"})
        again = self._preview(self.counsellor)
        self.assertEqual(again.figures_digest, report.figures_digest)
        self.assertEqual(json.loads(again.figures_json)["tables"], figures["tables"])

    def test_nobody_else_reads_or_recomputes_her_preview(self):
        report = self._preview(self.counsellor)
        with self.assertRaises(AccessError):
            report.with_user(self.counsellor2).read(["figures_json"])
        with self.assertRaises(AccessError):
            report.with_user(self.counsellor2).action_recompute()
        self.assertNotIn(report, self.env["vp.annual.report"].with_user(self.manager).search([]))
        with self.assertRaises(AccessError):
            report.with_user(self.counsellor).write({"own_cases_user_id": False})

    def test_a_closed_year_counts_the_whole_organisation(self):
        last_year = fields.Date.today().year - 1
        self.env["vp.case"].create(
            [
                {"organisation_id": self.org.id, "request_date": f"{last_year}-03-0{1 + index % 9} 10:00:00"}
                for index in range(12)
            ]
        )
        report = (
            self.env["vp.annual.report"]
            .with_user(self.counsellor)
            .create({"organisation_id": self.org.id, "year": last_year})
        )
        self.assertFalse(report.own_cases_user_id)
        self.assertFalse(report._vp_figures()["own_cases_only"])


@tagged("post_install", "-at_install")
class TestLegalHoldUnseen(VpCaseCommon, TransactionCase):
    """The coordinator told a case under a legal hold from a shredded one: closed,
    shred date passed, not shredded."""

    def _closed_long_ago(self):
        case = self.new_case(self.counsellor)
        case.sudo().write(
            {
                "request_date": fields.Datetime.now() - timedelta(days=700),
                "state": "closed",
                "close_date": fields.Date.today() - timedelta(days=600),
            }
        )
        self.assertLess(case.shred_due_date, fields.Date.today())
        return case

    def test_the_coordinator_cannot_tell_a_legal_hold_from_the_dates(self):
        held, shredded = self._closed_long_ago(), self._closed_long_ago()
        self.env["vp.legal.hold"].with_user(self.counsellor).create({"case_id": held.id, "reason": "court"})
        before = self.env["vp.change.log"].search([]).ids
        self.env["vp.case"]._cron_shred_expired_cases()
        self.assertTrue(shredded.shredded_on)
        self.assertFalse(held.shredded_on)
        as_coordinator = self.env["vp.case"].with_user(self.coordinator)
        self.assertFalse(
            as_coordinator.search_read(
                [("state", "=", "closed"), ("shred_due_date", "<", fields.Date.today()), ("shredded_on", "=", False)],
                ["name"],
            )
        )
        self.assertFalse(as_coordinator.search([("id", "in", (held | shredded).ids)]))
        with self.assertRaises(AccessError):
            held.with_user(self.coordinator).read(["shredded_on"])
        # The shredding left no line in the change log (the coordinator reads it) to tell them apart.
        self.assertFalse(
            self.env["vp.change.log"].search([("id", "not in", before), ("case_id", "in", (held | shredded).ids)])
        )
        # Their own counsellor still sees both.
        self.assertEqual(
            self.env["vp.case"].with_user(self.counsellor).search([("id", "in", (held | shredded).ids)]),
            held | shredded,
        )

    def test_before_its_retention_ends_a_closed_case_stays_in_view(self):
        case = self.new_case(self.counsellor, state="closed", close_date=fields.Date.today())
        self.assertIn(case, self.env["vp.case"].with_user(self.coordinator).search([]))


@tagged("post_install", "-at_install")
class TestActivitiesForTheirUserOnly(VpCaseCommon, TransactionCase):
    """The coordinator read every activity of every case, and so learned "the reporter wrote"."""

    def test_the_coordinator_does_not_learn_the_reporter_wrote(self):
        case = self.case
        reply = "vertrouwenspersoon.mail_activity_type_vp_reporter_message"
        case._vp_tell_counsellor_of_reply()
        activity = self.env["mail.activity"].search([("res_model", "=", "vp.case"), ("res_id", "=", case.id)])
        self.assertEqual(activity.user_id, self.counsellor)
        activities = self.env["mail.activity"].with_user(self.coordinator)
        self.assertFalse(activities.search_read([("res_model", "=", "vp.case"), ("res_id", "=", case.id)], ["id"]))
        with self.assertRaises(AccessError):
            activity.with_user(self.coordinator).read(["activity_type_id"])
        as_coordinator = case.with_user(self.coordinator)
        self.assertFalse(as_coordinator.read(["activity_type_id"])[0]["activity_type_id"])
        self.assertFalse(as_coordinator.activity_ids)
        cases = self.env["vp.case"].with_user(self.coordinator)
        reply_type = self.env.ref(reply).id
        for domain in (
            [("activity_type_id", "=", reply_type)],
            [("activity_ids.activity_type_id", "=", reply_type)],
            [("activity_state", "!=", False)],
            [("activity_user_id", "=", self.counsellor.id)],
        ):
            with self.subTest(domain=domain):
                self.assertNotIn(case, cases.search(domain))
        # The counsellor reads hers, and marks it done without a line in the chatter others read.
        mine = activity.with_user(self.counsellor)
        self.assertEqual(mine.read(["activity_type_id"])[0]["activity_type_id"][0], reply_type)
        self.assertIn(case, self.env["vp.case"].with_user(self.counsellor).search([("activity_state", "!=", False)]))
        messages = self.env["mail.message"].search_count([("model", "=", "vp.case"), ("res_id", "=", case.id)])
        mine.action_done()
        self.assertFalse(activity.exists())
        self.assertEqual(
            self.env["mail.message"].search_count([("model", "=", "vp.case"), ("res_id", "=", case.id)]), messages
        )


@tagged("post_install", "-at_install")
class TestNoPlainFileOnContent(VpCaseCommon, TransactionCase):
    """A plain attachment on a consultation sat in clear in the filestore."""

    def test_one_list_derived_from_the_code(self):
        from odoo.addons.vertrouwenspersoon.tools.confidential import content_models  # noqa: PLC0415

        listed = content_models(self.env)
        mixin = self.env.registry["vp.encrypted.mixin"]
        for name, model in self.env.registry.items():
            if model._abstract:
                continue
            holds = issubclass(model, mixin) or (
                "case_id" in model._fields and model._fields["case_id"].comodel_name == "vp.case"
            )
            if holds:
                self.assertIn(name, listed)
        for name in ("vp.consultation", "vp.case.message", "vp.case.receipt", "vp.case", "vp.signal"):
            self.assertIn(name, listed)
        self.assertNotIn("vp.organisation", listed)

    def test_every_model_with_encrypted_fields_is_a_sealed_model(self):
        """The list of models that store content encrypted is derived from the code; a model
        with a ciphertext field (``*_ciphertext``, ``*_sealed``) missing from it fails here."""
        from odoo.addons.vertrouwenspersoon.tools.confidential import (  # noqa: PLC0415
            case_record_key_models,
            content_models,
            record_key_models,
            sealed_models,
        )

        sealed = set(sealed_models(self.env))
        for name, model in self.env.registry.items():
            if model._abstract:
                continue
            ciphertext = [fname for fname in model._fields if fname.endswith(("_ciphertext", "_sealed"))]
            if ciphertext:
                self.assertIn(name, sealed, f"{name} stores {ciphertext} outside the list of sealed models")
        for name in ("vp.case", "vp.case.meeting", "vp.consultation", "vp.case.message", "vp.timesheet.note"):
            self.assertIn(name, sealed)
        self.assertNotIn("vp.organisation", sealed)
        # The timesheet note goes through the mixin on a model of its own: Odoo's timesheet
        # line itself is no content model (no lockdown, field guards or access log on it).
        self.assertNotIn("account.analytic.line", sealed)
        self.assertNotIn("account.analytic.line", content_models(self.env))
        # Notices, breach records and consultations have keys of their own, and only they.
        self.assertEqual(set(record_key_models(self.env)), {"vp.notice", "vp.breach", "vp.consultation"})
        # Of them, notices and breach records belong to a case; a consultation leads to none.
        self.assertEqual(set(case_record_key_models(self.env)), {"vp.notice", "vp.breach"})
        # Whatever is sealed is case content.
        self.assertLessEqual(sealed, set(content_models(self.env)))

    def test_no_plain_attachment_on_any_of_them(self):
        consultation = (
            self.env["vp.consultation"]
            .with_user(self.counsellor)
            .create({"organisation_id": self.organisation.id, "adviser_id": self.counsellor2.id, "question": "?"})
        )
        targets = {"vp.consultation": consultation, "vp.case": self.case}
        for model, record in targets.items():
            with self.subTest(model=model), self.assertRaises(UserError):
                self.env["ir.attachment"].with_user(self.counsellor).create(
                    {"name": "z.txt", "raw": b"Melder J. Jansen", "res_model": model, "res_id": record.id}
                )
        # Not even as the system, for every model that holds content.
        models = [name for name in self.env.registry if name.startswith("vp.") and not self.env[name]._abstract]
        holding = [
            name
            for name in models
            if "case_id" in self.env[name]._fields or hasattr(self.env[name], "_vp_encrypted_fields")
        ]
        for model in holding:
            with self.subTest(model=model), self.assertRaises(UserError):
                self.env["ir.attachment"].create(
                    {"name": "z.txt", "raw": b"Melder J. Jansen", "res_model": model, "res_id": 1}
                )
        # Nor moved onto one.
        attachment = self.env["ir.attachment"].with_user(self.counsellor).create({"name": "z.txt", "raw": b"x"})
        with self.assertRaises(UserError):
            attachment.write({"res_model": "vp.case.message", "res_id": 1})
