"""Two-factor authentication for staff and mentors (issue 9): required before any page, the
admin included; the sign-in asks for the code; learners and partners are not held up."""

import io

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory
from ukmlearn.users.management.commands.seed_demo import DEMO_TOTP_SECRET

pytestmark = pytest.mark.django_db

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DP"


def without_two_factor(**roles):
    user = UserFactory(is_learner=False, **roles)
    Authenticator.objects.filter(user=user).delete()
    client = Client()
    client.force_login(user)
    return user, client


def current_code(secret: str) -> str:
    counters = list(yield_hotp_counters_from_time())
    return format_hotp_value(hotp_value(secret, counters[len(counters) // 2]))


@pytest.mark.parametrize("roles", [{"is_staff": True}, {"is_mentor": True}])
@pytest.mark.parametrize(
    "url_name", ["home", "cohorts:cohort_list", "admin:index", "privacy:audit_log"]
)
def test_staff_and_mentors_without_two_factor_are_sent_to_set_it_up(roles, url_name):
    _user, client = without_two_factor(**roles)

    response = client.get(reverse(url_name))

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


def test_setting_it_up_and_signing_out_stay_open_without_two_factor():
    _user, client = without_two_factor(is_staff=True)

    assert client.get(reverse("mfa_index")).status_code == 200
    assert client.get(reverse("privacy")).status_code == 200
    assert client.post(reverse("account_logout")).status_code == 302


def test_once_set_up_the_pages_open_without_signing_in_again():
    user, client = without_two_factor(is_staff=True)
    assert client.get(reverse("cohorts:cohort_list")).status_code == 302

    TOTP.activate(user, SECRET)

    assert client.get(reverse("cohorts:cohort_list")).status_code == 200


def test_learners_and_partners_are_not_asked(learner, partner):
    assert learner.client.get(reverse("home")).status_code == 200
    assert partner.client.get(reverse("outcomes:report")).status_code == 200


def test_the_sign_in_asks_staff_for_the_code_and_refuses_a_wrong_one():
    user = UserFactory(is_staff=True, is_learner=False)  # the factory sets up two-factor
    Authenticator.objects.filter(user=user).delete()
    TOTP.activate(user, SECRET)
    client = Client()

    response = client.post(reverse("account_login"), {"login": user.phone, "password": PASSWORD})
    assert response["Location"] == reverse("mfa_authenticate")
    # Half-way through, nothing is open yet.
    assert client.get(reverse("cohorts:cohort_list")).status_code == 302

    wrong = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert wrong.status_code == 200
    assert wrong.context["form"].errors

    right = client.post(reverse("mfa_authenticate"), {"code": current_code(SECRET)})
    assert right.status_code == 302
    assert client.get(reverse("cohorts:cohort_list")).status_code == 200


def test_the_demo_code_command_shows_only_demo_accounts(capsys):
    demo = UserFactory(is_staff=True, is_learner=False, phone="+6281100000001")
    Authenticator.objects.filter(user=demo).delete()
    TOTP.activate(demo, DEMO_TOTP_SECRET)
    other = UserFactory(is_mentor=True, is_learner=False, phone="+6281100000099")

    out = io.StringIO()
    call_command("totp_code", "0811-0000-0001", stdout=out)
    assert out.getvalue().strip() == current_code(DEMO_TOTP_SECRET)

    with pytest.raises(CommandError, match="demo"):
        call_command("totp_code", other.phone)


def test_seed_demo_sets_up_two_factor_for_demo_staff_and_mentors():
    call_command("seed_demo", stdout=io.StringIO())

    from ukmlearn.users.models import User

    for phone in ("+6281100000001", "+6281100000011", "+6281100000012"):
        user = User.objects.get(phone=phone)
        assert Authenticator.objects.filter(user=user, type="totp").exists(), phone
    learner = User.objects.get(phone="+6281200000001")
    assert not Authenticator.objects.filter(user=learner).exists()
