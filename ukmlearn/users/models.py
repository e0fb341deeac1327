from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone as django_timezone
from django.utils.translation import gettext_lazy as _

from .choices import Gender, Province, Sector, TimeZone


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, phone=None, password=None, *, email="", **extra_fields):
        # E-mail addresses are matched without regard to case; store them in lower case.
        email = self.normalize_email(email).lower() if email else ""
        user = self.model(phone=phone or None, email=email, **extra_fields)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_superuser(self, phone, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        extra_fields.setdefault("is_learner", False)
        return self.create_user(phone, password, **extra_fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person on the platform. Signs in with a phone number or an e-mail address."""

    name = models.CharField(_("full name"), max_length=150)
    # E.164 (+628...). NULL rather than "" so the unique index ignores people without one.
    phone = models.CharField(_("mobile number"), max_length=16, unique=True, null=True, blank=True)
    phone_verified = models.BooleanField(default=False)
    email = models.EmailField(_("e-mail"), blank=True)
    is_learner = models.BooleanField(_("learner"), default=True)
    is_mentor = models.BooleanField(_("mentor"), default=False)
    is_staff = models.BooleanField(
        _("programme staff"),
        default=False,
        help_text=_("Staff run cohorts and may use the admin site."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    timezone = models.CharField(
        _("time zone"), max_length=32, choices=TimeZone.choices, default=TimeZone.WIB
    )
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default="id"
    )
    # "Hemat kuota": pictures load on request, nothing is fetched ahead. On for everyone
    # until they turn it off; a browser sending "Save-Data: on" gets it whatever this says.
    data_saver = models.BooleanField(
        _("data saver (Hemat kuota)"),
        default=True,
        help_text=_(
            "Pictures in lessons load only when you tap them, and every download says its "
            "size first."
        ),
    )
    # Reach reporting (gender, age band); both optional, usually filled by a cohort import.
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("birth year"), null=True, blank=True)
    date_joined = models.DateTimeField(default=django_timezone.now)
    # Kept in step with Notification rows by the notifications services (F() updates), so
    # the header shows the unread count without a query on every page.
    unread_notifications = models.PositiveIntegerField(default=0)

    objects = UserManager()

    USERNAME_FIELD = "phone"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                condition=~models.Q(email=""),
                name="users_user_email_unique",
            ),
            models.CheckConstraint(
                condition=models.Q(phone__isnull=False) | ~models.Q(email=""),
                name="users_user_has_phone_or_email",
            ),
            models.CheckConstraint(
                condition=models.Q(birth_year__isnull=True) | models.Q(birth_year__gte=1900),
                name="users_user_birth_year_plausible",
            ),
        ]

    def __str__(self):
        return self.name or self.phone or self.email

    def get_full_name(self):
        return self.name

    def get_short_name(self):
        return self.name.split(" ")[0] if self.name else ""

    @property
    def role_labels(self) -> list[str]:
        labels = []
        if self.is_learner:
            labels.append(_("Learner"))
        if self.is_mentor:
            labels.append(_("Mentor"))
        if self.is_staff:
            labels.append(_("Programme staff"))
        return labels


class BusinessProfile(models.Model):
    """The learner's business, asked once after sign-up."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="business_profile"
    )
    business_name = models.CharField(_("business name"), max_length=120)
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices)
    city = models.CharField(_("city or regency"), max_length=80)
    province = models.CharField(_("province"), max_length=20, choices=Province.choices)
    # Empty when the profile came from a cohort import; the learner fills them in later.
    year_started = models.PositiveSmallIntegerField(_("year started"), null=True, blank=True)
    workers = models.PositiveSmallIntegerField(
        _("number of workers"), null=True, blank=True, help_text=_("Including yourself.")
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(year_started__gte=1900),
                name="users_businessprofile_year_started_plausible",
            ),
            models.CheckConstraint(
                condition=models.Q(workers__lte=10000),
                name="users_businessprofile_workers_plausible",
            ),
        ]

    def __str__(self):
        return self.business_name

    def get_absolute_url(self):
        return reverse("business_profile")


class Consent(models.Model):
    """A recorded agreement to a versioned document (UU PDP: what, which version, when, how)."""

    class Document(models.TextChoices):
        PRIVACY = "privacy", _("Privacy notice")

    class Channel(models.TextChoices):
        SIGNUP = "signup", _("Sign-up form")
        INVITATION = "invitation", _("Invitation link")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="consents"
    )
    document = models.CharField(max_length=20, choices=Document.choices)
    version = models.CharField(max_length=20)
    channel = models.CharField(max_length=20, choices=Channel.choices)
    given_at = models.DateTimeField(default=django_timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "document", "version"], name="users_consent_unique_version"
            ),
        ]

    def __str__(self):
        return f"{self.user_id} {self.document} {self.version}"


class Invitation(models.Model):
    """A one-time link that lets a person created by staff set their password."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="invitations"
    )
    # Only a SHA-256 of the token is stored; the token itself lives in the link.
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(default=django_timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_at__gt=models.F("created_at")),
                name="users_invitation_expires_after_created",
            ),
        ]

    def __str__(self):
        return f"invitation {self.pk} for user {self.user_id}"

    def is_usable(self, now=None) -> bool:
        now = now or django_timezone.now()
        return self.used_at is None and self.revoked_at is None and self.expires_at > now
