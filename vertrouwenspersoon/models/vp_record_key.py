# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.tools import SQL

from .. import crypto


class VpRecordKey(models.Model):
    """The data key of one notice or breach record, wrapped by the master key.

    Notices and breach records are read by people who must never hold the
    case's own key (HR recipients, the coordinator as second signatory), so
    their content has a key of its own. Until those readers have key pairs
    of their own, it is wrapped under the master key, as case keys were
    before reader-held keys (see README, Encryption).

    No group has any access right on this model: only the encryption code
    reaches it, with sudo(), after checking the user may read the record.
    """

    _name = "vp.record.key"
    _description = "Record key (wrapped)"
    _log_access = False

    res_model = fields.Char(required=True, index=True)
    res_id = fields.Integer(required=True, index=True)
    wrapped_key = fields.Char(required=True)
    master_key_id = fields.Char(required=True)

    _sql_constraints = [("record_unique", "unique(res_model, res_id)", "A record has exactly one key.")]

    @staticmethod
    def _aad(res_model, res_id):
        return f"vp.record.key:{res_model}:{res_id}".encode()

    @api.model
    def _get_data_keys(self, res_model, res_ids, create_missing=False):
        master_keys = crypto.load_master_keys()
        # sudo: no access rights on this model; the caller checked the user's right to the records.
        keys_sudo = self.sudo().search_fetch(
            [("res_model", "=", res_model), ("res_id", "in", list(res_ids))], ["res_id", "wrapped_key", "master_key_id"]
        )
        data_keys = {}
        for key in keys_sudo:
            master = master_keys.get(key.master_key_id)
            if master is None:
                raise crypto.UserError(str(crypto.BROKEN_CIPHERTEXT_MESSAGE))
            data_keys[key.res_id] = crypto.unwrap_key(master, key.wrapped_key, self._aad(res_model, key.res_id))
        missing = [res_id for res_id in res_ids if res_id not in data_keys]
        if create_missing and missing:
            current_id, current = next(iter(master_keys.items()))
            vals_list = []
            for res_id in missing:
                data_keys[res_id] = crypto.new_data_key()
                vals_list.append(
                    {
                        "res_model": res_model,
                        "res_id": res_id,
                        "wrapped_key": crypto.wrap_key(current, data_keys[res_id], self._aad(res_model, res_id)),
                        "master_key_id": current_id,
                    }
                )
            self.sudo().create(vals_list)  # sudo: see above
        return data_keys

    @api.model
    def _vp_rewrap(self, master_keys, current_id):
        """Re-wrap every record key under the current master key (rotation)."""
        current = master_keys[current_id]
        stale = self.sudo().search([("master_key_id", "!=", current_id)])  # sudo: keys only, inside rotation
        for key in stale:
            old = master_keys.get(key.master_key_id)
            if old is None:
                raise crypto.UserError(str(crypto.BROKEN_CIPHERTEXT_MESSAGE))
            aad = self._aad(key.res_model, key.res_id)
            data_key = crypto.unwrap_key(old, key.wrapped_key, aad)
            key.write({"wrapped_key": crypto.wrap_key(current, data_key, aad), "master_key_id": current_id})
        return len(stale)

    @api.model
    def _vp_migrate_from_case_keys(self):
        """Update from the version before record keys: notices and breach
        records sealed under their case's key are sealed again under a key of
        their own. Runs at every install and update; does nothing once done."""
        moved = 0
        for model in ("vp.notice", "vp.breach"):
            records = self.env[model]
            fields_map = records._vp_encrypted_fields
            # sudo: ciphertext and keys only, inside this update step.
            records_sudo = records.sudo().with_context(active_test=False).search([])
            have = set(self.sudo().search([("res_model", "=", model)]).mapped("res_id"))
            ciphers = tuple(fields_map.values())
            todo = records_sudo.filtered(
                lambda rec, have=have, ciphers=ciphers: rec.id not in have and any(rec[cipher] for cipher in ciphers)
            )
            if not todo:
                continue
            case_keys = self.env["vp.case.key"]._vp_master_wrapped_keys(set(todo.case_id.ids))
            new_keys = self._get_data_keys(model, todo.ids, create_missing=True)
            for rec in todo:
                vals = {}
                for name, cipher in fields_map.items():
                    if rec[cipher]:
                        aad = rec._vp_aad(name)
                        plain = crypto.decrypt(case_keys[rec.case_id.id], rec[cipher], aad)
                        vals[cipher] = crypto.encrypt(new_keys[rec.id], plain, aad)
                # In SQL: a sent notice or submitted breach refuses ORM writes, and
                # only the sealing changes, not what it seals.
                self.env.cr.execute(
                    SQL(
                        "UPDATE %s SET %s WHERE id = %s",
                        SQL.identifier(rec._table),
                        SQL(", ").join(SQL("%s = %s", SQL.identifier(cipher), value) for cipher, value in vals.items()),
                        rec.id,
                    )
                )
                moved += 1
            records.invalidate_model(list(fields_map.values()))
        return moved
