"""What users do in the browser: each role's main flow as a tour in headless
Chromium, through the menus, forms and buttons a person uses, as the Dutch demo
users; and the form-level checks of what a person sees there (list headers,
formats, what each role's forms offer)."""

import json
import subprocess
import tempfile
from datetime import date
from unittest.mock import patch

import openpyxl
from lxml import etree

from odoo import SUPERUSER_ID
from odoo.exceptions import UserError
from odoo.tests import Form, HttpCase, TransactionCase, tagged
from odoo.tools import config
from odoo.tools.safe_eval import safe_eval

from .common import DEMO_PASSPHRASES, TotpTourMixin, demo_user, unlocked

# The walk's screen: every role's tour runs at this size.
WALK_SIZE = "1440x900"


def start_tour_counting_clicks(case, url, tour, **kwargs):
    """Run a role's tour: it counts its clicks and fails when the flow needs more than its
    bound (vp_tour_steps.countClicks; the bounds are in docs/WORK_PER_ROLE.md)."""
    return case.start_tour(url, tour, **kwargs)


@tagged("post_install", "-at_install")
class TestAnnualReportWizardForm(TransactionCase):
    """The wizard offered no organisation in the form, because the web
    client's onchange() never ran the dependency-less compute."""

    def _offered(self, role):
        wizard = self.env["vp.annual.report.wizard"].with_user(demo_user(self.env, role))
        spec = {"allowed_organisation_ids": {}, "organisation_id": {}, "year": {}}
        values = wizard.onchange({}, [], spec)["value"]
        # x2many values come as commands, (LINK, id, values) per record
        return [command[1] for command in values["allowed_organisation_ids"]], Form(wizard)

    def test_management_is_offered_every_organisation(self):
        offered, form = self._offered("manager")
        organisations = self.env["vp.organisation"].search([])
        self.assertEqual(sorted(offered), sorted(organisations.ids))
        form.organisation_id = self.env.ref("vertrouwenspersoon.organisation_zorggroep")
        self.assertEqual(form.save().organisation_id.name, "Zorggroep De Linde")

    def test_counsellor_is_offered_her_own_organisations(self):
        counsellor = demo_user(self.env, "counsellor")
        offered, _form = self._offered("counsellor")
        own = self.env["vp.organisation"].search([]).filtered(lambda org: counsellor in org.counsellor_ids)
        self.assertTrue(own)
        self.assertEqual(sorted(offered), sorted(own.ids))


