"""Where the survey meets the courses: the baseline before the first lesson of a running
cohort, and the endline as a completion requirement (certificates wait for it)."""

from urllib.parse import urlencode

import pytest
from django.test import Client
from django.urls import reverse

from cohorts.models import Cohort
from cohorts.services.members import cohort_member_leave
from courses.models import Certificate
from courses.services import progress
from outcomes.models import Response, Wave
from tests.outcomes.builders import SELLING, START, join, make_cohort, person, post_data

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def lessons_of(cohort):
    course = cohort.courses.get()
    return course, progress.course_lessons(course.pk)


def lesson_url(course, lesson):
    return reverse("courses:lesson_detail", kwargs={"slug": course.slug, "lesson_id": lesson.pk})


def fill_url(cohort, wave=Wave.BASELINE):
    return reverse("outcomes:survey_fill", args=[cohort.pk, wave])


# --- The baseline before the first lesson ------------------------------------------------------


def test_the_first_lesson_of_a_running_cohort_asks_for_the_baseline_first(staff):
    cohort = make_cohort(staff.user)
    course, lessons = lessons_of(cohort)
    user = person()
    join(cohort, user)
    client = signed_in(user)
    first = lesson_url(course, lessons[0])

    response = client.get(first)
    assert response.status_code == 302
    assert response["Location"] == f"{fill_url(cohort)}?{urlencode({'next': first})}"
    assert user.enrollments.get().last_activity_at is None  # the lesson was not started

    page = client.get(response["Location"])
    assert page.status_code == 200
    assert f'name="next" value="{first}"' in page.content.decode()
    sent = client.post(fill_url(cohort), post_data(START, send="1", next=first))
    assert sent["Location"] == first
    assert client.get(first).status_code == 200


def test_putting_the_baseline_off_lets_the_learner_start_and_it_is_not_asked_again(staff):
    cohort = make_cohort(staff.user)
    course, lessons = lessons_of(cohort)
    user = person()
    join(cohort, user)
    client = signed_in(user)
    first = lesson_url(course, lessons[0])

    skipped = client.post(reverse("outcomes:survey_skip", args=[cohort.pk]), {"next": first})
    assert skipped["Location"] == first
    assert client.get(first).status_code == 200
    # Once a lesson is started the gate is not consulted any more.
    Response.objects.filter(user=user).delete()
    assert client.get(first).status_code == 200


@pytest.mark.parametrize("case", ["draft-cohort", "finished-cohort", "left", "draft-started"])
def test_no_baseline_detour_when_the_cohort_is_not_running_or_the_survey_was_opened(staff, case):
    status = {
        "draft-cohort": Cohort.Status.DRAFT,
        "finished-cohort": Cohort.Status.FINISHED,
    }.get(case, Cohort.Status.RUNNING)
    cohort = make_cohort(staff.user, status=status)
    course, lessons = lessons_of(cohort)
    user = person()
    join(cohort, user)
    client = signed_in(user)
    if case == "left":
        cohort_member_leave(cohort=cohort, user_id=user.pk)
    if case == "draft-started":
        client.post(fill_url(cohort), post_data({"presence": ["qris"]}, draft="1"))
    assert client.get(lesson_url(course, lessons[0])).status_code == 200


def test_staff_previewing_a_lesson_are_not_asked(staff):
    cohort = make_cohort(staff.user)
    course, lessons = lessons_of(cohort)
    assert staff.client.get(lesson_url(course, lessons[0])).status_code == 200


# --- The endline as a completion requirement ------------------------------------------------


def finish(user, cohort):
    course, lessons = lessons_of(cohort)
    enrollment = user.enrollments.get(course=course)
    for lesson in lessons:
        progress.lesson_complete(enrollment=enrollment, lesson=lesson)
    enrollment.refresh_from_db()
    return enrollment


def test_with_the_endline_required_the_course_completes_when_the_endline_is_sent(
    staff, django_capture_on_commit_callbacks
):
    cohort = make_cohort(staff.user, endline_required=True)
    user = person()
    join(cohort, user)
    client = signed_in(user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(fill_url(cohort), post_data(START, send="1"))
        enrollment = finish(user, cohort)
    assert enrollment.progress_percent == 100
    assert enrollment.completed_at is None
    assert not Certificate.objects.exists()

    # A draft of the endline is not enough.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(fill_url(cohort, Wave.ENDLINE), post_data({"presence": ["qris"]}, draft="1"))
    enrollment.refresh_from_db()
    assert enrollment.completed_at is None

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(fill_url(cohort, Wave.ENDLINE), post_data(SELLING, send="1"))
    assert response.status_code == 302
    enrollment.refresh_from_db()
    assert enrollment.completed_at is not None
    assert Certificate.objects.get().enrollment == enrollment


def test_without_the_requirement_the_course_completes_with_its_lessons(
    staff, django_capture_on_commit_callbacks
):
    cohort = make_cohort(staff.user)
    user = person()
    join(cohort, user)
    with django_capture_on_commit_callbacks(execute=True):
        enrollment = finish(user, cohort)
    assert enrollment.completed_at is not None
    assert Certificate.objects.filter(enrollment=enrollment).exists()


def test_the_endline_of_another_cohort_does_not_count(staff, django_capture_on_commit_callbacks):
    cohort = make_cohort(staff.user, endline_required=True)
    course = cohort.courses.get()
    other = make_cohort(staff.user, name="Angkatan Lain", course=course)
    user = person()
    join(cohort, user)
    join(other, user)
    client = signed_in(user)
    with django_capture_on_commit_callbacks(execute=True):
        enrollment = finish(user, cohort)
        client.post(fill_url(other, Wave.ENDLINE), post_data(SELLING, send="1"))
    enrollment.refresh_from_db()
    assert Response.objects.get(wave=Wave.ENDLINE).cohort == other
    assert enrollment.completed_at is None
    with django_capture_on_commit_callbacks(execute=True):
        client.post(fill_url(cohort, Wave.ENDLINE), post_data(SELLING, send="1"))
    enrollment.refresh_from_db()
    assert enrollment.completed_at is not None


def test_a_learner_who_left_the_cohort_is_not_held_back_by_its_endline(
    staff, django_capture_on_commit_callbacks
):
    cohort = make_cohort(staff.user, endline_required=True)
    user = person()
    join(cohort, user)
    cohort_member_leave(cohort=cohort, user_id=user.pk)
    with django_capture_on_commit_callbacks(execute=True):
        enrollment = finish(user, cohort)
    assert enrollment.completed_at is not None


def test_without_any_survey_version_the_first_lesson_still_opens(staff):
    from outcomes.models import Survey

    Survey.objects.update(is_default=False)
    cohort = make_cohort(staff.user)
    course, lessons = lessons_of(cohort)
    user = person()
    join(cohort, user)
    response = signed_in(user).get(lesson_url(course, lessons[0]), follow=True)
    assert response.status_code == 200
