"""The access matrix: the single place that states who may do what.

Every model of the addon (a new model without a row here fails
``test_every_model_has_a_row``) against every role, through every ORM channel a
client reaches over RPC:

- ``R``: the sample record is found and read through read, search,
  search_count, read_group, name_search and export_data;
- ``W``: a write on it goes through (an empty write: Odoo checks the access
  rights and record rules of a write before it looks at the values);
- ``D``: it can be deleted;
- ``C``: a record like it can be created (on the counsellor's own case, for
  children of a case).

Each sample record belongs to the first demo counsellor (``counsellor``); the
second one (``counsellor2``) is every other counsellor. A role without a
letter must be refused, with an AccessError or a UserError, and nothing it
tried stays stored. Field-level access (a field a role may not read, in any
domain, group-by or order) is proven field by field in
``test_field_access_walk.py``; mail, attachments and reports by role at the
end of this file.
"""

from datetime import timedelta

from odoo import Command, fields
from odoo.addons.base.models.ir_qweb import QWebException
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import TransactionCase, tagged

from .common import VpCaseCommon


class _RolledBack(Exception):
    """Raised to undo a probe that went through."""


ROLES = ("counsellor", "counsellor2", "coordinator", "hr", "manager", "accountant", "admin", "employee", "portal")

# model (or model plus the state of its sample) -> {role: letters}; a role left
# out has no access at all.
MATRIX = {
    # Cases and what hangs off them: their own counsellor; the coordinator sees
    # assignment data (field groups keep the rest from it).
    # Every counsellor registers cases of their own ("C" for counsellor2).
    "vp.case": {"counsellor": "RWC", "counsellor2": "C", "coordinator": "RWC"},
    "vp.case.meeting": {"counsellor": "RWCD"},
    # A timesheet line's note: its line's counsellor reads it; it is written through the line.
    "vp.timesheet.note": {"counsellor": "R"},
    "vp.case.document": {"counsellor": "RWCD"},
    "vp.consent": {"counsellor": "RWC"},
    "vp.referral": {"counsellor": "RWCD"},
    "vp.legal.hold": {"counsellor": "RC"},
    "vp.notice (draft)": {"counsellor": "RWCD"},
    # A sent notice is read by its HR recipients and its counsellor; nobody changes it.
    "vp.notice (sent)": {"counsellor": "RC", "hr": "R"},
    # A draft breach record: the requesting counsellor writes it; the second
    # signatory (counsellor2 here) only reads it and decides through the buttons.
    "vp.breach": {"counsellor": "RWCD", "counsellor2": "R"},
    # The backup (counsellor2 here) sees the handovers made to them.
    # The coordinator reads them; she moves a case with Reassign, never a handover.
    "vp.case.handover": {"counsellor": "RWC", "counsellor2": "R", "coordinator": "R"},
    "vp.case.link": {"coordinator": "RWCD"},
    "vp.case.reassignment": {"counsellor": "R", "coordinator": "R"},
    "vp.audit.log": {"counsellor": "R"},
    "vp.change.log": {"counsellor": "R", "coordinator": "R"},
    # The vault's keys: reached by the vault code only, never by a role.
    "vp.reader.key": {},
    "vp.record.key": {},
    "vp.record.grant": {},
    # The logs' evidence chains: written and checked by the logs only.
    "vp.log.block": {},
    "vp.intake.throttle": {},
    # The reporter's inbox: messages are the case's own counsellor's (a sent one never
    # changes); receipts and the inbox's rate limit are reached by the inbox code only.
    "vp.case.message": {"counsellor": "RC"},
    "vp.case.receipt": {},
    "vp.inbox.throttle": {},
    "vp.gdpr.export": {"counsellor": "RWCD"},
    # Signals: drafted by a counsellor; once sent, read by HR.
    "vp.signal (draft)": {"counsellor": "RWCD"},
    "vp.signal (sent)": {"counsellor": "RC", "hr": "R"},
    "vp.prevention.session": {"counsellor": "RWCD", "counsellor2": "RWCD", "coordinator": "RWCD"},
    # Configuration: the coordinator keeps organisations, units, regions and rosters.
    "vp.organisation": {
        "counsellor": "R",
        "counsellor2": "R",
        "coordinator": "RWC",
        "hr": "R",
        "manager": "R",
        "accountant": "R",
    },
    "vp.business.unit": {
        "counsellor": "R",
        "counsellor2": "R",
        "coordinator": "RWCD",
        "manager": "R",
        "accountant": "R",
    },
    "vp.region": {"counsellor": "R", "counsellor2": "R", "coordinator": "RWCD", "hr": "R", "manager": "R"},
    "vp.region.postcode.range": {"counsellor": "R", "counsellor2": "R", "coordinator": "RWCD", "manager": "R"},
    "vp.roster.line": {"counsellor": "R", "counsellor2": "R", "coordinator": "RWCD"},
    # Who is internal or external where: the coordinator keeps it, counsellors read it.
    "vp.counsellor.appointment": {"counsellor": "R", "counsellor2": "R", "coordinator": "RWCD"},
    # A consultation: its asker (counsellor) and its adviser (counsellor2) only; nobody deletes one.
    "vp.consultation": {"counsellor": "RWC", "counsellor2": "RW"},
    # Kinds of behaviour and routes are the addon's fixed vocabulary: read only.
    "vp.behaviour.kind": {"counsellor": "R", "counsellor2": "R", "coordinator": "R", "manager": "R"},
    "vp.route": {"counsellor": "R", "counsellor2": "R", "coordinator": "R", "manager": "R"},
    # Invoicing.
    # Engagements: the accountant, and Odoo's accounting administrators (admin).
    "vp.engagement": {"counsellor": "R", "counsellor2": "R", "accountant": "RWC", "admin": "RWCD"},
    # Hours per month, unit and time type (a read-only view): the accountant, not the lines.
    "vp.engagement.hours": {"accountant": "R", "admin": "R"},
    # Annual reports: the organisation's named management and its counsellors.
    "vp.annual.report": {"counsellor": "RWCD", "counsellor2": "RWCD", "manager": "RWC"},
    # Wizards: who may open them.
    "vp.annual.report.wizard": {"counsellor": "RWC", "counsellor2": "RWC", "manager": "RWC"},
    "vp.case.reassign.wizard": {"coordinator": "RWCD"},
    # A date of a case is corrected by the case's own counsellor only.
    "vp.case.date.correction": {"counsellor": "RWC"},
    "vp.intake.wizard": {"coordinator": "RWCD"},
    "vp.notice.send.wizard": {"counsellor": "RWC"},
    "vp.invoicing.wizard": {"accountant": "RWCD", "admin": "RWCD"},
    # Closing and erasing ask first: the case's own counsellor only.
    "vp.case.close.wizard": {"counsellor": "RWC"},
    "vp.case.erase.wizard": {"counsellor": "RWC"},
    # Dashboards (read-only views): the counsellor's own cases, the coordinator every case's
    # assignment data and each counsellor's load; management its published figures.
    "vp.case.dashboard": {"counsellor": "R", "coordinator": "R"},
    "vp.counsellor.load": {"coordinator": "R"},
    "vp.annual.figure": {"manager": "R"},
}


