"""The whole programme at scale, with mentoring, for the scale benchmark (issue 8).

    from bench.mentoring_data import ensure_data
    info = ensure_data(seed=20260408)      # reuses the data when it is already there

On top of bench/synthetic.py (users, business profiles, cohorts, memberships, enrolments with
their progress, lesson progress, live sessions and attendance) this adds what the learner,
mentor and staff pages read:

- LEARNERS learners in COHORTS running cohorts of 500 (all half-way: started six weeks ago,
  ending in six), each cohort taking 3 of 6 courses of 10 lessons, exactly PROGRESS_ROWS
  lesson-progress rows (1 % of the learners have left); the 5th and the 10th lesson of each
  course are practice tasks, and the courses count a task as done when it is approved;
- business profiles completed (year started, workers) for 95 % of those that exist;
- MENTORS_PER_COHORT mentors per cohort (8,000 in all) with a mentor profile (expertise,
  sectors, region, languages, modes, capacity 8-30). The first mentor of every cohort has a
  full list (FULL_LOAD mentees, capacity FULL_LOAD); the others share the rest in proportion
  to their capacity, about 12 each;
- confirmed (active) pairings for 98 % of the active learners (the rest wait unpaired), ended
  pairings for the learners who left, and 1 % reassignments (an ended pairing with the first
  mentor, then an active one with another);
- exactly SESSIONS logged mentoring sessions, more for engaged learners and diligent mentors
  (0-8 per pairing), with private notes, a summary for the learner, a planned next date,
  1-3 topics, learner confirmations and ratings; action items on ~45 % of them (due dates
  before and after today, most of the past ones done);
- practice-task submissions: approved ones for every task lesson done (some after a round of
  revision), and for a task lesson still open: waiting for review, sent back, or not sent;
- issued certificates for 80 % of the completed enrolments;
- in-app notifications: about 3 per learner and 30 per mentor;
- survey responses of the default survey: a sent baseline for ~88 % of the learners, drafts
  and skips for some others, and an endline from ~80 % of those who finished every course.

Everything is drawn from random.Random(seed) (synthetic.py uses the seed itself), loaded with
COPY (bench.synthetic._copy) in one transaction, then VACUUM ANALYZEd.
"""

import json
import random
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta

from bench import outcomes_data, synthetic

LEARNERS = 100_000
COHORTS = 200
COURSES = 6
COURSES_PER_COHORT = 3
LESSONS_PER_COURSE = 10
PROGRESS_ROWS = 1_000_000  # a third of the 3,000,000 possible (300,000 enrolments x 10)
MENTORS_PER_COHORT = 40
SESSIONS = 50_000
TASK_LESSONS = (4, 9)  # reading-order indexes: mid-course and at the end
FULL_LOAD = 30  # mentees of the first mentor of each cohort (the brief's 5-30, at the top)
MAX_SESSIONS_PER_PAIRING = 8
COHORT_PREFIX = "Angkatan Bench"

