from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import BusinessProfile, Consent, Invitation, User


class BusinessProfileInline(admin.StackedInline):
    model = BusinessProfile
    extra = 0


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["name"]
    list_display = ["name", "phone", "email", "is_learner", "is_mentor", "is_staff", "is_active"]
    list_filter = ["is_learner", "is_mentor", "is_staff", "is_active", "timezone"]
    search_fields = ["name", "phone", "email"]
    inlines = [BusinessProfileInline]
    fieldsets = [
        (None, {"fields": ["name", "phone", "phone_verified", "email", "password"]}),
        (
            _("Roles"),
            {"fields": ["is_learner", "is_mentor", "is_staff", "is_superuser", "is_active"]},
        ),
        (_("Preferences"), {"fields": ["timezone", "language"]}),
        (_("Permissions"), {"fields": ["groups", "user_permissions"], "classes": ["collapse"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["name", "phone", "password1", "password2"]}),
    ]
    actions = ["erase_accounts"]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        from ukmlearn.privacy.models import AuditEvent
        from ukmlearn.privacy.services import audit_record

        if request.method == "GET" and str(object_id).isdigit():
            audit_record(
                actor=request.user,
                action=AuditEvent.Action.ADMIN_VIEW,
                target=f"users.user:{object_id}",
                subject_id=int(object_id),
            )
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.action(description=_("Erase the selected accounts (UU PDP request)"))
    def erase_accounts(self, request, queryset):
        from ukmlearn.privacy.services import account_erase

        erased = 0
        for user in queryset.exclude(is_superuser=True):
            account_erase(user=user, actor=request.user)
            erased += 1
        self.message_user(request, _("%(n)s accounts erased.") % {"n": erased})


@admin.register(Consent)
class ConsentAdmin(admin.ModelAdmin):
    list_display = ["user", "document", "version", "channel", "given_at", "withdrawn_at"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["user", "created_at", "expires_at", "used_at", "revoked_at", "sent_at"]
    list_select_related = ["user"]
    raw_id_fields = ["user", "created_by"]
    exclude = ["token_hash"]
