"""Synthetic data at scale for benchmarks, loaded with PostgreSQL COPY.

    from bench.synthetic import generate
    data = generate(learners=10_000, lessons_per_course=100, courses=2, cohorts=1,
                    progress_rows=1_000_000, seed=1)

Call it after django.setup() on a migrated PostgreSQL database (a bench database: nothing is
idempotent, every call adds a fresh set). It creates:

- one staff user who owns every cohort, plus ``learners`` learners and a few mentors (one per
  250 learners, at least one per cohort, or ``mentors_per_cohort``) (users via COPY; 70 % can
  sign in, the rest wait for their invitation like imported people);
- business profiles for 90 % of the learners;
- ``courses`` published courses of ``lessons_per_course`` lessons in modules of 10 (every
  25th lesson optional, every 5th a video);
- ``cohorts`` running cohorts (started six weeks ago, ending in six weeks), each taking
  ``courses_per_cohort`` of the courses (all by default); learners are split into contiguous
  blocks, one cohort each, with 1 % who have left;
- an enrolment per learner and cohort course, and exactly ``progress_rows`` LessonProgress
  rows spread over them (a U-shaped engagement: many barely started, many nearly done).
  The learner works through a course in reading order, so the rows of one enrolment are its
  first k lessons; the last one may still be open. Each enrolment's progress_percent,
  completed_lessons, next_lesson, last_activity_at and completed_at are what
  courses.services.progress.enrollment_recompute would derive from those rows;
- twelve weekly live sessions per cohort (six already held) and attendance for the held ones.

Ids of users and enrolments are reserved from their identity sequences in one block, so the
rows can refer to each other without reading anything back. The big tables are loaded with
``cursor.copy`` (psycopg 3) inside one transaction; ANALYZE (and VACUUM, for the visibility
map that index-only scans need) runs afterwards, as autovacuum would on a live database.
"""

import math
import random
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from bench.import_participants import BUSINESS_WORDS, FIRST_NAMES, LAST_NAMES

PROVINCES = ["jabar", "jateng", "jatim", "dki", "diy", "sumut", "sulsel", "ntb", "ntt", "bali"]
CITIES = ["Bandung", "Semarang", "Surabaya", "Jakarta Timur", "Yogyakarta", "Medan", "Makassar"]
SECTORS = ["kuliner", "fashion", "kerajinan", "jasa", "pertanian", "perdagangan", "lainnya"]
MODULE_SIZE = 10
SESSIONS_PER_COHORT = 12
COHORT_WEEKS = 12


@dataclass
class Generated:
    owner_id: int
    cohort_ids: list[int]
    course_ids: list[int]
    counts: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)


@dataclass
class _CoursePlan:
    """A course's lessons in reading order and what follows from doing a prefix of them."""

    course_id: int
    lesson_ids: list[int]
    required_done: list[int]  # required lessons among the first d lessons, d = 0..L
    next_lesson: list[int | None]  # next lesson when the first d lessons are done
    last_required: list[int]  # index of the last required lesson among the first d, or -1
    required_total: int


def _course_plan(course_id: int, lessons: list[tuple[int, bool]]) -> _CoursePlan:
    """lessons: (id, is_optional) in reading order. Mirrors enrollment_recompute."""
    count = len(lessons)
    required_done, last_required = [0], [-1]
    for index, (_lesson_id, optional) in enumerate(lessons):
        required_done.append(required_done[-1] + (not optional))
        last_required.append(last_required[-1] if optional else index)
    next_lesson: list[int | None] = []
    for done in range(count + 1):
        rest = lessons[done:]
        first_required = next((lid for lid, optional in rest if not optional), None)
        next_lesson.append(first_required or (rest[0][0] if rest else None))
    return _CoursePlan(
        course_id=course_id,
        lesson_ids=[lid for lid, _optional in lessons],
        required_done=required_done,
        next_lesson=next_lesson,
        last_required=last_required,
        required_total=required_done[-1],
    )


