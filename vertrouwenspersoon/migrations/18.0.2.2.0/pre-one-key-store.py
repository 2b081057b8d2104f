# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Before the update to 18.0.2.2.0: cases and records share one key store.

The data keys of cases (``vp.case.key``) and their grants (``vp.key.grant``) move
into ``vp.record.key`` and ``vp.record.grant``, as ``res_model = 'vp.case'`` and
``res_id = case id``; then the old tables and their models go (their ir.model
entries, fields, constraints, access rights and external ids).

Nothing is opened or sealed again: the tokens move as they are. The merged models
compute, for a case's rows, the same associated data the old ones did
(``vp.case.key:<case>``, ``vp.key.grant:<case>:<holder>``), so every case key
and grant opens as before; grants sealed for readers' public keys could not be
sealed again by the server anyway.

Before the models are loaded: the update's own data (``_vp_migrate_from_case_keys``,
the demo data) reads the cases' keys from the merged store."""

import logging

_logger = logging.getLogger(__name__)

OLD_MODELS = ("vp.case.key", "vp.key.grant")


def _table_exists(cr, table):
    cr.execute(
        "SELECT 1 FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = %s",
        (table,),
    )
    return bool(cr.rowcount)


def _move_keys(cr):
    # The tables as the ORM makes them; it adds their indexes and constraints
    # when it loads the models, right after this script.
    cr.execute(
        """CREATE TABLE IF NOT EXISTS vp_record_key (
               id SERIAL PRIMARY KEY,
               res_model VARCHAR NOT NULL,
               res_id INTEGER NOT NULL,
               wrapped_key VARCHAR NOT NULL,
               master_key_id VARCHAR NOT NULL
           )"""
    )
    cr.execute(
        """INSERT INTO vp_record_key (res_model, res_id, wrapped_key, master_key_id)
           SELECT 'vp.case', case_id, wrapped_key, master_key_id FROM vp_case_key ORDER BY id"""
    )
    _logger.info("Moved %d case key(s) into the one key store", cr.rowcount)


def _move_grants(cr):
    cr.execute(
        """CREATE TABLE IF NOT EXISTS vp_record_grant (
               id SERIAL PRIMARY KEY,
               res_model VARCHAR NOT NULL,
               res_id INTEGER NOT NULL,
               user_id INTEGER,
               organisation_id INTEGER,
               kind VARCHAR,
               token VARCHAR
           )"""
    )
    cr.execute("ALTER TABLE vp_record_grant ADD COLUMN IF NOT EXISTS receipt_id INTEGER")
    # The old check allowed a reader or a recovery key only; the model's new one
    # (a receipt code too) replaces it when the model is loaded.
    cr.execute("ALTER TABLE vp_record_grant DROP CONSTRAINT IF EXISTS vp_record_grant_one_holder")
    cr.execute(
        """INSERT INTO vp_record_grant (res_model, res_id, user_id, organisation_id, receipt_id, kind, token)
           SELECT 'vp.case', case_id, user_id, organisation_id, receipt_id, kind, token FROM vp_key_grant ORDER BY id"""
    )
    _logger.info("Moved %d case key grant(s) into the one key store", cr.rowcount)


def _drop_models(cr):
    """The old models' tables and every trace of them in the registry's tables, as
    uninstalling them would leave it; their external ids with them, so none is
    left pointing at nothing."""
    cr.execute("DROP TABLE IF EXISTS vp_key_grant, vp_case_key")
    cr.execute("SELECT id FROM ir_model WHERE model IN %s", (OLD_MODELS,))
    model_ids = tuple(row[0] for row in cr.fetchall()) or (0,)
    cr.execute("SELECT id FROM ir_model_fields WHERE model_id IN %s OR relation IN %s", (model_ids, OLD_MODELS))
    field_ids = tuple(row[0] for row in cr.fetchall()) or (0,)
    cr.execute("SELECT id FROM ir_model_fields_selection WHERE field_id IN %s", (field_ids,))
    selection_ids = tuple(row[0] for row in cr.fetchall()) or (0,)
    cr.execute("SELECT id FROM ir_model_access WHERE model_id IN %s", (model_ids,))
    access_ids = tuple(row[0] for row in cr.fetchall()) or (0,)
    cr.execute("SELECT id FROM ir_model_constraint WHERE model IN %s", (model_ids,))
    constraint_ids = tuple(row[0] for row in cr.fetchall()) or (0,)
    cr.execute(
        """DELETE FROM ir_model_data
            WHERE (model = 'ir.model' AND res_id IN %s)
               OR (model = 'ir.model.fields' AND res_id IN %s)
               OR (model = 'ir.model.fields.selection' AND res_id IN %s)
               OR (model = 'ir.model.access' AND res_id IN %s)
               OR (model = 'ir.model.constraint' AND res_id IN %s)
               OR model IN %s""",
        (model_ids, field_ids, selection_ids, access_ids, constraint_ids, OLD_MODELS),
    )
    cr.execute("DELETE FROM ir_model_access WHERE id IN %s", (access_ids,))
    cr.execute("DELETE FROM ir_model_constraint WHERE id IN %s", (constraint_ids,))
    cr.execute("DELETE FROM ir_model_fields_selection WHERE id IN %s", (selection_ids,))
    cr.execute("DELETE FROM ir_model_fields WHERE id IN %s", (field_ids,))
    cr.execute("DELETE FROM ir_model WHERE id IN %s", (model_ids,))


def migrate(cr, version):
    if not version:
        return
    if _table_exists(cr, "vp_case_key"):
        _move_keys(cr)
    if _table_exists(cr, "vp_key_grant"):
        _move_grants(cr)
    _drop_models(cr)
