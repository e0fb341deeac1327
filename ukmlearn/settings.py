"""Settings for ukmlearn, driven by environment variables (see .env.example)."""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
# Only the development run command may fall back to a throwaway key.
SECRET_KEY = os.environ.get("SECRET_KEY") or "insecure-development-key-do-not-use-in-production"
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "whitenoise.runserver_nostatic",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "csp",
    "ukmlearn.users",
    "ukmlearn.privacy",
    "ukmlearn.notifications",
    "courses",
    "cohorts",
    "mentoring",
    "outcomes",
]

MIDDLEWARE = [
    "django.middleware.gzip.GZipMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "ukmlearn.users.fastauth.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    "ukmlearn.security.RequireTwoFactorMiddleware",
    "ukmlearn.users.middleware.UserPreferencesMiddleware",
    "ukmlearn.security.PrivatePagesMiddleware",
]

ROOT_URLCONF = "ukmlearn.urls"
WSGI_APPLICATION = "ukmlearn.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------
# SQLite is the embedded default; production sets DATABASE_URL to PostgreSQL.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers proceed during a write; IMMEDIATE takes the write lock at
    # BEGIN so two writers queue instead of failing with "database is locked".
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # A file (not :memory:) so a Celery worker process can share the test database.
    DATABASES["default"]["TEST"] = {
        "NAME": os.environ.get("TEST_SQLITE_NAME") or str(BASE_DIR / ".test-db.sqlite3")
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache, Celery ----------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            # Django's RedisCache, but an unreachable Redis reads as an empty cache instead of
            # a 500 on sign-in (ukmlearn/cache.py).
            "BACKEND": "ukmlearn.cache.TolerantRedisCache",
            "LOCATION": REDIS_URL,
            # A Redis that does not answer must not hold a page for long.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Rendered template fragments that depend only on the language and the role (the menu, the
# learner's offline messages): kept in each process's memory, they cost no round trip.
CACHES["fragments"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "fragments",
    "OPTIONS": {"MAX_ENTRIES": 500},
}

CELERY_BROKER_URL = REDIS_URL or "memory://"
# Without Redis (the embedded default) tasks run in-process right after commit.
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A request that enqueues must not hang when Redis is down: fail fast, the outbox row and the
# periodic sweep make sure the work is still done (ukmlearn/queue.py).
CELERY_BROKER_TRANSPORT_OPTIONS = {"max_retries": 0, "socket_connect_timeout": 1}
CELERY_TIMEZONE = "UTC"
# Exactly one beat process runs these in production (see README).
CELERY_BEAT_SCHEDULE = {
    "sweep-reminders": {"task": "ukmlearn.notifications.tasks.sweep_reminders", "schedule": 900.0},
    "deliver-reminders": {
        "task": "ukmlearn.notifications.tasks.deliver_reminders",
        "schedule": 60.0,
    },
    "requeue-pending-certificates": {
        "task": "courses.tasks.requeue_pending_certificates",
        "schedule": 300.0,
    },
    # "Unduh data saya" files are kept a week, then removed.
    "cleanup-data-exports": {
        "task": "ukmlearn.privacy.tasks.cleanup_data_exports",
        "schedule": 3600.0,
    },
}

# --- Auth and accounts ---------------------------------------------------------
AUTH_USER_MODEL = "users.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ["name", "phone", "email"]},
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

ACCOUNT_ADAPTER = "ukmlearn.users.adapter.AccountAdapter"
ACCOUNT_FORMS = {
    "login": "ukmlearn.users.forms.LoginForm",
    "signup": "ukmlearn.users.forms.SignupForm",
}
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"phone", "email"}
# Both optional here; SignupForm requires at least one of them.
ACCOUNT_SIGNUP_FIELDS = ["phone", "email", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "optional"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PHONE_VERIFICATION_ENABLED = True
ACCOUNT_PHONE_VERIFICATION_SUPPORTS_RESEND = 3
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = True
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_SESSION_REMEMBER = True
ACCOUNT_PREVENT_ENUMERATION = True
# Changing the e-mail or phone number asks for the password again (then other sessions end:
# ukmlearn/security.py); so does setting up two-factor authentication.
ACCOUNT_REAUTHENTICATION_REQUIRED = True
ACCOUNT_SIGNUP_REDIRECT_URL = "business_profile"
# A workshop puts 40+ people behind one Wi-Fi address: per-IP limits are wide,
# per-account (key) limits stay tight.
ACCOUNT_RATE_LIMITS = {
    "login": "120/m/ip",
    "login_failed": "60/m/ip,5/300s/key",
    "signup": "120/m/ip",
    "verify_phone": "1/30s/key,120/m/ip",
    "reset_password": "60/m/ip,5/m/key",
    "reset_password_phone": "60/m/ip,3/600s/key",
    "reset_password_from_key": "60/m/ip",
    "request_login_code": "60/m/ip,3/m/key",
    # Session check-in codes have 6 digits: no guessing them by script.
    "cohort_checkin": "10/300s/key",
}

# Two-factor authentication (allauth.mfa): an authenticator app (TOTP) plus recovery codes.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "ukmlearn"
# Staff and mentors must set up two-factor authentication before anything else (admin too).
MFA_REQUIRED_FOR_STAFF_AND_MENTORS = env_bool("MFA_REQUIRED", True)
# Cheap phones' clocks drift: the code of the previous and the next 30 s also count (each
# code still works only once).
MFA_TOTP_TOLERANCE = 1
# "Other sessions" lists where the person is signed in; last-seen tracking would cost a write
# per request, so only the sign-in time and device are shown.
USERSESSIONS_TRACK_ACTIVITY = False
# Django's database sessions, read with one precompiled query (every signed-in request reads
# its session and its user: ukmlearn/users/fastauth.py).
SESSION_ENGINE = "ukmlearn.users.fastauth"

PRIVACY_NOTICE_VERSION = "2026-11"
# Dotted paths called with enrollment_id=... after a course completion commits.
COURSE_COMPLETED_HOOKS = ["courses.services.certificates.certificate_request"]
CERTIFICATE_READY_HOOKS = ["ukmlearn.notifications.services.certificate_ready"]
# The public address, printed in certificate QR codes and messages.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
# Extra completion rules, called with enrollment=...; each returns True when met.
COURSE_COMPLETION_REQUIREMENTS = [
    "cohorts.services.completion.attendance_requirement_met",
    "mentoring.services.completion.confirmed_sessions_requirement_met",
    "outcomes.services.responses.endline_requirement_met",
]
# Who else may open a learner's practice-task submission and its photos (called with
# user=..., submission=...; True allows). Courses never imports these apps.
SUBMISSION_VIEWER_CHECKS = ["mentoring.selectors.mentor_may_view_submission"]
# Which learners' records (course work, attempts, certificates) a staff member may open:
# called with user=..., path=... (the user id's lookup path), returns a Q.
STAFF_LEARNER_SCOPE = "cohorts.selectors.staff_learner_scope"
# Called before a learner's first lesson of a course with request=..., course=...; a URL
# returned is where the learner goes first (the baseline survey).
FIRST_LESSON_GATES = ["outcomes.views.baseline_gate"]
INVITATION_VALID_DAYS = int(os.environ.get("INVITATION_VALID_DAYS", "14"))

# --- Message gateway (WhatsApp/SMS) -------------------------------------------
MESSAGE_GATEWAY_BACKEND = os.environ.get(
    "MESSAGE_GATEWAY_BACKEND", "ukmlearn.gateway.ConsoleBackend"
)
MESSAGE_GATEWAY_URL = os.environ.get("MESSAGE_GATEWAY_URL", "")
MESSAGE_GATEWAY_TOKEN = os.environ.get("MESSAGE_GATEWAY_TOKEN", "")
MESSAGE_GATEWAY_RETRIES = int(os.environ.get("MESSAGE_GATEWAY_RETRIES", "3"))
MESSAGE_GATEWAY_TIMEOUT = float(os.environ.get("MESSAGE_GATEWAY_TIMEOUT", "5"))
MESSAGE_GATEWAY_FILE_DIR = os.environ.get(
    "MESSAGE_GATEWAY_FILE_DIR", str(BASE_DIR / "var" / "messages")
)

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "ukmlearn <noreply@ukmlearn.id>")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)

# --- Internationalisation ----------------------------------------------------
LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Jakarta"
USE_TZ = True

# --- Static and media files ------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT") or BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT") or BASE_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("STATIC_MANIFEST", not DEBUG)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# WhiteNoise serves hashed names with a ten-year "immutable" cache header by itself;
# its WHITENOISE_MAX_AGE (60 s in production) only applies to unhashed names.

# --- Security ------------------------------------------------------------------
# HTTPS=true when the site is served over HTTPS (always, in production).
HTTPS = env_bool("HTTPS", False)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
if env_bool("BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# allauth warns when no login method is a *required* sign-up field. Ours are both
# optional on purpose: SignupForm.clean requires a phone number or an e-mail.
SILENCED_SYSTEM_CHECKS = ["account.W001"]
