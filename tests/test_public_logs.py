"""No employee's address is written anywhere by the public pages.

Odoo is served as in production, behind a proxy that forwards the visitor's
address (--proxy-mode, X-Forwarded-For), at the most talkative log level,
once threaded and once with workers (the load benchmark's own server,
benchmarks/load.py), on a copy of the test database. An employee walks every
public page (intake with a refusal and a sent request with a photo, receipt,
inbox with a wrong and the right code, a reply with a photo, the file read
back): her address is nowhere in the log, in the database (the throttles keep
keyed hashes only) or in the stored sessions."""

import importlib.util
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace

import psycopg2

from odoo.tests import BaseCase, tagged
from odoo.tools import config

REPO = Path(__file__).resolve().parent.parent
ADDRESS = "198.18.77.23"  # the benchmarking range: never routed, only ever in a header


def load_benchmark():
    spec = importlib.util.spec_from_file_location("vp_load_benchmark", REPO / "benchmarks" / "load.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def free_port_pair():
    """A port whose next one is free too (the websocket process listens there)."""
    for _attempt in range(50):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        with socket.socket() as first, socket.socket() as second:
            try:
                first.bind(("127.0.0.1", port))
                second.bind(("127.0.0.1", port + 1))
            except OSError:
                continue
        return port
    raise AssertionError("no free pair of ports")


@tagged("post_install", "-at_install")
class TestNoAddressWritten(BaseCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.source = config["db_name"] if isinstance(config["db_name"], str) else config["db_name"][0]
        cls.copy = f"{cls.source}_addresses"
        cls.load = load_benchmark()
        kwargs = cls.load.pg_kwargs()
        connection = psycopg2.connect(dbname="postgres", **kwargs)
        connection.autocommit = True
        with connection.cursor() as cr:
            cr.execute(f'DROP DATABASE IF EXISTS "{cls.copy}" WITH (FORCE)')
            cr.execute(f'CREATE DATABASE "{cls.copy}"')
        connection.close()
        # The test database as installed (what this test run committed: nothing), with its files.
        dump = subprocess.run(
            ["pg_dump", "--no-owner", "-Fc", cls.source], capture_output=True, check=True, env=cls._pg_env()
        )
        subprocess.run(["pg_restore", "--no-owner", "-d", cls.copy], input=dump.stdout, check=True, env=cls._pg_env())
        filestore = Path(config.filestore(cls.source))
        if filestore.exists():
            shutil.copytree(filestore, config.filestore(cls.copy), dirs_exist_ok=True)
        cls.code = cls.load.organisation_code(cls.copy)

    @classmethod
    def tearDownClass(cls):
        connection = psycopg2.connect(dbname="postgres", **cls.load.pg_kwargs())
        connection.autocommit = True
        with connection.cursor() as cr:
            cr.execute(f'DROP DATABASE IF EXISTS "{cls.copy}" WITH (FORCE)')
        connection.close()
        shutil.rmtree(config.filestore(cls.copy), ignore_errors=True)
        super().tearDownClass()

    @staticmethod
    def _pg_env():
        env = dict(os.environ)
        for option, name in (
            ("db_host", "PGHOST"),
            ("db_port", "PGPORT"),
            ("db_user", "PGUSER"),
            ("db_password", "PGPASSWORD"),
        ):
            if config[option]:
                env[name] = str(config[option])
        return env

    def _walk(self, workers):
        args = SimpleNamespace(config=config.rcfile, database=self.copy, port=free_port_pair())
        started = time.time()
        with tempfile.NamedTemporaryFile(prefix="vp-addresses-", suffix=".log", delete=False) as log:
            path = log.name
        try:
            with self.load.Server(args, path, workers=workers, log_level="debug") as server:
                statuses = self.load.walk_public_pages(server, ADDRESS, self.code)
            text = Path(path).read_text(errors="replace")
        finally:
            os.unlink(path)
        self.assertTrue(statuses and all(status in (200, 404, 429) for status in statuses), statuses)
        # The walk is in the log (path, status, query count), without the address.
        self.assertIn('"POST /vertrouwenspersoon/contact HTTP/1.1" 303', text)
        self.assertIn('"POST /vertrouwenspersoon/inbox/reply HTTP/1.1" 303', text)
        self.assertIn(" - - [", text)
        leaks = [line for line in text.splitlines() if ADDRESS in line]
        self.assertEqual(leaks, [], f"the employee's address is in the log ({'workers' if workers else 'threaded'})")
        return started

    def _assert_not_stored(self, since):
        dump = subprocess.run(
            ["pg_dump", "--data-only", "--no-owner", self.copy], capture_output=True, check=True, env=self._pg_env()
        ).stdout
        self.assertNotIn(ADDRESS.encode(), dump, "the employee's address is in the database")
        sessions = Path(config.session_dir)
        touched = [path for path in sessions.rglob("*") if path.is_file() and path.stat().st_mtime >= since - 1]
        self.assertTrue(touched, "the walk left no session to look into")
        for path in touched:
            self.assertNotIn(ADDRESS.encode(), path.read_bytes(), f"the employee's address is in session {path.name}")

    def test_threaded_and_with_workers(self):
        started = self._walk(workers=0)
        self._walk(workers=2)
        self._assert_not_stored(started)
        # The throttles kept what they count with: keyed hashes, not the address.
        with psycopg2.connect(dbname=self.copy, **self.load.pg_kwargs()) as connection, connection.cursor() as cr:
            cr.execute("SELECT COUNT(*) FROM vp_intake_throttle")
            self.assertGreater(cr.fetchone()[0], 0)
        connection.close()
