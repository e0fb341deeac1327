import pytest
from django.core.management import call_command

from ukmlearn.users.models import BusinessProfile, Consent, User


@pytest.mark.django_db
def test_seed_demo_creates_staff_mentors_and_learners_with_businesses(capsys):
    call_command("seed_demo")
    assert User.objects.filter(is_staff=True).count() == 1
    assert User.objects.filter(is_mentor=True).count() == 2
    learners = User.objects.filter(is_learner=True)
    assert learners.count() == 20
    assert BusinessProfile.objects.filter(user__in=learners).count() == 20
    assert Consent.objects.count() == User.objects.count()
    assert {u.timezone for u in learners} == {"Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"}
    out = capsys.readouterr().out
    assert "0811-0000-0001" in out and "belajar-bareng-2026" in out


@pytest.mark.django_db
def test_seed_demo_is_idempotent():
    call_command("seed_demo")
    snapshot = sorted(User.objects.values_list("phone", "name", "password"))
    profiles = sorted(BusinessProfile.objects.values_list("user__phone", "business_name"))
    call_command("seed_demo")
    assert sorted(User.objects.values_list("phone", "name", "password")) == snapshot
    assert sorted(BusinessProfile.objects.values_list("user__phone", "business_name")) == profiles


@pytest.mark.django_db
def test_demo_learner_can_sign_in_with_the_printed_password(client):
    call_command("seed_demo")
    response = client.post(
        "/accounts/login/", {"login": "0812-0000-0001", "password": "belajar-bareng-2026"}
    )
    assert response.status_code == 302
    assert client.get("/").status_code == 200
