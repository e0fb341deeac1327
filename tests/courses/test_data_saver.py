"""Low bandwidth (issue 8): the data saver ("Hemat kuota"), what each lesson costs in data,
saving a module for reading offline, and answers sent again by the offline queue."""

import gzip
import io
import random
import re
from datetime import timedelta
from types import SimpleNamespace
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.template.defaultfilters import filesizeformat
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from PIL import Image

from courses.models import (
    Course,
    Enrollment,
    Lesson,
    LessonProgress,
    Picture,
    QuizAttempt,
    TaskSubmission,
)
from courses.services import progress
from courses.services.content import (
    LESSON_PAGE_FRAME_BYTES,
    data_saver_html,
    lesson_data_cost,
    picture_bytes,
    picture_html,
    render_markdown,
)
from courses.services.pictures import picture_renditions
from tests.courses.builders import (
    CourseFactory,
    LessonFactory,
    ModuleFactory,
    add_quiz,
    add_task,
    photo_upload,
    right_answers,
    translated,
)
from tests.factories import UserFactory
from tests.helpers import assert_constant_queries, count_queries, gzipped_size
from tests.test_budgets import HTML_BUDGET
from ukmlearn.users.models import User

pytestmark = pytest.mark.django_db


# --- Builders ----------------------------------------------------------------------------


def a_picture(alt="Etalase toko", size=(900, 600), seed=1) -> Picture:
    """A staff picture made of noise, so its renditions weigh kilobytes like a real photo.
    900 px wide: renditions of 360 and 720 px."""
    rng = random.Random(seed)  # noqa: S311 - reproducible test image
    noise = rng.randbytes(size[0] * size[1] * 3)
    buffer = io.BytesIO()
    Image.frombytes("RGB", size, noise).save(buffer, format="JPEG", quality=90)
    upload = SimpleUploadedFile("etalase.jpg", buffer.getvalue(), content_type="image/jpeg")
    largest, renditions = picture_renditions(upload)
    picture = Picture(alt=alt, renditions=renditions)
    picture.file.save(largest.name, largest, save=True)
    return picture


def a_cover(alt="Sampul kelas") -> Picture:
    """A cheap one-colour picture: enough where its size does not matter."""
    largest, renditions = picture_renditions(photo_upload(size=(800, 450)))
    picture = Picture(alt=alt, renditions=renditions)
    picture.file.save(largest.name, largest, save=True)
    return picture


def phone_rendition(picture) -> dict:
    [rendition] = [r for r in picture.renditions if r["width"] == 720]
    return rendition


def phone_url(picture) -> str:
    return default_storage.url(phone_rendition(picture)["webp"])


def text_with(*pictures, words="Susun produk yang paling laku di bagian depan.") -> str:
    refs = "\n\n".join(f"![{p.alt}](picture:{p.pk})" for p in pictures)
    return f"{words}\n\n{refs}\n\nLalu foto dari depan, dengan cahaya dari jendela."


def size(number: int) -> str:
    """A number of bytes as the pages write it ("2,5 KB", with a non-breaking space)."""
    with translation.override(settings.LANGUAGE_CODE):
        return filesizeformat(number)


def placeholder_label(alt: str, number: int) -> str:
    return translated("Picture: %(alt)s. Tap to load (± %(size)s)") % {
        "alt": alt,
        "size": size(number),
    }


def outside_templates(html: str) -> str:
    """The page as it loads: what sits in a <template> is inert until the learner taps."""
    return re.sub(r"<template>.*?</template>", "", html, flags=re.S)


def loads_no_picture(html: str) -> bool:
    visible = outside_templates(html)
    return "<img" not in visible and "<picture" not in visible


def lesson_url(lesson, name="lesson_detail"):
    return reverse(f"courses:{name}", args=[lesson.module.course.slug, lesson.pk])


def pack_url(module):
    return reverse("courses:module_pack", args=[module.course.slug, module.pk])


def data_saver_off(user):
    User.objects.filter(pk=user.pk).update(data_saver=False)


def list_item(html: str, title: str) -> str:
    """The <li> of the course outline that holds the lesson called title."""
    match = re.search(rf"<li[^>]*>(?:(?!</li>).)*{re.escape(title)}.*?</li>", html, re.S)
    assert match, f"no outline entry for {title!r}"
    return match.group(0)


def pack_button(html: str, module) -> str | None:
    """The "Save for reading offline" button of one module, or None."""
    match = re.search(
        rf'<p class="pack" hidden><button [^>]*data-pack="{re.escape(pack_url(module))}"'
        r"[^>]*>([^<]*)</button></p>",
        html,
    )
    return match.group(1) if match else None


def pack_label(number: int) -> str:
    return translated("Save for reading offline (± %(size)s)") % {"size": size(number)}


@pytest.fixture
def picture():
    return a_picture()


@pytest.fixture
def shop(picture):
    """A course with a cover; module 1: a reading with a picture and one without;
    module 2: a quiz."""
    course = CourseFactory(title="Foto Produk", slug="foto-produk", cover=a_cover())
    first = ModuleFactory(course=course, position=0, title="Memotret")
    second = ModuleFactory(course=course, position=1, title="Menguji")
    pictured = LessonFactory(
        module=first, position=0, title="Menata etalase", body=text_with(picture)
    )
    plain = LessonFactory(module=first, position=1, title="Memilih latar")
    quiz = add_quiz(second, questions=2, position=0)
    return SimpleNamespace(
        course=course, first=first, second=second, pictured=pictured, plain=plain, quiz=quiz
    )


