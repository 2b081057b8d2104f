# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Confidential Counsellor (Vertrouwenspersoon)",
    "summary": "Case register for confidential counsellors: encrypted cases, "
    "consent-based HR notices, rosters, invoicing and an anonymous annual report",
    "version": "18.0.1.0.0",
    "category": "Human Resources",
    "website": "https://github.com/vertrouwenspersoon/vertrouwenspersoon",
    "author": "The vertrouwenspersoon authors",
    "license": "AGPL-3",
    "application": True,
    "installable": True,
    # hr: employees and departments; hr_timesheet: hours on cases;
    # account: monthly invoices; mail: activities and deadlines;
    # portal: the public intake page layout.
    "depends": ["hr", "hr_timesheet", "account", "mail", "portal"],
    # the annual report's counts are plain SQL tables and functions (see
    # models/vp_report_counter.py): Odoo does not drop those itself
    "uninstall_hook": "uninstall_hook",
    "external_dependencies": {"python": ["cryptography", "xlsxwriter"]},
    "data": [
        "security/vertrouwenspersoon_security.xml",
        "security/ir.model.access.csv",
        "security/vertrouwenspersoon_rules.xml",
        "security/mail_followers_rules.xml",
        "data/ir_sequence_data.xml",
        "data/vp_behaviour_kind_data.xml",
        "data/vp_route_data.xml",
        "data/vp_retention_cron.xml",
        "views/vp_organisation_views.xml",
        "views/vp_business_unit_views.xml",
        "views/vp_region_views.xml",
        "views/vp_behaviour_kind_views.xml",
        "views/vp_route_views.xml",
        "views/vp_gdpr_export_views.xml",
        "views/vp_case_views.xml",
        "views/vp_case_link_views.xml",
        "views/vp_notice_views.xml",
        "views/vp_breach_views.xml",
        "views/vp_audit_log_views.xml",
        "report/vp_processing_record_report.xml",
        "data/vp_invoicing_data.xml",
        "views/vp_engagement_views.xml",
        "views/account_analytic_line_views.xml",
        "views/account_move_views.xml",
        "wizards/vp_invoicing_wizard_views.xml",
        "report/report_invoice_templates.xml",
        "views/menus.xml",
        "wizards/vp_annual_report_wizard_views.xml",
        "views/vp_annual_report_views.xml",
        "report/vp_annual_report_reports.xml",
        "report/vp_annual_report_templates.xml",
        "data/mail_activity_type_data.xml",
        "data/ir_cron_data.xml",
        "views/vp_roster_line_views.xml",
        "views/vp_case_assignment_views.xml",
        "views/vp_intake_templates.xml",
        "views/vp_prevention_session_views.xml",
        "views/vp_signal_views.xml",
        "views/menus_assignment.xml",
    ],
    "demo": [
        "demo/res_users_demo.xml",
        "demo/vp_organisation_demo.xml",
        "demo/vp_case_demo.xml",
        "demo/vp_roster_demo.xml",
        "demo/vp_timesheet_demo.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "vertrouwenspersoon/static/src/js/*.js",
        ],
        "web.assets_tests": [
            "vertrouwenspersoon/static/tests/tours/*.js",
        ],
    },
}
