/** @odoo-module **/
// A counsellor's main flow (tests/test_ui_tours.py): she lands on her cases,
// registers one with Nieuw, starts it, records a meeting with its hours
// in one step with what was discussed, a consent in its own form, sends a
// notice to HR after a confirmation naming the recipients and hands the case
// over; the chatter offers no composer; she closes it through the closing check.
// First she unlocks her vault; she lands on her own cases, not on Discuss.

import { registry } from "@web/core/registry";
import { countClicks, unlocked, unlockWith } from "@vertrouwenspersoon/../tests/tours/vp_tour_steps";

function save() {
    return [
        { content: "Save", trigger: ".o_form_button_save", run: "click" },
        { content: "Saved", trigger: ".o_form_saved" },
    ];
}

function addLine(field) {
    return {
        content: `Add a line to ${field}`,
        trigger: `.o_field_widget[name=${field}] .o_field_x2many_list_row_add a`,
        run: "click",
    };
}

function tab(name) {
    return { content: `Open the tab ${name}`, trigger: `.o_notebook a[name=${name}]`, run: "click" };
}

registry.category("web_tour.tours").add("vp_counsellor_tour", {
    url: "/odoo",
    steps: () => [
        ...unlockWith("vp_counsellor-kluis", "Signed in, she is asked for her vault passphrase (not her password)"),
        unlocked,
        {
            content: "She lands on her own cases, by state, without opening an app",
            trigger: ".o_kanban_view.o_vp_case_kanban .o_kanban_group",
        },
        {
            content: "The columns in the order of the work: requests first",
            trigger: ".o_vp_case_kanban .o_kanban_group:first-child .o_column_title:contains(Ondersteuningsvraag)",
        },
        {
            content: "In progress second",
            trigger: ".o_vp_case_kanban .o_kanban_group:nth-child(2) .o_column_title:contains(In behandeling)",
        },
        {
            content: "The closed pile last, and folded",
            trigger: ".o_vp_case_kanban .o_kanban_group:last-child.o_column_folded:contains(Afgesloten)",
        },
        {
            content: "A card says when and how the request came in",
            trigger: ".o_vp_case_kanban .o_kanban_record div[name=request]:not(:empty)",
        },
        {
            content: "A deadline badge on a card",
            trigger: ".o_vp_case_kanban div[name=first_contact_badge] .o_field_remaining_days",
        },
        { content: "New case", trigger: ".o_control_panel .o-kanban-button-new", run: "click" },
        {
            content: "Client organisation",
            trigger: ".o_field_widget[name=organisation_id] input",
            run: "edit Linde",
        },
        {
            content: "Pick it",
            trigger: ".o-autocomplete--dropdown-item a:contains(Zorggroep De Linde)",
            run: "click",
        },
        {
            content: "The counsellor is she herself, without picking",
            trigger: ".o_field_widget[name=counsellor_id]:contains(Anne de Vries)",
        },
        {
            content: "The employee's name",
            trigger: ".o_field_widget[name=employee_name] input",
            run: "edit Sanne Visser",
        },
        ...save(),
        {
            content: "No composer, attachments or followers on a case",
            trigger: ".o-mail-Chatter:not(:has(.o-mail-Chatter-sendMessage, .o-mail-Chatter-logNote, .o-mail-Chatter-attachFiles, .o-mail-Followers))",
        },
        { content: "Start the case", trigger: ".o_statusbar_buttons button[name=action_open]", run: "click" },
        { content: "In progress", trigger: ".o_statusbar_status button.o_arrow_button_current[data-value=open]" },
        tab("meetings"),
        addLine("meeting_ids"),
        {
            content: "A meeting is recorded in a form of its own: 45 minutes",
            trigger: ".modal .o_form_view div[name=duration] input",
            run: "edit 00:45",
        },
        {
            content: "The meeting logs its hours in one step: on by default",
            trigger: ".modal .o_form_view div[name=log_hours] input:checked",
        },
        {
            content: "Half an hour of travel, logged apart and never billed",
            trigger: ".modal .o_form_view div[name=travel_hours] input",
            run: "edit 00:30",
        },
        {
            content: "What was discussed, in a text area of its own",
            trigger: ".modal .o_form_view div[name=note] textarea",
            run: "edit Eerste gesprek: werkdruk op de afdeling besproken.",
        },
        { content: "Save and close the meeting", trigger: ".modal .o_form_button_save", run: "click" },
        { content: "Back on the case", trigger: "body:not(:has(.modal)) .o_field_widget[name=meeting_ids] .o_data_row" },
        ...save(),
        {
            content: "The meeting's notes show in the case's timeline",
            trigger: ".o_field_widget[name=meeting_ids] td[name=note]:contains(werkdruk op de afdeling)",
        },
        tab("consent"),
        {
            content: "The consent tab says what its lists are",
            trigger: ".o_notebook .tab-pane.active .o_horizontal_separator:contains(Toestemming van de medewerker)",
        },
        addLine("consent_ids"),
        {
            content: "A consent is recorded in a form of its own; the levels are choices in view: name and summary",
            trigger: ".modal .o_form_view div[name=level] input[data-value=name_summary]",
            run: "click",
        },
        {
            content: "Given in a meeting",
            trigger: ".modal .o_form_view div[name=given_how] input[data-value=in_person]",
            run: "click",
        },
        {
            content: "The text the employee approved, in a text area of its own",
            trigger: ".modal .o_form_view div[name=approved_summary] textarea",
            run: "edit Medewerker ervaart hoge werkdruk op de afdeling.",
        },
        { content: "Save and close", trigger: ".modal .o_form_button_save", run: "click" },
        {
            content: "The consent is listed",
            trigger: "body:not(:has(.modal)) .o_field_widget[name=consent_ids] .o_data_row",
        },
        ...save(),
        {
            content: "Prepare the notice to HR",
            trigger: ".o_statusbar_buttons button[name=action_prepare_notice]",
            run: "click",
        },
        { content: "Send it", trigger: ".o_statusbar_buttons button.o_vp_notice_send", run: "click" },
        {
            content: "The confirmation names the recipients",
            trigger: ".modal .o_vp_notice_recipients:contains(Dirk Bakker)",
        },
        { content: "Confirm", trigger: ".modal-footer button[name=action_confirm]", run: "click" },
        {
            content: "Sent",
            trigger: "body:not(:has(.modal)) .o_statusbar_status button.o_arrow_button_current[data-value=sent]",
        },
        { content: "Back to the case", trigger: ".o_breadcrumb .breadcrumb-item:nth-last-child(1) a, .o_breadcrumb ol li:last-child a", run: "click" },
        tab("handovers"),
        addLine("handover_ids"),
        {
            content: "Hand over to Bram",
            trigger: ".o_field_widget[name=handover_ids] .o_selected_row div[name=to_user_id] input",
            run: "edit Bram",
        },
        { content: "Pick Bram", trigger: ".o-autocomplete--dropdown-item a:contains(Bram Jansen)", run: "click" },
        {
            content: "Why: a reason from the list, no free text",
            trigger: ".o_field_widget[name=handover_ids] .o_selected_row div[name=reason] select",
            run: 'select "absence"',
        },
        ...save(),
        // The closing check: the registration the annual report counts, and the employee told.
        { content: "Close", trigger: ".o_statusbar_buttons button[name=action_vp_close_check]", run: "click" },
        {
            content: "Not yet: kinds of behaviour and routes are missing",
            trigger: ".modal .alert-danger div[name=missing_registration]",
        },
        {
            content: "and there is no button to close it",
            trigger: ".modal .modal-footer:not(:has(button[name=action_close]))",
        },
        { content: "Back to the case", trigger: ".modal-footer button.btn-secondary", run: "click" },
        tab("content"),
        {
            content: "Kind of behaviour",
            trigger: ".o_field_widget[name=behaviour_kind_ids] input",
            run: "edit Werkdruk",
        },
        { content: "Pick it", trigger: ".o-autocomplete--dropdown-item a:contains(Werkdruk)", run: "click" },
        { content: "Route", trigger: ".o_field_widget[name=route_ids] input", run: "edit Luisteren" },
        { content: "Pick it", trigger: ".o-autocomplete--dropdown-item a:contains(luisteren)", run: "click" },
        ...save(),
        { content: "Close", trigger: ".o_statusbar_buttons button[name=action_vp_close_check]", run: "click" },
        {
            content: "She confirms the employee knows",
            trigger: ".modal div[name=employee_informed] input",
            run: "click",
        },
        { content: "Close the case", trigger: ".modal-footer button[name=action_close]", run: "click" },
        {
            content: "Closed",
            trigger: "body:not(:has(.modal)) .o_statusbar_status button.o_arrow_button_current[data-value=closed]",
        },
    ].flatMap(countClicks("vp_counsellor_tour", 32)),
});
