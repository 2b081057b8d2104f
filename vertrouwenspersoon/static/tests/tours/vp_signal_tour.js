/** @odoo-module **/
// tests/test_ui_tours.py: at 1440px the counsellor's menu bar fits
// (no "+"), signals are under Reporting, and a signal whose anonymity box is not
// ticked is refused when she clicks Send, before any "really send?" question;
// once ticked, Send asks that question (she cancels here).

import { registry } from "@web/core/registry";
import { openCounsellorsApp, unlocked, unlockWith } from "@vertrouwenspersoon/../tests/tours/vp_tour_steps";

registry.category("web_tour.tours").add("vp_signal_tour", {
    url: "/odoo",
    steps: () => [
        ...unlockWith("vp_counsellor-kluis", "Signed in, she is asked for her vault passphrase"),
        unlocked,
        ...openCounsellorsApp(),
        {
            content: "She lands on her cases",
            trigger: ".o_kanban_view.o_vp_case_kanban .o_kanban_group",
        },
        {
            content: "The menu bar fits, nothing under '+'",
            trigger:
                '.o_main_navbar .o_menu_sections:not(:has(.o_menu_sections_more)) [data-menu-xmlid="vertrouwenspersoon.menu_accountability"]',
        },
        {
            content: "Reporting is on the bar",
            trigger:
                '.o_main_navbar .o_menu_sections:not(:has(.o_menu_sections_more)) [data-menu-xmlid="vertrouwenspersoon.menu_reporting"]',
            run: "click",
        },
        {
            content: "Signals to the employer",
            trigger: '.o-dropdown--menu [data-menu-xmlid="vertrouwenspersoon.vp_signal_menu"]',
            run: "click",
        },
        { content: "New signal", trigger: ".o_control_panel .o_list_button_add", run: "click" },
        {
            content: "Subject",
            trigger: ".o_form_view .o_field_widget[name=name] input",
            run: "edit Werkdruk in de avonddienst",
        },
        {
            content: "Client organisation",
            trigger: ".o_form_view .o_field_widget[name=organisation_id] input",
            run: "edit Linde",
        },
        {
            content: "Pick it",
            trigger: ".o-autocomplete--dropdown-item a:contains(Zorggroep De Linde)",
            run: "click",
        },
        {
            content: "The signal",
            trigger: ".o_form_view .o_field_widget[name=body] textarea",
            run: "edit Meerdere medewerkers ervaren een hoge werkdruk. Advies: extra bezetting.",
        },
        {
            content: "Send, without the anonymity box ticked",
            trigger: ".o_statusbar_buttons button[name=action_send_unconfirmed]",
            run: "click",
        },
        {
            content: "Refused at once with the reason, no 'really send?' question first",
            trigger: ".modal .modal-body:contains(Bevestig vóór het verzenden):not(:contains(HR-contactpersonen))",
        },
        { content: "Close the refusal", trigger: ".modal .modal-footer .btn-primary", run: "click" },
        {
            content: "Tick: nothing traceable to a person",
            trigger: "body:not(:has(.modal)) .o_form_view .o_field_widget[name=confirmed_anonymous] input",
            run: "click",
        },
        {
            content: "Now Send asks the question",
            trigger: ".o_statusbar_buttons button[name=action_send]",
            run: "click",
        },
        {
            content: "The 'really send?' question",
            trigger: ".modal .modal-body:contains(HR-contactpersonen)",
        },
        { content: "She cancels", trigger: ".modal .modal-footer .btn-secondary", run: "click" },
        {
            content: "Nothing sent",
            trigger: "body:not(:has(.modal)) .o_statusbar_status button.o_arrow_button_current[data-value=draft]",
        },
        { content: "She saves the draft", trigger: ".o_form_button_save", run: "click" },
        { content: "Saved", trigger: ".o_form_saved" },
    ],
});
