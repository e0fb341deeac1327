"""Enrolment and progress services, against the database."""

import logging

import pytest
from django.urls import reverse

from courses.models import Course, Enrollment, LessonProgress
from courses.services import progress
from courses.services.progress import EnrollmentClosed
from tests.courses.builders import CourseFactory, LessonFactory, ModuleFactory

pytestmark = pytest.mark.django_db

completed_enrollment_ids: list[int] = []


def record_completion(*, enrollment_id):
    completed_enrollment_ids.append(enrollment_id)


def failing_hook(*, enrollment_id):
    raise RuntimeError(f"certificate service down for {enrollment_id}")


@pytest.fixture(autouse=True)
def _forget_completions():
    completed_enrollment_ids.clear()
    yield
    completed_enrollment_ids.clear()


def hook_path(function) -> str:
    return f"{__name__}.{function.__name__}"


@pytest.fixture
def course():
    """Two modules created in reverse order, so reading order is not creation order:
    module A (position 0): intro (optional), a1, a2; module B (position 1): b1."""
    course = CourseFactory()
    module_b = ModuleFactory(course=course, position=1, title="B")
    module_a = ModuleFactory(course=course, position=0, title="A")
    b1 = LessonFactory(module=module_b, position=0, title="b1")
    a2 = LessonFactory(module=module_a, position=2, title="a2")
    a1 = LessonFactory(module=module_a, position=1, title="a1")
    intro = LessonFactory(module=module_a, position=0, title="intro", is_optional=True)
    course.lessons = {"intro": intro, "a1": a1, "a2": a2, "b1": b1}
    return course


def test_it_returns_the_same_enrolment_when_enrolling_twice(learner, course):
    first = progress.enrollment_create(user=learner.user, course=course)
    second = progress.enrollment_create(user=learner.user, course=course)

    assert second.pk == first.pk
    assert Enrollment.objects.filter(user=learner.user, course=course).count() == 1


def test_it_fills_in_the_next_lesson_when_enrolling(learner, course):
    enrollment = progress.enrollment_create(user=learner.user, course=course)

    assert enrollment.next_lesson == course.lessons["a1"]
    assert enrollment.progress_percent == 0
    assert enrollment.source == Enrollment.Source.SELF


@pytest.mark.parametrize(
    "fields",
    [
        {"is_published": False},
        {"self_enrol": False},
        {"is_published": False, "self_enrol": False},
    ],
    ids=["unpublished", "closed", "both"],
)
def test_it_refuses_self_enrolment_in_a_course_not_open_for_it(learner, fields):
    course = CourseFactory(**fields)

    with pytest.raises(EnrollmentClosed):
        progress.enrollment_create(user=learner.user, course=course)
    assert not Enrollment.objects.exists()


@pytest.mark.parametrize("source", [Enrollment.Source.COHORT, Enrollment.Source.STAFF])
def test_it_lets_a_cohort_or_staff_enrol_a_learner_in_a_closed_course(learner, source):
    course = CourseFactory(is_published=False, self_enrol=False)
    LessonFactory(module=ModuleFactory(course=course))

    enrollment = progress.enrollment_create(user=learner.user, course=course, source=source)

    assert enrollment.source == source
    assert Enrollment.objects.get(user=learner.user, course=course).pk == enrollment.pk


def test_it_returns_true_only_the_first_time_a_lesson_is_completed(learner, course):
    enrollment = progress.enrollment_create(user=learner.user, course=course)
    lesson = course.lessons["a1"]

    assert progress.lesson_complete(enrollment=enrollment, lesson=lesson) is True
    assert progress.lesson_complete(enrollment=enrollment, lesson=lesson) is False
    assert progress.lesson_complete(enrollment=enrollment, lesson=lesson) is False

    enrollment.refresh_from_db()
    assert enrollment.completed_lessons == 1
    assert LessonProgress.objects.filter(enrollment=enrollment, lesson=lesson).count() == 1


def test_it_completes_a_lesson_that_was_started_before(learner, course):
    enrollment = progress.enrollment_create(user=learner.user, course=course)
    lesson = course.lessons["a1"]
    progress.lesson_start(enrollment=enrollment, lesson=lesson)
    progress.lesson_start(enrollment=enrollment, lesson=lesson)

    assert progress.lesson_complete(enrollment=enrollment, lesson=lesson) is True
    row = LessonProgress.objects.get(enrollment=enrollment, lesson=lesson)
    assert row.completed_at is not None


