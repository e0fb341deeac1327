"""Partners read aggregates of the cohorts shared with them, and nothing else: not other
partners' cohorts, and no name, phone, e-mail or business name of any learner, on the page
or in the CSV/XLSX export."""

import io
import zipfile

import pytest
from django.urls import reverse

from outcomes.models import Partner, Wave
from tests.outcomes.builders import (
    PRESENT,
    SELLING,
    START,
    join,
    make_cohort,
    pairs,
    person,
    send,
)

pytestmark = pytest.mark.django_db

# Learners whose details must never reach a partner.
SEEDED = [
    (
        "Siti Zulaikha Rahmawati",
        "+6281299887701",
        "siti.zulaikha@contoh.id",
        "Warung Bakso Pak Kumis",
    ),
    ("Dewi Anggraini Saputri", "+6281299887702", "dewi.anggraini@contoh.id", "Konveksi Dewi Jaya"),
    ("Bambang Wicaksono Putra", "+6281299887703", "bambang.w@contoh.id", "Kerajinan Rotan Bambang"),
    ("Ni Luh Ayu Sekarini", "+6281299887704", "niluh.ayu@contoh.id", "Tenun Ikat Sekar Bali"),
    ("Yohanes Kurniawan Tampubolon", "+6281299887705", "yohanes.kt@contoh.id", "Kopi Toba Yohanes"),
    (
        "Rahmat Hidayatullah Nasution",
        "+6281299887706",
        "rahmat.hn@contoh.id",
        "Keripik Pedas Rahmat",
    ),
]


def forbidden_strings() -> list[str]:
    found = []
    for name, phone, email, business in SEEDED:
        local = "0" + phone[3:]  # 0812…
        found += [name, name.split()[1], phone, phone[1:], local, email, business]
    return found


@pytest.fixture
def shared(staff, partner):
    """Cohort A shared with the partner's organisation: the six seeded learners, each with a
    baseline and an endline. Cohort B of the same staff member shared with another partner:
    its own learners and answers."""
    a = make_cohort(staff.user, name="Angkatan Mitra A", programme="Program Mitra")
    b = make_cohort(staff.user, name="Angkatan Rahasia B", programme="Program Lain")
    partner.org.cohorts.add(a)
    other = Partner.objects.create(name="Mitra Lain")
    other.cohorts.add(b)
    for name, phone, email, business in SEEDED:
        user = person(name, phone=phone, email=email, business_name=business)
        join(a, user)
        send(user, a, Wave.BASELINE, START)
        send(user, a, Wave.ENDLINE, SELLING)
    pairs(b, [(7, PRESENT, PRESENT)])
    return a, b, other


def export(client, fmt="csv", **params) -> bytes:
    response = client.get(reverse("outcomes:report_export"), {**params, "format": fmt})
    assert response.status_code == 200
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def xlsx_text(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return "".join(archive.read(name).decode("utf-8") for name in archive.namelist())


def test_a_partner_is_sent_from_home_to_the_report(partner):
    response = partner.client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("outcomes:report")


def test_a_partner_sees_only_the_cohorts_shared_with_it(partner, shared):
    a, b, _other = shared
    response = partner.client.get(reverse("outcomes:report"))
    assert response.status_code == 200
    result = response.context["report"]
    assert [row.label for row in result.per_cohort] == [a.name]
    assert result.participants.count == 6
    assert result.paired.count == 6
    html = response.content.decode()
    assert b.name not in html
    assert "Program Lain" not in html  # not even as a filter choice
    assert "Mitra Lain" not in html
    assert b.name.encode() not in export(partner.client)


def test_other_partners_cohorts_change_nothing_in_the_numbers(partner, shared):
    _a, b, _other = shared
    page = partner.client.get(reverse("outcomes:report")).context["report"]
    before = export(partner.client)
    pairs(b, [(9, START, SELLING)])
    for user in pairs(make_cohort(b.owner, name="Angkatan Tak Dibagi"), [(5, SELLING, None)]):
        send(user, b, Wave.FOLLOWUP, SELLING)
    after = export(partner.client)
    assert after == before
    again = partner.client.get(reverse("outcomes:report")).context["report"]
    assert again.participants == page.participants and again.paired == page.paired


def test_filtering_on_a_cohort_or_partner_not_shared_is_refused_without_data(partner, shared):
    _a, b, other = shared
    for params in ({"cohort": b.pk}, {"partner": other.pk}, {"programme": "Program Lain"}):
        response = partner.client.get(reverse("outcomes:report"), params)
        assert response.status_code == 400, params
        assert response.context["report"] is None
        assert response.context["form"].errors
        html = response.content.decode()
        assert b.name not in html
        redirect = partner.client.get(reverse("outcomes:report_export"), params)
        assert redirect.status_code == 302


def test_the_partners_own_filter_works(partner, shared):
    a, _b, _other = shared
    response = partner.client.get(
        reverse("outcomes:report"), {"partner": partner.org.pk, "cohort": a.pk}
    )
    assert response.status_code == 200
    assert response.context["report"].paired.count == 6


def test_nothing_personal_reaches_the_partner_page_or_export(partner, shared, staff):
    a, _b, _other = shared
    # The seeded details are on the staff's learner list: the search below can find them.
    roster = staff.client.get(reverse("cohorts:cohort_learners", args=[a.pk])).content.decode()
    assert SEEDED[0][0] in roster
    page = partner.client.get(reverse("outcomes:report")).content.decode()
    csv_text = export(partner.client, "csv").decode("utf-8-sig")
    xlsx = xlsx_text(export(partner.client, "xlsx"))
    assert "Angkatan Mitra A" in page and "Angkatan Mitra A" in csv_text  # the cohort is there
    assert "Angkatan Mitra A" in xlsx
    for text in forbidden_strings():
        assert text not in page, text
        assert text not in csv_text, text
        assert text not in xlsx, text
    # No link to any learner's page, answers or photos.
    assert "/surveys/evidence/" not in page
    assert "/staff/" not in page and "/cohorts/" not in page


def test_a_partner_with_no_shared_cohort_gets_an_empty_report(partner, staff):
    cohort = make_cohort(staff.user)
    pairs(cohort, [(6, START, SELLING)])
    response = partner.client.get(reverse("outcomes:report"))
    assert response.status_code == 200
    result = response.context["report"]
    assert result.participants.count == 0 and result.per_cohort == []
    assert result.paired.count == 0


def test_a_partner_reaches_no_cohort_page_answer_or_photo(partner, shared):
    a, _b, _other = shared
    for url in (
        reverse("cohorts:cohort_detail", args=[a.pk]),
        reverse("cohorts:cohort_learners", args=[a.pk]),
        reverse("cohorts:export_roster", args=[a.pk]),
        reverse("outcomes:survey_fill", args=[a.pk, "baseline"]),
    ):
        assert partner.client.get(url).status_code == 404, url
