# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models, tools
from odoo.tools import SQL

# How old a request is, from its request date to now (cases not closed).
AGES = [
    ("a_2days", "Up to 2 days"),
    ("b_week", "3 to 7 days"),
    ("c_month", "1 to 4 weeks"),
    ("d_quarter", "1 to 3 months"),
    ("e_older", "Over 3 months"),
]
# Where a deadline stands: met or missed once done, else open, due soon or overdue.
DEADLINE_STATES = [
    ("met", "Met"),
    ("missed", "Met late"),
    ("open", "Open"),
    ("soon", "Due soon"),
    ("overdue", "Overdue"),
]
# (status field, deadline column, done column, "due soon" this long before), as the
# deadline job warns (vp_case_assignment.DEADLINES): 48 hours, Wbk 7 days, Wbk 3 months.
DEADLINE_COLUMNS = (
    ("first_contact_status", "first_contact_deadline", "first_contact_date", "12 hours"),
    ("wbk_ack_status", "wbk_ack_deadline", "wbk_acknowledged_on", "2 days"),
    ("wbk_feedback_status", "wbk_feedback_deadline", "wbk_feedback_on", "14 days"),
)


class VpCaseDashboard(models.Model):
    """One row per case for the dashboards of the counsellor (her own cases) and the
    coordinator (every case): state, age and where its deadlines stand, with the case's
    organisation, region and counsellor. It holds what the coordinator already reads of a
    case (issue: no kind of behaviour, no content): no kinds, routes, unit, postcode, name
    or text. Age and deadline states are computed when read (a PostgreSQL view), so they are
    right at every opening without a job. The record rules give each role its rows."""

    _name = "vp.case.dashboard"
    _description = "Cases at a glance"
    _inherit = ["vp.field.access.mixin"]
    _auto = False
    _order = "request_date desc, id desc"
    _rec_name = "case_id"

    case_id = fields.Many2one("vp.case", readonly=True)
    organisation_id = fields.Many2one("vp.organisation", string="Client organisation", readonly=True)
    region_id = fields.Many2one("vp.region", readonly=True)
    counsellor_id = fields.Many2one("res.users", readonly=True)
    state = fields.Selection(
        [("request", "Request"), ("open", "In progress"), ("aftercare", "Aftercare"), ("closed", "Closed")],
        readonly=True,
    )
    request_date = fields.Datetime(string="Requested on", readonly=True)
    age = fields.Selection(AGES, readonly=True, help="How long ago the request came in (cases not closed).")
    is_wbk = fields.Boolean(string="Whistleblowers Protection Act", readonly=True)
    unassigned = fields.Boolean(readonly=True)
    first_contact_status = fields.Selection(DEADLINE_STATES, string="First contact (48 hours)", readonly=True)
    wbk_ack_status = fields.Selection(DEADLINE_STATES, string="Acknowledgement (Wbk, 7 days)", readonly=True)
    wbk_feedback_status = fields.Selection(DEADLINE_STATES, string="Feedback (Wbk, 3 months)", readonly=True)
    at_risk = fields.Boolean(
        string="Deadline at risk", readonly=True, help="A deadline of the case is due soon or overdue."
    )

    def _vp_status_sql(self, deadline, done, soon):
        deadline, done = SQL.identifier("c", deadline), SQL.identifier("c", done)
        return SQL(
            """CASE WHEN %(deadline)s IS NULL THEN NULL
                    WHEN %(done)s IS NOT NULL THEN CASE WHEN %(done)s <= %(deadline)s THEN 'met' ELSE 'missed' END
                    WHEN c.state = 'closed' THEN NULL
                    WHEN %(deadline)s < now.utc THEN 'overdue'
                    WHEN %(deadline)s < now.utc + %(soon)s::interval THEN 'soon'
                    ELSE 'open' END""",
            deadline=deadline,
            done=done,
            soon=soon,
        )

    def _vp_query(self):
        statuses = {name: self._vp_status_sql(deadline, done, soon) for name, deadline, done, soon in DEADLINE_COLUMNS}
        return SQL(
            """
            SELECT c.id, c.id AS case_id, c.organisation_id, c.region_id, c.counsellor_id, c.state,
                   c.request_date, COALESCE(c.is_wbk, FALSE) AS is_wbk,
                   (c.counsellor_id IS NULL OR c.placed_on_duty) AND c.state != 'closed' AS unassigned,
                   CASE WHEN c.state = 'closed' THEN NULL
                        WHEN c.request_date > now.utc - interval '2 days' THEN 'a_2days'
                        WHEN c.request_date > now.utc - interval '7 days' THEN 'b_week'
                        WHEN c.request_date > now.utc - interval '28 days' THEN 'c_month'
                        WHEN c.request_date > now.utc - interval '3 months' THEN 'd_quarter'
                        ELSE 'e_older' END AS age,
                   %(first_contact)s AS first_contact_status,
                   %(wbk_ack)s AS wbk_ack_status,
                   %(wbk_feedback)s AS wbk_feedback_status,
                   COALESCE((%(first_contact)s) IN ('soon', 'overdue')
                            OR (%(wbk_ack)s) IN ('soon', 'overdue')
                            OR (%(wbk_feedback)s) IN ('soon', 'overdue'), FALSE) AS at_risk
              FROM vp_case c
             CROSS JOIN (SELECT (now() AT TIME ZONE 'UTC') AS utc) now
             WHERE c.shredded_on IS NULL
            """,
            first_contact=statuses["first_contact_status"],
            wbk_ack=statuses["wbk_ack_status"],
            wbk_feedback=statuses["wbk_feedback_status"],
        )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(SQL("CREATE OR REPLACE VIEW %s AS (%s)", SQL.identifier(self._table), self._vp_query()))
