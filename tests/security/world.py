"""One of everything, for the security suite (kept here so the suite does not move when other
test modules change their own fixtures).

`build_security_world` is the world of tests/test_access_matrix.py as it was when issue 9
was written: build_world's course (with small images), a running cohort owned by `staff`
with `learner` in it, shared with `partner`'s organisation; `learner` has started the
baseline survey with an evidence photo, holds an issued certificate and a ready data export,
and is mentored by `mentor` (one logged session, one action item). Next to it, objects of
*other* people (`foreign_*`): a cohort of `other_staff` with `other_learner` in it, mentored
by `other_mentor`, with a submission, a certificate and a session of their own. Forms are
posted those ids to check that nobody reaches someone else's objects.
"""

import uuid
from datetime import timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from cohorts.models import Cohort, LiveSession, Membership
from cohorts.services.members import cohort_members_add
from courses.models import Certificate, Enrollment
from courses.services import practice, progress
from mentoring.models import ActionItem, ExpertiseTag, MentoringSession, MentorProfile, Pairing
from outcomes.models import Survey, Wave
from outcomes.services.responses import response_save
from tests.courses.builders import (
    CourseFactory,
    ModuleFactory,
    add_task,
    build_world,
    photo_upload,
)
from ukmlearn.privacy.models import DataExport


def _cohort(owner, name, course, *, today):
    cohort = Cohort.objects.create(
        name=name,
        programme="Program Digital UMKM",
        # Running around today, so its baseline survey is open whenever the suite runs.
        start_date=today - timedelta(days=20),
        end_date=today + timedelta(days=40),
        province="jabar",
        owner=owner,
        status=Cohort.Status.RUNNING,
    )
    cohort.courses.add(course)
    return cohort


def _certificate(enrollment, *, code, number, now):
    certificate = Certificate(
        enrollment=enrollment,
        code=code,
        name=enrollment.user.name,
        number=number,
        status=Certificate.Status.ISSUED,
        issued_on=now.date(),
    )
    certificate.pdf.save(f"{code}.pdf", ContentFile(b"%PDF-1.4 uji"), save=False)
    certificate.png.save(f"{code}.png", ContentFile(b"png"), save=False)
    certificate.save()
    return certificate


def build_small_world(*, learner):
    """tests.courses.builders.build_world with small images (it runs once per test here)."""
    return build_world(learner=learner, photo_size=(64, 48), picture_size=(80, 60))


