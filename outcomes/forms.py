from django import forms
from django.utils.translation import gettext_lazy as _

from . import instrument
from .models import Partner


class SurveyForm(forms.Form):
    """The questions of one survey version: radio buttons or tick boxes, plus an optional
    photo where a question takes evidence. Validation of the answers themselves is the
    service's (outcomes.services.responses.clean_answers), so drafts and API-like posts get
    the same checks."""

    def __init__(self, *args, questions, evidence=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        evidence = evidence or {}
        for question in questions:
            choices = question.choices
            if question.answer_kind == instrument.MULTI:
                field = forms.MultipleChoiceField(
                    choices=choices, widget=forms.CheckboxSelectMultiple, required=False
                )
            else:
                field = forms.ChoiceField(choices=choices, widget=forms.RadioSelect, required=False)
            field.label = question.label
            field.help_text = question.hint
            field.question = question
            self.fields[question.field_name] = field
            if question.allow_evidence or (question.core and question.core.evidence):
                photo = forms.ImageField(
                    label=_("Photo as evidence (optional)"),
                    required=False,
                    help_text=_("For example a screenshot of your shop. At most 10 MB."),
                    widget=forms.ClearableFileInput(attrs={"accept": "image/*"}),
                )
                photo.existing = evidence.get(question.pk)
                self.fields[f"evidence_{question.pk}"] = photo

    def raw_answers(self) -> dict:
        """What was posted, keyed by question id (unchecked: the service validates)."""
        raw = {}
        for question in self.questions:
            if question.answer_kind == instrument.MULTI:
                raw[str(question.pk)] = self.data.getlist(question.field_name)
            else:
                raw[str(question.pk)] = self.data.get(question.field_name, "")
        return raw

    def photos(self) -> dict:
        photos = {}
        for question in self.questions:
            upload = self.files.get(f"evidence_{question.pk}")
            if upload:
                photos[question.pk] = upload
        return photos

    def question_fields(self):
        """(answer field, evidence field or None) pairs in question order, for the template."""
        for question in self.questions:
            answer = self[question.field_name]
            name = f"evidence_{question.pk}"
            yield answer, (self[name] if name in self.fields else None)


class ReportFilterForm(forms.Form):
    """Filters of the outcome report. Every field is optional; unknown values are refused
    with a message instead of being ignored."""

    partner = forms.ModelChoiceField(
        queryset=Partner.objects.none(),
        required=False,
        label=_("Partner"),
        empty_label=_("All"),
    )
    programme = forms.ChoiceField(required=False, label=_("Programme"))
    cohort = forms.ChoiceField(required=False, label=_("Cohort"))
    province = forms.ChoiceField(required=False, label=_("Province"))
    sector = forms.ChoiceField(required=False, label=_("Sector"))
    gender = forms.ChoiceField(required=False, label=_("Gender"))
    start_from = forms.DateField(
        required=False,
        label=_("Cohorts starting from"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    start_to = forms.DateField(
        required=False,
        label=_("Cohorts starting until"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args, cohorts, partners, **kwargs):
        from ukmlearn.users.choices import Gender, Province, Sector

        super().__init__(*args, **kwargs)
        all_option = [("", _("All"))]
        self.fields["partner"].queryset = partners
        self.fields["programme"].choices = all_option + [
            (p, p) for p in sorted({c.programme for c in cohorts})
        ]
        self.fields["cohort"].choices = all_option + [(str(c.pk), c.name) for c in cohorts]
        self.fields["province"].choices = all_option + list(Province.choices)
        self.fields["sector"].choices = all_option + list(Sector.choices)
        self.fields["gender"].choices = all_option + list(Gender.choices)

    def clean(self):
        data = super().clean()
        start, end = data.get("start_from"), data.get("start_to")
        if start and end and end < start:
            self.add_error("start_to", _("The end of the period is before its start."))
        return data
