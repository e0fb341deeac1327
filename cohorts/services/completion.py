"""Cohort rules that take part in course completion (registered in settings)."""

from django.db import transaction

from cohorts.models import Cohort, LiveSession
from cohorts.selectors import attendance_percent, learner_cohorts_teaching
from courses.models import Enrollment


def attendance_requirement_met(*, enrollment: Enrollment) -> bool:
    """False while the learner is below the minimum attendance of a cohort that teaches this
    course. Cohorts without a minimum, or without any past session yet, never block."""
    cohorts = learner_cohorts_teaching(enrollment=enrollment, min_attendance_percent__isnull=False)
    for cohort in cohorts:
        percent = attendance_percent(cohort=cohort, user_id=enrollment.user_id)
        if percent is not None and percent < cohort.min_attendance_percent:
            return False
    return True


def completion_recount(*, cohort: Cohort, user_ids) -> None:
    """After the transaction commits, recount completion of these learners' unfinished
    enrolments in the cohort's courses: a completion rule of the cohort changed for them
    (attendance, confirmed mentoring sessions, the endline survey)."""
    from courses.services.progress import enrollment_recompute

    enrollment_ids = list(
        Enrollment.objects.filter(
            user_id__in=user_ids,
            course__in=cohort.courses.all(),
            completed_at__isnull=True,
            # Only enrolments with every required lesson done can complete.
            progress_percent=100,
        ).values_list("pk", flat=True)
    )

    def recount():
        for enrollment_id in enrollment_ids:
            enrollment_recompute(enrollment_id=enrollment_id)

    transaction.on_commit(recount)


def attendance_changed(*, session: LiveSession, user_ids: set[int]) -> None:
    """Attendance can complete a course (minimum attendance): recount after it changes."""
    if session.cohort.min_attendance_percent is None:
        return
    completion_recount(cohort=session.cohort, user_ids=user_ids)
