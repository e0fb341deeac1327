"""Sign-up with a phone number or an e-mail, phone verification, sign-in and sign-out."""

import re

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from tests.factories import PASSWORD, UserFactory
from ukmlearn import gateway
from ukmlearn.users.models import Consent, User

NEW_PASSWORD = "Kopi-Susu-Gula-Aren"


def indonesian(msgid: str) -> str:
    """The Indonesian text of an allauth or Django message; fails if it is not translated."""
    with translation.override("id"):
        text = gettext(msgid)
    assert text != msgid, f"no Indonesian translation for {msgid!r}"
    return text


def signup(client, **overrides):
    data = {
        "name": "Siti Aminah",
        "phone": "",
        "email": "",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        "timezone": "Asia/Makassar",
        "consent": "on",
    }
    data.update(overrides)
    return client.post(reverse("account_signup"), data)


def verification_code() -> str:
    assert len(gateway.outbox) == 1
    return re.search(r"\b[A-Z]{4}-[A-Z]{4}\b", gateway.outbox[0].text).group(0)


def form_errors(response):
    assert response.status_code == 200
    return response.context["form"].errors


def logged_in_user_id(client):
    return client.session.get("_auth_user_id")


# --- Sign-up ---------------------------------------------------------------------


@pytest.mark.django_db
def test_the_signup_page_is_in_indonesian(client):
    response = client.get(reverse("account_signup"))
    body = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="id">' in body
    assert re.search(r"<h1>\s*{}\s*</h1>".format(re.escape(indonesian("Sign Up"))), body)


@pytest.mark.django_db
def test_it_signs_up_with_a_phone_number_only(client):
    response = signup(client, phone="0812-3456-7890")

    assert response.status_code == 302
    assert response["Location"] == reverse("account_verify_phone")
    user = User.objects.get()
    assert user.phone == "+6281234567890"
    assert user.email == ""
    assert user.name == "Siti Aminah"
    assert user.timezone == "Asia/Makassar"
    assert user.is_learner
    assert not user.phone_verified
    assert user.check_password(NEW_PASSWORD)


@pytest.mark.django_db
def test_it_records_consent_to_the_current_privacy_notice_at_signup(client):
    signup(client, phone="0812-3456-7890")

    consent = Consent.objects.get()
    assert consent.user == User.objects.get()
    assert consent.document == Consent.Document.PRIVACY
    assert consent.version == settings.PRIVACY_NOTICE_VERSION
    assert consent.channel == "signup"
    assert consent.withdrawn_at is None


@pytest.mark.django_db
def test_it_sends_a_code_to_the_new_phone_and_entering_it_verifies_the_phone(client):
    signup(client, phone="0812 3456 7890")
    assert [message.to for message in gateway.outbox] == ["+6281234567890"]
    code = verification_code()

    page = client.get(reverse("account_verify_phone"))
    assert page.status_code == 200
    sent = indonesian("A verification code has been sent to %(phone)s.") % {
        "phone": "+6281234567890"
    }
    assert sent in page.content.decode()
    # Not signed in until the number is verified.
    assert logged_in_user_id(client) is None

    response = client.post(reverse("account_verify_phone"), {"code": code})

    assert response.status_code == 302
    assert response["Location"] == reverse("business_profile")
    user = User.objects.get()
    assert user.phone_verified
    assert logged_in_user_id(client) == str(user.pk)


@pytest.mark.django_db
def test_a_wrong_verification_code_leaves_the_phone_unverified(client):
    signup(client, phone="0812 3456 7890")
    code = verification_code()
    wrong = "AAAA-AAAA" if code != "AAAA-AAAA" else "BBBB-BBBB"

    response = client.post(reverse("account_verify_phone"), {"code": wrong})

    assert form_errors(response)["code"] == [indonesian("Incorrect code.")]
    assert not User.objects.get().phone_verified
    assert logged_in_user_id(client) is None


