"""Suite-wide rules for running the addon's tests with pytest-odoo.

A skipped test proves nothing: the run fails when any test is skipped (an
HttpCase without --odoo-http, a browser test without Chromium or
websocket-client), so a green run means every test really ran.
"""

import pytest

from odoo.tools import config

# Odoo logs an ERROR when its test framework is imported outside test mode,
# which pytest does while collecting. Test mode only during that import:
# left on, loading the registry would run every module's at_install tests.
_test_enable = config["test_enable"]
config["test_enable"] = True
import odoo.http  # noqa: E402  pylint: disable=wrong-import-position
import odoo.tests.common  # noqa: E402  pylint: disable=wrong-import-position

config["test_enable"] = _test_enable

# A cold Chromium start on a busy 2-core machine can take longer than the 10 s
# Odoo waits for its devtools port, and Odoo then skips the browser test:
# wait up to a minute instead (it goes on as soon as the port answers).
odoo.tests.common.CHECK_BROWSER_ITERATIONS = 600

# Likewise the first page of a tour: Odoo gives Page.navigate 20 s, and a busy
# machine (load 9 and more on 2 cores, seen in this project) serving the page and
# its bundles to a fresh browser can need longer. A minute, ended by the answer.
_websocket_request = odoo.tests.common.ChromeBrowser._websocket_request


def _patient_websocket_request(self, method, *, params=None, timeout=10.0):
    if method == "Page.navigate":
        timeout = max(timeout, 60.0)
    return _websocket_request(self, method, params=params, timeout=timeout)


odoo.tests.common.ChromeBrowser._websocket_request = _patient_websocket_request

# HttpCase.authenticate opens a test session without the login pages, by checking the
# password in a non-interactive (RPC) context. Counsellors, coordinators and HR sign in
# with a second factor, and Odoo then accepts no password over RPC, only an API key of
# theirs (docs/SECOND_FACTOR.md): the test session is opened with one. Signing in with
# the password and the authenticator code through the real login pages is tested in
# tests/test_second_factor.py.
_authenticate = odoo.tests.common.HttpCase.authenticate


def _authenticate_with_api_key(self, user, password, browser=None):
    if user:
        account = self.env["res.users"].search([("login", "=", user)])
        if account and account._rpc_api_keys_only():
            password = self.env["res.users.apikeys"].with_user(account).sudo()._generate(None, "test session", None)
    return _authenticate(self, user, password, browser=browser)


odoo.tests.common.HttpCase.authenticate = _authenticate_with_api_key


@pytest.fixture(scope="session", autouse=True)
def _static_paths_read_once():
    """Read every addon's manifest once, before the test server's threads do.

    Odoo computes the map of static folders lazily, on the first static file
    a request asks for, with ast.literal_eval on each manifest. On CPython
    3.11 the AST constructor's recursion counter is shared between threads,
    so wkhtmltopdf's or Chromium's parallel first fetches can fail with
    "SystemError: AST constructor recursion depth mismatch" (a 500 for the
    stylesheet: a PDF without styles, a blank tour page). Computed here, in
    one thread, it is cached for the whole run.
    """
    if not odoo.http.root.statics:
        raise RuntimeError("Odoo's addons path holds no addon: check the test configuration.")


def pytest_terminal_summary(terminalreporter):
    skipped = terminalreporter.stats.get("skipped", [])
    if skipped:
        terminalreporter.write_line(
            f"FAILED: {len(skipped)} test(s) skipped; every test must run (see the skip reasons above).",
            red=True,
        )


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session, exitstatus):
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if reporter and reporter.stats.get("skipped") and session.exitstatus == 0:
        session.exitstatus = 1
