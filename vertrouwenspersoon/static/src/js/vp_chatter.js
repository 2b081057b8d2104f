/** @odoo-module **/
// On confidential records the chatter shows activities and the
// tracked changes only. The server refuses messages, notes, attachments and
// followers there anyway; without a composer nothing the counsellor types is kept
// as a draft in the browser's localStorage, in clear, after logout.

import { Chatter } from "@mail/chatter/web_portal/chatter";
import { browser } from "@web/core/browser/browser";
import { patch } from "@web/core/utils/patch";
import { session } from "@web/session";

// The models that hold case content, as the server derives them (tools/confidential.py).
export const VP_CONFIDENTIAL_MODELS = new Set(session.vp_content_models || []);

/** Drafts an earlier version may have left behind, e.g. "Composer,(Thread,vp.case AND 27)". */
export function vpForgetConfidentialDrafts() {
    const storage = browser.localStorage;
    const stale = [];
    for (let index = 0; index < storage.length; index++) {
        const key = storage.key(index);
        if (key && key.startsWith("Composer,") && [...VP_CONFIDENTIAL_MODELS].some((model) => key.includes(`Thread,${model} `))) {
            stale.push(key);
        }
    }
    stale.forEach((key) => storage.removeItem(key));
}

patch(Chatter.prototype, {
    setup() {
        super.setup(...arguments);
        if (this.vpConfidential) {
            vpForgetConfidentialDrafts();
        }
    },
    get vpConfidential() {
        return VP_CONFIDENTIAL_MODELS.has(this.props.threadModel);
    },
    toggleComposer() {
        if (this.vpConfidential) {
            return;
        }
        return super.toggleComposer(...arguments);
    },
});
