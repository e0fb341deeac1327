"""Reads for mentoring pages, and the getters that keep a mentor to their own mentees."""

from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Count, Exists, F, Max, OuterRef, Q, Subquery
from django.http import Http404
from django.utils import timezone

from cohorts.models import Cohort, Membership
from courses.models import Enrollment, TaskSubmission
from ukmlearn.precompiled import Precompiled

from .models import ActionItem, MentoringSession, Pairing


def mentor_visible_to(user, *, prefix: str) -> Q:
    """Pairings a user may act on: their own as mentor; as staff, those of cohorts they own
    (superusers: all)."""
    if user.is_superuser:
        return Q()
    condition = Q(**{f"{prefix}mentor": user})
    if user.is_staff:
        condition |= Q(**{f"{prefix}cohort__owner": user})
    return condition


def pairing_for_mentor(*, user, pairing_id: int) -> Pairing:
    """An active pairing of this mentor (staff: any). 404 for everything else."""
    qs = Pairing.objects.select_related("learner", "mentor", "cohort").filter(
        pk=pairing_id, status=Pairing.Status.ACTIVE
    )
    qs = qs.filter(mentor_visible_to(user, prefix=""))
    pairing = qs.first()
    if pairing is None:
        raise Http404
    return pairing


def session_for_learner(*, user, session_id: int) -> MentoringSession:
    session = (
        MentoringSession.objects.select_related("pairing__mentor")
        .filter(pk=session_id, pairing__learner=user)
        .first()
    )
    if session is None:
        raise Http404
    return session


def action_item_for_learner(*, user, item_id: int) -> ActionItem:
    item = ActionItem.objects.filter(pk=item_id, session__pairing__learner=user).first()
    if item is None:
        raise Http404
    return item


def _mentees_query(mentor_id):
    enrollments = Enrollment.objects.filter(
        user_id=OuterRef("learner_id"), course__cohorts=OuterRef("cohort_id")
    ).values("user_id")
    # A task of this pairing's cohort courses: the ones in the mentor's review queue.
    waiting = TaskSubmission.objects.filter(
        enrollment__user_id=OuterRef("learner_id"),
        enrollment__course__cohorts=OuterRef("cohort_id"),
        status=TaskSubmission.Status.SUBMITTED,
    )
    return (
        Pairing.objects.filter(mentor_id=mentor_id, status=Pairing.Status.ACTIVE)
        # The list shows the learner's name only: not the other columns of two tables.
        .select_related("learner")
        .only("id", "learner_id", "cohort_id", "started_at", "learner__name")
        .annotate(
            progress=Subquery(enrollments.annotate(a=Avg("progress_percent")).values("a")[:1]),
            last_activity=Subquery(enrollments.annotate(m=Max("last_activity_at")).values("m")[:1]),
            last_session=Max("sessions__held_at"),
            open_items=Count(
                "sessions__action_items",
                filter=Q(sessions__action_items__done_at__isnull=True),
                distinct=True,
            ),
            task_waiting=Exists(waiting),
        )
        .order_by("learner__name", "pk")
    )


# The mentor home's reads are compiled once (ukmlearn.precompiled).
_mentees_read = Precompiled(_mentees_query)


def mentees(*, mentor) -> list[Pairing]:
    """The mentor's active pairings with progress, activity, last session, open action items
    and flags, in one query."""
    now = timezone.now()
    rows = _mentees_read.instances(mentor.pk)
    for row in rows:
        # Rounded as the template's floatformat:0 would, once here rather than twice a row.
        row.progress_percent = int(
            Decimal(str(row.progress or 0)).quantize(Decimal(1), rounding=ROUND_HALF_UP)
        )
        row.flags = []
        if row.last_activity is None or row.last_activity < now - timedelta(days=7):
            row.flags.append("inactive")
        last_contact = row.last_session or row.started_at
        if last_contact is None or last_contact < now - timedelta(days=14):
            row.flags.append("no_session")
        if row.task_waiting:
            row.flags.append("task_waiting")
    return rows


