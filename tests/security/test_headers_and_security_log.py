"""Issue 9: what pages with personal data send, and what the security log keeps.

- Pages with personal data are never stored by a browser or proxy (Cache-Control: no-store).
- No link on them carries a phone number, an e-mail address, a code or a token (URLs end up
  in server logs, browser history and Referer headers). The one exception is the mentor's
  WhatsApp click-to-chat link, which exists to hand the number to WhatsApp.
- The security log (logger "ukmlearn.security") writes one line per sign-in, failed sign-in
  (with a keyed fingerprint of what was typed) and refused or not-found request of a signed-in
  person; no log line anywhere holds a phone number, e-mail address, password or code.
"""

import logging
import re

import pytest
from django.urls import reverse

from tests.factories import PASSWORD
from tests.security.helpers import client_for, start_tags
from ukmlearn import gateway
from ukmlearn.security import login_fingerprint
from ukmlearn.users.models import User

pytestmark = pytest.mark.django_db

EMAIL = "siti.aminah@example.com"

PERSONAL_PAGES = {
    "learner home": ("learner", lambda w: reverse("home")),
    "lesson": (
        "learner",
        lambda w: reverse("courses:lesson_detail", args=[w.course.slug, w.reading.pk]),
    ),
    "task lesson": (
        "learner",
        lambda w: reverse("courses:lesson_detail", args=[w.course.slug, w.task.pk]),
    ),
    "submission": ("learner", lambda w: w.submission.get_absolute_url()),
    "attempt": ("learner", lambda w: w.attempt.get_absolute_url()),
    "my data": ("learner", lambda w: reverse("privacy:my_data")),
    "account settings": ("learner", lambda w: reverse("account_settings")),
    "business profile": ("learner", lambda w: reverse("business_profile")),
    "my mentoring": ("learner", lambda w: reverse("mentoring:learner_mentoring")),
    "survey": (
        "learner",
        lambda w: reverse("outcomes:survey_fill", args=[w.cohort.pk, "baseline"]),
    ),
    "notifications": ("learner", lambda w: reverse("notifications:list")),
    "cohort learners": ("staff", lambda w: reverse("cohorts:cohort_learners", args=[w.cohort.pk])),
    "learners at risk": ("staff", lambda w: reverse("cohorts:cohort_at_risk", args=[w.cohort.pk])),
    "invitations": ("staff", lambda w: reverse("cohorts:cohort_invitations", args=[w.cohort.pk])),
    "mentee": ("mentor", lambda w: reverse("mentoring:mentee_detail", args=[w.pairing.pk])),
    "mentor home": ("mentor", lambda w: reverse("mentoring:mentor_home")),
    "outcome report": ("staff", lambda w: reverse("outcomes:report")),
    "audit log": ("staff", lambda w: reverse("privacy:audit_log")),
}


@pytest.fixture
def personal(world, learner):
    User.objects.filter(pk=learner.user.pk).update(email=EMAIL)
    learner.user.refresh_from_db()
    return world


def test_files_with_personal_data_are_not_cached_by_shared_caches(personal, learner):
    client = client_for(learner.user)
    for url in (
        reverse("outcomes:evidence_file", args=[personal.evidence.pk]),
        reverse("privacy:export_download", args=[personal.data_export.pk]),
        reverse("courses:task_photo", args=[personal.photo.pk]),
    ):
        cache_control = client.get(url)["Cache-Control"]
        assert "private" in cache_control or "no-store" in cache_control, (url, cache_control)
        assert "public" not in cache_control, url


def secrets_of(world, learner):
    """Everything that must never be in a URL: the learner's number in every spelling, the
    e-mail, the session check-in code and the certificate code."""
    phone = learner.user.phone  # +62813...
    national = "0" + phone[3:]
    return {
        "phone (E.164)": phone,
        "phone (62...)": phone[1:],
        "phone (0...)": national,
        "phone (0812-...)": f"{national[:4]}-{national[4:8]}",
        "e-mail": EMAIL,
        "e-mail (escaped)": EMAIL.replace("@", "%40"),
        "check-in code": f"code={world.session.checkin_code}",
    }


def urls_in(html: str) -> list[tuple[str, str]]:
    found = []
    for tag, attrs in start_tags(html):
        for name, value in attrs:
            if name in ("href", "src", "action", "formaction", "srcset", "data-href") and value:
                found.append((tag, value))
    return found


@pytest.mark.parametrize("page", sorted(PERSONAL_PAGES))
def test_a_personal_page_is_never_stored_and_no_link_on_it_carries_personal_data(
    page, personal, personas, learner
):
    persona, url = PERSONAL_PAGES[page]
    response = personas[persona].client.get(url(personal))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"], response["Cache-Control"]
    html = response.content.decode()
    secrets = secrets_of(personal, learner)

    leaks = []
    for tag, link in urls_in(html):
        if link.startswith("https://wa.me/"):
            # Click-to-chat hands the number to WhatsApp; only the mentee's mentor (and staff
            # on the at-risk list) get one, and it sends no Referer.
            assert page in ("mentee", "learners at risk"), (page, link)
            continue
        if link.startswith("mailto:") or re.search(r"\+62\d{8,}|\b08\d{8,}", link):
            leaks.append((tag, link))
        leaks += [(what, link) for what, secret in secrets.items() if secret in link]
    assert not leaks, f"{page}: {leaks}"


