"""Benchmark the heaviest pages and reports with the whole programme at scale (issue 8).

    .venv/bin/python bench/scale.py            # generate once, then measure
    .venv/bin/python bench/scale.py --fresh    # drop the database and generate again
    .venv/bin/python bench/scale.py --strict   # exit 1 when an HTML page misses the target

The database (DATABASE_URL, default ukmlearn_bench_big) is created when missing and
migrated; bench/mentoring_data.py fills it once (100,000 learners, 1,000,000 lesson-progress
rows, 200 cohorts of 500, 8,000 mentors, confirmed pairings, 50,000 mentoring sessions, task
submissions, certificates, notifications, survey responses) and later runs reuse it.

Every page is requested through Django's test Client in this process (DEBUG off, plain
static URLs), signed in as whoever may open it: a learner with three cohort courses (whose
mentor has a full list), that mentor, and the staff member who owns the 200 cohorts. Each is
requested once as a warm-up (counting the SQL queries with CaptureQueriesContext and keeping
them), then RUNS times: median and max server time (Client.get to the last byte, streamed
downloads read to the end), CPU of this process plus its PostgreSQL backend, bytes sent
(gzip accepted). The reminder rules (what the 15-minute sweep evaluates before it writes) are
timed the same way as plain calls. Every SELECT of a page's warm-up is then run under
EXPLAIN ANALYZE: the slowest one is shown per page, and its plan goes to stderr for the
pages that miss their target. Prints Markdown for the bench:scale block of
docs/performance.md.
"""

import os
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ukmlearn_bench_big")
os.environ["DJANGO_SETTINGS_MODULE"] = "ukmlearn.settings"
os.environ["DEBUG"] = "false"
os.environ["ALLOWED_HOSTS"] = "testserver"
os.environ["STATIC_MANIFEST"] = "false"  # plain static URLs: no collectstatic needed

from bench import common  # noqa: E402 - needs the path set above

SEED = 20260408
RUNS = 5
SWEEP_RUNS = 2  # each reminder rule takes seconds: 2 timed runs keep the whole run short
HTML_TARGET_MS = 300  # issue 8: server time of an HTML page at this size
REPORT_TARGET_MS = 2000  # issue 7: the cross-cohort outcome report
PAGE_SIZE = 50  # cohorts.views.cohort_learners
TOTP_SECRET = "KVFUWTDFIFJE4IBENCH4SCALEBENCH22"  # noqa: S105 - bench data only


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
    """(backend pid, CPU ns used so far by this process plus its PostgreSQL backend). On a
    shared machine wall time includes waiting for a core; the CPU time of the two processes
    that serve a request is what it costs. None when the backend is not on this machine."""
    from django.db import connection

    connection.ensure_connection()
    pid = connection.connection.info.backend_pid
    try:
        with open(f"/proc/{pid}/schedstat") as fh:
            backend = int(fh.read().split()[0])
    except OSError:
        return None
    return pid, time.process_time_ns() + backend


def fetch(client, url: str) -> int:
    """GET the URL as a browser would (gzip accepted), read the whole body; bytes sent."""
    response = client.get(url, headers={"accept-encoding": "gzip, deflate, br"})
    if response.status_code != 200:
        where = response.get("Location", "")
        raise SystemExit(f"{url} answered {response.status_code} {where}")
    if response.streaming:
        return sum(len(chunk) for chunk in response.streaming_content)
    return len(response.content)


