"""Every URL of the project × every persona → the expected status of a GET.

Ten personas: the visitor, `learner`, `other_learner`, `same_cohort_learner` (a classmate
of `learner` with objects of their own), `mentor` (of both classmates), `other_mentor`,
`staff` (who owns the cohort), `other_staff`, `partner` (a funder's reader) and `superuser`.

A new URL pattern without an entry here fails test_every_url_has_an_entry: decide who may
see it before shipping it. Every object URL is also asked for with a made-up id, which must
get the same 404 as someone else's object. POSTs, with other people's ids in the URL or the
body and with fields forms do not have, are in tests/test_access_writes.py; object URLs
also get outsider tests next to their feature.
"""

from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import BusinessProfileFactory, UserFactory
from tests.list_urls import iter_patterns


def _signed_in(user):
    """A persona like those of tests/conftest.py: the user and a client signed in as them."""
    client = Client()
    client.force_login(user)
    return SimpleNamespace(user=user, client=client)


def new_classmate():
    """A learner of `learner`'s cohort, enrolled in the same course, with objects of their
    own (build_access_world gives them): being a classmate opens none of `learner`'s."""
    user = UserFactory(name="Ayu Pertiwi")
    BusinessProfileFactory(user=user)
    return _signed_in(user)


def new_superuser():
    """The platform's superuser: staff of every cohort (cohort_for_staff, mentor_visible_to,
    evidence_for_user and report_cohorts let a superuser in wherever staff go)."""
    return _signed_in(
        UserFactory(name="Agus Salim", is_staff=True, is_superuser=True, is_learner=False)
    )


@pytest.fixture
def same_cohort_learner(db):
    return new_classmate()


@pytest.fixture
def superuser(db):
    return new_superuser()


@pytest.fixture
def all_personas(personas, same_cohort_learner, superuser):
    return {**personas, "same_cohort_learner": same_cohort_learner, "superuser": superuser}


def build_course_world(*, learner):
    """tests.courses.builders.build_world with small images: who may open them does not depend
    on their size, and resizing big images for every one of the matrix's worlds was a third
    of its time."""
    from tests.courses.builders import build_world

    return build_world(learner=learner, photo_size=SMALL, picture_size=SMALL)


SMALL = (64, 48)  # pixels of every photo and picture in the world


def build_access_world(*, learner, same_cohort_learner, staff, mentor, partner):
    """build_course_world's course, plus a running cohort owned by `staff` with `learner` and
    `same_cohort_learner` in it, shared with `partner`'s organisation. Each of the two
    learners has an attempt, a submission with a photo, a started baseline survey with an
    evidence photo, an issued certificate, a ready data export and an active pairing with
    `mentor` (one logged session with one action item). The classmate's objects are the
    `peer_*` attributes."""
    from datetime import timedelta

    from django.utils import timezone

    from cohorts.models import Cohort, LiveSession, Membership
    from cohorts.services.members import cohort_members_add

    w = build_course_world(learner=learner.user)
    w.learner = learner.user
    w.peer = same_cohort_learner.user
    today = timezone.localdate()
    w.cohort = Cohort.objects.create(
        name="Angkatan 1 Bandung",
        programme="Program Digital UMKM",
        # Running around today, so its baseline survey is open whenever the suite runs.
        start_date=today - timedelta(days=20),
        end_date=today + timedelta(days=40),
        province="jabar",
        owner=staff.user,
        status=Cohort.Status.RUNNING,
    )
    w.cohort.courses.add(w.course)
    cohort_members_add(
        cohort=w.cohort, user_ids=[learner.user.pk, w.peer.pk], role=Membership.Role.LEARNER
    )
    partner.org.cohorts.add(w.cohort)
    now = timezone.now()
    w.session = LiveSession.objects.create(
        cohort=w.cohort,
        title="Kelas tatap muka",
        starts_at=now,
        ends_at=now + timedelta(hours=2),
        venue="Balai Desa",
    )
    from mentoring.models import MentorProfile

    cohort_members_add(cohort=w.cohort, user_ids=[mentor.user.pk], role=Membership.Role.MENTOR)
    MentorProfile.objects.create(user=mentor.user, modes=["online"])
    own = _learner_objects(w, learner.user, mentor.user, number=1, code="kode-uji-sertifikat")
    for name, value in own.items():
        setattr(w, name, value)
    peer = _learner_objects(w, w.peer, mentor.user, number=2, code="kode-uji-teman")
    peer_enrollment = peer["enrollment"]
    # The classmate's practice work: their own attempt and submission, next to `learner`'s.
    import uuid

    from courses.services import practice, quizzes
    from tests.courses.builders import photo_upload, wrong_answers

    w.peer_attempt, _ = quizzes.quiz_submit(
        enrollment=peer_enrollment,
        lesson=w.quiz,
        answers=wrong_answers(w.quiz),
        idempotency_key=uuid.uuid4(),
    )
    w.peer_submission, _ = practice.task_submit(
        enrollment=peer_enrollment,
        lesson=w.task,
        text="Katalog teman",
        link="",
        photos=[photo_upload(size=SMALL)],
        idempotency_key=uuid.uuid4(),
    )
    w.peer_photo = w.peer_submission.photos.get()
    peer_enrollment.refresh_from_db()
    for name, value in peer.items():
        setattr(w, f"peer_{name}", value)
    return w


