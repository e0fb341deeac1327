"""Pages that bring several apps together: the home page of each role."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from cohorts import selectors as cohort_selectors
from courses import selectors as course_selectors
from outcomes import selectors as outcome_selectors
from ukmlearn.users.models import BusinessProfile


@login_required
def home(request):
    user = request.user
    # A profile from a cohort import lacks the numbers only the learner knows.
    has_profile = BusinessProfile.objects.filter(
        user=user, year_started__isnull=False, workers__isnull=False
    ).exists()
    if user.is_learner and not has_profile and not (user.is_staff or user.is_mentor):
        # The business profile comes first: lessons and mentoring are fitted to it.
        return redirect("business_profile")
    if not (user.is_learner or user.is_mentor or user.is_staff) and outcome_selectors.is_partner(
        user
    ):
        # A partner's whole view of the platform is the aggregate report.
        return redirect("outcomes:report")
    context = {"has_profile": has_profile}
    if user.is_learner:
        context.update(course_selectors.learner_home(user=user))
        context["sessions"] = cohort_selectors.upcoming_sessions_for_learner(user=user)
        context["surveys"] = outcome_selectors.pending_surveys(
            outcome_selectors.surveys_for_learner(user=user)
        )
    return render(request, "home.html", context)