def build_security_world(
    *, learner, staff, mentor, partner, other_learner, other_mentor, other_staff
):
    now = timezone.now()
    today = timezone.localdate()
    w = build_small_world(learner=learner.user)
    w.learner = learner.user
    w.cohort = _cohort(staff.user, "Angkatan 1 Bandung", w.course, today=today)
    cohort_members_add(cohort=w.cohort, user_ids=[learner.user.pk], role=Membership.Role.LEARNER)
    partner.org.cohorts.add(w.cohort)

    survey = Survey.objects.get(is_default=True)
    w.survey = survey
    presence = survey.questions.get(core_key="presence")
    w.response = response_save(
        user=learner.user,
        cohort=w.cohort,
        wave=Wave.BASELINE,
        survey=survey,
        raw_answers={str(presence.pk): ["wa_catalog"]},
        photos={presence.pk: photo_upload(size=(64, 48))},
        send=False,
    )
    w.evidence = w.response.evidence.get()
    w.session = LiveSession.objects.create(
        cohort=w.cohort,
        title="Kelas tatap muka",
        starts_at=now,
        ends_at=now + timedelta(hours=2),
        venue="Balai Desa",
    )
    w.certificate = _certificate(
        w.enrollment, code="kode-uji-sertifikat", number="UKM-2026-000001", now=now
    )

    cohort_members_add(cohort=w.cohort, user_ids=[mentor.user.pk], role=Membership.Role.MENTOR)
    MentorProfile.objects.create(user=mentor.user, modes=["online"])
    w.tag = ExpertiseTag.objects.get_or_create(name="Foto produk")[0]
    w.pairing = Pairing.objects.create(
        cohort=w.cohort,
        mentor=mentor.user,
        learner=learner.user,
        status=Pairing.Status.ACTIVE,
        started_at=now,
    )
    w.mentoring_session = MentoringSession.objects.create(
        pairing=w.pairing, summary="Ringkasan", private_notes="Catatan pribadi"
    )
    w.action_item = ActionItem.objects.create(
        session=w.mentoring_session, text="Foto produk", due_date=today
    )
    w.data_export = DataExport(
        user=learner.user, status=DataExport.Status.READY, finished_at=now, bytes=3
    )
    w.data_export.file.save("export.zip", ContentFile(b"zip"), save=True)

    # --- Other people's objects ------------------------------------------------------
    other_course = CourseFactory(title="Kelas Lain", slug="kelas-lain")
    other_task = add_task(ModuleFactory(course=other_course, position=0), position=0)
    w.foreign_cohort = _cohort(other_staff.user, "Angkatan Lain", other_course, today=today)
    cohort_members_add(
        cohort=w.foreign_cohort, user_ids=[other_learner.user.pk], role=Membership.Role.LEARNER
    )
    cohort_members_add(
        cohort=w.foreign_cohort, user_ids=[other_mentor.user.pk], role=Membership.Role.MENTOR
    )
    MentorProfile.objects.create(user=other_mentor.user, modes=["online"])
    other_enrollment = progress.enrollment_create(user=other_learner.user, course=other_course)
    w.foreign_submission, _ = practice.task_submit(
        enrollment=other_enrollment,
        lesson=other_task,
        text="Punya orang lain",
        link="",
        photos=[photo_upload(size=(64, 48))],
        idempotency_key=uuid.uuid4(),
    )
    w.foreign_photo = w.foreign_submission.photos.get()
    w.foreign_session = LiveSession.objects.create(
        cohort=w.foreign_cohort,
        title="Sesi lain",
        starts_at=now,
        ends_at=now + timedelta(hours=1),
        venue="Aula",
    )
    w.foreign_pairing = Pairing.objects.create(
        cohort=w.foreign_cohort,
        mentor=other_mentor.user,
        learner=other_learner.user,
        status=Pairing.Status.ACTIVE,
        started_at=now,
    )
    w.foreign_mentoring_session = MentoringSession.objects.create(
        pairing=w.foreign_pairing, summary="Ringkasan lain", private_notes="Rahasia lain"
    )
    w.foreign_action_item = ActionItem.objects.create(
        session=w.foreign_mentoring_session, text="Tugas lain", due_date=today
    )
    w.foreign_certificate = _certificate(
        Enrollment.objects.get(pk=other_enrollment.pk),
        code="kode-lain",
        number="UKM-2026-000002",
        now=now,
    )
    w.foreign_lesson = other_task
    w.other_learner = other_learner.user
    w.other_mentor = other_mentor.user
    w.other_staff = other_staff.user
    return w


def foreign_snapshot(w) -> dict:
    """What other people own, as plain values: a form posted by someone else must leave all
    of it as it was."""
    from courses.models import TaskSubmission
    from ukmlearn.users.models import BusinessProfile, User

    def row(model, pk, *fields):
        return model.objects.filter(pk=pk).values(*fields).first()

    return {
        "cohort": row(
            Cohort, w.foreign_cohort.pk, "name", "programme", "start_date", "end_date", "status"
        ),
        "members": sorted(
            Membership.objects.filter(cohort=w.foreign_cohort).values_list(
                "user_id", "role", "left_at"
            )
        ),
        "session": row(LiveSession, w.foreign_session.pk, "title", "venue", "starts_at"),
        "attendance": sorted(w.foreign_session.attendances.values_list("user_id", flat=True)),
        "submission": row(TaskSubmission, w.foreign_submission.pk, "text", "status", "feedback"),
        "pairing": row(Pairing, w.foreign_pairing.pk, "mentor_id", "status"),
        "pairings": Pairing.objects.filter(cohort=w.foreign_cohort).count(),
        "mentoring_session": row(
            MentoringSession, w.foreign_mentoring_session.pk, "summary", "private_notes", "rating"
        ),
        "action_item": row(ActionItem, w.foreign_action_item.pk, "text", "done_at"),
        "certificate": row(Certificate, w.foreign_certificate.pk, "name", "status"),
        "other_learner": row(User, w.other_learner.pk, "name", "phone", "email", "is_active"),
        "business": BusinessProfile.objects.filter(user=w.other_learner)
        .values("business_name", "city")
        .first(),
        "other_mentor_profile": MentorProfile.objects.filter(user=w.other_mentor)
        .values("capacity", "cities")
        .first(),
    }
