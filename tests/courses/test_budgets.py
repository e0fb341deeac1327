"""Deterministic page budgets for the course pages: compressed HTML size and query counts
that do not grow with the number of lessons, questions, enrolments or submissions."""

import uuid

import pytest
from django.urls import reverse

from courses.models import Lesson, Option, Question
from courses.services import practice, progress, quizzes
from tests.courses.builders import (
    CourseFactory,
    LessonFactory,
    ModuleFactory,
    add_quiz,
    add_reading_lessons,
    add_task,
    course_with_lessons,
    right_answers,
    wrong_answers,
)
from tests.factories import BusinessProfileFactory, UserFactory
from tests.helpers import assert_constant_queries, count_queries, gzipped_size

pytestmark = pytest.mark.django_db

HTML_BUDGET = 14 * 1024

LONG_READING = "\n\n".join(
    [
        "## Menentukan harga jual",
        "Harga jual yang sehat menutup semua biaya dan menyisakan untung. " * 6,
        "- bahan baku\n- kemasan\n- ongkos kirim\n- tenaga kerja",
        "| Biaya | Rupiah |\n|---|---|\n| Tepung | 12000 |\n| Gula | 8000 |\n| Kemasan | 3000 |",
        "Catat setiap pengeluaran di buku kas, lalu bandingkan dengan harga pesaing. " * 8,
        "Baca juga [panduan harga](https://example.com/panduan).",
    ]
)


def lesson_url(lesson, name="lesson_detail"):
    return reverse(f"courses:{name}", args=[lesson.module.course.slug, lesson.pk])


def first_lesson(course):
    return progress.course_lessons(course.pk)[0]


def test_a_reading_lesson_fits_in_the_first_round_trip(learner):
    course = course_with_lessons(lessons=60, modules=6)
    lesson = Lesson.objects.get(pk=first_lesson(course).pk)
    lesson.body = LONG_READING
    lesson.save()
    progress.enrollment_create(user=learner.user, course=course)

    response = learner.client.get(lesson_url(lesson))

    assert response.status_code == 200
    assert len(response.content) > 3000  # the long text is really there
    assert gzipped_size(response) <= HTML_BUDGET


def test_the_learner_home_fits_in_the_first_round_trip(learner):
    many_enrolments(learner.user, 20)

    response = learner.client.get(reverse("home"))

    assert response.status_code == 200
    assert len(response.context["in_progress"]) >= 10
    assert gzipped_size(response) <= HTML_BUDGET


def test_a_quiz_page_with_twenty_questions_fits_in_the_first_round_trip(learner):
    course = CourseFactory()
    quiz = add_quiz(ModuleFactory(course=course), questions=20)
    progress.enrollment_create(user=learner.user, course=course)

    response = learner.client.get(lesson_url(quiz))

    assert response.status_code == 200
    assert gzipped_size(response) <= HTML_BUDGET


def test_the_reading_lesson_page_needs_the_same_queries_for_3_or_60_lessons(learner):
    course = course_with_lessons(lessons=3)
    progress.enrollment_create(user=learner.user, course=course)

    # session, user, enrolment, the progress rows (done and opened lessons). A lesson
    # opened before writes nothing (its first opening adds one INSERT ... ON CONFLICT DO
    # NOTHING; the enrolment's activity is written at most once a minute). The course,
    # lesson and outline come from the content cache (courses/content_cache.py).
    assert_constant_queries(
        learner.client,
        lesson_url(first_lesson(course)),
        grow=lambda: add_reading_lessons(course, 57, modules=3),
        expected=4,
    )


def test_the_course_outline_needs_the_same_queries_for_3_or_60_lessons(learner):
    course = course_with_lessons(lessons=3)
    progress.enrollment_create(user=learner.user, course=course)

    # session, user, enrolment, done ids (course and outline: content cache)
    assert_constant_queries(
        learner.client,
        course.get_absolute_url(),
        grow=lambda: add_reading_lessons(course, 57, modules=3),
        expected=4,
    )


def many_enrolments(user, count):
    """count courses: some just started, some half done, some finished, some with a task
    sent back for revision."""
    reviewer = UserFactory(is_staff=True, is_learner=False)
    for number in range(count):
        course = CourseFactory()
        module = ModuleFactory(course=course)
        reading = LessonFactory(module=module, position=0)
        task = add_task(module, position=1)
        enrollment = progress.enrollment_create(user=user, course=course)
        if number % 4 == 1:
            progress.lesson_complete(enrollment=enrollment, lesson=reading)
        elif number % 4 == 2:
            submission, _ = practice.task_submit(
                enrollment=enrollment,
                lesson=task,
                text="Jawaban",
                link="",
                photos=[],
                idempotency_key=uuid.uuid4(),
            )
            practice.task_review(
                submission=submission, reviewer=reviewer, approve=False, feedback="Ulangi"
            )
        elif number % 4 == 3:
            progress.lesson_complete(enrollment=enrollment, lesson=reading)
            progress.lesson_complete(enrollment=enrollment, lesson=task)


