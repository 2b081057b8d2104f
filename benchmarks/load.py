"""Load benchmark of a multi-process Odoo with the addon (and the CI's smoke check).

Builds a scratch database (the addon and its demo data, plus four counsellors
with cases of one client organisation), starts Odoo as an operator would,
with ``--workers 4 --proxy-mode`` and its websocket (gevent) process, and
runs, on 127.0.0.1 only, bounded in count and time:

1. the websocket: an upgrade on the gevent port answers, and a ping is ponged;
2. intake submissions at 1, 4 and 16 at once, each with its own forwarded
   address (the rate limit counts per address; the addresses are from the
   benchmarking range 198.18.0.0/15 and only ever appear in a header). Each
   follows the form as a browser does: GET the page, take every input of the
   form (CSRF token and any other hidden token), POST, follow redirects;
3. four counsellors saving cases of one organisation at once (a counted
   field of the case, and a new meeting, over JSON-RPC);
4. the monthly invoicing job (run from the scheduler's own entry point) while
   four counsellors log hours of the month being invoiced and of this month.

For each it prints throughput, p50/p95 latency, rows stored against rows
sent, and the serialization failures and errors in the server log (those on
the addon's own tables apart). Targets: every row stored exactly once, no
error, no serialization failure on the addon's tables at 16 at once, p95 at
16 at once at most 3x p95 at 1. The server is stopped and the scratch
database dropped at the end (``--keep`` keeps it).

    VENV=~/.cache/vertrouwenspersoon/venv
    $VENV/bin/python benchmarks/load.py -c ~/.cache/vertrouwenspersoon/odoo-<hash>.conf

``--two-nodes TEMPLATE`` runs ``benchmarks/two_nodes.py`` instead: two nodes
on a copy of TEMPLATE behind nginx (docs/BENCHMARKS.md, *Two nodes*).

``--smoke -d DB`` is the CI's check instead (under a minute): on an existing
database with the addon installed, start Odoo with ``--workers 2
--proxy-mode``, check the websocket answers and that one intake submission is
stored, and exit non-zero otherwise.
"""

import argparse
import concurrent.futures
import json
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from urllib.parse import urljoin

import lxml.html
import psycopg2
import requests
import websocket

HOST = "127.0.0.1"  # the only address this benchmark sends anything to
INTAKE_LEVELS = (1, 4, 16)
INTAKE_PER_LEVEL = {1: 24, 4: 48, 16: 128}
PHASE_SECONDS = 180  # each phase stops submitting after this, whatever is left
REQUEST_TIMEOUT = 60
COUNSELLORS = 4
SAVES_PER_COUNSELLOR = 20
HOURS_PER_COUNSELLOR = 20
INTAKE_FORM = "/vertrouwenspersoon/contact"
REPO = Path(__file__).resolve().parent.parent


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-c", "--config", required=True, help="Odoo configuration file (addons_path incl. this addon)")
    parser.add_argument("-d", "--database", default="vp_load", help="scratch database (dropped and rebuilt)")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--port", type=int, default=int(os.environ.get("VP_LOAD_PORT", "8179")))
    parser.add_argument("--smoke", action="store_true", help="the CI's check on an existing database")
    parser.add_argument(
        "--two-nodes",
        metavar="TEMPLATE",
        help="instead: two nodes behind nginx on a copy of TEMPLATE (benchmarks/two_nodes.py, --port for nginx)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    parser.add_argument(
        "--intake-only", action="store_true", help="run the intake phases only (the counsellors' phases are skipped)"
    )
    parser.add_argument(
        "--no-files",
        action="store_true",
        help="send no files with the intake even when the form takes them (as before the intake took files)",
    )
    return parser.parse_args()


def pg_kwargs():
    env = (("host", "PGHOST"), ("port", "PGPORT"), ("user", "PGUSER"), ("password", "PGPASSWORD"))
    return {key: os.environ[name] for key, name in env if os.environ.get(name)}


def sql(database, query, params=None):
    with psycopg2.connect(dbname=database, **pg_kwargs()) as conn, conn.cursor() as cr:
        cr.execute(query, params)
        rows = cr.fetchall() if cr.description else None
    conn.close()
    return rows


def odoo_bin(config, *args):
    import odoo  # noqa: PLC0415 - only to find odoo-bin beside the package

    return [sys.executable, str(Path(odoo.__file__).resolve().parent.parent / "odoo-bin"), "-c", config, *args]


