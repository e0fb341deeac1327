from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import instrument
from .models import Partner, Question, Survey
from .services.responses import survey_copy


class QuestionInlineForm(forms.ModelForm):
    class Meta:
        model = Question
        fields = [
            "position",
            "core_key",
            "text",
            "help_text",
            "kind",
            "options",
            "required",
            "allow_evidence",
        ]

    def clean(self):
        data = super().clean()
        if not data.get("core_key"):
            if not data.get("text"):
                self.add_error("text", _("Write the question (or pick a core indicator)."))
            lines = [line for line in (data.get("options") or "").splitlines() if line.strip()]
            if len(lines) < 2:
                self.add_error("options", _("Give at least two answer options, one per line."))
        return data


class QuestionInlineFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        kept = [f for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE", False)]
        if len(kept) > instrument.MAX_QUESTIONS:
            raise ValidationError(
                _("A survey has at most %(n)s questions.") % {"n": instrument.MAX_QUESTIONS}
            )
        keys = [f.cleaned_data.get("core_key") for f in kept if f.cleaned_data.get("core_key")]
        if len(keys) != len(set(keys)):
            raise ValidationError(_("Each core indicator can be asked only once."))
        core = set(keys)
        missing = set(instrument.CORE_KEYS) - core
        if missing:
            raise ValidationError(
                _(
                    "Every core indicator stays in each version (missing: %(keys)s); add "
                    "programme questions next to them."
                )
                % {"keys": ", ".join(sorted(missing))}
            )


class QuestionInline(admin.TabularInline):
    model = Question
    form = QuestionInlineForm
    formset = QuestionInlineFormSet
    extra = 0

    def has_add_permission(self, request, obj=None):
        return obj is None or not obj.is_locked

    def has_change_permission(self, request, obj=None):
        return obj is None or not obj.is_locked

    def has_delete_permission(self, request, obj=None):
        return obj is None or not obj.is_locked


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin):
    list_display = ["title", "version", "is_default", "created_at"]
    filter_horizontal = ["cohorts"]
    inlines = [QuestionInline]
    actions = ["copy_as_new_version"]

    def get_readonly_fields(self, request, obj=None):
        # Answers point at a version: once it has any, its number and questions are fixed.
        return ["version"] if obj is not None and obj.is_locked else []

    @admin.action(description=_("Copy as a new version (to change questions)"))
    def copy_as_new_version(self, request, queryset):
        for survey in queryset:
            copy = survey_copy(survey=survey)
            self.message_user(
                request,
                _("Version %(v)s created from %(s)s.") % {"v": copy.version, "s": survey},
                messages.SUCCESS,
            )


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ["name", "created_at"]
    search_fields = ["name"]
    filter_horizontal = ["members", "cohorts"]
