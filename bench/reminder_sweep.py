"""Benchmark the reminder sweep and one delivery batch at 100,000 learners.

Run on a PostgreSQL bench database (created when missing, then migrated):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ukmlearn_bench_reminders \\
        .venv/bin/python bench/reminder_sweep.py

Loads ten running cohorts of 10,000 learners each (users, memberships and enrolments with
PostgreSQL COPY, in one transaction), half of them idle for ten days (past the default 5-day
inactivity threshold) and half active yesterday. Then times, with the SQL query count:

- reminders_sweep, which must write 50,000 reminders in batched queries (not one per learner);
- the same sweep again, the steady state of the 15-minute beat: it must write nothing;
- reminders_deliver for one batch (500 due reminders, LocmemBackend, no network).

Because the sweep evaluates every running cohort in the database, the script first marks the
running cohorts of earlier runs finished and deletes earlier reminders; it refuses to do so
unless the database name contains "bench".
"""

import os
import resource
import sys
import time
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ukmlearn.settings")
# Deliveries go to an in-memory outbox: the benchmark measures our code, not a provider.
os.environ["MESSAGE_GATEWAY_BACKEND"] = "ukmlearn.gateway.LocmemBackend"
os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"

from bench import common  # noqa: E402 - needs the path set above

COHORTS = 10
PER_COHORT = 10_000
LEARNERS = COHORTS * PER_COHORT
IDLE_DAYS = 10  # past the default inactivity threshold (5 days)
ZONES = ["Asia/Jakarta", "Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"]


def copy_rows(cursor, model, columns: list[str], rows) -> int:
    """COPY tuples (in the order of ``columns``, field attnames) into the model's table; every
    other column gets the field's default, as Model() would give it."""
    from psycopg import sql

    fields = {f.attname: f for f in model._meta.concrete_fields}
    rest = [f for name, f in fields.items() if name not in columns and not f.primary_key]
    defaults = tuple(f.get_default() for f in rest)
    names = [fields[c].column for c in columns] + [f.column for f in rest]
    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(model._meta.db_table), sql.SQL(", ").join(map(sql.Identifier, names))
    )
    count = 0
    with cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(tuple(row) + defaults)
            count += 1
    return count


def reserve_ids(cursor, table: str, count: int) -> int:
    """Take ``count`` consecutive ids from the table's identity sequence; returns the first."""
    cursor.execute(
        "SELECT setval(s, nextval(s) + %s - 1) FROM pg_get_serial_sequence(%s, 'id') AS s",
        [count, table],
    )
    return cursor.fetchone()[0] - count + 1


def clean_earlier_runs(database: str) -> None:
    from cohorts.models import Cohort
    from ukmlearn.notifications.models import Reminder

    if "bench" not in database:
        raise SystemExit(f"refusing to finish cohorts and delete reminders in {database!r}")
    finished = Cohort.objects.filter(status=Cohort.Status.RUNNING).update(
        status=Cohort.Status.FINISHED
    )
    deleted, _ = Reminder.objects.all().delete()
    if finished or deleted:
        print(f"earlier runs: {finished} cohorts marked finished, {deleted} rows deleted")


