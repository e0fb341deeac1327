"""Throughput and latency of a realistic request mix on loopback (issue 8, item 3).

    .venv/bin/python bench/load.py            # set up, measure, print Markdown
    .venv/bin/python bench/load.py --strict   # exit 1 when a target is missed

gunicorn (DEBUG off) + PostgreSQL + Redis on this machine, driven by wrk
(`apt-get install wrk`; installed here when missing and we are root) with bench/load_mix.lua.

Set-up: the database (DATABASE_URL, default ukmlearn_bench_load) is dropped, created and
migrated; bench/synthetic.py adds a background of 5,000 learners in 10 cohorts with 100,000
lesson-progress rows (so tables and indexes are not toy-sized), `seed_demo` loads the demo
course, and a running cohort on the demo course gets LEARNERS learners (business profiles,
progress from none to most reading lessons done, a passed attempt per done quiz) and MENTORS
mentors with their mentees, one logged session and action item each. Every person gets a
Django session as a sign-in leaves it (the test Client's force_login, with an authenticator set
up for the mentors, who must use two-factor authentication), and one CSRF secret serves them
all (the csrftoken cookie and the csrfmiddlewaretoken field carry the same 32 characters).

The mix (weights in MIX): a lesson page 35 %, the learner home 25 %, "lesson done" 15 %, a
quiz submit 15 %, the mentor home (the mentee list at /mentor/) 10 %. A learner's visit is
home → lesson → done → the next lesson (the redirect target, another lesson GET), with a
quiz every few lessons that is sometimes retried; mentors are 1 in 25 people but open their
mentee list several times a day. Redirects are not followed; 2xx and 3xx count as success
except a redirect to the sign-in page, which means the session was lost.

Runs, RUN_S seconds each after a WARMUP_S warm-up, against the first gunicorn configuration in
CONFIGS (the others get the capacity run only, for comparison):

- capacity: 50 connections with no think time. A closed loop: by Little's law the mean latency
  is then 50 / throughput whatever the server does, so this run measures requests per second
  and errors, and its latency is time in the queue;
- paced: 50 users with an exponential think time of THINK_MS on average between a response and
  their next request, about 200 requests per second offered: the run for the latency target;
- half capacity: the same users, pausing so that they offer half of the measured capacity.

While they run, the PSS (/proc/PID/smaps_rollup, which counts shared pages once) and CPU time
of gunicorn (master and workers), PostgreSQL (postmaster, helpers and the backends of the bench
database), redis-server and wrk are sampled every 0.5 s. gunicorn's access log gives the server
time per kind of request; afterwards the database is checked against it: every acknowledged
quiz submit left one new attempt, every acknowledged "lesson done" left its lesson done, and
the enrolments' derived counters agree with their progress rows. Prints Markdown for the
bench:load block of docs/performance.md, logs to stderr. Targets: >= 200 requests/s in the
capacity run, p99 < 250 ms in the paced run, no errors; a miss is printed and marked, and with
--strict exits 1.
"""

import http.client
import os
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ukmlearn_bench_load")
os.environ["DJANGO_SETTINGS_MODULE"] = "ukmlearn.settings"
os.environ["DEBUG"] = "false"
os.environ["STATIC_MANIFEST"] = "false"  # plain static URLs (collected into a temporary root)
os.environ["ALLOWED_HOSTS"] = "127.0.0.1"
os.environ["REDIS_URL"] = os.environ.get("LOAD_REDIS_URL", "redis://127.0.0.1:6379/14")
# Sessions are signed with it: this process writes them, gunicorn reads them.
os.environ["SECRET_KEY"] = "bench-load-only-5f1e0c9b2a7d4e86b1c3a9f0d2e4b6c8"  # noqa: S105
os.environ["LOG_LEVEL"] = "WARNING"
for _name in ("HTTPS", "BEHIND_PROXY", "CSRF_TRUSTED_ORIGINS"):
    os.environ.pop(_name, None)