NOTES = [
    "Sudah mencoba katalog WhatsApp Business, baru 5 produk yang diunggah.",
    "Kesulitan memotret produk dengan cahaya cukup; kami latihan di dekat jendela.",
    "Pesanan lewat WA mulai masuk, omzet minggu ini naik sedikit.",
    "Belum sempat membuka materi karena pesanan ramai menjelang akhir pekan.",
    "Kami bahas harga jual dan cara menghitung HPP sederhana dari bahan baku.",
    "Ingin mulai jualan di marketplace, tetapi masih ragu soal ongkos kirim.",
    "Sudah punya QRIS, tetapi pembeli masih lebih banyak membayar tunai.",
    "Pencatatan keuangan masih di buku tulis; saya sarankan aplikasi kas sederhana.",
    "Anaknya yang mengelola Instagram; ibu ingin belajar membuat konten sendiri.",
    "Sinyal di rumah lemah, jadi sesi lewat chat WhatsApp saja.",
    "Suami kurang mendukung jualan online; perlu contoh hasil dari peserta lain.",
    "Stok sering habis sebelum pesanan online dibalas, perlu catatan stok harian.",
]
SUMMARIES = [
    "Hari ini kita rapikan katalog WhatsApp dan foto tiga produk unggulan.",
    "Kita hitung ulang harga jual supaya ongkos kirim tidak memakan untung.",
    "Kita coba fitur balasan cepat untuk menjawab pertanyaan pelanggan.",
    "Kita buat jadwal posting dua kali seminggu di Instagram.",
    "Kita daftarkan usaha di Google Maps agar mudah ditemukan pembeli sekitar.",
    "Kita mulai catat penjualan harian di aplikasi kas.",
    "Kita bahas cara melayani pembayaran QRIS dan mengecek uang masuk.",
]
ACTIONS = [
    "Unggah 10 foto produk ke katalog WhatsApp",
    "Catat penjualan harian selama satu minggu",
    "Buat 3 postingan Instagram tentang produk unggulan",
    "Daftarkan usaha di Google Maps",
    "Pasang stiker QRIS di meja kasir",
    "Hitung ulang harga jual dengan HPP",
    "Selesaikan modul 2 sebelum sesi berikutnya",
    "Siapkan template salam dan balasan cepat",
]
REASONS = [
    "keahlian: pemasaran digital",
    "sektor sama: Kuliner",
    "kota sama: Bandung",
    "provinsi sama: Jawa Barat",
    "bahasa sama: Sunda",
    "mode pilihan: daring",
]
COMMENTS = ["Sangat membantu, terima kasih!", "Jelas dan sabar.", "Waktunya terlalu singkat."]
TASK_TEXTS = [
    "Ini foto katalog WhatsApp saya, sudah ada 8 produk dengan harga.",
    "Saya sudah buat 3 postingan, tautannya ada di bawah. Mohon masukan.",
    "Catatan penjualan seminggu: total 1.250.000, paling laku keripik pedas.",
]
FEEDBACK = [
    "Bagus! Fotonya sudah terang. Tambahkan harga di setiap produk.",
    "Sudah tepat. Lanjutkan dengan postingan rutin dua kali seminggu.",
    "Coba ulangi: foto masih gelap dan deskripsi produk belum ada.",
]
LEARNER_NOTES = [
    "Ayo lanjutkan {course}: pelajaran berikutnya hanya beberapa menit.",
    "Besok: Sesi {n} pukul 19.00.",
    "Jatuh tempo besok: {action}",
    "Tugas praktik Anda sudah dinilai. Lihat masukan pendamping.",
    "Survei awal: beberapa pertanyaan singkat tentang usaha Anda. Sekitar 3 menit.",
]
MENTOR_NOTES = [
    "Mohon catat sesi pendampingan Anda dengan {name}.",
    "Tugas praktik {name} menunggu penilaian Anda.",
    "Besok: Sesi {n} pukul 19.00.",
]
MODES = ["wa_call"] * 9 + ["wa_chat"] * 5 + ["video"] * 3 + ["in_person"] * 3


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def existing() -> dict | None:
    """Counts of the data of an earlier run, or None when there is none (or only part)."""
    from cohorts.models import Cohort, Membership
    from mentoring.models import MentoringSession, Pairing

    cohorts = Cohort.objects.filter(name__startswith=COHORT_PREFIX)
    counts = {
        "cohorts": cohorts.count(),
        "learners": Membership.objects.filter(cohort__in=cohorts, role="learner").count(),
        "mentors": Membership.objects.filter(cohort__in=cohorts, role="mentor").count(),
        "pairings": Pairing.objects.filter(cohort__in=cohorts).count(),
        "mentoring sessions": MentoringSession.objects.filter(pairing__cohort__in=cohorts).count(),
    }
    complete = (
        counts["cohorts"] == COHORTS
        and counts["learners"] == LEARNERS
        and counts["mentors"] == COHORTS * MENTORS_PER_COHORT
        and counts["mentoring sessions"] == SESSIONS
    )
    return counts if complete else None