@tagged("post_install", "-at_install")
class TestManagementTour(HttpCase):
    browser_size = WALK_SIZE

    def test_management_prints_pdf_and_xlsx_from_the_wizard(self):
        """Management opens the app (lands on the annual reports),
        prints the PDF from the wizard and downloads the XLSX from it."""
        Report = self.env.registry["ir.actions.report"]
        AnnualReport = self.env.registry["vp.annual.report"]
        render_pdf, render_xlsx = Report._render_qweb_pdf, AnnualReport._vp_render_xlsx
        pdfs, workbooks = [], []

        def spy_pdf(report, report_ref, res_ids=None, data=None):
            # In test mode Odoo answers the download with the HTML rendering: wkhtmltopdf
            # would fetch the stylesheets from this server, which serves one request at a
            # time in a test. The PDF itself is rendered below, after the tour.
            pdfs.append((report_ref, res_ids))
            return render_pdf(report, report_ref, res_ids=res_ids, data=data)

        def spy_xlsx(report):
            result = render_xlsx(report)
            workbooks.append(result)
            return result

        # wkhtmltopdf loads the stylesheets from this test's own server
        self.env["ir.config_parameter"].sudo().set_param("report.url", f"http://127.0.0.1:{config['http_port']}")
        # The counsellor prepared her observations for 2025; management's report carries them.
        linde = self.env.ref("vertrouwenspersoon.organisation_zorggroep")
        self.env["vp.annual.report.wizard"].with_user(demo_user(self.env, "counsellor")).create(
            {"organisation_id": linde.id, "year": 2025, "observations": "Werkdruk blijft het belangrijkste thema."}
        )._vp_create_report()
        before = self.env["vp.annual.report"].search([])
        with (
            patch.object(Report, "_render_qweb_pdf", spy_pdf),
            patch.object(AnnualReport, "_vp_render_xlsx", spy_xlsx),
        ):
            start_tour_counting_clicks(self, "/odoo", "vp_management_tour", login="vp_manager")
        reports = self.env["vp.annual.report"].search([]) - before
        self.assertEqual(len(reports), 2, "one report per click, made by the wizard")
        self.assertEqual(set(reports.mapped("year")), {2025})
        self.assertEqual(reports.organisation_id, self.env.ref("vertrouwenspersoon.organisation_zorggroep"))
        self.assertEqual(len(pdfs), 1, "the browser downloaded the PDF")
        report_ref, res_ids = pdfs[0]
        self.assertEqual(report_ref, "vertrouwenspersoon.vp_annual_report_document")
        printed = self.env["vp.annual.report"].browse(res_ids)
        self.assertEqual(printed.observations, "Werkdruk blijft het belangrijkste thema.")
        content = (
            self.env["ir.actions.report"]
            .with_user(demo_user(self.env, "manager"))
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(report_ref, res_ids)[0]
        )
        self.assertTrue(content.startswith(b"%PDF"))
        with tempfile.NamedTemporaryFile(suffix=".pdf") as pdf:
            pdf.write(content)
            pdf.flush()
            text = subprocess.run(["pdftotext", pdf.name, "-"], capture_output=True, text=True, check=True).stdout
        self.assertIn("Zorggroep De Linde", text)
        self.assertIn("Werkdruk blijft het belangrijkste thema.", text)
        self.assertEqual(len(workbooks), 1, "the browser downloaded the XLSX")
        with tempfile.NamedTemporaryFile(suffix=".xlsx") as xlsx:
            xlsx.write(workbooks[0])
            xlsx.flush()
            book = openpyxl.load_workbook(xlsx.name)
        self.assertTrue(book.sheetnames)


@tagged("post_install", "-at_install")
class TestCounsellorTour(HttpCase):
    browser_size = WALK_SIZE

    def test_counsellor_registers_and_works_a_case(self):
        """Nieuw works without picking herself; no composer on the case;
        the notice is sent after a confirmation that names the recipients;
        plus a meeting, a consent and a handover, all through the form."""
        counsellor = demo_user(self.env, "counsellor")
        before = self.env["vp.case"].search([])
        start_tour_counting_clicks(self, "/odoo", "vp_counsellor_tour", login="vp_counsellor")
        case = (self.env["vp.case"].search([]) - before).with_user(counsellor)
        self.assertEqual(len(case), 1)
        self.assertEqual(case.counsellor_id, counsellor)
        # She typed the name in her unlocked browser; here the test stands in for her passphrase.
        with unlocked(self.env, "counsellor"):
            self.assertEqual(case.employee_name, "Sanne Visser")
            # What was discussed went with the meeting, the approved text through the consent's form
            self.assertEqual(case.meeting_ids.note, "Eerste gesprek: werkdruk op de afdeling besproken.")
            self.assertEqual(case.consent_ids.approved_summary, "Medewerker ervaart hoge werkdruk op de afdeling.")
        # Closed through the closing check, with its registration complete.
        self.assertEqual(case.state, "closed")
        self.assertTrue(case.behaviour_kind_ids)
        self.assertTrue(case.route_ids)
        self.assertEqual(case.meeting_ids.mapped("duration"), [0.75])
        # The meeting logged her hours: the meeting itself, and travel (never billed).
        hours = case.meeting_ids.timesheet_ids
        self.assertEqual(
            sorted(zip(hours.mapped("vp_time_type"), hours.mapped("unit_amount"), strict=True)),
            [("meeting", 0.75), ("travel", 0.5)],
        )
        self.assertEqual(hours.user_id, counsellor)
        self.assertEqual(case.consent_ids.level, "name_summary")
        self.assertEqual(case.notice_ids.state, "sent")
        self.assertEqual(case.notice_ids.recipient_user_ids, demo_user(self.env, "hr"))
        self.assertEqual(case.handover_ids.to_user_id, demo_user(self.env, "counsellor2"))


