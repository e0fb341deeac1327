"""The audit log: who opened a cohort's learners, exported or imported people, read mentoring
notes or opened a person in the admin (one line each, never the data itself); the staff page
that lists it; and the admin, where it is read-only and accounts can be erased."""

import csv
import io
from datetime import timedelta

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cohorts.models import Attendance, Membership
from cohorts.services.members import cohort_members_add
from mentoring.models import MentoringSession, Pairing
from tests.courses.builders import translated
from tests.factories import UserFactory
from tests.privacy.builders import LEARNER_MARKS, find_everywhere, make_cohort, rich_world
from ukmlearn.privacy.models import AuditEvent
from ukmlearn.users.models import User

pytestmark = pytest.mark.django_db

NOTES = "CATATAN-PRIBADI: pinjaman ke koperasi belum lunas"
SUMMARY = "Ringkasan: foto produk dengan cahaya alami"


@pytest.fixture
def setup(staff, mentor, learner):
    """A cohort of `staff` where `mentor` mentors `learner`, one session logged, one
    attendance recorded."""
    world = make_cohort(staff.user)
    cohort_members_add(
        cohort=world.cohort, user_ids=[learner.user.pk], role=Membership.Role.LEARNER
    )
    cohort_members_add(cohort=world.cohort, user_ids=[mentor.user.pk], role=Membership.Role.MENTOR)
    world.pairing = Pairing.objects.create(
        cohort=world.cohort,
        mentor=mentor.user,
        learner=learner.user,
        status=Pairing.Status.ACTIVE,
        started_at=timezone.now(),
    )
    world.session = MentoringSession.objects.create(
        pairing=world.pairing, logged_by=mentor.user, summary=SUMMARY, private_notes=NOTES
    )
    Attendance.objects.create(
        session=world.live,
        user=learner.user,
        method=Attendance.Method.STAFF,
        recorded_by=staff.user,
    )
    return world


@pytest.fixture
def superuser():
    user = UserFactory(name="Admin Utama", is_staff=True, is_superuser=True, is_learner=False)
    client = Client()
    client.force_login(user)
    return type("Persona", (), {"user": user, "client": client})


def the_event() -> AuditEvent:
    (event,) = AuditEvent.objects.all()
    return event


def read(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


# --- What is recorded -----------------------------------------------------------------------


@pytest.mark.parametrize("name", ["cohorts:cohort_learners", "cohorts:cohort_at_risk"])
def test_opening_a_cohorts_learners_is_recorded_once(setup, staff, learner, name):
    response = staff.client.get(reverse(name, args=[setup.cohort.pk]))
    assert response.status_code == 200
    assert learner.user.name in response.content.decode()  # personal data was shown
    event = the_event()
    assert (event.actor, event.action, event.target, event.subject_id) == (
        staff.user,
        AuditEvent.Action.VIEW_LEARNERS,
        f"cohorts.cohort:{setup.cohort.pk}",
        None,
    )
    assert abs(event.at - timezone.now()) < timedelta(minutes=1)


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("cohorts:export_roster", "csv"),
        ("cohorts:export_roster", "xlsx"),
        ("cohorts:export_attendance", "csv"),
        ("cohorts:export_attendance", "xlsx"),
    ],
)
def test_an_export_of_people_is_recorded_once(setup, staff, name, fmt):
    response = staff.client.get(reverse(name, args=[setup.cohort.pk]), {"format": fmt})
    assert response.status_code == 200
    assert read(response)
    event = the_event()
    assert (event.actor, event.action, event.target) == (
        staff.user,
        AuditEvent.Action.EXPORT,
        f"cohorts.cohort:{setup.cohort.pk}",
    )


def test_the_mentoring_export_is_recorded_like_the_other_exports(setup, staff, learner):
    response = staff.client.get(
        reverse("mentoring:cohort_mentoring_export", args=[setup.cohort.pk])
    )
    assert learner.user.name in read(response).decode("utf-8-sig")
    recorded = AuditEvent.objects.filter(actor=staff.user, action=AuditEvent.Action.EXPORT)
    assert list(recorded.values_list("target", flat=True)) == [f"cohorts.cohort:{setup.cohort.pk}"]


