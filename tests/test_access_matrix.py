"""Every URL of the project × every persona → the expected status of a GET.

A new URL pattern without an entry here fails test_every_url_has_an_entry: decide who may
see it before shipping it. Object URLs also get outsider tests next to their feature.
"""

import pytest
from django.urls import reverse

from tests.courses.builders import build_world
from tests.list_urls import iter_patterns


@pytest.fixture
def world(learner, staff, mentor, partner):
    """build_world's course, plus a running cohort owned by `staff` with `learner` in it,
    shared with `partner`'s organisation; `learner` has started the baseline survey with an
    evidence photo."""
    from datetime import timedelta

    from django.utils import timezone

    from cohorts.models import Cohort, LiveSession, Membership
    from cohorts.services.members import cohort_members_add

    w = build_world(learner=learner.user)
    w.learner = learner.user
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
    cohort_members_add(cohort=w.cohort, user_ids=[learner.user.pk], role=Membership.Role.LEARNER)
    partner.org.cohorts.add(w.cohort)
    # A draft baseline with a photo of the shop (the photo question is "presence").
    from outcomes.models import Survey, Wave
    from outcomes.services.responses import response_save
    from tests.courses.builders import photo_upload

    survey = Survey.objects.get(is_default=True)
    presence = survey.questions.get(core_key="presence")
    w.response = response_save(
        user=learner.user,
        cohort=w.cohort,
        wave=Wave.BASELINE,
        survey=survey,
        raw_answers={str(presence.pk): ["wa_catalog"]},
        photos={presence.pk: photo_upload()},
        send=False,
    )
    w.evidence = w.response.evidence.get()
    now = timezone.now()
    w.session = LiveSession.objects.create(
        cohort=w.cohort,
        title="Kelas tatap muka",
        starts_at=now,
        ends_at=now + timedelta(hours=2),
        venue="Balai Desa",
    )
    # An issued certificate of `learner`.
    from django.core.files.base import ContentFile

    from courses.models import Certificate

    w.certificate = Certificate(
        enrollment=w.enrollment,
        code="kode-uji-sertifikat",
        name=learner.user.name,
        number="UKM-2026-000001",
        status=Certificate.Status.ISSUED,
        issued_on=now.date(),
    )
    w.certificate.pdf.save("uji.pdf", ContentFile(b"%PDF-1.4 uji"), save=False)
    w.certificate.png.save("uji.png", ContentFile(b"png"), save=False)
    w.certificate.save()
    # `mentor` mentors `learner` in that cohort, with one logged session and action item.
    from mentoring.models import ActionItem, MentoringSession, MentorProfile, Pairing

    cohort_members_add(cohort=w.cohort, user_ids=[mentor.user.pk], role=Membership.Role.MENTOR)
    MentorProfile.objects.create(user=mentor.user, modes=["online"])
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
        session=w.mentoring_session, text="Foto produk", due_date=now.date()
    )
    from django.core.files.base import ContentFile

    from ukmlearn.privacy.models import DataExport

    w.data_export = DataExport(
        user=learner.user, status=DataExport.Status.READY, finished_at=now, bytes=3
    )
    w.data_export.file.save("export.zip", ContentFile(b"zip"), save=True)
    return w


PERSONAS = [
    "anonymous",
    "learner",
    "other_learner",
    "mentor",
    "other_mentor",
    "staff",
    "other_staff",
    "partner",
]


def row(
    anonymous,
    learner,
    mentor,
    staff,
    *,
    partner,
    other_learner=None,
    other_mentor=None,
    other_staff=None,
):
    """learner/mentor/staff stand for their "other" twin too, unless given separately.

    partner (a funder's reader, not a learner, mentor or staff) has no default: every row
    decides it. A partner reads aggregates only: 404 on every page or object of a learner,
    mentor or staff member; pages open to any signed-in person (their own account) are open
    to a partner as well."""
    return {
        "other_staff": staff if other_staff is None else other_staff,
        "anonymous": anonymous,
        "learner": learner,
        "other_learner": learner if other_learner is None else other_learner,
        "mentor": mentor,
        "other_mentor": mentor if other_mentor is None else other_mentor,
        "staff": staff,
        "partner": partner,
    }


