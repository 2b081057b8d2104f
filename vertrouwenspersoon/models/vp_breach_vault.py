# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Reader-held keys of breach records (one concern, one file): the two
signatories hold the record's own key, nobody else."""

from odoo import models


class VpBreach(models.Model):
    _inherit = "vp.breach"  # pylint: disable=consider-merging-classes-inherited

    def _vp_record_readers(self):
        """Per breach record: (readers, principal readers, organisation): the
        counsellor who wrote it and the second signatory, both principal."""
        result = {}
        for breach in self.sudo():  # sudo: who signs, not what is in the record
            signatories = (breach.requested_by_id | breach.approver_id).filtered("active")
            result[breach.id] = (signatories, signatories, breach.case_id.organisation_id)
        return result

    def write(self, vals):
        result = super().write(vals)
        if "approver_id" in vals:
            # A draft's second signatory changed: the new one gets the key.
            self.env["vp.record.key"]._vp_share(self)
        return result

    def unlink(self):
        ids = self.ids
        result = super().unlink()
        self.env["vp.record.key"]._vp_forget(self._name, ids)
        return result
