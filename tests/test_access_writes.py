"""Every POST endpoint × every persona, with someone else's id in the URL, the body or a
hidden field: refused with the status a made-up id gets, and the database unchanged. Then
mass assignment: fields a form does not have (is_staff, role, score, owner, user, ...) never
reach a model.

The world is tests/test_access_matrix.py's (a cohort of `staff` with `learner`, their
classmate `same_cohort_learner` and their mentor `mentor`), plus another staff member's
cohort where `other_learner` learns with `other_mentor`, so that "someone else's" ids are
real rows of the same kinds. Each persona is tried in turn on the same world: refusals
first (nothing may change), then the personas who may write, whose POST must change
something (the control that the data posted was good).
"""

import re
import uuid
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cohorts.models import Attendance, Cohort, LiveSession, Membership
from cohorts.services.members import cohort_members_add
from courses.models import Certificate, Enrollment, LessonProgress, QuizAttempt, TaskSubmission
from mentoring.models import (
    ActionItem,
    LearnerNeeds,
    MentoringSession,
    MentorProfile,
    Pairing,
    PairingWeights,
    SessionEdit,
)
from outcomes.models import Evidence, Response
from tests.courses.builders import (
    CourseFactory,
    ModuleFactory,
    add_quiz,
    add_task,
    right_answers,
    wrong_answers,
)
from tests.factories import PASSWORD, BusinessProfileFactory, UserFactory
from tests.list_urls import iter_patterns
from tests.test_access_matrix import (
    MATRIX,
    MISSING_ID,
    PERSONAS,
    build_access_world,
    missing_id_variants,
    new_classmate,
    new_superuser,
)
from ukmlearn.notifications.models import Notification, NotificationPreference, ReminderRule
from ukmlearn.notifications.views import STAFF_KINDS
from ukmlearn.privacy.models import AuditEvent, DataExport
from ukmlearn.users.models import BusinessProfile, Consent, Invitation, User

# --- The world --------------------------------------------------------------------------


@pytest.fixture
def same_cohort_learner(db):
    return new_classmate()


@pytest.fixture
def superuser(db):
    return new_superuser()


@pytest.fixture
def everyone(personas, same_cohort_learner, superuser):
    return {**personas, "same_cohort_learner": same_cohort_learner, "superuser": superuser}


def _unclaimed(name, phone):
    """A person imported or invited by staff who has not set a password yet."""
    return User.objects.create_user(phone=phone, name=name)


@pytest.fixture
def world(everyone):
    """build_access_world, plus in `staff`'s cohort: a second mentor, a learner without a
    mentor (`newcomer`) and an unclaimed learner with a proposed mentor; and `other_staff`'s
    running cohort where `other_learner` is mentored by `other_mentor` (a session with an
    action item), with its own live session, unclaimed learner and proposal."""
    p = everyone
    w = build_access_world(
        learner=p["learner"],
        same_cohort_learner=p["same_cohort_learner"],
        staff=p["staff"],
        mentor=p["mentor"],
        partner=p["partner"],
    )
    for name in ("staff", "other_staff", "mentor", "other_mentor", "other_learner"):
        setattr(w, name, p[name].user)
    now = timezone.now()
    learner_role, mentor_role = Membership.Role.LEARNER, Membership.Role.MENTOR

    w.second_mentor = UserFactory(name="Joko Susilo", is_mentor=True, is_learner=False)
    MentorProfile.objects.create(user=w.second_mentor, modes=["online"])
    w.newcomer = UserFactory(name="Rudi Hartono")
    BusinessProfileFactory(user=w.newcomer)
    w.unclaimed = _unclaimed("Nur Aini", "+6281299990001")
    cohort_members_add(cohort=w.cohort, user_ids=[w.second_mentor.pk], role=mentor_role)
    cohort_members_add(cohort=w.cohort, user_ids=[w.newcomer.pk, w.unclaimed.pk], role=learner_role)
    w.proposal = Pairing.objects.create(
        cohort=w.cohort, mentor=w.mentor, learner=w.unclaimed, status=Pairing.Status.PROPOSED
    )

    today = timezone.localdate()
    w.other_cohort = Cohort.objects.create(
        name="Angkatan 2 Malang",
        programme="Program Lain",
        start_date=today - timedelta(days=10),
        end_date=today + timedelta(days=50),
        province="jatim",
        owner=w.other_staff,
        status=Cohort.Status.RUNNING,
    )
    w.other_unclaimed = _unclaimed("Sri Wahyuni", "+6281299990002")
    cohort_members_add(
        cohort=w.other_cohort,
        user_ids=[w.other_learner.pk, w.other_unclaimed.pk],
        role=learner_role,
    )
    cohort_members_add(cohort=w.other_cohort, user_ids=[w.other_mentor.pk], role=mentor_role)
    MentorProfile.objects.create(user=w.other_mentor, modes=["online"])
    w.other_pairing = Pairing.objects.create(
        cohort=w.other_cohort,
        mentor=w.other_mentor,
        learner=w.other_learner,
        status=Pairing.Status.ACTIVE,
        started_at=now,
    )
    w.other_mentoring_session = MentoringSession.objects.create(
        pairing=w.other_pairing, summary="Ringkasan lain", private_notes="Catatan lain"
    )
    w.other_action_item = ActionItem.objects.create(
        session=w.other_mentoring_session, text="Daftar QRIS", due_date=today
    )
    w.other_proposal = Pairing.objects.create(
        cohort=w.other_cohort,
        mentor=w.other_mentor,
        learner=w.other_unclaimed,
        status=Pairing.Status.PROPOSED,
    )
    w.other_session = LiveSession.objects.create(
        cohort=w.other_cohort,
        title="Kelas Malang",
        starts_at=now,
        ends_at=now + timedelta(hours=2),
        venue="Aula Kecamatan",
    )
    return w


# --- Helpers ----------------------------------------------------------------------------


def rows(*models) -> dict:
    """Every row of these tables, as plain values: equal before and after means unchanged."""
    return {model._meta.label: list(model.objects.order_by("pk").values()) for model in models}


def learners_data(user) -> dict:
    """Every row that is this learner's, in every table a learner's actions write to."""
    tables = {
        User: {"pk": user.pk},
        BusinessProfile: {"user": user},
        Enrollment: {"user": user},
        LessonProgress: {"enrollment__user": user},
        QuizAttempt: {"enrollment__user": user},
        TaskSubmission: {"enrollment__user": user},
        Certificate: {"enrollment__user": user},
        Response: {"user": user},
        Evidence: {"response__user": user},
        Attendance: {"user": user},
        Pairing: {"learner": user},
        MentoringSession: {"pairing__learner": user},
        ActionItem: {"session__pairing__learner": user},
        LearnerNeeds: {"user": user},
        DataExport: {"user": user},
        Consent: {"user": user},
        Notification: {"user": user},
        NotificationPreference: {"user": user},
    }
    return {
        model._meta.label: list(model.objects.filter(**filters).order_by("pk").values())
        for model, filters in tables.items()
    }


def post_as(everyone, names, url, data=None) -> dict:
    return {name: everyone[name].client.post(url, data or {}).status_code for name in names}


def only(**allowed) -> dict:
    """Every persona refused (visitors sent to sign in, everyone signed in 404) but those
    given, with their status."""
    statuses = {persona: 404 for persona in PERSONAS}
    statuses["anonymous"] = 302
    statuses.update(allowed)
    return statuses


def refused_as_missing() -> dict:
    return only()


def error_messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request) if m.level_tag == "error"]


def local(moment) -> str:
    """A time as the datetime-local input sends it, in the people's zone (WIB)."""
    return timezone.localtime(moment, timezone.get_default_timezone()).strftime("%Y-%m-%dT%H:%M")


