"""Benchmark of reader-held keys (the vault).

In one transaction that is rolled back (the database is left as it was), on a
database with the addon installed:

- the unlock: opening a counsellor's key with the passphrase (scrypt), and the
  whole of what the unlock route does besides (her own key and the evidence
  chains of the logs checked, content moved, waiting readers served);
- a counsellor's list of N cases (default 1,000) with the employee's name
  decrypted: the first read after the cases came in (each grant is still a
  sealed box and is moved under the keyring key on the way), then the reads
  after that (one symmetric unwrap per case, no public-key operation);
- the same list without content fields;
- intake submissions sealed for a counsellor with a key pair.

Each timing is the best of five runs and comes with its SQL query count. Run
it with the project's virtualenv:

    ~/.cache/vertrouwenspersoon/venv/bin/python benchmarks/vault.py \\
        -c ~/.cache/vertrouwenspersoon/odoo-<hash>.conf -d <database with the addon installed>
"""

import argparse
import time

from addon_env import addon_env

REPEAT = 5
PASSPHRASE = "benchmark lange zin 2026"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-c", "--config", required=True, help="Odoo configuration file (addons_path incl. this addon)")
    parser.add_argument("-d", "--database", required=True, help="database with vertrouwenspersoon installed")
    parser.add_argument("-n", "--cases", type=int, default=1000)
    parser.add_argument("--intakes", type=int, default=50)
    return parser.parse_args()


def timed(env, call, repeat=REPEAT, before=None):
    """Best wall time of ``repeat`` runs and the SQL queries of one run."""
    best, queries = None, None
    for _run in range(repeat):
        if before:
            before()
        env.invalidate_all()
        count = env.cr.sql_log_count
        start = time.perf_counter()
        call()
        env.flush_all()
        elapsed = time.perf_counter() - start
        queries = env.cr.sql_log_count - count
        best = elapsed if best is None else min(best, elapsed)
    return best, queries


def counsellor(env, login):
    return env["res.users"].create(
        {
            "name": f"Benchmark {login}",
            "login": login,
            "groups_id": [(6, 0, [env.ref("vertrouwenspersoon.group_counsellor").id])],
        }
    )


def main():
    args = parse_args()
    with addon_env(args.config, args.database, "vp.reader.key") as env:
        import odoo  # noqa: PLC0415  the script is run from the project's virtualenv
        from odoo.addons.vertrouwenspersoon.vault import session as vault_session  # noqa: PLC0415

        try:
            organisation = env["vp.organisation"].create({"name": "Benchmark vault", "code": "BENCHVAULT"})
            keyed = counsellor(env, "vp_bench_keyed")
            keys = env["vp.reader.key"].with_user(keyed)
            opened = keys._vp_set_passphrase(PASSPHRASE)
            unlock, unlock_queries = timed(env, lambda: keys._vp_open(PASSPHRASE))
            print(f"unlock (scrypt 2^15 x 8, X25519 for the keyring): {unlock * 1000:.0f} ms, {unlock_queries} queries")

            vals = [
                {
                    "organisation_id": organisation.id,
                    "counsellor_id": keyed.id,
                    "employee_name": f"Medewerker {i}",
                    "notes": "Benchmark",
                }
                for i in range(args.cases)
            ]
            env["vp.case"].create(vals)
            env.flush_all()

            def unlock_route():
                # What /vertrouwenspersoon/vault/unlock runs: the key opened, then the checks.
                vault = keys._vp_open(PASSPHRASE)
                with vault_session.opened(keys.env, vault):
                    keys._vp_after_unlock(vault)

            with vault_session.opened(keys.env, opened):
                keys._vp_after_unlock(opened)  # the first unlock keeps the checkpoint
            route, route_queries = timed(env, unlock_route)
            print(f"unlock with its checks (the route's work):        {route * 1000:.0f} ms, {route_queries} queries")

            def read(user, fields):
                return lambda: env["vp.case"].with_user(user).search_read([("counsellor_id", "=", user.id)], fields)

            with vault_session.opened(keys.env, opened):
                first, first_q = timed(env, read(keyed, ["name", "employee_name"]), repeat=1)
                with_names, with_q = timed(env, read(keyed, ["name", "employee_name"]))
            without, without_q = timed(env, read(keyed, ["name", "state"]))
            n = args.cases
            print(f"\nlist of {n:,} cases, best of {REPEAT}:")
            print(f"  vault, first read (grants moved under the keyring): {first * 1000:.0f} ms, {first_q} queries")
            print(f"  vault, with employee names:   {with_names * 1000:.0f} ms, {with_q} queries")
            print(f"  without content fields:       {without * 1000:.0f} ms, {without_q} queries")
            print(f"  vault / without content: {with_names / without:.1f}x")

            # The reads above wrote log lines; sealed into the evidence chain (as after
            # each commit), the next unlock checks all of them.
            sealed = env["vp.log.block"]._vp_seal_pending()
            checked, checked_q = timed(env, unlock_route, repeat=1)
            print(
                f"unlock after those reads ({sealed} log blocks sealed from them, checked): "
                f"{checked * 1000:.0f} ms, {checked_q} queries"
            )

            def intake(user):
                # As the intake page does: the request is registered and assigned,
                # then its content is sealed for its readers.
                def run():
                    cases_model = env["vp.case"].with_user(odoo.SUPERUSER_ID)
                    for i in range(args.intakes):
                        case = cases_model.create(
                            {"organisation_id": organisation.id, "counsellor_id": user.id, "intake_channel": "web"}
                        )
                        case.write({"employee_name": f"Intake {i}", "employee_phone": "06-12345678", "notes": "x"})

                return run

            env["vp.case"].flush_model()
            vault_intake, vault_intake_q = timed(env, intake(keyed), repeat=3)
            per = args.intakes
            print(f"\n{per} intake submissions (register, seal the content), best of 3:")
            print(f"  sealed for a key pair: {vault_intake / per * 1000:.1f} ms each, {vault_intake_q} queries")
        finally:
            env.cr.rollback()


if __name__ == "__main__":
    main()
