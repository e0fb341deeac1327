""" "Hapus akun": after the password and the word HAPUS, nothing that names, reaches or describes
the person is left in any table or in storage, they are signed out everywhere and reached by
nothing; the anonymous figures the reports need stay, and erasing again is harmless."""

from datetime import timedelta

import pytest
from allauth.usersessions.models import UserSession
from django.apps import apps
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.files.storage import default_storage
from django.db import models
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cohorts.models import Attendance, Cohort, LiveSession, Membership
from courses.models import Certificate, Enrollment, LessonProgress, QuizAttempt, TaskSubmission
from courses.services import certificates, progress
from mentoring.models import ActionItem, MentoringSession, Pairing
from outcomes import report
from outcomes.models import Response, Wave
from tests.courses.builders import translated
from tests.factories import PASSWORD
from tests.outcomes.builders import ACTIVE, START, join, people, send
from tests.outcomes.builders import make_cohort as outcomes_cohort
from tests.privacy.builders import (
    LEARNER_MARKS,
    OTHER_MARKS,
    export_zip,
    find_everywhere,
    rich_world,
    sign_in,
    stored_files,
)
from ukmlearn import gateway
from ukmlearn.notifications import services as notifications
from ukmlearn.notifications.models import Notification, Reminder
from ukmlearn.privacy import services
from ukmlearn.privacy.models import AuditEvent, DataExport
from ukmlearn.users.models import BusinessProfile, Consent, User

pytestmark = pytest.mark.django_db

DELETE_URL = reverse("privacy:account_delete")
RIGHT = {"password": PASSWORD, "confirm": "HAPUS"}
INDICATORS = [
    "has_wa_catalog",
    "has_social_account",
    "digital_payments",
    "digital_bookkeeping",
    "ladder",
    "revenue_band",
    "workers_band",
]


@pytest.fixture
def world(learner, other_learner, mentor, staff):
    return rich_world(learner=learner, other_learner=other_learner, mentor=mentor, staff=staff)


def erase_by_form(persona):
    response = persona.client.post(DELETE_URL, RIGHT)
    assert response.status_code == 302, response.content[:300]
    return response


def form_errors(response) -> dict:
    return {
        field: [str(e) for e in errors] for field, errors in response.context["form"].errors.items()
    }


# --- The form -----------------------------------------------------------------------------------


def test_the_page_explains_what_goes_and_what_stays(learner):
    response = learner.client.get(DELETE_URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'type="password"' in html
    assert reverse("privacy:my_data") in html


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"password": "Salah-Sandi-2026", "confirm": "HAPUS"},
            "password",
            "The password is not right.",
        ),
        ({"password": PASSWORD, "confirm": ""}, "confirm", "This field is required."),
        (
            {"password": PASSWORD, "confirm": "YA"},
            "confirm",
            "Type the word HAPUS to delete your account.",
        ),
        ({"confirm": "HAPUS"}, "password", "This field is required."),
    ],
    ids=["wrong password", "no word", "another word", "no password"],
)
def test_a_wrong_password_or_a_missing_hapus_changes_nothing_and_says_why(
    world, learner, data, field, message
):
    response = learner.client.post(DELETE_URL, data)
    assert response.status_code == 200
    assert form_errors(response)[field] == [translated(message)]
    assert translated(message) in response.content.decode()
    learner.user.refresh_from_db()
    assert (learner.user.name, learner.user.is_active) == (LEARNER_MARKS.name, True)
    assert learner.user.check_password(PASSWORD)
    assert TaskSubmission.objects.get(pk=world.mine.submission.pk).text == LEARNER_MARKS.task_text
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.ERASE).exists()
    assert learner.client.get(reverse("privacy:my_data")).status_code == 200


def test_the_word_may_be_typed_in_small_letters_with_spaces(learner):
    response = learner.client.post(DELETE_URL, {"password": PASSWORD, "confirm": "  hapus "})
    assert response.status_code == 302
    learner.user.refresh_from_db()
    assert not learner.user.is_active