def cohort_form_data(cohort, **changes) -> dict:
    data = {
        "name": cohort.name,
        "programme": cohort.programme,
        "courses": [course.pk for course in cohort.courses.all()],
        "start_date": cohort.start_date.isoformat(),
        "end_date": cohort.end_date.isoformat(),
        "province": cohort.province,
        "city": cohort.city,
        "mode": cohort.mode,
        "capacity": cohort.capacity,
        "timezone": cohort.timezone,
        "status": cohort.status,
        "min_attendance_percent": "",
        "min_confirmed_sessions": "",
        "inactive_days": cohort.inactive_days,
    }
    data.update(changes)
    return data


def session_log_data(**changes) -> dict:
    data = {
        "held_at": local(timezone.now() - timedelta(hours=2)),
        "duration_minutes": "45",
        "mode": MentoringSession.Mode.WHATSAPP_CALL,
        "summary": "Kita susun katalog lima produk unggulan.",
        "private_notes": "Masih ragu menaikkan harga.",
    }
    data.update(changes)
    return data


def quiz_data(quiz, key=None) -> dict:
    data = {
        f"q{question}": [str(o) for o in options]
        for question, options in right_answers(quiz).items()
    }
    data["idempotency_key"] = str(key or uuid.uuid4())
    return data


def survey_data(world, code="social_account", **extra) -> dict:
    presence = world.response.survey.questions.get(core_key="presence")
    return {presence.field_name: code, **extra}


def reminder_rule_data(days="3") -> dict:
    data = {}
    for kind in STAFF_KINDS:
        data[f"{kind}-enabled"] = "on"
        data[f"{kind}-threshold_days"] = days
        data[f"{kind}-channels"] = ["in_app"]
    return data


def csv_upload(*lines) -> SimpleUploadedFile:
    text = "\n".join(["Nama,No HP", *lines]) + "\n"
    return SimpleUploadedFile("peserta.csv", text.encode(), content_type="text/csv")


def stored_imports() -> list[str]:
    if not default_storage.exists("imports"):
        return []
    return default_storage.listdir("imports")[1]


# --- Ids in the URL ---------------------------------------------------------------------


@dataclass
class Write:
    """A POST endpoint with an object id in its URL. statuses: what each persona gets when
    posting `data` to the world's object (404: the same answer as for a made-up id).
    writers: the personas whose POST changes `tables`, posted last in this order; every
    other persona is posted first and must change nothing. not_posted: personas who may
    write too, left out because a second write would act on changed data."""

    url: Any
    data: Any
    tables: tuple
    statuses: dict
    writers: tuple
    not_posted: tuple = field(default=())


COHORT_STAFF = only(staff=302, superuser=302)

WRITES = {
    # cohorts: only the cohort's owner (and the superuser); other staff 404 like anyone
    "cohorts:cohort_edit": Write(
        lambda w: {"cohort_id": w.cohort.pk},
        lambda w: cohort_form_data(w.cohort, name="Angkatan 1 Bandung (diubah)"),
        (Cohort,),
        COHORT_STAFF,
        ("staff", "superuser"),
    ),
    "cohorts:cohort_invite_member": Write(
        lambda w: {"cohort_id": w.cohort.pk, "user_id": w.unclaimed.pk},
        lambda w: {},
        (Invitation,),
        only(staff=200, superuser=200),
        ("staff", "superuser"),
    ),
    "cohorts:session_create": Write(
        lambda w: {"cohort_id": w.cohort.pk},
        lambda w: {
            "title": "Kelas kedua",
            "date": (timezone.localdate() + timedelta(days=7)).isoformat(),
            "start_time": "09:00",
            "end_time": "11:00",
            "venue": "Balai Desa",
        },
        (LiveSession,),
        COHORT_STAFF,
        ("staff", "superuser"),
    ),
    "cohorts:session_attendance": Write(
        lambda w: {"cohort_id": w.cohort.pk, "session_id": w.session.pk},
        lambda w: {"shown": [w.learner.pk], "present": [w.learner.pk]},
        (Attendance,),
        COHORT_STAFF,
        ("staff", "superuser"),
    ),
    # the learners of the session's cohort check in; its mentor is a member, not a learner
    "cohorts:session_checkin": Write(
        lambda w: {"session_id": w.session.pk},
        lambda w: {"code": w.session.checkin_code},
        (Attendance,),
        only(learner=302, same_cohort_learner=302, mentor=200),
        ("learner", "same_cohort_learner"),
    ),
    "notifications:cohort_rules": Write(
        lambda w: {"cohort_id": w.cohort.pk},
        lambda w: reminder_rule_data(),
        (ReminderRule,),
        COHORT_STAFF,
        ("staff", "superuser"),
    ),
    "mentoring:cohort_weights": Write(
        lambda w: {"cohort_id": w.cohort.pk},
        lambda w: {"need": 5, "sector": 2, "city": 2, "province": 1, "language": 1, "mode": 1},
        (PairingWeights,),
        COHORT_STAFF,
        ("staff", "superuser"),
    ),
    "mentoring:cohort_suggest": Write(
        lambda w: {"cohort_id": w.cohort.pk},
        lambda w: {},
        (Pairing,),
        COHORT_STAFF,
        ("staff", "superuser"),
    ),
    "mentoring:cohort_confirm": Write(
        lambda w: {"cohort_id": w.cohort.pk},
        lambda w: {},
        (Pairing,),
        COHORT_STAFF,
        ("staff", "superuser"),
    ),
    "mentoring:proposal_add": Write(
        lambda w: {"cohort_id": w.cohort.pk},
        lambda w: {"mentor": w.mentor.pk, "learner": w.newcomer.pk},
        (Pairing,),
        COHORT_STAFF,
        ("staff", "superuser"),
    ),
    "mentoring:proposal_change": Write(
        lambda w: {"cohort_id": w.cohort.pk, "pairing_id": w.proposal.pk},
        lambda w: {"mentor": w.second_mentor.pk},
        (Pairing,),
        COHORT_STAFF,
        ("staff", "superuser"),
    ),
    "mentoring:pairing_reassign": Write(
        lambda w: {"cohort_id": w.cohort.pk, "pairing_id": w.pairing.pk},
        lambda w: {"mentor": w.second_mentor.pk},
        (Pairing,),
        only(staff=302),
        ("staff",),
        # after the owner's reassignment the pairing has ended: a second one would 404
        not_posted=("superuser",),
    ),
    "mentoring:cohort_add_mentor": Write(
        lambda w: {"cohort_id": w.cohort.pk},
        lambda w: {"phone": w.other_mentor.phone},
        (Membership, MentorProfile),
        COHORT_STAFF,
        ("staff", "superuser"),
    ),
    # a pairing's mentor, the cohort's owner and the superuser; not the classmate's mentor
    # role, not other mentors or staff
    "mentoring:session_log": Write(
        lambda w: {"pairing_id": w.pairing.pk},
        lambda w: session_log_data(),
        (MentoringSession, ActionItem),
        only(mentor=302, staff=302, superuser=302),
        ("mentor", "staff", "superuser"),
    ),
    "mentoring:session_edit": Write(
        lambda w: {"session_id": w.mentoring_session.pk},
        lambda w: session_log_data(summary="Ringkasan yang dibetulkan."),
        (MentoringSession, SessionEdit, AuditEvent),
        only(mentor=302, staff=302, superuser=302),
        ("mentor", "staff", "superuser"),
    ),
    # the mentor reviews their own mentees' tasks here; staff use courses:review_submission
    "mentoring:review_submission": Write(
        lambda w: {"submission_id": w.submission.pk},
        lambda w: {"decision": "approve"},
        (TaskSubmission,),
        only(mentor=302),
        ("mentor",),
    ),
    # the staff who own the learner's cohort review their work and manage their certificates
    # (other staff: 404; learners in no cohort are any staff's, see tests/courses)
    "courses:review_submission": Write(
        lambda w: {"submission_id": w.submission.pk},
        lambda w: {"decision": "approve"},
        (TaskSubmission,),
        only(staff=302, superuser=302),
        ("staff", "superuser"),
    ),
    "courses:certificate_manage": Write(
        lambda w: {"certificate_id": w.certificate.pk},
        lambda w: {"revoke": "1", "reason": "Nama salah ketik"},
        (Certificate,),
        only(staff=302, superuser=302),
        ("staff", "superuser"),
    ),
    # the learner's own: nobody else, not their classmate, mentor or staff
    "mentoring:session_confirm": Write(
        lambda w: {"session_id": w.mentoring_session.pk},
        lambda w: {"rating": "5", "comment": "Sangat membantu"},
        (MentoringSession,),
        only(learner=302),
        ("learner",),
    ),
    "mentoring:action_item_done": Write(
        lambda w: {"item_id": w.action_item.pk},
        lambda w: {"done": "1"},
        (ActionItem,),
        only(learner=302),
        ("learner",),
    ),
    "privacy:export_download": Write(
        lambda w: {"export_id": w.data_export.pk},
        lambda w: {},
        (DataExport, AuditEvent),
        only(learner=200),
        ("learner",),
    ),
    # the cohort's survey and the course: each enrolled learner for themselves
    "outcomes:survey_fill": Write(
        lambda w: {"cohort_id": w.cohort.pk, "wave": "baseline"},
        lambda w: survey_data(w),
        (Response, Evidence),
        only(learner=302, same_cohort_learner=302),
        ("learner", "same_cohort_learner"),
    ),
    "outcomes:survey_skip": Write(
        lambda w: {"cohort_id": w.cohort.pk},
        lambda w: {},
        (Response,),
        only(learner=302, same_cohort_learner=302),
        ("learner", "same_cohort_learner"),
    ),
    "courses:lesson_complete": Write(
        lambda w: {"slug": w.course.slug, "lesson_id": w.reading.pk},
        lambda w: {},
        (LessonProgress, Enrollment),
        only(learner=302, same_cohort_learner=302),
        ("learner", "same_cohort_learner"),
    ),
    "courses:quiz_submit": Write(
        lambda w: {"slug": w.course.slug, "lesson_id": w.quiz.pk},
        lambda w: quiz_data(w.quiz),
        (QuizAttempt, LessonProgress, Enrollment),
        only(learner=302, same_cohort_learner=302),
        ("learner", "same_cohort_learner"),
    ),
    "courses:task_submit": Write(
        lambda w: {"slug": w.course.slug, "lesson_id": w.task.pk},
        lambda w: {"text": "Foto etalase baru", "idempotency_key": str(uuid.uuid4())},
        (TaskSubmission,),
        only(learner=302, same_cohort_learner=302),
        ("learner", "same_cohort_learner"),
    ),
}


