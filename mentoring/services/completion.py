"""A cohort rule that takes part in course completion: a minimum number of mentoring
sessions the learner confirmed (registered in settings.COURSE_COMPLETION_REQUIREMENTS)."""

from cohorts.selectors import learner_cohorts_teaching
from cohorts.services.completion import completion_recount
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
    if pairing.cohort.min_confirmed_sessions is None:
        return
    completion_recount(cohort=pairing.cohort, user_ids=[pairing.learner_id])
