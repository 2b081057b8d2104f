# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import threading
from contextlib import contextmanager

from odoo import SUPERUSER_ID, api, models
from odoo.exceptions import AccessError

from ...vault import crypto
from ..logs.vp_audit_log import session_uid

# Per thread, while a read asks for fields (read, search_read, web_read ...):
# which content fields it asks for, per model, and which content field is being
# computed. Only those are decrypted (and logged once), not every content field
# of the model: a list of names does not decrypt a thousand case notes. The
# values name fields, never content; they only ever narrow what is decrypted.
_reads = threading.local()


def _read_stack():
    if not hasattr(_reads, "stack"):
        _reads.stack = []
    return _reads.stack


@contextmanager
def _reading(model, names):
    stack = _read_stack()
    entry = (model, frozenset(names) if names is not None else None)
    stack.append(entry)
    try:
        yield
    finally:
        stack.pop()


def _asked_for(model):
    """The field names the innermost read of ``model`` asked for, or None (unknown: all)."""
    for entry_model, names in reversed(_read_stack()):
        if entry_model == model:
            return names
    return None


class VpEncryptedMixin(models.AbstractModel):
    """Content fields stored only as ciphertext under the case's data key.

    A model using it maps each plaintext field to its ciphertext column in
    ``_vp_encrypted_fields``; the plaintext fields are computed, never stored,
    with ``_compute_vp_plaintext`` and ``_inverse_vp_plaintext``. The
    ciphertext columns carry ``groups="base.group_system"`` and ``copy=False``.

    Decryption is allowed per record by ``_vp_may_read_content`` (the case's
    own counsellor, an active handover, or a role the model names), not only
    per group, and it is logged in ``vp.audit.log``. Code running with sudo()
    keeps the real user in ``env.uid``, so sudo() does not open content either.
    """

    _name = "vp.encrypted.mixin"
    _description = "Encrypted content"

    _vp_encrypted_fields = {}

    def _vp_case(self):
        """The case whose data key encrypts this record."""
        raise NotImplementedError

    # "case": content is sealed under its case's key (readers of the case);
    # "record": under a key of the record's own (its readers are not the case's).
    _vp_key_scope = "case"

    def _vp_case_ids(self):
        """{record id: id of the case whose key encrypts it} for these records, in one go."""
        return {rec.id: rec._vp_case().id for rec in self.sudo()}  # sudo: case ids only

    def _vp_content_keys(self, create_missing=False, sources=None):
        """{record id: data key} for these (stored) records, for the current user.

        ``sources``, a dict, receives {record id: "vault" or "master"}: whether
        the key came from the user's own opened vault or from the master key."""
        if self._vp_key_scope == "record":
            return self.env["vp.record.key"]._get_data_keys(
                self._name, self.ids, create_missing=create_missing, sources=sources
            )
        case_of = self._vp_case_ids()
        case_sources = {} if sources is not None else None
        keys = self.env["vp.record.key"]._get_data_keys(
            "vp.case", set(case_of.values()), create_missing=create_missing, sources=case_sources
        )
        if sources is not None:
            sources.update(
                {rec_id: case_sources[case_id] for rec_id, case_id in case_of.items() if case_id in case_sources}
            )
        return {rec_id: keys[case_id] for rec_id, case_id in case_of.items() if case_id in keys}

    def _vp_may_read_content(self):
        """Return the subset of self whose content the current user may read:
        by default the case's own counsellor and an active handover."""
        uid = self.env.uid
        return self.filtered(lambda record: uid in record._vp_case()._vp_reader_user_ids())

    def _vp_may_write_content(self):
        """Writing content exposes nothing: besides readers, the superuser
        (installation, demo data, scheduled jobs) may store it."""
        if self.env.uid == SUPERUSER_ID:
            return self
        return self._vp_may_read_content()

    def _vp_check_not_impersonated(self):
        """Inside a web request, content is decrypted only
        for the user logged in to it. A server action the administrator runs
        with ``with_user(counsellor)`` is refused (and logged as refused).
        Not covered: ``odoo-bin shell`` and code deployed as a module, which
        run outside any request; an administrator of the server can always
        reach the master key."""
        session = session_uid()
        if session and session != self.env.uid:
            self.env["vp.audit.log"]._log_refused(self)
            raise AccessError(
                self.env._(
                    "Confidential content is shown only to the user who is logged in: this request runs "
                    "as another user, which is refused and logged."
                )
            )

    def _vp_moved_aads(self, field_name):
        """{record id: associated data} for those of these records whose ``field_name`` was
        sealed before it came to this model and was moved here as it was, bound to where it
        was sealed (the server holds no key to seal it again: the readers do). A model
        holding such content says which, from its own columns; none by default."""
        return {}

    def _vp_aad(self, field_name):
        moved = self._vp_moved_aads(field_name)
        return moved.get(self._origin.id) or f"{self._name}:{self._origin.id}:{field_name}".encode()

    def _vp_seal_value(self, data_key, field_name, raw):
        """``raw`` (bytes) of ``field_name`` of this record, sealed under ``data_key``:
        the only place content is sealed, bound to this record and field. For content
        the computed fields do not cover (a document's file) or a data key that does
        not come from a user's vault (the reporter's, from her receipt code)."""
        self.ensure_one()
        return crypto.encrypt(data_key, raw, self._vp_aad(field_name))

    def _vp_open_value(self, data_key, field_name, token):
        """The bytes ``_vp_seal_value`` sealed for ``field_name`` of this record."""
        self.ensure_one()
        return crypto.decrypt(data_key, token, self._vp_aad(field_name))

    def _vp_deny(self):
        raise AccessError(
            self.env._(
                "Only the counsellor of case %(case)s can read or change its confidential content.",
                case=", ".join(self._vp_case().sudo().mapped("name")),  # sudo: case numbers only
            )
        )

    def _compute_field_value(self, field):
        if field.name in self._vp_encrypted_fields:
            stack = _read_stack()
            stack.append((None, field.name))
            try:
                return super()._compute_field_value(field)
            finally:
                stack.pop()
        return super()._compute_field_value(field)

    def _vp_fields_to_decrypt(self):
        """The content fields this compute fills: the one asked for and the
        others the current read asks for; all of them when that is unknown."""
        stack = _read_stack()
        computing = stack[-1][1] if stack and stack[-1][0] is None else None
        asked = _asked_for(self._name)
        if computing is None or asked is None:
            return list(self._vp_encrypted_fields)
        return [name for name in self._vp_encrypted_fields if name == computing or name in asked]

    def _vp_sealed_for_reading(self, ciphers_of):
        """What reading these stored records' content needs, once the current user is found
        to be a reader of each (else refused, as an impersonation is): the tokens of the
        ciphertext columns ``ciphers_of`` ({field: ciphertext column}), as {id: {field:
        token}}, the data keys of the records that hold any ({id: key}), and where each key
        came from, for the access log. Every decrypting read of the addon starts here."""
        self._vp_check_not_impersonated()
        denied = self - self._vp_may_read_content()
        if denied:
            denied._vp_deny()
        # sudo: the ciphertext columns are restricted to administrators; the
        # user's right to this content was checked just above.
        records_sudo = self.sudo()
        records_sudo.fetch(list(ciphers_of.values()))  # one query for all columns
        tokens = {rec.id: {name: rec[cipher] for name, cipher in ciphers_of.items()} for rec in records_sudo}
        needed = self.browse([rec_id for rec_id, values in tokens.items() if any(values.values())])
        sources = {}
        data_keys = needed._vp_content_keys(sources=sources) if needed else {}
        return tokens, data_keys, sources

    # Per user: a value decrypted for one user must never be served from the
    # cache to another user in the same transaction.
    @api.depends_context("uid")
    def _compute_vp_plaintext(self):
        field_names = self._vp_fields_to_decrypt()
        stored = self.filtered(lambda rec: rec._origin.id)
        for record in self - stored:
            for field_name in self._vp_encrypted_fields:
                record[field_name] = False
        if not stored:
            return
        origins = stored._origin
        tokens, data_keys, sources = origins._vp_sealed_for_reading(
            {name: self._vp_encrypted_fields[name] for name in field_names}
        )
        # Straight into the cache, field by field for the whole batch: the
        # values are this user's (the compute depends on uid), as record[field] = value would put them.
        cache = self.env.cache
        model = self._name
        ciphers = {}
        for field_name in field_names:
            field = self._fields[field_name]
            moved = origins._vp_moved_aads(field_name)
            values = []
            for record in stored:
                rec_id = record._origin.id
                token = tokens[rec_id][field_name]
                if not token:
                    values.append(False)
                    continue
                data_key = data_keys.get(rec_id)
                if data_key is None:
                    raise crypto.UserError(str(crypto.BROKEN_CIPHERTEXT_MESSAGE))
                key_cipher = ciphers.get(rec_id) or ciphers.setdefault(rec_id, crypto.cipher(data_key))
                aad = moved.get(rec_id) or f"{model}:{rec_id}:{field_name}".encode()  # _vp_aad, inlined for a list
                values.append(crypto.decrypt_with(key_cipher, token, aad).decode())
            cache.update(stored, field, values)
        self.env["vp.audit.log"]._log(origins, "read", key_source=sources)

    def _vp_write_ciphertext(self, vals):
        """Store ciphertext columns (called with sudo by the inverse, inside the write of the
        plaintext field, which already passed the model's own checks)."""
        self.write(vals)

    def _inverse_vp_plaintext(self):
        records = self.filtered("id")
        if not records:
            return
        denied = records - records._vp_may_write_content()
        if denied:
            denied._vp_deny()
        data_keys = records._vp_content_keys(create_missing=True)
        cache = self.env.cache
        for record in records:
            vals = {}
            for field_name, cipher in self._vp_encrypted_fields.items():
                field = self._fields[field_name]
                # Only the fields being written are in the cache: others stay
                # untouched, so writing one field never needs to read another.
                if not cache.contains(record, field):
                    continue
                value = cache.get(record, field)
                vals[cipher] = (
                    record._vp_seal_value(data_keys[record.id], field_name, value.encode()) if value else False
                )
            # sudo: only ciphertext is written, to columns no user may write directly.
            record.sudo()._vp_write_ciphertext(vals)
        self.env["vp.audit.log"]._log(records, "write")

    # Reading content writes that access to vp.audit.log (see _compute_vp_plaintext), so a
    # read of these models is no read-only request. Odoo marks these methods read-only
    # (@api.readonly) and, with a read replica configured (db_replica_host), runs such
    # RPC calls on it: the log's insert would fail there, and Odoo would log a warning
    # and run the call again on the primary. ``_readonly = False`` keeps them on the primary.
    def read(self, fields=None, load="_classic_read"):
        with _reading(self._name, fields):
            return super().read(fields, load=load)

    read._readonly = False

    @api.model
    def search_read(self, domain=None, fields=None, offset=0, limit=None, order=None, **read_kwargs):
        with _reading(self._name, fields):
            return super().search_read(domain, fields, offset=offset, limit=limit, order=order, **read_kwargs)

    search_read._readonly = False

    def web_read(self, specification):
        with _reading(self._name, specification):
            return super().web_read(specification)

    web_read._readonly = False

    @api.model
    def web_search_read(self, domain, specification, offset=0, limit=None, order=None, count_limit=None):
        with _reading(self._name, specification):
            return super().web_search_read(
                domain, specification, offset=offset, limit=limit, order=order, count_limit=count_limit
            )

    web_search_read._readonly = False
