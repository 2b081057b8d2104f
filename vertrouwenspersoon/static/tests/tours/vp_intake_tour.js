/** @odoo-module **/
// An employee asks for contact on the public intake page (tests/test_intake.py).

import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("vp_intake_tour", {
    url: "/vertrouwenspersoon/contact",
    steps: () => [
        {
            content: "Organisation code",
            trigger: "form.o_vp_intake_form input[name=organisation_code]",
            run: "edit linde",
        },
        {
            content: "Postcode of residence",
            trigger: "input[name=postcode]",
            run: "edit 9712 CP",
        },
        {
            content: "Prefer a call",
            trigger: "input#vp_channel_phone",
            run: "click",
        },
        {
            content: "Preferred time",
            trigger: "input[name=preferred_time]",
            run: "edit Dinsdagavond na 19:00",
        },
        {
            content: "Phone number",
            trigger: "input[name=employee_phone]",
            run: "edit 06-98765432",
        },
        {
            content: "A short message",
            trigger: "textarea[name=message]",
            run: "edit Ik wil graag iemand spreken over mijn leidinggevende.",
        },
        {
            content: "Send the request",
            trigger: "button.o_vp_intake_submit",
            run: "click",
            expectUnloadPage: true,
        },
        {
            // One code for the reporter, the receipt code: no case number, no second
            // reference. The page was reached by a redirect (post-redirect-get), so
            // reloading it would file nothing.
            content: "The confirmation tells what happens next and gives one code",
            trigger: ".o_vp_intake_done .o_vp_receipt_code",
            run() {
                const page = document.querySelector(".o_vp_intake_done").textContent;
                const codes = page.match(/[A-Z2-9]{4}(-[A-Z2-9]{4})+/g) || [];
                if (codes.length !== 1 || !/^[A-Z2-9]{4}(-[A-Z2-9]{4}){4}$/.test(codes[0])) {
                    throw new Error(`Not one receipt code on the page: ${codes}`);
                }
                if (!window.location.pathname.endsWith("/vertrouwenspersoon/contact/received")) {
                    throw new Error(`The answer is not a page of its own: ${window.location.pathname}`);
                }
            },
        },
    ],
});
