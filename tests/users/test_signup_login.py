import re
import pytest
from django.urls import reverse
from django.test import Client
from ukmlearn import gateway
from ukmlearn.users.models import User, Consent
from tests.factories import UserFactory, PASSWORD

@pytest.mark.django_db
def test_explore():
    u = UserFactory(phone="+6281234567890", email="siti@example.com")
    for login in ["0812-3456-7890", "+62 812 3456 7890", "6281234567890", "siti@example.com", "SITI@Example.com", "081234567890", "0812 3456 ABCD"]:
        c = Client()
        r = c.post(reverse("account_login"), {"login": login, "password": PASSWORD})
        print(login, r.status_code, r.get("Location"), c.session.get("_auth_user_id"))
    c = Client()
    r = c.post(reverse("account_login"), {"login": "0812-3456-7890", "password": "salah"})
    print(r.status_code, r.context["form"].errors.as_data(), c.session.get("_auth_user_id"))
    print(re.findall(r'<ul class="errorlist.*?</ul>', r.content.decode(), re.S))
    r = c.post(reverse("account_login"), {"login": "x"*300, "password": "salah"})
    print(r.status_code, r.context["form"].errors.as_data())
    c.force_login(u)
    r = c.get(reverse("account_logout"))
    print(r.status_code, c.session.get("_auth_user_id"))
    print(re.findall(r'<main.*?</main>', r.content.decode(), re.S)[0])
    r = c.post(reverse("account_logout"))
    print(r.status_code, r.get("Location"), c.session.get("_auth_user_id"))
