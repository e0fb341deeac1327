"""A cohort where two learners have a full history (business profile, course progress, quiz,
task with photos, survey answers with evidence, mentoring, messages, consent, certificate),
each marked with a distinctive word, so a test can look for every trace of one of them."""

import csv
import io
import json
import time
import uuid
import zipfile
from dataclasses import dataclass
from datetime import timedelta
from types import SimpleNamespace

from allauth.account.models import EmailAddress
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)
from django.apps import apps
from django.db import models
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cohorts.models import Attendance, Cohort, LiveSession, Membership
from cohorts.services.members import cohort_members_add
from courses.models import Enrollment, TaskPhoto
from courses.services import certificates, practice, progress, quizzes
from mentoring.models import ActionItem, LearnerNeeds, MentoringSession, MentorProfile, Pairing
from mentoring.services import sessions as session_service
from outcomes.models import Evidence, Response, Wave
from outcomes.services.responses import response_save
from tests.courses.builders import (
    CourseFactory,
    LessonFactory,
    ModuleFactory,
    add_quiz,
    add_task,
    photo_upload,
    right_answers,
)
from tests.outcomes.builders import ACTIVE, START, default_survey, raw
from ukmlearn.notifications.models import Notification, NotificationPreference, Reminder
from ukmlearn.privacy import services
from ukmlearn.privacy.models import DataExport
from ukmlearn.users import services as user_services
from ukmlearn.users.models import BusinessProfile, Consent


@dataclass(frozen=True)
class Marks:
    """Everything that identifies or describes one person, each string unique in the
    database (the marker word is in all the free text)."""

    marker: str
    name: str
    phone: str
    email: str
    business: str
    city: str
    task_text: str
    task_link: str
    feedback: str
    summary: str
    private_notes: str
    action: str
    rating_comment: str
    notification: str
    reminder: str

    @property
    def phone_digits(self) -> str:
        return self.phone.removeprefix("+62")

    def strings(self) -> list[str]:
        """What must not survive an erasure anywhere, nor leak into someone else's export."""
        return [self.marker, self.phone_digits, self.email]


def marks(marker: str, *, first: str, phone: str, formula_prefixes=False) -> Marks:
    """formula_prefixes: some texts start with = + - @ (to check the CSV neutralising)."""
    low = marker.lower()
    return Marks(
        marker=marker,
        name=f"{first} {marker.title()}",
        phone=phone,
        email=f"{first.lower()}.{low}@contoh.id",
        business=f"Warung {marker.title()} Rasa",
        city=f"Kota {marker.title()}",
        task_text=("=HYPERLINK(1) " if formula_prefixes else "")
        + f"Katalog produk {marker} di WhatsApp",
        task_link=f"https://{low}.example/katalog",
        feedback=("+" if formula_prefixes else "") + f"Masukan foto {marker}",
        summary=("-" if formula_prefixes else "") + f"Ringkasan sesi {marker}",
        private_notes=f"CATATAN-PRIBADI tentang {marker}: utang ke rentenir",
        action=("@" if formula_prefixes else "") + f"Foto sepuluh produk {marker}",
        rating_comment=f"Komentar sesi {marker}",
        notification=f"Pesan untuk {marker}",
        reminder=f"Pengingat untuk {marker}",
    )


LEARNER_MARKS = marks("KARTIKASARI", first="Siti", phone="+6281277700011", formula_prefixes=True)
OTHER_MARKS = marks("ZULFANIAWATI", first="Dewi", phone="+6281399900022")


def make_cohort(staff_user) -> SimpleNamespace:
    """A running cohort with one course (reading, quiz, task) and a live session."""
    course = CourseFactory(title="Jualan Online", slug=f"jualan-online-{uuid.uuid4().hex[:6]}")
    module = ModuleFactory(course=course, position=0)
    reading = LessonFactory(module=module, position=0)
    quiz = add_quiz(module, position=1)
    task = add_task(module, position=2)
    today = timezone.localdate()
    cohort = Cohort.objects.create(
        name="Angkatan Privasi",
        programme="Program Privasi",
        start_date=today - timedelta(days=30),
        end_date=today + timedelta(days=30),
        province="jabar",
        owner=staff_user,
        status=Cohort.Status.RUNNING,
    )
    cohort.courses.add(course)
    session = LiveSession.objects.create(
        cohort=cohort,
        title="Sesi QRIS",
        starts_at=timezone.now() - timedelta(days=2),
        ends_at=timezone.now() - timedelta(days=2) + timedelta(hours=2),
        venue="Balai Desa",
    )
    return SimpleNamespace(
        cohort=cohort, course=course, reading=reading, quiz=quiz, task=task, live=session
    )


