"""A database made by the release of 2026-12-01 upgrades with -u: nothing lost,
every security rule current, no content left on the master key.

The release is taken from the project's own git history (commit e6f225f) and
installed with its demo data and a master key, as that release ran; content of
every kind is added, and every content field is read back as its reader. Then the
current code upgrades the database, the readers choose their passphrases, the
coordinator places the requests that wait, and everything is checked: the row
counts, the record rules and access rights against this suite's fresh install,
each reader's content, the administrator's attacks, and the master key's share.

Odoo runs in processes of its own (odoo-bin), with a configuration, data
directory and database of this test's own."""

import base64
import json
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import odoo
from odoo.tests import TransactionCase, tagged
from odoo.tools import config

REPO = Path(__file__).resolve().parent.parent
RELEASE = "e6f225f"
# The release 18.0.2.1.0: reader-held keys, cases in a key store of their own.
KEY_STORES_RELEASE = "74e5f76"
MARKER = "VP-UPGRADE-RESULT:"
# The indexes of the addon's tables (name: definition): an updated database has each one
# a fresh install has (those init() creates too, such as the coordinator's unassigned list).
ADDON_INDEXES = "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename LIKE 'vp%'"
ODOO_BIN = Path(odoo.__path__[0]).parent / "odoo-bin"

# Run in the earlier release: content of every kind, added as a counsellor does,
# then every content field of every record read back as one of its readers.
ADD_AND_READ = r"""
import base64, json
from odoo.tools import config
counsellor = env.ref("vertrouwenspersoon.user_vp_counsellor")
counsellor2 = env.ref("vertrouwenspersoon.user_vp_counsellor2")
organisation = env.ref("vertrouwenspersoon.organisation_zorggroep")
as_counsellor = env(user=counsellor)
case = as_counsellor["vp.case"].create({
    "organisation_id": organisation.id,
    "region_id": env.ref("vertrouwenspersoon.region_zuid").id,
    "counsellor_id": counsellor.id,
    "business_unit_id": env.ref("vertrouwenspersoon.bu_linde_thuiszorg").id,
    "postcode": "4811",
    "behaviour_kind_ids": [(6, 0, [env.ref("vertrouwenspersoon.behaviour_kind_bullying").id])],
    "employee_name": "Upgrade Melder",
    "employee_email": "upgrade.melder@example.nl",
    "employee_phone": "06-55554444",
    "notes": "Verhaal van voor de update",
})
as_counsellor["vp.case.meeting"].create({"case_id": case.id, "channel": "in_person", "place": "Kantoor Tilburg"})
as_counsellor["vp.case.document"].create(
    {"case_id": case.id, "name": "verslag.txt", "data": base64.b64encode(b"Verslag van voor de update")}
)
consent = as_counsellor["vp.consent"].create(
    {"case_id": case.id, "level": "name_summary", "given_how": "email", "approved_summary": "Samenvatting oud"}
)
notice = as_counsellor["vp.notice"].create({
    "case_id": case.id, "organisation_id": organisation.id, "level": "name_summary", "consent_id": consent.id,
    "request_date": "2026-11-20", "summary": "Samenvatting oud",
})
notice.action_send()
as_counsellor["vp.breach"].create({
    "case_id": case.id, "ground": "conscience", "disclosed_what": "Doorbreking van voor de update",
    "disclosed_to": "Politie", "employee_informed": True, "approver_id": counsellor2.id,
})
engagement = env.ref("vertrouwenspersoon.engagement_zorggroep")
import datetime
as_counsellor["account.analytic.line"].create({
    "vp_time_type": "meeting", "vp_case_id": case.id, "unit_amount": 1.0,
    "date": max(engagement.date_start, datetime.date.today().replace(day=1)),
    "name": "Tijdnotitie van voor de update",
})
env.cr.commit()

def reader_of(record):
    if record._name == "vp.breach":
        return record.requested_by_id
    if record._name == "account.analytic.line":
        return record.user_id
    return record.sudo()._vp_case().counsellor_id

content = {}
for name in sorted(env.registry):
    model = env[name]
    fields_map = getattr(model, "_vp_encrypted_fields", None)
    if not fields_map or model._abstract or model._transient:
        continue
    for record in model.sudo().with_context(active_test=False).search([]):
        reader = reader_of(record)
        if not reader:
            continue
        values = record.with_user(reader).read(list(fields_map))[0]
        values = {
            key: (value.decode() if isinstance(value, bytes) else value) for key, value in values.items() if key != "id"
        }
        content[f"{name},{record.id}"] = {"reader": reader.login, "values": values}
line = env["account.analytic.line"].sudo().search([("vp_note_sealed", "!=", False)])
for record in line:
    content[f"account.analytic.line,{record.id}"] = {
        "reader": record.user_id.login, "values": {"vp_note": record.with_user(record.user_id).vp_note}
    }
print("MARKER" + json.dumps(content))
""".replace("MARKER", MARKER)