VENV_BIN = Path(sys.executable).parent
LUA = ROOT / "bench" / "load_mix.lua"
SEED = 20260801
LEARNERS = 200
MENTORS = 8  # 25 mentees each
BACKGROUND = {"learners": 5_000, "cohorts": 10, "courses": 2, "lessons": 20, "progress": 100_000}
CONNECTIONS = 50
WRK_THREADS = 2
# Long enough for each gunicorn worker to fill its course content memory and for PostgreSQL's
# buffers to hold the bench's tables (with 5 s the first configuration measured slower than
# the later ones: 161-195 against 193-211 requests/s).
WARMUP_S = 10
RUN_S = 30
THINK_MS = 240  # 50 users / (0.24 s + ~0.01 s per response) = about 200 requests/s
MIX = [("lesson", 35), ("home", 25), ("complete", 15), ("quiz", 15), ("mentor", 10)]
LABELS = {
    "lesson": "GET lesson page",
    "home": "GET / (learner home)",
    "complete": "POST lesson done",
    "quiz": "POST quiz submit",
    "mentor": "GET /mentor/ (mentor home)",
}
# name → gunicorn arguments. The first gets every run, the others a capacity run to compare.
# In the paced runs wrk opens a connection and then pauses before the request. A sync worker
# that accepts it waits on it for the whole pause (in production the proxy buffers requests,
# which is why gunicorn's sync workers want one), so the paced runs go to gthread, whose idle
# keep-alive connections wait in a poller and hold no thread (bench/load_mix.lua starts each
# connection with the stylesheet so that no new connection sits idle either). Its keep-alive
# outlasts the longest pause (4 × the mean think time), or wrk would write into connections
# the server has closed. gthread with four threads and sync with 2 × cores + 1 workers (the
# usual advice) get a capacity run each, where wrk never pauses.
CONFIGS = {
    # One process per core, two threads each: a thread's database and Redis waits are
    # overlapped, and fewer threads contend for the GIL than with four (measured: 7.7 against
    # 8.1-9.5 ms of gunicorn CPU per request).
    "gthread, 2 workers × 2 threads": [
        "--worker-class",
        "gthread",
        "--workers",
        "2",
        "--threads",
        "2",
        "--keep-alive",
        "300",
    ],
    "gthread, 2 workers × 4 threads": [
        "--worker-class",
        "gthread",
        "--workers",
        "2",
        "--threads",
        "4",
        "--keep-alive",
        "300",
    ],
    "sync, 5 workers": ["--worker-class", "sync", "--workers", "5"],
}
TARGET_RPS = 200
TARGET_P99_MS = 250
SAMPLE_S = 0.5
ACCESS_FORMAT = "%(m)s %(U)s %(s)s %(D)s %({x-bench-user}i)s %({location}o)s"
GROUPS = ("gunicorn", "PostgreSQL", "Redis", "wrk")


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


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() == 0 and shutil.which("apt-get"):
        log("installing wrk (apt-get install -y wrk) ...")
        subprocess.run(
            ["apt-get", "install", "-y", "-q", "wrk"],
            check=False,
            stdout=subprocess.DEVNULL,
            env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
        )
        found = shutil.which("wrk")
    if not found:
        raise SystemExit("wrk is missing: install Debian's package (sudo apt-get install wrk)")
    return found


# --- Data -------------------------------------------------------------------------------


