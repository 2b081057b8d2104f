# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The reporter's inbox: the receipt code opens the thread with the counsellor.

- The code is typed into a POST form only: it never is in a URL, and nothing
  here logs it (the server log shows the path, never the form).
- An opened inbox rests in the public session only wrapped under a random
  secret held by the browser in an HttpOnly, SameSite=Strict cookie (as the
  counsellor's vault, vault/session.py): the session store alone opens
  nothing. It locks after 15 minutes idle, or with *Close the inbox*.
- The code shown after the intake rests the same way (wrapped, the secret in
  the browser) until the employee ticks that they saved it.
"""

import base64
import logging
import secrets
import time

from odoo import http
from odoo.exceptions import UserError
from odoo.http import request

from ..const import MAX_BODY
from ..models.intake.vp_file_cleaner import VpFileRefused
from ..tools import receipt as receipt_tools
from ..vault import keyring
from . import public_page
from .inbox_session import (
    COOKIE_INBOX,
    COOKIE_RECEIPT,
    SESSION_INBOX,
    SESSION_RECEIPT,
    cookie_secret,
    forget,
    secret_cookie,
)
from .public_page import public_post

_logger = logging.getLogger(__name__)

INBOX_URL = "/vertrouwenspersoon/inbox"
IDLE_SECONDS = 15 * 60
MAX_UPLOAD = 3 * 1024 * 1024


class VpInbox(http.Controller):
    """``/vertrouwenspersoon/inbox``: public, in the intake page's layout."""

    def _page_values(self):
        lang = request.lang
        return {
            **public_page.page_values(f"{INBOX_URL}/update"),
            "open_action": public_page.in_lang(f"{INBOX_URL}/open", lang),
            "reply_action": public_page.in_lang(f"{INBOX_URL}/reply", lang),
            "close_action": public_page.in_lang(f"{INBOX_URL}/close", lang),
            "file_url": f"{INBOX_URL}/file",
        }

    def _render(self, template, values, status=200):
        response = request.render(template, {**self._page_values(), **values})
        response.status_code = status
        # Nothing of an inbox is kept by the browser or a proxy.
        response.headers["Cache-Control"] = "no-store"
        response.headers["Referrer-Policy"] = "no-referrer"
        return response

    def _render_code_form(self, errors=(), status=200, typed_code=""):
        return self._render(
            "vertrouwenspersoon.vp_inbox_code_page", {"errors": list(errors), "typed_code": typed_code}, status=status
        )

    def _redirect_to_inbox(self):
        return request.redirect(public_page.localized(INBOX_URL), code=303)

    # ------------------------------------------------------------------
    # The opened inbox of this browser
    # ------------------------------------------------------------------
    def _opened(self):
        """(receipt, private key) of the inbox opened in this browser, or (None, None)."""
        stored = request.session.get(SESSION_INBOX)
        secret = cookie_secret(COOKIE_INBOX)
        if not isinstance(stored, dict) or not secret:
            return None, None
        if time.time() - stored.get("last_used", 0) > IDLE_SECONDS:
            request.session.pop(SESSION_INBOX, None)
            return None, None
        try:
            aad = f"vp-inbox-session:{stored['receipt']}:{stored['id']}".encode()
            private_key = keyring.unwrap_for_session(stored["key"], secret, aad)
        except (keyring.VaultError, KeyError, TypeError, ValueError):
            return None, None
        # sudo: the receipt this browser opened with its code; its key was checked just above.
        receipt = request.env["vp.case.receipt"].sudo().browse(stored["receipt"]).exists()
        if not receipt or not receipt_tools.same_public_key(private_key, receipt.public_key) or not receipt._vp_valid():
            # Shredded or revoked meanwhile, or its giver's access ended: the code opens nothing any more.
            request.session.pop(SESSION_INBOX, None)
            return None, None
        stored["last_used"] = time.time()
        request.session.touch()
        return receipt, private_key

    def _store_opened(self, receipt, private_key):
        secret = keyring.new_session_secret()
        entry_id = secrets.token_hex(8)
        aad = f"vp-inbox-session:{receipt.id}:{entry_id}".encode()
        request.session[SESSION_INBOX] = {
            "id": entry_id,
            "receipt": receipt.id,
            "key": keyring.wrap_for_session(private_key, secret, aad),
            "last_used": time.time(),
        }
        secret_cookie(COOKIE_INBOX, secret)

    # ------------------------------------------------------------------
    # Routes
    # ------------------------------------------------------------------
    @http.route(INBOX_URL, type="http", auth="public", methods=["GET"], website=True, sitemap=False)
    def inbox(self, **_kwargs):
        return self._inbox_page()

    def _inbox_page(self, draft="", typed_code=""):
        receipt, private_key = self._opened()
        if not receipt:
            return self._render_code_form(typed_code=typed_code)
        env = request.env
        data_key = receipt._vp_data_key(private_key)
        case = receipt.case_id
        thread = env["vp.case.message"]._vp_thread(case, data_key)
        return self._render(
            "vertrouwenspersoon.vp_inbox_thread_page",
            {
                "thread": [self._readable(message) for message in thread],
                "summary": self._readable_summary(case._vp_inbox_summary()),
                "draft": draft,
                "errors": request.session.pop("vp_inbox_errors", None) or [],
                "notices": [
                    env["vp.file.cleaner"]._vp_notice(report)
                    for report in request.session.pop("vp_inbox_notices", None) or []
                ],
                "offer_keep_uncleaned": request.session.pop("vp_inbox_offer_keep", False),
                "max_body": MAX_BODY,
            },
        )

    @staticmethod
    def _readable(message):
        """A message of the thread with its heading in the reader's language and Dutch time.
        The counsellor's words stay as she wrote them."""
        env = request.env
        sent = public_page.dutch_datetime(message["sent_on"])
        if message["author"] == "reporter":
            heading = env._("You wrote, %(when)s", when=sent)
        elif message["signature"]:
            heading = env._("%(name)s wrote, %(when)s", name=message["signature"], when=sent)
        else:
            heading = env._("Your counsellor wrote, %(when)s", when=sent)
        return {**message, "heading": heading}

    @staticmethod
    def _readable_summary(summary):
        """The status and the Wbk dates in the reader's language (days in Dutch time)."""
        env = request.env
        day = {
            key: public_page.dutch_date(summary[key])
            for key in ("received_on", "ack_deadline", "acknowledged_on", "feedback_deadline", "feedback_on")
        }

        def clock(given, deadline):
            if day[given]:
                return env._("given on %(date)s", date=day[given])
            return env._("by %(date)s", date=day[deadline]) if day[deadline] else ""

        return {
            **summary,
            **day,
            "ack_text": clock("acknowledged_on", "ack_deadline"),
            "feedback_text": clock("feedback_on", "feedback_deadline"),
        }

    # The language switch sends the page's form here: it comes back in the language of
    # the URL with what was typed (the message not sent, the code not tried).
    @public_post(f"{INBOX_URL}/update", max_content_length=64 * 1024)
    def inbox_update(self, **post):
        draft = post.get("body") if isinstance(post.get("body"), str) else ""
        code = post.get("code") if isinstance(post.get("code"), str) else ""
        return self._inbox_page(draft=draft[:MAX_BODY], typed_code=code[:40])

    # CSRF is checked below rather than by the route, so a stale or forged
    # token gets the page back with a message, not a bare 400.
    @public_post(f"{INBOX_URL}/open", max_content_length=4 * 1024)
    def inbox_open(self, **post):
        env = request.env
        if not request.validate_csrf(post.get("csrf_token")):
            return self._render_code_form([env._("This page was open too long. Please type your receipt code again.")])
        refusal = env["vp.inbox.throttle"]._vp_refusal(request.httprequest.remote_addr)
        if refusal:
            message = (
                env._("Too many codes were tried from your connection in the last hour. Please try again later.")
                if refusal == "address"
                else env._("The inbox is very busy at the moment. Please try again later.")
            )
            return self._render_code_form([message], status=429)
        code = post.get("code") if isinstance(post.get("code"), str) else ""
        receipt, private_key = env["vp.case.receipt"]._vp_open(code)
        if not receipt:
            return self._render_code_form(
                [
                    env._(
                        "This code does not open an inbox. Check that you typed all 20 characters (letters and "
                        "digits; there is no O, I, 0 or 1 in a code). A lost code cannot be recovered; if the case "
                        "was closed and erased, its code no longer works."
                    )
                ]
            )
        self._store_opened(receipt, private_key)
        return self._redirect_to_inbox()

    @public_post(f"{INBOX_URL}/reply", max_content_length=MAX_UPLOAD)
    def inbox_reply(self, **post):
        env = request.env
        receipt, private_key = self._opened()
        if not receipt:
            return self._render_code_form([env._("Your inbox was closed. Type your receipt code to open it again.")])
        if not request.validate_csrf(post.get("csrf_token")):
            request.session["vp_inbox_errors"] = [env._("This page was open too long. Please send your message again.")]
            return self._redirect_to_inbox()
        upload = post.get("file")
        file_name, file_bytes = None, None
        if upload is not None and hasattr(upload, "read"):
            file_bytes = upload.read() or None
            file_name = upload.filename
        body = post.get("body") if isinstance(post.get("body"), str) else ""
        keep_uncleaned = bool(post.get("keep_uncleaned"))
        try:
            _message, report = env["vp.case.message"]._vp_post_reply(
                receipt.case_id, receipt._vp_data_key(private_key), body, file_name, file_bytes, keep_uncleaned
            )
            receipt._vp_mark_used()
        except VpFileRefused as refusal:
            # She may send it as it is, once told. The message names no file: the session
            # store keeps it until the next page.
            request.session["vp_inbox_errors"] = [
                env["vp.file.cleaner"]._vp_refusal(env._("Your file"), refusal.kind),
                env._("Your message was not sent. Choose the file again, or send your message without it."),
            ]
            request.session["vp_inbox_offer_keep"] = True
        except UserError as error:
            request.session["vp_inbox_errors"] = [str(error.args[0])]
        else:
            if report:
                # The report names no file: the session store keeps it until the next page.
                request.session["vp_inbox_notices"] = [{**report, "name": ""}]
            # sudo: the language of the page she wrote on, for her counsellor and her e-mail notice.
            receipt.sudo().lang = request.lang.code
        return self._redirect_to_inbox()

    @http.route(f"{INBOX_URL}/file/<int:message_id>", type="http", auth="public", methods=["GET"], sitemap=False)
    def inbox_file(self, message_id, **_kwargs):
        receipt, private_key = self._opened()
        found = (
            request.env["vp.case.message"]._vp_file(receipt.case_id, receipt._vp_data_key(private_key), message_id)
            if receipt
            else None
        )
        if not found:
            return request.not_found()
        return self._file_response(*found)

    @public_post(f"{INBOX_URL}/close", max_content_length=4 * 1024)
    def inbox_close(self, **_post):
        # Closing needs no token: it only forgets, and a forged close costs the reporter one typing of the code.
        forget(SESSION_INBOX, COOKIE_INBOX)
        return self._redirect_to_inbox()

    # ------------------------------------------------------------------
    # After the intake: the employee saved their code
    # ------------------------------------------------------------------
    @public_post("/vertrouwenspersoon/contact/receipt-saved", max_content_length=4 * 1024)
    def receipt_saved(self, **post):
        if post.get("saved") and request.validate_csrf(post.get("csrf_token")):
            forget(SESSION_RECEIPT, COOKIE_RECEIPT)
        return request.redirect(public_page.localized("/vertrouwenspersoon/contact/received"), code=303)

    # ------------------------------------------------------------------
    # The counsellor's download of a reporter's file (in her unlocked session)
    # ------------------------------------------------------------------
    @http.route("/vertrouwenspersoon/message/<int:message_id>/file", type="http", auth="user", methods=["GET"])
    def counsellor_file(self, message_id, **_kwargs):
        # The ORM decides: record rule (the case's readers), the sealed field's reader check and the vault.
        message = request.env["vp.case.message"].browse(message_id).exists()
        if not message or not message.file_data:
            return request.not_found()
        return self._file_response(message.file_name or "bestand", base64.b64decode(message.file_data))

    @staticmethod
    def _file_response(name, data):
        return request.make_response(
            data,
            headers=[
                ("Content-Type", "application/octet-stream"),
                ("Content-Disposition", http.content_disposition(name)),
                ("Cache-Control", "no-store"),
                ("X-Content-Type-Options", "nosniff"),
            ],
        )
