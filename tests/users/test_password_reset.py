import re
import pytest
import time_machine
from datetime import timedelta
from django.utils import timezone
from django.urls import reverse
from django.test import Client
from ukmlearn import gateway
from ukmlearn.users.models import User
from tests.factories import UserFactory, PASSWORD

@pytest.mark.django_db
def test_explore():
    u = UserFactory(phone="+6281234567890", phone_verified=False)
    c = Client()
    r = c.get(reverse("phone_reset_request")); print(r.status_code)
    r = c.post(reverse("phone_reset_request"), {"phone": "0812-3456-7890"})
    print(r.status_code, r.get("Location"), gateway.outbox, dict(c.session))
    code = re.search(r"\d{6}", gateway.outbox[0].text).group(0)
    r = c.get(reverse("phone_reset_confirm")); print(r.status_code)
    r = c.post(reverse("phone_reset_confirm"), {"code": "12345", "password1": "Kopi-Susu-Gula-Aren", "password2": "Kopi-Susu-Gula-Aren"})
    print(r.status_code, r.context["form"].errors.as_data(), dict(c.session))
    wrong = "111111" if code != "111111" else "222222"
    for i in range(3):
        r = c.post(reverse("phone_reset_confirm"), {"code": wrong, "password1": "Kopi-Susu-Gula-Aren", "password2": "Kopi-Susu-Gula-Aren"})
        print(i, r.status_code, r.get("Location"), r.context and r.context["form"].errors.as_data(), dict(c.session))
    r = c.get(r["Location"]); print(re.findall(r'<ul class="messages.*?</ul>', r.content.decode(), re.S))
    r = c.get(reverse("phone_reset_confirm")); print(r.status_code, r.get("Location"))
    # unknown
    c2 = Client()
    gateway.outbox.clear()
    r = c2.post(reverse("phone_reset_request"), {"phone": "0812-0000-1111"})
    print("unknown", r.status_code, r.get("Location"), gateway.outbox, dict(c2.session))
    r = c2.post(reverse("phone_reset_confirm"), {"code": "123456", "password1": "Kopi-Susu-Gula-Aren", "password2": "Kopi-Susu-Gula-Aren"})
    print(r.status_code, r.context["form"].errors.as_data())
    # rate limit
    c3 = Client()
    for i in range(4):
        r = c3.post(reverse("phone_reset_request"), {"phone": "+62 812 3456 7890"})
        print("rl", i, r.status_code, r.get("Location"), r.context and r.context["form"].errors.as_data())
    print(len(gateway.outbox))
    with time_machine.travel(timezone.now() + timedelta(minutes=11)):
        r = c3.post(reverse("phone_reset_request"), {"phone": "+62 812 3456 7890"})
        print("rl after", r.status_code, r.get("Location"))
