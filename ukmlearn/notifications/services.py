"""Reminders: rules that find who needs one (batched queries), the outbox they are written
to, and the delivery that respects time zones, quiet hours and preferences."""

import logging
import random
import zoneinfo
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import connection, transaction
from django.db.models import F, Max, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext

from cohorts.models import Cohort, LiveSession, Membership
from courses.models import Enrollment, TaskSubmission
from ukmlearn import gateway
from ukmlearn.users.models import Consent, User

from .models import Channel, Kind, Notification, NotificationPreference, Reminder, ReminderRule

logger = logging.getLogger(__name__)

DEFAULTS = {
    Kind.INACTIVE: {"threshold_days": 5, "channels": ["in_app", "whatsapp"]},
    Kind.SESSION_TOMORROW: {"threshold_days": 0, "channels": ["in_app", "whatsapp"]},
    Kind.SESSION_SOON: {"threshold_days": 0, "channels": ["in_app", "whatsapp"]},
    Kind.MENTORING_LOG_OVERDUE: {"threshold_days": 2, "channels": ["in_app", "whatsapp"]},
    Kind.ACTION_ITEM_DUE: {"threshold_days": 1, "channels": ["in_app", "whatsapp"]},
    Kind.TASK_REVIEW_WAITING: {"threshold_days": 2, "channels": ["in_app", "email"]},
    Kind.SURVEY_MISSING: {"threshold_days": 2, "channels": ["in_app", "whatsapp"]},
    Kind.CERTIFICATE_READY: {"threshold_days": 0, "channels": ["in_app", "whatsapp", "email"]},
}
MAX_ATTEMPTS = 5
BATCH = 1000


@dataclass
class Due:
    user_id: int
    kind: str
    subject: str
    period: str
    cohort_id: int | None
    text_args: dict
    link: str


def rule_settings(cohort_id: int | None, kind: str, rules: dict) -> tuple[bool, int, list]:
    rule = rules.get((cohort_id, kind))
    default = DEFAULTS.get(kind, {"threshold_days": 0, "channels": ["in_app"]})
    if rule is None:
        return True, default["threshold_days"], default["channels"]
    return rule.enabled, rule.threshold_days, rule.channels or default["channels"]


def _running_cohorts():
    return Cohort.objects.filter(status=Cohort.Status.RUNNING)


# --- Rules ------------------------------------------------------------------------------


def find_inactive(now, rules) -> list[Due]:
    """Learners of running cohorts idle for N days on a course they have not finished."""
    due = []
    for cohort in _running_cohorts().prefetch_related("courses"):
        enabled, days, _ = rule_settings(cohort.pk, Kind.INACTIVE, rules)
        if not enabled or days == 0:
            continue
        cutoff = now - timedelta(days=days)
        members = Membership.objects.filter(
            cohort=cohort, role=Membership.Role.LEARNER, left_at__isnull=True
        ).values("user_id")
        idle = (
            Enrollment.objects.filter(
                user_id__in=members, course__in=cohort.courses.all(), completed_at__isnull=True
            )
            .filter(
                Q(last_activity_at__lt=cutoff)
                | Q(last_activity_at__isnull=True, enrolled_at__lt=cutoff)
            )
            .values_list(
                "user_id",
                "course_id",
                "course__slug",
                "course__title",
                "last_activity_at",
                "enrolled_at",
            )
        )
        for user_id, course_id, slug, title, last, enrolled in idle.iterator(chunk_size=BATCH):
            # One reminder per N idle days, counted from the learner's own last activity:
            # idle 5-9 days is one period, 10-14 the next (with N = 5).
            since = last or enrolled
            period = f"{since:%Y%m%d}+{(now - since).days // days}"
            due.append(
                Due(
                    user_id,
                    Kind.INACTIVE,
                    f"course:{course_id}",
                    period,
                    cohort.pk,
                    {"course": title},
                    reverse("courses:continue", args=[slug]),
                )
            )
    return due


