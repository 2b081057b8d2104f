/** @odoo-module **/
// The vault as a counsellor meets it (tests/test_vault_tours.py): the unlock
// dialog with a wrong and then the right passphrase; the idle lock (the test
// ages the session's last use, the dialog comes back); a change of passphrase
// and "lock now" from the user menu, after which only the new one unlocks.
// Texts are checked in Dutch where the catalogue has them; new strings are
// found by their element, so the tour does not depend on a catalogue update.

import { registry } from "@web/core/registry";
import {
    confirmIdentity,
    openCounsellorsApp,
    unlocked,
    unlockWith,
} from "@vertrouwenspersoon/../tests/tours/vp_tour_steps";

const CASE = "VP-RONDLEIDING-1";
const NAME = "Testmelder Jolanda Verbeek";
const OLD = "vp_counsellor-kluis";
const NEW = "een heel andere lange zin";

function openTheCase() {
    return [
        {
            content: "Her case on the board",
            trigger: `.o_vp_case_kanban .o_kanban_record:contains(${CASE})`,
            run: "click",
        },
        {
            content: "The employee's name, decrypted",
            trigger: `.o_field_widget[name=employee_name] input:value(${NAME})`,
        },
    ];
}

const backToTheBoard = {
    content: "Back to the board",
    trigger: ".o_breadcrumb .o_back_button",
    run: "click",
};

function userMenu(item) {
    return [
        { content: "Open the user menu", trigger: ".o_user_menu button", run: "click" },
        { content: `Menu item ${item}`, trigger: `.dropdown-item[data-menu=${item}]`, run: "click" },
    ];
}

registry.category("web_tour.tours").add("vp_vault_tour", {
    url: "/odoo",
    steps: () => [
        ...unlockWith("dit is niet mijn kluiswachtzin"),
        {
            content: "A wrong passphrase is told plainly, in Dutch",
            trigger: ".modal .alert-danger:contains(Dat is niet uw kluiswachtzin.)",
        },
        ...unlockWith(OLD),
        unlocked,
        ...openCounsellorsApp(),
        ...openTheCase(),
        backToTheBoard,
        {
            content: "She leaves the screen alone longer than her organisation's idle time (the test ages the session)",
            trigger: ".o_vp_case_kanban",
            run: async () => {
                const answer = await fetch("https://vp-tour.test/idle");
                if ((await answer.text()) !== "aged") {
                    throw new Error("the test did not age the session");
                }
                window.location.reload();
            },
        },
        // After the reload the web client asks again: the vault locked itself.
        ...unlockWith(OLD),
        unlocked,
        ...openTheCase(),
        backToTheBoard,
        ...userMenu("vp_vault_passphrase"),
        { content: "Current passphrase", trigger: ".modal input[name=vp_vault_old]", run: "edit verkeerd oud 12345" },
        { content: "New passphrase", trigger: ".modal input[name=vp_vault_new]", run: `edit ${NEW}` },
        { content: "Repeat it", trigger: ".modal input[name=vp_vault_new_repeat]", run: `edit ${NEW}` },
        { content: "Change", trigger: ".modal .o_vp_vault_change", run: "click" },
        // Changing the passphrase asks for her password and her second factor again first.
        ...confirmIdentity("vp_counsellor"),
        {
            content: "A wrong current passphrase is refused like a wrong unlock",
            trigger: ".modal .alert-danger:contains(Dat is niet uw kluiswachtzin.)",
        },
        { content: "The right current passphrase", trigger: ".modal input[name=vp_vault_old]", run: `edit ${OLD}` },
        { content: "Change", trigger: ".modal .o_vp_vault_change", run: "click" },
        { content: "Changed", trigger: "body:not(:has(.modal input[name=vp_vault_old]))" },
        ...userMenu("vp_vault_lock"),
        // The page reloads locked: the old passphrase opens nothing any more, the new one does.
        ...unlockWith(OLD),
        {
            content: "The old passphrase is refused",
            trigger: ".modal .alert-danger:contains(Dat is niet uw kluiswachtzin.)",
        },
        ...unlockWith(NEW),
        unlocked,
        ...openTheCase(),
    ],
});