def give_history(world, user, m: Marks, *, mentor, staff) -> SimpleNamespace:
    """Everything a learner leaves behind in a cohort, through the real services."""
    user.name, user.phone, user.email = m.name, m.phone, m.email
    user.gender, user.birth_year = "female", 1988
    user.save()
    BusinessProfile.objects.update_or_create(
        user=user,
        defaults={
            "business_name": m.business,
            "city": m.city,
            "sector": "kuliner",
            "province": "jabar",
            "year_started": 2015,
            "workers": 3,
        },
    )
    Consent.objects.create(
        user=user,
        document=Consent.Document.PRIVACY,
        version="2026-01",
        channel=Consent.Channel.SIGNUP,
    )
    user_services.invitation_create(user=user, created_by=staff)
    EmailAddress.objects.create(user=user, email=m.email, verified=True, primary=True)
    totp_secret = generate_totp_secret()
    TOTP.activate(user, totp_secret)
    NotificationPreference.objects.create(user=user, email=True, whatsapp=True)

    # --- course: membership enrols; reading done, quiz passed, task sent with a photo
    cohort_members_add(cohort=world.cohort, user_ids=[user.pk], role=Membership.Role.LEARNER)
    enrollment = Enrollment.objects.get(user=user, course=world.course)
    progress.lesson_complete(enrollment=enrollment, lesson=world.reading)
    quizzes.quiz_submit(
        enrollment=enrollment,
        lesson=world.quiz,
        answers=right_answers(world.quiz),
        idempotency_key=uuid.uuid4(),
    )
    submission, _ = practice.task_submit(
        enrollment=enrollment,
        lesson=world.task,
        text=m.task_text,
        link=m.task_link,
        photos=[photo_upload(name=f"etalase-{m.marker.lower()}.jpg")],
        idempotency_key=uuid.uuid4(),
    )
    practice.task_review(submission=submission, reviewer=mentor, approve=True, feedback=m.feedback)
    Attendance.objects.create(
        session=world.live, user=user, method=Attendance.Method.STAFF, recorded_by=staff
    )
    enrollment.refresh_from_db()
    assert enrollment.completed_at is not None, "the course should be complete"
    certificate = certificates.certificate_request(enrollment_id=enrollment.pk)
    certificates.certificate_generate(certificate_id=certificate.pk)
    certificate.refresh_from_db()

    # --- survey: baseline with an evidence photo, endline
    survey = default_survey()
    presence = survey.questions.get(core_key="presence")
    response_save(
        user=user,
        cohort=world.cohort,
        wave=Wave.BASELINE,
        survey=survey,
        raw_answers=raw(START, survey),
        photos={presence.pk: photo_upload(name=f"bukti-{m.marker.lower()}.jpg")},
        send=True,
    )
    response_save(
        user=user,
        cohort=world.cohort,
        wave=Wave.ENDLINE,
        survey=survey,
        raw_answers=raw(ACTIVE, survey),
        send=True,
    )

    # --- mentoring
    LearnerNeeds.objects.get_or_create(user=user)
    pairing = Pairing.objects.create(
        cohort=world.cohort,
        mentor=mentor,
        learner=user,
        status=Pairing.Status.ACTIVE,
        started_at=timezone.now(),
        reasons=[f"Kota sama: {m.city}"],
        created_by=staff,
    )
    session = session_service.session_log(
        pairing=pairing,
        logged_by=mentor,
        held_at=timezone.now() - timedelta(days=10),
        duration_minutes=45,
        mode=MentoringSession.Mode.WHATSAPP_CALL,
        topics=[],
        private_notes=m.private_notes,
        summary=m.summary,
        next_planned_at=timezone.localdate() - timedelta(days=5),
        action_items=[(m.action, timezone.localdate() + timedelta(days=1))],
    )
    session_service.session_confirm(session=session, rating=5, comment=m.rating_comment)

    # --- messages
    Notification.objects.create(user=user, text=m.notification, link="/")
    Reminder.objects.create(
        user=user,
        kind="inactive",
        subject=f"course:{world.course.pk}",
        period="manual",
        channels=["in_app", "whatsapp"],
        text=m.reminder,
        link="/",
        due_at=timezone.now() + timedelta(hours=1),
    )
    return SimpleNamespace(
        user=user,
        marks=m,
        totp_secret=totp_secret,
        enrollment=enrollment,
        submission=submission,
        photo=TaskPhoto.objects.get(submission=submission),
        certificate=certificate,
        evidence=Evidence.objects.get(response__user=user),
        pairing=pairing,
        session=session,
        item=ActionItem.objects.get(session=session),
        responses=list(Response.objects.filter(user=user).order_by("wave")),
    )


