"""Mentoring sessions: logging with topics and action items, validation, staff logging and
corrections, the learner's confirmation, rating and action items, and who sees what."""

import json
import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils import timezone, translation

from cohorts.models import Membership
from cohorts.services.members import cohort_members_add
from mentoring.models import ActionItem, ExpertiseTag, MentoringSession, Pairing, SessionEdit
from tests.courses.builders import translated
from tests.mentoring.builders import add_mentor, make_cohort

pytestmark = pytest.mark.django_db


def pair(owner, mentor, learner, cohort=None) -> Pairing:
    """An active pairing of two personas (who already have their profiles)."""
    cohort = cohort or make_cohort(owner)
    add_mentor(cohort, mentor)
    cohort_members_add(cohort=cohort, user_ids=[learner.pk], role=Membership.Role.LEARNER)
    return Pairing.objects.create(
        cohort=cohort,
        mentor=mentor,
        learner=learner,
        status=Pairing.Status.ACTIVE,
        started_at=timezone.now(),
    )


@pytest.fixture
def pairing(staff, mentor, learner):
    return pair(staff.user, mentor.user, learner.user)


def local(moment) -> str:
    """A time as the datetime-local input sends it, in the people's zone (WIB)."""
    return timezone.localtime(moment, timezone.get_default_timezone()).strftime("%Y-%m-%dT%H:%M")


def day(offset: int) -> str:
    return (timezone.localdate() + timedelta(days=offset)).isoformat()


def log_data(**changes):
    data = {
        "held_at": local(timezone.now() - timedelta(hours=2)),
        "duration_minutes": "45",
        "mode": MentoringSession.Mode.WHATSAPP_CALL,
        "summary": "Kita susun katalog lima produk unggulan.",
        "private_notes": "Masih ragu menaikkan harga.",
        "action_2": "Hitung HPP keripik",
        "action_2_due": day(7),
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


DURATION = "Enter the duration in minutes, from 1 to 600."


def log_url(pairing):
    return reverse("mentoring:session_log", args=[pairing.pk])


def make_session(pairing, **fields) -> MentoringSession:
    fields = {"logged_by": pairing.mentor, **fields}
    return MentoringSession.objects.create(pairing=pairing, **fields)


def shown_messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


# --- Logging -------------------------------------------------------------------------------


def test_a_logged_session_keeps_its_topics_and_action_items(mentor, pairing):
    marketplace, _ = ExpertiseTag.objects.get_or_create(name="marketplace")
    prices, _ = ExpertiseTag.objects.get_or_create(name="harga jual")
    held_at = timezone.now().replace(second=0, microsecond=0) - timedelta(hours=3)

    response = mentor.client.post(
        log_url(pairing),
        log_data(
            held_at=local(held_at),
            mode=MentoringSession.Mode.VIDEO,
            topics=[marketplace.pk, prices.pk],
            next_planned_at=day(14),
            action_1="Foto 5 produk dengan cahaya pagi",
            action_1_due=day(3),
        ),
        follow=True,
    )

    assert response.redirect_chain == [(pairing.get_absolute_url(), 302)]
    assert shown_messages(response) == [translated("Session saved.")]
    session = MentoringSession.objects.get()
    assert (session.pairing, session.logged_by) == (pairing, mentor.user)
    assert (session.held_at, session.duration_minutes, session.mode) == (held_at, 45, "video")
    assert session.next_planned_at == timezone.localdate() + timedelta(days=14)
    assert session.summary == "Kita susun katalog lima produk unggulan."
    assert session.private_notes == "Masih ragu menaikkan harga."
    assert set(session.topics.all()) == {marketplace, prices}
    assert [(item.text, item.due_date.isoformat()) for item in session.action_items.all()] == [
        ("Foto 5 produk dengan cahaya pagi", day(3)),
        ("Hitung HPP keripik", day(7)),
    ]
    assert not any(item.done_at for item in session.action_items.all())


def test_a_quick_log_needs_only_the_defaults(mentor, pairing):
    response = mentor.client.post(
        log_url(pairing),
        {"held_at": local(timezone.now()), "duration_minutes": "30", "mode": "wa_chat"},
    )
    assert response.status_code == 302
    session = MentoringSession.objects.get()
    assert (session.summary, session.private_notes, session.next_planned_at) == ("", "", None)
    assert not session.action_items.exists()
    assert not session.topics.exists()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"held_at": local(timezone.now() + timedelta(days=2))},
            "held_at",
            "A session is logged after it happened: check the date.",
        ),
        (
            {"held_at": local(timezone.now() - timedelta(days=366))},
            "held_at",
            "That date is more than a year ago: check the date.",
        ),
        ({"duration_minutes": "0"}, "duration_minutes", DURATION),
        ({"duration_minutes": "601"}, "duration_minutes", DURATION),
        (
            {"action_1": "Buka toko di marketplace"},
            "action_1_due",
            "Give the action item a due date.",
        ),
        ({"action_1_due": day(3)}, "action_1", "Describe the action item."),
        (
            {"action_1": "Buka toko di marketplace", "action_1_due": day(-1)},
            "action_1_due",
            "The due date has already passed.",
        ),
    ],
    ids=[
        "far-future",
        "over-a-year-ago",
        "zero-minutes",
        "601-minutes",
        "action-without-due-date",
        "due-date-without-action",
        "due-date-passed",
    ],
)
def test_a_mistake_is_one_clear_error_and_the_rest_is_kept(
    mentor, pairing, changes, field, message
):
    data = log_data(**changes)

    response = mentor.client.post(log_url(pairing), data)

    assert response.status_code == 200
    form = response.context["form"]
    assert {name: [str(e) for e in errors] for name, errors in form.errors.items()} == {
        field: [translated(message)]
    }
    assert not MentoringSession.objects.exists()
    html = response.content.decode()
    # Nothing typed is lost: the mentor fixes one field and saves again.
    assert "Kita susun katalog lima produk unggulan." in html
    assert "Masih ragu menaikkan harga." in html
    assert 'value="Hitung HPP keripik"' in html
    for name, value in changes.items():
        assert value in html, name