def test_deleting_signs_me_out_and_the_sign_in_page_says_goodbye(world, learner):
    response = learner.client.post(DELETE_URL, RIGHT, follow=True)
    assert response.redirect_chain == [(reverse("account_login"), 302)]
    assert translated("Your account is deleted. Thank you for learning with us.") in (
        response.content.decode()
    )
    after = learner.client.get(reverse("privacy:my_data"))
    assert after.status_code == 302
    assert after["Location"].startswith(reverse("account_login"))


# --- Nothing left that names them -----------------------------------------------------------


def test_after_erasure_no_column_of_any_table_holds_anything_of_the_person(world, learner):
    before = find_everywhere(LEARNER_MARKS.strings())
    # The scan does see every kind of personal text while it is there.
    assert {(table, column) for table, column, _ in before} >= {
        ("users_user", "name"),
        ("users_user", "phone"),
        ("users_user", "email"),
        ("account_emailaddress", "email"),
        ("users_businessprofile", "business_name"),
        ("users_businessprofile", "city"),
        ("courses_tasksubmission", "text"),
        ("courses_tasksubmission", "link"),
        ("courses_tasksubmission", "feedback"),
        ("courses_certificate", "name"),
        ("mentoring_pairing", "reasons"),
        ("mentoring_mentoringsession", "summary"),
        ("mentoring_mentoringsession", "private_notes"),
        ("mentoring_mentoringsession", "rating_comment"),
        ("mentoring_actionitem", "text"),
        ("notifications_notification", "text"),
        ("notifications_reminder", "text"),
    }

    theirs = find_everywhere(OTHER_MARKS.strings())

    erase_by_form(learner)

    assert find_everywhere(LEARNER_MARKS.strings()) == []
    # Only this person: every trace of the other learner is still there.
    assert find_everywhere(OTHER_MARKS.strings()) == theirs


def test_the_survey_answers_are_emptied_but_the_indicators_stay(world, learner):
    before = {
        r.wave: ({k: getattr(r, k) for k in INDICATORS}, r.status, r.submitted_at)
        for r in Response.objects.filter(user=learner.user)
    }
    assert all(r.answers for r in Response.objects.filter(user=learner.user))
    erase_by_form(learner)
    after = Response.objects.filter(user=learner.user)
    assert {
        r.wave: ({k: getattr(r, k) for k in INDICATORS}, r.status, r.submitted_at) for r in after
    } == before
    assert [r.answers for r in after] == [{}, {}]
    assert all(r.answers for r in Response.objects.filter(user=world.theirs.user))


def test_their_photos_evidence_certificate_and_exports_are_gone_from_storage(world, learner):
    export = DataExport.objects.create(user=learner.user)
    services.export_finish(export_id=export.pk)
    export.refresh_from_db()
    mine = [*stored_files(world.mine), export.file.name]
    theirs = stored_files(world.theirs)
    assert all(default_storage.exists(name) for name in mine + theirs)

    erase_by_form(learner)

    assert [name for name in mine if default_storage.exists(name)] == []
    assert all(default_storage.exists(name) for name in theirs)
    assert not DataExport.objects.filter(user=learner.user).exists()
    certificate = Certificate.objects.get(pk=world.mine.certificate.pk)
    assert (certificate.name, certificate.png.name, certificate.pdf.name) == ("", "", "")
    assert certificate.status == Certificate.Status.ERASED  # earned, no longer shown
    assert certificate.number == world.mine.certificate.number  # stays unique


