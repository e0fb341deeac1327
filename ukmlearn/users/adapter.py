"""allauth adapter: phone numbers live on User, codes go out through the message gateway."""

from allauth.account.adapter import DefaultAccountAdapter
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext

from ukmlearn import gateway

from . import services
from .models import Consent
from .phone import PhoneField, normalize_phone


class AccountAdapter(DefaultAccountAdapter):
    def phone_form_field(self, **kwargs):
        kwargs.pop("label", None)
        return PhoneField(**kwargs)

    def clean_phone(self, phone: str) -> str:
        return normalize_phone(phone)

    def set_phone(self, user, phone: str, verified: bool) -> None:
        previous = user.phone
        user.phone = phone
        user.phone_verified = verified
        if user.pk:
            user.save(update_fields=["phone", "phone_verified"])
            if previous and previous != phone:
                # A new number signs the person out everywhere else (issue 9).
                from ukmlearn.security import end_other_sessions

                end_other_sessions(getattr(self, "request", None), user)

    def get_phone(self, user):
        if not user.phone:
            return None
        return user.phone, user.phone_verified

    def set_phone_verified(self, user, phone: str) -> None:
        self.set_phone(user, phone, True)

    def get_user_by_phone(self, phone: str):
        # The login form hands over the number as typed (08..., +62..., 62...).
        try:
            phone = normalize_phone(phone)
        except ValidationError:
            return None
        return get_user_model().objects.filter(phone=phone).first()

    def send_verification_code_sms(self, user, phone: str, code: str, **kwargs) -> None:
        with translation.override(getattr(user, "language", None) or "id"):
            text = gettext("Your ukmlearn code is {code}. Do not share it with anyone.").format(
                code=code
            )
        gateway.send_message(to=phone, text=text)

    def send_account_already_exists_sms(self, phone: str) -> None:
        # In the account holder's language, not that of whoever tried to sign up.
        owner = self.get_user_by_phone(phone)
        with translation.override(getattr(owner, "language", None) or "id"):
            text = gettext(
                "Someone tried to sign up to ukmlearn with this number, but it already has an "
                "account. Forgot your password? Use 'Forgot password' on the sign-in page."
            )
        gateway.send_message(to=phone, text=text)

    def save_user(self, request, user, form, commit=True):
        data = form.cleaned_data
        user.name = data.get("name", "")
        user.phone = data.get("phone") or None
        user.timezone = data.get("timezone") or user.timezone
        user.language = translation.get_language() or "id"
        user = super().save_user(request, user, form, commit=commit)
        if commit and data.get("consent"):
            services.consent_record(user=user, channel=Consent.Channel.SIGNUP)
        return user
