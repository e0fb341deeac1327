"""A cohort rule that takes part in course completion: a minimum number of mentoring
sessions the learner confirmed (registered in settings.COURSE_COMPLETION_REQUIREMENTS)."""

from django.db import transaction

from cohorts.selectors import learner_cohorts_teaching
from courses.models import Enrollment
from mentoring.models import MentoringSession, Pairing


def confirmed_sessions_requirement_met(*, enrollment: Enrollment) -> bool:
    cohorts = learner_cohorts_teaching(enrollment=enrollment, min_confirmed_sessions__isnull=False)
    for cohort in cohorts:
        confirmed = MentoringSession.objects.filter(
            pairing__cohort=cohort,
            pairing__learner_id=enrollment.user_id,
            learner_confirmed_at__isnull=False,
        ).count()
        if confirmed < cohort.min_confirmed_sessions:
            return False
    return True


def confirmed_sessions_changed(*, pairing: Pairing) -> None:
    from courses.services.progress import enrollment_recompute

    cohort = pairing.cohort
    if cohort.min_confirmed_sessions is None:
        return
    enrollment_ids = list(
        Enrollment.objects.filter(
            user_id=pairing.learner_id,
            course__in=cohort.courses.all(),
            completed_at__isnull=True,
        ).values_list("pk", flat=True)
    )
    transaction.on_commit(lambda: [enrollment_recompute(enrollment_id=pk) for pk in enrollment_ids])
