from dataclasses import asdict

from allauth.core import ratelimit
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, password_validation
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext, ngettext
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from ukmlearn import gateway

from . import services
from .decorators import staff_required
from .forms import (
    AccountSettingsForm,
    BusinessProfileForm,
    InvitationAcceptForm,
    InvitePersonForm,
    PhoneResetConfirmForm,
    PhoneResetRequestForm,
)
from .models import BusinessProfile, Invitation
from .phone import display_phone
from .tasks import invitation_message, send_invitation_message

INVITATION_SESSION_KEY = "ukmlearn_invitation_id"
PHONE_RESET_SESSION_KEY = "ukmlearn_phone_reset"
AUTH_BACKEND = "django.contrib.auth.backends.ModelBackend"


def privacy(request):
    return render(request, "users/privacy.html", {"version": settings.PRIVACY_NOTICE_VERSION})


@login_required
def business_profile(request):
    profile = BusinessProfile.objects.filter(user=request.user).first()
    form = BusinessProfileForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        form.instance.user = request.user
        form.save()
        messages.success(request, gettext("Your business profile is saved."))
        if profile is None and request.user.is_learner:
            # Onboarding goes on with what the learner wants a mentor's help with.
            return redirect("mentoring:learner_needs")
        return redirect("home")
    return render(request, "users/business_profile.html", {"form": form, "profile": profile})


@login_required
def account_settings(request):
    form = AccountSettingsForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, gettext("Your settings are saved."))
        return redirect("account_settings")
    return render(request, "users/account_settings.html", {"form": form})


@require_POST
def language_switch(request):
    """Django's set_language, plus remembering the choice on the account for messages."""
    response = set_language(request)
    language = request.POST.get("language")
    if request.user.is_authenticated and language in {"id", "en"}:
        request.user.language = language
        request.user.save(update_fields=["language"])
    return response


# --- Invitations -----------------------------------------------------------------


@staff_required
def invite_person(request):
    form = InvitePersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user, invitation, token = services.person_invite(
                name=data["name"],
                phone=data["phone"],
                is_mentor=data["role"] == "mentor",
                created_by=request.user,
            )
        except services.PersonAlreadyActive:
            form.add_error("phone", gettext("This number already has an active account."))
        else:
            link = request.build_absolute_uri(reverse("invitation_open", args=[token]))
            if data["send_message"]:
                transaction.on_commit(
                    lambda: send_invitation_message.apply_async(
                        (invitation.pk, link), argsrepr=f"({invitation.pk}, '<link>')"
                    )
                )
            text = invitation_message(name=user.name, link=link)
            return render(
                request,
                "users/invite_done.html",
                {
                    "person": user,
                    "phone_display": display_phone(user.phone),
                    "link": link,
                    "invitation": invitation,
                    "whatsapp_link": services.whatsapp_link(phone=user.phone, text=text),
                    "sent": data["send_message"],
                },
            )
    return render(request, "users/invite_person.html", {"form": form})


def invitation_open(request, token):
    """Check the token, then move it out of the URL (and out of Referer headers)."""
    invitation = services.invitation_find(token=token)
    if invitation is None:
        return render(request, "users/invitation_invalid.html", status=410)
    request.session[INVITATION_SESSION_KEY] = invitation.pk
    return HttpResponseRedirect(reverse("invitation_accept"))


def invitation_accept(request):
    invitation_id = request.session.get(INVITATION_SESSION_KEY)
    invitation = (
        Invitation.objects.select_related("user").filter(pk=invitation_id).first()
        if invitation_id
        else None
    )
    if invitation is None or not invitation.is_usable():
        return render(request, "users/invitation_invalid.html", status=410)
    form = InvitationAcceptForm(request.POST or None, user=invitation.user)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.invitation_accept(
                invitation_id=invitation.pk, password=form.cleaned_data["password1"]
            )
        except services.InvitationUnusable:
            return render(request, "users/invitation_invalid.html", status=410)
        request.session.pop(INVITATION_SESSION_KEY, None)
        login(request, user, backend=AUTH_BACKEND)
        messages.success(request, gettext("Welcome! Your password is set."))
        return redirect("home")
    return render(
        request, "users/invitation_accept.html", {"form": form, "person": invitation.user}
    )


# --- Password reset with a code sent to the phone ---------------------------------


def phone_reset_request(request):
    form = PhoneResetRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        phone = form.cleaned_data["phone"]
        if not ratelimit.consume(request, action="reset_password_phone", key=phone):
            form.add_error(
                None, gettext("Too many requests. Please wait 10 minutes and try again.")
            )
        else:
            state, code = services.phone_reset_issue(phone=phone)
            if code:
                text = gettext(
                    "Your ukmlearn password reset code is {code}. Do not share it with anyone."
                ).format(code=code)
                try:
                    gateway.send_message(to=phone, text=text)
                except gateway.GatewayError:
                    form.add_error(
                        None, gettext("We could not send the code right now. Please try again.")
                    )
                    return render(request, "users/phone_reset_request.html", {"form": form})
            request.session[PHONE_RESET_SESSION_KEY] = asdict(state)
            return redirect("phone_reset_confirm")
    return render(request, "users/phone_reset_request.html", {"form": form})


def phone_reset_confirm(request):
    raw_state = request.session.get(PHONE_RESET_SESSION_KEY)
    if not raw_state:
        return redirect("phone_reset_request")
    state = services.PhoneResetState(**raw_state)
    form = PhoneResetConfirmForm(request.POST or None, user=None)
    if request.method == "POST" and form.is_valid():
        user = services.phone_reset_check(state=state, code=form.cleaned_data["code"])
        if user is None:
            if state.attempts >= services.RESET_MAX_ATTEMPTS:
                request.session.pop(PHONE_RESET_SESSION_KEY, None)
                messages.error(request, gettext("Too many wrong codes. Please ask for a new code."))
                return redirect("phone_reset_request")
            request.session[PHONE_RESET_SESSION_KEY] = asdict(state)
            form.add_error(
                "code",
                ngettext(
                    "The code is wrong or has expired. {left} try left.",
                    "The code is wrong or has expired. {left} tries left.",
                    services.RESET_MAX_ATTEMPTS - state.attempts,
                ).format(left=services.RESET_MAX_ATTEMPTS - state.attempts),
            )
        else:
            password = form.cleaned_data["password1"]
            try:
                # Only now is the account known: check the password against its details too.
                password_validation.validate_password(password, user)
            except ValidationError as exc:
                form.add_error("password1", exc)
            else:
                user.set_password(password)
                user.phone_verified = True
                user.save(update_fields=["password", "phone_verified"])
                request.session.pop(PHONE_RESET_SESSION_KEY, None)
                messages.success(
                    request, gettext("Your password has been changed. Please sign in.")
                )
                return redirect("account_login")
    return render(request, "users/phone_reset_confirm.html", {"form": form})