def mentee_submissions(*, mentor):
    """Practice-task submissions a mentor may see: those of learners they actively mentor,
    in the courses of the cohort they mentor them in."""
    pairing = Pairing.objects.filter(
        mentor=mentor,
        status=Pairing.Status.ACTIVE,
        learner_id=OuterRef("enrollment__user_id"),
        cohort__courses=OuterRef("enrollment__course_id"),
    )
    return TaskSubmission.objects.filter(Exists(pairing))


_review_count_read = Precompiled(
    lambda mentor_id: (
        mentee_submissions(mentor=mentor_id)
        .filter(status=TaskSubmission.Status.SUBMITTED)
        # One row (or none) holding the COUNT: a QuerySet, where .count() would run at once.
        .order_by()
        .values("status")
        .annotate(n=Count("id"))
        .values_list("n")
    )
)


def mentor_review_queue(*, mentor) -> list[TaskSubmission]:
    """Practice tasks of the mentor's own mentees waiting for review, oldest first."""
    return list(
        mentee_submissions(mentor=mentor)
        .filter(status=TaskSubmission.Status.SUBMITTED)
        .select_related("enrollment__user", "enrollment__course", "lesson")
        .order_by("submitted_at", "id")[:200]
    )


def mentor_review_count(*, mentor) -> int:
    """How many of the mentees' practice tasks wait for review (one COUNT)."""
    counted = _review_count_read.rows(mentor.pk)
    return counted[0][0] if counted else 0


def mentor_may_view_submission(*, user, submission: TaskSubmission) -> bool:
    """SUBMISSION_VIEWER_CHECKS entry: a mentor sees the submissions (and photos) of the
    learners they actively mentor."""
    return (
        user.is_authenticated
        and user.is_mentor
        and mentee_submissions(mentor=user).filter(pk=submission.pk).exists()
    )


def submission_for_mentor(*, mentor, submission_id: int) -> TaskSubmission:
    submission = (
        mentee_submissions(mentor=mentor)
        .select_related("enrollment__user", "lesson", "enrollment__course")
        .prefetch_related("photos")
        .filter(pk=submission_id)
        .first()
    )
    if submission is None:
        raise Http404
    return submission


def learner_mentoring(*, learner) -> dict:
    pairings = list(
        Pairing.objects.filter(learner=learner, status=Pairing.Status.ACTIVE).select_related(
            "mentor", "cohort"
        )
    )
    sessions = list(
        MentoringSession.objects.filter(pairing__learner=learner)
        .select_related("pairing__mentor")
        .prefetch_related("action_items")
        .defer("private_notes")[:20]
    )
    return {"pairings": pairings, "sessions": sessions}


def cohort_overview(*, cohort: Cohort) -> dict:
    """Staff overview: pairs, sessions per pair, load vs capacity, ratings."""
    pairs = list(
        Pairing.objects.filter(cohort=cohort, status=Pairing.Status.ACTIVE)
        .select_related("mentor", "learner")
        .annotate(session_count=Count("sessions"), last_session=Max("sessions__held_at"))
        .order_by("mentor__name", "learner__name")
    )
    mentor_ids = Membership.objects.filter(
        cohort=cohort, role=Membership.Role.MENTOR, left_at__isnull=True
    ).values("user_id")
    from .models import MentorProfile

    mentors = list(
        MentorProfile.objects.filter(user_id__in=mentor_ids)
        .select_related("user")
        .annotate(
            load=Count(
                "user__mentor_pairings",
                filter=Q(user__mentor_pairings__status=Pairing.Status.ACTIVE),
                distinct=True,
            ),
            avg_rating=Avg("user__mentor_pairings__sessions__rating"),
            sessions_here=Count(
                "user__mentor_pairings__sessions",
                filter=Q(user__mentor_pairings__cohort=cohort),
                distinct=True,
            ),
        )
        .order_by("user__name")
    )
    for mentor in mentors:
        mentor.needs_follow_up = mentor.load > mentor.capacity or (
            mentor.load > 0 and mentor.sessions_here == 0
        )
    return {
        "pairs": pairs,
        "without_session": [p for p in pairs if p.session_count == 0],
        "mentors": mentors,
        "proposals": Pairing.objects.filter(cohort=cohort, status=Pairing.Status.PROPOSED)
        .select_related("mentor", "learner")
        .order_by(F("score").desc(), "learner__name"),
    }
