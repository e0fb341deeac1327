"""Outcome measurement: survey versions and their questions, learners' responses per wave,
evidence photos, and the partners that reports are shared with."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cohorts.models import Cohort

from . import instrument


class Partner(models.Model):
    """A funder or government office. Its members read the aggregate report of the cohorts
    shared with it, and nothing else."""

    name = models.CharField(_("name"), max_length=150, unique=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="partner_orgs",
        verbose_name=_("people who read its reports"),
    )
    cohorts = models.ManyToManyField(
        Cohort, blank=True, related_name="partners", verbose_name=_("cohorts shared with it")
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name = _("partner")
        verbose_name_plural = _("partners")

    def __str__(self):
        return self.name


class Survey(models.Model):
    """One version of the digital-adoption questionnaire. Responses point at the version they
    answered; a version that has responses can no longer change (copy it to a new one)."""

    title = models.CharField(_("title"), max_length=150)
    version = models.PositiveIntegerField(_("version"), unique=True)
    is_default = models.BooleanField(
        _("default version"),
        default=False,
        help_text=_("Used by every cohort that is not given a version of its own."),
    )
    cohorts = models.ManyToManyField(
        Cohort,
        blank=True,
        related_name="surveys",
        verbose_name=_("cohorts using this version"),
        help_text=_("Cohorts with programme questions of their own; others use the default."),
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-version"]
        verbose_name = _("survey version")
        verbose_name_plural = _("survey versions")
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"],
                condition=models.Q(is_default=True),
                name="outcomes_survey_one_default",
            )
        ]

    def __str__(self):
        return f"{self.title} (v{self.version})"

    @property
    def is_locked(self) -> bool:
        return self.responses.exists()


class Question(models.Model):
    """A question of one survey version: a core indicator (wording and choices from
    outcomes.instrument) or a programme question written by staff."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    core_key = models.CharField(
        _("core indicator"),
        max_length=30,
        blank=True,
        choices=[(q.key, q.text) for q in instrument.CORE_QUESTIONS],
        help_text=_("Empty for a programme question."),
    )
    text = models.CharField(_("question"), max_length=300, blank=True)
    help_text = models.CharField(_("help text"), max_length=300, blank=True)
    kind = models.CharField(
        _("answer type"),
        max_length=10,
        choices=[(instrument.SINGLE, _("One answer")), (instrument.MULTI, _("Several answers"))],
        default=instrument.SINGLE,
    )
    options = models.TextField(
        _("answer options"),
        blank=True,
        help_text=_("Programme questions: one option per line."),
    )
    required = models.BooleanField(_("required"), default=True)
    allow_evidence = models.BooleanField(_("allow a photo as evidence"), default=False)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "core_key"],
                condition=~models.Q(core_key=""),
                name="outcomes_question_core_once",
            )
        ]

    def __str__(self):
        return str(self.label)

    @property
    def core(self) -> instrument.CoreQuestion | None:
        return instrument.CORE.get(self.core_key)

    @property
    def label(self):
        return self.core.text if self.core else self.text

    @property
    def hint(self):
        return self.core.help_text if self.core else self.help_text

    @property
    def answer_kind(self) -> str:
        return self.core.kind if self.core else self.kind

    @property
    def choices(self) -> list[tuple[str, str]]:
        """(code, label) pairs. Programme options are coded by their line number, so a
        reworded option keeps its answers."""
        if self.core:
            return list(self.core.choices)
        lines = [line.strip() for line in self.options.splitlines() if line.strip()]
        return [(str(number), line) for number, line in enumerate(lines, start=1)]

    @property
    def field_name(self) -> str:
        return f"q{self.pk}"


class Wave(models.TextChoices):
    BASELINE = "baseline", _("Baseline survey")
    ENDLINE = "endline", _("Endline survey")
    FOLLOWUP = "followup", _("Follow-up survey")


class Response(models.Model):
    """One learner's answers for one cohort and wave. Drafts keep partial answers; a
    submitted response carries its indicator columns, computed from the core answers."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SKIPPED = "skipped", _("Skipped for now")
        SUBMITTED = "submitted", _("Sent")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="survey_responses"
    )
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="survey_responses")
    survey = models.ForeignKey(Survey, on_delete=models.PROTECT, related_name="responses")
    wave = models.CharField(max_length=10, choices=Wave.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    # {"<question id>": "code" | ["code", ...]}
    answers = models.JSONField(default=dict, blank=True)
    started_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    skipped_at = models.DateTimeField(null=True, blank=True)

    # Indicator columns (see instrument.indicators_from_answers); NULL = not answered.
    has_wa_catalog = models.BooleanField(null=True)
    has_social_account = models.BooleanField(null=True)
    has_marketplace = models.BooleanField(null=True)
    has_google_profile = models.BooleanField(null=True)
    accepts_qris = models.BooleanField(null=True)
    posted_content = models.BooleanField(null=True)
    online_orders = models.BooleanField(null=True)
    digital_payments = models.BooleanField(null=True)
    digital_bookkeeping = models.BooleanField(null=True)
    paid_ads = models.BooleanField(null=True)
    customers_outside = models.BooleanField(null=True)
    ladder = models.PositiveSmallIntegerField(null=True)
    revenue_band = models.PositiveSmallIntegerField(null=True)
    online_share_band = models.PositiveSmallIntegerField(null=True)
    workers_band = models.PositiveSmallIntegerField(null=True)
    online_orders_band = models.PositiveSmallIntegerField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "cohort", "wave"], name="outcomes_response_once_per_wave"
            ),
            models.CheckConstraint(
                condition=~models.Q(status="submitted") | models.Q(submitted_at__isnull=False),
                name="outcomes_response_submitted_has_time",
            ),
        ]
        indexes = [
            # reports: submitted responses of a set of cohorts, per wave
            models.Index(fields=["cohort", "wave", "status"], name="outcomes_resp_cohort_wave"),
        ]

    def __str__(self):
        return f"{self.wave} {self.user_id}/{self.cohort_id}"

    def get_absolute_url(self):
        return reverse("outcomes:survey_fill", args=[self.cohort_id, self.wave])


class Evidence(models.Model):
    """A photo backing an answer (a screenshot of the shop, the QRIS sticker), cleaned and
    resized like practice-task photos."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="evidence")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="+")
    image = models.ImageField(upload_to="evidence/%Y/%m/")
    thumbnail = models.ImageField(upload_to="evidence/%Y/%m/", blank=True)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    bytes = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["response", "question"], name="outcomes_evidence_one_per_answer"
            )
        ]

    def __str__(self):
        return f"evidence {self.pk}"
