/** @odoo-module **/
// WCAG 2.2 AA on every step of the public pages (tests/test_public_accessibility.py):
// axe-core, put into every page by the test, checks the page as the reporter
// sees it at phone width: the intake form, the form with its errors, the
// receipt, the inbox's code page with an error, the thread with messages and
// a file's notice. The tour runs in Dutch and in Arabic (right to left).

import { registry } from "@web/core/registry";

const CODE = "vp_test_receipt_code";
const WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

async function noViolations(page) {
    if (!window.axe) {
        throw new Error("axe-core is not in the page");
    }
    const result = await window.axe.run(document, { runOnly: { type: "tag", values: WCAG } });
    const violations = result.violations.map((violation) => ({
        rule: violation.id,
        impact: violation.impact,
        nodes: violation.nodes.slice(0, 5).map((node) => `${node.target.join(" ")}: ${node.failureSummary}`),
    }));
    if (violations.length) {
        throw new Error(`${page}: ${violations.length} WCAG violation(s): ${JSON.stringify(violations)}`);
    }
}

function axeStep(page, trigger) {
    return { content: `WCAG 2.2 AA: ${page}`, trigger, timeout: 30000, run: () => noViolations(page) };
}

registry.category("web_tour.tours").add("vp_public_axe_tour", {
    steps: () => [
        axeStep("the intake form", "form.o_vp_intake_form input[name=organisation_code]"),
        { content: "Send without a postcode", trigger: "input[name=organisation_code]", run: "edit linde" },
        {
            content: "Send the form as it is (the browser's own checks set aside)",
            trigger: "form.o_vp_intake_form",
            run() {
                this.anchor.noValidate = true;
                this.anchor.querySelector("button.o_vp_intake_submit").click();
            },
            expectUnloadPage: true,
        },
        axeStep("the intake form with errors", ".o_vp_intake_errors"),
        { content: "Postcode", trigger: "input[name=postcode]", run: "edit 9712" },
        { content: "The inbox alone", trigger: "input#vp_channel_inbox", run: "click" },
        axeStep("the intake form, inbox alone", "input#vp_channel_inbox:checked"),
        { content: "A message", trigger: "textarea[name=message]", run: "edit Ik wil iemand spreken." },
        {
            content: "A file",
            trigger: "input#vp_files",
            run() {
                const transfer = new DataTransfer();
                transfer.items.add(new File(["Wat er gebeurde."], "verslag.txt", { type: "text/plain" }));
                this.anchor.files = transfer.files;
            },
        },
        { content: "Send", trigger: "button.o_vp_intake_submit", run: "click", expectUnloadPage: true },
        {
            content: "The receipt code",
            trigger: ".o_vp_receipt .o_vp_receipt_code",
            run() {
                sessionStorage.setItem(CODE, this.anchor.textContent.trim());
            },
        },
        axeStep("the receipt", ".o_vp_receipt button.o_vp_receipt_copy:not(.d-none)"),
        { content: "What was done to the file", trigger: ".o_vp_file_notices li" },
        { content: "Saved", trigger: "input#vp_receipt_saved", run: "click" },
        { content: "Done", trigger: "button.o_vp_receipt_done", run: "click", expectUnloadPage: true },
        axeStep("the receipt once saved", ".o_vp_receipt_hidden"),
        {
            content: "To the inbox",
            trigger: ".o_vp_receipt_hidden a",
            run: "click",
            expectUnloadPage: true,
        },
        axeStep("the inbox's code page", "form.o_vp_inbox_code_form"),
        { content: "A wrong code", trigger: "input[name=code]", run: "edit AAAA-BBBB-CCCC-DDDD-EEEE" },
        { content: "Open", trigger: "button.o_vp_inbox_open", run: "click", expectUnloadPage: true },
        axeStep("the inbox's code page with an error", ".o_vp_inbox_errors"),
        {
            content: "The right code",
            trigger: "input[name=code]",
            run(helpers) {
                helpers.edit(sessionStorage.getItem(CODE));
            },
        },
        { content: "Open", trigger: "button.o_vp_inbox_open", run: "click", expectUnloadPage: true },
        axeStep("the thread", ".o_vp_inbox_thread .o_vp_inbox_message"),
        { content: "A reply", trigger: "textarea[name=body]", run: "edit Dank je." },
        { content: "Send", trigger: "button.o_vp_inbox_send", run: "click", expectUnloadPage: true },
        axeStep("the thread after a reply", ".o_vp_inbox_message_reporter"),
        { content: "Close the inbox", trigger: "button.o_vp_inbox_close", run: "click", expectUnloadPage: true },
        { content: "Closed", trigger: "form.o_vp_inbox_code_form" },
    ],
});

// The thread as the reporter finds it later: the counsellor's messages (one signed),
// her own with a file, and the note on a closed request.
registry.category("web_tour.tours").add("vp_public_axe_inbox_tour", {
    steps: () => [
        {
            content: "The saved receipt code",
            trigger: "input[name=code]",
            run(helpers) {
                helpers.edit(sessionStorage.getItem(CODE));
            },
        },
        { content: "Open", trigger: "button.o_vp_inbox_open", run: "click", expectUnloadPage: true },
        { content: "The counsellor's messages", trigger: ".o_vp_inbox_message_counsellor" },
        axeStep("the thread of a closed request", ".o_vp_inbox_closed_note"),
    ],
});
