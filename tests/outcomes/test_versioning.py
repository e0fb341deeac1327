"""Survey versions: answers stay tied to the version a learner started on; a version with
answers cannot change (copy it); programme questions sit next to the core indicators."""

import pytest
from django.contrib.admin.sites import site
from django.db import IntegrityError
from django.test import Client, RequestFactory
from django.urls import reverse

from outcomes import instrument, selectors
from outcomes.admin import QuestionInline
from outcomes.models import Question, Response, Survey, Wave
from outcomes.services.responses import response_save, survey_copy
from tests.factories import UserFactory
from tests.outcomes.builders import (
    SELLING,
    START,
    default_survey,
    join,
    make_cohort,
    person,
    post_data,
    raw,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client():
    client = Client()
    client.force_login(UserFactory(is_staff=True, is_superuser=True, is_learner=False))
    return client


def new_default(survey: Survey) -> Survey:
    """Make survey the default version (the one cohorts without their own use)."""
    Survey.objects.filter(is_default=True).update(is_default=False)
    survey.is_default = True
    survey.save(update_fields=["is_default"])
    return survey


def add_programme_question(survey, text="Apakah Anda ikut bazar UMKM tahun ini?", **fields):
    return Question.objects.create(
        survey=survey,
        position=20,
        text=text,
        options=fields.pop("options", "Ya\nTidak"),
        **fields,
    )


def fill_url(cohort, wave=Wave.BASELINE):
    return reverse("outcomes:survey_fill", args=[cohort.pk, wave])


# --- Versions and responses --------------------------------------------------------------------


def test_a_response_keeps_the_version_it_started_on_after_a_new_default(staff):
    cohort = make_cohort(staff.user)
    early, late = person(), person()
    join(cohort, early, late)
    v1 = default_survey()
    client = Client()
    client.force_login(early)
    draft = client.post(fill_url(cohort), post_data({"presence": ["qris"]}, v1, draft="1"))
    assert draft.status_code == 302
    assert Response.objects.get(user=early).survey == v1

    v2 = new_default(survey_copy(survey=v1, title="Survei adopsi digital 2027"))
    extra = add_programme_question(v2)
    assert v2.version == 2 and v2.questions.count() == 11

    # The early learner's page still asks version 1's ten questions...
    page = client.get(fill_url(cohort))
    assert [q.pk for q in page.context["form"].questions] == [q.pk for q in v1.questions.all()]
    assert extra.field_name not in page.content.decode()
    # ...and sending version 1's answers completes it, on version 1.
    sent = client.post(fill_url(cohort), post_data(SELLING, v1, send="1"))
    assert sent.status_code == 302
    response = Response.objects.get(user=early)
    assert (response.survey, response.status, response.ladder) == (v1, "submitted", 3)
    assert set(response.answers) == {str(q.pk) for q in v1.questions.all()}

    # A learner starting now gets version 2, programme question included.
    late_client = Client()
    late_client.force_login(late)
    missing = late_client.post(fill_url(cohort), post_data(SELLING, v2, send="1"))
    assert missing.status_code == 200
    assert extra.field_name in missing.context["form"].errors
    late_client.post(fill_url(cohort), post_data(SELLING, v2, send="1", **{extra.field_name: "1"}))
    response = Response.objects.get(user=late)
    assert (response.survey, response.status) == (v2, "submitted")
    assert response.answers[str(extra.pk)] == "1"
    # Indicators come from the core answers, whatever the version.
    assert response.ladder == 3 and response.revenue_band == 2


def test_a_cohort_given_its_own_version_uses_it_and_others_keep_the_default(staff):
    own = make_cohort(staff.user, name="Angkatan Khusus")
    other = make_cohort(staff.user, name="Angkatan Biasa")
    v2 = survey_copy(survey=default_survey())
    v2.cohorts.add(own)
    assert selectors.survey_for_cohort(own) == v2
    assert selectors.survey_for_cohort(other) == default_survey()


def test_only_one_version_is_the_default():
    from django.db import transaction

    v2 = survey_copy(survey=default_survey())
    assert v2.is_default is False
    with pytest.raises(IntegrityError), transaction.atomic():
        Survey.objects.filter(pk=v2.pk).update(is_default=True)


def test_the_copy_has_the_same_questions_and_the_original_is_untouched():
    v1 = default_survey()
    extra = add_programme_question(v1, help_text="Bazar", allow_evidence=True, required=False)
    v2 = survey_copy(survey=v1)
    fields = ("position", "core_key", "text", "help_text", "kind", "options", "required")

    def sheet(survey):
        return [
            tuple(getattr(q, f) for f in (*fields, "allow_evidence"))
            for q in survey.questions.all()
        ]

    assert sheet(v2) == sheet(v1)
    assert not set(v2.questions.values_list("pk", flat=True)) & set(
        v1.questions.values_list("pk", flat=True)
    )
    assert v1.questions.filter(pk=extra.pk).exists()
    assert v2.version == v1.version + 1


# --- Programme questions ---------------------------------------------------------------------


def test_programme_options_are_coded_by_line_number_and_blank_lines_are_skipped(staff):
    survey = survey_copy(survey=default_survey())
    question = add_programme_question(
        survey, options="Ya, sudah\n\n  Belum  \nTidak tahu\n", kind=instrument.SINGLE
    )
    assert question.choices == [("1", "Ya, sudah"), ("2", "Belum"), ("3", "Tidak tahu")]
    assert question.core is None and question.label == question.text
    cohort = make_cohort(staff.user)
    survey.cohorts.add(cohort)
    user = person()
    join(cohort, user)
    response = response_save(
        user=user,
        cohort=cohort,
        wave=Wave.BASELINE,
        survey=survey,
        raw_answers={**raw(START, survey), str(question.pk): "2"},
        send=True,
    )
    assert response.answers[str(question.pk)] == "2"
    # Rewording an option keeps the code, so the answer keeps its meaning.
    question.options = "Ya, sudah ikut\nBelum pernah\nTidak tahu"
    question.save()
    assert dict(question.choices)[response.answers[str(question.pk)]] == "Belum pernah"
    # A code past the last line is not an option.
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        response_save(
            user=user,
            cohort=cohort,
            wave=Wave.BASELINE,
            survey=survey,
            raw_answers={**raw(START, survey), str(question.pk): "4"},
            send=True,
        )


def test_a_multi_choice_programme_question_keeps_the_options_order(staff):
    survey = survey_copy(survey=default_survey())
    question = add_programme_question(
        survey, options="Shopee\nTokopedia\nTikTok Shop", kind=instrument.MULTI
    )
    cohort = make_cohort(staff.user)
    survey.cohorts.add(cohort)
    user = person()
    join(cohort, user)
    response = response_save(
        user=user,
        cohort=cohort,
        wave=Wave.BASELINE,
        survey=survey,
        raw_answers={str(question.pk): ["3", "1"]},
        send=False,
    )
    assert response.answers == {str(question.pk): ["1", "3"]}


# --- Admin: locked versions, the copy action, the question formset ----------------------------


def test_questions_of_a_version_with_answers_cannot_be_added_changed_or_deleted(staff):
    v1 = default_survey()
    v2 = survey_copy(survey=v1)
    cohort = make_cohort(staff.user)
    user = person()
    join(cohort, user)
    response_save(
        user=user, cohort=cohort, wave=Wave.BASELINE, survey=v1, raw_answers={}, send=False
    )
    request = RequestFactory().get("/admin/")
    request.user = UserFactory(is_staff=True, is_superuser=True)
    inline = QuestionInline(Survey, site)
    assert v1.is_locked and not v2.is_locked
    assert not inline.has_add_permission(request, v1)
    assert not inline.has_change_permission(request, v1)
    assert not inline.has_delete_permission(request, v1)
    assert inline.has_add_permission(request, v2)
    assert inline.has_change_permission(request, v2)
    assert inline.has_delete_permission(request, None)


def survey_post(survey_fields: dict, questions: list[dict], *, initial=0) -> dict:
    data = {
        "title": "Survei adopsi digital",
        "cohorts": [],
        "created_at_0": "2026-11-28",
        "created_at_1": "09:00:00",
        "questions-TOTAL_FORMS": str(len(questions)),
        "questions-INITIAL_FORMS": str(initial),
        "questions-MIN_NUM_FORMS": "0",
        "questions-MAX_NUM_FORMS": "1000",
        **survey_fields,
    }
    if survey_fields.get("is_default") is False:
        data.pop("is_default")
    for number, question in enumerate(questions):
        for key, value in question.items():
            if value is True:
                value = "on"
            if value is False:
                continue
            data[f"questions-{number}-{key}"] = value
    return data


def core_rows(keys=instrument.CORE_KEYS):
    return [
        {"position": str(n), "core_key": key, "kind": "single", "required": True}
        for n, key in enumerate(keys, start=1)
    ]


def test_the_admin_keeps_a_locked_versions_questions_as_they_are(admin_client, staff):
    v1 = default_survey()
    cohort = make_cohort(staff.user)
    user = person()
    join(cohort, user)
    response_save(
        user=user, cohort=cohort, wave=Wave.BASELINE, survey=v1, raw_answers={}, send=False
    )
    url = reverse("admin:outcomes_survey_change", args=[v1.pk])
    page = admin_client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="questions-0-core_key"' not in html  # shown, not editable
    assert 'name="version"' not in html  # read-only once answered
    # A hand-made post that changes the first question, deletes the second and adds one.
    existing = list(v1.questions.all())
    rows = [{"id": str(q.pk), "survey": str(v1.pk)} for q in existing]
    rows[0].update({"core_key": "", "text": "Baru?", "options": "A\nB"})
    rows[1]["DELETE"] = True
    rows.append({"core_key": "", "text": "Tambahan?", "options": "A\nB", "kind": "single"})
    response = admin_client.post(
        url, survey_post({"title": "Diubah", "is_default": "on"}, rows, initial=len(existing))
    )
    assert response.status_code == 302
    assert list(v1.questions.all()) == existing
    first = v1.questions.first()
    assert (first.core_key, first.text) == ("presence", "")
    v1.refresh_from_db()
    assert (v1.version, v1.title) == (1, "Diubah")  # the version's own fields may change


def test_the_admin_copy_action_makes_the_next_version_with_the_same_questions(admin_client):
    v1 = default_survey()
    add_programme_question(v1)
    response = admin_client.post(
        reverse("admin:outcomes_survey_changelist"),
        {"action": "copy_as_new_version", "_selected_action": [v1.pk]},
    )
    assert response.status_code == 302
    v2 = Survey.objects.get(version=2)
    assert v2.is_default is False
    assert list(v2.questions.values_list("core_key", "text", "options")) == list(
        v1.questions.values_list("core_key", "text", "options")
    )
    assert v1.questions.count() == 11


def test_the_admin_adds_a_version_with_the_core_and_programme_questions(admin_client):
    programme = {
        "position": "11",
        "core_key": "",
        "text": "Apakah Anda ikut bazar?",
        "kind": "single",
        "options": "Ya\nTidak",
        "required": True,
    }
    response = admin_client.post(
        reverse("admin:outcomes_survey_add"),
        survey_post({"version": "2", "is_default": False}, [*core_rows(), programme]),
    )
    assert response.status_code == 302
    survey = Survey.objects.get(version=2)
    assert survey.questions.count() == 11
    assert survey.questions.get(core_key="").choices == [("1", "Ya"), ("2", "Tidak")]


@pytest.mark.parametrize(
    ("questions", "message"),
    [
        # 13 questions: the 10 core ones and 3 programme questions
        (
            core_rows()
            + [
                {
                    "position": str(20 + n),
                    "core_key": "",
                    "text": f"Pertanyaan program {n}",
                    "kind": "single",
                    "options": "Ya\nTidak",
                }
                for n in range(3)
            ],
            "12",
        ),
        # a core indicator left out
        (core_rows(instrument.CORE_KEYS[:-1]), "customers_outside"),
    ],
    ids=["more-than-12", "core-missing"],
)
def test_the_admin_refuses_too_many_questions_or_a_missing_core_indicator(
    admin_client, questions, message
):
    response = admin_client.post(
        reverse("admin:outcomes_survey_add"),
        survey_post({"version": "2", "is_default": False}, questions),
    )
    assert response.status_code == 200
    errors = response.context["inline_admin_formsets"][0].formset.non_form_errors()
    assert errors and message in str(errors)
    assert not Survey.objects.filter(version=2).exists()


def test_the_admin_refuses_a_programme_question_without_text_or_with_one_option(admin_client):
    response = admin_client.post(
        reverse("admin:outcomes_survey_add"),
        survey_post(
            {"version": "2", "is_default": False},
            [*core_rows(), {"position": "11", "core_key": "", "kind": "single", "options": "Ya"}],
        ),
    )
    assert response.status_code == 200
    form_errors = response.context["inline_admin_formsets"][0].formset.errors[-1]
    assert set(form_errors) == {"text", "options"}
    assert not Survey.objects.filter(version=2).exists()


def test_the_admin_refuses_the_same_core_indicator_twice(admin_client):
    twice = [*core_rows(), {"position": "11", "core_key": "presence", "kind": "single"}]
    response = admin_client.post(
        reverse("admin:outcomes_survey_add"),
        survey_post({"version": "2", "is_default": False}, twice),
    )
    assert response.status_code == 200
    assert not Survey.objects.filter(version=2).exists()
