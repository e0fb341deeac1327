"""A workshop behind one Wi-Fi address can sign in together; guessing one account cannot."""

from unittest import mock

import pytest
from django.db import InterfaceError, OperationalError
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory

WORKSHOP_IP = "10.20.30.40"


@pytest.mark.django_db
def test_forty_people_behind_one_address_sign_in_within_a_minute():
    people = UserFactory.create_batch(40)
    for person in people:
        client = Client(REMOTE_ADDR=WORKSHOP_IP)
        response = client.post(
            reverse("account_login"), {"login": person.phone, "password": PASSWORD}
        )
        assert response.status_code == 302, person.phone
        assert client.session.get("_auth_user_id") == str(person.pk)


@pytest.mark.django_db
def test_repeated_wrong_passwords_for_one_account_are_throttled():
    person = UserFactory()
    client = Client(REMOTE_ADDR=WORKSHOP_IP)
    for _ in range(5):
        response = client.post(reverse("account_login"), {"login": person.phone, "password": "x"})
        assert response.status_code == 200
    # Even the right password is refused while the account is throttled.
    response = client.post(reverse("account_login"), {"login": person.phone, "password": PASSWORD})
    assert response.status_code in {200, 429}
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_missing_page_is_a_friendly_indonesian_404(client):
    response = client.get("/tidak-ada/")
    assert response.status_code == 404
    body = response.content.decode()
    assert '<html lang="id">' in body
    assert 'href="/"' in body


def test_server_error_page_renders_without_a_database():
    from ukmlearn.errors import server_error

    response = server_error(None)
    assert response.status_code == 500
    assert b"<h1>" in response.content


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("failure", "status"),
    [
        (OperationalError("server closed the connection unexpectedly"), 503),
        (InterfaceError("connection already closed"), 503),
        (ValueError("a bug"), 500),
    ],
    ids=["database away", "connection closed", "a bug"],
)
def test_a_database_outage_answers_try_again_later_and_a_bug_a_plain_500(failure, status):
    learner = UserFactory()
    client = Client(raise_request_exception=False)
    client.force_login(learner)

    with mock.patch("courses.views.selectors.published_courses", side_effect=failure):
        response = client.get(reverse("courses:course_list"))

    assert response.status_code == status
    body = response.content.decode()
    if status == 503:
        assert response["Retry-After"] == "30"
        assert "Sebentar" in body or "sibuk" in body.lower()
    else:
        assert "Retry-After" not in response
