import hashlib
import uuid

import qrcode
import qrcode.image.svg
from allauth.core import ratelimit
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from ukmlearn.privacy.models import AuditEvent
from ukmlearn.privacy.services import audit_record
from ukmlearn.users import services as user_services
from ukmlearn.users.choices import Sector
from ukmlearn.users.decorators import staff_required
from ukmlearn.users.models import User
from ukmlearn.users.phone import display_phone
from ukmlearn.users.tasks import invitation_message

from . import selectors
from .forms import CheckInForm, CohortForm, ImportUploadForm, LiveSessionForm
from .models import Attendance, LiveSession, Membership
from .services import attendance, exports, importing
from .services.members import cohort_courses_changed

IMPORT_SESSION_KEY = "ukmlearn_import"


@staff_required
def cohort_list(request):
    cohorts = selectors.cohorts_for_staff(user=request.user)
    return render(request, "cohorts/cohort_list.html", {"cohorts": cohorts})


@staff_required
def cohort_create(request):
    form = CohortForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.instance.owner = request.user
        cohort = form.save()
        messages.success(request, gettext("Cohort created."))
        return redirect(cohort)
    return render(request, "cohorts/cohort_form.html", {"form": form})


@staff_required
def cohort_edit(request, cohort_id):
    cohort = selectors.cohort_for_staff(user=request.user, cohort_id=cohort_id)
    form = CohortForm(request.POST or None, instance=cohort)
    if request.method == "POST" and form.is_valid():
        form.save()
        cohort_courses_changed(cohort=cohort)
        messages.success(request, gettext("Cohort saved."))
        return redirect(cohort)
    return render(request, "cohorts/cohort_form.html", {"form": form, "cohort": cohort})


@staff_required
def cohort_detail(request, cohort_id):
    cohort = selectors.cohort_for_staff(user=request.user, cohort_id=cohort_id)
    return render(
        request,
        "cohorts/cohort_detail.html",
        {
            "cohort": cohort,
            "courses": list(cohort.courses.all()),
            "funnel": selectors.cohort_funnel(cohort=cohort),
            "sessions": list(cohort.sessions.all()[:50]),
            "at_risk": selectors.at_risk(cohort=cohort, limit=10),
            "mentor_count": cohort.memberships.filter(
                role=Membership.Role.MENTOR, left_at__isnull=True
            ).count(),
        },
    )


@staff_required
def cohort_learners(request, cohort_id):
    cohort = selectors.cohort_for_staff(user=request.user, cohort_id=cohort_id)
    audit_record(actor=request.user, action=AuditEvent.Action.VIEW_LEARNERS, target=cohort)
    sort = request.GET.get("sort", "name")
    page = Paginator(selectors.learner_table(cohort=cohort, sort=sort), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request, "cohorts/cohort_learners.html", {"cohort": cohort, "page": page, "sort": sort}
    )


@staff_required
def cohort_at_risk(request, cohort_id):
    cohort = selectors.cohort_for_staff(user=request.user, cohort_id=cohort_id)
    audit_record(actor=request.user, action=AuditEvent.Action.VIEW_LEARNERS, target=cohort)
    rows = selectors.at_risk(cohort=cohort)
    for row in rows:
        if row.user.phone:
            text = gettext(
                "Hello {name}, we miss you in {cohort}. Let's continue learning: {link}"
            ).format(
                name=row.user.get_short_name(),
                cohort=cohort.name,
                link=request.build_absolute_uri(reverse("home")),
            )
            row.whatsapp = user_services.whatsapp_link(phone=row.user.phone, text=text)
    return render(request, "cohorts/cohort_at_risk.html", {"cohort": cohort, "rows": rows})


# --- Import ----------------------------------------------------------------------


@staff_required
def cohort_import(request, cohort_id):
    """Step 1: upload and preview (dry run). The file waits in storage for step 2."""
    cohort = selectors.cohort_for_staff(user=request.user, cohort_id=cohort_id)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    plan = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            plan = importing.import_plan(cohort=cohort, file=upload, file_name=upload.name)
        except importing.ImportFileError as exc:
            form.add_error("file", str(exc))
        else:
            upload.seek(0)
            stored = default_storage.save(f"imports/{uuid.uuid4().hex}", upload)
            request.session[IMPORT_SESSION_KEY] = {
                "cohort": cohort.pk,
                "path": stored,
                "name": upload.name[:200],
                "sha256": _sha256(stored),
            }
    return render(
        request, "cohorts/cohort_import.html", {"cohort": cohort, "form": form, "plan": plan}
    )


def _sha256(path: str) -> str:
    digest = hashlib.sha256()
    with default_storage.open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(65536), b""):
            digest.update(chunk)
    return digest.hexdigest()


