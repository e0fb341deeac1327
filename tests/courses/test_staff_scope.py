"""Which learners' course work a staff member may open (cohorts.selectors.staff_learner_scope):
the learners of the cohorts they own (also after a learner left), learners in no cohort
(public courses: any staff), and everyone for the superuser. Other staff get 404 and do not
see the work in their review queue."""

from datetime import date

import pytest
from django.urls import reverse

from cohorts.models import Cohort, Membership
from cohorts.services.members import cohort_member_leave
from courses.models import TaskSubmission
from tests.conftest import _persona
from tests.courses.builders import build_world
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def cohort_owned_by(owner, course):
    cohort = Cohort.objects.create(
        name="Angkatan 5 Bandung",
        programme="Program UMKM Naik Kelas",
        start_date=date(2026, 11, 1),
        end_date=date(2026, 12, 31),
        province="jabar",
        owner=owner,
    )
    cohort.courses.add(course)
    return cohort


@pytest.fixture
def work(learner):
    return build_world(learner=learner.user, photo_size=(64, 48), picture_size=(64, 48))


def pages(work):
    submission = work.submission
    return {
        "review": reverse("courses:review_submission", args=[submission.pk]),
        "submission": reverse("courses:submission_detail", args=[submission.pk]),
        "photo": reverse("courses:task_photo", args=[work.photo.pk]),
        "attempt": reverse("courses:attempt_detail", args=[work.attempt.pk]),
    }


def statuses(persona, work):
    return {name: persona.client.get(url).status_code for name, url in pages(work).items()}


def queue(persona) -> str:
    return persona.client.get(reverse("courses:review_queue")).content.decode()


def in_queue(persona, submission: TaskSubmission) -> bool:
    return reverse("courses:review_submission", args=[submission.pk]) in queue(persona)


def test_the_cohorts_owner_opens_the_work_and_other_staff_get_404(
    learner, staff, other_staff, work
):
    Membership.objects.create(
        cohort=cohort_owned_by(staff.user, work.course),
        user=learner.user,
        role=Membership.Role.LEARNER,
    )

    assert set(statuses(staff, work).values()) == {200}
    assert set(statuses(other_staff, work).values()) == {404}
    assert in_queue(staff, work.submission)
    assert not in_queue(other_staff, work.submission)
    refused = other_staff.client.post(
        pages(work)["review"], {"decision": "approve", "feedback": "Bagus"}
    )
    assert refused.status_code == 404
    work.submission.refresh_from_db()
    assert work.submission.status == TaskSubmission.Status.SUBMITTED


def test_a_learner_in_no_cohort_is_reviewed_by_any_staff(learner, staff, other_staff, work):
    for persona in (staff, other_staff):
        assert set(statuses(persona, work).values()) == {200}
        assert in_queue(persona, work.submission)


def test_the_owner_keeps_a_learner_who_left_and_the_learners_new_cohort_adds_its_owner(
    learner, staff, other_staff, work
):
    first = cohort_owned_by(staff.user, work.course)
    Membership.objects.create(cohort=first, user=learner.user, role=Membership.Role.LEARNER)
    cohort_member_leave(cohort=first, user_id=learner.user.pk)
    assert set(statuses(other_staff, work).values()) == {404}

    Membership.objects.create(
        cohort=cohort_owned_by(other_staff.user, work.course),
        user=learner.user,
        role=Membership.Role.LEARNER,
    )

    assert set(statuses(staff, work).values()) == {200}
    assert set(statuses(other_staff, work).values()) == {200}


def test_being_a_mentor_in_someone_elses_cohort_does_not_hide_a_learner_from_staff(
    learner, staff, other_staff, work
):
    """Only learner memberships decide: the learner mentoring elsewhere stays in no cohort."""
    Membership.objects.create(
        cohort=cohort_owned_by(staff.user, work.course),
        user=learner.user,
        role=Membership.Role.MENTOR,
    )

    assert set(statuses(other_staff, work).values()) == {200}


def test_the_superuser_sees_every_learners_work(learner, staff, work):
    Membership.objects.create(
        cohort=cohort_owned_by(staff.user, work.course),
        user=learner.user,
        role=Membership.Role.LEARNER,
    )
    superuser = UserFactory(is_staff=True, is_superuser=True)
    admin = _persona(superuser)

    assert set(statuses(admin, work).values()) == {200}
    assert in_queue(admin, work.submission)
