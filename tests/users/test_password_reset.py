"""Forgot password by phone: a 6-digit code through the gateway, 15 minutes, 3 tries."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.contrib.messages import ERROR, get_messages
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import PASSWORD, UserFactory
from ukmlearn import gateway

NEW_PASSWORD = "Kopi-Susu-Gula-Aren"
SESSION_KEY = "ukmlearn_phone_reset"


@pytest.fixture
def person(db):
    return UserFactory(name="Siti Aminah", phone="+6281234567890", phone_verified=False)


def request_code(client, phone="0812-3456-7890"):
    return client.post(reverse("phone_reset_request"), {"phone": phone})


def sent_code() -> str:
    assert len(gateway.outbox) == 1
    return re.search(r"\b\d{6}\b", gateway.outbox[0].text).group(0)


def other_code(code: str) -> str:
    return f"{(int(code) + 1) % 10**6:06d}"


def confirm(client, code, password=NEW_PASSWORD, password2=None):
    return client.post(
        reverse("phone_reset_confirm"),
        {"code": code, "password1": password, "password2": password2 or password},
    )


def form_errors(response):
    assert response.status_code == 200
    return response.context["form"].errors


def test_it_sends_a_code_to_a_known_number(client, person):
    response = request_code(client, "+62 812 3456 7890")

    assert response.status_code == 302
    assert response["Location"] == reverse("phone_reset_confirm")
    assert [message.to for message in gateway.outbox] == ["+6281234567890"]
    assert sent_code()
    assert client.get(reverse("phone_reset_confirm")).status_code == 200


def test_an_unknown_number_gets_the_same_answer_and_nothing_is_sent(person):
    known, unknown = Client(), Client()

    known_response = request_code(known, "0812-3456-7890")
    gateway.outbox.clear()
    unknown_response = request_code(unknown, "0812-9999-0000")

    assert unknown_response.status_code == known_response.status_code == 302
    assert unknown_response["Location"] == known_response["Location"]
    assert gateway.outbox == []
    assert set(unknown.session[SESSION_KEY]) == set(known.session[SESSION_KEY])
    page = unknown.get(reverse("phone_reset_confirm"))
    assert page.status_code == 200
    # Any code is simply "wrong", the same answer a known number gets.
    assert form_errors(confirm(unknown, "123456"))["code"]


def test_the_right_code_and_a_new_password_change_the_password_and_verify_the_phone(client, person):
    request_code(client)

    response = confirm(client, sent_code())

    assert response.status_code == 302
    assert response["Location"] == reverse("account_login")
    person.refresh_from_db()
    assert person.check_password(NEW_PASSWORD)
    assert not person.check_password(PASSWORD)
    assert person.phone_verified
    assert SESSION_KEY not in client.session
    signed_in = Client()
    signed_in.post(reverse("account_login"), {"login": "0812 3456 7890", "password": NEW_PASSWORD})
    assert signed_in.session.get("_auth_user_id") == str(person.pk)


def test_the_code_works_only_once(client, person):
    request_code(client)
    code = sent_code()
    confirm(client, code)

    response = confirm(client, code, password="Teh-Manis-Hangat-2026")

    assert response.status_code == 302
    assert response["Location"] == reverse("phone_reset_request")
    person.refresh_from_db()
    assert person.check_password(NEW_PASSWORD)


def test_a_wrong_code_counts_down_the_tries(client, person):
    request_code(client)
    wrong = other_code(sent_code())

    first = confirm(client, wrong)
    assert form_errors(first)["code"]
    assert "2" in form_errors(first)["code"][0]
    assert client.session[SESSION_KEY]["attempts"] == 1

    second = confirm(client, wrong)
    assert "1" in form_errors(second)["code"][0]
    assert client.session[SESSION_KEY]["attempts"] == 2
    person.refresh_from_db()
    assert person.check_password(PASSWORD)


def test_the_right_code_still_works_after_two_wrong_ones(client, person):
    request_code(client)
    code = sent_code()
    confirm(client, other_code(code))
    confirm(client, other_code(code))

    response = confirm(client, code)

    assert response.status_code == 302
    person.refresh_from_db()
    assert person.check_password(NEW_PASSWORD)


def test_three_wrong_codes_restart_the_flow(client, person):
    request_code(client)
    code = sent_code()
    for _ in range(2):
        confirm(client, other_code(code))

    response = confirm(client, other_code(code))

    assert response.status_code == 302
    assert response["Location"] == reverse("phone_reset_request")
    assert SESSION_KEY not in client.session
    page = client.get(response["Location"])
    assert [message.level for message in get_messages(page.wsgi_request)] == [ERROR]
    # The right code is no use any more: a new one must be asked for.
    again = confirm(client, code)
    assert again.status_code == 302
    assert again["Location"] == reverse("phone_reset_request")
    person.refresh_from_db()
    assert person.check_password(PASSWORD)


def test_an_expired_code_is_refused(client, person):
    request_code(client)
    code = sent_code()

    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        response = confirm(client, code)

    assert form_errors(response)["code"]
    person.refresh_from_db()
    assert person.check_password(PASSWORD)
    assert not person.phone_verified


def test_a_code_is_still_good_after_14_minutes(client, person):
    request_code(client)
    code = sent_code()

    with time_machine.travel(timezone.now() + timedelta(minutes=14)):
        response = confirm(client, code)

    assert response.status_code == 302
    person.refresh_from_db()
    assert person.check_password(NEW_PASSWORD)


@pytest.mark.parametrize(
    "password, password2",
    [("password", None), ("83920174", None), ("Kp-9", None), (NEW_PASSWORD, "Kopi-Susu-Lain")],
)
def test_a_weak_or_mismatched_new_password_is_refused_without_using_up_a_try(
    client, person, password, password2
):
    request_code(client)
    code = sent_code()

    response = confirm(client, code, password=password, password2=password2)

    errors = form_errors(response)
    assert "password1" in errors or "password2" in errors
    person.refresh_from_db()
    assert person.check_password(PASSWORD)
    assert client.session[SESSION_KEY]["attempts"] == 0
    assert confirm(client, code).status_code == 302


def test_a_new_password_that_is_the_persons_own_phone_number_is_refused(client, person):
    request_code(client)

    response = confirm(client, sent_code(), password="+6281234567890")

    assert form_errors(response)["password1"]
    person.refresh_from_db()
    assert person.check_password(PASSWORD)


@pytest.mark.parametrize("code", ["12345", "1234567", "", "12\x003456"])
def test_a_malformed_code_is_a_form_error(client, person, code):
    request_code(client)

    response = confirm(client, code)

    assert form_errors(response)["code"]
    person.refresh_from_db()
    assert person.check_password(PASSWORD)


def test_the_fourth_request_for_one_number_within_ten_minutes_is_refused(person):
    # Typed three different ways from three browsers: still one number.
    for typed in ["0812-3456-7890", "+62 812 3456 7890", "6281234567890"]:
        assert request_code(Client(), typed).status_code == 302
    assert len(gateway.outbox) == 3

    fourth = Client()
    response = request_code(fourth, "0812 3456 7890")

    assert form_errors(response)["__all__"]
    assert len(gateway.outbox) == 3
    assert SESSION_KEY not in fourth.session


def test_the_limit_is_per_number_and_lifts_after_ten_minutes(person):
    for _ in range(3):
        request_code(Client())
    other = UserFactory(phone="+6281234560000")

    assert request_code(Client(), "0812-3456-0000").status_code == 302
    assert gateway.outbox[-1].to == other.phone
    with time_machine.travel(timezone.now() + timedelta(minutes=11)):
        assert request_code(Client()).status_code == 302
    assert gateway.outbox[-1].to == person.phone


@pytest.mark.django_db
def test_unknown_numbers_are_rate_limited_the_same_way():
    for _ in range(3):
        assert request_code(Client(), "0812-9999-0000").status_code == 302

    response = request_code(Client(), "0812-9999-0000")

    assert form_errors(response)["__all__"]


@pytest.mark.parametrize("phone", ["022-1234567", "abc", "", "0812", "0" * 40, "08\x0012345678"])
def test_a_bad_number_is_a_form_error_and_nothing_is_sent(client, person, phone):
    response = request_code(client, phone)

    assert form_errors(response)["phone"]
    assert gateway.outbox == []
    assert SESSION_KEY not in client.session


def test_it_says_so_when_the_gateway_cannot_send_the_code(client, person, monkeypatch):
    def broken(*, to, text):
        raise gateway.GatewayError("HTTP 503")

    monkeypatch.setattr(gateway, "send_message", broken)

    response = request_code(client)

    assert form_errors(response)["__all__"]
    assert SESSION_KEY not in client.session


@pytest.mark.django_db
def test_the_code_page_without_a_request_sends_you_back(client):
    get = client.get(reverse("phone_reset_confirm"))
    post = confirm(client, "123456")

    assert get.status_code == post.status_code == 302
    assert get["Location"] == post["Location"] == reverse("phone_reset_request")


def test_replaying_the_same_session_state_cannot_reset_the_count_of_tries(person):
    """Parallel requests carry the same session (attempts=0 in each): the count is shared."""
    from dataclasses import replace

    from ukmlearn.users import services

    state, code = services.phone_reset_issue(phone=person.phone)
    for _ in range(services.RESET_MAX_ATTEMPTS):
        assert services.phone_reset_check(state=replace(state), code=other_code(code)) is None
    # A fresh copy of the state that says "no tries yet" does not open the door.
    assert services.phone_reset_check(state=replace(state, attempts=0), code=code) is None
