/** @odoo-module **/
// What the vault's passphrase dialogs (unlock or choose, change) do when sent: one
// submission at a time, a new passphrase typed twice alike, and Odoo's identity check
// when the server asks for it (choosing or changing a passphrase asks for the password
// and the second factor again), after which the dialog sends its form once more.
import { _t } from "@web/core/l10n/translation";
import { rpc } from "@web/core/network/rpc";

/**
 * Send a passphrase dialog's form to ``route``.
 *
 * @param {Component} dialog its ``state`` (busy, error, passphrase, repeat), its
 *     ``action`` service and its ``submit()``, which the identity check calls again
 * @param {string} route
 * @param {Object} params
 * @param {Object} options
 * @param {boolean} options.repeated the passphrase is typed twice: both must be alike
 * @param {Function} options.onUnlocked what the dialog does with the server's answer
 *     once the vault is open; any other answer's message is shown in the dialog
 */
export async function submitPassphrase(dialog, route, params, { repeated, onUnlocked }) {
    const state = dialog.state;
    if (state.busy) {
        return;
    }
    state.error = "";
    if (repeated && state.passphrase !== state.repeat) {
        state.error = _t("The two passphrases differ.");
        return;
    }
    state.busy = true;
    try {
        const result = await rpc(route, params);
        if (result.identity_check) {
            await dialog.action.doAction(result.identity_check, {
                onClose: (info) => info?.vp_identity_confirmed && dialog.submit(),
            });
            return;
        }
        if (!result.unlocked) {
            state.error = result.message;
            return;
        }
        await onUnlocked(result);
    } finally {
        state.busy = false;
    }
}

/** Enter in one of the dialog's fields sends its form. */
export function submitOnEnter(dialog, ev) {
    if (ev.key === "Enter") {
        dialog.submit();
    }
}