@pytest.mark.django_db
def test_it_signs_up_with_an_email_only(client):
    response = signup(client, email="Siti@Example.com")

    assert response.status_code == 302
    assert response["Location"] == reverse("business_profile")
    user = User.objects.get()
    assert user.phone is None
    assert user.email == "siti@example.com"
    assert logged_in_user_id(client) == str(user.pk)
    assert Consent.objects.filter(user=user, channel="signup").exists()
    assert gateway.outbox == []
    assert [message.to for message in mail.outbox] == [["siti@example.com"]]


@pytest.mark.django_db
def test_it_asks_for_a_phone_or_an_email_and_keeps_the_other_entries(client):
    response = signup(client, name="Dewi Lestari", timezone="Asia/Jayapura")

    assert form_errors(response)["phone"]
    assert not User.objects.exists()
    form = response.context["form"]
    assert form["name"].value() == "Dewi Lestari"
    assert form["timezone"].value() == "Asia/Jayapura"
    body = response.content.decode()
    assert 'value="Dewi Lestari"' in body
    assert '<option value="Asia/Jayapura" selected>' in body
    # Passwords are never sent back to the browser.
    assert NEW_PASSWORD not in body


@pytest.mark.django_db
def test_it_refuses_a_phone_that_already_has_an_account_typed_another_way(client):
    UserFactory(phone="+6281234567890")

    response = signup(client, phone="0812 3456 7890", name="Dewi Lestari")

    assert form_errors(response)["phone"]
    assert User.objects.count() == 1
    assert 'value="Dewi Lestari"' in response.content.decode()


@pytest.mark.django_db
def test_it_refuses_an_email_that_already_has_an_account_in_another_case(client):
    signup(Client(), email="Budi.Santoso@Example.com")

    response = signup(client, email="BUDI.SANTOSO@example.COM")

    assert len(form_errors(response)["email"]) == 1
    assert User.objects.count() == 1


@pytest.mark.django_db
def test_it_refuses_an_email_that_staff_saved_with_capitals(client):
    UserFactory(email="Budi.Santoso@example.com")

    response = signup(client, email="budi.santoso@example.com")

    assert form_errors(response)["email"]
    assert User.objects.count() == 1


@pytest.mark.django_db
def test_an_invalid_email_alone_gets_only_the_email_error(client):
    response = signup(client, email="bukan-email")

    errors = form_errors(response)
    assert errors["email"]
    assert "phone" not in errors


@pytest.mark.parametrize(
    "password, msgid",
    [
        ("password", "This password is too common."),
        ("83920174", "This password is entirely numeric."),
    ],
)
@pytest.mark.django_db
def test_it_refuses_a_weak_password(client, password, msgid):
    response = signup(client, phone="0812 3456 7890", password1=password, password2=password)

    assert indonesian(msgid) in form_errors(response)["password1"]
    assert not User.objects.exists()
    assert gateway.outbox == []


@pytest.mark.django_db
def test_it_refuses_a_short_password(client):
    response = signup(client, phone="0812 3456 7890", password1="Kp-9x", password2="Kp-9x")

    assert form_errors(response)["password1"]
    assert not User.objects.exists()


@pytest.mark.django_db
def test_it_refuses_passwords_that_do_not_match(client):
    response = signup(client, phone="0812 3456 7890", password2="Kopi-Susu-Gula-Merah")

    assert form_errors(response)["password2"] == [
        indonesian("You must type the same password each time.")
    ]
    assert not User.objects.exists()


@pytest.mark.django_db
def test_it_needs_consent_to_the_privacy_notice(client):
    response = signup(client, phone="0812 3456 7890", consent="")

    assert form_errors(response)["consent"]
    assert not User.objects.exists()
    assert not Consent.objects.exists()
    assert gateway.outbox == []


@pytest.mark.django_db
def test_it_refuses_a_name_longer_than_150_characters(client):
    response = signup(client, phone="0812 3456 7890", name="A" * 151)

    assert form_errors(response)["name"]
    assert not User.objects.exists()


@pytest.mark.django_db
def test_it_accepts_a_name_of_exactly_150_characters(client):
    signup(client, phone="0812 3456 7890", name="A" * 150)

    assert User.objects.get().name == "A" * 150


