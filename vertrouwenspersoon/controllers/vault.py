# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import http
from odoo.exceptions import UserError
from odoo.http import request

from ..const import COUNSELLOR, HR_NOTICE
from ..models.keys.vp_reader_key import WrongPassphrase
from ..tools import identity
from ..vault import session as vault_session


class VpVaultController(http.Controller):
    """Unlocking the reader's vault in this browser session (JSON, for the web
    client's dialog and for external JSON-RPC clients with a web session).

    A wrong passphrase is answered, not raised, so that the failure counted
    against further guessing is kept (a raised error rolls the request back).
    """

    def _idle_minutes(self):
        env = request.env
        # sudo: the lock time set on the organisations this user serves; no case is read.
        organisations = env["vp.organisation"].sudo().search([("counsellor_ids", "in", env.uid)])
        minutes = organisations.mapped("vault_idle_minutes")
        return min(minutes) if minutes else vault_session.DEFAULT_IDLE_MINUTES

    @http.route("/vertrouwenspersoon/vault/status", type="json", auth="user")
    def status(self):
        env = request.env
        has_key = bool(env["vp.reader.key"]._vp_own_key())
        waiting = env["vp.record.key"]._vp_master_items_of_current_user()
        return {
            "has_key": has_key,
            # Content still on the master key waits for her: the dialog cannot be dismissed.
            "must_unlock": bool(waiting),
            "unlocked": vault_session.current_vault(env) is not None,
            # Counsellors read cases, HR the notices sealed for them: both are asked to
            # unlock when the backend opens, not at the first notice they click.
            "is_reader": env.user.has_group(COUNSELLOR) or env.user.has_group(HR_NOTICE) or bool(waiting),
            "message": str(vault_session.LOCKED_MESSAGE),
        }

    @staticmethod
    def _opened(open_key):
        """(the vault ``open_key()`` opens, None), or (None, the dialog's answer) when it
        cannot: a wrong passphrase (counted and logged, so kept), too many tries, no key
        yet, a new passphrase refused (nothing was changed)."""
        try:
            return open_key(), None
        except WrongPassphrase as error:
            return None, {"unlocked": False, "message": str(error)}
        except UserError as error:
            request.env.cr.rollback()
            return None, {"unlocked": False, "message": str(error)}

    @http.route("/vertrouwenspersoon/vault/unlock", type="json", auth="user")
    def unlock(self, passphrase=None):
        env = request.env
        opened, refused = self._opened(lambda: env["vp.reader.key"]._vp_open(passphrase))
        if refused:
            return refused
        vault_session.store_in_session(env, opened, self._idle_minutes())
        return {"unlocked": True, "notices": env["vp.reader.key"]._vp_after_unlock(opened)}

    @http.route("/vertrouwenspersoon/vault/passphrase", type="json", auth="user")
    def set_passphrase(self, passphrase=None, old_passphrase=None):
        env = request.env
        # Choosing or changing the passphrase asks for the password and the second factor
        # again (Odoo's identity check); the dialog runs it and sends the passphrase again.
        if not identity.recently_confirmed():
            return {"unlocked": False, "identity_check": env.user.action_vp_confirm_identity()}
        opened, refused = self._opened(lambda: env["vp.reader.key"]._vp_set_passphrase(passphrase, old_passphrase))
        if refused:
            return refused
        vault_session.store_in_session(env, opened, self._idle_minutes())
        moved = env["vp.record.key"]._vp_migrate_current_reader()
        return {"unlocked": True, "moved": moved}

    @http.route("/vertrouwenspersoon/vault/lock", type="json", auth="user")
    def lock(self):
        vault_session.lock(request.env)
        return {"unlocked": False}
