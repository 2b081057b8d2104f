# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The reporter's inbox on vp.case (one concern, one file): the messages tab,
the activity when the reporter writes, the reporter's e-mail notice, what
the inbox shows of the case, and shredding of the thread and the code."""

from datetime import timedelta

from odoo import fields, models
from odoo.exceptions import UserError

from ..const import COUNSELLOR
from ..tools import receipt as receipt_tools

REPLY_ACTIVITY = "vertrouwenspersoon.mail_activity_type_vp_reporter_message"
# The counsellor answers a reporter's message within this many days, unless a
# Wbk acknowledgement falls due earlier.
REPLY_DAYS = 3


class VpCase(models.Model):
    _inherit = "vp.case"  # pylint: disable=consider-merging-classes-inherited

    reporter_message_ids = fields.One2many(
        "vp.case.message", "case_id", string="Messages with the reporter", groups=COUNSELLOR
    )
    has_receipt = fields.Boolean(
        string="Reporter has a receipt code",
        compute="_compute_has_receipt",
        groups=COUNSELLOR,
        help="The reporter received a receipt code at intake and reads the messages with it in the inbox.",
    )

    receipt_last_used_on = fields.Datetime(
        string="Receipt code last used",
        compute="_compute_has_receipt",
        groups=COUNSELLOR,
        help="When the reporter's code last opened the inbox or sent a reply. The code itself is never shown again.",
    )

    reporter_waiting = fields.Boolean(
        string="The reporter wrote",
        compute="_compute_reporter_waiting",
        groups=COUNSELLOR,
        help="The last message in the inbox is the reporter's: it waits for your answer.",
    )

    def _compute_reporter_waiting(self):
        """One query for a whole kanban: whose is each case's last message."""
        ids = [case_id for case_id in self.ids if case_id]
        last = {}
        if ids:
            self.env["vp.case.message"].flush_model(["case_id", "author", "sent_on"])
            self.env.cr.execute(
                """
                SELECT DISTINCT ON (case_id) case_id, author
                  FROM vp_case_message
                 WHERE case_id = ANY(%s)
                 ORDER BY case_id, sent_on DESC, id DESC
                """,
                (ids,),
            )
            last = dict(self.env.cr.fetchall())
        for case in self:
            case.reporter_waiting = last.get(case.id) == "reporter"

    reporter_language = fields.Char(
        string="Reporter's language",
        compute="_compute_reporter_language",
        groups=COUNSELLOR,
        help="The language of the public pages on which the reporter wrote (the request, her latest reply). "
        "Write to her in it if you can; her messages and yours are never translated.",
    )

    def _vp_receipts_by_case(self, field_names):
        # sudo: the cases' receipts, for the fields asked (whether one exists, when it was
        # last used, the language of its pages), nothing else of them
        receipts = self.env["vp.case.receipt"].sudo().search_fetch([("case_id", "in", self.ids)], field_names)
        return {receipt.case_id.id: receipt for receipt in receipts}

    def _compute_has_receipt(self):
        by_case = self._vp_receipts_by_case(["case_id", "last_used_on"])
        for case in self:
            receipt = by_case.get(case.id)
            case.has_receipt = bool(receipt)
            case.receipt_last_used_on = receipt.last_used_on if receipt else False

    def _compute_reporter_language(self):
        by_case = self._vp_receipts_by_case(["case_id", "lang"])
        names = dict(self.env["res.lang"].get_installed()) if any(rec.lang for rec in by_case.values()) else {}
        for case in self:
            receipt = by_case.get(case.id)
            case.reporter_language = names.get(receipt.lang, receipt.lang) if receipt and receipt.lang else False

    def action_vp_revoke_receipt_code(self):
        """The case's counsellor ends the reporter's code (lost, or given to the wrong
        person): the inbox no longer opens with it, an inbox open with it closes, and
        she can give a new one. The messages stay on the case."""
        self.ensure_one()
        receipts = self.env["vp.case.receipt"]
        receipts._vp_check_giver(self)
        # sudo: the case's receipt, to end it (its grant goes with it)
        receipts.sudo().search([("case_id", "=", self.id)])._vp_end()
        return True

    def _vp_end_receipts_of_former_readers(self):
        """A code given by a reader whose access to the case ended (reassigned, handover
        ended) ends with it: what she made of the inbox does not outlive her access."""
        # sudo: the cases' receipts given by a counsellor, to check their givers
        self.env["vp.case.receipt"].sudo().search(
            [("case_id", "in", self.ids), ("made_by_id", "!=", False)]
        )._vp_valid()

    def action_vp_give_receipt_code(self):
        """A receipt code for a reporter who did not come through the intake page
        (by phone, directly): the counsellor tells it to them, and they read and
        write messages in the inbox with it, as an intake reporter does. The code
        is shown once, in this counsellor's browser only: the database keeps its
        keyed hash and the case key sealed for it, never the code. Only the case's
        own counsellor gives one (vp.case.receipt._vp_check_giver)."""
        self.ensure_one()
        self.env["vp.case.receipt"]._vp_check_giver(self)
        if self.has_receipt:
            raise UserError(self.env._("This reporter has a receipt code already."))
        if self.shredded_on:
            raise UserError(self.env._("This case has been erased."))
        code = receipt_tools.new_code()
        self.env["vp.case.receipt"]._vp_create_for_case(self, code)
        # A dialog of its own in her browser (static/src/js/vp_receipt_code.js): copy, print,
        # and "I have passed it on"; the code is in this answer only.
        return {
            "type": "ir.actions.client",
            "tag": "vp_receipt_code",
            "params": {
                "code": code,
                "url": f"{self.get_base_url()}/vertrouwenspersoon/inbox",
                "case_name": self.name,
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    # ------------------------------------------------------------------
    # The counsellor is told; the reporter is told
    # ------------------------------------------------------------------
    def _vp_tell_counsellor_of_reply(self):
        """An activity for the case's readers (type, case number, deadline;
        never content); the coordinators when the case has no counsellor yet."""
        today = fields.Date.context_today(self)
        for case in self:
            case_sudo = case.sudo()  # sudo: who holds the case and its deadlines, no content
            due = today + timedelta(days=REPLY_DAYS)
            if case_sudo.wbk_ack_deadline and not case_sudo.wbk_acknowledged_on:
                due = min(due, fields.Date.context_today(case, case_sudo.wbk_ack_deadline))
            readers = self.env["res.users"].browse(case._vp_reader_user_ids())
            if readers:
                case_sudo._vp_schedule(REPLY_ACTIVITY, {case.id: readers}, {case.id: due})
            else:
                case_sudo._vp_notify_coordinators(REPLY_ACTIVITY, {case.id: due})

    def _vp_notify_reporter(self):
        """The e-mail the reporter asked for: that a message is waiting, and
        nothing else (no case number, no counsellor, no content). Runs in the
        counsellor's own session, the only place the address opens."""
        # sudo: which receipts asked for a notice; no content
        receipts = self.env["vp.case.receipt"].sudo().search([("case_id", "in", self.ids), ("notify", "=", True)])
        if not receipts:
            return
        inbox_url = self.get_base_url() + "/vertrouwenspersoon/inbox"
        for receipt in receipts:
            address = receipt.case_id.with_env(self.env).employee_email
            if not address:
                continue
            # In the language the reporter wrote in, not the counsellor's.
            env = self.with_context(lang=receipt.lang or self.env.lang).env
            body = env._(
                "<p>There is a new message for you from your confidential counsellor.</p>"
                "<p>Read it with your receipt code at %(url)s.</p>",
                url=inbox_url,
            )
            # sudo: the system sends the notice; it holds no case, name or content.
            self.env["mail.mail"].sudo().create(
                {
                    "subject": env._("There is a message for you"),
                    "body_html": body,
                    "email_to": address,
                    "auto_delete": True,
                }
            )

    # ------------------------------------------------------------------
    # What the inbox shows of the case
    # ------------------------------------------------------------------
    def _vp_inbox_summary(self):
        """The case's status in plain words and its Wbk dates; nothing else."""
        self.ensure_one()
        case = self.sudo()  # sudo: state and dates, which the reporter may know; no content
        words = {
            "request": self.env._("received"),
            "open": self.env._("in progress"),
            "aftercare": self.env._("in progress"),
            "closed": self.env._("closed"),
        }
        return {
            "status": words.get(case.state, words["request"]),
            "closed": case.state == "closed",
            "received_on": case.request_date,
            "is_wbk": case.is_wbk,
            "ack_deadline": case.wbk_ack_deadline,
            "acknowledged_on": case.wbk_acknowledged_on,
            "feedback_deadline": case.wbk_feedback_deadline,
            "feedback_on": case.wbk_feedback_on,
        }

    # ------------------------------------------------------------------
    # Shredding: the thread and the reporter's key go with the case
    # ------------------------------------------------------------------
    def _vp_shred(self):
        shredded = super()._vp_shred()
        if shredded:
            # sudo: deletes these cases' messages and receipts (the code stops working); reads nothing.
            self.env["vp.case.message"].sudo().search([("case_id", "in", shredded.ids)]).unlink()
            self.env["vp.case.receipt"].sudo().search([("case_id", "in", shredded.ids)]).unlink()
        return shredded