def _reserve_ids(cursor, table: str, count: int) -> int:
    """Take ``count`` consecutive ids from the table's identity sequence; returns the first."""
    cursor.execute(
        "SELECT setval(s, nextval(s) + %s - 1) FROM pg_get_serial_sequence(%s, 'id') AS s",
        [count, table],
    )
    last = cursor.fetchone()[0]
    return last - count + 1


def _copy(cursor, model, columns: list[str], rows) -> int:
    """COPY rows (tuples in the order of ``columns``, model field names) into the model's
    table. The id, when left out, takes its identity default; any other field left out
    (one added to the model after this file was written, say) gets the model's default."""
    from django.db import connection
    from psycopg import sql

    meta = model._meta
    given = [meta.get_field(name) for name in columns]
    rest = [f for f in meta.concrete_fields if f not in given and not f.primary_key]
    defaults = tuple(f.get_db_prep_save(f.get_default(), connection) for f in rest)
    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(meta.db_table),
        sql.SQL(", ").join(sql.Identifier(f.column) for f in given + rest),
    )
    written = 0
    with cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row + defaults if defaults else row)
            written += 1
    return written


def _spread(rng: random.Random, count: int, total: int, capacity: int, engagement) -> list[int]:
    """``count`` integers in 0..capacity summing to exactly ``total``; ``engagement(i)`` gives
    each one's share (0..1) before the correction."""
    values = [min(capacity, max(0, round(capacity * engagement(i)))) for i in range(count)]
    diff = total - sum(values)
    while diff:
        step = 1 if diff > 0 else -1
        movable = [i for i, v in enumerate(values) if (v < capacity if step > 0 else v > 0)]
        for i in rng.sample(movable, min(abs(diff), len(movable))):
            values[i] += step
            diff -= step
    return values


