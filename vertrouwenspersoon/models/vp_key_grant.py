# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

from ..vault import keyring as vault


class VpKeyGrant(models.Model):
    """A case's data key, wrapped for one of its readers (or for its
    organisation's recovery key).

    A grant is *sealed* while it was made with the reader's public key alone
    (intake, a handover made while the reader was away): it opens with the
    reader's private key. The first time the reader opens it, it is kept
    under the reader's keyring key instead (*keyring*), so later reads cost a
    symmetric unwrap, no public-key operation. A grant without a token is
    *waiting*: the reader was given the case, but nobody who holds its key
    has unlocked since; the next who does fulfils it.

    No group has any access right on this model; the vault code reaches it
    with sudo() and opens a grant only with the reader's own opened key.
    """

    _name = "vp.key.grant"
    _description = "Case key grant (vault)"
    _inherit = ["vp.field.access.mixin"]
    _log_access = False

    case_id = fields.Many2one("vp.case", required=True, ondelete="cascade", index=True)
    user_id = fields.Many2one("res.users", ondelete="cascade", index=True)
    organisation_id = fields.Many2one("vp.organisation", string="Recovery key of", ondelete="cascade", index=True)
    # The reporter, holder of the case's receipt code (vp.case.receipt): their
    # grant stays sealed for the public key derived from the code.
    receipt_id = fields.Many2one("vp.case.receipt", string="Receipt code of", ondelete="cascade", index=True)
    kind = fields.Selection(
        [("sealed", "Sealed for the reader's public key"), ("keyring", "Under the reader's keyring key")]
    )
    token = fields.Char()

    _sql_constraints = [
        ("reader_unique", "unique(case_id, user_id)", "A reader has one grant per case."),
        ("recovery_unique", "unique(case_id, organisation_id)", "An organisation has one recovery grant per case."),
        (
            "one_holder",
            "CHECK(num_nonnulls(user_id, organisation_id, receipt_id) = 1)",
            "A grant is for a reader, a recovery key or a reporter's receipt code.",
        ),
    ]

    @staticmethod
    def _vp_aad(case_id, holder):
        return f"vp.key.grant:{case_id}:{holder}".encode()

    def _vp_holder(self):
        self.ensure_one()
        if self.receipt_id:
            return f"receipt:{self.receipt_id.id}"
        return f"user:{self.user_id.id}" if self.user_id else f"recovery:{self.organisation_id.id}"

    def _vp_open(self, opened):
        """The data key of this grant, with the reader's opened vault; a sealed
        grant is moved under the keyring key on the way (once)."""
        self.ensure_one()
        aad = self._vp_aad(self.case_id.id, self._vp_holder())
        if self.kind == "keyring":
            return vault.unwrap_with_keyring(opened.keyring_key, self.token, aad)
        data_key = vault.open_sealed(opened.private_key, self.token, aad)
        self.write({"kind": "keyring", "token": vault.wrap_with_keyring(opened.keyring_key, data_key, aad)})
        return data_key

    @api.model
    def _vp_open_sealed_rows(self, opened, rows):
        """The data keys of this reader's sealed grants (rows of id, case id,
        user id, kind, token, all of ``opened.uid``), each opened with their
        private key once and kept under their keyring key from now on, in one
        UPDATE for the batch. Returns {case id: data key}."""
        data_keys, ids, tokens = {}, [], []
        for grant_id, case_id, user_id, _kind, token in rows:
            if user_id != opened.uid:
                continue
            aad = self._vp_aad(case_id, f"user:{user_id}")
            data_keys[case_id] = vault.open_sealed(opened.private_key, token, aad)
            ids.append(grant_id)
            tokens.append(vault.wrap_with_keyring(opened.keyring_key, data_keys[case_id], aad))
        if ids:
            self.flush_model(["kind", "token"])
            self.env.cr.execute(
                "UPDATE vp_key_grant g SET kind = 'keyring', token = t.token "
                "FROM unnest(%s::int[], %s::varchar[]) AS t(id, token) WHERE g.id = t.id AND g.user_id = %s",
                (ids, tokens, opened.uid),
            )
            self.invalidate_model(["kind", "token"])
        return data_keys

    @api.model
    def _vp_seal(self, case_id, data_key, users=None, organisation=None, new_key=False, reader_keys=None):
        """Grant ``data_key`` of ``case_id`` to ``users`` (their public keys)
        and to ``organisation``'s recovery key; readers without a key pair
        get a waiting grant. Existing grants are kept.

        ``new_key``: the key was made just now (vp.case.key._vp_new_data_keys,
        which found no grant of the case), so there is none to look up;
        ``reader_keys``: the vp.reader.key records of ``users``, when the
        caller has them already (one query less per intake submission)."""
        users = users or self.env["res.users"]
        # sudo: grants and public keys only; no group may touch this model.
        grants_sudo = self.sudo()
        existing = grants_sudo.browse() if new_key else grants_sudo.search([("case_id", "=", case_id)])
        have = {grant.user_id.id for grant in existing if grant.token}
        waiting = {grant.user_id.id: grant for grant in existing if grant.user_id and not grant.token}
        if reader_keys is None:
            reader_keys = self.env["vp.reader.key"]._vp_key_of(users.ids)
        keys = {key.user_id.id: key for key in reader_keys if key.user_id in users}
        vals_list = []
        for user in users:
            if user.id in have:
                continue
            key = keys.get(user.id)
            token = vault.seal_for(key.public_key, data_key, self._vp_aad(case_id, f"user:{user.id}")) if key else False
            vals = {"kind": "sealed" if token else False, "token": token}
            if user.id in waiting:
                if token:
                    waiting[user.id].write(vals)
                continue
            vals_list.append({"case_id": case_id, "user_id": user.id, **vals})
        public = organisation and organisation._vp_recovery_public_key()
        if public and not existing.filtered(lambda grant: grant.organisation_id == organisation):
            holder = f"recovery:{organisation.id}"
            vals_list.append(
                {
                    "case_id": case_id,
                    "organisation_id": organisation.id,
                    "kind": "sealed",
                    "token": vault.seal_for(public, data_key, self._vp_aad(case_id, holder)),
                }
            )
        return grants_sudo.create(vals_list)
