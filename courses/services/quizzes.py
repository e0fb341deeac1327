"""Quizzes: questions in (optionally shuffled) order, server-side scoring, attempts."""

import random
import uuid

from django.db import IntegrityError, transaction

from courses import content_cache
from courses.models import Enrollment, Lesson, Question, QuizAttempt
from ukmlearn.precompiled import Precompiled

from .progress import lesson_complete


class NoAttemptsLeft(Exception):
    pass


class InvalidAnswers(Exception):
    pass


def quiz_questions(*, lesson: Lesson, seed: str | None = None) -> list[Question]:
    """Questions with their options (content cache, or two queries); shuffled reproducibly
    by seed."""
    questions = content_cache.questions(lesson.pk)
    if lesson.shuffle and seed:
        rng = random.Random(seed)  # noqa: S311 - order only, not security
        rng.shuffle(questions)
        for question in questions:
            rng.shuffle(question.option_list)
    return questions


# Read on every quiz page: compiled once (ukmlearn.precompiled).
_scores_read = Precompiled(
    lambda enrollment_id, lesson_id: QuizAttempt.objects.filter(
        enrollment_id=enrollment_id, lesson_id=lesson_id
    ).values_list("score")
)


def attempt_scores(*, enrollment: Enrollment, lesson: Lesson) -> list[int]:
    """The score of each attempt so far: how many were used and the best, in one query."""
    return [score for (score,) in _scores_read.rows(enrollment.pk, lesson.pk)]


def attempts_used(*, enrollment: Enrollment, lesson: Lesson) -> int:
    """How many attempts the learner has used (a few rows: the same read as the scores)."""
    return len(attempt_scores(enrollment=enrollment, lesson=lesson))


def score_answers(*, questions: list[Question], answers: dict[int, set[int]]) -> tuple[int, dict]:
    """Percentage of questions answered exactly right, and per-question correctness."""
    if not questions:
        return 100, {}
    per_question = {}
    for question in questions:
        correct = {option.pk for option in question.option_list if option.is_correct}
        per_question[question.pk] = answers.get(question.pk, set()) == correct
    right = sum(per_question.values())
    return (100 * right) // len(questions), per_question


def quiz_submit(
    *,
    enrollment: Enrollment,
    lesson: Lesson,
    answers: dict[int, set[int]],
    idempotency_key: uuid.UUID,
    lesson_done: bool = False,
) -> tuple[QuizAttempt, bool]:
    """Score and store one attempt. The same idempotency key returns the stored attempt
    (created=False) instead of counting a second one. lesson_done: the caller has read the
    quiz as done already (a pass then changes no progress)."""
    limited = lesson.max_attempts is not None
    if limited:
        # A repeated key must find its attempt even when no attempt is left. Without a
        # limit the unique key itself answers it (IntegrityError below).
        existing = QuizAttempt.objects.filter(
            enrollment=enrollment, idempotency_key=idempotency_key
        ).first()
        if existing is not None:
            return existing, False
    questions = quiz_questions(lesson=lesson)
    valid_options = {q.pk: {o.pk for o in q.option_list} for q in questions}
    for question_id, chosen in answers.items():
        if question_id not in valid_options or not chosen <= valid_options[question_id]:
            raise InvalidAnswers
    score, _ = score_answers(questions=questions, answers=answers)
    try:
        with transaction.atomic():
            if limited:
                # Lock the enrolment so two concurrent submits cannot both use the last one.
                Enrollment.objects.select_for_update().filter(pk=enrollment.pk).first()
                if attempts_used(enrollment=enrollment, lesson=lesson) >= lesson.max_attempts:
                    raise NoAttemptsLeft
            attempt = QuizAttempt.objects.create(
                enrollment=enrollment,
                lesson=lesson,
                idempotency_key=idempotency_key,
                answers={str(k): sorted(v) for k, v in answers.items()},
                score=score,
                passed=score >= lesson.pass_mark,
            )
            if attempt.passed and not lesson_done:
                lesson_complete(enrollment=enrollment, lesson=lesson)
    except IntegrityError:
        # The same key raced in from a second tab or a retry: return the stored attempt.
        return QuizAttempt.objects.get(
            enrollment=enrollment, idempotency_key=idempotency_key
        ), False
    return attempt, True


def attempt_review(*, attempt: QuizAttempt) -> list[dict]:
    """What the result page shows: each question, the learner's choices, right or wrong,
    and the explanations. Only ever called after submission."""
    questions = quiz_questions(lesson=attempt.lesson)
    chosen = {int(k): set(v) for k, v in attempt.answers.items()}
    _, per_question = score_answers(questions=questions, answers=chosen)
    return [
        {
            "question": question,
            "correct": per_question[question.pk],
            "options": [
                {
                    "option": option,
                    "chosen": option.pk in chosen.get(question.pk, set()),
                }
                for option in question.option_list
            ],
        }
        for question in questions
    ]