def _learner_objects(w, user, mentor, *, number, code):
    """One learner's survey response (with evidence), certificate, data export and pairing
    with `mentor` in w.cohort (a session, an action item)."""
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from courses.models import Certificate, Enrollment
    from mentoring.models import ActionItem, MentoringSession, Pairing
    from outcomes.models import Survey, Wave
    from outcomes.services.responses import response_save
    from tests.courses.builders import photo_upload
    from ukmlearn.privacy.models import DataExport

    now = timezone.now()
    enrollment = Enrollment.objects.get(user=user, course=w.course)
    # A draft baseline with a photo of the shop (the photo question is "presence").
    survey = Survey.objects.get(is_default=True)
    presence = survey.questions.get(core_key="presence")
    response = response_save(
        user=user,
        cohort=w.cohort,
        wave=Wave.BASELINE,
        survey=survey,
        raw_answers={str(presence.pk): ["wa_catalog"]},
        photos={presence.pk: photo_upload(size=SMALL)},
        send=False,
    )
    certificate = Certificate(
        enrollment=enrollment,
        code=code,
        name=user.name,
        number=f"UKM-2026-{number:06d}",
        status=Certificate.Status.ISSUED,
        issued_on=now.date(),
    )
    certificate.pdf.save("uji.pdf", ContentFile(b"%PDF-1.4 uji"), save=False)
    certificate.png.save("uji.png", ContentFile(b"png"), save=False)
    certificate.save()
    pairing = Pairing.objects.create(
        cohort=w.cohort,
        mentor=mentor,
        learner=user,
        status=Pairing.Status.ACTIVE,
        started_at=now,
    )
    mentoring_session = MentoringSession.objects.create(
        pairing=pairing, summary="Ringkasan", private_notes="Catatan pribadi"
    )
    action_item = ActionItem.objects.create(
        session=mentoring_session, text="Foto produk", due_date=now.date()
    )
    data_export = DataExport(user=user, status=DataExport.Status.READY, finished_at=now, bytes=3)
    data_export.file.save("export.zip", ContentFile(b"zip"), save=True)
    return {
        "enrollment": enrollment,
        "response": response,
        "evidence": response.evidence.get(),
        "certificate": certificate,
        "pairing": pairing,
        "mentoring_session": mentoring_session,
        "action_item": action_item,
        "data_export": data_export,
    }


@pytest.fixture
def world(learner, same_cohort_learner, staff, mentor, partner):
    return build_access_world(
        learner=learner,
        same_cohort_learner=same_cohort_learner,
        staff=staff,
        mentor=mentor,
        partner=partner,
    )


PERSONAS = [
    "anonymous",
    "learner",
    "other_learner",
    "same_cohort_learner",
    "mentor",
    "other_mentor",
    "staff",
    "other_staff",
    "partner",
    "superuser",
]