EVERYONE = row(200, 200, 200, 200, partner=200)
SIGNED_IN = row(302, 200, 200, 200, partner=200)  # anonymous visitors go to the sign-in page
STAFF_ONLY = row(302, 404, 404, 200, partner=404)
SIGNED_OUT_ONLY = row(200, 302, 302, 302, partner=302)  # signed-in people are sent home
REDIRECT_ALL = row(302, 302, 302, 302, partner=302)  # a step that needs a flow in progress
GONE = row(410, 410, 410, 410, partner=410)
POST_ONLY = row(405, 405, 405, 405, partner=405)
SIGNED_IN_POST_ONLY = row(302, 405, 405, 405, partner=405)
# Objects that belong to `learner`: only they and staff may see them; everyone else 404.
LEARNERS_OWN = row(302, 200, 404, 200, other_learner=404, partner=404)
# A learner's practice-task submission: also their active mentor, nobody else's.
SUBMISSION = row(302, 200, 200, 200, other_learner=404, other_mentor=404, partner=404)
# Pages of a cohort owned by `staff`: other staff get 404 like everyone else (the partner
# the cohort is shared with too: it reads the aggregate report, not the cohort).
COHORT_OWNER = row(302, 404, 404, 200, other_staff=404, partner=404)
# GET on a POST-only cohort URL: 405 for any staff (the POST itself is checked for ownership
# in tests/cohorts).
COHORT_OWNER_POST = row(302, 404, 404, 405, partner=404)
# The outcome report: staff (their own cohorts; other staff see an empty report) and the
# partner the cohort is shared with; learners and mentors 404.
REPORT_READERS = row(302, 404, 404, 200, partner=200)
# Two-factor pages about an authenticator nobody in the matrix has set up.
NO_AUTHENTICATOR = row(302, 404, 404, 404, partner=404)

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
        row(302, 200, 404, 404, other_learner=404, partner=404),
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
    "mfa_deactivate_totp": ({}, NO_AUTHENTICATOR),
    "mfa_authenticate": ({}, REDIRECT_ALL),
    "mfa_reauthenticate": ({}, REDIRECT_ALL),
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
        # not enrolled (partner too): sent to the public course page to enrol; staff: preview
        row(302, 200, 302, 200, other_learner=302, partner=302),
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
        LEARNERS_OWN,
    ),
    # what "Save for reading offline" downloads: only for the enrolled learner
    "courses:module_pack": (
        lambda w: {"slug": w.course.slug, "module_id": w.reading.module_id},
        row(302, 200, 404, 404, other_learner=404, partner=404),
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
    "courses:certificate_manage": (lambda w: {"certificate_id": w.certificate.pk}, STAFF_ONLY),
    "courses:review_queue": ({}, STAFF_ONLY),
    "courses:review_submission": (lambda w: {"submission_id": w.submission.pk}, STAFF_ONLY),
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
        row(302, 404, 200, 200, other_mentor=404, other_staff=404, partner=404),
    ),
    "mentoring:session_log": (
        lambda w: {"pairing_id": w.pairing.pk},
        row(302, 404, 200, 200, other_mentor=404, other_staff=404, partner=404),
    ),
    "mentoring:session_edit": (
        lambda w: {"session_id": w.mentoring_session.pk},
        row(302, 404, 200, 200, other_mentor=404, other_staff=404, partner=404),
    ),
    "mentoring:review_queue": ({}, row(302, 404, 200, 200, partner=404)),
    # staff review through courses:review_submission; this queue is the mentor's own
    "mentoring:review_submission": (
        lambda w: {"submission_id": w.submission.pk},
        row(302, 404, 200, 404, other_mentor=404, partner=404),
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
        row(302, 200, 200, 404, other_learner=404, other_mentor=404, partner=404),
    ),
    # outcomes: `learner` is in the running cohort, whose baseline is open
    "outcomes:survey_list": ({}, SIGNED_IN),  # one's own open surveys (none for non-learners)
    "outcomes:survey_fill": (
        lambda w: {"cohort_id": w.cohort.pk, "wave": "baseline"},
        # only the cohort's learners fill its survey; staff read aggregates, never answers
        row(302, 200, 404, 404, other_learner=404, partner=404),
    ),
    "outcomes:survey_skip": (lambda w: {"cohort_id": w.cohort.pk}, SIGNED_IN_POST_ONLY),
    "outcomes:evidence_file": (
        lambda w: {"evidence_id": w.evidence.pk},
        # the learner's photo: they and the cohort's owner; other staff and the partner 404
        row(302, 200, 404, 200, other_learner=404, other_staff=404, partner=404),
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
def test_access(name, personas, world):
    kwargs, expected = MATRIX[name]
    if callable(kwargs):
        kwargs = kwargs(world)
    url = reverse(name, kwargs=kwargs)
    got = {persona: personas[persona].client.get(url).status_code for persona in PERSONAS}
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
