from django.contrib import admin

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: an audit trail nobody can edit or delete from the admin."""

    list_display = ["at", "actor", "action", "target", "subject_id"]
    list_filter = ["action"]
    search_fields = ["target", "=subject_id"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
