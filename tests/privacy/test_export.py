""" "Unduh data saya": the ZIP holds everything kept about the person, as JSON and CSV with
their uploaded files, and nothing secret or about anyone else; the download is for the owner
only, for seven days, never cached, and audited."""

import io
import json
import zipfile
from datetime import timedelta

import pytest
import time_machine
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.courses.builders import translated
from tests.factories import PASSWORD
from tests.privacy.builders import (
    LEARNER_MARKS,
    OTHER_MARKS,
    csv_rows,
    export_zip,
    json_rows,
    readme_kinds,
    rich_world,
    sign_in,
    stored_files,
    zip_texts,
)
from ukmlearn.privacy import services
from ukmlearn.privacy.models import AuditEvent, DataExport
from ukmlearn.users.models import Invitation

pytestmark = pytest.mark.django_db

# What a learner with a full history gets, one JSON and one CSV each.
LEARNER_KINDS = {
    "users_User__pk",
    "users_BusinessProfile__user",
    "users_Consent__user",
    "users_Invitation__user",
    "account_EmailAddress__user",
    "usersessions_UserSession__user",
    "notifications_NotificationPreference__user",
    "notifications_Reminder__user",
    "notifications_Notification__user",
    "courses_Enrollment__user",
    "courses_LessonProgress__enrollment__user",
    "courses_QuizAttempt__enrollment__user",
    "courses_TaskSubmission__enrollment__user",
    "courses_TaskPhoto__submission__enrollment__user",
    "courses_Certificate__enrollment__user",
    "cohorts_Membership__user",
    "cohorts_Attendance__user",
    "mentoring_LearnerNeeds__user",
    "mentoring_Pairing__learner",
    "mentoring_MentoringSession__pairing__learner",
    "mentoring_ActionItem__session__pairing__learner",
    "outcomes_Response__user",
    "outcomes_Evidence__response__user",
    "privacy_DataExport__user",
    "mfa_Authenticator__user",
}


@pytest.fixture
def world(learner, other_learner, mentor, staff):
    return rich_world(learner=learner, other_learner=other_learner, mentor=mentor, staff=staff)


def ready_export(user, **fields) -> DataExport:
    export = DataExport.objects.create(user=user)
    services.export_finish(export_id=export.pk)
    DataExport.objects.filter(pk=export.pk).update(**fields)
    export.refresh_from_db()
    return export


def download(client, export):
    return client.get(reverse("privacy:export_download", args=[export.pk]))


def body(response) -> bytes:
    # Reading the stream to its end closes the file (the test client's wrapper closes the
    # response; closing it again here would fire request_finished and drop the connection).
    return b"".join(response.streaming_content)


# --- Asking for it --------------------------------------------------------------------------


