/** @odoo-module **/
// The employee's intake at phone width (tests/test_ui_tours.py, 390x844): the same
// steps as vp_intake_tour, with checks that the page fits the screen (no sideways
// scrolling) on the form and on the confirmation.

import { registry } from "@web/core/registry";

function fitsTheScreen(content, trigger) {
    return {
        content,
        trigger,
        run() {
            const width = document.documentElement.clientWidth;
            if (width > 400) {
                throw new Error(`Not a phone-width window: ${width}px`);
            }
            if (document.documentElement.scrollWidth > width) {
                throw new Error(`The page scrolls sideways: ${document.documentElement.scrollWidth}px > ${width}px`);
            }
        },
    };
}

registry.category("web_tour.tours").add("vp_intake_phone_tour", {
    url: "/vertrouwenspersoon/contact",
    steps: () => {
        // Looked up when the tour starts: the files are loaded in name order.
        const intake = registry.category("web_tour.tours").get("vp_intake_tour").steps();
        return [
            fitsTheScreen("The form fits a phone screen", "form.o_vp_intake_form button.o_vp_intake_submit"),
            ...intake,
            fitsTheScreen("The confirmation fits a phone screen", ".o_vp_intake_done .o_vp_receipt_code"),
        ];
    },
});
