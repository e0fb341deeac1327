from django.conf import settings
from django.core.validators import FileExtensionValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# What staff may upload as a lesson's video or file, and the type it is served with. Anything
# else (HTML, SVG, scripts) is refused: a file served from our origin could run in it.
LESSON_MEDIA_TYPES = {
    "mp4": "video/mp4",
    "webm": "video/webm",
    "3gp": "video/3gpp",
    "mp3": "audio/mpeg",
    "m4a": "audio/mp4",
    "ogg": "audio/ogg",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "jpg": "image/jpeg",
    "png": "image/png",
    "zip": "application/zip",
}


def lesson_media_path(instance, filename: str) -> str:
    """A server-made name: the uploaded name never reaches the disk (no path tricks)."""
    import uuid

    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"lessons/{uuid.uuid4().hex}.{extension}"


class Picture(models.Model):
    """An image uploaded by staff, re-encoded into width renditions (WebP + JPEG), EXIF gone.

    Lesson Markdown refers to one as ``![alt text](picture:ID)``.
    """

    alt = models.CharField(_("description (alt text)"), max_length=200)
    # The largest re-encoded JPEG; the uploaded original is never kept (it may carry GPS).
    file = models.ImageField(
        _("image"), upload_to="pictures/", width_field="width", height_field="height"
    )
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    # [{"width": 360, "webp": "pictures/…-360.webp", "jpeg": "…", "webp_bytes": 1234, …}, …]
    renditions = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return self.alt


class Course(models.Model):
    class Level(models.TextChoices):
        BEGINNER = "beginner", _("Beginner")
        INTERMEDIATE = "intermediate", _("Intermediate")
        ADVANCED = "advanced", _("Advanced")

    class Sequencing(models.TextChoices):
        FREE = "free", _("Any order")
        LINEAR = "linear", _("In order: a lesson opens when the previous one is done")

    class TaskCompletion(models.TextChoices):
        SUBMITTED = "submitted", _("when the learner submits it")
        APPROVED = "approved", _("when a reviewer approves it")

    title = models.CharField(_("title"), max_length=150)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    summary = models.TextField(_("summary"), max_length=600)
    cover = models.ForeignKey(
        Picture, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    level = models.CharField(
        _("level"), max_length=20, choices=Level.choices, default=Level.BEGINNER
    )
    estimated_minutes = models.PositiveSmallIntegerField(_("estimated minutes"), default=60)
    is_published = models.BooleanField(_("published"), default=False)
    self_enrol = models.BooleanField(
        _("open for self-enrolment"),
        default=True,
        help_text=_("Off: only staff (or a cohort) can enrol learners."),
    )
    sequencing = models.CharField(
        _("lesson order"), max_length=10, choices=Sequencing.choices, default=Sequencing.FREE
    )
    certificate_template = models.ForeignKey(
        "CertificateTemplate",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("certificate template"),
    )
    task_completion = models.CharField(
        _("a practice task counts as done"),
        max_length=10,
        choices=TaskCompletion.choices,
        default=TaskCompletion.SUBMITTED,
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("courses:course_detail", args=[self.slug])


class Module(models.Model):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="modules")
    title = models.CharField(_("title"), max_length=150)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self):
        return self.title


