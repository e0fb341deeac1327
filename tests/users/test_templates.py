import pytest
from django.urls import reverse

from ukmlearn import gateway


@pytest.mark.django_db
def test_the_verification_page_shows_the_number_the_way_people_write_it(client):
    client.post(
        reverse("account_signup"),
        {
            "name": "Wulan Sari",
            "phone": "+62 812 3456 7801",
            "password1": "Sambal-Wulan-2026",
            "password2": "Sambal-Wulan-2026",
            "timezone": "Asia/Jakarta",
            "consent": "on",
        },
    )
    assert len(gateway.outbox) == 1
    page = client.get(reverse("account_verify_phone")).content.decode()
    assert "0812-3456-7801" in page
    assert 'href="tel:+6281234567801"' in page
