"""The database of an in-process benchmark: Odoo set up from the configuration
file, and a superuser environment on a database with the addon installed."""

import contextlib


@contextlib.contextmanager
def addon_env(config_path, database, model):
    """A superuser environment (in English) on ``database``, in one cursor; the
    benchmark stops when the addon (its ``model``) is not installed there."""
    import odoo  # noqa: PLC0415  the scripts are run from the project's virtualenv
    from odoo.tools import config  # noqa: PLC0415

    config.parse_config(["-c", config_path, "-d", database])
    odoo.netsvc.init_logger()
    registry = odoo.modules.registry.Registry(database)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {"lang": "en_US"})
        if model not in env:
            raise SystemExit(f"Database {database} does not have the vertrouwenspersoon addon installed.")
        yield env
