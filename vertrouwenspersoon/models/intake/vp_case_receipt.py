# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging

from odoo import api, fields, models
from odoo.exceptions import AccessError

from ...tools import receipt as receipt_tools
from ...vault import crypto, endorsement, keyring

_logger = logging.getLogger(__name__)


class VpCaseReceipt(models.Model):
    """The reporter's receipt code of a case: how they read and answer the
    counsellor's messages without an account (tools/receipt.py).

    Holds no code and no content: the keyed hash the code is found by, the
    case's salt and the public key derived from the code. The case's
    data key is granted to that public key (vp.record.grant, ``receipt_id``), so
    the thread opens only with the code, typed by the reporter at that
    moment: not by the administrator, nor by the server's own code.

    No group has any access right on this model: the intake page and the
    inbox reach it with sudo() and open nothing without the code.
    """

    _name = "vp.case.receipt"
    _description = "Receipt code of a case (reporter's inbox)"
    _inherit = ["vp.field.access.mixin"]
    _log_access = False

    case_id = fields.Many2one("vp.case", required=True, ondelete="cascade", index=True)
    lookup = fields.Char(required=True, help="Keyed hash of the receipt code: finds the case, reveals no code.")
    salt = fields.Char(required=True)
    public_key = fields.Char(required=True)
    # How the key pair is derived from the code (tools/receipt.py). The default is
    # the old one so that receipts made before HKDF keep scrypt when the column is
    # added; every new receipt says hkdf (_vp_prepare).
    kdf = fields.Selection(
        [(receipt_tools.KDF_SCRYPT, "scrypt"), (receipt_tools.KDF_HKDF, "HKDF-SHA256")],
        string="Key derivation",
        required=True,
        default=receipt_tools.KDF_SCRYPT,
    )
    # vault/endorsement.py: the case's key is sealed only for a receipt key endorsed when the
    # code was given out (intake, or the counsellor); a public key written here otherwise is not used.
    endorsement = fields.Char()
    made_by_id = fields.Many2one(
        "res.users",
        string="Given by",
        ondelete="set null",
        help="The counsellor who gave this code to a reporter who came by phone or directly; empty when the "
        "reporter got it on the intake page. The code ends when that counsellor's access to the case ends.",
    )
    last_used_on = fields.Datetime(
        string="Last used on", help="When the code last opened the inbox or sent a reply (the counsellor sees this)."
    )
    notify = fields.Boolean(
        string="Notify by e-mail",
        help="The reporter asked for an e-mail when a message is waiting (to the address they left, which is "
        "stored sealed with the case's content). The e-mail says only that there is a message.",
    )

    _sql_constraints = [
        ("case_unique", "unique(case_id)", "A case has one receipt code."),
        ("lookup_unique", "unique(lookup)", "A receipt code belongs to one case."),
    ]

    @api.model
    def _vp_pepper(self):
        # sudo: the database secret keys the hash; nothing of a case is read.
        return self.env["ir.config_parameter"].sudo().get_param("database.secret") or ""

    @api.model
    def _vp_prepare(self, code, notify=False):
        """Values of a new receipt for ``code`` (no case yet): lookup hash,
        salt and derived public key. The code itself is not kept."""
        normalised = receipt_tools.normalise(code)
        salt = receipt_tools.new_salt()
        private_key = receipt_tools.derive_private_key(normalised, salt, receipt_tools.KDF_HKDF)
        lookup = receipt_tools.lookup_hash(self._vp_pepper(), normalised)
        public = receipt_tools.public_key_text(private_key)
        return {
            "lookup": lookup,
            "salt": keyring._b64(salt),
            "kdf": receipt_tools.KDF_HKDF,
            "public_key": public,
            "endorsement": endorsement.endorse("receipt", lookup, public),
            "notify": bool(notify),
        }

    def _vp_is_endorsed(self):
        self.ensure_one()
        return endorsement.is_endorsed(self.endorsement, "receipt", self.lookup, self.public_key)

    @api.model
    def _vp_check_giver(self, case):
        """Only the case's own counsellor gives (or revokes) a receipt code: a colleague
        holding a temporary handover would keep a channel into the case's messages
        after the handover ended."""
        # sudo: who holds the case, no content
        if self.env.su or case.sudo().counsellor_id.id != self.env.uid:
            raise AccessError(
                self.env._(
                    "Only the counsellor of %(case)s gives or revokes the reporter's receipt code.",
                    case=case.sudo().name,  # sudo: the case number only
                )
            )

    @api.model
    def _vp_create_for_case(self, case, code, notify=False):
        """A receipt code for an existing case, made in the session of its
        counsellor, who holds its key (unlocked): the case's data key is sealed
        for the code's key pair. Returns the receipt."""
        self._vp_check_giver(case)
        if case not in case._vp_may_read_content():
            case._vp_deny()
        data_keys = self.env["vp.record.key"]._get_data_keys("vp.case", case.ids, create_missing=True)
        # sudo: a receipt holds a hash, a salt and a public key; no group may touch it.
        receipt = self.sudo().create(
            {**self._vp_prepare(code, notify=notify), "case_id": case.id, "made_by_id": self.env.uid}
        )
        receipt._vp_seal_for_reporter(data_keys)
        return receipt

    def _vp_valid(self):
        """The receipts among these whose giver still reads the case (or that the
        reporter got on the intake page); the others end here: their grant goes with
        them (cascade), and an inbox opened with them opens nothing any more."""
        # sudo: who holds the cases and who gave the codes; no content
        ended = self.sudo().filtered(
            lambda receipt: receipt.made_by_id and receipt.made_by_id.id not in receipt.case_id._vp_reader_user_ids()
        )
        if ended:
            ended._vp_end()
        return self - ended

    def _vp_end(self):
        """End these codes: the receipt and its key grant go; nothing else changes."""
        # sudo: no group may touch receipts; deletes them and their grants (cascade), reads nothing.
        self.sudo().unlink()

    def _vp_mark_used(self):
        # sudo: the moment only; nobody but the case's counsellor reads it.
        self.sudo().write({"last_used_on": fields.Datetime.now()})

    def _vp_grant_aad(self):
        self.ensure_one()
        return self.env["vp.record.grant"]._vp_aad("vp.case", self.case_id.id, f"receipt:{self.id}")

    def _vp_seal_for_reporter(self, data_keys):
        """Grant each receipt's case key (from {case id: data key}) to the reporter."""
        grants = self.env["vp.record.grant"].sudo()  # sudo: grants and public keys only; nothing is opened
        held = set(grants.search([("receipt_id", "in", self.ids)]).receipt_id.ids)
        vals_list = [
            {
                "res_model": "vp.case",
                "res_id": receipt.case_id.id,
                "receipt_id": receipt.id,
                "kind": "sealed",
                "token": keyring.seal_for(receipt.public_key, data_keys[receipt.case_id.id], receipt._vp_grant_aad()),
            }
            for receipt in self
            if receipt.id not in held and receipt.case_id.id in data_keys and receipt._vp_is_endorsed()
        ]
        return grants.create(vals_list)

    @api.model
    def _vp_open(self, code):
        """The receipt of ``code`` and the reporter's private key, or (None, None).

        The same work for a right and a wrong code: one indexed lookup and one
        derivation (on a dummy salt when no receipt matches), then a constant-time
        comparison of public keys. Nothing about the code is logged."""
        normalised = receipt_tools.normalise(code)
        if not normalised:
            return None, None
        # sudo: found by the keyed hash of the code the reporter typed; opened only with it.
        receipt = self.sudo().search([("lookup", "=", receipt_tools.lookup_hash(self._vp_pepper(), normalised))])
        salt = keyring._unb64(receipt.salt) if receipt else receipt_tools.DUMMY_SALT
        kdf = receipt.kdf if receipt else receipt_tools.KDF_HKDF
        private_key = receipt_tools.derive_private_key(normalised, salt, kdf)
        if not receipt or not receipt_tools.same_public_key(private_key, receipt.public_key):
            return None, None
        if not receipt._vp_valid():
            return None, None
        receipt._vp_mark_used()
        return receipt, private_key

    def _vp_data_key(self, private_key):
        """The case's data key, opened from the reporter's grant with their key."""
        self.ensure_one()
        # sudo: the reporter's own grant, opened with the key derived from their code.
        grant = self.env["vp.record.grant"].sudo().search([("receipt_id", "=", self.id)], limit=1)
        if not grant or not grant.token:
            raise crypto.UserError(str(crypto.BROKEN_CIPHERTEXT_MESSAGE))
        return keyring.open_sealed(private_key, grant.token, self._vp_grant_aad())

    # ------------------------------------------------------------------
    # The reporter's language
    # ------------------------------------------------------------------
    # The language in which the reporter wrote (the public page's language at
    # intake, then at each reply): her counsellor sees it on the case, and the
    # e-mail notice she asked for is written in it. Her messages and the
    # counsellor's are never translated.
    lang = fields.Char(string="Reporter's language", readonly=True)