@pytest.fixture
def enrolled(learner, shop):
    return progress.enrollment_create(user=learner.user, course=shop.course)


# --- What a picture costs, and the placeholder that stands in for it ------------------------


def test_a_picture_names_the_webp_a_phone_would_download_and_its_size(picture):
    html = picture_html(picture)

    phone = phone_rendition(picture)
    assert phone["webp_bytes"] > 10_000  # noise weighs like a photo
    assert html.startswith(
        f'<picture data-bytes="{phone["webp_bytes"]}" data-href="{phone_url(picture)}">'
    )
    assert default_storage.open(phone["webp"]).read()[8:12] == b"WEBP"
    assert len(default_storage.open(phone["webp"]).read()) == phone["webp_bytes"]


def test_a_picture_narrower_than_720_px_names_its_widest_rendition():
    small = a_picture(size=(600, 400))

    [only] = small.renditions
    assert only["width"] == 360
    assert picture_html(small).startswith(
        f'<picture data-bytes="{only["webp_bytes"]}" '
        f'data-href="{default_storage.url(only["webp"])}">'
    )


def test_a_wide_picture_still_names_the_720_px_rendition_not_the_largest():
    wide = a_picture(size=(1300, 600))

    assert [r["width"] for r in wide.renditions] == [360, 720, 1080]
    phone = phone_rendition(wide)
    assert f'data-bytes="{phone["webp_bytes"]}" data-href="{phone_url(wide)}"' in picture_html(wide)


def test_the_data_saver_swaps_a_picture_for_a_link_that_says_its_size(picture):
    html = picture_html(picture)
    phone = phone_rendition(picture)

    saved = data_saver_html(f"<p>Sebelum</p>{html}<p>Sesudah</p>")

    assert saved == (
        f'<p>Sebelum</p><span class="ph"><template>{html}</template>'
        f'<a class="ph-load" href="{phone_url(picture)}">'
        f"{placeholder_label('Etalase toko', phone['webp_bytes'])}</a></span><p>Sesudah</p>"
    )
    assert loads_no_picture(saved)
    assert "Gambar: Etalase toko. Ketuk untuk memuat (± " in saved  # Indonesian by default


def test_the_placeholder_speaks_english_to_an_english_reader(picture):
    with translation.override("en"):
        saved = data_saver_html(picture_html(picture))
        weight = filesizeformat(phone_rendition(picture)["webp_bytes"])
        expected = f"Picture: Etalase toko. Tap to load (± {weight})"

    assert expected in saved


def test_the_placeholder_escapes_the_description_once(picture):
    picture.alt = 'Kue "lapis" & <b>roti</b>'

    saved = data_saver_html(picture_html(picture))

    link = re.search(r'<a class="ph-load"[^>]*>(.*?)</a>', saved).group(1)
    assert escape('Kue "lapis" & <b>roti</b>') in link
    assert "<b>" not in saved
    assert "&amp;amp;" not in saved


def test_a_picture_without_a_description_still_gets_a_label(picture):
    picture.alt = ""

    saved = data_saver_html(picture_html(picture))

    assert placeholder_label("tanpa keterangan", phone_rendition(picture)["webp_bytes"]) in saved
    assert translated("no description") == "tanpa keterangan"


def test_text_without_pictures_is_left_as_it_is():
    html = render_markdown("## Harga\n\nHitung **biaya** dulu.\n\n| a | b |\n|---|---|\n| 1 | 2 |")

    assert data_saver_html(html) == html
    assert picture_bytes(html) == 0


def test_every_picture_of_a_lesson_gets_its_own_placeholder(picture):
    other = a_picture(alt="Rak belakang", seed=3)
    lesson = LessonFactory(body=text_with(picture, other))

    saved = data_saver_html(lesson.body_html)

    assert saved.count('<span class="ph">') == 2
    assert f'href="{phone_url(picture)}"' in saved
    assert f'href="{phone_url(other)}"' in saved
    assert loads_no_picture(saved)
    assert picture_bytes(lesson.body_html) == (
        phone_rendition(picture)["webp_bytes"] + phone_rendition(other)["webp_bytes"]
    )


def test_a_lesson_costs_its_compressed_text_plus_the_page_around_it(picture):
    html = render_markdown(text_with(picture))

    page, pictures = lesson_data_cost(html)

    assert page == LESSON_PAGE_FRAME_BYTES + len(gzip.compress(html.encode()))
    assert pictures == phone_rendition(picture)["webp_bytes"]
    assert lesson_data_cost("") == (LESSON_PAGE_FRAME_BYTES, 0)


def test_saving_a_lesson_fills_in_and_updates_its_data_cost(picture):
    lesson = LessonFactory(body="Teks saja.")
    lesson.refresh_from_db()
    assert (lesson.page_bytes, lesson.picture_bytes) == lesson_data_cost(lesson.body_html)
    assert lesson.picture_bytes == 0

    lesson.body = text_with(picture)
    lesson.save()
    lesson.refresh_from_db()
    assert lesson.picture_bytes == phone_rendition(picture)["webp_bytes"]
    assert lesson.page_bytes == lesson_data_cost(lesson.body_html)[0]

    lesson.body = "Gambarnya dihapus."
    lesson.save()
    lesson.refresh_from_db()
    assert lesson.picture_bytes == 0


