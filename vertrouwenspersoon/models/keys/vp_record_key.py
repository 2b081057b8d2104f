# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import SQL

from ...tools.confidential import case_record_key_models
from ...vault import crypto, master_key
from ...vault import keyring as vault
from ...vault import session as vault_session

_logger = logging.getLogger(__name__)

CASE = "vp.case"

# Keys made in the current transaction (cursor), by (model, id): they live in
# memory as long as the request that made them, like an unlocked vault, and are
# never stored.
FRESH_KEYS = "vp_fresh_record_keys"


class VpRecordKey(models.Model):
    """The key store of the vault: the data keys of cases and of records with
    readers of their own (notices, breach records, prevention-work timesheet
    notes, consultations), by model and id (a case is ``res_model = "vp.case"``).

    A data key is held by its case's or record's readers (``vp.record.grant``).
    Who they are is the record's model's to say: a case's readers
    (``vp.case._vp_key_readers_by_case``; its counsellor is its principal
    reader), or ``_vp_record_readers`` (the counsellor who wrote a notice, the
    HR recipients of a sent notice, both signatories of a breach record, the
    asker and the adviser of a consultation). A notice or breach record has a
    key of its own because its readers must never hold the case's key.

    A row of this model is a data key still wrapped by the master key
    (``vault/master_key.py``): content of a database from before reader-held
    keys. It goes once the principal readers hold the key themselves, which
    happens as each sets a passphrase or unlocks. Nothing new is wrapped here
    but what a module update of such a database makes before any reader has
    a key.

    No group has any access right on this model: only the encryption code
    reaches it, with sudo(), and hands out keys to callers that have already
    checked that the current user may read (or write) the content.
    """

    _name = "vp.record.key"
    _description = "Data key (wrapped)"
    _inherit = ["vp.field.access.mixin"]
    _log_access = False

    res_model = fields.Char(required=True, index=True)
    res_id = fields.Integer(required=True, index=True)
    wrapped_key = fields.Char(required=True)
    master_key_id = fields.Char(required=True, help="Fingerprint of the master key that wraps this key.")

    _sql_constraints = [("record_unique", "unique(res_model, res_id)", "A record has exactly one key.")]

    @staticmethod
    def _aad(res_model, res_id):
        """What a wrapped key is bound to. A case's key keeps the associated
        data it was wrapped with before cases and records shared this model, so
        every key wrapped since opens as it did; the two forms never coincide,
        so a case's key never opens as a record's, nor the reverse."""
        if res_model == CASE:
            return f"vp.case.key:{res_id}".encode()
        return f"vp.record.key:{res_model}:{res_id}".encode()

    # ------------------------------------------------------------------
    # Data keys for the current user
    # ------------------------------------------------------------------
    @api.model
    def _get_data_keys(self, res_model, res_ids, create_missing=False, sources=None):
        """{record id: data key} of ``res_model`` for the current user, who the
        caller checked may read (or write) these records' content.

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
        # Plain rows, not records: a list of a thousand cases must not build a
        # thousand grant records. Each grant of the current user is opened
        # with their own opened vault, nobody else's.
        self.env.cr.execute(
            "SELECT id, res_id, user_id, kind, token, sealed_as FROM vp_record_grant"
            " WHERE res_model = %s AND res_id = ANY(%s)",
            (res_model, res_ids),
        )
        rows = self.env.cr.fetchall()
        uid = self.env.uid
        mine = [row for row in rows if row[2] == uid and row[4]]
        data_keys = {}
        if mine:
            opened = vault_session.require_vault(self.env)
            data_keys.update(grants_model._vp_open_rows(opened, res_model, mine))
        if sources is not None:
            sources.update(dict.fromkeys(data_keys, "vault"))
        rest = [res_id for res_id in res_ids if res_id not in data_keys]
        if rest:
            master_wrapped = self._vp_master_wrapped_keys(res_model, rest)
            data_keys.update(master_wrapped)
            if sources is not None:
                sources.update(dict.fromkeys(master_wrapped, "master"))
        rest = [res_id for res_id in res_ids if res_id not in data_keys]
        if create_missing and rest:
            # A key this transaction made: what the same intake, phone intake or demo
            # load writes next (a document, a meeting) goes under it too. Writing only.
            fresh = self.env.cr.cache.get(FRESH_KEYS, {})
            data_keys.update({res_id: fresh[(res_model, res_id)] for res_id in rest if (res_model, res_id) in fresh})
            rest = [res_id for res_id in rest if res_id not in data_keys]
        granted = {row[1] for row in rows}
        if any(res_id in granted for res_id in rest):
            # A case's reader without a key pair is asked for one when a key is made for her.
            if (
                res_model != CASE
                and any(row[2] == uid for row in rows)
                and not self.env["vp.reader.key"]._vp_key_of([uid])
            ):
                raise vault_session.VaultLocked(str(vault_session.NO_READER_KEY_MESSAGE))
            raise vault_session.VaultLocked(str(vault_session.WAITING_MESSAGE))
        if create_missing and rest:
            data_keys.update(self._vp_new_keys(res_model, rest))
        waiting = [row[0] for row in rows if not row[4] and row[2] and row[1] in data_keys]
        if waiting:
            self._vp_fulfil(grants_model.sudo().browse(waiting), data_keys)  # sudo: see _vp_fulfil
        return data_keys

    @api.model
    def _vp_fulfil(self, waiting, data_keys):
        """Seal the keys just opened for readers who were waiting for them."""
        keys = {key.user_id.id: key for key in self.env["vp.reader.key"]._vp_key_of(waiting.user_id.ids)}
        for grant in waiting:
            key = keys.get(grant.user_id.id)
            if key:
                aad = grant._vp_aad(grant.res_model, grant.res_id, grant._vp_holder(), grant.sealed_as)
                grant.write({"kind": "sealed", "token": vault.seal_for(key.public_key, data_keys[grant.res_id], aad)})

    # ------------------------------------------------------------------
    # New keys
    # ------------------------------------------------------------------
    @api.model
    def _vp_new_keys(self, res_model, res_ids):
        """Fresh data keys for records without one, granted to their readers
        and their organisation's recovery key, then forgotten by the server.

        Sealed for endorsed keys only (vault/endorsement.py); a reader without
        one gets a waiting grant, which the next holder who unlocks fulfils.
        Never wrapped under a key the server holds: a writer who reads the
        record without a key pair is first asked to choose a passphrase, and
        content that no reader and no recovery key could ever open is refused."""
        if res_model == CASE:
            return self._vp_new_case_keys(res_ids)
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
                if self.pool.ready or master_key.keys_or_none() is None:
                    raise crypto.UserError(str(crypto.NOBODY_HOLDS_MESSAGE))
                # During the update of a database from before reader-held keys:
                # on the master key, like the rest of it.
                data_keys.update(self._vp_new_record_keys_at_update(res_model, [res_id]))
                continue
            data_keys[res_id] = crypto.new_data_key()
            self.env.cr.cache.setdefault(FRESH_KEYS, {})[(res_model, res_id)] = data_keys[res_id]
            grants._vp_seal(res_model, res_id, data_keys[res_id], readers, organisation)
        return data_keys

    @api.model
    def _vp_new_case_keys(self, case_ids):
        """``_vp_new_keys`` for cases: their readers are the case's
        (``_vp_key_readers_by_case``), and the reporter gets the key too when
        the case has a receipt code (the intake page makes the receipt before
        it writes the content, so the first key of the case reaches her)."""
        cases = self.env[CASE].sudo().browse(case_ids)  # sudo: counsellors and organisations only
        readers_by_case = cases._vp_key_readers_by_case()
        reader_keys = self.env["vp.reader.key"]._vp_key_of({u for r in readers_by_case.values() for u in r.ids})
        keyed = set(reader_keys.user_id.ids)
        grants = self.env["vp.record.grant"]
        data_keys = {}
        for case in cases:
            readers = readers_by_case[case.id]
            if self.env.uid in readers.ids and self.env.uid not in keyed:
                raise vault_session.VaultLocked(str(vault_session.NO_READER_KEY_MESSAGE))
            if not case.organisation_id._vp_recovery_public_key() and not keyed.intersection(readers.ids):
                data_keys[case.id] = self._vp_new_case_key_at_update(case)
                continue
            data_keys[case.id] = crypto.new_data_key()
            self.env.cr.cache.setdefault(FRESH_KEYS, {})[(CASE, case.id)] = data_keys[case.id]
            grants._vp_seal(
                CASE, case.id, data_keys[case.id], readers, case.organisation_id, new_key=True, reader_keys=reader_keys
            )
        # sudo: receipts hold public keys only; the key is sealed for the reporter and forgotten.
        receipts = self.env["vp.case.receipt"].sudo().search([("case_id", "in", list(data_keys))])
        if receipts:
            receipts._vp_seal_for_reporter(data_keys)
        return data_keys

    @api.model
    def _vp_new_case_key_at_update(self, case):
        """A case made while a database from before reader-held keys is updated (its
        demo data, a module's data), before any of its readers has a key pair: the
        update holds the master key, which is what it still serves (moving content of
        such databases; docs/OPERATIONS.md). Anywhere else, content nobody could open
        is refused."""
        master_keys = master_key.keys_or_none() if not self.pool.ready else None
        if not master_keys:
            raise crypto.UserError(str(crypto.NOBODY_HOLDS_MESSAGE))
        data_key = crypto.new_data_key()
        master_key_id, wrapped = master_key.wrap(master_keys, data_key, self._aad(CASE, case.id))
        # sudo: no group may touch keys; this runs inside a module update only.
        self.sudo().create(
            {"res_model": CASE, "res_id": case.id, "wrapped_key": wrapped, "master_key_id": master_key_id}
        )
        return data_key

    @api.model
    def _vp_new_record_keys_at_update(self, res_model, res_ids):
        """Fresh keys for records of a database from before record keys, made while
        the update runs and no reader is present: wrapped under the master key (the
        only thing it still does, see docs/OPERATIONS.md, "Upgrading") and sealed for
        the readers who already hold a key pair; the rest moves as readers unlock."""
        master_keys = master_key.keys()
        records = self.env[res_model].sudo().browse(res_ids)  # sudo: who reads the records, not what is in them
        readers_map = records._vp_record_readers()
        grants = self.env["vp.record.grant"]
        data_keys = {}
        vals_list = []
        for res_id in res_ids:
            readers, _principal, organisation = readers_map[res_id]
            data_keys[res_id] = crypto.new_data_key()
            keyed = self.env["vp.reader.key"]._vp_key_of(readers.ids).user_id
            grants._vp_seal(res_model, res_id, data_keys[res_id], keyed, organisation)
            master_key_id, wrapped = master_key.wrap(master_keys, data_keys[res_id], self._aad(res_model, res_id))
            vals_list.append(
                {"res_model": res_model, "res_id": res_id, "wrapped_key": wrapped, "master_key_id": master_key_id}
            )
        self.sudo().create(vals_list)  # sudo: no group may touch keys; this runs inside the update only
        return data_keys

    # ------------------------------------------------------------------
    # Sharing and forgetting
    # ------------------------------------------------------------------
    @api.model
    def _vp_share(self, records):
        """Give ``records``' current readers their key: sealed at once when
        the current user can open it, else a waiting grant that the next
        holder who opens it fulfils; the grants of former readers go once a
        current reader holds the key. Records without content have no key yet.
        Cases too: their model names their readers as every record's does
        (``_vp_record_readers``); ``vp.case._vp_share_key`` adds their notices."""
        if not records:
            return
        res_model = records._name
        grants_model = self.env["vp.record.grant"].sudo()  # sudo: wrapped keys and holders only
        grants = grants_model.search_fetch(
            [("res_model", "=", res_model), ("res_id", "in", records.ids)], ["res_id", "user_id", "token"]
        )
        legacy = self._vp_on_master_key(res_model, records.ids)
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
        counsellor, an ended handover, a replaced second signatory) go, once a
        current reader holds the key: until then the former reader's grant is
        what lets the key reach the current ones (at her next unlock). A
        recovery key's and a receipt code's grants are no reader's and stay."""
        former = grants.browse()
        for res_id, (readers, _principal, _organisation) in readers_map.items():
            record_grants = grants.filtered(lambda grant, res_id=res_id: grant.res_id == res_id and grant.user_id)
            if record_grants.filtered(lambda grant, readers=readers: grant.token and grant.user_id in readers):
                former |= record_grants.filtered(lambda grant, readers=readers: grant.user_id not in readers)
        former.unlink()
        return grants - former

    @api.model
    def _vp_drop_former_grants(self, records):
        """``_vp_drop_former_readers`` for ``records``, their grants looked up here."""
        if not records:
            return
        # sudo: removes wrapped keys of people who no longer read these records; opens nothing.
        grants = (
            self.env["vp.record.grant"]
            .sudo()
            .search([("res_model", "=", records._name), ("res_id", "in", records.ids), ("user_id", "!=", False)])
        )
        self._vp_drop_former_readers(grants, records.sudo()._vp_record_readers())  # sudo: who reads, not what

    @api.model
    def _vp_on_master_key(self, res_model, res_ids):
        """Of ``res_ids``, the ids still wrapped under the master key (ids only; no key is opened)."""
        # sudo: no group may read this model; ids only.
        keys_sudo = self.sudo().search_fetch(
            [("res_model", "=", res_model), ("res_id", "in", list(res_ids))], ["res_id"]
        )
        return set(keys_sudo.mapped("res_id"))

    @api.model
    def _vp_with_a_key(self, res_model, res_ids, holder=None):
        """Of ``res_ids``, the ids that have a data key (a grant or a master-key
        wrapping), in one query: a record without content has none. With ``holder``
        (a user id): the ids whose key that user can open, her own grant or the
        master-key wrapping (ids only; no key is opened here)."""
        self.env["vp.record.grant"].flush_model(["res_model", "res_id", "user_id", "token"])
        self.flush_model(["res_model", "res_id"])
        own_grant = SQL(" AND user_id = %s AND token IS NOT NULL", holder) if holder else SQL()
        self.env.cr.execute(
            SQL(
                "SELECT res_id FROM vp_record_grant WHERE res_model = %s AND res_id = ANY(%s)%s "
                "UNION SELECT res_id FROM vp_record_key WHERE res_model = %s AND res_id = ANY(%s)",
                res_model,
                list(res_ids),
                own_grant,
                res_model,
                list(res_ids),
            )
        )
        return {row[0] for row in self.env.cr.fetchall()}

    @api.model
    def _vp_forget(self, res_model, res_ids):
        """Every key of these records, and every grant of it: gone (a deleted
        draft, a deleted case, shredding). Without its key no ciphertext of
        theirs can ever be opened again."""
        if not res_ids:
            return
        domain = [("res_model", "=", res_model), ("res_id", "in", list(res_ids))]
        # sudo: deletes wrapped keys of these records; opens nothing.
        self.sudo().search(domain).unlink()
        self.env["vp.record.grant"].sudo().search(domain).unlink()

    # ------------------------------------------------------------------
    # Moving off the master key
    # ------------------------------------------------------------------
    @api.model
    def _vp_master_wrapped_keys(self, res_model, res_ids):
        """Keys of records still wrapped under the master key."""
        # sudo: no access rights on this model; the caller checked the user's right to the records.
        keys_sudo = self.sudo().search_fetch(
            [("res_model", "=", res_model), ("res_id", "in", list(res_ids))], ["res_id", "wrapped_key", "master_key_id"]
        )
        if not keys_sudo:
            return {}
        master_keys = master_key.keys()
        return {
            key.res_id: master_key.unwrap(
                master_keys, key.master_key_id, key.wrapped_key, self._aad(res_model, key.res_id)
            )
            for key in keys_sudo
        }

    @api.model
    def _vp_migrate_current_reader(self):
        """Move what the current reader reads off the master key: her cases,
        the notices, breach records and timesheet notes she reads. A key is
        sealed for each of its readers who has a key pair (and the recovery
        key); once its principal readers hold it (a case's counsellor; the
        readers a record's model names), its wrapping under the master key is
        deleted. Runs when a reader sets a passphrase or unlocks (her vault is
        open then). Returns the number of cases moved."""
        # sudo: wrapped keys and record ids only; nothing is decrypted but keys.
        legacy = self.sudo().search_fetch([], ["res_model", "res_id"])
        by_model = {}
        for key in legacy:
            by_model[key.res_model] = by_model.get(key.res_model, key.browse()) | key
        moved = {}
        for res_model, model_keys in by_model.items():
            moved[res_model] = self._vp_migrate_model(res_model, model_keys)
        records = sum(count for res_model, count in moved.items() if res_model != CASE)
        if records:
            _logger.info("Moved %d notice, breach or note record(s) to reader-held keys", records)
        self.env["vp.timesheet.note"]._vp_migrate_notes_of_current_reader()
        return moved.get(CASE, 0)

    @api.model
    def _vp_migrate_model(self, res_model, model_keys):
        """``_vp_migrate_current_reader`` for the master-wrapped keys ``model_keys`` of ``res_model``."""
        uid = self.env.uid
        records = self.env[res_model].sudo().browse(model_keys.mapped("res_id")).exists()  # sudo: ids
        model_keys.filtered(lambda key, ids=set(records.ids): key.res_id not in ids).unlink()
        # A case's principal reader is its counsellor; its other readers who
        # have no key pair yet need no grant while the master key opens it.
        readers_map = records._vp_record_readers()
        mine = [res_id for res_id in records.ids if uid in readers_map[res_id][0].ids]
        if not mine:
            return 0
        if master_key.keys_or_none() is None:
            _logger.warning("No master key: %d %s record(s) cannot move to reader-held keys", len(mine), res_model)
            return 0
        data_keys = self._vp_master_wrapped_keys(res_model, mine)
        everyone = self.env["res.users"].union(*(readers_map[res_id][0] for res_id in mine))
        keyed = set(self.env["vp.reader.key"]._vp_key_of(everyone.ids).user_id.ids)
        grants = self.env["vp.record.grant"]
        done = []
        for res_id in mine:
            readers, principal, organisation = readers_map[res_id]
            ready = bool(principal) and all(user.id in keyed for user in principal)
            if ready and res_model != CASE:
                grants._vp_seal(res_model, res_id, data_keys[res_id], readers, organisation)
            else:
                keyed_readers = readers.filtered(lambda user, keyed=keyed: user.id in keyed)
                grants._vp_seal(res_model, res_id, data_keys[res_id], keyed_readers, organisation)
            if ready:
                done.append(res_id)
        model_keys.filtered(lambda key, done=set(done): key.res_id in done).unlink()
        if res_model == CASE:
            _logger.info("Moved %d case(s) to reader-held keys", len(done))
        return len(done)

    @api.model
    def _vp_top_up_recovery(self):
        """Seal for the organisation's recovery key the current reader's cases
        that it does not hold yet (cases from before the recovery key was
        made). Runs at unlock, when the reader's vault is open. Returns the
        number of cases sealed."""
        grants_model = self.env["vp.record.grant"].sudo()  # sudo: grants and public keys only
        mine = grants_model.search([("res_model", "=", CASE), ("user_id", "=", self.env.uid), ("token", "!=", False)])
        cases = self.env[CASE].sudo().browse(mine.mapped("res_id")).exists()  # sudo: organisations only
        cases = cases.filtered(lambda case: case.organisation_id._vp_recovery_public_key())
        if not cases:
            return 0
        held = set(
            grants_model.search(
                [("res_model", "=", CASE), ("res_id", "in", cases.ids), ("organisation_id", "!=", False)]
            ).mapped("res_id")
        )
        missing = cases.filtered(lambda case: case.id not in held)
        if not missing:
            return 0
        data_keys = self._get_data_keys(CASE, missing.ids)
        for case in missing:
            grants_model._vp_seal(CASE, case.id, data_keys[case.id], organisation=case.organisation_id)
        return len(missing)

    @api.model
    def _vp_fulfil_waiting_for_holder(self):
        """At unlock: cases and records whose key this reader holds while
        someone waits for it (a new counsellor after a reassignment, a backup,
        a recipient who chose a passphrase since): opened with her grant and
        sealed for them now; then the grants of people who no longer read a
        case go. She need not read it herself any more (she was its counsellor
        before a reassignment): only its key passes, to its current readers'
        endorsed keys. One query when nobody waits. Returns the number of
        cases and records."""
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
            self._vp_drop_former_grants(self.env[res_model].browse(res_ids))
        return sum(len(ids) for ids in by_model.values())

    # ------------------------------------------------------------------
    # What the master key still opens, and its rotation
    # ------------------------------------------------------------------
    @api.model
    def _vp_master_key_dependants_by_kind(self):
        """What the master key alone still opens: cases, notice and breach
        records (and prevention-work note keys), timesheet notes."""
        keys_sudo = self.sudo()  # sudo: a count of rows, no key read
        notes = self.env["vp.timesheet.note"].sudo()  # sudo: a count of rows, no note read
        return {
            "cases": keys_sudo.search_count([("res_model", "=", CASE)]),
            "records": keys_sudo.search_count([("res_model", "!=", CASE)]),
            "notes": notes.search_count([("on_master_key", "=", True)]),
        }

    @api.model
    def _vp_master_key_dependants(self):
        """How many items (cases, notice and breach records, timesheet notes)
        can still be opened with the master key alone. At 0 it can be retired
        (vault/master_key.py)."""
        return sum(self._vp_master_key_dependants_by_kind().values())

    @api.model
    def _vp_master_items_of_current_user(self):
        """How many items still on the master key wait for the current user to
        move them (she reads them): her cases, the notices and breach records she
        is a principal reader of, her timesheet notes. While it is not 0 she
        cannot dismiss the vault dialog, so that the master key can be retired."""
        uid = self.env.uid
        self.env[CASE].flush_model(["counsellor_id"])
        self.flush_model(["res_model", "res_id"])
        self.env.cr.execute(
            "SELECT count(*) FROM vp_record_key k JOIN vp_case c ON c.id = k.res_id "
            "WHERE k.res_model = %s AND c.counsellor_id = %s",
            (CASE, uid),
        )
        count = self.env.cr.fetchone()[0]
        # sudo: ids of records still on the master key, to see whom they wait for; no key is read.
        for key in self.sudo().search_fetch([("res_model", "!=", CASE)], ["res_model", "res_id"]):
            record = self.env[key.res_model].sudo().browse(key.res_id).exists()  # sudo: see above
            if record and uid in record._vp_record_readers()[record.id][1].ids:
                count += 1
        notes = self.env["vp.timesheet.note"]._vp_legacy_notes([("line_id.user_id", "=", uid)])
        return count + len(notes)

    @api.model
    def _rotate_master_key(self):
        """Re-wrap every data key (of cases and records) under the current
        (first) master key, and re-seal timesheet notes sealed directly under
        an older one.

        Content is not touched: only the wrapping of the data keys changes.
        Returns the number of keys re-wrapped. Afterwards the old master keys
        can be removed from the key file.
        """
        if not self.env.is_superuser() and not self.env.user.has_group("base.group_system"):
            raise AccessError(self.env._("Only an administrator can rotate the master key."))
        master_keys = master_key.keys()
        current_id = next(iter(master_keys))
        # sudo: re-wrapping never exposes a data key outside vault/master_key.py.
        stale = self.sudo().search([("master_key_id", "!=", current_id)])
        for key in stale:
            master_key_id, wrapped = master_key.rewrap(
                master_keys, key.master_key_id, key.wrapped_key, self._aad(key.res_model, key.res_id)
            )
            key.write({"wrapped_key": wrapped, "master_key_id": master_key_id})
        cases = len(stale.filtered(lambda key: key.res_model == CASE))
        _logger.info("Re-wrapped %d case keys under master key %s", cases, current_id)
        _logger.info("Re-wrapped %d notice and breach keys under master key %s", len(stale) - cases, current_id)
        # Timesheet notes not yet moved under a case's (or their own) key are
        # sealed directly under a master key: seal them again under the current one.
        notes = self.env["vp.timesheet.note"]._vp_reseal_on_current_master_key(master_keys)
        _logger.info("Re-sealed %d timesheet notes under master key %s", notes, current_id)
        return len(stale)

    @api.model
    def _vp_migrate_from_case_keys(self):
        """Update from the version before record keys: notices and breach
        records sealed under their case's key are sealed again under a key of
        their own. Runs at every install and update; does nothing once done."""
        moved = 0
        for model in case_record_key_models(self.env):
            records = self.env[model]
            fields_map = records._vp_encrypted_fields
            # sudo: ciphertext and keys only, inside this update step.
            records_sudo = records.sudo().with_context(active_test=False).search([])
            have = self._vp_with_a_key(model, records_sudo.ids)
            ciphers = tuple(fields_map.values())
            todo = records_sudo.filtered(
                lambda rec, have=have, ciphers=ciphers: rec.id not in have and any(rec[cipher] for cipher in ciphers)
            )
            if not todo:
                continue
            case_keys = self._vp_master_wrapped_keys(CASE, set(todo.case_id.ids))
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