def _weighted_loads(rng: random.Random, capacities: list[int], total: int) -> list[int]:
    """Loads in 0..capacity, in proportion to the capacities, summing to ``total``."""
    room = sum(capacities)
    if total > room:
        raise ValueError(f"{total} mentees do not fit in a capacity of {room}")
    loads = [cap * total // room for cap in capacities]
    while sum(loads) < total:
        free = [j for j, cap in enumerate(capacities) if loads[j] < cap]
        loads[rng.choice(free)] += 1
    return loads


def _exact_counts(rng: random.Random, weights: list[float], total: int, cap: int) -> list[int]:
    """Per item, a binomial(cap, p) draw with p in proportion to its weight, then nudged at
    random (within 0..cap) until the counts sum to exactly ``total``."""
    scale = total / (cap * sum(weights))
    counts = []
    for weight in weights:
        p = min(0.95, weight * scale)
        counts.append(sum(rng.random() < p for _ in range(cap)))
    diff = total - sum(counts)
    while diff:
        step = 1 if diff > 0 else -1
        movable = [i for i, v in enumerate(counts) if (v < cap if step > 0 else v > 0)]
        for i in rng.sample(movable, min(abs(diff), len(movable))):
            counts[i] += step
            diff -= step
    return counts


def generate(seed: int) -> dict:
    """Generate everything; returns {"counts": ..., "seconds": ...}."""
    from django.db import connection, transaction
    from django.utils import timezone

    from cohorts.models import Cohort, Membership
    from courses.content_cache import content_changed
    from courses.models import (
        Certificate,
        Course,
        Enrollment,
        Lesson,
        LessonProgress,
        TaskSubmission,
    )
    from mentoring.models import ActionItem, ExpertiseTag, MentoringSession, MentorProfile, Pairing
    from outcomes import instrument
    from outcomes.models import Response, Survey, Wave
    from ukmlearn.notifications.models import Notification
    from ukmlearn.users.models import BusinessProfile, User

    started = time.perf_counter()
    log(
        f"generating {LEARNERS:,} learners in {COHORTS} cohorts, {PROGRESS_ROWS:,} lesson-progress"
        " rows with bench.synthetic ..."
    )
    base = synthetic.generate(
        learners=LEARNERS,
        lessons_per_course=LESSONS_PER_COURSE,
        courses=COURSES,
        cohorts=COHORTS,
        courses_per_cohort=COURSES_PER_COHORT,
        progress_rows=PROGRESS_ROWS,
        seed=seed,
        vacuum=False,
        mentors_per_cohort=MENTORS_PER_COHORT,
    )
    counts = dict(base.counts)
    seconds = {f"synthetic: {k}": v for k, v in base.seconds.items()}
    log(f"  synthetic done in {time.perf_counter() - started:.0f} s")

    rng = random.Random(seed + 8)  # noqa: S311 - reproducible test data, not a secret
    now = timezone.now()
    today = timezone.localdate()
    clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        seconds[name] = time.perf_counter() - clock
        clock = time.perf_counter()

    # --- Practice tasks: the last lesson of each module; done when approved ----------------
    Course.objects.filter(pk__in=base.course_ids).update(
        task_completion=Course.TaskCompletion.APPROVED
    )
    task_ids = []
    for course_id in base.course_ids:
        ordered = list(
            Lesson.objects.filter(module__course_id=course_id)
            .order_by("module__position", "module_id", "position", "id")
            .values_list("id", flat=True)
        )
        task_ids += [ordered[i] for i in TASK_LESSONS if i < len(ordered)]
    Lesson.objects.filter(pk__in=task_ids).update(
        kind=Lesson.Kind.TASK,
        body="Foto hasil kerja Anda (katalog, postingan, catatan) lalu kirim di sini.",
        body_html="<p>Foto hasil kerja Anda (katalog, postingan, catatan) lalu kirim di sini.</p>",
    )
    content_changed()  # QuerySet.update() sends no signal (courses/content_cache.py)
    # Imported profiles lack what only the learner knows; most have filled it in since.
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE users_businessprofile SET year_started = 1995 + mod(user_id, 29), "
            "workers = 1 + mod(user_id / 7, 4) WHERE mod(user_id, 20) <> 0"
        )
        counts["business profiles completed"] = cursor.rowcount
    lap("tasks, profiles")

    # --- Read back what synthetic made (nothing can be read while a COPY runs) ------------
    cohort_ids = base.cohort_ids
    owner_id = base.owner_id
    starts = {
        pk: datetime.combine(day, datetime.min.time(), tzinfo=UTC)
        for pk, day in Cohort.objects.filter(pk__in=cohort_ids).values_list("pk", "start_date")
    }
    learners_of = {pk: [] for pk in cohort_ids}  # (user_id, joined_at, left_at)
    mentors_of = {pk: [] for pk in cohort_ids}
    for cohort_id, user_id, role, joined_at, left_at in (
        Membership.objects.filter(cohort_id__in=cohort_ids)
        .order_by("cohort_id", "user_id")
        .values_list("cohort_id", "user_id", "role", "joined_at", "left_at")
    ):
        if role == Membership.Role.MENTOR:
            mentors_of[cohort_id].append(user_id)
        else:
            learners_of[cohort_id].append((user_id, joined_at, left_at))
    names = dict(
        User.objects.filter(pk__in=[u for rows in learners_of.values() for u, _j, _l in rows])
        .values_list("pk", "name")
        .iterator(chunk_size=20_000)
    )
    enrolments_of: dict[int, list] = {}  # user_id -> [(id, course_id, percent, last, done)]
    for eid, user_id, course_id, percent, last, done in (
        Enrollment.objects.filter(course_id__in=base.course_ids)
        .values_list("pk", "user_id", "course_id", "progress_percent", "last_activity_at",
                     "completed_at")
        .iterator(chunk_size=20_000)
    ):  # fmt: skip
        enrolments_of.setdefault(user_id, []).append((eid, course_id, percent, last, done))
    task_progress = list(
        LessonProgress.objects.filter(lesson_id__in=task_ids)
        .order_by("enrollment_id", "lesson_id")
        .values_list("enrollment_id", "lesson_id", "started_at", "completed_at")
    )
    enrolment_user = {e[0]: u for u, rows in enrolments_of.items() for e in rows}
    tags = list(ExpertiseTag.objects.values_list("pk", flat=True))
    survey = Survey.objects.get(is_default=True)
    qid = {q.core_key: str(q.pk) for q in survey.questions.all() if q.core_key}
    indicator_columns = list(instrument.INDICATOR_KEYS) + ["ladder"]
    indicator_columns += [f"{band}_band" for band in instrument.BANDS]

    def engagement(user_id: int) -> float:
        rows = enrolments_of.get(user_id, [])
        return sum(r[2] for r in rows) / (100 * len(rows)) if rows else 0.0

    lap("read back")

    with transaction.atomic(), connection.connection.cursor() as cur:
        # --- Mentor profiles ---------------------------------------------------------
        mentor_ids = [m for c in cohort_ids for m in mentors_of[c]]
        capacity, diligence = {}, {}
        for c in cohort_ids:
            for j, mentor_id in enumerate(mentors_of[c]):
                capacity[mentor_id] = FULL_LOAD if j == 0 else rng.randint(8, 30)
                diligence[mentor_id] = 1.8 if j == 0 else rng.uniform(0.3, 1.7)
        first_profile = synthetic._reserve_ids(cur, MentorProfile._meta.db_table, len(mentor_ids))

        def profile_rows():
            for n, mentor_id in enumerate(mentor_ids):
                yield (
                    first_profile + n, mentor_id,
                    json.dumps(rng.sample(synthetic.SECTORS, rng.randint(1, 3))),
                    json.dumps(rng.sample(synthetic.PROVINCES, rng.randint(1, 2))),
                    json.dumps(rng.sample(synthetic.CITIES, rng.randint(0, 2))),
                    json.dumps(["id"] + rng.sample(["jv", "su", "mad", "bug"], rng.randint(0, 1))),
                    json.dumps(rng.choice([["online"], ["online"], ["online", "in_person"]])),
                    capacity[mentor_id], True,
                )  # fmt: skip

        columns = ["id", "user", "sectors", "provinces", "cities", "languages", "modes"]
        columns += ["capacity", "is_active"]
        counts["mentor profiles"] = synthetic._copy(cur, MentorProfile, columns, profile_rows())
        expertise = MentorProfile.expertise.through
        counts["mentor expertise"] = synthetic._copy(
            cur,
            expertise,
            ["mentorprofile", "expertisetag"],
            (
                (first_profile + n, tag)
                for n in range(len(mentor_ids))
                for tag in rng.sample(tags, min(len(tags), rng.randint(2, 4)))
            ),
        )
        lap("mentor profiles")

        # --- Pairings: 98 % of the active learners, the full first mentor, reassignments ---
        pairings = []  # (cohort, mentor, learner, status, started_at, ended_at)
        for c in cohort_ids:
            start = starts[c]
            mentors = mentors_of[c]
            members = learners_of[c][:]
            rng.shuffle(members)
            active = [m for m in members if m[2] is None]
            gone = [m for m in members if m[2] is not None]
            paired = active[: round(len(active) * 0.98)]
            loads = [FULL_LOAD] + _weighted_loads(
                rng, [capacity[m] for m in mentors[1:]], len(paired) - FULL_LOAD
            )
            position = 0
            for mentor_id, load in zip(mentors, loads, strict=True):
                for user_id, _joined, _left in paired[position : position + load]:
                    confirmed = start + timedelta(days=1, hours=rng.randrange(0, 8))
                    if rng.random() < 0.01 and mentor_id != mentors[0]:
                        # Reassigned after two weeks: the first mentor had it before.
                        moved = confirmed + timedelta(days=14)
                        pairings.append((c, mentors[0], user_id, "ended", confirmed, moved))
                        confirmed = moved
                    pairings.append((c, mentor_id, user_id, "active", confirmed, None))
                position += load
            for user_id, _joined, left_at in gone:
                confirmed = start + timedelta(days=1, hours=rng.randrange(0, 8))
                mentor_id = rng.choice(mentors[1:])
                pairings.append(
                    (c, mentor_id, user_id, "ended", confirmed, max(left_at, confirmed))
                )
        first_pairing = synthetic._reserve_ids(cur, Pairing._meta.db_table, len(pairings))

        def pairing_rows():
            for n, (c, mentor_id, user_id, status, confirmed, ended) in enumerate(pairings):
                yield (
                    first_pairing + n, c, mentor_id, user_id, status, rng.randint(2, 9),
                    json.dumps(rng.sample(REASONS, rng.randint(1, 3))), owner_id,
                    confirmed - timedelta(days=2), confirmed, ended,
                )  # fmt: skip

        columns = ["id", "cohort", "mentor", "learner", "status", "score", "reasons"]
        columns += ["created_by", "created_at", "started_at", "ended_at"]
        counts["pairings"] = synthetic._copy(cur, Pairing, columns, pairing_rows())
        counts["pairings active"] = sum(p[3] == "active" for p in pairings)
        mentor_of = {(p[0], p[2]): p[1] for p in pairings if p[3] == "active"}
        lap("pairings")

        # --- Mentoring sessions, their topics and action items ------------------------
        def span(p) -> float:
            end = p[5] or now
            return max(0.0, (end - p[4]).total_seconds() / 86400 - 1)

        weights = [
            (0.25 + engagement(p[2])) * diligence[p[1]] * span(p) / 42 * (p[3] == "active" or 0.6)
            for p in pairings
        ]
        per_pairing = _exact_counts(rng, weights, SESSIONS, MAX_SESSIONS_PER_PAIRING)
        first_session = synthetic._reserve_ids(cur, MentoringSession._meta.db_table, SESSIONS)
        sessions = []  # (id, pairing id, held_at)
        session_rows = []
        for n, (p, k) in enumerate(zip(pairings, per_pairing, strict=True)):
            if not k:
                continue
            begin = p[4] + timedelta(days=1)
            end = (p[5] or now) - timedelta(hours=2)
            length = max((end - begin).total_seconds(), 3600)
            times = sorted(begin + timedelta(seconds=rng.uniform(0, length)) for _ in range(k))
            for i, held in enumerate(times):
                sid = first_session + len(sessions)
                sessions.append((sid, first_pairing + n, held, p[3] == "active"))
                if i + 1 < k:
                    planned = times[i + 1].date() if rng.random() < 0.8 else None
                elif p[3] == "active" and rng.random() < 0.75:
                    planned = held.date() + timedelta(days=rng.choice([3, 7, 7, 7, 14]))
                else:
                    planned = None
                created = min(now, held + timedelta(minutes=rng.randrange(20, 360)))
                confirmed_at = rating = None
                comment = ""
                if rng.random() < 0.55:
                    confirmed_at = min(now, created + timedelta(hours=rng.randrange(1, 48)))
                    if rng.random() < 0.7:
                        rating = rng.choice([5, 5, 5, 4, 4, 4, 3, 2])
                        comment = rng.choice(COMMENTS) if rng.random() < 0.3 else ""
                session_rows.append(
                    (
                        sid, first_pairing + n, held, rng.choice([15, 20, 30, 30, 45, 60, 90]),
                        rng.choice(MODES), " ".join(rng.sample(NOTES, rng.randint(1, 3))),
                        " ".join(rng.sample(SUMMARIES, rng.randint(1, 2))), planned, p[1],
                        created, confirmed_at, rating, comment,
                    )
                )  # fmt: skip
        columns = ["id", "pairing", "held_at", "duration_minutes", "mode", "private_notes"]
        columns += ["summary", "next_planned_at", "logged_by", "created_at"]
        columns += ["learner_confirmed_at", "rating", "rating_comment"]
        counts["mentoring sessions"] = synthetic._copy(cur, MentoringSession, columns, session_rows)
        del session_rows
        topics = MentoringSession.topics.through
        counts["session topics"] = synthetic._copy(
            cur,
            topics,
            ["mentoringsession", "expertisetag"],
            ((s[0], tag) for s in sessions for tag in rng.sample(tags, rng.randint(1, 3))),
        )

        def action_rows():
            for sid, _pairing, held, _active in sessions:
                if rng.random() >= 0.45:
                    continue
                for text in rng.sample(ACTIONS, rng.choice([1, 1, 2])):
                    due = held.date() + timedelta(days=rng.randint(2, 14))
                    done_at = None
                    if rng.random() < (0.65 if due < today else 0.2):
                        done_at = min(now, datetime.combine(due, datetime.min.time(), tzinfo=UTC))
                    yield (sid, text, due, done_at)

        counts["action items"] = synthetic._copy(
            cur, ActionItem, ["session", "text", "due_date", "done_at"], action_rows()
        )
        lap("mentoring sessions")

        # --- Practice-task submissions --------------------------------------------------
        cohort_of_user = {u: c for c in cohort_ids for u, _j, _l in learners_of[c]}
        waiting = {"approved": 0, "submitted": 0, "revision": 0}

        def submission_rows():
            for eid, lesson_id, started_at, completed_at in task_progress:
                user_id = enrolment_user[eid]
                reviewer = mentor_of.get((cohort_of_user[user_id], user_id), owner_id)
                text = rng.choice(TASK_TEXTS)
                if completed_at is not None:
                    submitted = min(started_at, completed_at - timedelta(hours=1))
                    if rng.random() < 0.12:  # one round of revision first
                        first = submitted - timedelta(days=2)
                        waiting["revision"] += 1
                        yield (
                            eid, lesson_id, uuid.UUID(int=rng.getrandbits(128)), text, "",
                            "revision", FEEDBACK[2], reviewer, first + timedelta(hours=20), first,
                        )  # fmt: skip
                    waiting["approved"] += 1
                    yield (
                        eid, lesson_id, uuid.UUID(int=rng.getrandbits(128)), text, "",
                        "approved", rng.choice(FEEDBACK[:2]), reviewer, completed_at, submitted,
                    )  # fmt: skip
                    continue
                draw = rng.random()
                if draw < 0.65:
                    waiting["submitted"] += 1
                    yield (
                        eid, lesson_id, uuid.UUID(int=rng.getrandbits(128)), text, "",
                        "submitted", "", None, None, started_at,
                    )  # fmt: skip
                elif draw < 0.8:
                    waiting["revision"] += 1
                    reviewed = min(now, started_at + timedelta(hours=rng.randrange(4, 72)))
                    yield (
                        eid, lesson_id, uuid.UUID(int=rng.getrandbits(128)), text, "",
                        "revision", FEEDBACK[2], reviewer, reviewed, started_at,
                    )  # fmt: skip

        columns = ["enrollment", "lesson", "idempotency_key", "text", "link", "status"]
        columns += ["feedback", "reviewed_by", "reviewed_at", "submitted_at"]
        counts["task submissions"] = synthetic._copy(
            cur, TaskSubmission, columns, submission_rows()
        )
        counts.update({f"task submissions {k}": v for k, v in waiting.items()})
        lap("task submissions")

        # --- Certificates for 80 % of the completed enrolments --------------------------
        def certificate_rows():
            for user_id, rows in enrolments_of.items():
                for eid, _course, _percent, _last, done in rows:
                    if done is not None and rng.random() < 0.8:
                        yield (
                            eid, f"UKM-S{seed}-{eid}", f"scale{seed}x{eid}",
                            names.get(user_id, "Peserta"), "issued", done.date(), done, done,
                        )  # fmt: skip

        columns = ["enrollment", "number", "code", "name", "status", "issued_on"]
        columns += ["requested_at", "generated_at"]
        counts["certificates"] = synthetic._copy(cur, Certificate, columns, certificate_rows())
        lap("certificates")

        # --- In-app notifications -------------------------------------------------------
        sample_names = list(names.values())[:200]

        def pool(templates: list[str]) -> list[str]:
            return [
                rng.choice(templates).format(
                    course="Kursus Bench", n=rng.randint(1, 12), action=rng.choice(ACTIONS),
                    name=rng.choice(sample_names),
                )
                for _ in range(400)
            ]  # fmt: skip

        learner_texts, mentor_texts = pool(LEARNER_NOTES), pool(MENTOR_NOTES)

        def notification_rows():
            for c in cohort_ids:
                start = starts[c]
                span_s = (now - start).total_seconds()
                people = [(u, learner_texts, rng.randint(0, 6)) for u, _j, _l in learners_of[c]]
                people += [(m, mentor_texts, rng.randint(15, 45)) for m in mentors_of[c]]
                for user_id, texts, count in people:
                    for _ in range(count):
                        created = start + timedelta(seconds=span_s * rng.random())
                        read = created + timedelta(hours=rng.randrange(1, 30))
                        read_at = read if read < now and rng.random() < 0.7 else None
                        yield (user_id, rng.choice(texts), "/", created, read_at)

        counts["notifications"] = synthetic._copy(
            cur, Notification, ["user", "text", "link", "created_at", "read_at"],
            notification_rows(),
        )  # fmt: skip
        lap("notifications")

        # --- Survey responses: baseline for most, endline from those who finished ---------
        waves = {"baseline": 0, "endline": 0, "draft/skipped": 0}

        def response_rows():
            for c in cohort_ids:
                start = starts[c]
                for user_id, joined_at, _left in learners_of[c]:
                    level = rng.betavariate(1.6, 3.0)
                    workers = outcomes_data._pick(rng, instrument.band_codes("workers"), 0.25, 0.2)
                    rows = enrolments_of.get(user_id, [])
                    finished = rows and all(r[4] is not None for r in rows)
                    draw = rng.random()
                    plan = []
                    if draw < 0.88:
                        plan.append(
                            (Wave.BASELINE, level, joined_at + timedelta(days=rng.randrange(0, 6)))
                        )
                    elif draw < 0.95:
                        plan.append((Wave.BASELINE, None, joined_at + timedelta(days=1)))
                    if finished and rng.random() < 0.8:
                        last = max(r[4] for r in rows)
                        when = min(now, last + timedelta(hours=rng.randrange(1, 72)))
                        plan.append((Wave.ENDLINE, level + rng.gauss(0.18, 0.15), when))
                    for wave, wave_level, when in plan:
                        when = min(max(when, start - timedelta(days=13)), now)
                        if wave_level is None:
                            waves["draft/skipped"] += 1
                            status = "draft" if rng.random() < 0.5 else "skipped"
                            answers = {qid["presence"]: ["wa_catalog"]} if status == "draft" else {}
                            yield (
                                user_id, c, survey.pk, wave, status, json.dumps(answers), when,
                                when, None, when if status == "skipped" else None,
                                *([None] * len(indicator_columns)),
                            )  # fmt: skip
                            continue
                        waves[wave] += 1
                        core = outcomes_data.draw_answers(
                            rng, min(1.0, max(0.0, wave_level)), workers
                        )
                        values = instrument.indicators_from_answers(core)
                        answers = {qid[key]: value for key, value in core.items()}
                        yield (
                            user_id, c, survey.pk, wave, "submitted", json.dumps(answers),
                            when - timedelta(minutes=rng.randrange(3, 30)), when, when, None,
                            *(values[column] for column in indicator_columns),
                        )  # fmt: skip

        columns = ["user", "cohort", "survey", "wave", "status", "answers", "started_at"]
        columns += ["updated_at", "submitted_at", "skipped_at", *indicator_columns]
        counts["survey responses"] = synthetic._copy(cur, Response, columns, response_rows())
        counts.update({f"survey responses {k}": v for k, v in waves.items()})
        lap("survey responses")
    lap("commit (deferred foreign-key checks)")

    from cohorts.models import Attendance

    tables = [User, BusinessProfile, Membership, Enrollment, LessonProgress, Attendance]
    tables += [MentorProfile, Pairing, MentoringSession, ActionItem, TaskSubmission]
    tables += [Certificate, Notification, Response, MentoringSession.topics.through]
    with connection.cursor() as cursor:
        for model in tables:
            cursor.execute(f'VACUUM (ANALYZE) "{model._meta.db_table}"')
        cursor.execute("ANALYZE")
    lap("vacuum analyze")
    seconds["total"] = time.perf_counter() - started
    return {"counts": counts, "seconds": seconds}


def ensure_data(seed: int) -> dict:
    """Reuse the data of an earlier run when it is all there; generate it otherwise.
    Returns {"reused": bool, "counts": ..., "seconds": ...}."""
    found = existing()
    if found:
        log(f"reusing the data of an earlier run: {found}")
        return {"reused": True, "counts": found, "seconds": {}}
    from cohorts.models import Cohort

    if Cohort.objects.filter(name__startswith=COHORT_PREFIX).exists():
        raise SystemExit(
            "the bench database holds part of an earlier generation; run with --fresh "
            "to drop and recreate it"
        )
    return {"reused": False, **generate(seed)}