COUNT_TABLES = r"""
import json
env.cr.execute(
    "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() "
    "AND table_type = 'BASE TABLE' AND (table_name LIKE 'vp\\_%%' OR table_name IN "
    "('account_analytic_line', 'account_move', 'mail_activity', 'ir_attachment'))"
)
counts = {}
for (table,) in env.cr.fetchall():
    env.cr.execute(f"SELECT count(*) FROM {table}")
    counts[table] = env.cr.fetchone()[0]
print("MARKER" + json.dumps(counts))
""".replace("MARKER", MARKER)

# Run in the current code, after -u: what the people do (docs/OPERATIONS.md,
# "Upgrading"), then what each of them reads, and the administrator's attempts.
AFTER_UPGRADE = r"""
import json
from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.addons.vertrouwenspersoon.vault import session as vault_session

result = {"notes": []}
readers = env.ref("vertrouwenspersoon.group_counsellor").users | env.ref("vertrouwenspersoon.group_hr_notice").users
readers |= env["vp.breach"].sudo().search([]).approver_id
readers = readers.filtered("active")
# The demo's readers got their demo passphrases from the demo data at the update.
DEMO = {"vp_counsellor": "vp_counsellor-kluis", "vp_counsellor2": "vp_counsellor2-kluis",
        "vp_hr": "vp_hr-kluis-demo", "vp_counsellor_internal": "vp_counsellor_internal-kluis"}
passphrase = {user.id: DEMO.get(user.login) or f"{user.login}-na-de-update" for user in readers}
expected = json.loads(open(EXPECTED).read())

# 0. straight after the update, before anyone chooses a passphrase: every case of the
# release opens for its counsellor from the one key store (its key moved there from the
# release's own table: still under the master key, or already sealed for a demo reader
# by the update's demo data, which read it from the store too)
early, sources = {}, {}
for key, item in expected.items():
    name, res_id = key.split(",")
    if name != "vp.case":
        continue
    user = env["res.users"].search([("login", "=", item["reader"])])
    user_env = env(user=user)
    case = user_env[name].browse(int(res_id))
    if user_env["vp.reader.key"]._vp_own_key():
        with vault_session.opened_with_passphrase(user_env, passphrase[user.id]):
            case_sources = {}
            user_env["vp.record.key"]._get_data_keys("vp.case", case.ids, sources=case_sources)
            early[key] = {field: case[field] for field in item["values"]}
    else:
        case_sources = {}
        user_env["vp.record.key"]._get_data_keys("vp.case", case.ids, sources=case_sources)
        early[key] = {field: case[field] for field in item["values"]}
    sources[key] = case_sources[case.id]
    env.invalidate_all()
result["read_right_after"] = early
result["case_key_sources"] = sources

def unlock_all():
    for user in readers:
        user_env = env(user=user)
        with vault_session.opened_with_passphrase(user_env, passphrase[user.id]) as opened:
            user_env["vp.reader.key"]._vp_after_unlock(opened)

# 1. every reader chooses her passphrase (her cases move off the master key)
for user in readers:
    user_env = env(user=user)
    if user_env["vp.reader.key"]._vp_own_key():
        continue
    opened = user_env["vp.reader.key"]._vp_set_passphrase(passphrase[user.id])
    with vault_session.opened(user_env, opened):
        user_env["vp.record.key"]._vp_migrate_current_reader()
env.cr.commit()
unlock_all()
env.cr.commit()
# 2. the coordinator fills the duty roster and places the requests that wait
coordinator = env.ref("vertrouwenspersoon.user_vp_coordinator")
duty = env.ref("vertrouwenspersoon.vp_region_duty")
if not duty.roster_line_ids:
    env["vp.roster.line"].create({"region_id": duty.id, "user_id": env.ref("vertrouwenspersoon.user_vp_counsellor").id})
waiting = env["vp.case"].search([("counsellor_id", "=", False), ("state", "!=", "closed")])
result["waiting"] = len(waiting)
waiting.with_user(coordinator)._vp_assign_by_roster()
waiting._vp_place_on_duty()
env.cr.commit()
# 3. each reader unlocks once more (what she was given moves to her keys)
unlock_all()
unlock_all()
env.cr.commit()
result["dependants"] = env["vp.record.key"]._vp_master_key_dependants_by_kind()

# 4. each reader reads her content
read = {}
for key, item in expected.items():
    name, res_id = key.split(",")
    user = env["res.users"].search([("login", "=", item["reader"])])
    user_env = env(user=user)
    with vault_session.opened_with_passphrase(user_env, passphrase[user.id]):
        record = user_env[name].browse(int(res_id))
        values = {field: record[field] for field in item["values"]}
    read[key] = {field: (value.decode() if isinstance(value, bytes) else value) for field, value in values.items()}
result["read"] = read

# 5. the administrator's attempts, with the lockdown of the configuration
admin_env = env(user=env.ref("base.user_admin"))
attempts = {}
for label, attempt in (
    ("rule", lambda: admin_env["ir.rule"].create({
        "name": "x", "model_id": env["ir.model"]._get_id("vp.region"), "domain_force": "[(1, '=', 1)]"})),
    ("server_action", lambda: admin_env["ir.actions.server"].create({
        "name": "x", "model_id": env["ir.model"]._get_id("res.partner"), "state": "code",
        "code": "env.cr.execute('DELETE FROM vp_audit_log')"})),
    ("read", lambda: admin_env["vp.case"].search([], limit=1).read(["notes"])),
):
    try:
        with env.cr.savepoint():
            attempt()
        attempts[label] = "allowed"
    except (AccessError, UserError):
        attempts[label] = "refused"
result["attempts"] = attempts

# 6. the security records, to compare with a fresh install
rules = {}
security = [("module", "=", "vertrouwenspersoon"), ("model", "in", ("ir.rule", "ir.model.access"))]
for data in env["ir.model.data"].search(security):
    record = env[data.model].browse(data.res_id)
    if data.model == "ir.rule":
        rules[data.name] = [record.model_id.model, record.domain_force, sorted(record.groups.mapped("full_name")),
                            record.perm_read, record.perm_write, record.perm_create, record.perm_unlink, record.active]
    else:
        rules[data.name] = [record.model_id.model, record.group_id.full_name,
                            record.perm_read, record.perm_write, record.perm_create, record.perm_unlink]
result["rules"] = rules

# 7. what earlier releases kept for the annual report (triggers, functions, tables, job): gone
env.cr.execute(
    "SELECT (SELECT COUNT(*) FROM pg_trigger WHERE tgname LIKE 'vp\\_report\\_%%'),"
    " (SELECT COUNT(*) FROM pg_proc WHERE proname LIKE 'vp\\_report\\_%%'"
    "   AND pronamespace = current_schema()::regnamespace),"
    " (SELECT COUNT(*) FROM pg_class WHERE relname IN ('vp_report_count', 'vp_report_case_count'))"
)
result["report_layer"] = list(env.cr.fetchone())
result["report_job"] = bool(env.ref("vertrouwenspersoon.ir_cron_vp_compact_report_counts", raise_if_not_found=False))
# 8. no external id of the addon left pointing at a record that is gone
ids_by_model = {}
for data in env["ir.model.data"].search([("module", "=", "vertrouwenspersoon")]):
    ids_by_model.setdefault(data.model, {})[data.res_id] = data.name
dangling = []
for model, names in ids_by_model.items():
    if model in env:
        existing = set(env[model].browse(list(names)).exists().ids)
        dangling += [name for res_id, name in names.items() if res_id not in existing]
    else:
        dangling += list(names.values())
result["dangling_xmlids"] = sorted(dangling)
# 9. the furthest route of each case, filled by the update in SQL, is what vp.case computes
from odoo.addons.vertrouwenspersoon.const import ROUTE_RANKS
env.cr.execute("SELECT id, route_rank FROM vp_case")
stored = dict(env.cr.fetchall())
cases = env["vp.case"].sudo().with_context(active_test=False).browse(list(stored))
computed = {case.id: max((ROUTE_RANKS[route.category] for route in case.route_ids), default=0) for case in cases}
result["route_ranks"] = [stored == computed, sum(1 for rank in stored.values() if rank)]
# 10. the indexes of the addon's tables, as the update leaves them
env.cr.execute("ADDON_INDEXES")
result["indexes"] = dict(env.cr.fetchall())
print("MARKER" + json.dumps(result, default=str))
""".replace("MARKER", MARKER).replace('"ADDON_INDEXES"', repr(ADDON_INDEXES))