def find_sessions(now, rules) -> list[Due]:
    due = []
    windows = [
        (Kind.SESSION_TOMORROW, now + timedelta(hours=23), now + timedelta(hours=25)),
        (Kind.SESSION_SOON, now, now + timedelta(hours=1)),
    ]
    for kind, start, end in windows:
        sessions = LiveSession.objects.filter(
            starts_at__gte=start, starts_at__lt=end, cohort__status=Cohort.Status.RUNNING
        ).select_related("cohort")
        for session in sessions:
            enabled, _, _ = rule_settings(session.cohort_id, kind, rules)
            if not enabled:
                continue
            members = Membership.objects.filter(
                cohort_id=session.cohort_id, left_at__isnull=True
            ).values_list("user_id", flat=True)
            for user_id in members:
                due.append(
                    Due(
                        user_id,
                        kind,
                        f"session:{session.pk}",
                        "once",
                        session.cohort_id,
                        {"title": session.title, "starts_at": session.starts_at},
                        reverse("cohorts:session_checkin", args=[session.pk]),
                    )
                )
    return due


def find_mentoring(now, rules) -> list[Due]:
    """Mentors with no log 2 days after a planned date; learners with an action item due
    tomorrow; mentors with a mentee's task waiting for review for 2 days."""
    from mentoring.models import ActionItem, Pairing

    due = []
    today = timezone.localdate(now)
    pairings = (
        Pairing.objects.filter(status=Pairing.Status.ACTIVE, cohort__status=Cohort.Status.RUNNING)
        .annotate(planned=Max("sessions__next_planned_at"), last=Max("sessions__held_at"))
        .filter(planned__isnull=False)
        .values_list("pk", "mentor_id", "cohort_id", "planned", "last", "learner__name")
    )
    for pk, mentor_id, cohort_id, planned, last, learner_name in pairings.iterator():
        enabled, days, _ = rule_settings(cohort_id, Kind.MENTORING_LOG_OVERDUE, rules)
        if not enabled or planned + timedelta(days=days) > today:
            continue
        if last is not None and timezone.localdate(last) >= planned:
            continue
        due.append(
            Due(
                mentor_id,
                Kind.MENTORING_LOG_OVERDUE,
                f"pairing:{pk}",
                str(planned),
                cohort_id,
                {"name": learner_name},
                reverse("mentoring:session_log", args=[pk]),
            )
        )
    items = ActionItem.objects.filter(
        done_at__isnull=True,
        due_date=today + timedelta(days=1),
        session__pairing__status=Pairing.Status.ACTIVE,
    ).values_list("pk", "session__pairing__learner_id", "session__pairing__cohort_id", "text")
    for pk, learner_id, cohort_id, text in items.iterator():
        if rule_settings(cohort_id, Kind.ACTION_ITEM_DUE, rules)[0]:
            due.append(
                Due(
                    learner_id,
                    Kind.ACTION_ITEM_DUE,
                    f"action:{pk}",
                    "once",
                    cohort_id,
                    {"text": text[:120]},
                    reverse("mentoring:learner_mentoring"),
                )
            )
    waiting = (
        TaskSubmission.objects.filter(
            status=TaskSubmission.Status.SUBMITTED,
            submitted_at__lt=now - timedelta(days=1),  # each cohort's own threshold below
        )
        # The mentor of the cohort whose courses include the task's course (one join).
        .filter(
            enrollment__user__learner_pairings__status=Pairing.Status.ACTIVE,
            enrollment__user__learner_pairings__cohort__courses=F("enrollment__course_id"),
        )
        .values_list(
            "pk",
            "enrollment__user__learner_pairings__mentor_id",
            "enrollment__user__learner_pairings__cohort_id",
            "enrollment__user__name",
            "submitted_at",
        )
    )
    for pk, mentor_id, cohort_id, name, submitted_at in waiting.iterator():
        enabled, days, _ = rule_settings(cohort_id, Kind.TASK_REVIEW_WAITING, rules)
        if enabled and submitted_at < now - timedelta(days=days):
            due.append(
                Due(
                    mentor_id,
                    Kind.TASK_REVIEW_WAITING,
                    f"submission:{pk}",
                    "once",
                    cohort_id,
                    {"name": name},
                    reverse("mentoring:review_submission", args=[pk]),
                )
            )
    return due