# ----------------------------------------------------------------------
# Scratch database
# ----------------------------------------------------------------------
def build_database(args, log):
    conn = psycopg2.connect(dbname="postgres", **pg_kwargs())
    conn.autocommit = True
    conn.cursor().execute(f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)')
    conn.close()
    print(f"Building scratch database {args.database} (the addon and its demo data) ...", flush=True)
    subprocess.run(
        odoo_bin(args.config, "-d", args.database, "-i", "vertrouwenspersoon", "--stop-after-init", "--logfile", log),
        check=True,
    )
    prepare(args)


def prepare(args):
    """Four counsellors (password = login) with cases of one client organisation."""
    import odoo  # noqa: PLC0415
    from odoo import SUPERUSER_ID, api  # noqa: PLC0415

    odoo.tools.config.parse_config(["-c", args.config])
    registry = odoo.modules.registry.Registry(args.database)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        organisation = env.ref("vertrouwenspersoon.organisation_zorggroep")
        region = env.ref("vertrouwenspersoon.region_zuid")
        unit = env.ref("vertrouwenspersoon.bu_linde_thuiszorg")
        group = env.ref("vertrouwenspersoon.group_counsellor")
        for index in range(COUNSELLORS):
            login = f"vp_load_{index}"
            user = env["res.users"].create(
                {
                    "name": f"Load counsellor {index}",
                    "login": login,
                    "password": login,
                    "groups_id": [(6, 0, group.ids)],
                }
            )
            env["hr.employee"].create({"name": user.name, "user_id": user.id})
            organisation.counsellor_ids = [(4, user.id)]
            env["vp.case"].create(
                [
                    {
                        "organisation_id": organisation.id,
                        "region_id": region.id,
                        "business_unit_id": unit.id,
                        "counsellor_id": user.id,
                        "postcode": "4811",
                        "side": "reporter",
                        "notes": "Belastingtest: geen echte melding.",
                    }
                    for _case in range(4)
                ]
            )
        env["ir.config_parameter"].set_param("vertrouwenspersoon.intake_rate_limit", "10")
    odoo.sql_db.close_all()


# ----------------------------------------------------------------------
# Server
# ----------------------------------------------------------------------
class Server:
    """Odoo as an operator starts it: ``workers`` processes (0: threaded) behind a proxy."""

    def __init__(self, args, log, workers, log_level="info"):
        self.args, self.log, self.workers, self.log_level = args, log, workers, log_level
        self.base = f"http://{HOST}:{args.port}"
        self.gevent_port = args.port + 1
        self.process = None

    def __enter__(self):
        Path(self.log).write_text("")
        command = odoo_bin(
            self.args.config,
            "-d",
            self.args.database,
            "--db-filter",
            f"^{re.escape(self.args.database)}$",
            "--workers",
            str(self.workers),
            "--max-cron-threads",
            "0",  # the benchmark runs the monthly job itself, at a chosen moment
            "--proxy-mode",
            "--http-interface",
            HOST,
            "--http-port",
            str(self.args.port),
            "--gevent-port",
            str(self.gevent_port),
            "--limit-time-real",
            "300",
            "--log-level",
            self.log_level,
            "--logfile",
            self.log,
        )
        # its own process group: stopping it stops its workers and nothing else
        self.process = subprocess.Popen(command, start_new_session=True)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"Odoo stopped at start (see {self.log})")
            try:
                healthy = requests.get(f"{self.base}/web/health", timeout=2).status_code == 200
            except requests.RequestException:
                healthy = False
            # the websocket process starts after the HTTP workers: wait for its port too
            with socket.socket() as probe:
                if healthy and (not self.workers or probe.connect_ex((HOST, self.gevent_port)) == 0):
                    return self
            time.sleep(0.5)
        self.stop()
        raise SystemExit(f"Odoo did not answer within 120 s (see {self.log})")

    def stop(self):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(10)

    def __exit__(self, *_exc):
        self.stop()

    def log_size(self):
        return os.path.getsize(self.log)


def log_problems(log, start, end=None):
    """(serialization failures, of which on the addon's tables, errors) in the log between offsets.

    Odoo logs a failed statement as ERROR 'bad query' with the statement and the
    database's message (the next lines); a retried one as INFO 'SERIALIZATION_FAILURE,
    n tries left'. Each failure is counted once, from its 'bad query' entry."""
    with open(log, encoding="utf-8", errors="replace") as handle:
        handle.seek(start)
        text = handle.read(None if end is None else end - start)
    entries = re.split(r"\n(?=\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ \d+ )", text)
    serialization = addon = errors = 0
    for entry in entries:
        head = entry[:200]
        is_error = re.match(r"\S+ \S+ \d+ (ERROR|CRITICAL) ", head)
        # the monthly run's own check raises a serialization failure too (vp.engagement._vp_claim_billing)
        if any(mark in entry for mark in ("could not serialize access", "deadlock detected", "serialization_failure")):
            if is_error:
                serialization += 1
                query = entry.split("ERROR:", 1)[0]
                if re.search(r"\b(INSERT INTO|UPDATE|DELETE FROM|FROM)\s+\"?vp_", query):
                    addon += 1
        elif is_error:
            errors += 1
    return serialization, addon, errors


