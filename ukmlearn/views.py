"""Pages that bring several apps together: the home page of each role."""

import hashlib
import json

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import get_language, gettext

from cohorts import selectors as cohort_selectors
from courses import selectors as course_selectors
from outcomes import selectors as outcome_selectors
from ukmlearn.users.services import business_profile_complete


@login_required
def home(request):
    user = request.user
    # A profile from a cohort import lacks the numbers only the learner knows.
    has_profile = business_profile_complete(user)
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
        memberships = cohort_selectors.current_memberships(user=user)
        context["sessions"] = cohort_selectors.upcoming_sessions_for_learner(
            user=user, memberships=memberships
        )
        context["surveys"] = outcome_selectors.pending_surveys(
            outcome_selectors.surveys_for_learner(
                user=user,
                memberships=memberships,
                enrollments=context["in_progress"] + context["finished"],
            )
        )
    return render(request, "home.html", context)


# --- Installable, offline-capable (issue 8) ----------------------------------------------


def _shell_urls() -> list[str]:
    """What the service worker keeps from the start: the offline page and the static files
    every page uses (hashed names in production, so a new release is a new list)."""
    return [
        reverse("offline"),
        static("css/app.css"),
        static("js/app.js"),
        static("icons/icon-192.png"),
    ]


def service_worker(request):
    """The service worker must be served from the root to control every page."""
    urls = _shell_urls()
    source = render_to_string(
        "sw.js",
        {
            "version": hashlib.sha256("\n".join(urls).encode()).hexdigest()[:12],
            "offline_url": reverse("offline"),
            "shell_urls": json.dumps(urls),
        },
    )
    response = HttpResponse(source, content_type="text/javascript; charset=utf-8")
    # Registered with updateViaCache "all": the browser checks for a new worker only once
    # this copy is an hour old, instead of downloading it after every page (about 2 KB each).
    response["Cache-Control"] = "public, max-age=3600"
    return response


def web_manifest(request):
    manifest = {
        "name": "ukmlearn",
        "short_name": "ukmlearn",
        "description": gettext("Practical digital-skills lessons for small businesses."),
        "lang": get_language() or "id",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "background_color": "#f6f7f5",
        "theme_color": "#0b6b4f",
        "icons": [
            {"src": static("icons/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("icons/icon-512.png"), "sizes": "512x512", "type": "image/png"},
            {
                "src": static("icons/maskable-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            },
        ],
    }
    response = JsonResponse(manifest, content_type="application/manifest+json")
    response["Cache-Control"] = "public, max-age=86400"
    return response


def offline(request):
    """Shown by the service worker for a page that was never stored, with no connection."""
    return render(request, "offline.html")
