/** @odoo-module **/
// An employee opens the intake page through her organisation's link and chooses the internal
// counsellor by name (tests/test_counsellor_kinds.py).

import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("vp_intake_choice_tour", {
    url: "/vertrouwenspersoon/contact?code=LINDE",
    steps: () => [
        {
            content: "The organisation's counsellors are listed by name, with their own introduction",
            trigger: ".o_vp_intake_choice .o_vp_intake_counsellor:contains(Ilse Kramer)",
        },
        {
            content: "The general choices are there too",
            trigger: ".o_vp_intake_choice input#vp_choice_external",
        },
        {
            content: "Choose the internal counsellor by name",
            trigger: ".o_vp_intake_counsellor:contains(Ilse Kramer) input[name=counsellor_choice]",
            run: "click",
        },
        {
            content: "Postcode of residence",
            trigger: "form.o_vp_intake_form input[name=postcode]",
            run: "edit 4811",
        },
        {
            content: "Phone number",
            trigger: "input[name=employee_phone]",
            run: "edit 06-55554444",
        },
        {
            content: "Send the request",
            trigger: "button.o_vp_intake_submit",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The confirmation",
            trigger: ".o_vp_intake_done .o_vp_receipt_code",
        },
    ],
});
