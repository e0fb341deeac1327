from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.views.decorators.http import require_POST

from cohorts import selectors as cohort_selectors
from cohorts.models import Membership
from cohorts.services.exports import export_response
from cohorts.services.members import cohort_members_add
from courses.models import Enrollment
from courses.views import review_response
from ukmlearn.ids import parse_id
from ukmlearn.privacy.models import AuditEvent
from ukmlearn.privacy.services import audit_record
from ukmlearn.users.decorators import mentor_required, staff_required
from ukmlearn.users.models import User
from ukmlearn.users.services import whatsapp_link

from . import selectors
from .forms import (
    AddMentorForm,
    LearnerNeedsForm,
    MentorProfileForm,
    PairingWeightsForm,
    SessionConfirmForm,
    SessionLogForm,
)
from .models import LearnerNeeds, MentoringSession, MentorProfile, Pairing, PairingWeights
from .services import pairing as pairing_service
from .services import sessions as session_service

# --- Mentor --------------------------------------------------------------------------


@mentor_required
def mentor_home(request):
    rows = selectors.mentees(mentor=request.user)
    for row in rows:
        # Cheaper here than two {% url %} tags a row in the template.
        row.detail_url = reverse("mentoring:mentee_detail", args=[row.pk])
        row.log_url = reverse("mentoring:session_log", args=[row.pk])
    return render(
        request,
        "mentoring/mentor_home.html",
        {"rows": rows, "review_count": selectors.mentor_review_count(mentor=request.user)},
    )


@mentor_required
def mentee_detail(request, pairing_id):
    pairing = selectors.pairing_for_mentor(user=request.user, pairing_id=pairing_id)
    learner = pairing.learner
    audit_record(
        actor=request.user,
        action=AuditEvent.Action.READ_NOTES,
        target=pairing,
        subject_id=learner.pk,
    )
    sessions = list(
        MentoringSession.objects.filter(pairing__learner=learner, pairing__cohort=pairing.cohort)
        .prefetch_related("action_items", "topics")
        .select_related("logged_by")
    )
    for session in sessions:
        # Private notes stay with the mentor who wrote them (and staff), even after a
        # reassignment; the summaries carry over for continuity.
        session.notes_visible = request.user.is_staff or session.pairing_id == pairing.pk
    enrollments = list(
        Enrollment.objects.filter(user=learner, course__cohorts=pairing.cohort).select_related(
            "course"
        )
    )
    text = gettext("Hello {name}, this is {mentor}, your ukmlearn mentor.").format(
        name=learner.get_short_name(), mentor=request.user.get_short_name()
    )
    return render(
        request,
        "mentoring/mentee_detail.html",
        {
            "pairing": pairing,
            "learner": learner,
            "sessions": sessions,
            "enrollments": enrollments,
            # The number is shown only here: to this mentee's mentor (and staff).
            "whatsapp": whatsapp_link(phone=learner.phone, text=text) if learner.phone else "",
        },
    )


@mentor_required
def session_log(request, pairing_id):
    pairing = selectors.pairing_for_mentor(user=request.user, pairing_id=pairing_id)
    form = SessionLogForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        session_service.session_log(
            pairing=pairing,
            logged_by=request.user,
            held_at=data["held_at"],
            duration_minutes=data["duration_minutes"],
            mode=data["mode"],
            topics=data["topics"],
            private_notes=data["private_notes"],
            summary=data["summary"],
            next_planned_at=data["next_planned_at"],
            action_items=data["action_items"],
        )
        messages.success(request, gettext("Session saved."))
        return redirect("mentoring:mentee_detail", pairing_id=pairing.pk)
    return render(request, "mentoring/session_log.html", {"pairing": pairing, "form": form})


