/** @odoo-module **/
// What cannot be undone asks for the weight of the act (tests/test_ui_tours.py): the
// receipt code for a reporter who phoned comes in a dialog of its own (copy, print, "I
// have passed it on"), after which the case has a conversation with the reporter; and
// erasing a case at the employee's request asks for its number, typed.

import { registry } from "@web/core/registry";
import {
    confirmIdentity,
    countClicks,
    unlocked,
    unlockWith,
} from "@vertrouwenspersoon/../tests/tours/vp_tour_steps";

registry.category("web_tour.tours").add("vp_safety_tour", {
    url: "/odoo",
    steps: () =>
        [
            ...unlockWith((helpers) => helpers.edit(sessionStorage.getItem("vp_test_passphrase"))),
            unlocked,
            {
                content: "Open the case of a reporter who phoned",
                trigger: ".o_web_client",
                run() {
                    window.location.assign(sessionStorage.getItem("vp_test_case_url"));
                },
                expectUnloadPage: true,
            },
            {
                content: "Give a receipt code",
                trigger: ".o_statusbar_buttons button[name=action_vp_give_receipt_code]",
                run: "click",
            },
            { content: "Yes, give one", trigger: ".modal-footer .btn-primary", run: "click" },
            {
                content: "The code in a dialog of its own, not a toast",
                trigger: ".modal .o_vp_receipt_code_dialog .o_vp_receipt_code:contains(-)",
            },
            { content: "It can be copied", trigger: ".modal button.o_vp_receipt_copy" },
            { content: "and printed", trigger: ".modal button.o_vp_receipt_print_button" },
            {
                content: "Done only once she has passed it on",
                trigger: ".modal button.o_vp_receipt_done:disabled",
            },
            { content: "Escape does not lose the code", trigger: ".modal .o_vp_receipt_code", run: "press Escape" },
            { content: "Still there", trigger: ".modal .o_vp_receipt_code" },
            {
                content: "I have passed the code on to the reporter",
                trigger: ".modal input#o_vp_receipt_passed_on",
                run: "click",
            },
            { content: "Done", trigger: ".modal button.o_vp_receipt_done:enabled", run: "click" },
            {
                content: "The conversation with the reporter is there",
                trigger: "body:not(:has(.modal)) .o_notebook a[name=messages]",
                run: "click",
            },
            { content: "with a box to write and Send", trigger: ".o_vp_reporter_thread button.o_vp_thread_send" },
            {
                content: "The gear menu",
                trigger: ".o_control_panel .o_cp_action_menus button.dropdown-toggle",
                run: "click",
            },
            {
                content: "Erase now, out of the daily buttons",
                trigger: ".o-dropdown--menu .o-dropdown-item:contains(wissen), .o-dropdown--menu .o-dropdown-item:contains(Erase)",
                run: "click",
            },
            {
                content: "A wrong number",
                trigger: ".modal div[name=typed_name] input",
                run: "edit VP-0000-0000",
            },
            { content: "Erase", trigger: ".modal-footer button[name=action_erase]", run: "click" },
            {
                content: "Refused: nothing is erased",
                trigger: ".modal .o_error_dialog, .o_dialog .o_error_dialog",
            },
            { content: "Close the message", trigger: ".modal:has(.o_error_dialog) .modal-footer .btn-primary", run: "click" },
            {
                content: "The case number, typed",
                trigger: ".modal div[name=typed_name] input",
                run(helpers) {
                    const name = document.querySelector(".modal div[name=case_name]").textContent.trim();
                    return helpers.edit(name);
                },
            },
            { content: "Erase for good", trigger: ".modal-footer button[name=action_erase]", run: "click" },
            ...confirmIdentity("vp_counsellor"),
            {
                content: "Erased",
                trigger: "body:not(:has(.modal)) .o_form_view div[name=shredded_on]:not(.o_field_empty)",
            },
        ].flatMap(countClicks("vp_safety_tour", 11)),
});

// The administrator gives a user a role with one selection on the ordinary user form.
registry.category("web_tour.tours").add("vp_admin_role_tour", {
    steps: () =>
        [
            {
                content: "The role is one selection, outside developer mode",
                trigger: ".o_form_view .o_field_selection select:has(option:contains(Coördinator))",
                run(helpers) {
                    const option = [...this.anchor.options].find((opt) => opt.textContent.includes("Coördinator"));
                    return helpers.select(option.value);
                },
            },
            { content: "Save", trigger: ".o_form_button_save", run: "click" },
            { content: "Saved", trigger: ".o_form_saved" },
        ].flatMap(countClicks("vp_admin_role_tour", 1)),
});

// A user lands on her role's own screen after login.
registry.category("web_tour.tours").add("vp_coordinator_home_tour", {
    url: "/odoo",
    steps: () => [
        {
            content: "The coordinator lands on the requests waiting for a counsellor, not on Discuss",
            trigger: ".o_list_view .o_searchview_facet:contains(toegewezen)",
        },
        {
            content: "Above her cases, a warning while an organisation has no recovery key",
            trigger: ".o_list_view .o_vp_recovery_warning",
        },
        { content: "Her user menu", trigger: ".o_user_menu button.dropdown-toggle", run: "click" },
        {
            content: "without Odoo's documentation, support and odoo.com links",
            trigger:
                ".o-dropdown--menu:has([data-menu=logout]):not(:has([data-menu=documentation], [data-menu=support], [data-menu=account]))",
        },
    ],
});
