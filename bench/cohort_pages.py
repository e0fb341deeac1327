"""Benchmark the staff cohort pages for a 10,000-learner cohort on PostgreSQL.

    .venv/bin/python bench/cohort_pages.py            # fresh database, generate, measure
    .venv/bin/python bench/cohort_pages.py --reuse    # measure again on the data of last run

The database ukmlearn_bench_scale is dropped, created and migrated; bench/synthetic.py then
loads one cohort of 10,000 learners in 2 courses of 100 lessons with 1,000,000 LessonProgress
rows (0..200 per learner, 100 on average). Each page is requested through Django's test
Client in this process, signed in as the cohort's owner with DEBUG off: one warm-up request
(which also counts the SQL queries with CaptureQueriesContext), then 10 timed requests.
Server time is the time from Client.get to the last byte of the response (the CSV export is
streamed to the end). The slowest query of the slowest page is then run under
EXPLAIN (ANALYZE, BUFFERS). Prints Markdown; exits 1 when an HTML page misses the target.
"""

import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DATABASE_URL = "postgres://postgres@127.0.0.1:5432/ukmlearn_bench_scale"
os.environ["DATABASE_URL"] = DATABASE_URL
os.environ["DJANGO_SETTINGS_MODULE"] = "ukmlearn.settings"
os.environ["DEBUG"] = "false"
os.environ["ALLOWED_HOSTS"] = "testserver"
# No collectstatic here: plain static URLs (the manifest lookup is not what is measured).
os.environ["STATIC_MANIFEST"] = "false"

LEARNERS = 10_000
COURSES = 2
LESSONS_PER_COURSE = 100
PROGRESS_ROWS = 1_000_000
SEED = 20260302
RUNS = 10
TARGET_MS = 300  # the target for the cohort pages (HTML); the export is a download
EXPORT = "roster CSV export (streamed to the end)"
PAGE_SIZE = 50  # cohorts.views.cohort_learners


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def recreate_database(url: str) -> None:
    """Drop the bench database if it exists, then create it empty."""
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    maintenance = urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def percentile(values: list[float], fraction: float) -> float:
    """Linear interpolation between closest ranks (p95 of 10 runs: between the 9th and 10th)."""
    ordered = sorted(values)
    position = (len(ordered) - 1) * fraction
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def fetch(client, url: str) -> tuple[int, int]:
    """GET the URL as a browser would (gzip accepted) and read the whole body; returns
    (status, bytes sent)."""
    response = client.get(url, headers={"accept-encoding": "gzip, deflate, br"})
    # The Client closes the response itself without firing close_old_connections: the
    # connection stays open across requests, as with CONN_MAX_AGE in production.
    if response.streaming:
        size = sum(len(chunk) for chunk in response.streaming_content)
    else:
        size = len(response.content)
    return response.status_code, size


def cpu_ns() -> tuple[int, int] | None:
    """(backend pid, CPU time used so far by this process plus that backend, in ns).

    On a shared machine wall time includes waiting for a core; the CPU time of the two
    processes that serve a request (they take turns: the client waits for every query) is
    what the request would take on an idle machine. None when the backend is not local."""
    from django.db import connection

    connection.ensure_connection()
    pid = connection.connection.info.backend_pid
    try:
        with open(f"/proc/{pid}/schedstat") as fh:
            backend = int(fh.read().split()[0])
    except OSError:
        return None
    return pid, time.process_time_ns() + backend