def test_asking_for_my_data_prepares_a_zip_that_my_data_page_offers(
    learner, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = learner.client.post(reverse("privacy:export_request"))
    assert response["Location"] == reverse("privacy:my_data")
    export = DataExport.objects.get()
    assert export.user == learner.user
    assert export.status == DataExport.Status.READY
    assert export.finished_at is not None
    assert export.bytes == export.file.size > 0
    assert zipfile.is_zipfile(export.file.open("rb"))
    export.file.close()
    html = learner.client.get(reverse("privacy:my_data")).content.decode()
    assert (
        translated(
            "Your data is being prepared. It takes a few minutes: come back to this page "
            "to download it."
        )
        in html
    )
    assert reverse("privacy:export_download", args=[export.pk]) in html


def test_asking_for_an_export_needs_a_post(learner):
    assert learner.client.get(reverse("privacy:export_request")).status_code == 405
    assert not DataExport.objects.exists()


def test_asking_again_while_an_export_is_being_prepared_keeps_one_export(learner):
    # No on-commit callbacks run here: the first export stays pending, as with a busy worker.
    first = learner.client.post(reverse("privacy:export_request"))
    second = learner.client.post(reverse("privacy:export_request"))
    assert first.status_code == second.status_code == 302
    export = DataExport.objects.get()
    assert export.status == DataExport.Status.PENDING
    assert services.export_request(user=learner.user) == export
    assert DataExport.objects.count() == 1
    page = learner.client.get(reverse("privacy:my_data")).content.decode()
    assert translated("Being prepared… refresh this page in a few minutes.") in page


def test_a_recent_pending_export_is_not_sent_to_the_worker_again(
    learner, django_capture_on_commit_callbacks
):
    pending = DataExport.objects.create(
        user=learner.user, requested_at=timezone.now() - timedelta(minutes=9)
    )
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert services.export_request(user=learner.user) == pending
    assert callbacks == []
    pending.refresh_from_db()
    assert pending.status == DataExport.Status.PENDING


def test_an_export_pending_for_more_than_ten_minutes_is_sent_to_the_worker_again(
    learner, django_capture_on_commit_callbacks
):
    lost = DataExport.objects.create(
        user=learner.user, requested_at=timezone.now() - timedelta(minutes=11)
    )
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        learner.client.post(reverse("privacy:export_request"))
    assert len(callbacks) == 1
    lost.refresh_from_db()
    assert lost.status == DataExport.Status.READY
    assert DataExport.objects.count() == 1


def test_a_ready_export_does_not_stop_a_new_one(learner, django_capture_on_commit_callbacks):
    old = ready_export(learner.user)
    with django_capture_on_commit_callbacks(execute=True):
        learner.client.post(reverse("privacy:export_request"))
    new = DataExport.objects.exclude(pk=old.pk).get()
    assert new.status == DataExport.Status.READY


def test_a_build_that_fails_marks_the_export_failed_and_the_page_says_so(learner, monkeypatch):
    def broken(user):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "export_build", broken)
    export = DataExport.objects.create(user=learner.user)
    with pytest.raises(RuntimeError):
        services.export_finish(export_id=export.pk)
    export.refresh_from_db()
    assert export.status == DataExport.Status.FAILED
    assert export.finished_at is not None
    assert not export.file
    page = learner.client.get(reverse("privacy:my_data")).content.decode()
    assert translated("Could not be made. Please ask again.") in page
    assert reverse("privacy:export_download", args=[export.pk]) not in page


def test_the_worker_leaves_a_finished_export_alone(learner):
    export = ready_export(learner.user)
    name, finished = export.file.name, export.finished_at
    services.export_finish(export_id=export.pk)
    services.export_finish(export_id=10**9)  # gone meanwhile: nothing to do
    export.refresh_from_db()
    assert (export.file.name, export.finished_at) == (name, finished)


# --- What is in it ----------------------------------------------------------------------------


def test_the_zip_has_one_json_and_one_csv_for_every_kind_the_readme_lists(world, learner):
    # A real sign-in leaves a usersessions row, so sessions are part of the history.
    sign_in(learner.user, password=PASSWORD, totp_secret=world.mine.totp_secret)
    archive = export_zip(learner.user)
    kinds = readme_kinds(archive)
    assert set(kinds) == LEARNER_KINDS
    data_files = {n for n in archive.namelist() if not n.startswith("files/")}
    assert data_files == {"README.txt"} | {f"{k}.{ext}" for k in kinds for ext in ("json", "csv")}
    for stem, count in kinds.items():
        records = json_rows(archive, stem)
        rows = csv_rows(archive, stem)
        assert len(records) == len(rows) == count > 0, stem
        assert list(rows[0]) == list(records[0]), stem
    assert kinds["outcomes_Response__user"] == 2
    assert kinds["courses_LessonProgress__enrollment__user"] == 3


def test_the_zip_holds_the_uploaded_photos_evidence_and_certificate_under_files(world, learner):
    archive = export_zip(learner.user)
    for name in stored_files(world.mine):
        with default_storage.open(name, "rb") as fh:
            assert archive.read(f"files/{name}") == fh.read(), name
    photos = json_rows(archive, "courses_TaskPhoto__submission__enrollment__user")
    assert photos[0]["image"] == world.mine.photo.image.name


