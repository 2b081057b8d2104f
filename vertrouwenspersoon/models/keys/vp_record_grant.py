# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

from ...vault import keyring as vault

CASE = "vp.case"
CONSULTATION = "vp.consultation"
# The roles a consultation's two grants were sealed for while the consultation
# kept them in columns of its own (before 18.0.2.3.0).
CONSULTATION_ROLES = ("asker", "adviser")


class VpRecordGrant(models.Model):
    """The data key of one case or of one record with readers of its own (a
    notice to HR, a breach record, a timesheet note on prevention work, a
    consultation), wrapped for one of its readers, for its organisation's recovery key or,
    for a case, for the reporter's receipt code.

    A grant is *sealed* while it was made with the reader's public key alone
    (intake, a notice sent to HR, a handover made while the reader was away):
    it opens with the reader's private key. The first time the reader opens
    it, it is kept under the reader's keyring key instead (*keyring*), so later
    reads cost a symmetric unwrap, no public-key operation. A grant without a
    token is *waiting*: the reader was given the case or record, but nobody who
    holds its key has unlocked since; the next who does fulfils it. Records are
    named by model and id (a case is ``res_model = "vp.case"``): the readers of
    a notice are not its case's (HR must never hold the case's key).

    No group has any access right on this model; the vault code reaches it
    with sudo() and opens a grant only with the reader's own opened key.
    """

    _name = "vp.record.grant"
    _description = "Key grant (vault)"
    _inherit = ["vp.field.access.mixin"]
    _log_access = False

    res_model = fields.Char(required=True, index=True)
    res_id = fields.Integer(required=True, index=True)
    user_id = fields.Many2one("res.users", ondelete="cascade", index=True)
    organisation_id = fields.Many2one("vp.organisation", string="Recovery key of", ondelete="cascade", index=True)
    # The reporter, holder of a case's receipt code (vp.case.receipt): their
    # grant stays sealed for the public key derived from the code.
    receipt_id = fields.Many2one("vp.case.receipt", string="Receipt code of", ondelete="cascade", index=True)
    kind = fields.Selection(
        [("sealed", "Sealed for the reader's public key"), ("keyring", "Under the reader's keyring key")]
    )
    token = fields.Char()
    # Set only on the grants the update to 18.0.2.3.0 moved from a consultation's own
    # columns: the reader's role there ("asker" or "adviser"), which the grant was
    # sealed with and stays bound to (_vp_aad). Empty on every grant sealed here.
    sealed_as = fields.Char(readonly=True, copy=False)

    _sql_constraints = [
        ("reader_unique", "unique(res_model, res_id, user_id)", "A reader has one grant per record."),
        (
            "recovery_unique",
            "unique(res_model, res_id, organisation_id)",
            "An organisation has one recovery grant per record.",
        ),
        (
            "one_holder",
            "CHECK(num_nonnulls(user_id, organisation_id, receipt_id) = 1)",
            "A grant is for a reader, a recovery key or a reporter's receipt code.",
        ),
        (
            "receipt_of_case",
            "CHECK(receipt_id IS NULL OR res_model = 'vp.case')",
            "Only a case's key is granted to a receipt code.",
        ),
    ]

    @staticmethod
    def _vp_aad(res_model, res_id, holder, sealed_as=None):
        """What a grant's token is bound to. A case's grants keep the associated
        data they were sealed with before cases and records shared this model,
        so every grant sealed since opens as it did; the two forms never
        coincide, so a case's grant never opens as a record's, nor the reverse.
        A consultation's grant moved here from its own columns keeps theirs
        (``sealed_as``: the reader's role), which names neither form either."""
        if res_model == CONSULTATION and sealed_as in CONSULTATION_ROLES:
            return f"vp.consultation:{res_id}:{sealed_as}".encode()
        if res_model == CASE:
            return f"vp.key.grant:{res_id}:{holder}".encode()
        return f"vp.record.grant:{res_model}:{res_id}:{holder}".encode()

    def _vp_holder(self):
        self.ensure_one()
        if self.receipt_id:
            return f"receipt:{self.receipt_id.id}"
        return f"user:{self.user_id.id}" if self.user_id else f"recovery:{self.organisation_id.id}"

    def _vp_open(self, opened):
        """The data key of this grant, with the reader's opened vault; a sealed
        grant is moved under the keyring key on the way (once)."""
        self.ensure_one()
        aad = self._vp_aad(self.res_model, self.res_id, self._vp_holder(), self.sealed_as)
        if self.kind == "keyring":
            return vault.unwrap_with_keyring(opened.keyring_key, self.token, aad)
        data_key = vault.open_sealed(opened.private_key, self.token, aad)
        self.write({"kind": "keyring", "token": vault.wrap_with_keyring(opened.keyring_key, data_key, aad)})
        return data_key

    @api.model
    def _vp_open_rows(self, opened, res_model, rows):
        """The data keys of this reader's grants of ``res_model`` (rows of id,
        res id, user id, kind, token, sealed_as, all with a token), opened with their
        vault: keyring grants with one cipher for the batch, sealed ones with
        their private key once and kept under their keyring key from now on, in
        one UPDATE for the batch. Returns {res id: data key}."""
        data_keys, ids, tokens = {}, [], []
        keyring = vault.keyring_cipher(opened.keyring_key)
        for grant_id, res_id, user_id, kind, token, sealed_as in rows:
            if user_id != opened.uid:
                continue
            aad = self._vp_aad(res_model, res_id, f"user:{user_id}", sealed_as)
            if kind == "keyring":
                data_keys[res_id] = vault.unwrap_with_keyring_cipher(keyring, token, aad)
                continue
            data_keys[res_id] = vault.open_sealed(opened.private_key, token, aad)
            ids.append(grant_id)
            tokens.append(vault.wrap_with_keyring(opened.keyring_key, data_keys[res_id], aad))
        if ids:
            self.flush_model(["kind", "token"])
            self.env.cr.execute(
                "UPDATE vp_record_grant g SET kind = 'keyring', token = t.token "
                "FROM unnest(%s::int[], %s::varchar[]) AS t(id, token) WHERE g.id = t.id AND g.user_id = %s",
                (ids, tokens, opened.uid),
            )
            self.invalidate_model(["kind", "token"])
        return data_keys

    @api.model
    def _vp_seal(
        self, res_model, res_id, data_key, users=None, organisation=None, existing=None, new_key=False, reader_keys=None
    ):
        """Grant ``data_key`` of the record to ``users`` (their public keys)
        and to ``organisation``'s recovery key; readers without a key pair get
        a waiting grant. Grants that hold a token are kept.

        ``existing``: the record's grants, when the caller has them already;
        ``new_key``: the key was made just now, so the record has no grant to
        look up; ``reader_keys``: the vp.reader.key records of ``users``, when
        the caller has them already (one query less per intake submission)."""
        users = users or self.env["res.users"]
        # sudo: grants and public keys only; no group may touch this model.
        grants_sudo = self.sudo()
        if new_key:
            existing = grants_sudo.browse()
        elif existing is None:
            existing = grants_sudo.search([("res_model", "=", res_model), ("res_id", "=", res_id)])
        have = {grant.user_id.id for grant in existing if grant.token and grant.user_id}
        waiting = {grant.user_id.id: grant for grant in existing if grant.user_id and not grant.token}
        if reader_keys is None:
            reader_keys = self.env["vp.reader.key"]._vp_key_of(users.ids)
        keys = {key.user_id.id: key for key in reader_keys if key.user_id in users}
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
