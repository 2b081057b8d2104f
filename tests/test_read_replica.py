"""No RPC call that writes is sent to Odoo's read replica (db_replica_host).

Odoo runs a /web/dataset/call_kw request on the replica when the method is
marked read-only (@api.readonly: read, search_read, web_read,
web_search_read, ...). Reading a case's content writes that access to
vp.audit.log, so on every model with encrypted content those methods must
resolve as not read-only, exactly as Odoo's dataset controller resolves them;
models that only read (regions, routes) keep the replica."""

from odoo.tests import TransactionCase, tagged

READS = ("read", "search_read", "web_read", "web_search_read")


def call_kw_readonly(registry, model, method):
    """odoo.addons.web.controllers.dataset.DataSet._call_kw_readonly, for a model and method."""
    for cls in registry[model].mro():
        function = getattr(cls, method, None)
        if function is not None and hasattr(function, "_readonly"):
            return function._readonly
    return False


@tagged("post_install", "-at_install")
class TestReadReplica(TransactionCase):
    def test_reads_that_log_content_access_stay_on_the_primary(self):
        encrypted = sorted(self.registry["vp.encrypted.mixin"]._inherit_children)
        self.assertTrue({"vp.case", "vp.case.meeting", "vp.case.document", "vp.notice"} <= set(encrypted))
        for model in encrypted:
            for method in READS:
                self.assertFalse(
                    call_kw_readonly(self.registry, model, method), f"{model}.{method} runs on the primary"
                )

    def test_other_reads_keep_the_replica(self):
        for model in ("vp.region", "vp.route"):
            for method in READS:
                self.assertTrue(call_kw_readonly(self.registry, model, method), f"{model}.{method} may use the replica")
