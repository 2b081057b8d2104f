# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The master key: the only code that wraps, unwraps or seals anything under it.

What it is for: content of a database made before reader-held keys (release
18.0.1.x) was sealed under data keys wrapped by a master key that lives in a
file outside the database (``vp_master_key_file``), and timesheet notes of that
time were sealed under it directly. That content stays readable through this
module until its readers have moved it to keys they hold (each unlock moves what
a reader reads), and during the module update of such a database, which holds
the master key and no reader (``wrap_at_update``). Nothing else is ever put
under it: a deployment without the key file seals for readers only.

When it ends: once ``vp.record.key._vp_master_key_dependants()`` is 0 (no row of
``vp.record.key`` and no timesheet note is left under it), nothing depends on
the master key any more. The operator then removes the ``vp_master_key_file``
line from the configuration, restarts, and destroys the key file and every copy
of it (docs/OPERATIONS.md, "Upgrading"; docs/SECURITY.md, "No master key"). From
then on ``keys_or_none()`` returns None and every function here that needs the
key refuses: an old database dump opens nothing without a reader's passphrase.
"""

from . import crypto


def keys():
    """The master keys as {fingerprint: key}, current first; UserError without a key file."""
    return crypto.load_master_keys()


def keys_or_none():
    """The master keys, or None once the key file is gone (the master key is retired)."""
    try:
        return crypto.load_master_keys()
    except crypto.UserError:
        return None


def wrap(master_keys, data_key, aad):
    """``data_key`` wrapped under the current master key: (fingerprint, wrapped).
    Only during the module update of a database from before reader-held keys."""
    current_id, current = next(iter(master_keys.items()))
    return current_id, crypto.wrap_key(current, data_key, aad)


def unwrap(master_keys, master_key_id, wrapped, aad):
    """A data key wrapped under the master key of fingerprint ``master_key_id``."""
    master = master_keys.get(master_key_id)
    if master is None:
        raise crypto.UserError(str(crypto.BROKEN_CIPHERTEXT_MESSAGE))
    return crypto.unwrap_key(master, wrapped, aad)


def rewrap(master_keys, master_key_id, wrapped, aad):
    """Rotation: the same data key wrapped under the current master key instead:
    (fingerprint, wrapped). The data key never leaves this function."""
    return wrap(master_keys, unwrap(master_keys, master_key_id, wrapped, aad), aad)


def open_sealed(master_keys, token, aad):
    """Content sealed directly under a master key (timesheet notes of before
    reader-held keys), whichever of the file's keys sealed it."""
    return crypto.open_with_any(master_keys, token, aad)


def reseal(master_keys, token, aad):
    """Rotation: content sealed directly under a master key, sealed again under the current one."""
    current = next(iter(master_keys.values()))
    return crypto.encrypt(current, open_sealed(master_keys, token, aad), aad)
