"""Learners fill their surveys; staff and partners read the aggregate report."""

from functools import wraps
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from cohorts.services.exports import export_response

from . import instrument, selectors
from . import report as outcome_report
from .forms import ReportFilterForm, SurveyForm
from .models import Evidence, Partner, Response, Wave
from .services import responses


def _safe_next(request) -> str:
    """An on-site path to return to, or "" (a bare word would be taken for a view name)."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


def baseline_gate(*, request, course) -> str | None:
    """FIRST_LESSON_GATES entry: the baseline survey comes before the first lesson, once."""
    if not request.user.is_learner:
        return None
    cohort = selectors.baseline_gate_cohort(user=request.user, course=course)
    if cohort is None or selectors.survey_for_cohort(cohort) is None:
        # No survey version (e.g. staff are switching the default): never block a lesson.
        return None
    url = reverse("outcomes:survey_fill", args=[cohort.pk, Wave.BASELINE])
    return f"{url}?{urlencode({'next': request.path})}"


@login_required
@never_cache
def survey_list(request):
    asked = selectors.surveys_for_learner(user=request.user)
    return render(request, "outcomes/survey_list.html", {"asked": asked})


@login_required
@never_cache
def survey_fill(request, cohort_id, wave):
    asked = selectors.asked_survey(user=request.user, cohort_id=cohort_id, wave=wave)
    response = asked.response
    survey = response.survey if response else selectors.survey_for_cohort(asked.cohort)
    if survey is None:
        raise Http404
    questions = list(survey.questions.all())
    evidence = {}
    if response is not None:
        evidence = {e.question_id: e for e in Evidence.objects.filter(response=response)}
    next_url = _safe_next(request)
    if request.method == "POST":
        form = SurveyForm(request.POST, request.FILES, questions=questions, evidence=evidence)
        send = "send" in request.POST
        try:
            saved = responses.response_save(
                user=request.user,
                cohort=asked.cohort,
                wave=wave,
                survey=survey,
                raw_answers=form.raw_answers(),
                photos=form.photos(),
                send=send,
            )
        except ValidationError as exc:
            for name, errors in exc.message_dict.items():
                form.add_error(name if name in form.fields else None, errors)
            messages.error(
                request,
                gettext("Some answers need a look. Nothing you saved before was lost."),
            )
        else:
            if saved.status == Response.Status.SUBMITTED:
                messages.success(request, gettext("Thank you! Your answers were sent."))
            else:
                messages.success(request, gettext("Saved as a draft. You can finish it later."))
            return redirect(next_url or "home")
    else:
        initial = {}
        if response is not None:
            by_id = {str(q.pk): q for q in questions}
            for key, value in response.answers.items():
                if key in by_id:
                    initial[by_id[key].field_name] = value
        form = SurveyForm(initial=initial, questions=questions, evidence=evidence)
    context = {
        "asked": asked,
        "survey": survey,
        "form": form,
        "response": response,
        "next": next_url,
        "sent": response is not None and response.status == Response.Status.SUBMITTED,
    }
    return render(request, "outcomes/survey_fill.html", context)


@login_required
@require_POST
def survey_skip(request, cohort_id):
    asked = selectors.asked_survey(user=request.user, cohort_id=cohort_id, wave=Wave.BASELINE)
    survey = asked.response.survey if asked.response else selectors.survey_for_cohort(asked.cohort)
    if survey is None:
        raise Http404
    try:
        responses.response_skip(user=request.user, cohort=asked.cohort, survey=survey)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return redirect("outcomes:survey_fill", cohort_id, Wave.BASELINE)
    messages.info(request, gettext("All right. We will remind you to fill in the survey later."))
    return redirect(_safe_next(request) or "home")


@login_required
def evidence_file(request, evidence_id):
    evidence = selectors.evidence_for_user(user=request.user, evidence_id=evidence_id)
    image = (
        evidence.thumbnail if evidence.thumbnail and not request.GET.get("full") else evidence.image
    )
    response = FileResponse(image.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Disposition"] = "inline"
    return response


def report_reader_required(view):
    """Staff (their own cohorts) and partner members (cohorts shared with them). Others 404."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not (request.user.is_staff or selectors.is_partner(request.user)):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def _report_for(request):
    cohorts = selectors.report_cohorts(request.user)
    if request.user.is_staff:
        partners = Partner.objects.filter(cohorts__in=cohorts).distinct()
    else:
        partners = Partner.objects.filter(members=request.user)
    form = ReportFilterForm(
        request.GET or None,
        cohorts=list(cohorts.only("pk", "name", "programme").order_by("-start_date", "name")),
        partners=partners,
    )
    if request.GET and not form.is_valid():
        return form, None
    data = form.cleaned_data if request.GET else {}
    scope = outcome_report.scope_from_filters(cohorts, data)
    return form, outcome_report.build(scope)


@report_reader_required
@never_cache
def report(request):
    form, result = _report_for(request)
    return render(
        request,
        "outcomes/report.html",
        {
            "form": form,
            "report": result,
            "query": request.GET.urlencode(),
            "ladder_help": instrument.LADDER_HELP,
            "bands": [
                (instrument.CORE[band].text, rows)
                for band, rows in (result.bands.items() if result else [])
            ],
        },
        status=200 if result is not None else 400,
    )


@report_reader_required
def report_export(request):
    form, result = _report_for(request)
    if result is None:
        messages.error(request, gettext("Please correct the filters first."))
        return redirect("outcomes:report")
    return export_response(
        request,
        name="laporan-hasil",
        header=[
            gettext("Section"),
            gettext("Item"),
            gettext("Baseline / value"),
            gettext("Endline"),
            gettext("Follow-up"),
            gettext("Change (points)"),
        ],
        rows=outcome_report.export_rows(result),
    )
