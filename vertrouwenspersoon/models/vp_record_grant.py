# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

from ..vault import keyring as vault


class VpRecordGrant(models.Model):
    """The data key of one record with readers of its own (a notice to HR, a
    breach record, a timesheet note on prevention work), wrapped for one of
    its readers or for its organisation's recovery key.

    Works like a case's grants (``vp.key.grant``): *sealed* for the reader's
    public key when made without them (a notice sent to HR), kept under the
    reader's keyring key once they opened it, *waiting* (no token) for a
    reader without a key pair or whose key nobody present could open; the
    next holder who unlocks fulfils it. Records are named by model and id:
    their readers are not a case's (HR must never hold the case's key).

    No group has any access right on this model; the vault code reaches it
    with sudo() and opens a grant only with the reader's own opened key.
    """

    _name = "vp.record.grant"
    _description = "Record key grant (vault)"
    _inherit = ["vp.field.access.mixin"]
    _log_access = False

    res_model = fields.Char(required=True, index=True)
    res_id = fields.Integer(required=True, index=True)
    user_id = fields.Many2one("res.users", ondelete="cascade", index=True)
    organisation_id = fields.Many2one("vp.organisation", string="Recovery key of", ondelete="cascade", index=True)
    kind = fields.Selection(
        [("sealed", "Sealed for the reader's public key"), ("keyring", "Under the reader's keyring key")]
    )
    token = fields.Char()

    _sql_constraints = [
        ("reader_unique", "unique(res_model, res_id, user_id)", "A reader has one grant per record."),
        (
            "recovery_unique",
            "unique(res_model, res_id, organisation_id)",
            "An organisation has one recovery grant per record.",
        ),
        (
            "one_holder",
            "CHECK((user_id IS NULL) != (organisation_id IS NULL))",
            "A grant is for a reader or for a recovery key.",
        ),
    ]

    @staticmethod
    def _vp_aad(res_model, res_id, holder):
        return f"vp.record.grant:{res_model}:{res_id}:{holder}".encode()

    def _vp_holder(self):
        self.ensure_one()
        return f"user:{self.user_id.id}" if self.user_id else f"recovery:{self.organisation_id.id}"

    def _vp_open(self, opened):
        """The data key of this grant, with the reader's opened vault; a sealed
        grant is moved under the keyring key on the way (once)."""
        self.ensure_one()
        aad = self._vp_aad(self.res_model, self.res_id, self._vp_holder())
        if self.kind == "keyring":
            return vault.unwrap_with_keyring(opened.keyring_key, self.token, aad)
        data_key = vault.open_sealed(opened.private_key, self.token, aad)
        self.write({"kind": "keyring", "token": vault.wrap_with_keyring(opened.keyring_key, data_key, aad)})
        return data_key

    @api.model
    def _vp_seal(self, res_model, res_id, data_key, users=None, organisation=None, existing=None):
        """Grant ``data_key`` of the record to ``users`` (their public keys)
        and to ``organisation``'s recovery key; readers without a key pair get
        a waiting grant. Grants that hold a token are kept."""
        users = users or self.env["res.users"]
        # sudo: grants and public keys only; no group may touch this model.
        grants_sudo = self.sudo()
        if existing is None:
            existing = grants_sudo.search([("res_model", "=", res_model), ("res_id", "=", res_id)])
        have = {grant.user_id.id for grant in existing if grant.token and grant.user_id}
        waiting = {grant.user_id.id: grant for grant in existing if grant.user_id and not grant.token}
        keys = {key.user_id.id: key for key in self.env["vp.reader.key"]._vp_key_of(users.ids)}
        vals_list = []
        for user in users:
            if user.id in have:
                continue
            key = keys.get(user.id)
            aad = self._vp_aad(res_model, res_id, f"user:{user.id}")
            token = vault.seal_for(key.public_key, data_key, aad) if key else False
            vals = {"kind": "sealed" if token else False, "token": token}
            if user.id in waiting:
                if token:
                    waiting[user.id].write(vals)
                continue
            vals_list.append({"res_model": res_model, "res_id": res_id, "user_id": user.id, **vals})
        public = organisation and organisation._vp_recovery_public_key()
        if public and not existing.filtered(lambda grant: grant.organisation_id == organisation):
            aad = self._vp_aad(res_model, res_id, f"recovery:{organisation.id}")
            vals_list.append(
                {
                    "res_model": res_model,
                    "res_id": res_id,
                    "organisation_id": organisation.id,
                    "kind": "sealed",
                    "token": vault.seal_for(public, data_key, aad),
                }
            )
        return grants_sudo.create(vals_list)