def test_the_learner_home_needs_the_same_queries_for_3_or_20_enrolments(learner):
    many_enrolments(learner.user, 3)  # the third has a task sent back for revision

    # session, user, enrolments (each knowing whether a task waits for revision), the
    # revisions, cohort memberships (none: no cohort, so no sessions or surveys are read).
    # The complete business profile is remembered in the cache after the first visit.
    assert_constant_queries(
        learner.client,
        reverse("home"),
        grow=lambda: many_enrolments(learner.user, 17),
        expected=5,
    )


def test_a_learner_home_without_revisions_does_not_look_for_them(learner):
    many_enrolments(learner.user, 2)  # started and half done, nothing sent back
    learner.client.get(reverse("home"))

    assert count_queries(lambda: learner.client.get(reverse("home"))) == 4


def test_the_course_list_needs_the_same_queries_for_1_or_12_courses(learner):
    many_enrolments(learner.user, 1)

    assert_constant_queries(
        learner.client,
        reverse("courses:course_list"),
        grow=lambda: [course_with_lessons(lessons=2) for _ in range(11)],
        expected=4,
    )


def add_questions(quiz, count):
    start = quiz.questions.count()
    for number in range(start, start + count):
        question = Question.objects.create(lesson=quiz, text=f"Soal {number}", position=number)
        Option.objects.create(question=question, text="Benar", is_correct=True, position=0)
        Option.objects.create(question=question, text="Salah", position=1)
        Option.objects.create(question=question, text="Ragu", position=2)


def test_the_quiz_page_needs_the_same_queries_for_2_or_20_questions(learner):
    course = CourseFactory()
    quiz = add_quiz(ModuleFactory(course=course), questions=2, max_attempts=5)
    enrollment = progress.enrollment_create(user=learner.user, course=course)
    quizzes.quiz_submit(
        enrollment=enrollment,
        lesson=quiz,
        answers=wrong_answers(quiz),
        idempotency_key=uuid.uuid4(),
    )

    # the reading page's 4, then the attempts' scores (used and best in one query; the
    # questions and options come from the content cache)
    assert_constant_queries(
        learner.client, lesson_url(quiz), grow=lambda: add_questions(quiz, 18), expected=5
    )


def quiz_post(client, quiz, answers):
    data = {"idempotency_key": str(uuid.uuid4())}
    for question_id, option_ids in answers.items():
        data[f"q{question_id}"] = [str(pk) for pk in option_ids]
    return count_queries(lambda: client.post(lesson_url(quiz, "quiz_submit"), data))


@pytest.mark.parametrize(
    ("answers", "expected"), [(wrong_answers, 7), (right_answers, 16)], ids=["fail", "pass"]
)
def test_quiz_submit_needs_the_same_queries_for_2_or_20_questions(learner, answers, expected):
    # Questions come from the content cache; a quiz without an attempt limit needs no lock
    # and no look-up of the key (the unique key answers a repeat). Passing adds
    # lesson_complete and the recount of the enrolment (9 queries).
    counts = []
    for questions in (2, 20):
        course = CourseFactory()
        module = ModuleFactory(course=course)
        LessonFactory(module=module, position=0)
        quiz = add_quiz(module, questions=questions)
        progress.enrollment_create(user=learner.user, course=course)
        learner.client.get(lesson_url(quiz))
        counts.append(quiz_post(learner.client, quiz, answers(quiz)))

    assert counts == [expected, expected]


def test_the_attempt_page_needs_the_same_queries_for_2_or_20_questions(learner):
    course = CourseFactory()
    quiz = add_quiz(ModuleFactory(course=course), questions=2)
    enrollment = progress.enrollment_create(user=learner.user, course=course)
    attempt, _ = quizzes.quiz_submit(
        enrollment=enrollment,
        lesson=quiz,
        answers=wrong_answers(quiz),
        idempotency_key=uuid.uuid4(),
    )

    # session, user, attempt, course and the learner's enrolment check (questions: cache)
    assert_constant_queries(
        learner.client,
        attempt.get_absolute_url(),
        grow=lambda: add_questions(quiz, 18),
        expected=5,
    )


def waiting_submissions(count):
    for _ in range(count):
        user = UserFactory()
        BusinessProfileFactory(user=user)
        course = CourseFactory()
        task = add_task(ModuleFactory(course=course))
        enrollment = progress.enrollment_create(user=user, course=course)
        practice.task_submit(
            enrollment=enrollment,
            lesson=task,
            text="Jawaban",
            link="",
            photos=[],
            idempotency_key=uuid.uuid4(),
        )


def test_the_review_queue_needs_the_same_queries_for_3_or_12_submissions(staff):
    waiting_submissions(3)

    assert_constant_queries(
        staff.client,
        reverse("courses:review_queue"),
        grow=lambda: waiting_submissions(9),
        expected=3,
    )
