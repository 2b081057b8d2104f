# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Users who held a role before this release land on Discuss: give each its role's own
home screen (a home action the administrator chose stays), and turn off the login
page's list of recent users, as a new installation does."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    roles = env["res.groups"]
    for xmlid in env["res.users"]._vp_role_group_xmlids():
        roles |= env.ref(xmlid, raise_if_not_found=False) or roles
    roles.users._vp_set_home_actions()
    if env["ir.config_parameter"].get_param("web.quick_login") is None:
        env["ir.config_parameter"].set_param("web.quick_login", "False")
