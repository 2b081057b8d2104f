/** @odoo-module **/
// The accountant's main flow (tests/test_ui_tours.py): she
// lands on the counsellors' hours, invoices a month from the wizard (a month
// picker, not a day picker), opens an invoice and downloads its specification.

import { registry } from "@web/core/registry";
import { countClicks } from "@vertrouwenspersoon/../tests/tours/vp_tour_steps";

registry.category("web_tour.tours").add("vp_accountant_tour", {
    url: "/odoo",
    steps: () => [
        {
            content: "She lands on the counsellors' hours after login, not on Discuss or a modal",
            trigger: "body:not(:has(.modal)) .o_action_manager .o_list_view, body:not(:has(.modal)) .o_pivot_view",
        },
        {
            content: "Invoicing",
            trigger: '.o_main_navbar [data-menu-xmlid="vertrouwenspersoon.menu_invoicing"]',
            run: "click",
        },
        {
            content: "Invoice a month",
            trigger: '.o-dropdown--menu [data-menu-xmlid="vertrouwenspersoon.vp_invoicing_wizard_menu"]',
            run: "click",
        },
        {
            content: "The month to invoice",
            trigger: ".modal .o_field_widget[name=month] input",
            run: "click",
        },
        {
            content: "The picker offers months, not days",
            trigger: ".o_datetime_picker:not(:has(.o_date_picker)) .o_date_item_picker .o_date_item_cell",
        },
        {
            content: "February 2026",
            trigger: ".modal .o_field_widget[name=month] input",
            run: "edit 01-02-2026",
        },
        {
            content: "Close the picker",
            trigger: ".modal .modal-body p",
            run: "click",
        },
        {
            content: "The month is set",
            trigger: ".modal .o_field_widget[name=month] input:value(/02-2026/)",
        },
        {
            content: "and said in words",
            trigger: ".modal .o_field_widget[name=month_label]:contains(februari 2026)",
        },
        { content: "Create the invoices", trigger: ".modal-footer button[name=action_run]", run: "click" },
        {
            content: "The new draft invoices are listed with the month they bill",
            trigger: "body:not(:has(.modal)) .o_list_view .o_data_row:has(td:contains(Zorggroep De Linde)) td[name=vp_period_label]:contains(februari 2026)",
        },
        {
            content: "Open the invoice",
            trigger: ".o_list_view .o_data_row:has(td:contains(Zorggroep De Linde)) td[name=partner_id]",
            run: "click",
        },
        {
            content: "The tax under a label with its own rate",
            trigger: ".o_form_view div[name=tax_totals]:contains(21%):not(:contains(15%))",
        },
        {
            content: "The invoice opens: download its specification",
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_vp_specification_xlsx]",
            run: "click",
        },
        {
            content: "The specification is downloaded",
            trigger: ".o_notification:has(.o_notification_bar.bg-success):contains(Zorggroep De Linde februari 2026.xlsx)",
        },
    ].flatMap(countClicks("vp_accountant_tour", 7)),
});
