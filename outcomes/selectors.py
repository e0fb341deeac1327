"""Reads for the survey pages: which surveys a learner is asked now, the version a cohort
uses, and owner-checked getters (404 for "missing" and "not yours" alike)."""

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q
from django.http import Http404
from django.utils import timezone

from cohorts.models import Cohort, Membership

from . import windows
from .models import Evidence, Partner, Response, Survey, Wave


def survey_for_cohort(cohort: Cohort) -> Survey | None:
    """The newest version given to the cohort, else the default version."""
    own = Survey.objects.filter(cohorts=cohort).order_by("-version").first()
    return own or Survey.objects.filter(is_default=True).first()


def finished_cohort_lessons(
    *, user_id: int, cohort_ids: list[int], enrollments: list | None = None
) -> set[int]:
    """The cohorts (of cohort_ids) in which the learner has done every required lesson of
    every course. One query; given the learner's enrolments (the home page has them), one
    light query, or none while no course is finished."""
    if enrollments is not None:
        done = {e.course_id for e in enrollments if e.progress_percent == 100}
        if not done:
            return set()
        needed: dict[int, set[int]] = {}
        for cohort_id, course_id in Cohort.courses.through.objects.filter(
            cohort_id__in=cohort_ids
        ).values_list("cohort_id", "course_id"):
            needed.setdefault(cohort_id, set()).add(course_id)
        return {pk for pk, courses in needed.items() if courses <= done}
    rows = (
        Cohort.objects.filter(pk__in=cohort_ids)
        .annotate(
            course_count=Count("courses", distinct=True),
            done=Count(
                "courses__enrollments",
                filter=Q(
                    courses__enrollments__user_id=user_id,
                    courses__enrollments__progress_percent=100,
                ),
                distinct=True,
            ),
        )
        .values_list("pk", "course_count", "done")
    )
    return {pk for pk, count, done in rows if count and done >= count}


@dataclass
class AskedSurvey:
    cohort: Cohort
    wave: str
    response: Response | None

    @property
    def label(self):
        return Wave(self.wave).label

    @property
    def can_skip(self) -> bool:
        return self.wave == Wave.BASELINE and (
            self.response is None or self.response.skipped_at is None
        )


def learner_memberships(user):
    return Membership.objects.filter(
        user=user, role=Membership.Role.LEARNER, left_at__isnull=True
    ).select_related("cohort")


def surveys_for_learner(
    *, user, today=None, memberships=None, enrollments=None
) -> list[AskedSurvey]:
    """Open waves of the learner's cohorts, with the response so far (None, draft, skipped or
    sent). Three queries whatever the number of cohorts; fewer when the caller passes the
    person's current memberships (with their cohorts) and enrolments."""
    today = today or timezone.localdate()
    if memberships is None:
        memberships = learner_memberships(user)
    cohorts = [
        m.cohort
        for m in memberships
        if m.role == Membership.Role.LEARNER
        and m.left_at is None
        and m.cohort.status != Cohort.Status.DRAFT
    ]
    if not cohorts:
        return []
    finished = finished_cohort_lessons(
        user_id=user.pk, cohort_ids=[c.pk for c in cohorts], enrollments=enrollments
    )
    responses = {
        (r.cohort_id, r.wave): r
        for r in Response.objects.filter(user=user, cohort__in=cohorts).defer("answers")
    }
    asked = []
    for cohort in cohorts:
        for wave in Wave.values:
            if windows.is_open(cohort, wave, today=today, finished_lessons=cohort.pk in finished):
                asked.append(AskedSurvey(cohort, wave, responses.get((cohort.pk, wave))))
    return asked


def pending_surveys(asked: list[AskedSurvey]) -> list[AskedSurvey]:
    return [
        a for a in asked if a.response is None or a.response.status != Response.Status.SUBMITTED
    ]


def asked_survey(*, user, cohort_id: int, wave: str, today=None) -> AskedSurvey:
    """The wave the learner may fill now in that cohort; 404 when not a member, not open."""
    if wave not in Wave.values:
        raise Http404
    for asked in surveys_for_learner(user=user, today=today):
        if asked.cohort.pk == cohort_id and asked.wave == wave:
            return asked
    raise Http404


def evidence_for_user(*, user, evidence_id: int) -> Evidence:
    """The learner's own evidence, or any in a cohort the staff member owns."""
    evidence = Evidence.objects.select_related("response__cohort").filter(pk=evidence_id).first()
    if evidence is None:
        raise Http404
    if evidence.response.user_id == user.pk:
        return evidence
    cohort = evidence.response.cohort
    if user.is_staff and (user.is_superuser or cohort.owner_id == user.pk):
        return evidence
    raise Http404


def is_partner(user) -> bool:
    return user.is_authenticated and Partner.objects.filter(members=user).exists()


def report_cohorts(user):
    """The cohorts whose aggregates this person may read: their own (staff), all
    (superuser) or those shared with their organisation (partner)."""
    if not user.is_authenticated:
        return Cohort.objects.none()
    if user.is_superuser:
        return Cohort.objects.all()
    if user.is_staff:
        return Cohort.objects.filter(owner=user)
    return Cohort.objects.filter(partners__members=user).distinct()


def baseline_gate_cohort(*, user, course) -> Cohort | None:
    """A running cohort teaching this course whose baseline the learner has not opened at
    all (no draft, no skip, nothing sent). Asked once, before the first lesson."""
    today = timezone.localdate()
    return (
        Cohort.objects.filter(
            courses=course,
            status=Cohort.Status.RUNNING,
            end_date__gte=today,
            memberships__user=user,
            memberships__role=Membership.Role.LEARNER,
            memberships__left_at__isnull=True,
        )
        .exclude(
            Exists(Response.objects.filter(cohort=OuterRef("pk"), user=user, wave=Wave.BASELINE))
        )
        .first()
    )
