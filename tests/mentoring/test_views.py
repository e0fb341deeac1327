"""Mentoring pages: who reaches what (404 for outsiders), the mentee's phone number, the
mentor's review queue, cross-cohort ids, extra POST fields, and escaping of what people type."""

import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from cohorts.models import Membership
from cohorts.services.members import cohort_members_add
from courses.models import Enrollment, TaskSubmission
from courses.services import practice
from mentoring.models import ActionItem, MentoringSession, Pairing, PairingWeights
from mentoring.services import pairing as pairing_service
from tests.courses.builders import add_task, translated
from tests.factories import UserFactory
from tests.helpers import without_app_script
from tests.mentoring.builders import add_learner, add_mentor, make_cohort
from ukmlearn.users.models import User

pytestmark = pytest.mark.django_db


def pair(cohort, mentor, learner) -> Pairing:
    """An active pairing in cohort between two personas (profiles already set up)."""
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
def cohort(staff):
    return make_cohort(staff.user)


@pytest.fixture
def pairing(cohort, mentor, learner):
    """`mentor` mentors `learner`, with one logged session and action item."""
    pairing = pair(cohort, mentor.user, learner.user)
    session = MentoringSession.objects.create(
        pairing=pairing,
        logged_by=mentor.user,
        summary="Ringkasan sesi",
        private_notes="Catatan pribadi pendamping",
    )
    ActionItem.objects.create(session=session, text="Foto produk", due_date=timezone.localdate())
    return pairing


@pytest.fixture
def theirs(cohort, other_mentor, other_learner):
    """In the same cohort, `other_mentor` mentors `other_learner`."""
    return pair(cohort, other_mentor.user, other_learner.user)


def session_form(**changes):
    data = {
        "held_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "duration_minutes": "30",
        "mode": MentoringSession.Mode.WHATSAPP_CALL,
        "summary": "Ringkasan",
    }
    return {**data, **changes}


def shown_messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


# --- Another mentor's mentee --------------------------------------------------------------


def test_another_mentor_gets_404_for_every_page_of_someone_elses_mentee(other_mentor, pairing):
    session = pairing.sessions.get()
    urls = [
        pairing.get_absolute_url(),
        reverse("mentoring:session_log", args=[pairing.pk]),
        reverse("mentoring:session_edit", args=[session.pk]),
    ]
    for url in urls:
        assert other_mentor.client.get(url).status_code == 404, url
    edit = other_mentor.client.post(urls[2], session_form(summary="Diubah orang lain"))
    log = other_mentor.client.post(urls[1], session_form())

    assert (edit.status_code, log.status_code) == (404, 404)
    session.refresh_from_db()
    assert session.summary == "Ringkasan sesi"
    assert MentoringSession.objects.count() == 1


def test_a_mentor_loses_the_mentee_when_the_pairing_ends(mentor, pairing):
    Pairing.objects.filter(pk=pairing.pk).update(status=Pairing.Status.ENDED)
    session = pairing.sessions.get()
    for url in [
        pairing.get_absolute_url(),
        reverse("mentoring:session_log", args=[pairing.pk]),
        reverse("mentoring:session_edit", args=[session.pk]),
    ]:
        assert mentor.client.get(url).status_code == 404, url


@pytest.mark.parametrize("persona", ["learner", "other_learner"])
def test_learners_do_not_reach_mentor_pages(personas, persona, pairing):
    client = personas[persona].client
    for url in [
        reverse("mentoring:mentor_home"),
        pairing.get_absolute_url(),
        reverse("mentoring:session_log", args=[pairing.pk]),
        reverse("mentoring:session_edit", args=[pairing.sessions.get().pk]),
        reverse("mentoring:review_queue"),
    ]:
        assert client.get(url).status_code == 404, url


def whatsapp_of(user) -> str:
    return f"https://wa.me/{user.phone.lstrip('+')}?text="


