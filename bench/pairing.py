"""Benchmark mentor pairing: one cohort of 2,000 learners and 200 mentors.

Run on PostgreSQL (the database is created when missing, then migrated):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ukmlearn_bench_pairing \\
        .venv/bin/python bench/pairing.py

Builds the cohort with bulk_create (learners with business profiles and needs, mentors with
profiles and a capacity of 8–15), then times pairing_suggest, a second pairing_suggest (which
replaces every proposal) and pairings_confirm, counting their queries. solve() is also timed
on its own, on the same data, to split Python work from database work. Nothing is deleted:
each run uses phone numbers no earlier run used.
"""

import os
import random
import sys
from collections import Counter
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import common  # noqa: E402 - needs the path set above

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ukmlearn.settings")

LEARNERS = 2_000
MENTORS = 200
TARGET_SECONDS = 10

# (city, province): learners live here; mentors serve some of them in person.
PLACES = [
    ("Bandung", "jabar"),
    ("Garut", "jabar"),
    ("Bogor", "jabar"),
    ("Semarang", "jateng"),
    ("Pekalongan", "jateng"),
    ("Surabaya", "jatim"),
    ("Malang", "jatim"),
    ("Jakarta Timur", "dki"),
    ("Yogyakarta", "diy"),
    ("Medan", "sumut"),
    ("Makassar", "sulsel"),
    ("Mataram", "ntb"),
    ("Kupang", "ntt"),
    ("Pontianak", "kalbar"),
    ("Denpasar", "bali"),
    ("Padang", "sumbar"),
    ("Palembang", "sumsel"),
    ("Jayapura", "papua"),
]
SECTORS = ["kuliner", "fashion", "kerajinan", "jasa", "pertanian", "perdagangan", "lainnya"]
REGIONAL_LANGUAGES = ["jv", "su", "mad", "bug", "ban", "min", "btk"]
NAMES = (
    "Siti Dewi Sri Nur Fitri Wulan Lina Rina Ketut Putu Made Ayu Ratna Agus Budi Joko Eko "
    "Rudi Hendra Rahmat Andi Asep Yohanes Bambang Dedi Slamet Wayan Fajar Rizky Anisa Intan"
).split()


def free_block() -> int:
    return common.free_block("817")


def build(block: int):
    """The cohort, its owner, and 2,000 learners and 200 mentors with their profiles."""
    from django.contrib.auth.hashers import make_password

    from cohorts.models import Cohort, Membership
    from mentoring.models import ExpertiseTag, LearnerNeeds, MentorProfile
    from ukmlearn.users.models import BusinessProfile, User

    rng = random.Random(block)  # noqa: S311 - reproducible test data
    nobody_signs_in = make_password(None)  # an unusable password, without hashing 2,200 times
    tags = list(ExpertiseTag.objects.filter(is_active=True).order_by("pk")[:8])
    assert len(tags) == 8, "expected the 8 default expertise tags (migration 0002)"
    staff = User.objects.create_user(
        f"+62817{block}9999", name=f"Staf Bench {block}", is_staff=True, is_learner=False
    )
    cohort = Cohort.objects.create(
        name=f"Angkatan Pendampingan {block}",
        programme="Bench",
        start_date=date(2026, 3, 2),
        end_date=date(2026, 6, 1),
        province="jabar",
        owner=staff,
    )

    def person(n):
        return f"{rng.choice(NAMES)} {rng.choice(NAMES)}", f"+62817{block}{n:04d}"

    learners = User.objects.bulk_create(
        [
            User(name=name, phone=phone, password=nobody_signs_in)
            for name, phone in (person(n) for n in range(LEARNERS))
        ]
    )
    mentors = User.objects.bulk_create(
        [
            User(name=name, phone=phone, password=nobody_signs_in, is_mentor=True, is_learner=False)
            for name, phone in (person(LEARNERS + n) for n in range(MENTORS))
        ]
    )

    places = [rng.choice(PLACES) for _ in learners]
    BusinessProfile.objects.bulk_create(
        [
            BusinessProfile(
                user=user,
                business_name=f"Usaha {user.name}",
                sector=rng.choice(SECTORS),
                city=city,
                province=province,
            )
            for user, (city, province) in zip(learners, places, strict=True)
        ]
    )
    needs = LearnerNeeds.objects.bulk_create(
        [
            LearnerNeeds(
                user=user,
                language=rng.choice(REGIONAL_LANGUAGES) if rng.random() < 0.3 else "id",
                preferred_mode=rng.choices(["any", "online", "in_person"], [60, 25, 15])[0],
            )
            for user in learners
        ]
    )
    LearnerNeeds.skills.through.objects.bulk_create(
        [
            LearnerNeeds.skills.through(learnerneeds_id=row.pk, expertisetag_id=tag.pk)
            for row in needs
            for tag in rng.sample(tags, rng.randint(1, 3))
        ]
    )

    # Mentors live mostly in Java's big cities: learners far away who only want to meet in
    # person are the ones left without a mentor.
    java = {"jabar", "jateng", "jatim", "dki", "diy"}
    weights = [6 if province in java else 1 for _, province in PLACES]

    def served():
        home = set(rng.choices(PLACES, weights, k=rng.randint(1, 3)))
        cities = [city for city, _ in home if rng.random() < 0.6]
        return sorted({province for _, province in home}), cities

    profiles = []
    for user in mentors:
        provinces, cities = served()
        modes = rng.choices([["online"], ["online", "in_person"], ["in_person"]], [60, 30, 10])[0]
        profiles.append(
            MentorProfile(
                user=user,
                sectors=rng.sample(SECTORS, rng.randint(1, 3)),
                provinces=provinces,
                cities=cities,
                languages=["id", *rng.sample(REGIONAL_LANGUAGES, rng.randint(0, 2))],
                modes=modes,
                capacity=rng.randint(8, 15),
            )
        )
    profiles = MentorProfile.objects.bulk_create(profiles)
    MentorProfile.expertise.through.objects.bulk_create(
        [
            MentorProfile.expertise.through(mentorprofile_id=profile.pk, expertisetag_id=tag.pk)
            for profile in profiles
            for tag in rng.sample(tags, rng.randint(2, 4))
        ]
    )
    Membership.objects.bulk_create(
        [Membership(cohort=cohort, user=u, role=Membership.Role.LEARNER) for u in learners]
        + [Membership(cohort=cohort, user=u, role=Membership.Role.MENTOR) for u in mentors],
        batch_size=1000,
    )
    return staff, cohort, sum(p.capacity for p in profiles)


