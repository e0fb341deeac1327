"""Budgets of the mentoring pages that grow with data: a fixed number of queries, and the
mentor's home (opened on a phone) within the first round trip."""

import uuid
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cohorts.models import Membership
from courses.models import Enrollment
from courses.services import practice, progress
from mentoring import selectors
from mentoring.models import ActionItem, MentoringSession, MentorProfile, Pairing
from tests.courses.builders import add_task, course_with_lessons
from tests.factories import UserFactory
from tests.helpers import assert_constant_queries, gzipped_size
from tests.mentoring.builders import add_learner, add_mentor, make_cohort
from ukmlearn.users.models import User

pytestmark = pytest.mark.django_db

HTML_BUDGET = 14 * 1024

# session, user, the mentees with their progress and flags, the review queue
MENTOR_HOME_QUERIES = 4
# session, user, cohort, pairs, mentors with load and rating, pairing weights, mentor choices,
# learners without a mentor, proposals and their count for the pager
COHORT_MENTORING_QUERIES = 10


def add_mentees(cohort, mentor, task, count, *, start=0):
    """count mentees of mentor, each with what the home page shows: progress, a session with
    an open action item, and (every other one) a task waiting for review."""
    now = timezone.now()
    for n in range(start, start + count):
        learner = add_learner(cohort, UserFactory(name=f"Peserta Binaan Nomor {n:02d}"))
        Enrollment.objects.filter(user=learner).update(
            progress_percent=(n * 7) % 100, last_activity_at=now - timedelta(days=n % 12)
        )
        pairing = Pairing.objects.create(
            cohort=cohort,
            mentor=mentor,
            learner=learner,
            status=Pairing.Status.ACTIVE,
            started_at=now - timedelta(days=30),
        )
        session = MentoringSession.objects.create(
            pairing=pairing, held_at=now - timedelta(days=n % 20), summary="Katalog produk"
        )
        ActionItem.objects.create(session=session, text="Foto produk", due_date=now.date())
        ActionItem.objects.create(
            session=session, text="Hitung HPP", due_date=now.date(), done_at=now
        )
        if n % 2:
            practice.task_submit(
                enrollment=Enrollment.objects.get(user=learner),
                lesson=task,
                text="Etalase saya",
                link="",
                photos=[],
                idempotency_key=uuid.uuid4(),
            )


def test_the_mentor_home_with_30_mentees_has_fixed_queries_and_fits_the_first_round_trip(
    staff, mentor
):
    cohort = make_cohort(staff.user)
    add_mentor(cohort, mentor.user, capacity=30)
    task = add_task(cohort.courses.get().modules.get())
    add_mentees(cohort, mentor.user, task, 3)
    url = reverse("mentoring:mentor_home")

    assert_constant_queries(
        mentor.client,
        url,
        grow=lambda: add_mentees(cohort, mentor.user, task, 27, start=3),
        expected=MENTOR_HOME_QUERIES,
    )

    response = mentor.client.get(url)
    assert len(response.context["rows"]) == 30
    assert response.context["review_count"] == 15
    assert sum("task_waiting" in row.flags for row in response.context["rows"]) == 15
    assert gzipped_size(response) <= HTML_BUDGET


def test_a_task_outside_the_cohorts_courses_neither_flags_the_mentee_nor_counts(staff, mentor):
    """The "task waiting" flag and the review count agree with the review queue: tasks of the
    courses of the cohort the mentor mentors the learner in."""
    cohort = make_cohort(staff.user)
    add_mentor(cohort, mentor.user, capacity=5)
    add_mentees(cohort, mentor.user, add_task(cohort.courses.get().modules.get()), 1)
    pairing = Pairing.objects.get(mentor=mentor.user)
    other = course_with_lessons(lessons=1)
    elsewhere = progress.enrollment_create(user=pairing.learner, course=other)
    practice.task_submit(
        enrollment=elsewhere,
        lesson=add_task(other.modules.get()),
        text="Tugas kursus lain",
        link="",
        photos=[],
        idempotency_key=uuid.uuid4(),
    )

    response = mentor.client.get(reverse("mentoring:mentor_home"))

    # The one mentee (add_mentees gives the first no task in the cohort's course).
    assert ["task_waiting" in row.flags for row in response.context["rows"]] == [False]
    assert response.context["review_count"] == 0
    assert selectors.mentor_review_queue(mentor=mentor.user) == []


