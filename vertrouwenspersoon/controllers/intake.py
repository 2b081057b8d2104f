# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
import secrets

from odoo import SUPERUSER_ID, http
from odoo.exceptions import UserError
from odoo.http import request

from ..const import INTAKE_LIMITS, MAX_FILE_BYTES, MAX_INTAKE_FILES
from ..models.intake.intake_validation import CONTROL_RE, new_intake_reference
from . import public_page
from .inbox_session import new_receipt_values, receipt_display_values, receipt_errors, remember_receipt_code
from .public_page import public_post

_logger = logging.getLogger(__name__)

HONEYPOT = "homepage"
SUBMISSION = "submission"
DONE_URL = "/vertrouwenspersoon/contact/received"
UPDATE_URL = "/vertrouwenspersoon/contact/update"
# Left out when the reporter chose the inbox alone: she leaves no way to reach her.
CONTACT_FIELDS = ("employee_name", "employee_phone", "employee_email", "preferred_time")
SESSION_PENDING = "vp_intake_pending"
SESSION_DONE = "vp_intake_done"
SESSION_RECEIVED = "vp_intake_received"
MAX_TOKENS = 10
FORM_FIELDS = tuple(INTAKE_LIMITS)
# The employee's choice of counsellor: "", "external", "internal" or an appointment id.
CHOICE_FIELD = "counsellor_choice"
FILES_FIELD = "files"
# The reporter chose, after being told, to send files that cannot be cleaned as they are.
KEEP_UNCLEANED_FIELD = "keep_uncleaned"
MAX_INTAKE_BODY = 64 * 1024 + MAX_INTAKE_FILES * (MAX_FILE_BYTES + 4 * 1024)


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
    @public_post("/vertrouwenspersoon/contact", max_content_length=MAX_INTAKE_BODY)
    def intake_submit(self, **post):
        env = request.env
        values = self._vp_posted_values(post)
        if values.get("preferred_channel") == "inbox":
            values.update(dict.fromkeys(CONTACT_FIELDS, ""))
            post.pop("notify_me", None)
        submission = post.get(SUBMISSION) if isinstance(post.get(SUBMISSION), str) else ""
        # Post-redirect-get with a one-time token: a form already sent
        # (a double click, the browser sending it again) shows the answer it
        # got instead of filing the request twice.
        if submission and submission in request.session.get(SESSION_DONE, {}):
            return request.redirect(public_page.localized(DONE_URL), code=303)
        stale = env._("This page was open too long. Please check your answers and send them again.")
        if not request.validate_csrf(post.get("csrf_token")):
            return self._render_form(values, [stale])
        if submission not in request.session.get(SESSION_PENDING, []):
            return self._render_form(values, [stale])
        if post.get(HONEYPOT):
            # A robot filled in the hidden field: it gets the same answer as a
            # person would (a reference that belongs to nothing), and nothing is stored.
            remember_receipt_code(new_receipt_values(env, {})[0])  # a receipt code that opens nothing
            return self._vp_done(submission, new_intake_reference(), "phone", "")
        cases = env["vp.case"]
        clean, errors = cases._vp_validate_intake(values, accept_unknown_code=True)
        errors += receipt_errors(env, post, clean)
        choice, choice_errors = cases._vp_validate_counsellor_choice(clean["organisation"], values[CHOICE_FIELD])
        errors += choice_errors
        files, file_errors, notices = self._vp_intake_files(bool(post.get(KEEP_UNCLEANED_FIELD)))
        errors += file_errors
        if errors:
            return self._render_form(values, errors, offer_keep_uncleaned=bool(file_errors))
        # Charged only now: a failed CSRF check or validation costs nothing.
        refusal = env["vp.intake.throttle"]._vp_refusal(request.httprequest.remote_addr, submission)
        if refusal == "duplicate":
            return request.redirect(public_page.localized(DONE_URL), code=303)
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
        # What the request writes for the bureau (notes, assignment note, activities) is in the
        # bureau's language, whatever the page's.
        case = (
            cases.with_user(SUPERUSER_ID)
            .with_context(lang=self._vp_bureau_lang())
            ._vp_register_request(
                clean["organisation"],
                clean["postcode"],
                "web",
                clean["contact"],
                notes=self._vp_counsellor_notes(clean, values),
                province=clean["province"],
                receipt=receipt,
                counsellor_choice=choice,
            )
        )
        if files:
            # The files (cleaned above) join the reporter's thread, sealed under the case's key
            # as the reporter's code opens it (the same key the counsellor's grant opens).
            receipt_record, private_key = env["vp.case.receipt"]._vp_open(receipt_code)
            env["vp.case.message"]._vp_store_reporter_messages(
                case,
                receipt_record._vp_data_key(private_key),
                [{"body": "", "file": cleaned} for cleaned in files],
            )
        remember_receipt_code(receipt_code, notices)
        return self._vp_done(
            submission, case.intake_reference, clean["preferred_channel"], "named" if choice and choice["user"] else ""
        )

    # The language switch and "show the counsellors" send the form here: it comes
    # back as typed (in the language of the URL), and nothing is filed or counted.
    @public_post(UPDATE_URL, max_content_length=64 * 1024)
    def intake_update(self, **post):
        values = {key: value[: INTAKE_LIMITS.get(key, 12)] for key, value in self._vp_posted_values(post).items()}
        values["notify_me"] = bool(post.get("notify_me"))
        return self._render_form(values, [])

    @staticmethod
    def _vp_posted_values(post):
        values = {key: post.get(key) if isinstance(post.get(key), str) else "" for key in FORM_FIELDS}
        values[CHOICE_FIELD] = (post.get(CHOICE_FIELD) if isinstance(post.get(CHOICE_FIELD), str) else "")[:12]
        return values

    @staticmethod
    def _vp_bureau_lang():
        """The bureau's language: the administrator's default for contacts, else Dutch."""
        # sudo: a setting of the database, no personal data.
        default = request.env["ir.default"].sudo()._get("res.partner", "lang")
        return default or ("nl_NL" if request.env["res.lang"]._get_data(code="nl_NL").active else request.env.lang)

    @staticmethod
    def _vp_counsellor_notes(clean, values):
        """The request's notes in the bureau's language (the reporter's own words as
        she wrote them): the page may have been in another language."""
        lang = VpIntake._vp_bureau_lang()
        if lang == request.env.lang:
            return clean["notes"]
        return (
            request.env["vp.case"]
            .with_context(lang=lang)
            ._vp_intake_notes(
                clean["preferred_channel"],
                CONTROL_RE.sub("", values.get("preferred_time") or "").strip(),
                CONTROL_RE.sub("", values.get("message") or "").strip(),
            )
        )

    def _vp_intake_files(self, keep_uncleaned):
        """([(name, cleaned bytes)], errors, reports) of the files sent with the request:
        cleaned here (vp.case.message._vp_reporter_file), so that a file that cannot be
        cleaned is refused before anything is stored."""
        env = request.env
        uploads = [upload for upload in request.httprequest.files.getlist(FILES_FIELD) if upload and upload.filename]
        if len(uploads) > MAX_INTAKE_FILES:
            return [], [env._("Send at most %(count)s files.", count=MAX_INTAKE_FILES)], []
        files, errors, notices = [], [], []
        for upload in uploads:
            data = upload.read(MAX_FILE_BYTES + 1)
            if not data:
                continue
            try:
                name, cleaned, report = env["vp.case.message"]._vp_reporter_file(upload.filename, data, keep_uncleaned)
            except UserError as refusal:
                errors.append(refusal.args[0])
                continue
            files.append((name, cleaned))
            notices.append(report)
        if errors:
            errors.append(env._("Your files were not sent: choose them again."))
        return files, errors, notices

    def _vp_done(self, submission, reference, channel, choice):
        session = request.session
        session[SESSION_PENDING] = [token for token in session.get(SESSION_PENDING, []) if token != submission]
        done = dict(session.get(SESSION_DONE, {}))
        done[submission] = True
        # The newest few only: enough for a double click, nothing to collect.
        session[SESSION_DONE] = dict(list(done.items())[-MAX_TOKENS:])
        # The reference is the back office's, not the reporter's: her one code is the receipt code.
        session[SESSION_RECEIVED] = {"reference": reference, "channel": channel, "choice": choice}
        return request.redirect(public_page.localized(DONE_URL), code=303)

    @http.route(DONE_URL, type="http", auth="public", methods=["GET"], website=True, sitemap=False)
    def intake_done(self, **_kwargs):
        """The answer to a sent request; reloading it sends nothing."""
        received = request.session.get(SESSION_RECEIVED)
        if not received:
            return request.redirect(public_page.localized("/vertrouwenspersoon/contact"))
        values = {
            **received,
            **self._vp_page_values(),
            **receipt_display_values(),
            "saved_action": public_page.in_lang("/vertrouwenspersoon/contact/receipt-saved", request.lang),
        }
        values["receipt_line"] = request.env._(
            "Received by %(bureau)s on %(date)s.", bureau=values["bureau"].name, date=values.get("receipt_date") or ""
        )
        response = request.render("vertrouwenspersoon.vp_intake_done", values)
        # The page may show the receipt code: no cache or proxy keeps it.
        response.headers["Cache-Control"] = "no-store"
        return response

    def _vp_page_values(self, update_path=None):
        """What makes the page recognisable: the bureau's name, logo, phone
        number and privacy statement (its company's), nothing of Odoo; and
        the language switch."""
        return public_page.page_values(update_path)

    def _render_form(self, values, errors, status=200, offer_keep_uncleaned=False):
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
                "offer_keep_uncleaned": offer_keep_uncleaned,
                "files_help": request.env._(
                    "At most %(count)s files of 2 MB each: photos, PDF or office documents.", count=MAX_INTAKE_FILES
                ),
                "form_action": public_page.in_lang("/vertrouwenspersoon/contact", request.lang),
                "update_action": public_page.in_lang(UPDATE_URL, request.lang),
                **self._vp_page_values(UPDATE_URL),
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
