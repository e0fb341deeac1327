"""Reads for the staff's cohort pages: getters that enforce ownership, the funnel, the
at-risk list and the learner table. Counts are aggregate SQL, never a query per learner."""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Avg, Count, Exists, Max, Min, OuterRef, Q, Subquery
from django.http import Http404
from django.utils import timezone

from courses.models import Enrollment, TaskSubmission
from ukmlearn.precompiled import Precompiled

from .models import Attendance, Cohort, LiveSession, Membership


def staff_learner_scope(*, user, path: str) -> Q:
    """Which learners' own records (course work, attempts, certificates) a staff member may
    open, as a filter on the user id at `path` (e.g. "enrollment__user"): learners who are,
    or were, in a cohort this staff member owns, and learners in no cohort at all (public
    courses, reviewed by any staff). The superuser sees everyone. Named in
    settings.STAFF_LEARNER_SCOPE, so the courses app never imports cohorts."""
    if user.is_superuser:
        # Not Q(): `Q(...) | Q()` would drop the empty side and keep only the other one.
        return Q(**{f"{path}__isnull": False})
    learner_of = Membership.objects.filter(user_id=OuterRef(path), role=Membership.Role.LEARNER)
    return Q(Exists(learner_of.filter(cohort__owner=user))) | ~Q(Exists(learner_of))


def cohorts_for_staff(*, user):
    qs = Cohort.objects.select_related("owner").annotate(
        learner_count=Count(
            "memberships",
            filter=Q(memberships__role=Membership.Role.LEARNER, memberships__left_at__isnull=True),
        )
    )
    if not user.is_superuser:
        qs = qs.filter(owner=user)
    return qs


def cohort_for_staff(*, user, cohort_id: int) -> Cohort:
    """The cohort if this staff member owns it (or is a superuser); 404 otherwise."""
    if not (user.is_authenticated and user.is_staff):
        raise Http404
    qs = Cohort.objects.select_related("owner")
    if not user.is_superuser:
        qs = qs.filter(owner=user)
    cohort = qs.filter(pk=cohort_id).first()
    if cohort is None:
        raise Http404
    return cohort


def session_in_cohort(*, cohort: Cohort, session_id: int) -> LiveSession:
    session = LiveSession.objects.filter(cohort=cohort, pk=session_id).first()
    if session is None:
        raise Http404
    return session


def learner_cohorts_teaching(*, enrollment: Enrollment, **filters):
    """The cohorts in which this enrolment's learner is an active learner and that teach its
    course: the cohorts whose completion rules apply to it."""
    return Cohort.objects.filter(
        courses=enrollment.course_id,
        memberships__user_id=enrollment.user_id,
        memberships__role=Membership.Role.LEARNER,
        memberships__left_at__isnull=True,
        **filters,
    )


def active_learner_ids(cohort: Cohort):
    return Membership.objects.filter(
        cohort=cohort, role=Membership.Role.LEARNER, left_at__isnull=True
    ).values("user_id")


def cohort_enrollments(cohort: Cohort):
    return Enrollment.objects.filter(
        user_id__in=active_learner_ids(cohort), course__in=cohort.courses.all()
    )


@dataclass
class FunnelStep:
    key: str
    count: int
    percent: int


def cohort_funnel(*, cohort: Cohort) -> list[FunnelStep]:
    """Enrolled → started → halfway → completed → certified, one aggregate query.

    Counted per learner: a learner is "completed" when every cohort course is complete.
    """
    course_count = cohort.courses.count() or 1
    per_learner = (
        cohort_enrollments(cohort)
        .values("user_id")
        .annotate(
            last_active=Max("last_activity_at"),
            lowest=Min("progress_percent"),
            courses_done=Count("id", filter=Q(completed_at__isnull=False)),
            courses_certified=Count("id", filter=Q(certificate__status="issued")),
        )
    )
    # Summed in SQL over the per-learner groups (a subquery): one row comes back.
    totals = per_learner.aggregate(
        enrolled=Count("user_id"),
        started=Count("user_id", filter=Q(last_active__isnull=False)),
        halfway=Count("user_id", filter=Q(lowest__gte=50)),
        completed=Count("user_id", filter=Q(courses_done__gte=course_count)),
        certified=Count("user_id", filter=Q(courses_certified__gte=course_count)),
    )
    enrolled = totals["enrolled"] or 1
    return [
        FunnelStep(key, totals[key], round(100 * totals[key] / enrolled))
        for key in ("enrolled", "started", "halfway", "completed", "certified")
    ]


LEARNER_SORTS = {
    "progress": "progress",
    "-progress": "-progress",
    "activity": "last_activity",
    "-activity": "-last_activity",
    "name": "user__name",
}


def learner_table(*, cohort: Cohort, sort: str = "name"):
    """Memberships annotated with average progress and last activity over the cohort's
    courses; a queryset, so the view paginates it (cohorts of 10,000 learners)."""
    course_ids = list(cohort.courses.values_list("pk", flat=True))
    enrollments = Enrollment.objects.filter(
        user_id=OuterRef("user_id"), course_id__in=course_ids
    ).values("user_id")
    progress = enrollments.annotate(avg=Avg("progress_percent")).values("avg")
    activity = enrollments.annotate(last=Max("last_activity_at")).values("last")
    order = LEARNER_SORTS.get(sort, "user__name")
    return (
        Membership.objects.filter(cohort=cohort, role=Membership.Role.LEARNER, left_at__isnull=True)
        .select_related("user")
        .annotate(progress=Subquery(progress[:1]), last_activity=Subquery(activity[:1]))
        .order_by(order, "user__name", "pk")
    )


