"""Participant import: reading every kind of file staff send, checking each row, matching
people by phone number, committing all or nothing, and the management command."""

import csv
import io
import zipfile
from datetime import date

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone, translation
from openpyxl import Workbook

from cohorts.models import Cohort, ImportRun, Membership
from cohorts.services import importing
from cohorts.services.importing import (
    MAX_FILE_BYTES,
    MAX_ROWS,
    ImportFileError,
    ImportHasErrors,
    import_commit,
    import_plan,
)
from courses.models import Enrollment
from courses.services.progress import course_lessons
from tests.courses.builders import CourseFactory, LessonFactory
from tests.factories import BusinessProfileFactory, UserFactory
from tests.helpers import count_queries
from ukmlearn.users.models import BusinessProfile, User
from ukmlearn.users.phone import INVALID_PHONE_MESSAGE

HEADER = [
    "Nama",
    "No HP",
    "Email",
    "Nama Usaha",
    "Sektor",
    "Kota",
    "Provinsi",
    "Jenis Kelamin",
    "Tahun Lahir",
]
SITI = [
    "Siti Aminah",
    "0812 1111 0001",
    "Siti@Example.COM",
    "Warung Bu Siti",
    "kuliner",
    "Bandung",
    "Jawa Barat",
    "P",
    "1985",
]
AGUS = ["Agus Prasetyo", "081211110002", "", "Kopi Agus", "Makanan", "Malang", "jatim", "L", ""]


@pytest.fixture(autouse=True)
def _english():
    # Messages are English in the source; the Indonesian catalogue is filled in later.
    with translation.override("en"):
        yield


@pytest.fixture
def cohort(staff):
    course = CourseFactory()
    LessonFactory(module__course=course)
    cohort = Cohort.objects.create(
        name="Angkatan 3 Bandung",
        programme="UMKM Naik Kelas",
        start_date=date(2026, 3, 2),
        end_date=date(2026, 5, 29),
        province="jabar",
        owner=staff.user,
    )
    cohort.courses.add(course)
    return cohort


def csv_file(rows, *, header=HEADER, delimiter=",", encoding="utf-8") -> io.BytesIO:
    text = io.StringIO(newline="")
    csv.writer(text, delimiter=delimiter).writerows([header, *rows])
    return io.BytesIO(text.getvalue().encode(encoding))


def xlsx_file(rows, *, header=HEADER) -> io.BytesIO:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer


def plan_of(cohort, file, name="peserta.csv"):
    return import_plan(cohort=cohort, file=file, file_name=name)


def commit(cohort, file, name="peserta.csv", by=None):
    return import_commit(cohort=cohort, file=file, file_name=name, imported_by=by)


def person_row(number: int, **overrides) -> list[str]:
    values = {
        "name": f"Peserta {number}",
        "phone": f"0812{number:08d}",
        "email": f"peserta{number}@example.com",
        "business": f"Usaha {number}",
        "sector": "jasa",
        "city": "Garut",
        "province": "Jabar",
        "gender": "P",
        "birth_year": "1990",
    } | overrides
    return list(values.values())


def errors_of(plan, row_number):
    return next(row.errors for row in plan.rows if row.row_number == row_number)


def snapshot():
    """Every row the import may touch, as plain values."""
    return {
        "users": list(User.objects.order_by("pk").values()),
        "profiles": list(BusinessProfile.objects.order_by("pk").values()),
        "memberships": list(Membership.objects.order_by("pk").values()),
        "enrollments": list(Enrollment.objects.order_by("pk").values()),
    }


# --- Reading files ---------------------------------------------------------------------------


def test_it_imports_a_utf8_csv_as_new_learners_of_the_cohort(cohort, staff):
    plan = plan_of(cohort, csv_file([SITI, AGUS]))

    assert plan.counts == {"new": 2, "updated": 0, "unchanged": 0, "error": 0}
    assert [(row.row_number, row.status, row.phone) for row in plan.rows] == [
        (2, "new", "+6281211110001"),
        (3, "new", "+6281211110002"),
    ]
    assert not User.objects.filter(phone="+6281211110001").exists()  # a dry run

    run = commit(cohort, csv_file([SITI, AGUS]), by=staff.user)

    siti = User.objects.get(phone="+6281211110001")
    assert (siti.name, siti.email, siti.gender, siti.birth_year) == (
        "Siti Aminah",
        "siti@example.com",
        "female",
        1985,
    )
    assert not siti.has_usable_password()
    assert siti.is_learner and not siti.phone_verified and not siti.is_staff
    profile = siti.business_profile
    assert (profile.business_name, profile.sector, profile.city, profile.province) == (
        "Warung Bu Siti",
        "kuliner",
        "Bandung",
        "jabar",
    )
    assert (profile.year_started, profile.workers) == (None, None)
    agus = User.objects.get(phone="+6281211110002")
    assert (agus.email, agus.gender, agus.birth_year) == ("", "male", None)
    assert agus.business_profile.sector == "kuliner"
    assert set(
        Membership.objects.filter(cohort=cohort, role=Membership.Role.LEARNER).values_list(
            "user_id", flat=True
        )
    ) == {siti.pk, agus.pk}
    course = cohort.courses.get()
    assert Enrollment.objects.filter(course=course, user__in=[siti, agus]).count() == 2
    assert (run.cohort, run.file_name, run.rows, run.created, run.updated, run.unchanged) == (
        cohort,
        "peserta.csv",
        2,
        2,
        0,
        0,
    )
    assert run.imported_by == staff.user