def test_a_lesson_counts_its_pictures_only_when_they_load_by_themselves(picture):
    lesson = LessonFactory(body=text_with(picture))

    assert lesson.data_cost(data_saver=True) == lesson.page_bytes
    assert lesson.data_cost(data_saver=False) == lesson.page_bytes + lesson.picture_bytes
    assert lesson.picture_bytes > 0


@pytest.mark.django_db(transaction=True)
def test_the_migration_gives_existing_lessons_their_data_cost():
    """courses 0004 renders every lesson again: older HTML lacks the picture's size."""
    from django.db.migrations.executor import MigrationExecutor

    picture = a_picture()
    lesson = LessonFactory(body=text_with(picture))
    plain = LessonFactory(body="Teks saja.")
    new_html = lesson.body_html
    old_html = re.sub(r"<picture [^>]*>", "<picture>", new_html)
    Lesson.objects.filter(pk=lesson.pk).update(body_html=old_html)

    executor = MigrationExecutor(connection)
    executor.migrate([("courses", "0003_certificates")])
    executor = MigrationExecutor(connection)
    executor.migrate([("courses", "0004_lesson_data_cost")])

    lesson.refresh_from_db()
    plain.refresh_from_db()
    assert lesson.body_html == new_html
    assert (lesson.page_bytes, lesson.picture_bytes) == lesson_data_cost(new_html)
    assert lesson.picture_bytes == phone_rendition(picture)["webp_bytes"]
    assert (plain.page_bytes, plain.picture_bytes) == lesson_data_cost(plain.body_html)


# --- Who gets the data saver ------------------------------------------------------------------


def test_a_new_account_has_the_data_saver_on(client):
    password = "Kopi-Susu-Gula-Aren"
    response = client.post(
        reverse("account_signup"),
        {
            "name": "Siti Aminah",
            "phone": "0812-3456-7890",
            "email": "",
            "password1": password,
            "password2": password,
            "timezone": "Asia/Makassar",
            "consent": "on",
        },
    )

    assert response.status_code == 302
    assert User.objects.get().data_saver is True


def test_the_settings_page_offers_the_data_saver_checked(learner):
    response = learner.client.get(reverse("account_settings"))

    html = response.content.decode()
    assert response.status_code == 200
    assert re.search(r"<label[^>]*for=\"id_data_saver\"[^>]*>Hemat kuota", html)
    assert re.search(r'<input type="checkbox" name="data_saver"[^>]*checked', html)


def test_the_learner_turns_the_data_saver_off_and_on_again_in_settings(learner):
    url = reverse("account_settings")
    fields = {"name": "Siti Aminah", "timezone": "Asia/Jayapura"}

    off = learner.client.post(url, fields)
    learner.user.refresh_from_db()
    assert off.status_code == 302
    assert learner.user.data_saver is False
    assert learner.user.timezone == "Asia/Jayapura"

    learner.client.post(url, {**fields, "data_saver": "on"})
    learner.user.refresh_from_db()
    assert learner.user.data_saver is True


@pytest.mark.parametrize(
    ("setting", "header", "saving"),
    [
        (True, None, True),
        (True, "on", True),
        (False, None, False),
        (False, "on", True),
        (False, " On ", True),
        (False, "off", False),
    ],
)
def test_a_lesson_loads_its_pictures_only_without_the_data_saver(
    learner, shop, enrolled, setting, header, saving
):
    User.objects.filter(pk=learner.user.pk).update(data_saver=setting)
    headers = {"Save-Data": header} if header is not None else {}

    response = learner.client.get(lesson_url(shop.pictured), headers=headers)

    html = response.content.decode()
    assert response.status_code == 200
    assert response.wsgi_request.data_saver is saving
    assert loads_no_picture(html) is saving
    assert ('class="ph-load"' in html) is saving
    assert ("<picture data-bytes=" in outside_templates(html)) is not saving


@pytest.mark.parametrize(("header", "saving"), [(None, False), ("on", True)])
def test_an_anonymous_visitor_gets_the_data_saver_only_by_asking(anonymous, shop, header, saving):
    headers = {"Save-Data": header} if header else {}

    response = anonymous.client.get(shop.course.get_absolute_url(), headers=headers)

    html = response.content.decode()
    assert response.wsgi_request.data_saver is saving
    assert loads_no_picture(html) is saving
    assert ("Gambar: Sampul kelas. Ketuk untuk memuat" in html) is saving


@pytest.mark.parametrize("persona", ["anonymous", "learner"])
def test_html_pages_tell_caches_they_differ_with_save_data(personas, persona, shop):
    response = personas[persona].client.get(shop.course.get_absolute_url())

    assert response["Content-Type"].startswith("text/html")
    assert "Save-Data" in [v.strip() for v in response["Vary"].split(",")]


def test_the_offline_pack_does_not_vary_with_save_data(learner, shop, enrolled):
    response = learner.client.get(pack_url(shop.first))

    assert "Save-Data" not in response.get("Vary", "")


# --- The pages with the data saver on and off ---------------------------------------------


