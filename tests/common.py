"""Helpers shared by the tests: the demo users, one per role."""

DEMO_LOGINS = {
    "counsellor": "vp_counsellor",
    "counsellor2": "vp_counsellor2",
    "coordinator": "vp_coordinator",
    "hr": "vp_hr",
    "manager": "vp_manager",
    "accountant": "vp_accountant",
}

ROLE_GROUPS = {
    "counsellor": "vertrouwenspersoon.group_counsellor",
    "counsellor2": "vertrouwenspersoon.group_counsellor",
    "coordinator": "vertrouwenspersoon.group_coordinator",
    "hr": "vertrouwenspersoon.group_hr_notice",
    "manager": "vertrouwenspersoon.group_management",
    "accountant": "vertrouwenspersoon.group_invoicing",
}


def demo_user(env, role):
    return env["res.users"].search([("login", "=", DEMO_LOGINS[role])])
