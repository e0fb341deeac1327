"""Benchmark the cross-cohort outcome report over 100,000 learners on PostgreSQL (issue 7).

    .venv/bin/python bench/outcome_report.py            # generate once, then measure
    .venv/bin/python bench/outcome_report.py --fresh    # drop the database and generate again
    .venv/bin/python bench/outcome_report.py --strict   # exit 1 when the target is missed

The database (DATABASE_URL, default ukmlearn_bench_outcomes) is created when missing and
migrated; bench/outcomes_data.py loads 100,000 learners in 200 cohorts with their enrolments,
certificates and survey responses, or reuses them when an earlier run left them complete.

Measured, each once as a warm-up (counting the SQL queries) and then RUNS times:

- outcomes.report.build over every cohort (what a superuser's unfiltered report computes),
  over the cohorts of one partner, and over every cohort for one province and gender;
- the report page (GET /reports/outcomes/) through Django's test Client as a superuser,
  and as a member of one partner; and the CSV export of the unfiltered report, streamed to
  the end.

Every SELECT of the unfiltered build is then run under EXPLAIN (ANALYZE, BUFFERS); the time
per report function is printed (with the JIT compilation time PostgreSQL spent on it), and
the plan of the slowest query goes to stderr. Prints Markdown (for the bench:outcome_report
block of docs/performance.md). A missed 2 s target is printed and marked; with --strict it
also makes the exit status 1 (bench/run.py then keeps the old block).
"""

import inspect
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ukmlearn_bench_outcomes")
os.environ["DJANGO_SETTINGS_MODULE"] = "ukmlearn.settings"
os.environ["DEBUG"] = "false"
os.environ["ALLOWED_HOSTS"] = "testserver"
os.environ["STATIC_MANIFEST"] = "false"  # plain static URLs: no collectstatic needed

from bench import common  # noqa: E402 - needs the path set above

SEED = 20260401
RUNS = 5
TARGET_S = 2.0
MAIN = "build, all cohorts (superuser)"
ADMIN_PHONE = "+628990000001"
PARTNER_PHONE = "+628990000002"


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def recreate_database(url: str) -> None:
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if "bench" not in name:
        raise SystemExit(f"refusing to drop {name!r}: not a bench database")
    maintenance = urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    log(f"database {name} recreated")


def cpu_ns() -> tuple[int, int] | None:
    """(backend pid, CPU ns used so far by this process plus its PostgreSQL backend); see
    bench/cohort_pages.py. None when the backend is not on this machine."""
    from django.db import connection

    connection.ensure_connection()
    pid = connection.connection.info.backend_pid
    try:
        with open(f"/proc/{pid}/schedstat") as fh:
            backend = int(fh.read().split()[0])
    except OSError:
        return None
    return pid, time.process_time_ns() + backend


def report_function() -> str:
    """The outcomes.report function (or the view) that is running the current query."""
    for frame in inspect.stack(context=0)[2:]:
        name = frame.filename.replace(os.sep, "/")
        if name.endswith("outcomes/report.py") and frame.function not in ("build",):
            return frame.function
        if name.endswith("outcomes/views.py"):
            return f"views.{frame.function}"
    return "?"


