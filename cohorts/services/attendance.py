"""Attendance at live sessions: learner check-in with the session code (typed or from the QR
at the venue) and staff marking from a list."""

import hmac
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from cohorts.models import Attendance, LiveSession, Membership
from cohorts.selectors import active_learner_ids
from cohorts.services.completion import attendance_changed

# People arrive early at a venue; the code is accepted from 30 minutes before the start.
CHECKIN_OPENS_BEFORE = timedelta(minutes=30)


class CheckInRefused(Exception):
    """str(exc) is the message for the learner."""


def attendance_check_in(
    *, session: LiveSession, user, code: str, method: str = Attendance.Method.CODE
) -> tuple[Attendance, bool]:
    """Record the learner's attendance. Checking in twice counts once (created=False)."""
    is_member = Membership.objects.filter(
        cohort_id=session.cohort_id, user=user, role=Membership.Role.LEARNER, left_at__isnull=True
    ).exists()
    if not is_member:
        raise CheckInRefused(gettext("You are not a learner in this cohort."))
    existing = Attendance.objects.filter(session=session, user=user).first()
    if existing is not None:
        return existing, False
    now = timezone.now()
    if now < session.starts_at - CHECKIN_OPENS_BEFORE:
        raise CheckInRefused(gettext("Check-in opens 30 minutes before the session starts."))
    if now > session.ends_at:
        raise CheckInRefused(gettext("This session has ended; check-in is closed."))
    if not hmac.compare_digest((code or "").strip(), session.checkin_code):
        raise CheckInRefused(gettext("The code is not right. Check the code shown in the session."))
    try:
        with transaction.atomic():
            record = Attendance.objects.create(session=session, user=user, method=method)
            attendance_changed(session=session, user_ids={user.pk})
            return record, True
    except IntegrityError:
        # A double tap raced the first one in: it counts once.
        return Attendance.objects.get(session=session, user=user), False


def attendance_mark(
    *, session: LiveSession, present_ids: set[int], recorded_by, shown_ids: set[int] | None = None
) -> None:
    """Staff set who was there among the learners shown to them (default: every current
    learner): ticked ones are added, unticked shown ones removed. Nobody else changes: not
    people on another page, not a check-in made meanwhile, not the history of people who
    have left the cohort."""
    learner_ids = set(active_learner_ids(session.cohort).values_list("user_id", flat=True))
    shown = learner_ids if shown_ids is None else shown_ids & learner_ids
    present_ids = present_ids & shown
    with transaction.atomic():
        removed = set(
            Attendance.objects.filter(session=session, user_id__in=shown - present_ids).values_list(
                "user_id", flat=True
            )
        )
        Attendance.objects.filter(session=session, user_id__in=removed).delete()
        before = set(
            Attendance.objects.filter(session=session, user_id__in=present_ids).values_list(
                "user_id", flat=True
            )
        )
        Attendance.objects.bulk_create(
            [
                Attendance(
                    session=session,
                    user_id=user_id,
                    method=Attendance.Method.STAFF,
                    recorded_by=recorded_by,
                )
                for user_id in present_ids - before
            ],
            ignore_conflicts=True,
        )
        attendance_changed(session=session, user_ids=removed | (present_ids - before))
