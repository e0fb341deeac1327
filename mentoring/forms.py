from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ukmlearn.ids import IdsChoiceField
from ukmlearn.users.choices import Province, Sector
from ukmlearn.users.phone import PhoneField

from .models import (
    ExpertiseTag,
    Language,
    LearnerNeeds,
    MentoringSession,
    MentorProfile,
    Mode,
    PairingWeights,
)

ACTION_SLOTS = 3


class SessionLogForm(forms.ModelForm):
    """Everything a mentor logs after a session; most fields have a sensible default so a
    quick log takes under a minute on a phone."""

    class Meta:
        model = MentoringSession
        fields = [
            "held_at",
            "duration_minutes",
            "mode",
            "topics",
            "summary",
            "private_notes",
            "next_planned_at",
        ]
        widgets = {
            "held_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
            "mode": forms.RadioSelect,
            "topics": forms.CheckboxSelectMultiple,
            "summary": forms.Textarea(attrs={"rows": 3}),
            "private_notes": forms.Textarea(attrs={"rows": 3}),
            "next_planned_at": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "duration_minutes": forms.NumberInput(
                attrs={"inputmode": "numeric", "min": 1, "max": 600}
            ),
        }
        field_classes = {"topics": IdsChoiceField}

    def __init__(self, *args, with_actions=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topics"].queryset = ExpertiseTag.objects.filter(is_active=True)
        self.fields["topics"].required = False
        if not self.instance.pk:
            self.initial.setdefault("held_at", timezone.localtime().strftime("%Y-%m-%dT%H:%M"))
        self.fields["duration_minutes"].error_messages["min_value"] = _(
            "Enter the duration in minutes, from 1 to 600."
        )
        self.fields["duration_minutes"].error_messages["max_value"] = _(
            "Enter the duration in minutes, from 1 to 600."
        )
        self.with_actions = with_actions
        if with_actions:
            for n in range(1, ACTION_SLOTS + 1):
                self.fields[f"action_{n}"] = forms.CharField(
                    label=_("Action item %(n)s") % {"n": n}, max_length=300, required=False
                )
                self.fields[f"action_{n}_due"] = forms.DateField(
                    label=_("Due date"),
                    required=False,
                    widget=forms.DateInput(attrs={"type": "date"}),
                )

    def clean_held_at(self):
        held_at = self.cleaned_data["held_at"]
        now = timezone.now()
        if held_at > now + timedelta(hours=1):
            raise forms.ValidationError(_("A session is logged after it happened: check the date."))
        if held_at < now - timedelta(days=365):
            raise forms.ValidationError(_("That date is more than a year ago: check the date."))
        return held_at

    def clean_duration_minutes(self):
        minutes = self.cleaned_data["duration_minutes"]
        if not 1 <= minutes <= 600:
            raise forms.ValidationError(_("Enter the duration in minutes, from 1 to 600."))
        return minutes

    def clean(self):
        cleaned = super().clean()
        items = []
        if self.with_actions:
            for n in range(1, ACTION_SLOTS + 1):
                text, due = cleaned.get(f"action_{n}"), cleaned.get(f"action_{n}_due")
                if text and not due:
                    self.add_error(f"action_{n}_due", _("Give the action item a due date."))
                elif due and not text:
                    self.add_error(f"action_{n}", _("Describe the action item."))
                elif text and due:
                    if due < timezone.localdate():
                        self.add_error(f"action_{n}_due", _("The due date has already passed."))
                    items.append((text, due))
        cleaned["action_items"] = items
        return cleaned


class SessionConfirmForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("How useful was this session?"),
        choices=[(str(n), str(n)) for n in range(1, 6)],
        coerce=int,
        required=False,
        empty_value=None,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(label=_("Comment (optional)"), max_length=500, required=False)


class MentorProfileForm(forms.ModelForm):
    sectors = forms.MultipleChoiceField(
        label=_("Sectors"),
        choices=Sector.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    provinces = forms.MultipleChoiceField(
        label=_("Provinces served"), choices=Province.choices, required=False
    )
    cities = forms.CharField(
        label=_("Cities served"),
        required=False,
        max_length=500,
        help_text=_("Separate with commas, e.g. Bandung, Cimahi."),
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages"),
        choices=Language.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    modes = forms.MultipleChoiceField(
        label=_("Modes"), choices=Mode.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = MentorProfile
        fields = ["expertise", "sectors", "provinces", "cities", "languages", "modes", "capacity"]
        widgets = {"expertise": forms.CheckboxSelectMultiple}
        field_classes = {"expertise": IdsChoiceField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expertise"].queryset = ExpertiseTag.objects.filter(is_active=True)
        if self.instance.pk:
            self.initial["cities"] = ", ".join(self.instance.cities)

    def clean_cities(self):
        return [c.strip() for c in self.cleaned_data["cities"].split(",") if c.strip()][:30]

    def clean_capacity(self):
        capacity = self.cleaned_data["capacity"]
        if not 1 <= capacity <= 200:
            raise forms.ValidationError(_("Enter a number from 1 to 200."))
        return capacity


class LearnerNeedsForm(forms.ModelForm):
    class Meta:
        model = LearnerNeeds
        fields = ["skills", "language", "preferred_mode"]
        widgets = {"skills": forms.CheckboxSelectMultiple, "preferred_mode": forms.RadioSelect}
        field_classes = {"skills": IdsChoiceField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["skills"].queryset = ExpertiseTag.objects.filter(is_active=True)


class AddMentorForm(forms.Form):
    phone = PhoneField(label=_("Mentor's mobile number"))


class PairingWeightsForm(forms.ModelForm):
    class Meta:
        model = PairingWeights
        fields = ["need", "sector", "city", "province", "language", "mode"]

    def clean(self):
        cleaned = super().clean()
        for name in self.Meta.fields:
            value = cleaned.get(name)
            if value is not None and value > 20:
                self.add_error(name, _("Use a weight from 0 to 20."))
        return cleaned
