# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Before the update to 18.0.2.3.0: a consultation's key joins the one key store.

Until now a consultation held its data key in columns of its own, sealed for the
asker's and the adviser's public keys (``asker_grant``, ``adviser_grant``). Each
moves into ``vp.record.grant`` as a sealed grant of ``res_model =
'vp.consultation'`` for that reader, as it is: the server could not seal it again
(it is sealed for the reader's public key), so the grant keeps the associated data
it was sealed with, ``vp.consultation:<id>:<role>``, by naming the role in
``sealed_as`` (vp_record_grant.py, ``_vp_aad``). No ``vp.record.key`` row is made:
no master key ever wrapped a consultation's key, and none does now. The old
columns go with their fields when the update ends (Odoo drops the columns of
fields the code no longer has).

Before the models are loaded: the update's own data reads the consultations' keys
from the key store."""

import logging

from odoo.tools import SQL
from odoo.tools.sql import column_exists

_logger = logging.getLogger(__name__)

ROLES = (("asker", "asker_id", "asker_grant"), ("adviser", "adviser_id", "adviser_grant"))


def migrate(cr, version):
    if not version or not column_exists(cr, "vp_consultation", "asker_grant"):
        return
    # The column as the ORM makes it; it is loaded right after this script.
    cr.execute("ALTER TABLE vp_record_grant ADD COLUMN IF NOT EXISTS sealed_as VARCHAR")
    moved = 0
    for role, reader_column, grant_column in ROLES:
        reader, grant = SQL.identifier(reader_column), SQL.identifier(grant_column)
        cr.execute(
            SQL(
                """INSERT INTO vp_record_grant (res_model, res_id, user_id, kind, token, sealed_as)
                   SELECT 'vp.consultation', c.id, c.%(reader)s, 'sealed', c.%(grant)s, %(role)s
                     FROM vp_consultation c
                    WHERE c.%(grant)s IS NOT NULL
                      AND NOT EXISTS (SELECT 1 FROM vp_record_grant g
                                       WHERE g.res_model = 'vp.consultation' AND g.res_id = c.id
                                         AND g.user_id = c.%(reader)s)
                    ORDER BY c.id""",
                reader=reader,
                grant=grant,
                role=role,
            )
        )
        moved += cr.rowcount
        # The token now lives in the key store only.
        cr.execute(SQL("UPDATE vp_consultation SET %(grant)s = NULL WHERE %(grant)s IS NOT NULL", grant=grant))
    _logger.info("Moved %d consultation key grant(s) into the one key store", moved)
