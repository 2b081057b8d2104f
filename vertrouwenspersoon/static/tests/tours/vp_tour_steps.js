/** @odoo-module **/
// Steps every role's tour takes (imported as "@vertrouwenspersoon/../tests/tours/vp_tour_steps").

import { stepUtils } from "@web_tour/tour_service/tour_utils";

// The vault's unlock dialog: type the passphrase (a string, or a step's run
// function where the passphrase comes from the test) and press Unlock.
export function unlockWith(passphrase, content = "The unlock dialog asks for the vault passphrase") {
    return [
        {
            content,
            trigger: ".modal input[name=vp_vault_passphrase]",
            run: typeof passphrase === "function" ? passphrase : `edit ${passphrase}`,
        },
        { content: "Unlock", trigger: ".modal .o_vp_vault_unlock", run: "click" },
    ];
}

export const unlocked = { content: "Unlocked", trigger: "body:not(:has(.modal input[name=vp_vault_passphrase]))" };

// From the home menu into the addon's app.
export function openCounsellorsApp() {
    return [
        stepUtils.showAppsMenuItem(),
        {
            content: "Open the counsellors' app",
            trigger: '.o_app[data-menu-xmlid="vertrouwenspersoon.menu_root"]',
            run: "click",
        },
    ];
}

// Counts the clicks of a tour (steps that click): `steps.map(countClicks("name"))`. The
// last step logs "vp_clicks <name> <count>" on the browser console, which the test reads
// (tests/test_ui_tours.py): the measure of a role's main flow.
export function countClicks(name) {
    const counter = { clicks: 0 };
    return (step, index, steps) => {
        let counted = step;
        if (step.run === "click") {
            counted = {
                ...step,
                run(helpers) {
                    counter.clicks++;
                    return helpers.click();
                },
            };
        }
        if (index === steps.length - 1) {
            const last = counted;
            return [
                last,
                {
                    content: "Clicks counted",
                    trigger: "body",
                    run() {
                        console.log(`vp_clicks ${name} ${counter.clicks}`);
                    },
                },
            ];
        }
        return [counted];
    };
}
