"""Query budgets: the report, its export and the learner's survey reads do not grow with
cohorts, learners or responses."""

import pytest
from django.urls import reverse

from outcomes.models import Wave
from tests.helpers import assert_constant_queries, count_queries
from tests.outcomes.builders import (
    ACTIVE,
    PRESENT,
    SELLING,
    START,
    join,
    make_cohort,
    pairs,
    send,
)

pytestmark = pytest.mark.django_db

# session + user, the reader's cohorts (filter choices), then the report: reach (1), funnel
# (1), sent per wave (1), sent per cohort and wave (1), pairs per cohort (1), members per
# cohort (1), the cohort rows (1), paired aggregates per wave (1), moves between bands (1),
# follow-up aggregates (1), retention (1); last the partners, read when the filter form is
# drawn
REPORT_QUERIES = 15
# the same numbers, and no filter form to draw
EXPORT_QUERIES = 14


def grow_data(owner, partner_org=None):
    def grow():
        for number in range(3):
            cohort = make_cohort(owner, name=f"Angkatan Tambahan {number}")
            if partner_org is not None:
                partner_org.cohorts.add(cohort)
            users = pairs(cohort, [(5, START, SELLING), (3, PRESENT, ACTIVE), (2, START, None)])
            for user in users[:6]:
                send(user, cohort, Wave.FOLLOWUP, SELLING)

    return grow


def seed(owner, partner_org=None):
    cohort = make_cohort(owner, name="Angkatan Awal")
    if partner_org is not None:
        partner_org.cohorts.add(cohort)
    for user in pairs(cohort, [(6, START, SELLING)]):
        send(user, cohort, Wave.FOLLOWUP, PRESENT)


def test_the_staff_report_needs_the_same_queries_for_1_or_4_cohorts(staff):
    seed(staff.user)
    assert_constant_queries(
        staff.client,
        reverse("outcomes:report"),
        grow=grow_data(staff.user),
        expected=REPORT_QUERIES,
    )


def test_the_filtered_report_and_the_partner_report_keep_the_budget(staff, partner):
    seed(staff.user, partner.org)
    url = reverse("outcomes:report") + "?gender=female&province=jabar"
    assert_constant_queries(
        staff.client, url, grow=grow_data(staff.user, partner.org), expected=REPORT_QUERIES
    )
    # The partner: is_partner (1) instead of the staff check, its own organisations.
    count = assert_constant_queries(
        partner.client, reverse("outcomes:report"), grow=grow_data(staff.user, partner.org)
    )
    assert count == REPORT_QUERIES + 1


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_export_needs_the_same_queries_for_1_or_4_cohorts(staff, fmt):
    seed(staff.user)
    assert_constant_queries(
        staff.client,
        reverse("outcomes:report_export") + f"?format={fmt}",
        grow=grow_data(staff.user),
        expected=EXPORT_QUERIES,
    )


def test_the_learner_home_reads_open_surveys_in_three_queries_whatever_the_cohorts(learner, staff):
    first = make_cohort(staff.user, name="Angkatan Satu")
    join(first, learner.user)

    def more_cohorts():
        for number in range(3):
            cohort = make_cohort(staff.user, name=f"Angkatan {number}")
            join(cohort, learner.user)
            send(learner.user, cohort, Wave.BASELINE, START)

    # session, user, enrolments (no revision waiting), memberships (shared by the sessions
    # and the surveys), upcoming sessions, responses. No course is finished, so which cohorts
    # are finished is known from the enrolments without a query; the complete business
    # profile is remembered in the cache after the first visit.
    assert_constant_queries(learner.client, reverse("home"), grow=more_cohorts, expected=6)


def test_the_survey_page_needs_the_same_queries_for_1_or_4_cohorts(learner, staff):
    cohort = make_cohort(staff.user)
    join(cohort, learner.user)
    send(learner.user, cohort, Wave.BASELINE, START)

    def more_cohorts():
        for number in range(3):
            other = make_cohort(staff.user, name=f"Angkatan {number}")
            join(other, learner.user)
            send(learner.user, other, Wave.BASELINE, PRESENT)

    assert_constant_queries(
        learner.client,
        reverse("outcomes:survey_fill", args=[cohort.pk, "baseline"]),
        grow=more_cohorts,
    )


def test_the_learner_home_reads_only_what_it_shows_and_nothing_more_later(learner, staff):
    """The home page's reads take only the columns it shows (learner_home's only(),
    the sessions without a second copy of the cohort): a live session, a finished course
    with its certificate and a next lesson must not cost a query each."""
    from datetime import timedelta

    from django.utils import timezone

    from cohorts.models import LiveSession
    from courses.models import Certificate
    from courses.services import progress
    from tests.courses.builders import course_with_lessons

    cohort = make_cohort(staff.user)
    join(cohort, learner.user)
    start = timezone.now() + timedelta(days=1)
    LiveSession.objects.create(
        cohort=cohort,
        title="Kelas foto produk",
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        venue="Balai Desa Sukamaju",
    )
    finished = learner.user.enrollments.get(course=cohort.courses.get())
    for lesson in progress.course_lessons(finished.course_id):
        progress.lesson_complete(enrollment=finished, lesson=lesson)
    certificate, _ = Certificate.objects.update_or_create(
        enrollment=finished,
        defaults={"status": Certificate.Status.ISSUED, "code": "KODE123", "name": "Peserta"},
    )
    started = progress.enrollment_create(
        user=learner.user, course=course_with_lessons(lessons=2, title="Kursus Kedua")
    )
    learner.client.get(reverse("home"))

    # session, user, enrolments, memberships, upcoming sessions, the cohort's courses (a
    # course is finished), responses
    assert count_queries(lambda: learner.client.get(reverse("home"))) == 7
    page = learner.client.get(reverse("home")).content.decode()
    assert "Kelas foto produk" in page and "Balai Desa Sukamaju" in page and "WIB" in page
    assert reverse("courses:certificate_download", args=[certificate.pk, "pdf"]) in page
    assert "KODE123" in page
    assert started.course.title in page
    assert reverse("courses:continue", args=[started.course.slug]) in page