@pytest.mark.parametrize("kind", ["reading", "video", "file", "quiz", "task"])
@pytest.mark.parametrize("saving", [True, False], ids=["saver-on", "saver-off"])
def test_every_kind_of_lesson_follows_the_data_saver(learner, picture, kind, saving):
    course = CourseFactory()
    module = ModuleFactory(course=course)
    if kind == "quiz":
        lesson = add_quiz(module)
    elif kind == "task":
        lesson = add_task(module)
    else:
        lesson = LessonFactory(module=module, kind=kind, video_url="https://example.com/v")
    lesson.body = text_with(picture)
    lesson.save()
    progress.enrollment_create(user=learner.user, course=course)
    if not saving:
        data_saver_off(learner.user)

    html = learner.client.get(lesson_url(lesson)).content.decode()

    assert loads_no_picture(html) is saving
    link = f'<a class="ph-load" href="{phone_url(picture)}">'
    label = placeholder_label(picture.alt, phone_rendition(picture)["webp_bytes"])
    assert (f"{link}{label}</a>" in html) is saving
    assert (f'data-href="{phone_url(picture)}"' in outside_templates(html)) is not saving


@pytest.mark.parametrize("saving", [True, False], ids=["saver-on", "saver-off"])
@pytest.mark.parametrize("page", ["course_list", "course_detail"])
def test_the_course_cover_follows_the_data_saver(learner, shop, page, saving):
    if not saving:
        data_saver_off(learner.user)
    url = (
        reverse("courses:course_list") if page == "course_list" else shop.course.get_absolute_url()
    )

    html = learner.client.get(url).content.decode()

    cover_href = phone_url(shop.course.cover)
    assert loads_no_picture(html) is saving
    assert (f'<a class="ph-load" href="{cover_href}">Gambar: Sampul kelas.' in html) is saving
    assert ('<picture data-bytes="' in outside_templates(html)) is not saving


@pytest.mark.parametrize("saving", [True, False], ids=["saver-on", "saver-off"])
def test_the_course_page_says_what_each_lesson_costs(learner, shop, enrolled, saving):
    video = LessonFactory(
        module=shop.second,
        position=5,
        kind=Lesson.Kind.VIDEO,
        title="Video memotret",
        video_url="https://example.com/video",
        media_bytes=3 * 1024 * 1024,
    )
    handout = LessonFactory(module=shop.second, position=6, kind=Lesson.Kind.FILE, title="Lembar")
    handout.media_file.save("lembar.pdf", ContentFile(b"%PDF-1.4 lembar kerja"), save=True)
    if not saving:
        data_saver_off(learner.user)

    html = learner.client.get(shop.course.get_absolute_url()).content.decode()

    pictured = list_item(html, shop.pictured.title)
    cost = shop.pictured.page_bytes + (0 if saving else shop.pictured.picture_bytes)
    assert f"· ± {size(cost)}" in pictured
    assert shop.pictured.picture_bytes > 1024  # the two costs really differ
    assert f"· ± {size(shop.plain.page_bytes)}" in list_item(html, shop.plain.title)
    assert f"· ± {size(shop.quiz.page_bytes)}" in list_item(html, shop.quiz.title)
    assert "video ± 3,0\xa0MB" in list_item(html, video.title)
    assert f"{translated('file')} ± {size(21)}" in list_item(html, handout.title)
    assert "berkas ± 21\xa0bita" in list_item(html, handout.title)


@pytest.mark.parametrize("saving", [True, False], ids=["saver-on", "saver-off"])
def test_the_learner_home_says_what_the_next_lesson_costs(learner, shop, enrolled, saving):
    if not saving:
        data_saver_off(learner.user)
    lesson = shop.pictured
    cost = lesson.page_bytes + (0 if saving else lesson.picture_bytes)

    html = learner.client.get(reverse("home")).content.decode()

    assert enrolled.next_lesson_id == lesson.pk
    assert f"{translated('Next:')} {lesson.title} (± {size(cost)})" in html


# --- "Save for reading offline" on the course page ----------------------------------------


def test_each_module_offers_to_save_its_lessons_with_their_pictures(learner, shop, enrolled):
    html = learner.client.get(shop.course.get_absolute_url()).content.decode()

    first = shop.pictured.data_cost(data_saver=False) + shop.plain.data_cost(data_saver=False)
    assert pack_button(html, shop.first) == pack_label(first)
    assert pack_button(html, shop.second) == pack_label(shop.quiz.page_bytes)
    assert pack_label(first).startswith("Simpan untuk dibaca offline (± ")
    # hidden until app.js finds a browser that can store pages
    assert html.count('<p class="pack" hidden>') == 2


def test_the_save_button_counts_pictures_even_with_the_data_saver_on(learner, shop, enrolled):
    """Saving ahead downloads the pictures too, so the button says so whatever the setting."""
    assert learner.user.data_saver

    html = learner.client.get(shop.course.get_absolute_url()).content.decode()

    first = shop.pictured.data_cost(data_saver=False) + shop.plain.data_cost(data_saver=False)
    assert pack_button(html, shop.first) == pack_label(first)


@pytest.mark.parametrize("persona", ["anonymous", "other_learner", "staff"])
def test_nobody_but_an_enrolled_learner_is_offered_to_save_a_module(personas, shop, persona):
    html = personas[persona].client.get(shop.course.get_absolute_url()).content.decode()

    assert "data-pack=" not in html
    assert pack_button(html, shop.first) is None


def test_a_linear_course_offers_to_save_only_the_lessons_that_are_open(learner, shop):
    Course.objects.filter(pk=shop.course.pk).update(sequencing=Course.Sequencing.LINEAR)
    enrollment = progress.enrollment_create(user=learner.user, course=shop.course)

    html = learner.client.get(shop.course.get_absolute_url()).content.decode()

    assert pack_button(html, shop.first) == pack_label(shop.pictured.data_cost(data_saver=False))
    assert pack_button(html, shop.second) is None  # every lesson in it is locked

    progress.lesson_complete(enrollment=enrollment, lesson=shop.pictured)
    html = learner.client.get(shop.course.get_absolute_url()).content.decode()

    both = shop.pictured.data_cost(data_saver=False) + shop.plain.data_cost(data_saver=False)
    assert pack_button(html, shop.first) == pack_label(both)


