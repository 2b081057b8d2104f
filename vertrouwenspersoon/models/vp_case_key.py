# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging

from odoo import api, fields, models
from odoo.exceptions import AccessError

from ..vault import crypto
from ..vault import keyring as vault
from ..vault import session as vault_session

_logger = logging.getLogger(__name__)

# Keys made in the current transaction (cursor), by case id: they live in memory as
# long as the request that made them, like an unlocked vault, and are never stored.
FRESH_KEYS = "vp_fresh_case_keys"


class VpCaseKey(models.Model):
    """The data key of one case still wrapped by the master key: content of a
    database from before reader-held keys, until its readers move it (at each
    unlock; docs/OPERATIONS.md, "Upgrading"). Nothing new is wrapped here but
    what a module update of such a database makes before any reader has a key.

    The model also holds the case keys' logic for reader-held keys (grants in
    vp.key.grant). No group has any access right on it: only the encryption
    code reaches it, with sudo(), and it hands out keys to callers that have
    already checked that the current user may read the case's content.
    """

    _name = "vp.case.key"
    _description = "Case key (wrapped)"
    _inherit = ["vp.field.access.mixin"]
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
    def _get_data_keys(self, case_ids, create_missing=False, sources=None):
        """Return {case_id: data key} for the given case ids, for the current user.

        A case's key comes from the user's own grant, opened with their
        unlocked vault (VaultLocked when it is not unlocked in this browser
        session), or, for a case not yet moved to reader-held keys, from its
        wrapping under the master key. A case granted to others but not yet to
        this reader is "waiting for access". With create_missing, cases
        without any key get a fresh one, granted to their readers.
        The caller has checked that the user may read the cases' content.
        ``sources``, a dict, receives {case id: "vault" or "master"}.
        """
        case_ids = list(case_ids)
        grants_model = self.env["vp.key.grant"]
        grants_model.flush_model()
        # Plain rows, not records: a list of a thousand cases must not build a
        # thousand grant records. Each grant of the current user is opened
        # below with their own opened vault, nobody else's.
        self.env.cr.execute(
            "SELECT id, case_id, user_id, kind, token FROM vp_key_grant WHERE case_id = ANY(%s)", (case_ids,)
        )
        rows = self.env.cr.fetchall()
        uid = self.env.uid
        mine = [row for row in rows if row[2] == uid and row[4]]
        data_keys = {}
        if mine:
            opened = vault_session.require_vault(self.env)
            sealed = set()
            keyring = vault.keyring_cipher(opened.keyring_key)
            for grant_id, case_id, _user_id, kind, token in mine:
                if kind == "keyring":
                    aad = f"vp.key.grant:{case_id}:user:{uid}".encode()  # grants_model._vp_aad, inlined for a list
                    data_keys[case_id] = vault.unwrap_with_keyring_cipher(keyring, token, aad)
                else:
                    sealed.add(grant_id)
            if sealed:
                data_keys.update(grants_model._vp_open_sealed_rows(opened, [row for row in mine if row[0] in sealed]))
        if sources is not None:
            sources.update(dict.fromkeys(data_keys, "vault"))
        rest = [case_id for case_id in case_ids if case_id not in data_keys]
        if rest:
            master_wrapped = self._vp_master_wrapped_keys(rest)
            data_keys.update(master_wrapped)
            if sources is not None:
                sources.update(dict.fromkeys(master_wrapped, "master"))
        rest = [case_id for case_id in case_ids if case_id not in data_keys]
        if create_missing and rest:
            # A key this transaction made: what the same intake, phone intake or demo
            # load writes next (a document, a meeting) goes under it too. Writing only.
            fresh = self.env.cr.cache.get(FRESH_KEYS, {})
            data_keys.update({case_id: fresh[case_id] for case_id in rest if case_id in fresh})
            rest = [case_id for case_id in rest if case_id not in data_keys]
        granted = {row[1] for row in rows}
        if any(case_id in granted for case_id in rest):
            raise vault_session.VaultLocked(str(vault_session.WAITING_MESSAGE))
        if create_missing and rest:
            data_keys.update(self._vp_new_data_keys(rest))
        waiting = [row[0] for row in rows if not row[4] and row[2] and row[1] in data_keys]
        if waiting:
            self._vp_fulfil(grants_model.sudo().browse(waiting), data_keys)  # sudo: see _vp_fulfil
        return data_keys

    @api.model
    def _vp_master_wrapped_keys(self, case_ids):
        """Keys of cases still wrapped under the master key (before reader-held keys)."""
        # sudo: this model has no access rights; see _get_data_keys.
        keys_sudo = self.sudo().search_fetch(
            [("case_id", "in", list(case_ids))], ["case_id", "wrapped_key", "master_key_id"]
        )
        if not keys_sudo:
            return {}
        master_keys = crypto.load_master_keys()
        data_keys = {}
        for key in keys_sudo:
            master = master_keys.get(key.master_key_id)
            if master is None:
                raise crypto.UserError(str(crypto.BROKEN_CIPHERTEXT_MESSAGE))
            data_keys[key.case_id.id] = crypto.unwrap_key(master, key.wrapped_key, self._aad(key.case_id.id))
        return data_keys

    @api.model
    def _vp_new_data_keys(self, case_ids):
        """Fresh data keys for cases without one, granted to their readers and
        their organisation's recovery key, then forgotten by the server.

        Sealed for endorsed keys only (tools/endorsement.py); a reader without
        one gets a waiting grant, which the next holder who unlocks fulfils.
        Never wrapped under a key the server holds: a writer who reads the case
        without a key pair is first asked to choose a passphrase, and content
        that no reader and no recovery key could ever open is refused."""
        cases = self.env["vp.case"].sudo().browse(case_ids)  # sudo: counsellors and organisations only
        readers_by_case = cases._vp_key_readers_by_case()
        reader_keys = self.env["vp.reader.key"]._vp_key_of({u for r in readers_by_case.values() for u in r.ids})
        keyed = set(reader_keys.user_id.ids)
        data_keys = {}
        for case in cases:
            readers = readers_by_case[case.id]
            if self.env.uid in readers.ids and self.env.uid not in keyed:
                raise vault_session.VaultLocked(str(vault_session.NO_READER_KEY_MESSAGE))
            if not case.organisation_id._vp_recovery_public_key() and not keyed.intersection(readers.ids):
                data_keys[case.id] = self._vp_new_key_at_update(case)
                continue
            data_keys[case.id] = crypto.new_data_key()
            self.env.cr.cache.setdefault(FRESH_KEYS, {})[case.id] = data_keys[case.id]
            self.env["vp.key.grant"]._vp_seal(
                case.id, data_keys[case.id], readers, case.organisation_id, new_key=True, reader_keys=reader_keys
            )
        return data_keys

    @api.model
    def _vp_new_key_at_update(self, case):
        """A case made while a database from before reader-held keys is updated (its
        demo data, a module's data), before any of its readers has a key pair: the
        update holds the master key, which is what it still serves (moving content of
        such databases; docs/OPERATIONS.md). Anywhere else, content nobody could open
        is refused."""
        master_keys = self.env["vp.record.key"]._vp_master_keys_or_none() if not self.pool.ready else None
        if not master_keys:
            raise crypto.UserError(str(crypto.NOBODY_HOLDS_MESSAGE))
        current_id, current = next(iter(master_keys.items()))
        data_key = crypto.new_data_key()
        # sudo: no group may touch keys; this runs inside a module update only.
        self.sudo().create(
            {
                "case_id": case.id,
                "wrapped_key": crypto.wrap_key(current, data_key, self._aad(case.id)),
                "master_key_id": current_id,
            }
        )
        return data_key

    @api.model
    def _vp_fulfil(self, waiting, data_keys):
        """Seal the keys just opened for readers who were waiting for them."""
        for grant in waiting:
            key = self.env["vp.reader.key"]._vp_key_of(grant.user_id.ids)
            if key:
                aad = grant._vp_aad(grant.case_id.id, grant._vp_holder())
                grant.write(
                    {"kind": "sealed", "token": vault.seal_for(key.public_key, data_keys[grant.case_id.id], aad)}
                )

    @api.model
    def _vp_migrate_current_reader(self):
        """Move the current reader's cases off the master key: their key is
        granted to each reader who has a key pair (and the organisation's
        recovery key); once the case's counsellor holds it, its wrapping
        under the master key is deleted. Runs when a reader sets a passphrase
        (their vault is open then). Returns the number of cases moved."""
        # sudo: wrapped keys and case ids only; nothing is decrypted but keys.
        legacy = self.sudo().search([])
        if not legacy:
            return 0
        readers_by_case = legacy.case_id._vp_key_readers_by_case()
        cases = legacy.case_id.filtered(lambda case: self.env.uid in readers_by_case[case.id].ids)
        if not cases:
            return 0
        if self.env["vp.record.key"]._vp_master_keys_or_none() is None:
            _logger.warning("No master key: %d case(s) cannot move to reader-held keys", len(cases))
            return 0
        data_keys = self._vp_master_wrapped_keys(cases.ids)
        grants = self.env["vp.key.grant"]
        keyed = set(
            self.env["vp.reader.key"]._vp_key_of({u for c in cases for u in readers_by_case[c.id].ids}).user_id.ids
        )
        done = []
        for case in cases:
            readers = readers_by_case[case.id].filtered(lambda user: user.id in keyed)
            grants._vp_seal(case.id, data_keys[case.id], readers, case.organisation_id)
            if case.counsellor_id.id in keyed:
                done.append(case.id)
        legacy.filtered(lambda key: key.case_id.id in done).unlink()
        moved = len(done)
        _logger.info("Moved %d case(s) to reader-held keys", moved)
        return moved

    @api.model
    def _vp_top_up_recovery(self):
        """Seal for the organisation's recovery key the current reader's cases
        that it does not hold yet (cases from before the recovery key was
        made). Runs at unlock, when the reader's vault is open."""
        grants_model = self.env["vp.key.grant"].sudo()  # sudo: grants and public keys only
        mine = grants_model.search([("user_id", "=", self.env.uid), ("token", "!=", False)])
        cases = mine.case_id.filtered(lambda case: case.organisation_id._vp_recovery_public_key())
        if not cases:
            return 0
        held = set(grants_model.search([("case_id", "in", cases.ids), ("organisation_id", "!=", False)]).case_id.ids)
        missing = cases.filtered(lambda case: case.id not in held)
        if not missing:
            return 0
        data_keys = self._get_data_keys(missing.ids)
        for case in missing:
            grants_model._vp_seal(case.id, data_keys[case.id], organisation=case.organisation_id)
        return len(missing)

    @api.model
    def _vp_fulfil_waiting_for_holder(self):
        """At unlock: cases whose key this reader holds while someone waits for
        it (a new counsellor after a reassignment, a backup, a reader who chose
        a passphrase since): opened with her grant and sealed for them now,
        then the grants of people who no longer read the case go. She need not
        read the case herself any more (she was its counsellor before a
        reassignment): only its key passes, to its current readers' endorsed
        keys. One query when nobody waits."""
        self.env["vp.key.grant"].flush_model()
        self.env.cr.execute(
            """SELECT DISTINCT w.case_id
                 FROM vp_key_grant w
                 JOIN vp_key_grant m ON m.case_id = w.case_id AND m.user_id = %s AND m.token IS NOT NULL
                WHERE w.token IS NULL AND w.user_id IS NOT NULL
                  AND EXISTS (SELECT 1 FROM vp_reader_key k WHERE k.user_id = w.user_id)""",
            (self.env.uid,),
        )
        case_ids = [row[0] for row in self.env.cr.fetchall()]
        if not case_ids:
            return 0
        self._get_data_keys(case_ids)
        self.env["vp.case"].browse(case_ids)._vp_drop_former_readers()
        return len(case_ids)

    @api.model
    def _vp_master_key_dependants(self):
        """How many cases can still be opened with the master key alone."""
        return self.sudo().search_count([])  # sudo: a count of rows, no key read

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
        records = self.env["vp.record.key"]._vp_rewrap(master_keys, current_id)
        _logger.info("Re-wrapped %d notice and breach keys under master key %s", records, current_id)
        # Timesheet notes not yet moved under a case's (or their own) key are
        # sealed directly under a master key: seal them again under the current one.
        lines_sudo = self.env["account.analytic.line"].sudo()  # sudo: re-seals ciphertext, inside this method only
        lines = lines_sudo.search([("vp_note_sealed", "!=", False), ("vp_note_key", "=", False)])
        for line in lines:
            plain = crypto.open_with_any(master_keys, line.vp_note_sealed, line._vp_note_aad())
            line.vp_note_sealed = crypto.encrypt(current, plain, line._vp_note_aad())
        _logger.info("Re-sealed %d timesheet notes under master key %s", len(lines), current_id)
        return len(stale)
