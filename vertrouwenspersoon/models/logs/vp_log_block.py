# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Evidence that survives: the logs as hash chains whose heads readers keep.

The content access log and the change log refuse every change through the ORM,
but a database row can still be deleted or changed by SQL (by the operator, or
by an administrator where the lockdown is off). So each batch of log lines a
transaction writes is also a *block*: the ids of its lines. Right after the
transaction commits, the block is sealed into its chain: given the next number
of the chain and a SHA-256 hash over the previous block's hash and over every
one of its lines. The content access log has one chain per person it names
(the reader whose key opened the content, or whom a refused try was made for);
the change log has one chain.

A reader keeps the head of her chain and of the change log's chain in her
vault, authenticated with a key derived from her keyring key (which only her
passphrase opens). At each unlock the chains are checked from that head on, and
for missing blocks before it; she is told how many blocks or lines changed or
went missing since her last unlock. Sealing runs in a transaction of its own at
READ COMMITTED, under a lock per chain, so it adds no hot row to the request.
"""

import hashlib
import json
import logging
import random
from datetime import date, datetime

from cryptography.hazmat.primitives import hashes, hmac
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from odoo import api, fields, models
from odoo.sql_db import TestCursor

_logger = logging.getLogger(__name__)

# The columns of each log that a block's hash covers, in order.
LOGS = {
    "audit": (
        "vp_audit_log",
        (
            "id",
            "case_id",
            "case_number",
            "user_id",
            "access_date",
            "action",
            "res_model",
            "res_id",
            "channel",
            "key_source",
            "session_user_id",
            "as_superuser",
            "in_server_action",
            "other_user",
        ),
    ),
    "change": (
        "vp_change_log",
        (
            "id",
            "change_date",
            "user_id",
            "res_model",
            "res_id",
            "record_name",
            "case_id",
            "field_name",
            "field_label",
            "operation",
            "old_value",
            "new_value",
            "reason",
        ),
    ),
}
GENESIS = "0" * 64
# Old blocks whose lines are checked again at each unlock, chosen at random.
SAMPLE_SIZE = 32


def _canonical(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def lines_digest(rows):
    """SHA-256 over log lines (tuples of LOGS columns), in the order given."""
    digest = hashlib.sha256()
    for row in rows:
        digest.update("\x1f".join(_canonical(value) for value in row).encode())
        digest.update(b"\x1e")
    return digest.hexdigest()


def block_hash(previous, log, owner_id, seq, line_ids, digest):
    statement = f"{previous}|{log}|{owner_id}|{seq}|{','.join(map(str, line_ids))}|{digest}"
    return hashlib.sha256(statement.encode()).hexdigest()


def _checkpoint_key(keyring_key):
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"vp-log-checkpoint").derive(keyring_key)


def seal_checkpoint(keyring_key, uid, heads):
    """The chains' heads as a reader keeps them: JSON authenticated with her keyring key."""
    body = json.dumps({"uid": uid, "heads": heads}, sort_keys=True)
    mac = hmac.HMAC(_checkpoint_key(keyring_key), hashes.SHA256())
    mac.update(body.encode())
    return f"{body}|{mac.finalize().hex()}"


def open_checkpoint(keyring_key, uid, text):
    """The heads of a checkpoint, or None when it was not made with this keyring key for ``uid``."""
    body, _sep, tag = (text or "").rpartition("|")
    if not body:
        return None
    mac = hmac.HMAC(_checkpoint_key(keyring_key), hashes.SHA256())
    mac.update(body.encode())
    try:
        mac.verify(bytes.fromhex(tag))
        data = json.loads(body)
    except (ValueError, TypeError, Exception):
        return None
    return data["heads"] if data.get("uid") == uid else None