# --- The pack itself -----------------------------------------------------------------------------


def test_the_pack_lists_the_modules_pages_and_each_picture_once(learner, picture):
    course = CourseFactory()
    first = ModuleFactory(course=course, position=0)
    other_module = ModuleFactory(course=course, position=1)
    second_picture = a_picture(alt="Rak belakang", seed=3)
    elsewhere = a_picture(alt="Gudang", seed=4)
    one = LessonFactory(module=first, position=0, body=text_with(picture))
    two = LessonFactory(module=first, position=1, body=text_with(picture, second_picture))
    three = add_quiz(first, position=2)
    LessonFactory(module=other_module, body=text_with(elsewhere))
    progress.enrollment_create(user=learner.user, course=course)

    response = learner.client.get(pack_url(first))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "pages": [lesson_url(one), lesson_url(two), lesson_url(three)],
        "pictures": [phone_url(picture), phone_url(second_picture)],
        "bytes": sum(lesson.data_cost(data_saver=False) for lesson in (one, two, three)),
    }


def test_the_pack_weighs_what_the_button_on_the_course_page_says(learner, shop, enrolled):
    page = learner.client.get(shop.course.get_absolute_url())
    modules = {module.pk: module for module in page.context["modules"]}

    for module in (shop.first, shop.second):
        pack = learner.client.get(pack_url(module)).json()
        assert pack["bytes"] == modules[module.pk].pack_bytes
        assert pack_button(page.content.decode(), module) == pack_label(pack["bytes"])


def test_the_pictures_of_a_pack_are_served_as_webp(learner, shop, enrolled, picture):
    pack = learner.client.get(pack_url(shop.first)).json()

    assert pack["pictures"] == [phone_url(picture)]
    response = learner.client.get(pack["pictures"][0])
    assert response.status_code == 200
    assert response["Content-Type"] == "image/webp"
    assert len(b"".join(response.streaming_content)) == phone_rendition(picture)["webp_bytes"]


def test_the_pages_of_a_pack_tap_to_load_the_pictures_the_pack_saved(learner, shop, enrolled):
    """Offline, a saved page's placeholder must point at a picture that was saved with it."""
    pack = learner.client.get(pack_url(shop.first)).json()

    links = []
    for url in pack["pages"]:
        html = learner.client.get(url, headers={"X-Offline-Save": "1"}).content.decode()
        links += re.findall(r'<a class="ph-load" href="([^"]+)">', html)

    assert links == pack["pictures"]


def test_the_pack_is_kept_by_nobody_on_the_way(learner, shop, enrolled):
    response = learner.client.get(pack_url(shop.first))

    assert response["Cache-Control"] == "private, no-store"


def test_a_linear_course_packs_only_the_lessons_that_are_open(learner, shop):
    Course.objects.filter(pk=shop.course.pk).update(sequencing=Course.Sequencing.LINEAR)
    enrollment = progress.enrollment_create(user=learner.user, course=shop.course)

    before = learner.client.get(pack_url(shop.first)).json()
    locked_module = learner.client.get(pack_url(shop.second)).json()
    progress.lesson_complete(enrollment=enrollment, lesson=shop.pictured)
    after = learner.client.get(pack_url(shop.first)).json()

    assert before["pages"] == [lesson_url(shop.pictured)]
    assert before["bytes"] == shop.pictured.data_cost(data_saver=False)
    assert locked_module == {"pages": [], "pictures": [], "bytes": 0}
    assert after["pages"] == [lesson_url(shop.pictured), lesson_url(shop.plain)]


def test_an_optional_lesson_does_not_lock_the_ones_after_it_in_the_pack(learner, shop):
    Course.objects.filter(pk=shop.course.pk).update(sequencing=Course.Sequencing.LINEAR)
    Lesson.objects.filter(pk=shop.pictured.pk).update(is_optional=True)
    progress.enrollment_create(user=learner.user, course=shop.course)

    pack = learner.client.get(pack_url(shop.first)).json()

    assert pack["pages"] == [lesson_url(shop.pictured), lesson_url(shop.plain)]


def test_the_pack_is_not_found_for_a_learner_who_is_not_enrolled(other_learner, shop, enrolled):
    assert other_learner.client.get(pack_url(shop.first)).status_code == 404


def test_the_pack_is_not_found_for_staff_previewing(staff, shop):
    assert staff.client.get(pack_url(shop.first)).status_code == 404


def test_the_pack_is_not_found_for_a_module_of_another_course(learner, shop, enrolled):
    other = CourseFactory()
    foreign = ModuleFactory(course=other)
    LessonFactory(module=foreign, title="Rahasia kelas lain")
    progress.enrollment_create(user=learner.user, course=other)
    url = reverse("courses:module_pack", args=[shop.course.slug, foreign.pk])

    response = learner.client.get(url)

    assert response.status_code == 404
    assert learner.client.get(pack_url(foreign)).status_code == 200  # its own course: fine


def test_the_pack_is_not_found_for_a_module_that_does_not_exist(learner, shop, enrolled):
    url = reverse("courses:module_pack", args=[shop.course.slug, shop.second.pk + 1000])

    assert learner.client.get(url).status_code == 404