def test_click_to_chat_links_send_no_referer(personal, mentor, staff):
    pages = [
        client_for(mentor.user).get(reverse("mentoring:mentee_detail", args=[personal.pairing.pk])),
        client_for(staff.user).get(reverse("cohorts:cohort_at_risk", args=[personal.cohort.pk])),
    ]
    for response in pages:
        for tag, attrs in start_tags(response.content.decode()):
            attributes = dict(attrs)
            if tag == "a" and attributes.get("href", "").startswith("https://wa.me/"):
                assert "noreferrer" in attributes.get("rel", "")
    assert pages[0]["Referrer-Policy"] == "same-origin"


# --- The security log ---------------------------------------------------------------------


@pytest.fixture
def security_log(caplog):
    caplog.set_level(logging.DEBUG)
    return caplog


def lines(caplog, logger="ukmlearn.security"):
    return [r.getMessage() for r in caplog.records if r.name == logger]


def assert_nothing_personal_logged(caplog, *secrets):
    for record in caplog.records:
        text = record.getMessage() + " " + str(record.args or "")
        if record.exc_text:
            text += record.exc_text
        for secret in secrets:
            assert secret not in text, f"{record.name} logged {secret!r}: {text[:200]}"


def test_a_sign_in_writes_one_line_with_the_account_id_only(learner, security_log):
    client = client_for()

    response = client.post(
        reverse("account_login"), {"login": learner.user.phone, "password": PASSWORD}
    )

    assert response.status_code == 302
    assert lines(security_log) == [f"login ok user={learner.user.pk} ip=127.0.0.1"]
    assert_nothing_personal_logged(security_log, learner.user.phone, PASSWORD)


@pytest.mark.parametrize("typed", ["phone", "national", "e-mail", "unknown e-mail", "garbage"])
def test_a_failed_sign_in_writes_one_line_with_a_fingerprint_never_what_was_typed(
    typed, learner, security_log
):
    User.objects.filter(pk=learner.user.pk).update(email=EMAIL)
    login = {
        "phone": learner.user.phone,
        "national": "0" + learner.user.phone[3:],
        "e-mail": EMAIL,
        "unknown e-mail": "tidak.ada@example.com",
        "garbage": "<script>x</script>",
    }[typed]
    wrong = "Salah-Sandi-2026"

    response = client_for().post(reverse("account_login"), {"login": login, "password": wrong})

    assert response.status_code == 200
    assert lines(security_log) == [f"login failed account={login_fingerprint(login)} ip=127.0.0.1"]
    assert_nothing_personal_logged(
        security_log, login, wrong, PASSWORD, learner.user.phone, EMAIL, EMAIL.split("@")[0]
    )


def test_a_not_found_page_of_a_signed_in_person_writes_one_line(world, other_learner, security_log):
    url = reverse("courses:submission_detail", args=[world.submission.pk])
    client = client_for(other_learner.user)
    security_log.clear()  # the sign-in of the test client

    response = client.get(url)

    assert response.status_code == 404
    assert lines(security_log) == [
        f"access denied user={other_learner.user.pk} status=404 GET {url}"
    ]


def test_a_refused_request_of_a_signed_in_person_writes_one_line(learner, security_log):
    client = client_for(learner.user, enforce_csrf_checks=True)
    security_log.clear()

    response = client.post(reverse("account_settings"), {"name": "Tanpa token"})

    assert response.status_code == 403
    assert lines(security_log) == [
        f"access denied user={learner.user.pk} status=403 POST {reverse('account_settings')}"
    ]


def test_a_not_found_page_of_an_anonymous_visitor_writes_no_security_line(db, security_log):
    assert client_for().get("/tidak-ada/").status_code == 404
    assert lines(security_log) == []


def test_no_log_line_holds_a_number_e_mail_password_or_code_through_sign_up_and_reset(
    db, security_log
):
    phone, email, password = "+6281344445555", "baru@example.com", "Kata-Sandi-Baru-2026"
    client = client_for()
    client.post(
        reverse("account_signup"),
        {
            "name": "Orang Baru",
            "phone": phone,
            "email": email,
            "password1": password,
            "password2": password,
            "timezone": "Asia/Jakarta",
            "consent": "on",
        },
    )
    client.post(reverse("account_logout"))
    client.post(reverse("account_login"), {"login": email, "password": password + "x"})
    client.post(reverse("phone_reset_request"), {"phone": "0" + phone[3:]})
    codes = re.findall(r"\b\d{6}\b", " ".join(m.text for m in gateway.outbox))
    assert codes, "no reset code was sent"
    client.post(
        reverse("phone_reset_confirm"),
        {"code": "000000", "password1": "Baru-Lagi-2026", "password2": "Baru-Lagi-2026"},
    )

    assert any("login failed" in line for line in lines(security_log))
    assert_nothing_personal_logged(
        security_log, phone, phone[1:], "0" + phone[3:], email, password, "Baru-Lagi-2026", *codes
    )