def test_it_counts_required_lessons_only_in_the_percentage(learner, course):
    enrollment = progress.enrollment_create(user=learner.user, course=course)

    progress.lesson_complete(enrollment=enrollment, lesson=course.lessons["intro"])
    enrollment.refresh_from_db()
    assert (enrollment.progress_percent, enrollment.completed_lessons) == (0, 0)

    progress.lesson_complete(enrollment=enrollment, lesson=course.lessons["a1"])
    enrollment.refresh_from_db()
    assert (enrollment.progress_percent, enrollment.completed_lessons) == (33, 1)

    progress.lesson_complete(enrollment=enrollment, lesson=course.lessons["b1"])
    enrollment.refresh_from_db()
    assert (enrollment.progress_percent, enrollment.completed_lessons) == (66, 2)


def test_it_points_to_the_first_required_lesson_not_done_in_reading_order(learner, course):
    enrollment = progress.enrollment_create(user=learner.user, course=course)
    lessons = course.lessons

    # The optional intro comes first in reading order but is skipped.
    assert enrollment.next_lesson == lessons["a1"]

    progress.lesson_complete(enrollment=enrollment, lesson=lessons["a2"])
    enrollment.refresh_from_db()
    assert enrollment.next_lesson == lessons["a1"]

    progress.lesson_complete(enrollment=enrollment, lesson=lessons["a1"])
    enrollment.refresh_from_db()
    # b1 was created first but its module comes second.
    assert enrollment.next_lesson == lessons["b1"]


def test_it_points_to_an_optional_lesson_once_every_required_one_is_done(learner, course):
    enrollment = progress.enrollment_create(user=learner.user, course=course)
    for name in ("a1", "a2", "b1"):
        progress.lesson_complete(enrollment=enrollment, lesson=course.lessons[name])

    enrollment.refresh_from_db()
    assert enrollment.progress_percent == 100
    assert enrollment.next_lesson == course.lessons["intro"]

    progress.lesson_complete(enrollment=enrollment, lesson=course.lessons["intro"])
    enrollment.refresh_from_db()
    assert enrollment.next_lesson is None


def test_it_completes_the_course_once_and_runs_the_hooks_once_after_commit(
    learner, course, settings, django_capture_on_commit_callbacks
):
    settings.COURSE_COMPLETED_HOOKS = [hook_path(record_completion)]
    enrollment = progress.enrollment_create(user=learner.user, course=course)

    with django_capture_on_commit_callbacks(execute=True):
        for name in ("a1", "a2"):
            progress.lesson_complete(enrollment=enrollment, lesson=course.lessons[name])
        enrollment.refresh_from_db()
        assert enrollment.completed_at is None

        progress.lesson_complete(enrollment=enrollment, lesson=course.lessons["b1"])
        enrollment.refresh_from_db()
        assert enrollment.completed_at is not None
        # Not yet: the hook waits for the commit.
        assert completed_enrollment_ids == []
    assert completed_enrollment_ids == [enrollment.pk]
    completed_at = enrollment.completed_at

    with django_capture_on_commit_callbacks(execute=True):
        progress.lesson_complete(enrollment=enrollment, lesson=course.lessons["b1"])
        progress.lesson_complete(enrollment=enrollment, lesson=course.lessons["intro"])
        progress.enrollment_recompute(enrollment_id=enrollment.pk)

    enrollment.refresh_from_db()
    assert enrollment.completed_at == completed_at
    assert completed_enrollment_ids == [enrollment.pk]


def test_it_does_not_complete_a_course_when_only_optional_lessons_are_done(
    learner, course, settings, django_capture_on_commit_callbacks
):
    settings.COURSE_COMPLETED_HOOKS = [hook_path(record_completion)]
    enrollment = progress.enrollment_create(user=learner.user, course=course)

    with django_capture_on_commit_callbacks(execute=True):
        progress.lesson_complete(enrollment=enrollment, lesson=course.lessons["intro"])

    enrollment.refresh_from_db()
    assert enrollment.completed_at is None
    assert completed_enrollment_ids == []


