# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What every public page (intake, receipt, inbox) shows around its content:
the bureau, the language switch, and links and form actions in the reader's
language.

The language is Odoo's frontend language (http_routing): the one in the URL
(``/pl/vertrouwenspersoon/contact``), else the one chosen before (a cookie),
else the browser's, else Dutch. The pages exist in the six languages below,
where they are installed (bin/run, bin/test and docker-compose load them)."""

import datetime

import babel.dates

from odoo import http
from odoo.http import request
from odoo.tools.misc import babel_locale_parse

from ..const import to_dutch

PUBLIC_LANGS = ("nl_NL", "en_US", "pl_PL", "tr_TR", "ar_001", "uk_UA")
# The languages' own names: a reader finds hers without reading the page's language.
LANG_NAMES = {
    "nl_NL": "Nederlands",
    "en_US": "English",
    "pl_PL": "Polski",
    "tr_TR": "Türkçe",
    "ar_001": "العربية",
    "uk_UA": "Українська",
}
INTAKE_PATH = "/vertrouwenspersoon/contact"
INBOX_PATH = "/vertrouwenspersoon/inbox"


def public_langs():
    """The installed public languages, in the switch's order: [LangData]."""
    installed = request.env["res.lang"]._get_active_by("code")
    return [installed[code] for code in PUBLIC_LANGS if code in installed]


def localized(path):
    """``path`` in the page's language (its prefix when not the default language)."""
    return request.env["ir.http"]._url_lang(path)


def in_lang(path, lang):
    """``path`` with ``lang``'s prefix, even for the default language: a form sent
    there is answered in that language whatever the cookie says."""
    return f"/{lang.url_code}{path}"


def current_lang():
    return request.lang.code if getattr(request, "lang", None) else request.env.lang


def page_values(update_path=None):
    """Values of the public layout: the bureau, the language switch (a form on the
    page is sent to ``update_path`` in the chosen language), and the inbox's links."""
    # sudo: the public user reads the bureau's own public details only.
    company = request.env.company.sudo()
    lang = request.env["res.lang"]._get_data(code=current_lang())
    base = request.httprequest.url_root.rstrip("/")
    return {
        "bureau": company,
        "bureau_phone": company.phone,
        "privacy_url": company.vp_privacy_url,
        "vp_html_data": {"lang": (lang.code or "nl_NL").replace("_", "-"), "dir": lang.direction or "ltr"},
        "vp_lang_label": request.env._("Choose your language"),
        "vp_langs": [
            {
                "code": other.code,
                "iso": other.code.replace("_", "-"),
                "name": LANG_NAMES.get(other.code, other.name),
                "current": other.code == lang.code,
                "url": in_lang(_path_without_lang(), other),
                "update_url": in_lang(update_path, other) if update_path else None,
            }
            for other in public_langs()
        ],
        # The inbox's full address, as the reporter would type it later (and print it).
        "inbox_url": base + INBOX_PATH,
        "intake_url": localized(INTAKE_PATH),
        "copied_label": request.env._("Copied"),
    }


def _path_without_lang():
    """The path of this request without a language prefix (Odoo rerouted it already)."""
    path = request.httprequest.path
    for lang in public_langs():
        prefix = f"/{lang.url_code}/"
        if path.startswith(prefix):
            return path[len(prefix) - 1 :]
    return path


def _babel_locale():
    return babel_locale_parse(current_lang())


def dutch_datetime(value):
    """A moment (naive UTC) as the reader writes it, in Dutch time: day, month, year, hours and minutes."""
    if not value:
        return ""
    moment = to_dutch(value)
    locale = _babel_locale()
    day = babel.dates.format_skeleton("yMMMd", moment.date(), locale=locale)
    return f"{day} {babel.dates.format_time(moment, 'short', tzinfo=moment.tzinfo, locale=locale)}"


def dutch_date(value):
    """A day (a date, or the day of a naive UTC moment in Dutch time) as the reader writes it."""
    if not value:
        return ""
    if isinstance(value, datetime.datetime):
        value = to_dutch(value).date()
    return babel.dates.format_skeleton("yMMMd", value, locale=_babel_locale())


def public_post(url, max_content_length):
    """A form post of the public pages. The handler checks the CSRF token itself where
    the post changes anything, so a stale or forged token gets the page back with a
    message, not a bare 400; the body is bounded, and no post is in the sitemap."""
    return http.route(
        url,
        type="http",
        auth="public",
        methods=["POST"],
        csrf=False,
        website=True,
        sitemap=False,
        max_content_length=max_content_length,
    )
