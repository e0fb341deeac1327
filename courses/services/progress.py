"""Enrolment and progress: the one place that decides what is done and what comes next."""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from courses import content_cache
from courses.models import Course, Enrollment, Lesson, LessonProgress, QuizAttempt, TaskSubmission
from courses.selectors import done_lesson_ids

logger = logging.getLogger(__name__)


class EnrollmentClosed(Exception):
    """The course is not published or not open for self-enrolment."""


def enrollment_create(*, user, course: Course, source: str = Enrollment.Source.SELF) -> Enrollment:
    """Enrol a person in a course; enrolling twice returns the existing enrolment.

    Cohort enrolment (issue 4) calls this too, with source=COHORT.
    """
    if source == Enrollment.Source.SELF and not (course.is_published and course.self_enrol):
        raise EnrollmentClosed
    try:
        with transaction.atomic():
            enrollment, created = Enrollment.objects.get_or_create(
                user=user, course=course, defaults={"source": source}
            )
    except IntegrityError:
        # Two requests raced past get_or_create's SELECT; the other one inserted it.
        enrollment, created = Enrollment.objects.get(user=user, course=course), False
    if created:
        enrollment_recompute(enrollment_id=enrollment.pk)
        enrollment.refresh_from_db()
    return enrollment


def enrollments_create_bulk(*, user_ids: list[int], course: Course, source: str) -> None:
    """Enrol many people at once (cohort imports of thousands); existing enrolments stay as
    they are. New enrolments start at 0 % with the first lesson next, which is exactly what
    enrollment_recompute would derive for an enrolment without progress."""
    lessons = course_lessons(course.pk)
    first = next((lesson for lesson in lessons if not lesson.is_optional), None) or (
        lessons[0] if lessons else None
    )
    Enrollment.objects.bulk_create(
        [
            Enrollment(user_id=user_id, course=course, source=source, next_lesson=first)
            for user_id in user_ids
        ],
        ignore_conflicts=True,
        batch_size=1000,
    )


def course_lessons(course_id: int) -> list[Lesson]:
    """Every lesson of a course in reading order (module position, lesson position), with
    the outline's fields (content cache)."""
    return [lesson for module in content_cache.outline(course_id) for lesson in module.lesson_list]


# "Last active" serves day-long reminder thresholds: writing it once a minute at most spares
# a write on most page views.
ACTIVITY_WRITE_EVERY = timedelta(minutes=1)


def lesson_start(*, enrollment: Enrollment, lesson: Lesson, opened: bool = False) -> None:
    """Record that the learner opened a lesson (idempotent). opened: the caller has read
    the lesson's progress row already (opened before, or done), so none is written."""
    now = timezone.now()
    if not opened:
        # One INSERT ... ON CONFLICT DO NOTHING instead of a SELECT and maybe an INSERT.
        LessonProgress.objects.bulk_create(
            [LessonProgress(enrollment=enrollment, lesson=lesson, started_at=now)],
            ignore_conflicts=True,
        )
    last = enrollment.last_activity_at
    if last is None or now - last >= ACTIVITY_WRITE_EVERY:
        Enrollment.objects.filter(pk=enrollment.pk).update(last_activity_at=now)
        enrollment.last_activity_at = now


def lesson_complete(*, enrollment: Enrollment, lesson: Lesson) -> bool:
    """Mark a lesson done. Returns True when this call completed it, False when it was done
    already, so double clicks, two tabs and retries count once."""
    now = timezone.now()
    with transaction.atomic():
        LessonProgress.objects.bulk_create(
            [LessonProgress(enrollment=enrollment, lesson=lesson, started_at=now)],
            ignore_conflicts=True,
        )
        # The conditional UPDATE is the guard: only one concurrent caller sees 1 row.
        changed = LessonProgress.objects.filter(
            enrollment=enrollment, lesson=lesson, completed_at__isnull=True
        ).update(completed_at=now)
        if changed:
            enrollment_recompute(enrollment_id=enrollment.pk, active_at=now)
        else:
            Enrollment.objects.filter(pk=enrollment.pk).update(last_activity_at=now)
    return bool(changed)


