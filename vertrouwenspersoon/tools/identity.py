# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Whether the user confirmed her identity recently, by Odoo's own identity
check (``res.users.identitycheck``, which a vertrouwenspersoon user answers
with her password and her second factor, models/odoo_models/res_users_identitycheck.py).

Buttons use Odoo's ``check_identity`` decorator itself; the routes that are no
button (the vault passphrase, the recovery key's pages) read the same mark the
check leaves in the session, with the same ten minutes.
"""

import time

from odoo.http import request

# The window of odoo.addons.base.models.res_users.check_identity.
IDENTITY_CHECK_SECONDS = 10 * 60


def recently_confirmed():
    """True when this browser session passed the identity check in the last ten minutes."""
    if not request or not getattr(request, "session", None):
        return False
    return request.session.get("identity-check-last", 0) > time.time() - IDENTITY_CHECK_SECONDS
