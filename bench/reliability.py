"""Reliability under load and faults on loopback (issue 9).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ukmlearn_bench_reliability \\
        .venv/bin/python bench/reliability.py [--strict]

Reuses bench/load.py (database, people, sessions, gunicorn, wrk and the Lua mix) with a mix of
only a lesson page, "lesson done" and a quiz submit, 50 connections without think time:

1. load: 60 s; no errors, every acknowledged write in the database;
2. PostgreSQL outage: the cluster is stopped (fast) for ~3 s during a 25 s run and started
   again (always, in a finally); gunicorn is not restarted. A probe GETs a lesson every 0.1 s
   to time the outage and the recovery;
3. Redis outage: a private redis-server (a free port, never the shared 6379) serves the
   cache and the Celery broker; it is shut down (nosave) for ~5 s during a 25 s run. Some
   learners, prepared with all but one required lesson done, finish the course before and
   during the outage, so their certificates are requested while no worker runs (before: the
   message is lost with the non-persistent Redis; during: the enqueue fails and is logged).
   After Redis is back the stale-certificate sweep runs and a Celery worker is started until
   every completed course has its issued certificate (or 60 s pass).

Afterwards the database is checked against gunicorn's access log (bench/load.py's
database_checks) and for half-written operations. Prints Markdown; --strict exits 1 on any
error outside the outages, lost write or inconsistency.
"""

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


REDIS_PORT = _free_port()
os.environ.setdefault(
    "DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ukmlearn_bench_reliability"
)
os.environ["LOAD_REDIS_URL"] = f"redis://127.0.0.1:{REDIS_PORT}/13"

from bench import load  # noqa: E402 - reads the two variables above when imported

MAINTENANCE = "postgresql://postgres@127.0.0.1:5432/postgres"
LOAD_S = 60
FAULT_RUN_S = 25
FAULT_AT_S = 6
PG_DOWN_S = 3
REDIS_DOWN_S = 5
FINISHERS = 20  # learners kept out of wrk's mix who finish the course around the Redis outage
PROBE_S = 0.1
WORKER_LIMIT_S = 60
load.MIX = [("lesson", 40), ("complete", 30), ("quiz", 30)]
GUNICORN = next(iter(load.CONFIGS.items()))
log = load.log


# --- Services ---------------------------------------------------------------------------


def pg_cluster() -> tuple[str, str]:
    versions = sorted(os.listdir("/etc/postgresql"), key=lambda v: int(v) if v.isdigit() else 0)
    return versions[-1], "main"


def pg_ctl(action: str, *extra: str) -> int:
    version, name = pg_cluster()
    command = ["pg_ctlcluster", "--skip-systemctl-redirect", version, name, action, *extra]
    return subprocess.run(command, capture_output=True, check=False, timeout=60).returncode


def pg_ensure_running() -> None:
    if pg_ctl("status") != 0:
        log("PostgreSQL is not running: starting it")
        pg_ctl("start")


class Redis:
    """Our own redis-server: shutting it down disturbs nobody else."""

    def __init__(self, port: int, tmp: Path):
        self.port, self.tmp = port, tmp

    def cli(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            ["redis-cli", "-p", str(self.port), *args],
            capture_output=True,
            text=True,
            check=False,
            timeout=10,
        )

    def start(self) -> None:
        subprocess.run(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--daemonize",
                "yes",
                "--dir",
                str(self.tmp),
                "--logfile",
                str(self.tmp / "redis.log"),
                "--pidfile",
                str(self.tmp / "redis.pid"),
            ],
            check=True,
            timeout=10,
        )
        deadline = time.monotonic() + 10
        while self.cli("ping").stdout.strip() != "PONG":
            if time.monotonic() > deadline:
                raise SystemExit(f"redis-server on {self.port} did not start")
            time.sleep(0.05)  # poll interval, bounded by the deadline

    def stop(self) -> None:
        if self.port == 6379:  # never the shared one
            raise SystemExit("refusing to shut down the shared Redis")
        self.cli("shutdown", "nosave")


# --- Measurement --------------------------------------------------------------------------


