# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Reader-held keys of notices to HR (one concern, one file): who holds a
notice's own key, and how it reaches HR when the notice is sent."""

from odoo import models


class VpNotice(models.Model):
    _inherit = "vp.notice"  # pylint: disable=consider-merging-classes-inherited

    def _vp_record_readers(self):
        """Per notice: (readers, principal readers, organisation). The case's
        key readers (its counsellor, handover backups, the roster backup:
        never the other side) read it, and, once sent, its HR recipients.
        HR gets the notice's own key, never the case's. The principal readers
        (the counsellor and the recipients) must hold the key before its
        wrapping under the master key goes. A fixed number of queries."""
        # sudo: who reads the notices, not what is in them.
        notices = self.sudo()
        readers_by_case = notices.case_id._vp_key_readers_by_case()
        result = {}
        for notice in notices:
            case = notice.case_id
            readers = readers_by_case.get(case.id, self.env["res.users"])
            principal = case.counsellor_id & readers
            if notice.state != "draft":
                recipients = notice.recipient_user_ids.filtered("active")
                readers |= recipients
                principal |= recipients
            result[notice.id] = (readers, principal, case.organisation_id)
        return result

    def action_send(self):
        result = super().action_send()
        # The counsellor sends in her unlocked session: the notice's key is
        # sealed for each recipient's public key now (a recipient without a
        # key pair waits until she chooses a passphrase and a holder unlocks).
        self.env["vp.record.key"]._vp_share(self)
        return result

    def unlink(self):
        ids = self.ids
        result = super().unlink()
        self.env["vp.record.key"]._vp_forget(self._name, ids)
        return result
