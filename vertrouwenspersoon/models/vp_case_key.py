# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging

from odoo import api, fields, models
from odoo.exceptions import AccessError

from .. import crypto

_logger = logging.getLogger(__name__)


class VpCaseKey(models.Model):
    """The data key of one case, wrapped by the master key.

    No group has any access right on this model: only the encryption code
    below reaches it, with sudo(), and it hands out keys to callers that have
    already checked that the current user may read the case's content.
    """

    _name = "vp.case.key"
    _description = "Case key (wrapped)"
    _log_access = False

    case_id = fields.Many2one("vp.case", required=True, ondelete="cascade", index=True)
    wrapped_key = fields.Char(required=True)
    master_key_id = fields.Char(required=True, help="Fingerprint of the master key that wraps this key.")

    _sql_constraints = [
        ("case_unique", "unique(case_id)", "A case has exactly one key."),
    ]

    @staticmethod
    def _aad(case_id):
        return f"vp.case.key:{case_id}".encode()

    @api.model
    def _get_data_keys(self, case_ids, create_missing=False):
        """Return {case_id: data key} for the given case ids.

        Loads the master key first, so a missing key file fails before any
        write. With create_missing, cases without a key get a fresh one.
        """
        master_keys = crypto.load_master_keys()
        # sudo: this model has no access rights; the caller has checked the
        # user's right to the case content before asking for its key.
        keys_sudo = self.sudo().search_fetch(
            [("case_id", "in", list(case_ids))], ["case_id", "wrapped_key", "master_key_id"]
        )
        data_keys = {}
        for key in keys_sudo:
            master = master_keys.get(key.master_key_id)
            if master is None:
                raise crypto.UserError(str(crypto.BROKEN_CIPHERTEXT_MESSAGE))
            data_keys[key.case_id.id] = crypto.unwrap_key(master, key.wrapped_key, self._aad(key.case_id.id))
        missing = [case_id for case_id in case_ids if case_id not in data_keys]
        if create_missing and missing:
            current_id, current = next(iter(master_keys.items()))
            vals_list = []
            for case_id in missing:
                data_keys[case_id] = crypto.new_data_key()
                vals_list.append(
                    {
                        "case_id": case_id,
                        "wrapped_key": crypto.wrap_key(current, data_keys[case_id], self._aad(case_id)),
                        "master_key_id": current_id,
                    }
                )
            self.sudo().create(vals_list)  # sudo: see above, no group may touch keys
        return data_keys

    @api.model
    def _rotate_master_key(self):
        """Re-wrap every case key under the current (first) master key.

        Content is not touched: only the wrapping of the data keys changes.
        Returns the number of keys re-wrapped. Afterwards the old master keys
        can be removed from the key file.
        """
        if not self.env.is_superuser() and not self.env.user.has_group("base.group_system"):
            raise AccessError(self.env._("Only an administrator can rotate the master key."))
        master_keys = crypto.load_master_keys()
        current_id, current = next(iter(master_keys.items()))
        # sudo: re-wrapping never exposes a data key outside this method.
        stale = self.sudo().search([("master_key_id", "!=", current_id)])
        for key in stale:
            old = master_keys.get(key.master_key_id)
            if old is None:
                raise crypto.UserError(str(crypto.BROKEN_CIPHERTEXT_MESSAGE))
            aad = self._aad(key.case_id.id)
            data_key = crypto.unwrap_key(old, key.wrapped_key, aad)
            key.write({"wrapped_key": crypto.wrap_key(current, data_key, aad), "master_key_id": current_id})
        _logger.info("Re-wrapped %d case keys under master key %s", len(stale), current_id)
        # Timesheet notes are sealed directly under a master key: seal them again under the current one.
        lines_sudo = self.env["account.analytic.line"].sudo()  # sudo: re-seals ciphertext, inside this method only
        lines = lines_sudo.search([("vp_note_sealed", "!=", False)])
        for line in lines:
            plain = crypto.open_with_any(master_keys, line.vp_note_sealed, line._vp_note_aad())
            line.vp_note_sealed = crypto.encrypt(current, plain, line._vp_note_aad())
        _logger.info("Re-sealed %d timesheet notes under master key %s", len(lines), current_id)
        return len(stale)