def test_the_mentees_number_is_on_their_mentors_and_the_staff_pages_only(
    staff, mentor, other_mentor, learner, other_learner, pairing, theirs
):
    number = learner.user.phone.lstrip("+")[2:]  # 813..., however it is written

    for persona in [mentor, staff]:
        page = persona.client.get(pairing.get_absolute_url()).content.decode()
        assert f'href="{whatsapp_of(learner.user)}' in page

    elsewhere = [
        (mentor, reverse("mentoring:mentor_home")),
        (other_mentor, reverse("mentoring:mentor_home")),
        (other_mentor, theirs.get_absolute_url()),
        (other_learner, reverse("mentoring:learner_mentoring")),
        (learner, reverse("mentoring:learner_mentoring")),
        (staff, reverse("mentoring:cohort_mentoring", args=[pairing.cohort_id])),
    ]
    for persona, url in elsewhere:
        response = persona.client.get(url)
        assert response.status_code == 200, url
        assert number not in response.content.decode(), url


@pytest.mark.parametrize("page", ["mentee_detail", "session_log", "session_edit"])
def test_staff_of_another_programme_get_404_for_a_mentee_of_a_cohort_they_do_not_own(
    other_staff, pairing, page
):
    arg = pairing.sessions.get().pk if page == "session_edit" else pairing.pk
    response = other_staff.client.get(reverse(f"mentoring:{page}", args=[arg]))
    assert response.status_code == 404


def test_a_new_mentor_does_not_read_the_previous_mentors_private_notes(
    staff, other_mentor, pairing
):
    add_mentor(pairing.cohort, other_mentor.user)
    new = pairing_service.pairing_reassign(
        pairing=pairing, mentor_id=other_mentor.user.pk, created_by=staff.user
    )

    page = other_mentor.client.get(new.get_absolute_url()).content.decode()

    assert "Catatan pribadi pendamping" not in page


# --- The mentor's review queue ------------------------------------------------------------


def submit_task(learner, task, text):
    enrollment = Enrollment.objects.get(user=learner, course=task.module.course)
    submission, _ = practice.task_submit(
        enrollment=enrollment,
        lesson=task,
        text=text,
        link="",
        photos=[],
        idempotency_key=uuid.uuid4(),
    )
    return submission


@pytest.fixture
def task(cohort):
    return add_task(cohort.courses.get().modules.get(), title="Foto etalase")


def test_the_review_queue_lists_only_the_mentors_own_mentees_waiting_tasks(
    staff, mentor, cohort, pairing, theirs, task
):
    mine = submit_task(pairing.learner, task, "Etalase saya")
    submit_task(theirs.learner, task, "Etalase orang lain")
    reviewed = submit_task(pairing.learner, task, "Sudah dinilai")
    practice.task_review(submission=reviewed, reviewer=staff.user, approve=True, feedback="")
    # A learner this mentor used to have, in the same cohort.
    former = add_learner(cohort, UserFactory(name="Mantan Binaan"))
    Pairing.objects.create(
        cohort=cohort, mentor=mentor.user, learner=former, status=Pairing.Status.ENDED
    )
    submit_task(former, task, "Etalase mantan")

    response = mentor.client.get(reverse("mentoring:review_queue"))

    assert response.context["submissions"] == [mine]
    assert reverse("mentoring:review_submission", args=[mine.pk]) in response.content.decode()
    home = mentor.client.get(reverse("mentoring:mentor_home"))
    assert home.context["review_count"] == 1


@pytest.mark.parametrize(
    ("decision", "feedback", "status"),
    [
        ("approve", "Rapi sekali!", TaskSubmission.Status.APPROVED),
        ("revise", "Tambahkan label harga.", TaskSubmission.Status.NEEDS_REVISION),
    ],
)
def test_the_mentor_reviews_a_mentees_task(mentor, pairing, task, decision, feedback, status):
    submission = submit_task(pairing.learner, task, "Etalase saya")
    url = reverse("mentoring:review_submission", args=[submission.pk])

    response = mentor.client.post(url, {"decision": decision, "feedback": feedback}, follow=True)

    assert response.redirect_chain == [(reverse("mentoring:review_queue"), 302)]
    assert shown_messages(response) == [translated("Review saved.")]
    submission.refresh_from_db()
    assert (submission.status, submission.feedback) == (status, feedback)
    assert (submission.reviewed_by, bool(submission.reviewed_at)) == (mentor.user, True)
    assert response.context["submissions"] == []

    again = mentor.client.post(url, {"decision": "approve", "feedback": ""}, follow=True)
    assert shown_messages(again) == [translated("This submission was already reviewed.")]
    submission.refresh_from_db()
    assert submission.status == status