def test_the_account_row_stays_anonymous_inactive_and_without_a_password(world, learner):
    erase_by_form(learner)
    user = User.objects.get(pk=learner.user.pk)
    assert (user.name, user.phone, user.phone_verified) == ("", None, False)
    assert user.email == f"erased-{user.pk}@erased.invalid"
    assert not user.is_active and not user.is_staff and not user.is_superuser
    assert not user.has_usable_password()
    # The anonymous reach figures keep these.
    assert (user.gender, user.birth_year) == ("female", 1988)
    business = BusinessProfile.objects.get(user=user)
    assert (business.business_name, business.city, business.year_started, business.workers) == (
        "",
        "",
        None,
        None,
    )
    assert (business.sector, business.province) == ("kuliner", "jabar")


def test_they_cannot_sign_in_again_with_the_old_number_address_or_password(world, learner):
    erase_by_form(learner)
    client = learner.client
    for login in (
        LEARNER_MARKS.phone,
        LEARNER_MARKS.email,
        f"erased-{learner.user.pk}@erased.invalid",
    ):
        response = client.post(reverse("account_login"), {"login": login, "password": PASSWORD})
        assert response.status_code == 200, login
        assert "_auth_user_id" not in client.session


# Rows that stay (without anything personal) for the cohort and outcome figures.
KEPT = [
    (Enrollment, "user"),
    (LessonProgress, "enrollment__user"),
    (QuizAttempt, "enrollment__user"),
    (TaskSubmission, "enrollment__user"),
    (Membership, "user"),
    (Attendance, "user"),
    (Response, "user"),
    (MentoringSession, "pairing__learner"),
    (ActionItem, "session__pairing__learner"),
    (Pairing, "learner"),
]


def kept_rows(user) -> dict:
    return {model: model.objects.filter(**{path: user}).count() for model, path in KEPT}


def test_the_figures_for_the_reports_stay_without_a_name(world, learner):
    counts = kept_rows(learner.user)
    enrollment = Enrollment.objects.values("progress_percent", "completed_at").get(
        user=learner.user
    )
    assert all(counts.values()), counts
    erase_by_form(learner)
    assert kept_rows(learner.user) == counts
    assert (
        Enrollment.objects.values("progress_percent", "completed_at").get(user=learner.user)
        == enrollment
    )
    session = MentoringSession.objects.get(pk=world.mine.session.pk)
    assert (session.summary, session.private_notes, session.rating_comment) == ("", "", "")
    assert (session.duration_minutes, session.rating) == (45, 5)
    assert ActionItem.objects.get(pk=world.mine.item.pk).text == ""
    assert Pairing.objects.get(pk=world.mine.pairing.pk).reasons == []
    submission = TaskSubmission.objects.get(pk=world.mine.submission.pk)
    assert (submission.text, submission.link, submission.feedback) == ("", "", "")
    assert submission.status == TaskSubmission.Status.APPROVED
    # Their consents are marked withdrawn, not deleted: the record of what was agreed stays.
    consent = Consent.objects.get(user=learner.user)
    assert consent.version == "2026-01" and consent.withdrawn_at is not None


def reachable_cohort(staff_user, learner_user, n_others=4):
    cohort = outcomes_cohort(staff_user)
    learner_user.gender, learner_user.birth_year = "female", 1990
    learner_user.save()
    others = people(n_others)
    join(cohort, learner_user, *others)
    for user in (learner_user, *others):
        send(user, cohort, Wave.BASELINE, START)
        send(user, cohort, Wave.ENDLINE, ACTIVE)
    return cohort, others


def build_report(cohort) -> report.Report:
    return report.build(report.Scope(cohorts=Cohort.objects.filter(pk=cohort.pk)))


def test_the_outcome_report_counts_them_as_before(learner, staff):
    cohort, _ = reachable_cohort(staff.user, learner.user)
    before = build_report(cohort)
    assert before.participants.count == 5
    assert before.paired.count == 5
    erase_by_form(learner)
    assert build_report(cohort) == before