def test_a_negative_duration_gets_the_same_clear_error(mentor, pairing):
    response = mentor.client.post(log_url(pairing), log_data(duration_minutes="-5"))
    assert [str(e) for e in response.context["form"].errors["duration_minutes"]] == [
        translated(DURATION)
    ]


@pytest.mark.parametrize(
    "changes",
    [
        {"held_at": local(timezone.now() + timedelta(minutes=30))},  # a phone's clock ahead
        {"held_at": local(timezone.now() - timedelta(days=364))},
        {"duration_minutes": "1"},
        {"duration_minutes": "600"},
        {"action_1": "Tanya harga ke pemasok", "action_1_due": day(0)},
    ],
    ids=["half-an-hour-ahead", "364-days-ago", "one-minute", "600-minutes", "due-today"],
)
def test_the_edges_of_each_rule_are_accepted(mentor, pairing, changes):
    assert mentor.client.post(log_url(pairing), log_data(**changes)).status_code == 302
    assert MentoringSession.objects.count() == 1


# --- Staff -------------------------------------------------------------------------------


def test_staff_log_a_session_on_the_mentors_behalf(staff, pairing):
    response = staff.client.post(log_url(pairing), log_data())

    assert response.status_code == 302
    session = MentoringSession.objects.get()
    assert (session.pairing, session.logged_by) == (pairing, staff.user)
    pairing.refresh_from_db()
    assert pairing.mentor != staff.user


def edit_url(session):
    return reverse("mentoring:session_edit", args=[session.pk])


def test_a_correction_records_who_and_which_fields_never_the_old_text(staff, mentor, pairing):
    data = log_data()
    mentor.client.post(log_url(pairing), data)
    session = MentoringSession.objects.get()
    old_summary = session.summary
    marketplace, _ = ExpertiseTag.objects.get_or_create(name="marketplace")
    correction = {key: value for key, value in data.items() if not key.startswith("action")} | {
        "summary": "Katalog tujuh produk, bukan lima.",
        "duration_minutes": "60",
    }

    response = staff.client.post(edit_url(session), correction)

    assert response.status_code == 302
    session.refresh_from_db()
    assert (session.summary, session.duration_minutes) == ("Katalog tujuh produk, bukan lima.", 60)
    assert session.logged_by == mentor.user
    edit = SessionEdit.objects.get()
    assert (edit.session, edit.edited_by) == (session, staff.user)
    assert sorted(edit.fields) == ["duration_minutes", "summary"]
    assert old_summary not in json.dumps(list(SessionEdit.objects.values()), default=str)
    # The action items were not part of the correction and stay as they were.
    assert [item.text for item in session.action_items.all()] == ["Hitung HPP keripik"]

    # The mentor corrects the topics later: a second row, for the topics only.
    mentor.client.post(edit_url(session), correction | {"topics": [marketplace.pk]})
    assert [(e.edited_by, e.fields) for e in SessionEdit.objects.order_by("pk")][1:] == [
        (mentor.user, ["topics"])
    ]
    # Saving the form unchanged records nothing.
    mentor.client.post(edit_url(session), correction | {"topics": [marketplace.pk]})
    assert SessionEdit.objects.count() == 2


def test_a_correction_is_validated_like_a_log(mentor, pairing):
    mentor.client.post(log_url(pairing), log_data())
    session = MentoringSession.objects.get()

    response = mentor.client.post(edit_url(session), log_data(duration_minutes="601"))

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["duration_minutes"]
    session.refresh_from_db()
    assert session.duration_minutes == 45
    assert not SessionEdit.objects.exists()


# --- The learner confirms, rates and ticks off actions --------------------------------------


def confirm_url(session):
    return reverse("mentoring:session_confirm", args=[session.pk])