def row(
    anonymous,
    learner,
    mentor,
    staff,
    *,
    partner,
    other_learner=None,
    same_cohort_learner=None,
    other_mentor=None,
    other_staff=None,
    superuser=None,
):
    """learner/mentor/staff stand for their "other" twin too, unless given separately.

    partner (a funder's reader, not a learner, mentor or staff) has no default: every row
    decides it. A partner reads aggregates only: 404 on every page or object of a learner,
    mentor or staff member; pages open to any signed-in person (their own account) are open
    to a partner as well.

    same_cohort_learner (a classmate of `learner`: same cohort, same course) gets what
    other_learner gets unless given: sharing a cohort opens none of `learner`'s objects.
    Rows where the cohort membership or the enrolment itself opens the page (lessons,
    check-in, the cohort's survey) say so.

    superuser gets what staff (the cohort's owner, not other_staff) gets unless given: a
    superuser is staff of every cohort. Object rows give both columns explicitly."""
    other_learner = learner if other_learner is None else other_learner
    return {
        "other_staff": staff if other_staff is None else other_staff,
        "anonymous": anonymous,
        "learner": learner,
        "other_learner": other_learner,
        "same_cohort_learner": (
            other_learner if same_cohort_learner is None else same_cohort_learner
        ),
        "mentor": mentor,
        "other_mentor": mentor if other_mentor is None else other_mentor,
        "staff": staff,
        "partner": partner,
        "superuser": staff if superuser is None else superuser,
    }


EVERYONE = row(200, 200, 200, 200, partner=200)
SIGNED_IN = row(302, 200, 200, 200, partner=200)  # anonymous visitors go to the sign-in page
STAFF_ONLY = row(302, 404, 404, 200, partner=404)
SIGNED_OUT_ONLY = row(200, 302, 302, 302, partner=302)  # signed-in people are sent home
REDIRECT_ALL = row(302, 302, 302, 302, partner=302)  # a step that needs a flow in progress
GONE = row(410, 410, 410, 410, partner=410)
POST_ONLY = row(405, 405, 405, 405, partner=405)
SIGNED_IN_POST_ONLY = row(302, 405, 405, 405, partner=405)
# Objects that belong to `learner`: only they and the staff who own their cohort may see
# them; everyone else 404 (their classmate and other staff too).
LEARNERS_OWN = row(
    302,
    200,
    404,
    200,
    other_learner=404,
    same_cohort_learner=404,
    other_staff=404,
    superuser=200,
    partner=404,
)
# A learner's practice-task submission: also their active mentor, nobody else's (the
# classmate has the same mentor, yet not the same rights).
SUBMISSION = row(
    302,
    200,
    200,
    200,
    other_learner=404,
    same_cohort_learner=404,
    other_mentor=404,
    other_staff=404,
    superuser=200,
    partner=404,
)
# Pages of a cohort owned by `staff`: other staff get 404 like everyone else (the partner
# the cohort is shared with too: it reads the aggregate report, not the cohort). The
# superuser owns every cohort.
COHORT_OWNER = row(302, 404, 404, 200, other_staff=404, superuser=200, partner=404)
# GET on a POST-only cohort URL: 405 for any staff (the POST itself is checked for ownership
# in tests/test_access_writes.py and tests/cohorts).
COHORT_OWNER_POST = row(302, 404, 404, 405, partner=404)
# The outcome report: staff (their own cohorts; other staff see an empty report) and the
# partner the cohort is shared with; learners and mentors 404.
REPORT_READERS = row(302, 404, 404, 200, partner=200)
# A pairing of `mentor` with `learner`: that mentor, the cohort's owner and the superuser;
# the classmate (mentored by the same mentor) no more than anyone else.
MENTEES_PAIRING = row(
    302,
    404,
    200,
    200,
    other_mentor=404,
    other_staff=404,
    same_cohort_learner=404,
    superuser=200,
    partner=404,
)
# Two-factor pages about an authenticator nobody in the matrix has set up.
NO_AUTHENTICATOR = row(302, 404, 404, 404, partner=404)
# Staff and mentors have a TOTP authenticator (required, ukmlearn.security); learners and the
# partner have none.
TOTP_HOLDERS = row(302, 404, 302, 302, partner=404)