# Run in the release 18.0.2.1.0: a case sealed for its counsellor's vault and for a
# reporter's receipt code, then the content of every case each demo reader holds,
# read with her own opened vault, and the data key the receipt code opens.
SEAL_AND_READ = r"""
import json
from odoo.addons.vertrouwenspersoon import vault_session
DEMO = {"vp_counsellor": "vp_counsellor-kluis", "vp_counsellor2": "vp_counsellor2-kluis"}
counsellor = env.ref("vertrouwenspersoon.user_vp_counsellor")
as_counsellor = env(user=counsellor)
with vault_session.opened_with_passphrase(as_counsellor, DEMO["vp_counsellor"]):
    case = as_counsellor["vp.case"].create({
        "organisation_id": env.ref("vertrouwenspersoon.organisation_zorggroep").id,
        "region_id": env.ref("vertrouwenspersoon.region_zuid").id,
        "counsellor_id": counsellor.id,
        "business_unit_id": env.ref("vertrouwenspersoon.bu_linde_thuiszorg").id,
        "postcode": "4811",
        "behaviour_kind_ids": [(6, 0, [env.ref("vertrouwenspersoon.behaviour_kind_bullying").id])],
        "employee_name": "Verzegeld Voor De Update",
        "notes": "Verzegeld voor haar kluis, voor de update",
    })
    as_counsellor["vp.case.receipt"]._vp_create_for_case(case, CODE)
    # Notes on her hours, sealed on the line: under the case's key, and under the line's own
    # key for prevention work.
    import datetime
    engagement = env.ref("vertrouwenspersoon.engagement_zorggroep")
    day = max(engagement.date_start, datetime.date.today().replace(day=1))
    session = as_counsellor["vp.prevention.session"].create({
        "name": "Voorlichting", "organisation_id": case.organisation_id.id, "session_date": day, "hours": 1,
    })
    hours = as_counsellor["account.analytic.line"].create([
        {"vp_time_type": "meeting", "vp_case_id": case.id, "unit_amount": 1.0, "date": day,
         "name": "Tijdnotitie op de zaak, voor de update"},
        {"vp_time_type": "prevention", "vp_prevention_session_id": session.id, "unit_amount": 1.0, "date": day,
         "name": "Voorlichting aan het team, voor de update"},
    ])
env.cr.commit()
content = {}
with vault_session.opened_with_passphrase(as_counsellor, DEMO["vp_counsellor"]):
    for line in hours:
        content[f"account.analytic.line,{line.id}"] = {"reader": "vp_counsellor", "values": {"vp_note": line.vp_note}}
for login, passphrase in DEMO.items():
    user = env["res.users"].search([("login", "=", login)])
    user_env = env(user=user)
    with vault_session.opened_with_passphrase(user_env, passphrase):
        for record in user_env["vp.case"].search([("counsellor_id", "=", user.id)]):
            try:
                values = record.read(list(record._vp_encrypted_fields))[0]
            except vault_session.VaultLocked:
                continue  # waiting for a holder to unlock: she reads nothing of it yet
            values.pop("id")
            content[f"vp.case,{record.id}"] = {"reader": login, "values": values}
receipt, private_key = env["vp.case.receipt"]._vp_open(CODE)
receipt_key = receipt._vp_data_key(private_key).hex()
env.cr.execute("SELECT count(*) FROM vp_key_grant")
grants = env.cr.fetchone()[0]
print("MARKER" + json.dumps({"content": content, "case": case.id, "receipt_key": receipt_key, "grants": grants}))
""".replace("MARKER", MARKER)