def find_surveys(now, rules) -> list[Due]:
    """Baseline, endline and follow-up surveys open and not sent (rule in outcomes)."""
    from outcomes.reminders import survey_reminders_due

    return survey_reminders_due(
        now, rules, make_due=Due, rule_settings=rule_settings, kind=Kind.SURVEY_MISSING
    )


RULES = [find_inactive, find_sessions, find_mentoring, find_surveys]


def message_text(kind: str, args: dict) -> str:
    if kind == Kind.INACTIVE:
        return gettext("Let's continue {course}: your next lesson takes a few minutes.").format(
            **args
        )
    if kind in (Kind.SESSION_TOMORROW, Kind.SESSION_SOON):
        when = timezone.localtime(args["starts_at"]).strftime("%d-%m %H:%M")
        if kind == Kind.SESSION_TOMORROW:
            return gettext("Tomorrow: {title} at {when}.").format(title=args["title"], when=when)
        return gettext("Starting soon: {title} at {when}.").format(title=args["title"], when=when)
    if kind == Kind.MENTORING_LOG_OVERDUE:
        return gettext("Please log your mentoring session with {name}.").format(**args)
    if kind == Kind.ACTION_ITEM_DUE:
        return gettext("Due tomorrow: {text}").format(**args)
    if kind == Kind.TASK_REVIEW_WAITING:
        return gettext("{name}'s practice task is waiting for your review.").format(**args)
    if kind == Kind.SURVEY_MISSING:
        from outcomes.models import Wave

        return gettext(
            "{survey}: a few short questions about your business. About 3 minutes."
        ).format(survey=Wave(args["wave"]).label)
    if kind == Kind.CERTIFICATE_READY:
        return gettext("Your certificate for {course} is ready. Download it here.").format(**args)
    return gettext("You have a new notification.")


def quiet_adjusted(now, user_tz: str, pref: NotificationPreference | None) -> datetime:
    """The first moment at or after now that is outside the person's quiet hours, in their
    own time zone."""
    start = (
        pref.quiet_start if pref else NotificationPreference._meta.get_field("quiet_start").default
    )
    end = pref.quiet_end if pref else NotificationPreference._meta.get_field("quiet_end").default
    local = timezone.localtime(now, zoneinfo.ZoneInfo(user_tz))
    t = local.time()
    quiet = (start <= t or t < end) if start > end else (start <= t < end)
    if not quiet:
        return now
    wake = local.replace(hour=end.hour, minute=end.minute, second=0, microsecond=0)
    if wake <= local:
        wake += timedelta(days=1)
    return wake


def reminders_sweep(*, now=None) -> int:
    """Evaluate every rule and write new reminders to the outbox. Existing (kind, user,
    subject, period) rows are left alone, so running it twice at once adds nothing."""
    now = now or timezone.now()
    rules = {(r.cohort_id, r.kind): r for r in ReminderRule.objects.all()}
    found = [due for rule in RULES for due in rule(now, rules)]
    return reminders_write(found, now=now, rules=rules)


# pg_advisory_xact_lock key of the reminder writes (any constant unique in this database).
REMINDER_WRITE_LOCK = 7_305_260_811


