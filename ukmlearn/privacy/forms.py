from django import forms
from django.utils.translation import gettext_lazy as _

CONFIRM_WORD = "HAPUS"


class AccountDeleteForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    confirm = forms.CharField(
        label=_("Type HAPUS to confirm"),
        max_length=20,
        help_text=_("This cannot be undone."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("The password is not right."))
        return password

    def clean_confirm(self):
        word = self.cleaned_data["confirm"].strip().upper()
        if word != CONFIRM_WORD:
            raise forms.ValidationError(_("Type the word HAPUS to delete your account."))
        return word


class AuditFilterForm(forms.Form):
    subject = forms.IntegerField(label=_("Person (id)"), required=False, min_value=1)
    action = forms.ChoiceField(label=_("What"), required=False)

    def __init__(self, *args, **kwargs):
        from .models import AuditEvent

        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", _("All"))] + list(AuditEvent.Action.choices)
