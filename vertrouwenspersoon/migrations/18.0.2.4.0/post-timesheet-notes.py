# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""After the update to 18.0.2.4.0: the notes of timesheet lines move into
``vp.timesheet.note``, which seals them through vp.encrypted.mixin.

Until now a line sealed its note by hand, in columns of its own (``vp_note_sealed``,
``vp_note_key``). Each sealed note moves into a note of its line as it is: the server
cannot seal it again (its key is held by the case's or the line's readers), so it keeps
the associated data it was sealed with, ``account.analytic.line:<line>:vp_note``
(``sealed_as_line``, vp_timesheet_note.py, ``_vp_moved_aads``). Its key does not move
either: a note on a case stays under the case's key (``case_id``), a note of prevention
work under its line's key in the one key store. A note from before reader-held keys
(``vp_note_key`` empty) stays under the master key (``on_master_key``): the update seals
those it can again right away (notes of cases still on the master key, prevention
work), the others at a reader's unlock, as before.

After the models are loaded (the note's table exists), before Odoo drops the old
columns with their fields at the end of the update: the sealed text then exists only
in the note. The update's own data ran ``_vp_migrate_notes_at_update`` before this
script, on no notes yet; it runs again here."""

import logging

from odoo import SUPERUSER_ID, api
from odoo.tools import SQL
from odoo.tools.sql import column_exists

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    if not version or not column_exists(cr, "account_analytic_line", "vp_note_sealed"):
        return
    # A release from before reader-held keys (18.0.1.x) has no key column: every note of
    # it is under the master key.
    key = SQL("l.vp_note_key") if column_exists(cr, "account_analytic_line", "vp_note_key") else SQL("NULL")
    cr.execute(
        SQL(
            """INSERT INTO vp_timesheet_note (line_id, case_id, note_sealed, sealed_as_line, on_master_key,
                                          create_uid, create_date, write_uid, write_date)
           SELECT l.id, CASE WHEN %(key)s = 'record' THEN NULL ELSE c.id END, l.vp_note_sealed, TRUE,
                  %(key)s IS NULL, l.create_uid, l.create_date, l.write_uid, l.write_date
             FROM account_analytic_line l
             LEFT JOIN vp_case c ON c.id = l.vp_case_id
            WHERE l.vp_note_sealed IS NOT NULL
              AND NOT EXISTS (SELECT 1 FROM vp_timesheet_note n WHERE n.line_id = l.id)
            ORDER BY l.id""",
            key=key,
        )
    )
    moved = cr.rowcount
    # The sealed text now lives in the note only (Odoo drops these columns at the end of
    # the update as well; a copy left behind until then would be a second one to shred).
    cr.execute("DROP INDEX IF EXISTS account_analytic_line_vp_legacy_note_idx")
    cr.execute("ALTER TABLE account_analytic_line DROP COLUMN vp_note_sealed, DROP COLUMN IF EXISTS vp_note_key")
    env = api.Environment(cr, SUPERUSER_ID, {})
    env.invalidate_all()
    resealed = env["vp.timesheet.note"]._vp_migrate_notes_at_update()
    _logger.info(
        "Moved %d timesheet note(s) into vp.timesheet.note; %d sealed again off the master key", moved, resealed
    )