class Lesson(models.Model):
    class Kind(models.TextChoices):
        READING = "reading", _("Reading")
        VIDEO = "video", _("Video")
        FILE = "file", _("File")
        QUIZ = "quiz", _("Quiz")
        TASK = "task", _("Practice task")

    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="lessons")
    title = models.CharField(_("title"), max_length=150)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.READING)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_optional = models.BooleanField(_("optional"), default=False)
    estimated_minutes = models.PositiveSmallIntegerField(_("estimated minutes"), default=5)
    body = models.TextField(
        _("text (Markdown)"),
        blank=True,
        help_text=_(
            "Reading text, video summary or transcript, file description, quiz "
            "introduction or task instructions. Images: ![description](picture:ID)."
        ),
    )
    # Sanitised HTML made from body on save; pages never render body directly.
    body_html = models.TextField(editable=False, blank=True)
    video_url = models.URLField(_("video link"), blank=True)
    media_file = models.FileField(
        _("video or file"),
        upload_to=lesson_media_path,
        blank=True,
        validators=[FileExtensionValidator(allowed_extensions=list(LESSON_MEDIA_TYPES))],
        help_text=_("Video (MP4, WebM), audio (MP3, M4A), PDF, Office files, JPG/PNG or ZIP."),
    )
    media_bytes = models.PositiveBigIntegerField(
        _("size in bytes"),
        null=True,
        blank=True,
        help_text=_("Shown to learners before they spend data. Filled in for uploads."),
    )
    # What opening the lesson costs in data, shown before the learner spends it: the page
    # (compressed text plus the page around it) and the pictures a phone would load.
    page_bytes = models.PositiveIntegerField(default=0, editable=False)
    picture_bytes = models.PositiveIntegerField(default=0, editable=False)
    pass_mark = models.PositiveSmallIntegerField(_("pass mark (%)"), default=70)
    max_attempts = models.PositiveSmallIntegerField(
        _("allowed attempts"), null=True, blank=True, help_text=_("Empty: unlimited.")
    )
    shuffle = models.BooleanField(_("shuffle questions and options"), default=False)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(pass_mark__lte=100), name="courses_lesson_pass_mark_percent"
            ),
            models.CheckConstraint(
                condition=~models.Q(max_attempts=0), name="courses_lesson_max_attempts_positive"
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        from .services.content import lesson_data_cost, render_markdown

        self.body_html = render_markdown(self.body)
        self.page_bytes, self.picture_bytes = lesson_data_cost(self.body_html)
        if self.media_file and not self.media_bytes:
            try:
                self.media_bytes = self.media_file.size
            except (OSError, ValueError):
                pass
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("courses:lesson_detail", args=[self.module.course.slug, self.pk])

    @property
    def counts_for_progress(self) -> bool:
        return not self.is_optional

    @property
    def has_media(self) -> bool:
        return self.kind in (self.Kind.VIDEO, self.Kind.FILE) and bool(
            self.media_file or self.video_url
        )

    def data_cost(self, *, data_saver: bool) -> int:
        """Bytes opening the page costs (pictures only when they load by themselves)."""
        return self.page_bytes + (0 if data_saver else self.picture_bytes)


class Question(models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", _("One answer")
        MULTIPLE = "multiple", _("Several answers")

    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="questions")
    text = models.TextField(_("question"), max_length=1000)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.SINGLE)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self):
        return self.text[:60]


class Option(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="options")
    text = models.CharField(_("answer"), max_length=500)
    is_correct = models.BooleanField(_("correct"), default=False)
    explanation = models.TextField(_("explanation"), max_length=1000, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self):
        return self.text[:60]


class Enrollment(models.Model):
    class Source(models.TextChoices):
        SELF = "self", _("Self-enrolled")
        STAFF = "staff", _("Enrolled by staff")
        COHORT = "cohort", _("Cohort")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrollments"
    )
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="enrollments")
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.SELF)
    enrolled_at = models.DateTimeField(default=timezone.now)
    # Derived from LessonProgress by services.progress.enrollment_recompute, never by hand.
    progress_percent = models.PositiveSmallIntegerField(default=0)
    completed_lessons = models.PositiveSmallIntegerField(default=0)
    next_lesson = models.ForeignKey(
        Lesson, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    last_activity_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "course"], name="courses_enrollment_unique"),
            models.CheckConstraint(
                condition=models.Q(progress_percent__lte=100),
                name="courses_enrollment_progress_percent",
            ),
        ]

    def __str__(self):
        return f"{self.user_id} in {self.course_id}"


class LessonProgress(models.Model):
    enrollment = models.ForeignKey(
        Enrollment, on_delete=models.CASCADE, related_name="lesson_progress"
    )
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="+")
    started_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["enrollment", "lesson"], name="courses_lessonprogress_unique"
            ),
        ]

    def __str__(self):
        return f"{self.enrollment_id}/{self.lesson_id}"


class QuizAttempt(models.Model):
    enrollment = models.ForeignKey(
        Enrollment, on_delete=models.CASCADE, related_name="quiz_attempts"
    )
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="+")
    # Generated when the quiz page is rendered (or by the device when offline): a retried
    # or double-clicked submit carries the same key and finds the attempt already saved.
    idempotency_key = models.UUIDField()
    # {"<question id>": [<option id>, ...]} as chosen by the learner, validated on the server.
    answers = models.JSONField(default=dict)
    score = models.PositiveSmallIntegerField()
    passed = models.BooleanField()
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrollment", "idempotency_key"], name="courses_quizattempt_idempotent"
            ),
            models.CheckConstraint(
                condition=models.Q(score__lte=100), name="courses_quizattempt_score_percent"
            ),
        ]
        indexes = [
            # attempts of one learner on one quiz: attempt count and best score
            models.Index(fields=["enrollment", "lesson"], name="courses_attempt_enr_lesson"),
        ]

    def __str__(self):
        return f"attempt {self.pk}"

    def get_absolute_url(self):
        return reverse("courses:attempt_detail", args=[self.pk])


