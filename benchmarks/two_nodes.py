"""Two Odoo nodes on one database behind nginx: sessions, the vault and the intake.

Starts, on this machine, two Odoo processes (``--workers 2 --proxy-mode`` each,
with their websocket processes) on different ports, sharing the database, the
data directory (filestore, sessions, the endorsement key) and so the sessions,
behind Debian's nginx, configured as docs/OPERATIONS.md's production section
says (``X-Forwarded-*`` headers, ``/websocket`` to the gevent ports) with the
two nodes as one upstream, round robin, no stickiness. nginx runs in the
foreground with its configuration in a temporary directory and adds a response
header naming the node that answered (``X-VP-Node``). Through nginx it shows:

1. a counsellor who signs in (password and second factor) and unlocks her vault
   on one node reads her case's content on the other (every read names its node);
2. intake at 16 at once is spread over both nodes (POSTs counted in each node's
   log), every submission stored exactly once;
3. locking the vault on one node locks it on both (each node asked directly).

It exits non-zero when one of these does not hold. The database is a copy of
``--template`` (a database with the addon and its demo data, e.g. the one
``benchmarks/scale.py`` builds) with the template's filestore copied, and is
dropped at the end unless ``--keep``.

    VENV=~/.cache/vertrouwenspersoon/venv
    $VENV/bin/python benchmarks/two_nodes.py -c <odoo config> --template vp_scale_demo
"""

import argparse
import base64
import concurrent.futures
import configparser
import hmac
import os
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import lxml.html
import psycopg2
import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))

import load

HOST = load.HOST
DEMO_TOTP_SECRET = "VERTROUWENSPERSOONDEMOTOTPSECRET"  # the demo logins' second factor (docs/SECOND_FACTOR.md)
COUNSELLOR, PASSPHRASE = "vp_counsellor", "vp_counsellor-kluis"
AT_ONCE = 16
SUBMISSIONS = 48

NGINX_CONF = """
daemon off;
worker_processes 2;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
events {{ worker_connections 256; }}
http {{
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    # As docs/OPERATIONS.md, "Reverse proxy with TLS" (no TLS on 127.0.0.1), with two nodes.
    upstream odoo    {{ server {host}:{a}; server {host}:{b}; }}
    upstream odoo_ws {{ server {host}:{a_ws}; server {host}:{b_ws}; }}
    map $http_upgrade $connection_upgrade {{ default upgrade; '' close; }}
    log_format vp_anonymous '[$time_local] "$request_method $uri" $status $request_time $upstream_addr';
    server {{
        listen {host}:{port};
        access_log {tmp}/access.log vp_anonymous;
        client_max_body_size 32m;
        proxy_read_timeout 720s;
        proxy_set_header Host $host;
        proxy_set_header X-Forwarded-Host $host;
        proxy_set_header X-Forwarded-For $remote_addr;
        proxy_set_header X-Forwarded-Proto $scheme;
        # Which node answered: for this check only, not for production.
        add_header X-VP-Node $upstream_addr always;
        location /websocket {{
            proxy_pass http://odoo_ws;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
        }}
        location / {{ proxy_pass http://odoo; }}
    }}
}}
"""


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-c", "--config", required=True, help="Odoo configuration file (addons_path incl. this addon)")
    parser.add_argument("--template", default="vp_scale_demo", help="database with the addon and its demo data")
    parser.add_argument("-d", "--database", default="vp_two_nodes", help="scratch database (a copy of --template)")
    parser.add_argument("--port", type=int, default=8320, help="nginx's port; the nodes take the next four")
    parser.add_argument("--keep", action="store_true")
    return parser.parse_args()