def load(block: int) -> float:
    """Ten running cohorts of 10,000 learners; returns the seconds it took."""
    from django.contrib.auth.hashers import make_password
    from django.db import connection, transaction
    from django.utils import timezone

    from cohorts.models import Cohort, Membership
    from courses.models import Course, Enrollment, Lesson, Module
    from ukmlearn.users.models import User

    started = time.perf_counter()
    now = timezone.now()
    owner = User.objects.create_user(
        f"+62896{block}0000", name=f"Staf Bench {block}", is_staff=True, is_learner=False
    )
    with transaction.atomic():
        cohorts = []
        for number in range(COHORTS):
            course = Course.objects.create(
                title=f"Jualan Online {block}-{number}",
                slug=f"bench-reminders-{block}-{number}",
                summary="Bench.",
            )
            module = Module.objects.create(course=course, title="Mulai", position=1)
            Lesson.objects.create(module=module, title="Pengantar", position=1, body="Halo.")
            cohort = Cohort.objects.create(
                name=f"Angkatan Bench {block}-{number}",
                programme="Bench",
                start_date=date(2026, 1, 5),
                end_date=date(2027, 12, 31),
                province="jabar",
                owner=owner,
                status=Cohort.Status.RUNNING,
            )
            cohort.courses.add(course)
            cohorts.append((cohort.pk, course.pk))

        password = make_password(None)
        with connection.cursor() as cursor:
            first = reserve_ids(cursor, User._meta.db_table, LEARNERS)
            copy_rows(
                cursor,
                User,
                ["id", "name", "phone", "password", "timezone", "language"],
                (
                    (
                        first + i,
                        f"Peserta {i}",
                        f"+62897{block}{i:05d}",
                        password,
                        ZONES[i % len(ZONES)],
                        "en" if i % 10 == 0 else "id",
                    )
                    for i in range(LEARNERS)
                ),
            )
            copy_rows(
                cursor,
                Membership,
                ["cohort_id", "user_id", "role"],
                (
                    (cohorts[i // PER_COHORT][0], first + i, Membership.Role.LEARNER)
                    for i in range(LEARNERS)
                ),
            )
            idle_since = now - timedelta(days=IDLE_DAYS)
            active_since = now - timedelta(days=1)
            copy_rows(
                cursor,
                Enrollment,
                ["user_id", "course_id", "source", "enrolled_at", "last_activity_at"],
                (
                    (
                        first + i,
                        cohorts[i // PER_COHORT][1],
                        Enrollment.Source.COHORT,
                        now - timedelta(days=30),
                        idle_since if i % 2 == 0 else active_since,
                    )
                    for i in range(LEARNERS)
                ),
            )
    with connection.cursor() as cursor:
        for model in (User, Membership, Enrollment):
            cursor.execute(f'ANALYZE "{model._meta.db_table}"')
    return time.perf_counter() - started


@contextmanager
def measured():
    """Seconds and SQL queries of the block (CaptureQueriesContext keeps every statement)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    result = {}
    with CaptureQueriesContext(connection) as ctx:
        started = time.perf_counter()
        yield result
        result["seconds"] = time.perf_counter() - started
    result["queries"] = len(ctx.captured_queries)


@contextmanager
def timing_reminders_write(into: dict):
    """Split the sweep: how long reminders_write takes of the whole."""
    from ukmlearn.notifications import services

    original = services.reminders_write

    def timed(*args, **kwargs):
        started = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            into["write_seconds"] = time.perf_counter() - started

    services.reminders_write = timed
    try:
        yield
    finally:
        services.reminders_write = original


@contextmanager
def for_update_of_self():
    """The one-line fix for the PostgreSQL delivery bug, applied in this process only:
    select_for_update(skip_locked=True) locks the reminder rows alone (of=("self",))."""
    from django.db.models import QuerySet

    original = QuerySet.select_for_update

    def patched(self, nowait=False, skip_locked=False, of=(), no_key=False):
        return original(
            self, nowait=nowait, skip_locked=skip_locked, of=of or ("self",), no_key=no_key
        )

    QuerySet.select_for_update = patched
    try:
        yield
    finally:
        QuerySet.select_for_update = original


def main() -> int:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("set DATABASE_URL to a PostgreSQL bench database (COPY needs it)")
    common.ensure_database(url)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import NotSupportedError, connection
    from django.utils import timezone

    from ukmlearn import gateway
    from ukmlearn.notifications import services
    from ukmlearn.notifications.models import Reminder

    call_command("migrate", verbosity=0)
    clean_earlier_runs(urlsplit(url).path.lstrip("/"))
    block = common.free_block("897")
    load_seconds = load(block)

    split = {}
    with timing_reminders_write(split), measured() as first:
        first["written"] = services.reminders_sweep()
    assert first["written"] == LEARNERS // 2, first
    with measured() as again:
        again["written"] = services.reminders_sweep()
    assert again["written"] == 0, again

    later = timezone.now() + timedelta(days=1)  # past any quiet hours
    deliver_note = ""
    try:
        with measured() as deliver:
            deliver["sent"] = services.reminders_deliver(now=later)
    except NotSupportedError as exc:
        deliver_note = f"as committed: fails on PostgreSQL ({exc}); measured with of=('self',)"
        with for_update_of_self(), measured() as deliver:
            deliver["sent"] = services.reminders_deliver(now=later)
    assert deliver["sent"] == 500, deliver
    assert len(gateway.outbox) == 500
    pending = Reminder.objects.filter(status=Reminder.Status.PENDING).count()

    maxrss_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print()
    print(
        f"Reminder sweep, {LEARNERS:,} learners in {COHORTS} running cohorts, half idle "
        f"{IDLE_DAYS} days ({connection.display_name})"
    )
    print()
    print("| step | seconds | SQL queries | rows |")
    print("|---|---:|---:|---:|")
    print(
        f"| load with COPY (users, memberships, enrolments) | {load_seconds:.1f} | | "
        f"{LEARNERS:,} each |"
    )
    print(
        f"| reminders_sweep, first run | {first['seconds']:.1f} | {first['queries']} | "
        f"{first['written']:,} reminders written |"
    )
    print(
        f"| — of which reminders_write (texts, quiet hours, bulk insert) | "
        f"{split['write_seconds']:.1f} | | |"
    )
    print(
        f"| reminders_sweep again (every row exists) | {again['seconds']:.1f} | "
        f"{again['queries']} | {again['written']} written |"
    )
    print(
        f"| reminders_deliver, one batch | {deliver['seconds']:.2f} | {deliver['queries']} | "
        f"{deliver['sent']} sent, {pending:,} still pending |"
    )
    print()
    if deliver_note:
        print(f"reminders_deliver {deliver_note}.")
    print(f"process maxrss {maxrss_mib:.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