def test_it_reads_utf8_with_a_byte_order_mark(cohort):
    data = csv_file([SITI]).getvalue()
    plan = plan_of(cohort, io.BytesIO(b"\xef\xbb\xbf" + data))

    assert plan.columns["name"] == "Nama"
    assert plan.counts["new"] == 1


def test_it_reads_windows_1252_when_the_file_is_not_utf8(cohort):
    row = person_row(1, name="Suñarti José", business="Café Señora")
    plan = plan_of(cohort, csv_file([row], encoding="cp1252"))

    assert plan.rows[0].name == "Suñarti José"
    commit(cohort, csv_file([row], encoding="cp1252"))
    user = User.objects.get(phone="+6281200000001")
    assert user.name == "Suñarti José"
    assert user.business_profile.business_name == "Café Señora"


def test_it_reads_semicolon_separated_files_with_commas_inside_fields(cohort):
    row = person_row(1, business="Kue, Roti & Kopi")
    plan = plan_of(cohort, csv_file([row, person_row(2)], delimiter=";"))

    assert plan.counts["new"] == 2
    commit(cohort, csv_file([row], delimiter=";"))
    profile = BusinessProfile.objects.get(user__phone="+6281200000001")
    assert profile.business_name == "Kue, Roti & Kopi"


def test_a_line_break_inside_a_quoted_field_stays_in_its_row(cohort):
    rows = [person_row(1, business="Warung\nBu Siti"), person_row(2, phone="12")]
    plan = plan_of(cohort, csv_file(rows))

    assert [row.row_number for row in plan.rows] == [2, 3]
    assert plan.rows[0].status == "new"
    assert plan.rows[1].errors == [("No HP", str(INVALID_PHONE_MESSAGE))]
    commit(cohort, csv_file(rows[:1]))
    assert BusinessProfile.objects.get().business_name == "Warung Bu Siti"


def test_blank_rows_anywhere_are_skipped_and_row_numbers_match_the_spreadsheet(cohort):
    text = (
        "\r\n"
        "Nama,No HP\r\n"
        "Siti Aminah,081211110001\r\n"
        ",\r\n"
        "   ,  \r\n"
        "Agus Prasetyo,not a number\r\n"
        "\r\n"
        ",,\r\n"
        "\r\n"
    )
    plan = plan_of(cohort, io.BytesIO(text.encode()))

    assert [(row.row_number, row.status) for row in plan.rows] == [(3, "new"), (6, "error")]


def test_it_reads_excels_unicode_text_export(cohort):
    # Excel's "Unicode Text": UTF-16 with a byte order mark, tab-separated.
    text = "Nama\tNo HP\tNama Usaha\tSektor\tKota\tProvinsi\r\nSuñarti\t081211110001\t"
    text += "Batik Suñarti\tfashion\tSolo\tJateng\r\n"
    plan = plan_of(cohort, io.BytesIO(text.encode("utf-16")), name="peserta.txt")

    assert [(row.name, row.status) for row in plan.rows] == [("Suñarti", "new")]


def test_excels_separator_hint_line_is_obeyed_and_not_counted_as_a_row(cohort):
    text = "sep=;\r\nNama;No HP\r\nSiti, S.E.;081211110001\r\n"
    plan = plan_of(cohort, io.BytesIO(text.encode()))

    assert [(row.row_number, row.name) for row in plan.rows] == [(2, "Siti, S.E.")]


def test_cells_are_stripped(cohort):
    text = "  Nama , No HP \n  Siti   Aminah  ,  0812-1111-0001  \n"
    plan = plan_of(cohort, io.BytesIO(text.encode()))

    assert (plan.rows[0].name, plan.rows[0].phone) == ("Siti Aminah", "+6281211110001")


