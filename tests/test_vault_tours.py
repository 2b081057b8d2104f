"""The vault in the browser, as the Dutch demo users meet it, in
headless Chromium: the unlock dialog, the idle lock, a change of passphrase and
"lock now" (the counsellor); making the recovery key, its sheet shown once, and
typing it back to give a case to its new counsellor (the coordinator).

The browser talks to the test itself only through addresses outside this
server (``https://vp-tour.test/...``), which Odoo's test browser hands to
``fetch_proxy``: that is where the test ages the session (as time passing
would) or keeps the code the coordinator read off the sheet (as a sheet of
paper would). Nothing of this is a route or a switch of the addon.
"""

import re
import time

from odoo.addons.vertrouwenspersoon.vault import session as vault_session
from odoo.http import root
from odoo.tests import HttpCase, tagged

from .common import TotpTourMixin, VpCaseCommon, demo_user, unlocked

TOUR_HOST = "https://vp-tour.test/"
NEW_PASSPHRASE = "een heel andere lange zin"


@tagged("post_install", "-at_install", "is_tour")
class TestVaultTour(TotpTourMixin, VpCaseCommon, HttpCase):
    def fetch_proxy(self, url):
        if url == TOUR_HOST + "idle":
            # Idle for longer than the organisation's lock time: the stored
            # session says it was last used ten minutes ago.
            stored = root.session_store.get(self.session.sid)
            stored[vault_session.SESSION_KEY]["last_used"] = time.time() - 10 * 60
            root.session_store.save(stored)
            self.aged = True
            return self.make_fetch_proxy_response("aged")
        return super().fetch_proxy(url)

    def test_unlock_idle_lock_passphrase_change_and_lock_now(self):
        self.aged = False
        self.new_case(self.counsellor, name="VP-RONDLEIDING-1")
        # Her organisations lock after 5 idle minutes (the default is 30): ten minutes must lock.
        organisations = self.env["vp.organisation"].search([("counsellor_ids", "in", self.counsellor.id)])
        organisations.write({"vault_idle_minutes": 5})
        before = self.env["vp.audit.log"].search([]).ids
        self.start_tour("/odoo", "vp_vault_tour", login="vp_counsellor", timeout=180)
        self.assertTrue(self.aged)
        lines = self.env["vp.audit.log"].sudo().search([("id", "not in", before), ("user_id", "=", self.counsellor.id)])
        actions = lines.mapped("action")
        # Wrong at the start, wrong old passphrase in the change, the old one after the change.
        self.assertEqual(actions.count("unlock_failed"), 3)
        self.assertEqual(actions.count("passphrase_changed"), 1)
        self.assertIn("read", actions)
        key = self.env["vp.reader.key"]._vp_key_of(self.counsellor.ids)
        self.assertEqual(key.failed_attempts, 0, "the right passphrase resets the count")
        with vault_session.opened_with_passphrase(self.env(user=self.counsellor), NEW_PASSPHRASE):
            self.assertEqual(self.case.with_user(self.counsellor).employee_name, self.NAME)


@tagged("post_install", "-at_install", "is_tour")
class TestRecoveryTour(TotpTourMixin, VpCaseCommon, HttpCase):
    def fetch_proxy(self, url):
        if url.startswith(TOUR_HOST + "sheet/"):
            self.codes.append(url[len(TOUR_HOST + "sheet/") :])
            return self.make_fetch_proxy_response("kept")
        if url == TOUR_HOST + "sheet":
            return self.make_fetch_proxy_response(self.codes[-1] if self.codes else "")
        return super().fetch_proxy(url)

    def test_recovery_key_made_shown_once_and_used(self):
        self.codes = []
        organisation = self.organisation
        organisation.sudo().write({"recovery_public_key": False, "recovery_salt": False})
        self.env["vp.record.grant"].sudo().search(
            [("res_model", "=", "vp.case"), ("organisation_id", "=", organisation.id)]
        ).unlink()
        self.start_tour(f"/odoo/vp.organisation/{organisation.id}", "vp_recovery_make_tour", login="vp_coordinator")
        self.assertEqual(len(self.codes), 1)
        code = self.codes[0]
        self.assertTrue(re.fullmatch(r"([A-Z2-9]{4}-){7}[A-Z2-9]{4}", code), code)
        self.assertTrue(organisation.sudo().recovery_public_key)
        # The counsellor unlocks: her cases are sealed for the new recovery key too.
        with unlocked(self.env, "counsellor"):
            self.env["vp.record.key"].with_user(self.counsellor)._vp_top_up_recovery()
        # She forgets her passphrase: a new key pair opens none of her old grants.
        self.env["vp.reader.key"]._vp_key_of(self.counsellor.ids).unlink()
        self.env["vp.record.grant"].sudo().search(
            [("res_model", "=", "vp.case"), ("user_id", "=", self.counsellor.id)]
        ).unlink()
        self.env["vp.reader.key"].with_user(self.counsellor)._vp_set_passphrase(NEW_PASSPHRASE)
        grants = self.env["vp.record.grant"].sudo()
        of_hers = [("res_model", "=", "vp.case"), ("res_id", "=", self.case.id), ("user_id", "=", self.counsellor.id)]
        self.assertFalse(grants.search(of_hers))
        self.start_tour(f"/odoo/vp.organisation/{organisation.id}", "vp_recovery_use_tour", login="vp_coordinator")
        self.env.invalidate_all()
        grant = grants.search(of_hers)
        self.assertTrue(grant.token, "the recovery key gave the case back to her")
        with vault_session.opened_with_passphrase(self.env(user=self.counsellor), NEW_PASSPHRASE):
            self.assertEqual(self.case.with_user(self.counsellor).notes, self.NOTES)
        coordinator = demo_user(self.env, "coordinator")
        recovery = self.env["vp.audit.log"].sudo().search([("action", "=", "recovery"), ("case_id", "=", self.case.id)])
        self.assertEqual(recovery.user_id, coordinator)
