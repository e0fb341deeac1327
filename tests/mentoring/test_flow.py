"""The mentoring loop end to end through services and views."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from mentoring.models import ActionItem, MentoringSession, Pairing
from mentoring.services import pairing as pairing_service
from tests.mentoring.builders import add_learner, add_mentor, make_cohort


@pytest.mark.django_db
def test_the_suggestion_maximises_the_total_score_not_first_come(staff):
    """Greedy would give Ani (first) to Budi; the best total pairs Ani with Citra instead."""
    cohort = make_cohort(staff.user)
    budi = add_mentor(cohort, expertise=["marketplace", "foto produk"], capacity=1)
    citra = add_mentor(cohort, expertise=["marketplace"], capacity=1)
    ani = add_learner(cohort, needs=["marketplace"])
    dedi = add_learner(cohort, needs=["marketplace", "foto produk"])

    suggestion = pairing_service.pairing_suggest(cohort=cohort, created_by=staff.user)

    pairs = {p.learner_id: p.mentor_id for p in suggestion.proposals}
    assert pairs == {ani.pk: citra.pk, dedi.pk: budi.pk}
    assert suggestion.unmatched == []


@pytest.mark.django_db
def test_capacity_is_respected_and_the_rest_are_listed_with_a_reason(staff):
    cohort = make_cohort(staff.user)
    add_mentor(cohort, capacity=2)
    learners = [add_learner(cohort) for _ in range(3)]
    suggestion = pairing_service.pairing_suggest(cohort=cohort, created_by=staff.user)
    assert len(suggestion.proposals) == 2
    assert len(suggestion.unmatched) == 1
    assert suggestion.unmatched[0][0] in {learner.name for learner in learners}


@pytest.mark.django_db
def test_an_in_person_mentor_elsewhere_is_no_match(staff):
    cohort = make_cohort(staff.user)
    add_mentor(cohort, modes=["in_person"], provinces=["bali"])
    add_learner(cohort, province="jabar", mode="in_person")
    suggestion = pairing_service.pairing_suggest(cohort=cohort, created_by=staff.user)
    assert suggestion.proposals == []
    assert len(suggestion.unmatched) == 1


@pytest.mark.django_db
def test_reasons_are_in_words(staff):
    cohort = make_cohort(staff.user)
    add_mentor(
        cohort,
        expertise=["marketplace"],
        sectors=["kuliner"],
        cities=["Bandung"],
        modes=["online", "in_person"],
    )
    add_learner(cohort, needs=["marketplace"], sector="kuliner", city="bandung")
    proposal = pairing_service.pairing_suggest(cohort=cohort, created_by=staff.user).proposals[0]
    text = " · ".join(proposal.reasons)
    assert "marketplace" in text and "bandung" in text.lower()
    assert proposal.score == 3 + 2 + 2


@pytest.mark.django_db
def test_rerunning_keeps_confirmed_pairs(staff):
    cohort = make_cohort(staff.user)
    add_mentor(cohort, capacity=5)
    first = add_learner(cohort)
    pairing_service.pairing_suggest(cohort=cohort, created_by=staff.user)
    assert pairing_service.pairings_confirm(cohort=cohort) == 1
    second = add_learner(cohort)
    suggestion = pairing_service.pairing_suggest(cohort=cohort, created_by=staff.user)
    assert [p.learner_id for p in suggestion.proposals] == [second.pk]
    assert Pairing.objects.get(learner=first).status == Pairing.Status.ACTIVE


@pytest.mark.django_db
def test_reassigning_ends_the_old_pairing_and_keeps_history(staff):
    cohort = make_cohort(staff.user)
    add_mentor(cohort)
    other = add_mentor(cohort)
    learner = add_learner(cohort)
    pairing_service.proposal_add(
        cohort=cohort,
        mentor_id=Pairing.objects.model._meta.get_field("mentor")
        .related_model.objects.exclude(pk=other.pk)
        .filter(is_mentor=True)
        .first()
        .pk,
        learner_id=learner.pk,
        created_by=staff.user,
    )
    pairing_service.pairings_confirm(cohort=cohort)
    old = Pairing.objects.get(learner=learner)
    new = pairing_service.pairing_reassign(pairing=old, mentor_id=other.pk, created_by=staff.user)
    old.refresh_from_db()
    assert old.status == Pairing.Status.ENDED and old.ended_at
    assert new.status == Pairing.Status.ACTIVE and new.mentor == other


def _active_pair(staff, mentor_user=None):
    cohort = make_cohort(staff.user)
    mentor = add_mentor(cohort, mentor_user)
    learner = add_learner(cohort)
    pairing_service.pairing_suggest(cohort=cohort, created_by=staff.user)
    pairing_service.pairings_confirm(cohort=cohort)
    return Pairing.objects.get(mentor=mentor, learner=learner)


@pytest.mark.django_db
def test_a_mentor_logs_a_session_the_learner_sees_the_summary_not_the_notes(staff, mentor):
    pairing = _active_pair(staff, mentor.user)
    due = (timezone.localdate() + timedelta(days=3)).isoformat()
    response = mentor.client.post(
        reverse("mentoring:session_log", args=[pairing.pk]),
        {
            "held_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "duration_minutes": 30,
            "mode": "wa_call",
            "summary": "Kita buat katalog 5 produk.",
            "private_notes": "Masih ragu soal harga.",
            "action_1": "Foto 5 produk",
            "action_1_due": due,
        },
    )
    assert response.status_code == 302
    session = MentoringSession.objects.get()
    assert session.action_items.get().text == "Foto 5 produk"

    from django.test import Client

    learner_client = Client()
    learner_client.force_login(pairing.learner)
    page = learner_client.get(reverse("mentoring:learner_mentoring")).content.decode()
    assert "Kita buat katalog 5 produk." in page
    assert "Masih ragu soal harga." not in page

    item = ActionItem.objects.get()
    learner_client.post(reverse("mentoring:action_item_done", args=[item.pk]))
    item.refresh_from_db()
    assert item.done_at is not None
    learner_client.post(reverse("mentoring:session_confirm", args=[session.pk]), {"rating": "5"})
    session.refresh_from_db()
    assert session.rating == 5 and session.learner_confirmed_at


@pytest.mark.django_db
def test_a_session_far_in_the_future_or_negative_is_refused(staff, mentor):
    pairing = _active_pair(staff, mentor.user)
    response = mentor.client.post(
        reverse("mentoring:session_log", args=[pairing.pk]),
        {
            "held_at": (timezone.localtime() + timedelta(days=30)).strftime("%Y-%m-%dT%H:%M"),
            "duration_minutes": -5,
            "mode": "wa_call",
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "held_at" in errors and "duration_minutes" in errors
    assert not MentoringSession.objects.exists()


@pytest.mark.django_db
def test_another_mentor_gets_404_everywhere(staff, mentor, other_mentor):
    pairing = _active_pair(staff, mentor.user)
    for url in [
        reverse("mentoring:mentee_detail", args=[pairing.pk]),
        reverse("mentoring:session_log", args=[pairing.pk]),
    ]:
        assert other_mentor.client.get(url).status_code == 404
    assert (
        other_mentor.client.post(
            reverse("mentoring:session_log", args=[pairing.pk]),
            {
                "held_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
                "duration_minutes": 30,
                "mode": "wa_call",
            },
        ).status_code
        == 404
    )
    assert not MentoringSession.objects.exists()


@pytest.mark.django_db
def test_the_mentor_home_shows_flags_with_constant_queries(staff, mentor):
    from tests.helpers import assert_constant_queries

    pairing = _active_pair(staff, mentor.user)

    def grow():
        for _ in range(4):
            learner = add_learner(pairing.cohort)
            Pairing.objects.create(
                cohort=pairing.cohort,
                mentor=mentor.user,
                learner=learner,
                status=Pairing.Status.ACTIVE,
                started_at=timezone.now(),
            )

    assert_constant_queries(mentor.client, reverse("mentoring:mentor_home"), grow=grow)
    page = mentor.client.get(reverse("mentoring:mentor_home")).content.decode()
    assert pairing.learner.name in page


@pytest.mark.django_db
def test_staff_edit_the_weights_of_a_cohort(staff):
    from mentoring.models import PairingWeights

    cohort = make_cohort(staff.user)
    url = reverse("mentoring:cohort_weights", args=[cohort.pk])
    data = {"need": 5, "sector": 0, "city": 4, "province": 1, "language": 1, "mode": 1}
    assert staff.client.post(url, data).status_code == 302
    assert PairingWeights.objects.get(cohort=cohort).need == 5
    staff.client.post(url, {**data, "need": 99})
    assert PairingWeights.objects.get(cohort=cohort).need == 5


@pytest.mark.django_db
def test_a_cohort_can_require_confirmed_mentoring_sessions_for_completion(
    staff, mentor, django_capture_on_commit_callbacks
):
    from courses.models import Enrollment, Lesson
    from courses.services import progress
    from mentoring.services import sessions as session_service

    pairing = _active_pair(staff, mentor.user)
    cohort = pairing.cohort
    cohort.min_confirmed_sessions = 1
    cohort.save()
    enrollment = Enrollment.objects.get(user=pairing.learner)
    for lesson in Lesson.objects.filter(module__course=enrollment.course):
        progress.lesson_complete(enrollment=enrollment, lesson=lesson)
    enrollment.refresh_from_db()
    assert enrollment.progress_percent == 100 and enrollment.completed_at is None

    session = session_service.session_log(
        pairing=pairing,
        logged_by=mentor.user,
        held_at=timezone.now(),
        duration_minutes=30,
        mode="wa_call",
        topics=[],
        private_notes="",
        summary="",
        next_planned_at=None,
        action_items=[],
    )
    with django_capture_on_commit_callbacks(execute=True):
        session_service.session_confirm(session=session, rating=4, comment="")
    enrollment.refresh_from_db()
    assert enrollment.completed_at is not None
