# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""After the update to 18.0.2.0.0: the log lines written before the evidence
chains existed are sealed into them (models/vp_log_block.py), so that from now
on their removal or change is seen at a reader's unlock.

Nothing here endorses a key (tools/endorsement.py): each reader's key pair is
endorsed at her next unlock, when she proves it is hers, and each recovery key
when the coordinator types its code. Until then intake goes to readers who have
unlocked, or to the duty roster."""

import logging

from odoo import SUPERUSER_ID, api

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    sealed = env["vp.log.block"]._vp_block_unchained_lines()
    _logger.info("Sealed %d block(s) of log lines written before the evidence chains", sealed)
