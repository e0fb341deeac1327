"""Staff invite a person; the one-time link lets that person set a password."""

import hashlib
import re
import urllib.parse
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import PASSWORD, UserFactory
from ukmlearn import gateway
from ukmlearn.celery import app as celery_app
from ukmlearn.users import services
from ukmlearn.users.models import Consent, Invitation, User
from ukmlearn.users.tasks import send_invitation_message

NEW_PASSWORD = "Kopi-Susu-Gula-Aren"
PHONE = "+6281277778888"


def invite(staff, *, phone="0812 7777 8888", name="Ani Wijaya", role="learner", send=False):
    data = {"name": name, "phone": phone, "role": role}
    if send:
        data["send_message"] = "on"
    return staff.client.post(reverse("invite_person"), data)


def link_on_page(response) -> str:
    assert response.status_code == 200
    body = response.content.decode()
    match = re.search(r'<p class="copy">(http://testserver/invite/[\w-]+/)</p>', body)
    assert match, "no invitation link on the page"
    return match.group(1)


def token_on_page(response) -> str:
    return re.search(r"/invite/([\w-]+)/$", link_on_page(response)).group(1)


def open_link(client, token):
    return client.get(reverse("invitation_open", args=[token]))


def accept(client, password=NEW_PASSWORD, consent=True, password2=None):
    data = {"password1": password, "password2": password2 or password}
    if consent:
        data["consent"] = "on"
    return client.post(reverse("invitation_accept"), data)


def form_errors(response):
    assert response.status_code == 200
    return response.context["form"].errors


# --- Staff create the invitation -----------------------------------------------------


def test_staff_invite_a_person_who_has_no_usable_password_yet(staff):
    response = invite(staff)

    assert response.status_code == 200
    person = User.objects.get(phone=PHONE)
    assert person.name == "Ani Wijaya"
    assert person.is_learner and not person.is_mentor
    assert not person.has_usable_password()
    invitation = Invitation.objects.get(user=person)
    assert invitation.created_by == staff.user
    assert invitation.expires_at == invitation.created_at + timedelta(
        days=settings.INVITATION_VALID_DAYS
    )
    assert invitation.is_usable()
    # Only a hash of the token is stored.
    token = token_on_page(response)
    assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()


def test_an_invited_mentor_is_a_mentor_and_not_a_learner(staff):
    invite(staff, role="mentor")

    person = User.objects.get(phone=PHONE)
    assert person.is_mentor and not person.is_learner


def test_the_page_shows_a_whatsapp_link_carrying_the_url_encoded_invitation_link(staff):
    response = invite(staff)
    link = link_on_page(response)
    body = response.content.decode()

    href = re.search(r'href="(https://wa\.me/[^"]+)"', body).group(1)
    assert href.startswith("https://wa.me/6281277778888?text=")
    assert urllib.parse.quote(link, safe="") in href
    text = urllib.parse.parse_qs(urllib.parse.urlsplit(href).query)["text"][0]
    assert link in text
    assert "Ani Wijaya" in text
    # Nothing goes out through the gateway unless staff ask for it.
    assert gateway.outbox == []


@pytest.mark.parametrize("who", ["learner", "mentor"])
def test_a_person_who_is_not_staff_gets_404(request, who):
    persona = request.getfixturevalue(who)

    get = persona.client.get(reverse("invite_person"))
    post = invite(persona)

    assert get.status_code == post.status_code == 404
    assert not User.objects.filter(phone=PHONE).exists()
    assert not Invitation.objects.exists()


def test_an_anonymous_visitor_is_sent_to_sign_in(db, anonymous):
    response = invite(anonymous)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert not User.objects.filter(phone=PHONE).exists()


def test_a_phone_that_already_has_an_active_account_is_refused(staff, learner):
    learner_phone_typed = "0" + learner.user.phone.removeprefix("+62")

    response = invite(staff, phone=learner_phone_typed, name="Someone Else")

    assert form_errors(response)["phone"]
    assert not Invitation.objects.exists()
    learner.user.refresh_from_db()
    assert learner.user.name == "Siti Aminah"
    assert learner.user.check_password(PASSWORD)


@pytest.mark.parametrize(
    "data",
    [
        {"name": "", "phone": "0812 7777 8888", "role": "learner"},
        {"name": "Ani", "phone": "022-1234567", "role": "learner"},
        {"name": "Ani", "phone": "abc", "role": "learner"},
        {"name": "A" * 151, "phone": "0812 7777 8888", "role": "learner"},
        {"name": "Ani", "phone": "0812 7777 8888", "role": "staff"},
        {"name": "Ani\x00", "phone": "0812 7777 8888", "role": "learner"},
        {"name": "Ani", "phone": "0" * 40, "role": "learner"},
    ],
)
def test_bad_input_re_renders_the_form_and_creates_nobody(staff, data):
    response = staff.client.post(reverse("invite_person"), data)

    assert form_errors(response)
    assert User.objects.count() == 1  # staff only
    assert not Invitation.objects.exists()


