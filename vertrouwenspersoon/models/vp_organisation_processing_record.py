# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import fields, models

from ..const import THROTTLE_WINDOW

CRON_UNIT_HOURS = {"minutes": 1 / 60, "hours": 1, "days": 24, "weeks": 24 * 7}


class VpOrganisation(models.Model):
    """What the processing record (AVG art. 30, report/vp_processing_record_report.xml)
    reads beyond the organisation's own fields: its date and version, and the retention
    terms as the addon applies them, so the record never drifts from the configuration."""

    _inherit = "vp.organisation"  # pylint: disable=consider-merging-classes-inherited

    def _vp_processing_record_version(self):
        """{"version", "changed_on", "printed_on"}: version 1 is the organisation as created,
        and every logged change of a setting the record shows (retention, HR contacts,
        managers ...) adds one, counted from the change log, which no one can edit;
        ``changed_on`` is the day of the last change. Read as the coordinator, who renders
        the record and may read the change log."""
        self.ensure_one()
        changes = self.env["vp.change.log"].search_read(
            [("res_model", "=", self._name), ("res_id", "=", self.id), ("operation", "=", "write")],
            ["change_date"],
        )
        last = max((change["change_date"] for change in changes), default=self.create_date)
        return {
            "version": len(changes) + 1,
            "changed_on": fields.Date.context_today(self, last),
            "printed_on": fields.Date.context_today(self),
        }

    def _vp_intake_visitor_hours(self):
        """At most how many hours the intake page keeps a visitor's hashed address: its
        window, then the scheduled job that forgets what is older (data/ir_cron_data.xml)."""
        cron = self.env.ref("vertrouwenspersoon.ir_cron_vp_intake_throttle", raise_if_not_found=False)
        interval = timedelta(0)
        if cron:
            # sudo: the job's interval only, no data (coordinators cannot read scheduled actions).
            cron = cron.sudo()
            interval = timedelta(hours=cron.interval_number * CRON_UNIT_HOURS.get(cron.interval_type, 0))
        return round((THROTTLE_WINDOW + interval).total_seconds() / 3600)
