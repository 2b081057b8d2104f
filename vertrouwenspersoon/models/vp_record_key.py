# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging

from odoo import api, fields, models
from odoo.tools import SQL

from ..tools.confidential import record_key_models
from ..vault import crypto
from ..vault import keyring as vault
from ..vault import session as vault_session

_logger = logging.getLogger(__name__)

# Keys made in the current transaction, by (model, id): see vp_case_key.FRESH_KEYS.
FRESH_KEYS = "vp_fresh_record_keys"


class VpRecordKey(models.Model):
    """The data key of one notice, breach record or prevention-work
    timesheet note, still wrapped by the master key (before reader-held keys).

    Notices and breach records are read by people who must never hold the
    case's own key (HR recipients, the second signatory), so their content
    has a key of its own. That key is held by the record's readers
    (``vp.record.grant``): each record's model says who they are
    (``_vp_record_readers``). A row here is the old wrapping under the master
    key: it goes once the record's principal readers (the counsellor who
    wrote it, the HR recipients of a sent notice, both signatories) hold the
    key themselves, which happens as each sets a passphrase or unlocks.

    No group has any access right on this model: only the encryption code
    reaches it, with sudo(), after checking the user may read the record.
    """

    _name = "vp.record.key"
    _description = "Record key (wrapped)"
    _inherit = ["vp.field.access.mixin"]
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
    def _get_data_keys(self, res_model, res_ids, create_missing=False, sources=None):
        """{record id: data key} for the current user, who the caller checked
        may read (or write) these records' content.

        From the user's own grant, opened with their unlocked vault
        (VaultLocked when it is not unlocked in this browser session); for a
        record not yet moved, from its wrapping under the master key. A record
        granted to others but not yet to this reader is "waiting for access".
        With create_missing, records without a key get a fresh one, granted
        to their readers and forgotten by the server. ``sources``, a dict,
        receives {record id: "vault" or "master"} for the access log."""
        res_ids = list(res_ids)
        grants_model = self.env["vp.record.grant"]
        grants_model.flush_model()
        # Plain rows: a list of notices must not build a record per grant.
        self.env.cr.execute(
            "SELECT id, res_id, user_id, kind, token FROM vp_record_grant WHERE res_model = %s AND res_id = ANY(%s)",
            (res_model, res_ids),
        )
        rows = self.env.cr.fetchall()
        uid = self.env.uid
        mine = [row for row in rows if row[2] == uid and row[4]]
        data_keys = {}
        if mine:
            opened = vault_session.require_vault(self.env)
            sealed = []
            for grant_id, res_id, _user_id, kind, token in mine:
                if kind == "keyring":
                    aad = grants_model._vp_aad(res_model, res_id, f"user:{uid}")
                    data_keys[res_id] = vault.unwrap_with_keyring(opened.keyring_key, token, aad)
                else:
                    sealed.append(grant_id)
            for grant in grants_model.sudo().browse(sealed):  # sudo: this reader's own grants, opened with their key
                data_keys[grant.res_id] = grant._vp_open(opened)
        rest = [res_id for res_id in res_ids if res_id not in data_keys]
        if sources is not None:
            sources.update(dict.fromkeys(data_keys, "vault"))
        if rest:
            master_wrapped = self._vp_master_wrapped_keys(res_model, rest)
            data_keys.update(master_wrapped)
            if sources is not None:
                sources.update(dict.fromkeys(master_wrapped, "master"))
        rest = [res_id for res_id in res_ids if res_id not in data_keys]
        if create_missing and rest:
            # Keys this transaction made (see vp_case_key.FRESH_KEYS): writing only.
            fresh = self.env.cr.cache.get(FRESH_KEYS, {})
            data_keys.update({res_id: fresh[(res_model, res_id)] for res_id in rest if (res_model, res_id) in fresh})
            rest = [res_id for res_id in rest if res_id not in data_keys]
        granted = {row[1] for row in rows}
        if any(res_id in granted for res_id in rest):
            if any(row[2] == uid for row in rows) and not self.env["vp.reader.key"]._vp_key_of([uid]):
                raise vault_session.VaultLocked(str(vault_session.NO_READER_KEY_MESSAGE))
            raise vault_session.VaultLocked(str(vault_session.WAITING_MESSAGE))
        if create_missing and rest:
            data_keys.update(self._vp_new_record_keys(res_model, rest))
        waiting = [row[0] for row in rows if not row[4] and row[2] and row[1] in data_keys]
        if waiting:
            self._vp_fulfil(grants_model.sudo().browse(waiting), data_keys)  # sudo: see _vp_fulfil
        return data_keys

    @api.model
    def _vp_master_keys_or_none(self):
        """The master keys, or None when none is configured (retired)."""
        try:
            return crypto.load_master_keys()
        except crypto.UserError:
            return None

    @api.model
    def _vp_master_wrapped_keys(self, res_model, res_ids):
        """Keys of records still wrapped under the master key."""
        # sudo: no access rights on this model; the caller checked the user's right to the records.
        keys_sudo = self.sudo().search_fetch(
            [("res_model", "=", res_model), ("res_id", "in", list(res_ids))], ["res_id", "wrapped_key", "master_key_id"]
        )
        if not keys_sudo:
            return {}
        master_keys = crypto.load_master_keys()
        data_keys = {}
        for key in keys_sudo:
            master = master_keys.get(key.master_key_id)
            if master is None:
                raise crypto.UserError(str(crypto.BROKEN_CIPHERTEXT_MESSAGE))
            data_keys[key.res_id] = crypto.unwrap_key(master, key.wrapped_key, self._aad(res_model, key.res_id))
        return data_keys

    @api.model
    def _vp_new_record_keys(self, res_model, res_ids):
        """Fresh data keys for records without one, granted to their readers
        and their organisation's recovery key, then forgotten by the server.

        Sealed for endorsed keys only; a reader without one gets a waiting
        grant, which the next holder who unlocks fulfils. Never wrapped under a
        key the server holds: a writer who reads the record without a key pair
        is first asked to choose a passphrase, and a record nobody could ever
        open is refused."""
        records = self.env[res_model].sudo().browse(res_ids)  # sudo: who reads the records, not what is in them
        readers_map = records._vp_record_readers()
        everyone = self.env["res.users"].union(*(readers for readers, _principal, _org in readers_map.values()))
        keyed = set(self.env["vp.reader.key"]._vp_key_of(everyone.ids).user_id.ids)
        grants = self.env["vp.record.grant"]
        data_keys = {}
        for res_id in res_ids:
            readers, _principal, organisation = readers_map[res_id]
            if self.env.uid in readers.ids and self.env.uid not in keyed:
                raise vault_session.VaultLocked(str(vault_session.NO_READER_KEY_MESSAGE))
            if not (organisation and organisation._vp_recovery_public_key()) and not keyed.intersection(readers.ids):
                if self.pool.ready or self._vp_master_keys_or_none() is None:
                    raise crypto.UserError(str(crypto.NOBODY_HOLDS_MESSAGE))
                # During the update of a database from before reader-held keys (see
                # vp_case_key._vp_new_key_at_update): on the master key, like the rest of it.
                data_keys.update(self._vp_new_record_keys_at_update(res_model, [res_id]))
                continue
            data_keys[res_id] = crypto.new_data_key()
            self.env.cr.cache.setdefault(FRESH_KEYS, {})[(res_model, res_id)] = data_keys[res_id]
            grants._vp_seal(res_model, res_id, data_keys[res_id], readers, organisation)
        return data_keys

    @api.model
    def _vp_new_record_keys_at_update(self, res_model, res_ids):
        """Fresh keys for records of a database from before record keys, made while
        the update runs and no reader is present: wrapped under the master key (the
        only thing it still does, see docs/OPERATIONS.md, "Upgrading") and sealed for
        the readers who already hold a key pair; the rest moves as readers unlock."""
        master_keys = crypto.load_master_keys()
        current_id, current = next(iter(master_keys.items()))
        records = self.env[res_model].sudo().browse(res_ids)  # sudo: who reads the records, not what is in them
        readers_map = records._vp_record_readers()
        grants = self.env["vp.record.grant"]
        data_keys = {}
        for res_id in res_ids:
            readers, _principal, organisation = readers_map[res_id]
            data_keys[res_id] = crypto.new_data_key()
            keyed = self.env["vp.reader.key"]._vp_key_of(readers.ids).user_id
            grants._vp_seal(res_model, res_id, data_keys[res_id], keyed, organisation)
        self.sudo().create(  # sudo: no group may touch keys; this runs inside the update only
            [
                {
                    "res_model": res_model,
                    "res_id": res_id,
                    "wrapped_key": crypto.wrap_key(current, data_keys[res_id], self._aad(res_model, res_id)),
                    "master_key_id": current_id,
                }
                for res_id in res_ids
            ]
        )
        return data_keys

    @api.model
    def _vp_fulfil(self, waiting, data_keys):
        """Seal the keys just opened for readers who were waiting for them."""
        keys = {key.user_id.id: key for key in self.env["vp.reader.key"]._vp_key_of(waiting.user_id.ids)}
        for grant in waiting:
            key = keys.get(grant.user_id.id)
            if key:
                aad = grant._vp_aad(grant.res_model, grant.res_id, grant._vp_holder())
                grant.write({"kind": "sealed", "token": vault.seal_for(key.public_key, data_keys[grant.res_id], aad)})

    @api.model
    def _vp_share(self, records):
        """Give ``records``' current readers their key: sealed at once when
        the current user can open it, else a waiting grant that the next
        holder who opens it fulfils. Records without content have no key yet."""
        if not records:
            return
        res_model = records._name
        grants_model = self.env["vp.record.grant"].sudo()  # sudo: wrapped keys and holders only
        grants = grants_model.search_fetch(
            [("res_model", "=", res_model), ("res_id", "in", records.ids)], ["res_id", "user_id", "token"]
        )
        # sudo: which records still have a master-wrapped key (ids only; no key is opened).
        legacy = set(
            self.sudo().search([("res_model", "=", res_model), ("res_id", "in", records.ids)]).mapped("res_id")
        )  # sudo: ids only
        readers_map = records.sudo()._vp_record_readers()  # sudo: who reads, not what
        everyone = self.env["res.users"].union(*(readers for readers, _principal, _org in readers_map.values()))
        keyed = set(self.env["vp.reader.key"]._vp_key_of(everyone.ids).user_id.ids)
        to_share = {}
        for res_id in records.ids:
            record_grants = grants.filtered(lambda grant, res_id=res_id: grant.res_id == res_id)
            if not record_grants and res_id not in legacy:
                continue
            held = set(record_grants.user_id.ids)
            # While the master key still opens a record, readers without a key pair need no grant.
            on_master = res_id in legacy
            new = readers_map[res_id][0].filtered(
                lambda user, held=held, on_master=on_master: user.id not in held and (user.id in keyed or not on_master)
            )
            if new:
                to_share[res_id] = new
        grants = self._vp_drop_former_readers(grants, readers_map)
        if not to_share:
            return
        mine = set(grants.filtered(lambda grant: grant.user_id.id == self.env.uid and grant.token).mapped("res_id"))
        openable = [res_id for res_id in to_share if res_id in mine or res_id in legacy]
        data_keys = {}
        if openable:
            try:
                data_keys = self._get_data_keys(res_model, openable)
            except vault_session.VaultLocked:
                data_keys = {}
        waiting = []
        for res_id, users in to_share.items():
            if res_id in data_keys:
                existing = grants.filtered(lambda grant, res_id=res_id: grant.res_id == res_id)
                grants_model._vp_seal(
                    res_model, res_id, data_keys[res_id], users, readers_map[res_id][2], existing=existing
                )
            else:
                waiting += [{"res_model": res_model, "res_id": res_id, "user_id": user.id} for user in users]
        if waiting:
            grants_model.create(waiting)

    @api.model
    def _vp_drop_former_readers(self, grants, readers_map):
        """Grants of people who no longer read a record (a reassigned
        counsellor, a replaced second signatory) go, once a current reader
        holds the key."""
        former = grants.browse()
        for res_id, (readers, _principal, _organisation) in readers_map.items():
            record_grants = grants.filtered(lambda grant, res_id=res_id: grant.res_id == res_id and grant.user_id)
            if record_grants.filtered(lambda grant, readers=readers: grant.token and grant.user_id in readers):
                former |= record_grants.filtered(lambda grant, readers=readers: grant.user_id not in readers)
        former.unlink()
        return grants - former

    @api.model
    def _vp_forget(self, res_model, res_ids):
        """Every key of these records: gone (a deleted draft, shredding)."""
        domain = [("res_model", "=", res_model), ("res_id", "in", list(res_ids))]
        # sudo: deletes wrapped keys of these records; opens nothing.
        self.sudo().search(domain).unlink()
        self.env["vp.record.grant"].sudo().search(domain).unlink()

    @api.model
    def _vp_migrate_current_reader(self):
        """Move the records the current reader reads off the master key: their
        key is sealed for each reader who has a key pair (and the recovery
        key); once every principal reader holds it, the wrapping under the
        master key is deleted and the other readers get waiting grants. Runs
        when a reader sets a passphrase or unlocks (their vault is open then).
        Returns the number of records moved."""
        # sudo: wrapped keys and record ids only; nothing is decrypted but keys.
        legacy = self.sudo().search_fetch([], ["res_model", "res_id"])
        if not legacy:
            return 0
        uid = self.env.uid
        moved = 0
        grants = self.env["vp.record.grant"]
        by_model = {}
        for key in legacy:
            by_model[key.res_model] = by_model.get(key.res_model, key.browse()) | key
        for res_model, model_keys in by_model.items():
            records = self.env[res_model].sudo().browse(model_keys.mapped("res_id")).exists()  # sudo: ids
            gone = model_keys.filtered(lambda key, ids=set(records.ids): key.res_id not in ids)
            gone.unlink()
            readers_map = records._vp_record_readers()
            mine = [res_id for res_id in records.ids if uid in readers_map[res_id][0].ids]
            if not mine:
                continue
            if self._vp_master_keys_or_none() is None:
                _logger.warning("No master key: %d %s record(s) cannot move to reader-held keys", len(mine), res_model)
                continue
            data_keys = self._vp_master_wrapped_keys(res_model, mine)
            everyone = self.env["res.users"].union(*(readers_map[res_id][0] for res_id in mine))
            keyed = set(self.env["vp.reader.key"]._vp_key_of(everyone.ids).user_id.ids)
            done = []
            for res_id in mine:
                readers, principal, organisation = readers_map[res_id]
                if principal and all(user.id in keyed for user in principal):
                    grants._vp_seal(res_model, res_id, data_keys[res_id], readers, organisation)
                    done.append(res_id)
                else:
                    keyed_readers = readers.filtered(lambda user, keyed=keyed: user.id in keyed)
                    grants._vp_seal(res_model, res_id, data_keys[res_id], keyed_readers, organisation)
            model_keys.filtered(lambda key, done=set(done): key.res_id in done).unlink()
            moved += len(done)
        if moved:
            _logger.info("Moved %d notice, breach or note record(s) to reader-held keys", moved)
        return moved

    @api.model
    def _vp_fulfil_waiting_for_holder(self):
        """At unlock: records this reader holds where someone waits for the
        key (a recipient who chose a passphrase since): opened and sealed for
        them now. One query when nobody waits."""
        self.env["vp.record.grant"].flush_model()
        self.env.cr.execute(
            """SELECT DISTINCT w.res_model, w.res_id
                 FROM vp_record_grant w
                 JOIN vp_record_grant m ON m.res_model = w.res_model AND m.res_id = w.res_id
                                       AND m.user_id = %s AND m.token IS NOT NULL
                WHERE w.token IS NULL AND w.user_id IS NOT NULL
                  AND EXISTS (SELECT 1 FROM vp_reader_key k WHERE k.user_id = w.user_id)""",
            (self.env.uid,),
        )
        by_model = {}
        for res_model, res_id in self.env.cr.fetchall():
            by_model.setdefault(res_model, []).append(res_id)
        for res_model, res_ids in by_model.items():
            self._get_data_keys(res_model, res_ids)
        return sum(len(ids) for ids in by_model.values())

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
        for model in record_key_models(self.env):
            records = self.env[model]
            fields_map = records._vp_encrypted_fields
            # sudo: ciphertext and keys only, inside this update step.
            records_sudo = records.sudo().with_context(active_test=False).search([])
            have = set(self.sudo().search([("res_model", "=", model)]).mapped("res_id"))
            # sudo: which records have reader-held keys already; ids only.
            have |= set(self.env["vp.record.grant"].sudo().search([("res_model", "=", model)]).mapped("res_id"))
            ciphers = tuple(fields_map.values())
            todo = records_sudo.filtered(
                lambda rec, have=have, ciphers=ciphers: rec.id not in have and any(rec[cipher] for cipher in ciphers)
            )
            if not todo:
                continue
            case_keys = self.env["vp.case.key"]._vp_master_wrapped_keys(set(todo.case_id.ids))
            new_keys = self._vp_new_record_keys_at_update(model, todo.ids)
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
