"""Signals to the employer (confirmed, anonymous, then sent and frozen),
referrals on the counsellor's own cases, prevention sessions."""

from lxml import etree

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import TransactionCase, tagged

from .common import VpCaseCommon

CLEAN = "Meerdere medewerkers ervaren een harde omgangstoon in de avonddienst. Advies: train leidinggevenden."


@tagged("post_install", "-at_install")
class TestSignals(VpCaseCommon, TransactionCase):
    def _draft(self, body=CLEAN, user=None, **values):
        return (
            self.env["vp.signal"]
            .with_user(user or self.counsellor)
            .create(
                {"name": "Omgangstoon avonddienst", "organisation_id": self.organisation.id, "body": body, **values}
            )
        )

    def test_sent_only_after_confirmation(self):
        signal = self._draft()
        with self.assertRaisesRegex(UserError, "Confirm"):
            signal.action_send()
        self.assertEqual(signal.state, "draft")
        signal.confirmed_anonymous = True
        signal.action_send()
        self.assertEqual(signal.state, "sent")
        self.assertEqual(signal.recipient_user_ids, self.hr)
        activity = signal.sudo().activity_ids
        self.assertEqual(activity.user_id, self.hr)
        self.assertFalse(activity.summary)
        # Sent means frozen.
        with self.assertRaises(UserError):
            signal.write({"body": "Iets anders"})
        with self.assertRaises(UserError):
            signal.unlink()
        with self.assertRaises(UserError):
            signal.action_send()
        # HR reads the sent signal, not drafts.
        draft = self._draft()
        hr_signals = self.env["vp.signal"].with_user(self.hr).search([])
        self.assertIn(signal, hr_signals)
        self.assertNotIn(draft, hr_signals)
        self.assertFalse(self.env["vp.signal"].with_user(self.hr).has_access("write"))

    def test_refusal_comes_before_the_confirmation(self):
        """The form's "really send?" question belongs to the button shown only once the
        box is ticked; without it the other button refuses, with the reason, and sends nothing.
        The server refuses an unconfirmed signal whichever button (or RPC) asks."""
        arch = self.env["vp.signal"].with_user(self.counsellor).get_view(view_type="form")["arch"]
        buttons = {button.get("name"): button for button in etree.fromstring(arch).iter("button")}
        self.assertIn("confirm", buttons["action_send"].attrib)
        self.assertIn("not confirmed_anonymous", buttons["action_send"].get("invisible"))
        self.assertNotIn("confirm", buttons["action_send_unconfirmed"].attrib)
        self.assertIn("or confirmed_anonymous", buttons["action_send_unconfirmed"].get("invisible"))
        signal = self._draft()
        with self.assertRaisesRegex(UserError, "Confirm that the signal holds nothing traceable"):
            signal.action_send_unconfirmed()
        with self.assertRaisesRegex(UserError, "Confirm that the signal holds nothing traceable"):
            signal.action_send()
        self.assertEqual(signal.state, "draft")
        # Ticked meanwhile (another tab): the unconfirmed button still sends nothing.
        signal.confirmed_anonymous = True
        self.assertEqual(signal.action_send_unconfirmed()["tag"], "soft_reload")
        self.assertEqual(signal.state, "draft")

    def test_names_and_contact_details_refused(self):
        # The case of VpCaseCommon belongs to this counsellor at this organisation.
        for body in (
            f"Een melding van {self.NAME} over de planning.",
            "Jolanda ervaart intimidatie.",
            "Mevrouw VERBEEK is bang.",
            "Neem contact op via iemand@example.nl.",
            "Bel 06-12345678 voor meer informatie.",
        ):
            with self.subTest(body=body):
                signal = self._draft(body=body, confirmed_anonymous=True)
                with self.assertRaises(UserError):
                    signal.action_send()
                self.assertEqual(signal.state, "draft")
        # Words that merely contain a name part are fine.
        signal = self._draft(body="Verbeekstraat-achtige situaties komen niet voor. " + CLEAN, confirmed_anonymous=True)
        signal.action_send()
        self.assertEqual(signal.state, "sent")

    def test_only_own_signals(self):
        signal = self._draft()
        self.assertFalse(self.env["vp.signal"].with_user(self.counsellor2).search([("id", "=", signal.id)]))
        for user in (self.coordinator, self.manager, self.accountant):
            with self.assertRaises(AccessError):
                self.env["vp.signal"].with_user(user).search([])


@tagged("post_install", "-at_install")
class TestReferralsAndPrevention(VpCaseCommon, TransactionCase):
    def test_referrals_on_own_case(self):
        referral = (
            self.env["vp.referral"]
            .with_user(self.counsellor)
            .create({"case_id": self.case.id, "destination": "company_doctor"})
        )
        self.assertEqual(self.case.with_user(self.counsellor).referral_ids, referral)
        self.assertFalse(self.env["vp.referral"].with_user(self.counsellor2).search([("id", "=", referral.id)]))
        for user in (self.coordinator, self.hr, self.manager):
            with self.assertRaises(AccessError):
                self.env["vp.referral"].with_user(user).search([])
        with self.assertRaises(AccessError):
            self.env["vp.referral"].with_user(self.counsellor2).create(
                {"case_id": self.case.id, "destination": "police"}
            )

    def test_prevention_sessions(self):
        session = (
            self.env["vp.prevention.session"]
            .with_user(self.coordinator)
            .create(
                {
                    "name": "Voorlichting",
                    "organisation_id": self.organisation.id,
                    "counsellor_id": self.counsellor.id,
                    "audience_size": 30,
                    "hours": 2.5,
                }
            )
        )
        self.assertIn(session, self.env["vp.prevention.session"].with_user(self.counsellor).search([]))
        with self.assertRaises(ValidationError):
            session.hours = -1
        with self.assertRaises(AccessError):
            self.env["vp.prevention.session"].with_user(self.hr).search([])
