"""Indonesian phone numbers: every accepted form is normalised to E.164 (+62...)."""

import phonenumbers
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

INVALID_PHONE_MESSAGE = _("This phone number is not valid. Example: 0812 3456 7890.")
MOBILE_TYPES = {
    phonenumbers.PhoneNumberType.MOBILE,
    phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
}


def normalize_phone(raw: str) -> str:
    """Return the E.164 form of a mobile number typed as 08..., +62... or 62...

    Indonesian numbers must be mobile numbers (WhatsApp and SMS reach them); a valid foreign
    number written with its country code (+65...) is accepted as it is. Anything else raises
    ValidationError.
    """
    text = (raw or "").strip()
    # phonenumbers reads letters as keypad digits ("ABC" -> 222): that would be a stranger.
    if len(text) > 32 or any(ch.isalpha() for ch in text):
        raise ValidationError(INVALID_PHONE_MESSAGE, code="invalid_phone")
    digits_only = "".join(ch for ch in text if ch.isdigit())
    if text.startswith("62") or (digits_only.startswith("62") and not text.startswith("+")):
        text = "+" + digits_only
    try:
        number = phonenumbers.parse(text, "ID")
    except phonenumbers.NumberParseException as exc:
        raise ValidationError(INVALID_PHONE_MESSAGE, code="invalid_phone") from exc
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(INVALID_PHONE_MESSAGE, code="invalid_phone")
    if phonenumbers.region_code_for_number(number) == "ID" and (
        phonenumbers.number_type(number) not in MOBILE_TYPES
    ):
        raise ValidationError(
            _("Please use a mobile number (it starts with 08)."), code="not_mobile"
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def display_phone(e164: str) -> str:
    """0812-3456-7890 style, the way Indonesians write their own numbers."""
    # Fast path (exports format thousands): +62 8x mobile numbers of 11-13 national digits
    # are always grouped 4-4-rest; anything else goes through phonenumbers.
    if (
        e164.startswith("+628")
        and 13 <= len(e164) <= 15
        and e164[4] in "1235789"
        and e164[1:].isdigit()
    ):
        national = "0" + e164[3:]
        return f"{national[:4]}-{national[4:8]}-{national[8:]}"
    try:
        number = phonenumbers.parse(e164, "ID")
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)


class PhoneField(forms.CharField):
    """A form field that accepts 08..., +62... and 62... and cleans to E.164."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 32)
        kwargs.setdefault("label", _("Mobile number (WhatsApp)"))
        kwargs.setdefault(
            "widget",
            forms.TextInput(
                attrs={
                    "type": "tel",
                    "autocomplete": "tel",
                    "inputmode": "tel",
                    "placeholder": "0812 3456 7890",
                }
            ),
        )
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return value
        return normalize_phone(value)
