# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Before the update to 18.0.2.0.0: the addon's own record rules, scheduled and
server actions come back to the definitions of this release.

Releases up to 18.0.1.0.0 loaded the record rules `noupdate`, so an update kept
each rule as it was first installed: a database made by an earlier release read
with older, wider rules. The rules are no longer `noupdate` (the lockdown keeps
them out of the administrator's hands instead); the scheduled and server actions
stay `noupdate` (their timing is the operator's) but are loaded once more now.
Records the files no longer define are removed at the end of the update."""

import logging

_logger = logging.getLogger(__name__)

RELOADED_MODELS = ("ir.rule", "ir.cron", "ir.actions.server", "mail.activity.type")


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        "UPDATE ir_model_data SET noupdate = false WHERE module = 'vertrouwenspersoon' AND model IN %s AND noupdate",
        (RELOADED_MODELS,),
    )
    _logger.info("Loading %d rule(s) and action(s) of vertrouwenspersoon to their current definitions", cr.rowcount)
