/** @odoo-module **/
// The unlock dialog: shown when the server answers that confidential content
// is locked (VaultLocked). The passphrase goes to the server once, over the
// session's own connection; the server keeps the opened key only wrapped
// under a secret this browser holds in an HttpOnly cookie.
import { Component, useRef, useState, onMounted } from "@odoo/owl";
import { Dialog } from "@web/core/dialog/dialog";
import { standardErrorDialogProps } from "@web/core/errors/error_dialogs";
import { _t } from "@web/core/l10n/translation";
import { rpc } from "@web/core/network/rpc";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { submitOnEnter, submitPassphrase } from "./vault_passphrase_form";

export class VaultUnlockDialog extends Component {
    static template = "vertrouwenspersoon.VaultUnlockDialog";
    static components = { Dialog };
    static props = { ...standardErrorDialogProps, reload: { type: Boolean, optional: true } };
    static defaultProps = { reload: true };

    setup() {
        this.action = useService("action");
        this.input = useRef("passphrase");
        this.state = useState({
            hasKey: true,
            mustUnlock: false,
            busy: false,
            error: "",
            passphrase: "",
            repeat: "",
            notices: [],
        });
        onMounted(async () => {
            const status = await rpc("/vertrouwenspersoon/vault/status", {});
            this.state.hasKey = status.has_key;
            // Content still on the master key waits for her: no way around the dialog.
            this.state.mustUnlock = status.must_unlock;
            this.input.el?.focus();
        });
    }

    get title() {
        return this.state.hasKey ? _t("Unlock confidential content") : _t("Choose your vault passphrase");
    }

    async submit() {
        const route = this.state.hasKey
            ? "/vertrouwenspersoon/vault/unlock"
            : "/vertrouwenspersoon/vault/passphrase";
        await submitPassphrase(
            this,
            route,
            { passphrase: this.state.passphrase },
            {
                repeated: !this.state.hasKey,
                onUnlocked: async (result) => {
                    this.state.passphrase = this.state.repeat = "";
                    if (result.notices?.length) {
                        // What the unlock found (a key or a log changed behind her back): read first.
                        this.state.notices = result.notices;
                        return;
                    }
                    await this.done();
                },
            }
        );
    }

    async done() {
        this.props.close();
        if (this.props.reload) {
            // Opened because a read was refused: show what it refused.
            await this.action.doAction("soft_reload");
        }
    }

    cancel() {
        if (!this.state.mustUnlock) {
            this.props.close();
        }
    }

    onKeydown(ev) {
        submitOnEnter(this, ev);
    }
}

registry
    .category("error_dialogs")
    .add("odoo.addons.vertrouwenspersoon.vault.session.VaultLocked", VaultUnlockDialog);

// A counsellor is asked to unlock when the backend opens, before any screen
// needs content: a save then never fails half-way on a locked vault.
export const vaultService = {
    dependencies: ["dialog"],
    async start(env, { dialog }) {
        const status = await rpc("/vertrouwenspersoon/vault/status", {});
        if (!status.is_reader || status.unlocked) {
            return;
        }
        // After the first screen is up: opening an action closes the dialogs before it.
        // While content on the master key waits for her, closing it (Escape) asks again.
        const open = () => {
            dialog.add(
                VaultUnlockDialog,
                { message: status.message, reload: false },
                {
                    onClose: async () => {
                        const now = await rpc("/vertrouwenspersoon/vault/status", {});
                        if (now.must_unlock && !now.unlocked) {
                            open();
                        }
                    },
                }
            );
        };
        const ask = () => {
            env.bus.removeEventListener("ACTION_MANAGER:UI-UPDATED", ask);
            open();
        };
        env.bus.addEventListener("ACTION_MANAGER:UI-UPDATED", ask);
    },
};

registry.category("services").add("vp_vault", vaultService);
