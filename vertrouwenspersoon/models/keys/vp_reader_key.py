# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError

from ...vault import endorsement
from ...vault import keyring as vault
from ...vault import session as vault_session
from ..logs.vp_audit_log import in_server_action, session_uid

_logger = logging.getLogger(__name__)

# After this many wrong passphrases in a row, each further try waits longer.
FREE_ATTEMPTS = 3
MAX_WAIT_SECONDS = 15 * 60


class WrongPassphrase(UserError):
    """A wrong passphrase; the failure was counted in the current transaction."""


class VpReaderKey(models.Model):
    """A reader's key pair: the only way to the case keys granted to them.

    The private key is stored sealed under a key derived (scrypt) from a
    passphrase the reader chose, which is not their Odoo password: a password
    reset by the administrator, OAuth or LDAP opens nothing. The keyring key,
    under which the reader keeps the case keys they have opened, is sealed for
    the reader's own public key. Nothing here opens without the passphrase.

    No group has any access right on this model: the vault code reaches it
    with sudo() and hands out nothing but a key opened with the passphrase.
    """

    _name = "vp.reader.key"
    _description = "Reader key (vault)"
    _inherit = ["vp.field.access.mixin"]
    _rec_name = "user_id"

    user_id = fields.Many2one("res.users", required=True, ondelete="cascade", index=True, readonly=True)
    public_key = fields.Char(required=True, readonly=True)
    sealed_private_key = fields.Char(required=True, readonly=True)
    sealed_keyring_key = fields.Char(required=True, readonly=True)
    failed_attempts = fields.Integer(readonly=True)
    retry_after = fields.Datetime(readonly=True)
    # vault/endorsement.py: content is sealed only for a public key endorsed when its
    # owner made it in her own session; a key written into this row otherwise is not used.
    endorsement = fields.Char(readonly=True)
    # models/logs/vp_log_block.py: the heads of her log chains at her last unlock, authenticated
    # with a key derived from her keyring key; checked and renewed at each unlock.
    log_checkpoint = fields.Text(readonly=True)

    _sql_constraints = [("user_unique", "unique(user_id)", "A reader has one key pair.")]

    @staticmethod
    def _vp_aad(user_id):
        return f"vp.reader.key:{user_id}".encode()

    @staticmethod
    def _vp_keyring_aad(user_id):
        return f"vp.reader.key.keyring:{user_id}".encode()

    @api.model
    def _vp_key_of(self, user_ids):
        """The key pairs of these users that content may be sealed for: endorsed ones only."""
        # sudo: public keys and sealed keys only; no group may read this model.
        keys = self.sudo().search_fetch([("user_id", "in", list(user_ids))], ["user_id", "public_key", "endorsement"])
        return keys.filtered(lambda key: key._vp_is_endorsed())

    @api.model
    def _vp_own_key(self):
        """The current user's key pair row, endorsed or not (to open it, or to say she has one)."""
        # sudo: the user's own row; this model has no access rights.
        return self.sudo().search([("user_id", "=", self.env.uid)])

    def _vp_endorse(self):
        return endorsement.endorse("reader", self.user_id.id, self.public_key)

    def _vp_is_endorsed(self):
        self.ensure_one()
        return endorsement.is_endorsed(self.endorsement, "reader", self.user_id.id, self.public_key)

    @api.model
    def _vp_ready_user_ids(self, user_ids):
        """Ids of ``user_ids`` who hold an endorsed key pair: only they get cases."""
        return set(self._vp_key_of(user_ids).user_id.ids)

    @api.model
    def _vp_check_own_session(self):
        """A key is made or endorsed only by its owner in her own request: never by code
        the administrator runs as her (a server action, another user's session)."""
        session = session_uid()
        if in_server_action() or (session and session != self.env.uid):
            raise UserError(self.env._("A vault key is made only by its owner, signed in herself."))

    # ------------------------------------------------------------------
    # Passphrase
    # ------------------------------------------------------------------
    @api.model
    def _vp_set_passphrase(self, passphrase, old_passphrase=None):
        """Create the current user's key pair, or seal it under a new passphrase.

        Returns the opened vault (the caller keeps it in the session)."""
        if not vault.check_passphrase(passphrase):
            raise UserError(
                self.env._(
                    "Choose a passphrase of at least %(length)s characters, different from your login password.",
                    length=vault.MIN_PASSPHRASE_LENGTH,
                )
            )
        if self.env.user._vp_is_password(passphrase):
            raise UserError(self.env._("Your vault passphrase must differ from your login password."))
        self._vp_check_own_session()
        uid = self.env.uid
        existing = self._vp_own_key()
        aad = self._vp_aad(uid)
        if existing:
            opened = self._vp_open(old_passphrase)
            existing.write({"sealed_private_key": vault.seal_private_key(opened.private_key, passphrase, aad)})
            self.env["vp.audit.log"]._vp_log_vault("passphrase_changed")
            return opened
        public, sealed = vault.new_key_pair(passphrase, aad)
        keyring_key = vault.new_keyring_key()
        # sudo: the user's own key row; this model has no access rights.
        key = self.sudo().create(
            {
                "user_id": uid,
                "public_key": public,
                "sealed_private_key": sealed,
                "sealed_keyring_key": vault.seal_for(public, keyring_key, self._vp_keyring_aad(uid)),
            }
        )
        key.endorsement = key._vp_endorse()
        opened = vault_session.UnlockedVault(uid, vault.open_private_key(sealed, passphrase, aad), keyring_key)
        self.env["vp.audit.log"]._vp_log_vault("passphrase_set")
        return opened

    # ------------------------------------------------------------------
    # Unlock
    # ------------------------------------------------------------------
    @api.model
    def _vp_open(self, passphrase):
        """The current user's key, opened with their passphrase; wrong tries are slowed down and logged."""
        uid = self.env.uid
        key = self._vp_own_key()
        if not key:
            raise vault_session.VaultLocked(str(vault_session.NO_READER_KEY_MESSAGE))
        now = fields.Datetime.now()
        if key.retry_after and key.retry_after > now:
            raise UserError(
                self.env._(
                    "Too many wrong passphrases: try again in %(seconds)s seconds.",
                    seconds=int((key.retry_after - now).total_seconds()) + 1,
                )
            )
        try:
            private_key = vault.open_private_key(key.sealed_private_key, passphrase or "", self._vp_aad(uid))
        except vault.VaultError:
            self._vp_register_failure(key, now)
            raise WrongPassphrase(self.env._("That is not your vault passphrase.")) from None
        keyring_key = vault.open_sealed(private_key, key.sealed_keyring_key, self._vp_keyring_aad(uid))
        if key.failed_attempts:
            key.write({"failed_attempts": 0, "retry_after": False})
        self.env["vp.audit.log"]._vp_log_vault("unlock")
        return vault_session.UnlockedVault(uid, private_key, keyring_key)

    @api.model
    def _vp_after_unlock(self, opened):
        """What an unlock does besides opening the key, with the reader present:
        checks her own key on record, moves what she reads off the master key,
        seals her cases for the endorsed recovery key, and gives readers waiting
        for a key she holds their grant. Returns what she must be told (key rows
        changed behind her back, recovery keys not made in the app)."""
        notices = self._vp_check_own_key(opened)
        notices += self.env["vp.log.block"]._vp_check_at_unlock(opened, self._vp_own_key())
        keys = self.env["vp.record.key"]
        keys._vp_migrate_current_reader()
        keys._vp_top_up_recovery()
        keys._vp_fulfil_waiting_for_holder()
        notices += self.env["vp.organisation"]._vp_recovery_notices()
        return notices

    @api.model
    def _vp_check_own_key(self, opened):
        """Her key row must hold the public key of the private key she just opened
        with her passphrase, endorsed. Otherwise someone wrote the row: it is set
        back (she proved the key is hers), and she is told what was found."""
        key = self._vp_own_key()
        notices = []
        public = vault._b64(vault.public_bytes(opened.private_key))
        changed_on = key.write_date
        changed_by = key.write_uid.sudo().name  # sudo: the name of who last wrote the row, to tell her
        if key.public_key != public:
            key.write({"public_key": public})
            notices.append(
                self.env._(
                    "The public key on record for your vault was not yours (last changed on %(date)s by %(user)s). "
                    "It has been set back. Nothing was sealed for the other key: it was not endorsed.",
                    date=changed_on,
                    user=changed_by,
                )
            )
            self.env["vp.audit.log"]._vp_log_vault("key_restored")
        if not key._vp_is_endorsed():
            # None yet (a key from before endorsements): made now, silently. A value
            # that does not check was written behind her back: she is told.
            tampered = bool(key.endorsement)
            key.endorsement = key._vp_endorse()
            if tampered and not notices:
                notices.append(
                    self.env._(
                        "Your vault key's endorsement on this server was missing or not valid (last changed on "
                        "%(date)s by %(user)s) and has been made again. Requests that came in meanwhile were sealed "
                        "for their other readers only; you get them from those readers.",
                        date=changed_on,
                        user=changed_by,
                    )
                )
                self.env["vp.audit.log"]._vp_log_vault("key_restored")
        return notices

    def _vp_register_failure(self, key, now):
        """Count a wrong passphrase. Written in the current transaction: the
        unlock route answers a wrong passphrase without raising, so it is kept."""
        failures = key.failed_attempts + 1
        wait = 0 if failures < FREE_ATTEMPTS else min(2 ** (failures - FREE_ATTEMPTS + 1), MAX_WAIT_SECONDS)
        key.write({"failed_attempts": failures, "retry_after": now + timedelta(seconds=wait) if wait else False})
        self.env["vp.audit.log"]._vp_log_vault("unlock_failed")
        _logger.warning("Wrong vault passphrase for user %s (%d in a row)", self.env.uid, failures)