@tagged("post_install", "-at_install")
class TestSignalAndMenuTour(HttpCase):
    browser_size = "1440x900"

    def test_menu_bar_fits_and_signal_refused_before_confirmation(self):
        """At 1440px the counsellor's menu bar shows everything (Reporting holds the
        annual reports, signals and prevention sessions); Send on a signal without the
        anonymity box refuses at once, and only a ticked box gets the "really send?"."""
        before = self.env["vp.signal"].search([])
        self.start_tour("/odoo", "vp_signal_tour", login="vp_counsellor")
        signal = self.env["vp.signal"].search([]) - before
        self.assertEqual(len(signal), 1)
        self.assertEqual(signal.state, "draft", "she cancelled the confirmation")
        self.assertTrue(signal.confirmed_anonymous)
        self.assertFalse(signal.recipient_user_ids)


@tagged("post_install", "-at_install")
class TestListHeadersAt1440(HttpCase):
    browser_size = "1440x900"

    # (role, action, view type): each role's lists, as the role that uses them
    LISTS = (
        ("coordinator", "vp_case_action", "list"),
        ("counsellor", "vp_case_action_counsellor", "list"),
        ("counsellor", "vp_case_action_deadlines", "list"),
        ("counsellor", "vp_notice_action", "list"),
        ("counsellor", "vp_annual_report_action", "list"),
        ("counsellor", "vp_audit_log_action", "list"),
        ("coordinator", "vp_case_reassignment_action", "list"),
    )

    def test_no_column_header_is_truncated(self):
        """Headers like "Datum ondersteuni…" were cut off at 1440px; the list columns
        carry shorter labels."""
        for role, action, view_type in self.LISTS:
            with self.subTest(action=action):
                login = demo_user(self.env, role).login
                url = f"/odoo/action-vertrouwenspersoon.{action}?view_type={view_type}"
                tour = "vp_list_headers_counsellor_tour" if role == "counsellor" else "vp_list_headers_tour"
                self.start_tour(url, tour, login=login)


@tagged("post_install", "-at_install")
class TestDatetimesWithoutSeconds(TransactionCase):
    def _datetime_fields(self, node, model, view, found):
        for child in node.iterchildren(tag="field"):
            field = model._fields.get(child.get("name"))
            if field is not None and field.type == "datetime":
                found.append((view.xml_id, field.name, child))
        for child in node:
            if not isinstance(child.tag, str):
                continue
            field = model._fields.get(child.get("name")) if child.tag == "field" else None
            if field is not None and field.relational and len(child):
                self._datetime_fields(child, self.env[field.comodel_name], view, found)  # an inline list or form
            elif field is None:
                self._datetime_fields(child, model, view, found)

    def test_own_views_show_datetimes_without_seconds(self):
        """Datetimes as "12-11-2026 17:10", not "12-11-2026 17:10:00", wherever the addon's own list
        and form views show a date and time (Odoo 18's datetime widget: show_seconds)."""
        views = self.env["ir.ui.view"].search(
            [("model_data_id.module", "=", "vertrouwenspersoon"), ("type", "in", ("list", "form"))]
        )
        found = []
        for view in views.filtered(lambda v: v.model in self.env):
            self._datetime_fields(etree.fromstring(view.arch_db.encode()), self.env[view.model], view, found)
        self.assertGreater(len(found), 20)
        with_seconds = [
            (view, name)
            for view, name, node in found
            if node.get("widget") in (None, "datetime", "daterange")
            and safe_eval(node.get("options") or "{}", {"false": False, "true": True}).get("show_seconds", True)
        ]
        self.assertFalse(with_seconds)


