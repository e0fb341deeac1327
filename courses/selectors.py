"""Reads for course pages, and the permission-aware getters every view loads objects with.

Getters raise Http404 for "missing" and "not yours" alike.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, F, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils.module_loading import import_string

from ukmlearn.precompiled import Precompiled

from . import content_cache
from .models import (
    Certificate,
    Course,
    Enrollment,
    Lesson,
    LessonProgress,
    Module,
    QuizAttempt,
    TaskPhoto,
    TaskSubmission,
)


def staff_scope(user, path: str) -> Q:
    """The learners whose records this staff member may open (settings.STAFF_LEARNER_SCOPE,
    e.g. the owners of their cohorts), as a filter on the user id at `path`."""
    return import_string(settings.STAFF_LEARNER_SCOPE)(user=user, path=path)


def _own_or_in_staff_scope(qs, user):
    """Rows (with an `enrollment`) of this person's own, or, for staff, of the learners in
    their scope."""
    if user.is_staff:
        return qs.filter(Q(enrollment__user=user) | staff_scope(user, "enrollment__user"))
    return qs.filter(enrollment__user=user)


def can_preview(user) -> bool:
    return user.is_authenticated and user.is_staff


def course_for_user(*, user, slug: str) -> Course:
    course = content_cache.course_by_slug(slug)
    if course is None or not (course.is_published or can_preview(user)):
        raise Http404
    return course


# Read on every lesson page, "lesson done" and quiz send: compiled once (ukmlearn.precompiled).
_enrollment_read = Precompiled(
    lambda user_id, course_id: Enrollment.objects.filter(user_id=user_id, course_id=course_id)
)
_lesson_states_read = Precompiled(
    lambda enrollment_id: LessonProgress.objects.filter(enrollment_id=enrollment_id).values_list(
        "lesson_id", "completed_at"
    )
)


def enrollment_for(*, user, course: Course) -> Enrollment | None:
    if not user.is_authenticated:
        return None
    return _enrollment_read.get(user.pk, course.pk)  # one at most: unique (user, course)


def course_outline(*, course: Course) -> list[Module]:
    """Modules with their lessons (module.lesson_list): from the content cache, or two
    queries whatever the size."""
    return content_cache.outline(course.pk)


def flat_lessons(modules: list[Module]) -> list[Lesson]:
    return [lesson for module in modules for lesson in module.lesson_list]


def lesson_states(*, enrollment: Enrollment | None) -> tuple[set[int], set[int]]:
    """The ids of the lessons done and of those opened (done included), in one query."""
    done: set[int] = set()
    opened: set[int] = set()
    if enrollment is None:
        return done, opened
    for lesson_id, completed_at in _lesson_states_read.rows(enrollment.pk):
        opened.add(lesson_id)
        if completed_at is not None:
            done.add(lesson_id)
    return done, opened


def done_lesson_ids(*, enrollment: Enrollment | None) -> set[int]:
    """The ids of the lessons done: the first half of lesson_states (one precompiled read
    serves both; a course has a few dozen lessons at most)."""
    return lesson_states(enrollment=enrollment)[0]


def lesson_in_course(*, course: Course, lesson_id: int) -> Lesson:
    lesson = content_cache.lesson(course.pk, lesson_id)
    if lesson is None:
        raise Http404
    return lesson


def attempt_for_user(*, user, attempt_id: int) -> QuizAttempt:
    qs = _own_or_in_staff_scope(
        QuizAttempt.objects.select_related("lesson__module__course", "enrollment"), user
    )
    attempt = qs.filter(pk=attempt_id).first()
    if attempt is None:
        raise Http404
    return attempt


def submission_for_user(*, user, submission_id: int) -> TaskSubmission:
    qs = TaskSubmission.objects.select_related(
        "lesson__module__course", "enrollment__user", "reviewed_by"
    ).prefetch_related("photos")
    submission = qs.filter(pk=submission_id).first()
    if submission is None or not _may_view_submission(user, submission):
        raise Http404
    return submission


def _may_view_submission(user, submission: TaskSubmission) -> bool:
    """The learner's own, staff whose scope holds the learner, or whoever an app in
    settings.SUBMISSION_VIEWER_CHECKS vouches for (the learner's mentor); courses never
    imports those apps."""
    if submission.enrollment.user_id == user.pk:
        return True
    if (
        user.is_staff
        and get_user_model()
        .objects.filter(staff_scope(user, "pk"), pk=submission.enrollment.user_id)
        .exists()
    ):
        return True
    return any(
        import_string(path)(user=user, submission=submission)
        for path in getattr(settings, "SUBMISSION_VIEWER_CHECKS", [])
    )


def certificate_for_user(*, user, certificate_id: int, issued_only: bool = False) -> Certificate:
    """The learner's own certificate, or one in the staff member's scope; 404 otherwise."""
    qs = Certificate.objects.select_related("enrollment__user", "enrollment__course")
    if issued_only:
        qs = qs.filter(status=Certificate.Status.ISSUED)
    certificate = _own_or_in_staff_scope(qs, user).filter(pk=certificate_id).first()
    if certificate is None:
        raise Http404
    return certificate


def submissions_history(*, enrollment: Enrollment, lesson: Lesson) -> list[TaskSubmission]:
    return list(
        TaskSubmission.objects.filter(enrollment=enrollment, lesson=lesson)
        .select_related("reviewed_by")
        .prefetch_related("photos")
    )


# The learner home's enrolments (a quarter of all requests): compiled once.
_home_enrollments_read = Precompiled(
    lambda user_id: (
        Enrollment.objects.filter(user_id=user_id)
        .select_related("course", "next_lesson", "certificate")
        # What the home page shows: not the lesson texts, nor the certificates' files.
        .only(
            "course_id",
            "progress_percent",
            "next_lesson_id",
            "last_activity_at",
            "completed_at",
            "enrolled_at",
            "course__title",
            "course__slug",
            "next_lesson__title",
            "next_lesson__page_bytes",
            "next_lesson__picture_bytes",
            "certificate__status",
            "certificate__code",
        )
        .annotate(
            has_revision=Exists(
                TaskSubmission.objects.filter(
                    enrollment=OuterRef("pk"), status=TaskSubmission.Status.NEEDS_REVISION
                )
            )
        )
        # NULLs last: on PostgreSQL a never-opened course would otherwise come first.
        .order_by(F("last_activity_at").desc(nulls_last=True), "-enrolled_at")
    )
)


def learner_home(*, user) -> dict:
    """The learner's home: courses in progress (with next lesson), finished ones, and tasks
    sent back for revision. A fixed number of queries however many enrolments."""
    enrollments = _home_enrollments_read.instances(user.pk)
    in_progress = [e for e in enrollments if e.completed_at is None]
    finished = [e for e in enrollments if e.completed_at is not None]
    revisions = []
    if any(e.has_revision for e in enrollments):  # rare: most homes skip this query
        latest = TaskSubmission.objects.filter(
            enrollment=OuterRef("enrollment"), lesson=OuterRef("lesson")
        ).order_by("-submitted_at", "-id")
        revisions = list(
            TaskSubmission.objects.filter(
                enrollment__user=user, status=TaskSubmission.Status.NEEDS_REVISION
            )
            .annotate(latest_id=Subquery(latest.values("id")[:1]))
            .select_related("lesson", "enrollment__course")
            .order_by("-reviewed_at")
        )
        revisions = [s for s in revisions if s.latest_id == s.pk]
    return {
        "continue_with": in_progress[0] if in_progress else None,
        "in_progress": in_progress,
        "finished": finished,
        "revisions": revisions,
    }


def published_courses(*, user) -> list[Course]:
    courses = list(
        Course.objects.filter(is_published=True)
        .select_related("cover")
        .annotate(
            lesson_count=Count("modules__lessons"),
            # What reading every lesson costs, pictures included: shown before enrolling.
            text_bytes=Sum("modules__lessons__page_bytes"),
            picture_bytes=Sum("modules__lessons__picture_bytes"),
        )
    )
    enrolled = set()
    if user.is_authenticated:
        enrolled = set(Enrollment.objects.filter(user=user).values_list("course_id", flat=True))
    for course in courses:
        course.is_enrolled = course.pk in enrolled
    return courses


def review_queue(*, user) -> list[TaskSubmission]:
    """Submissions waiting for review, oldest first: those of the learners in this staff
    member's scope (mentors get their mentees' in mentoring)."""
    return list(
        TaskSubmission.objects.filter(status=TaskSubmission.Status.SUBMITTED)
        .filter(staff_scope(user, "enrollment__user"))
        .select_related("enrollment__user", "enrollment__course", "lesson")
        .defer("lesson__body", "lesson__body_html")
        # A subquery per shown row, not a GROUP BY over every waiting submission before the
        # LIMIT (bench/scale.py: 5,342 waiting, 250 → 15 ms).
        .annotate(
            photo_count=Coalesce(
                Subquery(
                    TaskPhoto.objects.filter(submission=OuterRef("pk"))
                    .order_by()
                    .values("submission")
                    .annotate(n=Count("id"))
                    .values("n")[:1]
                ),
                0,
            )
        )
        .order_by("submitted_at", "id")[:200]
    )