class Probe(threading.Thread):
    """GET a lesson as one learner every PROBE_S: (time, status or 0 for no answer)."""

    def __init__(self, server, people: dict):
        super().__init__(daemon=True)
        self.server, self.halt, self.samples = server, threading.Event(), []
        key = people["learner_sessions"][0]
        self.headers = {"Cookie": f"sessionid={key}; csrftoken={people['csrf']}"}
        self.path = f"/courses/{people['slug']}/lessons/{people['lessons'][0]}/"

    def run(self) -> None:
        while not self.halt.is_set():
            try:
                status = self.server.request("GET", self.path, self.headers)[0]
            except OSError:
                status = 0
            self.samples.append((time.monotonic(), status))
            self.halt.wait(PROBE_S)

    def stop(self) -> None:
        self.halt.set()
        self.join()

    def outage(self, down: float, up: float) -> dict:
        failed = [t for t, s in self.samples if s != 200]
        after = [t for t, s in self.samples if t >= up and s == 200]
        late = [t for t, s in self.samples if s != 200 and after and t > after[0]]
        return {
            "probes": len(self.samples),
            "probe_failed": len(failed),
            "seen_s": (failed[-1] - failed[0] + PROBE_S) if failed else 0.0,
            "recover_s": (after[0] - up) if after else None,
            "failed_after_recovery": len(late),
            "down_s": up - down,
        }


def gunicorn_pids(master: int) -> set[int]:
    pids = {master}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            raw = load._read(f"/proc/{entry}/stat")
            if raw and int(raw[raw.rindex(")") + 2 :].split()[1]) == master:
                pids.add(int(entry))
    return pids


def attempts_count(people: dict) -> int:
    from courses.models import QuizAttempt

    return QuizAttempt.objects.filter(enrollment__user_id__in=people["learner_ids"]).count()


def slice_checks(entries: list[tuple], people: dict, attempts_delta: int) -> dict:
    """Acknowledged writes of one run against the database."""
    from courses.models import LessonProgress

    learner_of = {f"L{i}": pk for i, pk in enumerate(people["learner_ids"], start=1)}
    quiz_acks, pairs = 0, set()
    for kind, status, _ms, user, location, lesson in entries:
        if user in learner_of and load.as_expected(kind, status, location):
            if kind == "quiz":
                quiz_acks += 1
            elif kind == "complete":
                pairs.add((learner_of[user], lesson))
    done = set(
        LessonProgress.objects.filter(
            enrollment__user_id__in=people["learner_ids"], completed_at__isnull=False
        ).values_list("enrollment__user_id", "lesson_id")
    )
    return {
        "quiz_acks": quiz_acks,
        "attempts_delta": attempts_delta,
        "complete_acks": sum(1 for e in entries if e[0] == "complete" and e[1] == 302),
        "complete_pairs": len(pairs),
        "complete_pairs_done": len(pairs & done),
        "server_5xx": sum(1 for e in entries if e[1] >= 500),
    }


def timed_run(wrk: str, server, data_file: Path, people: dict, seconds: int, fault=None) -> dict:
    """wrk for seconds (in a thread), the probe, and fault(t0) in this thread if given."""
    from django.db import connections

    connections.close_all()
    before = attempts_count(people)
    connections.close_all()
    result: dict = {}

    def drive():
        try:
            result.update(load.run_wrk(wrk, server, data_file, seconds, 0))
        except BaseException as exc:  # noqa: BLE001 - reported below
            result["failure"] = repr(exc)

    probe = load_thread = None
    probe = Probe(server, people)
    load_thread = threading.Thread(target=drive, daemon=True)
    pids_before = gunicorn_pids(server.process.pid)
    probe.start()
    load_thread.start()
    extra = fault(time.monotonic()) if fault else {}
    load_thread.join()
    probe.stop()
    if "failure" in result:
        raise SystemExit(f"wrk failed: {result['failure']}")
    connections.close_all()
    entries = load.access_entries(server.access_log, *result["log"])
    result["checks"] = slice_checks(entries, people, attempts_count(people) - before)
    result["entries"] = entries
    result["extra"] = extra
    if "down" in extra:
        result["outage"] = probe.outage(extra["down"], extra["up"])
    result["probe_failed"] = sum(1 for _t, s in probe.samples if s != 200)
    result["gunicorn_same"] = (
        server.process.poll() is None and gunicorn_pids(server.process.pid) == pids_before
    )
    return result