@tagged("post_install", "-at_install")
class TestMenusPerRole(TransactionCase):
    def _top_menus(self, role):
        user = demo_user(self.env, role)
        menus = self.env["ir.ui.menu"].with_user(user).load_menus(False)
        root = self.env.ref("vertrouwenspersoon.menu_root")
        xmlids = {menu["id"]: menu["xmlid"] for key, menu in menus.items() if key != "root"}
        return [xmlids[child] for child in menus[root.id]["children"]], menus

    def test_reporting_groups_what_overflowed(self):
        """Annual reports, signals and prevention sessions under one top menu, so the
        counsellor's bar has room; every role still lands where it did."""
        top, menus = self._top_menus("counsellor")
        for xmlid in ("vp_annual_report_menu", "vp_signal_menu", "vp_prevention_session_menu"):
            self.assertNotIn(f"vertrouwenspersoon.{xmlid}", top)
            menu = self.env.ref(f"vertrouwenspersoon.{xmlid}")
            self.assertEqual(menu.parent_id, self.env.ref("vertrouwenspersoon.menu_reporting"))
        # The breaches and the content access log, which took a third of the bar, under one menu.
        for xmlid in ("vp_breach_menu", "vp_audit_log_menu"):
            menu = self.env.ref(f"vertrouwenspersoon.{xmlid}")
            self.assertEqual(menu.parent_id, self.env.ref("vertrouwenspersoon.menu_accountability"))
        self.assertIn("vertrouwenspersoon.menu_reporting", top)
        self.assertIn("vertrouwenspersoon.menu_accountability", top)
        self.assertLessEqual(len(top), 7)
        self.assertEqual(top[0], "vertrouwenspersoon.vp_case_menu_counsellor")
        # Management lands on the annual reports, HR on the notices (the first menu with an action).
        self.assertEqual(self._top_menus("manager")[0], ["vertrouwenspersoon.menu_reporting"])
        self.assertEqual(self._top_menus("hr")[0][0], "vertrouwenspersoon.vp_notice_menu")
        reporting = self.env.ref("vertrouwenspersoon.menu_reporting")
        menus = self.env["ir.ui.menu"].with_user(demo_user(self.env, "manager")).load_menus(False)
        first = menus[menus[reporting.id]["children"][0]]
        self.assertEqual(first["xmlid"], "vertrouwenspersoon.vp_annual_report_menu")


@tagged("post_install", "-at_install")
class TestFormsPerRole(TransactionCase):
    def _form_buttons(self, role, model="vp.case"):
        user = demo_user(self.env, role)
        arch = self.env[model].with_user(user).get_views([(False, "form")])["views"]["form"]["arch"]
        return arch

    def test_coordinator_is_offered_no_state_change(self):
        """The coordinator's case form has no Start, Aftercare, Close or Reopen."""
        coordinator = self._form_buttons("coordinator")
        counsellor = self._form_buttons("counsellor")
        for action in ("action_open", "action_aftercare", "action_vp_close_check", "action_reopen"):
            self.assertNotIn(f'name="{action}"', coordinator)
            self.assertIn(f'name="{action}"', counsellor)

    def test_counsellor_sees_her_counsellor_field_read_only(self):
        """The counsellors' own action defaults the counsellor to herself."""
        counsellor = demo_user(self.env, "counsellor")
        action = self.env.ref("vertrouwenspersoon.vp_case_action_counsellor")
        self.assertIn("'default_counsellor_id': uid", action.context)
        Case = self.env["vp.case"].with_user(counsellor).with_context(default_counsellor_id=counsellor.id)
        form = Form(Case)
        self.assertEqual(form.counsellor_id, counsellor)


@tagged("post_install", "-at_install")
class TestDutchDemoAndReport(TransactionCase):
    def test_demo_company_and_customers_are_dutch(self):
        company = self.env.ref("base.main_company")
        self.assertEqual(company.country_id.code, "NL")
        self.assertEqual(company.paperformat_id, self.env.ref("base.paperformat_euro"), "A4")
        for organisation in self.env["vp.organisation"].search([]):
            self.assertEqual(organisation.partner_id.lang, "nl_NL", organisation.name)
        hour = self.env.ref("vertrouwenspersoon.product_counsellor_hour")
        # (l10n_nl's demo company, installed by bin/test, adds its own 21% to the product)
        self.assertEqual(hour.taxes_id.filtered(lambda tax: tax.company_id == company).mapped("amount"), [21.0])
        # Dutch is loaded for Odoo's own modules too, not only for this addon
        menu = self.env.ref("hr.menu_hr_root").with_context(lang="nl_NL")
        self.assertEqual(menu.name, "Werknemers")

    def test_report_in_dutch_formats(self):
        """Years without separators, decimals with a comma, the period and
        the confidentiality marking on the first page."""

        def printed_in_dutch(role, year):
            """The demo organisation's report of ``year``, made and printed by ``role`` in Dutch."""
            env = self.env(user=demo_user(self.env, role), context=dict(self.env.context, lang="nl_NL"))
            report = env["vp.annual.report"].create(
                {"organisation_id": self.env.ref("vertrouwenspersoon.organisation_zorggroep").id, "year": year}
            )
            html = (
                env["ir.actions.report"]
                ._render_qweb_html("vertrouwenspersoon.vp_annual_report_action_report_html", report.ids)[0]
                .decode()
            )
            return report, html

        _report, html = printed_in_dutch("manager", 2025)
        self.assertNotIn("2.025", html)
        self.assertIn("2025", html)
        self.assertIn("31 december 2025", html.lower())
        self.assertIn("o_vp_section", html)
        # The demo's hours are of the running year, which its counsellors may preview.
        report, html = printed_in_dutch("counsellor", 2026)
        lines = report._vp_figures()["hours"]
        hours = [value for line in lines for value in line["values"] if isinstance(value, float)]
        self.assertTrue(hours, "the demo has hours by time type")
        self.assertIn(str(hours[0]).replace(".", ","), html)


