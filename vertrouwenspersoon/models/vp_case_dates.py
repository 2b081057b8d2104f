# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The dates of the record on vp.case (one concern, one file).

The request date, the first contact and the two Wbk dates decide every
deadline, the Wbk terms and the published figures (the annual report's year,
"first contact within 48 hours", "acknowledged within 7 days"). So they change
only as the work happens (docs/INTEGRITY.md):

- the request date is the moment of the intake (intake page, phone intake, or
  the counsellor registering a case);
- the first contact is set by the first meeting held, the first message to the
  reporter, or *Start*, whichever comes first;
- *Acknowledged on* by the message that acknowledges the report, *Feedback
  given on* by the feedback message (or, for a reporter without an inbox, the
  counsellor recording today that it happened by phone or letter);
- a wrong date is corrected by the case's own counsellor, with a reason
  (wizards/vp_case_date_correction.py).

Each is checked (never in the future, never before the request) and lands in
the change log with who set it and why. No client writes them: they are guarded
fields (vp.write.checked.mixin, tools/guards.py).
"""

from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError

from ..tools import guards

WORK_DATES = ("request_date", "first_contact_date", "wbk_acknowledged_on", "wbk_feedback_on")


class VpCase(models.Model):
    _inherit = "vp.case"  # pylint: disable=consider-merging-classes-inherited

    dates_corrected = fields.Boolean(
        string="A date corrected",
        readonly=True,
        copy=False,
        help="One of the case's dates was corrected by its counsellor, with a reason in the change log. "
        "The annual report says how many requests rest on a corrected date.",
    )

    @api.constrains(*WORK_DATES)
    def _check_work_dates(self):
        now = fields.Datetime.now()
        # sudo: dates only; the constraint runs for whoever set them (a flow, the system).
        for case in self.sudo():
            if case.shredded_on:
                # Shredding reduced the dates to their month: their order was checked before.
                continue
            for name in WORK_DATES:
                value = case[name]
                if not value:
                    continue
                label = self._fields[name]._description_string(self.env)
                if value > now:
                    raise ValidationError(
                        self.env._("%(date)s of %(case)s cannot lie in the future.", date=label, case=case.name)
                    )
                if name != "request_date" and case.request_date and value < case.request_date:
                    raise ValidationError(
                        self.env._(
                            "%(date)s of %(case)s cannot lie before the request (%(request)s).",
                            date=label,
                            case=case.name,
                            request=fields.Datetime.to_string(case.request_date),
                        )
                    )

    # ------------------------------------------------------------------
    # Set by the work
    # ------------------------------------------------------------------
    def _vp_check_reader(self):
        """Only a reader of the case (its counsellor, an active handover) records its
        work; the coordinator and everyone else are refused."""
        if self.env.su:
            return
        for case in self:
            if self.env.uid not in case._vp_reader_user_ids():
                raise AccessError(
                    self.env._(
                        "Only the counsellor of %(case)s (or a colleague it is handed over to) records its work.",
                        case=case.sudo().name,  # sudo: the case number only
                    )
                )

    def _vp_record_work_date(self, field_name, reason):
        """Record that the work of ``field_name`` happened now, on the cases
        where it had not yet: by a reader of the case, logged with ``reason``."""
        self._vp_check_reader()
        todo = self.filtered(lambda case: not case[field_name])
        if todo:
            guards.open_guard(guards.with_reason(todo, reason), guards.CASE_DATES).write(
                {field_name: fields.Datetime.now()}
            )
        return True

    def _vp_note_first_contact(self, moments, reason):
        """The first contact of each case in ``moments`` ({case id: datetime}, a
        meeting held or a message sent), where the case has none yet. Called by
        the meeting and the message in the session of the reader who made it."""
        now = fields.Datetime.now()
        # sudo: the dates of the cases this reader just worked on; no content.
        for case in self.sudo().browse(list(moments)):
            moment = moments[case.id]
            if case.first_contact_date or case.shredded_on or not moment or moment > now:
                continue
            if case.request_date and moment < case.request_date:
                continue
            guards.open_guard(guards.with_reason(case.with_env(self.env), reason), guards.CASE_DATES).write(
                {"first_contact_date": moment}
            )

    # ------------------------------------------------------------------
    # Corrected by the counsellor
    # ------------------------------------------------------------------
    def action_vp_correct_date(self):
        self.ensure_one()
        self.env["vp.case.date.correction"]._vp_check_corrector(self)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Correct a date of %(case)s", case=self.name),
            "res_model": "vp.case.date.correction",
            "view_mode": "form",
            "target": "new",
            "context": {"default_case_id": self.id},
        }
