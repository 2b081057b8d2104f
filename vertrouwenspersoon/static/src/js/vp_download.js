/** @odoo-module **/
// Downloads a file the way Odoo downloads a PDF report (a POST in the page, no
// blank tab), then runs the next action, e.g. closing the wizard that asked for it.

import { registry } from "@web/core/registry";
import { download } from "@web/core/network/download";

async function vpDownload(env, action) {
    const { url, next } = action.params;
    env.services.ui.block();
    try {
        await download({ url, data: {} });
    } finally {
        env.services.ui.unblock();
    }
    return next || false;
}

registry.category("actions").add("vp_download", vpDownload);