# Public methods that set a date of the record, hand a case's key or code to someone,
# or erase or recover content, and the roles that may call them on the sample (key
# of MATRIX, or a model); every other role is refused with an AccessError or a
# UserError. A method behind Odoo's identity check is probed past it: who may call
# it once her identity is confirmed (the check itself: tests/test_second_factor.py).
METHODS = {
    ("vp.case", "action_wbk_acknowledged"): {"counsellor"},
    ("vp.case", "action_wbk_feedback_given"): {"counsellor"},
    ("vp.case", "action_vp_correct_date"): {"counsellor"},
    ("vp.case", "action_vp_revoke_receipt_code"): {"counsellor"},
    ("vp.case (without hold)", "action_erase_on_request"): {"counsellor"},
    ("vp.case.date.correction", "action_correct"): {"counsellor"},
    # The case's counsellor ends a handover; so may the colleague it was for.
    ("vp.case.handover", "action_end"): {"counsellor", "counsellor2"},
    ("vp.organisation", "action_open_recovery"): {"coordinator"},
    # It only confirms the caller's own identity (and closes the check's dialog).
    ("res.users", "action_vp_confirm_identity"): set(ROLES),
    # Only the user the check is for has her code mailed.
    ("res.users.identitycheck", "action_vp_send_code"): {"counsellor"},
}