@mentor_required
def session_edit(request, session_id):
    """Correct a logged session: the mentor who owns the pairing, or staff. Edits are kept."""
    session = (
        MentoringSession.objects.select_related("pairing__learner")
        .filter(pk=session_id, pairing__status=Pairing.Status.ACTIVE)
        .filter(selectors.mentor_visible_to(request.user, prefix="pairing__"))
        .first()
    )
    if session is None:
        raise Http404
    audit_record(
        actor=request.user,
        action=AuditEvent.Action.READ_NOTES,
        target=session,
        subject_id=session.pairing.learner_id,
    )
    form = SessionLogForm(request.POST or None, instance=session, with_actions=False)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        session_service.session_correct(
            session=MentoringSession.objects.get(pk=session.pk),
            edited_by=request.user,
            changes={
                name: data[name]
                for name in [
                    "held_at",
                    "duration_minutes",
                    "mode",
                    "summary",
                    "private_notes",
                    "next_planned_at",
                ]
            },
            topics=data["topics"],
        )
        messages.success(request, gettext("Session corrected."))
        return redirect("mentoring:mentee_detail", pairing_id=session.pairing_id)
    return render(
        request,
        "mentoring/session_log.html",
        {"pairing": session.pairing, "form": form, "editing": True},
    )


@mentor_required
def mentor_profile(request):
    profile, _ = MentorProfile.objects.get_or_create(user=request.user)
    form = MentorProfileForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, gettext("Your mentor profile is saved."))
        return redirect("mentoring:mentor_home")
    return render(request, "mentoring/mentor_profile.html", {"form": form})


@mentor_required
def review_queue(request):
    return render(
        request,
        "mentoring/review_queue.html",
        {"submissions": selectors.mentor_review_queue(mentor=request.user)},
    )


@mentor_required
def review_submission(request, submission_id):
    submission = selectors.submission_for_mentor(mentor=request.user, submission_id=submission_id)
    return review_response(
        request,
        submission,
        template="mentoring/review_submission.html",
        done_url=reverse("mentoring:review_queue"),
    )


# --- Learner ---------------------------------------------------------------------------


@login_required
def learner_mentoring(request):
    context = selectors.learner_mentoring(learner=request.user)
    context["confirm_form"] = SessionConfirmForm()
    return render(request, "mentoring/learner_mentoring.html", context)


@login_required
@require_POST
def session_confirm(request, session_id):
    session = selectors.session_for_learner(user=request.user, session_id=session_id)
    form = SessionConfirmForm(request.POST)
    if form.is_valid():
        session_service.session_confirm(
            session=session,
            rating=form.cleaned_data["rating"],
            comment=form.cleaned_data["comment"],
        )
        messages.success(request, gettext("Thank you! You confirmed this session."))
    else:
        messages.error(request, gettext("Choose a rating from 1 to 5, or leave it empty."))
    return redirect("mentoring:learner_mentoring")


@login_required
@require_POST
def action_item_done(request, item_id):
    item = selectors.action_item_for_learner(user=request.user, item_id=item_id)
    session_service.action_item_set_done(item=item, done=request.POST.get("done") != "0")
    return redirect("mentoring:learner_mentoring")


@login_required
def learner_needs(request):
    needs, _ = LearnerNeeds.objects.get_or_create(user=request.user)
    form = LearnerNeedsForm(request.POST or None, instance=needs)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, gettext("Saved. Your mentor will know what to help with."))
        return redirect("home")
    return render(request, "mentoring/learner_needs.html", {"form": form})


# --- Staff -----------------------------------------------------------------------------


def _int(value) -> int:
    return parse_id(value)


def _staff_cohort(request, cohort_id):
    return cohort_selectors.cohort_for_staff(user=request.user, cohort_id=cohort_id)