class TaskSubmission(models.Model):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Waiting for review")
        APPROVED = "approved", _("Approved")
        NEEDS_REVISION = "revision", _("Needs revision")

    enrollment = models.ForeignKey(
        Enrollment, on_delete=models.CASCADE, related_name="task_submissions"
    )
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="+")
    idempotency_key = models.UUIDField()
    text = models.TextField(_("your answer"), max_length=5000, blank=True)
    link = models.URLField(_("link"), max_length=500, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SUBMITTED)
    feedback = models.TextField(_("feedback"), max_length=3000, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrollment", "idempotency_key"], name="courses_tasksubmission_idempotent"
            ),
        ]
        indexes = [
            # the review queue: waiting submissions, oldest first
            models.Index(fields=["status", "submitted_at"], name="courses_submission_queue"),
            models.Index(fields=["enrollment", "lesson"], name="courses_submission_enr_lesson"),
        ]

    def __str__(self):
        return f"submission {self.pk}"

    def get_absolute_url(self):
        return reverse("courses:submission_detail", args=[self.pk])


class TaskPhoto(models.Model):
    submission = models.ForeignKey(TaskSubmission, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(
        upload_to="submissions/%Y/%m/", width_field="width", height_field="height"
    )
    # A phone-sized copy (720 px) for pages; the 1600 px image is only opened on request.
    thumbnail = models.ImageField(upload_to="submissions/%Y/%m/", blank=True)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    bytes = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"photo {self.pk}"


class CertificateTemplate(models.Model):
    """How a programme's certificates look: its name, signatory, logo and background."""

    name = models.CharField(_("name"), max_length=100)
    programme_name = models.CharField(_("programme name on the certificate"), max_length=150)
    signatory_name = models.CharField(_("signatory name"), max_length=120)
    signatory_title = models.CharField(_("signatory title"), max_length=120, blank=True)
    signature = models.ImageField(
        _("signature image"), upload_to="certificate-templates/", blank=True
    )
    logo = models.ImageField(_("logo"), upload_to="certificate-templates/", blank=True)
    background = models.ImageField(
        _("background image"),
        upload_to="certificate-templates/",
        blank=True,
        help_text=_("Landscape A4 proportions (about 1754 × 1240 px)."),
    )
    accent_color = models.CharField(_("accent colour"), max_length=7, default="#0b6b4f")

    def __str__(self):
        return self.name


class Certificate(models.Model):
    """One per learner and course (the OneToOne is the guarantee), generated by a worker."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Being prepared")
        ISSUED = "issued", _("Valid")
        REVOKED = "revoked", _("Revoked")
        # The holder had their account erased: earned (reports count it), no longer shown.
        ERASED = "erased", _("Removed at the holder's request")

    enrollment = models.OneToOneField(
        Enrollment, on_delete=models.PROTECT, related_name="certificate"
    )
    # Human number printed on the certificate; set from the primary key once, kept on re-issue.
    number = models.CharField(max_length=32, unique=True, null=True, blank=True)
    # Unguessable code in the public verification link.
    code = models.CharField(max_length=32, unique=True)
    name = models.CharField(_("name on the certificate"), max_length=150)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    issued_on = models.DateField(null=True, blank=True)
    png = models.FileField(upload_to="certificates/", blank=True)
    pdf = models.FileField(upload_to="certificates/", blank=True)
    requested_at = models.DateTimeField(default=timezone.now)
    generated_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoke_reason = models.CharField(_("reason"), max_length=300, blank=True)

    class Meta:
        indexes = [
            # the sweep that re-queues certificates whose generation never finished
            models.Index(fields=["status", "requested_at"], name="courses_certificate_pending"),
        ]

    def __str__(self):
        return self.number or f"certificate {self.pk}"

    def get_absolute_url(self):
        return reverse("courses:certificate_verify", args=[self.code])
