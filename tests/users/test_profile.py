"""The business profile asked once after sign-up, account settings and the language switch."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import UserFactory
from ukmlearn.users.models import BusinessProfile

VALID = {
    "business_name": "Warung Bu Sri",
    "sector": "kuliner",
    "city": "Garut",
    "province": "jabar",
    "year_started": "2019",
    "workers": "3",
}


@pytest.fixture
def newcomer(db):
    """A learner who has just signed up: no business profile yet."""
    user = UserFactory(name="Sri Wahyuni")
    client = Client()
    client.force_login(user)
    return user, client


def form_errors(response):
    assert response.status_code == 200
    return response.context["form"].errors


def html_lang(response) -> str:
    return re.search(r'<html lang="([^"]*)">', response.content.decode()).group(1)


# --- Business profile -----------------------------------------------------------------


def test_a_learner_without_a_profile_is_sent_from_home_to_the_profile_form(newcomer):
    _user, client = newcomer

    response = client.get(reverse("home"))

    assert response.status_code == 302
    assert response["Location"] == reverse("business_profile")
    assert client.get(reverse("business_profile")).status_code == 200


def test_a_learner_with_a_profile_sees_home(learner):
    assert learner.client.get(reverse("home")).status_code == 200


@pytest.mark.parametrize("change", ["deleted", "founding year removed"])
def test_home_asks_for_the_profile_again_once_it_is_no_longer_complete(learner, change):
    """A complete profile is remembered in the cache; changing the profile forgets it."""
    assert learner.client.get(reverse("home")).status_code == 200
    profile = BusinessProfile.objects.get(user=learner.user)

    if change == "deleted":
        profile.delete()
    else:
        profile.year_started = None
        profile.save()

    response = learner.client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("business_profile")


@pytest.mark.parametrize("who", ["mentor", "staff"])
def test_mentors_and_staff_are_not_asked_for_a_business_profile(request, who):
    persona = request.getfixturevalue(who)

    assert persona.client.get(reverse("home")).status_code == 200


@pytest.mark.parametrize("url_name", ["home", "business_profile", "account_settings"])
def test_an_anonymous_visitor_is_sent_to_sign_in(db, anonymous, url_name):
    response = anonymous.client.get(reverse(url_name))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_a_valid_profile_is_saved_and_onboarding_asks_what_help_is_wanted(newcomer):
    user, client = newcomer

    response = client.post(reverse("business_profile"), VALID)

    assert response.status_code == 302
    assert response["Location"] == reverse("mentoring:learner_needs")
    profile = BusinessProfile.objects.get(user=user)
    assert profile.business_name == "Warung Bu Sri"
    assert profile.city == "Garut"
    assert (profile.year_started, profile.workers) == (2019, 3)
    assert client.get(reverse("home")).status_code == 200


def test_this_year_and_one_worker_are_accepted(newcomer):
    user, client = newcomer
    this_year = timezone.localdate().year

    response = client.post(
        reverse("business_profile"), {**VALID, "year_started": this_year, "workers": "1"}
    )

    assert response.status_code == 302
    assert BusinessProfile.objects.get(user=user).year_started == this_year


@pytest.mark.parametrize(
    "field, value",
    [
        ("year_started", "next year"),
        ("year_started", "1800"),
        ("year_started", "1899"),
        ("year_started", "99999999"),
        ("year_started", "dua ribu"),
        ("workers", "0"),
        ("workers", "-1"),
        ("workers", "10001"),
        ("workers", "99999999"),
        ("sector", "tambang"),
        ("province", "narnia"),
        ("business_name", "W" * 121),
        ("city", ""),
    ],
)
def test_an_invalid_entry_is_refused_and_the_other_entries_are_kept(newcomer, field, value):
    user, client = newcomer
    if value == "next year":
        value = str(timezone.localdate().year + 1)

    response = client.post(reverse("business_profile"), {**VALID, field: value})

    errors = form_errors(response)
    assert list(errors) == [field]
    assert not BusinessProfile.objects.filter(user=user).exists()
    body = response.content.decode()
    for other, kept in VALID.items():
        if other == field:
            continue
        form_value = response.context["form"][other].value()
        assert str(form_value) == kept
        if other in {"business_name", "city", "year_started", "workers"}:
            assert f'name="{other}" value="{kept}"' in body


def test_editing_updates_the_existing_profile(learner):
    response = learner.client.post(
        reverse("business_profile"), {**VALID, "business_name": "Warung Siti Baru"}
    )

    assert response.status_code == 302
    assert BusinessProfile.objects.filter(user=learner.user).count() == 1
    assert BusinessProfile.objects.get(user=learner.user).business_name == "Warung Siti Baru"


def test_the_form_shows_only_your_own_profile(learner, other_learner):
    response = learner.client.get(reverse("business_profile"))

    body = response.content.decode()
    assert learner.user.business_profile.business_name in body
    assert other_learner.user.business_profile.business_name not in body


def test_a_post_naming_another_user_only_ever_changes_your_own_profile(learner, other_learner):
    theirs = other_learner.user.business_profile
    theirs_before = (theirs.business_name, theirs.city, theirs.updated_at)
    data = {
        **VALID,
        "business_name": "Diambil Alih",
        "user": other_learner.user.pk,
        "user_id": other_learner.user.pk,
        "id": theirs.pk,
        "pk": theirs.pk,
    }

    learner.client.post(reverse("business_profile"), data)

    theirs.refresh_from_db()
    assert (theirs.business_name, theirs.city, theirs.updated_at) == theirs_before
    assert BusinessProfile.objects.get(user=learner.user).business_name == "Diambil Alih"
    assert BusinessProfile.objects.count() == 2


def test_a_newcomer_naming_another_user_gets_a_profile_of_their_own(newcomer, other_learner):
    user, client = newcomer
    theirs = other_learner.user.business_profile

    client.post(reverse("business_profile"), {**VALID, "user": other_learner.user.pk})

    assert BusinessProfile.objects.get(user=user).business_name == "Warung Bu Sri"
    theirs.refresh_from_db()
    assert theirs.business_name != "Warung Bu Sri"


@pytest.mark.parametrize(
    "data",
    [
        {"year_started": "2019\x00"},
        {"business_name": "Warung\x00"},
        {"workers": "3.5"},
        {"workers": "1e3"},
        {"year_started": "-2019"},
    ],
)
def test_the_profile_form_answers_bad_input_with_errors_not_a_server_error(newcomer, data):
    user, client = newcomer

    response = client.post(reverse("business_profile"), {**VALID, **data})

    assert form_errors(response)
    assert not BusinessProfile.objects.filter(user=user).exists()


# --- Account settings -------------------------------------------------------------------


def test_the_chosen_time_zone_is_saved(learner):
    response = learner.client.post(
        reverse("account_settings"), {"name": "Siti Aminah", "timezone": "Asia/Jayapura"}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("account_settings")
    learner.user.refresh_from_db()
    assert learner.user.timezone == "Asia/Jayapura"


@pytest.mark.parametrize("zone", ["Europe/Paris", "UTC", "", "Asia/Jakarta\x00"])
def test_a_time_zone_outside_the_three_indonesian_zones_is_refused(learner, zone):
    response = learner.client.post(
        reverse("account_settings"), {"name": "Siti Aminah", "timezone": zone}
    )

    assert form_errors(response)["timezone"]
    learner.user.refresh_from_db()
    assert learner.user.timezone == "Asia/Jakarta"


def test_an_empty_name_is_refused(learner):
    response = learner.client.post(
        reverse("account_settings"), {"name": "", "timezone": "Asia/Makassar"}
    )

    assert form_errors(response)["name"]
    learner.user.refresh_from_db()
    assert learner.user.name == "Siti Aminah"
    assert learner.user.timezone == "Asia/Jakarta"


def test_settings_cannot_change_roles_or_the_phone_number(learner):
    phone = learner.user.phone

    learner.client.post(
        reverse("account_settings"),
        {
            "name": "Siti Aminah",
            "timezone": "Asia/Makassar",
            "is_staff": "on",
            "is_mentor": "on",
            "phone": "+6281299990000",
            "phone_verified": "",
        },
    )

    learner.user.refresh_from_db()
    assert learner.user.timezone == "Asia/Makassar"
    assert not learner.user.is_staff
    assert not learner.user.is_mentor
    assert learner.user.phone == phone
    assert learner.user.phone_verified


def test_settings_change_only_the_signed_in_persons_account(learner, other_learner):
    learner.client.post(
        reverse("account_settings"),
        {"name": "Siti Aminah", "timezone": "Asia/Jayapura", "id": other_learner.user.pk},
    )

    other_learner.user.refresh_from_db()
    assert other_learner.user.timezone == "Asia/Jakarta"
    assert other_learner.user.name == "Dewi Lestari"


# --- Language -------------------------------------------------------------------------


def test_pages_are_in_indonesian_by_default(learner):
    assert html_lang(learner.client.get(reverse("home"))) == "id"


def test_switching_to_english_sets_the_cookie_saves_the_choice_and_changes_the_pages(learner):
    response = learner.client.post(reverse("language_switch"), {"language": "en", "next": "/"})

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert response.cookies["django_language"].value == "en"
    learner.user.refresh_from_db()
    assert learner.user.language == "en"
    assert html_lang(learner.client.get(reverse("home"))) == "en"
    assert html_lang(learner.client.get(reverse("business_profile"))) == "en"


def test_an_anonymous_visitor_can_switch_language_too(db, anonymous):
    response = anonymous.client.post(reverse("language_switch"), {"language": "en"})

    assert response.status_code == 302
    assert html_lang(anonymous.client.get(reverse("account_login"))) == "en"


def test_switching_back_to_indonesian_works(learner):
    learner.client.post(reverse("language_switch"), {"language": "en"})

    learner.client.post(reverse("language_switch"), {"language": "id"})

    learner.user.refresh_from_db()
    assert learner.user.language == "id"
    assert html_lang(learner.client.get(reverse("home"))) == "id"


@pytest.mark.parametrize("language", ["fr", "xx", "", "en\x00"])
def test_an_unknown_language_changes_nothing(learner, language):
    response = learner.client.post(reverse("language_switch"), {"language": language})

    assert response.status_code == 302
    learner.user.refresh_from_db()
    assert learner.user.language == "id"
    assert html_lang(learner.client.get(reverse("home"))) == "id"


def test_the_language_switch_refuses_get(learner):
    response = learner.client.get(reverse("language_switch"), {"language": "en"})

    assert response.status_code == 405
    learner.user.refresh_from_db()
    assert learner.user.language == "id"


def test_the_language_switch_does_not_redirect_off_site(learner):
    response = learner.client.post(
        reverse("language_switch"), {"language": "en", "next": "https://evil.example/"}
    )

    assert response.status_code == 302
    assert not response["Location"].startswith("https://evil.example")