def test_the_zip_holds_the_persons_own_details_and_what_they_wrote(world, learner):
    m = LEARNER_MARKS
    archive = export_zip(learner.user)
    (me,) = json_rows(archive, "users_User__pk")
    assert (me["id"], me["name"], me["phone"], me["email"]) == (
        learner.user.pk,
        m.name,
        m.phone,
        m.email,
    )
    assert (me["gender"], me["birth_year"]) == ("female", 1988)
    (business,) = json_rows(archive, "users_BusinessProfile__user")
    assert (business["business_name"], business["city"]) == (m.business, m.city)
    (task,) = json_rows(archive, "courses_TaskSubmission__enrollment__user")
    assert (task["text"], task["link"], task["feedback"]) == (m.task_text, m.task_link, m.feedback)
    (session,) = json_rows(archive, "mentoring_MentoringSession__pairing__learner")
    assert (session["summary"], session["rating_comment"]) == (m.summary, m.rating_comment)
    (item,) = json_rows(archive, "mentoring_ActionItem__session__pairing__learner")
    assert item["text"] == m.action
    notifications = json_rows(archive, "notifications_Notification__user")
    assert [n["text"] for n in notifications] == [m.notification]
    assert m.reminder in {r["text"] for r in json_rows(archive, "notifications_Reminder__user")}
    (consent,) = json_rows(archive, "users_Consent__user")
    assert (consent["version"], consent["channel"]) == ("2026-01", "signup")
    baseline = next(
        r for r in json_rows(archive, "outcomes_Response__user") if r["wave"] == "baseline"
    )
    assert baseline["answers"] == world.mine.responses[0].answers
    (certificate,) = json_rows(archive, "courses_Certificate__enrollment__user")
    assert certificate["name"] == m.name


def test_the_zip_holds_no_password_hash_token_hash_session_key_or_two_factor_secret(world, learner):
    client = sign_in(learner.user, password=PASSWORD, totp_secret=world.mine.totp_secret)
    learner.user.refresh_from_db()
    secrets = {
        "password hash": learner.user.password,
        "invitation token hash": Invitation.objects.get(user=learner.user).token_hash,
        "session key": client.session.session_key,
        "two-factor secret": world.mine.totp_secret,
    }
    archive = export_zip(learner.user)
    everything = b"\n".join(zip_texts(archive).values()).decode("utf-8", "replace")
    for what, secret in secrets.items():
        assert secret and secret not in everything, what
    (me,) = json_rows(archive, "users_User__pk")
    assert "password" not in me
    assert "token_hash" not in json_rows(archive, "users_Invitation__user")[0]
    assert "session_key" not in json_rows(archive, "usersessions_UserSession__user")[0]
    assert "data" not in json_rows(archive, "mfa_Authenticator__user")[0]
    assert "password" not in csv_rows(archive, "users_User__pk")[0]


def test_the_learner_does_not_get_the_mentors_private_notes_about_them(world, learner):
    archive = export_zip(learner.user)
    everything = b"\n".join(zip_texts(archive).values()).decode("utf-8", "replace")
    assert "CATATAN-PRIBADI" not in everything
    (session,) = json_rows(archive, "mentoring_MentoringSession__pairing__learner")
    assert "private_notes" not in session
    assert (
        "private_notes" not in csv_rows(archive, "mentoring_MentoringSession__pairing__learner")[0]
    )