@staff_required
@require_POST
def cohort_import_commit(request, cohort_id):
    """Step 2: apply the previewed file, all or nothing."""
    cohort = selectors.cohort_for_staff(user=request.user, cohort_id=cohort_id)
    pending = request.session.get(IMPORT_SESSION_KEY)
    if not pending or pending["cohort"] != cohort.pk or not default_storage.exists(pending["path"]):
        messages.error(request, gettext("Upload the file again, then check the preview."))
        return redirect("cohorts:cohort_import", cohort_id=cohort.pk)
    try:
        with default_storage.open(pending["path"], "rb") as fh:
            run = importing.import_commit(
                cohort=cohort, file=fh, file_name=pending["name"], imported_by=request.user
            )
    except importing.ImportHasErrors:
        messages.error(request, gettext("Some rows have errors. Fix the file and upload it again."))
        return redirect("cohorts:cohort_import", cohort_id=cohort.pk)
    except importing.ImportFileError as exc:
        messages.error(request, str(exc))
        return redirect("cohorts:cohort_import", cohort_id=cohort.pk)
    finally:
        request.session.pop(IMPORT_SESSION_KEY, None)
    default_storage.delete(pending["path"])
    audit_record(actor=request.user, action=AuditEvent.Action.IMPORT, target=cohort)
    messages.success(
        request,
        gettext("Import done: {created} new, {updated} updated, {unchanged} unchanged.").format(
            created=run.created, updated=run.updated, unchanged=run.unchanged
        ),
    )
    return redirect("cohorts:cohort_invitations", cohort_id=cohort.pk)


# --- Invitations for imported people ------------------------------------------------


@staff_required
def cohort_invitations(request, cohort_id):
    cohort = selectors.cohort_for_staff(user=request.user, cohort_id=cohort_id)
    waiting = (
        User.objects.filter(
            cohort_memberships__cohort=cohort,
            cohort_memberships__left_at__isnull=True,
            password__startswith="!",  # noqa: S106 - Django marks unusable passwords with "!"
        )
        .order_by("name")
        .only("id", "name", "phone")
    )
    page = Paginator(waiting, 50).get_page(request.GET.get("page"))
    site = request.build_absolute_uri(reverse("account_login"))
    group_text = gettext(
        "Hello everyone in {cohort}! Your ukmlearn account is ready. Each of you gets a "
        "personal invitation link by WhatsApp. No link yet? Open {site}, tap 'Forgot your "
        "password?' and enter your WhatsApp number to set a password."
    ).format(cohort=cohort.name, site=site)
    return render(
        request,
        "cohorts/cohort_invitations.html",
        {"cohort": cohort, "page": page, "group_text": group_text},
    )


@staff_required
@require_POST
def cohort_invite_member(request, cohort_id, user_id):
    """Make a fresh one-time link for one member and open WhatsApp with it."""
    cohort = selectors.cohort_for_staff(user=request.user, cohort_id=cohort_id)
    person = User.objects.filter(
        pk=user_id,
        cohort_memberships__cohort=cohort,
        cohort_memberships__left_at__isnull=True,
        phone__isnull=False,
    ).first()
    if person is None or person.has_usable_password():
        raise Http404
    _invitation, token = user_services.invitation_create(user=person, created_by=request.user)
    link = request.build_absolute_uri(reverse("invitation_open", args=[token]))
    text = invitation_message(name=person.name, link=link)
    # A page with the WhatsApp link, not a redirect: the CSP's form-action 'self' stops a
    # form POST from being redirected to another site.
    return render(
        request,
        "cohorts/invite_ready.html",
        {
            "cohort": cohort,
            "person": person,
            "link": link,
            "whatsapp_link": user_services.whatsapp_link(phone=person.phone, text=text),
        },
    )


# --- Sessions and attendance --------------------------------------------------------


@staff_required
def session_create(request, cohort_id):
    cohort = selectors.cohort_for_staff(user=request.user, cohort_id=cohort_id)
    form = LiveSessionForm(request.POST or None, cohort=cohort)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        session = LiveSession.objects.create(
            cohort=cohort,
            title=data["title"],
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            meeting_url=data["meeting_url"],
            venue=data["venue"],
            address=data["address"],
            catch_up_lesson=data["catch_up_lesson"],
            catch_up_counts=data["catch_up_counts"],
        )
        messages.success(request, gettext("Session scheduled."))
        return redirect(session)
    return render(request, "cohorts/session_form.html", {"cohort": cohort, "form": form})


def _qr_svg(url: str) -> str:
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    return image.to_string(encoding="unicode")


@staff_required
def session_detail(request, cohort_id, session_id):
    cohort = selectors.cohort_for_staff(user=request.user, cohort_id=cohort_id)
    session = selectors.session_in_cohort(cohort=cohort, session_id=session_id)
    checkin_url = request.build_absolute_uri(
        reverse("cohorts:session_checkin", args=[session.pk]) + f"?code={session.checkin_code}"
    )
    present = set(Attendance.objects.filter(session=session).values_list("user_id", flat=True))
    members = (
        Membership.objects.filter(cohort=cohort, role=Membership.Role.LEARNER, left_at__isnull=True)
        .select_related("user")
        .order_by("user__name")
    )
    page = Paginator(members, 100).get_page(request.GET.get("page"))
    return render(
        request,
        "cohorts/session_detail.html",
        {
            "cohort": cohort,
            "session": session,
            "qr_svg": _qr_svg(checkin_url),
            "checkin_url": checkin_url,
            "page": page,
            "present": present,
            "present_count": len(present),
        },
    )