def measure(func) -> dict:
    """Warm up once (counting queries, keeping their SQL), then time RUNS calls."""
    from django.db import connection

    statements = []

    def keep(execute, sql, params, many, context):
        statements.append((report_function(), sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(keep):
        size = func()
    times, cpu = [], []
    for _run in range(RUNS):
        cpu_start, start = cpu_ns(), time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
        cpu_end = cpu_ns()
        if cpu_start and cpu_end and cpu_start[0] == cpu_end[0]:
            cpu.append((cpu_end[1] - cpu_start[1]) / 1e9)
    return {
        "median": statistics.median(times),
        "max": max(times),
        "cpu": statistics.median(cpu) if len(cpu) == RUNS else None,
        "queries": len(statements),
        "size": size,
        "statements": statements,
    }


def fetch(client, url: str) -> int:
    """GET the URL as a browser would (gzip accepted), read the whole body; bytes sent."""
    response = client.get(url, headers={"accept-encoding": "gzip, deflate, br"})
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")
    if response.streaming:
        return sum(len(chunk) for chunk in response.streaming_content)
    return len(response.content)


def explain(statements) -> tuple[dict, tuple]:
    """EXPLAIN ANALYZE every SELECT: ({function: [ms, queries, JIT ms]}, (ms, function, SQL,
    plan) of the slowest). The execution time includes the JIT compilation, if any."""
    from django.db import connection

    per_function: dict[str, list] = {}
    slowest = (-1.0, "", "", "")
    with connection.cursor() as cursor:
        for function, sql, params in statements:
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + sql, params)
            result = cursor.fetchone()[0][0]
            ms = result["Execution Time"]
            entry = per_function.setdefault(function, [0.0, 0, 0.0])
            entry[0] += ms
            entry[1] += 1
            entry[2] += result.get("JIT", {}).get("Timing", {}).get("Total", 0.0)
            if ms > slowest[0]:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
                plan = "\n".join(row[0] for row in cursor.fetchall())
                text = cursor.mogrify(sql, params) if params else sql
                slowest = (ms, function, text, plan)
    return per_function, slowest


def data_summary() -> dict:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT
              (SELECT count(*) FROM cohorts_membership WHERE role = 'learner'),
              (SELECT count(*) FROM cohorts_cohort),
              (SELECT count(*) FROM courses_enrollment),
              (SELECT count(*) FROM courses_certificate WHERE status = 'issued'),
              (SELECT count(*) FROM outcomes_response),
              (SELECT count(*) FILTER (WHERE wave = 'baseline') FROM outcomes_response
                 WHERE status = 'submitted'),
              (SELECT count(*) FILTER (WHERE wave = 'endline') FROM outcomes_response
                 WHERE status = 'submitted'),
              (SELECT count(*) FILTER (WHERE wave = 'followup') FROM outcomes_response
                 WHERE status = 'submitted'),
              pg_size_pretty(pg_total_relation_size('outcomes_response'))
            """
        )
        row = cursor.fetchone()
    keys = ["learners", "cohorts", "enrolments", "certificates", "responses", "baseline"]
    keys += ["endline", "followup", "response table"]
    return dict(zip(keys, row, strict=True))


def main() -> int:
    started = time.perf_counter()
    url = os.environ["DATABASE_URL"]
    strict = "--strict" in sys.argv[1:]
    if "--fresh" in sys.argv[1:]:
        recreate_database(url)
    else:
        common.ensure_database(url)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from bench.outcomes_data import COHORT_PREFIX, PARTNER_PREFIX, ensure_data
    from cohorts.models import Cohort
    from outcomes import report as outcome_report
    from outcomes.models import Partner
    from ukmlearn.users.models import User

    call_command("migrate", verbosity=0)
    data = ensure_data(SEED)
    if not data["reused"]:
        log(f"generated in {data['seconds']['total']:.0f} s: {data['counts']}")

    admin = User.objects.filter(phone=ADMIN_PHONE).first() or User.objects.create_superuser(
        ADMIN_PHONE, name="Admin Bench"
    )
    partner = Partner.objects.filter(name__startswith=PARTNER_PREFIX).order_by("pk").first()
    reader = User.objects.filter(phone=PARTNER_PHONE).first() or User.objects.create_user(
        PARTNER_PHONE, name="Mitra Bench", is_learner=False
    )
    partner.members.add(reader)
    shared = partner.cohorts.count()
    summary = data_summary()

    everything = Cohort.objects.all()
    province, gender = "jabar", "female"
    scopes = [
        (MAIN, outcome_report.Scope(cohorts=everything)),
        (
            f"build, one partner ({shared} cohorts)",
            outcome_report.scope_from_filters(everything, {"partner": partner}),
        ),
        (
            f"build, all cohorts, province {province} + gender {gender}",
            outcome_report.scope_from_filters(everything, {"province": province, "gender": gender}),
        ),
    ]
    results = {}
    paired = None
    load_before = os.getloadavg()[0]
    for label, scope in scopes:
        log(f"measuring {label} ...")

        results[label] = measure(lambda scope=scope: outcome_report.build(scope))
        log(f"  median {results[label]['median']:.2f} s, {results[label]['queries']} queries")
        if label == MAIN:
            paired = outcome_report.build(scope).paired

    admin_client, partner_client = Client(), Client()
    admin_client.force_login(admin)
    partner_client.force_login(reader)
    pages = [
        ("GET /reports/outcomes/ (superuser, all cohorts)", admin_client, "/reports/outcomes/"),
        (
            f"GET /reports/outcomes/ (partner member, {shared} cohorts)",
            partner_client,
            "/reports/outcomes/",
        ),
        (
            "GET /reports/outcomes/export/ (CSV, all cohorts, streamed)",
            admin_client,
            "/reports/outcomes/export/?format=csv",
        ),
    ]
    for label, client, path in pages:
        log(f"measuring {label} ...")
        results[label] = measure(lambda client=client, path=path: fetch(client, path))
        log(f"  median {results[label]['median']:.2f} s, {results[label]['queries']} queries")

    log("EXPLAIN ANALYZE of the unfiltered build ...")
    per_function, slowest = explain(results[MAIN]["statements"])
    log(f"slowest query ({slowest[0]:.0f} ms, {slowest[1]}):\n{slowest[2]}\n{slowest[3]}")
    total_s = time.perf_counter() - started

    cohort_count = Cohort.objects.filter(name__startswith=COHORT_PREFIX).count()
    print(
        f"{summary['learners']:,} learners in {cohort_count} cohorts, "
        f"{summary['enrolments']:,} enrolments, {summary['certificates']:,} issued "
        f"certificates; {summary['responses']:,} survey responses "
        f"({summary['response table']}): sent baseline {summary['baseline']:,}, "
        f"endline {summary['endline']:,}, follow-up {summary['followup']:,}; "
        f"{paired.count:,} paired (baseline and endline). Generated by `bench/outcomes_data.py` "
        f"(seed {SEED}). {connection.display_name} {connection.pg_version // 10000}, "
        f"{os.cpu_count()} cores; Django test Client in process, DEBUG off; "
        f"{RUNS} runs after one warm-up; load average {load_before:.1f} before, "
        f"{os.getloadavg()[0]:.1f} after."
    )
    print()
    print("| what | median s | max s | CPU s (app + db) | SQL queries | bytes sent (gzip) |")
    print("|---|---:|---:|---:|---:|---:|")
    for label, r in results.items():
        flag = " ⚠" if r["median"] >= TARGET_S else ""
        cpu = "–" if r["cpu"] is None else f"{r['cpu']:.2f}"
        size = f"{r['size']:,}" if isinstance(r["size"], int) else ""
        print(
            f"| {label} | {r['median']:.2f}{flag} | {r['max']:.2f} | {cpu} | {r['queries']} "
            f"| {size} |"
        )
    print()
    total_ms = sum(ms for ms, _n, _jit in per_function.values())
    total_jit = sum(jit for _ms, _n, jit in per_function.values())

    def part(name, ms, n, jit):
        queries = f"{n} {'query' if n == 1 else 'queries'}"
        return f"`{name}` {ms:,.0f} ms ({queries}" + (f", JIT {jit:,.0f} ms)" if jit else ")")

    parts = sorted(per_function.items(), key=lambda item: -item[1][0])
    print(
        f"Where the unfiltered build spends its time, by report function (EXPLAIN ANALYZE, "
        f"{total_ms:,.0f} ms in all, of which JIT compilation {total_jit:,.0f} ms): "
        + "; ".join(part(name, *values) for name, values in parts)
        + "."
    )
    print()
    main_median = results[MAIN]["median"]
    met = main_median < TARGET_S
    print(
        f"Target: the cross-cohort report under {TARGET_S:.0f} s — "
        f"{'met' if met else 'missed'} ({MAIN}: median {main_median:.2f} s). "
        f"⚠ marks anything at or over {TARGET_S:.0f} s. Whole run {total_s:.0f} s"
        + ("" if data["reused"] else f", of which generation {data['seconds']['total']:.0f} s")
        + "."
    )
    return 1 if strict and not met else 0


if __name__ == "__main__":
    sys.exit(main())
