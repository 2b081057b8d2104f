# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ...const import COUNSELLOR


class VpConsultation(models.Model):
    """A consultation ("sparren"): a counsellor, usually the organisation's
    internal one, asks an external counsellor of the organisation for advice
    on a case without telling whom it is about.

    - The link to the case exists only on the case's side (``vp.case.
      consultation_ids``, counsellor-only, on a case only its readers read):
      this model has no field that leads to a case, an employee or a unit, so
      the adviser reads the question and the answer and nothing else.
    - The question and the answer can carry personal detail, so they are
      sealed under a data key of the consultation's own, held by its two
      readers only, in the one key store (``vp.record.key``, sealed for each
      one's public key; the server forgets the key after the request). The
      administrator, the HR of the organisation, the organisation's recovery
      key and the case's other readers hold no grant, and no master key ever
      wrapped it.
    - The annual report counts consultations per organisation and year.
    """

    _name = "vp.consultation"
    _description = "Consultation between counsellors"
    _inherit = ["vp.encrypted.mixin", "vp.write.checked.mixin", "vp.field.access.mixin"]
    _order = "asked_on desc, id desc"

    _vp_encrypted_fields = {"question": "question_ciphertext", "answer": "answer_ciphertext"}
    _vp_key_scope = "record"
    _vp_create_only_fields = ("organisation_id", "asker_id", "adviser_id")

    organisation_id = fields.Many2one(
        "vp.organisation", string="Client organisation", required=True, index=True, ondelete="restrict"
    )
    asker_id = fields.Many2one(
        "res.users",
        string="Asked by",
        required=True,
        readonly=True,
        index=True,
        ondelete="restrict",
        default=lambda self: self.env.user,
    )
    adviser_id = fields.Many2one(
        "res.users",
        required=True,
        index=True,
        ondelete="restrict",
        domain=lambda self: [("groups_id", "in", self.env.ref(COUNSELLOR).id)],
        help="An external counsellor of the organisation: they read the question and answer it, never the case.",
    )
    state = fields.Selection(
        [("draft", "Draft"), ("asked", "Asked"), ("answered", "Answered")],
        compute="_compute_state",
        store=True,
    )
    asked_on = fields.Datetime(readonly=True, copy=False, index=True)
    answered_on = fields.Datetime(readonly=True, copy=False)
    question = fields.Text(
        compute="_compute_vp_plaintext",
        inverse="_inverse_vp_plaintext",
        help="Describe the situation without names or anything that tells who it is about. Stored encrypted.",
    )
    answer = fields.Text(compute="_compute_vp_plaintext", inverse="_inverse_vp_plaintext")
    allowed_adviser_ids = fields.Many2many("res.users", compute="_compute_allowed_adviser_ids")
    is_adviser = fields.Boolean(compute="_compute_is_adviser")
    question_ciphertext = fields.Text(groups="base.group_system", copy=False, prefetch=False)
    answer_ciphertext = fields.Text(groups="base.group_system", copy=False, prefetch=False)

    # ------------------------------------------------------------------
    # Names and checks
    # ------------------------------------------------------------------
    def _compute_display_name(self):
        # A number only (rule 3): nothing of the question.
        for consultation in self:
            consultation.display_name = self.env._("Consultation %(number)s", number=consultation.id or "")

    @api.depends("question_ciphertext", "answer_ciphertext")
    def _compute_state(self):
        for consultation in self.sudo():  # sudo: whether the sealed columns are set, not what they hold
            consultation.state = (
                "answered"
                if consultation.answer_ciphertext
                else "asked"
                if consultation.question_ciphertext
                else "draft"
            )

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            for vals in vals_list:
                if vals.get("asker_id", self.env.uid) != self.env.uid:
                    raise AccessError(self.env._("A counsellor asks for advice in their own name only."))
                if vals.get("answer"):
                    raise UserError(self.env._("The adviser writes the answer, after the question was asked."))
        consultations = super().create(vals_list)
        consultations._vp_check_adviser()
        return consultations

    def write(self, vals):
        if not self.env.su:
            uid = self.env.uid
            for consultation in self:
                if "question" in vals and (consultation.asker_id.id != uid or consultation._vp_answered()):
                    raise UserError(
                        self.env._("Only the counsellor who asks changes the question, until it is answered.")
                    )
                if "answer" in vals and (consultation.adviser_id.id != uid or not consultation.asked_on):
                    raise UserError(self.env._("Only the adviser answers, once the question was asked."))
        return super().write(vals)

    def _vp_answered(self):
        self.ensure_one()
        return bool(self.sudo().answer_ciphertext)  # sudo: whether an answer exists, not what it says

    def _vp_check_adviser(self):
        """The adviser is an external counsellor of the organisation, not the asker."""
        appointments = self.env["vp.counsellor.appointment"]
        for consultation in self.sudo():  # sudo: who serves the organisation; no content
            adviser = consultation.adviser_id
            organisation = consultation.organisation_id
            if adviser == consultation.asker_id:
                raise UserError(self.env._("Ask another counsellor for advice than yourself."))
            serves = adviser in organisation.counsellor_ids
            if not serves or appointments._vp_kind_of(adviser.id, organisation.id) != "external":
                raise UserError(
                    self.env._(
                        "%(adviser)s is not an external counsellor of %(organisation)s: ask one of the "
                        "organisation's external counsellors.",
                        adviser=adviser.name,
                        organisation=organisation.name,
                    )
                )

    # ------------------------------------------------------------------
    # Content: sealed for the two readers
    # ------------------------------------------------------------------
    def _vp_case(self):
        # No case: the consultation must not lead to one (the access log holds no case for it).
        return self.env["vp.case"]

    def _vp_reader_user_ids(self):
        self.ensure_one()
        consultation = self.sudo()  # sudo: the two readers' ids
        return [consultation.asker_id.id, consultation.adviser_id.id]

    def _vp_may_read_content(self):
        uid = self.env.uid
        return self.filtered(lambda consultation: uid in consultation._vp_reader_user_ids())

    def _vp_deny(self):
        raise AccessError(
            self.env._("Only the two counsellors of a consultation read or change its question and answer.")
        )

    def _vp_record_readers(self):
        """Per consultation, (readers, principal readers, organisation) as the key
        store asks every model with a key of its own: the asker and the adviser,
        both principal; no organisation, so no recovery key holds it."""
        organisation = self.env["vp.organisation"]
        result = {}
        for consultation in self.sudo():  # sudo: the two readers' ids
            readers = consultation.asker_id | consultation.adviser_id
            result[consultation.id] = (readers, readers, organisation)
        return result

    def _vp_content_keys(self, create_missing=False, sources=None):
        """The key store's (``_vp_key_scope = "record"``); a new key is made only
        when both readers can hold it: a consultation is sealed for both or not
        at all, never for a recovery key and never under the master key."""
        if create_missing:
            have = self.env["vp.record.key"]._vp_with_a_key(self._name, self.ids)
            for consultation in self.filtered(lambda consultation: consultation.id not in have):
                consultation._vp_check_readers_hold_keys()
        return super()._vp_content_keys(create_missing=create_missing, sources=sources)

    def _vp_check_readers_hold_keys(self):
        """Before anything is sealed for them: the adviser may advise, and both
        counsellors have a key pair."""
        self.ensure_one()
        self._vp_check_adviser()
        consultation = self.sudo()  # sudo: the two readers and whether they have a key pair
        readers = consultation.asker_id | consultation.adviser_id
        keyed = self.env["vp.reader.key"]._vp_key_of(readers.ids).user_id
        missing = readers - keyed
        if missing:
            raise UserError(
                self.env._(
                    "%(users)s has no vault passphrase yet: a consultation is sealed for both counsellors, so "
                    "both set one first.",
                    users=", ".join(missing.mapped("name")),
                )
            )

    def unlink(self):
        """A deleted consultation's key and grants go with it; they name it by
        model and id, so no foreign key would delete them."""
        ids = self.ids
        result = super().unlink()
        self.env["vp.record.key"]._vp_forget(self._name, ids)
        return result

    def _vp_write_ciphertext(self, vals):
        now = fields.Datetime.now()
        if vals.get("question_ciphertext") and not self.asked_on:
            vals = {**vals, "asked_on": now}
        if vals.get("answer_ciphertext"):
            vals = {**vals, "answered_on": now}
        return super()._vp_write_ciphertext(vals)

    @api.depends_context("uid")
    def _compute_is_adviser(self):
        for consultation in self:
            consultation.is_adviser = consultation.adviser_id.id == self.env.uid

    @api.depends("organisation_id")
    def _compute_allowed_adviser_ids(self):
        """The external counsellors of the organisation, but the current user (the form's choice)."""
        for consultation in self:
            serving = consultation.organisation_id.sudo().counsellor_ids  # sudo: who serves the organisation
            internal = self.env["vp.counsellor.appointment"]._vp_internal_organisation_of(serving.ids)
            consultation.allowed_adviser_ids = serving.filtered(
                lambda user, internal=internal: user.id not in internal and user.id != self.env.uid
            ).with_env(self.env)