def pg_fault(t0: float) -> dict:
    import psycopg

    # A checkpoint first (as an operator would before a planned restart): the fast shutdown's
    # own checkpoint then has little to write and the outage stays short for everyone.
    time.sleep(max(0.0, t0 + FAULT_AT_S - 2 - time.monotonic()))
    with psycopg.connect(MAINTENANCE, autocommit=True) as conn:
        conn.execute("CHECKPOINT")
    time.sleep(max(0.0, t0 + FAULT_AT_S - time.monotonic()))
    down = time.monotonic()
    stopped = None
    try:
        log("stopping PostgreSQL (fast) ...")
        stop_rc = pg_ctl("stop", "-m", "fast")
        stopped = time.monotonic()
        time.sleep(PG_DOWN_S)
    finally:
        restart = time.monotonic()
        start_rc = pg_ctl("start")
        up = time.monotonic()
        log(f"PostgreSQL started again after {up - down:.1f} s (rc {stop_rc}/{start_rc})")
    return {
        "down": down,
        "up": up,
        "stop_s": (stopped or restart) - down,
        "start_s": up - restart,
    }


def finishers_prepare(people: dict) -> dict:
    """The last FINISHERS learners: every required lesson done but the last required reading."""
    from django.db import transaction
    from django.utils import timezone

    from courses.models import Enrollment, LessonProgress
    from courses.services import progress as progress_service

    ids = people["learner_ids"][-FINISHERS:]
    enrollments = list(Enrollment.objects.filter(user_id__in=ids).order_by("user_id"))
    lessons = progress_service.course_lessons(enrollments[0].course_id)
    last = [ls for ls in lessons if ls.pk in people["readings"] and not ls.is_optional][-1]
    now = timezone.now()
    with transaction.atomic():
        for enrollment in enrollments:
            for lesson in lessons:
                if lesson.is_optional:
                    continue
                if lesson.pk == last.pk:
                    LessonProgress.objects.filter(enrollment=enrollment, lesson=lesson).delete()
                    continue
                LessonProgress.objects.update_or_create(
                    enrollment=enrollment,
                    lesson=lesson,
                    defaults={"started_at": now - timedelta(days=1), "completed_at": now},
                )
            progress_service.enrollment_recompute(enrollment_id=enrollment.pk)
    first_index = len(people["learner_ids"]) - FINISHERS + 1
    return {
        "last_lesson": last.pk,
        "people": [
            (f"L{first_index + n}", people["learner_sessions"][first_index - 1 + n])
            for n in range(FINISHERS)
        ],
    }


def finish(server, people: dict, finishers: dict, who: list) -> list[tuple[int, float]]:
    """POST "lesson done" for the last lesson: (status, seconds) per learner."""
    path = f"/courses/{people['slug']}/lessons/{finishers['last_lesson']}/complete/"
    out = []
    for tag, key in who:
        headers = {
            "Cookie": f"sessionid={key}; csrftoken={people['csrf']}",
            "Content-Type": "application/x-www-form-urlencoded",
            "X-Bench-User": tag,
        }
        start = time.monotonic()
        try:
            status = server.request("POST", path, headers, f"csrfmiddlewaretoken={people['csrf']}")
            status = status[0]
        except OSError:
            status = 0
        out.append((status, time.monotonic() - start))
    return out


def redis_fault_factory(redis: Redis, server, people: dict, finishers: dict, store: dict):
    half = FINISHERS // 2

    def fault(t0: float) -> dict:
        time.sleep(max(0.0, t0 + 2 - time.monotonic()))
        store["before"] = finish(server, people, finishers, finishers["people"][:half])
        time.sleep(max(0.0, t0 + FAULT_AT_S - time.monotonic()))
        down = time.monotonic()
        try:
            log("shutting down our redis-server ...")
            redis.stop()
            time.sleep(1)
            store["during"] = finish(server, people, finishers, finishers["people"][half:])
            time.sleep(max(0.0, down + REDIS_DOWN_S - time.monotonic()))
        finally:
            redis.start()
            up = time.monotonic()
            log(f"redis-server started again after {up - down:.1f} s")
        return {"down": down, "up": up}

    return fault


