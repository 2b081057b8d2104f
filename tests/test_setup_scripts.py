"""The README's commands stop with one clear sentence, never a traceback,
when PostgreSQL is not running, wkhtmltopdf is missing or no Odoo source
can be found (bin/lib.sh, shared by bin/run and bin/test)."""

import os
import subprocess
import tempfile
from pathlib import Path

from odoo.tests import BaseCase, tagged

REPO = Path(__file__).resolve().parent.parent


@tagged("post_install", "-at_install")
class TestSetupMessages(BaseCase):
    def _setup(self, **env):
        full_env = {**os.environ, **env}
        return subprocess.run(
            ["bash", "-c", 'source bin/lib.sh && setup_all && echo "set up"'],
            cwd=REPO,
            env=full_env,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )

    def assertOneSentence(self, result, *fragments):
        self.assertEqual(result.returncode, 1, result.stderr)
        lines = [line for line in result.stderr.splitlines() if line.strip()]
        self.assertNotIn("Traceback", result.stderr)
        # At most a progress line ("Cloning ...") before the one sentence that stops it.
        self.assertLessEqual(len(lines), 2, result.stderr)
        for fragment in fragments:
            self.assertIn(fragment, lines[-1])
        self.assertNotIn("set up", result.stdout)

    def test_postgres_not_running(self):
        result = self._setup(PGHOST="/nonexistent-socket-dir", PGPORT="5999")
        self.assertOneSentence(result, "PostgreSQL is not running", "run this again")

    def test_wkhtmltopdf_missing(self):
        result = self._setup(VP_WKHTMLTOPDF="wkhtmltopdf-not-installed")
        self.assertOneSentence(result, "wkhtmltopdf is missing", "apt-get install wkhtmltopdf")

    def test_no_odoo_source_anywhere(self):
        cache = self.enterContext(self._tempdir())
        result = self._setup(
            ODOO_SRC="",
            VP_LOCAL_ODOO_SRC="/nonexistent-odoo-src",
            VP_CACHE_DIR=cache,
            ODOO_GIT_URL="/nonexistent-odoo-repository",
        )
        self.assertOneSentence(result, "No Odoo 18.0 source found", "ODOO_SRC")

    def test_wrong_odoo_src(self):
        result = self._setup(ODOO_SRC="/tmp")
        self.assertOneSentence(result, "is not an Odoo 18.0 source tree")

    @staticmethod
    def _tempdir():
        return tempfile.TemporaryDirectory()
