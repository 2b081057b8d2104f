/** @odoo-module **/
// Next to "Lock confidential content" and "Change vault passphrase", a counsellor's
// user menu offered Odoo's Documentation, Support, Onboarding and odoo.com account, links out
// of a confidential workplace she has no use for. Users with a role of the addon get the
// menu without them; everyone else keeps Odoo's menu as it is.

import { user } from "@web/core/user";
import { patch } from "@web/core/utils/patch";
import { UserMenu } from "@web/webclient/user_menu/user_menu";

const ROLES = [
    "vertrouwenspersoon.group_counsellor",
    "vertrouwenspersoon.group_coordinator",
    "vertrouwenspersoon.group_hr_notice",
    "vertrouwenspersoon.group_management",
    "vertrouwenspersoon.group_invoicing",
];
const OUT_OF_PLACE = new Set(["documentation", "support", "account", "web_tour.tour_enabled"]);

let hasRole = false;
Promise.all(ROLES.map((group) => user.hasGroup(group))).then((held) => {
    hasRole = held.some(Boolean);
});

patch(UserMenu.prototype, {
    getElements() {
        const elements = super.getElements(...arguments);
        return hasRole ? elements.filter((element) => !OUT_OF_PLACE.has(element.id)) : elements;
    },
});
