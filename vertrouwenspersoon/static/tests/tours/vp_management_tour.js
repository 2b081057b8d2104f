/** @odoo-module **/
// Management prints the annual report from the wizard, as PDF and as XLSX
// (tests/test_ui_tours.py).

import { registry } from "@web/core/registry";
import { countClicks } from "@vertrouwenspersoon/../tests/tours/vp_tour_steps";

function fillWizard() {
    return [
        {
            content: "The wizard asks for the client organisation",
            trigger: ".modal .o_field_widget[name=organisation_id] input",
            run: "edit Linde",
        },
        {
            content: "The organisation is offered",
            trigger: ".o-autocomplete--dropdown-item a:contains(Zorggroep De Linde)",
            run: "click",
        },
        {
            content: "The year is written without a thousands separator",
            trigger: ".modal .o_field_widget[name=year] input:value(/^20\\d\\d$/)",
            run: "edit 2025",
        },
    ];
}

registry.category("web_tour.tours").add("vp_management_tour", {
    url: "/odoo",
    steps: () => [
        {
            content: "Management lands on the annual reports after login, not on Discuss or a modal",
            trigger: ".o_list_view .o_breadcrumb:contains(Jaarverslagen)",
        },
        {
            content: "No dialog opened on arrival",
            trigger: "body:not(:has(.modal))",
        },
        {
            content: "Print an annual report",
            trigger: ".o_control_panel button.o_vp_print_annual_report",
            run: "click",
        },
        {
            content: "Beforehand, the wizard says what can be printed per organisation and year",
            trigger: ".modal .o_vp_availability tr[data-kind=running]",
        },
        {
            content: "The observations are the counsellor's: management gets no box to write them",
            trigger: ".modal:not(:has(.o_field_widget[name=observations]))",
        },
        ...fillWizard(),
        {
            content: "Print the PDF",
            trigger: ".modal-footer button[name=action_print_pdf]",
            run: "click",
        },
        {
            content: "The wizard closes once the PDF is downloaded",
            trigger: "body:not(:has(.modal)):not(.o_ui_blocked)",
            // wkhtmltopdf on a busy machine
            timeout: 60000,
        },
        {
            content: "The printed report is in the list",
            trigger: ".o_list_view .o_data_row td[name=organisation_id]:contains(Zorggroep De Linde)",
        },
        {
            content: "The year in the list has no separator",
            trigger: ".o_list_view .o_data_row td[name=year]:contains(/^2025$/)",
        },
        {
            content: "Print again, this time the workbook",
            trigger: ".o_control_panel button.o_vp_print_annual_report",
            run: "click",
        },
        ...fillWizard(),
        {
            content: "Download the XLSX",
            trigger: ".modal-footer button[name=action_download_xlsx]",
            run: "click",
        },
        {
            content: "The wizard closes once the workbook is downloaded",
            trigger: "body:not(:has(.modal)):not(.o_ui_blocked)",
            timeout: 30000,
        },
    ].flatMap(countClicks("vp_management_tour", 6)),
});
