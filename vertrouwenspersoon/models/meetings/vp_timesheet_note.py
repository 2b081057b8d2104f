# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

from ...vault import master_key

LINE = "account.analytic.line"


class VpTimesheetNote(models.Model):
    """What a counsellor typed with her hours: the note of one timesheet line
    (``account.analytic.line.vp_note`` reads and writes it), sealed through
    vp.encrypted.mixin like every other content field.

    A model of its own, not the mixin on ``account.analytic.line``: that would make
    every Odoo timesheet line content (the lockdown, the field guards, the access log and
    the read rules on Odoo's own timesheets). The line keeps what invoicing needs; the
    note, which can name the employee ("talk with Jolanda about her manager"), lives here.

    Its key: the case's key for hours on a case (``case_id``, the case whose key seals it,
    held by the case's readers); for prevention work, the key of its line in the one key
    store (``vp.record.key`` of ``account.analytic.line``, whose reader is the line's
    counsellor, ``account.analytic.line._vp_record_readers``), where such notes were
    sealed before this model existed: the keys move nothing. Only the line's own
    counsellor reads the note, whatever groups, rules and handovers allow.

    Notes sealed on the line before 18.0.2.4.0 were moved here as they were
    (``sealed_as_line``: bound to the line they were sealed on), and notes from before
    reader-held keys are still sealed under the master key (``on_master_key``) until a
    reader's unlock seals them again under their key (``_vp_migrate_notes_of_current_reader``).
    Writing a note seals it as this note.
    """

    _name = "vp.timesheet.note"
    _description = "Timesheet note"
    _inherit = ["vp.encrypted.mixin", "vp.field.access.mixin"]
    _rec_name = "line_id"

    _vp_encrypted_fields = {"note": "note_sealed"}

    line_id = fields.Many2one(LINE, string="Hours", required=True, ondelete="cascade", index=True, readonly=True)
    # The case whose key seals the note: empty for prevention work (the line's own key).
    # Deleting the case deletes the note: its key went with the case.
    case_id = fields.Many2one("vp.case", ondelete="cascade", index="btree_not_null", readonly=True)
    note = fields.Char(compute="_compute_vp_plaintext", inverse="_inverse_vp_plaintext")
    note_sealed = fields.Text(groups="base.group_system", copy=False, prefetch=False)
    sealed_as_line = fields.Boolean(
        string="Sealed as its line's note",
        groups="base.group_system",
        copy=False,
        help="Sealed on the timesheet line before 18.0.2.4.0 and moved here as it was.",
    )
    on_master_key = fields.Boolean(
        string="Under the master key",
        groups="base.group_system",
        copy=False,
        help="A note from before reader-held keys: sealed again under its key at a reader's unlock.",
    )

    _sql_constraints = [("line_unique", "UNIQUE(line_id)", "A timesheet line has one note.")]

    def init(self):
        res = super().init()
        # Every unlock looks for notes still sealed under the master key (an upgrade from
        # 18.0.1.x leaves them until a reader unlocks). There are none or few; without
        # this index the search reads every note of a large bureau.
        self.env.cr.execute(
            "CREATE INDEX IF NOT EXISTS vp_timesheet_note_legacy_idx ON vp_timesheet_note (id) WHERE on_master_key"
        )
        return res

    # ------------------------------------------------------------------
    # vp.encrypted.mixin: the case, the readers, the key, the associated data
    # ------------------------------------------------------------------
    def _vp_case(self):
        return self.case_id

    def _vp_case_ids(self):
        return {note.id: note.case_id.id for note in self.sudo()}  # sudo: case ids only

    @api.model
    def _vp_cases_held(self, case_ids):
        """Of ``case_ids``, the cases whose key the current user can open."""
        return self.env["vp.record.key"]._vp_with_a_key("vp.case", case_ids, holder=self.env.uid) if case_ids else set()

    def _vp_may_read_content(self):
        """The line's own counsellor only (not a backup in a handover, nor anyone a group or
        rule lets see the line)."""
        uid = self.env.uid
        # sudo: who logged each note's line (a user id) decides who reads it, nothing else.
        readers = {note.id for note in self.sudo() if note.line_id.user_id.id == uid}
        return self.filtered(lambda note: note.id in readers)

    def _vp_content_keys(self, create_missing=False, sources=None):
        """The case's key for a note on a case (the mixin's case scope); for prevention
        work, the key of its line in the one key store."""
        case_of = self._vp_case_ids()
        on_cases = self.browse([note_id for note_id, case_id in case_of.items() if case_id])
        keys = super(VpTimesheetNote, on_cases)._vp_content_keys(create_missing, sources) if on_cases else {}
        own = (self - on_cases).sudo()  # sudo: the line of each note, to find its key
        if own:
            line_of = {note.id: note.line_id.id for note in own}
            line_sources = {} if sources is not None else None
            line_keys = self.env["vp.record.key"]._get_data_keys(
                LINE, set(line_of.values()), create_missing=create_missing, sources=line_sources
            )
            for note_id, line_id in line_of.items():
                if line_id in line_keys:
                    keys[note_id] = line_keys[line_id]
                    if sources is not None:
                        sources[note_id] = line_sources[line_id]
        return keys

    def _vp_moved_aads(self, field_name):
        """Notes moved from their line as they were sealed there: bound to the line."""
        # sudo: whether a note was moved, and its line's id; nothing is opened here.
        return {
            note.id: f"{LINE}:{note.line_id.id}:vp_note".encode() for note in self._origin.sudo() if note.sealed_as_line
        }

    @api.depends_context("uid")
    def _compute_vp_plaintext(self):
        stored = self.filtered(lambda note: note._origin.id)
        origins_sudo = stored._origin.sudo()  # sudo: where each note is sealed; nothing is opened here
        on_master_key = set(origins_sudo.filtered("on_master_key").ids)
        case_of = {origin.id: origin.case_id.id for origin in origins_sudo}
        legacy = stored.filtered(lambda note: note._origin.id in on_master_key)
        # A case handed to another counsellor: its key is no longer hers, and her note on it
        # reads as empty (not as an error in her list of hours).
        case_ids = {case_of[origin_id] for origin_id in set(case_of) - on_master_key} - {False}
        held = self._vp_cases_held(case_ids) | {False}
        lost = (stored - legacy).filtered(lambda note: case_of[note._origin.id] not in held)
        lost.note = False
        res = super(VpTimesheetNote, self - legacy - lost)._compute_vp_plaintext()
        if legacy:
            legacy._vp_open_on_master_key()
        return res

    def _vp_open_on_master_key(self):
        """Notes from before reader-held keys, sealed directly under the master key: opened
        with it, for their reader only, and logged as opened with the master key."""
        origins = self._origin
        origins._vp_check_not_impersonated()
        denied = origins - origins._vp_may_read_content()
        if denied:
            denied._vp_deny()
        master_keys = master_key.keys()
        for note in self:
            origin = note._origin
            token = origin.sudo().note_sealed  # sudo: the sealed note of its reader, checked above
            note.note = token and master_key.open_sealed(master_keys, token, origin._vp_aad("note")).decode()
        self.env["vp.audit.log"]._log(origins, "read", key_source=dict.fromkeys(origins.ids, "master"))

    def _inverse_vp_plaintext(self):
        records = self.filtered("id")
        denied = records - records._vp_may_write_content()
        if denied:
            denied._vp_deny()
        # A note written again is sealed as this note, under its key: the line's associated
        # data and the master key were only for notes moved as they were.
        moved = records.sudo()  # sudo: the markers of how a note was sealed
        moved = moved.filtered(lambda note: note.sealed_as_line or note.on_master_key)
        if moved:
            moved.write({"sealed_as_line": False, "on_master_key": False})
        return super()._inverse_vp_plaintext()

    # ------------------------------------------------------------------
    # Notes from before reader-held keys, under the master key
    # ------------------------------------------------------------------
    @api.model
    def _vp_legacy_notes(self, domain):
        self.flush_model(["on_master_key"])
        # sudo: sealed notes and their cases only; nothing is opened here.
        return self.sudo().search([("on_master_key", "=", True), *domain])

    @api.model
    def _vp_migrate_notes_of_current_reader(self):
        """At unlock or passphrase set: notes still under the master key move under the
        key of their case, for the cases this reader holds, and under the key of their
        line for this reader's prevention work. Needs the master key once; without it
        the notes stay (and are counted)."""
        legacy = self._vp_legacy_notes([])
        if not legacy:
            return 0
        master_keys = master_key.keys_or_none()
        if master_keys is None:
            return 0
        held = self._vp_cases_held(legacy.case_id.ids)
        on_cases = legacy.filtered(lambda note: note.case_id.id in held)
        own_prevention = legacy.filtered(lambda note: not note.case_id and note.line_id.user_id.id == self.env.uid)
        return self._vp_move_notes(on_cases | own_prevention, master_keys)

    @api.model
    def _vp_migrate_notes_at_update(self):
        """At -u, while the master key is there: notes on cases still on the master key,
        and notes of prevention work, move to their keys at once; notes on cases already
        held by their readers wait for a reader to unlock. Does nothing once done, or
        without a master key."""
        legacy = self._vp_legacy_notes([])
        master_keys = legacy and master_key.keys_or_none()
        if not master_keys:
            return 0
        # Which of these cases still have a master-wrapped key (ids only; no key is opened here).
        on_master = self.env["vp.record.key"]._vp_on_master_key("vp.case", legacy.case_id.ids)
        return self._vp_move_notes(
            legacy.filtered(lambda note: not note.case_id or note.case_id.id in on_master),
            master_keys,
            at_update=True,
        )

    @api.model
    def _vp_move_notes(self, notes_sudo, master_keys, at_update=False):
        """Seal these notes (master-key notes) again under their case's or line's key, as
        themselves. ``at_update``: keys of prevention lines are made by the update, with no
        reader present (vp.record.key._vp_new_record_keys_at_update)."""
        if not notes_sudo:
            return 0
        record_keys = self.env["vp.record.key"]
        on_cases = notes_sudo.filtered("case_id")
        case_keys = record_keys._get_data_keys("vp.case", set(on_cases.case_id.ids), create_missing=True)
        keys = {note.id: case_keys[note.case_id.id] for note in on_cases if note.case_id.id in case_keys}
        own = notes_sudo - on_cases
        if own:
            line_ids = own.line_id.ids
            if at_update:
                line_keys = record_keys._get_data_keys(LINE, line_ids)
                new = [line_id for line_id in line_ids if line_id not in line_keys]
                line_keys.update(record_keys._vp_new_record_keys_at_update(LINE, new) if new else {})
            else:
                line_keys = record_keys._get_data_keys(LINE, line_ids, create_missing=True)
            keys.update({note.id: line_keys[note.line_id.id] for note in own if note.line_id.id in line_keys})
        moving = notes_sudo.filtered(lambda note: note.id in keys)
        plain = {
            note.id: master_key.open_sealed(master_keys, note.note_sealed, note._vp_aad("note")) for note in moving
        }
        moving.write({"sealed_as_line": False, "on_master_key": False})
        for note in moving:
            note.note_sealed = note._vp_seal_value(keys[note.id], "note", plain[note.id])
        moving.invalidate_recordset(["note"])
        return len(moving)

    @api.model
    def _vp_reseal_on_current_master_key(self, master_keys):
        """Rotation: notes still under a master key, sealed again under the current one."""
        notes = self._vp_legacy_notes([])
        for note in notes:
            note.note_sealed = master_key.reseal(master_keys, note.note_sealed, note._vp_aad("note"))
        return len(notes)
