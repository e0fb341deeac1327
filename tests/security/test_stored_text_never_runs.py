"""Issue 9: hostile text typed into any rich or free-text field never runs.

Every field a person can type into holds a script payload; every page that shows it (to the
learner, the mentor, staff, a partner, the public and the admin), every e-mail and the
certificate drawn from it must show it as text: no <script> other than the layout's own
app.js, no event-handler attributes, no javascript:/data: URLs, no frames or <style>. Each
page also carries a Content-Security-Policy whose script-src refuses inline scripts, so even
a markup slip could not run.
"""

import uuid
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from courses.models import Certificate, Picture, TaskSubmission
from courses.services import certificates
from mentoring.models import ActionItem, ExpertiseTag, MentoringSession
from outcomes.models import Partner, Question
from tests.factories import UserFactory
from tests.security.helpers import (
    assert_no_live_markup,
    assert_strict_csp,
    client_for,
    live_markup,
    start_tags,
)
from ukmlearn.notifications import services as notifications
from ukmlearn.notifications.models import Notification, NotificationPreference
from ukmlearn.users.models import BusinessProfile, User

pytestmark = pytest.mark.django_db

# Short enough for the 80-character fields (city, expertise tag).
PAYLOAD = '"><script>alert(1)</script><img src=x onerror=alert(1)><svg onload=alert(1)>'
# For the 150-character fields (names, titles).
LONG = PAYLOAD + '<iframe src="javascript:alert(1)"></iframe><style>*{}</style>'
# For free text (summaries, answers, feedback, notes).
TEXT = (
    PAYLOAD
    + '<a href="data:text/html,<script>alert(1)</script>">d</a><a href="javascript:alert(1)">j</a>'
    + "<iframe src=javascript:alert(1)><style>*{}</style><base href=//evil.example>"
    + "<meta http-equiv=refresh content=0>"
)
# What a page shows when it escapes the payload, and so proves the field reached the page.
SHOWN = escape("<script>alert(1)</script>")

MARKDOWN = """\
## Materi

[tautan](javascript:alert(1)) [huruf besar](JaVaScRiPt:alert(1))
[entitas](&#106;avascript:alert(1)) [tab](java&#x09;script:alert(1))
![gambar](javascript:alert(1)) ![data](data:image/svg+xml,<svg onload=alert(1)>)
<javascript:alert(1)> [referensi][r]

[r]: javascript:alert(1)

<div onclick="alert(1)"><script>alert(1)</script>blok HTML mentah</div>

<a href="data:text/html,<script>alert(1)</script>">data</a>
<iframe src="https://evil.example"></iframe>
<style>body{display:none}</style>
<img src=x onerror=alert(1)> <svg onload=alert(1)></svg>
<object data="javascript:alert(1)"></object><embed src="javascript:alert(1)">
<form action="https://evil.example"><input name=password></form>
"""


def test_the_payloads_fit_the_fields_they_are_stored_in():
    assert len(PAYLOAD) <= 80
    assert len(LONG) <= 150
    assert len(TEXT) <= 300


@pytest.fixture
def hostile(world, learner, mentor, staff, partner):
    """The world with a payload in every text field a person can type into."""
    w = world
    picture_alt = LONG
    Picture.objects.filter(pk=w.picture.pk).update(alt=picture_alt)
    for person in (learner.user, mentor.user, staff.user):
        User.objects.filter(pk=person.pk).update(name=LONG)
    User.objects.filter(pk=learner.user.pk).update(email="siti@example.com")
    BusinessProfile.objects.filter(user=learner.user).update(business_name=PAYLOAD, city=PAYLOAD)
    w.cohort.name = LONG
    w.cohort.programme = LONG
    w.cohort.save()
    w.session.title = LONG
    w.session.venue = LONG
    w.session.address = TEXT
    w.session.save()
    MentoringSession.objects.filter(pk=w.mentoring_session.pk).update(
        summary=TEXT, private_notes=TEXT
    )
    ActionItem.objects.filter(pk=w.action_item.pk).update(text=TEXT)
    tag = ExpertiseTag.objects.create(name=PAYLOAD)
    w.mentoring_session.topics.add(tag)
    w.tag.name = "Foto " + PAYLOAD[:70]
    w.tag.save()
    TaskSubmission.objects.filter(pk=w.submission.pk).update(text=TEXT, feedback=TEXT)
    w.reading.title = LONG
    w.reading.body = MARKDOWN + f"\n\n![{LONG}](picture:{w.picture.pk})\n"
    w.reading.save()
    w.task.title = LONG
    w.task.save()
    w.course.title = LONG
    w.course.summary = TEXT
    w.course.save()
    Certificate.objects.filter(pk=w.certificate.pk).update(name=LONG)
    Notification.objects.create(user=learner.user, text=TEXT, link="/courses/")
    Partner.objects.filter(pk=partner.org.pk).update(name=LONG)
    Question.objects.create(
        survey=w.survey,
        position=99,
        text=LONG,
        help_text=TEXT,
        options=f"{PAYLOAD}\nBiasa saja",
        required=False,
        allow_evidence=True,
    )
    for obj in (learner.user, mentor.user, staff.user):
        obj.refresh_from_db()
    return w


