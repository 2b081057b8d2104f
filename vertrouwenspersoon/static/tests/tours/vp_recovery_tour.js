/** @odoo-module **/
// The organisation's recovery key as the coordinator meets it
// (tests/test_vault_tours.py): made from the organisation's form, shown once
// as a sheet (code and QR), gone when the page is opened again; typed back in
// later, it gives a case back to its counsellor. The test keeps the code the
// coordinator reads off the sheet (https://vp-tour.test/sheet), as paper would.

import { registry } from "@web/core/registry";
import { confirmIdentity } from "@vertrouwenspersoon/../tests/tours/vp_tour_steps";

const KEEP = "https://vp-tour.test/sheet";

// The organisation's form: Recovery key, which asks for her password and second factor again.
const openRecovery = [
    {
        content: "The organisation's form: Recovery key",
        trigger: ".o_form_view button[name=action_open_recovery]",
        run: "click",
    },
    ...confirmIdentity("vp_coordinator"),
];

registry.category("web_tour.tours").add("vp_recovery_make_tour", {
    steps: () => [
        ...openRecovery,
        {
            content: "It has none yet: make it",
            trigger: "form[action$='/make'] button[type=submit]",
            run: "click",
        },
        { content: "The sheet shows a QR image of the code", trigger: "img[src^='data:image/png']" },
        {
            content: "The code, once: she prints it (the test keeps it)",
            trigger: "p.font-monospace",
            run: async function () {
                const code = this.anchor.textContent.trim();
                if (!/^([A-Z2-9]{4}-){7}[A-Z2-9]{4}$/.test(code)) {
                    throw new Error(`not a recovery code: ${code}`);
                }
                await fetch(`${KEEP}/${code}`);
                sessionStorage.setItem("vp_recovery_sheet_seen", "1");
                window.location.href = window.location.pathname.replace(/\/make$/, "");
            },
        },
        {
            content: "Opened again, the page offers to use or replace the key, and shows no code",
            trigger: "body:not(:has(p.font-monospace)) input[name=code]",
            run: async () => {
                const code = await (await fetch(KEEP)).text();
                if (!code || document.body.textContent.includes(code)) {
                    throw new Error("the recovery code is shown a second time");
                }
            },
        },
    ],
});

registry.category("web_tour.tours").add("vp_recovery_use_tour", {
    steps: () => [
        ...openRecovery,
        {
            content: "She types the code from the printed sheet",
            trigger: "form[action$='/use'] input[name=code]",
            run: async function (actions) {
                const code = await (await fetch(KEEP)).text();
                await actions.edit(code.toLowerCase().replaceAll("-", " "));
            },
        },
        { content: "Give the cases back", trigger: "form[action$='/use'] button[type=submit]", run: "click" },
        { content: "Done: the cases were given back", trigger: ".alert-success" },
    ],
});
