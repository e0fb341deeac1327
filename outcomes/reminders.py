"""The "survey not filled" reminder rule: baseline, endline and follow-up waves that are
open for a learner and not sent yet, at most once a week per wave (weeks counted from the
learner's joining day)."""

from datetime import timedelta

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from cohorts.models import Cohort, Membership
from courses.models import Enrollment

from . import windows
from .models import Response, Wave


def survey_reminders_due(now, rules, *, make_due, rule_settings, kind) -> list:
    today = timezone.localdate(now)
    oldest_end = today - timedelta(days=windows.FOLLOWUP_AFTER_DAYS + windows.FOLLOWUP_OPEN_DAYS)
    cohorts = Cohort.objects.filter(
        status__in=[Cohort.Status.RUNNING, Cohort.Status.FINISHED], end_date__gte=oldest_end
    ).prefetch_related("courses")
    due = []
    for cohort in cohorts:
        enabled, threshold_days, _channels = rule_settings(cohort.pk, kind, rules)
        if not enabled:
            continue
        members = dict(
            Membership.objects.filter(
                cohort=cohort, role=Membership.Role.LEARNER, left_at__isnull=True
            ).values_list("user_id", "joined_at")
        )
        if not members:
            continue
        sent = set(
            Response.objects.filter(
                cohort=cohort, status=Response.Status.SUBMITTED, user_id__in=members
            ).values_list("user_id", "wave")
        )
        course_ids = [c.pk for c in cohort.courses.all()]
        finished = set()
        if course_ids:
            finished = set(
                Enrollment.objects.filter(
                    user_id__in=members, course_id__in=course_ids, progress_percent=100
                )
                .values("user_id")
                .annotate(n=Count("id"))
                .filter(n__gte=len(course_ids))
                .values_list("user_id", flat=True)
            )
        grace = timedelta(days=threshold_days)
        for wave in Wave.values:
            for user_id, joined_at in members.items():
                if (user_id, wave) in sent:
                    continue
                if wave == Wave.BASELINE and now - joined_at < grace:
                    continue  # give the learner time to fill it during onboarding
                if not windows.is_open(
                    cohort, wave, today=today, finished_lessons=user_id in finished
                ):
                    continue
                # Weeks counted from the learner's own joining day, so two sweeps minutes
                # apart never fall into two periods.
                joined = timezone.localdate(joined_at)
                period = f"{joined:%Y%m%d}+{(today - joined).days // 7}"
                due.append(
                    make_due(
                        user_id,
                        kind,
                        f"survey:{cohort.pk}:{wave}",
                        period,
                        cohort.pk,
                        {"wave": wave},
                        reverse("outcomes:survey_fill", args=[cohort.pk, wave]),
                    )
                )
    return due
