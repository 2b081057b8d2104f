# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
import secrets

from odoo import SUPERUSER_ID, http
from odoo.http import request

from ..models.vp_case_assignment import INTAKE_LIMITS, new_intake_reference
from .inbox_session import new_receipt_values, receipt_display_values, receipt_errors, remember_receipt_code

_logger = logging.getLogger(__name__)

HONEYPOT = "homepage"
SUBMISSION = "submission"
DONE_URL = "/vertrouwenspersoon/contact/received"
SESSION_PENDING = "vp_intake_pending"
SESSION_DONE = "vp_intake_done"
SESSION_RECEIVED = "vp_intake_received"
MAX_TOKENS = 10
FORM_FIELDS = tuple(INTAKE_LIMITS)
# The employee's choice of counsellor: "", "external", "internal" or an appointment id.
CHOICE_FIELD = "counsellor_choice"


class VpIntake(http.Controller):
    """The public intake page: an employee asks a counsellor for contact.

    Served in the portal layout, without the website module (``website=True``
    is http_routing's flag for frontend pages: language and layout values for
    portal.frontend_layout, as on the portal's own /my pages). Nothing the
    employee types is logged or shown to anyone but the assigned counsellor:
    the request becomes a case whose content is encrypted on creation.
    """

    @http.route("/vertrouwenspersoon/contact", type="http", auth="public", methods=["GET"], website=True, sitemap=False)
    def intake_form(self, code=None, **_kwargs):
        values = {"organisation_code": (code or "")[: INTAKE_LIMITS["organisation_code"]]}
        return self._render_form(values, [])

    # CSRF is checked below rather than by the route, so a stale or forged
    # token gets the form back with a message and the entered values, not a
    # bare "400 Bad Request" that loses what the employee typed.
    @http.route(
        "/vertrouwenspersoon/contact",
        type="http",
        auth="public",
        methods=["POST"],
        csrf=False,
        website=True,
        sitemap=False,
        max_content_length=64 * 1024,
    )
    def intake_submit(self, **post):
        env = request.env
        values = {key: post.get(key) if isinstance(post.get(key), str) else "" for key in FORM_FIELDS}
        values[CHOICE_FIELD] = (post.get(CHOICE_FIELD) if isinstance(post.get(CHOICE_FIELD), str) else "")[:12]
        submission = post.get(SUBMISSION) if isinstance(post.get(SUBMISSION), str) else ""
        # Post-redirect-get with a one-time token (L7): a form already sent
        # (a double click, the browser sending it again) shows the answer it
        # got instead of filing the request twice.
        if submission and submission in request.session.get(SESSION_DONE, {}):
            return request.redirect(DONE_URL, code=303)
        stale = env._("This page was open too long. Please check your answers and send them again.")
        if not request.validate_csrf(post.get("csrf_token")):
            return self._render_form(values, [stale])
        if submission not in request.session.get(SESSION_PENDING, []):
            return self._render_form(values, [stale])
        if post.get(HONEYPOT):
            # A robot filled in the hidden field: it gets the same answer as a
            # person would (a reference that belongs to nothing), and nothing is stored.
            remember_receipt_code(new_receipt_values(env, {})[0])  # a receipt code that opens nothing
            return self._vp_done(submission, new_intake_reference(), "phone")
        cases = env["vp.case"]
        clean, errors = cases._vp_validate_intake(values, accept_unknown_code=True)
        errors += receipt_errors(env, post, clean)
        choice, choice_errors = cases._vp_validate_counsellor_choice(clean["organisation"], values[CHOICE_FIELD])
        errors += choice_errors
        if errors:
            return self._render_form(values, errors)
        # Charged only now (L7): a failed CSRF check or validation costs nothing.
        refusal = env["vp.intake.throttle"]._vp_refusal(request.httprequest.remote_addr, submission)
        if refusal == "duplicate":
            return request.redirect(DONE_URL, code=303)
        if refusal:
            message = (
                env._(
                    "Too many requests came from your connection in the last hour. Please try again "
                    "later, or call the back office."
                )
                if refusal == "address"
                else env._("The page is very busy at the moment. Please try again later, or call the back office.")
            )
            return self._render_form(values, [message], status=429)
        # Superuser, not sudo(): the public user must be able to store the
        # request's content encrypted (vp.encrypted.mixin allows the
        # superuser to write, not to read as anyone). Only the random
        # reference is read back and shown; nothing of the content. An unknown
        # code is stored the same way (as the "unknown organisation"), so the
        # answer and its timing are the same for a code that exists or not.
        # The receipt code (shown once, never stored) opens the reporter's inbox.
        receipt_code, receipt = new_receipt_values(env, post)
        case = cases.with_user(SUPERUSER_ID)._vp_register_request(
            clean["organisation"],
            clean["postcode"],
            "web",
            clean["contact"],
            notes=clean["notes"],
            province=clean["province"],
            receipt=receipt,
            counsellor_choice=choice,
        )
        remember_receipt_code(receipt_code)
        return self._vp_done(submission, case.intake_reference, clean["preferred_channel"])

    def _vp_done(self, submission, reference, channel):
        session = request.session
        session[SESSION_PENDING] = [token for token in session.get(SESSION_PENDING, []) if token != submission]
        done = dict(session.get(SESSION_DONE, {}))
        done[submission] = True
        # The newest few only: enough for a double click, nothing to collect.
        session[SESSION_DONE] = dict(list(done.items())[-MAX_TOKENS:])
        session[SESSION_RECEIVED] = {"reference": reference, "channel": channel}
        return request.redirect(DONE_URL, code=303)

    @http.route(DONE_URL, type="http", auth="public", methods=["GET"], website=True, sitemap=False)
    def intake_done(self, **_kwargs):
        """The answer to a sent request; reloading it sends nothing."""
        received = request.session.get(SESSION_RECEIVED)
        if not received:
            return request.redirect("/vertrouwenspersoon/contact")
        values = {**received, **self._vp_page_values(), **receipt_display_values()}
        response = request.render("vertrouwenspersoon.vp_intake_done", values)
        # The page may show the receipt code: no cache or proxy keeps it.
        response.headers["Cache-Control"] = "no-store"
        return response

    def _vp_page_values(self):
        """What makes the page recognisable: the bureau's name, logo, phone
        number and privacy statement (its company's), nothing of Odoo."""
        # sudo: the public user reads the bureau's own public details only.
        company = request.env.company.sudo()
        return {
            "bureau": company,
            "bureau_phone": company.phone,
            "privacy_url": company.vp_privacy_url,
        }

    def _render_form(self, values, errors, status=200):
        values.setdefault("notify_me", bool(request.params.get("notify_me")))
        limits = request.env["vp.case"]._vp_intake_limits()
        token = secrets.token_urlsafe(24)
        session = request.session
        session[SESSION_PENDING] = [*session.get(SESSION_PENDING, [])[-(MAX_TOKENS - 1) :], token]
        response = request.render(
            "vertrouwenspersoon.vp_intake_page",
            {
                "values": values,
                "errors": errors,
                "limits": limits,
                "honeypot": HONEYPOT,
                "submission": token,
                **self._vp_page_values(),
                **self._vp_choice_values(values),
            },
        )
        response.status_code = status
        return response

    def _vp_choice_values(self, values):
        """The counsellors the employee may choose by name: those the organisation
        of the code names on its intake page (name, photo, introduction only).
        A code that names no organisation, or one that names nobody, shows the
        two general choices only, as every code does."""
        code = (values.get("organisation_code") or "").strip().upper()
        counsellors = []
        if code:
            # sudo: the public page; the organisation with exactly this code and its appointments
            # named on the page, of which only the public profile (name, photo, introduction) is read.
            organisation = request.env["vp.organisation"].sudo().search([("code", "=", code)], limit=1)
            # sudo: as above, the appointments this organisation names on its page.
            appointments = (
                request.env["vp.counsellor.appointment"]
                .sudo()
                .search(
                    [
                        ("organisation_id", "=", organisation.id),
                        ("show_on_intake", "=", True),
                        ("user_id.active", "=", True),
                    ],
                    order="kind, sequence, id",
                )
                if organisation
                else []
            )
            counsellors = [
                {"id": appointment.id, "kind": appointment.kind, **appointment.user_id._vp_public_profile()}
                for appointment in appointments
            ]
        return {"counsellors": counsellors, "counsellor_choice": values.get(CHOICE_FIELD) or ""}
