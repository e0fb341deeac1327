"""Synthetic outcome data at scale for the outcome-report benchmark, on PostgreSQL.

    from bench.outcomes_data import ensure_data
    info = ensure_data(seed=20260401)      # reuses the data when it is already there

On top of bench/synthetic.py (users with gender and birth year, business profiles with
province and sector, cohorts, memberships, enrolments with their progress, lesson progress,
sessions and attendance) this adds what the outcome report reads:

- LEARNERS learners in COHORTS running cohorts of 500 (each cohort takes 2 of 6 courses of
  20 lessons; 1 % of the learners have left their cohort);
- PARTNERS partners, each shared with a run of cohorts (the runs overlap a little, so a few
  cohorts are shared with two partners, and about a third are shared with none);
- an issued certificate for 80 % of the completed enrolments (the funnel's last step);
- outcomes.models.Response rows of the default survey (version 1, from the data migration):
  a sent baseline for ~90 % of the learners, a sent endline for ~70 % (mostly people who sent
  the baseline: ~67 % are paired), a sent follow-up for ~20 % (people with an endline), plus
  drafts and skips for some of those without a sent baseline. Answers are drawn per person
  from a latent "digital level" that rises between baseline and endline (and partly falls
  back by the follow-up); the indicator columns come from
  outcomes.instrument.indicators_from_answers, exactly as a sent response gets them.

Everything is drawn from one random.Random(seed), so the same seed gives the same data. The
big tables are loaded with COPY (bench.synthetic._copy) and VACUUM ANALYZEd afterwards.
"""

import json
import random
import time
from datetime import UTC, datetime, timedelta

from bench import synthetic

LEARNERS = 100_000
COHORTS = 200
COURSES = 6
COURSES_PER_COHORT = 2
LESSONS_PER_COURSE = 20
PROGRESS_ROWS = 2_600_000  # 65 % of the 4,000,000 possible (200,000 enrolments x 20 lessons)
PARTNERS = 8
PARTNER_RUN = 18  # cohorts per partner; partners start every 16 cohorts, so runs overlap
PARTNER_STEP = 16
COHORT_PREFIX = "Angkatan Bench"
PARTNER_PREFIX = "Mitra Bench"

P_BASELINE = 0.90
P_ENDLINE_GIVEN_BASELINE = 0.75  # 0.90 x 0.75 + 0.10 x 0.25 = 0.70
P_ENDLINE_NO_BASELINE = 0.25
P_FOLLOWUP_GIVEN_ENDLINE = 0.285  # 0.70 x 0.285 ~ 0.20


def log(message: str) -> None:
    import sys

    print(message, file=sys.stderr, flush=True)


def existing() -> dict | None:
    """Counts of the data of an earlier run, or None when there is none (or only part)."""
    from cohorts.models import Cohort, Membership
    from outcomes.models import Partner, Response

    cohorts = Cohort.objects.filter(name__startswith=COHORT_PREFIX)
    counts = {
        "cohorts": cohorts.count(),
        "learners": Membership.objects.filter(cohort__in=cohorts, role="learner").count(),
        "partners": Partner.objects.filter(name__startswith=PARTNER_PREFIX).count(),
        "responses": Response.objects.filter(cohort__in=cohorts).count(),
    }
    complete = (
        counts["cohorts"] == COHORTS
        and counts["learners"] == LEARNERS
        and counts["partners"] == PARTNERS
        and counts["responses"] > LEARNERS
    )
    return counts if complete else None


# --- Answers ------------------------------------------------------------------------------


def _pick(rng: random.Random, codes, level: float, spread: float = 0.18) -> str:
    """One of ordered codes, around position level (0..1) of the list."""
    x = min(0.999, max(0.0, level + rng.gauss(0, spread)))
    return codes[int(x * len(codes))]


