# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Every model of the addon, and every Odoo model the addon adds fields to, inherits
vp.field.access.mixin (models/vp_field_access_mixin.py): a field a role may not read
cannot be used by that role in a domain, a group-by or an order (review H2, M1).

Kept in one place, imported after all models and wizards, so a model's own file
stays about the model; tests/test_field_access.py fails for any model of the addon
(or Odoo model with fields of the addon) left out of this list.
"""

from odoo import models

GUARDED_MODELS = (
    # the addon's models
    "vp.annual.figure",
    "vp.annual.report",
    "vp.audit.log",
    "vp.behaviour.kind",
    "vp.breach",
    "vp.business.unit",
    "vp.case",
    "vp.case.dashboard",
    "vp.case.document",
    "vp.case.handover",
    "vp.case.key",
    "vp.case.link",
    "vp.case.meeting",
    "vp.case.message",
    "vp.case.receipt",
    "vp.case.reassignment",
    "vp.change.log",
    "vp.consent",
    "vp.consultation",
    "vp.counsellor.appointment",
    "vp.counsellor.load",
    "vp.engagement",
    "vp.engagement.hours",
    "vp.inbox.throttle",
    "vp.intake.throttle",
    "vp.key.grant",
    "vp.legal.hold",
    "vp.log.block",
    "vp.notice",
    "vp.organisation",
    "vp.prevention.session",
    "vp.reader.key",
    "vp.record.key",
    "vp.record.grant",
    "vp.referral",
    "vp.region",
    "vp.region.postcode.range",
    "vp.roster.line",
    "vp.route",
    "vp.signal",
    # Odoo models the addon adds fields to
    "account.analytic.line",
    "account.move",
    "account.move.line",
    "res.company",
    "res.users",
    "resource.resource",
)

GUARDED_WIZARDS = (
    "vp.annual.report.wizard",
    "vp.case.date.correction",
    "vp.case.close.wizard",
    "vp.case.erase.wizard",
    "vp.case.reassign.wizard",
    "vp.gdpr.export",
    "vp.intake.wizard",
    "vp.invoicing.wizard",
    "vp.notice.send.wizard",
    # Odoo wizards the addon adds fields to
    "res.users.identitycheck",
)

for _base, _names in ((models.Model, GUARDED_MODELS), (models.TransientModel, GUARDED_WIZARDS)):
    for _model in _names:
        # An extension class per model, as if each file declared
        # ``_name = model`` and ``_inherit = [model, "vp.field.access.mixin"]``.
        type(
            "VpFieldAccess_" + _model.replace(".", "_"),
            (_base,),
            {"__module__": __name__, "_name": _model, "_inherit": [_model, "vp.field.access.mixin"]},
        )