def import_csv() -> io.BytesIO:
    text = io.StringIO(newline="")
    csv.writer(text).writerows(
        [
            ["Nama", "No HP", "Nama Usaha", "Sektor", "Kota", "Provinsi"],
            ["Rahmawati Impor", "0812 5555 0001", "Kue Rahma", "kuliner", "Bogor", "Jawa Barat"],
        ]
    )
    data = io.BytesIO(text.getvalue().encode())
    data.name = "peserta.csv"
    return data


def test_committing_an_import_is_recorded_and_the_preview_alone_is_not(setup, staff):
    url = reverse("cohorts:cohort_import", args=[setup.cohort.pk])
    preview = staff.client.post(url, {"file": import_csv()})
    assert preview.status_code == 200
    assert preview.context["plan"] is not None
    assert not AuditEvent.objects.exists()
    commit = staff.client.post(reverse("cohorts:cohort_import_commit", args=[setup.cohort.pk]))
    assert commit.status_code == 302
    assert User.objects.filter(name="Rahmawati Impor").exists()
    event = the_event()
    assert (event.actor, event.action, event.target) == (
        staff.user,
        AuditEvent.Action.IMPORT,
        f"cohorts.cohort:{setup.cohort.pk}",
    )


def test_a_commit_with_nothing_previewed_records_nothing(setup, staff):
    response = staff.client.post(reverse("cohorts:cohort_import_commit", args=[setup.cohort.pk]))
    assert response.status_code == 302
    assert not AuditEvent.objects.exists()


def test_a_mentor_opening_a_mentee_is_recorded_as_reading_notes_about_them(setup, mentor, learner):
    response = mentor.client.get(reverse("mentoring:mentee_detail", args=[setup.pairing.pk]))
    assert response.status_code == 200
    assert NOTES in response.content.decode()
    event = the_event()
    assert (event.actor, event.action, event.target, event.subject_id) == (
        mentor.user,
        AuditEvent.Action.READ_NOTES,
        f"mentoring.pairing:{setup.pairing.pk}",
        learner.user.pk,
    )


def test_opening_a_session_to_correct_it_is_recorded_as_reading_notes(setup, mentor, learner):
    response = mentor.client.get(reverse("mentoring:session_edit", args=[setup.session.pk]))
    assert response.status_code == 200
    assert NOTES in response.content.decode()
    event = the_event()
    assert (event.actor, event.action, event.target, event.subject_id) == (
        mentor.user,
        AuditEvent.Action.READ_NOTES,
        f"mentoring.mentoringsession:{setup.session.pk}",
        learner.user.pk,
    )


def test_staff_reading_a_mentees_notes_is_recorded_with_staff_as_the_reader(setup, staff, learner):
    response = staff.client.get(reverse("mentoring:mentee_detail", args=[setup.pairing.pk]))
    assert response.status_code == 200
    assert (the_event().actor, the_event().subject_id) == (staff.user, learner.user.pk)


def test_a_refused_request_records_nothing(setup, other_staff, other_mentor):
    cohort, pairing, session = setup.cohort, setup.pairing, setup.session
    for client, url in [
        (other_staff.client, reverse("cohorts:cohort_learners", args=[cohort.pk])),
        (other_staff.client, reverse("cohorts:cohort_at_risk", args=[cohort.pk])),
        (other_staff.client, reverse("cohorts:export_roster", args=[cohort.pk])),
        (other_staff.client, reverse("cohorts:export_attendance", args=[cohort.pk])),
        (other_mentor.client, reverse("mentoring:mentee_detail", args=[pairing.pk])),
        (other_mentor.client, reverse("mentoring:session_edit", args=[session.pk])),
    ]:
        assert client.get(url).status_code == 404, url
    assert not AuditEvent.objects.exists()