counting_queries = common.counting_queries
timed = common.timed


def main() -> int:
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        common.ensure_database(url)
    else:
        print("DATABASE_URL is not PostgreSQL: the figures will not be the intended ones.")

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import translation

    from mentoring.models import Pairing
    from mentoring.services import pairing as pairing_service

    call_command("migrate", verbosity=0)
    translation.activate("en")  # the unmatched reasons below, in the language of the docs

    block = free_block()
    (staff, cohort, capacity), build_s, _ = timed(lambda: build(block))

    def suggest():
        return pairing_service.pairing_suggest(cohort=cohort, created_by=staff)

    first, suggest_s, suggest_q = timed(suggest)
    # The solver alone, on the data pairing_suggest read (now with proposals in place).
    inputs = (
        pairing_service._candidates(cohort),
        pairing_service._mentor_slots(cohort),
        pairing_service._weights(cohort),
    )
    _solved, solve_s, _ = timed(lambda: pairing_service.solve(*inputs))
    again, again_s, again_q = timed(suggest)
    assert Pairing.objects.filter(cohort=cohort).count() == len(again.proposals)
    confirmed, confirm_s, confirm_q = timed(lambda: pairing_service.pairings_confirm(cohort=cohort))
    assert confirmed == len(again.proposals)

    reasons = Counter(reason for _name, reason in first.unmatched)
    scores = [p.score for p in first.proposals]
    print()
    print(
        f"Mentor pairing, {LEARNERS:,} learners × {MENTORS} mentors "
        f"({capacity:,} places, capacity 8–15), {connection.display_name}; "
        f"cohort built with bulk_create in {build_s:.1f} s"
    )
    print()
    print("| step | seconds | queries | proposals | unmatched |")
    print("|---|---:|---:|---:|---:|")
    print(
        f"| pairing_suggest | {suggest_s:.2f} | {suggest_q} | {len(first.proposals):,} | "
        f"{len(first.unmatched):,} |"
    )
    print(f"| … of which solve() (scores + assignment, no SQL) | {solve_s:.2f} | 0 | | |")
    print(
        f"| pairing_suggest again (replaces every proposal) | {again_s:.2f} | {again_q} | "
        f"{len(again.proposals):,} | {len(again.unmatched):,} |"
    )
    print(f"| pairings_confirm | {confirm_s:.2f} | {confirm_q} | {confirmed:,} confirmed | |")
    print()
    print(
        f"mean score {sum(scores) / max(len(scores), 1):.1f}; unmatched: "
        + (", ".join(f"{n} {reason}" for reason, n in reasons.most_common()) or "none")
    )
    print(f"pairing_suggest: {suggest_s:.2f} s (target < {TARGET_SECONDS} s)")
    return 0 if suggest_s < TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