def lesson_uncomplete(*, enrollment: Enrollment, lesson: Lesson) -> None:
    """A task sent back for revision under the "approved" rule is no longer done."""
    with transaction.atomic():
        changed = LessonProgress.objects.filter(
            enrollment=enrollment, lesson=lesson, completed_at__isnull=False
        ).update(completed_at=None)
        if changed:
            enrollment_recompute(enrollment_id=enrollment.pk)


def enrollment_recompute(*, enrollment_id: int, active_at=None) -> Enrollment:
    """Derive percentage, next lesson and completion from the progress rows (and record
    the learner's activity at `active_at`, when given, in the same write).

    It recounts instead of incrementing, under a row lock, so running it twice or
    concurrently gives the same answer.
    """
    with transaction.atomic():
        enrollment = Enrollment.objects.select_for_update().get(pk=enrollment_id)
        lessons = course_lessons(enrollment.course_id)
        done = done_lesson_ids(enrollment=enrollment)
        required = [lesson for lesson in lessons if not lesson.is_optional]
        required_done = sum(1 for lesson in required if lesson.pk in done)
        percent = 100 if not required else (100 * required_done) // len(required)
        next_lesson = next(
            (lesson for lesson in lessons if lesson.pk not in done and not lesson.is_optional),
            None,
        ) or next((lesson for lesson in lessons if lesson.pk not in done), None)
        enrollment.progress_percent = percent
        enrollment.completed_lessons = required_done
        enrollment.next_lesson = next_lesson
        just_completed = (
            bool(required)
            and required_done == len(required)
            and enrollment.completed_at is None
            and completion_requirements_met(enrollment)
        )
        if just_completed:
            enrollment.completed_at = timezone.now()
        fields = ["progress_percent", "completed_lessons", "next_lesson", "completed_at"]
        if active_at is not None:
            enrollment.last_activity_at = active_at
            fields.append("last_activity_at")
        enrollment.save(update_fields=fields)
        if just_completed:
            transaction.on_commit(lambda: course_completed(enrollment_id=enrollment.pk))
    return enrollment


def completion_requirements_met(enrollment: Enrollment) -> bool:
    """Rules other apps add to "every required lesson is done", e.g. a cohort's minimum
    attendance. Each dotted path in settings.COURSE_COMPLETION_REQUIREMENTS is called with the
    enrolment and returns True when satisfied; courses never imports those apps."""
    return all(
        import_string(path)(enrollment=enrollment)
        for path in getattr(settings, "COURSE_COMPLETION_REQUIREMENTS", [])
    )


def course_completed(*, enrollment_id: int) -> None:
    """Runs after the transaction that completed a course commits.

    Other features (certificates, endline survey) register a dotted path in
    settings.COURSE_COMPLETED_HOOKS; each gets the enrolment id.
    """
    for path in getattr(settings, "COURSE_COMPLETED_HOOKS", []):
        try:
            import_string(path)(enrollment_id=enrollment_id)
        except Exception:
            # One failing hook must not stop the others; the failure is logged with its id.
            logger.exception(
                "course completion hook %s failed for enrolment %s", path, enrollment_id
            )


def lesson_is_open(
    *, course: Course, lessons: list[Lesson], done: set[int], lesson: Lesson
) -> bool:
    """In a linear course a lesson opens when every required lesson before it is done."""
    if course.sequencing != Course.Sequencing.LINEAR:
        return True
    for earlier in lessons:
        if earlier.pk == lesson.pk:
            return True
        if not earlier.is_optional and earlier.pk not in done:
            return False
    return True


def quiz_best_score(*, enrollment: Enrollment, lesson: Lesson) -> int | None:
    scores = QuizAttempt.objects.filter(enrollment=enrollment, lesson=lesson).values_list(
        "score", flat=True
    )
    return max(scores, default=None)


def task_latest(*, enrollment: Enrollment, lesson: Lesson) -> TaskSubmission | None:
    return TaskSubmission.objects.filter(enrollment=enrollment, lesson=lesson).first()