def draw_answers(rng: random.Random, level: float, workers: str) -> dict:
    """Core answers (keyed by core key) of someone at this digital level (0..1)."""
    from outcomes import instrument

    presence = [
        code
        for code, chance in (
            ("wa_catalog", 0.15 + 0.75 * level),
            ("social_account", 0.10 + 0.70 * level),
            ("marketplace", 0.55 * level),
            ("google_profile", 0.35 * level),
            ("qris", 0.10 + 0.70 * level),
        )
        if rng.random() < chance
    ] or ["none"]
    orders = _pick(rng, instrument.band_codes("online_orders"), level - 0.15)
    share = "0" if orders == "0" else _pick(rng, instrument.band_codes("online_share")[1:], level)
    revenue = (
        "unsaid"
        if rng.random() < 0.06
        else _pick(rng, instrument.band_codes("revenue"), 0.55 * level + 0.05)
    )
    return {
        "presence": presence,
        "content_posts": _pick(rng, ("0", "1-3", "4-10", "11+"), level),
        "online_orders": orders,
        "digital_payments": "yes" if rng.random() < 0.1 + 0.8 * level else "no",
        "bookkeeping": _pick(rng, ("none", "paper", "spreadsheet", "app"), 0.2 + 0.6 * level),
        "paid_ads": "yes" if rng.random() < 0.35 * level else "no",
        "revenue": revenue,
        "online_share": share,
        "workers": workers,
        "customers_outside": (
            "unknown" if rng.random() < 0.1 else "yes" if rng.random() < 0.6 * level else "no"
        ),
    }


# --- Generation ---------------------------------------------------------------------------


