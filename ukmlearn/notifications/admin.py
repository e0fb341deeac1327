from django.contrib import admin

from .models import Notification, NotificationPreference, Reminder, ReminderRule


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "status", "due_at", "attempts", "last_error", "sent_at"]
    list_filter = ["status", "kind"]
    list_select_related = ["user"]
    raw_id_fields = ["user", "cohort"]


@admin.register(ReminderRule)
class ReminderRuleAdmin(admin.ModelAdmin):
    list_display = ["cohort", "kind", "enabled", "threshold_days", "channels"]


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "whatsapp", "email", "quiet_start", "quiet_end"]
    raw_id_fields = ["user"]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["user", "text", "created_at", "read_at"]
    raw_id_fields = ["user"]
