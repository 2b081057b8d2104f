# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What still depends on the master key, and moving it off (one concern, one
file): besides cases, the keys of notices and breach records (vp.record.key)
and timesheet notes sealed directly under it. All of it moves to reader-held
keys as each reader sets a passphrase or unlocks; once the count is 0 the
master key can be retired (README, Encryption)."""

from odoo import api, models


class VpCaseKey(models.Model):
    _inherit = "vp.case.key"  # pylint: disable=consider-merging-classes-inherited

    @api.model
    def _vp_migrate_current_reader(self):
        """Runs when a reader sets a passphrase: their cases, and also the
        notices, breach records and timesheet notes they read."""
        moved = super()._vp_migrate_current_reader()
        self.env["vp.record.key"]._vp_migrate_current_reader()
        self.env["account.analytic.line"]._vp_migrate_notes_of_current_reader()
        return moved

    @api.model
    def _vp_top_up_recovery(self):
        """Runs at every unlock, with the reader's vault open: besides the
        recovery key's share of her cases, readers waiting for a record she
        holds get it."""
        count = super()._vp_top_up_recovery()
        self.env["vp.record.key"]._vp_fulfil_waiting_for_holder()
        return count

    @api.model
    def _vp_master_key_dependants_by_kind(self):
        """What the master key alone still opens: cases, notice and breach
        records (and prevention-work note keys), timesheet notes."""
        lines = self.env["account.analytic.line"].sudo()  # sudo: a count of rows, no note read
        return {
            "cases": self.sudo().search_count([]),  # sudo: a count of rows, no key read
            "records": self.env["vp.record.key"].sudo().search_count([]),  # sudo: likewise
            "notes": lines.search_count([("vp_note_sealed", "!=", False), ("vp_note_key", "=", False)]),
        }

    @api.model
    def _vp_master_items_of_current_user(self):
        """How many items still on the master key wait for the current user to
        move them (she reads them): her cases, the notices and breach records she
        is a principal reader of, her timesheet notes. While it is not 0 she
        cannot dismiss the vault dialog, so that the master key can be retired."""
        uid = self.env.uid
        self.env["vp.case"].flush_model(["counsellor_id"])
        self.env.cr.execute(
            "SELECT count(*) FROM vp_case_key k JOIN vp_case c ON c.id = k.case_id WHERE c.counsellor_id = %s",
            (uid,),
        )
        count = self.env.cr.fetchone()[0]
        # sudo: ids of records still on the master key, to see whom they wait for; no key is read.
        for key in self.env["vp.record.key"].sudo().search_fetch([], ["res_model", "res_id"]):
            record = self.env[key.res_model].sudo().browse(key.res_id).exists()  # sudo: see above
            if record and uid in record._vp_record_readers()[record.id][1].ids:
                count += 1
        lines = self.env["account.analytic.line"]._vp_legacy_note_lines([("user_id", "=", uid)])
        return count + len(lines)

    @api.model
    def _vp_master_key_dependants(self):
        """How many items (cases, notice and breach records, timesheet notes)
        can still be opened with the master key alone. At 0 it can be retired."""
        return sum(self._vp_master_key_dependants_by_kind().values())