@pytest.mark.parametrize("phone", ["022-1234567", "abc", "0812", "0" * 40])
@pytest.mark.django_db
def test_it_refuses_a_number_that_is_not_a_mobile_number(client, phone):
    response = signup(client, phone=phone)

    assert form_errors(response)["phone"]
    assert not User.objects.exists()
    assert gateway.outbox == []


@pytest.mark.parametrize(
    "overrides",
    [
        {"phone": "0812\x003456 7890"},
        {"email": "siti\x00@example.com"},
        {"name": "Siti\x00"},
        {"timezone": "Europe/Paris"},
        {"timezone": ""},
        {"phone": "0812 3456 7890", "email": "x" * 400 + "@example.com"},
        {"phone": "٠٨١٢٣٤٥٦٧٨٩٠"},
    ],
)
@pytest.mark.django_db
def test_signup_answers_bad_input_with_a_form_not_a_server_error(client, overrides):
    response = signup(client, **overrides)

    assert response.status_code in {200, 302}
    if response.status_code == 200:
        assert response.context["form"].errors


# --- Sign-in and sign-out ----------------------------------------------------------


@pytest.mark.parametrize("typed", ["0812-3456-7890", "+62 812 3456 7890", "6281234567890"])
@pytest.mark.django_db
def test_it_signs_in_with_the_phone_number_in_any_format(client, typed):
    user = UserFactory(phone="+6281234567890")

    response = client.post(reverse("account_login"), {"login": typed, "password": PASSWORD})

    assert response.status_code == 302
    assert logged_in_user_id(client) == str(user.pk)


@pytest.mark.django_db
def test_it_signs_in_with_the_email_address(client):
    user = UserFactory(email="siti@example.com")

    response = client.post(
        reverse("account_login"), {"login": "Siti@Example.com", "password": PASSWORD}
    )

    assert response.status_code == 302
    assert logged_in_user_id(client) == str(user.pk)


@pytest.mark.django_db
def test_a_wrong_password_shows_an_error_and_starts_no_session(client):
    UserFactory(phone="+6281234567890")

    response = client.post(
        reverse("account_login"), {"login": "0812-3456-7890", "password": "Salah-Sandi-2026"}
    )

    assert form_errors(response).get("__all__") == [
        indonesian("The phone number and/or password you specified are not correct.")
    ]
    assert logged_in_user_id(client) is None
    # The typed number stays in the form.
    assert 'value="0812-3456-7890"' in response.content.decode()


@pytest.mark.parametrize(
    "login", ["0812 3456 ABCD", "x" * 300, "0812\x003456", "", "bukan@", "0" * 40]
)
@pytest.mark.django_db
def test_sign_in_answers_bad_input_with_a_form_not_a_server_error(client, login):
    UserFactory(phone="+6281234567890")

    response = client.post(reverse("account_login"), {"login": login, "password": PASSWORD})

    assert form_errors(response)
    assert logged_in_user_id(client) is None


@pytest.mark.django_db
def test_a_learner_signing_in_for_the_first_time_lands_on_the_business_profile(client):
    UserFactory(phone="+6281234567890")

    response = client.post(
        reverse("account_login"), {"login": "0812-3456-7890", "password": PASSWORD}, follow=True
    )

    assert response.redirect_chain[-1][0] == reverse("business_profile")


@pytest.mark.django_db
def test_sign_out_by_get_only_asks_for_confirmation(learner):
    response = learner.client.get(reverse("account_logout"))

    assert response.status_code == 200
    body = response.content.decode()
    assert indonesian("Are you sure you want to sign out?") in body
    assert f'action="{reverse("account_logout")}"' in body
    assert logged_in_user_id(learner.client) == str(learner.user.pk)
    assert learner.client.get(reverse("home")).status_code == 200


@pytest.mark.django_db
def test_sign_out_by_post_ends_the_session(learner):
    response = learner.client.post(reverse("account_logout"))

    assert response.status_code == 302
    assert logged_in_user_id(learner.client) is None
    home = learner.client.get(reverse("home"))
    assert home.status_code == 302
    assert home["Location"].startswith(reverse("account_login"))