def test_the_pack_of_an_unpublished_course_is_not_found(learner, shop, enrolled):
    Course.objects.filter(pk=shop.course.pk).update(is_published=False)

    assert learner.client.get(pack_url(shop.first)).status_code == 404


def test_an_anonymous_visitor_is_sent_to_sign_in_for_a_pack(anonymous, shop):
    url = pack_url(shop.first)

    response = anonymous.client.get(url)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={url}"


def test_every_page_of_a_pack_can_be_fetched_ahead(learner, shop, enrolled):
    pack = learner.client.get(pack_url(shop.first)).json()

    for url in pack["pages"]:
        response = learner.client.get(url, headers={"X-Offline-Save": "1"})
        assert response.status_code == 200
        assert response.wsgi_request.path == url


# --- Fetching ahead is not opening ----------------------------------------------------------

GATE_CALLS = []


def survey_first(*, request, course):
    """A first-lesson gate (like the baseline survey) that always asks for a detour."""
    GATE_CALLS.append(request.path)
    return "/survei-dulu/"


def test_saving_a_lesson_ahead_does_not_count_as_opening_it(learner, shop, enrolled):
    url = lesson_url(shop.pictured)

    saved = learner.client.get(url, headers={"X-Offline-Save": "1"})

    enrolled.refresh_from_db()
    assert saved.status_code == 200
    assert shop.pictured.title in saved.content.decode()
    assert not LessonProgress.objects.filter(enrollment=enrolled).exists()
    assert enrolled.last_activity_at is None

    opened = learner.client.get(url)

    enrolled.refresh_from_db()
    assert opened.status_code == 200
    assert LessonProgress.objects.filter(enrollment=enrolled, lesson=shop.pictured).count() == 1
    assert enrolled.last_activity_at is not None


def test_saving_ahead_leaves_the_last_activity_alone(learner, shop, enrolled):
    yesterday = timezone.now() - timedelta(days=1)
    Enrollment.objects.filter(pk=enrolled.pk).update(last_activity_at=yesterday)

    learner.client.get(lesson_url(shop.plain), headers={"X-Offline-Save": "1"})

    enrolled.refresh_from_db()
    assert enrolled.last_activity_at == yesterday
    assert not LessonProgress.objects.filter(lesson=shop.plain).exists()


def test_saving_ahead_writes_nothing_to_the_database(learner, shop, enrolled):
    url = lesson_url(shop.pictured)
    learner.client.get(url, headers={"X-Offline-Save": "1"})

    with CaptureQueriesContext(connection) as ctx:
        response = learner.client.get(url, headers={"X-Offline-Save": "1"})

    assert response.status_code == 200
    writes = [q["sql"] for q in ctx.captured_queries if q["sql"].split()[0] in {"INSERT", "UPDATE"}]
    assert writes == []


def test_saving_ahead_does_not_run_the_first_lesson_gates(learner, shop, enrolled, settings):
    settings.FIRST_LESSON_GATES = ["tests.courses.test_data_saver.survey_first"]
    GATE_CALLS.clear()
    url = lesson_url(shop.pictured)

    saved = learner.client.get(url, headers={"X-Offline-Save": "1"})

    assert saved.status_code == 200
    assert GATE_CALLS == []

    opened = learner.client.get(url)

    assert opened.status_code == 302
    assert opened["Location"] == "/survei-dulu/"
    assert GATE_CALLS == [url]


def test_saving_ahead_does_not_open_a_locked_lesson(learner, shop):
    Course.objects.filter(pk=shop.course.pk).update(sequencing=Course.Sequencing.LINEAR)
    progress.enrollment_create(user=learner.user, course=shop.course)

    response = learner.client.get(lesson_url(shop.plain), headers={"X-Offline-Save": "1"})

    assert response.status_code == 302
    assert response["Location"] == shop.course.get_absolute_url()


# --- Answers kept offline and sent again -------------------------------------------------------


