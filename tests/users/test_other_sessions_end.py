"""A new password, phone number or e-mail address signs the person out everywhere else
(issue 9): a session stolen before the change must not live on; the phone making the change
stays signed in."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory
from ukmlearn import gateway
from ukmlearn.users.models import User

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "ganti-sandi-baru-2026"
SETTINGS = "account_settings"


def signed_in(user, *, reauthenticated=False) -> Client:
    client = Client()
    response = client.post(reverse("account_login"), {"login": user.phone, "password": PASSWORD})
    assert response.status_code == 302
    if reauthenticated:
        response = client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
        assert response.status_code == 302
    return client


def is_signed_in(client) -> bool:
    return client.get(reverse(SETTINGS)).status_code == 200


@pytest.fixture
def person():
    return UserFactory()


@pytest.fixture
def stranger():
    """Someone else signed in meanwhile: their session must survive."""
    return signed_in(UserFactory())


def test_a_new_password_ends_the_other_sessions_and_keeps_this_one(person, stranger):
    elsewhere, here = signed_in(person), signed_in(person)
    assert is_signed_in(elsewhere)

    response = here.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    assert is_signed_in(here)
    assert not is_signed_in(elsewhere)
    assert is_signed_in(stranger)
    assert User.objects.get(pk=person.pk).check_password(NEW_PASSWORD)


def test_a_wrong_current_password_changes_nothing_and_ends_no_session(person):
    elsewhere, here = signed_in(person), signed_in(person)

    response = here.post(
        reverse("account_change_password"),
        {"oldpassword": "bukan-sandinya", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert response.status_code == 200
    assert is_signed_in(elsewhere)
    assert User.objects.get(pk=person.pk).check_password(PASSWORD)


def test_a_verified_new_phone_number_ends_the_other_sessions(person, stranger):
    elsewhere, here = signed_in(person), signed_in(person, reauthenticated=True)
    gateway.outbox.clear()

    response = here.post(reverse("account_change_phone"), {"phone": "0813 5555 0101"})
    assert response.status_code == 302
    # Nothing changes until the new number is proven.
    assert is_signed_in(elsewhere)
    (message,) = gateway.outbox
    assert message.to == "+6281355550101"
    code = re.search(r"\b[A-Z]{4}-[A-Z]{4}\b", message.text).group(0)

    response = here.post(reverse("account_verify_phone"), {"code": code})

    assert response.status_code == 302
    assert User.objects.get(pk=person.pk).phone == "+6281355550101"
    assert is_signed_in(here)
    assert not is_signed_in(elsewhere)
    assert is_signed_in(stranger)


def test_a_new_e_mail_address_made_primary_ends_the_other_sessions(person, stranger):
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=person, email="lama@example.com", verified=True, primary=True)
    EmailAddress.objects.create(user=person, email="baru@example.com", verified=True)
    elsewhere, here = signed_in(person), signed_in(person, reauthenticated=True)

    response = here.post(
        reverse("account_email"), {"action_primary": "", "email": "baru@example.com"}
    )

    assert response.status_code == 302
    assert EmailAddress.objects.get_primary(person).email == "baru@example.com"
    assert is_signed_in(here)
    assert not is_signed_in(elsewhere)
    assert is_signed_in(stranger)