@tagged("post_install", "-at_install")
class TestHrTour(HttpCase):
    browser_size = WALK_SIZE

    def test_hr_opens_and_acknowledges_a_notice(self):
        hr = demo_user(self.env, "hr")
        waiting = self.env["vp.notice"].search(
            [("state", "=", "sent"), ("recipient_user_ids", "in", hr.ids), ("level", "!=", "anonymous")]
        )
        self.assertTrue(waiting, "the demo has a notice with a name waiting for HR")
        # Its key is sealed for HR's own key pair: the tour unlocks through the dialog.
        self.assertTrue(
            self.env["vp.record.grant"]
            .sudo()
            .search([("res_model", "=", "vp.notice"), ("res_id", "in", waiting.ids), ("user_id", "=", hr.id)])
        )
        start_tour_counting_clicks(self, "/odoo", "vp_hr_tour", login="vp_hr")
        self.assertIn("acknowledged", waiting.mapped("state"))
        self.assertEqual(waiting.filtered(lambda n: n.state == "acknowledged").acknowledged_by_id, hr)


def _set_roster_room(env, region_xmlid, room):
    """Give every counsellor on a region's roster ``room`` free places (0: full)."""
    lines = env.ref(region_xmlid).roster_line_ids
    load = env["vp.roster.line"]._vp_open_case_counts(lines.user_id.ids)
    for line in lines:
        line.max_open_cases = load.get(line.user_id.id, 0) + room


@tagged("post_install", "-at_install")
class TestCoordinatorTour(HttpCase):
    browser_size = WALK_SIZE

    def test_coordinator_assigns_registers_and_reassigns(self):
        """A roster assignment says who got the case; when nobody is free the
        coordinator is told so, asking again adds no second to-do, and she can assign
        anyway; the wizard shows the capacity and leaves the current counsellor out;
        the phone intake goes through the wizard."""
        coordinator = demo_user(self.env, "coordinator")
        anne, bram = demo_user(self.env, "counsellor"), demo_user(self.env, "counsellor2")
        _set_roster_room(self.env, "vertrouwenspersoon.region_noord", 0)
        _set_roster_room(self.env, "vertrouwenspersoon.region_zuid", 0)
        Case = self.env["vp.case"]
        waiting = Case.with_user(SUPERUSER_ID)._vp_register_request(
            self.env.ref("vertrouwenspersoon.organisation_zorggroep"),
            "5611 AB",
            "phone",
            {"employee_phone": "0612345678"},
        )
        # Nobody free: the duty counsellor holds it until the coordinator places it.
        self.assertTrue(waiting.placed_on_duty)
        _set_roster_room(self.env, "vertrouwenspersoon.region_zuid", 5)
        before = Case.search([])
        start_tour_counting_clicks(self, f"/odoo/vp.case/{waiting.id}", "vp_coordinator_tour", login="vp_coordinator")
        self.assertEqual(waiting.counsellor_id, anne)
        phoned = Case.search([]) - before
        self.assertEqual(len(phoned), 1)
        self.assertEqual(phoned.intake_channel, "phone")
        self.assertEqual(phoned.organisation_id, self.env.ref("vertrouwenspersoon.organisation_gemeente"))
        self.assertEqual(phoned.counsellor_id, anne)
        log = phoned.reassignment_ids.sorted("id")
        self.assertEqual(log.mapped("to_user_id"), bram | anne)
        self.assertEqual(log.mapped("reason"), ["Bram kent de regio", "Werkverdeling"])
        self.assertEqual(set(log.mapped("reassigned_by_id")), {coordinator})
        # Assigning by hand ended the coordinators' to-do of this request.
        assign = self.env.ref("vertrouwenspersoon.mail_activity_type_vp_assign")
        todo = self.env["mail.activity"].search(
            [
                ("res_model", "=", "vp.case"),
                ("res_id", "in", (waiting | phoned).ids),
                ("activity_type_id", "=", assign.id),
            ]
        )
        self.assertFalse(todo)


