# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The lists of models that hold case content, derived from the code: no model
name is typed here or anywhere else.

``sealed_models``: every model with encrypted fields (tests/test_sideways_facts.py
fails for a model with a ciphertext field that is not in it).
``record_key_models``: those of them sealed under a key of the record's own;
``case_record_key_models``: of these, the ones whose records hang off a case.
``content_models``: every model that holds case content.

A model holds content when it is sealed under a case's or record's key (it
inherits ``vp.encrypted.mixin``: cases, meetings, documents, consents, notices,
breach records, legal holds, messages with the reporter, consultations, timesheet
notes), when it hangs off a case (a ``case_id`` to ``vp.case``: handovers,
referrals, receipt codes, logs, the case's wizards), or when it says so itself
(``_vp_holds_content = True``: signals). Nothing is listed by hand, so a new
model of either kind is covered the day it is written.

Used wherever a model's confidentiality decides something: no plain attachment
on such a record (models/odoo_models/ir_attachment.py), activities without free text and
read only by the user they are for (models/odoo_models/mail_activity.py), no typed chatter
(models/odoo_models/mail_message.py).
"""

ENCRYPTED_MIXIN = "vp.encrypted.mixin"


def sealed_models(env):
    """Names of the models that store content encrypted (a sorted tuple): the models of
    ``vp.encrypted.mixin``, which every sealed field goes through."""
    registry = env.registry
    mixin = registry[ENCRYPTED_MIXIN]
    return tuple(
        sorted(
            name
            for name, model_class in registry.items()
            if not model_class._abstract and issubclass(model_class, mixin)
        )
    )


def record_key_models(env):
    """Names of the sealed models whose records are sealed under a key of their own
    (``_vp_key_scope = "record"``) rather than their case's key."""
    return tuple(name for name in sealed_models(env) if getattr(env.registry[name], "_vp_key_scope", None) == "record")


def case_record_key_models(env):
    """Names of the record-key models whose records belong to a case (a ``case_id``):
    notices and breach records, whose keys go with their case's. A consultation has a
    key of its own too, but leads to no case."""
    return tuple(name for name in record_key_models(env) if _hangs_off_a_case(env.registry[name]))


def _hangs_off_a_case(model_class):
    case_field = model_class._fields.get("case_id")
    return bool(case_field and case_field.type == "many2one" and case_field.comodel_name == "vp.case")


def _holds_content(registry, model_class):
    if model_class._abstract:
        return False
    if getattr(model_class, "_vp_holds_content", False):
        return True
    if ENCRYPTED_MIXIN in registry and issubclass(model_class, registry[ENCRYPTED_MIXIN]):
        return True
    return _hangs_off_a_case(model_class)


def content_models(env):
    """Names of the models that hold case content (a frozenset, cached per registry)."""
    registry = env.registry
    cached = registry.__dict__.get("_vp_content_models")
    if cached is None:
        cached = frozenset(name for name, model_class in registry.items() if _holds_content(registry, model_class))
        if registry.ready:
            # Kept once every model is loaded; a registry being built is asked again.
            registry._vp_content_models = cached
    return cached