@dataclass
class AtRisk:
    user: object
    reasons: list[str]
    progress: int
    last_activity: object


def at_risk(*, cohort: Cohort, limit: int = 200) -> list[AtRisk]:
    """Learners who need a nudge, each with the reasons. A fixed number of queries."""
    from django.utils.translation import gettext

    now = timezone.now()
    inactive_since = now - timedelta(days=cohort.inactive_days)
    total_days = max((cohort.end_date - cohort.start_date).days, 1)
    elapsed_days = min(max((timezone.localdate() - cohort.start_date).days, 0), total_days)
    expected = round(100 * elapsed_days / total_days)
    rows = learner_table(cohort=cohort)
    past_sessions = list(
        LiveSession.objects.filter(cohort=cohort, ends_at__lt=now)
        .order_by("-starts_at")
        .values_list("pk", flat=True)[:2]
    )
    attended = set()
    if len(past_sessions) == 2:
        attended = set(
            Attendance.objects.filter(session_id__in=past_sessions).values_list(
                "user_id", "session_id"
            )
        )
    latest_status = TaskSubmission.objects.filter(
        enrollment__user_id=OuterRef("user_id"),
        enrollment__course__in=cohort.courses.all(),
    ).order_by("-submitted_at", "-id")
    sent_back = TaskSubmission.objects.filter(
        status=TaskSubmission.Status.NEEDS_REVISION,
        enrollment__course__in=cohort.courses.all(),
    ).values("enrollment__user_id")
    revision_users = set(
        Membership.objects.filter(
            cohort=cohort, role=Membership.Role.LEARNER, user_id__in=sent_back
        )
        .annotate(latest=Subquery(latest_status.values("status")[:1]))
        .filter(latest=TaskSubmission.Status.NEEDS_REVISION)
        .values_list("user_id", flat=True)
    )
    result = []
    for member in rows.iterator(chunk_size=max(100, 2 * limit)):
        reasons = []
        progress = member.progress or 0
        last = member.last_activity
        if (last is None and member.joined_at < inactive_since) or (
            last is not None and last < inactive_since
        ):
            reasons.append(
                gettext("no activity for {days}+ days").format(days=cohort.inactive_days)
            )
        if expected - progress >= 25:
            reasons.append(
                gettext("behind schedule ({progress}% of an expected {expected}%)").format(
                    progress=progress, expected=expected
                )
            )
        if len(past_sessions) == 2 and not any(
            (member.user_id, session_id) in attended for session_id in past_sessions
        ):
            reasons.append(gettext("missed the last two sessions"))
        if member.user_id in revision_users:
            reasons.append(gettext("a practice task waits for revision"))
        if reasons:
            result.append(AtRisk(member.user, reasons, progress, last))
            if len(result) >= limit:
                break
    return result


def attendance_percent(*, cohort: Cohort, user_id: int) -> int | None:
    """Share of the cohort's past sessions this learner attended (catch-up lessons count
    when the session allows it). None when no session has ended yet."""
    from courses.models import LessonProgress

    now = timezone.now()
    sessions = list(LiveSession.objects.filter(cohort=cohort, ends_at__lt=now))
    if not sessions:
        return None
    attended = set(
        Attendance.objects.filter(session__in=sessions, user_id=user_id).values_list(
            "session_id", flat=True
        )
    )
    catch_up = {
        s.catch_up_lesson_id: s.pk for s in sessions if s.catch_up_counts and s.catch_up_lesson_id
    }
    if catch_up:
        done = LessonProgress.objects.filter(
            enrollment__user_id=user_id, lesson_id__in=catch_up, completed_at__isnull=False
        ).values_list("lesson_id", flat=True)
        attended |= {catch_up[lesson_id] for lesson_id in done}
    return round(100 * len(attended) / len(sessions))


_current_memberships_read = Precompiled(
    lambda user_id: (
        Membership.objects.filter(user_id=user_id, left_at__isnull=True)
        .select_related("cohort")
        .order_by("pk")
    )
)


def current_memberships(*, user) -> list[Membership]:
    """The person's memberships they have not left, with their cohorts (one query, compiled
    once; the learner home shares it between the sessions and the surveys)."""
    return _current_memberships_read.instances(user.pk)


def upcoming_sessions_for_learner(
    *, user, limit: int = 3, memberships: list[Membership] | None = None
) -> list[LiveSession]:
    """The next sessions of the learner's cohorts, for the home page."""
    if memberships is None:
        memberships = current_memberships(user=user)
    if not memberships:
        return []
    cohorts = {m.cohort_id: m.cohort for m in memberships}
    sessions = list(
        LiveSession.objects.filter(cohort_id__in=cohorts, ends_at__gte=timezone.now())
        # What the home page shows; the cohort (its zone) is the membership's, read already.
        .only("cohort_id", "title", "starts_at", "ends_at", "venue", "meeting_url")
        .order_by("starts_at")[:limit]
    )
    for session in sessions:
        session.cohort = cohorts[session.cohort_id]
    return sessions
