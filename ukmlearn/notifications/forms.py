from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Channel, Kind, NotificationPreference

TIME_WIDGET = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class PreferenceForm(forms.ModelForm):
    class Meta:
        model = NotificationPreference
        fields = ["whatsapp", "email", "quiet_start", "quiet_end"]
        widgets = {"quiet_start": TIME_WIDGET, "quiet_end": TIME_WIDGET}


class RuleForm(forms.Form):
    """One row per reminder kind on the cohort's reminder page."""

    enabled = forms.BooleanField(label=_("On"), required=False)
    threshold_days = forms.IntegerField(label=_("After days"), min_value=0, max_value=60)
    channels = forms.MultipleChoiceField(
        label=_("Channels"),
        choices=Channel.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, kind: str, **kwargs):
        self.kind = kind
        super().__init__(*args, **kwargs)
        self.label = Kind(kind).label