def test_asking_for_a_revision_needs_feedback(mentor, pairing, task):
    submission = submit_task(pairing.learner, task, "Etalase saya")
    url = reverse("mentoring:review_submission", args=[submission.pk])

    response = mentor.client.post(url, {"decision": "revise", "feedback": "  "})

    assert response.status_code == 200
    assert response.context["form"].errors
    submission.refresh_from_db()
    assert submission.status == TaskSubmission.Status.SUBMITTED


def test_another_mentor_cannot_review_the_task(other_mentor, pairing, theirs, task):
    submission = submit_task(pairing.learner, task, "Etalase saya")
    url = reverse("mentoring:review_submission", args=[submission.pk])

    assert other_mentor.client.get(url).status_code == 404
    response = other_mentor.client.post(url, {"decision": "approve", "feedback": ""})

    assert response.status_code == 404
    submission.refresh_from_db()
    assert (submission.status, submission.reviewed_by) == (TaskSubmission.Status.SUBMITTED, None)
    queue = other_mentor.client.get(reverse("mentoring:review_queue"))
    assert queue.context["submissions"] == []


# --- Staff pages of a cohort -------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["other_staff", "mentor", "learner", "other_learner"])
def test_the_staff_pages_of_a_cohort_are_404_for_everyone_but_its_staff(
    personas, persona, cohort, pairing
):
    client = personas[persona].client
    for name in ["cohort_mentoring", "cohort_mentoring_export"]:
        assert client.get(reverse(f"mentoring:{name}", args=[cohort.pk])).status_code == 404


@pytest.mark.parametrize("persona", ["other_staff", "mentor", "learner"])
def test_the_staff_actions_of_a_cohort_are_404_for_everyone_but_its_staff_and_change_nothing(
    personas, persona, cohort, pairing, other_mentor
):
    add_mentor(cohort, other_mentor.user)
    newcomer = add_learner(cohort)
    proposal = pairing_service.proposal_add(
        cohort=cohort, mentor_id=other_mentor.user.pk, learner_id=newcomer.pk, created_by=None
    )
    before = sorted(Pairing.objects.values_list("pk", "mentor_id", "learner_id", "status"))
    client = personas[persona].client
    posts = [
        ("cohort_suggest", [cohort.pk], {}),
        ("cohort_confirm", [cohort.pk], {}),
        ("cohort_weights", [cohort.pk], {"need": 9, "sector": 9, "city": 9, "province": 9}),
        ("proposal_add", [cohort.pk], {"mentor": pairing.mentor_id, "learner": newcomer.pk}),
        ("proposal_change", [cohort.pk, proposal.pk], {"mentor": pairing.mentor_id}),
        ("proposal_change", [cohort.pk, proposal.pk], {"remove": "1"}),
        ("pairing_reassign", [cohort.pk, pairing.pk], {"mentor": other_mentor.user.pk}),
        ("cohort_add_mentor", [cohort.pk], {"phone": other_mentor.user.phone}),
    ]

    for name, args, data in posts:
        assert client.post(reverse(f"mentoring:{name}", args=args), data).status_code == 404, name

    assert sorted(Pairing.objects.values_list("pk", "mentor_id", "learner_id", "status")) == before
    assert not PairingWeights.objects.filter(cohort=cohort, need=9).exists()


def test_a_pairing_id_from_another_cohort_is_404_even_for_staff_who_own_both(
    staff, other_staff, cohort, pairing, other_mentor
):
    second = make_cohort(staff.user)
    add_mentor(second, other_mentor.user)
    proposal = pairing_service.proposal_add(
        cohort=second,
        mentor_id=other_mentor.user.pk,
        learner_id=add_learner(second).pk,
        created_by=staff.user,
    )
    foreign = make_cohort(other_staff.user)
    attempts = [
        (staff, "proposal_change", [cohort.pk, proposal.pk], {"mentor": pairing.mentor_id}),
        (staff, "proposal_change", [cohort.pk, proposal.pk], {"remove": "1"}),
        (staff, "pairing_reassign", [second.pk, pairing.pk], {"mentor": other_mentor.user.pk}),
        (other_staff, "proposal_change", [foreign.pk, proposal.pk], {"remove": "1"}),
        (other_staff, "pairing_reassign", [foreign.pk, pairing.pk], {"mentor": 1}),
    ]

    for persona, name, args, data in attempts:
        response = persona.client.post(reverse(f"mentoring:{name}", args=args), data)
        assert response.status_code == 404, (name, args)

    proposal.refresh_from_db()
    pairing.refresh_from_db()
    assert (proposal.mentor_id, proposal.status) == (other_mentor.user.pk, Pairing.Status.PROPOSED)
    assert (pairing.status, Pairing.objects.count()) == (Pairing.Status.ACTIVE, 2)


