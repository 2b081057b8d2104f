# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Vault and keys: the encryption mixin every sealed field goes through, each reader's
key pair, and the one key store (a data key per case or record, and its grants to the
readers, the organisation's recovery key and the reporter's receipt code). The
primitives they use (crypto, the sealed box, the session's unlocked keys, the master
key's one interface) are in the package ``vertrouwenspersoon/vault``."""

from . import vp_encrypted_mixin
from . import vp_reader_key
from . import vp_record_key
from . import vp_record_grant