# name -> (kwargs for reverse, or a function of the `world` fixture giving them; statuses)
MATRIX = {
    # a partner's whole view of the platform is the report: sent there
    "home": ({}, row(302, 200, 200, 200, partner=302)),
    "privacy": ({}, EVERYONE),
    # the installable, offline-capable shell: nothing personal in any of them
    "service_worker": ({}, EVERYONE),
    "web_manifest": ({}, EVERYONE),
    "offline": ({}, EVERYONE),
    "business_profile": ({}, SIGNED_IN),
    "account_settings": ({}, SIGNED_IN),
    "language_switch": ({}, POST_ONLY),
    "invite_person": ({}, STAFF_ONLY),
    # personal data (UU PDP): one's own only; the audit log is for staff
    "privacy:my_data": ({}, SIGNED_IN),
    "privacy:export_request": ({}, SIGNED_IN_POST_ONLY),
    "privacy:export_download": (
        lambda w: {"export_id": w.data_export.pk},
        # one's own download only: not staff's, not even the superuser's
        row(
            302,
            200,
            404,
            404,
            other_learner=404,
            same_cohort_learner=404,
            superuser=404,
            partner=404,
        ),
    ),
    "privacy:consent_withdraw": ({}, SIGNED_IN_POST_ONLY),
    "privacy:account_delete": ({}, SIGNED_IN),
    "privacy:audit_log": ({}, STAFF_ONLY),
    "invitation_accept": ({}, GONE),
    "invitation_open": ({"token": "not-a-real-token"}, GONE),
    "phone_reset_request": ({}, EVERYONE),
    "phone_reset_confirm": ({}, REDIRECT_ALL),
    # allauth
    "account_login": ({}, SIGNED_OUT_ONLY),
    "account_signup": ({}, SIGNED_OUT_ONLY),
    "account_logout": ({}, row(302, 200, 200, 200, partner=200)),
    "account_inactive": ({}, EVERYONE),
    "account_reauthenticate": ({}, SIGNED_IN),
    "account_email": ({}, SIGNED_IN),
    "account_email_verification_sent": ({}, EVERYONE),
    "account_change_password": ({}, SIGNED_IN),
    "account_set_password": ({}, REDIRECT_ALL),
    "account_reset_password": ({}, EVERYONE),
    "account_confirm_login_code": ({}, REDIRECT_ALL),
    "account_confirm_email": ({"key": "not-a-real-key"}, EVERYONE),
    "account_verify_phone": ({}, REDIRECT_ALL),  # everyone here is verified already
    "account_change_phone": ({}, SIGNED_IN),
    "account_confirm_password_reset_code": ({}, REDIRECT_ALL),
    "account_complete_password_reset": ({}, REDIRECT_ALL),
    "account_password_reset_completed": ({}, EVERYONE),
    # allauth.mfa and allauth.usersessions (issue 9)
    "mfa_index": ({}, SIGNED_IN),
    # setting up or changing two-factor asks for the password again first
    "mfa_activate_totp": ({}, REDIRECT_ALL),
    # turning two-factor off asks for the password again first (staff and mentors have it)
    "mfa_deactivate_totp": ({}, TOTP_HOLDERS),
    "mfa_authenticate": ({}, REDIRECT_ALL),
    # asking for the code again: for people who have two-factor, a page; others are sent on
    "mfa_reauthenticate": ({}, row(302, 302, 200, 200, partner=302)),
    "mfa_view_recovery_codes": ({}, NO_AUTHENTICATOR),
    "mfa_generate_recovery_codes": ({}, REDIRECT_ALL),
    "mfa_download_recovery_codes": ({}, NO_AUTHENTICATOR),
    "usersessions_list": ({}, SIGNED_IN),
    # courses (the course is published; `learner` is enrolled, nobody else is)
    "courses:course_list": ({}, EVERYONE),
    "courses:course_detail": (lambda w: {"slug": w.course.slug}, EVERYONE),
    "courses:enrol": (lambda w: {"slug": w.course.slug}, SIGNED_IN_POST_ONLY),
    "courses:continue": (lambda w: {"slug": w.course.slug}, REDIRECT_ALL),
    "courses:lesson_detail": (
        lambda w: {"slug": w.course.slug, "lesson_id": w.reading.pk},
        # not enrolled (partner too): sent to the public course page to enrol; staff: preview;
        # the classmate is enrolled through the cohort
        row(
            302,
            200,
            302,
            200,
            other_learner=302,
            same_cohort_learner=200,
            superuser=200,
            partner=302,
        ),
    ),
    "courses:lesson_complete": (
        lambda w: {"slug": w.course.slug, "lesson_id": w.reading.pk},
        SIGNED_IN_POST_ONLY,
    ),
    "courses:quiz_submit": (
        lambda w: {"slug": w.course.slug, "lesson_id": w.quiz.pk},
        SIGNED_IN_POST_ONLY,
    ),
    "courses:task_submit": (
        lambda w: {"slug": w.course.slug, "lesson_id": w.task.pk},
        SIGNED_IN_POST_ONLY,
    ),
    "courses:lesson_media": (
        lambda w: {"slug": w.course.slug, "lesson_id": w.file_lesson.pk},
        # the course's file: enrolled learners (the classmate too) and staff previewing
        row(
            302,
            200,
            404,
            200,
            other_learner=404,
            same_cohort_learner=200,
            superuser=200,
            partner=404,
        ),
    ),
    # what "Save for reading offline" downloads: only for the enrolled learner
    "courses:module_pack": (
        lambda w: {"slug": w.course.slug, "module_id": w.reading.module_id},
        row(
            302,
            200,
            404,
            404,
            other_learner=404,
            same_cohort_learner=200,
            superuser=404,
            partner=404,
        ),
    ),
    "courses:attempt_detail": (lambda w: {"attempt_id": w.attempt.pk}, LEARNERS_OWN),
    "courses:submission_detail": (lambda w: {"submission_id": w.submission.pk}, SUBMISSION),
    "courses:task_photo": (lambda w: {"photo_id": w.photo.pk}, SUBMISSION),
    "courses:picture_file": (lambda w: {"name": w.picture_name}, EVERYONE),
    "courses:certificate_verify": (lambda w: {"code": w.certificate.code}, EVERYONE),
    "courses:certificate_download": (
        lambda w: {"certificate_id": w.certificate.pk, "fmt": "pdf"},
        LEARNERS_OWN,
    ),
    # staff who own the learner's cohort (other staff: 404, like any stranger)
    "courses:certificate_manage": (lambda w: {"certificate_id": w.certificate.pk}, COHORT_OWNER),
    "courses:review_queue": ({}, STAFF_ONLY),
    "courses:review_submission": (lambda w: {"submission_id": w.submission.pk}, COHORT_OWNER),
    # cohorts (owned by `staff`; `learner` is a member)
    "cohorts:cohort_list": ({}, STAFF_ONLY),
    "cohorts:cohort_create": ({}, STAFF_ONLY),
    "cohorts:cohort_detail": (lambda w: {"cohort_id": w.cohort.pk}, COHORT_OWNER),
    "cohorts:cohort_edit": (lambda w: {"cohort_id": w.cohort.pk}, COHORT_OWNER),
    "cohorts:cohort_learners": (lambda w: {"cohort_id": w.cohort.pk}, COHORT_OWNER),
    "cohorts:cohort_at_risk": (lambda w: {"cohort_id": w.cohort.pk}, COHORT_OWNER),
    "cohorts:cohort_import": (lambda w: {"cohort_id": w.cohort.pk}, COHORT_OWNER),
    "cohorts:cohort_import_commit": (lambda w: {"cohort_id": w.cohort.pk}, COHORT_OWNER_POST),
    "cohorts:cohort_invitations": (lambda w: {"cohort_id": w.cohort.pk}, COHORT_OWNER),
    "cohorts:cohort_invite_member": (
        lambda w: {"cohort_id": w.cohort.pk, "user_id": w.learner.pk},
        COHORT_OWNER_POST,
    ),
    "cohorts:session_create": (lambda w: {"cohort_id": w.cohort.pk}, COHORT_OWNER),
    "cohorts:session_detail": (
        lambda w: {"cohort_id": w.cohort.pk, "session_id": w.session.pk},
        COHORT_OWNER,
    ),
    "cohorts:session_attendance": (
        lambda w: {"cohort_id": w.cohort.pk, "session_id": w.session.pk},
        COHORT_OWNER_POST,
    ),
    "cohorts:export_roster": (lambda w: {"cohort_id": w.cohort.pk}, COHORT_OWNER),
    "cohorts:export_attendance": (lambda w: {"cohort_id": w.cohort.pk}, COHORT_OWNER),
    # mentoring: `mentor` mentors `learner`
    "mentoring:mentor_home": ({}, row(302, 404, 200, 200, partner=404)),
    "mentoring:mentor_profile": ({}, row(302, 404, 200, 200, partner=404)),
    "mentoring:mentee_detail": (
        lambda w: {"pairing_id": w.pairing.pk},
        MENTEES_PAIRING,
    ),
    "mentoring:session_log": (
        lambda w: {"pairing_id": w.pairing.pk},
        MENTEES_PAIRING,
    ),
    "mentoring:session_edit": (
        lambda w: {"session_id": w.mentoring_session.pk},
        MENTEES_PAIRING,
    ),
    "mentoring:review_queue": ({}, row(302, 404, 200, 200, partner=404)),
    # staff review through courses:review_submission; this queue is the mentor's own
    "mentoring:review_submission": (
        lambda w: {"submission_id": w.submission.pk},
        row(302, 404, 200, 404, other_mentor=404, superuser=404, partner=404),
    ),
    "mentoring:learner_mentoring": ({}, SIGNED_IN),
    "mentoring:learner_needs": ({}, SIGNED_IN),
    "mentoring:session_confirm": (
        lambda w: {"session_id": w.mentoring_session.pk},
        SIGNED_IN_POST_ONLY,
    ),
    "mentoring:action_item_done": (lambda w: {"item_id": w.action_item.pk}, SIGNED_IN_POST_ONLY),
    "mentoring:cohort_mentoring": (lambda w: {"cohort_id": w.cohort.pk}, COHORT_OWNER),
    "mentoring:cohort_suggest": (lambda w: {"cohort_id": w.cohort.pk}, COHORT_OWNER_POST),
    "mentoring:cohort_confirm": (lambda w: {"cohort_id": w.cohort.pk}, COHORT_OWNER_POST),
    "mentoring:cohort_weights": (lambda w: {"cohort_id": w.cohort.pk}, COHORT_OWNER_POST),
    "mentoring:proposal_add": (lambda w: {"cohort_id": w.cohort.pk}, COHORT_OWNER_POST),
    "mentoring:proposal_change": (
        lambda w: {"cohort_id": w.cohort.pk, "pairing_id": w.pairing.pk},
        COHORT_OWNER_POST,
    ),
    "mentoring:pairing_reassign": (
        lambda w: {"cohort_id": w.cohort.pk, "pairing_id": w.pairing.pk},
        COHORT_OWNER_POST,
    ),
    "mentoring:cohort_add_mentor": (lambda w: {"cohort_id": w.cohort.pk}, COHORT_OWNER_POST),
    "mentoring:cohort_mentoring_export": (lambda w: {"cohort_id": w.cohort.pk}, COHORT_OWNER),
    # notifications
    "notifications:list": ({}, SIGNED_IN),
    "notifications:mark_all_read": ({}, SIGNED_IN_POST_ONLY),
    "notifications:preferences": ({}, SIGNED_IN),
    "notifications:cohort_rules": (lambda w: {"cohort_id": w.cohort.pk}, COHORT_OWNER),
    # only members of the session's cohort (its mentor sees the details; only learners can
    # check in); staff are not members
    "cohorts:session_checkin": (
        lambda w: {"session_id": w.session.pk},
        row(
            302,
            200,
            200,
            404,
            other_learner=404,
            same_cohort_learner=200,
            other_mentor=404,
            superuser=404,
            partner=404,
        ),
    ),
    # outcomes: `learner` is in the running cohort, whose baseline is open
    "outcomes:survey_list": ({}, SIGNED_IN),  # one's own open surveys (none for non-learners)
    "outcomes:survey_fill": (
        lambda w: {"cohort_id": w.cohort.pk, "wave": "baseline"},
        # only the cohort's learners fill its survey; staff read aggregates, never answers
        row(
            302,
            200,
            404,
            404,
            other_learner=404,
            same_cohort_learner=200,
            superuser=404,
            partner=404,
        ),
    ),
    "outcomes:survey_skip": (lambda w: {"cohort_id": w.cohort.pk}, SIGNED_IN_POST_ONLY),
    "outcomes:evidence_file": (
        lambda w: {"evidence_id": w.evidence.pk},
        # the learner's photo: they and the cohort's owner; other staff and the partner 404
        row(
            302,
            200,
            404,
            200,
            other_learner=404,
            same_cohort_learner=404,
            other_staff=404,
            superuser=200,
            partner=404,
        ),
    ),
    "outcomes:report": ({}, REPORT_READERS),
    "outcomes:report_export": ({}, REPORT_READERS),
}


