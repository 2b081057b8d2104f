# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Reader-held keys on vp.case (one concern, one file): who holds a case's
key, how it reaches a new reader, and how cases move off the master key."""

from odoo import models

from ..vault import session as vault_session


class VpCase(models.Model):
    _inherit = "vp.case"  # pylint: disable=consider-merging-classes-inherited

    def _vp_key_readers_by_case(self):
        """Per case, who holds its key: its counsellor, the backups of a running
        or planned handover, and the counsellor's backup on the region's
        roster (so an overdue first contact can be handed over without anyone
        re-granting). Never a counsellor of the other side. A fixed number of
        queries for any number of cases."""
        # sudo: who is on the cases and the rosters, not what is in the cases.
        cases = self.sudo()
        excluded = self._vp_other_side_counsellors()
        lines = cases.region_id.roster_line_ids
        backup_of = {(line.region_id.id, line.user_id.id): line.backup_user_id for line in lines}
        result = {}
        for case in cases:
            readers = case.counsellor_id | case.handover_ids.filtered(lambda h: not h.ended).to_user_id
            if case.counsellor_id:
                readers |= backup_of.get((case.region_id.id, case.counsellor_id.id), self.env["res.users"])
            result[case.id] = readers.filtered(lambda user, case=case: user.id not in excluded[case.id] and user.active)
        return result

    def _vp_key_readers(self):
        self.ensure_one()
        return self._vp_key_readers_by_case()[self.id]

    def _vp_share_key(self):
        """Give the cases' current readers their key, when the current user can
        open it (their own grant, unlocked; or the master key for a case not
        yet moved); otherwise the new readers wait for access, which the next
        reader who opens the case fulfils. Cases without content yet have no
        key to share: the first content written seals one for their readers."""
        self._vp_share_notice_keys()
        if not self or not self._vp_cases_with_a_key():
            return
        grants_model = self.env["vp.key.grant"].sudo()  # sudo: wrapped keys and holders only, nothing opened here
        grants = grants_model.search_fetch([("case_id", "in", self.ids)], ["case_id", "user_id", "token"])
        legacy = set(self.env["vp.case.key"].sudo().search([("case_id", "in", self.ids)]).case_id.ids)  # sudo: ids
        readers = self._vp_key_readers_by_case()
        keyed = set(self.env["vp.reader.key"]._vp_key_of({u for r in readers.values() for u in r.ids}).user_id.ids)
        to_share = {}
        for case in self:
            case_grants = grants.filtered(lambda grant, case=case: grant.case_id == case)
            if not case_grants and case.id not in legacy:
                continue
            held = set(case_grants.user_id.ids)
            # While the master key still opens a case, readers without a key pair need no grant.
            new = readers[case.id].filtered(
                lambda user, case=case, held=held: user.id not in held and (user.id in keyed or case.id not in legacy)
            )
            if new:
                to_share[case.id] = new
        if not to_share:
            return
        mine = set(grants.filtered(lambda grant: grant.user_id.id == self.env.uid and grant.token).case_id.ids)
        openable = [case_id for case_id in to_share if case_id in mine or case_id in legacy]
        data_keys = {}
        if openable:
            try:
                data_keys = self.env["vp.case.key"]._get_data_keys(openable)
            except vault_session.VaultLocked:
                data_keys = {}
        waiting = []
        for case in self.filtered(lambda case: case.id in to_share):
            if case.id in data_keys:
                organisation = case.sudo().organisation_id  # sudo: the organisation, for its recovery key
                grants_model._vp_seal(case.id, data_keys[case.id], to_share[case.id], organisation)
            else:
                waiting += [{"case_id": case.id, "user_id": user.id} for user in to_share[case.id]]
        if waiting:
            grants_model.create(waiting)

    def _vp_share_notice_keys(self):
        """The cases' notices have keys of their own, read by the case's
        readers too: a new reader gets them the same way (vp.record.key)."""
        # sudo: ids of the cases' notices, to share their keys; nothing is read.
        notices = self.env["vp.notice"].sudo().search([("case_id", "in", self.ids)]) if self else None
        if notices:
            self.env["vp.record.key"]._vp_share(notices.with_env(self.env))

    def _vp_cases_with_a_key(self):
        """Ids of these cases that have a data key (one query): a case without
        content has none, and nothing to share."""
        self.env["vp.key.grant"].flush_model(["case_id"])
        self.env["vp.case.key"].flush_model(["case_id"])
        self.env.cr.execute(
            "SELECT case_id FROM vp_key_grant WHERE case_id IN %s "
            "UNION SELECT case_id FROM vp_case_key WHERE case_id IN %s",
            (tuple(self.ids), tuple(self.ids)),
        )
        return {row[0] for row in self.env.cr.fetchall()}

    def _vp_drop_former_readers(self):
        """Grants of people who no longer read the case go (a reassigned
        counsellor, an ended handover), once a current reader holds the key."""
        readers = self._vp_key_readers_by_case()
        # sudo: removes wrapped keys of non-readers; reads nothing.
        grants = self.env["vp.key.grant"].sudo().search([("case_id", "in", self.ids), ("user_id", "!=", False)])
        former = grants.browse()
        for case in self:
            case_grants = grants.filtered(lambda grant, case=case: grant.case_id == case)
            if case_grants.filtered(lambda grant, case=case: grant.token and grant.user_id in readers[case.id]):
                former |= case_grants.filtered(lambda grant, case=case: grant.user_id not in readers[case.id])
        former.unlink()
