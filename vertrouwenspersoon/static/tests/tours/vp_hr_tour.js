/** @odoo-module **/
// HR opens a notice that was sent to them and acknowledges it (tests/test_ui_tours.py).

import { registry } from "@web/core/registry";
import { countClicks, unlocked, unlockWith } from "@vertrouwenspersoon/../tests/tours/vp_tour_steps";

registry.category("web_tour.tours").add("vp_hr_tour", {
    url: "/odoo",
    steps: () => [
        ...unlockWith("vp_hr-kluis-demo", "Signed in, HR is asked for her vault passphrase first (the notices are sealed for her)"),
        unlocked,
        {
            content: "HR lands on the notices, not on Discuss",
            trigger: ".o_list_view .o_breadcrumb:contains(Berichten aan HR)",
        },
        {
            content: "Open a notice with the employee's name that waits for acknowledgement, at once",
            trigger:
                ".o_list_view .o_data_row:has(td[name=state] .badge:contains(Verzonden)):not(:has(td[name=level]:contains(Anoniem))) td[name=name]",
            run: "click",
        },
        {
            content: "HR never sees a draft: the status bar starts at Sent",
            trigger: ".o_form_view .o_statusbar_status:not(:has(button[data-value=draft]))",
        },
        {
            content: "The notice opens with the name, sealed for HR's own key",
            trigger: ".o_form_view .o_field_widget[name=employee_name]:not(:empty)",
        },
        {
            content: "The client organisation is no link to an access error",
            trigger: ".o_form_view .o_field_widget[name=organisation_id]:not(:has(a))",
        },
        {
            content: "Acknowledge receipt",
            trigger: ".o_statusbar_buttons button[name=action_acknowledge]",
            run: "click",
        },
        {
            content: "Acknowledged",
            trigger: ".o_statusbar_status button.o_arrow_button_current[data-value=acknowledged]",
        },
    ].flatMap(countClicks("vp_hr_tour", 3)),
});
