# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging

from odoo import SUPERUSER_ID, http
from odoo.http import request

from ..models.vp_case_assignment import INTAKE_LIMITS

_logger = logging.getLogger(__name__)

HONEYPOT = "homepage"
FORM_FIELDS = tuple(INTAKE_LIMITS)


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
        if not env["vp.intake.throttle"]._vp_allow(request.httprequest.remote_addr):
            return self._render_form(
                values,
                [
                    env._(
                        "Too many requests came from your connection in the last hour. Please try again "
                        "later, or call the back office."
                    )
                ],
                status=429,
            )
        if not request.validate_csrf(post.get("csrf_token")):
            return self._render_form(
                values, [env._("This page was open too long. Please check your answers and send them again.")]
            )
        if post.get(HONEYPOT):
            # A robot filled in the hidden field: it gets the same answer as a
            # person would, and nothing is stored.
            return request.render("vertrouwenspersoon.vp_intake_done", {"reference": False})
        cases = env["vp.case"]
        clean, errors = cases._vp_validate_intake(values)
        if errors:
            return self._render_form(values, errors)
        # Superuser, not sudo(): the public user must be able to store the
        # request's content encrypted (vp.encrypted.mixin allows the
        # superuser to write, not to read as anyone). Only the case number is
        # read back and shown; nothing of the content.
        case = cases.with_user(SUPERUSER_ID)._vp_register_request(
            clean["organisation"],
            clean["postcode"],
            "web",
            clean["contact"],
            notes=clean["notes"],
            province=clean["province"],
        )
        return request.render(
            "vertrouwenspersoon.vp_intake_done",
            {"reference": case.name, "channel": clean["preferred_channel"]},
        )

    def _render_form(self, values, errors, status=200):
        limits = request.env["vp.case"]._vp_intake_limits()
        response = request.render(
            "vertrouwenspersoon.vp_intake_page",
            {"values": values, "errors": errors, "limits": limits, "honeypot": HONEYPOT},
        )
        response.status_code = status
        return response
