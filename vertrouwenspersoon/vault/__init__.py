# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The vault's primitives, without the ORM: what the models of vault and keys stand on.

- ``crypto``: a data key per case or record, content sealed with AES-GCM per field,
  data keys wrapped under the master key file;
- ``keyring``: reader-held keys (X25519 key pairs opened by a passphrase, sealed
  boxes, the recovery code's alphabet);
- ``session``: where an unlocked reader key lives while a person works (the session
  and the browser's cookie together);
- ``endorsement``: which public keys content may be sealed for.
"""
