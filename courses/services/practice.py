"""Practice tasks: submissions with text, a link and photos, and their review."""

import uuid

from django.db import IntegrityError, transaction
from django.utils import timezone

from courses.models import Course, Enrollment, Lesson, TaskPhoto, TaskSubmission

from .pictures import task_photo_prepare
from .progress import lesson_complete, lesson_uncomplete, task_latest

MAX_PHOTOS = 3


class AlreadyReviewed(Exception):
    pass


def task_submit(
    *,
    enrollment: Enrollment,
    lesson: Lesson,
    text: str,
    link: str,
    photos: list,
    idempotency_key: uuid.UUID,
) -> tuple[TaskSubmission, bool]:
    """Store a submission (a resubmission is a new row: the history stays)."""
    existing = TaskSubmission.objects.filter(
        enrollment=enrollment, idempotency_key=idempotency_key
    ).first()
    if existing is not None:
        return existing, False
    # Re-encode before the transaction: it is the slow part and touches no rows.
    prepared = [task_photo_prepare(upload) for upload in photos[:MAX_PHOTOS]]
    try:
        with transaction.atomic():
            submission = TaskSubmission.objects.create(
                enrollment=enrollment,
                lesson=lesson,
                idempotency_key=idempotency_key,
                text=text,
                link=link,
            )
            for content, small, width, height in prepared:
                photo = TaskPhoto(submission=submission, bytes=content.size)
                photo.image.save(content.name, content, save=False)
                photo.thumbnail.save(small.name, small, save=False)
                photo.width, photo.height = width, height
                photo.save()
            if enrollment.course.task_completion == Course.TaskCompletion.SUBMITTED:
                lesson_complete(enrollment=enrollment, lesson=lesson)
            else:
                Enrollment.objects.filter(pk=enrollment.pk).update(last_activity_at=timezone.now())
    except IntegrityError:
        return TaskSubmission.objects.get(
            enrollment=enrollment, idempotency_key=idempotency_key
        ), False
    return submission, True


def task_review(*, submission: TaskSubmission, reviewer, approve: bool, feedback: str) -> None:
    """Approve or ask for revision, once per submission (a second reviewer gets an error)."""
    status = TaskSubmission.Status.APPROVED if approve else TaskSubmission.Status.NEEDS_REVISION
    with transaction.atomic():
        changed = TaskSubmission.objects.filter(
            pk=submission.pk, status=TaskSubmission.Status.SUBMITTED
        ).update(status=status, feedback=feedback, reviewed_by=reviewer, reviewed_at=timezone.now())
        if not changed:
            raise AlreadyReviewed
        enrollment = submission.enrollment
        # Only the newest submission decides whether the lesson is done: reviewing an
        # older one (sent before a resubmission) leaves progress alone.
        latest = task_latest(enrollment=enrollment, lesson=submission.lesson)
        is_latest = latest is not None and latest.pk == submission.pk
        if is_latest and enrollment.course.task_completion == Course.TaskCompletion.APPROVED:
            if approve:
                lesson_complete(enrollment=enrollment, lesson=submission.lesson)
            else:
                lesson_uncomplete(enrollment=enrollment, lesson=submission.lesson)
    submission.refresh_from_db()
