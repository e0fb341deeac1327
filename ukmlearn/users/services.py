"""Writes for people and accounts: consent, invitations, phone password resets."""

import hashlib
import hmac
import secrets
import urllib.parse
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from .models import BusinessProfile, Consent, Invitation, User


class InvitationUnusable(Exception):
    """The invitation was used, revoked or has expired."""


class PersonAlreadyActive(Exception):
    """The phone number belongs to someone who already set a password."""


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def consent_record(*, user: User, channel: str) -> Consent:
    consent, _created = Consent.objects.get_or_create(
        user=user,
        document=Consent.Document.PRIVACY,
        version=settings.PRIVACY_NOTICE_VERSION,
        defaults={"channel": channel},
    )
    return consent


def invitation_create(*, user: User, created_by: User | None) -> tuple[Invitation, str]:
    """Issue a fresh invitation; earlier unused ones stop working. Returns (invitation, token)."""
    token = secrets.token_urlsafe(24)
    now = timezone.now()
    with transaction.atomic():
        Invitation.objects.filter(user=user, used_at__isnull=True, revoked_at__isnull=True).update(
            revoked_at=now
        )
        invitation = Invitation.objects.create(
            user=user,
            token_hash=_hash_token(token),
            created_by=created_by,
            created_at=now,
            expires_at=now + timedelta(days=settings.INVITATION_VALID_DAYS),
        )
    return invitation, token


def invitation_find(*, token: str) -> Invitation | None:
    """The usable invitation for a token, or None (unknown, used, revoked and expired alike)."""
    invitation = (
        Invitation.objects.select_related("user").filter(token_hash=_hash_token(token)).first()
    )
    if invitation is None or not invitation.is_usable() or not invitation.user.is_active:
        return None
    return invitation


def invitation_accept(*, invitation_id: int, password: str) -> User:
    """Set the password and mark the invitation used, exactly once even under double submits."""
    now = timezone.now()
    with transaction.atomic():
        claimed = Invitation.objects.filter(
            pk=invitation_id, used_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now
        ).update(used_at=now)
        if claimed != 1:
            raise InvitationUnusable
        user = Invitation.objects.select_related("user").get(pk=invitation_id).user
        user.set_password(password)
        # The link went to this phone number, so whoever opened it holds the phone.
        user.phone_verified = True
        user.save(update_fields=["password", "phone_verified"])
        consent_record(user=user, channel=Consent.Channel.INVITATION)
    return user


def person_invite(
    *, name: str, phone: str, is_mentor: bool, created_by: User
) -> tuple[User, Invitation, str]:
    """Create (or refresh) a person who has not set a password yet, and invite them."""
    with transaction.atomic():
        user = User.objects.select_for_update().filter(phone=phone).first()
        # Whoever invites gets the link that sets the password: never for an account that
        # is in use, belongs to staff, or was deactivated.
        if user is not None and (
            user.has_usable_password() or user.is_staff or user.is_superuser or not user.is_active
        ):
            raise PersonAlreadyActive
        if (
            user is not None
            and not created_by.is_superuser
            and _in_someone_elses_cohort(user, created_by)
        ):
            # A learner of another staff member's cohort: their owner invites them (from the
            # cohort's invitation page), nobody else takes over their account (issue 9).
            raise PersonAlreadyActive
        if user is None:
            user = User.objects.create_user(phone=phone, name=name)
        else:
            user.name = name
        user.is_mentor = is_mentor
        user.is_learner = not is_mentor
        user.save()
        invitation, token = invitation_create(user=user, created_by=created_by)
    return user, invitation, token


def _in_someone_elses_cohort(user, staff) -> bool:
    from cohorts.models import Membership

    return (
        Membership.objects.filter(user=user, left_at__isnull=True)
        .exclude(cohort__owner=staff)
        .exists()
    )


def whatsapp_link(*, phone: str, text: str) -> str:
    """A click-to-chat link: opens WhatsApp with the message typed in, no provider needed."""
    return "https://wa.me/{}?text={}".format(phone.lstrip("+"), urllib.parse.quote(text, safe=""))


# --- Password reset by a code sent to the phone --------------------------------

RESET_CODE_TTL = timedelta(minutes=15)
RESET_MAX_ATTEMPTS = 3


@dataclass
class PhoneResetState:
    """Kept in the session between "send me a code" and "here is the code"."""

    user_id: int | None
    code_hash: str
    expires_at: float
    attempts: int = 0


def phone_reset_issue(*, phone: str) -> tuple[PhoneResetState, str | None]:
    """Make a code for the account with this phone. Unknown numbers get a state that never
    matches, so the caller behaves the same for both (no account enumeration)."""
    code = f"{secrets.randbelow(10**6):06d}"
    user = User.objects.filter(phone=phone, is_active=True).first()
    state = PhoneResetState(
        user_id=user.pk if user else None,
        code_hash=_hash_token(code),
        expires_at=(timezone.now() + RESET_CODE_TTL).timestamp(),
    )
    return state, (code if user else None)


def phone_reset_check(*, state: PhoneResetState, code: str) -> User | None:
    """The user if the code matches; counts the attempt either way.

    The count lives in the shared cache, keyed by the code, and is incremented atomically:
    parallel requests carrying the same session cannot each start from zero.
    """
    key = f"phone-reset-attempts:{state.code_hash}"
    cache.add(key, 0, timeout=int(RESET_CODE_TTL.total_seconds()))
    try:
        state.attempts = max(state.attempts + 1, cache.incr(key))
    except ValueError:  # evicted between add and incr
        state.attempts += 1
    if state.attempts > RESET_MAX_ATTEMPTS:
        return None
    if state.user_id is None or timezone.now().timestamp() > state.expires_at:
        return None
    if not hmac.compare_digest(state.code_hash, _hash_token(code.strip())):
        return None
    return User.objects.filter(pk=state.user_id, is_active=True).first()


# --- Business profile completeness (read on every visit to the home page) -----------------

PROFILE_DONE_KEY = "users:profile-done:{}"
PROFILE_DONE_SECONDS = 24 * 60 * 60


def business_profile_complete(user) -> bool:
    """The learner has told us what only they know (founding year, workers). A complete
    profile is remembered in the cache for a day; saving or deleting a profile forgets it."""
    key = PROFILE_DONE_KEY.format(user.pk)
    if cache.get(key):
        return True
    done = BusinessProfile.objects.filter(
        user=user, year_started__isnull=False, workers__isnull=False
    ).exists()
    if done:
        cache.set(key, True, PROFILE_DONE_SECONDS)
    return done


def _profile_changed(sender, instance, **kwargs):
    cache.delete(PROFILE_DONE_KEY.format(instance.user_id))


def connect_profile_signals() -> None:
    from django.db.models.signals import post_delete, post_save

    for signal in (post_save, post_delete):
        signal.connect(_profile_changed, sender=BusinessProfile, dispatch_uid="profile-done")