INTAKE_POST_LINE = re.compile(
    r'"POST (?:/[a-z]{2}(?:_[A-Za-z0-9]+)?)?/vertrouwenspersoon/contact HTTP/[0-9.]+" 303 \S+ (\d+) ([0-9.]+) ([0-9.]+)'
)


def intake_server_figures(log, start):
    """[(SQL queries, SQL seconds, other seconds)] of each intake submission (the POST:
    Odoo's request line ends with these three), from the log at offset ``start``."""
    with open(log, encoding="utf-8", errors="replace") as handle:
        handle.seek(start)
        return [
            (int(match.group(1)), float(match.group(2)), float(match.group(3)))
            for match in INTAKE_POST_LINE.finditer(handle.read())
        ]


def check_websocket(server):
    """An upgrade on the gevent port answers (101) and a ping is ponged."""
    url = f"ws://{HOST}:{server.gevent_port}/websocket"
    ws = websocket.create_connection(url, timeout=20, origin=f"http://{HOST}:{server.gevent_port}")
    try:
        ws.send(json.dumps({"event_name": "subscribe", "data": {"channels": [], "last": 0}}))
        ws.ping("vp")
        opcode, frame = ws.recv_data_frame(control_frame=True)
        if opcode != websocket.ABNF.OPCODE_PONG:
            raise AssertionError(f"the websocket answered opcode {opcode}, not a pong")
        return frame.data == b"vp"
    finally:
        ws.close()


# ----------------------------------------------------------------------
# Clients
# ----------------------------------------------------------------------
def forwarded(address, server):
    """What the proxy forwards, and a Dutch employee's browser language (the public
    pages follow the browser's)."""
    host = f"{HOST}:{server.args.port}"
    return {
        "X-Forwarded-For": address,
        "X-Forwarded-Host": host,
        "X-Forwarded-Proto": "http",
        "Accept-Language": "nl-NL,nl;q=0.9",
    }


def intake_values(code):
    return {
        "organisation_code": code,
        "postcode": "9712",
        "preferred_channel": "phone",
        "employee_phone": "06-12345678",
        "message": "Belastingtest: graag een gesprek.",
    }


_FILES = {}


def intake_files():
    """What an employee attaches: a 2 MB photo with its camera's metadata (EXIF with
    GPS position, XMP) and a 20-page PDF with an info dictionary and XMP. Made once."""
    if not _FILES:
        import io  # noqa: PLC0415
        import random  # noqa: PLC0415

        from PIL import Image  # noqa: PLC0415
        from reportlab.pdfgen import canvas  # noqa: PLC0415

        sizes = [(1400, 1050)]
        noise = random.Random(7)
        photo = b""
        while len(photo) < 1_900_000:
            width, height = sizes[-1]
            image = Image.frombytes("RGB", (width, height), noise.randbytes(width * height * 3))
            exif = Image.Exif()
            exif[0x010F], exif[0x0110] = "Camera maker", "Camera model"  # Make, Model
            exif[0x8825] = {1: "N", 2: (52.0, 22.0, 7.0), 3: "E", 4: (4.0, 53.0, 9.0)}  # GPS
            buffer = io.BytesIO()
            image.save(buffer, "JPEG", quality=85, exif=exif.tobytes())
            photo = buffer.getvalue()
            sizes.append((int(width * 1.1), int(height * 1.1)))
        buffer = io.BytesIO()
        pdf = canvas.Canvas(buffer)
        pdf.setAuthor("Jan Jansen")
        pdf.setCreator("Office suite of the employer")
        pdf.setTitle("Verslag")
        for page in range(20):
            for line in range(40):
                pdf.drawString(72, 770 - 18 * line, f"Pagina {page + 1}, regel {line + 1}: wat er gebeurde.")
            pdf.showPage()
        pdf.save()
        _FILES.update(
            photo=("foto.jpg", photo, "image/jpeg"), pdf=("verslag.pdf", buffer.getvalue(), "application/pdf")
        )
    return _FILES