def project_url_names():
    return {
        name for name, _route, _conv in iter_patterns() if name and not name.startswith("admin:")
    }


def test_every_url_has_an_entry():
    names = project_url_names()
    missing = sorted(names - MATRIX.keys())
    stale = sorted(MATRIX.keys() - names)
    assert not missing, f"URL patterns with no access-matrix entry: {missing}"
    assert not stale, f"access-matrix entries for URLs that no longer exist: {stale}"


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_access(name, all_personas, world):
    kwargs, expected = MATRIX[name]
    if callable(kwargs):
        kwargs = kwargs(world)
    url = reverse(name, kwargs=kwargs)
    got = {persona: all_personas[persona].client.get(url).status_code for persona in PERSONAS}
    assert got == expected


@pytest.mark.django_db
def test_anonymous_is_sent_to_sign_in(anonymous):
    response = anonymous.client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def admin_urls():
    """One concrete URL per admin pattern (object ids filled with a number)."""
    urls = []
    for _name, route, converters in iter_patterns():
        if not route.startswith("admin/") or "(?P<url>" in route:
            continue
        path = route
        for conv in converters:
            path = path.replace(f"<path:{conv}>", "1").replace(f"<{conv}>", "1")
        if "<" in path or "(?P" in path or "^" in path:
            continue
        urls.append("/" + path)
    return sorted(set(urls))


