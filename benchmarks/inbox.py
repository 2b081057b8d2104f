"""Benchmark of the reporter's inbox (receipt codes) over HTTP.

Starts Odoo (``--workers 2``, proxy mode, 127.0.0.1 only, as benchmarks/load.py
does) on a database with the addon and its demo data, then, bounded in count:

- one intake submission through the form, which gives a receipt code;
- opening the inbox with the right code and with wrong codes (each from its own
  forwarded address, so the rate limit stays out of it): p50 and p95 of both,
  which must be about the same (one scrypt either way);
- a flood of wrong codes and malformed requests (forged CSRF tokens, oversized
  and binary bodies, broken multipart, unknown files) from many addresses at
  once: the answers by status, the server errors (5xx) and the errors in the
  server log, which must be 0.

The intake's case is committed to the database: use a scratch one.

    ~/.cache/vertrouwenspersoon/venv/bin/python benchmarks/inbox.py \\
        -c ~/.cache/vertrouwenspersoon/odoo-<hash>.conf -d <database> [--port 8179]
"""

import argparse
import collections
import os
import re
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))
from load import INTAKE_FORM, REQUEST_TIMEOUT, Server, forwarded, intake_values, log_problems, percentile95

INBOX = "/vertrouwenspersoon/inbox"
CODE_RE = re.compile(r"[A-Z2-9]{4}(?:-[A-Z2-9]{4}){4}")
TRIES = 20
FLOOD = 240
AT_ONCE = 8


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--port", type=int, default=int(os.environ.get("VP_LOAD_PORT", "8179")))
    parser.add_argument("--workers", type=int, default=2)
    return parser.parse_args()


def receipt_code_from_intake(server):
    """One employee's request through the form; the receipt code on its answer page."""
    with requests.Session() as browser:
        browser.headers.update(forwarded("203.0.113.7", server))
        page = browser.get(server.base + INTAKE_FORM, timeout=REQUEST_TIMEOUT)
        data = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page.text))
        data.update(intake_values("LINDE"))
        answer = browser.post(server.base + INTAKE_FORM, data=data, timeout=REQUEST_TIMEOUT)
        match = CODE_RE.search(answer.text)
        if not match:
            raise SystemExit(f"no receipt code on the answer page (HTTP {answer.status_code})")
        return match.group(0)


def csrf_of(browser, server):
    page = browser.get(server.base + INBOX, timeout=REQUEST_TIMEOUT)
    match = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    return match.group(1) if match else ""


def open_with(server, address, code):
    """Seconds of the POST that tries ``code`` (GET of the form not counted), and its status."""
    with requests.Session() as browser:
        browser.headers.update(forwarded(address, server))
        token = csrf_of(browser, server)
        start = time.perf_counter()
        answer = browser.post(
            server.base + INBOX + "/open",
            data={"code": code, "csrf_token": token},
            allow_redirects=False,
            timeout=REQUEST_TIMEOUT,
        )
        return time.perf_counter() - start, answer.status_code


def wrong_code(index):
    """A well-formed code that opens nothing (a random one would, once in 2**100)."""
    letters = "ABCDEFGH"
    return f"AAAA-BBBB-CCCC-DDDD-{letters[index % 8]}{letters[index // 8 % 8]}EE"


def flood_request(server, index):
    address = f"198.51.{index % 50}.{index % 200 + 1}"
    kinds = [
        lambda: requests.post(server.base + INBOX + "/open", data={"code": "AAAA-BBBB-CCCC-DDDD-EEEE"}),
        lambda: requests.post(server.base + INBOX + "/open", data={"code": "x" * 3000, "csrf_token": "forged"}),
        lambda: requests.post(server.base + INBOX + "/open", data=b"\x00\xff" * 4000),
        lambda: requests.post(
            server.base + INBOX + "/reply",
            data=b"--x\r\nbroken",
            headers={"Content-Type": "multipart/form-data; boundary=x"},
        ),
        lambda: requests.get(server.base + INBOX + "/file/999999"),
        lambda: requests.post(server.base + INBOX + "/close"),
    ]
    with requests.Session() as browser:
        browser.headers.update(forwarded(address, server))
        if index % 3 == 0:
            token = csrf_of(browser, server)
            from_browser = browser.post(
                server.base + INBOX + "/open",
                data={"code": wrong_code(index), "csrf_token": token},
                timeout=REQUEST_TIMEOUT,
            )
            return from_browser.status_code
        try:
            return kinds[index % len(kinds)]().status_code
        except requests.RequestException as error:
            return type(error).__name__


def main():
    args = parse_args()
    log = f"/tmp/vp-inbox-bench-{args.database}.log"
    with Server(args, log, args.workers) as server:
        start_offset = server.log_size()
        code = receipt_code_from_intake(server)
        right = [open_with(server, f"203.0.114.{i + 1}", code) for i in range(TRIES)]
        wrong = [open_with(server, f"203.0.115.{i + 1}", wrong_code(i)) for i in range(TRIES)]
        flood_start = time.perf_counter()
        with ThreadPoolExecutor(AT_ONCE) as pool:
            statuses = list(pool.map(lambda i: flood_request(server, i), range(FLOOD)))
        flood_seconds = time.perf_counter() - flood_start
        _ser, _addon, errors = log_problems(log, start_offset)
    by_status = collections.Counter(statuses)
    server_errors = sum(n for status, n in by_status.items() if isinstance(status, int) and status >= 500)
    for label, runs in (("right code", right), ("wrong code", wrong)):
        seconds = [t for t, _s in runs]
        print(
            f"{label}: {len(runs)} tries, statuses {sorted({s for _t, s in runs})}, "
            f"p50 {statistics.median(seconds) * 1000:.0f} ms, p95 {percentile95(seconds) * 1000:.0f} ms"
        )
    print(
        f"flood: {FLOOD} wrong or malformed requests, {AT_ONCE} at once, {flood_seconds:.1f} s; "
        f"answers {dict(sorted(by_status.items(), key=str))}; server errors {server_errors}; errors in the log {errors}"
    )


if __name__ == "__main__":
    main()