@tagged("post_install", "-at_install")
class TestCoordinatorAssignment(TransactionCase):
    def _nobody_free_request(self):
        _set_roster_room(self.env, "vertrouwenspersoon.region_noord", 0)
        return (
            self.env["vp.case"]
            .with_user(SUPERUSER_ID)
            ._vp_register_request(
                self.env.ref("vertrouwenspersoon.organisation_gemeente"), "9801 AB", "phone", {"employee_phone": "06"}
            )
        )

    def test_nobody_free_is_said_once_with_names(self):
        coordinator = demo_user(self.env, "coordinator")
        case = self._nobody_free_request().with_user(coordinator)
        self.assertTrue(case.placed_on_duty)
        for name in ("Bram Jansen", "Anne de Vries"):
            self.assertIn(name, case.assignment_note)
        assign = self.env.ref("vertrouwenspersoon.mail_activity_type_vp_assign")
        domain = [("res_model", "=", "vp.case"), ("res_id", "=", case.id), ("activity_type_id", "=", assign.id)]
        first = self.env["mail.activity"].search(domain)
        self.assertEqual(first.user_id, self.env.ref("vertrouwenspersoon.group_coordinator").users)
        action = case.action_assign_by_roster()
        self.assertEqual(action["params"]["type"], "warning")
        self.assertIn(case.name, action["params"]["message"])
        self.assertEqual(self.env["mail.activity"].search(domain), first, "no second to-do")
        # Room again: the roster assigns, says to whom, and the to-do is done.
        _set_roster_room(self.env, "vertrouwenspersoon.region_noord", 1)
        action = case.action_assign_by_roster()
        self.assertEqual(action["params"]["type"], "success")
        self.assertIn(case.counsellor_id.name, action["params"]["message"])
        self.assertFalse(self.env["mail.activity"].search(domain))

    def test_reassignment_warns_about_capacity(self):
        coordinator = demo_user(self.env, "coordinator")
        anne, bram = demo_user(self.env, "counsellor"), demo_user(self.env, "counsellor2")
        case = self._nobody_free_request()
        self.assertEqual(case.counsellor_id, anne, "the duty counsellor holds it meanwhile")
        Wizard = self.env["vp.case.reassign.wizard"].with_user(coordinator).with_context(default_case_id=case.id)
        form = Form(Wizard)
        self.assertIn(bram, form.allowed_counsellor_ids)
        form.counsellor_id = bram
        self.assertTrue(form.over_capacity)
        self.assertIn("Bram Jansen", form.capacity_note)
        form.reason = "Werkverdeling"
        form.save().action_reassign()
        self.assertEqual(case.counsellor_id, bram)
        form = Form(Wizard)
        self.assertNotIn(bram, form.allowed_counsellor_ids, "the current counsellor is not offered")
        _set_roster_room(self.env, "vertrouwenspersoon.region_noord", 3)
        form.counsellor_id = anne
        self.assertFalse(form.over_capacity)
        self.assertIn("Anne de Vries", form.capacity_note)
        # The current counsellor cannot be forced in over RPC either.
        wizard = Wizard.create({"counsellor_id": anne.id, "reason": "x"})
        wizard.counsellor_id = bram
        with self.assertRaises(UserError):
            wizard.action_reassign()


