import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone as django_timezone
from django.utils.translation import gettext_lazy as _

from courses.models import Course, Lesson
from ukmlearn.users.choices import Province, TimeZone


class Cohort(models.Model):
    """An angkatan: people learning the same courses over the same dates, run by one staff
    member for a programme or partner."""

    class Mode(models.TextChoices):
        ONLINE = "online", _("Online")
        OFFLINE = "offline", _("Offline (in person)")
        HYBRID = "hybrid", _("Hybrid")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        RUNNING = "running", _("Running")
        FINISHED = "finished", _("Finished")

    name = models.CharField(_("name"), max_length=150)
    programme = models.CharField(
        _("programme or partner"),
        max_length=150,
        help_text=_("Shown in reports, e.g. the funding partner's programme name."),
    )
    courses = models.ManyToManyField(Course, related_name="cohorts", verbose_name=_("courses"))
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    province = models.CharField(_("province"), max_length=20, choices=Province.choices)
    city = models.CharField(_("city or regency"), max_length=80, blank=True)
    mode = models.CharField(_("mode"), max_length=10, choices=Mode.choices, default=Mode.ONLINE)
    capacity = models.PositiveIntegerField(_("capacity (learners)"), default=100)
    timezone = models.CharField(
        _("time zone"),
        max_length=32,
        choices=TimeZone.choices,
        default=TimeZone.WIB,
        help_text=_("Session times are entered and shown in this zone."),
    )
    min_attendance_percent = models.PositiveSmallIntegerField(
        _("minimum attendance to complete (%)"),
        null=True,
        blank=True,
        help_text=_("Empty: attendance does not count for completion."),
    )
    min_confirmed_sessions = models.PositiveSmallIntegerField(
        _("minimum confirmed mentoring sessions to complete"),
        null=True,
        blank=True,
        help_text=_("Empty: mentoring does not count for completion."),
    )
    endline_required = models.BooleanField(
        _("endline survey needed to complete"),
        default=False,
        help_text=_("Certificates wait until the learner has sent the endline survey."),
    )
    inactive_days = models.PositiveSmallIntegerField(
        _("at risk after days without activity"), default=7
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="owned_cohorts",
        verbose_name=_("owner"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    created_at = models.DateTimeField(default=django_timezone.now)

    class Meta:
        ordering = ["-start_date", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gt=models.F("start_date")),
                name="cohorts_cohort_end_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(capacity__gte=1), name="cohorts_cohort_capacity_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(min_attendance_percent__isnull=True)
                | models.Q(min_attendance_percent__lte=100),
                name="cohorts_cohort_attendance_percent",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("cohorts:cohort_detail", args=[self.pk])

    @property
    def zone_abbr(self) -> str:
        return {"Asia/Jakarta": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT"}.get(
            self.timezone, ""
        )


class Membership(models.Model):
    class Role(models.TextChoices):
        LEARNER = "learner", _("Learner")
        MENTOR = "mentor", _("Mentor")

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cohort_memberships"
    )
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.LEARNER)
    joined_at = models.DateTimeField(default=django_timezone.now)
    # Leaving keeps the row (history, reports); reminders and lists skip people who left.
    left_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["cohort", "user"], name="cohorts_membership_unique"),
        ]
        indexes = [
            # the cohort's learner table and funnel: members of one cohort by role
            models.Index(fields=["cohort", "role", "left_at"], name="cohorts_member_role"),
        ]

    def __str__(self):
        return f"{self.user_id} in {self.cohort_id}"


def new_checkin_code() -> str:
    return f"{secrets.randbelow(10**6):06d}"


class LiveSession(models.Model):
    """A scheduled meeting of the cohort: online (a meeting link), offline (a venue) or both."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="sessions")
    title = models.CharField(_("title"), max_length=150)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    meeting_url = models.URLField(_("meeting link"), blank=True)
    venue = models.CharField(_("venue"), max_length=150, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    catch_up_lesson = models.ForeignKey(
        Lesson,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("catch-up lesson (recording summary)"),
    )
    catch_up_counts = models.BooleanField(
        _("completing the catch-up lesson counts as attending"), default=False
    )
    checkin_code = models.CharField(max_length=6, default=new_checkin_code)
    created_at = models.DateTimeField(default=django_timezone.now)

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="cohorts_livesession_ends_after_start",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("cohorts:session_detail", args=[self.cohort_id, self.pk])


class Attendance(models.Model):
    class Method(models.TextChoices):
        CODE = "code", _("Code")
        QR = "qr", _("QR code")
        STAFF = "staff", _("Marked by staff")

    session = models.ForeignKey(LiveSession, on_delete=models.CASCADE, related_name="attendances")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="attendances"
    )
    method = models.CharField(max_length=10, choices=Method.choices)
    checked_in_at = models.DateTimeField(default=django_timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "user"], name="cohorts_attendance_unique"),
        ]

    def __str__(self):
        return f"{self.user_id} at {self.session_id}"


class ImportRun(models.Model):
    """A committed participant import: who, when, which file, what changed."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="imports")
    file_name = models.CharField(max_length=200)
    rows = models.PositiveIntegerField()
    created = models.PositiveIntegerField()
    updated = models.PositiveIntegerField()
    unchanged = models.PositiveIntegerField()
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    imported_at = models.DateTimeField(default=django_timezone.now)

    def __str__(self):
        return f"import {self.pk} into {self.cohort_id}"
