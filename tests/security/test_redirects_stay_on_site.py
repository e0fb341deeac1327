"""Issue 9: open redirects. Wherever a `next` is honoured (signing in and out, signing up,
re-entering the password, the language switch, the survey and its "later" button, the admin's
sign-in), a target off the site never becomes the Location; a path on the site does."""

from urllib.parse import urlencode

import pytest
from django.core.cache import cache
from django.urls import reverse

from tests.factories import PASSWORD
from tests.security.helpers import client_for, is_on_site, start_tags

pytestmark = pytest.mark.django_db

OFF_SITE = [
    "https://evil.example/",
    "http://evil.example",
    "//evil.example/",
    "///evil.example/",
    "/\\evil.example/",
    "\\\\evil.example",
    "\\/evil.example",
    "https:evil.example",
    "http:\\\\evil.example",
    " //evil.example",
    "\t//evil.example",
    "//evil.example%2F@testserver/",
    "http://testserver@evil.example/",
    "https://testserver.evil.example/",
    "javascript:alert(1)",
    "JavaScript://%0Aalert(1)",
    "data:text/html,<script>alert(1)</script>",
]
ON_SITE = ["/courses/", "/profile/settings/?tab=1"]


def test_the_off_site_targets_are_off_site_and_the_paths_on_it():
    assert not any(is_on_site(target) for target in OFF_SITE)
    assert all(is_on_site(target) for target in ON_SITE)


def check(post, targets=OFF_SITE):
    """post(target) -> response; returns {target: Location} for every target that led
    off the site."""
    escaped = {}
    for target in targets:
        cache.clear()  # rate limits (10 re-authentications a minute) are not under test here
        response = post(target)
        location = response.get("Location", "")
        assert response.status_code in (200, 302, 303), (target, response.status_code)
        if location and not is_on_site(location):
            escaped[target] = location
    return escaped


def test_signing_in_never_sends_the_person_off_site(learner):
    def sign_in(target):
        client = client_for()
        return client.post(
            reverse("account_login"),
            {"login": learner.user.phone, "password": PASSWORD, "next": target},
        )

    assert check(sign_in) == {}
    assert sign_in("/courses/")["Location"] == "/courses/"


def test_signing_in_from_a_link_with_next_in_the_address_stays_on_site(learner):
    def sign_in(target):
        client = client_for()
        url = reverse("account_login")
        client.get(url, {"next": target})
        return client.post(
            f"{url}?{urlencode({'next': target})}",
            {"login": learner.user.phone, "password": PASSWORD},
        )

    assert check(sign_in) == {}


def test_a_signed_in_person_opening_the_sign_in_page_stays_on_site(learner):
    client = client_for(learner.user)

    assert check(lambda target: client.get(reverse("account_login"), {"next": target})) == {}


def test_the_admin_sign_in_stays_on_site(learner, superuser):
    def through_admin(target):
        client = client_for()
        first = client.get("/admin/login/", {"next": target})
        assert is_on_site(first["Location"])
        return client.post(first["Location"], {"login": superuser.phone, "password": PASSWORD})

    assert check(through_admin) == {}


def test_signing_out_never_sends_the_person_off_site(learner):
    def sign_out(target):
        client = client_for(learner.user)
        return client.post(reverse("account_logout"), {"next": target})

    assert check(sign_out) == {}


def test_signing_up_never_sends_the_person_off_site(db):
    numbers = iter(range(10_000))

    def sign_up(target):
        client = client_for()
        return client.post(
            reverse("account_signup"),
            {
                "name": "Orang Baru",
                "phone": f"+62813555{next(numbers):05d}",
                "email": "",
                "password1": "Kata-Sandi-Baru-2026",
                "password2": "Kata-Sandi-Baru-2026",
                "timezone": "Asia/Jakarta",
                "consent": "on",
                "next": target,
            },
        )

    assert check(sign_up) == {}


def test_re_entering_the_password_never_sends_the_person_off_site(learner):
    def reauthenticate(target):
        client = client_for(learner.user)
        return client.post(
            reverse("account_reauthenticate"), {"password": PASSWORD, "next": target}
        )

    assert check(reauthenticate) == {}


def test_the_language_switch_stays_on_site_whatever_the_next_or_referer(learner):
    switch = reverse("language_switch")
    for client in (client_for(learner.user), client_for()):
        assert check(lambda t, c=client: c.post(switch, {"language": "en", "next": t})) == {}
        assert check(lambda t, c=client: c.post(switch, {"language": "id"}, HTTP_REFERER=t)) == {}
        for target in ON_SITE:
            response = client.post(switch, {"language": "en", "next": target})
            assert response["Location"] == target


def test_the_survey_returns_to_a_page_of_the_site_only(world, learner):
    client = client_for(learner.user)
    url = reverse("outcomes:survey_fill", args=[world.cohort.pk, "baseline"])

    assert check(lambda target: client.post(url, {"draft": "1", "next": target})) == {}
    assert (
        check(lambda target: client.post(f"{url}?{urlencode({'next': target})}", {"draft": "1"}))
        == {}
    )
    response = client.post(url, {"draft": "1", "next": "/courses/"})
    assert response["Location"] == "/courses/"


def test_the_survey_page_does_not_carry_an_off_site_next_into_its_form(world, learner):
    client = client_for(learner.user)
    url = reverse("outcomes:survey_fill", args=[world.cohort.pk, "baseline"])

    for target in OFF_SITE:
        html = client.get(url, {"next": target}).content.decode()
        carried = [
            dict(attrs).get("value", "")
            for tag, attrs in start_tags(html)
            if tag == "input" and dict(attrs).get("name") == "next"
        ]
        # the survey's own `next` is dropped; the language switch carries this page's path
        assert carried and all(is_on_site(value) for value in carried), (target, carried)
        assert all(value.startswith(url) for value in carried), (target, carried)


def test_putting_the_survey_off_stays_on_site(world, learner):
    def later(target):
        client = client_for(learner.user)
        from outcomes.models import Response

        Response.objects.filter(user=learner.user).update(skipped_at=None, status="draft")
        return client.post(
            reverse("outcomes:survey_skip", args=[world.cohort.pk]), {"next": target}
        )

    assert check(later) == {}