@staff_required
def cohort_mentoring(request, cohort_id):
    cohort = _staff_cohort(request, cohort_id)
    context = selectors.cohort_overview(cohort=cohort)
    # Cohorts run to thousands of pairs: the lists are paged so the page stays light.
    context["proposal_page"] = Paginator(context["proposals"], 50).get_page(
        request.GET.get("proposals")
    )
    context["pair_page"] = Paginator(context["pairs"], 50).get_page(request.GET.get("pairs"))
    mentor_ids = Membership.objects.filter(
        cohort=cohort, role=Membership.Role.MENTOR, left_at__isnull=True
    ).values("user_id")
    context.update(
        {
            "cohort": cohort,
            "mentor_choices": list(User.objects.filter(pk__in=mentor_ids).order_by("name")),
            "unpaired": list(
                User.objects.filter(
                    cohort_memberships__cohort=cohort,
                    cohort_memberships__role=Membership.Role.LEARNER,
                    cohort_memberships__left_at__isnull=True,
                )
                # NOT EXISTS per learner uses the pairing index; "NOT IN (subquery)" made
                # PostgreSQL filter every user of the platform (bench/scale.py: 150 → 5 ms).
                .filter(
                    ~Exists(
                        Pairing.objects.filter(
                            cohort=cohort,
                            status__in=["proposed", "active"],
                            learner_id=OuterRef("pk"),
                        )
                    )
                )
                .order_by("name")[:500]
            ),
            "unmatched": request.session.pop(f"unmatched-{cohort.pk}", []),
            "add_mentor_form": AddMentorForm(),
            "weights_form": PairingWeightsForm(
                instance=PairingWeights.objects.get_or_create(cohort=cohort)[0]
            ),
        }
    )
    return render(request, "mentoring/cohort_mentoring.html", context)


@staff_required
@require_POST
def cohort_weights(request, cohort_id):
    cohort = _staff_cohort(request, cohort_id)
    weights, _ = PairingWeights.objects.get_or_create(cohort=cohort)
    form = PairingWeightsForm(request.POST, instance=weights)
    if form.is_valid():
        form.save()
        messages.success(request, gettext("Weights saved. Suggest pairs again to use them."))
    else:
        messages.error(request, gettext("Use whole numbers from 0 to 20 for the weights."))
    return redirect("mentoring:cohort_mentoring", cohort_id=cohort.pk)


@staff_required
@require_POST
def cohort_suggest(request, cohort_id):
    cohort = _staff_cohort(request, cohort_id)
    suggestion = pairing_service.pairing_suggest(cohort=cohort, created_by=request.user)
    request.session[f"unmatched-{cohort.pk}"] = suggestion.unmatched
    messages.success(
        request,
        ngettext(
            "{n} pair suggested. Check it, change it if needed, then confirm.",
            "{n} pairs suggested. Check them, change any, then confirm.",
            len(suggestion.proposals),
        ).format(n=len(suggestion.proposals)),
    )
    return redirect("mentoring:cohort_mentoring", cohort_id=cohort.pk)


@staff_required
@require_POST
def proposal_change(request, cohort_id, pairing_id):
    cohort = _staff_cohort(request, cohort_id)
    # The page's single change form names the pairing in the body (URL id 0).
    pairing_id = pairing_id or _int(request.POST.get("pairing"))
    proposal = Pairing.objects.filter(
        pk=pairing_id, cohort=cohort, status=Pairing.Status.PROPOSED
    ).first()
    if proposal is None:
        raise Http404
    if request.POST.get("remove") and request.POST.get("remove") != "0":
        proposal.delete()
    else:
        try:
            pairing_service.proposal_set_mentor(
                proposal=proposal, mentor_id=int(request.POST.get("mentor", 0))
            )
        except (ValueError, pairing_service.PairingError) as exc:
            messages.error(
                request,
                str(exc)
                if isinstance(exc, pairing_service.PairingError)
                else gettext("Choose a mentor."),
            )
    return redirect("mentoring:cohort_mentoring", cohort_id=cohort.pk)