def test_not_a_byte_of_another_learner_is_in_the_zip(world, learner, other_learner):
    archive = export_zip(learner.user)
    contents = zip_texts(archive)
    names = "\n".join(contents)
    for name, data in contents.items():
        text = data.decode("utf-8", "replace").lower()
        for needle in OTHER_MARKS.strings():
            assert needle.lower() not in text, (name, needle)
            assert needle.lower() not in name.lower()
    for name in stored_files(world.theirs):
        assert name not in names
    # Row by row: nothing of theirs, by id either.
    theirs = {
        "users_User__pk": other_learner.user.pk,
        "courses_Enrollment__user": world.theirs.enrollment.pk,
        "courses_TaskSubmission__enrollment__user": world.theirs.submission.pk,
        "courses_TaskPhoto__submission__enrollment__user": world.theirs.photo.pk,
        "courses_Certificate__enrollment__user": world.theirs.certificate.pk,
        "mentoring_Pairing__learner": world.theirs.pairing.pk,
        "mentoring_MentoringSession__pairing__learner": world.theirs.session.pk,
        "mentoring_ActionItem__session__pairing__learner": world.theirs.item.pk,
        "outcomes_Evidence__response__user": world.theirs.evidence.pk,
    }
    for stem, pk in theirs.items():
        assert pk not in {r["id"] for r in json_rows(archive, stem)}, stem
    for stem in readme_kinds(archive):
        for record in json_rows(archive, stem):
            for key in ("user_id", "learner_id"):
                if key in record:
                    assert record[key] == learner.user.pk, (stem, key)


def test_csv_cells_a_spreadsheet_would_run_as_formulas_start_with_a_quote(world, learner):
    m = LEARNER_MARKS
    archive = export_zip(learner.user)
    (task,) = csv_rows(archive, "courses_TaskSubmission__enrollment__user")
    assert task["text"] == "'" + m.task_text  # =
    assert task["feedback"] == "'" + m.feedback  # +
    (session,) = csv_rows(archive, "mentoring_MentoringSession__pairing__learner")
    assert session["summary"] == "'" + m.summary  # -
    (item,) = csv_rows(archive, "mentoring_ActionItem__session__pairing__learner")
    assert item["text"] == "'" + m.action  # @
    (me,) = csv_rows(archive, "users_User__pk")
    assert me["phone"] == "'" + m.phone
    assert me["name"] == m.name  # plain text is left as it is
    # The JSON keeps the values exactly.
    (task_json,) = json_rows(archive, "courses_TaskSubmission__enrollment__user")
    assert task_json["text"] == m.task_text
    for rows in (csv_rows(archive, stem) for stem in readme_kinds(archive)):
        for row in rows:
            for value in row.values():
                assert value[:1] not in ("=", "+", "-", "@", "\t", "\r"), value


def test_the_readme_says_whose_data_it_is_and_what_each_part_means(world, learner):
    readme = export_zip(learner.user).read("README.txt").decode()
    assert f"account {learner.user.pk}" in readme
    assert "courses_TaskSubmission__enrollment__user: 1 (" in readme
    assert "files/" in readme


def test_a_file_missing_from_storage_does_not_stop_the_export(world, learner):
    default_storage.delete(world.mine.photo.image.name)
    archive = export_zip(learner.user)
    assert f"files/{world.mine.photo.image.name}" not in archive.namelist()
    assert f"files/{world.mine.photo.thumbnail.name}" in archive.namelist()


# --- A mentor's and a staff member's export ------------------------------------------------


def test_a_mentors_export_has_the_sessions_they_logged_with_their_own_private_notes(world, mentor):
    archive = export_zip(mentor.user)
    kinds = readme_kinds(archive)
    assert kinds["mentoring_MentoringSession__pairing__mentor"] == 2
    assert kinds["mentoring_MentoringSession__logged_by"] == 2
    assert kinds["mentoring_Pairing__mentor"] == 2
    sessions = {
        r["id"]: r for r in json_rows(archive, "mentoring_MentoringSession__pairing__mentor")
    }
    assert sessions[world.mine.session.pk]["private_notes"] == LEARNER_MARKS.private_notes
    assert sessions[world.theirs.session.pk]["private_notes"] == OTHER_MARKS.private_notes
    # Learners appear by id only: never their names, numbers, addresses or businesses.
    everything = b"\n".join(zip_texts(archive).values()).decode("utf-8", "replace")
    for m in (LEARNER_MARKS, OTHER_MARKS):
        for value in (m.name, m.phone, m.email, m.business):
            assert value not in everything
    (me,) = json_rows(archive, "users_User__pk")
    assert me["id"] == mentor.user.pk