@pytest.mark.django_db
def test_admin_is_closed_to_everyone_but_staff(personas):
    urls = admin_urls()
    assert "/admin/" in urls and len(urls) > 10
    for persona in ["anonymous", "learner", "mentor", "partner"]:
        for url in urls:
            response = personas[persona].client.get(url)
            # Sent to sign in, or (allauth's admin login, signed in) refused outright.
            assert response.status_code in {302, 403}, (persona, url, response.status_code)
            if response.status_code == 302 and url != "/admin/logout/":
                assert "/login/" in response["Location"], (persona, url)
    staff_response = personas["staff"].client.get("/admin/")
    assert staff_response.status_code == 200


@pytest.mark.django_db
def test_admin_login_goes_through_allauth(anonymous):
    response = anonymous.client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.django_db
def test_a_mentor_sees_no_task_from_a_course_outside_the_cohort(mentor, learner, world):
    """The pairing is for the cohort's courses: the mentee's work elsewhere stays theirs."""
    import uuid

    from courses.services import practice, progress
    from tests.courses.builders import CourseFactory, ModuleFactory, add_task

    other_course = CourseFactory(title="Kelas Lain", slug="kelas-lain")
    task = add_task(ModuleFactory(course=other_course), position=0)
    enrollment = progress.enrollment_create(user=learner.user, course=other_course)
    elsewhere, _ = practice.task_submit(
        enrollment=enrollment,
        lesson=task,
        text="Di luar angkatan",
        link="",
        photos=[],
        idempotency_key=uuid.uuid4(),
    )
    for name in ("mentoring:review_submission", "courses:submission_detail"):
        url = reverse(name, kwargs={"submission_id": elsewhere.pk})
        assert mentor.client.get(url).status_code == 404, name
    queue = mentor.client.get(reverse("mentoring:review_queue")).content.decode()
    assert "Di luar angkatan" not in queue and "Kelas Lain" not in queue
    # The cohort's own task stays visible to the mentor.
    own = reverse("mentoring:review_submission", kwargs={"submission_id": world.submission.pk})
    assert mentor.client.get(own).status_code == 200