def certificates_state() -> dict:
    from courses.models import Certificate, Enrollment

    completed = Enrollment.objects.filter(completed_at__isnull=False)
    return {
        "completed": completed.count(),
        "issued": completed.filter(certificate__status=Certificate.Status.ISSUED).count(),
        "pending": completed.filter(certificate__status=Certificate.Status.PENDING).count(),
        "no_row": completed.filter(certificate__isnull=True).count(),
    }


def sweep_and_work(tmp: Path) -> dict:
    """The stale-certificate sweep, then a Celery worker until every certificate is issued."""
    from courses.services.certificates import certificates_requeue_stale

    before = certificates_state()
    requeued = certificates_requeue_stale(older_than=timedelta(0))
    start = time.monotonic()
    worker = subprocess.Popen(
        [
            str(load.VENV_BIN / "celery"),
            "-A",
            "ukmlearn",
            "worker",
            "-P",
            "solo",
            "--loglevel",
            "WARNING",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ],
        cwd=load.ROOT,
        env=os.environ.copy(),
        stdout=open(tmp / "worker.log", "w"),  # noqa: SIM115 - closed with the process
        stderr=subprocess.STDOUT,
    )
    try:
        state = certificates_state()
        while time.monotonic() - start < WORKER_LIMIT_S:
            state = certificates_state()
            if state["issued"] == state["completed"]:
                break
            time.sleep(0.5)  # poll interval, bounded by WORKER_LIMIT_S
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=15)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
    return {
        "before": before,
        "requeued": requeued,
        "after": state,
        "seconds": time.monotonic() - start,
    }


def consistency() -> dict:
    from django.db import connection

    queries = {
        "attempts without a score": "SELECT count(*) FROM courses_quizattempt"
        " WHERE score IS NULL OR passed IS NULL",
        "progress rows without an enrolment": "SELECT count(*) FROM courses_lessonprogress p"
        " LEFT JOIN courses_enrollment e ON e.id = p.enrollment_id WHERE e.id IS NULL",
        "completed enrolments not at 100 %": "SELECT count(*) FROM courses_enrollment"
        " WHERE completed_at IS NOT NULL AND progress_percent <> 100",
        "certificates pending or missing": "SELECT count(*) FROM courses_enrollment e"
        " LEFT JOIN courses_certificate c ON c.enrollment_id = e.id"
        " WHERE e.completed_at IS NOT NULL AND (c.id IS NULL OR c.status <> 'issued')",
    }
    with connection.cursor() as cursor:
        out = {}
        for label, query in queries.items():
            cursor.execute(query)
            out[label] = cursor.fetchone()[0]
    return out


# --- Report -------------------------------------------------------------------------------


