from django.contrib import admin

from .models import (
    ActionItem,
    ExpertiseTag,
    LearnerNeeds,
    MentoringSession,
    MentorProfile,
    Pairing,
    PairingWeights,
    SessionEdit,
)


@admin.register(ExpertiseTag)
class ExpertiseTagAdmin(admin.ModelAdmin):
    list_display = ["name", "is_active"]
    list_editable = ["is_active"]


@admin.register(MentorProfile)
class MentorProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "capacity", "is_active"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]


@admin.register(LearnerNeeds)
class LearnerNeedsAdmin(admin.ModelAdmin):
    list_display = ["user", "language", "preferred_mode"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]


@admin.register(PairingWeights)
class PairingWeightsAdmin(admin.ModelAdmin):
    list_display = ["cohort", "need", "sector", "city", "province", "language", "mode"]


@admin.register(Pairing)
class PairingAdmin(admin.ModelAdmin):
    list_display = ["learner", "mentor", "cohort", "status", "score", "started_at", "ended_at"]
    list_filter = ["status"]
    list_select_related = ["learner", "mentor", "cohort"]
    raw_id_fields = ["learner", "mentor", "cohort", "created_by"]


class ActionItemInline(admin.TabularInline):
    model = ActionItem
    extra = 0


@admin.register(MentoringSession)
class MentoringSessionAdmin(admin.ModelAdmin):
    list_display = ["pairing", "held_at", "mode", "duration_minutes", "rating"]
    list_select_related = ["pairing"]
    raw_id_fields = ["pairing", "logged_by"]
    inlines = [ActionItemInline]


@admin.register(SessionEdit)
class SessionEditAdmin(admin.ModelAdmin):
    list_display = ["session", "edited_by", "edited_at", "fields"]
    raw_id_fields = ["session", "edited_by"]