def build_people() -> dict:
    """The bench cohort, its learners and mentors with their progress, and a signed-in
    session for each. Returns what the Lua script and the checks need."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.conf import settings
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.templatetags.static import static
    from django.test import Client
    from django.utils import timezone
    from django.utils.crypto import get_random_string

    from cohorts.models import Cohort, Membership
    from cohorts.services.members import cohort_members_add
    from courses.demo_content import DEMO_COURSE
    from courses.models import Course, Enrollment, Lesson, LessonProgress, QuizAttempt
    from courses.services import progress as progress_service
    from courses.services.quizzes import quiz_questions
    from mentoring.models import ActionItem, MentoringSession, Pairing
    from ukmlearn.users.models import BusinessProfile, User

    rng = random.Random(SEED)  # noqa: S311 - test data, not a secret
    now = timezone.now()
    course = Course.objects.get(slug=DEMO_COURSE["slug"])
    lessons = progress_service.course_lessons(course.pk)
    owner = User.objects.filter(is_staff=True).order_by("pk").first()
    password = make_password(None)  # unusable: these people only use the sessions below
    with transaction.atomic():
        learners = User.objects.bulk_create(
            User(
                phone=f"+62857{n:08d}",
                name=f"Peserta Beban {n:03d}",
                phone_verified=True,
                password=password,
                timezone="Asia/Jakarta",
            )
            for n in range(1, LEARNERS + 1)
        )
        mentors = User.objects.bulk_create(
            User(
                phone=f"+62856{n:08d}",
                name=f"Pendamping Beban {n}",
                phone_verified=True,
                password=password,
                is_learner=False,
                is_mentor=True,
            )
            for n in range(1, MENTORS + 1)
        )
        BusinessProfile.objects.bulk_create(
            BusinessProfile(
                user=user,
                business_name=f"Usaha {user.name}",
                sector="kuliner",
                city="Bandung",
                province="jabar",
                year_started=2015 + user.pk % 9,
                workers=1 + user.pk % 4,
            )
            for user in learners
        )
        cohort = Cohort.objects.create(
            name="Angkatan Bench Load",
            programme="Bench",
            start_date=(now - timedelta(weeks=3)).date(),
            end_date=(now + timedelta(weeks=9)).date(),
            province="jabar",
            owner=owner,
            status=Cohort.Status.RUNNING,
            capacity=LEARNERS,
        )
        cohort.courses.add(course)
        cohort_members_add(
            cohort=cohort, user_ids=[u.pk for u in learners], role=Membership.Role.LEARNER
        )
        cohort_members_add(
            cohort=cohort, user_ids=[u.pk for u in mentors], role=Membership.Role.MENTOR
        )
        pairings = Pairing.objects.bulk_create(
            Pairing(
                cohort=cohort,
                mentor=mentors[index % MENTORS],
                learner=learner,
                status=Pairing.Status.ACTIVE,
                created_by=owner,
                started_at=now - timedelta(weeks=3),
            )
            for index, learner in enumerate(learners)
        )
        sessions = MentoringSession.objects.bulk_create(
            MentoringSession(
                pairing=pairing,
                held_at=now - timedelta(days=rng.randint(1, 20)),
                summary="Foto produk dan katalog WhatsApp.",
                logged_by=pairing.mentor,
            )
            for pairing in pairings
        )
        ActionItem.objects.bulk_create(
            ActionItem(
                session=session,
                text="Unggah 5 foto produk ke katalog",
                due_date=(now + timedelta(days=rng.randint(-5, 10))).date(),
            )
            for session in sessions
        )

        # Progress: each learner has done a prefix of the course (tasks left open, a passed
        # attempt for each quiz), from nothing to all but the last lesson.
        enrollments = {
            e.user_id: e for e in Enrollment.objects.filter(course=course, user__in=learners)
        }
        questions = {
            lesson.pk: quiz_questions(lesson=lesson)
            for lesson in lessons
            if lesson.kind == Lesson.Kind.QUIZ
        }
        rows, attempts = [], []
        for learner in learners:
            enrollment = enrollments[learner.pk]
            done = rng.randint(0, len(lessons) - 1)
            for lesson in lessons[:done]:
                if lesson.kind == Lesson.Kind.TASK:
                    continue
                started = now - timedelta(days=rng.randint(1, 20))
                rows.append(
                    LessonProgress(
                        enrollment=enrollment,
                        lesson=lesson,
                        started_at=started,
                        completed_at=started + timedelta(minutes=6),
                    )
                )
                if lesson.kind == Lesson.Kind.QUIZ:
                    right = {
                        str(q.pk): sorted(o.pk for o in q.option_list if o.is_correct)
                        for q in questions[lesson.pk]
                    }
                    attempts.append(
                        QuizAttempt(
                            enrollment=enrollment,
                            lesson=lesson,
                            idempotency_key=f"00000000-0000-4000-8000-{len(attempts):012d}",
                            answers=right,
                            score=100,
                            passed=True,
                            submitted_at=started + timedelta(minutes=5),
                        )
                    )
        LessonProgress.objects.bulk_create(rows)
        QuizAttempt.objects.bulk_create(attempts)
        for enrollment in enrollments.values():
            progress_service.enrollment_recompute(enrollment_id=enrollment.pk)
        Enrollment.objects.filter(pk__in=[e.pk for e in enrollments.values()]).update(
            last_activity_at=now - timedelta(hours=6)
        )

    # Staff and mentors must have two-factor authentication (ukmlearn.security): give the
    # mentors an authenticator, as seed_demo does for the demo's.
    for mentor in mentors:
        TOTP.activate(mentor, generate_totp_secret())

    def session_for(user) -> str:
        """A signed-in session as a sign-in leaves it (login() and its signals run)."""
        client = Client()
        client.force_login(user)
        return client.cookies[settings.SESSION_COOKIE_NAME].value

    quizzes = [
        {
            "id": lesson_id,
            "questions": [
                {
                    "id": q.pk,
                    "options": [o.pk for o in q.option_list],
                    "correct": [o.pk for o in q.option_list if o.is_correct],
                }
                for q in qs
            ],
        }
        for lesson_id, qs in questions.items()
    ]
    return {
        "slug": course.slug,
        "stylesheet": static("css/app.css"),
        "csrf": get_random_string(32),
        "learner_ids": [u.pk for u in learners],
        "learner_sessions": [session_for(u) for u in learners],
        "mentor_ids": [u.pk for u in mentors],
        "mentor_sessions": [session_for(u) for u in mentors],
        "lessons": [lesson.pk for lesson in lessons],
        "readings": [
            lesson.pk
            for lesson in lessons
            if lesson.kind not in (Lesson.Kind.QUIZ, Lesson.Kind.TASK)
        ],
        "quizzes": quizzes,
        "progress_rows": len(rows),
        "attempts_before": len(attempts),
    }


def lua_data(people: dict) -> str:
    """The people and content as a Lua chunk for bench/load_mix.lua."""

    def array(values) -> str:
        return "{" + ", ".join(f'"{v}"' if isinstance(v, str) else str(v) for v in values) + "}"

    def question(q: dict) -> str:
        return (
            f"{{id = {q['id']}, options = {array(q['options'])}, correct = {array(q['correct'])}}}"
        )

    quizzes = ", ".join(
        f"{{id = {quiz['id']}, questions = {{{', '.join(map(question, quiz['questions']))}}}}}"
        for quiz in people["quizzes"]
    )
    mix = ", ".join(f'{{"{kind}", {weight}}}' for kind, weight in MIX)
    return "\n".join(
        [
            "return {",
            f'  slug = "{people["slug"]}",',
            f'  csrf = "{people["csrf"]}",',
            f'  stylesheet = "{people["stylesheet"]}",',
            f"  mix = {{{mix}}},",
            f"  learners = {array(people['learner_sessions'])},",
            f"  mentors = {array(people['mentor_sessions'])},",
            f"  lessons = {array(people['lessons'])},",
            f"  readings = {array(people['readings'])},",
            f"  quizzes = {{{quizzes}}},",
            "}",
            "",
        ]
    )


# --- Server ----------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """gunicorn on a free loopback port, with an access log that bench/load.py reads."""

    def __init__(self, args: list[str], tmp: Path, name: str):
        self.port = free_port()
        self.access_log = tmp / f"access-{name}.log"
        self.error_log = tmp / f"error-{name}.log"
        self.process = subprocess.Popen(
            [
                str(VENV_BIN / "gunicorn"),
                "ukmlearn.wsgi:application",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--timeout",
                "30",
                "--access-logfile",
                str(self.access_log),
                "--access-logformat",
                ACCESS_FORMAT,
                "--error-logfile",
                str(self.error_log),
                *args,
            ],
            cwd=ROOT,
            env=os.environ.copy(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.url = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn exited:\n{self.error_log.read_text()[-3000:]}")
            try:
                if self.request("GET", "/accounts/login/")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.1)  # poll interval, bounded by the deadline
        self.stop()
        raise SystemExit(f"gunicorn did not answer within 30 s:\n{self.error_log.read_text()}")

    def request(self, method: str, path: str, headers=None, body=None) -> tuple[int, str]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            response = conn.getresponse()
            response.read()
            return response.status, response.getheader("Location") or ""
        finally:
            conn.close()

    def log_size(self) -> int:
        return self.access_log.stat().st_size if self.access_log.exists() else 0

    def wait_idle(self, quiet_s: float = 1.0, limit_s: float = 30.0) -> None:
        """Wait until the access log has not grown for quiet_s: when wrk stops, requests
        still queued in the listen backlog are served anyway and would slow the next run."""
        deadline = time.monotonic() + limit_s
        size, since = self.log_size(), time.monotonic()
        while time.monotonic() < deadline:
            time.sleep(0.2)  # poll interval, bounded by the deadline
            now_size = self.log_size()
            if now_size != size:
                size, since = now_size, time.monotonic()
            elif time.monotonic() - since >= quiet_s:
                return

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def smoke_check(server: Server, people: dict) -> None:
    """One request of each kind, as the Lua script sends it; stop early when one is off."""
    csrf = people["csrf"]

    def headers(role, index, key, form=False):
        h = {"Cookie": f"sessionid={key}; csrftoken={csrf}", "X-Bench-User": f"{role}{index}"}
        if form:
            h["Content-Type"] = "application/x-www-form-urlencoded"
        return h

    key = people["learner_sessions"][0]
    base = f"/courses/{people['slug']}/lessons/"
    quiz = people["quizzes"][0]
    answers = "&".join(f"q{q['id']}={option}" for q in quiz["questions"] for option in q["correct"])
    checks = [
        ("GET", "/", headers("L", 1, key), None, 200, ""),
        ("GET", f"{base}{people['lessons'][0]}/", headers("L", 1, key), None, 200, ""),
        (
            "POST",
            f"{base}{people['readings'][0]}/complete/",
            headers("L", 1, key, form=True),
            f"csrfmiddlewaretoken={csrf}",
            302,
            "/courses/",
        ),
        (
            "POST",
            f"{base}{quiz['id']}/quiz/",
            headers("L", 1, key, form=True),
            f"csrfmiddlewaretoken={csrf}&idempotency_key={uuid.uuid4()}&{answers}",
            302,
            "/attempts/",
        ),
        ("GET", "/mentor/", headers("M", 1, people["mentor_sessions"][0]), None, 200, ""),
        ("GET", people["stylesheet"], {}, None, 200, ""),
    ]
    for method, path, h, body, status, location in checks:
        got, where = server.request(method, path, h, body)
        if got != status or location not in where:
            raise SystemExit(f"{method} {path} answered {got} {where!r}, expected {status}")


# --- Sampling ---------------------------------------------------------------------------

CLK_TCK = os.sysconf("SC_CLK_TCK")
BACKEND_HOST = re.compile(r"^(\d+\.\d+\.\d+\.\d+\(\d+\)|\[local\])$")


def _read(path: str) -> str | None:
    try:
        with open(path) as fh:
            return fh.read()
    except OSError:
        return None


class Sampler(threading.Thread):
    """Every SAMPLE_S: PSS and CPU time per group of processes. samples holds
    (time, {group: (PSS kB, processes)}, {group: CPU seconds used so far})."""

    def __init__(self, gunicorn_pid: int, database: str):
        super().__init__(daemon=True)
        self.gunicorn_pid = gunicorn_pid
        self.database = database
        self.samples: list[tuple[float, dict, dict]] = []
        self.cpu_seen: dict[int, float] = {}
        self.cpu_total = dict.fromkeys(GROUPS, 0.0)
        self.halt = threading.Event()

    def group_of(self, pid: int, comm: str, ppid: int) -> str | None:
        if pid == self.gunicorn_pid or ppid == self.gunicorn_pid:
            return "gunicorn"
        if comm == "postgres":
            # The postmaster and its helpers, and the backends of our database; backends of
            # other databases (other jobs on a shared machine) are not ours to count.
            title = (_read(f"/proc/{pid}/cmdline") or "").replace("\0", " ").split()
            # a backend's title: "postgres: 15/main: USER DATABASE HOST(PORT) STATE"
            if len(title) >= 5 and BACKEND_HOST.match(title[4]) and title[3] != self.database:
                return None
            return "PostgreSQL"
        return {"redis-server": "Redis", "wrk": "wrk"}.get(comm)

    def sample(self) -> None:
        pss = {group: [0, 0] for group in GROUPS}
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            raw = _read(f"/proc/{entry}/stat")
            if raw is None:
                continue
            # "pid (comm) state ppid ... utime stime": comm may hold spaces, split after it
            comm = raw[raw.index("(") + 1 : raw.rindex(")")]
            rest = raw[raw.rindex(")") + 2 :].split()
            pid = int(entry)
            group = self.group_of(pid, comm, int(rest[1]))
            if group is None:
                continue
            rollup = _read(f"/proc/{entry}/smaps_rollup")
            if rollup:
                match = re.search(r"^Pss:\s+(\d+) kB", rollup, re.M)
                if match:
                    pss[group][0] += int(match.group(1))
                    pss[group][1] += 1
            cpu = (int(rest[11]) + int(rest[12])) / CLK_TCK
            self.cpu_total[group] += cpu - self.cpu_seen.get(pid, 0.0)
            self.cpu_seen[pid] = cpu
        self.samples.append(
            (time.monotonic(), {g: tuple(v) for g, v in pss.items()}, dict(self.cpu_total))
        )

    def run(self) -> None:
        while not self.halt.is_set():
            self.sample()
            self.halt.wait(SAMPLE_S)

    def stop(self) -> None:
        self.halt.set()
        self.join()
        self.sample()

    def window(self, start: float, end: float) -> dict:
        """Peak PSS per group and of the sum, and CPU seconds per group, in [start, end]."""
        inside = [s for s in self.samples if start <= s[0] <= end]
        before = [s for s in self.samples if s[0] <= start] or inside[:1]
        peak = {g: max(s[1][g][0] for s in inside) for g in GROUPS}
        procs = {g: max(s[1][g][1] for s in inside) for g in GROUPS}
        total = max(sum(s[1][g][0] for g in GROUPS) for s in inside)
        cpu = {g: inside[-1][2][g] - before[-1][2][g] for g in GROUPS}
        return {"peak": peak, "procs": procs, "total": total, "cpu": cpu}


# --- Load -------------------------------------------------------------------------------


def cpu_ticks() -> dict:
    """The machine's CPU time so far by kind (/proc/stat, all cores), for the share the
    virtual machine's host took away ("steal"): while it is high the same code serves fewer
    requests, whatever the code."""
    names = ("user", "nice", "system", "idle", "iowait", "irq", "softirq", "steal")
    with open("/proc/stat") as stat:
        values = stat.readline().split()[1 : 1 + len(names)]
    return dict(zip(names, map(int, values), strict=True))


def run_wrk(wrk: str, server: Server, data_file: Path, seconds: int, think_ms: int) -> dict:
    command = [
        wrk,
        f"-t{WRK_THREADS}",
        f"-c{CONNECTIONS}",
        f"-d{seconds}s",
        # As long as gunicorn's own worker timeout: a slow answer is latency, not an error.
        "--timeout",
        "30s",
        "-s",
        str(LUA),
        server.url,
        "--",
        str(data_file),
        str(think_ms),
        str(CONNECTIONS // WRK_THREADS),
    ]
    log_start, start, stat_start = server.log_size(), time.monotonic(), cpu_ticks()
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    end, stat_end = time.monotonic(), cpu_ticks()
    server.wait_idle()
    if result.returncode != 0:
        raise SystemExit(f"wrk failed:\n{result.stdout}\n{result.stderr}")
    out = {"start": start, "end": end, "log": (log_start, server.log_size())}
    elapsed = sum(stat_end.values()) - sum(stat_start.values())
    out["steal"] = (stat_end["steal"] - stat_start["steal"]) / elapsed if elapsed else 0.0
    for line in result.stdout.splitlines():
        if line.startswith("BENCH "):
            _tag, name, value = line.split()
            out[name] = int(value)
    if "requests" not in out:
        raise SystemExit(f"wrk printed no results:\n{result.stdout}\n{result.stderr}")
    seconds_run = out["duration_us"] / 1e6
    # The paced runs' opening stylesheet requests (bench/load_mix.lua) are not in the mix.
    out["rps"] = (out["requests"] - out.get("sent_stylesheet", 0)) / seconds_run
    # wrk's own errors (connect, read, write, timeout, status >= 400) plus the redirects to
    # the sign-in page (a 302 to wrk, but the request failed).
    out["errors"] = (
        sum(out[f"errors_{kind}"] for kind in ("connect", "read", "write", "timeout", "status"))
        + out.get("login", 0)
        + out.get("other_redirect", 0)
    )
    return out


def access_entries(path: Path, start: int = 0, end: int | None = None) -> list[tuple]:
    """(kind, status, server ms, user tag, location) per line of the access log slice."""
    entries = []
    with open(path, "rb") as fh:
        fh.seek(start)
        chunk = fh.read(None if end is None else end - start).decode()
    for line in chunk.splitlines():
        parts = line.split(" ")
        if len(parts) < 6:
            continue
        method, path_, status, micros, user, location = parts[:6]
        if method == "GET" and path_ == "/":
            kind = "home"
        elif method == "GET" and path_ == "/mentor/":
            kind = "mentor"
        elif method == "GET" and "/lessons/" in path_:
            kind = "lesson"
        elif method == "POST" and path_.endswith("/complete/"):
            kind = "complete"
        elif method == "POST" and path_.endswith("/quiz/"):
            kind = "quiz"
        else:
            kind = "other"
        lesson = re.search(r"/lessons/(\d+)/", path_)
        entries.append(
            (
                kind,
                int(status),
                int(micros) / 1000,
                user,
                location,
                int(lesson.group(1)) if lesson else None,
            )
        )
    return entries


EXPECTED = {
    "home": (200, ""),
    "lesson": (200, ""),
    "mentor": (200, ""),
    "complete": (302, "/courses/"),
    "quiz": (302, "/attempts/"),
}


def as_expected(kind: str, status: int, location: str) -> bool:
    want, where = EXPECTED.get(kind, (None, ""))
    return status == want and where in location


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    position = (len(ordered) - 1) * fraction
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def per_kind(entries: list[tuple]) -> dict:
    table = {}
    for kind, _weight in MIX:
        rows = [e for e in entries if e[0] == kind]
        times = [e[2] for e in rows]
        table[kind] = {
            "count": len(rows),
            "unexpected": sum(1 for e in rows if not as_expected(kind, e[1], e[4])),
            "statuses": Counter(e[1] for e in rows),
            "p50": percentile(times, 0.5),
            "p95": percentile(times, 0.95),
            "p99": percentile(times, 0.99),
        }
    return table


# --- Checks -----------------------------------------------------------------------------


def database_checks(entries: list[tuple], people: dict) -> dict:
    """Compare every access-log line of the bench (all runs, warm-ups and the smoke check)
    with what the database holds now."""
    from django.db.models import Count, Q

    from courses.models import Enrollment, LessonProgress, QuizAttempt
    from courses.services import progress as progress_service

    learner_of = {f"L{i}": pk for i, pk in enumerate(people["learner_ids"], start=1)}
    quiz_acks = Counter()
    complete_pairs = set()
    complete_acks = 0
    for kind, status, _ms, user, location, lesson in entries:
        if user not in learner_of or not as_expected(kind, status, location):
            continue
        if kind == "quiz":
            quiz_acks[learner_of[user]] += 1
        elif kind == "complete":
            complete_acks += 1
            complete_pairs.add((learner_of[user], lesson))

    enrollments = list(
        Enrollment.objects.filter(user_id__in=people["learner_ids"]).annotate(
            attempts=Count("quiz_attempts", distinct=True),
            done=Count(
                "lesson_progress",
                filter=Q(lesson_progress__completed_at__isnull=False),
                distinct=True,
            ),
        )
    )
    attempts_now = sum(e.attempts for e in enrollments)
    new_attempts = attempts_now - people["attempts_before"]
    by_user = {e.user_id: e for e in enrollments}
    done_pairs = set(
        LessonProgress.objects.filter(
            enrollment__user_id__in=people["learner_ids"], completed_at__isnull=False
        ).values_list("enrollment__user_id", "lesson_id")
    )
    lessons = progress_service.course_lessons(enrollments[0].course_id)
    required = {lesson.pk for lesson in lessons if not lesson.is_optional}
    required_done = Counter(user_id for user_id, lesson_id in done_pairs if lesson_id in required)
    counters_off = sum(
        1 for e in enrollments if e.completed_lessons != required_done.get(e.user_id, 0)
    )
    # Attempts per learner: the setup's passed attempts are not in the log.
    setup_attempts = Counter(
        QuizAttempt.objects.filter(
            enrollment__user_id__in=people["learner_ids"],
            idempotency_key__startswith="00000000-0000-4000-8000-",
        ).values_list("enrollment__user_id", flat=True)
    )
    per_learner_ok = sum(
        1
        for pk in people["learner_ids"]
        if by_user[pk].attempts - setup_attempts.get(pk, 0) == quiz_acks.get(pk, 0)
    )
    return {
        "quiz_acks": sum(quiz_acks.values()),
        "new_attempts": new_attempts,
        "quiz_per_learner_ok": per_learner_ok,
        "complete_acks": complete_acks,
        "complete_pairs": len(complete_pairs),
        "complete_pairs_done": len(complete_pairs & done_pairs),
        "counters_off": counters_off,
        "enrollments": len(enrollments),
    }


# --- Report ---------------------------------------------------------------------------


def mib(kb: float) -> str:
    return f"{kb / 1024:,.0f}"


def errors_cell(run: dict) -> str:
    kinds = {
        "connect": run["errors_connect"],
        "read": run["errors_read"],
        "write": run["errors_write"],
        "timeout > 30 s": run["errors_timeout"],
        "status ≥ 400": run["errors_status"],
        "to sign-in": run.get("login", 0),
        "other redirect": run.get("other_redirect", 0),
    }
    if not run["errors"]:
        return "0"
    detail = ", ".join(f"{name} {count}" for name, count in kinds.items() if count)
    return f"{run['errors']} ⚠ ({detail})"


def run_label(label: str, run: dict) -> str:
    if label == "capacity":
        return f"capacity: {CONNECTIONS} connections, no think time"
    return f"{label}: {CONNECTIONS} users, think time {run['think_ms']} ms on average"


def machine_speed() -> float:
    """Milliseconds one core takes for a fixed piece of pure-Python work (string building,
    dicts, calls: what a request spends its time on), best of 5. The virtual machines of this
    workplace differ from day to day by more than the code changes measured here; this figure
    says how fast the one that ran the bench was (lower is faster)."""

    def work() -> int:
        total = 0
        for number in range(200_000):
            row = {"id": number, "name": f"learner-{number}"}
            total += len(row["name"].split("-")[0]) + row["id"] % 7
        return total

    best = float("inf")
    for _ in range(5):
        start = time.process_time()
        work()
        best = min(best, time.process_time() - start)
    return best * 1000


def report(results: dict, checks: dict, people: dict, context: dict) -> list[str]:
    """Print the Markdown; returns the targets missed."""
    chosen = next(iter(results))
    capacity = results[chosen]["runs"]["capacity"]
    paced = results[chosen]["runs"]["paced"]
    print(
        f"{LEARNERS} learners of one running cohort on the demo course "
        f"({len(people['lessons'])} lessons, {len(people['quizzes'])} quizzes; "
        f"{people['progress_rows']:,} lessons already done between them) and {MENTORS} mentors "
        f"with {LEARNERS // MENTORS} mentees each, all signed in, over a background of "
        f"{BACKGROUND['learners']:,} learners with {BACKGROUND['progress']:,} progress rows. "
        f"gunicorn (DEBUG off), PostgreSQL {context['pg_version']}, Redis and wrk "
        f"(`bench/load_mix.lua`, {WRK_THREADS} threads, {CONNECTIONS} connections) on the same "
        f"{os.cpu_count()} cores; {RUN_S} s per run after a {WARMUP_S} s warm-up; load average "
        f"{context['load_before']:.1f} before, {context['load_after']:.1f} after; machine "
        f"speed {context['speed_before']:.0f} ms before and {context['speed_after']:.0f} ms "
        f"after (`machine_speed()`: a fixed pure-Python task on one core, lower is faster)."
    )
    print()
    print("Mix: " + ", ".join(f"{LABELS[kind]} {weight} %" for kind, weight in MIX) + ".")
    print()
    print("| run | gunicorn | requests/s | p50 ms | p95 ms | p99 ms | max ms | errors |")
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    for name, result in results.items():
        for label, run in result["runs"].items():
            p99 = run["latency_p99_us"] / 1000
            flag_rps = " ⚠" if label == "capacity" and run["rps"] < TARGET_RPS else ""
            flag_p99 = " ⚠" if label == "paced" and p99 >= TARGET_P99_MS else ""
            print(
                f"| {run_label(label, run)} | {name} | {run['rps']:.0f}{flag_rps} | "
                f"{run['latency_p50_us'] / 1000:.0f} | {run['latency_p95_us'] / 1000:.0f} | "
                f"{p99:.0f}{flag_p99} | {run['latency_max_us'] / 1000:.0f} | "
                f"{errors_cell(run)} |"
            )
    print()
    little = CONNECTIONS / capacity["rps"] * 1000
    print(
        f"The capacity run is a closed loop: {CONNECTIONS} connections that never pause keep "
        f"{CONNECTIONS} requests in the system, so by Little's law the mean latency is "
        f"{CONNECTIONS} / throughput = {little:,.0f} ms ({chosen}; wrk measured a mean of "
        f"{capacity['latency_mean_us'] / 1000:,.0f} ms). Its latency is time spent waiting in "
        f"line, not the cost of a request. The paced run offers about {TARGET_RPS} requests/s "
        f"({CONNECTIONS} users pausing {THINK_MS} ms); when that is more than the server can "
        f"do it saturates too. The last run offers half the measured capacity: the latency a "
        f"learner sees when the server keeps up. The paced runs' percentiles include each "
        f"connection's opening stylesheet request ({CONNECTIONS} quick ones); their requests/s "
        f"do not."
    )
    print()
    labels = list(results[chosen]["runs"])
    print(
        f"Server time per request ({chosen}, gunicorn's access log; "
        + " / ".join(labels)
        + " run):"
    )
    print()
    print("| request | requests | not as expected | p50 ms | p95 ms | p99 ms |")
    print("|---|---:|---:|---:|---:|---:|")
    runs = results[chosen]["runs"]
    for kind, _weight in MIX:
        cells = [
            " / ".join(fmt.format(runs[label]["kinds"][kind][key]) for label in labels)
            for key, fmt in (
                ("count", "{:,}"),
                ("unexpected", "{}"),
                ("p50", "{:.0f}"),
                ("p95", "{:.0f}"),
                ("p99", "{:.0f}"),
            )
        ]
        print(f"| {LABELS[kind]} | " + " | ".join(cells) + " |")
    print()
    print(
        "Peak memory, PSS (shared pages counted once), sampled every 0.5 s from the warm-up "
        "to the end of the last run, with the number of processes; PostgreSQL is the "
        "postmaster, its helpers and the backends of the bench database:"
    )
    print()
    print("| gunicorn | " + " | ".join(f"{g} MiB" for g in GROUPS) + " | total MiB |")
    print("|---|" + "---:|" * (len(GROUPS) + 1))
    for name, result in results.items():
        memory = result["memory"]
        cells = [f"{mib(memory['peak'][g])} ({memory['procs'][g]})" for g in GROUPS]
        print(f"| {name} | " + " | ".join(cells) + f" | {mib(memory['total'])} |")
    print()
    cores = os.cpu_count() or 1
    for name, result in results.items():
        run = result["runs"]["capacity"]
        cpu = result["cpu"]["capacity"]
        per_request = {g: cpu[g] * 1000 / run["requests"] for g in GROUPS}
        ms = sum(per_request.values())
        seconds = run["duration_us"] / 1e6
        print(
            f"CPU per request in the capacity run ({name}): "
            + ", ".join(f"{g} {per_request[g]:.1f} ms" for g in GROUPS)
            + f"; {ms:.1f} ms in all, so {cores} idle cores would serve at most "
            f"{cores * 1000 / ms:.0f} requests/s of this mix. These processes used "
            f"{sum(cpu.values()):.0f} of the {cores * seconds:.0f} CPU seconds of the run; the "
            f"virtual machine's host took {100 * run['steal']:.0f} % of the cores' time (steal)."
        )
        print()
    wrk_quiz = sum(r.get("quiz_ack", 0) for res in results.values() for r in res["runs"].values())
    wrk_done = sum(
        r.get("complete_ack", 0) for res in results.values() for r in res["runs"].values()
    )
    print(
        f"The POSTs against the database (every request of the bench, warm-ups included): "
        f"{checks['quiz_acks']:,} quiz submits acknowledged (302 to the result) → "
        f"{checks['new_attempts']:,} new quiz attempts, the same number for "
        f"{checks['quiz_per_learner_ok']} of {len(people['learner_ids'])} learners; "
        f'{checks["complete_acks"]:,} "lesson done" acknowledged on '
        f"{checks['complete_pairs']:,} learner × lesson pairs → "
        f"{checks['complete_pairs_done']:,} of those lessons done; enrolments whose counters "
        f"disagree with their progress rows: {checks['counters_off']} of "
        f"{checks['enrollments']}. wrk itself saw {wrk_quiz:,} quiz and {wrk_done:,} "
        f"lesson-done acknowledgements in the runs above."
    )
    print()
    missed = []
    if capacity["rps"] < TARGET_RPS:
        missed.append(f"capacity {capacity['rps']:.0f} requests/s")
    if paced["latency_p99_us"] / 1000 >= TARGET_P99_MS:
        missed.append(f"paced p99 {paced['latency_p99_us'] / 1000:,.0f} ms")
    if any(run["errors"] for result in results.values() for run in result["runs"].values()):
        missed.append("errors")
    if not (
        checks["quiz_acks"] == checks["new_attempts"]
        and checks["complete_pairs"] == checks["complete_pairs_done"]
        and checks["counters_off"] == 0
    ):
        missed.append("database checks")
    print(
        f"Targets ({chosen}): ≥ {TARGET_RPS} requests/s in the capacity run, p99 < "
        f"{TARGET_P99_MS} ms in the paced run, no errors, every acknowledged POST in the "
        f"database — {'missed: ' + ', '.join(missed) if missed else 'met'}. ⚠ marks a miss. "
        f"Whole run {context['total_s']:.0f} s (set-up {context['setup_s']:.0f} s)."
    )
    return missed


def measure(
    wrk: str,
    name: str,
    args: list[str],
    first: bool,
    tmp: Path,
    data_file: Path,
    people: dict,
    database: str,
) -> dict:
    """Start gunicorn with args, run the load against it, stop it."""
    server = Server(args, tmp, re.sub(r"\W+", "-", name))
    sampler = Sampler(server.process.pid, database)
    runs = {}
    try:
        smoke_check(server, people)
        sampler.start()
        log(f"{name}: warm-up {WARMUP_S} s ...")
        warmup = run_wrk(wrk, server, data_file, WARMUP_S, 0)
        plan = [("capacity", 0)]
        if first:
            plan.append(("paced", THINK_MS))
            plan.append(("half capacity", None))
        for label, think_ms in plan:
            if think_ms is None:
                # Half the measured capacity: each user's cycle is then 2 × 50 / capacity.
                think_ms = round(1000 * CONNECTIONS / (0.5 * runs["capacity"]["rps"]))
            log(f"{name}: {label} run {RUN_S} s (think time {think_ms} ms) ...")
            runs[label] = run_wrk(wrk, server, data_file, RUN_S, think_ms)
            runs[label]["think_ms"] = think_ms
            log(f"  {runs[label]['rps']:.0f} requests/s")
        sampler.stop()
    finally:
        server.stop()
    entries = access_entries(server.access_log)
    for run in runs.values():
        run["kinds"] = per_kind(access_entries(server.access_log, *run["log"]))
    return {
        "runs": runs,
        "entries": entries,
        "memory": sampler.window(warmup["start"], max(r["end"] for r in runs.values())),
        "cpu": {label: sampler.window(r["start"], r["end"])["cpu"] for label, r in runs.items()},
    }


def main() -> int:
    strict = "--strict" in sys.argv[1:]
    started = time.perf_counter()
    wrk = ensure_wrk()
    tmp = Path(tempfile.mkdtemp(prefix="ukmlearn-load-"))
    try:
        return run_all(wrk, tmp, strict, started)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def run_all(wrk: str, tmp: Path, strict: bool, started: float) -> int:
    recreate_database(os.environ["DATABASE_URL"])
    os.environ["STATIC_ROOT"] = str(tmp / "static")

    import django

    django.setup()
    import redis
    from django.core.management import call_command
    from django.db import connection, connections
    from django.test import override_settings

    from bench.synthetic import generate

    redis.Redis.from_url(os.environ["REDIS_URL"]).flushdb()
    step = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    log(f"migrated and collected static files in {time.perf_counter() - step:.1f} s")
    step = time.perf_counter()
    generate(
        learners=BACKGROUND["learners"],
        lessons_per_course=BACKGROUND["lessons"],
        courses=BACKGROUND["courses"],
        cohorts=BACKGROUND["cohorts"],
        progress_rows=BACKGROUND["progress"],
        seed=SEED,
    )
    log(f"background generated in {time.perf_counter() - step:.1f} s")
    step = time.perf_counter()
    # The demo people's passwords are never used here: a fast hasher saves half a minute.
    with (
        override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]),
        open(os.devnull, "w") as quiet,
    ):
        call_command("seed_demo", stdout=quiet)
    people = build_people()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
        # Write the set-up's dirty pages now, not during the first run.
        cursor.execute("CHECKPOINT")
    log(f"demo and bench people ready in {time.perf_counter() - step:.1f} s")
    context = {
        "pg_version": connection.pg_version // 10000,
        "setup_s": time.perf_counter() - started,
    }
    database = connection.settings_dict["NAME"]
    connections.close_all()  # gunicorn's workers open their own

    data_file = tmp / "data.lua"
    data_file.write_text(lua_data(people))
    context["load_before"] = os.getloadavg()[0]
    context["speed_before"] = machine_speed()
    results = {}
    for index, (name, args) in enumerate(CONFIGS.items()):
        results[name] = measure(wrk, name, args, index == 0, tmp, data_file, people, database)
    context["load_after"] = os.getloadavg()[0]
    context["speed_after"] = machine_speed()

    entries = [entry for result in results.values() for entry in result["entries"]]
    checks = database_checks(entries, people)
    context["total_s"] = time.perf_counter() - started
    missed = report(results, checks, people, context)
    return 1 if strict and missed else 0


if __name__ == "__main__":
    sys.exit(main())