def reminders_write(found: list[Due], *, now, rules=None) -> int:
    rules = rules if rules is not None else {}
    user_ids = {d.user_id for d in found}
    users = {}
    for start in range(0, len(user_ids), BATCH):
        chunk = list(user_ids)[start : start + BATCH]
        # Deactivated and erased people get nothing written (delivery would skip it anyway).
        people = User.objects.filter(pk__in=chunk, is_active=True)
        for user in people.select_related("notification_preference"):
            users[user.pk] = user
    rows = []
    for due in found:
        user = users.get(due.user_id)
        if user is None:
            continue
        with (
            translation.override(user.language or "id"),
            timezone.override(zoneinfo.ZoneInfo(user.timezone)),
        ):
            text = message_text(due.kind, due.text_args)
        pref = getattr(user, "notification_preference", None)
        rows.append(
            Reminder(
                user_id=due.user_id,
                kind=due.kind,
                subject=due.subject,
                period=due.period,
                cohort_id=due.cohort_id,
                channels=rule_settings(due.cohort_id, due.kind, rules)[2],
                text=text[:300],
                link=due.link,
                # "Starting in an hour" is useless in the morning: it is sent as it is.
                due_at=now
                if due.kind == Kind.SESSION_SOON
                else quiet_adjusted(now, user.timezone, pref),
            )
        )
    with transaction.atomic():
        # Two sweeps at once (a slow beat overlapping the next) would each count the other's
        # rows as their own: writers take turns, so the counts below are this sweep's alone.
        # SQLite lets one writer in at a time anyway.
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [REMINDER_WRITE_LOCK])
        before = Reminder.objects.count()
        # ignore_conflicts: rows that exist already (same kind, person, subject, period) are
        # skipped by the database, which is what makes the sweep safe to run twice.
        Reminder.objects.bulk_create(rows, ignore_conflicts=True, batch_size=BATCH)
        return Reminder.objects.count() - before


def certificate_ready(*, certificate_id: int) -> None:
    """CERTIFICATE_READY_HOOKS entry: the learner hears that the certificate is ready."""
    from courses.models import Certificate

    certificate = Certificate.objects.select_related("enrollment__course").get(pk=certificate_id)
    enrollment = certificate.enrollment
    # The cohort the learner takes this course in decides whether and how they are told.
    cohort_id = (
        Membership.objects.filter(
            user_id=enrollment.user_id,
            role=Membership.Role.LEARNER,
            left_at__isnull=True,
            cohort__courses=enrollment.course_id,
        )
        .values_list("cohort_id", flat=True)
        .first()
    )
    rules = {(r.cohort_id, r.kind): r for r in ReminderRule.objects.filter(cohort_id=cohort_id)}
    if not rule_settings(cohort_id, Kind.CERTIFICATE_READY, rules)[0]:
        return
    reminders_write(
        [
            Due(
                enrollment.user_id,
                Kind.CERTIFICATE_READY,
                f"certificate:{certificate.pk}",
                "once",
                cohort_id,
                {"course": enrollment.course.title},
                reverse("courses:certificate_download", args=[certificate.pk, "pdf"]),
            )
        ],
        now=timezone.now(),
        rules=rules,
    )


# --- Delivery -----------------------------------------------------------------------------


def _still_wanted(reminder: Reminder, user: User, withdrawn: set[int], left: set) -> bool:
    if not user.is_active or user.pk in withdrawn:
        return False
    return not (reminder.cohort_id and (reminder.cohort_id, user.pk) in left)