def submit_intake(server, address, code, with_files=True):
    """One employee's request, as a browser sends it: GET the form, take its inputs
    (CSRF token, any hidden token, the honeypot left empty), POST, follow redirects.
    Returns (seconds for the POST and its redirects, stored: bool, detail)."""
    with requests.Session() as browser:
        browser.headers.update(forwarded(address, server))
        page = browser.get(server.base + INTAKE_FORM, timeout=REQUEST_TIMEOUT)
        page.raise_for_status()
        doc = lxml.html.fromstring(page.text)
        forms = [f for f in doc.forms if f.xpath(".//*[@name='organisation_code']")]
        if not forms:
            return 0.0, False, "no intake form on the page"
        form = forms[0]
        data = {}
        for field in form.xpath(".//input[@name]|.//textarea[@name]|.//select[@name]"):
            kind = (field.get("type") or "").lower()
            if kind in ("radio", "checkbox", "submit", "button"):
                continue
            data[field.get("name")] = field.get("value") or ""
        data.update(intake_values(code))
        action = urljoin(page.url, form.get("action") or INTAKE_FORM)
        # The files go with the request when the form takes them (a file input).
        file_inputs = [field.get("name") for field in form.xpath(".//input[@type='file'][@name]")]
        files = None
        if with_files and file_inputs:
            attached = intake_files()
            files = [(file_inputs[0], attached["photo"]), (file_inputs[0], attached["pdf"])]
        started = time.perf_counter()
        answer = browser.post(action, data=data, files=files, timeout=REQUEST_TIMEOUT, allow_redirects=True)
        elapsed = time.perf_counter() - started
        stored = answer.status_code == 200 and "organisation_code" not in answer.text
        return elapsed, stored, "" if stored else f"HTTP {answer.status_code}"


def form_inputs(page_text, form_selector):
    """{name: value} of the hidden inputs (CSRF token and the like) of the page's form
    ``#id`` or ``.class``."""
    doc = lxml.html.fromstring(page_text)
    name = form_selector[1:]
    if form_selector.startswith("#"):
        forms = doc.xpath(f"//form[@id='{name}']")
    else:
        forms = doc.xpath(f"//form[contains(concat(' ', normalize-space(@class), ' '), ' {name} ')]")
    if not forms:
        raise AssertionError(f"no form {form_selector} on the page")
    return {field.get("name"): field.get("value") or "" for field in forms[0].xpath(".//input[@type='hidden'][@name]")}


def walk_public_pages(server, address, code):
    """Every public page as one employee uses them, from ``address`` (forwarded by the
    proxy): the intake page and what it loads, a refused and a sent request with a file,
    the receipt, the inbox opened with a wrong and the right code, a reply with a file,
    the file read back, the inbox closed. Returns the HTTP statuses seen."""
    statuses = []
    with requests.Session() as browser:
        browser.headers.update(forwarded(address, server))

        def get(path, **kwargs):
            answer = browser.get(urljoin(server.base, path), timeout=REQUEST_TIMEOUT, **kwargs)
            statuses.append(answer.status_code)
            return answer

        def post(path, **kwargs):
            answer = browser.post(urljoin(server.base, path), timeout=REQUEST_TIMEOUT, **kwargs)
            statuses.append(answer.status_code)
            return answer

        page = get(INTAKE_FORM + f"?code={code}")
        for asset in lxml.html.fromstring(page.text).xpath("//link[@rel='stylesheet']/@href|//img/@src")[:4]:
            if asset.startswith("/"):
                get(asset)
        photo = ("foto.jpg", small_photo(), "image/jpeg")
        fields = form_inputs(page.text, "#vp_intake_form")
        post(INTAKE_FORM, data={**fields, **intake_values(code), "postcode": "nope"})  # refused: the form again
        page = get(INTAKE_FORM)
        fields = form_inputs(page.text, "#vp_intake_form")
        received = post(INTAKE_FORM, data={**fields, **intake_values(code)}, files=[("files", photo)])
        receipt = lxml.html.fromstring(received.text).xpath("//*[contains(@class, 'o_vp_receipt_code')]/text()")
        if not receipt:
            raise AssertionError(f"no receipt code on the answer page (HTTP {received.status_code})")
        post(
            "/vertrouwenspersoon/contact/receipt-saved",
            data={**form_inputs(received.text, ".o_vp_receipt_saved_form"), "saved": "1"},
        )
        inbox = get("/vertrouwenspersoon/inbox")
        post(
            "/vertrouwenspersoon/inbox/open",
            data={**form_inputs(inbox.text, "#vp_inbox_code_form"), "code": "AAAA-BBBB-CCCC-DDDD-EEEE"},
        )
        inbox = get("/vertrouwenspersoon/inbox")
        thread = post(
            "/vertrouwenspersoon/inbox/open",
            data={**form_inputs(inbox.text, "#vp_inbox_code_form"), "code": receipt[0].strip()},
        )
        thread = post(
            "/vertrouwenspersoon/inbox/reply",
            data={**form_inputs(thread.text, "#vp_inbox_reply_form"), "body": "Nog een foto."},
            files={"file": photo},
        )
        for link in lxml.html.fromstring(thread.text).xpath("//a[contains(@class, 'o_vp_inbox_file')]/@href"):
            get(link)
        get("/vertrouwenspersoon/inbox/file/999999999")
        post("/vertrouwenspersoon/inbox/close")
    return statuses