def offline_queue_client(user) -> Client:
    """A browser that checks CSRF like a real one: the queue replays the page's own token."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def the_form(html: str, action: str) -> tuple[str, str]:
    """(opening tag, inside) of the form posting to action."""
    match = re.search(rf'(<form [^>]*action="{re.escape(action)}"[^>]*>)(.*?)</form>', html, re.S)
    assert match, f"no form posting to {action}"
    return match.group(1), match.group(2)


def hidden_value(form_html: str, name: str) -> str:
    return re.search(rf'name="{name}" value="([^"]+)"', form_html).group(1)


def queued(client, page_url: str, action: str, **fields) -> str:
    """What app.js keeps for a form filled in offline: the page's hidden fields plus what the
    learner typed, URL-encoded."""
    html = client.get(page_url).content.decode()
    _tag, inside = the_form(html, action)
    body = {"csrfmiddlewaretoken": hidden_value(inside, "csrfmiddlewaretoken")}
    if 'name="idempotency_key"' in inside:
        body["idempotency_key"] = hidden_value(inside, "idempotency_key")
    body.update(fields)
    return urlencode(body, doseq=True)


def send(client, action, body):
    return client.post(action, body, content_type="application/x-www-form-urlencoded")


@pytest.mark.parametrize("kind", ["quiz", "task", "done"])
def test_the_quiz_task_and_done_forms_can_wait_in_the_offline_queue(learner, shop, enrolled, kind):
    task = add_task(shop.second, position=1)
    lesson, action = {
        "quiz": (shop.quiz, "quiz_submit"),
        "task": (task, "task_submit"),
        "done": (shop.plain, "lesson_complete"),
    }[kind]

    html = learner.client.get(lesson_url(lesson)).content.decode()

    tag, inside = the_form(html, lesson_url(lesson, action))
    assert re.search(r"\sdata-queue[\s>]", tag)
    if kind == "done":
        assert "idempotency_key" not in inside
    else:
        assert re.search(
            r'<input type="hidden" name="idempotency_key" value="[0-9a-f-]{36}"', inside
        )


def test_an_offline_quiz_answer_sent_twice_makes_one_attempt(learner, shop, enrolled):
    client = offline_queue_client(learner.user)
    action = lesson_url(shop.quiz, "quiz_submit")
    answers = {
        f"q{q}": [str(o) for o in options] for q, options in right_answers(shop.quiz).items()
    }
    body = queued(client, lesson_url(shop.quiz), action, **answers)

    first = send(client, action, body)
    second = send(client, action, body)

    attempt = QuizAttempt.objects.get()
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == attempt.get_absolute_url()
    assert str(attempt.idempotency_key) == re.search(r"idempotency_key=([0-9a-f-]+)", body)[1]
    assert attempt.passed
    shown = client.get(second["Location"]).content.decode()
    assert translated("Your answers were already received.") in shown


def test_the_last_allowed_attempt_sent_twice_still_shows_its_result(learner, enrolled):
    """A quiz with one attempt: the repeated delivery is the same attempt, not a refusal."""
    quiz = add_quiz(ModuleFactory(course=enrolled.course, position=9), max_attempts=1)
    client = offline_queue_client(learner.user)
    action = lesson_url(quiz, "quiz_submit")
    answers = {f"q{q}": [str(o) for o in options] for q, options in right_answers(quiz).items()}
    body = queued(client, lesson_url(quiz), action, **answers)

    first = send(client, action, body)
    second = send(client, action, body)

    attempt = QuizAttempt.objects.get(lesson=quiz)
    assert first["Location"] == second["Location"] == attempt.get_absolute_url()
    shown = client.get(second["Location"])
    assert [str(m) for m in shown.context["messages"]] == [
        translated("Your answers were already received.")
    ]


def test_an_offline_task_sent_twice_is_stored_once(learner, shop, enrolled):
    task = add_task(shop.second, position=1)
    client = offline_queue_client(learner.user)
    action = lesson_url(task, "task_submit")
    body = queued(client, lesson_url(task), action, text="Foto etalase baru saya", link="")

    first = send(client, action, body)
    second = send(client, action, body)

    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == lesson_url(task)
    submission = TaskSubmission.objects.get()
    assert submission.text == "Foto etalase baru saya"
    assert submission.enrollment == enrolled
    html = client.get(lesson_url(task)).content.decode()
    assert translated("Earlier submission") not in html


def test_an_offline_done_sent_twice_counts_once(learner, shop, enrolled):
    client = offline_queue_client(learner.user)
    action = lesson_url(shop.plain, "lesson_complete")
    body = queued(client, lesson_url(shop.plain), action)

    first = send(client, action, body)
    enrolled.refresh_from_db()
    after_first = (enrolled.progress_percent, enrolled.completed_lessons)
    second = send(client, action, body)
    enrolled.refresh_from_db()

    assert first.status_code == second.status_code == 302
    assert after_first == (33, 1)
    assert (enrolled.progress_percent, enrolled.completed_lessons) == after_first
    assert (
        LessonProgress.objects.filter(
            enrollment=enrolled, lesson=shop.plain, completed_at__isnull=False
        ).count()
        == 1
    )


def test_a_queued_answer_without_the_pages_token_is_refused(learner, shop, enrolled):
    """The queue sends the CSRF token the page was drawn with; a forged post has none."""
    client = offline_queue_client(learner.user)
    client.get(lesson_url(shop.plain))
    action = lesson_url(shop.plain, "lesson_complete")

    response = send(client, action, "")

    assert response.status_code == 403
    assert not LessonProgress.objects.filter(completed_at__isnull=False).exists()


# --- Budgets --------------------------------------------------------------------------------------

LONG_READING = "\n\n".join(
    [
        "## Menata etalase",
        "Etalase yang rapi membuat pembeli berhenti dan melihat. " * 6,
        "- produk terlaris di depan\n- harga terlihat jelas\n- cahaya cukup",
        "| Rak | Isi |\n|---|---|\n| Depan | Kue kering |\n| Tengah | Roti |",
        "Foto etalase dari depan, lalu bandingkan dengan foto minggu lalu. " * 8,
    ]
)


@pytest.mark.parametrize("saving", [True, False], ids=["saver-on", "saver-off"])
def test_a_reading_lesson_with_pictures_fits_in_the_first_round_trip(learner, picture, saving):
    course = CourseFactory()
    for number in range(8):
        module = ModuleFactory(course=course, position=number)
        for position in range(6):
            LessonFactory(module=module, position=position)
    lesson = LessonFactory(
        module=course.modules.first(),
        position=99,
        body=LONG_READING + "\n\n" + text_with(picture, a_picture(alt="Rak", seed=5)),
    )
    progress.enrollment_create(user=learner.user, course=course)
    if not saving:
        data_saver_off(learner.user)

    response = learner.client.get(lesson_url(lesson))

    assert response.status_code == 200
    assert loads_no_picture(response.content.decode()) is saving
    assert len(response.content) > 3000
    assert gzipped_size(response) <= HTML_BUDGET


def test_a_quiz_lesson_fits_in_the_first_round_trip(learner, picture):
    course = CourseFactory()
    quiz = add_quiz(ModuleFactory(course=course), questions=20)
    quiz.body = text_with(picture)
    quiz.save()
    progress.enrollment_create(user=learner.user, course=course)

    response = learner.client.get(lesson_url(quiz))

    assert response.status_code == 200
    assert gzipped_size(response) <= HTML_BUDGET


def test_a_practice_task_lesson_fits_in_the_first_round_trip(learner, picture):
    course = CourseFactory()
    task = add_task(ModuleFactory(course=course))
    task.body = LONG_READING + "\n\n" + text_with(picture)
    task.save()
    progress.enrollment_create(user=learner.user, course=course)

    response = learner.client.get(lesson_url(task))

    assert response.status_code == 200
    assert 'name="idempotency_key"' in response.content.decode()
    assert gzipped_size(response) <= HTML_BUDGET


def add_modules(course, count, picture, *, lessons=5):
    """count more modules of `lessons` reading lessons, each with the picture."""
    start = course.modules.count()
    for number in range(count):
        module = ModuleFactory(course=course, position=start + number)
        for position in range(lessons):
            LessonFactory(module=module, position=position, body=text_with(picture))


@pytest.mark.parametrize("saving", [True, False], ids=["saver-on", "saver-off"])
def test_a_course_page_with_twelve_modules_fits_in_the_first_round_trip(
    learner, shop, enrolled, picture, saving
):
    add_modules(shop.course, 10, picture)
    if not saving:
        data_saver_off(learner.user)

    response = learner.client.get(shop.course.get_absolute_url())

    html = response.content.decode()
    assert html.count("data-pack=") == 12
    assert gzipped_size(response) <= HTML_BUDGET


def test_the_learner_home_with_many_courses_fits_in_the_first_round_trip(learner, picture):
    for number in range(15):
        course = CourseFactory()
        module = ModuleFactory(course=course)
        LessonFactory(module=module, body=text_with(picture), title=f"Materi bergambar {number}")
        progress.enrollment_create(user=learner.user, course=course)

    response = learner.client.get(reverse("home"))

    assert response.status_code == 200
    assert " (± " in response.content.decode()
    assert gzipped_size(response) <= HTML_BUDGET


@pytest.mark.parametrize("saving", [True, False], ids=["saver-on", "saver-off"])
def test_the_course_page_needs_the_same_queries_for_2_or_12_modules(
    learner, shop, enrolled, picture, saving
):
    if not saving:
        data_saver_off(learner.user)

    # session, user, enrolment, done ids (course, outline: content cache): as in
    # tests/courses/test_budgets.py, the costs and pack sizes add none
    assert_constant_queries(
        learner.client,
        shop.course.get_absolute_url(),
        grow=lambda: add_modules(shop.course, 10, picture),
        expected=4,
    )


@pytest.mark.parametrize("saving", [True, False], ids=["saver-on", "saver-off"])
def test_the_lesson_page_needs_the_same_queries_for_2_or_12_modules(
    learner, shop, enrolled, picture, saving
):
    if not saving:
        data_saver_off(learner.user)

    assert_constant_queries(
        learner.client,
        lesson_url(shop.pictured),
        grow=lambda: add_modules(shop.course, 10, picture),
        expected=4,
    )


def test_saving_a_lesson_ahead_needs_fewer_queries_than_opening_it(learner, shop, enrolled):
    url = lesson_url(shop.pictured)
    learner.client.get(lesson_url(shop.plain))  # the enrolment's activity is written here
    learner.client.get(url, headers={"X-Offline-Save": "1"})  # the lesson enters the cache
    opened = LessonProgress.objects.filter(lesson=shop.pictured)

    saving = count_queries(lambda: learner.client.get(url, headers={"X-Offline-Save": "1"}))
    assert not opened.exists()
    opening = count_queries(lambda: learner.client.get(url))

    # Saving ahead writes no progress row; the first real opening does (then no more).
    assert opened.count() == 1
    assert (saving, opening) == (4, 5)


def test_the_pack_needs_the_same_queries_for_2_or_12_modules(learner, shop, enrolled, picture):
    # session, user, enrolment, done ids, the lessons' HTML (course, outline: content cache)
    assert_constant_queries(
        learner.client,
        pack_url(shop.first),
        grow=lambda: [
            add_modules(shop.course, 10, picture),
            LessonFactory(module=shop.first, position=9, body=text_with(picture)),
        ],
        expected=5,
    )


def test_new_users_of_every_kind_start_with_the_data_saver_on():
    assert UserFactory(is_mentor=True, is_learner=False).data_saver
    assert User.objects.create_user(phone="+6281200000001", name="Ani").data_saver


@pytest.mark.django_db
def test_the_course_list_says_what_reading_a_whole_course_costs(learner):
    from courses.models import Course, Lesson, Module

    course = Course.objects.create(
        title="Kelas Hemat", slug="kelas-hemat", summary="S", is_published=True
    )
    module = Module.objects.create(course=course, title="M", position=1)
    lessons = [
        Lesson.objects.create(module=module, title=f"L{n}", body="Teks " * 200, position=n)
        for n in range(3)
    ]
    expected = sum(lesson.page_bytes for lesson in lessons)

    html = learner.client.get(reverse("courses:course_list")).content.decode()

    assert f"± {filesizeformat(expected)}" in html
