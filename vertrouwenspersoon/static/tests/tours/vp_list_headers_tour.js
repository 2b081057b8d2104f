/** @odoo-module **/
// tests/test_ui_tours.py: on the list it opens, no column header is
// cut off ("Datum ondersteuni…"). The test runs it at 1440x900 on the addon's lists.

import { registry } from "@web/core/registry";
import { unlockWith } from "@vertrouwenspersoon/../tests/tours/vp_tour_steps";

function checkHeaders() {
    return [
        {
            content: "The list is shown with its columns sized",
            trigger: ".o_list_view .o_list_table thead th[data-name] .text-truncate",
        },
        {
            content: "No header is truncated",
            trigger: ".o_list_view .o_list_table thead",
            run() {
                const truncated = [...document.querySelectorAll(".o_list_table thead th[data-name]")]
                    .map((th) => [th.dataset.name, th.querySelector(".text-truncate")])
                    .filter(([, span]) => span && span.scrollWidth > span.clientWidth + 1)
                    .map(([name, span]) => `${name} "${span.textContent.trim()}"`);
                if (truncated.length) {
                    throw new Error(`Truncated column headers: ${truncated.join(", ")}`);
                }
            },
        },
    ];
}

registry.category("web_tour.tours").add("vp_list_headers_tour", { steps: checkHeaders });

// A counsellor is asked for her vault passphrase on signing in.
registry.category("web_tour.tours").add("vp_list_headers_counsellor_tour", {
    steps: () => [
        ...unlockWith("vp_counsellor-kluis", "Unlock the vault"),
        { content: "Unlocked", trigger: "body:not(:has(.modal))" },
        ...checkHeaders(),
    ],
});
