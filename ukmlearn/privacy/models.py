import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """Who looked at or took out personal data, and when. Never the data itself: no note
    text, no names, only ids and what kind of access it was."""

    class Action(models.TextChoices):
        VIEW_LEARNERS = "view_learners", _("Viewed a cohort's learner list")
        VIEW_PERSON = "view_person", _("Viewed a person's details")
        EXPORT = "export", _("Exported personal data")
        IMPORT = "import", _("Imported participants")
        READ_NOTES = "read_notes", _("Read mentoring notes")
        DATA_EXPORT = "data_export", _("Downloaded their own data")
        ERASE = "erase", _("Erased an account")
        ADMIN_VIEW = "admin_view", _("Opened personal data in the admin")

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("who"),
    )
    action = models.CharField(_("what"), max_length=20, choices=Action.choices)
    # The object opened ("cohorts.cohort:12") and, where there is one, the person it is about.
    target = models.CharField(_("object"), max_length=80)
    subject_id = models.PositiveBigIntegerField(_("person (id)"), null=True, blank=True)
    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit log")
        indexes = [models.Index(fields=["subject_id", "at"], name="privacy_audit_subject")]

    def __str__(self):
        return f"{self.actor_id} {self.action} {self.target}"


def export_path(instance, filename):
    return f"exports/{uuid.uuid4().hex}.zip"


class DataExport(models.Model):
    """ "Unduh data saya": one ZIP of everything held about a person, made by a worker."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Being prepared")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="data_exports"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    file = models.FileField(upload_to=export_path, blank=True)
    bytes = models.PositiveBigIntegerField(default=0)
    requested_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]

    def __str__(self):
        return f"export {self.pk} of {self.user_id}"