# --- Missing and "not yours" look alike -------------------------------------------------

MISSING_ID = 987_654_321  # no row of any table has this id


def missing_id_variants(name, kwargs):
    """kwargs with one id at a time replaced by MISSING_ID (slugs, codes and tokens stay)."""
    for key, value in kwargs.items():
        if isinstance(value, int):
            yield key, {**kwargs, key: MISSING_ID}


def expected_for_missing(statuses):
    """A made-up id: the sign-in page for visitors, 405 where GET is not allowed at all (the
    method is checked before anything is looked up), else 404: the answer everyone who may
    not see the real object gets for it."""
    return {
        persona: 302 if persona == "anonymous" else 405 if status == 405 else 404
        for persona, status in statuses.items()
    }


@pytest.mark.django_db
def test_a_missing_id_gets_the_same_404_as_someone_elses_object(all_personas, world):
    """Every URL with an object id in it, each id in turn replaced by one that does not
    exist: nobody can tell "missing" from "not yours" by the status code."""
    wrong = {}
    checked = 0
    for name, (kwargs, statuses) in sorted(MATRIX.items()):
        if not callable(kwargs):
            continue
        for key, variant in missing_id_variants(name, kwargs(world)):
            url = reverse(name, kwargs=variant)
            expected = expected_for_missing(statuses)
            got = {p: all_personas[p].client.get(url).status_code for p in PERSONAS}
            checked += 1
            # Where the real object is refused, it is refused with the missing one's status.
            refused_alike = {
                p: statuses[p] for p in PERSONAS if statuses[p] == 404 and got[p] != 404
            }
            if got != expected or refused_alike:
                wrong[f"{name} ({key} missing)"] = got
    assert checked >= 35
    assert not wrong