def totp(secret=DEMO_TOTP_SECRET, at=None):
    """RFC 6238, as bin/totp and every authenticator app compute it."""
    key = base64.b32decode(secret)
    digest = hmac.new(key, struct.pack(">Q", int((at or time.time()) // 30)), "sha1").digest()
    offset = digest[-1] & 15
    return f"{(struct.unpack('>I', digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 1_000_000:06d}"


# ----------------------------------------------------------------------
# Database, nodes, proxy
# ----------------------------------------------------------------------
def copy_database(args, data_dir):
    conn = psycopg2.connect(dbname="postgres", **load.pg_kwargs())
    conn.autocommit = True
    cr = conn.cursor()
    cr.execute(f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)')
    cr.execute(f'CREATE DATABASE "{args.database}" TEMPLATE "{args.template}"')
    conn.close()
    source = Path(data_dir, "filestore", args.template)
    target = Path(data_dir, "filestore", args.database)
    shutil.rmtree(target, ignore_errors=True)
    if source.exists():
        shutil.copytree(source, target)
    load.sql(
        args.database,
        "INSERT INTO ir_config_parameter (key, value) VALUES ('vertrouwenspersoon.intake_rate_limit', '1000') "
        "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
    )


def data_dir_of(config):
    parser = configparser.ConfigParser()
    parser.read(config)
    return parser["options"].get("data_dir") or os.path.expanduser("~/.local/share/Odoo")


class Nginx:
    def __init__(self, args, nodes, tmp):
        self.args, self.nodes, self.tmp = args, nodes, Path(tmp)
        self.base = f"http://{HOST}:{args.port}"
        self.process = None

    def __enter__(self):
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        if not os.path.exists(nginx):
            raise SystemExit("nginx is missing: apt-get install nginx-light (Debian's package), then run this again.")
        a, b = self.nodes
        conf = self.tmp / "nginx.conf"
        conf.write_text(
            NGINX_CONF.format(
                tmp=self.tmp,
                host=HOST,
                port=self.args.port,
                a=a.args.port,
                b=b.args.port,
                a_ws=a.gevent_port,
                b_ws=b.gevent_port,
            )
        )
        if os.geteuid() == 0:  # nginx's workers would otherwise run as nobody, who cannot write tmp
            conf.write_text("user root;\n" + conf.read_text())
        self.process = subprocess.Popen([nginx, "-p", str(self.tmp), "-c", str(conf)], start_new_session=True)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                if requests.get(f"{self.base}/web/health", timeout=2).status_code == 200:
                    return self
            except requests.RequestException:
                pass
            time.sleep(0.3)
        raise SystemExit(f"nginx did not answer (see {self.tmp / 'error.log'})")

    def __exit__(self, *_exc):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(10)


def node_name(answer):
    return answer.headers.get("X-VP-Node", "?")


# ----------------------------------------------------------------------
# A counsellor's browser
# ----------------------------------------------------------------------
class Browser:
    def __init__(self, base):
        self.base = base
        self.session = requests.Session()
        self.nodes = []

    def get(self, path, **kwargs):
        answer = self.session.get(self.base + path, timeout=60, **kwargs)
        self.nodes.append(node_name(answer))
        return answer

    def post(self, path, **kwargs):
        answer = self.session.post(self.base + path, timeout=60, **kwargs)
        self.nodes.append(node_name(answer))
        return answer

    def hidden(self, page):
        doc = lxml.html.fromstring(page.text)
        return {field.get("name"): field.get("value") or "" for field in doc.xpath("//form//input[@type='hidden']")}

    def login(self, login, password):
        page = self.get("/web/login")
        data = dict(self.hidden(page), login=login, password=password, redirect="/odoo")
        answer = self.post("/web/login", data=data)
        if "/web/login/totp" in answer.url:
            data = dict(self.hidden(answer), totp_token=totp())
            answer = self.post("/web/login/totp", data=data)
        if "/web/login" in answer.url:
            raise SystemExit(f"{login} could not sign in through nginx (ended on {answer.url})")

    def json(self, path, params=None, base=None):
        answer = self.session.post(
            (base or self.base) + path,
            json={"jsonrpc": "2.0", "method": "call", "id": 1, "params": params or {}},
            timeout=60,
        )
        answer.raise_for_status()
        body = answer.json()
        return body.get("result"), body.get("error"), node_name(answer) if base is None else base

    def call_kw(self, model, method, args, kwargs=None, base=None):
        return self.json(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
            base=base,
        )


def read_name(browser, case_id, base=None):
    result, error, node = browser.call_kw(
        "vp.case", "web_read", [[case_id]], {"specification": {"name": {}, "employee_name": {}}}, base=base
    )
    if error:
        return node, None, error.get("data", {}).get("name", error.get("message"))
    return node, result[0].get("employee_name"), ""


# ----------------------------------------------------------------------
# The checks
# ----------------------------------------------------------------------
def check_vault_across_nodes(nginx, nodes, case_id):
    browser = Browser(nginx.base)
    browser.login(COUNSELLOR, COUNSELLOR)
    result, error, unlock_node = browser.json("/vertrouwenspersoon/vault/unlock", {"passphrase": PASSPHRASE})
    if error or not (result or {}).get("unlocked"):
        raise SystemExit(f"unlock failed: {error or result}")
    print(f"1. {COUNSELLOR} signed in (nodes {sorted(set(browser.nodes))}) and unlocked on node {unlock_node}")
    reads = [read_name(browser, case_id) for _read in range(6)]
    for node, name, problem in reads:
        print(f"   read through nginx on node {node}: {'employee name ' + repr(name) if name else problem}")
    direct = [read_name(browser, case_id, base=node.base) for node in nodes]
    for node, name, problem in direct:
        print(f"   read on node {node} directly: {'employee name ' + repr(name) if name else problem}")
    other_nodes = {node for node, name, _problem in reads if name and node != unlock_node}
    ok = all(name for _node, name, _problem in reads + direct) and bool(other_nodes)
    print(f"   unlocked on one node, read on the other: {'yes' if ok else 'NO'}")
    return browser, ok


def check_intake(args, nginx, nodes):
    proxied = argparse.Namespace(base=nginx.base, args=argparse.Namespace(port=args.port))
    before = load.sql(args.database, "SELECT coalesce(max(id), 0) FROM vp_case")[0][0]
    starts = [node.log_size() for node in nodes]
    with concurrent.futures.ThreadPoolExecutor(AT_ONCE) as pool:
        results = list(
            pool.map(
                lambda index: load.submit_intake(proxied, f"198.18.9.{index % 250 + 1}", "LINDE", with_files=False),
                range(SUBMISSIONS),
            )
        )
    sent = sum(1 for _seconds, stored, _detail in results if stored)
    per_node = {
        f"{HOST}:{node.args.port}": len(load.intake_server_figures(node.log, start))
        for node, start in zip(nodes, starts, strict=True)
    }
    stored, distinct = load.sql(
        args.database,
        "SELECT count(*), count(DISTINCT intake_reference) FROM vp_case WHERE id > %s AND intake_channel = 'web'",
        (before,),
    )[0]
    ok = sent == SUBMISSIONS == stored and all(per_node.values())
    print(
        f"2. intake, {SUBMISSIONS} submissions {AT_ONCE} at once through nginx: {sent} answered as stored, "
        f"{stored} cases stored ({distinct} distinct references); POSTs per node {per_node}: "
        f"{'spread over both, each stored once' if ok else 'NOT as required'}"
    )
    return ok


def check_lock(browser, nodes, case_id):
    _result, error, lock_node = browser.json("/vertrouwenspersoon/vault/lock")
    if error:
        raise SystemExit(f"lock failed: {error}")
    print(f"3. locked on node {lock_node}")
    states = []
    for node in nodes:
        status, _error, _base = browser.json("/vertrouwenspersoon/vault/status", base=node.base)
        _node, name, problem = read_name(browser, case_id, base=node.base)
        states.append((status or {}).get("unlocked") is False and not name)
        print(
            f"   node {node.base}: status unlocked={(status or {}).get('unlocked')}, "
            f"read: {'employee name ' + repr(name) if name else problem}"
        )
    ok = all(states)
    print(f"   locked on one node, locked on both: {'yes' if ok else 'NO'}")
    return ok


def main():
    args = parse_args()
    data_dir = data_dir_of(args.config)
    copy_database(args, data_dir)
    case_id = load.sql(
        args.database,
        "SELECT c.id FROM vp_case c JOIN res_users u ON u.id = c.counsellor_id WHERE u.login = %s "
        "AND c.employee_name_ciphertext IS NOT NULL AND c.shredded_on IS NULL ORDER BY c.id DESC LIMIT 1",
        (COUNSELLOR,),
    )[0][0]
    sessions = Path(data_dir, "sessions")
    print(f"database {args.database} (a copy of {args.template}); shared data_dir {data_dir}, sessions in {sessions}")
    ok = False
    with tempfile.TemporaryDirectory(prefix="vp-two-nodes-") as tmp:
        nodes = []
        try:
            for index in range(2):
                port = args.port + 1 + 2 * index
                node_args = argparse.Namespace(config=args.config, database=args.database, port=port)
                node = load.Server(node_args, str(Path(tmp, f"node{index + 1}.log")), workers=2)
                node.__enter__()
                node.base = f"http://{HOST}:{port}"
                nodes.append(node)
            print(
                f"nodes: {', '.join(node.base for node in nodes)} (websocket {nodes[0].gevent_port}, "
                f"{nodes[1].gevent_port}), nginx on {HOST}:{args.port}"
            )
            with Nginx(args, nodes, tmp) as nginx:
                browser, vault_ok = check_vault_across_nodes(nginx, nodes, case_id)
                intake_ok = check_intake(args, nginx, nodes)
                lock_ok = check_lock(browser, nodes, case_id)
                ok = vault_ok and intake_ok and lock_ok
                for node in nodes:
                    problems = load.log_problems(node.log, 0)
                    print(f"   node {node.base} log: {problems[0]} serialization failures, {problems[2]} errors")
        finally:
            for node in nodes:
                node.stop()
    if not args.keep:
        conn = psycopg2.connect(dbname="postgres", **load.pg_kwargs())
        conn.autocommit = True
        conn.cursor().execute(f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)')
        conn.close()
        shutil.rmtree(Path(data_dir, "filestore", args.database), ignore_errors=True)
    print("two nodes: " + ("every check holds" if ok else "A CHECK FAILED"))
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
