# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Extensions of Odoo's own models: the lockdown (base, ir.*, res.groups), users and their
roles and second factor, mail without content, and the hours and invoices (account.*).
"""

from . import base
from . import res_groups
from . import mail_message
from . import ir_actions_server
from . import ir_http
from . import res_company
from . import res_users
from . import res_users_identitycheck
from . import mail_activity
from . import ir_attachment
from . import resource_resource
from . import account_analytic_line
from . import ir_actions_report
from . import account_move
from . import account_move_line
