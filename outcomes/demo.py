"""Demo outcome data: a partner, a running cohort shared with it, and baseline and endline
answers of eight of its learners, so the report shows a change on a fresh site."""

from datetime import timedelta

from django.utils import timezone

from cohorts.models import Cohort, Membership
from cohorts.services.members import cohort_members_add

from .models import Partner, Response, Survey, Wave
from .services.responses import response_save

COHORT_NAME = "Angkatan Demo Jawa-Bali 2026"
PARTNER_NAME = "Dinas Koperasi dan UKM (demo)"

# Per learner: (baseline, endline) core answers. Most climb the ladder; one stays; one drops.
_START = {
    "presence": ["none"],
    "content_posts": "0",
    "online_orders": "0",
    "digital_payments": "no",
    "bookkeeping": "paper",
    "paid_ads": "no",
    "revenue": "lt5",
    "online_share": "0",
    "workers": "1",
    "customers_outside": "no",
}
_PRESENT = {**_START, "presence": ["wa_catalog"], "content_posts": "1-3"}
_SELLING = {
    **_START,
    "presence": ["wa_catalog", "social_account", "qris"],
    "content_posts": "4-10",
    "online_orders": "11-50",
    "digital_payments": "yes",
    "bookkeeping": "app",
    "revenue": "5-15",
    "online_share": "25-49",
    "customers_outside": "yes",
}
_MARKET = {**_SELLING, "presence": ["wa_catalog", "marketplace", "qris"], "paid_ads": "yes"}
ANSWERS = [
    (_START, _SELLING),
    (_START, _PRESENT),
    (_PRESENT, _SELLING),
    (_PRESENT, _MARKET),
    (_START, _SELLING),
    (_SELLING, _MARKET),
    (_PRESENT, _PRESENT),
    (_SELLING, _PRESENT),
    (_START, _PRESENT),
    (_PRESENT, _SELLING),
    (_START, _MARKET),
    (_PRESENT, _SELLING),
]


def demo_outcomes_load(*, course, owner, learners: list, partner_user) -> Cohort:
    """learners: the cohort's learners; the first len(ANSWERS) get baseline and endline
    answers. Idempotent: the cohort is found by name, answers are only added once."""
    today = timezone.localdate()
    cohort, created = Cohort.objects.get_or_create(
        name=COHORT_NAME,
        defaults={
            "programme": "Program Pendampingan Digital UMKM",
            "start_date": today - timedelta(days=45),
            "end_date": today + timedelta(days=30),
            "province": "jatim",
            "city": "Malang",
            "mode": Cohort.Mode.HYBRID,
            "owner": owner,
            "status": Cohort.Status.RUNNING,
        },
    )
    if created:
        cohort.courses.add(course)
        cohort_members_add(
            cohort=cohort, user_ids=[u.pk for u in learners], role=Membership.Role.LEARNER
        )
    partner, _ = Partner.objects.get_or_create(name=PARTNER_NAME)
    partner.members.add(partner_user)
    partner.cohorts.add(cohort)
    survey = Survey.objects.get(is_default=True)
    by_key = {q.core_key: q.pk for q in survey.questions.all() if q.core_key}
    for user, (before, after) in zip(learners, ANSWERS, strict=False):
        for wave, answers in ((Wave.BASELINE, before), (Wave.ENDLINE, after)):
            if Response.objects.filter(user=user, cohort=cohort, wave=wave).exists():
                continue
            response_save(
                user=user,
                cohort=cohort,
                wave=wave,
                survey=survey,
                raw_answers={str(by_key[k]): v for k, v in answers.items() if k in by_key},
                send=True,
            )
    return cohort
