# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The organisation's recovery key (one concern, one file): made once by the
coordinator, printed once, stored only as its public key; typed back in to
give a case's readers its key again when a counsellor leaves or forgets their
passphrase."""

import base64
import logging
import os

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..const import COORDINATOR
from ..tools.confidential import record_key_models
from ..vault import endorsement, keyring
from .vp_audit_log import in_server_action, session_uid

_logger = logging.getLogger(__name__)


class VpOrganisation(models.Model):
    _inherit = "vp.organisation"  # pylint: disable=consider-merging-classes-inherited

    has_recovery_key = fields.Boolean(
        compute="_compute_has_recovery_key",
        help="The organisation has a recovery key made in this app, which cases are sealed for.",
    )
    recovery_key_invalid = fields.Boolean(
        string="Recovery key not valid",
        compute="_compute_has_recovery_key",
        help="A recovery key is on record that was not made in this app (written outside it): nothing is "
        "sealed for it. Make a new one, or type the code of the real one to confirm it.",
    )
    master_key_case_count = fields.Integer(
        string="Still on the master key",
        compute="_compute_master_key_case_count",
        help="Cases, notices, breach records and timesheet notes that the server's master key alone still "
        "opens, because a reader has set no vault passphrase or not unlocked since the update. When every "
        "organisation shows 0, the master key can be retired (see the README).",
    )

    @api.model
    def vp_without_recovery_key(self):
        """Names of the active organisations without a recovery key, for the coordinator, who
        makes them (the warning above her case lists); nothing for anyone else."""
        if not self.env.user.has_group(COORDINATOR):
            return []
        # sudo: whether a key exists, per organisation; no key is read
        organisations = self.sudo().search([("recovery_public_key", "=", False)])
        return organisations.mapped("name")

    def _compute_has_recovery_key(self):
        for organisation in self:
            endorsed = bool(organisation._vp_recovery_public_key())
            organisation.has_recovery_key = endorsed
            # sudo: whether a public key is on record at all, not what it is
            organisation.recovery_key_invalid = not endorsed and bool(organisation.sudo().recovery_public_key)

    def _vp_recovery_public_key(self):
        """The recovery public key that content may be sealed for: the one made in
        this app (endorsed), or False. The only reader of the column for sealing."""
        if not self:
            return False
        self.ensure_one()
        organisation = self.sudo()  # sudo: the public key columns are the administrator's group
        public = organisation.recovery_public_key
        if public and endorsement.is_endorsed(organisation.recovery_endorsement, "recovery", self.id, public):
            return public
        return False

    def _vp_recovery_notices(self):
        """For the unlocking counsellor: the organisations she serves whose recovery
        key on record was not made in the app (and so is not used)."""
        # sudo: the organisations this user serves, and whether their key checks; no key is opened.
        organisations = self.sudo().search([("counsellor_ids", "in", self.env.uid)])
        notices = []
        for organisation in organisations.filtered("recovery_key_invalid"):
            notices.append(
                self.env._(
                    "The recovery key on record for %(organisation)s was not made in this app (last changed on "
                    "%(date)s by %(user)s). Nothing is sealed for it. Tell your coordinator: she makes a new one, "
                    "or confirms the real one by typing its code.",
                    organisation=organisation.name,
                    date=organisation.write_date,
                    user=organisation.write_uid.name,
                )
            )
        return notices

    def _compute_master_key_case_count(self):
        # sudo: counts key rows per organisation; no key is read.
        groups = (
            self.env["vp.case.key"]
            .sudo()
            ._read_group([("case_id.organisation_id", "in", self.ids)], ["case_id"], ["__count"])
        )
        per_org = {}
        for case, count in groups:
            organisation_id = case.sudo().organisation_id.id  # sudo: the case's organisation, no content
            per_org[organisation_id] = per_org.get(organisation_id, 0) + count
        self._vp_count_other_master_key_items(per_org)
        for organisation in self:
            organisation.master_key_case_count = per_org.get(organisation.id, 0)

    def _vp_count_other_master_key_items(self, per_org):
        """Add notices, breach records and timesheet notes still on the master
        key to ``per_org`` (a few queries, whatever their number)."""
        # sudo (this method): counts rows per organisation; no key or note is read.
        record_keys = self.env["vp.record.key"].sudo().search_fetch([], ["res_model", "res_id"])
        for res_model in record_key_models(self.env):
            ids = [key.res_id for key in record_keys if key.res_model == res_model]
            for record in self.env[res_model].sudo().browse(ids).exists():  # sudo: see above
                organisation_id = record.case_id.organisation_id.id
                per_org[organisation_id] = per_org.get(organisation_id, 0) + 1
        line_ids = [key.res_id for key in record_keys if key.res_model == "account.analytic.line"]
        lines = self.env["account.analytic.line"].sudo()  # sudo: see above
        for line in lines.browse(line_ids).exists() | lines._vp_legacy_note_lines([]):
            organisation = line.vp_case_id.organisation_id or line.vp_prevention_session_id.organisation_id
            per_org[organisation.id] = per_org.get(organisation.id, 0) + 1

    def _vp_check_coordinator(self):
        if not self.env.user.has_group(COORDINATOR):
            raise AccessError(self.env._("Only the coordinator makes or uses an organisation's recovery key."))

    def action_open_recovery(self):
        self.ensure_one()
        self._vp_check_coordinator()
        return {"type": "ir.actions.act_url", "url": f"/vertrouwenspersoon/recovery/{self.id}", "target": "self"}

    def _vp_make_recovery_key(self, replace=False):
        """A new recovery code for this organisation, returned once and never
        stored: only its public key is. Replacing one leaves the cases sealed
        for the old code to be sealed for the new one as their readers open them."""
        self.ensure_one()
        self._vp_check_coordinator()
        self._vp_check_own_session()
        organisation = self.sudo()  # sudo: the public key columns are the administrator's group
        if self._vp_recovery_public_key() and not replace:
            raise UserError(self.env._("%(organisation)s already has a recovery key.", organisation=self.name))
        code = keyring.new_recovery_code()
        salt = os.urandom(16)
        private_key = keyring.recovery_key_pair(code, salt)
        if replace:
            # sudo: the grants of the old code open nothing any more once it is replaced.
            self.env["vp.key.grant"].sudo().search([("organisation_id", "=", self.id)]).unlink()
            self.env["vp.record.grant"].sudo().search([("organisation_id", "=", self.id)]).unlink()  # sudo: same
        public = keyring._b64(keyring.public_bytes(private_key))
        organisation.write(
            {
                "recovery_public_key": public,
                "recovery_salt": base64.b64encode(salt).decode(),
                "recovery_endorsement": endorsement.endorse("recovery", self.id, public),
                "recovery_created_on": fields.Datetime.now(),
                "recovery_created_by_id": self.env.uid,
            }
        )
        self.env["vp.audit.log"]._vp_log_vault("recovery_made")
        return code

    def _vp_check_own_session(self):
        """The recovery key is made or confirmed by the coordinator signed in herself,
        never by code run in her name."""
        session = session_uid()
        if in_server_action() or (session and session != self.env.uid):
            raise AccessError(self.env._("The recovery key is made only by the coordinator, signed in herself."))

    def _vp_use_recovery_key(self, code):
        """Give every case of this organisation that the recovery key holds
        back to its current readers (sealed for their public keys: the person
        typing the code, the coordinator, gets no key). Logged, and told to
        all counsellors of the organisation. Returns the number of cases."""
        self.ensure_one()
        self._vp_check_coordinator()
        self._vp_check_own_session()
        organisation = self.sudo()  # sudo: public key and salt, to check the code typed
        if not organisation.recovery_public_key:
            raise UserError(self.env._("%(organisation)s has no recovery key.", organisation=self.name))
        try:
            private_key = keyring.recovery_key_pair(code, base64.b64decode(organisation.recovery_salt))
        except (keyring.VaultError, ValueError):
            private_key = None
        if private_key is None or keyring._b64(keyring.public_bytes(private_key)) != organisation.recovery_public_key:
            self.env["vp.audit.log"]._vp_log_vault("recovery_failed")
            raise UserError(self.env._("This is not the recovery code of %(organisation)s.", organisation=self.name))
        if not self._vp_recovery_public_key():
            # Typing the code proves the key is the organisation's: endorsed again
            # (after the server's endorsement secret changed, for instance).
            organisation.recovery_endorsement = endorsement.endorse(
                "recovery", self.id, organisation.recovery_public_key
            )
        grants_model = self.env["vp.key.grant"].sudo()  # sudo: the recovery grants of this organisation only
        recovery_grants = grants_model.search([("organisation_id", "=", self.id), ("token", "!=", False)])
        cases = recovery_grants.case_id
        readers = cases._vp_key_readers_by_case()
        for grant in recovery_grants:
            aad = grant._vp_aad(grant.case_id.id, grant._vp_holder())
            data_key = keyring.open_sealed(private_key, grant.token, aad)
            grants_model._vp_seal(grant.case_id.id, data_key, readers[grant.case_id.id])
            self.env["vp.audit.log"]._vp_log_vault("recovery", case=grant.case_id)
        cases._vp_drop_former_readers()
        self._vp_recover_records(private_key)
        self._vp_tell_counsellors_of_recovery(len(cases))
        _logger.info("Recovery key of organisation %s used for %d case(s)", self.id, len(cases))
        return len(cases)

    def _vp_recover_records(self, private_key):
        """The notices, breach records and prevention notes the recovery key
        holds go back to their current readers (sealed for their public keys)."""
        # sudo: the recovery grants of this organisation's records only.
        grants_model = self.env["vp.record.grant"].sudo()
        grants = grants_model.search([("organisation_id", "=", self.id), ("token", "!=", False)])
        for res_model in set(grants.mapped("res_model")):
            model_grants = grants.filtered(lambda grant, res_model=res_model: grant.res_model == res_model)
            records = self.env[res_model].sudo().browse(model_grants.mapped("res_id")).exists()  # sudo: ids
            readers_map = records._vp_record_readers()
            for grant in model_grants.filtered(lambda grant, ids=set(records.ids): grant.res_id in ids):
                aad = grant._vp_aad(grant.res_model, grant.res_id, grant._vp_holder())
                data_key = keyring.open_sealed(private_key, grant.token, aad)
                grants_model._vp_seal(res_model, grant.res_id, data_key, readers_map[grant.res_id][0])
        return len(grants)

    def _vp_tell_counsellors_of_recovery(self, count):
        """Every counsellor of the organisation is told that the recovery key was used."""
        partners = self.sudo().counsellor_ids.partner_id  # sudo: who the counsellors are
        if not partners:
            return
        body = self.env._(
            "The recovery key of %(organisation)s was used by %(user)s: %(count)s case(s) were given back to "
            "their counsellors. If you did not expect this, tell your coordinator.",
            organisation=self.name,
            user=self.env.user.name,
            count=count,
        )
        # sudo: a notification from the system to the counsellors; it names no case.
        self.env["mail.thread"].sudo().message_notify(
            partner_ids=partners.ids,
            subject=self.env._("Recovery key used for %(organisation)s", organisation=self.name),
            body=body,
        )