def test_it_reads_xlsx_with_numbers_for_phones_and_years(cohort):
    rows = [
        # Excel dropped the leading zero of 0812... typed into a number cell
        [
            "Siti Aminah",
            81211110001,
            None,
            "Warung Bu Siti",
            "Kuliner",
            "Bandung",
            "Jabar",
            "P",
            1985,
        ],
        # shown as 6.28121E+12 in Excel, a float underneath
        ["Agus Prasetyo", 6281211110002.0, None, None, None, None, None, "L", 1979.0],
        [None] * 9,
        ["Dewi Lestari", "0812 1111 0003", "dewi@example.com", None, None, None, None, None, None],
        [None] * 9,
        [None] * 9,
    ]
    plan = plan_of(cohort, xlsx_file(rows), name="peserta.xlsx")

    assert [(row.row_number, row.status, row.phone) for row in plan.rows] == [
        (2, "new", "+6281211110001"),
        (3, "new", "+6281211110002"),
        (5, "new", "+6281211110003"),
    ]
    commit(cohort, xlsx_file(rows), name="peserta.xlsx")
    agus = User.objects.get(phone="+6281211110002")
    assert agus.birth_year == 1979
    assert not BusinessProfile.objects.filter(user=agus).exists()
    assert User.objects.get(phone="+6281211110001").business_profile.province == "jabar"


def test_an_xlsx_file_is_recognised_by_its_content_not_its_name(cohort):
    plan = plan_of(cohort, xlsx_file([SITI]), name="export-dari-form")

    assert plan.counts["new"] == 1


def test_a_csv_that_excel_lost_the_leading_zero_from_still_matches(cohort):
    text = "Nama,No HP\nSiti Aminah,81211110001\n"
    plan = plan_of(cohort, io.BytesIO(text.encode()))

    assert plan.rows[0].phone == "+6281211110001"


def test_it_understands_indonesian_headers_in_any_order_and_case(cohort):
    header = [
        " Catatan ",
        "KOTA/KABUPATEN",
        "  No. HP ",
        "Bidang Usaha",
        "nama lengkap",
        "E-mail",
        "JK",
        "Provinsi",
        "Nama Usaha",
        "tahun lahir",
    ]
    row = ["boleh diabaikan", "Garut", "0812 1111 0001", "pertanian", "Lina Marlina"]
    row += ["lina@example.com", "Perempuan", "Jabar", "Sayur Segar Lina", "1988"]
    plan = plan_of(cohort, csv_file([row], header=header))

    assert plan.columns == {
        "city": "KOTA/KABUPATEN",
        "phone": "No. HP",
        "sector": "Bidang Usaha",
        "name": "nama lengkap",
        "email": "E-mail",
        "gender": "JK",
        "province": "Provinsi",
        "business_name": "Nama Usaha",
        "birth_year": "tahun lahir",
    }
    commit(cohort, csv_file([row], header=header))
    lina = User.objects.get(phone="+6281211110001")
    assert (lina.name, lina.email, lina.gender, lina.birth_year) == (
        "Lina Marlina",
        "lina@example.com",
        "female",
        1988,
    )
    profile = lina.business_profile
    assert (profile.business_name, profile.sector, profile.city, profile.province) == (
        "Sayur Segar Lina",
        "pertanian",
        "Garut",
        "jabar",
    )


def test_it_understands_english_headers_and_values(cohort):
    header = ["Gender", "Province", "Phone Number", "Full Name", "Email address"]
    header += ["Business name", "Sector", "City", "Birth year"]
    row = ["female", "West Java", "+62 812-1111-0001", "Wulan Sari", "wulan@example.com"]
    row += ["Sambal Wulan", "Food and drink", "Depok", "1995"]
    commit(cohort, csv_file([row], header=header))

    wulan = User.objects.get(phone="+6281211110001")
    assert (wulan.name, wulan.gender, wulan.birth_year) == ("Wulan Sari", "female", 1995)
    assert (wulan.business_profile.sector, wulan.business_profile.province) == ("kuliner", "jabar")


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("Kuliner", "kuliner"),
        ("makanan", "kuliner"),
        ("Food", "kuliner"),
        ("busana", "fashion"),
        ("Pakaian", "fashion"),
        ("craft", "kerajinan"),
        ("JASA", "jasa"),
        ("services", "jasa"),
        ("Perikanan", "pertanian"),
        ("agriculture", "pertanian"),
        ("toko", "perdagangan"),
        ("Reseller", "perdagangan"),
        ("retail", "perdagangan"),
        ("lainnya", "lainnya"),
        ("Other", "lainnya"),
    ],
)
def test_sectors_are_read_from_indonesian_and_english_words(cohort, typed, stored):
    commit(cohort, csv_file([person_row(1, sector=typed)]))

    assert BusinessProfile.objects.get().sector == stored


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("Jawa Barat", "jabar"),
        ("JAWA TENGAH", "jateng"),
        ("Jabar", "jabar"),
        ("jateng", "jateng"),
        ("Jatim", "jatim"),
        ("DKI", "dki"),
        ("Jakarta", "dki"),
        ("DKI Jakarta", "dki"),
        ("DIY", "diy"),
        ("Yogyakarta", "diy"),
        ("Sumut", "sumut"),
        ("Sumatra Utara", "sumut"),
        ("Sulsel", "sulsel"),
        ("NTB", "ntb"),
        ("NTT", "ntt"),
        ("Kalbar", "kalbar"),
        ("Kaltim", "kaltim"),
        ("Prov. Bali", "bali"),
        ("Kep. Bangka Belitung", "babel"),
        ("East Java", "jatim"),
    ],
)
def test_provinces_are_read_from_names_and_short_forms(cohort, typed, stored):
    commit(cohort, csv_file([person_row(1, province=typed)]))

    assert BusinessProfile.objects.get().province == stored


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("L", "male"),
        ("P", "female"),
        ("Laki-laki", "male"),
        ("perempuan", "female"),
        ("Pria", "male"),
        ("Wanita", "female"),
        ("male", "male"),
        ("Female", "female"),
        ("M", "male"),
        ("F", "female"),
    ],
)
def test_genders_are_read_from_indonesian_and_english_words(cohort, typed, stored):
    commit(cohort, csv_file([person_row(1, gender=typed)]))

    assert User.objects.get(phone="+6281200000001").gender == stored


# --- Row errors -------------------------------------------------------------------------------


def test_an_invalid_phone_gets_the_phone_validation_message(cohort):
    plan = plan_of(cohort, csv_file([person_row(1), person_row(2, phone="0812-ABC")]))

    assert plan.counts == {"new": 1, "updated": 0, "unchanged": 0, "error": 1}
    assert plan.has_errors
    assert plan.rows[1].errors == [("No HP", str(INVALID_PHONE_MESSAGE))]
    assert plan.rows[1].phone == "0812-ABC"  # as typed, so staff can find it


def test_a_landline_is_refused_as_not_a_mobile_number(cohort):
    plan = plan_of(cohort, csv_file([person_row(1, phone="022 1234567")]))

    assert plan.rows[0].errors == [("No HP", "Please use a mobile number (it starts with 08).")]


def test_a_missing_phone_or_name_is_an_error(cohort):
    plan = plan_of(cohort, csv_file([person_row(1, phone=""), person_row(2, name="")]))

    assert errors_of(plan, 2) == [("No HP", "The phone number is missing.")]
    assert errors_of(plan, 3) == [("Nama", "The name is missing.")]


def test_a_name_longer_than_150_characters_is_an_error(cohort):
    plan = plan_of(cohort, csv_file([person_row(1, name="A" * 151)]))

    assert plan.rows[0].errors == [("Nama", "The name is too long (at most 150 characters).")]


def test_an_unknown_sector_lists_the_allowed_values(cohort):
    plan = plan_of(cohort, csv_file([person_row(1, sector="Tambang")]))

    assert plan.rows[0].errors == [
        (
            "Sektor",
            "Unknown sector “Tambang”. Write one of: kuliner, fashion, kerajinan, jasa, "
            "pertanian, perdagangan, lainnya.",
        )
    ]


def test_an_unknown_province_is_an_error(cohort):
    plan = plan_of(cohort, csv_file([person_row(1, province="Kalimantan")]))

    assert plan.rows[0].errors == [
        ("Provinsi", "Unknown province “Kalimantan”. Write its name, e.g. Jawa Barat.")
    ]


def test_the_same_number_twice_makes_the_later_row_an_error(cohort):
    rows = [person_row(1), person_row(2), person_row(3, phone="+62 812 0000 0001")]
    plan = plan_of(cohort, csv_file(rows))

    assert [row.status for row in plan.rows] == ["new", "new", "error"]
    assert errors_of(plan, 4) == [("No HP", "Same number as row 2.")]


def test_the_same_email_on_two_people_makes_the_later_row_an_error(cohort):
    rows = [person_row(1, email="sama@example.com"), person_row(2, email="SAMA@example.com")]
    plan = plan_of(cohort, csv_file(rows))

    assert errors_of(plan, 3) == [("Email", "Same e-mail address as row 2.")]


def test_an_email_used_by_another_person_is_an_error_whatever_its_case(cohort, other_learner):
    other_learner.user.email = "dewi@example.com"
    other_learner.user.save()
    plan = plan_of(cohort, csv_file([person_row(1, email="DEWI@Example.com")]))

    assert plan.rows[0].errors == [("Email", "This e-mail address belongs to another person.")]


def test_a_person_may_keep_their_own_email(cohort, learner):
    learner.user.email = "siti@example.com"
    learner.user.save()
    row = person_row(1, phone=learner.user.phone, email="Siti@Example.com")
    plan = plan_of(cohort, csv_file([row]))

    assert plan.rows[0].status == "updated"
    assert "e-mail" not in plan.rows[0].changes


def test_an_invalid_email_is_an_error(cohort):
    plan = plan_of(cohort, csv_file([person_row(1, email="siti@")]))

    assert plan.rows[0].errors == [("Email", "This e-mail address is not valid.")]


def test_a_mentor_of_the_cohort_cannot_be_imported_as_a_participant(cohort, mentor):
    Membership.objects.create(cohort=cohort, user=mentor.user, role=Membership.Role.MENTOR)
    plan = plan_of(cohort, csv_file([person_row(1, phone=mentor.user.phone)]))

    assert plan.rows[0].errors == [("No HP", "This person is a mentor of this cohort.")]


def test_a_staff_account_is_never_changed_by_an_import(cohort, staff):
    plan = plan_of(cohort, csv_file([person_row(1, phone=staff.user.phone, name="Ganti Nama")]))

    assert plan.rows[0].status == "error"
    assert plan.rows[0].errors == [
        (
            "No HP",
            "This number belongs to a programme staff account; an import never changes "
            "staff accounts.",
        )
    ]


def test_gender_and_birth_year_must_make_sense(cohort):
    this_year = timezone.now().year
    rows = [
        person_row(1, gender="X"),
        person_row(2, birth_year=str(this_year - 5)),
        person_row(3, birth_year="1899"),
        person_row(4, birth_year="85"),
    ]
    plan = plan_of(cohort, csv_file(rows))

    assert errors_of(plan, 2) == [("Jenis Kelamin", "Unknown gender “X”. Write L or P.")]
    year_error = [("Tahun Lahir", f"The birth year must be a year from 1900 to {this_year - 10}.")]
    assert errors_of(plan, 3) == errors_of(plan, 4) == errors_of(plan, 5) == year_error


def test_a_business_name_needs_sector_city_and_province(cohort):
    plan = plan_of(cohort, csv_file([person_row(1, sector="", city="", province="")]))

    assert plan.rows[0].errors == [
        ("Sektor", "The sector is missing."),
        ("Kota", "The city or regency is missing."),
        ("Provinsi", "The province is missing."),
    ]


def test_business_columns_are_ignored_without_a_business_name(cohort):
    row = person_row(1, business="", sector="tambang", province="Narnia")
    plan = plan_of(cohort, csv_file([row]))

    assert plan.rows[0].status == "new"
    commit(cohort, csv_file([row]))
    assert not BusinessProfile.objects.exists()


def test_a_business_column_missing_from_the_file_is_named_by_its_label(cohort):
    header = ["Nama", "No HP", "Nama Usaha", "Kota", "Provinsi"]
    plan = plan_of(
        cohort, csv_file([["Siti", "081211110001", "Warung", "Garut", "Jabar"]], header=header)
    )

    assert plan.rows[0].errors == [("sector", "The sector is missing.")]


def test_every_error_of_a_row_is_listed(cohort):
    row = person_row(1, name="", phone="123", email="x@", sector="tambang")
    plan = plan_of(cohort, csv_file([row]))

    assert [column for column, _message in plan.rows[0].errors] == [
        "Nama",
        "No HP",
        "Email",
        "Sektor",
    ]


# --- Matching people ----------------------------------------------------------------------------


def test_an_existing_learner_with_other_details_only_joins_and_keeps_their_own_details(
    cohort, learner
):
    # Issue 9: a person who signs in owns their details; an import (maybe of another staff
    # member's cohort) must not rewrite them.
    user = learner.user
    profile = user.business_profile
    row = person_row(
        1,
        phone=user.phone,
        name="Siti Aminah Hasan",
        email="",
        business=profile.business_name,
        sector=profile.sector,
        city="Cimahi",
        province="Jawa Barat",
        gender="",
        birth_year="",
    )
    plan = plan_of(cohort, csv_file([row]))

    assert plan.rows[0].status == "updated"
    assert plan.rows[0].changes == ["cohort membership"]

    run = commit(cohort, csv_file([row]))

    user.refresh_from_db()
    profile.refresh_from_db()
    assert user.name == "Siti Aminah"
    assert profile.city != "Cimahi"
    assert user.has_usable_password()  # their own password stays
    assert Membership.objects.filter(cohort=cohort, user=user, role="learner").exists()
    assert (run.created, run.updated, run.unchanged) == (0, 1, 0)


def test_an_imported_person_who_has_not_signed_in_yet_is_updated_field_by_field(cohort):
    user = UserFactory(phone="+6281200000001", name="Peserta 1")
    user.set_unusable_password()
    user.save()
    BusinessProfile.objects.create(
        user=user,
        business_name="Usaha 1",
        sector="kuliner",
        city="Bandung",
        province="jabar",
    )
    row = person_row(1, name="Peserta Satu", city="Cimahi")
    plan = plan_of(cohort, csv_file([row]))

    assert "full name" in plan.rows[0].changes
    assert "city or regency" in plan.rows[0].changes
    commit(cohort, csv_file([row]))

    user.refresh_from_db()
    assert user.name == "Peserta Satu"
    assert BusinessProfile.objects.get(user=user).city == "Cimahi"


def test_empty_optional_cells_do_not_erase_what_is_stored(cohort, learner):
    user = learner.user
    user.email, user.gender, user.birth_year = "siti@example.com", "female", 1980
    user.save()
    Membership.objects.create(cohort=cohort, user=user)
    text = f"Nama,No HP,Email,Jenis Kelamin,Tahun Lahir\n{user.name},{user.phone},,,\n"

    plan = plan_of(cohort, io.BytesIO(text.encode()))

    assert plan.rows[0].status == "unchanged"
    commit(cohort, io.BytesIO(text.encode()))
    user.refresh_from_db()
    assert (user.email, user.gender, user.birth_year) == ("siti@example.com", "female", 1980)


def test_a_person_without_a_business_profile_gets_one(cohort):
    # Not signed in yet (imported elsewhere, invitation pending): the import fills in details.
    user = UserFactory(phone="+6281200000001", name="Peserta 1")
    user.set_unusable_password()
    user.save()
    row = person_row(1)
    plan = plan_of(cohort, csv_file([row]))

    assert plan.rows[0].changes == [
        "e-mail",
        "gender",
        "birth year",
        "business name",
        "sector",
        "city or regency",
        "province",
        "cohort membership",
    ]
    commit(cohort, csv_file([row]))
    assert BusinessProfile.objects.get(user=user).business_name == "Usaha 1"


def test_a_learner_who_left_the_cohort_rejoins(cohort, learner):
    Membership.objects.create(cohort=cohort, user=learner.user, left_at=timezone.now())
    user = learner.user
    profile = user.business_profile
    row = [user.name, user.phone, "", profile.business_name, profile.sector, profile.city]
    row += [profile.province, "", ""]

    plan = plan_of(cohort, csv_file([row]))

    assert plan.rows[0].changes == ["cohort membership"]
    commit(cohort, csv_file([row]))
    assert Membership.objects.get(cohort=cohort, user=user).left_at is None


def test_importing_the_same_file_twice_changes_nothing_the_second_time(cohort, learner):
    rows = [person_row(number) for number in range(1, 6)]
    rows.append(person_row(6, phone=learner.user.phone, name="Siti Aminah Hasan"))
    commit(cohort, csv_file(rows))
    before = snapshot()

    second_plan = plan_of(cohort, csv_file(rows))
    assert second_plan.counts == {"new": 0, "updated": 0, "unchanged": 6, "error": 0}
    assert all(row.changes == [] for row in second_plan.rows)

    run = commit(cohort, csv_file(rows))

    assert snapshot() == before
    assert (run.created, run.updated, run.unchanged) == (0, 0, 6)
    assert ImportRun.objects.filter(cohort=cohort).count() == 2


def test_a_commit_with_row_errors_writes_nothing(cohort, learner):
    rows = [
        person_row(1),
        person_row(2, phone=learner.user.phone, name="Baru"),
        person_row(3, sector="?"),
    ]
    before = snapshot()

    with pytest.raises(ImportHasErrors) as raised:
        commit(cohort, csv_file(rows))

    assert raised.value.plan.counts["error"] == 1
    assert snapshot() == before
    assert not ImportRun.objects.exists()


def test_a_commit_that_fails_half_way_leaves_no_trace(cohort, learner, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("the enrolment service fell over")

    monkeypatch.setattr(importing, "cohort_members_add", broken)
    rows = [person_row(1), person_row(2, phone=learner.user.phone, name="Nama Baru", city="Cimahi")]
    users_before = User.objects.count()

    with pytest.raises(RuntimeError):
        commit(cohort, csv_file(rows))

    assert User.objects.count() == users_before
    assert not User.objects.filter(phone="+6281200000001").exists()
    learner.user.refresh_from_db()
    assert learner.user.name == "Siti Aminah"
    assert learner.user.business_profile.city == "Bandung"
    assert BusinessProfile.objects.count() == 1
    assert not Membership.objects.exists()
    assert not Enrollment.objects.exists()
    assert not ImportRun.objects.exists()


def test_a_clash_with_a_simultaneous_change_becomes_a_file_error(cohort, monkeypatch):
    from django.db import IntegrityError

    def clash(**kwargs):
        raise IntegrityError("duplicate key value violates unique constraint")

    monkeypatch.setattr(importing, "cohort_members_add", clash)

    with pytest.raises(ImportFileError, match="at the same time"):
        commit(cohort, csv_file([person_row(1)]))
    assert not User.objects.filter(phone="+6281200000001").exists()


# --- File errors ------------------------------------------------------------------------------


def file_error(cohort, data: bytes, name="peserta.csv") -> str:
    with pytest.raises(ImportFileError) as raised:
        plan_of(cohort, io.BytesIO(data), name=name)
    return str(raised.value)


def test_a_file_over_5_mb_is_refused(cohort):
    header = ",".join(HEADER) + "\n"
    data = (header + "Siti,081211110001\n" * (MAX_FILE_BYTES // 18)).encode()
    assert len(data) > MAX_FILE_BYTES

    assert file_error(cohort, data) == "The file is larger than 5 MB. Split it into smaller files."


def test_a_file_over_20000_rows_is_refused(cohort):
    rows = "".join(f"Peserta {n},0812{n:08d}\n" for n in range(MAX_ROWS + 1))

    message = file_error(cohort, ("Nama,No HP\n" + rows).encode())

    assert message == "The file has more than 20,000 participant rows. Split it into smaller files."


def test_a_file_with_exactly_the_row_limit_is_accepted(cohort, monkeypatch):
    monkeypatch.setattr(importing, "MAX_ROWS", 3)
    rows = [person_row(n) for n in range(3)]

    assert len(plan_of(cohort, csv_file(rows)).rows) == 3
    with pytest.raises(ImportFileError):
        plan_of(cohort, csv_file([*rows, person_row(4)]))


def test_a_huge_file_fails_before_any_row_is_checked(cohort, monkeypatch):
    checked = []
    monkeypatch.setattr(importing, "normalize_phone", lambda raw: checked.append(raw))
    rows = "".join(f"P{n},8{n:010d}\n" for n in range(100_000))
    data = ("Nama,No HP\n" + rows).encode()
    assert len(data) < MAX_FILE_BYTES

    queries = count_queries(
        lambda: pytest.raises(ImportFileError, plan_of, cohort, io.BytesIO(data))
    )

    assert queries == 0
    assert checked == []


def test_binary_junk_is_refused(cohort):
    junk = bytes((n * 97 + 13) % 256 for n in range(4096))  # every byte value, shuffled

    assert file_error(cohort, junk) == (
        "This file cannot be read. Upload a CSV file or an Excel workbook (.xlsx)."
    )


def test_a_zip_that_is_not_a_workbook_is_refused(cohort):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")

    message = file_error(cohort, buffer.getvalue(), name="peserta.xlsx")

    assert message.startswith("This Excel file cannot be opened.")


def test_an_old_xls_file_is_refused_with_advice(cohort):
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600)

    assert ".xls" in file_error(cohort, data, name="peserta.xls")


def test_a_file_without_a_phone_column_is_refused_naming_the_column(cohort):
    data = b"Nama,Kota\nSiti,Bandung\n"

    assert file_error(cohort, data) == (
        "The file has no column for the mobile number. Head it, for example, “No HP”."
    )


def test_a_file_without_name_and_phone_columns_names_both(cohort):
    message = file_error(cohort, b"Kota;Provinsi\nBandung;Jabar\n")

    assert "full name" in message and "“Nama”" in message
    assert "mobile number" in message and "“No HP”" in message


def test_a_title_row_above_the_header_is_allowed(cohort):
    text = "Daftar Peserta Angkatan 3,\n\nNama,No HP\nSiti,081211110001\n"
    plan = plan_of(cohort, io.BytesIO(text.encode()))

    assert [(row.row_number, row.name) for row in plan.rows] == [(4, "Siti")]


@pytest.mark.parametrize("data", [b"", b"   \r\n\r\n", b"\xef\xbb\xbf", b",,,\n , ,\n"])
def test_an_empty_file_is_refused(cohort, data):
    assert file_error(cohort, data) == "The file is empty."


def test_a_header_without_rows_is_refused(cohort):
    assert file_error(cohort, b"Nama,No HP\n\n") == "The file has a header row but no participants."


# --- Command ------------------------------------------------------------------------------------


def write_csv(tmp_path, rows, name="peserta.csv"):
    path = tmp_path / name
    path.write_bytes(csv_file(rows).getvalue())
    return path


def test_the_command_previews_without_writing(cohort, learner, tmp_path):
    rows = [person_row(1), person_row(2, phone=learner.user.phone), person_row(3, phone="99")]
    path = write_csv(tmp_path, rows)
    out = io.StringIO()

    call_command("import_participants", str(cohort.pk), str(path), stdout=out)

    lines = out.getvalue().splitlines()
    assert f"row 4  error  No HP: {INVALID_PHONE_MESSAGE}" in lines
    # the learner signs in: only the membership is theirs to gain, their details stay
    assert "row 3  updated  cohort membership" in lines
    assert not any(line.startswith("row 2") for line in lines)  # new rows only with -v 2
    assert "1 new, 1 updated, 0 unchanged, 1 with errors (3 rows)" in lines
    assert not User.objects.filter(phone="+6281200000001").exists()


def test_the_command_lists_new_rows_at_verbosity_2(cohort, tmp_path):
    path = write_csv(tmp_path, [person_row(1)])
    out = io.StringIO()

    call_command("import_participants", str(cohort.pk), str(path), verbosity=2, stdout=out)

    assert "row 2  new  Peserta 1 +6281200000001" in out.getvalue().splitlines()


def test_the_command_commits_with_the_flag(cohort, staff, tmp_path):
    path = write_csv(tmp_path, [person_row(1), person_row(2)])
    out = io.StringIO()

    call_command(
        "import_participants",
        str(cohort.pk),
        str(path),
        "--commit",
        "--by",
        staff.user.phone,
        stdout=out,
    )

    assert "2 new, 0 updated, 0 unchanged" in out.getvalue()
    run = ImportRun.objects.get()
    assert (run.created, run.imported_by, run.file_name) == (2, staff.user, "peserta.csv")
    assert Membership.objects.filter(cohort=cohort).count() == 2


def test_the_command_exits_with_1_and_writes_nothing_when_rows_have_errors(cohort, tmp_path):
    path = write_csv(tmp_path, [person_row(1), person_row(2, sector="tambang")])
    err = io.StringIO()

    with pytest.raises(SystemExit) as raised:
        call_command(
            "import_participants",
            str(cohort.pk),
            str(path),
            "--commit",
            stdout=io.StringIO(),
            stderr=err,
        )

    assert raised.value.code == 1
    assert "Nothing imported: 1 rows have errors" in err.getvalue()
    assert not User.objects.filter(phone="+6281200000001").exists()
    assert not ImportRun.objects.exists()


def test_the_command_turns_file_problems_into_command_errors(cohort, tmp_path):
    path = tmp_path / "kosong.csv"
    path.write_bytes(b"")

    with pytest.raises(CommandError, match="The file is empty."):
        call_command("import_participants", str(cohort.pk), str(path))
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_participants", str(cohort.pk), str(tmp_path / "tidak-ada.csv"))
    with pytest.raises(CommandError, match="No cohort"):
        call_command("import_participants", str(cohort.pk + 1000), str(path))
    with pytest.raises(CommandError, match="no staff member"):
        call_command("import_participants", str(cohort.pk), str(path), "--by", "081299999999")


# --- Queries ------------------------------------------------------------------------------------


def mixed_file(count: int) -> io.BytesIO:
    """count rows: a third already on the platform (some in the cohort), the rest new."""
    return csv_file([person_row(number) for number in range(count)])


def people_for(cohort, count: int) -> None:
    for number in range(0, count, 3):
        user = UserFactory(phone=f"+62812{number:08d}", name=f"Peserta {number}")
        BusinessProfileFactory(user=user, business_name="Lama")
        if number % 2:
            Membership.objects.create(cohort=cohort, user=user)


def test_planning_runs_the_same_number_of_queries_for_30_and_300_rows(cohort):
    people_for(cohort, 300)

    small = count_queries(lambda: plan_of(cohort, mixed_file(30)))
    large = count_queries(lambda: plan_of(cohort, mixed_file(300)))

    assert small == large == 3


def test_committing_300_rows_takes_a_few_dozen_queries_not_one_per_row(cohort):
    people_for(cohort, 300)
    rows = [person_row(number) for number in range(300)]
    # Enrolling reads each course's outline, kept in memory after the first read
    # (courses/content_cache.py): read it once so that both counts compare alike.
    for course in cohort.courses.all():
        course_lessons(course.pk)

    small = count_queries(lambda: commit(cohort, csv_file(rows[:30])))
    large = count_queries(lambda: commit(cohort, csv_file(rows)))

    # Not exactly equal on SQLite: it caps a statement at 999 parameters, so its bulk inserts
    # come in batches of ~60 rows (PostgreSQL takes 1000 rows per statement).
    assert small <= large < 30