def rich_world(*, learner, other_learner, mentor, staff) -> SimpleNamespace:
    """The cohort, with `learner` and `other_learner` both mentored by `mentor`."""
    world = make_cohort(staff.user)
    cohort_members_add(cohort=world.cohort, user_ids=[mentor.user.pk], role=Membership.Role.MENTOR)
    MentorProfile.objects.get_or_create(user=mentor.user)
    world.mine = give_history(
        world, learner.user, LEARNER_MARKS, mentor=mentor.user, staff=staff.user
    )
    world.theirs = give_history(
        world, other_learner.user, OTHER_MARKS, mentor=mentor.user, staff=staff.user
    )
    return world


def sign_in(user, *, password, totp_secret=None) -> Client:
    """A real sign-in through the form, with the two-factor code when the person has set it
    up (unlike force_login, it records a usersessions row)."""
    client = Client()
    response = client.post(reverse("account_login"), {"login": user.phone, "password": password})
    assert response.status_code == 302, response.content[:300]
    if response["Location"] == reverse("mfa_authenticate"):
        # Twice at most: the 30-second window may turn between computing and checking.
        for _attempt in range(2):
            counter = int(time.time()) // mfa_settings.TOTP_PERIOD
            code = format_hotp_value(hotp_value(totp_secret, counter))
            response = client.post(reverse("mfa_authenticate"), {"code": code})
            if response.status_code == 302:
                break
        assert response.status_code == 302, response.content[:300]
    assert client.session.get("_auth_user_id") == str(user.pk)
    return client


# --- Files of a person ----------------------------------------------------------------------


def stored_files(history) -> list[str]:
    """Names in storage of the photos, evidence and certificate files of one person."""
    names = [
        history.photo.image.name,
        history.photo.thumbnail.name,
        history.evidence.image.name,
        history.evidence.thumbnail.name,
        history.certificate.png.name,
        history.certificate.pdf.name,
    ]
    assert all(names), names
    return names


# --- Exports ----------------------------------------------------------------------------------


def export_zip(user) -> zipfile.ZipFile:
    """Request and build an export through the service and worker, and open the ZIP."""
    export = DataExport.objects.create(user=user)
    services.export_finish(export_id=export.pk)
    export.refresh_from_db()
    assert export.status == DataExport.Status.READY
    with export.file.open("rb") as fh:
        return zipfile.ZipFile(io.BytesIO(fh.read()))


def zip_texts(archive: zipfile.ZipFile) -> dict[str, bytes]:
    return {name: archive.read(name) for name in archive.namelist()}


def readme_kinds(archive: zipfile.ZipFile) -> dict[str, int]:
    """{stem: number of rows} as README.txt lists them."""
    kinds = {}
    for line in archive.read("README.txt").decode().splitlines():
        stem, sep, rest = line.partition(": ")
        if sep and "__" in stem and " " not in stem:
            kinds[stem] = int(rest.split(" ", 1)[0])
    return kinds


def json_rows(archive, stem) -> list[dict]:
    return json.loads(archive.read(f"{stem}.json"))


def csv_rows(archive, stem) -> list[dict]:
    return list(csv.DictReader(io.StringIO(archive.read(f"{stem}.csv").decode())))


# --- The database, read raw -------------------------------------------------------------------

TEXT_FIELDS = (models.CharField, models.TextField, models.JSONField, models.FileField)


def text_columns():
    """(model, [field names]) for every table with a column that can hold text."""
    for model in apps.get_models(include_auto_created=True):
        if model._meta.proxy or not model._meta.managed:
            continue
        names = [f.attname for f in model._meta.concrete_fields if isinstance(f, TEXT_FIELDS)]
        if names:
            yield model, names


def find_everywhere(needles: list[str]) -> list[tuple[str, str, str]]:
    """Every (table, column, needle) whose raw value contains a needle, in any table."""
    lowered = [n.lower() for n in needles]
    found = []
    for model, names in text_columns():
        for row in model._base_manager.values_list(*names).iterator():
            for name, value in zip(names, row, strict=True):
                if value in (None, "", [], {}):
                    continue
                text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
                text = text.lower()
                found.extend(
                    (model._meta.db_table, name, needle)
                    for needle, low in zip(needles, lowered, strict=True)
                    if low in text
                )
    return found