def test_a_reviewers_export_has_their_feedback_but_not_the_learners_answer(world, mentor):
    archive = export_zip(mentor.user)
    everything = b"\n".join(zip_texts(archive).values()).decode("utf-8", "replace")
    assert LEARNER_MARKS.feedback in everything
    assert "Katalog produk" not in everything
    assert LEARNER_MARKS.task_link not in everything


def test_a_staff_members_export_has_no_token_hash_of_the_invitations_they_made(world, staff):
    archive = export_zip(staff.user)
    everything = b"\n".join(zip_texts(archive).values()).decode("utf-8", "replace")
    for invitation in Invitation.objects.filter(created_by=staff.user):
        assert invitation.token_hash not in everything


def test_a_new_export_does_not_nest_the_earlier_ones(learner):
    first = ready_export(learner.user)
    second = export_zip(learner.user)
    assert not [n for n in second.namelist() if n.startswith("files/exports/")]
    assert f"files/{first.file.name}" not in second.namelist()


# --- Downloading it ---------------------------------------------------------------------------


def test_the_owner_downloads_a_ready_export_as_an_uncached_attachment(learner):
    export = ready_export(learner.user)
    response = download(learner.client, export)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    stamp = timezone.localtime(export.finished_at).strftime("%Y%m%d")
    assert response["Content-Disposition"] == f'attachment; filename="data-saya-{stamp}.zip"'
    assert response["Cache-Control"] == "no-store"
    archive = zipfile.ZipFile(io.BytesIO(body(response)))
    assert json.loads(archive.read("users_User__pk.json"))[0]["id"] == learner.user.pk
    event = AuditEvent.objects.get()
    assert (event.actor, event.action, event.target, event.subject_id) == (
        learner.user,
        AuditEvent.Action.DATA_EXPORT,
        f"privacy.dataexport:{export.pk}",
        learner.user.pk,
    )


@pytest.mark.parametrize("who", ["other_learner", "mentor", "staff"])
def test_nobody_else_can_download_my_export(request, learner, who):
    export = ready_export(learner.user)
    persona = request.getfixturevalue(who)
    assert download(persona.client, export).status_code == 404
    assert not AuditEvent.objects.exists()


def test_a_superuser_cannot_download_someone_elses_export_either(learner):
    from tests.factories import UserFactory

    boss = Client()
    boss.force_login(UserFactory(is_staff=True, is_superuser=True))
    assert download(boss, ready_export(learner.user)).status_code == 404


def test_an_anonymous_visitor_is_sent_to_sign_in(anonymous, learner):
    export = ready_export(learner.user)
    response = download(anonymous.client, export)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login") + "?next=")
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize("status", [DataExport.Status.PENDING, DataExport.Status.FAILED])
def test_an_export_that_is_not_ready_cannot_be_downloaded(learner, status):
    export = ready_export(learner.user, status=status)
    assert download(learner.client, export).status_code == 404
    assert download(learner.client, DataExport(pk=10**9)).status_code == 404


def test_an_export_can_be_downloaded_for_seven_days_then_it_is_gone_from_the_page(learner):
    export = ready_export(learner.user)
    page = reverse("privacy:my_data")
    link = reverse("privacy:export_download", args=[export.pk])
    with time_machine.travel(export.finished_at + timedelta(days=7, minutes=-1), tick=False):
        response = download(learner.client, export)
        assert response.status_code == 200
        body(response)
        assert link in learner.client.get(page).content.decode()
    with time_machine.travel(export.finished_at + timedelta(days=7, minutes=1), tick=False):
        assert download(learner.client, export).status_code == 404
        assert link not in learner.client.get(page).content.decode()
    assert AuditEvent.objects.count() == 1
