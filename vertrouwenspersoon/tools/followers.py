# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Searching the followers of a confidential record.

The global rule on mail.followers (security/mail_followers_rules.xml) shows each user
only their own following of cases and notices. The ``message_follower_ids`` one2many
goes through that rule when searched; ``message_partner_ids`` does not: mail.thread
searches it on mail.followers with sudo, so ``[('message_partner_ids', 'in', [P])]``
would list the cases partner P follows, which tells who counsels what. A user may
search it for their own partner only, which is all the "followed by me" filters need.

The check is called from each model's own ``_search_message_partner_ids``: a mixin
would come after mail.thread in the method resolution order, and mail.thread's own
search would answer first.
"""

from collections.abc import Iterable

from odoo.exceptions import AccessError


def check_own_partner_only(model, operator, operand):
    """Refuse a search on ``message_partner_ids`` for anyone but the user's own partner."""
    if model.env.su:
        return
    values = list(operand) if isinstance(operand, Iterable) and not isinstance(operand, str) else [operand]
    user = model.env.user
    own = set((user.partner_id | user.partner_id.commercial_partner_id).ids)
    if operator not in ("=", "in", "!=", "not in") or not values or not set(values) <= own:
        raise AccessError(
            model.env._("Who follows a confidential record is not shown: you can only filter on yourself.")
        )