def generate(seed: int) -> dict:
    """Generate everything; returns {"counts": ..., "seconds": ...}."""
    from django.db import connection, transaction
    from django.utils import timezone

    from cohorts.models import Cohort, Membership
    from courses.models import Certificate, Enrollment
    from outcomes import instrument
    from outcomes.models import Partner, Response, Survey, Wave

    started = time.perf_counter()
    log(f"generating {LEARNERS:,} learners in {COHORTS} cohorts with bench.synthetic ...")
    base = synthetic.generate(
        learners=LEARNERS,
        lessons_per_course=LESSONS_PER_COURSE,
        courses=COURSES,
        cohorts=COHORTS,
        courses_per_cohort=COURSES_PER_COHORT,
        progress_rows=PROGRESS_ROWS,
        seed=seed,
        vacuum=False,
    )
    counts = dict(base.counts)
    seconds = {f"synthetic: {k}": v for k, v in base.seconds.items()}
    log(f"  synthetic done in {time.perf_counter() - started:.0f} s")

    rng = random.Random(seed + 1)  # noqa: S311 - reproducible test data, not a secret
    now = timezone.now()
    clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        seconds[name] = time.perf_counter() - clock
        clock = time.perf_counter()

    survey = Survey.objects.get(is_default=True)
    qid = {q.core_key: str(q.pk) for q in survey.questions.all() if q.core_key}
    columns_of = list(instrument.INDICATOR_KEYS) + ["ladder"]
    columns_of += [f"{band}_band" for band in instrument.BANDS]

    with transaction.atomic():
        # --- Partners: runs of cohorts, overlapping by two, the last third unshared ---------
        cohort_ids = base.cohort_ids
        partners = Partner.objects.bulk_create(
            Partner(name=f"{PARTNER_PREFIX} {n + 1}") for n in range(PARTNERS)
        )
        through = Partner.cohorts.through
        through.objects.bulk_create(
            through(partner_id=p.pk, cohort_id=cohort_ids[c])
            for n, p in enumerate(partners)
            for c in range(n * PARTNER_STEP, min(n * PARTNER_STEP + PARTNER_RUN, COHORTS))
        )
        counts["partner cohorts"] = through.objects.filter(partner__in=partners).count()
        lap("partners")

    with transaction.atomic(), connection.connection.cursor() as cur:
        # --- Certificates for 80 % of the completed enrolments ---------------------------
        done = list(
            Enrollment.objects.filter(
                course_id__in=base.course_ids, completed_at__isnull=False
            ).values_list("pk", "completed_at")
        )

        def certificate_rows():
            for eid, completed_at in done:
                if rng.random() < 0.8:
                    yield (
                        eid, f"UKM-B{seed}-{eid}", f"bench{seed}x{eid}", "Peserta Bench",
                        "issued", completed_at.date(), completed_at, completed_at,
                    )  # fmt: skip

        cert_columns = ["enrollment", "number", "code", "name", "status", "issued_on"]
        cert_columns += ["requested_at", "generated_at"]
        counts["certificates"] = synthetic._copy(cur, Certificate, cert_columns, certificate_rows())
        lap("certificates")

        # --- Responses -------------------------------------------------------------------
        # Read before the COPY starts: the connection cannot run a query during it.
        members = list(
            Membership.objects.filter(cohort_id__in=cohort_ids, role=Membership.Role.LEARNER)
            .order_by("user_id")
            .values_list("user_id", "cohort_id")
        )
        cohort_start = {
            pk: datetime.combine(day, datetime.min.time(), tzinfo=UTC)
            for pk, day in Cohort.objects.filter(pk__in=cohort_ids).values_list("pk", "start_date")
        }
        waves = {Wave.BASELINE: 0, Wave.ENDLINE: 0, Wave.FOLLOWUP: 0, "draft/skipped": 0}

        def response_rows():
            for user_id, cohort_id in members:
                level = rng.betavariate(1.6, 3.0)  # most start low
                gain = rng.gauss(0.18, 0.15)
                workers = _pick(rng, instrument.band_codes("workers"), 0.25, 0.2)
                baseline = rng.random() < P_BASELINE
                endline = rng.random() < (
                    P_ENDLINE_GIVEN_BASELINE if baseline else P_ENDLINE_NO_BASELINE
                )
                followup = endline and rng.random() < P_FOLLOWUP_GIVEN_ENDLINE
                start = cohort_start[cohort_id]
                plan = []
                if baseline:
                    plan.append((Wave.BASELINE, level, start - timedelta(days=rng.randrange(0, 5))))
                elif rng.random() < 0.5:
                    plan.append((Wave.BASELINE, None, start - timedelta(days=rng.randrange(0, 5))))
                if endline:
                    when = min(now, start + timedelta(days=rng.randrange(30, 84)))
                    plan.append((Wave.ENDLINE, level + gain, when))
                if followup:
                    keep = rng.uniform(0.4, 1.0)
                    when = min(now, start + timedelta(days=rng.randrange(60, 84)))
                    plan.append((Wave.FOLLOWUP, level + gain * keep, when))
                for wave, wave_level, when in plan:
                    if wave_level is None:  # a draft with one answer, or skipped once
                        waves["draft/skipped"] += 1
                        if rng.random() < 0.5:
                            answers = {qid["presence"]: ["wa_catalog"]}
                            yield (
                                user_id, cohort_id, survey.pk, wave, "draft",
                                json.dumps(answers), when, when, None, None,
                                *([None] * len(columns_of)),
                            )  # fmt: skip
                        else:
                            yield (
                                user_id, cohort_id, survey.pk, wave, "skipped", "{}", when,
                                when, None, when, *([None] * len(columns_of)),
                            )  # fmt: skip
                        continue
                    waves[wave] += 1
                    core = draw_answers(rng, min(1.0, max(0.0, wave_level)), workers)
                    values = instrument.indicators_from_answers(core)
                    answers = {qid[key]: value for key, value in core.items()}
                    yield (
                        user_id, cohort_id, survey.pk, wave, "submitted", json.dumps(answers),
                        when - timedelta(minutes=rng.randrange(3, 30)), when, when, None,
                        *(values[c] for c in columns_of),
                    )  # fmt: skip

        response_columns = ["user", "cohort", "survey", "wave", "status", "answers"]
        response_columns += ["started_at", "updated_at", "submitted_at", "skipped_at"]
        response_columns += columns_of
        counts["responses"] = synthetic._copy(cur, Response, response_columns, response_rows())
        counts.update({f"responses {k}": v for k, v in waves.items()})
        lap("responses")
    lap("commit")

    from ukmlearn.users.models import BusinessProfile, User

    tables = [User, BusinessProfile, Membership, Enrollment, Certificate, Response]
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