def small_photo():
    """A small photo with its camera's metadata (the walk needs no 2 MB)."""
    import io  # noqa: PLC0415

    from PIL import Image  # noqa: PLC0415

    exif = Image.Exif()
    exif[0x010F], exif[0x0110] = "Camera maker", "Camera model"
    exif[0x8825] = {1: "N", 2: (52.0, 22.0, 7.0), 3: "E", 4: (4.0, 53.0, 9.0)}
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 100, 50)).save(buffer, "JPEG", exif=exif.tobytes())
    return buffer.getvalue()


def address_leaks(log, address):
    """Lines of the log that hold ``address``."""
    with open(log, encoding="utf-8", errors="replace") as handle:
        return [line.rstrip() for line in handle if address in line]


class Rpc:
    """A user's JSON-RPC session, as the web client's."""

    def __init__(self, server, login, password):
        self.server, self.session = server, requests.Session()
        self.call("/web/session/authenticate", {"db": server.args.database, "login": login, "password": password})

    def call(self, path, params):
        answer = self.session.post(
            self.server.base + path,
            json={"jsonrpc": "2.0", "method": "call", "params": params, "id": 1},
            timeout=REQUEST_TIMEOUT,
        )
        answer.raise_for_status()
        body = answer.json()
        if body.get("error"):
            raise RpcError(body["error"].get("data", {}).get("message") or body["error"].get("message"))
        return body.get("result")

    def kw(self, model, method, *args, **kwargs):
        return self.call(
            f"/web/dataset/call_kw/{model}/{method}", {"model": model, "method": method, "args": args, "kwargs": kwargs}
        )


class RpcError(Exception):
    pass


def run_bounded(jobs, concurrency, seconds):
    """Run the callables ``jobs`` ``concurrency`` at a time; none starts after ``seconds``.
    Returns (results, wall seconds); a result is the callable's, or the exception raised."""
    deadline = time.monotonic() + seconds
    started = time.perf_counter()

    def guarded(job):
        if time.monotonic() > deadline:
            return None
        try:
            return job()
        except Exception as error:
            return error

    with concurrent.futures.ThreadPoolExecutor(concurrency) as pool:
        results = list(pool.map(guarded, jobs))
    return [r for r in results if r is not None], time.perf_counter() - started


def run_sequences(sequences, seconds):
    """Run each list of callables in its own thread, one after the other, all lists at
    once; nothing starts after ``seconds``. Returns (results, wall seconds)."""
    deadline = time.monotonic() + seconds

    def run(sequence):
        results = []
        for job in sequence:
            if time.monotonic() > deadline:
                break
            try:
                results.append(job())
            except Exception as error:
                results.append(error)
        return results

    started = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(len(sequences)) as pool:
        results = [result for results in pool.map(run, sequences) for result in results]
    return results, time.perf_counter() - started


def percentile95(seconds):
    ordered = sorted(seconds)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def latency(seconds):
    if not seconds:
        return "-", "-"
    return f"{statistics.median(seconds) * 1000:.0f}", f"{percentile95(seconds) * 1000:.0f}"