# (persona, URL of the world, needs the payload to show up)
PAGES = {
    # the learner
    "learner home": ("learner", lambda w: reverse("home")),
    "course page": ("learner", lambda w: w.course.get_absolute_url()),
    "course list": ("learner", lambda w: reverse("courses:course_list")),
    "lesson with hostile Markdown": (
        "learner",
        lambda w: reverse("courses:lesson_detail", args=[w.course.slug, w.reading.pk]),
    ),
    "task lesson with the answer and feedback": (
        "learner",
        lambda w: reverse("courses:lesson_detail", args=[w.course.slug, w.task.pk]),
    ),
    "submission": ("learner", lambda w: w.submission.get_absolute_url()),
    "my mentoring": ("learner", lambda w: reverse("mentoring:learner_mentoring")),
    "what I need help with": ("learner", lambda w: reverse("mentoring:learner_needs")),
    "survey list": ("learner", lambda w: reverse("outcomes:survey_list")),
    "survey": (
        "learner",
        lambda w: reverse("outcomes:survey_fill", args=[w.cohort.pk, "baseline"]),
    ),
    "check-in": ("learner", lambda w: reverse("cohorts:session_checkin", args=[w.session.pk])),
    "notifications": ("learner", lambda w: reverse("notifications:list")),
    "account settings": ("learner", lambda w: reverse("account_settings")),
    "business profile": ("learner", lambda w: reverse("business_profile")),
    # the mentor
    "mentor home": ("mentor", lambda w: reverse("mentoring:mentor_home")),
    "mentee": ("mentor", lambda w: reverse("mentoring:mentee_detail", args=[w.pairing.pk])),
    "session log form": ("mentor", lambda w: reverse("mentoring:session_log", args=[w.pairing.pk])),
    "session correction form": (
        "mentor",
        lambda w: reverse("mentoring:session_edit", args=[w.mentoring_session.pk]),
    ),
    "mentor review queue": ("mentor", lambda w: reverse("mentoring:review_queue")),
    "mentor review": (
        "mentor",
        lambda w: reverse("mentoring:review_submission", args=[w.submission.pk]),
    ),
    "mentor profile": ("mentor", lambda w: reverse("mentoring:mentor_profile")),
    # staff
    "cohort list": ("staff", lambda w: reverse("cohorts:cohort_list")),
    "cohort": ("staff", lambda w: reverse("cohorts:cohort_detail", args=[w.cohort.pk])),
    "cohort edit form": ("staff", lambda w: reverse("cohorts:cohort_edit", args=[w.cohort.pk])),
    "cohort learners": ("staff", lambda w: reverse("cohorts:cohort_learners", args=[w.cohort.pk])),
    "learners at risk": ("staff", lambda w: reverse("cohorts:cohort_at_risk", args=[w.cohort.pk])),
    "invitations": ("staff", lambda w: reverse("cohorts:cohort_invitations", args=[w.cohort.pk])),
    "live session": (
        "staff",
        lambda w: reverse("cohorts:session_detail", args=[w.cohort.pk, w.session.pk]),
    ),
    "cohort mentoring": (
        "staff",
        lambda w: reverse("mentoring:cohort_mentoring", args=[w.cohort.pk]),
    ),
    "reminder rules": (
        "staff",
        lambda w: reverse("notifications:cohort_rules", args=[w.cohort.pk]),
    ),
    "staff review queue": ("staff", lambda w: reverse("courses:review_queue")),
    "staff review": (
        "staff",
        lambda w: reverse("courses:review_submission", args=[w.submission.pk]),
    ),
    "certificate management": (
        "staff",
        lambda w: reverse("courses:certificate_manage", args=[w.certificate.pk]),
    ),
    "lesson preview": (
        "staff",
        lambda w: reverse("courses:lesson_detail", args=[w.course.slug, w.reading.pk]),
    ),
    "outcome report": ("staff", lambda w: reverse("outcomes:report")),
    "audit log": ("staff", lambda w: reverse("privacy:audit_log")),
    # a partner and the public
    "outcome report for a partner": ("partner", lambda w: reverse("outcomes:report")),
    "public certificate check": (
        "anonymous",
        lambda w: reverse("courses:certificate_verify", args=[w.certificate.code]),
    ),
    "public course page": ("anonymous", lambda w: w.course.get_absolute_url()),
}
# Pages that show no hostile text themselves (only choices or counts): still checked.
NOTHING_HOSTILE_SHOWN = {"reminder rules", "audit log"}