def report(runs: dict, global_checks: dict, cert: dict, finish_log: dict, ctx: dict) -> bool:
    """Print the Markdown; returns True when everything held."""
    ok = True
    print(
        f"{load.LEARNERS} signed-in learners of one cohort on the demo course; wrk "
        f"({load.CONNECTIONS} connections, no think time) sends "
        + ", ".join(f"{load.LABELS[k]} {w} %" for k, w in load.MIX)
        + f". gunicorn {GUNICORN[0]} (DEBUG off), PostgreSQL {ctx['pg_version']}, "
        f"Redis {ctx['redis_version']} (a private redis-server) on {os.cpu_count()} cores; "
        f"load average {ctx['load_before']:.1f} before, {ctx['load_after']:.1f} after. "
        f"Whole run {ctx['total_s']:.0f} s (set-up {ctx['setup_s']:.0f} s)."
    )
    print()
    print(
        "| run | requests | requests/s | errors (wrk) | 5xx (server) | quiz acks → new attempts "
        "| lesson-done acks (pairs) → done | outage | probe saw failing | recovered after "
        "| gunicorn restarted |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    for label, run in runs.items():
        c, o = run["checks"], run.get("outage")
        lost = (
            c["quiz_acks"] > c["attempts_delta"]
            or c["complete_pairs"] != (c["complete_pairs_done"])
        )
        quiz = f"{c['quiz_acks']:,} → {c['attempts_delta']:,}"
        done = f"{c['complete_acks']:,} ({c['complete_pairs']:,}) → {c['complete_pairs_done']:,}"
        if lost:
            ok = False
            quiz += " ⚠"
        flag = " ⚠" if run["errors"] and not o else ""
        if flag:
            ok = False
        if o:
            recover = f"{o['recover_s']:.2f} s" if o["recover_s"] is not None else "never ⚠"
            outage = f"{o['down_s']:.1f} s"
            seen = f"{o['seen_s']:.1f} s ({o['probe_failed']} of {o['probes']})"
            if o["recover_s"] is None or o["failed_after_recovery"]:
                ok = False
        else:
            recover = outage = seen = "—"
        restarted = "no" if run["gunicorn_same"] else "yes ⚠"
        ok = ok and run["gunicorn_same"]
        print(
            f"| {label} | {run['requests']:,} | {run['rps']:.0f} | "
            f"{load.errors_cell(run)}{flag} | {c['server_5xx']} | {quiz} | {done} | {outage} | "
            f"{seen} | {recover} | {restarted} |"
        )
    print()
    print(
        "Errors in the outage runs are the requests that failed during the outage (the load "
        "run shows the baseline). 'recovered after' is from the moment the service was "
        "started again to the probe's first 200; the probe GETs a lesson every "
        f"{PROBE_S} s through its own connection."
    )
    print()
    for label, run in runs.items():
        if "stop_s" in run["extra"]:
            e = run["extra"]
            print(
                f"{label}: `pg_ctlcluster stop -m fast` took {e['stop_s']:.1f} s, the cluster "
                f"then stayed down {PG_DOWN_S} s, `pg_ctlcluster start` took "
                f"{e['start_s']:.1f} s (it returns once connections are accepted)."
            )
            print()
    first = next(iter(runs))
    kinds = load.per_kind(runs[first]["entries"])
    print(f"Server time per request in the {first} run (gunicorn's access log):")
    print()
    print("| request | requests | not as expected | p50 ms | p95 ms | p99 ms |")
    print("|---|---:|---:|---:|---:|---:|")
    for kind, _weight in load.MIX:
        k = kinds[kind]
        print(
            f"| {load.LABELS[kind]} | {k['count']:,} | {k['unexpected']} | {k['p50']:.0f} | "
            f"{k['p95']:.0f} | {k['p99']:.0f} |"
        )
    print()
    for when, results in finish_log.items():
        statuses = ", ".join(f"{s}" for s in sorted({s for s, _ in results}))
        slowest = max((t for _, t in results), default=0)
        print(
            f'Course finished {when}: {len(results)} learners\' last "lesson done" answered '
            f"{statuses} (slowest {slowest * 1000:.0f} ms)."
        )
    print()
    b, a = cert["before"], cert["after"]
    cert_ok = a["issued"] == a["completed"]
    ok = ok and cert_ok
    print(
        f"Certificates after Redis came back, before the sweep: {b['completed']} completed "
        f"enrolments, {b['issued']} issued, {b['pending']} pending, {b['no_row']} without a "
        f"certificate row. The sweep re-queued {cert['requeued']}; a Celery worker then "
        f"took {cert['seconds']:.1f} s: {a['issued']} of {a['completed']} issued, "
        f"{a['pending']} pending, {a['no_row']} without a row" + ("" if cert_ok else " ⚠") + "."
    )
    print()
    g = global_checks
    held = (
        g["quiz_acks"] <= g["new_attempts"]
        and g["complete_pairs"] == g["complete_pairs_done"]
        and g["counters_off"] == 0
    )
    ok = ok and held
    print("| consistency check (whole bench) | result |")
    print("|---|---:|")
    print(
        f"| quiz submits acknowledged → new attempts | {g['quiz_acks']:,} → {g['new_attempts']:,} |"
    )
    print(
        f"| learners whose attempts match their acknowledgements | "
        f"{g['quiz_per_learner_ok']} of {len(ctx['learner_ids'])} |"
    )
    print(
        f"| lesson-done pairs acknowledged → done | {g['complete_pairs']:,} → "
        f"{g['complete_pairs_done']:,} |"
    )
    print(
        f"| enrolments whose counters disagree with their progress rows | "
        f"{g['counters_off']} of {g['enrollments']} |"
    )
    for label, count in ctx["consistency"].items():
        ok = ok and count == 0
        print(f"| {label} | {count}{' ⚠' if count else ''} |")
    print()
    print(f"Verdict: {'every check held' if ok else 'a check failed (⚠)'}.")
    return ok


# --- Main ---------------------------------------------------------------------------------


def main() -> int:
    strict = "--strict" in sys.argv[1:]
    started = time.perf_counter()
    wrk = load.ensure_wrk()
    tmp = Path(tempfile.mkdtemp(prefix="ukmlearn-reliability-"))
    redis = Redis(REDIS_PORT, tmp)
    try:
        redis.start()
        return run_all(wrk, tmp, redis, strict, started)
    finally:
        pg_ensure_running()
        redis.stop()
        shutil.rmtree(tmp, ignore_errors=True)


def run_all(wrk: str, tmp: Path, redis: Redis, strict: bool, started: float) -> int:
    load.recreate_database(os.environ["DATABASE_URL"])
    os.environ["STATIC_ROOT"] = str(tmp / "static")
    os.environ["MEDIA_ROOT"] = str(tmp / "media")

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, connections
    from django.test import override_settings

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    with (
        override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]),
        open(os.devnull, "w") as quiet,
    ):
        call_command("seed_demo", stdout=quiet)
    people = load.build_people()
    finishers = finishers_prepare(people)
    # Demo enrolments completed by seed_demo get their certificates drawn now, so the
    # certificate check below is about the bench's completions only.
    from courses.models import Certificate
    from courses.services.certificates import certificate_generate

    for pk in Certificate.objects.filter(status=Certificate.Status.PENDING).values_list(
        "pk", flat=True
    ):
        certificate_generate(certificate_id=pk)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    ctx = {
        "pg_version": connection.pg_version // 10000,
        "redis_version": redis.cli("info", "server").stdout.split("redis_version:")[1].split()[0],
        "learner_ids": people["learner_ids"],
    }
    connections.close_all()
    # wrk's learners: all but the finishers (their indexes L1.. stay those of learner_ids).
    wrk_people = {**people, "learner_sessions": people["learner_sessions"][:-FINISHERS]}
    data_file = tmp / "data.lua"
    data_file.write_text(load.lua_data(wrk_people))
    ctx["setup_s"] = time.perf_counter() - started
    log(f"set up in {ctx['setup_s']:.0f} s")

    ctx["load_before"] = os.getloadavg()[0]
    server = load.Server(GUNICORN[1], tmp, "reliability")
    runs, finish_log = {}, {}
    try:
        load.smoke_check(server, people)
        log(f"load run {LOAD_S} s ...")
        runs[f"load, {LOAD_S} s"] = timed_run(wrk, server, data_file, people, LOAD_S)
        log(f"PostgreSQL outage run {FAULT_RUN_S} s ...")
        runs[f"PostgreSQL stopped ~{PG_DOWN_S} s, {FAULT_RUN_S} s run"] = timed_run(
            wrk, server, data_file, people, FAULT_RUN_S, pg_fault
        )
        log(f"Redis outage run {FAULT_RUN_S} s ...")
        fault = redis_fault_factory(redis, server, people, finishers, finish_log)
        runs[f"Redis stopped ~{REDIS_DOWN_S} s, {FAULT_RUN_S} s run"] = timed_run(
            wrk, server, data_file, people, FAULT_RUN_S, fault
        )
    finally:
        server.stop()
        pg_ensure_running()
    ctx["load_after"] = os.getloadavg()[0]
    finish_log = {
        "before the Redis outage": finish_log.get("before", []),
        "during the Redis outage": finish_log.get("during", []),
    }
    connections.close_all()
    cert = sweep_and_work(tmp)
    entries = load.access_entries(server.access_log)
    global_checks = load.database_checks(entries, people)
    ctx["consistency"] = consistency()
    ctx["total_s"] = time.perf_counter() - started
    ok = report(runs, global_checks, cert, finish_log, ctx)
    return 1 if strict and not ok else 0


if __name__ == "__main__":
    sys.exit(main())