def generate(
    *,
    learners: int,
    lessons_per_course: int,
    courses: int,
    cohorts: int,
    progress_rows: int,
    seed: int,
    courses_per_cohort: int | None = None,
    vacuum: bool = True,
    mentors_per_cohort: int | None = None,
) -> Generated:
    from django.contrib.auth.hashers import make_password
    from django.db import connection, transaction
    from django.utils import timezone

    from cohorts.models import Attendance, Cohort, LiveSession, Membership
    from courses.models import Course, Enrollment, Lesson, LessonProgress, Module
    from courses.services.content import render_markdown
    from ukmlearn.users.models import BusinessProfile, User

    if connection.vendor != "postgresql":
        raise RuntimeError("bench.synthetic needs PostgreSQL (it loads with COPY)")
    per_cohort = min(courses_per_cohort or courses, courses)
    if learners < cohorts or cohorts < 1 or courses < 1 or lessons_per_course < 1:
        raise ValueError("need at least one learner per cohort, one course and one lesson")
    enrolment_count = learners * per_cohort
    if not 0 <= progress_rows <= enrolment_count * lessons_per_course:
        raise ValueError(
            f"progress_rows must be 0..{enrolment_count * lessons_per_course:,} "
            f"({enrolment_count:,} enrolments x {lessons_per_course} lessons)"
        )

    rng = random.Random(seed)  # noqa: S311 - reproducible test data, not a secret
    now = timezone.now()
    today = timezone.localdate()
    seconds: dict[str, float] = {}
    counts: dict[str, int] = {}
    clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        seconds[name] = time.perf_counter() - clock
        clock = time.perf_counter()

    connection.ensure_connection()
    with transaction.atomic(), connection.connection.cursor() as cur:
        # --- Users: the owner, the learners, a few mentors per cohort -------------------
        if mentors_per_cohort is None:
            mentors_per_cohort = max(1, learners // cohorts // 250)
        user_total = 1 + learners + cohorts * mentors_per_cohort
        first_user = _reserve_ids(cur, User._meta.db_table, user_total)
        owner_id = first_user
        learner_ids = list(range(first_user + 1, first_user + 1 + learners))
        mentor_ids = list(range(first_user + 1 + learners, first_user + user_total))
        tag = f"{seed}-{first_user}"
        usable = make_password("bench-password")
        joined = now - timedelta(days=7 * COHORT_WEEKS)

        mentor_set = set(mentor_ids)

        def user_rows():
            for uid in range(first_user, first_user + user_total):
                staff, mentor = uid == owner_id, uid in mentor_set
                name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
                password = usable if staff or rng.random() < 0.7 else f"!bench{uid}"
                email = f"bench{uid}@example.com" if rng.random() < 0.4 else ""
                gender = rng.choice(["female", "female", "male", ""])
                year = rng.choice([None, rng.randrange(1960, 2004)])
                yield (
                    uid, password, False, name, f"+6281{uid:09d}", not staff, email,
                    not staff and not mentor, mentor, staff, True, "Asia/Jakarta", "id",
                    gender, year, joined,
                )  # fmt: skip

        user_columns = ["id", "password", "is_superuser", "name", "phone", "phone_verified"]
        user_columns += ["email", "is_learner", "is_mentor", "is_staff", "is_active"]
        user_columns += ["timezone", "language", "gender", "birth_year", "date_joined"]
        counts["users"] = _copy(cur, User, user_columns, user_rows())
        lap("users")

        def profile_rows():
            for uid in learner_ids:
                if rng.random() < 0.9:
                    first = rng.choice(FIRST_NAMES)
                    yield (
                        uid, f"{rng.choice(BUSINESS_WORDS)} {first}", rng.choice(SECTORS),
                        rng.choice(CITIES), rng.choice(PROVINCES), now,
                    )  # fmt: skip

        profile_columns = ["user", "business_name", "sector", "city", "province", "updated_at"]
        counts["business profiles"] = _copy(cur, BusinessProfile, profile_columns, profile_rows())
        lap("business profiles")

    # --- Courses, modules, lessons (small: the ORM) -------------------------------------
    with transaction.atomic():
        body = "Bacaan **singkat** untuk pelaku usaha.\n\n- Langkah satu\n- Langkah dua"
        body_html = render_markdown(body)
        course_objs = Course.objects.bulk_create(
            Course(
                title=f"Kursus Bench {n + 1}",
                slug=f"bench-{tag}-{n + 1}",
                summary="Kursus sintetis untuk benchmark.",
                is_published=True,
            )
            for n in range(courses)
        )
        module_objs = Module.objects.bulk_create(
            Module(course=course, title=f"Modul {m + 1}", position=m + 1)
            for course in course_objs
            for m in range(math.ceil(lessons_per_course / MODULE_SIZE))
        )
        lessons = []
        for course in course_objs:
            modules = [m for m in module_objs if m.course_id == course.pk]
            for index in range(lessons_per_course):
                module = modules[index // MODULE_SIZE]
                lessons.append(
                    Lesson(
                        module=module,
                        title=f"Pelajaran {index + 1}",
                        kind=Lesson.Kind.VIDEO if index % 5 == 4 else Lesson.Kind.READING,
                        position=index % MODULE_SIZE + 1,
                        is_optional=index % 25 == 12,
                        body=body,
                        body_html=body_html,
                    )
                )
        Lesson.objects.bulk_create(lessons, batch_size=1000)
        plans = []
        for course in course_objs:
            ordered = (
                Lesson.objects.filter(module__course=course)
                .order_by("module__position", "module_id", "position", "id")
                .values_list("id", "is_optional")
            )
            plans.append(_course_plan(course.pk, list(ordered)))
        counts["courses"], counts["lessons"] = len(course_objs), len(lessons)

        # --- Cohorts and their weekly sessions (19:00-21:00 WIB; half of them held) -----
        start = today - timedelta(weeks=COHORT_WEEKS // 2)
        start_at = datetime.combine(start, datetime.min.time(), tzinfo=UTC)
        cohort_objs, cohort_courses = [], []
        for n in range(cohorts):
            cohort = Cohort.objects.create(
                name=f"Angkatan Bench {tag}-{n + 1}",
                programme="Benchmark",
                start_date=start,
                end_date=start + timedelta(weeks=COHORT_WEEKS),
                province=PROVINCES[n % len(PROVINCES)],
                city=CITIES[n % len(CITIES)],
                capacity=learners // cohorts + 1,
                owner_id=owner_id,
                status=Cohort.Status.RUNNING,
            )
            chosen = [plans[(n * per_cohort + j) % courses] for j in range(per_cohort)]
            cohort.courses.set([plan.course_id for plan in chosen])
            cohort_objs.append(cohort)
            cohort_courses.append(chosen)
        session_objs = LiveSession.objects.bulk_create(
            LiveSession(
                cohort=cohort,
                title=f"Sesi {s + 1}",
                starts_at=start_at + timedelta(days=1 + 7 * s, hours=12),
                ends_at=start_at + timedelta(days=1 + 7 * s, hours=14),
                meeting_url="https://meet.example.com/bench",
                catch_up_lesson_id=cohort_courses[c][0].lesson_ids[s % lessons_per_course],
            )
            for c, cohort in enumerate(cohort_objs)
            for s in range(SESSIONS_PER_COHORT)
        )
        counts["cohorts"], counts["live sessions"] = len(cohort_objs), len(session_objs)
    lap("courses, cohorts, sessions")

    with transaction.atomic(), connection.connection.cursor() as cur:
        # --- Memberships -------------------------------------------------------------
        block = learners // cohorts
        cohort_of = [min(i // block, cohorts - 1) for i in range(learners)]
        members_of: list[list[int]] = [[] for _ in range(cohorts)]  # learner indexes
        for i, c in enumerate(cohort_of):
            members_of[c].append(i)
        left = {i for i in range(learners) if rng.random() < 0.01}

        def membership_rows():
            for i, uid in enumerate(learner_ids):
                joined_at = start_at - timedelta(days=rng.randrange(1, 14))
                left_at = now - timedelta(days=rng.randrange(1, 30)) if i in left else None
                yield (cohort_objs[cohort_of[i]].pk, uid, "learner", joined_at, left_at)
            for j, uid in enumerate(mentor_ids):
                yield (cohort_objs[j // mentors_per_cohort].pk, uid, "mentor", start_at, None)

        membership_columns = ["cohort", "user", "role", "joined_at", "left_at"]
        counts["memberships"] = _copy(cur, Membership, membership_columns, membership_rows())
        lap("memberships")

        # --- How far each enrolment got: exactly progress_rows lessons in all ------------
        # U-shaped engagement (beta with a < 1) around the mean the row count asks for.
        mean = progress_rows / (enrolment_count * lessons_per_course) if enrolment_count else 0
        a = 0.7
        b = a * (1 - mean) / mean if 0 < mean < 1 else 1.0
        engagement = [
            0.0 if mean == 0 else 1.0 if mean == 1 else rng.betavariate(a, b)
            for _ in range(learners)
        ]

        def share(index: int) -> float:
            wobble = rng.gauss(0, 0.08)
            return min(1.0, max(0.0, engagement[index // per_cohort] + wobble))

        touched = _spread(rng, enrolment_count, progress_rows, lessons_per_course, share)
        first_enrolment = _reserve_ids(cur, Enrollment._meta.db_table, enrolment_count)

        # Per enrolment: (id, plan, touched, last touched lesson done?, enrolled, last active)
        enrolments = []
        for e in range(enrolment_count):
            learner, slot = divmod(e, per_cohort)
            plan = cohort_courses[cohort_of[learner]][slot]
            k = touched[e]
            enrolled_at = start_at + timedelta(hours=rng.randrange(0, 72))
            last_done = k > 0 and rng.random() < (0.9 if k == lessons_per_course else 0.7)
            if k:
                idle = timedelta(days=rng.expovariate(1 / 6))  # a quarter idle for 8+ days
                last_at = max(now - idle, enrolled_at + timedelta(hours=k))
                last_at = min(last_at, now)
            else:
                last_at = None
            enrolments.append((first_enrolment + e, plan, k, last_done, enrolled_at, last_at))

        def times(enrolled_at, last_at, k: int, j: int):
            """started_at and completed_at of the j-th of k touched lessons."""
            step = (last_at - enrolled_at) / k
            done = last_at if j == k - 1 else enrolled_at + step * (j + 1)
            return done - min(step / 2, timedelta(minutes=20)), done

        def enrolment_rows():
            for eid, plan, k, last_done, enrolled_at, last_at in enrolments:
                done = k if last_done or k == 0 else k - 1
                required_done = plan.required_done[done]
                percent = (
                    100 if not plan.required_total else (100 * required_done // plan.required_total)
                )
                completed_at = None
                if plan.required_total and required_done == plan.required_total:
                    completed_at = times(enrolled_at, last_at, k, plan.last_required[done])[1]
                uid = learner_ids[(eid - first_enrolment) // per_cohort]
                yield (
                    eid, uid, plan.course_id, "cohort", enrolled_at, percent, required_done,
                    plan.next_lesson[done], last_at, completed_at,
                )  # fmt: skip

        enrolment_columns = ["id", "user", "course", "source", "enrolled_at", "progress_percent"]
        enrolment_columns += ["completed_lessons", "next_lesson", "last_activity_at"]
        enrolment_columns += ["completed_at"]
        counts["enrolments"] = _copy(cur, Enrollment, enrolment_columns, enrolment_rows())
        lap("enrolments")

        def progress_rows_():
            for eid, plan, k, last_done, enrolled_at, last_at in enrolments:
                for j in range(k):
                    started_at, done_at = times(enrolled_at, last_at, k, j)
                    if j == k - 1 and not last_done:
                        started_at, done_at = last_at, None
                    yield (eid, plan.lesson_ids[j], started_at, done_at)

        progress_columns = ["enrollment", "lesson", "started_at", "completed_at"]
        counts["lesson progress"] = _copy(cur, LessonProgress, progress_columns, progress_rows_())
        lap("lesson progress")

        # --- Attendance at the sessions already held ----------------------------------
        def attendance_rows():
            for n, session in enumerate(session_objs):
                if session.ends_at >= now:
                    continue
                for i in members_of[n // SESSIONS_PER_COHORT]:
                    if rng.random() < 0.2 + 0.6 * engagement[i]:
                        uid = learner_ids[i]
                        method = rng.choice(["code", "code", "qr", "staff"])
                        yield (
                            session.pk, uid, method,
                            session.starts_at + timedelta(minutes=rng.randrange(0, 30)),
                            owner_id if method == "staff" else None,
                        )  # fmt: skip

        attendance_columns = ["session", "user", "method", "checked_in_at", "recorded_by"]
        counts["attendance"] = _copy(cur, Attendance, attendance_columns, attendance_rows())
        lap("attendance")
    lap("commit (deferred foreign-key checks)")

    if vacuum:
        tables = [User, BusinessProfile, Membership, Enrollment, LessonProgress, Attendance]
        with connection.cursor() as cursor:
            for model in tables:
                cursor.execute(f'VACUUM (ANALYZE) "{model._meta.db_table}"')
            cursor.execute("ANALYZE")
        lap("vacuum analyze")

    return Generated(
        owner_id=owner_id,
        cohort_ids=[cohort.pk for cohort in cohort_objs],
        course_ids=[course.pk for course in course_objs],
        counts=counts,
        seconds=seconds,
    )