# POST endpoints checked by a test of their own further down (marked @covers): no object id
# in the URL (the form acts on the signed-in person), or a flow of more than one request.
ELSEWHERE: dict[str, str] = {}


def covers(*names):
    def mark(test):
        for name in names:
            ELSEWHERE[name] = test.__name__
        return test

    return mark


# Pages with no id at all whose POST (if any) touches only the signed-in person's own
# account or session, or nothing: lists, reports, the shell, and allauth's own flows
# (sign-in, password, phone, two-factor), which look the account up from the session.
NO_IDS = {
    "home",
    "privacy",
    "service_worker",
    "web_manifest",
    "offline",
    "privacy:my_data",
    "privacy:audit_log",
    "invitation_open",
    "phone_reset_request",
    "phone_reset_confirm",
    "courses:course_list",
    "courses:review_queue",
    "cohorts:cohort_list",
    "mentoring:mentor_home",
    "mentoring:review_queue",
    "mentoring:learner_mentoring",
    "notifications:list",
    "outcomes:survey_list",
    "outcomes:report",
    "outcomes:report_export",
    "account_login",
    "account_logout",
    "account_inactive",
    "account_reauthenticate",
    "account_email_verification_sent",
    "account_change_password",
    "account_set_password",
    "account_reset_password",
    "account_confirm_login_code",
    "account_confirm_email",
    "account_verify_phone",
    "account_change_phone",
    "account_confirm_password_reset_code",
    "account_complete_password_reset",
    "account_password_reset_completed",
    "mfa_index",
    "mfa_activate_totp",
    "mfa_deactivate_totp",
    "mfa_authenticate",
    "mfa_reauthenticate",
    "mfa_view_recovery_codes",
    "mfa_generate_recovery_codes",
    "mfa_download_recovery_codes",
}


def object_pages() -> set[str]:
    """URL names with an object (id, slug, code) in the URL that are not forms: POST there
    answers as GET (test_posting_to_a_page_that_only_shows_an_object_answers_as_its_get)."""
    return {
        name
        for name, (kwargs, _statuses) in MATRIX.items()
        if callable(kwargs) and name not in WRITES and name not in ELSEWHERE
    }


def test_every_url_is_decided_for_post():
    names = {
        name for name, _route, _conv in iter_patterns() if name and not name.startswith("admin:")
    }
    decided = [set(WRITES), set(ELSEWHERE), object_pages(), NO_IDS]
    assert not names - set().union(*decided), "URL patterns with no POST decision"
    assert sum(len(group) for group in decided) == len(set().union(*decided)), "decided twice"
    assert not set().union(*decided) - names, "decisions for URLs that no longer exist"
    tests = {name for name in globals() if name.startswith("test_")}
    assert not set(ELSEWHERE.values()) - tests, "ELSEWHERE names a test that does not exist"


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(WRITES))
def test_a_post_with_someone_elses_id_is_refused_like_a_missing_id_and_changes_nothing(
    name, everyone, world
):
    spec = WRITES[name]
    kwargs, data = spec.url(world), spec.data(world)
    url = reverse(name, kwargs=kwargs)
    before = rows(*spec.tables)
    others = [p for p in PERSONAS if p not in spec.writers and p not in spec.not_posted]

    got = post_as(everyone, others, url, data)
    assert rows(*spec.tables) == before, f"a refused POST changed the database: {got}"

    for key, variant in missing_id_variants(name, kwargs):
        missing = post_as(everyone, PERSONAS, reverse(name, kwargs=variant), data)
        assert missing == refused_as_missing(), f"{key} missing"
    assert rows(*spec.tables) == before, "a POST with a made-up id changed the database"

    got.update(post_as(everyone, spec.writers, url, data))
    assert got == {p: s for p, s in spec.statuses.items() if p not in spec.not_posted}
    assert rows(*spec.tables) != before, "the allowed POST changed nothing: check the data"


@pytest.mark.django_db
def test_posting_to_a_page_that_only_shows_an_object_answers_as_its_get(everyone, world):
    """Object pages that are not forms (details, downloads, exports) treat a POST as a GET:
    the same status for every persona as in the GET matrix, so a POST is no way round the
    getters."""
    wrong = {}
    for name, (kwargs, statuses) in sorted(MATRIX.items()):
        if name not in object_pages():
            continue
        url = reverse(name, kwargs=kwargs(world))
        got = post_as(everyone, PERSONAS, url)
        if got != statuses:
            wrong[name] = {p: (got[p], statuses[p]) for p in PERSONAS if got[p] != statuses[p]}
    assert not wrong


# --- Ids in the body or a hidden field --------------------------------------------------


@pytest.mark.django_db
def test_quiz_answers_with_option_ids_of_another_quiz_are_refused_with_400_and_no_attempt(
    learner, world
):
    """The form's choices are the quiz's own option ids: another quiz's are not answers."""
    other_quiz = add_quiz(ModuleFactory(course=CourseFactory()), questions=2)
    own = list(right_answers(world.quiz))
    foreign = [options for options in right_answers(other_quiz).values()]
    url = reverse("courses:quiz_submit", args=[world.course.slug, world.quiz.pk])
    before = rows(QuizAttempt, LessonProgress, Enrollment)

    # the quiz's questions answered with another quiz's (right) options
    answered_elsewhere = {
        f"q{question}": [str(o) for o in options]
        for question, options in zip(own, foreign, strict=True)
    }
    answered_elsewhere["idempotency_key"] = str(uuid.uuid4())
    # or the other quiz's questions and options posted as if they were this quiz's
    other_questions = quiz_data(other_quiz)

    statuses = [
        learner.client.post(url, data).status_code for data in (answered_elsewhere, other_questions)
    ]
    assert statuses == [400, 400]
    assert rows(QuizAttempt, LessonProgress, Enrollment) == before


