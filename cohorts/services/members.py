"""Cohort membership: adding learners and mentors, and enrolling learners in the courses."""

from django.db import transaction
from django.utils import timezone

from cohorts.models import Cohort, Membership
from courses.models import Enrollment
from courses.services.progress import enrollments_create_bulk


def cohort_members_add(*, cohort: Cohort, user_ids: list[int], role: str) -> int:
    """Add people to a cohort (people who had left rejoin). Learners are enrolled in every
    course of the cohort through the courses app's enrolment service. Returns how many
    memberships are new."""
    user_ids = list(dict.fromkeys(user_ids))
    with transaction.atomic():
        existing = set(
            Membership.objects.filter(cohort=cohort, user_id__in=user_ids).values_list(
                "user_id", flat=True
            )
        )
        Membership.objects.filter(
            cohort=cohort, user_id__in=existing, left_at__isnull=False
        ).update(left_at=None, role=role)
        Membership.objects.bulk_create(
            [
                Membership(cohort=cohort, user_id=user_id, role=role)
                for user_id in user_ids
                if user_id not in existing
            ],
            ignore_conflicts=True,
            batch_size=1000,
        )
        if role == Membership.Role.LEARNER:
            for course in cohort.courses.all():
                enrollments_create_bulk(
                    user_ids=user_ids, course=course, source=Enrollment.Source.COHORT
                )
    return len(set(user_ids) - existing)


def cohort_member_leave(*, cohort: Cohort, user_id: int) -> None:
    """The person left: history stays, lists and reminders skip them."""
    Membership.objects.filter(cohort=cohort, user_id=user_id, left_at__isnull=True).update(
        left_at=timezone.now()
    )


def cohort_courses_changed(*, cohort: Cohort) -> None:
    """After courses are added to a cohort, enrol its current learners in them too."""
    learner_ids = list(
        Membership.objects.filter(
            cohort=cohort, role=Membership.Role.LEARNER, left_at__isnull=True
        ).values_list("user_id", flat=True)
    )
    for course in cohort.courses.all():
        enrollments_create_bulk(
            user_ids=learner_ids, course=course, source=Enrollment.Source.COHORT
        )