def reminders_deliver(*, now=None, limit: int = 500) -> int:
    """Send what is due: several reminders for one person become one digest per channel.
    Rows are claimed with SKIP LOCKED, so two workers never send the same one."""
    now = now or timezone.now()
    with transaction.atomic():
        batch = list(
            # of=("self",): PostgreSQL cannot lock the nullable side of the preference join.
            Reminder.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(status=Reminder.Status.PENDING, due_at__lte=now)
            .select_related("user", "user__notification_preference")
            .order_by("due_at")[:limit]
        )
        if not batch:
            return 0
        users = {r.user_id for r in batch}
        withdrawn = set(
            Consent.objects.filter(user_id__in=users, withdrawn_at__isnull=False).values_list(
                "user_id", flat=True
            )
        )
        left = set(
            Membership.objects.filter(user_id__in=users, left_at__isnull=False).values_list(
                "cohort_id", "user_id"
            )
        )
        by_user: dict[int, list[Reminder]] = {}
        for reminder in batch:
            if _still_wanted(reminder, reminder.user, withdrawn, left):
                by_user.setdefault(reminder.user_id, []).append(reminder)
            else:
                reminder.status = Reminder.Status.SKIPPED
        sent = 0
        for reminders in by_user.values():
            sent += _deliver_digest(reminders, now=now)
        Reminder.objects.bulk_update(
            batch,
            ["status", "attempts", "last_error", "sent_at", "due_at", "channels"],
            batch_size=BATCH,
        )
    return sent


def _deliver_digest(reminders: list[Reminder], *, now) -> int:
    user = reminders[0].user
    pref = getattr(user, "notification_preference", None)
    channels = set().union(*(set(r.channels) for r in reminders)) | {Channel.IN_APP}
    site = settings.SITE_URL.rstrip("/")
    # One link per message: the first reminder's; the others are listed as text.
    lines = [r.text for r in reminders]
    link = site + reminders[0].link
    with translation.override(user.language or "id"):
        body = "\n".join(f"• {line}" for line in lines) + "\n" + link
        subject = gettext("ukmlearn: {n} reminder(s)").format(n=len(reminders))
        html = _email_html(lines, link)
    error = ""
    try:
        if Channel.WHATSAPP in channels and user.phone and (pref is None or pref.whatsapp):
            gateway.send_message(to=user.phone, text=body)
            # Sent: a retry after a later channel fails must not send WhatsApp again.
            for reminder in reminders:
                reminder.channels = [c for c in reminder.channels if c != Channel.WHATSAPP]
            channels.discard(Channel.WHATSAPP)
        if Channel.EMAIL in channels and user.email and (pref is None or pref.email):
            send_mail(subject, body, None, [user.email], html_message=html)
    except Exception as exc:
        # Whatever went wrong for this person, the others in the batch still go out and
        # this digest is retried later: nothing here may roll the batch back.
        error = type(exc).__name__ + (f": {exc}" if str(exc) else "")
    if error:
        for reminder in reminders:
            reminder.attempts += 1
            reminder.last_error = error[:200]
            if reminder.attempts >= MAX_ATTEMPTS:
                reminder.status = Reminder.Status.FAILED
            else:
                # Exponential backoff with jitter, so a recovering gateway is not stampeded.
                delay = 60 * 2**reminder.attempts * random.uniform(0.7, 1.3)  # noqa: S311
                reminder.due_at = now + timedelta(seconds=delay)
        logger.warning("reminder delivery failed for %d reminders: %s", len(reminders), error)
        return 0
    Notification.objects.bulk_create(
        [Notification(user=user, text=r.text, link=r.link) for r in reminders]
    )
    User.objects.filter(pk=user.pk).update(
        unread_notifications=F("unread_notifications") + len(reminders)
    )
    for reminder in reminders:
        reminder.status = Reminder.Status.SENT
        reminder.sent_at = now
    return len(reminders)


def _email_html(lines: list[str], link: str) -> str:
    """The light HTML part of a reminder e-mail: the lines and one button-like link."""
    items = "".join(f"<li>{escape(line)}</li>" for line in lines)
    return (
        f'<div style="font-family:sans-serif;font-size:16px"><ul>{items}</ul>'
        f'<p><a href="{escape(link)}">{escape(gettext("Open ukmlearn"))}</a></p></div>'
    )


def notifications_mark_read(*, user) -> None:
    with transaction.atomic():
        Notification.objects.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())
        User.objects.filter(pk=user.pk).update(unread_notifications=0)