@pytest.mark.django_db
def test_a_quiz_posted_with_the_classmates_idempotency_key_is_a_new_attempt_of_ones_own(
    same_cohort_learner, world
):
    """The hidden idempotency key finds only one's own attempts: a classmate's key neither
    returns their attempt nor changes it."""
    before = rows(QuizAttempt)
    theirs = learners_data(world.learner)
    url = reverse("courses:quiz_submit", args=[world.course.slug, world.quiz.pk])

    response = same_cohort_learner.client.post(
        url, quiz_data(world.quiz, key=world.attempt.idempotency_key)
    )

    assert response.status_code == 302
    new = QuizAttempt.objects.exclude(pk__in=[a["id"] for a in before["courses.QuizAttempt"]])
    attempt = new.get()
    assert attempt.enrollment.user == same_cohort_learner.user
    assert response["Location"] == reverse("courses:attempt_detail", args=[attempt.pk])
    assert learners_data(world.learner) == theirs


@pytest.mark.django_db
def test_attendance_ticks_for_people_who_are_not_learners_of_the_cohort_are_ignored(staff, world):
    """present/shown ids of another cohort's learner, the cohort's mentor, the staff member
    and a made-up id: only the cohort's own learner is marked."""
    intruders = [world.other_learner.pk, world.mentor.pk, world.staff.pk, MISSING_ID]
    ids = [world.learner.pk, *intruders]
    url = reverse("cohorts:session_attendance", args=[world.cohort.pk, world.session.pk])

    response = staff.client.post(
        url, {"shown": ids, "present": ids, "recorded_by": world.other_staff.pk, "method": "qr"}
    )

    assert response.status_code == 302
    marked = list(Attendance.objects.values_list("session_id", "user_id", "method", "recorded_by"))
    assert marked == [(world.session.pk, world.learner.pk, "staff", world.staff.pk)]


@pytest.mark.django_db
def test_a_session_of_another_cohort_under_ones_own_cohort_url_is_404(staff, other_staff, world):
    """Both ids must match: one's own cohort with another cohort's session is not a way in."""
    attempts = {
        "staff, own cohort, other's session": (
            staff,
            [world.cohort.pk, world.other_session.pk],
        ),
        "other staff, own cohort, staff's session": (
            other_staff,
            [world.other_cohort.pk, world.session.pk],
        ),
    }
    before = rows(Attendance)
    for view in ("cohorts:session_attendance", "cohorts:session_detail"):
        got = {
            who: persona.client.post(
                reverse(view, args=args),
                {"shown": [world.learner.pk], "present": [world.learner.pk]},
            ).status_code
            for who, (persona, args) in attempts.items()
        }
        assert got == dict.fromkeys(attempts, 404), view
    assert rows(Attendance) == before


@pytest.mark.django_db
def test_a_proposal_with_a_mentor_or_learner_of_another_cohort_is_refused(staff, world):
    url = reverse("mentoring:proposal_add", args=[world.cohort.pk])
    before = rows(Pairing)
    for data in (
        {"mentor": world.other_mentor.pk, "learner": world.newcomer.pk},
        {"mentor": world.mentor.pk, "learner": world.other_learner.pk},
        {"mentor": world.mentor.pk, "learner": world.other_unclaimed.pk},
        {"mentor": MISSING_ID, "learner": world.newcomer.pk},
        {"mentor": world.mentor.pk, "learner": MISSING_ID},
    ):
        response = staff.client.post(url, data)
        assert response.status_code == 302, data
        assert error_messages(response), data
    assert rows(Pairing) == before


@pytest.mark.django_db
def test_changing_a_proposal_of_another_cohort_named_in_the_body_is_404(staff, world):
    """The page's change form posts to pairing id 0 and names the proposal in the body: a
    proposal of another staff member's cohort there is as missing as a made-up one."""
    url = reverse("mentoring:proposal_change", args=[world.cohort.pk, 0])
    before = rows(Pairing)
    got = [
        staff.client.post(url, {"pairing": pairing, "mentor": world.second_mentor.pk}).status_code
        for pairing in (
            world.other_proposal.pk,
            world.other_pairing.pk,
            world.pairing.pk,
            MISSING_ID,
        )
    ]
    removed = staff.client.post(url, {"pairing": world.other_proposal.pk, "remove": "1"})
    assert got == [404, 404, 404, 404]  # the own *active* pairing is no proposal either
    assert removed.status_code == 404
    assert rows(Pairing) == before


@pytest.mark.django_db
def test_a_proposal_cannot_be_given_a_mentor_of_another_cohort(staff, world):
    url = reverse("mentoring:proposal_change", args=[world.cohort.pk, world.proposal.pk])
    before = rows(Pairing)
    for mentor in (world.other_mentor.pk, world.newcomer.pk, MISSING_ID):
        response = staff.client.post(url, {"mentor": mentor})
        assert response.status_code == 302
        assert error_messages(response)
    assert rows(Pairing) == before


@pytest.mark.django_db
def test_reassigning_a_pairing_of_another_cohort_or_to_a_mentor_of_another_cohort_is_refused(
    staff, world
):
    before = rows(Pairing)
    by_body = reverse("mentoring:pairing_reassign", args=[world.cohort.pk, 0])
    got = [
        staff.client.post(
            by_body, {"pairing": pairing, "mentor": world.second_mentor.pk}
        ).status_code
        for pairing in (world.other_pairing.pk, world.proposal.pk, MISSING_ID)
    ]
    assert got == [404, 404, 404]
    own = reverse("mentoring:pairing_reassign", args=[world.cohort.pk, world.pairing.pk])
    for mentor in (world.other_mentor.pk, world.learner.pk, MISSING_ID):
        response = staff.client.post(own, {"mentor": mentor})
        assert response.status_code == 302
        assert error_messages(response)
    assert rows(Pairing) == before


@pytest.mark.django_db
def test_a_mentor_cannot_review_a_task_from_a_course_outside_the_cohort(mentor, learner, world):
    """The mentee's work in a course their cohort does not teach is not the mentor's to
    review (nor staff's queue through the mentor's page)."""
    from courses.services import practice, progress

    task = add_task(ModuleFactory(course=CourseFactory(title="Kelas Lain")), position=0)
    enrollment = progress.enrollment_create(user=learner.user, course=task.module.course)
    elsewhere, _ = practice.task_submit(
        enrollment=enrollment,
        lesson=task,
        text="Di luar angkatan",
        link="",
        photos=[],
        idempotency_key=uuid.uuid4(),
    )
    before = rows(TaskSubmission)
    for name in ("mentoring:review_submission", "courses:review_submission"):
        response = mentor.client.post(reverse(name, args=[elsewhere.pk]), {"decision": "approve"})
        assert response.status_code == 404, name
    missing = mentor.client.post(
        reverse("mentoring:review_submission", args=[MISSING_ID]), {"decision": "approve"}
    )
    assert missing.status_code == 404
    assert rows(TaskSubmission) == before


@pytest.mark.django_db
def test_an_invitation_link_for_a_member_of_another_staff_members_cohort_is_404(
    staff, other_staff, world
):
    """cohort_invite_member takes the person from the URL's cohort only: not a member of
    someone else's cohort, not someone who already set a password, not a made-up id."""
    before = rows(Invitation, User)
    got = {
        "staff, other cohort's unclaimed": staff.client.post(
            reverse(
                "cohorts:cohort_invite_member", args=[world.cohort.pk, world.other_unclaimed.pk]
            )
        ).status_code,
        "staff, own learner with a password": staff.client.post(
            reverse("cohorts:cohort_invite_member", args=[world.cohort.pk, world.learner.pk])
        ).status_code,
        "other staff, staff's unclaimed via own cohort": other_staff.client.post(
            reverse(
                "cohorts:cohort_invite_member", args=[world.other_cohort.pk, world.unclaimed.pk]
            )
        ).status_code,
        "other staff, staff's cohort": other_staff.client.post(
            reverse("cohorts:cohort_invite_member", args=[world.cohort.pk, world.unclaimed.pk])
        ).status_code,
    }
    assert got == dict.fromkeys(got, 404)
    assert rows(Invitation, User) == before


