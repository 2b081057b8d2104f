# shellcheck shell=bash
# Shared set-up for bin/run and bin/test: finds Odoo 18.0, builds the virtual
# environment, checks PostgreSQL and wkhtmltopdf, and writes the Odoo config.
# Every step is idempotent: a second call reuses what the first one built.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# CI runs with an almost empty environment: do not count on HOME or USER being set.
HOME="${HOME:-$(getent passwd "$(id -u)" | cut -d: -f6)}"
CACHE_DIR="${VP_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/vertrouwenspersoon}"
ODOO_BRANCH="18.0"
ODOO_GIT_URL="${ODOO_GIT_URL:-https://github.com/odoo/odoo.git}"
PYTHON="${PYTHON:-python3}"
# The public pages (intake, receipt, inbox) exist in these languages; Odoo's
# own translations of each are loaded with the addon. Dutch first: a new
# database takes the first as its default language (users, contacts).
VP_LANGUAGES="nl_NL,en_US,pl_PL,tr_TR,ar_001,uk_UA"
mkdir -p "$CACHE_DIR"

say() { printf '%s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

# --- Odoo source: $ODOO_SRC, else /opt/odoo/src, else a shallow clone --------
is_odoo_18() {
    [ -f "$1/odoo-bin" ] && grep -q "^version_info = (18, 0" "$1/odoo/release.py" 2>/dev/null
}

find_odoo_src() {
    if [ -n "${ODOO_SRC:-}" ]; then
        is_odoo_18 "$ODOO_SRC" || die "ODOO_SRC=$ODOO_SRC is not an Odoo 18.0 source tree: point ODOO_SRC at a checkout of Odoo's 18.0 branch."
    elif is_odoo_18 "${VP_LOCAL_ODOO_SRC:-/opt/odoo/src}"; then
        ODOO_SRC="${VP_LOCAL_ODOO_SRC:-/opt/odoo/src}"
    else
        ODOO_SRC="$CACHE_DIR/odoo-$ODOO_BRANCH"
        if ! is_odoo_18 "$ODOO_SRC"; then
            rm -rf "$ODOO_SRC"
            say "Cloning Odoo $ODOO_BRANCH (shallow) into $ODOO_SRC ..."
            git clone --quiet --depth 1 --branch "$ODOO_BRANCH" "$ODOO_GIT_URL" "$ODOO_SRC" >/dev/null 2>&1 \
                || { rm -rf "$ODOO_SRC"; die "No Odoo 18.0 source found and cloning $ODOO_GIT_URL failed: set ODOO_SRC to an Odoo 18.0 checkout (or unpack one into /opt/odoo/src) and run this again."; }
        fi
    fi
    export ODOO_SRC
}

# --- Python virtual environment ----------------------------------------------
VENV="$CACHE_DIR/venv"
build_venv() {
    command -v "$PYTHON" >/dev/null || die "$PYTHON is missing: install Python 3.10 to 3.12 with venv (sudo apt-get install python3-venv python3-dev) and run this again."
    "$PYTHON" -c 'import sys; sys.exit(not (3, 10) <= sys.version_info[:2] <= (3, 12))' \
        || die "Odoo 18.0 needs Python 3.10 to 3.12, and $PYTHON is $("$PYTHON" -V 2>&1): set PYTHON to a supported interpreter and run this again."
    local stamp want
    # python-ldap is left out: only auth_ldap needs it, and it needs the LDAP headers to build.
    grep -v '^python-ldap' "$ODOO_SRC/requirements.txt" > "$CACHE_DIR/odoo-requirements.txt"
    # An environment that exists is judged by its own interpreter, not by whichever python3
    # comes first on PATH (a pyenv shell, CI's bare PATH, or the environment's own bin/,
    # which bin/test puts first for the tests): only a changed Python or requirement rebuilds it.
    local interpreter="$PYTHON"
    [ -x "$VENV/bin/python" ] && interpreter="$VENV/bin/python"
    want="$( (cat "$CACHE_DIR/odoo-requirements.txt" "$REPO_ROOT/requirements.txt" "$REPO_ROOT/requirements-dev.txt"; "$interpreter" -V) | sha256sum | cut -c1-16)"
    stamp="$(cat "$VENV/.vp-stamp" 2>/dev/null || true)"
    if [ "$stamp" != "$want" ] || [ ! -x "$VENV/bin/python" ]; then
        say "Building the Python environment in $VENV (first run takes a few minutes) ..."
        [ -x "$VENV/bin/python" ] || "$PYTHON" -m venv "$VENV" \
            || die "Could not create a virtual environment: install python3-venv (sudo apt-get install python3-venv) and run this again."
        "$VENV/bin/python" -m pip install --quiet --upgrade pip 2>&1 | grep -v 'is ignored' >&2 || true
        # Odoo's pinned cbor2 does not build with setuptools 81 or newer.
        "$VENV/bin/python" -m pip install --quiet --build-constraint "$REPO_ROOT/build-constraints.txt" \
            -r "$CACHE_DIR/odoo-requirements.txt" -r "$REPO_ROOT/requirements.txt" \
            -r "$REPO_ROOT/requirements-dev.txt" > "$CACHE_DIR/pip.log" 2>&1 \
            || die "Installing the Python requirements failed (see $CACHE_DIR/pip.log): install the build headers (sudo apt-get install python3-dev libpq-dev libxml2-dev libxslt1-dev libjpeg-dev) and run this again."
        # The websocket process of a multi-process Odoo (--workers) starts by
        # patching with gevent, which loads its plugins through pkg_resources:
        # check here that it can, rather than watch that process die at start.
        "$VENV/bin/python" -c 'from gevent import monkey; monkey.patch_all()' >> "$CACHE_DIR/pip.log" 2>&1 \
            || die "gevent cannot start in $VENV (see the end of $CACHE_DIR/pip.log): the websocket process of Odoo with --workers would fail; check the zope.interface and zope.event pins in requirements.txt."
        echo "$want" > "$VENV/.vp-stamp"
    fi
    # Make `import odoo` work in the venv (pytest-odoo needs it), for whichever source is in use.
    "$VENV/bin/python" - "$ODOO_SRC" <<'PY'
import pathlib, sys, sysconfig
pathlib.Path(sysconfig.get_paths()["purelib"], "odoo-src.pth").write_text(sys.argv[1] + "\n")
PY
    export PATH="$VENV/bin:$PATH"
}

# --- System packages and PostgreSQL -----------------------------------------------
# What the system must provide. Installed with apt-get where this user may (root, or
# sudo without a password); otherwise one sentence says what to do.
can_install() {
    command -v apt-get >/dev/null || return 1
    [ "$(id -u)" = 0 ] && return 0
    command -v sudo >/dev/null && sudo -n true 2>/dev/null
}

as_root() {
    if [ "$(id -u)" = 0 ]; then "$@"; else sudo -n "$@"; fi
}

# ensure_packages "what it is for" command:package ...: installs the packages whose command is missing.
ensure_packages() {
    local why="$1" missing=() pair
    shift
    for pair in "$@"; do
        command -v "${pair%%:*}" >/dev/null || missing+=("${pair#*:}")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    if can_install; then
        say "Installing ${missing[*]} ($why) ..."
        as_root apt-get update -qq >/dev/null 2>&1 || true
        DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${missing[@]}" >/dev/null 2>&1 \
            || die "Installing ${missing[*]} with apt-get failed: install them yourself (sudo apt-get install ${missing[*]}) and run this again."
    else
        die "${missing[*]} missing ($why): install them (sudo apt-get install ${missing[*]}) and run this again."
    fi
}

# Starts the local cluster when nothing answers (a fresh machine, or one restarted).
start_postgres() {
    [ -n "${PGHOST:-}" ] && [ "${PGHOST:0:1}" != "/" ] && return 0   # a remote server is not ours to start
    command -v pg_isready >/dev/null && pg_isready -q 2>/dev/null && return 0
    ensure_packages "the database" psql:postgresql pg_isready:postgresql-client
    if command -v pg_ctlcluster >/dev/null && [ -d /etc/postgresql ]; then
        local version
        version="$(ls /etc/postgresql | sort -V | tail -n1)"
        say "Starting PostgreSQL $version ..."
        as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start >/dev/null 2>&1 || true
    elif command -v service >/dev/null; then
        as_root service postgresql start >/dev/null 2>&1 || true
    fi
    for _ in $(seq 1 30); do pg_isready -q 2>/dev/null && break; sleep 1; done
    # The role this user connects as, with the right to make databases (a fresh cluster has only postgres).
    if pg_isready -q 2>/dev/null && ! psql -d postgres -tAc 'SELECT 1' >/dev/null 2>&1 && can_install; then
        as_root su postgres -c "createuser --createdb '$(id -un)'" >/dev/null 2>&1 || true
    fi
}

check_postgres() {
    start_postgres
    "$VENV/bin/python" - <<'PY' || die "PostgreSQL is not running or does not accept connections for user ${PGUSER:-$(id -un)} on ${PGHOST:-its Unix socket}: start it (sudo service postgresql start), make sure that role exists with CREATEDB, and run this again."
import os, sys, psycopg2
kw = {k: os.environ[e] for k, e in (("host", "PGHOST"), ("port", "PGPORT"), ("user", "PGUSER"), ("password", "PGPASSWORD")) if os.environ.get(e)}
try:
    psycopg2.connect(dbname="postgres", connect_timeout=5, **kw).close()
except Exception:
    sys.exit(1)
PY
}

check_wkhtmltopdf() {
    # VP_WKHTMLTOPDF names another binary to use; the package is installed only for the default one.
    local binary="${VP_WKHTMLTOPDF:-wkhtmltopdf}"
    command -v "$binary" >/dev/null && return 0
    if [ -z "${VP_WKHTMLTOPDF:-}" ] && can_install; then
        ensure_packages "PDF reports" wkhtmltopdf:wkhtmltopdf
        return 0
    fi
    die "wkhtmltopdf is missing, and Odoo needs it for PDF reports: install it (sudo apt-get install wkhtmltopdf) and run this again."
}

# The browser tests: Chromium (Odoo's tours), pdftotext (the PDF tests), npm (axe-core).
check_test_tools() {
    ensure_packages "the browser and PDF tests" chromium:chromium pdftotext:poppler-utils npm:npm
}

# --- axe-core, the accessibility checker the browser tests run in the page ---
AXE_VERSION="4.10.3"
install_axe() {
    local axe="$CACHE_DIR/node/node_modules/axe-core/axe.min.js"
    if [ ! -s "$axe" ] || ! grep -q "\"version\": \"$AXE_VERSION\"" "$CACHE_DIR/node/node_modules/axe-core/package.json" 2>/dev/null; then
        command -v npm >/dev/null \
            || die "npm is missing, and the browser tests need it to install axe-core: install it (sudo apt-get install npm) and run this again."
        say "Installing axe-core $AXE_VERSION (accessibility checks of the public pages) ..."
        npm install --silent --no-audit --no-fund --prefix "$CACHE_DIR/node" "axe-core@$AXE_VERSION" >/dev/null \
            || die "Installing axe-core with npm failed: check that the npm registry can be reached and run this again."
    fi
    export VP_AXE_JS="$axe"
}

# --- Odoo configuration --------------------------------------------------------
# One config per checkout, so two checkouts (e.g. git worktrees) never test each other's code.
ODOO_CONF="$CACHE_DIR/odoo-$(printf %s "$REPO_ROOT" | sha256sum | cut -c1-8).conf"
# No master key: a new deployment seals content for its readers only. A database
# from before reader-held keys names its old key file with VP_MASTER_KEY_FILE, to
# move that content to its readers (docs/OPERATIONS.md, "Upgrading").
write_config() {
    local master_key_line=""
    if [ -n "${VP_MASTER_KEY_FILE:-}" ]; then
        [ -s "$VP_MASTER_KEY_FILE" ] || die "VP_MASTER_KEY_FILE=$VP_MASTER_KEY_FILE is not a readable key file."
        master_key_line="vp_master_key_file = $VP_MASTER_KEY_FILE"
    fi
    cat > "$ODOO_CONF" <<CONF
[options]
addons_path = $ODOO_SRC/addons,$REPO_ROOT
data_dir = $CACHE_DIR/data
db_host = ${PGHOST:-False}
db_port = ${PGPORT:-False}
db_user = ${PGUSER:-False}
db_password = ${PGPASSWORD:-False}
http_interface = ${VP_HTTP_INTERFACE:-127.0.0.1}
http_port = ${VP_HTTP_PORT:-8069}
gevent_port = ${VP_GEVENT_PORT:-$(( ${VP_HTTP_PORT:-8069} + 3 ))}
list_db = False
proxy_mode = False
vp_lockdown = True
$master_key_line
CONF
}

setup_all() {
    find_odoo_src
    build_venv
    check_postgres
    check_wkhtmltopdf
    write_config
}

odoo_bin() { "$VENV/bin/python" "$ODOO_SRC/odoo-bin" -c "$ODOO_CONF" "$@"; }

db_exists() {
    "$VENV/bin/python" - "$1" <<'PY'
import os, sys, psycopg2
kw = {k: os.environ[e] for k, e in (("host", "PGHOST"), ("port", "PGPORT"), ("user", "PGUSER"), ("password", "PGPASSWORD")) if os.environ.get(e)}
with psycopg2.connect(dbname="postgres", **kw) as c, c.cursor() as cr:
    cr.execute("SELECT 1 FROM pg_database WHERE datname = %s", (sys.argv[1],))
    sys.exit(0 if cr.fetchone() else 1)
PY
}

module_installed() {
    "$VENV/bin/python" - "$1" <<'PY'
import os, sys, psycopg2
kw = {k: os.environ[e] for k, e in (("host", "PGHOST"), ("port", "PGPORT"), ("user", "PGUSER"), ("password", "PGPASSWORD")) if os.environ.get(e)}
try:
    with psycopg2.connect(dbname=sys.argv[1], **kw) as c, c.cursor() as cr:
        cr.execute("SELECT 1 FROM ir_module_module WHERE name = 'vertrouwenspersoon' AND state = 'installed'")
        sys.exit(0 if cr.fetchone() else 1)
except psycopg2.Error:
    sys.exit(1)
PY
}

# Fails (and prints the lines) when an Odoo log holds a WARNING, ERROR or CRITICAL line.
assert_clean_log() {
    local bad
    bad="$(grep -E '^[0-9-]+ [0-9:,]+ [0-9]+ (WARNING|ERROR|CRITICAL) ' "$1" || true)"
    if [ -n "$bad" ]; then
        say "Installing the module logged warnings or errors (full log: $1):"
        say "$bad"
        exit 1
    fi
}

print_demo_logins() {
    cat <<TXT
Demo logins (password = login):
  vp_counsellor   counsellor
  vp_counsellor2  counsellor
  vp_counsellor_internal  internal counsellor of Zorggroep De Linde
  vp_coordinator  coordinator
  vp_hr           HR notice recipient
  vp_manager      management (annual report)
  vp_accountant   invoicing
  admin           administrator (password: admin)
Vault passphrases of the demo counsellors and HR (asked the first time confidential content is opened):
  vp_counsellor   vp_counsellor-kluis
  vp_counsellor2  vp_counsellor2-kluis
  vp_hr           vp_hr-kluis-demo
  vp_counsellor_internal  vp_counsellor_internal-kluis
Second factor (counsellors, coordinator, HR): after the password Odoo asks for an authentication
code. The demo logins share the authenticator secret VERTROUWENSPERSOONDEMOTOTPSECRET: add it to an
app, or print the code of this moment with bin/totp (docs/SECOND_FACTOR.md).
TXT
}
