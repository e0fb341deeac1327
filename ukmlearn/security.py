"""Security logging and headers (issue 9).

- One log line per sign-in, failed sign-in and sign-out, and per request of a signed-in
  person that was refused (403) or answered "not found" (404: the same answer for a missing
  object and for someone else's). Lines carry ids, never a phone number, e-mail, password,
  code or token: a failed sign-in is identified by a keyed hash of what was typed, enough to
  see repeated tries against one account.
- Pages for a signed-in person are ``Cache-Control: no-store`` unless the view chose
  otherwise (pictures cache for a year; a learner's photo privately for a day).
"""

import hashlib
import hmac
import logging

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

logger = logging.getLogger("ukmlearn.security")


def client_ip(request) -> str:
    if request is None:
        return "-"
    # Behind the proxy (BEHIND_PROXY) the first X-Forwarded-For hop is the phone's address.
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR", "-")


def login_fingerprint(identifier: str) -> str:
    """A keyed hash of a typed phone number or e-mail: the same for the same account however
    the number was written (0812…, +62812…, 0812-…), useless for finding out who it was
    without the site's secret key."""
    from django.core.exceptions import ValidationError

    from ukmlearn.users.phone import normalize_phone

    text = identifier.strip().lower()
    if "@" not in text:
        try:
            text = normalize_phone(text)
        except ValidationError:
            pass  # not a number we know: hashed as typed
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, text.encode(), hashlib.sha256).hexdigest()[:12]


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    logger.info("login ok user=%s ip=%s", user.pk, client_ip(request))


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    typed = ""
    for name in ("phone", "email", "username", "login"):
        if credentials.get(name):
            typed = str(credentials[name])
            break
    logger.warning(
        "login failed account=%s ip=%s",
        login_fingerprint(typed) if typed else "-",
        client_ip(request),
    )


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    logger.info("logout user=%s ip=%s", getattr(user, "pk", "-"), client_ip(request))


def end_other_sessions(request, user) -> None:
    """Sign the person out everywhere but here: after a new password, e-mail or phone number
    a stolen session must not live on."""
    from allauth.usersessions.internal.flows.sessions import end_other_sessions as end

    if request is None or user is None or not user.pk:
        return
    end(request, user)
    logger.info("other sessions ended user=%s", user.pk)


def _connect_allauth_signals() -> None:
    from allauth.account import signals

    def changed(sender, request=None, user=None, **kwargs):
        end_other_sessions(request, user)

    for signal in (
        signals.password_changed,
        signals.password_set,
        signals.password_reset,
        signals.email_changed,
    ):
        signal.connect(changed, dispatch_uid=f"ukmlearn-end-sessions-{id(signal)}", weak=False)


_connect_allauth_signals()


class PrivatePagesMiddleware:
    """no-store for signed-in pages; a log line for each refused or not-found request of a
    signed-in person (the path holds object ids, never personal data)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            if not response.has_header("Cache-Control"):
                response["Cache-Control"] = "no-store, private"
            if response.status_code in (403, 404):
                logger.warning(
                    "access denied user=%s status=%s %s %s",
                    user.pk,
                    response.status_code,
                    request.method,
                    request.path,
                )
        return response


# --- Two-factor authentication for staff and mentors ---------------------------------------

MFA_SESSION_KEY = "ukmlearn_mfa_enabled"
# What a staff member or mentor without two-factor authentication may still open: setting
# it up, signing out, the language, the privacy notice and the offline shell.
MFA_SETUP_PREFIXES = (
    "/accounts/2fa/",
    "/accounts/reauthenticate/",
    "/accounts/logout/",
    "/language/",
    "/privacy/",
    "/sw.js",
    "/manifest.webmanifest",
    "/offline/",
)


def mfa_required(user) -> bool:
    return bool(
        getattr(settings, "MFA_REQUIRED_FOR_STAFF_AND_MENTORS", True)
        and user.is_authenticated
        and (user.is_staff or user.is_mentor or user.is_superuser)
    )


def _mfa_enabled(user) -> bool:
    from allauth.mfa.utils import is_mfa_enabled

    return is_mfa_enabled(user)


@receiver(user_logged_in)
def _remember_mfa(sender, request, user, **kwargs):
    # One query at sign-in, none on later requests.
    if request is not None and hasattr(request, "session") and mfa_required(user):
        request.session[MFA_SESSION_KEY] = _mfa_enabled(user)


def _connect_mfa_signals() -> None:
    from allauth.mfa import signals

    def added(sender, request=None, user=None, **kwargs):
        if request is not None:
            request.session[MFA_SESSION_KEY] = True
        logger.info("two-factor added user=%s", getattr(user, "pk", "-"))

    def removed(sender, request=None, user=None, **kwargs):
        if request is not None:
            request.session.pop(MFA_SESSION_KEY, None)
        logger.info("two-factor removed user=%s", getattr(user, "pk", "-"))

    signals.authenticator_added.connect(added, dispatch_uid="ukmlearn-mfa-added", weak=False)
    signals.authenticator_removed.connect(removed, dispatch_uid="ukmlearn-mfa-removed", weak=False)


_connect_mfa_signals()


class RequireTwoFactorMiddleware:
    """Programme staff and mentors see learners' personal data: they use two-factor
    authentication. Until they have set it up, every page (the admin included) sends them to
    set it up."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and mfa_required(user)
            and not request.path.startswith(MFA_SETUP_PREFIXES)
            and not request.path.startswith(settings.STATIC_URL)
            and not request.session.get(MFA_SESSION_KEY)
        ):
            if _mfa_enabled(user):  # set up in another session since this one began
                request.session[MFA_SESSION_KEY] = True
            else:
                from django.contrib import messages
                from django.shortcuts import redirect
                from django.utils.translation import gettext

                messages.info(
                    request,
                    gettext(
                        "Programme staff and mentors protect learners' data with two-factor "
                        "authentication. Set it up with an authenticator app to continue."
                    ),
                )
                return redirect("mfa_activate_totp")
        return self.get_response(request)