@pytest.mark.django_db
def test_inviting_by_phone_a_learner_of_another_staff_members_cohort_who_signed_in_is_refused(
    other_staff, world
):
    """A claimed account is never re-invited, whoever's cohort it is in."""
    before = rows(Invitation, User)
    response = other_staff.client.post(
        reverse("invite_person"),
        {"name": "Nama Lain", "phone": world.learner.phone, "role": "mentor"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["phone"]
    assert rows(Invitation, User) == before


@pytest.mark.django_db
def test_inviting_by_phone_an_unclaimed_learner_of_another_staff_members_cohort_changes_nothing(
    staff, other_staff, world
):
    from ukmlearn.users import services

    _invitation, token = services.invitation_create(user=world.unclaimed, created_by=staff.user)
    before = rows(Invitation, User)
    response = other_staff.client.post(
        reverse("invite_person"),
        {"name": "Nama Lain", "phone": world.unclaimed.phone, "role": "mentor"},
    )
    person = User.objects.get(pk=world.unclaimed.pk)
    got = {
        "name, learner, mentor": (person.name, person.is_learner, person.is_mentor),
        "invitations": Invitation.objects.filter(user=person).count(),
        "the owner's link works": services.invitation_find(token=token) is not None,
        # an invitation link carries its token (the form's own action is /staff/people/invite/)
        "a link on the page": bool(
            re.search(r"/invite/(?!set-password/)[\w-]{16,}/", response.content.decode())
        ),
    }
    assert got == {
        "name, learner, mentor": ("Nur Aini", True, False),
        "invitations": 1,
        "the owner's link works": True,
        "a link on the page": False,
    }
    assert rows(Invitation, User) == before


@pytest.mark.django_db
def test_the_survey_form_ignores_ids_of_the_classmates_response_and_evidence(
    same_cohort_learner, world
):
    """Clearing the evidence photo, naming another response, user, cohort or wave: the
    classmate's draft changes, the learner's answers and photo do not."""
    presence = world.response.survey.questions.get(core_key="presence")
    theirs = learners_data(world.learner)
    data = survey_data(
        world,
        **{
            f"evidence_{presence.pk}-clear": "on",
            f"evidence_{presence.pk}": "",
            "evidence": world.evidence.pk,
            "response": world.response.pk,
            "user": world.learner.pk,
            "cohort": world.other_cohort.pk,
            "wave": "endline",
            "status": "submitted",
            "ladder": "4",
            "submitted_at": "2026-01-01T00:00",
        },
    )
    url = reverse("outcomes:survey_fill", args=[world.cohort.pk, "baseline"])

    response = same_cohort_learner.client.post(url, data)

    assert response.status_code == 302
    assert learners_data(world.learner) == theirs
    own = Response.objects.get(user=same_cohort_learner.user)
    assert (own.pk, own.cohort, own.wave, own.status, own.ladder, own.submitted_at) == (
        world.peer_response.pk,
        world.cohort,
        "baseline",
        Response.Status.DRAFT,
        None,
        None,
    )
    assert own.answers == {str(presence.pk): ["social_account"]}
    assert own.evidence.get() == world.peer_evidence  # nothing posted: the photo stays


@pytest.mark.django_db
def test_skipping_the_survey_with_the_learners_id_in_the_body_skips_only_ones_own(
    same_cohort_learner, world
):
    before = learners_data(world.learner)
    response = same_cohort_learner.client.post(
        reverse("outcomes:survey_skip", args=[world.cohort.pk]),
        {"user": world.learner.pk, "response": world.response.pk},
    )
    assert response.status_code == 302
    assert learners_data(world.learner) == before
    assert Response.objects.get(pk=world.peer_response.pk).skipped_at is not None


@pytest.mark.django_db
def test_weights_and_reminder_rules_with_another_cohort_in_the_body_change_only_the_urls(
    staff, world
):
    PairingWeights.objects.create(cohort=world.other_cohort, need=1)
    ReminderRule.objects.create(cohort=world.other_cohort, kind=STAFF_KINDS[0], threshold_days=9)
    before = rows(PairingWeights, ReminderRule)
    other_rows = {
        label: [r for r in table if r["cohort_id"] == world.other_cohort.pk]
        for label, table in before.items()
    }

    weights = staff.client.post(
        reverse("mentoring:cohort_weights", args=[world.cohort.pk]),
        {
            "need": 7,
            "sector": 0,
            "city": 0,
            "province": 0,
            "language": 0,
            "mode": 0,
            "cohort": world.other_cohort.pk,
            "cohort_id": world.other_cohort.pk,
        },
    )
    rules = staff.client.post(
        reverse("notifications:cohort_rules", args=[world.cohort.pk]),
        {**reminder_rule_data("5"), "cohort": world.other_cohort.pk},
    )

    assert (weights.status_code, rules.status_code) == (302, 302)
    after = rows(PairingWeights, ReminderRule)
    assert {
        label: [r for r in table if r["cohort_id"] == world.other_cohort.pk]
        for label, table in after.items()
    } == other_rows
    assert PairingWeights.objects.get(cohort=world.cohort).need == 7
    assert set(
        ReminderRule.objects.filter(cohort=world.cohort).values_list("threshold_days", flat=True)
    ) == {5}


@pytest.mark.django_db
def test_a_catch_up_lesson_from_a_course_outside_the_cohort_is_refused(staff, world):
    outside = add_task(ModuleFactory(course=CourseFactory()), position=0)
    before = rows(LiveSession)
    response = staff.client.post(
        reverse("cohorts:session_create", args=[world.cohort.pk]),
        {
            "title": "Kelas susulan",
            "date": (timezone.localdate() + timedelta(days=3)).isoformat(),
            "start_time": "09:00",
            "end_time": "10:00",
            "venue": "Balai Desa",
            "catch_up_lesson": outside.pk,
            "catch_up_counts": "on",
            "cohort": world.other_cohort.pk,
        },
    )
    assert response.status_code == 200
    assert "catch_up_lesson" in response.context["form"].errors
    assert rows(LiveSession) == before


@pytest.mark.django_db
def test_a_check_in_with_the_learners_id_in_the_body_checks_in_only_oneself(
    same_cohort_learner, world
):
    response = same_cohort_learner.client.post(
        reverse("cohorts:session_checkin", args=[world.session.pk]),
        {"code": world.session.checkin_code, "user": world.learner.pk, "method": "staff"},
    )
    assert response.status_code == 302
    assert list(Attendance.objects.values_list("user_id", "method")) == [
        (same_cohort_learner.user.pk, Attendance.Method.CODE)
    ]


# --- Imports: two steps, both the cohort owner's ----------------------------------------


@covers("cohorts:cohort_import")
@pytest.mark.django_db
def test_importing_into_another_staff_members_cohort_is_refused_at_both_steps(everyone, world):
    preview = reverse("cohorts:cohort_import", args=[world.cohort.pk])
    commit = reverse("cohorts:cohort_import_commit", args=[world.cohort.pk])
    before = rows(User, Membership, Enrollment)
    outsiders = [p for p in PERSONAS if p not in ("staff", "superuser")]

    got = {
        p: everyone[p]
        .client.post(preview, {"file": csv_upload("Tono Sudarmo,081288880001")})
        .status_code
        for p in outsiders
    }
    assert got == {p: s for p, s in COHORT_STAFF.items() if p in outsiders}
    assert stored_imports() == []

    # The owner's preview waits in the owner's session; nobody else can commit it.
    own = everyone["staff"].client.post(preview, {"file": csv_upload("Tono Sudarmo,081288880001")})
    assert own.status_code == 200 and len(stored_imports()) == 1
    got = post_as(everyone, outsiders, commit)
    missing = post_as(
        everyone,
        PERSONAS,
        reverse("cohorts:cohort_import_commit", args=[MISSING_ID]),
    )
    missing_preview = everyone["staff"].client.post(
        reverse("cohorts:cohort_import", args=[MISSING_ID]),
        {"file": csv_upload("Tono Sudarmo,081288880001")},
    )
    assert got == {p: s for p, s in COHORT_STAFF.items() if p in outsiders}
    assert missing == refused_as_missing()
    assert missing_preview.status_code == 404
    assert rows(User, Membership, Enrollment) == before

    # The owner's commit goes through (the control that the file was good).
    assert everyone["staff"].client.post(commit).status_code == 302
    assert Membership.objects.filter(cohort=world.cohort, user__phone="+6281288880001").exists()


@covers("cohorts:cohort_import_commit")
@pytest.mark.django_db
def test_an_import_previewed_for_one_cohort_cannot_be_committed_to_another(superuser, world):
    """Even for the superuser, who owns both cohorts: the pending file names its cohort."""
    superuser.client.post(
        reverse("cohorts:cohort_import", args=[world.cohort.pk]),
        {"file": csv_upload("Tono Sudarmo,081288880001")},
    )
    before = rows(User, Membership)
    response = superuser.client.post(
        reverse("cohorts:cohort_import_commit", args=[world.other_cohort.pk])
    )
    assert response.status_code == 302
    assert error_messages(response)
    assert rows(User, Membership) == before


# --- Mass assignment ---------------------------------------------------------------------

ROLE_FIELDS = {
    "is_staff": "on",
    "is_superuser": "on",
    "is_mentor": "on",
    "is_active": "on",
    "role": "staff",
    "groups": "1",
    "user_permissions": "1",
    "unread_notifications": "99",
    "phone_verified": "on",
    "date_joined": "2020-01-01T00:00",
}


def user_row(user) -> dict:
    return User.objects.filter(pk=user.pk).values().get()


@covers("account_signup")
@pytest.mark.django_db
def test_signing_up_with_role_fields_makes_a_plain_learner(anonymous):
    response = anonymous.client.post(
        reverse("account_signup"),
        {
            "name": "Wati Lestari",
            "phone": "0812 5555 0001",
            "email": "",
            "password1": "Kopi-Susu-Gula-Aren",
            "password2": "Kopi-Susu-Gula-Aren",
            "timezone": "Asia/Makassar",
            "consent": "on",
            **ROLE_FIELDS,
            "is_learner": "",
            "language": "en",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(phone="+6281255550001")
    assert (user.is_staff, user.is_superuser, user.is_mentor, user.is_learner) == (
        False,
        False,
        False,
        True,
    )
    assert (user.phone_verified, user.unread_notifications) == (False, 0)
    assert not user.groups.exists() and not user.user_permissions.exists()


@covers("account_settings")
@pytest.mark.django_db
def test_account_settings_change_only_name_time_zone_and_data_saver(learner, other_learner):
    before = user_row(learner.user)
    response = learner.client.post(
        reverse("account_settings"),
        {
            "name": "Siti Aminah Baru",
            "timezone": "Asia/Jayapura",
            **ROLE_FIELDS,
            "is_learner": "",
            "phone": other_learner.user.phone,
            "email": "baru@example.com",
            "password": "x",
            "id": other_learner.user.pk,
            "pk": other_learner.user.pk,
        },
    )
    assert response.status_code == 302
    after = user_row(learner.user)
    changed = {k for k in after if after[k] != before[k]}
    assert changed == {"name", "timezone", "data_saver"}
    assert after["data_saver"] is False  # the unticked box; everything else as it was


@covers("business_profile")
@pytest.mark.django_db
def test_the_business_profile_form_saves_only_ones_own_profile(learner, other_learner, mentor):
    theirs = rows(BusinessProfile)["users.BusinessProfile"]
    other_before = [p for p in theirs if p["user_id"] == other_learner.user.pk]
    data = {
        "business_name": "Warung Baru",
        "sector": "kuliner",
        "city": "Bandung",
        "province": "jabar",
        "year_started": 2020,
        "workers": 3,
        "user": other_learner.user.pk,
        "user_id": other_learner.user.pk,
        "id": other_learner.user.business_profile.pk,
    }
    assert learner.client.post(reverse("business_profile"), data).status_code == 302
    # someone without a profile yet gets their own, not another's
    assert mentor.client.post(reverse("business_profile"), data).status_code == 302
    profiles = rows(BusinessProfile)["users.BusinessProfile"]
    assert [p for p in profiles if p["user_id"] == other_learner.user.pk] == other_before
    assert BusinessProfile.objects.get(user=learner.user).business_name == "Warung Baru"
    assert BusinessProfile.objects.get(user=mentor.user).business_name == "Warung Baru"
    assert BusinessProfile.objects.count() == 3


@covers("mentoring:learner_needs")
@pytest.mark.django_db
def test_learner_needs_are_saved_for_oneself_only_and_choose_no_mentor(
    learner, other_learner, other_mentor
):
    LearnerNeeds.objects.create(user=other_learner.user, language="jv")
    response = learner.client.post(
        reverse("mentoring:learner_needs"),
        {
            "language": "su",
            "preferred_mode": "online",
            "user": other_learner.user.pk,
            "id": LearnerNeeds.objects.get(user=other_learner.user).pk,
            "mentor": other_mentor.user.pk,
            "cohort": "1",
            **ROLE_FIELDS,
        },
    )
    assert response.status_code == 302
    assert LearnerNeeds.objects.get(user=other_learner.user).language == "jv"
    assert LearnerNeeds.objects.get(user=learner.user).language == "su"
    assert not User.objects.get(pk=learner.user.pk).is_staff
    assert not Pairing.objects.exists()


@covers("mentoring:mentor_profile")
@pytest.mark.django_db
def test_the_mentor_profile_form_saves_only_ones_own_profile(mentor, other_mentor):
    MentorProfile.objects.create(user=other_mentor.user, modes=["in_person"], capacity=3)
    other_before = rows(MentorProfile)
    response = mentor.client.post(
        reverse("mentoring:mentor_profile"),
        {
            "modes": ["online"],
            "capacity": 20,
            "cities": "Bandung",
            "user": other_mentor.user.pk,
            "id": MentorProfile.objects.get(user=other_mentor.user).pk,
            "is_active": "",
            **ROLE_FIELDS,
        },
    )
    assert response.status_code == 302
    assert [
        p
        for p in rows(MentorProfile)["mentoring.MentorProfile"]
        if p["user_id"] == other_mentor.user.pk
    ] == [
        p for p in other_before["mentoring.MentorProfile"] if p["user_id"] == other_mentor.user.pk
    ]
    own = MentorProfile.objects.get(user=mentor.user)
    assert (own.capacity, own.is_active) == (20, True)
    assert not User.objects.get(pk=mentor.user.pk).is_staff


@covers("notifications:preferences")
@pytest.mark.django_db
def test_notification_preferences_are_saved_for_oneself_only(learner, other_learner):
    NotificationPreference.objects.create(user=other_learner.user, whatsapp=True)
    before = rows(NotificationPreference)["notifications.NotificationPreference"]
    response = learner.client.post(
        reverse("notifications:preferences"),
        {
            "email": "",
            "whatsapp": "",
            "quiet_start": "22:00",
            "quiet_end": "06:00",
            "user": other_learner.user.pk,
            "id": before[0]["id"],
        },
    )
    assert response.status_code == 302
    after = rows(NotificationPreference)["notifications.NotificationPreference"]
    assert [p for p in after if p["user_id"] == other_learner.user.pk] == before
    assert NotificationPreference.objects.get(user=learner.user).whatsapp is False


@covers("notifications:mark_all_read")
@pytest.mark.django_db
def test_marking_notifications_read_with_another_user_in_the_body_marks_only_ones_own(
    learner, other_learner
):
    theirs = Notification.objects.create(user=other_learner.user, text="Sesi besok")
    User.objects.filter(pk=other_learner.user.pk).update(unread_notifications=1)
    Notification.objects.create(user=learner.user, text="Tugas dinilai")
    response = learner.client.post(
        reverse("notifications:mark_all_read"), {"user": other_learner.user.pk}
    )
    assert response.status_code == 302
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert User.objects.get(pk=other_learner.user.pk).unread_notifications == 1
    assert not Notification.objects.filter(user=learner.user, read_at__isnull=True).exists()


@covers("privacy:export_request")
@pytest.mark.django_db
def test_a_data_export_request_with_another_user_in_the_body_is_for_oneself(learner, other_learner):
    response = learner.client.post(
        reverse("privacy:export_request"), {"user": other_learner.user.pk, "status": "ready"}
    )
    assert response.status_code == 302
    assert list(DataExport.objects.values_list("user_id", "status")) == [
        (learner.user.pk, DataExport.Status.PENDING)
    ]


@covers("privacy:consent_withdraw")
@pytest.mark.django_db
def test_withdrawing_consent_with_another_user_in_the_body_withdraws_only_ones_own(
    learner, other_learner
):
    from django.conf import settings

    for person in (learner.user, other_learner.user):
        Consent.objects.create(
            user=person,
            document=Consent.Document.PRIVACY,
            version=settings.PRIVACY_NOTICE_VERSION,
            channel=Consent.Channel.SIGNUP,
        )
    response = learner.client.post(
        reverse("privacy:consent_withdraw"), {"user": other_learner.user.pk}
    )
    assert response.status_code == 302
    assert Consent.objects.get(user=other_learner.user).withdrawn_at is None
    assert Consent.objects.get(user=learner.user).withdrawn_at is not None


@covers("privacy:account_delete")
@pytest.mark.django_db
def test_deleting_ones_account_with_another_user_in_the_body_deletes_only_ones_own(
    learner, other_learner
):
    other_before = user_row(other_learner.user)
    response = other_learner.client.post(
        reverse("privacy:account_delete"),
        {"password": PASSWORD, "confirm": "HAPUS", "user": learner.user.pk, "id": learner.user.pk},
    )
    assert response.status_code == 302
    assert user_row(other_learner.user) != other_before  # erased
    assert learner.client.get(reverse("account_settings")).status_code == 200
    assert User.objects.get(pk=learner.user.pk).name == "Siti Aminah"


def signed_in_by_password(user):
    """A client signed in through the sign-in form that has just typed the password again,
    so pages asking for it first (e-mail addresses) act at once."""
    client = Client()
    response = client.post(reverse("account_login"), {"login": user.phone, "password": PASSWORD})
    assert response.status_code == 302
    response = client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert response.status_code == 302
    return client


@covers("usersessions_list")
@pytest.mark.django_db
def test_ending_other_sessions_ends_only_ones_own(learner, other_learner):
    """The form has no ids: posting someone's user or session ids ends the poster's other
    sessions only."""
    elsewhere = signed_in_by_password(other_learner.user)
    settings_page = reverse("account_settings")
    response = signed_in_by_password(other_learner.user).post(
        reverse("usersessions_list"), {"user": learner.user.pk, "sessions": ["1", "2", "3"]}
    )
    assert response.status_code == 302
    assert learner.client.get(settings_page).status_code == 200
    # the control: the poster's own other session has ended
    assert elsewhere.get(settings_page).status_code == 302


@covers("account_email")
@pytest.mark.django_db
def test_removing_another_persons_e_mail_address_changes_nothing(learner, other_learner):
    from allauth.account.models import EmailAddress

    for user, addresses in (
        (learner.user, ["siti@example.com"]),
        (other_learner.user, ["dewi@example.com", "dewi.lama@example.com"]),
    ):
        User.objects.filter(pk=user.pk).update(email=addresses[0])
        for number, address in enumerate(addresses):
            EmailAddress.objects.create(
                user=user, email=address, verified=True, primary=number == 0
            )
    client = signed_in_by_password(other_learner.user)
    before = rows(EmailAddress)

    response = client.post(
        reverse("account_email"), {"action_remove": "", "email": "siti@example.com"}
    )
    assert response.status_code in {200, 302}
    assert rows(EmailAddress) == before
    assert User.objects.get(pk=learner.user.pk).email == "siti@example.com"
    # the control: one's own second address goes
    control = client.post(
        reverse("account_email"), {"action_remove": "", "email": "dewi.lama@example.com"}
    )
    assert control.status_code == 302
    assert set(EmailAddress.objects.values_list("email", flat=True)) == {
        "siti@example.com",
        "dewi@example.com",
    }


@covers("language_switch")
@pytest.mark.django_db
def test_switching_language_changes_nothing_but_the_language(learner):
    before = user_row(learner.user)
    response = learner.client.post(
        reverse("language_switch"), {"language": "en", "next": "/", **ROLE_FIELDS}
    )
    assert response.status_code == 302
    after = user_row(learner.user)
    assert {k for k in after if after[k] != before[k]} == {"language"}


@covers("courses:enrol")
@pytest.mark.django_db
def test_enrolling_with_another_user_or_progress_in_the_body_enrols_only_oneself_at_zero(
    other_learner, world
):
    before = rows(Enrollment)
    response = other_learner.client.post(
        reverse("courses:enrol", args=[world.course.slug]),
        {
            "user": world.learner.pk,
            "enrollment": world.enrollment.pk,
            "progress_percent": "100",
            "completed_lessons": "9",
            "completed_at": "2026-01-01T00:00",
            "source": "cohort",
        },
    )
    assert response.status_code == 302
    after = rows(Enrollment)["courses.Enrollment"]
    kept = [e for e in after if e["id"] in {b["id"] for b in before["courses.Enrollment"]}]
    assert kept == before["courses.Enrollment"]
    new = Enrollment.objects.get(user=other_learner.user)
    assert (new.progress_percent, new.completed_lessons, new.completed_at, new.source) == (
        0,
        0,
        None,
        Enrollment.Source.SELF,
    )


@pytest.mark.django_db
def test_completing_a_lesson_with_the_classmates_enrolment_in_the_body_completes_ones_own(
    same_cohort_learner, world
):
    before = learners_data(world.learner)
    response = same_cohort_learner.client.post(
        reverse("courses:lesson_complete", args=[world.course.slug, world.reading.pk]),
        {"enrollment": world.enrollment.pk, "user": world.learner.pk, "completed_at": "2026-01-01"},
    )
    assert response.status_code == 302
    assert learners_data(world.learner) == before
    assert LessonProgress.objects.filter(
        enrollment__user=same_cohort_learner.user, lesson=world.reading, completed_at__isnull=False
    ).exists()


@pytest.mark.django_db
def test_a_quiz_submit_with_score_passed_or_enrolment_fields_scores_only_the_answers(
    same_cohort_learner, world
):
    before = rows(QuizAttempt)
    theirs = learners_data(world.learner)
    data = {
        f"q{question}": [str(o) for o in options]
        for question, options in wrong_answers(world.quiz).items()
    }
    data.update(
        {
            "idempotency_key": str(uuid.uuid4()),
            "score": "100",
            "passed": "on",
            "enrollment": world.enrollment.pk,
            "user": world.learner.pk,
            "lesson": world.reading.pk,
            "completed_at": "2026-01-01T00:00",
            "progress_percent": "100",
        }
    )
    response = same_cohort_learner.client.post(
        reverse("courses:quiz_submit", args=[world.course.slug, world.quiz.pk]), data
    )
    assert response.status_code == 302
    attempt = QuizAttempt.objects.exclude(
        pk__in=[a["id"] for a in before["courses.QuizAttempt"]]
    ).get()
    assert (attempt.enrollment.user, attempt.lesson, attempt.score, attempt.passed) == (
        same_cohort_learner.user,
        world.quiz,
        0,
        False,
    )
    # a failed attempt: the classmate's own progress stays where it was
    enrollment = Enrollment.objects.get(pk=world.peer_enrollment.pk)
    assert (enrollment.completed_at, enrollment.progress_percent) == (
        None,
        world.peer_enrollment.progress_percent,
    )
    assert learners_data(world.learner) == theirs


@pytest.mark.django_db
def test_a_task_submit_with_review_fields_is_a_plain_submission_of_ones_own(
    same_cohort_learner, world
):
    before = rows(TaskSubmission)["courses.TaskSubmission"]
    theirs = learners_data(world.learner)
    response = same_cohort_learner.client.post(
        reverse("courses:task_submit", args=[world.course.slug, world.task.pk]),
        {
            "text": "Foto etalase",
            "idempotency_key": str(uuid.uuid4()),
            "status": "approved",
            "feedback": "Bagus sekali",
            "reviewed_by": world.staff.pk,
            "reviewed_at": "2026-01-01T00:00",
            "enrollment": world.enrollment.pk,
            "user": world.learner.pk,
            "lesson": world.quiz.pk,
        },
    )
    assert response.status_code == 302
    assert learners_data(world.learner) == theirs
    new = TaskSubmission.objects.exclude(pk__in=[s["id"] for s in before]).get()
    assert (new.enrollment.user, new.lesson, new.status, new.feedback, new.reviewed_by) == (
        same_cohort_learner.user,
        world.task,
        TaskSubmission.Status.SUBMITTED,
        "",
        None,
    )


@pytest.mark.django_db
def test_a_review_records_the_reviewer_who_posted_it(staff, world):
    response = staff.client.post(
        reverse("courses:review_submission", args=[world.submission.pk]),
        {
            "decision": "revise",
            "feedback": "Tambahkan harga",
            "reviewed_by": world.other_staff.pk,
            "status": "approved",
            "enrollment": world.peer_enrollment.pk,
        },
    )
    assert response.status_code == 302
    submission = TaskSubmission.objects.get(pk=world.submission.pk)
    assert (submission.status, submission.reviewed_by, submission.enrollment) == (
        TaskSubmission.Status.NEEDS_REVISION,
        staff.user,
        world.enrollment,
    )


@pytest.mark.django_db
def test_a_logged_session_belongs_to_the_urls_pairing_and_its_mentor(mentor, world):
    before = {s.pk for s in MentoringSession.objects.all()}
    response = mentor.client.post(
        reverse("mentoring:session_log", args=[world.pairing.pk]),
        session_log_data(
            pairing=world.peer_pairing.pk,
            logged_by=world.staff.pk,
            learner_confirmed_at="2026-01-01T00:00",
            rating="5",
            rating_comment="Bagus",
            created_at="2020-01-01T00:00",
        ),
    )
    assert response.status_code == 302
    session = MentoringSession.objects.exclude(pk__in=before).get()
    assert (session.pairing, session.logged_by, session.learner_confirmed_at, session.rating) == (
        world.pairing,
        mentor.user,
        None,
        None,
    )
    assert session.rating_comment == ""
    assert timezone.now() - session.created_at < timedelta(minutes=5)


@pytest.mark.django_db
def test_correcting_a_session_cannot_move_it_or_rate_it(mentor, world):
    before = MentoringSession.objects.filter(pk=world.mentoring_session.pk).values().get()
    response = mentor.client.post(
        reverse("mentoring:session_edit", args=[world.mentoring_session.pk]),
        session_log_data(
            summary="Dibetulkan",
            pairing=world.peer_pairing.pk,
            logged_by=world.staff.pk,
            learner_confirmed_at="2026-01-01T00:00",
            rating="5",
            rating_comment="Bagus",
        ),
    )
    assert response.status_code == 302
    after = MentoringSession.objects.filter(pk=world.mentoring_session.pk).values().get()
    changed = {k for k in after if after[k] != before[k]}
    assert changed <= {
        "held_at",
        "duration_minutes",
        "mode",
        "summary",
        "private_notes",
        "next_planned_at",
    }
    assert after["summary"] == "Dibetulkan"


@pytest.mark.django_db
def test_confirming_a_session_sets_only_the_confirmation_and_rating(learner, world):
    before = MentoringSession.objects.filter(pk=world.mentoring_session.pk).values().get()
    response = learner.client.post(
        reverse("mentoring:session_confirm", args=[world.mentoring_session.pk]),
        {
            "rating": "4",
            "comment": "Membantu",
            "summary": "Diubah peserta",
            "private_notes": "Dibaca peserta",
            "pairing": world.peer_pairing.pk,
            "mentor": world.other_mentor.pk,
            "duration_minutes": "600",
        },
    )
    assert response.status_code == 302
    assert Pairing.objects.get(pk=world.pairing.pk).mentor == world.mentor
    after = MentoringSession.objects.filter(pk=world.mentoring_session.pk).values().get()
    assert {k for k in after if after[k] != before[k]} == {
        "learner_confirmed_at",
        "rating",
        "rating_comment",
    }


@covers("cohorts:cohort_create")
@pytest.mark.django_db
def test_a_new_cohort_belongs_to_whoever_created_it(staff, world):
    response = staff.client.post(
        reverse("cohorts:cohort_create"),
        cohort_form_data(
            world.cohort,
            name="Angkatan Baru",
            owner=world.other_staff.pk,
            owner_id=world.other_staff.pk,
            created_at="2020-01-01T00:00",
        ),
    )
    assert response.status_code == 302
    cohort = Cohort.objects.get(name="Angkatan Baru")
    assert cohort.owner == staff.user
    assert timezone.now() - cohort.created_at < timedelta(minutes=5)


@pytest.mark.django_db
def test_editing_a_cohort_cannot_hand_it_to_another_owner(staff, world):
    response = staff.client.post(
        reverse("cohorts:cohort_edit", args=[world.cohort.pk]),
        cohort_form_data(world.cohort, owner=world.other_staff.pk, owner_id=world.other_staff.pk),
    )
    assert response.status_code == 302
    assert Cohort.objects.get(pk=world.cohort.pk).owner == staff.user
    assert list(Cohort.objects.filter(owner=world.other_staff)) == [world.other_cohort]


@covers("invite_person")
@pytest.mark.django_db
def test_inviting_a_person_with_role_fields_makes_neither_staff_nor_superuser(staff):
    response = staff.client.post(
        reverse("invite_person"),
        {"name": "Ani Wijaya", "phone": "0812 7777 8888", **ROLE_FIELDS, "role": "learner"},
    )
    assert response.status_code == 200
    person = User.objects.get(phone="+6281277778888")
    assert (person.is_staff, person.is_superuser, person.is_mentor, person.is_learner) == (
        False,
        False,
        False,
        True,
    )
    refused = staff.client.post(
        reverse("invite_person"), {"name": "Budi", "phone": "0812 7777 9999", "role": "staff"}
    )
    assert refused.status_code == 200
    assert "role" in refused.context["form"].errors
    assert not User.objects.filter(phone="+6281277779999").exists()


@covers("invitation_accept")
@pytest.mark.django_db
def test_accepting_an_invitation_with_role_fields_only_sets_the_password(staff, anonymous, world):
    from ukmlearn.users import services

    _invitation, token = services.invitation_create(user=world.unclaimed, created_by=staff.user)
    anonymous.client.get(reverse("invitation_open", args=[token]))
    before = user_row(world.unclaimed)
    response = anonymous.client.post(
        reverse("invitation_accept"),
        {
            "password1": "Kopi-Susu-Gula-Aren",
            "password2": "Kopi-Susu-Gula-Aren",
            "consent": "on",
            **ROLE_FIELDS,
            "user": world.learner.pk,
            "phone": world.learner.phone,
            "name": "Nama Lain",
        },
    )
    assert response.status_code == 302
    after = user_row(world.unclaimed)
    assert {k for k in after if after[k] != before[k]} == {
        "password",
        "phone_verified",
        "last_login",
    }
    assert user_row(world.learner)["phone"] == world.learner.phone