def test_erasing_a_certified_learner_leaves_the_certified_count_of_the_report_unchanged(
    learner, staff
):
    cohort, others = reachable_cohort(staff.user, learner.user)
    course = cohort.courses.get()
    for user in (learner.user, *others):
        enrollment = Enrollment.objects.get(user=user, course=course)
        for lesson in progress.course_lessons(course.pk):
            progress.lesson_complete(enrollment=enrollment, lesson=lesson)
        certificate = certificates.certificate_request(enrollment_id=enrollment.pk)
        certificates.certificate_generate(certificate_id=certificate.pk)
    before = {row.key: row.cells[0].count for row in build_report(cohort).funnel}
    assert before["certified"] == 5
    erase_by_form(learner)
    assert {row.key: row.cells[0].count for row in build_report(cohort).funnel} == before


# --- Nobody reaches them any more ---------------------------------------------------------------


def test_their_pending_reminders_are_gone_and_delivery_sends_them_nothing(world, learner):
    assert Reminder.objects.filter(user=learner.user, status=Reminder.Status.PENDING).exists()
    erase_by_form(learner)
    assert not Reminder.objects.filter(user=learner.user).exists()
    assert not Notification.objects.filter(user=learner.user).exists()

    gateway.outbox.clear()
    mail.outbox.clear()
    notifications.reminders_sweep()
    notifications.reminders_deliver(now=timezone.now() + timedelta(days=2))

    assert LEARNER_MARKS.phone not in {m.to for m in gateway.outbox}
    assert not [m for m in mail.outbox if set(m.to) & {LEARNER_MARKS.email, learner.user.email}]
    assert not Notification.objects.filter(user=learner.user).exists()
    assert not Reminder.objects.filter(user=learner.user, status=Reminder.Status.SENT).exists()
    # The other learner, in the same cohort, is still reminded.
    assert OTHER_MARKS.phone in {m.to for m in gateway.outbox}


def test_the_reminder_sweep_writes_nothing_for_an_erased_person(world, learner):
    LiveSession.objects.create(
        cohort=world.cohort,
        title="Sesi Besok",
        starts_at=timezone.now() + timedelta(hours=24),
        ends_at=timezone.now() + timedelta(hours=26),
        venue="Balai",
    )
    Enrollment.objects.filter(user=learner.user).update(
        last_activity_at=timezone.now() - timedelta(days=20), completed_at=None
    )
    erase_by_form(learner)
    notifications.reminders_sweep()
    assert list(Reminder.objects.filter(user=learner.user).values_list("kind", flat=True)) == []


def test_the_mentors_reminders_do_not_keep_the_erased_learners_name(world, learner, mentor):
    notifications.reminders_sweep()
    notifications.reminders_deliver(now=timezone.now() + timedelta(days=2))
    assert Notification.objects.filter(user=mentor.user, text__contains=LEARNER_MARKS.name)
    erase_by_form(learner)
    assert find_everywhere(LEARNER_MARKS.strings()) == []


def test_the_admin_history_of_their_account_does_not_keep_their_name(world, learner, rf):
    from django.contrib import admin

    from tests.factories import UserFactory

    request = rf.post("/")
    request.user = UserFactory(is_staff=True, is_superuser=True)
    admin.site._registry[User].log_change(
        request, learner.user, [{"changed": {"fields": ["name"]}}]
    )
    erase_by_form(learner)
    assert find_everywhere(LEARNER_MARKS.strings()) == []


