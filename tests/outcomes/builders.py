"""Outcome data for tests, built by hand: cohorts, learners with a business profile, and
survey answers sent through the real service (so the indicator columns are computed)."""

from datetime import timedelta

from django.utils import timezone

from cohorts.models import Cohort, Membership
from cohorts.services.members import cohort_members_add
from outcomes.models import Response, Survey, Wave
from outcomes.services.responses import response_save
from tests.courses.builders import course_with_lessons
from tests.factories import BusinessProfileFactory, UserFactory

# Core answers (by core key) at each step of the ladder. Comments: ladder, revenue band.
START = {  # 0, band 0 (< Rp 5 juta)
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
PRESENT = {**START, "presence": ["wa_catalog"]}  # 1, band 0
ACTIVE = {  # 2, band 1 (5-15 juta)
    **START,
    "presence": ["wa_catalog", "social_account"],
    "content_posts": "1-3",
    "digital_payments": "yes",
    "bookkeeping": "spreadsheet",
    "revenue": "5-15",
}
SELLING = {  # 3, band 2 (15-50 juta)
    **ACTIVE,
    "presence": ["wa_catalog", "social_account", "marketplace", "qris"],
    "content_posts": "4-10",
    "online_orders": "11-50",
    "bookkeeping": "app",
    "paid_ads": "yes",
    "revenue": "15-50",
    "online_share": "25-49",
    "workers": "2-4",
    "customers_outside": "yes",
}


def default_survey() -> Survey:
    return Survey.objects.get(is_default=True)


def raw(answers: dict, survey: Survey | None = None) -> dict:
    """Core answers (by core key) as the service takes them (by question id)."""
    survey = survey or default_survey()
    ids = {q.core_key: str(q.pk) for q in survey.questions.all() if q.core_key}
    return {ids[key]: value for key, value in answers.items()}


def field(survey: Survey, key: str) -> str:
    """The form field name of a core question."""
    return survey.questions.get(core_key=key).field_name


def post_data(answers: dict, survey: Survey | None = None, **extra) -> dict:
    """Core answers as the survey form posts them."""
    survey = survey or default_survey()
    data = {f"q{pk}": value for pk, value in raw(answers, survey).items()}
    data.update(extra)
    return data


def make_cohort(
    owner,
    *,
    name="Angkatan Uji",
    programme="Program Digital UMKM",
    start=None,
    end=None,
    status=Cohort.Status.RUNNING,
    province="jabar",
    course=None,
    **fields,
) -> Cohort:
    """A cohort with one course (two reading lessons unless course is given). Dates default
    to a cohort running around today."""
    today = timezone.localdate()
    cohort = Cohort.objects.create(
        name=name,
        programme=programme,
        start_date=start or today - timedelta(days=30),
        end_date=end or today + timedelta(days=30),
        province=province,
        owner=owner,
        status=status,
        **fields,
    )
    cohort.courses.add(course or course_with_lessons(lessons=2))
    return cohort


def person(
    name=None,
    *,
    gender="female",
    birth_year=1990,
    province="jabar",
    sector="kuliner",
    business_name=None,
    **fields,
):
    """A learner with a business profile (used for reach and filters)."""
    user = UserFactory(
        gender=gender, birth_year=birth_year, **({"name": name} if name else {}), **fields
    )
    BusinessProfileFactory(
        user=user,
        province=province,
        sector=sector,
        **({"business_name": business_name} if business_name else {}),
    )
    return user


def people(count, **fields) -> list:
    return [person(**fields) for _ in range(count)]


def join(cohort, *users):
    cohort_members_add(cohort=cohort, user_ids=[u.pk for u in users], role=Membership.Role.LEARNER)


def send(user, cohort, wave, answers, *, survey=None) -> Response:
    """Send a complete response through the service (the window is not checked here)."""
    return response_save(
        user=user,
        cohort=cohort,
        wave=wave,
        survey=survey or default_survey(),
        raw_answers=raw(answers, survey),
        send=True,
    )


def pairs(cohort, plan) -> list:
    """plan: [(count, baseline answers or None, endline answers or None), ...]. Makes
    count new learners of the cohort per entry and sends what is given. Returns them."""
    made = []
    for count, before, after in plan:
        for user in people(count):
            join(cohort, user)
            if before is not None:
                send(user, cohort, Wave.BASELINE, before)
            if after is not None:
                send(user, cohort, Wave.ENDLINE, after)
            made.append(user)
    return made
