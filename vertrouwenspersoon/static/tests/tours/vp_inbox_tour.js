/** @odoo-module **/
// The reporter's inbox (tests/test_inbox_tour.py), at phone width: the reporter
// sends a request, saves the receipt code, opens the inbox with it and writes;
// the counsellor answers in the backend; the reporter reads the answer. The
// code is "saved" in the tab's sessionStorage, as a person would write it down.

import { registry } from "@web/core/registry";
import { unlocked, unlockWith } from "@vertrouwenspersoon/../tests/tours/vp_tour_steps";

const CODE = "vp_test_receipt_code";

function openInbox() {
    return [
        {
            content: "Type the saved receipt code",
            trigger: "form.o_vp_inbox_code_form input[name=code]",
            run(helpers) {
                helpers.edit(sessionStorage.getItem(CODE).toLowerCase());
            },
        },
        {
            content: "Open the inbox",
            trigger: "button.o_vp_inbox_open",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The inbox shows the status in plain words",
            trigger: ".o_vp_inbox_thread .o_vp_inbox_state",
        },
    ];
}

registry.category("web_tour.tours").add("vp_inbox_reporter_tour", {
    url: "/vertrouwenspersoon/contact",
    steps: () => [
        {
            content: "Organisation code",
            trigger: "form.o_vp_intake_form input[name=organisation_code]",
            run: "edit linde",
        },
        { content: "Postcode", trigger: "input[name=postcode]", run: "edit 4811" },
        { content: "Prefer an e-mail", trigger: "input#vp_channel_email", run: "click" },
        { content: "E-mail", trigger: "input[name=employee_email]", run: "edit melder@example.nl" },
        {
            content: "A short message",
            trigger: "textarea[name=message]",
            run: "edit Ik zag dat er met declaraties wordt gesjoemeld.",
        },
        { content: "Send", trigger: "button.o_vp_intake_submit", run: "click", expectUnloadPage: true },
        {
            content: "The receipt code is shown, with the warning that a lost code is gone",
            trigger: ".o_vp_receipt .o_vp_receipt_code",
            run() {
                const code = this.anchor.textContent.trim();
                if (!/^[A-Z2-9]{4}(-[A-Z2-9]{4}){4}$/.test(code)) {
                    throw new Error(`Unexpected receipt code: ${code}`);
                }
                if (window.location.search.includes(code) || window.location.href.includes(code)) {
                    throw new Error("The code is in the URL");
                }
                sessionStorage.setItem(CODE, code);
            },
        },
        { content: "A printable receipt", trigger: ".o_vp_receipt button.o_vp_receipt_print" },
        { content: "Tick: I saved my code", trigger: "input#vp_receipt_saved", run: "click" },
        { content: "Done", trigger: "button.o_vp_receipt_done", run: "click", expectUnloadPage: true },
        {
            content: "The code is not shown again; a link leads to the inbox",
            trigger: ".o_vp_receipt_hidden a[href$='/vertrouwenspersoon/inbox']",
            run: "click",
            expectUnloadPage: true,
        },
        ...openInbox(),
        { content: "Write a reply", trigger: "textarea[name=body]", run: "edit Ik heb ook een bewijsstuk." },
        { content: "Send it", trigger: "button.o_vp_inbox_send", run: "click", expectUnloadPage: true },
        {
            content: "The reply is in the thread",
            trigger: ".o_vp_inbox_message_reporter .o_vp_inbox_body:contains('Ik heb ook een bewijsstuk.')",
        },
    ],
});

registry.category("web_tour.tours").add("vp_inbox_counsellor_tour", {
    url: "/odoo",
    steps: () => [
        ...unlockWith(
            (helpers) => helpers.edit(sessionStorage.getItem("vp_test_passphrase")),
            "Signed in, she unlocks her vault"
        ),
        unlocked,
        {
            content: "Open the case the activity is about",
            trigger: ".o_web_client",
            run() {
                window.location.assign(sessionStorage.getItem("vp_test_case_url"));
            },
            expectUnloadPage: true,
        },
        { content: "The messages tab", trigger: ".o_notebook a[name=messages]", run: "click" },
        {
            content: "The reporter's message is there, as a message of the conversation",
            trigger: ".o_vp_reporter_thread .o_vp_message_reporter:contains('Ik heb ook een bewijsstuk.')",
        },
        {
            content: "Write to the reporter in the conversation's own box",
            trigger: ".o_vp_reporter_thread textarea.o_vp_thread_body",
            run: "edit Dank u. Uw melding is ontvangen; ik neem het in behandeling.",
        },
        {
            content: "It is the Wbk acknowledgement (a labelled box, ticked already for a Wbk report not yet acknowledged)",
            trigger: ".o_vp_reporter_thread input#o_vp_thread_ack",
            run: "check",
        },
        { content: "Send: it goes at once", trigger: ".o_vp_reporter_thread button.o_vp_thread_send", run: "click" },
        {
            content: "Sent: her message is in the conversation, marked as the acknowledgement",
            trigger: ".o_vp_message_mine:contains('Uw melding is ontvangen') .badge:contains(Wbk)",
        },
        { content: "Nothing left to save on the case", trigger: ".o_form_saved" },
    ],
});

registry.category("web_tour.tours").add("vp_inbox_read_tour", {
    url: "/vertrouwenspersoon/inbox",
    steps: () => [
        ...openInbox(),
        {
            content: "The counsellor's answer is in the thread",
            trigger: ".o_vp_inbox_message_counsellor .o_vp_inbox_body:contains('Uw melding is ontvangen')",
        },
        { content: "Close the inbox", trigger: "button.o_vp_inbox_close", run: "click", expectUnloadPage: true },
        { content: "Closed: the code is asked again", trigger: "form.o_vp_inbox_code_form" },
    ],
});
