from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone as django_timezone
from django.utils.translation import gettext_lazy as _

from cohorts.models import Cohort


class ExpertiseTag(models.Model):
    """A skill a mentor can help with and a learner can ask for (staff edit the list)."""

    name = models.CharField(_("name"), max_length=80, unique=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Language(models.TextChoices):
    INDONESIAN = "id", _("Bahasa Indonesia")
    JAVANESE = "jv", _("Javanese")
    SUNDANESE = "su", _("Sundanese")
    MADURESE = "mad", _("Madurese")
    BUGIS = "bug", _("Buginese")
    BALINESE = "ban", _("Balinese")
    MINANG = "min", _("Minangkabau")
    BATAK = "btk", _("Batak")


class Mode(models.TextChoices):
    ONLINE = "online", _("Online")
    IN_PERSON = "in_person", _("In person")


class MentorProfile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentor_profile"
    )
    expertise = models.ManyToManyField(
        ExpertiseTag, blank=True, related_name="mentors", verbose_name=_("expertise")
    )
    # Lists of codes (Sector, Province values, city names, Language, Mode): read in Python by
    # the pairing solver, never filtered on in SQL.
    sectors = models.JSONField(_("sectors"), default=list, blank=True)
    provinces = models.JSONField(_("provinces served"), default=list, blank=True)
    cities = models.JSONField(_("cities served"), default=list, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    modes = models.JSONField(_("modes"), default=list, blank=True)
    capacity = models.PositiveSmallIntegerField(_("maximum active mentees"), default=15)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(capacity__lte=200),
                name="mentoring_mentorprofile_capacity_plausible",
            ),
        ]

    def __str__(self):
        return str(self.user)


class LearnerNeeds(models.Model):
    class PreferredMode(models.TextChoices):
        ANY = "any", _("Either")
        ONLINE = "online", _("Online")
        IN_PERSON = "in_person", _("In person")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="learner_needs"
    )
    skills = models.ManyToManyField(
        ExpertiseTag, blank=True, related_name="+", verbose_name=_("I would like help with")
    )
    language = models.CharField(
        _("preferred language"), max_length=5, choices=Language.choices, default=Language.INDONESIAN
    )
    preferred_mode = models.CharField(
        _("preferred mode"), max_length=10, choices=PreferredMode.choices, default=PreferredMode.ANY
    )

    def __str__(self):
        return f"needs of {self.user_id}"


class PairingWeights(models.Model):
    """How much each match reason counts when pairing a cohort (editable per cohort)."""

    cohort = models.OneToOneField(Cohort, on_delete=models.CASCADE, related_name="pairing_weights")
    need = models.PositiveSmallIntegerField(_("per need covered by expertise"), default=3)
    sector = models.PositiveSmallIntegerField(_("same sector"), default=2)
    city = models.PositiveSmallIntegerField(_("same city"), default=2)
    province = models.PositiveSmallIntegerField(_("same province"), default=1)
    language = models.PositiveSmallIntegerField(_("shared language"), default=1)
    mode = models.PositiveSmallIntegerField(_("compatible mode"), default=1)

    def __str__(self):
        return f"weights for {self.cohort_id}"


class Pairing(models.Model):
    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        ACTIVE = "active", _("Active")
        ENDED = "ended", _("Ended")

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="pairings")
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentor_pairings"
    )
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="learner_pairings"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PROPOSED)
    score = models.PositiveSmallIntegerField(default=0)
    reasons = models.JSONField(default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=django_timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            # One current (proposed or active) mentor per learner and cohort; history is kept
            # as ENDED rows.
            models.UniqueConstraint(
                fields=["cohort", "learner"],
                condition=models.Q(status__in=["proposed", "active"]),
                name="mentoring_pairing_one_current_per_learner",
            ),
        ]
        indexes = [
            # the mentor's home: a mentor's active pairings
            models.Index(fields=["mentor", "status"], name="mentoring_pairing_mentor"),
        ]

    def __str__(self):
        return f"{self.mentor_id} → {self.learner_id} ({self.status})"

    def get_absolute_url(self):
        return reverse("mentoring:mentee_detail", args=[self.pk])


class MentoringSession(models.Model):
    class Mode(models.TextChoices):
        WHATSAPP_CALL = "wa_call", _("WhatsApp call")
        WHATSAPP_CHAT = "wa_chat", _("WhatsApp chat")
        VIDEO = "video", _("Video call")
        IN_PERSON = "in_person", _("In person")

    pairing = models.ForeignKey(Pairing, on_delete=models.CASCADE, related_name="sessions")
    held_at = models.DateTimeField(_("when"), default=django_timezone.now)
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), default=30)
    mode = models.CharField(
        _("how"), max_length=10, choices=Mode.choices, default=Mode.WHATSAPP_CALL
    )
    topics = models.ManyToManyField(
        ExpertiseTag, blank=True, related_name="+", verbose_name=_("topics")
    )
    private_notes = models.TextField(
        _("private notes"),
        max_length=5000,
        blank=True,
        help_text=_("Only you and the programme staff see these."),
    )
    summary = models.TextField(
        _("summary for the learner"),
        max_length=2000,
        blank=True,
        help_text=_("The learner sees this."),
    )
    next_planned_at = models.DateField(_("next session planned"), null=True, blank=True)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=django_timezone.now)
    learner_confirmed_at = models.DateTimeField(null=True, blank=True)
    rating = models.PositiveSmallIntegerField(null=True, blank=True)
    rating_comment = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-held_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(duration_minutes__gte=1, duration_minutes__lte=600),
                name="mentoring_session_duration_range",
            ),
            models.CheckConstraint(
                condition=models.Q(rating__isnull=True) | models.Q(rating__gte=1, rating__lte=5),
                name="mentoring_session_rating_range",
            ),
        ]

    def __str__(self):
        return f"session {self.pk}"


class SessionEdit(models.Model):
    """Who changed a logged session, and when (never the old text)."""

    session = models.ForeignKey(MentoringSession, on_delete=models.CASCADE, related_name="edits")
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    edited_at = models.DateTimeField(default=django_timezone.now)
    fields = models.JSONField(default=list)

    def __str__(self):
        return f"edit {self.pk}"


class ActionItem(models.Model):
    session = models.ForeignKey(
        MentoringSession, on_delete=models.CASCADE, related_name="action_items"
    )
    text = models.CharField(_("action"), max_length=300)
    due_date = models.DateField(_("due"))
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_date", "id"]

    def __str__(self):
        return self.text