@staff_required
@require_POST
def session_attendance(request, cohort_id, session_id):
    cohort = selectors.cohort_for_staff(user=request.user, cohort_id=cohort_id)
    session = selectors.session_in_cohort(cohort=cohort, session_id=session_id)
    # isdecimal, not isdigit: "²" is a digit that int() refuses.
    shown = {int(v) for v in request.POST.getlist("shown") if v.isdecimal() and len(v) < 19}
    ticked = {
        int(v) for v in request.POST.getlist("present") if v.isdecimal() and len(v) < 19
    } & shown
    # Only the people listed on this page change; others (other pages, check-ins) stay.
    attendance.attendance_mark(
        session=session, shown_ids=shown, present_ids=ticked, recorded_by=request.user
    )
    messages.success(request, gettext("Attendance saved."))
    return redirect(session)


@login_required
def session_checkin(request, session_id):
    """The learner's check-in: type the code, or arrive from the venue's QR (code prefilled)."""
    session = (
        LiveSession.objects.select_related("cohort")
        .filter(
            pk=session_id,
            cohort__memberships__user=request.user,
            cohort__memberships__left_at__isnull=True,
        )
        .first()
    )
    if session is None:
        raise Http404
    initial = {"code": request.GET.get("code", "")[:6]}
    form = CheckInForm(request.POST or None, initial=initial)
    done = Attendance.objects.filter(session=session, user=request.user).exists()
    if (
        request.method == "POST"
        and form.is_valid()
        and not ratelimit.consume(
            request, action="cohort_checkin", key=f"{session.pk}:{request.user.pk}"
        )
    ):
        form.add_error("code", gettext("Too many tries. Wait a few minutes and ask for the code."))
    elif request.method == "POST" and form.is_valid():
        method = Attendance.Method.QR if request.POST.get("via") == "qr" else Attendance.Method.CODE
        try:
            _, created = attendance.attendance_check_in(
                session=session, user=request.user, code=form.cleaned_data["code"], method=method
            )
        except attendance.CheckInRefused as exc:
            form.add_error("code", str(exc))
        else:
            if created:
                messages.success(request, gettext("You are checked in. Enjoy the session!"))
            else:
                messages.info(request, gettext("You were already checked in."))
            return redirect("cohorts:session_checkin", session_id=session.pk)
    return render(
        request,
        "cohorts/session_checkin.html",
        {"session": session, "form": form, "done": done, "via_qr": bool(initial["code"])},
    )


# --- Exports -------------------------------------------------------------------------


@staff_required
def export_roster(request, cohort_id):
    cohort = selectors.cohort_for_staff(user=request.user, cohort_id=cohort_id)
    audit_record(actor=request.user, action=AuditEvent.Action.EXPORT, target=cohort)
    header = [
        gettext("Name"),
        gettext("Mobile number"),
        gettext("E-mail"),
        gettext("Business"),
        gettext("Sector"),
        gettext("City"),
        gettext("Progress (%)"),
        gettext("Last activity"),
    ]
    # Plain tuples, not three model instances per learner; the sector labels are resolved
    # once (get_sector_display rebuilds and hashes the lazy choice labels on every call).
    sectors = {value: str(label) for value, label in Sector.choices}
    table = selectors.learner_table(cohort=cohort).values_list(
        "user__name",
        "user__phone",
        "user__email",
        "user__business_profile__business_name",
        "user__business_profile__sector",
        "user__business_profile__city",
        "progress",
        "last_activity",
    )

    def rows():
        for name, phone, email, business, sector, city, progress, last in table.iterator(
            chunk_size=2000
        ):
            yield [
                name,
                display_phone(phone) if phone else "",
                email,
                business or "",
                sectors.get(sector, sector or ""),
                city or "",
                round(progress or 0),
                timezone.localtime(last).strftime("%Y-%m-%d %H:%M") if last else "",
            ]

    return exports.export_response(request, name="roster", header=header, rows=rows())


@staff_required
def export_attendance(request, cohort_id):
    cohort = selectors.cohort_for_staff(user=request.user, cohort_id=cohort_id)
    audit_record(actor=request.user, action=AuditEvent.Action.EXPORT, target=cohort)
    header = [
        gettext("Session"),
        gettext("Date"),
        gettext("Name"),
        gettext("Mobile number"),
        gettext("How"),
    ]
    records = (
        Attendance.objects.filter(session__cohort=cohort)
        .select_related("session", "user")
        .order_by("session__starts_at", "user__name")
    )

    def rows():
        for record in records.iterator(chunk_size=2000):
            yield [
                record.session.title,
                timezone.localtime(record.session.starts_at).strftime("%Y-%m-%d %H:%M"),
                record.user.name,
                display_phone(record.user.phone) if record.user.phone else "",
                record.get_method_display(),
            ]

    return exports.export_response(request, name="attendance", header=header, rows=rows())