def bulk_mentors_and_pairs(cohort, *, mentors, pairs_each=1, proposals=0, unpaired=0):
    """New mentors in cohort, each with pairs_each active mentees and two rated sessions per
    pair; the first `proposals` mentors also have a proposal; `unpaired` learners have no
    mentor yet. bulk_create throughout: hundreds of people in well under a second."""
    now = timezone.now()

    def people(count, prefix, **fields):
        taken = User.objects.count()  # numbers no earlier call used
        return User.objects.bulk_create(
            [
                User(
                    name=f"{prefix} {taken + n:04d}",
                    phone=f"+62816{taken + n:08d}",
                    password="!",  # unusable: nobody signs in as them
                    **fields,
                )
                for n in range(count)
            ]
        )

    mentor_users = people(mentors, "Mentor", is_mentor=True, is_learner=False)
    learner_users = people(mentors * pairs_each + proposals + unpaired, "Peserta")
    MentorProfile.objects.bulk_create(
        [MentorProfile(user=user, capacity=15, modes=["online"]) for user in mentor_users]
    )
    Membership.objects.bulk_create(
        [Membership(cohort=cohort, user=u, role=Membership.Role.MENTOR) for u in mentor_users]
        + [Membership(cohort=cohort, user=u, role=Membership.Role.LEARNER) for u in learner_users]
    )
    learners = iter(learner_users)
    active = [
        Pairing(
            cohort=cohort,
            mentor=mentor,
            learner=next(learners),
            status=Pairing.Status.ACTIVE,
            started_at=now,
        )
        for mentor in mentor_users
        for _ in range(pairs_each)
    ]
    proposed = [
        Pairing(cohort=cohort, mentor=mentor, learner=next(learners), score=3)
        for mentor in mentor_users[:proposals]
    ]
    Pairing.objects.bulk_create(active + proposed)
    MentoringSession.objects.bulk_create(
        [
            MentoringSession(pairing=p, held_at=now - timedelta(days=d), rating=(p.pk + d) % 5 + 1)
            for p in active
            for d in (1, 8)
        ]
    )


def test_the_staff_overview_has_fixed_queries_up_to_200_mentors(staff):
    cohort = make_cohort(staff.user)
    bulk_mentors_and_pairs(cohort, mentors=3, proposals=1, unpaired=1)
    url = reverse("mentoring:cohort_mentoring", args=[cohort.pk])

    assert_constant_queries(
        staff.client,
        url,
        grow=lambda: bulk_mentors_and_pairs(cohort, mentors=197, proposals=4, unpaired=4),
        expected=COHORT_MENTORING_QUERIES,
    )

    overview = selectors.cohort_overview(cohort=cohort)
    assert (len(overview["mentors"]), len(overview["pairs"])) == (200, 200)
    assert len(overview["proposals"]) == 5
    assert all(mentor.avg_rating and mentor.load == 1 for mentor in overview["mentors"])


def test_each_mentor_adds_a_row_to_the_staff_overview_not_an_option_per_pair(staff):
    cohort = make_cohort(staff.user)
    bulk_mentors_and_pairs(cohort, mentors=40, proposals=10, unpaired=5)
    url = reverse("mentoring:cohort_mentoring", args=[cohort.pk])
    before = len(staff.client.get(url).content)

    bulk_mentors_and_pairs(cohort, mentors=40, pairs_each=0)

    per_mentor = (len(staff.client.get(url).content) - before) / 40
    assert per_mentor <= 1024, f"{per_mentor:.0f} bytes of HTML per mentor"