# ----------------------------------------------------------------------
# Phases
# ----------------------------------------------------------------------
def phase_intake(server, level, code, serial):
    database = server.args.database
    before = sql(database, "SELECT COUNT(*) FROM vp_case WHERE intake_channel = 'web'")[0][0]
    offset = server.log_size()
    count = INTAKE_PER_LEVEL[level]

    def job(index):
        number = serial + index  # one forwarded address per submission
        address = f"198.18.{number // 250}.{number % 250 + 1}"
        return lambda: submit_intake(server, address, code, with_files=not server.args.no_files)

    results, wall = run_bounded([job(i) for i in range(count)], level, PHASE_SECONDS)
    time.sleep(0.5)
    stored_rows = sql(database, "SELECT COUNT(*) FROM vp_case WHERE intake_channel = 'web'")[0][0] - before
    ok = [r for r in results if isinstance(r, tuple) and r[1]]
    failed = [r for r in results if not (isinstance(r, tuple) and r[1])]
    return {
        "phase": f"intake x{level}",
        "sent": len(results),
        "ok": len(ok),
        "stored": stored_rows,
        "wall": wall,
        "latencies": [r[0] for r in ok],
        "client_errors": [str(r if not isinstance(r, tuple) else r[2]) for r in failed][:3],
        "log": log_problems(server.log, offset),
        "server": intake_server_figures(server.log, offset),
    }


def counsellor_ids(database):
    return sql(
        database,
        """
        SELECT u.login, array_agg(c.id ORDER BY c.id) FROM res_users u JOIN vp_case c ON c.counsellor_id = u.id
         WHERE u.login LIKE 'vp\\_load\\_%%' GROUP BY u.login ORDER BY u.login
        """,
    )


def phase_saves(server):
    database = server.args.database
    counsellors = counsellor_ids(database)
    before = sql(database, "SELECT COUNT(*) FROM vp_case_meeting")[0][0]
    offset = server.log_size()
    sessions = {login: Rpc(server, login, login) for login, _cases in counsellors}
    latencies, lock = [], threading.Lock()

    def save(login, case_id, index):
        def run():
            rpc = sessions[login]
            started = time.perf_counter()
            side = "accused" if index % 2 == 0 else "reporter"
            rpc.kw("vp.case", "write", [case_id], {"side": side})
            rpc.kw(
                "vp.case.meeting",
                "create",
                [{"case_id": case_id, "channel": "phone", "meeting_date": fields_now(), "duration": 0.5}],
            )
            with lock:
                latencies.append(time.perf_counter() - started)
            return True

        return run

    # One thread per counsellor, saving their own cases one after the other: the four
    # save at the same moments, never the same case.
    jobs = [
        [save(login, cases[index % len(cases)], index) for index in range(SAVES_PER_COUNSELLOR)]
        for login, cases in counsellors
    ]
    results, wall = run_sequences(jobs, PHASE_SECONDS)
    stored = sql(database, "SELECT COUNT(*) FROM vp_case_meeting")[0][0] - before
    ok = [r for r in results if r is True]
    return {
        "phase": f"case saves x{COUNSELLORS}",
        "sent": len(results),
        "ok": len(ok),
        "stored": stored,
        "wall": wall,
        "latencies": latencies,
        "client_errors": [str(r) for r in results if r is not True][:3],
        "log": log_problems(server.log, offset),
    }


def fields_now():
    return datetime.utcnow().replace(microsecond=0).strftime("%Y-%m-%d %H:%M:%S")


