"""After intake the postcode decides nothing a coordinator can trigger, and every
change of regions and postcode ranges is logged."""

from odoo.addons.vertrouwenspersoon.tools import guards
from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged

from .common import VpCaseCommon


@tagged("post_install", "-at_install")
class TestPostcodeOracle(VpCaseCommon, TransactionCase):
    def test_probe_learns_nothing(self):
        """The coordinator's probe: narrow ranges of her own, the case's region
        cleared, assignment by roster, the region read back."""
        case = (
            self.env["vp.case"]
            .sudo()
            ._vp_register_request(self.organisation, "4811", "web", {"employee_phone": self.PHONE})
        )
        self.assertTrue(case.region_id, "the intake decides the region from the postcode")
        env = self.env(user=self.coordinator, context={"tracking_disable": True})
        Range, Region = env["vp.region.postcode.range"], env["vp.region"]
        Range.search([]).unlink()
        probes = Region.create(
            [
                {"name": f"P{code}", "code": f"P{code}", "postcode_range_ids": [(0, 0, {"postcode_from": str(code),
                                                                                      "postcode_to": str(code)})]}
                for code in range(4805, 4816)
            ]
        )  # fmt: skip
        as_coordinator = env["vp.case"].browse(case.id)
        # Clearing the counsellor is refused (only Reassign moves a case);
        # the probe then works on a case that had no counsellor, as from the intake.
        with self.assertRaises(UserError):
            as_coordinator.write({"counsellor_id": False})
        guards.open_guard(case, guards.COUNSELLOR_ASSIGNMENT).write({"counsellor_id": False})
        as_coordinator.write({"region_id": False})
        as_coordinator.action_assign_by_roster()
        self.assertFalse(as_coordinator.region_id, "the postcode chose a region after intake")
        self.assertNotIn(as_coordinator.region_id, probes)
        for probe in probes:
            self.assertNotIn(probe.name, as_coordinator.assignment_note or "")
        self.assertFalse(as_coordinator.counsellor_id)
        # The reshaping is on record: who created and deleted which regions and ranges.
        log = self.env["vp.change.log"].search(
            [("user_id", "=", self.coordinator.id), ("res_model", "in", ("vp.region", "vp.region.postcode.range"))]
        )
        self.assertEqual(set(log.mapped("operation")), {"create", "unlink"})
        self.assertIn(
            "4811", log.filtered(lambda line: line.res_model == "vp.region.postcode.range").mapped("new_value")
        )
        # ... and a change of a range too.
        probes[0].postcode_range_ids.write({"postcode_to": "4805"})
        probes[0].postcode_range_ids.write({"postcode_from": "4804"})
        self.assertTrue(
            self.env["vp.change.log"].search(
                [
                    ("res_model", "=", "vp.region.postcode.range"),
                    ("operation", "=", "write"),
                    ("new_value", "=", "4804"),
                ]
            )
        )
