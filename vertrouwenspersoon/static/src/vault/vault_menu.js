/** @odoo-module **/
// The counsellor's own vault, from the user menu (top right): lock it now,
// or change its passphrase. Changing it re-seals only the private key under
// the new passphrase; the case keys it holds stay as they are. A wrong old
// passphrase counts as a wrong unlock (slowed down and logged).
import { Component, useRef, useState, onMounted } from "@odoo/owl";
import { browser } from "@web/core/browser/browser";
import { Dialog } from "@web/core/dialog/dialog";
import { _t } from "@web/core/l10n/translation";
import { rpc } from "@web/core/network/rpc";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { submitOnEnter, submitPassphrase } from "./vault_passphrase_form";

// What the user menu needs to know, filled once when the web client starts.
const vaultMenuState = { isReader: false, hasKey: false };

export class VaultPassphraseDialog extends Component {
    static template = "vertrouwenspersoon.VaultPassphraseDialog";
    static components = { Dialog };
    static props = { close: Function };

    setup() {
        this.notification = useService("notification");
        this.action = useService("action");
        this.input = useRef("old");
        this.state = useState({ busy: false, error: "", old: "", passphrase: "", repeat: "" });
        onMounted(() => this.input.el?.focus());
    }

    async submit() {
        await submitPassphrase(
            this,
            "/vertrouwenspersoon/vault/passphrase",
            { old_passphrase: this.state.old, passphrase: this.state.passphrase },
            {
                repeated: true,
                onUnlocked: () => {
                    this.state.old = this.state.passphrase = this.state.repeat = "";
                    this.notification.add(_t("Your vault passphrase has been changed."), { type: "success" });
                    this.props.close();
                },
            }
        );
    }

    onKeydown(ev) {
        submitOnEnter(this, ev);
    }
}

export const vaultMenuService = {
    async start() {
        const status = await rpc("/vertrouwenspersoon/vault/status", {});
        vaultMenuState.isReader = status.is_reader;
        vaultMenuState.hasKey = status.has_key;
    },
};

registry.category("services").add("vp_vault_menu", vaultMenuService);

registry.category("user_menuitems").add("vp_vault_lock", (env) => ({
    type: "item",
    id: "vp_vault_lock",
    description: _t("Lock confidential content"),
    show: () => vaultMenuState.isReader && vaultMenuState.hasKey,
    callback: async () => {
        await rpc("/vertrouwenspersoon/vault/lock", {});
        // What the screens show was decrypted before the lock: reload, so nothing stays.
        browser.location.reload();
    },
    sequence: 44,
}));

registry.category("user_menuitems").add("vp_vault_passphrase", (env) => ({
    type: "item",
    id: "vp_vault_passphrase",
    description: _t("Change vault passphrase"),
    show: () => vaultMenuState.isReader && vaultMenuState.hasKey,
    callback: () => env.services.dialog.add(VaultPassphraseDialog),
    sequence: 45,
}));
