import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone as django_timezone
from django.utils.translation import gettext_lazy as _

from cohorts.models import Cohort


class Kind(models.TextChoices):
    INACTIVE = "inactive", _("Learner inactive")
    SESSION_TOMORROW = "session_tomorrow", _("Live session tomorrow")
    SESSION_SOON = "session_soon", _("Live session in one hour")
    MENTORING_LOG_OVERDUE = "mentoring_log_overdue", _("Mentoring log overdue")
    ACTION_ITEM_DUE = "action_item_due", _("Action item due tomorrow")
    TASK_REVIEW_WAITING = "task_review_waiting", _("Practice task waiting for review")
    SURVEY_MISSING = "survey_missing", _("Survey not filled")
    CERTIFICATE_READY = "certificate_ready", _("Certificate ready")


class Channel(models.TextChoices):
    IN_APP = "in_app", _("In the app")
    EMAIL = "email", _("E-mail")
    WHATSAPP = "whatsapp", _("WhatsApp/SMS")


class NotificationPreference(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    email = models.BooleanField(_("by e-mail"), default=True)
    whatsapp = models.BooleanField(_("by WhatsApp/SMS"), default=True)
    quiet_start = models.TimeField(_("quiet from"), default=datetime.time(21, 0))
    quiet_end = models.TimeField(_("quiet until"), default=datetime.time(7, 0))

    def __str__(self):
        return f"preferences of {self.user_id}"


class ReminderRule(models.Model):
    """A cohort's setting for one kind of reminder (defaults apply where there is none)."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="reminder_rules")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    enabled = models.BooleanField(_("on"), default=True)
    threshold_days = models.PositiveSmallIntegerField(_("after days"), default=0)
    channels = models.JSONField(default=list)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["cohort", "kind"], name="notifications_rule_unique"),
        ]

    def __str__(self):
        return f"{self.cohort_id}:{self.kind}"


class Reminder(models.Model):
    """The outbox: one row per rule, person, subject and period. The unique constraint is what
    makes double beats, duplicated tasks and retries harmless."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        SENT = "sent", _("Sent")
        SKIPPED = "skipped", _("Not sent")
        FAILED = "failed", _("Failed")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders"
    )
    kind = models.CharField(max_length=30, choices=Kind.choices)
    subject = models.CharField(max_length=80)
    period = models.CharField(max_length=20)
    cohort = models.ForeignKey(
        Cohort, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    channels = models.JSONField(default=list)
    text = models.CharField(max_length=300)
    link = models.CharField(max_length=300)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    due_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=django_timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "user", "subject", "period"], name="notifications_reminder_once"
            ),
        ]
        indexes = [
            # the delivery sweep: pending reminders that are due
            models.Index(fields=["status", "due_at"], name="notifications_reminder_due"),
        ]

    def __str__(self):
        return f"{self.kind} → {self.user_id} ({self.status})"


class Notification(models.Model):
    """What the in-app notification centre shows."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    text = models.CharField(max_length=600)
    link = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=django_timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            # the notification centre: a person's newest first
            models.Index(fields=["user", "-created_at"], name="notifications_user_recent"),
        ]

    def __str__(self):
        return self.text[:40]