def phase_invoicing(server):
    """Hours of last month and this month logged by four counsellors while the
    monthly job invoices last month. Hours of last month logged after the job
    committed are refused (the month is closed): counted apart, not as errors."""
    database = server.args.database
    counsellors = counsellor_ids(database)
    today = date.today()
    last_month = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    cron_id = sql(
        database,
        "SELECT res_id FROM ir_model_data WHERE module = 'vertrouwenspersoon' AND name = 'vp_engagement_cron_invoice'",
    )[0][0]
    before = sql(database, "SELECT COUNT(*) FROM account_analytic_line WHERE vp_time_type IS NOT NULL")[0][0]
    offset = server.log_size()
    sessions = {login: Rpc(server, login, login) for login, _cases in counsellors}
    admin = Rpc(server, "admin", "admin")
    latencies, lock = [], threading.Lock()
    job_done = threading.Event()
    job_result = {}

    def log_hours(login, case_id, index):
        def run():
            day = last_month + timedelta(days=index % 27) if index % 2 == 0 else today
            started = time.perf_counter()
            try:
                sessions[login].kw(
                    "account.analytic.line",
                    "create",
                    [{"vp_case_id": case_id, "vp_time_type": "meeting", "unit_amount": 0.25, "date": str(day)}],
                )
            except RpcError as error:
                if "already invoiced" in str(error) and day == last_month + timedelta(days=index % 27):
                    return "refused"
                raise
            with lock:
                latencies.append(time.perf_counter() - started)
            return "stored"

        return run

    def monthly_job():
        time.sleep(1.0)  # while the hours are coming in
        started = time.perf_counter()
        try:
            admin.kw("ir.cron", "method_direct_trigger", [cron_id])
            job_result["seconds"] = time.perf_counter() - started
        except Exception as error:
            job_result["error"] = str(error)
        job_done.set()

    trigger = threading.Thread(target=monthly_job)
    trigger.start()
    jobs = [
        [log_hours(login, cases[index % len(cases)], index) for index in range(HOURS_PER_COUNSELLOR)]
        for login, cases in counsellors
    ]
    results, wall = run_sequences(jobs, PHASE_SECONDS)
    job_done.wait(PHASE_SECONDS)
    trigger.join(5)
    stored = sql(database, "SELECT COUNT(*) FROM account_analytic_line WHERE vp_time_type IS NOT NULL")[0][0] - before
    # Every hour of last month in the database is on its invoice: billed hours = invoiced quantity.
    billed = sql(
        database,
        """
        SELECT COALESCE(SUM(l.unit_amount), 0),
               (SELECT COALESCE(SUM(ml.quantity), 0) FROM account_move m JOIN account_move_line ml ON ml.move_id = m.id
                 WHERE m.vp_period = %s AND m.vp_engagement_id = e.id AND ml.display_type = 'product')
          FROM vp_engagement e JOIN account_analytic_line l ON l.vp_engagement_id = e.id
         WHERE l.date >= %s AND l.date < %s AND l.vp_time_type IS NOT NULL
         GROUP BY e.id
        """,
        (last_month, last_month, today.replace(day=1)),
    )
    refused = sum(1 for r in results if r == "refused")
    ok = sum(1 for r in results if r == "stored")
    errors = [str(r) for r in results if r not in ("stored", "refused")][:3]
    if "error" in job_result:
        errors.append(f"monthly job: {job_result['error']}")
    return {
        "phase": f"hours x{COUNSELLORS} + monthly job",
        "sent": len(results) - refused,
        "ok": ok,
        "stored": stored,
        "wall": wall,
        "latencies": latencies,
        "client_errors": errors,
        "log": log_problems(server.log, offset),
        "extra": f"refused (month closed): {refused}; job: {job_result.get('seconds', 0):.1f} s; "
        f"billed hours = invoiced quantity: {all(abs(a - b) < 1e-6 for a, b in billed)} ({billed})",
    }


def report(rows):
    print()
    header = (
        f"{'phase':<26} {'sent':>5} {'ok':>5} {'stored':>6} {'req/s':>6} {'p50 ms':>7} {'p95 ms':>7}"
        f" {'serial.':>7} {'addon':>5} {'errors':>6}"
    )
    print(header)
    print("-" * len(header))
    for row in rows:
        p50, p95 = latency(row["latencies"])
        serial, addon, errors = row["log"]
        rate = row["ok"] / row["wall"] if row["wall"] else 0
        errors += len(row["client_errors"])
        print(
            f"{row['phase']:<26} {row['sent']:>5} {row['ok']:>5} {row['stored']:>6} {rate:>6.1f} {p50:>7} {p95:>7}"
            f" {serial:>7} {addon:>5} {errors:>6}"
        )
        for problem in row["client_errors"]:
            print(f"    client: {problem[:200]}")
        if row.get("extra"):
            print(f"    {row['extra']}")
        if row.get("server"):
            queries = [figures[0] for figures in row["server"]]
            sql_ms = [figures[1] * 1000 for figures in row["server"]]
            total_ms = [(figures[1] + figures[2]) * 1000 for figures in row["server"]]
            print(
                f"    per submission (POST), in the server: SQL queries median {statistics.median(queries):.0f} "
                f"(min {min(queries)}, max {max(queries)}); time median {statistics.median(total_ms):.0f} ms, "
                f"of which SQL {statistics.median(sql_ms):.0f} ms ({len(queries)} counted)"
            )


def verdict(rows):
    failures = []
    for row in rows:
        _serial, addon, errors = row["log"]
        if row["stored"] != row["ok"] or row["ok"] != row["sent"]:
            failures.append(f"{row['phase']}: {row['sent']} sent, {row['ok']} answered, {row['stored']} stored")
        if errors or row["client_errors"]:
            failures.append(f"{row['phase']}: {errors} error(s) in the log, client: {row['client_errors']}")
        if row["phase"] == "intake x16" and addon:
            failures.append(f"intake x16: {addon} serialization failure(s) on the addon's tables")
    intake = {row["phase"]: row for row in rows if row["phase"].startswith("intake")}
    if "intake x1" in intake and "intake x16" in intake:
        p95_1, p95_16 = (percentile95(intake[phase]["latencies"]) for phase in ("intake x1", "intake x16"))
        ratio = p95_16 / p95_1
        print(f"\np95 at 16 at once / p95 at 1: {ratio:.1f}x (target: at most 3x)")
        if ratio > 3:
            failures.append(f"p95 at 16 at once is {ratio:.1f}x p95 at 1")
    return failures


