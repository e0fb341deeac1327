from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from cohorts.selectors import cohort_for_staff
from ukmlearn.users.decorators import staff_required

from . import services
from .forms import PreferenceForm, RuleForm
from .models import Kind, Notification, NotificationPreference, Reminder, ReminderRule

STAFF_KINDS = [
    Kind.INACTIVE,
    Kind.SESSION_TOMORROW,
    Kind.SESSION_SOON,
    Kind.MENTORING_LOG_OVERDUE,
    Kind.ACTION_ITEM_DUE,
    Kind.TASK_REVIEW_WAITING,
    Kind.CERTIFICATE_READY,
]


@login_required
def notification_list(request):
    notifications = list(Notification.objects.filter(user=request.user)[:50])
    return render(request, "notifications/list.html", {"notifications": notifications})


@login_required
@require_POST
def mark_all_read(request):
    services.notifications_mark_read(user=request.user)
    return redirect("notifications:list")


@login_required
def preferences(request):
    pref, _ = NotificationPreference.objects.get_or_create(user=request.user)
    form = PreferenceForm(request.POST or None, instance=pref)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, gettext("Your reminder settings are saved."))
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})


@staff_required
def cohort_rules(request, cohort_id):
    cohort = cohort_for_staff(user=request.user, cohort_id=cohort_id)
    existing = {r.kind: r for r in ReminderRule.objects.filter(cohort=cohort)}
    forms = []
    for kind in STAFF_KINDS:
        enabled, days, channels = services.rule_settings(
            cohort.pk, kind, {(cohort.pk, k): r for k, r in existing.items()}
        )
        forms.append(
            RuleForm(
                request.POST or None,
                prefix=kind,
                kind=kind,
                initial={"enabled": enabled, "threshold_days": days, "channels": channels},
            )
        )
    if request.method == "POST":
        if all(form.is_valid() for form in forms):
            for form in forms:
                ReminderRule.objects.update_or_create(
                    cohort=cohort, kind=form.kind, defaults=form.cleaned_data
                )
            messages.success(request, gettext("Reminder settings saved."))
            return redirect("notifications:cohort_rules", cohort_id=cohort.pk)
    failed = list(
        Reminder.objects.filter(cohort=cohort, status=Reminder.Status.FAILED)
        .select_related("user")
        .order_by("-created_at")[:100]
    )
    return render(
        request,
        "notifications/cohort_rules.html",
        {"cohort": cohort, "forms": forms, "failed": failed},
    )
