"""Odoo's own test suites, with and without the addon (bin/odoo-suites).

Two commands:

``run ODOO-BIN-ARGS...``
    odoo-bin, with each selected test run once the whole registry is loaded.
    Odoo runs a test tagged ``at_install`` (the default of a TransactionCase)
    while it loads that test's module, in a registry holding that module and
    its dependencies only; on a database where later modules are installed,
    their data (record rules, columns, views) is there and their code is not.
    That is a state no server ever serves in, and one in which the addon is
    neither installed nor absent: hr_timesheet's TestTimesheet, run so, fails
    on the addon's record rule with ``KeyError: 'vp_time_type'`` because the
    field's module is not loaded yet (Odoo's own test disables its enterprise
    timesheet_grid rules for the same reason). So ``at_install`` tests are run
    here in the post-install phase, next to the ``post_install`` ones, with the
    modules of the database all loaded, as production runs them.

``compare LOG_WITHOUT LOG_WITH ALLOWED``
    Reads both runs' logs, prints their totals, and fails when a test that
    passes without the addon fails, errs or does not run with it, unless the
    file ALLOWED lists it (``<module>:<Class>.<test>  <reason>`` lines).
"""

import re
import sys
from collections import defaultdict

# "<date> <time> <pid> <LEVEL> <db> <logger>: <message>"; a test logs under its module's logger.
LOG_LINE = re.compile(r"^\S+ \S+ \d+ (?P<level>[A-Z]+) \S+ (?P<logger>[\w.]+): (?P<msg>.*)$")
TEST_LOGGER = re.compile(r"^odoo\.addons\.(?P<module>\w+)\.tests\.")
STARTING = re.compile(r"^Starting (?P<test>\w+\.\w+)")
# "FAIL: TestX.test_y", "ERROR: Subtest TestX.test_y (param=1)", and, for a class whose
# set-up failed (logged by unittest), "ERROR: setUpClass (odoo.addons.<module>.tests.<file>.TestX)"
OUTCOME = re.compile(r"^(?P<kind>FAIL|ERROR): (?:Subtest )?(?P<test>\w+\.\w+)")
CLASS_OUTCOME = re.compile(
    r"^(?P<kind>FAIL|ERROR): (?P<fixture>\w+) \(odoo\.addons\.(?P<module>\w+)\.tests\.[\w.]*?(?P<cls>\w+)\)"
)
TOTALS = re.compile(r"odoo\.tests\.result: (?P<totals>\d+ failed, \d+ error\(s\) of \d+ tests)")


def run(argv):
    from odoo.tools import config  # noqa: PLC0415 (odoo is importable in the venv only)

    # Odoo logs an error when its test framework is imported outside test mode; this is a test run.
    config["test_enable"] = True
    from odoo.tests import loader  # noqa: PLC0415
    from odoo.tests.suite import OdooSuite  # noqa: PLC0415

    make_suite = loader.make_suite

    def post_install_only(module_names, position="at_install"):
        if position == "at_install":
            return OdooSuite([])
        tests = [*make_suite(module_names, "at_install"), *make_suite(module_names, "post_install")]
        return OdooSuite(sorted(tests, key=lambda test: test.test_sequence))

    loader.make_suite = post_install_only
    import odoo.cli  # noqa: PLC0415

    sys.argv = ["odoo-bin", *argv]
    odoo.cli.main()


def read_log(path):
    """{test: "pass" | "fail" | "error"} of one run, and its closing totals (None if it died)."""
    outcomes, totals = {}, None
    with open(path, encoding="utf-8", errors="replace") as log:
        for line in log:
            if found := TOTALS.search(line):
                totals = found["totals"]
                continue
            if not (found := LOG_LINE.match(line.rstrip("\n"))):
                continue
            message, failed = found["msg"], found["level"] in ("ERROR", "CRITICAL")
            if failed and (fixture := CLASS_OUTCOME.match(message)):
                test, kind = f"{fixture['module']}:{fixture['cls']}.{fixture['fixture']}", fixture["kind"]
            elif not (logger := TEST_LOGGER.match(found["logger"])):
                continue
            elif started := STARTING.match(message):
                outcomes.setdefault(f"{logger['module']}:{started['test']}", "pass")
                continue
            elif failed and (outcome := OUTCOME.match(message)):
                test, kind = f"{logger['module']}:{outcome['test']}", outcome["kind"]
            else:
                continue
            if outcomes.get(test) != "error":
                outcomes[test] = kind.lower()
    return outcomes, totals


def read_allowed(path):
    allowed = {}
    with open(path, encoding="utf-8") as listing:
        for line in listing:
            line = line.strip()
            if line and not line.startswith("#"):
                test, _, reason = line.partition(" ")
                allowed[test] = reason.strip()
    return allowed


def compare(log_without, log_with, allowed_path):
    without, totals_without = read_log(log_without)
    with_addon, totals_with = read_log(log_with)
    allowed = read_allowed(allowed_path)
    for name, totals, path in (("without", totals_without, log_without), ("with", totals_with, log_with)):
        if totals is None:
            print(f"The run {name} the addon did not finish: see {path}.")
            return 1
    per_module = defaultdict(lambda: [0, 0, 0, 0])
    for test, outcome in with_addon.items():
        counts = per_module[test.split(":", 1)[0]]
        counts[0] += 1
        counts[1] += outcome != "pass"
    for test, outcome in without.items():
        counts = per_module[test.split(":", 1)[0]]
        counts[2] += 1
        counts[3] += outcome != "pass"
    print("Odoo's own tests (module: failing/run with the addon, failing/run without):")
    for module, (run_with, failed_with, run_without, failed_without) in sorted(per_module.items()):
        print(f"  {module:14} with {f'{failed_with}/{run_with}':9} without {failed_without}/{run_without}")
    print(f"  totals with the addon: {totals_with}; without: {totals_without}")
    for test in sorted(test for test, outcome in without.items() if outcome != "pass"):
        print(f"  fails without the addon too (Odoo's own, not compared): {test} ({without[test]})")
    worse, excused = [], []
    for test, outcome in sorted(without.items()):
        if outcome != "pass":
            continue
        now = with_addon.get(test, "not run")
        if now == "pass":
            continue
        (excused if test in allowed else worse).append((test, now))
    for test, now in excused:
        print(f"  allowed difference: {test} ({now}): {allowed[test]}")
    for test in sorted(set(allowed) - {test for test, _ in excused}):
        print(f"  allowed difference no longer seen, remove it from the list: {test}")
    if worse:
        print("Tests that pass without the addon and not with it:")
        for test, now in worse:
            print(f"  {test}: {now}")
        return 1
    print("No test fails with the addon that passes without it.")
    return 0


if __name__ == "__main__":
    command, *arguments = sys.argv[1:]
    if command == "run":
        run(arguments)
    elif command == "compare":
        sys.exit(compare(*arguments))
    else:
        sys.exit(f"unknown command {command}: use run or compare")