def test_re_inviting_revokes_the_older_link(staff):
    first = token_on_page(invite(staff))
    second = token_on_page(invite(staff, name="Ani W."))

    assert open_link(Client(), first).status_code == 410
    assert open_link(Client(), second).status_code == 302
    older, newer = Invitation.objects.order_by("pk")
    assert older.revoked_at is not None
    assert newer.revoked_at is None
    assert User.objects.get(phone=PHONE).name == "Ani W."


def test_re_inviting_with_another_role_gives_the_person_that_role(staff):
    invite(staff, role="mentor")
    invite(staff, role="learner")

    person = User.objects.get(phone=PHONE)
    assert person.is_learner and not person.is_mentor


# --- Sending through the gateway -------------------------------------------------------


@pytest.fixture
def eager_tasks():
    """Run tasks in-process even when REDIS_URL points the app at a real broker."""
    before = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = before


def test_with_send_message_the_link_goes_out_through_the_gateway_after_commit(
    staff, eager_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = invite(staff, send=True)

    assert len(callbacks) == 1
    link = link_on_page(response)
    assert [message.to for message in gateway.outbox] == [PHONE]
    assert link in gateway.outbox[0].text
    assert Invitation.objects.get().sent_at is not None


def test_without_send_message_nothing_goes_out(
    staff, eager_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        invite(staff)

    assert callbacks == []
    assert gateway.outbox == []
    assert Invitation.objects.get().sent_at is None


def test_the_task_sends_an_invitation_only_once(staff):
    invite(staff)
    invitation = Invitation.objects.get()

    send_invitation_message(invitation.pk, "http://testserver/invite/x/")
    send_invitation_message(invitation.pk, "http://testserver/invite/x/")

    assert len(gateway.outbox) == 1


def test_the_task_does_not_send_a_revoked_invitation(staff):
    invite(staff)
    older = Invitation.objects.get()
    invite(staff)

    send_invitation_message(older.pk, "http://testserver/invite/old/")

    assert gateway.outbox == []
    older.refresh_from_db()
    assert older.sent_at is None


# --- The invited person opens the link ---------------------------------------------------


def test_opening_the_link_moves_the_token_out_of_the_url(staff):
    token = token_on_page(invite(staff))
    client = Client()

    response = open_link(client, token)

    assert response.status_code == 302
    assert response["Location"] == reverse("invitation_accept")
    assert token not in response["Location"]
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert token not in page.content.decode()
    assert "Ani" in page.content.decode()
    assert {"password1", "password2", "consent"} <= set(page.context["form"].fields)


def test_setting_the_password_signs_the_person_in_and_records_consent(staff):
    token = token_on_page(invite(staff))
    client = Client()
    open_link(client, token)

    response = accept(client)

    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    person = User.objects.get(phone=PHONE)
    assert client.session.get("_auth_user_id") == str(person.pk)
    assert person.check_password(NEW_PASSWORD)
    assert person.phone_verified
    consent = Consent.objects.get(user=person)
    assert consent.channel == "invitation"
    assert consent.version == settings.PRIVACY_NOTICE_VERSION
    assert Invitation.objects.get().used_at is not None


def test_the_person_can_sign_in_with_the_new_password_afterwards(staff):
    token = token_on_page(invite(staff))
    client = Client()
    open_link(client, token)
    accept(client)

    fresh = Client()
    fresh.post(reverse("account_login"), {"login": "0812-7777-8888", "password": NEW_PASSWORD})

    assert fresh.session.get("_auth_user_id") == str(User.objects.get(phone=PHONE).pk)


def test_the_link_works_no_more_once_used(staff):
    token = token_on_page(invite(staff))
    client = Client()
    open_link(client, token)
    accept(client)

    assert open_link(Client(), token).status_code == 410
    assert open_link(client, token).status_code == 410
    assert client.get(reverse("invitation_accept")).status_code == 410


def test_a_second_browser_that_opened_the_same_link_cannot_set_the_password_again(staff):
    token = token_on_page(invite(staff))
    first, second = Client(), Client()
    open_link(first, token)
    open_link(second, token)
    accept(first)

    response = accept(second, password="Teh-Manis-Hangat-2026")

    assert response.status_code == 410
    assert "_auth_user_id" not in second.session
    assert User.objects.get(phone=PHONE).check_password(NEW_PASSWORD)


def test_accepting_needs_consent(staff):
    token = token_on_page(invite(staff))
    client = Client()
    open_link(client, token)

    response = accept(client, consent=False)

    assert form_errors(response)["consent"]
    assert not User.objects.get(phone=PHONE).has_usable_password()
    assert Invitation.objects.get().used_at is None
    assert not Consent.objects.exists()


@pytest.mark.parametrize(
    "password, password2",
    [("password", None), ("83920174", None), ("Kp-9", None), (NEW_PASSWORD, "Kopi-Susu-Lain")],
)
def test_accepting_refuses_a_weak_or_mismatched_password(staff, password, password2):
    token = token_on_page(invite(staff))
    client = Client()
    open_link(client, token)

    response = accept(client, password=password, password2=password2)

    errors = form_errors(response)
    assert "password1" in errors or "password2" in errors
    assert Invitation.objects.get().used_at is None
    assert accept(client).status_code == 302


def test_accepting_refuses_a_password_that_is_the_persons_name(staff):
    token = token_on_page(invite(staff, name="Ani Wijaya"))
    client = Client()
    open_link(client, token)

    response = accept(client, password="Ani Wijaya")

    assert form_errors(response)["password1"]


def test_an_expired_link_is_gone(staff):
    token = token_on_page(invite(staff))
    days = settings.INVITATION_VALID_DAYS

    with time_machine.travel(timezone.now() + timedelta(days=days, minutes=1)):
        assert open_link(Client(), token).status_code == 410
    with time_machine.travel(timezone.now() + timedelta(days=days, minutes=-1)):
        assert open_link(Client(), token).status_code == 302


def test_a_link_opened_in_time_cannot_be_used_after_it_expires(staff):
    token = token_on_page(invite(staff))
    client = Client()
    open_link(client, token)

    with time_machine.travel(timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS + 1)):
        response = accept(client)

    assert response.status_code == 410
    assert not User.objects.get(phone=PHONE).has_usable_password()


@pytest.mark.parametrize("token", ["not-a-token", "x" * 2000, "%00", "ü"])
@pytest.mark.django_db
def test_an_unknown_token_is_gone(client, token):
    assert open_link(client, token).status_code == 410


@pytest.mark.django_db
def test_the_password_page_without_an_opened_link_is_gone(client):
    assert client.get(reverse("invitation_accept")).status_code == 410
    assert accept(client).status_code == 410


# --- The service ---------------------------------------------------------------------


def test_the_service_accepts_an_invitation_only_once(staff):
    person, invitation, _token = services.person_invite(
        name="Ani Wijaya", phone=PHONE, is_mentor=False, created_by=staff.user
    )

    services.invitation_accept(invitation_id=invitation.pk, password=NEW_PASSWORD)
    with pytest.raises(services.InvitationUnusable):
        services.invitation_accept(invitation_id=invitation.pk, password="Teh-Manis-Hangat-2026")

    person.refresh_from_db()
    assert person.check_password(NEW_PASSWORD)
    assert Consent.objects.filter(user=person).count() == 1


def test_the_service_refuses_a_revoked_invitation(staff):
    _person, older, _token = services.person_invite(
        name="Ani Wijaya", phone=PHONE, is_mentor=False, created_by=staff.user
    )
    services.invitation_create(user=older.user, created_by=staff.user)

    with pytest.raises(services.InvitationUnusable):
        services.invitation_accept(invitation_id=older.pk, password=NEW_PASSWORD)


def test_the_service_refuses_to_invite_someone_who_already_set_a_password(staff, learner):
    with pytest.raises(services.PersonAlreadyActive):
        services.person_invite(
            name="X", phone=learner.user.phone, is_mentor=False, created_by=staff.user
        )


@pytest.mark.parametrize(
    "fields", [{"is_staff": True}, {"is_superuser": True}, {"is_active": False}]
)
def test_an_invitation_never_takes_over_a_staff_or_deactivated_account(staff, fields):
    """Whoever invites receives the password link: a passwordless staff account or a
    deactivated one must not be handed over that way."""
    target = UserFactory(phone="+6281299990000", **fields)
    target.set_unusable_password()
    target.save()
    with pytest.raises(services.PersonAlreadyActive):
        services.person_invite(name="X", phone=target.phone, is_mentor=False, created_by=staff.user)
    target.refresh_from_db()
    assert not target.has_usable_password()
    assert not Invitation.objects.filter(user=target).exists()
