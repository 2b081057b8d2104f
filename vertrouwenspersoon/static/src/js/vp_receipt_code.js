/** @odoo-module **/
// The receipt code a counsellor gives a reporter who phoned or came in person: shown once,
// in a dialog of its own (not a toast that one click loses), with copy and print, and
// closed with "I have passed it on". The code is never stored: only this dialog has it.

import { Component, useState } from "@odoo/owl";
import { Dialog } from "@web/core/dialog/dialog";
import { useHotkey } from "@web/core/hotkeys/hotkey_hook";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { browser } from "@web/core/browser/browser";

export class VpReceiptCodeDialog extends Component {
    static template = "vertrouwenspersoon.ReceiptCodeDialog";
    static components = { Dialog };
    static props = {
        code: String,
        url: String,
        caseName: String,
        onPassedOn: Function,
        close: Function,
    };

    setup() {
        this.state = useState({ passedOn: false, copied: false });
        // The code is shown only this once: Escape does not close the dialog.
        useHotkey("escape", () => {});
    }

    get title() {
        return _t("Receipt code for the reporter of %(case)s", { case: this.props.caseName });
    }

    async copy() {
        await browser.navigator.clipboard.writeText(this.props.code);
        this.state.copied = true;
    }

    print() {
        const frame = document.createElement("iframe");
        frame.className = "o_vp_receipt_print d-none";
        document.body.appendChild(frame);
        const doc = frame.contentWindow.document;
        const escape = (text) => text.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);
        doc.open();
        doc.write(`<!DOCTYPE html><html><head><meta charset="utf-8"><title>${escape(_t("Your receipt code"))}</title>
            <style>body{font-family:sans-serif;margin:2cm}code{font-size:20pt;letter-spacing:.1em;white-space:nowrap}</style>
            </head><body>
            <h1>${escape(_t("Your receipt code"))}</h1>
            <p><code>${escape(this.props.code)}</code></p>
            <p>${escape(_t("With this code you read and answer your confidential counsellor's messages at:"))}</p>
            <p><strong>${escape(this.props.url)}</strong></p>
            <p>${escape(_t("Keep it to yourself: whoever has the code can read the messages. It cannot be shown again."))}</p>
            </body></html>`);
        doc.close();
        frame.contentWindow.focus();
        frame.contentWindow.print();
        setTimeout(() => frame.remove(), 1000);
    }

    done() {
        this.props.onPassedOn();
        this.props.close();
    }
}

async function vpReceiptCode(env, action) {
    const { code, url, case_name: caseName, next } = action.params;
    let passedOn = false;
    await new Promise((resolve) => {
        env.services.dialog.add(
            VpReceiptCodeDialog,
            { code, url, caseName, onPassedOn: () => (passedOn = true) },
            { onClose: resolve }
        );
    });
    if (!passedOn) {
        env.services.notification.add(
            _t("The receipt code was closed before you confirmed that the reporter has it. It cannot be shown again."),
            { type: "warning", sticky: true }
        );
    }
    return next || false;
}

registry.category("actions").add("vp_receipt_code", vpReceiptCode);