# Run in the current code after -u: the same reads, from the one key store.
READ_AGAIN = r"""
import json
from odoo.addons.vertrouwenspersoon.vault import session as vault_session
DEMO = {"vp_counsellor": "vp_counsellor-kluis", "vp_counsellor2": "vp_counsellor2-kluis"}
expected = json.loads(open(EXPECTED).read())
read = {}
for key, item in expected["content"].items():
    name, res_id = key.split(",")
    user = env["res.users"].search([("login", "=", item["reader"])])
    user_env = env(user=user)
    with vault_session.opened_with_passphrase(user_env, DEMO[item["reader"]]):
        record = user_env[name].browse(int(res_id))
        read[key] = {field: record[field] for field in item["values"]}
receipt, private_key = env["vp.case.receipt"]._vp_open(CODE)
receipt_key = receipt._vp_data_key(private_key).hex()
env.cr.execute("SELECT count(*) FROM vp_record_grant WHERE res_model = 'vp.case'")
grants = env.cr.fetchone()[0]
env.cr.execute("SELECT to_regclass('vp_case_key') IS NULL AND to_regclass('vp_key_grant') IS NULL")
old_tables_gone = env.cr.fetchone()[0]
# The notes of the release's hours, moved into vp.timesheet.note as they were sealed.
env.cr.execute("SELECT count(*) FROM vp_timesheet_note WHERE sealed_as_line")
moved_notes = env.cr.fetchone()[0]
env.cr.execute(
    "SELECT count(*) FROM information_schema.columns WHERE table_name = 'account_analytic_line'"
    " AND column_name IN ('vp_note_sealed', 'vp_note_key')"
)
note_columns = env.cr.fetchone()[0]
env.cr.execute(
    "SELECT count(*) FROM pg_constraint"
    " WHERE conname IN ('vp_record_grant_one_holder', 'vp_record_grant_receipt_of_case')"
)
checks = env.cr.fetchone()[0]
print("MARKER" + json.dumps({
    "read": read, "receipt_key": receipt_key, "grants": grants, "old_tables_gone": old_tables_gone, "checks": checks,
    "moved_notes": moved_notes, "note_columns": note_columns,
    "old_models": env["ir.model"].search_count([("model", "in", ("vp.case.key", "vp.key.grant"))]),
    "old_xmlids": env["ir.model.data"].search_count(
        [("module", "=", "vertrouwenspersoon"), "|", ("name", "like", "vp_case_key"), ("name", "like", "vp_key_grant")]
    ),
}, default=str))
""".replace("MARKER", MARKER)