def measure(func, runs: int = RUNS) -> dict:
    """Warm up once (counting the queries, keeping their SQL), then time ``runs`` calls."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    statements = []

    def keep(execute, sql, params, many, context):
        statements.append((sql, params))
        return execute(sql, params, many, context)

    with CaptureQueriesContext(connection) as captured, connection.execute_wrapper(keep):
        size = func()
    queries = len(captured.captured_queries)
    times, cpu = [], []
    for _run in range(runs):
        cpu_start, start = cpu_ns(), time.perf_counter()
        func()
        times.append((time.perf_counter() - start) * 1000)
        cpu_end = cpu_ns()
        if cpu_start and cpu_end and cpu_start[0] == cpu_end[0]:  # same backend throughout
            cpu.append((cpu_end[1] - cpu_start[1]) / 1e6)
    return {
        "median": statistics.median(times),
        "max": max(times),
        "cpu": statistics.median(cpu) if len(cpu) == runs else None,
        "queries": queries,
        "size": size,
        "statements": statements,
    }


def explain_slowest(statements) -> tuple[float, str, str]:
    """EXPLAIN ANALYZE every SELECT of a warm-up; (ms, SQL, plan) of the slowest."""
    from django.db import connection

    slowest = (0.0, "", "")
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


def data_summary() -> dict:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT
              (SELECT count(*) FROM cohorts_membership WHERE role = 'learner'),
              (SELECT count(*) FROM cohorts_membership WHERE role = 'mentor'),
              (SELECT count(*) FROM cohorts_cohort),
              (SELECT count(*) FROM courses_enrollment),
              (SELECT count(*) FROM courses_lessonprogress),
              (SELECT count(*) FROM cohorts_attendance),
              (SELECT count(*) FROM mentoring_pairing WHERE status = 'active'),
              (SELECT count(*) FROM mentoring_mentoringsession),
              (SELECT count(*) FROM mentoring_actionitem),
              (SELECT count(*) FROM courses_tasksubmission),
              (SELECT count(*) FROM courses_tasksubmission WHERE status = 'submitted'),
              (SELECT count(*) FROM courses_certificate WHERE status = 'issued'),
              (SELECT count(*) FROM notifications_notification),
              (SELECT count(*) FROM outcomes_response),
              pg_size_pretty(pg_database_size(current_database()))
            """
        )
        row = cursor.fetchone()
    keys = ["learners", "mentors", "cohorts", "enrolments", "progress", "attendance"]
    keys += ["pairings", "sessions", "actions", "submissions", "waiting", "certificates"]
    keys += ["notifications", "responses", "size"]
    return dict(zip(keys, row, strict=True))