def test_an_active_pairing_cannot_be_edited_or_removed_as_a_proposal(staff, cohort, pairing):
    url = reverse("mentoring:proposal_change", args=[cohort.pk, pairing.pk])
    assert staff.client.post(url, {"remove": "1"}).status_code == 404
    assert Pairing.objects.filter(pk=pairing.pk, status=Pairing.Status.ACTIVE).exists()


# --- Extra POST fields ---------------------------------------------------------------------------


def test_extra_fields_on_the_learners_confirmation_change_nothing_else(
    learner, other_mentor, other_learner, pairing, theirs
):
    session = pairing.sessions.get()

    learner.client.post(
        reverse("mentoring:session_confirm", args=[session.pk]),
        {
            "rating": "4",
            "mentor": other_mentor.user.pk,
            "learner": other_learner.user.pk,
            "pairing": theirs.pk,
            "status": Pairing.Status.ENDED,
            "summary": "Diganti peserta",
            "private_notes": "",
            "logged_by": learner.user.pk,
        },
    )

    session.refresh_from_db()
    pairing.refresh_from_db()
    assert (session.rating, session.pairing_id) == (4, pairing.pk)
    assert (session.summary, session.logged_by_id) == ("Ringkasan sesi", pairing.mentor_id)
    assert session.private_notes == "Catatan pribadi pendamping"
    assert (pairing.mentor_id, pairing.learner_id, pairing.status) == (
        pairing.mentor.pk,
        learner.user.pk,
        Pairing.Status.ACTIVE,
    )


def test_extra_fields_on_the_session_log_change_nothing_else(
    mentor, other_mentor, other_learner, pairing, theirs
):
    mentor.client.post(
        reverse("mentoring:session_log", args=[pairing.pk]),
        session_form(
            pairing=theirs.pk,
            mentor=other_mentor.user.pk,
            learner=other_learner.user.pk,
            status=Pairing.Status.ENDED,
            rating="5",
            rating_comment="Bagus sekali",
            learner_confirmed_at=timezone.now().isoformat(),
            logged_by=other_mentor.user.pk,
            created_at="2020-01-01T00:00",
        ),
    )

    session = MentoringSession.objects.exclude(summary="Ringkasan sesi").get()
    assert (session.pairing_id, session.logged_by) == (pairing.pk, mentor.user)
    assert (session.rating, session.rating_comment, session.learner_confirmed_at) == (
        None,
        "",
        None,
    )
    assert session.created_at.year == timezone.now().year
    for row, (mentor_id, learner_id) in [
        (pairing, (mentor.user.pk, pairing.learner_id)),
        (theirs, (other_mentor.user.pk, other_learner.user.pk)),
    ]:
        row.refresh_from_db()
        assert (row.mentor_id, row.learner_id, row.status) == (
            mentor_id,
            learner_id,
            Pairing.Status.ACTIVE,
        )
    assert not theirs.sessions.exists()


def test_extra_fields_on_a_correction_change_nothing_else(mentor, pairing):
    session = pairing.sessions.get()

    mentor.client.post(
        reverse("mentoring:session_edit", args=[session.pk]),
        session_form(summary="Ringkasan sesi", rating="5", pairing=0, logged_by=0),
    )

    session.refresh_from_db()
    assert (session.rating, session.pairing_id, session.logged_by) == (
        None,
        pairing.pk,
        mentor.user,
    )


# --- Escaping ----------------------------------------------------------------------------------

SCRIPT = '<script>alert("summary")</script>'
IMAGE = "<img src=x onerror=alert(1)>"
LINK = '<a href="javascript:alert(1)">buka</a>'
DANGEROUS = ["<script", "<img", 'href="javascript:']