RECEIPT_CODE = "K7Q4-M2XP-9HNC-T3WD-YB6F"


def security_records(env):
    """The addon's record rules and access rights as the fresh install holds them."""
    records = {}
    for data in env["ir.model.data"].search(
        [("module", "=", "vertrouwenspersoon"), ("model", "in", ("ir.rule", "ir.model.access"))]
    ):
        record = env[data.model].browse(data.res_id)
        if data.model == "ir.rule":
            records[data.name] = [
                record.model_id.model,
                record.domain_force,
                sorted(record.groups.mapped("full_name")),
                record.perm_read,
                record.perm_write,
                record.perm_create,
                record.perm_unlink,
                record.active,
            ]
        else:
            records[data.name] = [
                record.model_id.model,
                record.group_id.full_name,
                record.perm_read,
                record.perm_write,
                record.perm_create,
                record.perm_unlink,
            ]
    return records


class UpgradeCase(TransactionCase):
    """An earlier release (``release``, a commit of the project's history) and the
    current code, each run by odoo-bin in a process of its own on one database."""

    release = RELEASE
    db_suffix = "upgrade"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.work = Path(tempfile.mkdtemp(prefix="vp-upgrade-"))
        cls.addClassCleanup(shutil.rmtree, cls.work, ignore_errors=True)
        cls.db = f"{config['db_name'] or 'vp'}_{cls.db_suffix}"[:60]
        old = cls.work / "old"
        old.mkdir()
        archive = subprocess.run(
            ["git", "-C", str(REPO), "archive", cls.release, "vertrouwenspersoon"], capture_output=True, check=False
        )
        if archive.returncode:
            raise AssertionError(
                f"The release {cls.release} is not in this clone's history (a shallow clone?): "
                f"{archive.stderr.decode()[:300]}"
            )
        subprocess.run(["tar", "-x", "-C", str(old)], input=archive.stdout, check=True)
        key = cls.work / "master.key"
        key.write_text(base64.b64encode(os.urandom(32)).decode() + "\n")
        cls.old_conf = cls._conf("old", str(old), key)
        cls.new_conf = cls._conf("new", str(REPO), key)
        cls._drop()
        cls.addClassCleanup(cls._drop)

    @classmethod
    def _conf(cls, name, addons, key):
        path = cls.work / f"{name}.conf"
        options = {
            "addons_path": f"{Path(odoo.__path__[0]).parent / 'addons'},{addons}",
            "data_dir": str(cls.work / "data"),
            "db_host": config["db_host"] or False,
            "db_port": config["db_port"] or False,
            "db_user": config["db_user"] or False,
            "db_password": config["db_password"] or False,
            "list_db": False,
            "vp_master_key_file": str(key),
            "vp_lockdown": True,
        }
        path.write_text("[options]\n" + "".join(f"{k} = {v}\n" for k, v in options.items()))
        return path

    @classmethod
    def _drop(cls):
        subprocess.run(
            [
                sys.executable,
                "-c",
                f"import psycopg2; c = psycopg2.connect(dbname='postgres'); c.autocommit = True; "
                f"c.cursor().execute('DROP DATABASE IF EXISTS \"{cls.db}\" WITH (FORCE)')",
            ],
            check=True,
        )

    def _odoo(self, conf, *args, command=(), stdin=None):
        run = subprocess.run(
            [sys.executable, str(ODOO_BIN), *command, "-c", str(conf), "-d", self.db, "--log-level", "warn", *args],
            input=stdin,
            capture_output=True,
            text=True,
            check=False,
            timeout=1800,
        )
        self.assertEqual(run.returncode, 0, run.stderr[-3000:])
        return run

    def _shell(self, conf, script):
        run = self._odoo(conf, command=("shell",), stdin=script)
        lines = [line for line in run.stdout.splitlines() if line.startswith(MARKER)]
        self.assertTrue(lines, run.stdout[-2000:] + run.stderr[-3000:])
        return json.loads(lines[-1][len(MARKER) :])