@tagged("post_install", "-at_install")
class TestAccountantTour(HttpCase):
    browser_size = WALK_SIZE

    def test_accountant_invoices_a_month_and_opens_the_specification(self):
        """The accountant lands on the hours, invoices February 2026 from the
        wizard's month picker and downloads an invoice's specification."""
        Move = self.env.registry["account.move"]
        render = Move._vp_specification_xlsx
        workbooks = []

        def spy(move):
            workbooks.append((move.id, render(move)))
            return workbooks[-1][1]

        before = self.env["account.move"].search([("vp_engagement_id", "!=", False)])
        with patch.object(Move, "_vp_specification_xlsx", spy):
            start_tour_counting_clicks(self, "/odoo", "vp_accountant_tour", login="vp_accountant")
        invoices = self.env["account.move"].search([("vp_engagement_id", "!=", False)]) - before
        self.assertTrue(invoices)
        self.assertEqual(set(invoices.mapped("vp_period")), {date(2026, 2, 1)})
        self.assertEqual(set(invoices.mapped("state")), {"draft"})
        self.assertEqual(invoices.create_uid, demo_user(self.env, "accountant"))
        self.assertEqual(len(workbooks), 1, "the browser downloaded one specification")
        move_id, content = workbooks[0]
        self.assertIn(move_id, invoices.ids)
        with tempfile.NamedTemporaryFile(suffix=".xlsx") as xlsx:
            xlsx.write(content)
            xlsx.flush()
            sheet = openpyxl.load_workbook(xlsx.name).active
        cells = [str(cell) for row in sheet.iter_rows(values_only=True) for cell in row if cell is not None]
        self.assertIn("Totaal exclusief btw", cells, "in the customer's Dutch")


@tagged("post_install", "-at_install")
class TestIntakeAtPhoneWidth(HttpCase):
    browser_size = "390x844"
    touch_enabled = True

    def test_employee_submits_the_intake_page_on_a_phone(self):
        """The employee's flow on a phone-width screen: the page fits, the request is filed once."""
        Case = self.env["vp.case"]
        before = Case.search([("intake_channel", "=", "web")])
        self.start_tour("/vertrouwenspersoon/contact", "vp_intake_phone_tour")
        case = Case.search([("intake_channel", "=", "web")]) - before
        self.assertEqual(len(case), 1)
        self.assertEqual(case.organisation_id, self.env.ref("vertrouwenspersoon.organisation_zorggroep"))


@tagged("post_install", "-at_install")
class TestAnnualReportForManagement(TransactionCase):
    """A first page with organisation, period, counsellors, key figures and a
    trend; sections that do not split; charts of hidden numbers left out; A4."""

    def _report(self, role, year):
        user = demo_user(self.env, role)
        env = self.env(user=user, context=dict(self.env.context, lang="nl_NL"))
        organisation = self.env.ref("vertrouwenspersoon.organisation_zorggroep")
        return env["vp.annual.report"].create({"organisation_id": organisation.id, "year": year})

    def test_trend_follows_the_suppression_rules(self):
        report = self._report("counsellor", 2026)
        counts = {
            2022: {},
            2023: {"requests": 12, "cases": 12},
            2024: {"requests": 14, "cases": 3},
            2025: {"requests": 7, "cases": 7},
            2026: {"requests": 20, "cases": 17},
        }
        complement = dict.fromkeys(counts, 0)
        layout = [{"code": "requests", "rows": [("requests", "Requests"), ("cases", "Cases")], "total": None}]
        trend = report._vp_publish_trend(tuple(counts), counts, complement, layout)
        self.assertEqual([row["year"] for row in trend], [2023, 2024, 2025, 2026], "from the first year with requests")
        shown = [(row["requests_display"], row["cases_display"]) for row in trend]
        # 2024: 3 cases is a small cell; 2025: fewer than k requests, withheld.
        self.assertEqual(shown, [("12", "12"), ("14", "< 5"), ("-", "-"), ("20", "17")])
        self.assertEqual([row["cases"] for row in trend], [12, None, None, 17], "no bar for a hidden number")
        # The report's own years show exactly what its tables show.
        figures = report._vp_figures()
        table = next(table for table in figures["tables"] if table["code"] == "requests")
        by_year = {row["year"]: row for row in figures["trend"]}
        for index, year in enumerate((figures["year"], figures["previous_year"])):
            for line in table["rows"]:
                self.assertEqual(by_year[year][f"{line['key']}_display"], line["values"][index]["display"])

    def test_first_page_and_pdf(self):
        report = self._report("counsellor", 2026)
        figures = report._vp_figures()
        self.assertEqual([row["year"] for row in figures["trend"]][-2:], [2025, 2026])
        html = (
            report.env["ir.actions.report"]
            ._render_qweb_html("vertrouwenspersoon.vp_annual_report_action_report_html", report.ids)[0]
            .decode()
        )
        for marker in ("o_vp_cover", "o_vp_key_figures", "o_vp_trend", "page-break-inside: avoid", "Anne de Vries"):
            self.assertIn(marker, html)
        pdf_action = self.env.ref("vertrouwenspersoon.vp_annual_report_action_report_pdf")
        self.assertEqual(pdf_action.paperformat_id.format, "A4")
        self.env["ir.config_parameter"].sudo().set_param("report.url", f"http://127.0.0.1:{config['http_port']}")
        content = (
            report.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf("vertrouwenspersoon.vp_annual_report_document", report.ids)[0]
        )
        with tempfile.NamedTemporaryFile(suffix=".pdf") as pdf:
            pdf.write(content)
            pdf.flush()
            text = subprocess.run(["pdftotext", "-layout", pdf.name, "-"], capture_output=True, text=True, check=True)
        first_page = text.stdout.split("\f")[0]
        self.assertIn("Zorggroep De Linde", first_page)
        self.assertIn("Anne de Vries", first_page)
        for row in figures["trend"]:
            self.assertRegex(first_page, rf"{row['year']}\s+{row['requests_display']}")
        self.assertNotIn("2.026", text.stdout, "years without a thousands separator")


