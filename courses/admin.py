from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import (
    Course,
    Enrollment,
    Lesson,
    Module,
    Option,
    Picture,
    Question,
    QuizAttempt,
    TaskSubmission,
)
from .services.pictures import open_image, picture_renditions


class PictureForm(forms.ModelForm):
    upload = forms.FileField(
        label=_("image file"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )

    class Meta:
        model = Picture
        fields = ["alt"]

    def clean_upload(self):
        upload = self.cleaned_data.get("upload")
        if upload:
            # The same checks as every other upload (format, size, pixels), as a form error.
            open_image(upload)
            upload.seek(0)
        return upload

    def clean(self):
        cleaned = super().clean()
        if not self.instance.pk and not cleaned.get("upload"):
            self.add_error("upload", _("Choose an image."))
        return cleaned


@admin.register(Picture)
class PictureAdmin(admin.ModelAdmin):
    form = PictureForm
    list_display = ["alt", "width", "height", "reference"]
    readonly_fields = ["reference", "width", "height"]

    @admin.display(description=_("use in lesson text"))
    def reference(self, obj):
        return f"![{obj.alt}](picture:{obj.pk})" if obj.pk else ""

    def save_model(self, request, obj, form, change):
        upload = form.cleaned_data.get("upload")
        if upload:
            largest, renditions = picture_renditions(upload)
            obj.file.save(largest.name, largest, save=False)
            obj.renditions = renditions
        super().save_model(request, obj, form, change)


class ModuleInline(admin.TabularInline):
    model = Module
    extra = 0
    fields = ["position", "title"]
    ordering = ["position"]
    show_change_link = True


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
    list_display = ["title", "level", "is_published", "self_enrol", "sequencing"]
    list_filter = ["is_published", "level"]
    prepopulated_fields = {"slug": ["title"]}
    raw_id_fields = ["cover"]
    inlines = [ModuleInline]


class LessonInline(admin.TabularInline):
    model = Lesson
    extra = 0
    fields = ["position", "title", "kind", "is_optional", "estimated_minutes"]
    ordering = ["position"]
    show_change_link = True


@admin.register(Module)
class ModuleAdmin(admin.ModelAdmin):
    list_display = ["title", "course", "position"]
    list_filter = ["course"]
    list_select_related = ["course"]
    inlines = [LessonInline]


class QuestionInline(admin.StackedInline):
    model = Question
    extra = 0
    show_change_link = True


@admin.register(Lesson)
class LessonAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "module", "position", "is_optional"]
    list_filter = ["kind", "module__course"]
    list_select_related = ["module"]
    search_fields = ["title"]
    inlines = [QuestionInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "module",
                    "title",
                    "kind",
                    "position",
                    "is_optional",
                    "estimated_minutes",
                    "body",
                ]
            },
        ),
        (_("Video and files"), {"fields": ["video_url", "media_file", "media_bytes"]}),
        (_("Quiz"), {"fields": ["pass_mark", "max_attempts", "shuffle"]}),
    ]


class OptionInline(admin.TabularInline):
    model = Option
    extra = 2


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["text", "lesson", "kind", "position"]
    list_select_related = ["lesson"]
    inlines = [OptionInline]


@admin.register(Enrollment)
class EnrollmentAdmin(admin.ModelAdmin):
    list_display = ["user", "course", "progress_percent", "completed_at", "last_activity_at"]
    list_select_related = ["user", "course"]
    raw_id_fields = ["user", "next_lesson"]
    readonly_fields = ["progress_percent", "completed_lessons", "next_lesson", "completed_at"]


@admin.register(QuizAttempt)
class QuizAttemptAdmin(admin.ModelAdmin):
    list_display = ["enrollment", "lesson", "score", "passed", "submitted_at"]
    list_select_related = ["enrollment", "lesson"]
    raw_id_fields = ["enrollment", "lesson"]


@admin.register(TaskSubmission)
class TaskSubmissionAdmin(admin.ModelAdmin):
    list_display = ["enrollment", "lesson", "status", "submitted_at", "reviewed_at"]
    list_filter = ["status"]
    list_select_related = ["enrollment", "lesson"]
    raw_id_fields = ["enrollment", "lesson", "reviewed_by"]