@tagged("post_install", "-at_install")
class TestUpgradeFromTheDecemberRelease(UpgradeCase):
    """Runs two Odoo installs in processes of their own: a few minutes."""

    def test_upgrade_keeps_everything_and_moves_it_to_its_readers(self):
        # The release of 2026-12-01, as it ran: demo data and a master key.
        self._odoo(self.old_conf, "-i", "vertrouwenspersoon", "--stop-after-init")
        before_content = self._shell(self.old_conf, ADD_AND_READ)
        before_counts = self._shell(self.old_conf, COUNT_TABLES)
        self.assertGreater(len(before_content), 40)
        expected = self.work / "expected.json"
        expected.write_text(json.dumps(before_content))

        self._odoo(self.new_conf, "-u", "vertrouwenspersoon", "--stop-after-init")
        result = self._shell(self.new_conf, f"EXPECTED = {str(expected)!r}\n" + textwrap.dedent(AFTER_UPGRADE))
        after_counts = self._shell(self.new_conf, COUNT_TABLES)

        # No record lost (the keys under the master key are meant to go, and the counts that
        # earlier releases kept for the annual report: it counts on demand).
        moved_off = {"vp_case_key", "vp_key_grant", "vp_record_key"}
        report_counts = {"vp_report_count", "vp_report_case_count"}
        self.assertTrue(report_counts <= set(before_counts), "the release kept the report's counts")
        self.assertFalse(report_counts & set(after_counts))
        self.assertEqual(result["report_layer"], [0, 0, 0], "no trigger, function or table of the kept counts")
        self.assertFalse(result["report_job"])
        self.assertEqual(result["dangling_xmlids"], [])
        self.assertTrue(result["route_ranks"][0], "every case's furthest route as vp.case computes it")
        self.assertGreater(result["route_ranks"][1], 5, "the demo's cases took routes")
        for table, count in before_counts.items():
            if table not in moved_off | report_counts:
                self.assertGreaterEqual(after_counts.get(table, 0), count, table)
        # Right after the update, each case opens for its counsellor from the one key store.
        cases_before = {key: item["values"] for key, item in before_content.items() if key.startswith("vp.case,")}
        self.assertTrue(cases_before)
        self.assertEqual(result["read_right_after"], cases_before)
        self.assertLessEqual(set(result["case_key_sources"].values()), {"vault", "master"})
        # Every reader reads what she read before.
        self.assertEqual(set(result["read"]), set(before_content))
        for key, item in before_content.items():
            self.assertEqual(result["read"][key], item["values"], key)
        # Nothing is left on the master key.
        self.assertEqual(result["dependants"], {"cases": 0, "records": 0, "notes": 0})
        self.assertNotIn("vp_case_key", after_counts, "the old key store is gone")
        self.assertNotIn("vp_key_grant", after_counts)
        self.assertEqual(after_counts["vp_record_key"], 0)
        # The administrator's attempts fail.
        self.assertEqual(result["attempts"], {"rule": "refused", "server_action": "refused", "read": "refused"})
        # Every record rule and access right is the fresh install's.
        self.assertEqual(result["rules"], security_records(self.env))
        # Every index of the fresh install, as the fresh install defines it.
        self.env.cr.execute(ADDON_INDEXES)
        fresh_indexes = dict(self.env.cr.fetchall())
        self.assertEqual({name: result["indexes"].get(name) for name in fresh_indexes}, fresh_indexes)