def test_it_logs_a_failing_hook_and_still_runs_the_others(
    learner, settings, caplog, django_capture_on_commit_callbacks
):
    settings.COURSE_COMPLETED_HOOKS = [hook_path(failing_hook), hook_path(record_completion)]
    course = CourseFactory()
    lesson = LessonFactory(module=ModuleFactory(course=course))
    enrollment = progress.enrollment_create(user=learner.user, course=course)

    with caplog.at_level(logging.ERROR, logger="courses.services.progress"):
        with django_capture_on_commit_callbacks(execute=True):
            assert progress.lesson_complete(enrollment=enrollment, lesson=lesson) is True

    assert completed_enrollment_ids == [enrollment.pk]
    [record] = [r for r in caplog.records if r.name == "courses.services.progress"]
    assert hook_path(failing_hook) in record.getMessage()
    assert str(enrollment.pk) in record.getMessage()
    assert record.exc_info is not None


@pytest.mark.django_db(transaction=True)
def test_it_finishes_the_request_when_a_completion_hook_fails(learner, settings, caplog):
    # A transactional test: the on_commit hooks run for real, inside the request.
    settings.COURSE_COMPLETED_HOOKS = [hook_path(failing_hook), hook_path(record_completion)]
    course = CourseFactory()
    lesson = LessonFactory(module=ModuleFactory(course=course))
    enrollment = progress.enrollment_create(user=learner.user, course=course)

    response = learner.client.post(
        reverse("courses:lesson_complete", args=[course.slug, lesson.pk])
    )

    assert response.status_code == 302
    assert response["Location"] == course.get_absolute_url()
    enrollment.refresh_from_db()
    assert enrollment.completed_at is not None
    assert completed_enrollment_ids == [enrollment.pk]
    assert any("course completion hook" in r.getMessage() for r in caplog.records)


def _open_lessons(course, done_names):
    lessons = progress.course_lessons(course.pk)
    by_title = {lesson.title: lesson for lesson in lessons}
    done = {by_title[name].pk for name in done_names}
    return {
        lesson.title
        for lesson in lessons
        if progress.lesson_is_open(course=course, lessons=lessons, done=done, lesson=lesson)
    }


def test_it_opens_every_lesson_of_a_course_in_any_order(course):
    assert _open_lessons(course, []) == {"intro", "a1", "a2", "b1"}


def test_it_opens_a_linear_lesson_when_every_required_lesson_before_it_is_done(course):
    course.sequencing = Course.Sequencing.LINEAR

    # The first lesson is open; the optional intro does not block a1.
    assert _open_lessons(course, []) == {"intro", "a1"}
    assert _open_lessons(course, ["a1"]) == {"intro", "a1", "a2"}
    assert _open_lessons(course, ["a1", "a2"]) == {"intro", "a1", "a2", "b1"}
    # Doing a later lesson does not open one whose earlier required lesson is missing.
    assert "b1" not in _open_lessons(course, ["a2"])


def test_it_blocks_the_lessons_after_an_optional_one_only_on_required_lessons():
    course = CourseFactory(sequencing=Course.Sequencing.LINEAR)
    module = ModuleFactory(course=course)
    LessonFactory(module=module, position=0, title="r1")
    LessonFactory(module=module, position=1, title="opt", is_optional=True)
    LessonFactory(module=module, position=2, title="r2")

    assert _open_lessons(course, []) == {"r1"}
    assert _open_lessons(course, ["r1"]) == {"r1", "opt", "r2"}


def test_it_undoes_a_completed_lesson_and_recomputes_progress(learner, course):
    enrollment = progress.enrollment_create(user=learner.user, course=course)
    progress.lesson_complete(enrollment=enrollment, lesson=course.lessons["a1"])

    progress.lesson_uncomplete(enrollment=enrollment, lesson=course.lessons["a1"])

    enrollment.refresh_from_db()
    assert enrollment.progress_percent == 0
    assert enrollment.next_lesson == course.lessons["a1"]
    assert progress.lesson_complete(enrollment=enrollment, lesson=course.lessons["a1"]) is True