def test_what_people_type_is_escaped_on_every_mentoring_page(
    staff, mentor, learner, cohort, pairing
):
    """Payloads in the summary, private notes, action item, rating comment, names, city (which
    the pairing reasons repeat) and the unmatched list."""
    session = pairing.sessions.get()
    MentoringSession.objects.filter(pk=session.pk).update(
        summary=f"Ringkasan {SCRIPT}",
        private_notes=f"Catatan {IMAGE}",
        rating_comment=SCRIPT,
        rating=3,
        learner_confirmed_at=timezone.now(),
    )
    ActionItem.objects.filter(session=session).update(text=f"Aksi {LINK}")
    mentor.user.name = f"Budi {IMAGE}"
    mentor.user.save()
    add_mentor(cohort, mentor.user, cities=[f"Kota {SCRIPT}"], modes=["online", "in_person"])
    hopeful = add_learner(cohort, UserFactory(name=f"Peserta {SCRIPT}"), city=f"Kota {SCRIPT}")
    add_learner(cohort, UserFactory(name=f"Jauh {LINK}"), province="papua", mode="in_person")
    staff.client.post(reverse("mentoring:cohort_suggest", args=[cohort.pk]))
    assert Pairing.objects.get(learner=hopeful).reasons  # the city reason repeats the payload

    pages = [
        (mentor, reverse("mentoring:mentor_home")),
        (mentor, pairing.get_absolute_url()),
        (mentor, reverse("mentoring:session_edit", args=[session.pk])),
        (learner, reverse("mentoring:learner_mentoring")),
        (staff, pairing.get_absolute_url()),
        (staff, reverse("mentoring:cohort_mentoring", args=[cohort.pk])),
    ]
    for persona, url in pages:
        response = persona.client.get(url)
        assert response.status_code == 200, url
        html = without_app_script(response.content.decode())
        for raw in DANGEROUS:
            assert raw not in html, (url, raw)

    mentee_page = staff.client.get(pairing.get_absolute_url()).content.decode()
    assert "Ringkasan &lt;script&gt;alert(&quot;summary&quot;)&lt;/script&gt;" in mentee_page
    assert "Catatan &lt;img src=x onerror=alert(1)&gt;" in mentee_page
    assert "Aksi &lt;a href=&quot;javascript:alert(1)&quot;&gt;buka&lt;/a&gt;" in mentee_page
    learner_page = learner.client.get(reverse("mentoring:learner_mentoring")).content.decode()
    assert "Budi &lt;img src=x onerror=alert(1)&gt;" in learner_page
    assert "Aksi &lt;a href=&quot;javascript:alert(1)&quot;&gt;buka&lt;/a&gt;" in learner_page
    staff_page = staff.client.get(reverse("mentoring:cohort_mentoring", args=[cohort.pk]))
    assert "Kota &lt;script&gt;" in staff_page.content.decode()


# --- The staff page's lists ----------------------------------------------------------------------


def test_pairing_by_hand_offers_every_learner_without_a_current_mentor_here(
    staff, cohort, pairing, other_mentor
):
    add_mentor(cohort, other_mentor.user)
    waiting = add_learner(cohort, UserFactory(name="Belum Dipasangkan"))
    proposed = add_learner(cohort, UserFactory(name="Sudah Diusulkan"))
    pairing_service.proposal_add(
        cohort=cohort, mentor_id=other_mentor.user.pk, learner_id=proposed.pk, created_by=None
    )

    response = staff.client.get(reverse("mentoring:cohort_mentoring", args=[cohort.pk]))

    assert response.context["unpaired"] == [waiting]


def test_a_learner_whose_pairing_here_ended_can_be_paired_by_hand_again(
    staff, cohort, mentor, other_mentor
):
    add_mentor(cohort, mentor.user)
    learner = add_learner(cohort, UserFactory(name="Lina Marlina"))
    # Ended by staff in the admin; meanwhile she has a mentor in another programme's cohort.
    Pairing.objects.create(
        cohort=cohort, mentor=mentor.user, learner=learner, status=Pairing.Status.ENDED
    )
    elsewhere = make_cohort(staff.user)
    pair(elsewhere, other_mentor.user, learner)

    response = staff.client.get(reverse("mentoring:cohort_mentoring", args=[cohort.pk]))

    assert response.context["unpaired"] == [learner]


def test_the_export_lists_the_pairs_with_formulas_neutralised(staff, cohort, mentor, pairing):
    User.objects.filter(pk=pairing.learner_id).update(name="=HYPERLINK(1)")

    response = staff.client.get(
        reverse("mentoring:cohort_mentoring_export", args=[cohort.pk]), {"format": "csv"}
    )

    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert len(lines) == 2
    assert lines[1].startswith(f"{mentor.user.name},'=HYPERLINK(1),1,")