PERSONAS = sorted({persona for persona, _url in PAGES.values()})


@pytest.mark.parametrize("persona", PERSONAS)
def test_hostile_stored_text_is_shown_as_text_to_the(persona, hostile, personas):
    client = personas[persona].client
    # The audit log gets a VIEW_LEARNERS line naming the cohort.
    client.get(reverse("cohorts:cohort_learners", args=[hostile.cohort.pk]))
    problems = {}
    for page, (who, url) in sorted(PAGES.items()):
        if who != persona:
            continue
        response = client.get(url(hostile))
        try:
            assert_no_live_markup(response, page)
            assert_strict_csp(response, page)
            if page not in NOTHING_HOSTILE_SHOWN:
                assert SHOWN in response.content.decode(), "the hostile text is not on the page"
        except AssertionError as exc:
            problems[page] = str(exc)
    assert not problems, problems


def test_the_lesson_keeps_no_dangerous_link_in_any_spelling(hostile, learner):
    html = learner.client.get(
        reverse("courses:lesson_detail", args=[hostile.course.slug, hostile.reading.pk])
    ).content.decode()
    links = [dict(attrs).get("href", "") for tag, attrs in start_tags(html) if tag == "a"]

    assert links, "the lesson lost its links"
    for href in links:
        assert not href.lower().replace("\t", "").startswith(("javascript", "data", "vbscript"))
    assert "blok HTML mentah" in html  # raw HTML keeps its text, not its tags


def test_a_picture_description_stays_text_with_the_data_saver_on(hostile, learner):
    User.objects.filter(pk=learner.user.pk).update(data_saver=True)

    response = learner.client.get(
        reverse("courses:lesson_detail", args=[hostile.course.slug, hostile.reading.pk])
    )

    assert_no_live_markup(response, "lesson in data-saver mode")
    assert 'class="ph-load"' in response.content.decode()


def test_a_hostile_link_in_a_task_answer_is_refused(world, learner):
    url = reverse("courses:task_submit", args=[world.course.slug, world.task.pk])
    for link in [
        "javascript:alert(1)",
        "JAVASCRIPT:alert(1)",
        " javascript:alert(1)",
        "java\tscript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
    ]:
        response = learner.client.post(
            url, {"idempotency_key": str(uuid.uuid4()), "text": "", "link": link}
        )
        assert response.status_code == 400, link
    assert not TaskSubmission.objects.filter(link__icontains="script").exists()


def test_a_hostile_meeting_link_is_refused(world, staff):
    url = reverse("cohorts:session_create", args=[world.cohort.pk])
    response = staff.client.post(
        url,
        {
            "title": "Sesi",
            "date": "2026-12-01",
            "start_time": "09:00",
            "end_time": "10:00",
            "meeting_url": "javascript:alert(1)",
        },
    )

    assert response.status_code == 200
    assert response.context["form"].errors["meeting_url"]


# --- The admin ------------------------------------------------------------------------------

ADMIN_PAGES = [
    ("users", "user", lambda w: w.learner.pk),
    ("courses", "lesson", lambda w: w.reading.pk),
    ("courses", "course", lambda w: w.course.pk),
    ("courses", "picture", lambda w: w.picture.pk),
    ("courses", "tasksubmission", lambda w: w.submission.pk),
    ("mentoring", "mentoringsession", lambda w: w.mentoring_session.pk),
    ("mentoring", "pairing", lambda w: w.pairing.pk),
    ("mentoring", "expertisetag", lambda w: w.tag.pk),
    ("outcomes", "partner", lambda w: w.cohort.partners.get().pk),
    ("outcomes", "survey", lambda w: w.survey.pk),
    ("notifications", "notification", lambda w: Notification.objects.latest("pk").pk),
    ("privacy", "auditevent", None),
]