def test_no_audit_column_ever_holds_the_notes_or_who_they_are_about(setup, staff, mentor, learner):
    mentor.client.get(reverse("mentoring:mentee_detail", args=[setup.pairing.pk]))
    mentor.client.get(reverse("mentoring:session_edit", args=[setup.session.pk]))
    staff.client.get(reverse("cohorts:cohort_learners", args=[setup.cohort.pk]))
    read(staff.client.get(reverse("cohorts:export_roster", args=[setup.cohort.pk])))
    assert AuditEvent.objects.count() == 4
    columns = [f.attname for f in AuditEvent._meta.concrete_fields]
    values = " ".join(str(v) for row in AuditEvent.objects.values_list(*columns) for v in row)
    for secret in (NOTES, "CATATAN", SUMMARY, learner.user.name, learner.user.phone):
        assert secret not in values


# --- The staff page ---------------------------------------------------------------------------

AUDIT_URL = reverse("privacy:audit_log")


@pytest.mark.parametrize("who", ["learner", "mentor", "partner"])
def test_the_audit_log_is_404_for_everyone_but_staff(request, who):
    assert request.getfixturevalue(who).client.get(AUDIT_URL).status_code == 404


def test_the_audit_log_sends_an_anonymous_visitor_to_sign_in(anonymous):
    response = anonymous.client.get(AUDIT_URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def event(
    actor, action=AuditEvent.Action.VIEW_LEARNERS, *, minutes_ago=0, subject=None, target="x:1"
):
    return AuditEvent.objects.create(
        actor=actor,
        action=action,
        target=target,
        subject_id=subject,
        at=timezone.now() - timedelta(minutes=minutes_ago),
    )


def test_the_audit_log_lists_the_newest_first(staff, mentor):
    old = event(staff.user, minutes_ago=60, target="cohorts.cohort:1")
    new = event(
        mentor.user, AuditEvent.Action.READ_NOTES, minutes_ago=1, target="mentoring.pairing:9"
    )
    middle = event(staff.user, AuditEvent.Action.EXPORT, minutes_ago=30, target="cohorts.cohort:2")
    response = staff.client.get(AUDIT_URL)
    assert response.status_code == 200
    assert list(response.context["page"]) == [new, middle, old]
    html = response.content.decode()
    assert (
        html.index("mentoring.pairing:9")
        < html.index("cohorts.cohort:2")
        < html.index("cohorts.cohort:1")
    )
    assert f"{mentor.user.name} ({mentor.user.pk})" in html


def test_the_audit_log_filters_by_person_and_by_kind(staff, mentor, learner, other_learner):
    mine = event(mentor.user, AuditEvent.Action.READ_NOTES, subject=learner.user.pk)
    event(mentor.user, AuditEvent.Action.READ_NOTES, subject=other_learner.user.pk)
    export = event(staff.user, AuditEvent.Action.ADMIN_VIEW, subject=learner.user.pk)
    event(staff.user, AuditEvent.Action.EXPORT)

    def shown(**params):
        return list(staff.client.get(AUDIT_URL, params).context["page"])

    assert shown(subject=learner.user.pk) == [export, mine]
    assert shown(action=AuditEvent.Action.READ_NOTES, subject=learner.user.pk) == [mine]
    assert len(shown(action=AuditEvent.Action.READ_NOTES)) == 2
    assert len(shown()) == 4
    assert shown(action="nonsense") == shown()  # an invalid filter is ignored, not a 500


def test_the_audit_log_pages_by_fifty_and_keeps_the_filter_in_the_page_links(staff, mentor):
    for minute in range(120):
        event(mentor.user, AuditEvent.Action.READ_NOTES, minutes_ago=minute)
    event(staff.user, AuditEvent.Action.EXPORT)
    first = staff.client.get(AUDIT_URL, {"action": "read_notes"})
    assert len(first.context["page"]) == 50
    assert first.context["page"].paginator.count == 120
    assert "?action=read_notes&amp;page=2" in first.content.decode()
    third = staff.client.get(AUDIT_URL, {"action": "read_notes", "page": 3})
    assert len(third.context["page"]) == 20
    assert all(e.action == "read_notes" for e in third.context["page"])
    assert "page=2" in third.content.decode() and "page=4" not in third.content.decode()


def test_an_empty_audit_log_says_so(staff):
    assert translated("Nothing recorded yet.") in staff.client.get(AUDIT_URL).content.decode()


# --- The admin --------------------------------------------------------------------------------


def test_the_admins_audit_log_is_read_only(superuser, staff):
    one = event(staff.user)
    client = superuser.client
    assert client.get(reverse("admin:privacy_auditevent_changelist")).status_code == 200
    assert client.get(reverse("admin:privacy_auditevent_add")).status_code == 403
    assert (
        client.post(reverse("admin:privacy_auditevent_add"), {"action": "export"}).status_code
        == 403
    )
    change = reverse("admin:privacy_auditevent_change", args=[one.pk])
    view = client.get(change)
    assert view.status_code == 200  # view only
    assert not view.context["has_change_permission"]
    assert client.post(change, {"action": "erase", "target": "changed"}).status_code == 403
    delete = reverse("admin:privacy_auditevent_delete", args=[one.pk])
    assert client.get(delete).status_code == 403
    assert client.post(delete, {"post": "yes"}).status_code == 403
    bulk = client.post(
        reverse("admin:privacy_auditevent_changelist"),
        {"action": "delete_selected", "_selected_action": [one.pk], "post": "yes"},
    )
    assert bulk.status_code in (200, 302)
    one.refresh_from_db()
    assert (one.action, one.target, one.subject_id) == (
        AuditEvent.Action.VIEW_LEARNERS,
        "x:1",
        None,
    )
    model_admin = admin.site._registry[AuditEvent]
    fake = type("R", (), {"user": superuser.user})()
    assert not model_admin.has_add_permission(fake)
    assert not model_admin.has_change_permission(fake, one)
    assert not model_admin.has_delete_permission(fake, one)


def test_opening_a_person_in_the_admin_is_recorded(superuser, learner):
    response = superuser.client.get(reverse("admin:users_user_change", args=[learner.user.pk]))
    assert response.status_code == 200
    event = the_event()
    assert (event.actor, event.action, event.target, event.subject_id) == (
        superuser.user,
        AuditEvent.Action.ADMIN_VIEW,
        f"users.user:{learner.user.pk}",
        learner.user.pk,
    )


def test_the_admin_list_of_people_is_not_an_admin_view_of_one_person(superuser):
    superuser.client.get(reverse("admin:users_user_changelist"))
    assert not AuditEvent.objects.exists()


def test_the_admin_action_erases_the_selected_accounts_but_never_a_superuser(
    superuser, learner, other_learner, mentor, staff
):
    world = rich_world(learner=learner, other_learner=other_learner, mentor=mentor, staff=staff)
    other_admin = UserFactory(name="Admin Kedua", is_staff=True, is_superuser=True)
    response = superuser.client.post(
        reverse("admin:users_user_changelist"),
        {"action": "erase_accounts", "_selected_action": [learner.user.pk, other_admin.pk]},
        follow=True,
    )
    assert response.status_code == 200
    messages = [str(m) for m in response.context["messages"]]
    assert translated("%(n)s accounts erased.") % {"n": 1} in messages
    assert find_everywhere(LEARNER_MARKS.strings()) == []
    learner.user.refresh_from_db()
    assert not learner.user.is_active
    other_admin.refresh_from_db()
    assert (other_admin.name, other_admin.is_active) == ("Admin Kedua", True)
    erased = AuditEvent.objects.get(action=AuditEvent.Action.ERASE)
    assert (erased.actor, erased.subject_id) == (superuser.user, learner.user.pk)
    assert world.theirs.user.name == "Dewi Zulfaniawati"
    assert User.objects.get(pk=world.theirs.user.pk).is_active
