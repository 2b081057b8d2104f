/** @odoo-module **/
// The coordinator's main flow (tests/test_ui_tours.py): she
// assigns a waiting request by roster and is told who got it; she registers a
// request taken by phone in a region where nobody is free, is told so clearly,
// asks the roster again without a second to-do, assigns it herself with the
// capacity in view, and reassigns it, again warned about the capacity.
// The test makes the rosters full or free before the tour starts; triggers
// match classes, names and numbers, not texts that are still to be translated.

import { registry } from "@web/core/registry";
import { countClicks, openCounsellorsApp } from "@vertrouwenspersoon/../tests/tours/vp_tour_steps";

function chooseCounsellor(name, reason) {
    return [
        {
            content: `Choose ${name}`,
            trigger: ".modal .o_field_widget[name=counsellor_id] input",
            run: `edit ${name.split(" ")[0]}`,
        },
        { content: `Pick ${name}`, trigger: `.o-autocomplete--dropdown-item a:contains(${name})`, run: "click" },
        {
            content: "The capacity of the new counsellor is shown as a warning",
            trigger: `.modal .o_vp_capacity_warning:contains(${name})`,
        },
        {
            content: "The reason, about the assignment only",
            trigger: ".modal .o_field_widget[name=reason] input",
            run: `edit ${reason}`,
        },
        { content: "Confirm", trigger: ".modal-footer button[name=action_reassign]", run: "click" },
        {
            content: `${name} has the case`,
            trigger: `body:not(:has(.modal)) .o_form_view .o_field_widget[name=counsellor_id]:contains(${name})`,
        },
    ];
}

registry.category("web_tour.tours").add("vp_coordinator_tour", {
    steps: () => [
        {
            content: "A request waits for a counsellor: Assign by roster",
            trigger: ".o_statusbar_buttons button[name=action_assign_by_roster]",
            run: "click",
        },
        {
            content: "She is told who got it",
            trigger: ".o_notification:has(.o_notification_bar.bg-success):contains(Anne de Vries)",
        },
        {
            content: "The form shows the counsellor",
            trigger: ".o_form_view .o_field_widget[name=counsellor_id]:contains(Anne de Vries)",
        },
        ...openCounsellorsApp(),
        {
            content: "Register a request taken by phone",
            trigger: '.o_main_navbar a[data-menu-xmlid="vertrouwenspersoon.vp_intake_wizard_menu"]',
            run: "click",
        },
        {
            content: "Client organisation",
            trigger: ".modal .o_field_widget[name=organisation_id] input",
            run: "edit Westerkwartier",
        },
        {
            content: "Pick it",
            trigger: ".o-autocomplete--dropdown-item a:contains(Gemeente Westerkwartier)",
            run: "click",
        },
        { content: "Postcode", trigger: ".modal .o_field_widget[name=postcode] input", run: "edit 9801 AB" },
        { content: "Name", trigger: ".modal .o_field_widget[name=employee_name] input", run: "edit Kees Dijkstra" },
        {
            content: "Phone number",
            trigger: ".modal .o_field_widget[name=employee_phone] input",
            run: "edit 06-11223344",
        },
        { content: "Register", trigger: ".modal-footer button[name=action_register]", run: "click" },
        {
            content: "She is told the request is registered, and that nobody on the roster is free",
            trigger: ".o_notification:has(.o_notification_bar.bg-warning)",
        },
        {
            content: "The new request is a page of its own: the breadcrumb holds no earlier case",
            trigger: ".o_breadcrumb:not(:has(.breadcrumb-item))",
        },
        {
            content: "Close the message",
            trigger: ".o_notification:has(.o_notification_bar.bg-warning) .o_notification_close",
            run: "click",
        },
        {
            content: "The new request opens, without a counsellor: the note names who is full",
            trigger:
                "body:not(:has(.modal)) .o_form_view .o_field_widget[name=assignment_note]:contains(Bram Jansen):contains(Anne de Vries)",
        },
        {
            content: "Ask the roster again",
            trigger: ".o_statusbar_buttons button[name=action_assign_by_roster]",
            run: "click",
        },
        {
            content: "A clear warning that nobody is free, naming who is full",
            trigger: ".o_notification:has(.o_notification_bar.bg-warning):contains(Bram Jansen)",
        },
        {
            content: "Close the warning",
            trigger: ".o_notification:has(.o_notification_bar.bg-warning) .o_notification_close",
            run: "click",
        },
        {
            content: "Assign anyway, to a counsellor she chooses",
            trigger: ".o_statusbar_buttons button[name=action_reassign]",
            run: "click",
        },
        ...chooseCounsellor("Bram Jansen", "Bram kent de regio"),
        {
            content: "Reassign",
            trigger: ".o_statusbar_buttons button[name=action_reassign]",
            run: "click",
        },
        {
            content: "The wizard names the current counsellor",
            trigger: ".modal .o_field_widget[name=current_user_id]:contains(Bram Jansen)",
        },
        ...chooseCounsellor("Anne de Vries", "Werkverdeling"),
    ].flatMap(countClicks("vp_coordinator_tour", 15)),
});