def measure(client, url: str):
    """Warm up once (counting queries, keeping their SQL for EXPLAIN), then time RUNS runs."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    statements = []

    def keep(execute, sql, params, many, context):
        statements.append((sql, params))
        return execute(sql, params, many, context)

    with CaptureQueriesContext(connection) as captured, connection.execute_wrapper(keep):
        status, size = fetch(client, url)
    # captured_queries reads connection.queries lazily: count before the next request.
    queries = len(captured.captured_queries)
    if status != 200:
        raise SystemExit(f"{url} answered {status}")
    times, cpu = [], []
    for _run in range(RUNS):
        cpu_start, start = cpu_ns(), time.perf_counter()
        fetch(client, url)
        times.append((time.perf_counter() - start) * 1000)
        cpu_end = cpu_ns()
        if cpu_start and cpu_end and cpu_start[0] == cpu_end[0]:  # same backend throughout
            cpu.append((cpu_end[1] - cpu_start[1]) / 1e6)
    return {
        "median": statistics.median(times),
        "p95": percentile(times, 0.95),
        "cpu": statistics.median(cpu) if len(cpu) == RUNS else None,
        "queries": queries,
        "bytes": size,
        "statements": statements,
    }


def explain_slowest(statements) -> tuple[float, str, str]:
    """EXPLAIN ANALYZE every SELECT of a request; returns (ms, SQL, plan) of the slowest."""
    from django.db import connection

    slowest = (-1.0, "", "")
    with connection.cursor() as cursor:
        for sql, params in statements:
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + sql, params)
            ms = cursor.fetchone()[0][0]["Execution Time"]
            if ms > slowest[0]:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
                plan = "\n".join(row[0] for row in cursor.fetchall())
                text = cursor.mogrify(sql, params) if params else sql
                slowest = (ms, text, plan)
    return slowest


def table_sizes() -> dict[str, str]:
    from django.db import connection

    names = ["users_user", "cohorts_membership", "courses_enrollment", "courses_lessonprogress"]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, pg_size_pretty(pg_total_relation_size(oid)) FROM pg_class "
            "WHERE relname = ANY(%s)",
            [names],
        )
        return dict(cursor.fetchall())


def main() -> int:
    reuse = "--reuse" in sys.argv[1:]
    started = time.perf_counter()
    if not reuse:
        recreate_database(DATABASE_URL)
        log("database ukmlearn_bench_scale recreated")

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from cohorts.models import Cohort, Membership

    migrate_start = time.perf_counter()
    call_command("migrate", verbosity=0)
    migrate_s = time.perf_counter() - migrate_start

    if reuse:
        cohort = Cohort.objects.filter(name__startswith="Angkatan Bench").latest("pk")
        owner_id, cohort_id, generation = cohort.owner_id, cohort.pk, None
    else:
        from bench.synthetic import generate

        log("generating ...")
        gen_start = time.perf_counter()
        data = generate(
            learners=LEARNERS,
            lessons_per_course=LESSONS_PER_COURSE,
            courses=COURSES,
            cohorts=1,
            progress_rows=PROGRESS_ROWS,
            seed=SEED,
        )
        generation = (time.perf_counter() - gen_start, data)
        owner_id, cohort_id = data.owner_id, data.cohort_ids[0]
        log(f"generated in {generation[0]:.1f} s: {data.counts}")

    from ukmlearn.users.models import User

    client = Client()
    client.force_login(User.objects.get(pk=owner_id))
    base = f"/staff/cohorts/{cohort_id}/"
    active = Membership.objects.filter(
        cohort_id=cohort_id, role=Membership.Role.LEARNER, left_at__isnull=True
    ).count()
    last_page = -(-active // PAGE_SIZE)
    middle = last_page // 2
    pages = [
        ("cohort detail", base),
        ("learners, by progress, page 1", f"{base}learners/?sort=progress"),
        ("learners, by last activity, page 1", f"{base}learners/?sort=-activity"),
        (f"learners, by name, page {middle} of {last_page}", f"{base}learners/?page={middle}"),
        ("at-risk list", f"{base}at-risk/"),
        (EXPORT, f"{base}export/roster/?format=csv"),
    ]
    results = {}
    load_before = os.getloadavg()[0]
    for label, url in pages:
        log(f"measuring {label} ...")
        results[label] = measure(client, url)
        log(f"  median {results[label]['median']:.0f} ms")

    slowest_label = max(results, key=lambda label: results[label]["median"])
    explain_ms, explain_sql, plan = explain_slowest(results[slowest_label]["statements"])
    total_s = time.perf_counter() - started

    print(
        f"Cohort pages, one cohort of {LEARNERS:,} learners, {COURSES} courses × "
        f"{LESSONS_PER_COURSE} lessons, {PROGRESS_ROWS:,} LessonProgress rows, "
        f"{connection.display_name} {connection.pg_version // 10000}; "
        f"{os.cpu_count()} cores; Django test Client in process, DEBUG off; "
        f"{RUNS} runs after one warm-up; load average {load_before:.1f} before, "
        f"{os.getloadavg()[0]:.1f} after."
    )
    print()
    print("| page | median ms | p95 ms | CPU ms (app + db) | SQL queries | bytes sent (gzip) |")
    print("|---|---:|---:|---:|---:|---:|")
    for label, _url in pages:
        r = results[label]
        flag = "" if r["median"] < TARGET_MS else " ⚠"
        cpu = "–" if r["cpu"] is None else f"{r['cpu']:.0f}"
        print(
            f"| {label} | {r['median']:.0f}{flag} | {r['p95']:.0f} | {cpu} | {r['queries']} | "
            f"{r['bytes']:,} |"
        )
    print()
    if generation:
        seconds, data = generation
        steps = ", ".join(f"{name} {s:.1f} s" for name, s in data.seconds.items())
        print(f"Generation: {seconds:.1f} s ({steps}); migrate {migrate_s:.1f} s.")
        print()
    sizes = table_sizes()
    print("Table sizes: " + ", ".join(f"{name} {size}" for name, size in sorted(sizes.items())))
    print()
    print(
        f"Slowest page: {slowest_label}. Its slowest query "
        f"({explain_ms:.0f} ms under EXPLAIN ANALYZE):"
    )
    print()
    print("```sql")
    print(explain_sql)
    print("```")
    print()
    print("```")
    print(plan)
    print("```")
    print()
    print(f"Whole run: {total_s:.0f} s.")
    missed = [label for label in results if results[label]["median"] >= TARGET_MS]
    pages_missed = [label for label in missed if label != EXPORT]
    print(
        f"Target: median < {TARGET_MS} ms for the HTML pages "
        f"({'missed by ' + ', '.join(pages_missed) if pages_missed else 'met'}); "
        f"⚠ marks anything at or over it, the export included."
    )
    return 1 if pages_missed else 0


if __name__ == "__main__":
    sys.exit(main())
