"""Races between simultaneous requests, run with real threads and real transactions.

Each thread has its own database connection (Django's are per thread) and closes it at the
end. A barrier releases all threads at once so their transactions overlap.
"""

import threading
import uuid

import pytest
from django.db import connection

from courses.models import Enrollment, LessonProgress, QuizAttempt
from courses.services import progress, quizzes
from tests.courses.builders import (
    CourseFactory,
    LessonFactory,
    ModuleFactory,
    add_quiz,
    right_answers,
)

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks are only exercised on PostgreSQL"
)

completions: list[int] = []


def record_completion(*, enrollment_id):
    completions.append(enrollment_id)


@pytest.fixture(autouse=True)
def _forget_completions():
    completions.clear()
    yield
    completions.clear()


def run_at_once(count, function):
    """Call function(index) in `count` threads released together; return what each call
    returned or raised, in thread order."""
    barrier = threading.Barrier(count, timeout=30)
    outcomes = [None] * count

    def worker(index):
        try:
            barrier.wait()
            outcomes[index] = function(index)
        except Exception as exc:  # reported to the test, not hidden
            outcomes[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a thread is stuck"
    return outcomes


def one_lesson_course():
    course = CourseFactory()
    lesson = LessonFactory(module=ModuleFactory(course=course))
    return course, lesson


# "opened": the page was shown first (lesson_start), as when a learner double-taps "Done",
# so the progress row exists and only the conditional UPDATE guards the completion.
@pytest.mark.parametrize("opened", [False, True], ids=["not opened", "opened"])
@pytest.mark.django_db(transaction=True)
def test_it_completes_a_lesson_once_when_eight_requests_race(learner, settings, opened):
    settings.COURSE_COMPLETED_HOOKS = [f"{__name__}.record_completion"]
    course, lesson = one_lesson_course()
    enrollment = progress.enrollment_create(user=learner.user, course=course)
    if opened:
        progress.lesson_start(enrollment=enrollment, lesson=lesson)

    outcomes = run_at_once(
        8, lambda _: progress.lesson_complete(enrollment=enrollment, lesson=lesson)
    )

    assert sorted(outcomes, key=repr) == [False] * 7 + [True], outcomes
    assert LessonProgress.objects.filter(enrollment=enrollment).count() == 1
    enrollment.refresh_from_db()
    assert (enrollment.completed_lessons, enrollment.progress_percent) == (1, 100)
    assert enrollment.completed_at is not None
    # The course was completed once, so its hooks ran once.
    assert completions == [enrollment.pk]


@pytest.mark.django_db(transaction=True)
def test_it_enrols_once_when_eight_requests_race(learner):
    course, _ = one_lesson_course()

    outcomes = run_at_once(
        8, lambda _: progress.enrollment_create(user=learner.user, course=course).pk
    )

    assert all(isinstance(pk, int) for pk in outcomes), outcomes
    assert len(set(outcomes)) == 1
    assert Enrollment.objects.filter(user=learner.user, course=course).count() == 1


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_it_stores_one_attempt_when_eight_submits_share_a_key(learner):
    course = CourseFactory()
    quiz = add_quiz(ModuleFactory(course=course), questions=2)
    enrollment = progress.enrollment_create(user=learner.user, course=course)
    answers = right_answers(quiz)
    key = uuid.uuid4()

    outcomes = run_at_once(
        8,
        lambda _: quizzes.quiz_submit(
            enrollment=enrollment, lesson=quiz, answers=answers, idempotency_key=key
        ),
    )

    assert all(isinstance(outcome, tuple) for outcome in outcomes), outcomes
    assert {attempt.pk for attempt, _ in outcomes} == {QuizAttempt.objects.get().pk}
    assert sum(created for _, created in outcomes) == 1
    enrollment.refresh_from_db()
    assert enrollment.completed_lessons == 1


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_it_allows_no_more_attempts_than_the_limit_when_submits_race(learner):
    course = CourseFactory()
    quiz = add_quiz(ModuleFactory(course=course), questions=2, max_attempts=2)
    enrollment = progress.enrollment_create(user=learner.user, course=course)
    answers = right_answers(quiz)

    outcomes = run_at_once(
        5,
        lambda _: quizzes.quiz_submit(
            enrollment=enrollment, lesson=quiz, answers=answers, idempotency_key=uuid.uuid4()
        ),
    )

    stored = [outcome for outcome in outcomes if isinstance(outcome, tuple)]
    refused = [outcome for outcome in outcomes if isinstance(outcome, quizzes.NoAttemptsLeft)]
    assert (len(stored), len(refused)) == (2, 3), outcomes
    assert QuizAttempt.objects.filter(enrollment=enrollment, lesson=quiz).count() == 2
    assert LessonProgress.objects.filter(enrollment=enrollment, lesson=quiz).count() == 1
