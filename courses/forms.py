import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import Question
from .services.pictures import MAX_UPLOAD_BYTES, open_image
from .services.practice import MAX_PHOTOS


class QuizForm(forms.Form):
    """One field per question; the choices are the question's option ids, so forged or
    foreign option ids fail validation. Nothing here knows which option is correct."""

    idempotency_key = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for number, question in enumerate(questions, start=1):
            choices = [(str(option.pk), option.text) for option in question.option_list]
            label = f"{number}. {question.text}"
            required_message = _("Please answer this question.")
            if question.kind == Question.Kind.MULTIPLE:
                field = forms.MultipleChoiceField(
                    label=label,
                    choices=choices,
                    widget=forms.CheckboxSelectMultiple,
                    help_text=_("Choose all answers that are right."),
                    error_messages={"required": required_message},
                )
            else:
                field = forms.ChoiceField(
                    label=label,
                    choices=choices,
                    widget=forms.RadioSelect,
                    error_messages={"required": required_message},
                )
            self.fields[f"q{question.pk}"] = field

    def answers(self) -> dict[int, set[int]]:
        result = {}
        for question in self.questions:
            value = self.cleaned_data.get(f"q{question.pk}")
            values = value if isinstance(value, list) else [value]
            result[question.pk] = {int(v) for v in values if v}
        return result


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    widget = MultipleFileInput

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.widget.attrs.update({"accept": "image/*"})

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        files = [f for f in files if f]
        if len(files) > MAX_PHOTOS:
            raise ValidationError(_("You can send at most 3 photos."))
        for upload in files:
            if upload.size > MAX_UPLOAD_BYTES:
                raise ValidationError(
                    _("%(name)s is too large (maximum 10 MB)."), params={"name": upload.name[:60]}
                )
            # Reads the image for real: non-images and decompression bombs stop here.
            open_image(upload)
            upload.seek(0)
        return files


class TaskSubmissionForm(forms.Form):
    idempotency_key = forms.UUIDField(widget=forms.HiddenInput)
    text = forms.CharField(
        label=_("Your answer"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    link = forms.URLField(
        label=_("Link (optional)"),
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=_("For example the link to your WhatsApp catalogue or shop."),
    )
    photos = PhotosField(
        label=_("Photos (optional, up to 3)"),
        help_text=_("Photos are made smaller before they are stored; location data is removed."),
    )

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not (
            cleaned.get("text") or cleaned.get("link") or cleaned.get("photos")
        ):
            raise ValidationError(_("Write an answer, add a link or a photo."))
        return cleaned


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve")), ("revise", _("Ask for revision"))],
        widget=forms.RadioSelect,
    )
    feedback = forms.CharField(
        label=_("Feedback for the learner"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "revise" and not cleaned.get("feedback", "").strip():
            self.add_error("feedback", _("Tell the learner what to change."))
        return cleaned


class CertificateRevokeForm(forms.Form):
    reason = forms.CharField(label=_("Reason for revoking"), max_length=300)


class CertificateReissueForm(forms.Form):
    name = forms.CharField(label=_("Name as it should appear"), max_length=150)


def new_idempotency_key() -> str:
    return str(uuid.uuid4())