@tagged("post_install", "-at_install")
class TestUpgradeFromTheTwoKeyStores(UpgradeCase):
    """The release 18.0.2.1.0 kept cases' keys and grants in a store of their own
    (vp.case.key, vp.key.grant). Its grants are sealed for the readers' public keys,
    which the server cannot seal again: after the update each case opens for its
    counsellor, from the one key store, with her own vault, and for the reporter
    with her receipt code."""

    release = KEY_STORES_RELEASE
    db_suffix = "upgrade_keys"

    def test_cases_sealed_for_their_readers_still_open(self):
        self._odoo(self.old_conf, "-i", "vertrouwenspersoon", "--stop-after-init")
        before = self._shell(self.old_conf, f"CODE = {RECEIPT_CODE!r}\n" + textwrap.dedent(SEAL_AND_READ))
        self.assertGreater(len(before["content"]), 5)
        self.assertIn(f"vp.case,{before['case']}", before["content"])
        expected = self.work / "expected.json"
        expected.write_text(json.dumps(before))

        self._odoo(self.new_conf, "-u", "vertrouwenspersoon", "--stop-after-init")
        after = self._shell(
            self.new_conf,
            f"EXPECTED = {str(expected)!r}\nCODE = {RECEIPT_CODE!r}\n" + textwrap.dedent(READ_AGAIN),
        )
        self.assertEqual(after["read"], {key: item["values"] for key, item in before["content"].items()})
        self.assertEqual(after["receipt_key"], before["receipt_key"])
        self.assertEqual(after["grants"], before["grants"], "every grant moved into the one key store")
        self.assertTrue(after["old_tables_gone"])
        self.assertEqual(after["checks"], 2, "a grant has one holder, and a receipt code holds a case's key only")
        self.assertEqual(after["old_models"], 0)
        self.assertEqual(after["old_xmlids"], 0)
        # The notes of the release's hours open as before (in "read" above), from their new model.
        self.assertGreaterEqual(after["moved_notes"], 2)
        self.assertEqual(after["note_columns"], 0)
        notes = [key for key in before["content"] if key.startswith("account.analytic.line,")]
        self.assertEqual(len(notes), 2)
        self.assertTrue(all(before["content"][key]["values"]["vp_note"] for key in notes))