@pytest.mark.parametrize(("app", "model", "pk"), ADMIN_PAGES, ids=[m for _a, m, _p in ADMIN_PAGES])
def test_the_admin_shows_hostile_text_as_text(app, model, pk, hostile, superuser, staff):
    client = client_for(superuser)
    client_for(staff.user).get(reverse("cohorts:cohort_learners", args=[hostile.cohort.pk]))
    urls = [reverse(f"admin:{app}_{model}_changelist")]
    if pk is not None:
        urls.append(reverse(f"admin:{app}_{model}_change", args=[pk(hostile)]))
    for url in urls:
        response = client.get(url)
        assert_no_live_markup(response, url, admin=True)


# --- E-mails and messages -----------------------------------------------------------------


def test_reminder_e_mails_carry_hostile_titles_as_text(hostile, learner):
    tomorrow = timezone.now() + timedelta(days=1)
    hostile.session.starts_at, hostile.session.ends_at = tomorrow, tomorrow + timedelta(hours=1)
    hostile.session.save()
    ActionItem.objects.filter(pk=hostile.action_item.pk).update(
        due_date=timezone.localdate() + timedelta(days=1)
    )
    NotificationPreference.objects.update_or_create(
        user=learner.user,
        defaults={"email": True, "quiet_start": "00:00", "quiet_end": "00:00"},
    )
    from ukmlearn.notifications.models import Reminder

    notifications.reminders_sweep()
    Reminder.objects.filter(user=learner.user).update(channels=["in_app", "email"])
    notifications.reminders_deliver(now=timezone.now() + timedelta(days=2))

    mine = [m for m in mail.outbox if "siti@example.com" in m.to]
    assert mine, "no reminder e-mail was sent"
    for message in mine:
        html = next(body for body, kind in message.alternatives if kind == "text/html")
        assert live_markup(html, page=False) == []
        assert SHOWN in html or escape(TEXT[:40]) in html
    page = learner.client.get(reverse("notifications:list"))
    assert_no_live_markup(page, "notifications after the reminders")


# --- Certificates -------------------------------------------------------------------------

NAMES = [
    LONG,
    "\u202eanimA itiS\u202c <b>tebal</b>",  # right-to-left override
    "Siti 🙂🙂🙂 Ämínah ẞ ñ",
    "A" * 150,  # one word wider than the page
    "Siti\u0301\u0301\u0301 Aminah",  # stacked combining accents
    "   ",
]


@pytest.mark.parametrize(
    "name", NAMES, ids=["payload", "rtl", "emoji", "one-word", "accents", "blank"]
)
def test_a_certificate_is_drawn_for_any_name_and_checked_as_text(name, world, anonymous):
    from PIL import Image

    Certificate.objects.filter(pk=world.certificate.pk).update(
        name=name, status=Certificate.Status.PENDING
    )

    assert certificates.certificate_generate(certificate_id=world.certificate.pk)

    certificate = Certificate.objects.get(pk=world.certificate.pk)
    with certificate.png.open("rb") as handle:
        assert Image.open(handle).size == certificates.PAGE
    with certificate.pdf.open("rb") as handle:
        assert handle.read(5) == b"%PDF-"
    response = anonymous.client.get(certificate.get_absolute_url())
    assert_no_live_markup(response, "certificate check")
    assert escape(name.strip()) in response.content.decode()


def test_a_certificate_is_reissued_under_a_hostile_name_through_the_form(world, staff):
    url = reverse("courses:certificate_manage", args=[world.certificate.pk])

    response = staff.client.post(url, {"reissue": "1", "name": LONG})

    assert response.status_code == 302
    assert Certificate.objects.get(pk=world.certificate.pk).name == LONG
    page = staff.client.get(url)
    assert_no_live_markup(page, "certificate management after the reissue")


def test_a_new_account_with_a_hostile_name_is_shown_as_text_to_staff(staff, world):
    person = UserFactory(name=LONG, phone="+6281377770001")
    from cohorts.models import Membership
    from cohorts.services.members import cohort_members_add

    cohort_members_add(cohort=world.cohort, user_ids=[person.pk], role=Membership.Role.LEARNER)

    for name in ("cohorts:cohort_learners", "mentoring:cohort_mentoring"):
        response = staff.client.get(reverse(name, args=[world.cohort.pk]))
        assert_no_live_markup(response, name)
        assert SHOWN in response.content.decode()
