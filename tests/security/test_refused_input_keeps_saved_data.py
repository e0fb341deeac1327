"""Issue 9: a refused form loses nothing. When hostile input is answered with the form and
its errors (200 or 400), what the person saved before is exactly as it was: an earlier task
submission and its photo, a survey draft and its evidence photo, a logged mentoring session,
a business profile, a cohort, account and reminder settings, a mentor profile."""

import pytest
from django.core.cache import cache
from django.core.files.storage import default_storage
from hypothesis import given
from hypothesis import strategies as st

from cohorts.models import Cohort
from courses.models import TaskSubmission
from mentoring.models import MentoringSession, MentorProfile, SessionEdit
from outcomes.models import Evidence, Response
from tests.security.forms import SPECS
from tests.security.helpers import assert_no_server_error, client_for, short
from tests.security.strategies import FUZZ
from ukmlearn.notifications.models import NotificationPreference
from ukmlearn.users.models import BusinessProfile, User

pytestmark = pytest.mark.django_db


def files_exist(*names):
    return all(default_storage.exists(name) for name in names if name)


def submissions(w):
    return [
        (s.pk, s.text, s.link, s.status, sorted(p.image.name for p in s.photos.all()))
        for s in TaskSubmission.objects.filter(enrollment=w.enrollment).order_by("pk")
    ] + [files_exist(w.photo.image.name, w.photo.thumbnail.name)]


def survey_draft(w):
    response = Response.objects.get(pk=w.response.pk)
    evidence = list(Evidence.objects.filter(response=response).values_list("pk", "image"))
    return [response.answers, response.status, evidence, files_exist(*[e[1] for e in evidence])]


def mentoring_session(w):
    session = MentoringSession.objects.filter(pk=w.mentoring_session.pk).values().get()
    topics = sorted(w.mentoring_session.topics.values_list("pk", flat=True))
    return [session, topics, SessionEdit.objects.count()]


def business(w):
    return BusinessProfile.objects.filter(user=w.learner).values().get()


def cohort(w):
    return [
        Cohort.objects.filter(pk=w.cohort.pk).values().get(),
        sorted(w.cohort.courses.values_list("pk", flat=True)),
    ]


def account(w):
    return User.objects.filter(pk=w.learner.pk).values("name", "timezone", "data_saver").get()


def preferences(w):
    NotificationPreference.objects.get_or_create(user=w.learner)
    return list(NotificationPreference.objects.filter(user=w.learner).values())


def mentor_profile(w):
    profile = MentorProfile.objects.get(user=w.pairing.mentor)
    return [
        MentorProfile.objects.filter(pk=profile.pk).values().get(),
        sorted(profile.expertise.values_list("pk", flat=True)),
    ]


SAVED = {
    "courses:task_submit": submissions,
    "outcomes:survey_fill": survey_draft,
    "mentoring:session_edit": mentoring_session,
    "business_profile": business,
    "cohorts:cohort_edit": cohort,
    "account_settings": account,
    "notifications:preferences": preferences,
    "mentoring:mentor_profile": mentor_profile,
}


@pytest.mark.parametrize("name", sorted(SAVED))
@FUZZ
@given(data=st.data())
def test_a_refused_form_leaves_what_was_saved_before_as_it_was(name, data, world, personas):
    spec = SPECS[name]
    client = client_for(personas[spec.persona].user)
    cache.clear()
    ids = {str(world.cohort.pk), str(world.learner.pk), str(world.other_learner.pk)}
    payload = data.draw(st.fixed_dictionaries({}, optional=spec.fields(world, ids)))
    files = {}
    if spec.files:
        chosen = data.draw(st.fixed_dictionaries({}, optional=spec.files(world)))
        files = {key: value for key, value in chosen.items() if value}
    before = SAVED[name](world)

    response = client.post(spec.url(world), {**payload, **files})

    assert_no_server_error(response, name, payload)
    if response.status_code in (200, 400):
        assert SAVED[name](world) == before, f"{name} refused {short(payload)} yet changed"
