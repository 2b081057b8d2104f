# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Which wkhtmltopdf prints the documents, and so what a document must carry in its body.

Odoo prints a company's header (name, address, logo) and footer (page numbers) as separate
HTML pages that wkhtmltopdf lays over each page (``--header-html``). Only the build "with
patched qt" (0.12.6.1, which Odoo's Docker image ships) does that; Debian's and Ubuntu's
package (0.12.6, unpatched) ignores them silently, and an invoice then has no sender."""

import functools
import subprocess

from odoo.addons.base.models.ir_actions_report import _get_wkhtmltopdf_bin


@functools.cache
def prints_headers():
    """Whether this server's wkhtmltopdf prints Odoo's header and footer pages."""
    try:
        result = subprocess.run(
            [_get_wkhtmltopdf_bin(), "--version"], capture_output=True, text=True, timeout=10, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return False
    return "patched qt" in (result.stdout + result.stderr).lower()
