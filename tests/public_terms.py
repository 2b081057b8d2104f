"""The terms of the public pages (intake, receipt, inbox, the reporter's
e-mail): every string their templates show, and the strings of the code
that answers on them (controllers, file cleaning, the inbox's words and
e-mail, the intake's and inbox's error messages). These must be translated
in every public language (controllers/public_page.py, PUBLIC_LANGS)."""

import ast
from pathlib import Path

ADDON = Path(__file__).resolve().parent.parent / "vertrouwenspersoon"

PUBLIC_VIEWS = {
    "vertrouwenspersoon.vp_frontend_skip_link",
    "vertrouwenspersoon.vp_intake_header",
    "vertrouwenspersoon.vp_intake_footer",
    "vertrouwenspersoon.vp_intake_page",
    "vertrouwenspersoon.vp_intake_done",
    "vertrouwenspersoon.vp_inbox_code_page",
    "vertrouwenspersoon.vp_inbox_thread_page",
}
# Whole files, or the functions of a file, whose messages reach the public pages.
PUBLIC_CODE = {
    "controllers/intake.py": None,
    "controllers/inbox.py": None,
    "controllers/inbox_session.py": None,
    "controllers/public_page.py": None,
    "models/intake/vp_file_cleaner.py": None,
    "models/intake/vp_case_message.py": {"_vp_post_reply", "_vp_reporter_file"},
    "models/cases/vp_case.py": {"_vp_inbox_summary", "_vp_notify_reporter"},
    "models/intake/intake_validation.py": {"validate_intake", "intake_labels", "validate_counsellor_choice"},
}


def _literal_calls(tree):
    """The first string argument of every ``_(...)`` / ``env._(...)`` / ``_lt(...)`` call."""
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        first = node.args[0]
        if name in ("_", "_lt") and isinstance(first, ast.Constant) and isinstance(first.value, str):
            yield first.value


def code_terms():
    """Source strings of the public code."""
    terms = set()
    for relative, functions in PUBLIC_CODE.items():
        tree = ast.parse((ADDON / relative).read_text())
        if functions is None:
            terms |= set(_literal_calls(tree))
            continue
        found = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name in functions:
                terms |= set(_literal_calls(node))
                found.add(node.name)
        missing = functions - found
        if missing:
            raise AssertionError(f"{relative} has no {sorted(missing)} any more: update tests/public_terms.py")
    return terms


def view_terms(pot_entries):
    """Source strings of the public templates, from the catalogue template's references."""
    return {
        entry.msgid
        for entry in pot_entries
        if any(
            occurrence.startswith("model_terms:ir.ui.view,arch_db:") and occurrence.split(":", 2)[2] in PUBLIC_VIEWS
            for occurrence, _line in entry.occurrences
        )
    }


def public_terms(pot_entries):
    return view_terms(pot_entries) | code_terms()