def test_every_other_device_is_signed_out_too(world, learner):
    phone = sign_in(learner.user, password=PASSWORD, totp_secret=world.mine.totp_secret)
    laptop = Client()
    laptop.force_login(learner.user)  # a session usersessions does not know about
    for device in (phone, laptop):
        assert device.get(reverse("privacy:my_data")).status_code == 200
    tracked = phone.session.session_key
    assert UserSession.objects.filter(user=learner.user, session_key=tracked).exists()

    erase_by_form(learner)  # from a third device (the persona's client)

    for device in (phone, laptop):
        response = device.get(reverse("privacy:my_data"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    assert not UserSession.objects.filter(user=learner.user).exists()
    assert not Session.objects.filter(session_key=tracked).exists()


def test_erasure_is_written_to_the_audit_log(world, learner):
    erase_by_form(learner)
    event = AuditEvent.objects.get(action=AuditEvent.Action.ERASE)
    assert (event.actor_id, event.target, event.subject_id) == (
        learner.user.pk,
        f"users.user:{learner.user.pk}",
        learner.user.pk,
    )


# --- Running it again ---------------------------------------------------------------------------

SKIP = {
    ("users_user", "password"),  # a fresh random unusable hash each time
    ("courses_certificate", "revoked_at"),
}


def snapshot() -> dict:
    """Every row of every table, raw, except the audit log (each run adds a line)."""
    state = {}
    for model in apps.get_models(include_auto_created=True):
        table = model._meta.db_table
        if table == "privacy_auditevent":
            continue
        fields = [
            f.attname
            for f in model._meta.concrete_fields
            if (table, f.attname) not in SKIP
            and not isinstance(f, models.AutoField | models.BigAutoField)
        ]
        pk = model._meta.pk.attname
        state[table] = sorted(
            (str(row[0]), repr(row[1:])) for row in model._base_manager.values_list(pk, *fields)
        )
    return state


def test_erasing_twice_succeeds_and_leaves_the_same_state(world, learner):
    services.account_erase(user=learner.user)
    first = snapshot()
    services.account_erase(user=learner.user)
    assert snapshot() == first
    assert find_everywhere(LEARNER_MARKS.strings()) == []
    assert AuditEvent.objects.filter(action=AuditEvent.Action.ERASE).count() == 2


def test_an_erasure_that_broke_half_way_is_finished_by_the_next_run(world, learner, monkeypatch):
    real = services._erase_custom

    def crash(entry, rows, user):
        if entry.model == "outcomes.Partner":  # late in the registry: photos already deleted
            raise ConnectionError("database went away")
        return real(entry, rows, user)

    monkeypatch.setattr(services, "_erase_custom", crash)
    with pytest.raises(ConnectionError):
        services.account_erase(user=learner.user)
    # The rows were rolled back; some files were already deleted.
    learner.user.refresh_from_db()
    assert learner.user.name == LEARNER_MARKS.name
    assert not default_storage.exists(world.mine.photo.image.name)
    # An export in between still works (the missing files are skipped).
    assert "users_User__pk.json" in export_zip(learner.user).namelist()

    monkeypatch.setattr(services, "_erase_custom", real)
    services.account_erase(user=learner.user)
    assert find_everywhere(LEARNER_MARKS.strings()) == []
    assert [n for n in stored_files(world.mine) if default_storage.exists(n)] == []
    assert not User.objects.get(pk=learner.user.pk).is_active


def test_a_staff_member_can_erase_an_account_and_is_named_in_the_audit_log(world, learner, staff):
    services.account_erase(user=learner.user, actor=staff.user)
    event = AuditEvent.objects.get(action=AuditEvent.Action.ERASE)
    assert (event.actor, event.subject_id) == (staff.user, learner.user.pk)
    assert find_everywhere(LEARNER_MARKS.strings()) == []


def test_erasing_a_mentor_removes_them_but_keeps_their_mentees_record(world, mentor):
    mentor.user.name, mentor.user.phone = "Budi Mentorwiyata", "+6281288800033"
    mentor.user.save()
    erase_by_form(mentor)
    assert find_everywhere(["Mentorwiyata", "81288800033"]) == []
    # The learners' mentoring history is theirs and stays.
    session = MentoringSession.objects.get(pk=world.mine.session.pk)
    assert (session.summary, session.logged_by_id) == (LEARNER_MARKS.summary, mentor.user.pk)
    assert Pairing.objects.filter(mentor=mentor.user).count() == 2
    assert find_everywhere(LEARNER_MARKS.strings()) != []
