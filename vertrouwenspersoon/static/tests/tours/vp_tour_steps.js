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

// Odoo's identity check, asked again before a sensitive act (choosing or changing the
// vault passphrase, the recovery key, erasing a case): the password, and the code the
// authenticator app shows now, which the test computes from the demo secret
// (https://vp-tour.test/totp, answered by the test's fetch_proxy).
export function confirmIdentity(password) {
    return [
        {
            content: "Odoo asks for the password again",
            trigger: ".modal div[name=password] input",
            run: `edit ${password}`,
        },
        {
            content: "and the code of the second factor",
            trigger: ".modal div[name=vp_code] input",
            run: async (actions) => {
                const code = await (await fetch("https://vp-tour.test/totp")).text();
                await actions.edit(code);
            },
        },
        { content: "Confirm", trigger: ".modal button[name=run_check]", run: "click" },
        { content: "Confirmed", trigger: "body:not(:has(.modal div[name=vp_code]))" },
    ];
}

// Counts the clicks of a tour (steps that click): `steps.flatMap(countClicks("name", max))`.
// The last step logs "vp_clicks <name> <count>" on the browser console and fails the tour
// when the flow took more than `max` clicks: the measure of a role's main flow, kept from
// growing (the bounds are listed in docs/WORK_PER_ROLE.md).
export function countClicks(name, max) {
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
        if (index !== steps.length - 1) {
            return [counted];
        }
        return [
            counted,
            {
                content: `Clicks counted (at most ${max})`,
                trigger: "body",
                run() {
                    console.log(`vp_clicks ${name} ${counter.clicks}`);
                    if (counter.clicks > max) {
                        throw new Error(`${name}: ${counter.clicks} clicks, more than ${max}`);
                    }
                },
            },
        ];
    };
}
