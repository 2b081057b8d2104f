# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import SUPERUSER_ID, api, fields, models
from odoo.exceptions import UserError, ValidationError

from ...const import COUNSELLOR_OR_COORDINATOR
from ...tools import guards


class VpBreach(models.Model):
    """The confidentiality-breach protocol (doorbreken van geheimhouding).

    Only on a legal duty, the reporting code or a conscience dilemma. The
    counsellor records the ground, what is disclosed and to whom, and whether
    the employee was told first; a second counsellor or the coordinator
    approves before anything is disclosed. Once submitted the record cannot
    change, and only the two who signed it can read it.
    """

    _name = "vp.breach"
    _description = "Confidentiality breach"
    _inherit = ["vp.encrypted.mixin", "vp.write.checked.mixin", "vp.field.access.mixin"]
    _order = "id desc"

    # The protocol's steps are made by its buttons only, in order, each
    # by the one who signs it; no client write and no context key makes them.
    _vp_create_only_fields = ("case_id",)
    _vp_guarded_fields = {
        "state": guards.BREACH_TRANSITION,
        "submitted_on": guards.BREACH_TRANSITION,
        "decided_on": guards.BREACH_TRANSITION,
        "requested_by_id": guards.BREACH_TRANSITION,
    }

    _vp_encrypted_fields = {
        "disclosed_what": "disclosed_what_ciphertext",
        "disclosed_to": "disclosed_to_ciphertext",
        "employee_not_informed_reason": "employee_not_informed_reason_ciphertext",
    }
    # Its readers (HR recipients; the second signatory) never hold the case's key.
    _vp_key_scope = "record"

    name = fields.Char(string="Number", readonly=True, copy=False, default="/")
    case_id = fields.Many2one("vp.case", required=True, ondelete="restrict", index=True)
    ground = fields.Selection(
        [
            ("legal_duty", "A legal duty to report"),
            ("reporting_code", "The reporting code (meldcode)"),
            ("conscience", "A conscience dilemma (gewetensnood)"),
        ],
        required=True,
    )
    disclosed_what = fields.Text(
        string="What is disclosed",
        compute="_compute_vp_plaintext",
        inverse="_inverse_vp_plaintext",
        groups=COUNSELLOR_OR_COORDINATOR,
    )
    disclosed_to = fields.Char(
        string="Disclosed to",
        compute="_compute_vp_plaintext",
        inverse="_inverse_vp_plaintext",
        groups=COUNSELLOR_OR_COORDINATOR,
    )
    disclosed_what_ciphertext = fields.Text(groups="base.group_system", copy=False, prefetch=False)
    disclosed_to_ciphertext = fields.Text(groups="base.group_system", copy=False, prefetch=False)
    employee_informed = fields.Boolean(
        string="Employee told first", help="Whether the employee was told before the disclosure."
    )
    # Encrypted like the disclosure: why the employee was not told can say
    # much about the case.
    employee_not_informed_reason = fields.Char(
        string="Why not told first",
        help="Required when the employee was not told first.",
        compute="_compute_vp_plaintext",
        inverse="_inverse_vp_plaintext",
        groups=COUNSELLOR_OR_COORDINATOR,
    )
    employee_not_informed_reason_ciphertext = fields.Text(groups="base.group_system", copy=False, prefetch=False)
    requested_by_id = fields.Many2one(
        "res.users", string="Counsellor", required=True, readonly=True, default=lambda self: self.env.user
    )
    approver_id = fields.Many2one(
        "res.users",
        string="Second signatory",
        required=True,
        domain=lambda self: [
            ("groups_id", "in", [self.env.ref(xmlid).id for xmlid in COUNSELLOR_OR_COORDINATOR.split(",")]),
            ("id", "!=", self.env.uid),
        ],
        help="A second counsellor or the coordinator approves before anything is disclosed.",
    )
    state = fields.Selection(
        [("draft", "Draft"), ("submitted", "Awaiting approval"), ("approved", "Approved"), ("rejected", "Rejected")],
        default="draft",
        required=True,
        readonly=True,
    )
    submitted_on = fields.Datetime(readonly=True)
    decided_on = fields.Datetime(readonly=True)

    def _vp_case(self):
        return self.sudo().case_id  # sudo: the approver reads the case number only

    def _vp_may_read_content(self):
        uid = self.env.uid
        return self.filtered(lambda breach: uid in (breach.requested_by_id.id, breach.approver_id.id))

    def _vp_may_write_content(self):
        if self.env.uid == SUPERUSER_ID:
            return self
        return self.filtered(lambda breach: breach.state == "draft" and breach.requested_by_id.id == self.env.uid)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if self.env.uid != SUPERUSER_ID:
                # The requester is whoever records it: never someone else's signature.
                vals["requested_by_id"] = self.env.uid
            if vals.get("name", "/") == "/":
                # sudo: a number is no content; counsellors cannot read sequences.
                vals["name"] = self.env["ir.sequence"].sudo().next_by_code("vp.breach") or "/"
        breaches = super().create(vals_list)
        for breach in breaches:
            if self.env.uid != SUPERUSER_ID and breach.case_id not in breach.case_id._vp_may_read_content():
                raise UserError(self.env._("Only the case's own counsellor can start the breach protocol."))
        breaches._vp_check_not_informed_reason()
        return breaches

    def write(self, vals):
        if not guards.is_open(self.env, guards.BREACH_TRANSITION):
            if any(b.state != "draft" for b in self):
                raise UserError(self.env._("A submitted breach record cannot be changed."))
            self._vp_check_requester()
        result = super().write(vals)
        if {"employee_informed", "employee_not_informed_reason"} & set(vals):
            self._vp_check_not_informed_reason()
        if "approver_id" in vals:
            # A draft's second signatory changed: the new one gets the key.
            self.env["vp.record.key"]._vp_share(self)
        return result

    def unlink(self):
        ids = self.ids
        result = super().unlink()
        self.env["vp.record.key"]._vp_forget(self._name, ids)
        return result

    def _vp_check_not_informed_reason(self):
        """Why the employee was not told first is recorded. Not a constraint: Odoo
        validates constraints on stored fields (``employee_informed``) before it stores
        inverse fields such as the encrypted reason, so a constraint would find no
        reason yet; the check runs once create and write are done."""
        for breach in self:
            # sudo: whether the encrypted reason is there, without decrypting it
            if not breach.employee_informed and not breach.sudo().employee_not_informed_reason_ciphertext:
                raise ValidationError(self.env._("Record why the employee was not told first, or tick that they were."))

    def _vp_record_readers(self):
        """Per breach record: (readers, principal readers, organisation): the
        counsellor who wrote it and the second signatory, both principal; they
        hold the record's own key, nobody else."""
        result = {}
        for breach in self.sudo():  # sudo: who signs, not what is in the record
            signatories = (breach.requested_by_id | breach.approver_id).filtered("active")
            result[breach.id] = (signatories, signatories, breach.case_id.organisation_id)
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_except_submitted_or_not_requester(self):
        if any(breach.state != "draft" for breach in self):
            raise UserError(self.env._("A submitted breach record cannot be deleted."))
        self._vp_check_requester()

    def _vp_check_requester(self):
        """A draft is the requesting counsellor's; the second signatory
        reads it and decides through the buttons, never edits or deletes it."""
        if self.env.su:
            return
        if any(breach.requested_by_id.id != self.env.uid for breach in self):
            raise UserError(self.env._("Only the counsellor who started a breach record can change or delete it."))

    def copy(self, default=None):  # pylint: disable=method-required-super
        raise UserError(self.env._("A breach record cannot be duplicated."))

    # Whether a reason is recorded when the employee was not told first: checked after
    # create and write (_vp_check_not_informed_reason) (the reason is encrypted, and Odoo runs
    # constraints on stored fields before the encrypted value is stored).
    @api.constrains("approver_id", "requested_by_id")
    def _check_signatories(self):
        groups = [self.env.ref(xmlid) for xmlid in COUNSELLOR_OR_COORDINATOR.split(",")]
        for breach in self:
            if breach.approver_id == breach.requested_by_id:
                raise ValidationError(self.env._("The second signatory must be someone other than the counsellor."))
            # sudo: the signatory's groups and active flag only
            approver = breach.approver_id.sudo().with_context(active_test=False)
            if not approver.active or not any(group in approver.groups_id for group in groups):
                raise ValidationError(
                    self.env._("The second signatory must be an active counsellor or the coordinator.")
                )

    def action_submit(self):
        for breach in self:
            if breach.state != "draft" or breach.requested_by_id.id != self.env.uid:
                raise UserError(self.env._("Only the counsellor can submit their own draft."))
            # sudo: presence checks on ciphertext, no content read
            if not breach.sudo().disclosed_what_ciphertext or not breach.sudo().disclosed_to_ciphertext:
                raise UserError(self.env._("Record what is disclosed and to whom before submitting."))
        guards.open_guard(self, guards.BREACH_TRANSITION).write(
            {"state": "submitted", "submitted_on": fields.Datetime.now()}
        )

    def _decide(self, state):
        for breach in self:
            if breach.state != "submitted" or breach.approver_id.id != self.env.uid:
                raise UserError(self.env._("Only the second signatory can decide on a submitted breach record."))
        guards.open_guard(self, guards.BREACH_TRANSITION).write({"state": state, "decided_on": fields.Datetime.now()})

    def action_approve(self):
        self._decide("approved")

    def action_reject(self):
        self._decide("rejected")