# --- Classmates -----------------------------------------------------------------------

# name -> (kwargs for `learner`'s object, kwargs for the classmate's)
OWN_OBJECTS = {
    "courses:attempt_detail": (
        lambda w: {"attempt_id": w.attempt.pk},
        lambda w: {"attempt_id": w.peer_attempt.pk},
    ),
    "courses:submission_detail": (
        lambda w: {"submission_id": w.submission.pk},
        lambda w: {"submission_id": w.peer_submission.pk},
    ),
    "courses:task_photo": (
        lambda w: {"photo_id": w.photo.pk},
        lambda w: {"photo_id": w.peer_photo.pk},
    ),
    "courses:certificate_download": (
        lambda w: {"certificate_id": w.certificate.pk, "fmt": "pdf"},
        lambda w: {"certificate_id": w.peer_certificate.pk, "fmt": "pdf"},
    ),
    "outcomes:evidence_file": (
        lambda w: {"evidence_id": w.evidence.pk},
        lambda w: {"evidence_id": w.peer_evidence.pk},
    ),
    "privacy:export_download": (
        lambda w: {"export_id": w.data_export.pk},
        lambda w: {"export_id": w.peer_data_export.pk},
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(OWN_OBJECTS))
def test_classmates_open_their_own_objects_and_get_404_on_each_others(
    name, learner, same_cohort_learner, world
):
    learners_kwargs, peers_kwargs = (kwargs(world) for kwargs in OWN_OBJECTS[name])
    learners, peers = reverse(name, kwargs=learners_kwargs), reverse(name, kwargs=peers_kwargs)
    got = {
        "learner opens their own": learner.client.get(learners).status_code,
        "learner opens the classmate's": learner.client.get(peers).status_code,
        "classmate opens their own": same_cohort_learner.client.get(peers).status_code,
        "classmate opens the learner's": same_cohort_learner.client.get(learners).status_code,
    }
    assert got == {
        "learner opens their own": 200,
        "learner opens the classmate's": 404,
        "classmate opens their own": 200,
        "classmate opens the learner's": 404,
    }


@pytest.mark.django_db
def test_the_mentor_of_both_classmates_sees_each_ones_submission_under_its_own_pairing(
    mentor, world
):
    """The classmate's pairing with the same mentor opens their own mentee page to the
    mentor; it does not merge the two learners."""
    for pairing, submission in (
        (world.pairing, world.submission),
        (world.peer_pairing, world.peer_submission),
    ):
        page = mentor.client.get(reverse("mentoring:mentee_detail", args=[pairing.pk]))
        assert page.status_code == 200
        assert page.context["learner"] == pairing.learner
        review = reverse("mentoring:review_submission", args=[submission.pk])
        assert mentor.client.get(review).status_code == 200


@pytest.mark.django_db
def test_the_superuser_opens_the_admin_and_a_classmate_is_sent_to_sign_in(
    superuser, same_cohort_learner
):
    assert superuser.client.get("/admin/").status_code == 200
    assert superuser.client.get("/admin/users/user/").status_code == 200
    response = same_cohort_learner.client.get("/admin/users/user/")
    assert response.status_code in {302, 403}
    if response.status_code == 302:
        assert "/login/" in response["Location"]