@tagged("post_install", "-at_install")
class TestAccessMatrix(VpCaseCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.users = {
            "counsellor": cls.counsellor,
            "counsellor2": cls.counsellor2,
            "coordinator": cls.coordinator,
            "hr": cls.hr,
            "manager": cls.manager,
            "accountant": cls.accountant,
            "admin": cls.admin,
            # A plain internal user: only "Internal user" (the test suite's
            # own employee gets the demo's default groups, Accounting included).
            "employee": cls.env["res.users"].create(
                {
                    "name": "Medewerker zonder rol",
                    "login": "vp_matrix_plain",
                    "groups_id": [Command.set([cls.env.ref("base.group_user").id])],
                }
            ),
            "portal": cls.portal,
        }
        export = env.ref("base.group_allow_export")
        for user in cls.users.values():
            if not user.share:
                user.groups_id = [Command.link(export.id)]
        cls.organisation.manager_user_ids = [Command.link(cls.manager.id)]
        cls.samples = cls._make_samples()
        cls.spare_reporter = cls.new_case(cls.counsellor)
        cls.spare_organisation = cls.env["vp.organisation"].create(
            {"name": "Matrix BV", "code": "MATRIXORG", "partner_id": cls.organisation.partner_id.id}
        )
        cls.spare_region = cls.env["vp.region"].create({"name": "Matrix", "code": "MATRIXSPARE"})
        cls.spare_accused = cls.new_case(cls.counsellor2, side="accused")
        cls.spare_counsellor = cls.env["res.users"].create(
            {
                "name": "Matrix vertrouwenspersoon",
                "login": "vp_matrix_counsellor",
                "groups_id": [Command.set([cls.env.ref("vertrouwenspersoon.group_counsellor").id])],
            }
        )

    @classmethod
    def _make_samples(cls):
        env = cls.env
        case = cls.case
        as_counsellor = env(user=cls.counsellor)
        samples = {"vp.case": case}
        for model, vals in (
            ("vp.case.meeting", {"channel": "phone", "place": "Kantoor"}),
            ("vp.case.document", {"name": "verslag.txt"}),
            ("vp.consent", {"level": "name", "given_how": "in_person"}),
            ("vp.referral", {"destination": "mediator"}),
            ("vp.legal.hold", {"reason": "court"}),
        ):
            samples[model] = as_counsellor[model].create({"case_id": case.id, **vals})
        notice_vals = as_counsellor["vp.notice"]._prepare_from_case(case.with_env(as_counsellor))
        samples["vp.notice (draft)"] = as_counsellor["vp.notice"].create(notice_vals)
        sent = as_counsellor["vp.notice"].create(notice_vals)
        sent.action_send()
        samples["vp.notice (sent)"] = sent
        samples["vp.breach"] = as_counsellor["vp.breach"].create(
            {
                "case_id": case.id,
                "ground": "conscience",
                "approver_id": cls.counsellor2.id,
                "employee_informed": True,
            }
        )
        samples["vp.case.handover"] = as_counsellor["vp.case.handover"].create(
            {"case_id": case.id, "to_user_id": cls.counsellor2.id, "reason": "absence", "date_start": "2020-01-01"}
        )
        samples["vp.case.handover"].action_end()
        accused = cls.new_case(cls.counsellor2, side="accused")
        samples["vp.case.link"] = env["vp.case.link"].create(
            {"reporter_case_id": case.id, "accused_case_id": accused.id}
        )
        moved = cls.new_case(cls.counsellor2)
        wizard = env(user=cls.coordinator)["vp.case.reassign.wizard"].create(
            {"case_id": moved.id, "counsellor_id": cls.counsellor.id, "reason": "Werkdruk"}
        )
        wizard.action_reassign()
        samples["vp.case.reassign.wizard"] = wizard
        samples["vp.case.reassignment"] = env["vp.case.reassignment"].search([("case_id", "=", moved.id)])
        case.with_user(cls.counsellor).notes  # noqa: B018  (writes an access log line)
        samples["vp.audit.log"] = env["vp.audit.log"].search([("case_id", "=", case.id)], limit=1)
        samples["vp.change.log"] = env["vp.change.log"]._vp_append(
            [{"res_model": "vp.case", "res_id": case.id, "case_id": case.id, "operation": "write"}]
        )
        # Nothing new goes under the master key: a wrapping row of a case stands in for one from before.
        # Nothing new goes under the master key: a wrapping row of a case stands in for one from before.
        samples["vp.record.key"] = (
            env["vp.record.key"]
            .sudo()
            .create(
                {
                    "res_model": "vp.case",
                    "res_id": cls.new_case(cls.counsellor2).id,
                    "wrapped_key": "-",
                    "master_key_id": "-",
                }
            )
        )
        samples["vp.reader.key"] = env["vp.reader.key"]._vp_key_of(cls.counsellor.ids)
        samples["vp.record.grant"] = (
            env["vp.record.grant"].sudo().search([("res_model", "=", "vp.case"), ("res_id", "=", case.id)], limit=1)
        )
        samples["vp.log.block"] = env["vp.log.block"].search([], limit=1)
        env["vp.intake.throttle"]._vp_refusal("192.0.2.1")
        samples["vp.intake.throttle"] = env["vp.intake.throttle"].search([], limit=1)
        receipt = env(user=cls.counsellor)["vp.case.receipt"]._vp_create_for_case(
            case.with_user(cls.counsellor), "MTRX-MTRX-MTRX-MTRX-MTRX"
        )
        samples["vp.case.receipt"] = receipt.sudo()
        samples["vp.case.message"] = as_counsellor["vp.case.message"].create(
            {"case_id": case.id, "body": "Dank voor uw melding."}
        )
        env["vp.inbox.throttle"]._vp_refusal("192.0.2.1")
        samples["vp.inbox.throttle"] = env["vp.inbox.throttle"].search([], limit=1)
        samples["vp.gdpr.export"] = as_counsellor["vp.gdpr.export"].create({"case_id": case.id})
        samples["vp.signal (draft)"] = as_counsellor["vp.signal"].create(
            {"name": "Werkdruk", "organisation_id": cls.organisation.id, "body": "Veel signalen over werkdruk."}
        )
        sent_signal = as_counsellor["vp.signal"].create(
            {
                "name": "Planning",
                "organisation_id": cls.organisation.id,
                "body": "Zorgen over de planning.",
                "confirmed_anonymous": True,
            }
        )
        sent_signal.action_send()
        samples["vp.signal (sent)"] = sent_signal
        samples["vp.prevention.session"] = as_counsellor["vp.prevention.session"].create(
            {"name": "Training omgangsvormen", "organisation_id": cls.organisation.id}
        )
        samples["vp.organisation"] = cls.organisation
        samples["vp.business.unit"] = cls.unit
        samples["vp.region"] = cls.region
        samples["vp.region.postcode.range"] = cls.region.postcode_range_ids[:1]
        samples["vp.roster.line"] = cls.region.roster_line_ids[:1]
        samples["vp.counsellor.appointment"] = env.ref("vertrouwenspersoon.appointment_linde_anne")
        samples["vp.consultation"] = as_counsellor["vp.consultation"].create(
            {"organisation_id": cls.organisation.id, "adviser_id": cls.counsellor2.id, "question": "Hoe verder?"}
        )
        samples["vp.behaviour.kind"] = env.ref("vertrouwenspersoon.behaviour_kind_bullying")
        samples["vp.route"] = env["vp.route"].search([], limit=1)
        samples["vp.engagement"] = env["vp.engagement"].search([("organisation_id", "=", cls.organisation.id)], limit=1)
        samples["vp.engagement.hours"] = env["vp.engagement.hours"].search([], limit=1)
        hours = as_counsellor["account.analytic.line"].create(
            {
                "vp_time_type": "meeting",
                "vp_case_id": case.id,
                "unit_amount": 1.0,
                "date": max(samples["vp.engagement"].date_start, fields.Date.today().replace(day=1)),
                "name": "Gesprek met de melder",
            }
        )
        samples["vp.timesheet.note"] = env["vp.timesheet.note"].search([("line_id", "=", hours.id)])
        # A report needs its minimum population of requests in the year,
        # registered by the system (a counsellor's own cases are dated today).
        env["vp.case"].create(
            [
                {"organisation_id": cls.organisation.id, "request_date": "2025-03-01 10:00:00"}
                for _request in range(cls.organisation.min_report_population)
            ]
        )
        samples["vp.annual.report"] = (
            env(user=cls.manager)["vp.annual.report"]
            .create({"organisation_id": cls.organisation.id, "year": 2025})
            .sudo()
        )
        samples["vp.annual.report.wizard"] = env(user=cls.manager)["vp.annual.report.wizard"].create(
            {"organisation_id": cls.organisation.id}
        )
        samples["vp.case.date.correction"] = env(user=cls.counsellor)["vp.case.date.correction"].create(
            {
                "case_id": case.id,
                # A day before the recorded request: never the date already recorded,
                # which "now" could be when the case was opened in the same second.
                "field_name": "request_date",
                "new_value": case.sudo().request_date - timedelta(days=1),
                "reason": "registered_late",
            }
        )
        # The sample case is under a legal hold, which nobody erases: one without.
        samples["vp.case (without hold)"] = cls.new_case(cls.counsellor)
        samples["res.users"] = cls.counsellor
        samples["res.users.identitycheck"] = env(user=cls.counsellor)["res.users.identitycheck"].create({})
        samples["vp.intake.wizard"] = env(user=cls.coordinator)["vp.intake.wizard"].create(
            {"organisation_id": cls.organisation.id, "postcode": "4811"}
        )
        samples["vp.notice.send.wizard"] = as_counsellor["vp.notice.send.wizard"].create(
            {"notice_id": samples["vp.notice (draft)"].id}
        )
        samples["vp.invoicing.wizard"] = env(user=cls.accountant)["vp.invoicing.wizard"].create({})
        open_case = cls.new_case(cls.counsellor, state="open")
        samples["vp.case.close.wizard"] = as_counsellor["vp.case.close.wizard"].create({"case_id": open_case.id})
        samples["vp.case.erase.wizard"] = as_counsellor["vp.case.erase.wizard"].create({"case_id": open_case.id})
        env.flush_all()
        samples["vp.case.dashboard"] = env["vp.case.dashboard"].search([("case_id", "=", cls.case.id)])
        samples["vp.counsellor.load"] = env["vp.counsellor.load"].search([], limit=1)
        samples["vp.annual.figure"] = env["vp.annual.figure"].create(
            {"organisation_id": cls.organisation.id, "year": "2025", "section": "Matrix", "label": "Rij", "value": 12}
        )
        return samples

    # ------------------------------------------------------------------
    # The probes
    # ------------------------------------------------------------------
    def _refused(self, call):
        """True when ``call`` is refused; whatever it wrote is rolled back either way."""
        try:
            with self.env.cr.savepoint():
                call()
                self.env.flush_all()
                raise _RolledBack()
        except _RolledBack:
            return False
        except (AccessError, UserError, ValidationError):
            return True
        finally:
            self.env.invalidate_all()

    def _reads(self, record):
        """Every read channel finds the record, or every one is refused: a
        channel that finds what another refuses is a leak either way."""
        model = record.browse()
        domain = [("id", "=", record.id)]
        channels = {
            "read": lambda: bool(record.read(["display_name"])),
            "search": lambda: record in model.search(domain),
            "search_count": lambda: model.search_count(domain) == 1,
            "read_group": lambda: sum(count for (count,) in model._read_group(domain, [], ["__count"])) == 1,
            "name_search": lambda: (
                record.id in [r[0] for r in model.name_search("", domain, limit=None)]
                if model._rec_name or model._rec_names_search
                else bool(model.search(domain))
            ),
            "export_data": lambda: bool(record.export_data(["display_name"])["datas"]),
        }
        seen = {}
        for channel, probe in channels.items():
            try:
                with self.env.cr.savepoint():
                    seen[channel] = probe()
            except (AccessError, UserError):
                seen[channel] = False
        return seen

    def _create(self, record):
        """Create a record like the sample, with values of its own (unique
        constraints), as the role of ``record``'s environment."""
        model = record.browse()
        case = self.case.with_env(model.env)
        if record._name == "vp.notice":
            return lambda: model.create(model._prepare_from_case(case))
        if record._name == "vp.case":
            # A counsellor's new case is their own by default; nobody creates one for someone else.
            return lambda: model.create({"organisation_id": self.organisation.id})
        if record._name == "vp.case.link":
            return lambda: model.create(
                {"reporter_case_id": self.spare_reporter.id, "accused_case_id": self.spare_accused.id}
            )
        unique = {
            "vp.organisation": {"code": "MATRIX"},
            "vp.region": {"code": "MATRIX"},
            "vp.behaviour.kind": {"code": "matrix"},
            "vp.route": {"code": "matrix"},
            "vp.engagement": {"organisation_id": self.spare_organisation.id},
            "vp.annual.report": {"year": 2024},
            "vp.intake.throttle": {"key": "matrix"},
            "vp.case.message": {"body": "Nog een bericht."},
            "vp.case.receipt": {"case_id": self.spare_reporter.id, "lookup": "matrix"},
            "vp.roster.line": {"region_id": self.spare_region.id},
            "vp.counsellor.appointment": {"organisation_id": self.spare_organisation.id},
            # The sample's backup supports the other side of a linked case: another colleague.
            "vp.case.handover": {"to_user_id": self.spare_counsellor.id},
        }.get(record._name, {})
        vals = record.sudo().copy_data()[0]
        for name in list(vals):
            field = record._fields[name]
            if not field.store or field.compute or name.endswith("_ciphertext") or field.type == "one2many":
                vals.pop(name)
            elif name in getattr(record, "_vp_guarded_fields", {}) and name != "counsellor_id":
                # Set by the system (states, who signed or sent, when): a client's record starts
                # without them. The owner stays: nobody creates a record for another counsellor.
                vals.pop(name)
        vals.update(unique)
        if record._name == "vp.region.postcode.range":
            # Ranges never overlap: the sample makes room for its copy.
            return lambda: (record.sudo().unlink(), model.create(vals))
        return lambda: model.create(vals)

    def test_every_model_has_a_row(self):
        models = {name for name, model in self.env.registry.items() if name.startswith("vp.") and not model._abstract}
        stated = {key.split(" (")[0] for key in MATRIX}
        self.assertEqual(models - stated, set(), "models without a row in the access matrix")
        self.assertEqual(stated - models, set(), "rows for models that do not exist")

    def test_matrix(self):
        failures = []
        for key, allowed_by_role in MATRIX.items():
            sample = self.samples[key]
            self.assertTrue(sample, f"no sample record for {key}")
            for role in ROLES:
                user = self.users[role]
                allowed = allowed_by_role.get(role, "")
                record = sample.with_user(user).with_env(sample.env(user=user, su=False))
                seen = self._reads(record)
                expect_read = "R" in allowed
                for channel, found in seen.items():
                    if found != expect_read:
                        failures.append(f"{key} / {role}: {channel} {'finds' if found else 'refuses'} the record")
                checks = {
                    "W": lambda record=record: record.write({}),
                    "D": lambda record=record: record.unlink(),
                    "C": self._create(record),
                }
                for letter, call in checks.items():
                    done = not self._refused(call)
                    if done != (letter in allowed):
                        failures.append(f"{key} / {role}: {letter} {'allowed' if done else 'refused'}")
        self.assertFalse(failures, "\n".join(failures))

    def test_public_methods(self):
        failures = []
        for (key, method), allowed in METHODS.items():
            sample = self.samples[key]
            self.assertTrue(sample, f"no sample record for {key}")
            for role in ROLES:
                record = sample.with_env(sample.env(user=self.users[role], su=False))
                function = getattr(type(record), method)
                # Past Odoo's identity check (which needs a browser session): who may, once it passed.
                function = getattr(function, "__wrapped__", function)
                done = not self._refused(lambda function=function, record=record: function(record))
                if done != (role in allowed):
                    failures.append(f"{key}.{method} / {role}: {'allowed' if done else 'refused'}")
        self.assertFalse(failures, "\n".join(failures))

    # ------------------------------------------------------------------
    # Mail, attachments, reports
    # ------------------------------------------------------------------
    def test_nobody_posts_or_attaches_on_confidential_records(self):
        """No role puts text or a file on a confidential record through
        the chatter or an attachment; only the system tracks its own changes."""
        failures = []
        for key in ("vp.case", "vp.notice (sent)", "vp.breach"):
            sample = self.samples[key]
            for role in ROLES:
                user = self.users[role]
                record = sample.with_env(sample.env(user=user, su=False))
                probes = {
                    f"message_post {kind}": lambda record=record, kind=kind: record.message_post(
                        body="Melder J. Jansen", message_type=kind
                    )
                    for kind in ("comment", "notification", "email")
                    if hasattr(record, "message_post")
                }
                probes["mail.message create"] = lambda record=record: record.env["mail.message"].create(
                    {"model": record._name, "res_id": record.id, "body": "Melder J. Jansen", "message_type": "comment"}
                )
                for res_field in (False, "name"):
                    probes[f"attachment res_field={res_field}"] = lambda record=record, res_field=res_field: record.env[
                        "ir.attachment"
                    ].create(
                        {
                            "name": "verslag.txt",
                            "raw": b"Melder J. Jansen",
                            "res_model": record._name,
                            "res_id": record.id,
                            "res_field": res_field,
                        }
                    )
                for probe, call in probes.items():
                    if not self._refused(call):
                        failures.append(f"{key} / {role}: {probe} went through")
        self.assertFalse(failures, "\n".join(failures))

    def test_reports_by_role(self):
        """Each report of the addon renders only for the roles that may print it."""
        printable_by = {
            "vertrouwenspersoon.vp_processing_record_report": ({"coordinator"}, self.samples["vp.organisation"]),
            "vertrouwenspersoon.vp_annual_report_action_report_html": (
                {"counsellor", "counsellor2", "manager"},
                self.samples["vp.annual.report"],
            ),
            "vertrouwenspersoon.vp_annual_report_action_report_pdf": (
                {"counsellor", "counsellor2", "manager"},
                self.samples["vp.annual.report"],
            ),
        }
        addon_reports = self.env["ir.actions.report"].search([("report_name", "=like", "vertrouwenspersoon.%")])
        self.assertEqual(
            set(addon_reports.get_external_id().values()), set(printable_by), "every report has a row here"
        )
        failures = []
        for xmlid, (roles, sample) in printable_by.items():
            report = self.env.ref(xmlid)
            for role in ROLES:
                user = self.users[role]
                reports = self.env(user=user, su=False)["ir.actions.report"]
                # HTML for both: the access checks are the same, and no wkhtmltopdf run is needed.
                rendered = self._renders(reports, report, sample)
                if rendered != (role in roles):
                    failures.append(f"{xmlid} / {role}: {'rendered' if rendered else 'refused'}")
        self.assertFalse(failures, "\n".join(failures))

    def _renders(self, reports, report, sample):
        try:
            with self.env.cr.savepoint():
                reports._render_qweb_html(report.report_name, sample.ids)
            return True
        except (AccessError, UserError):
            return False
        except QWebException as error:
            # A template that reaches a record the user may not read is refused
            # too, but late: the check must come before any rendering.
            if isinstance(error.__cause__, AccessError):
                return False
            raise
        finally:
            self.env.invalidate_all()