@pytest.mark.parametrize(("rating", "stored"), [("1", 1), ("5", 5), ("", None)])
def test_the_learner_confirms_a_session_with_or_without_a_rating(learner, pairing, rating, stored):
    session = make_session(pairing)

    response = learner.client.post(
        confirm_url(session), {"rating": rating, "comment": "Sangat membantu"}, follow=True
    )

    assert shown_messages(response) == [translated("Thank you! You confirmed this session.")]
    session.refresh_from_db()
    assert session.learner_confirmed_at is not None
    assert (session.rating, session.rating_comment) == (stored, "Sangat membantu")
    assert translated("You confirmed this session.") in response.content.decode()


@pytest.mark.parametrize("rating", ["6", "0", "x", "-1"])
def test_a_rating_outside_one_to_five_is_refused_with_a_message(learner, pairing, rating):
    session = make_session(pairing)

    response = learner.client.post(confirm_url(session), {"rating": rating}, follow=True)

    assert shown_messages(response) == [
        translated("Choose a rating from 1 to 5, or leave it empty.")
    ]
    session.refresh_from_db()
    assert (session.learner_confirmed_at, session.rating) == (None, None)


def test_the_learner_marks_an_action_item_done_and_not_done(learner, pairing):
    item = ActionItem.objects.create(
        session=make_session(pairing), text="Foto produk", due_date=timezone.localdate()
    )
    url = reverse("mentoring:action_item_done", args=[item.pk])

    learner.client.post(url)
    item.refresh_from_db()
    assert item.done_at is not None
    page = learner.client.get(reverse("mentoring:learner_mentoring")).content.decode()
    assert "<s>Foto produk</s>" in page

    learner.client.post(url, {"done": "0"})
    item.refresh_from_db()
    assert item.done_at is None


def test_nobody_but_the_learner_confirms_rates_or_ticks_their_session(
    staff, learner, other_learner, mentor, other_mentor, pairing
):
    session = make_session(pairing)
    item = ActionItem.objects.create(session=session, text="Foto", due_date=timezone.localdate())
    # other_learner has a mentor and sessions of their own.
    pair(staff.user, other_mentor.user, other_learner.user)

    for persona in [other_learner, mentor]:
        confirm = persona.client.post(confirm_url(session), {"rating": "1"})
        tick = persona.client.post(reverse("mentoring:action_item_done", args=[item.pk]))
        assert (confirm.status_code, tick.status_code) == (404, 404)

    session.refresh_from_db()
    item.refresh_from_db()
    assert (session.learner_confirmed_at, session.rating, item.done_at) == (None, None, None)


# --- Who sees what ------------------------------------------------------------------------


def test_learners_see_their_own_mentors_summaries_and_never_private_notes(
    staff, learner, other_learner, other_mentor, pairing
):
    make_session(pairing, summary="Ringkasan untuk Siti", private_notes="Catatan rahasia Siti")
    theirs = pair(staff.user, other_mentor.user, other_learner.user)
    make_session(theirs, summary="Ringkasan untuk Dewi", private_notes="Catatan rahasia Dewi")

    mine = learner.client.get(reverse("mentoring:learner_mentoring")).content.decode()
    other = other_learner.client.get(reverse("mentoring:learner_mentoring")).content.decode()

    assert "Ringkasan untuk Siti" in mine and "Ringkasan untuk Dewi" not in mine
    assert "Ringkasan untuk Dewi" in other and "Ringkasan untuk Siti" not in other
    for page in [mine, other]:
        assert "Catatan rahasia" not in page


def without_csrf(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def test_mentors_do_not_see_an_individual_rating_or_comment(mentor, learner, pairing):
    session = make_session(pairing, summary="Sesi harga")
    learner.client.post(confirm_url(session), {"rating": "1", "comment": "Kurang jelas"})
    pages = [reverse("mentoring:mentor_home"), pairing.get_absolute_url()]

    rated_one = [without_csrf(mentor.client.get(url).content.decode()) for url in pages]
    MentoringSession.objects.filter(pk=session.pk).update(rating=5, rating_comment="Mantap")
    rated_five = [without_csrf(mentor.client.get(url).content.decode()) for url in pages]

    # The pages are the same whatever the learner gave: the rating does not show.
    assert rated_one == rated_five
    assert "Kurang jelas" not in "".join(rated_one)
    assert translated("confirmed by the learner") in rated_one[1]


def test_staff_see_the_mentors_average_rating(staff, mentor, learner, other_learner, pairing):
    second = pair(staff.user, mentor.user, other_learner.user, cohort=pairing.cohort)
    make_session(pairing, rating=4)
    make_session(second, rating=5)
    make_session(second, rating=None)

    response = staff.client.get(reverse("mentoring:cohort_mentoring", args=[pairing.cohort_id]))

    [row] = response.context["mentors"]
    assert row.avg_rating == pytest.approx(4.5)
    with translation.override(settings.LANGUAGE_CODE):
        average = floatformat(4.5, 1)
    assert f"<td>{average}</td>" in response.content.decode()
