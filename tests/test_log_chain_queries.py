"""The unlock's check of old blocks of the evidence chains (a random sample) costs the
same number of queries in a bureau with forty blocks as in one with two hundred thousand:
the sampled blocks' lines are read in one query, not one per block."""

from odoo.addons.vertrouwenspersoon.models.logs.vp_log_block import SAMPLE_SIZE
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install", "is_query_count")
class TestLogChainQueryCounts(TransactionCase):
    def _chain_of(self, blocks):
        """``blocks`` more sealed blocks in the change log's chain; returns its last number."""
        Log = self.env["vp.change.log"]
        for index in range(blocks):
            Log._vp_append(
                [
                    {
                        "user_id": self.env.uid,
                        "res_model": "vp.region",
                        "res_id": index,
                        "record_name": f"Regio {index}",
                        "field_name": "name",
                        "field_label": "Name",
                        "operation": "write",
                        "old_value": "oud",
                        "new_value": "nieuw",
                    }
                ]
            )
        self.env["vp.log.block"]._vp_seal_pending()
        self.env.cr.execute("SELECT max(seq) FROM vp_log_block WHERE log = 'change' AND owner_id = 0")
        return self.env.cr.fetchone()[0]

    def test_sample_check_reads_the_lines_once(self):
        last = self._chain_of(SAMPLE_SIZE + 8)
        self.assertGreaterEqual(last, SAMPLE_SIZE + 8)
        Block = self.env["vp.log.block"]
        # the blocks with their neighbours, then every sampled block's lines
        with self.assertQueryCount(2):
            problems = Block._vp_check_sample("change", 0, last)
        self.assertEqual(problems, 0)

    def test_sample_check_still_finds_a_changed_line(self):
        last = self._chain_of(SAMPLE_SIZE + 8)
        # Every line changed behind the log's back: every sampled block fails its hash.
        self.env.cr.execute("UPDATE vp_change_log SET new_value = 'anders'")
        problems = self.env["vp.log.block"]._vp_check_sample("change", 0, last)
        self.assertGreaterEqual(problems, SAMPLE_SIZE - 1)
