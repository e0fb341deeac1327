from allauth.account.forms import LoginForm as AllauthLoginForm
from allauth.account.forms import SignupForm as AllauthSignupForm
from allauth.account.models import EmailAddress
from django import forms
from django.contrib.auth import password_validation
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .choices import TimeZone
from .models import BusinessProfile, User
from .phone import PhoneField

PASSWORD_HELP = _("At least 8 characters. Not only numbers, and not a common password.")


def _consent_label():
    return format_html(
        _('I have read and agree to the <a href="{url}">privacy notice</a>'),
        url=reverse("privacy"),
    )


def consent_field():
    return forms.BooleanField(
        required=True,
        label=lazy(_consent_label, str)(),
        label_suffix="",
        error_messages={"required": _("Please agree to the privacy notice to continue.")},
    )


def _forgot_password_link():
    return format_html(
        '<a href="{}">{}</a>', reverse("phone_reset_request"), _("Forgot your password?")
    )


class LoginForm(AllauthLoginForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["login"].label = _("Mobile number or e-mail")
        self.fields["login"].widget.attrs.update(
            {"placeholder": "0812 3456 7890", "autocomplete": "username"}
        )
        self.fields["login"].max_length = 254
        self.fields["password"].label = _("Password")
        self.fields["password"].widget.attrs["placeholder"] = ""
        self.fields["password"].help_text = lazy(_forgot_password_link, str)()


class SignupForm(AllauthSignupForm):
    name = forms.CharField(label=_("Full name"), max_length=150)
    timezone = forms.ChoiceField(
        label=_("Time zone"), choices=TimeZone.choices, initial=TimeZone.WIB
    )
    field_order = ["name", "phone", "email", "password1", "password2", "timezone", "consent"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consent"] = consent_field()
        self.fields["email"].label = _("E-mail (optional)")
        self.fields["phone"].help_text = _("We send codes and reminders here via WhatsApp.")
        self.fields["password1"].label = _("Password")
        self.fields["password1"].help_text = PASSWORD_HELP
        self.fields["password2"].label = _("Password (again)")
        self.order_fields(self.field_order)

    def clean(self):
        cleaned = super().clean()
        if not (cleaned.get("phone") or cleaned.get("email")) and not (
            self.errors.get("phone") or self.errors.get("email")
        ):
            self.add_error("phone", _("Fill in a mobile number or an e-mail address."))
        password = cleaned.get("password1")
        if password and "password1" not in self.errors:
            # allauth checks the password against a bare user; ours knows name and phone.
            candidate = User(
                name=cleaned.get("name", ""),
                phone=cleaned.get("phone") or None,
                email=cleaned.get("email") or "",
            )
            try:
                password_validation.validate_password(password, candidate)
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        if self.account_already_exists:
            # allauth would pretend the sign-up worked; we say it plainly on the form
            # (docs/decisions/0002-accounts-and-phone-login.md).
            self.account_already_exists = False
            self._add_taken_errors(cleaned)
        return cleaned

    def validate_unique_email(self, value):
        # allauth matches e-mails exactly; people type them with any capitals.
        if User.objects.filter(email__iexact=value).exists():
            self.account_already_exists = True
            return value
        return super().validate_unique_email(value)

    def _add_taken_errors(self, cleaned):
        phone, email = cleaned.get("phone"), cleaned.get("email")
        if phone and User.objects.filter(phone=phone).exists():
            self.add_error(
                "phone",
                _("This number already has an account. Sign in, or use 'Forgot password'."),
            )
        if email and (
            User.objects.filter(email__iexact=email).exists()
            or EmailAddress.objects.filter(email__iexact=email).exists()
        ):
            self.add_error(
                "email",
                _("This e-mail already has an account. Sign in, or use 'Forgot password'."),
            )


class BusinessProfileForm(forms.ModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year_started"].required = True
        self.fields["workers"].required = True

    class Meta:
        model = BusinessProfile
        fields = ["business_name", "sector", "city", "province", "year_started", "workers"]
        widgets = {
            "year_started": forms.NumberInput(attrs={"inputmode": "numeric"}),
            "workers": forms.NumberInput(attrs={"inputmode": "numeric"}),
        }

    def clean_year_started(self):
        year = self.cleaned_data["year_started"]
        if year < 1900 or year > timezone.localdate().year:
            raise forms.ValidationError(_("Enter the year your business started, e.g. 2019."))
        return year

    def clean_workers(self):
        workers = self.cleaned_data["workers"]
        if workers < 1 or workers > 10000:
            raise forms.ValidationError(_("Enter the number of workers, including yourself."))
        return workers


class AccountSettingsForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["name", "timezone", "data_saver"]


class SetPasswordForm(forms.Form):
    password1 = forms.CharField(
        label=_("New password"),
        help_text=PASSWORD_HELP,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("New password (again)"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        p1, p2 = cleaned.get("password1"), cleaned.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("The two passwords are not the same."))
        elif p1:
            try:
                password_validation.validate_password(p1, self.user)
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return cleaned


class InvitationAcceptForm(SetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consent"] = consent_field()


class InvitePersonForm(forms.Form):
    name = forms.CharField(label=_("Full name"), max_length=150)
    phone = PhoneField()
    role = forms.ChoiceField(
        label=_("Role"),
        choices=[("learner", _("Learner")), ("mentor", _("Mentor"))],
        initial="learner",
        widget=forms.RadioSelect,
    )
    send_message = forms.BooleanField(
        label=_("Also send the invitation through the message gateway"), required=False
    )


class PhoneResetRequestForm(forms.Form):
    phone = PhoneField()


class PhoneResetConfirmForm(SetPasswordForm):
    code = forms.CharField(
        label=_("Code"),
        max_length=6,
        min_length=6,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )
    field_order = ["code", "password1", "password2"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.order_fields(self.field_order)
