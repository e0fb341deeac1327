"""Filling a survey: drafts, sending, refused answers (nothing saved before is lost),
skipping the baseline once, the windows of each wave, and evidence photos."""

import re
from datetime import datetime, time, timedelta

import pytest
import time_machine
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from cohorts.models import Cohort
from cohorts.services.members import cohort_member_leave
from courses.services import progress
from outcomes import selectors, windows
from outcomes.models import Evidence, Response, Wave
from tests.courses.builders import gps_exif, not_an_image, photo_upload, translated
from tests.outcomes.builders import (
    PRESENT,
    SELLING,
    START,
    default_survey,
    field,
    join,
    make_cohort,
    person,
    post_data,
    raw,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def cohort(staff):
    return make_cohort(staff.user, name="Angkatan Survei")


@pytest.fixture
def siti(cohort):
    user = person("Siti Aminah")
    join(cohort, user)
    client = Client()
    client.force_login(user)
    client.user = user
    return client


def fill_url(cohort, wave=Wave.BASELINE):
    return reverse("outcomes:survey_fill", args=[cohort.pk, wave])


def skip_url(cohort):
    return reverse("outcomes:survey_skip", args=[cohort.pk])


def stored(user, cohort, wave=Wave.BASELINE) -> Response:
    return Response.objects.get(user=user, cohort=cohort, wave=wave)


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


# --- Drafts and sending ----------------------------------------------------------------------


def test_a_draft_keeps_partial_answers_and_shows_them_again(siti, cohort):
    survey = default_survey()
    partial = {"presence": ["qris", "wa_catalog"], "revenue": "5-15"}
    response = siti.post(fill_url(cohort), post_data(partial, draft="1"), follow=True)
    assert translated("Saved as a draft. You can finish it later.") in messages_of(response)
    saved = stored(siti.user, cohort)
    assert saved.status == Response.Status.DRAFT
    # Kept in the options' order, whatever order they were ticked in.
    assert saved.answers == raw({"presence": ["wa_catalog", "qris"], "revenue": "5-15"})
    assert saved.submitted_at is None
    assert saved.ladder is None and saved.revenue_band is None  # computed only when sent
    page = siti.get(fill_url(cohort))
    html = page.content.decode()
    assert page.context["form"].initial == {
        field(survey, "presence"): ["wa_catalog", "qris"],
        field(survey, "revenue"): "5-15",
    }
    checked = set(re.findall(r'<input[^>]*name="(q\d+)" value="([^"]+)"[^>]*checked>', html))
    assert checked == {
        (field(survey, "presence"), "wa_catalog"),
        (field(survey, "presence"), "qris"),
        (field(survey, "revenue"), "5-15"),
    }


def test_sending_needs_every_required_answer_and_loses_nothing_saved(siti, cohort):
    survey = default_survey()
    siti.post(fill_url(cohort), post_data({"presence": ["qris"]}, draft="1"))
    incomplete = {k: v for k, v in SELLING.items() if k not in ("revenue", "workers")}
    response = siti.post(fill_url(cohort), post_data(incomplete, send="1"))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors[field(survey, "revenue")] == [translated("Please answer this question.")]
    assert set(errors) == {field(survey, "revenue"), field(survey, "workers")}
    assert translated(
        "Some answers need a look. Nothing you saved before was lost."
    ) in messages_of(response)
    saved = stored(siti.user, cohort)
    assert saved.status == Response.Status.DRAFT
    assert saved.answers == raw({"presence": ["qris"]})

    sent = siti.post(fill_url(cohort), post_data(SELLING, send="1"), follow=True)
    assert translated("Thank you! Your answers were sent.") in messages_of(sent)
    saved.refresh_from_db()
    assert saved.status == Response.Status.SUBMITTED and saved.submitted_at is not None
    assert (saved.ladder, saved.revenue_band, saved.has_marketplace) == (3, 2, True)


@pytest.mark.parametrize(
    ("answers", "key", "message"),
    [
        ({"revenue": "999"}, "revenue", "Please choose from the options given."),
        ({"workers": "-1"}, "workers", "Please choose from the options given."),
        (
            {"presence": ["wa_catalog", "toko_emas"]},
            "presence",
            "Please choose from the options given.",
        ),
        (
            {"presence": ["none", "qris"]},
            "presence",
            "\u201cNone of these yet\u201d cannot be ticked together with other answers.",
        ),
    ],
    ids=["unknown-band", "negative", "unknown-multi", "none-with-others"],
)
def test_bad_answers_are_refused_with_a_message_and_nothing_saved_is_lost(
    siti, cohort, answers, key, message
):
    survey = default_survey()
    siti.post(fill_url(cohort), post_data({"presence": ["qris"], "paid_ads": "no"}, draft="1"))
    before = stored(siti.user, cohort)

    for send in ("draft", "send"):
        response = siti.post(fill_url(cohort), post_data({**START, **answers}, **{send: "1"}))
        assert response.status_code == 200
        errors = response.context["form"].errors[field(survey, key)]
        if "\u201c" in message:
            expected = translated(
                "\u201c%(none)s\u201d cannot be ticked together with other answers."
            ) % {"none": translated("None of these yet")}
        else:
            expected = translated(message)
        assert expected in errors
        after = stored(siti.user, cohort)
        assert (after.status, after.answers, after.updated_at) == (
            before.status,
            before.answers,
            before.updated_at,
        )


def test_the_service_refuses_two_codes_for_a_one_answer_question(siti, cohort):
    from django.core.exceptions import ValidationError

    from outcomes.services.responses import response_save

    survey = default_survey()
    with pytest.raises(ValidationError) as refused:
        response_save(
            user=siti.user,
            cohort=cohort,
            wave=Wave.BASELINE,
            survey=survey,
            raw_answers=raw({"revenue": ["lt5", "5-15"]}),
            send=False,
        )
    assert set(refused.value.message_dict) == {field(survey, "revenue")}
    assert not Response.objects.exists()


def test_a_refused_first_post_creates_no_response(siti, cohort):
    siti.post(fill_url(cohort), post_data({"revenue": "banyak"}, draft="1"))
    assert not Response.objects.filter(user=siti.user).exists()


def test_a_sent_survey_can_be_changed_only_by_sending_it_complete_again(siti, cohort):
    siti.post(fill_url(cohort), post_data(START, send="1"))
    first = stored(siti.user, cohort)
    assert first.ladder == 0
    # "Save as draft" of half a sheet would replace what was reported: refused.
    response = siti.post(fill_url(cohort), post_data({"presence": ["qris"]}, draft="1"))
    assert response.status_code == 200
    kept = stored(siti.user, cohort)
    assert (kept.status, kept.answers, kept.ladder) == ("submitted", first.answers, 0)
    siti.post(fill_url(cohort), post_data(PRESENT, send="1"))
    assert stored(siti.user, cohort).ladder == 1


def test_next_goes_back_to_the_page_that_asked_but_never_off_site(siti, cohort):
    lesson = reverse("courses:course_list")
    response = siti.post(fill_url(cohort), post_data(START, send="1", next=lesson))
    assert response["Location"] == lesson
    response = siti.post(
        fill_url(cohort), post_data(START, send="1", next="https://phishing.example/")
    )
    assert response["Location"] == reverse("home")


# --- Skipping the baseline once ----------------------------------------------------------------


def test_the_baseline_can_be_put_off_once(siti, cohort):
    response = siti.post(skip_url(cohort), follow=True)
    assert response.redirect_chain[-1][0] == reverse("home")
    skipped = stored(siti.user, cohort)
    assert skipped.status == Response.Status.SKIPPED and skipped.skipped_at is not None
    page = siti.get(fill_url(cohort))
    assert page.context["asked"].can_skip is False
    assert skip_url(cohort) not in page.content.decode()

    again = siti.post(skip_url(cohort), follow=True)
    assert again.redirect_chain[0][0] == fill_url(cohort)
    assert translated("The baseline survey can be put off only once.") in messages_of(again)
    assert stored(siti.user, cohort).skipped_at == skipped.skipped_at
    # It can still be filled and sent.
    siti.post(fill_url(cohort), post_data(START, send="1"))
    assert stored(siti.user, cohort).status == Response.Status.SUBMITTED


def test_putting_off_a_started_draft_keeps_its_answers(siti, cohort):
    siti.post(fill_url(cohort), post_data({"presence": ["qris"]}, draft="1"))
    siti.post(skip_url(cohort))
    saved = stored(siti.user, cohort)
    assert saved.status == Response.Status.DRAFT and saved.skipped_at is not None
    assert saved.answers == raw({"presence": ["qris"]})


def test_a_sent_baseline_cannot_be_put_off_and_only_the_baseline_can(siti, cohort):
    siti.post(fill_url(cohort), post_data(START, send="1"))
    siti.post(skip_url(cohort))
    assert stored(siti.user, cohort).status == Response.Status.SUBMITTED
    assert stored(siti.user, cohort).skipped_at is None
    assert siti.get(skip_url(cohort)).status_code == 405


# --- Whose survey, which wave ------------------------------------------------------------------


def test_learners_cannot_open_or_post_another_cohorts_survey(siti, cohort, staff):
    other = make_cohort(staff.user, name="Angkatan Lain")
    assert siti.get(fill_url(other)).status_code == 404
    assert siti.post(fill_url(other), post_data(START, send="1")).status_code == 404
    assert siti.post(skip_url(other)).status_code == 404
    assert not Response.objects.filter(cohort=other).exists()
    assert siti.get(reverse("outcomes:survey_fill", args=[cohort.pk, "midline"])).status_code == 404


def test_a_draft_cohort_or_a_cohort_the_learner_left_asks_nothing(siti, cohort, staff):
    draft = make_cohort(staff.user, name="Angkatan Draf", status=Cohort.Status.DRAFT)
    join(draft, siti.user)
    assert siti.get(fill_url(draft)).status_code == 404
    cohort_member_leave(cohort=cohort, user_id=siti.user.pk)
    assert siti.get(fill_url(cohort)).status_code == 404
    assert siti.post(fill_url(cohort), post_data(START, send="1")).status_code == 404
    assert siti.get(reverse("outcomes:survey_list")).context["asked"] == []


def test_mentors_of_the_cohort_and_its_staff_fill_nothing(cohort, mentor, staff):
    from cohorts.models import Membership
    from cohorts.services.members import cohort_members_add

    cohort_members_add(cohort=cohort, user_ids=[mentor.user.pk], role=Membership.Role.MENTOR)
    assert mentor.client.get(fill_url(cohort)).status_code == 404
    assert staff.client.get(fill_url(cohort)).status_code == 404


def at_noon(day):
    return timezone.make_aware(datetime.combine(day, time(12, 0)))


def finish_lessons(user, cohort):
    for course in cohort.courses.all():
        enrollment = user.enrollments.get(course=course)
        for lesson in progress.course_lessons(course.pk):
            progress.lesson_complete(enrollment=enrollment, lesson=lesson)


def open_waves(user, day) -> list[str]:
    with time_machine.travel(at_noon(day), tick=False):
        return [a.wave for a in selectors.surveys_for_learner(user=user)]


def test_each_wave_opens_and_closes_on_its_day(siti, cohort):
    end = cohort.end_date
    user = siti.user
    assert open_waves(user, end - timedelta(days=1)) == ["baseline"]  # lessons not done
    assert open_waves(user, end) == ["baseline"]  # the last day still takes the baseline
    assert open_waves(user, end + timedelta(days=1)) == ["endline"]  # ended: endline opens
    assert open_waves(user, end + timedelta(days=30)) == ["endline"]
    assert open_waves(user, end + timedelta(days=31)) == []
    assert open_waves(user, end + timedelta(days=89)) == []
    assert open_waves(user, end + timedelta(days=90)) == ["followup"]
    assert open_waves(user, end + timedelta(days=150)) == ["followup"]
    assert open_waves(user, end + timedelta(days=151)) == []


def test_the_endline_opens_when_every_required_lesson_is_done(siti, cohort):
    today = timezone.localdate()
    assert open_waves(siti.user, today) == ["baseline"]
    finish_lessons(siti.user, cohort)
    assert open_waves(siti.user, today) == ["baseline", "endline"]
    assert siti.get(fill_url(cohort, Wave.ENDLINE)).status_code == 200


def test_the_window_functions_agree_with_the_rules():
    cohort = Cohort(end_date=timezone.localdate())
    end = cohort.end_date
    assert windows.window(cohort, Wave.BASELINE) == windows.Window(None, end)
    assert windows.window(cohort, Wave.ENDLINE).closes == end + timedelta(days=30)
    assert windows.window(cohort, Wave.FOLLOWUP) == windows.Window(
        end + timedelta(days=90), end + timedelta(days=150)
    )
    assert windows.is_open(cohort, Wave.ENDLINE, today=end, finished_lessons=True)
    assert not windows.is_open(cohort, Wave.ENDLINE, today=end, finished_lessons=False)


def test_a_closed_wave_is_a_404_even_with_a_draft_and_refuses_changes(siti, cohort):
    siti.post(fill_url(cohort), post_data({"presence": ["qris"]}, draft="1"))
    later = at_noon(cohort.end_date + timedelta(days=1))
    with time_machine.travel(later, tick=False):
        siti.force_login(siti.user)
        assert siti.get(fill_url(cohort)).status_code == 404
        assert siti.post(fill_url(cohort), post_data(START, send="1")).status_code == 404
        assert siti.post(skip_url(cohort)).status_code == 404
        assert siti.get(fill_url(cohort, Wave.FOLLOWUP)).status_code == 404
    assert stored(siti.user, cohort).status == Response.Status.DRAFT


def test_the_survey_list_shows_open_waves_and_the_home_page_what_is_not_sent(siti, cohort):
    listing = siti.get(reverse("outcomes:survey_list"))
    assert [(a.cohort, a.wave) for a in listing.context["asked"]] == [(cohort, "baseline")]
    home = siti.get(reverse("home"))
    assert [a.wave for a in home.context["surveys"]] == ["baseline"]
    assert fill_url(cohort) in home.content.decode()
    siti.post(fill_url(cohort), post_data(START, send="1"))
    assert siti.get(reverse("home")).context["surveys"] == []
    assert fill_url(cohort) in siti.get(reverse("outcomes:survey_list")).content.decode()


# --- Evidence photos -----------------------------------------------------------------------------


def evidence_post(survey, key, upload, answers=None, **extra):
    question = survey.questions.get(core_key=key)
    return post_data(answers or START, **{f"evidence_{question.pk}": upload, **extra})


def test_an_evidence_photo_is_stored_without_exif_and_gps(siti, cohort):
    survey = default_survey()
    upload = photo_upload(size=(2400, 1800), exif=gps_exif())
    response = siti.post(fill_url(cohort), evidence_post(survey, "presence", upload, draft="1"))
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    assert evidence.response == stored(siti.user, cohort)
    assert evidence.question.core_key == "presence"
    assert max(evidence.width, evidence.height) == 1600
    for image_file in (evidence.image, evidence.thumbnail):
        with default_storage.open(image_file.name, "rb") as handle:
            image = Image.open(handle)
            assert image.format == "JPEG"
            assert not image.getexif()
            assert "exif" not in image.info
    # The page shows it back to the learner.
    assert reverse("outcomes:evidence_file", args=[evidence.pk]) in (
        siti.get(fill_url(cohort)).content.decode()
    )


def test_a_new_photo_replaces_the_old_one_and_photos_only_go_with_evidence_questions(siti, cohort):
    survey = default_survey()
    siti.post(fill_url(cohort), evidence_post(survey, "presence", photo_upload(), draft="1"))
    first = Evidence.objects.get()
    siti.post(fill_url(cohort), evidence_post(survey, "presence", photo_upload(), draft="1"))
    assert Evidence.objects.get().pk != first.pk
    siti.post(fill_url(cohort), evidence_post(survey, "revenue", photo_upload(), draft="1"))
    assert list(Evidence.objects.values_list("question__core_key", flat=True)) == ["presence"]


def test_a_file_that_is_not_a_photo_is_refused_and_the_answers_stay(siti, cohort):
    survey = default_survey()
    siti.post(fill_url(cohort), post_data({"presence": ["qris"]}, draft="1"))
    before = stored(siti.user, cohort)
    response = siti.post(
        fill_url(cohort), evidence_post(survey, "presence", not_an_image(), send="1")
    )
    assert response.status_code == 200
    question = survey.questions.get(core_key="presence")
    assert response.context["form"].errors[f"evidence_{question.pk}"]
    after = stored(siti.user, cohort)
    assert (after.status, after.answers) == (before.status, before.answers)
    assert not Evidence.objects.exists()


def test_evidence_is_seen_by_its_owner_and_the_cohorts_owner_only(
    siti, cohort, other_learner, mentor, other_staff, staff, partner, anonymous
):
    survey = default_survey()
    siti.post(fill_url(cohort), evidence_post(survey, "online_orders", photo_upload(), draft="1"))
    evidence = Evidence.objects.get()
    url = reverse("outcomes:evidence_file", args=[evidence.pk])
    from cohorts.models import Membership
    from cohorts.services.members import cohort_members_add
    from mentoring.models import Pairing

    # Even Siti's own mentor does not see her survey photos.
    cohort_members_add(cohort=cohort, user_ids=[mentor.user.pk], role=Membership.Role.MENTOR)
    Pairing.objects.create(
        cohort=cohort, mentor=mentor.user, learner=siti.user, status=Pairing.Status.ACTIVE
    )
    partner.org.cohorts.add(cohort)
    own = siti.get(url)
    assert own.status_code == 200
    assert own["Content-Type"] == "image/jpeg"
    assert own["Cache-Control"] == "private, no-store"
    assert staff.client.get(url).status_code == 200
    assert staff.client.get(url, {"full": "1"}).status_code == 200
    for outsider in (other_learner, mentor, other_staff, partner):
        assert outsider.client.get(url).status_code == 404
    assert anonymous.client.get(url).status_code == 302
    missing = reverse("outcomes:evidence_file", args=[evidence.pk + 1000])
    assert siti.get(missing).status_code == 404


def test_the_home_page_offers_the_endline_once_every_lesson_is_done(siti, cohort):
    """The home page decides "finished" from the enrolments it has already read; it must
    agree with the survey list, which asks the database."""

    def home_waves():
        return [a.wave for a in siti.get(reverse("home")).context["surveys"]]

    assert home_waves() == ["baseline"]
    finish_lessons(siti.user, cohort)

    assert home_waves() == ["baseline", "endline"]
    listing = siti.get(reverse("outcomes:survey_list")).context["asked"]
    assert [a.wave for a in listing] == ["baseline", "endline"]


def test_the_home_page_waits_for_every_course_of_the_cohort_before_the_endline(siti, cohort):
    from cohorts.services.members import cohort_courses_changed
    from tests.courses.builders import course_with_lessons

    finish_lessons(siti.user, cohort)
    cohort.courses.add(course_with_lessons(lessons=2))
    cohort_courses_changed(cohort=cohort)

    home = [a.wave for a in siti.get(reverse("home")).context["surveys"]]
    listing = [a.wave for a in siti.get(reverse("outcomes:survey_list")).context["asked"]]
    assert home == listing == ["baseline"]
