"""Timesheets of employees who are no counsellors work as they do without the addon.

An organisation installs the addon into an Odoo where its employees already log
hours on projects. The addon's global rule on timesheet lines (a counsellor's line
is hers alone) and its overrides of ``create`` and ``write`` must leave those hours
as hr_timesheet's own rules leave them: the employee logs and changes her own, her
timesheet approver and the timesheet administrator change them too; only the
counsellors' lines stay out of their reach. The scenario is hr_timesheet's own
``test_log_timesheet`` (an ordinary employee's ``create``) played with the addon
loaded; Odoo's own suites run it too, with and without the addon (bin/odoo-suites).
"""

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestOrdinaryTimesheets(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        plan = env["account.analytic.plan"].create({"name": "Projects of the organisation"})
        account = env["account.analytic.account"].create({"name": "Warehouse renovation", "plan_id": plan.id})
        cls.project = env["project.project"].create(
            {"name": "Warehouse renovation", "allow_timesheets": True, "account_id": account.id}
        )
        cls.task = env["project.task"].create({"name": "Shelving", "project_id": cls.project.id})
        cls.employee = new_test_user(env, "vp_ordinary_employee", groups="hr_timesheet.group_hr_timesheet_user")
        cls.approver = new_test_user(env, "vp_ordinary_approver", groups="hr_timesheet.group_hr_timesheet_approver")
        cls.administrator = new_test_user(
            env, "vp_ordinary_timesheet_admin", groups="hr_timesheet.group_timesheet_manager"
        )
        env["hr.employee"].create(
            [
                {"name": user.name, "user_id": user.id, "employee_type": "freelance"}
                for user in (cls.employee, cls.approver, cls.administrator)
            ]
        )
        # A counsellor's hours from the demo data: the lines the global rule keeps hers alone.
        cls.counsellor_line = env.ref("vertrouwenspersoon.timesheet_case14_intake")
        cls.Timesheet = env["account.analytic.line"]

    def log_hours(self, user, hours=2.0):
        return self.Timesheet.with_user(user).create(
            {"project_id": self.project.id, "task_id": self.task.id, "name": "Mounting shelves", "unit_amount": hours}
        )

    def test_employee_logs_and_changes_own_hours(self):
        line = self.log_hours(self.employee)
        self.assertEqual(line.user_id, self.employee)
        self.assertEqual(line.employee_id.user_id, self.employee)
        self.assertEqual(line.account_id, self.project.account_id)
        # Her own words stay on her line: only a counsellor's line takes the time type's label.
        self.assertEqual(line.name, "Mounting shelves")
        self.assertFalse(line.vp_time_type)
        line.with_user(self.employee).write({"unit_amount": 3.0})
        self.assertEqual(line.unit_amount, 3.0)
        self.assertIn(line, self.Timesheet.with_user(self.employee).search([("project_id", "=", self.project.id)]))
        line.with_user(self.employee).unlink()
        self.assertFalse(line.exists())

    def test_approver_and_administrator_change_employee_hours(self):
        for user in (self.approver, self.administrator):
            line = self.log_hours(self.employee)
            as_user = line.with_user(user)
            self.assertEqual(as_user.unit_amount, 2.0)
            as_user.write({"unit_amount": 1.5, "name": "Shelves, second row"})
            self.assertEqual((line.unit_amount, line.name), (1.5, "Shelves, second row"), user.login)
            as_user.unlink()
            self.assertFalse(line.exists(), user.login)
        # The administrator logs hours for the employee, as hr_timesheet lets a manager.
        line = self.Timesheet.with_user(self.administrator).create(
            {"project_id": self.project.id, "task_id": self.task.id, "name": "Delivery", "user_id": self.employee.id}
        )
        self.assertEqual(line.employee_id.user_id, self.employee)

    def test_counsellor_hours_stay_out_of_reach(self):
        """The other side of the same global rule: what opens ordinary hours to their
        readers opens no counsellor's line, even to the timesheet administrator with
        Analytic Accounting on (whose group rules would show every line)."""
        self.administrator.groups_id = [Command.link(self.env.ref("analytic.group_analytic_accounting").id)]
        for user in (self.employee, self.approver, self.administrator):
            found = self.Timesheet.with_user(user).search([])
            self.assertNotIn(self.counsellor_line, found, user.login)
            with self.assertRaises(AccessError, msg=user.login):
                self.counsellor_line.with_user(user).read(["unit_amount"])
