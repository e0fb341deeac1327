"""The person's own data (UU PDP): download it, withdraw consent, delete the account; and
the staff's audit log."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from ukmlearn.users.decorators import staff_required
from ukmlearn.users.models import Consent

from . import services
from .forms import AccountDeleteForm, AuditFilterForm
from .models import AuditEvent, DataExport

# A prepared download is kept this long, then it has to be asked for again.
EXPORT_VALID = timedelta(days=7)


@login_required
def my_data(request):
    cutoff = timezone.now() - EXPORT_VALID
    exports = [
        export
        for export in DataExport.objects.filter(user=request.user)[:5]
        if export.status != DataExport.Status.READY or export.finished_at >= cutoff
    ]
    return render(
        request,
        "privacy/my_data.html",
        {
            "consents": Consent.objects.filter(user=request.user).order_by("-given_at"),
            "exports": exports,
        },
    )


@login_required
@require_POST
def export_request(request):
    services.export_request(user=request.user)
    messages.success(
        request,
        gettext(
            "Your data is being prepared. It takes a few minutes: come back to this page "
            "to download it."
        ),
    )
    return redirect("privacy:my_data")


@login_required
def export_download(request, export_id):
    export = DataExport.objects.filter(
        pk=export_id,
        user=request.user,
        status=DataExport.Status.READY,
        finished_at__gte=timezone.now() - EXPORT_VALID,
    ).first()
    if export is None or not export.file:
        raise Http404
    services.audit_record(
        actor=request.user,
        action=AuditEvent.Action.DATA_EXPORT,
        target=export,
        subject_id=request.user.pk,
    )
    response = FileResponse(
        export.file.open("rb"),
        as_attachment=True,
        filename=f"data-saya-{timezone.localtime(export.finished_at):%Y%m%d}.zip",
        content_type="application/zip",
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def consent_withdraw(request):
    """Withdrawing consent stops every reminder at once (delivery checks it) and leads to
    deleting the account, since the platform cannot run a course without the data."""
    Consent.objects.filter(user=request.user, withdrawn_at__isnull=True).update(
        withdrawn_at=timezone.now()
    )
    messages.info(
        request,
        gettext(
            "Your consent is withdrawn: you will get no more reminders. To finish, delete "
            "your account below."
        ),
    )
    return redirect("privacy:account_delete")


# Password tries on the delete form, per account (like sign-in, so it is no password oracle).
DELETE_TRIES = 5
DELETE_TRIES_WINDOW = 900


@login_required
def account_delete(request):
    form = AccountDeleteForm(request.POST or None, user=request.user)
    key = f"ukmlearn:delete-tries:{request.user.pk}"
    if request.method == "POST":
        cache.add(key, 0, DELETE_TRIES_WINDOW)
        if cache.incr(key) > DELETE_TRIES:
            messages.error(
                request, gettext("Too many tries. Please wait 15 minutes and try again.")
            )
            return render(request, "privacy/account_delete.html", {"form": form}, status=429)
    if request.method == "POST" and form.is_valid():
        user = request.user
        services.account_erase(user=user)
        logout(request)
        messages.success(
            request,
            gettext("Your account is deleted. Thank you for learning with us."),
        )
        return redirect("account_login")
    return render(request, "privacy/account_delete.html", {"form": form})


@staff_required
def audit_log(request):
    form = AuditFilterForm(request.GET or None)
    events = AuditEvent.objects.select_related("actor")
    if form.is_valid():
        if form.cleaned_data["subject"]:
            events = events.filter(subject_id=form.cleaned_data["subject"])
        if form.cleaned_data["action"]:
            events = events.filter(action=form.cleaned_data["action"])
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "privacy/audit_log.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )
