"""Bugs the security suite (issue 9) found, kept as the behaviour they now have.

Each was a 500 or a hole: a survey `next` that is a bare word, a cohort ending in year 9999,
admin picture uploads our image checks refuse, ids beyond 64 bits on SQLite, and failed
sign-ins whose fingerprint changed with the way the number was typed.
"""

import logging

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from courses.models import Picture
from tests.courses.builders import bomb_png
from tests.factories import PASSWORD
from tests.security.helpers import assert_no_server_error, client_for
from tests.security.strategies import image_bytes
from ukmlearn.security import login_fingerprint

pytestmark = pytest.mark.django_db


def test_a_cohort_ending_in_year_9999_breaks_no_learner_page(world, staff, learner):
    data = {
        "name": "Angkatan",
        "programme": "Program",
        "courses": [world.course.pk],
        "start_date": "9999-12-01",
        "end_date": "9999-12-31",
        "province": "jabar",
        "mode": "online",
        "capacity": "30",
        "timezone": "Asia/Jakarta",
        "status": "running",
        "inactive_days": "7",
    }
    saved = client_for(staff.user).post(
        reverse("cohorts:cohort_edit", args=[world.cohort.pk]), data
    )
    assert_no_server_error(saved, "saving the cohort")

    me = client_for(learner.user)
    for name in ("home", "outcomes:survey_list"):
        assert_no_server_error(me.get(reverse(name)), name)
    from ukmlearn.notifications import services

    services.reminders_sweep()


def picture_add(superuser, file):
    return client_for(superuser).post(
        reverse("admin:courses_picture_add"), {"alt": "Etalase", "upload": file}
    )


def large_but_valid_png():
    """8000 x 8000 = 64 megapixels: over our 60 MP limit, under Pillow's own (89 MP)."""
    return bomb_png(width=8000, height=8000, name="besar.png")


def bmp():
    return SimpleUploadedFile("foto.bmp", image_bytes("BMP"), content_type="image/bmp")


def over_ten_megabytes():
    data = image_bytes("PNG") + b"\x00" * (10 * 1024 * 1024 + 1)
    return SimpleUploadedFile("besar.png", data, content_type="image/png")


@pytest.mark.parametrize(
    "make",
    [bmp, large_but_valid_png, over_ten_megabytes],
    ids=["a BMP", "64 megapixels", "over 10 MB"],
)
def test_the_admin_refuses_a_picture_our_image_checks_refuse_with_a_message(make, superuser):
    response = picture_add(superuser, make())

    assert_no_server_error(response, make.__name__)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["upload"]
    assert not Picture.objects.exists()


def test_failed_sign_ins_for_one_number_share_a_fingerprint_however_it_is_typed(learner, caplog):
    national = "0" + learner.user.phone[3:]
    spellings = [
        learner.user.phone,
        national,
        f"{national[:4]}-{national[4:8]}-{national[8:]}",
        learner.user.phone[1:],
    ]
    caplog.set_level(logging.INFO, logger="ukmlearn.security")
    for typed in spellings:
        client_for().post(
            reverse("account_login"), {"login": typed, "password": PASSWORD + "-salah"}
        )

    failures = [r.getMessage() for r in caplog.records if "login failed" in r.getMessage()]
    assert len(failures) == len(spellings)
    assert {line.split()[2] for line in failures} == {
        f"account={login_fingerprint(learner.user.phone)}"
    }


@pytest.mark.parametrize("view", ["survey_fill", "survey_skip"])
@pytest.mark.parametrize("target", ["abc", "1"])
def test_a_survey_next_that_is_not_a_path_sends_the_learner_home(view, target, world, learner):
    if view == "survey_fill":
        url = reverse("outcomes:survey_fill", args=[world.cohort.pk, "baseline"])
        data = {"draft": "1", "next": target}
    else:
        url = reverse("outcomes:survey_skip", args=[world.cohort.pk])
        data = {"next": target}

    response = client_for(learner.user).post(url, data)

    assert_no_server_error(response, f"{view} with next={target!r}")
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def _on_sqlite():
    from django.db import connection

    return connection.vendor == "sqlite"


BEYOND_64_BITS = "9223372036854775808"
CHOICE_FIELDS = {
    "cohort courses": ("staff", lambda w: reverse("cohorts:cohort_create"), "courses"),
    "learner's skills": ("learner", lambda w: reverse("mentoring:learner_needs"), "skills"),
    "mentor's expertise": ("mentor", lambda w: reverse("mentoring:mentor_profile"), "expertise"),
    "session topics": (
        "mentor",
        lambda w: reverse("mentoring:session_log", args=[w.pairing.pk]),
        "topics",
    ),
    "proposed learner": (
        "staff",
        lambda w: reverse("mentoring:proposal_add", args=[w.cohort.pk]),
        "learner",
    ),
}


@pytest.mark.parametrize("form", sorted(CHOICE_FIELDS))
def test_an_id_beyond_64_bits_in_a_choice_is_refused_rather_than_a_crash(form, world, personas):
    persona, url, name = CHOICE_FIELDS[form]

    response = client_for(personas[persona].user).post(url(world), {name: [BEYOND_64_BITS]})

    assert_no_server_error(response, f"{form} = {BEYOND_64_BITS}")