@staff_required
@require_POST
def proposal_add(request, cohort_id):
    cohort = _staff_cohort(request, cohort_id)
    mentor_id, learner_id = _int(request.POST.get("mentor")), _int(request.POST.get("learner"))
    try:
        if not (mentor_id and learner_id):
            raise ValueError
        pairing_service.proposal_add(
            cohort=cohort, mentor_id=mentor_id, learner_id=learner_id, created_by=request.user
        )
    except ValueError:
        messages.error(request, gettext("Choose a mentor and a learner."))
    except pairing_service.PairingError as exc:
        messages.error(request, str(exc))
    return redirect("mentoring:cohort_mentoring", cohort_id=cohort.pk)


@staff_required
@require_POST
def cohort_confirm(request, cohort_id):
    cohort = _staff_cohort(request, cohort_id)
    try:
        count = pairing_service.pairings_confirm(cohort=cohort)
    except pairing_service.PairingError as exc:
        messages.error(request, str(exc))
    else:
        if count:
            messages.success(
                request,
                ngettext("{n} pair confirmed.", "{n} pairs confirmed.", count).format(n=count),
            )
        else:
            messages.info(request, gettext("There are no suggested pairs to confirm."))
    return redirect("mentoring:cohort_mentoring", cohort_id=cohort.pk)


@staff_required
@require_POST
def pairing_reassign(request, cohort_id, pairing_id):
    cohort = _staff_cohort(request, cohort_id)
    # The page's single change form names the pairing in the body (URL id 0).
    pairing_id = pairing_id or _int(request.POST.get("pairing"))
    pairing = (
        Pairing.objects.filter(pk=pairing_id, cohort=cohort, status=Pairing.Status.ACTIVE)
        .select_related("cohort")
        .first()
    )
    if pairing is None:
        raise Http404
    try:
        pairing_service.pairing_reassign(
            pairing=pairing, mentor_id=_int(request.POST.get("mentor")), created_by=request.user
        )
    except ValueError:
        messages.error(request, gettext("Choose a mentor of this cohort."))
    except pairing_service.PairingError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, gettext("The learner has a new mentor."))
    return redirect("mentoring:cohort_mentoring", cohort_id=cohort.pk)


@staff_required
@require_POST
def cohort_add_mentor(request, cohort_id):
    cohort = _staff_cohort(request, cohort_id)
    form = AddMentorForm(request.POST)
    mentor = None
    if form.is_valid():
        mentor = User.objects.filter(phone=form.cleaned_data["phone"], is_mentor=True).first()
    if mentor is None:
        messages.error(request, gettext("No mentor account has this number."))
    else:
        cohort_members_add(cohort=cohort, user_ids=[mentor.pk], role=Membership.Role.MENTOR)
        # Most mentoring happens over WhatsApp: start as an online mentor until the mentor
        # fills in their own profile.
        MentorProfile.objects.get_or_create(user=mentor, defaults={"modes": ["online"]})
        messages.success(
            request, gettext("{name} is a mentor of this cohort.").format(name=mentor.name)
        )
    return redirect("mentoring:cohort_mentoring", cohort_id=cohort.pk)


@staff_required
def cohort_mentoring_export(request, cohort_id):
    cohort = _staff_cohort(request, cohort_id)
    audit_record(actor=request.user, action=AuditEvent.Action.EXPORT, target=cohort)
    overview = selectors.cohort_overview(cohort=cohort)
    header = [
        gettext("Mentor"),
        gettext("Learner"),
        gettext("Sessions"),
        gettext("Last session"),
        gettext("Since"),
    ]
    rows = (
        [
            p.mentor.name,
            p.learner.name,
            p.session_count,
            timezone.localtime(p.last_session).strftime("%Y-%m-%d") if p.last_session else "",
            timezone.localtime(p.started_at).strftime("%Y-%m-%d") if p.started_at else "",
        ]
        for p in overview["pairs"]
    )
    return export_response(request, name="mentoring", header=header, rows=rows)