class VpLogBlock(models.Model):
    """One batch of log lines in its chain (see the module docstring).

    No group has any access right on this model: the logs write and seal
    blocks, and a reader's unlock checks them, all in SQL."""

    _name = "vp.log.block"
    _description = "Log block (evidence chain)"
    _inherit = ["vp.field.access.mixin"]
    _log_access = False
    _order = "id"

    log = fields.Selection([("audit", "Content access log"), ("change", "Change log")], required=True)
    owner_id = fields.Integer(required=True, help="The user the chain belongs to; 0 for the change log.")
    line_ids = fields.Text(required=True, help="Ids of the block's log lines, comma-separated.")
    seq = fields.Integer(help="Its number in the chain, from 1; empty until sealed after the commit.")
    hash = fields.Char()
    migrated = fields.Boolean(help="Lines written before the chains existed, sealed at the update.")

    _sql_constraints = [("seq_unique", "unique(log, owner_id, seq)", "A chain numbers each block once.")]

    def init(self):
        self.env.cr.execute("CREATE INDEX IF NOT EXISTS vp_log_block_chain_idx ON vp_log_block (log, owner_id, seq)")
        self.env.cr.execute(
            "CREATE INDEX IF NOT EXISTS vp_log_block_pending_idx ON vp_log_block (id) WHERE seq IS NULL"
        )

    # ------------------------------------------------------------------
    # Appending
    # ------------------------------------------------------------------
    @api.model
    def _vp_append(self, log, owner_id, line_ids):
        """Record the lines just written (in this transaction) as a block to seal
        after the commit. One INSERT, no lock: nothing waits for another request."""
        if not line_ids:
            return
        self.env.cr.execute(
            "INSERT INTO vp_log_block (log, owner_id, line_ids, migrated) VALUES (%s, %s, %s, false)",
            (log, owner_id or 0, ",".join(map(str, sorted(line_ids)))),
        )
        self._vp_seal_after_commit(self.env.cr)

    @api.model
    def _vp_seal_after_commit(self, cr):
        registry = self.env.registry
        dbname = cr.dbname
        if registry.in_test_mode():
            # Tests never commit, and their cursors drop post-commit hooks: a request of
            # an HttpCase seals at its simulated commit, on its own cursor. A test's own
            # cursor seals nothing by itself (its savepoints would seal in the middle of a
            # counted query block); a test calls _vp_seal_pending() where it needs to.
            if isinstance(cr, TestCursor) and not cr.precommit.data.get("vp_log_seal"):
                cr.precommit.data["vp_log_seal"] = True
                cr.precommit.add(lambda: self.env(cr=cr)["vp.log.block"]._vp_seal_pending(cr))
            return
        if cr.postcommit.data.get("vp_log_seal"):
            return
        cr.postcommit.data["vp_log_seal"] = True

        def seal():
            try:
                with registry.cursor() as seal_cr:
                    # Its own transaction, READ COMMITTED: each chain's lock is taken, then
                    # its last sealed block read as committed now (no serialization failure).
                    seal_cr.execute("SET TRANSACTION ISOLATION LEVEL READ COMMITTED")
                    api.Environment(seal_cr, self.env.uid, {})["vp.log.block"]._vp_seal_pending(seal_cr)
            except Exception:
                _logger.exception("Could not seal the log blocks of database %s; the next commit will", dbname)

        cr.postcommit.add(seal)

    @api.model
    def _vp_seal_pending(self, cr=None):
        """Seal every pending block (also those a crash left behind), chain by
        chain, in the order they were written. Returns the number sealed."""
        cr = cr or self.env.cr
        cr.execute(
            "SELECT id, log, owner_id, line_ids FROM vp_log_block WHERE seq IS NULL ORDER BY id FOR UPDATE SKIP LOCKED"
        )
        pending = cr.fetchall()
        chains = {}
        for block_id, log, owner_id, line_ids in pending:
            chains.setdefault((log, owner_id), []).append((block_id, [int(i) for i in line_ids.split(",") if i]))
        for (log, owner_id), blocks in sorted(chains.items()):
            cr.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (f"vp_log_chain:{log}:{owner_id}",))
            cr.execute(
                "SELECT seq, hash FROM vp_log_block WHERE log = %s AND owner_id = %s AND seq IS NOT NULL "
                "ORDER BY seq DESC LIMIT 1",
                (log, owner_id),
            )
            seq, previous = cr.fetchone() or (0, GENESIS)
            lines = self._vp_lines(cr, log, [i for _block, ids in blocks for i in ids])
            for block_id, ids in blocks:
                seq += 1
                previous = block_hash(previous, log, owner_id, seq, ids, lines_digest(lines.get(i, ()) for i in ids))
                cr.execute("UPDATE vp_log_block SET seq = %s, hash = %s WHERE id = %s", (seq, previous, block_id))
        return len(pending)

    @api.model
    def _vp_lines(self, cr, log, line_ids):
        """{line id: tuple of its hashed columns} for these lines of ``log``."""
        table, columns = LOGS[log]
        if not line_ids:
            return {}
        cr.execute(f"SELECT {', '.join(columns)} FROM {table} WHERE id = ANY(%s)", (list(line_ids),))
        return {row[0]: row for row in cr.fetchall()}

    @api.model
    def _vp_block_unchained_lines(self):
        """Lines written before the chains existed (an update from an earlier
        release): one block per chain, marked as migrated, sealed at once. Does
        nothing once done."""
        cr = self.env.cr
        for log, (table, _columns) in LOGS.items():
            # The content access log: a chain per person named; the change log: one chain.
            owner, grouping = ("coalesce(user_id, 0)", "GROUP BY 2") if log == "audit" else ("0", "HAVING count(*) > 0")
            cr.execute(
                f"""INSERT INTO vp_log_block (log, owner_id, line_ids, migrated)
                    SELECT %s, {owner}, string_agg(id::text, ',' ORDER BY id), true
                      FROM {table} l
                     WHERE NOT EXISTS (SELECT 1 FROM vp_log_block b
                                        WHERE b.log = %s AND l.id = ANY(string_to_array(b.line_ids, ',')::int[]))
                     {grouping}""",
                (log, log),
            )
        return self._vp_seal_pending(cr)

    # ------------------------------------------------------------------
    # Checking, at a reader's unlock
    # ------------------------------------------------------------------
    @api.model
    def _vp_check_chain(self, log, owner_id, head):
        """Check a chain against the head a reader kept (``[seq, hash]`` or None).

        Returns (problems, new head): how many blocks or lines changed or went
        missing, and the chain's last sealed block as ``[seq, hash]``. Every
        block since the head is checked whole; before it, that no block is
        missing, and SAMPLE_SIZE blocks chosen at random are checked whole."""
        cr = self.env.cr
        start = head[0] if head else 0
        cr.execute(
            "SELECT seq, hash, line_ids FROM vp_log_block WHERE log = %s AND owner_id = %s AND seq >= %s ORDER BY seq",
            (log, owner_id, max(start, 1)),
        )
        blocks = cr.fetchall()
        problems = 0
        previous = GENESIS
        expected = start + 1
        if head and start:
            if not blocks or blocks[0][0] != start or blocks[0][1] != head[1]:
                problems += 1
                blocks = [block for block in blocks if block[0] > start]
            else:
                previous = head[1]
                blocks = blocks[1:]
        for seq, _stored, _ids in blocks:
            if seq != expected:
                problems += seq - expected
            expected = seq + 1
        problems += self._vp_recompute(log, owner_id, blocks, previous)
        if start > 1:
            cr.execute(
                "SELECT count(*) FROM vp_log_block WHERE log = %s AND owner_id = %s AND seq BETWEEN 1 AND %s",
                (log, owner_id, start),
            )
            problems += start - cr.fetchone()[0]
            problems += self._vp_check_sample(log, owner_id, start)
        new_head = [blocks[-1][0], blocks[-1][1]] if blocks else (list(head) if head else None)
        return problems, new_head

    @api.model
    def _vp_recompute(self, log, owner_id, blocks, previous, lines=None):
        """How many of these consecutive blocks (seq, hash, line ids) do not hash as stored.
        ``lines``: their lines when the caller has read them already."""
        if lines is None:
            wanted = [int(i) for _seq, _hash, ids in blocks for i in ids.split(",") if i]
            lines = self._vp_lines(self.env.cr, log, wanted)
        problems = 0
        for seq, stored, ids in blocks:
            line_ids = [int(i) for i in ids.split(",") if i]
            problems += sum(1 for i in line_ids if i not in lines)
            digest = lines_digest(lines.get(i, ()) for i in line_ids)
            if block_hash(previous, log, owner_id, seq, line_ids, digest) != stored:
                problems += 1
            previous = stored
        return problems

    @api.model
    def _vp_check_sample(self, log, owner_id, last):
        """Blocks 1..last chosen at random, each checked with the one before it."""
        picks = sorted(random.sample(range(1, last + 1), min(SAMPLE_SIZE, last)))
        wanted = sorted({seq for pick in picks for seq in (pick - 1, pick) if seq >= 1})
        self.env.cr.execute(
            "SELECT seq, hash, line_ids FROM vp_log_block WHERE log = %s AND owner_id = %s AND seq = ANY(%s)",
            (log, owner_id, wanted),
        )
        found = {row[0]: row for row in self.env.cr.fetchall()}
        # The sampled blocks' lines in one query, not one per block: the sample is the same
        # size in a small bureau and a large one, and so is the number of queries.
        lines = self._vp_lines(
            self.env.cr, log, [int(i) for pick in picks if pick in found for i in found[pick][2].split(",") if i]
        )
        problems = 0
        for pick in picks:
            if pick not in found or (pick > 1 and pick - 1 not in found):
                continue  # a missing block is counted by the caller
            previous = found[pick - 1][1] if pick > 1 else GENESIS
            problems += self._vp_recompute(log, owner_id, [found[pick]], previous, lines)
        return problems

    @api.model
    def _vp_check_at_unlock(self, opened, reader_key):
        """The reader's own chain of the content access log and the change log's
        chain, checked from the heads she kept at her last unlock. Returns what
        to tell her, and keeps the new heads in her checkpoint."""
        uid = self.env.uid
        heads = open_checkpoint(opened.keyring_key, uid, reader_key.log_checkpoint)
        notices = []
        if heads is None:
            if reader_key.log_checkpoint or self._vp_had_checkpoint(uid):
                notices.append(
                    self.env._(
                        "The record of your logs kept with your vault was removed or altered: the logs cannot be "
                        "checked back to your last unlock. From now on they are checked again."
                    )
                )
            heads = {}
        labels = {
            "audit": self.env._("your content access log"),
            "change": self.env._("the change log"),
        }
        new_heads = {}
        for log, owner_id in (("audit", uid), ("change", 0)):
            problems, new_heads[log] = self._vp_check_chain(log, owner_id, heads.get(log))
            if problems:
                notices.append(
                    self.env._(
                        "%(count)s block(s) or line(s) of %(log)s changed or went missing since your last unlock.",
                        count=problems,
                        log=labels[log],
                    )
                )
        reader_key.log_checkpoint = seal_checkpoint(opened.keyring_key, uid, new_heads)
        self.env["vp.audit.log"]._vp_log_vault("log_checked")
        return notices

    @api.model
    def _vp_had_checkpoint(self, uid):
        """Whether an unlock already kept a checkpoint for her: each writes a line saying so."""
        self.env.cr.execute("SELECT 1 FROM vp_audit_log WHERE user_id = %s AND action = 'log_checked' LIMIT 1", (uid,))
        return bool(self.env.cr.fetchone())