@tagged("post_install", "-at_install")
class TestWalkProposalsInTheBrowser(TotpTourMixin, HttpCase):
    """The walk's proposals, through the browser: the role as one selection on the user
    form and each role's own home screen; the receipt code's dialog, the conversation with
    the reporter, and erasing with a typed case number."""

    browser_size = WALK_SIZE

    def test_administrator_gives_a_role_and_the_user_lands_on_its_screen(self):
        user = self.env["res.users"].create({"name": "Nieuwe coördinator", "login": "vp_new_coordinator",
                                             "password": "vp_new_coordinator", "lang": "nl_NL"})  # fmt: skip
        self.assertFalse(user.action_id)
        url = f"/odoo/action-base.action_res_users/{user.id}"
        start_tour_counting_clicks(self, url, "vp_admin_role_tour", login="admin")
        self.assertTrue(user.has_group("vertrouwenspersoon.group_coordinator"))
        self.assertEqual(user.action_id.id, self.env.ref("vertrouwenspersoon.vp_case_action_unassigned").id)
        self.start_tour("/odoo", "vp_coordinator_home_tour", login="vp_new_coordinator")

    def test_receipt_code_dialog_conversation_and_erase(self):
        anne = demo_user(self.env, "counsellor")
        with unlocked(self.env, "counsellor"):
            case = (
                self.env["vp.case"]
                .with_user(anne)
                .create(
                    {
                        "organisation_id": self.env.ref("vertrouwenspersoon.organisation_zorggroep").id,
                        "region_id": self.env.ref("vertrouwenspersoon.region_zuid").id,
                        "employee_name": "Belde zelf",
                    }
                )
            )
        storage = {
            "vp_test_passphrase": DEMO_PASSPHRASES["counsellor"],
            "vp_test_case_url": f"/odoo/action-vertrouwenspersoon.vp_case_action_counsellor/{case.id}",
        }
        setup = "".join(f"sessionStorage.setItem({json.dumps(k)}, {json.dumps(v)});" for k, v in storage.items())
        code = f"{setup} odoo.startTour('vp_safety_tour', {json.dumps({'stepDelay': 0, 'keepWatchBrowser': False})})"
        start_tour_counting_clicks(self, "/odoo", "vp_safety_tour", login="vp_counsellor", code=code, timeout=120)
        self.assertTrue(case.shredded_on, "erased, with the number typed")
        self.assertFalse(
            self.env["vp.case.receipt"].sudo().search([("case_id", "=", case.id)]), "and its receipt with it"
        )
