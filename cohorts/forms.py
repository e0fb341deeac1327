import zoneinfo
from datetime import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from courses.models import Course, Lesson
from ukmlearn.ids import IdsChoiceField

from .models import Cohort

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME_WIDGET = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


# A cohort's or session's date must be plausible: year 1 at midnight WIB is before
# datetime.min in UTC, and survey windows add months to a cohort's last day.
PLAUSIBLE_YEARS = (2000, 2100)


def plausible_date_error(value):
    if value and not (PLAUSIBLE_YEARS[0] <= value.year <= PLAUSIBLE_YEARS[1]):
        return _("Enter a date between 2000 and 2100.")
    return None


class CohortForm(forms.ModelForm):
    class Meta:
        model = Cohort
        fields = [
            "name",
            "programme",
            "courses",
            "start_date",
            "end_date",
            "province",
            "city",
            "mode",
            "capacity",
            "timezone",
            "status",
            "min_attendance_percent",
            "min_confirmed_sessions",
            "endline_required",
            "inactive_days",
        ]
        widgets = {
            "courses": forms.CheckboxSelectMultiple,
            "start_date": DATE_WIDGET,
            "end_date": DATE_WIDGET,
        }
        field_classes = {"courses": IdsChoiceField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["courses"].queryset = Course.objects.order_by("title")

    def clean(self):
        cleaned = super().clean()
        for name in ("start_date", "end_date"):
            error = plausible_date_error(cleaned.get(name))
            if error:
                self.add_error(name, error)
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end <= start:
            self.add_error("end_date", _("The end date must be after the start date."))
        percent = cleaned.get("min_attendance_percent")
        if percent is not None and percent > 100:
            self.add_error("min_attendance_percent", _("Enter a percentage from 0 to 100."))
        return cleaned


class LiveSessionForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=150)
    date = forms.DateField(label=_("Date"), widget=DATE_WIDGET)
    start_time = forms.TimeField(label=_("Starts"), widget=TIME_WIDGET)
    end_time = forms.TimeField(label=_("Ends"), widget=TIME_WIDGET)
    meeting_url = forms.URLField(
        label=_("Meeting link (online)"), required=False, assume_scheme="https"
    )
    venue = forms.CharField(label=_("Venue (offline)"), max_length=150, required=False)
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    catch_up_lesson = forms.ModelChoiceField(
        label=_("Catch-up lesson (recording summary)"),
        queryset=Lesson.objects.none(),
        required=False,
    )
    catch_up_counts = forms.BooleanField(
        label=_("Completing the catch-up lesson counts as attending"), required=False
    )

    def __init__(self, *args, cohort, **kwargs):
        self.cohort = cohort
        super().__init__(*args, **kwargs)
        self.fields["catch_up_lesson"].queryset = Lesson.objects.filter(
            module__course__in=cohort.courses.all()
        ).select_related("module__course")
        self.fields["date"].help_text = _("Times are in the cohort's time zone ({zone}).").format(
            zone=cohort.get_timezone_display()
        )

    def clean(self):
        cleaned = super().clean()
        date, start, end = cleaned.get("date"), cleaned.get("start_time"), cleaned.get("end_time")
        error = plausible_date_error(date)
        if error:
            self.add_error("date", error)
            date = None
        if date and start and end:
            zone = zoneinfo.ZoneInfo(self.cohort.timezone)
            cleaned["starts_at"] = datetime.combine(date, start, tzinfo=zone)
            cleaned["ends_at"] = datetime.combine(date, end, tzinfo=zone)
            if end <= start:
                self.add_error("end_time", _("The session must end after it starts."))
        if not cleaned.get("meeting_url") and not cleaned.get("venue"):
            self.add_error("venue", _("Give a meeting link, a venue, or both."))
        if cleaned.get("catch_up_counts") and not cleaned.get("catch_up_lesson"):
            self.add_error("catch_up_lesson", _("Choose the catch-up lesson."))
        return cleaned


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Participant spreadsheet (CSV or XLSX, up to 5 MB)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
    )


class CheckInForm(forms.Form):
    code = forms.CharField(
        label=_("Session code"),
        min_length=6,
        max_length=6,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