def organisation_code(database):
    """The demo client organisation whose employees the benchmark plays."""
    return sql(
        database,
        """
        SELECT o.code FROM vp_organisation o JOIN ir_model_data d ON d.res_id = o.id AND d.model = 'vp.organisation'
         WHERE d.module = 'vertrouwenspersoon' AND d.name = 'organisation_zorggroep'
        """,
    )[0][0]


def smoke(args):
    """The CI's check: Odoo in multi-process mode, websocket alive, one intake stored."""
    log = f"/tmp/vp-smoke-{args.port}.log"
    started = time.monotonic()
    with Server(args, log, workers=2) as server:
        check_websocket(server)
        before = sql(args.database, "SELECT COUNT(*) FROM vp_case WHERE intake_channel = 'web'")[0][0]
        _seconds, stored, detail = submit_intake(server, "198.18.255.1", organisation_code(args.database))
        after = sql(args.database, "SELECT COUNT(*) FROM vp_case WHERE intake_channel = 'web'")[0][0]
        walk_public_pages(server, "198.18.255.2", organisation_code(args.database))
        serial, _addon, errors = log_problems(log, 0)
    problems = []
    if not stored or after != before + 1:
        problems.append(f"the intake submission was not stored once ({detail}; {after - before} rows)")
    leaks = address_leaks(log, "198.18.255.1") + address_leaks(log, "198.18.255.2")
    if leaks:
        problems.append(f"the employees' forwarded addresses are in the log: {leaks[:3]}")
    if "DistributionNotFound" in Path(log).read_text(errors="replace"):
        problems.append("the websocket (gevent) process failed to start")
    if errors or serial:
        problems.append(f"{errors} error(s) and {serial} serialization failure(s) in {log}")
    if problems:
        print("Smoke check failed: " + "; ".join(problems), file=sys.stderr)
        return 1
    print(
        f"Smoke check passed in {time.monotonic() - started:.0f} s: Odoo with 2 workers, "
        "the websocket answers, one intake submission stored, the public pages walked, no address in the log."
    )
    return 0


def main():
    args = parse_args()
    if args.two_nodes:
        import two_nodes  # noqa: PLC0415  beside this file

        sys.argv = [two_nodes.__file__, "-c", args.config, "--template", args.two_nodes, "--port", str(args.port)]
        return two_nodes.main()
    for port in (args.port, args.port + 1):
        with socket.socket() as probe:
            if probe.connect_ex((HOST, port)) == 0:
                raise SystemExit(f"Port {port} on {HOST} is in use: choose another with --port")
    if args.smoke:
        return smoke(args)
    log = f"/tmp/vp-load-{args.database}.log"
    build_database(args, f"/tmp/vp-load-{args.database}-install.log")
    code = organisation_code(args.database)
    rows = []
    try:
        with Server(args, log, workers=args.workers) as server:
            print(f"Odoo up with --workers {args.workers} --proxy-mode; websocket ping: {check_websocket(server)}")
            # warm every worker (routing map, templates) before measuring
            for _index in range(3 * args.workers):
                requests.get(server.base + INTAKE_FORM, timeout=REQUEST_TIMEOUT)
            serial = 0
            for level in INTAKE_LEVELS:
                rows.append(phase_intake(server, level, code, serial))
                serial += INTAKE_PER_LEVEL[level]
                print(f"  {rows[-1]['phase']} done", flush=True)
            if not args.intake_only:
                rows.append(phase_saves(server))
                print(f"  {rows[-1]['phase']} done", flush=True)
                rows.append(phase_invoicing(server))
                print(f"  {rows[-1]['phase']} done", flush=True)
        report(rows)
        failures = verdict(rows)
        print(f"(server log: {log})")
    finally:
        if not args.keep:
            conn = psycopg2.connect(dbname="postgres", **pg_kwargs())
            conn.autocommit = True
            conn.cursor().execute(f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)')
            conn.close()
    if failures:
        print("\nTargets missed:\n- " + "\n- ".join(failures))
        return 1
    print("\nAll targets met.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