def pick_subjects() -> dict:
    """The people and objects the pages are opened for (found again on every run)."""
    from django.db.models import Count

    from bench.mentoring_data import COHORT_PREFIX
    from cohorts.models import Cohort, Membership
    from courses.models import Enrollment, LessonProgress, TaskSubmission
    from mentoring.models import Pairing
    from ukmlearn.users.models import BusinessProfile, User

    cohort = Cohort.objects.filter(name__startswith=COHORT_PREFIX).order_by("pk").first()
    # The mentor with the longest list of the cohort (a full one, FULL_LOAD mentees).
    top = (
        Pairing.objects.filter(cohort=cohort, status=Pairing.Status.ACTIVE)
        .values("mentor_id")
        .annotate(n=Count("id"))
        .order_by("-n", "mentor_id")
        .first()
    )
    mentor = User.objects.get(pk=top["mentor_id"])
    # Their mentee with the most sessions who is still working on a course.
    candidates = (
        Pairing.objects.filter(cohort=cohort, mentor=mentor, status=Pairing.Status.ACTIVE)
        .annotate(n=Count("sessions"))
        .order_by("-n", "pk")
    )
    for pairing in candidates:
        # The home page sends a learner with an incomplete business profile to fill it in.
        if not BusinessProfile.objects.filter(
            user_id=pairing.learner_id, year_started__isnull=False, workers__isnull=False
        ).exists():
            continue
        enrolment = (
            Enrollment.objects.filter(
                user_id=pairing.learner_id,
                completed_at__isnull=True,
                last_activity_at__isnull=False,
            )
            .select_related("course")
            .order_by("-last_activity_at")
            .first()
        )
        if enrolment is not None:
            break
    else:
        raise SystemExit("no mentee of the busiest mentor has a course in progress")
    # A lesson the learner has opened already: opening it again adds no progress row.
    lesson_id = (
        LessonProgress.objects.filter(enrollment=enrolment)
        .order_by("-started_at", "-id")
        .values_list("lesson_id", flat=True)
        .first()
    )
    task = (
        TaskSubmission.objects.filter(enrollment__user_id=pairing.learner_id)
        .select_related("enrollment__course")
        .order_by("-submitted_at")
        .first()
    )
    active = Membership.objects.filter(
        cohort=cohort, role=Membership.Role.LEARNER, left_at__isnull=True
    ).count()
    return {
        "cohort": cohort,
        "staff": cohort.owner,
        "mentor": mentor,
        "mentees": top["n"],
        "pairing": pairing,
        "learner": pairing.learner,
        "enrolments": Enrollment.objects.filter(user_id=pairing.learner_id).count(),
        "course": enrolment.course,
        "lesson_id": lesson_id,
        "task": task,
        "learner_pages": -(-active // PAGE_SIZE),
    }


def two_factor(user) -> None:
    """Staff and mentors must have two-factor authentication set up, or every page sends
    them to set it up (ukmlearn.security.RequireTwoFactorMiddleware): give them a TOTP
    authenticator, as the demo data does. Signing in then marks the session as set up."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP

    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, TOTP_SECRET)


def main() -> int:  # noqa: PLR0915 - a script: set up, measure, print
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
    from django.utils import timezone

    from bench.mentoring_data import COHORT_PREFIX, ensure_data
    from cohorts.models import Cohort, LiveSession
    from ukmlearn.notifications import services as reminders
    from ukmlearn.notifications.models import ReminderRule

    call_command("migrate", verbosity=0)
    data = ensure_data(SEED)
    if not data["reused"]:
        log(f"generated in {data['seconds']['total']:.0f} s: {data['counts']}")
        log("  " + ", ".join(f"{k} {v:.1f} s" for k, v in data["seconds"].items()))

    s = pick_subjects()
    cohort, course = s["cohort"], s["course"]
    for user in (s["staff"], s["mentor"]):
        two_factor(user)
    learner, mentor, staff = Client(), Client(), Client()
    learner.force_login(s["learner"])
    mentor.force_login(s["mentor"])
    staff.force_login(s["staff"])
    base = f"/staff/cohorts/{cohort.pk}/"
    cohort_ids = Cohort.objects.filter(name__startswith=COHORT_PREFIX).values("pk")
    middle = max(1, s["learner_pages"] // 2)
    html, report, download, background = "html", "report", "download", "background"
    pages = [
        ("learner", f"home ({s['enrolments']} enrolments)", learner, "/", html),
        ("learner", "course page", learner, f"/courses/{course.slug}/", html),
        (
            "learner",
            "lesson page (reading, opened before)",
            learner,
            f"/courses/{course.slug}/lessons/{s['lesson_id']}/",
            html,
        ),
    ]
    if s["task"] is not None:
        task = s["task"]
        pages.append(
            (
                "learner",
                "lesson page (practice task, with history)",
                learner,
                f"/courses/{task.enrollment.course.slug}/lessons/{task.lesson_id}/",
                html,
            )
        )
    pages += [
        ("learner", "my mentoring", learner, "/mentoring/", html),
        ("learner", "notifications", learner, "/notifications/", html),
        ("mentor", f"mentor home ({s['mentees']} mentees)", mentor, "/mentor/", html),
        ("mentor", "mentee detail", mentor, f"/mentor/mentees/{s['pairing'].pk}/", html),
        ("mentor", "review queue (own mentees)", mentor, "/mentor/reviews/", html),
        ("mentor", "notifications", mentor, "/notifications/", html),
        ("staff", "cohort list (200 cohorts)", staff, "/staff/cohorts/", html),
        ("staff", "cohort detail", staff, base, html),
        ("staff", "learners, by name, page 1", staff, f"{base}learners/", html),
        (
            "staff",
            f"learners, by name, page {middle} of {s['learner_pages']}",
            staff,
            f"{base}learners/?page={middle}",
            html,
        ),
        ("staff", "learners, by progress, page 1", staff, f"{base}learners/?sort=progress", html),
        ("staff", "at-risk list", staff, f"{base}at-risk/", html),
        ("staff", "mentoring overview", staff, f"{base}mentoring/", html),
        ("staff", "review queue (all waiting tasks)", staff, "/staff/reviews/", html),
        ("staff", "reminder settings", staff, f"/staff/cohorts/{cohort.pk}/reminders/", html),
        (
            "staff",
            "outcome report, one cohort",
            staff,
            f"/reports/outcomes/?cohort={cohort.pk}",
            html,
        ),
        ("staff", "outcome report, all 200 cohorts", staff, "/reports/outcomes/", report),
        (
            "staff",
            "outcome report CSV, one cohort",
            staff,
            f"/reports/outcomes/export/?cohort={cohort.pk}&format=csv",
            download,
        ),
        (
            "staff",
            "mentoring CSV, one cohort",
            staff,
            f"{base}mentoring/export/?format=csv",
            download,
        ),
        ("staff", "roster CSV, one cohort", staff, f"{base}export/roster/?format=csv", download),
    ]

    rules = {(r.cohort_id, r.kind): r for r in ReminderRule.objects.all()}
    # The sweep as it runs on the eve of the next weekly live session (every cohort meets at
    # the same hour): the "tomorrow" rule then finds every member of every cohort, whatever
    # the time of day this benchmark runs.
    upcoming = (
        LiveSession.objects.filter(cohort__in=cohort_ids, starts_at__gt=timezone.now())
        .order_by("starts_at")
        .values_list("starts_at", flat=True)
        .first()
    )
    now = upcoming - timedelta(hours=24) if upcoming else timezone.now()
    sweep = [
        ("inactive learners", reminders.find_inactive),
        ("live sessions (the eve of a session of every cohort)", reminders.find_sessions),
        ("mentoring: logs overdue, action items due, tasks waiting", reminders.find_mentoring),
        ("surveys not filled", reminders.find_surveys),
    ]

    load_before = os.getloadavg()
    results = []
    for role, label, client, path, kind in pages:
        log(f"measuring {role}: {label} ...")
        r = measure(lambda client=client, path=path: fetch(client, path))
        r.update(role=role, label=label, kind=kind, path=path)
        log(f"  median {r['median']:.0f} ms, {r['queries']} queries")
        results.append(r)
    for label, rule in sweep:
        log(f"measuring reminder rule: {label} ...")
        r = measure(lambda rule=rule: len(rule(now, rules)), runs=SWEEP_RUNS)
        r.update(role="sweep", label=f"reminder rule: {label}", kind=background, path="")
        log(f"  median {r['median']:.0f} ms, {r['queries']} queries, {r['size']:,} due")
        results.append(r)
    load_after = os.getloadavg()

    log("EXPLAIN ANALYZE of every page's queries ...")
    for r in results:
        if r["kind"] == background:
            r["slowest"] = None
            continue
        r["slowest"] = explain_slowest(r["statements"])
    summary = data_summary()
    total_s = time.perf_counter() - started

    def target(r):
        return {html: HTML_TARGET_MS, report: REPORT_TARGET_MS}.get(r["kind"])

    missed = [r for r in results if target(r) and r["median"] >= target(r)]
    for r in results:
        if r["slowest"] and r["slowest"][0] >= 20 and r not in missed:
            log(f"\n--- {r['label']}: slowest query {r['slowest'][0]:.0f} ms:\n{r['slowest'][1]}")
    for r in missed:
        ms, sql, plan = r["slowest"]
        log(f"\n=== missed: {r['label']} ({r['median']:.0f} ms); slowest query {ms:.0f} ms:")
        log(sql)
        log(plan)

    print(
        f"{summary['learners']:,} learners and {summary['mentors']:,} mentors in "
        f"{summary['cohorts']} cohorts; {summary['enrolments']:,} enrolments, "
        f"{summary['progress']:,} lesson-progress rows, {summary['attendance']:,} attendance "
        f"records; {summary['pairings']:,} active pairings, {summary['sessions']:,} mentoring "
        f"sessions, {summary['actions']:,} action items; {summary['submissions']:,} task "
        f"submissions ({summary['waiting']:,} waiting for review), {summary['certificates']:,} "
        f"certificates, {summary['notifications']:,} notifications, {summary['responses']:,} "
        f"survey responses; database {summary['size']}. Generated by `bench/mentoring_data.py` "
        f"(seed {SEED})"
        + ("" if data["reused"] else f" in {data['seconds']['total']:.0f} s")
        + f". {connection.display_name} {connection.pg_version // 10000}, {os.cpu_count()} "
        f"cores; Django test Client in process, DEBUG off; {RUNS} runs after one warm-up "
        f"({SWEEP_RUNS} for the reminder rules); "
        f"load average {load_before[0]:.2f} before, {load_after[0]:.2f} after."
    )
    print()
    print(
        "| who | page or report | median ms | max ms | CPU ms (app + db) | SQL queries "
        "| slowest SQL ms | bytes sent (gzip) |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    for r in results:
        limit = target(r)
        flag = " ⚠" if limit and r["median"] >= limit else ""
        cpu = "–" if r["cpu"] is None else f"{r['cpu']:,.0f}"
        slowest = "" if r["slowest"] is None else f"{r['slowest'][0]:,.0f}"
        size = f"{r['size']:,} due" if r["kind"] == background else f"{r['size']:,}"
        print(
            f"| {r['role']} | {r['label']} | {r['median']:,.0f}{flag} | {r['max']:,.0f} | {cpu} "
            f"| {r['queries']} | {slowest} | {size} |"
        )
    print()
    html_missed = [
        r["label"]
        + (f" (CPU {r['cpu']:,.0f} ms)" if r["cpu"] is not None and r["cpu"] < target(r) else "")
        for r in missed
        if r["kind"] == html
    ]
    report_missed = [r["label"] for r in missed if r["kind"] == report]
    print(
        f"Targets: HTML pages under {HTML_TARGET_MS} ms median server time — "
        + (f"missed by {len(html_missed)}: " + ", ".join(html_missed) if html_missed else "met")
        + f"; the cross-cohort outcome report under {REPORT_TARGET_MS // 1000} s — "
        + ("missed" if report_missed else "met")
        + ". ⚠ marks a miss (a CPU time under the target means the page would meet it on "
        "an idle machine). Downloads and the reminder rules (run by the 15-minute sweep in "
        f"the background) have no target. Whole run {total_s:.0f} s"
        + ("" if data["reused"] else f", of which generation {data['seconds']['total']:.0f} s")
        + "."
    )
    return 1 if strict and html_missed else 0


if __name__ == "__main__":
    sys.exit(main())
