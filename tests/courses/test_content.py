"""Lesson text and pictures: Markdown sanitised on save, pictures re-encoded, and every
piece of user or staff text escaped wherever it is shown."""

import io
import re
import uuid

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils.html import escape
from PIL import Image

from courses.models import Option, Picture, Question
from courses.services import practice, progress, quizzes
from courses.services.content import picture_html, render_markdown
from courses.services.pictures import picture_renditions
from tests.courses.builders import (
    CourseFactory,
    LessonFactory,
    ModuleFactory,
    add_task,
    gps_exif,
    photo_upload,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

RICH = """\
## Menghitung harga

### Langkah

- bahan baku
- kemasan

1. catat
2. hitung

| Biaya | Rp |
|-------|---:|
| Tepung | 12000 |

Baca [panduan](https://example.com/harga "Panduan") dan **simpan**.
"""


def test_it_keeps_headings_lists_tables_and_links():
    html = render_markdown(RICH)

    assert "<h2>Menghitung harga</h2>" in html
    assert "<h3>Langkah</h3>" in html
    assert re.search(r"<ul>\s*<li>bahan baku</li>\s*<li>kemasan</li>\s*</ul>", html)
    assert re.search(r"<ol>\s*<li>catat</li>\s*<li>hitung</li>\s*</ol>", html)
    assert re.search(r"<table>\s*<thead>\s*<tr>\s*<th>Biaya</th>", html)
    assert re.search(r"<td[^>]*>12000</td>", html)
    assert "<strong>simpan</strong>" in html
    [link] = re.findall(r"<a [^>]*>panduan</a>", html)
    assert 'href="https://example.com/harga"' in link
    assert 'rel="noopener noreferrer nofollow"' in link


def test_it_keeps_a_top_level_heading_as_a_heading():
    html = render_markdown("# Langkah pertama\n\nIsi.")

    assert re.search(r"<h[1-4]>Langkah pertama</h[1-4]>", html)


@pytest.mark.parametrize(
    ("source", "forbidden"),
    [
        ("<script>alert(1)</script>Halo", ["<script", "alert(1)"]),
        ('<b onclick="alert(1)">tebal</b>', ["onclick", "alert"]),
        ("<a href='https://example.com' onmouseover='alert(1)'>x</a>", ["onmouseover"]),
        ("[klik](javascript:alert(1))", ["javascript:", "alert"]),
        ("[klik](JaVaScRiPt:alert(1))", ["javascript:", "alert"]),
        ('<a href="javascript:alert(1)">klik</a>', ["javascript:", "alert"]),
        ('<iframe src="https://evil.example/"></iframe>', ["<iframe", "evil.example"]),
        ("<svg onload=alert(1)><circle r=1 /></svg>", ["<svg", "onload", "alert"]),
        ('<p style="position:fixed;top:0">iklan</p>', ["style=", "position:fixed"]),
        ('<div class="hero" id="x">mentah</div>', ["<div", "class=", "id="]),
        ('<form action="https://evil.example"><input name=p></form>', ["<form", "<input"]),
        ("<style>body{display:none}</style>teks", ["<style", "display:none"]),
        ("[unduh](data:text/html;base64,PHNjcmlwdD4=)", ["data:", "base64"]),
        ("![gambar](data:image/png;base64,iVBORw0KGgo=)", ["data:", "<img"]),
        ("<img src=x onerror=alert(1)>", ["<img", "onerror"]),
        ("![gambar luar](https://evil.example/x.png)", ["<img", "evil.example"]),
        ("![gambar luar](//evil.example/x.png)", ["<img", "evil.example"]),
    ],
)
def test_it_strips_anything_that_could_run_or_restyle_the_page(source, forbidden):
    html = render_markdown(source).lower()

    for fragment in forbidden:
        assert fragment.lower() not in html


def test_it_keeps_the_text_of_raw_html_but_not_the_tags():
    html = render_markdown('<div class="hero">Harga <span style="color:red">naik</span></div>')

    assert "Harga" in html
    assert "naik" in html
    assert "<div" not in html
    assert "<span" not in html


def test_it_renders_an_empty_body_as_nothing():
    assert render_markdown("") == ""


def make_picture(size=(1200, 800), exif=None, alt="Etalase toko"):
    largest, renditions = picture_renditions(photo_upload(size=size, exif=exif))
    picture = Picture(alt=alt, renditions=renditions)
    picture.file.save(largest.name, largest, save=True)
    return picture


def test_it_builds_a_responsive_lazy_picture_from_the_renditions():
    picture = make_picture()

    html = picture_html(picture)

    webp_urls = [default_storage.url(r["webp"]) for r in picture.renditions]
    # What a phone would load (the 720 px WebP) is named for the data saver.
    phone = picture.renditions[1]
    assert html.startswith(
        f'<picture data-bytes="{phone["webp_bytes"]}" data-href="{webp_urls[1]}">'
    )
    jpeg_urls = [default_storage.url(r["jpeg"]) for r in picture.renditions]
    assert f'<source type="image/webp" srcset="{webp_urls[0]} 360w, {webp_urls[1]} 720w, ' in html
    assert f'{webp_urls[2]} 1080w"' in html
    assert f'srcset="{jpeg_urls[0]} 360w, {jpeg_urls[1]} 720w, {jpeg_urls[2]} 1080w"' in html
    assert 'width="360" height="240"' in html
    assert 'loading="lazy"' in html
    assert 'alt="Etalase toko"' in html


def test_it_makes_no_rendition_wider_than_the_picture():
    picture = make_picture(size=(500, 500))

    assert [r["width"] for r in picture.renditions] == [360]


def test_it_turns_a_picture_reference_into_a_picture_element():
    picture = make_picture()

    html = render_markdown(f"Contoh:\n\n![Rak dagangan](picture:{picture.pk})")

    assert "picture:" not in html
    assert html.count("<picture data-bytes=") == 1
    assert 'type="image/webp"' in html
    assert 'alt="Rak dagangan"' in html
    assert 'width="360" height="240"' in html
    assert 'loading="lazy"' in html


def test_it_drops_a_reference_to_a_missing_picture():
    html = render_markdown("Contoh:\n\n![Hilang](picture:987654)")

    assert "<img" not in html
    assert "picture:" not in html


def test_it_re_encodes_picture_renditions_without_exif():
    upload = photo_upload(size=(1200, 800), exif=gps_exif())
    assert Image.open(io.BytesIO(upload.read())).getexif().get_ifd(0x8825)
    upload.seek(0)

    largest, renditions = picture_renditions(upload)

    names = [r[kind] for r in renditions for kind in ("webp", "jpeg")]
    assert len(names) == 6
    for name in names:
        with default_storage.open(name, "rb") as handle:
            data = handle.read()
        image = Image.open(io.BytesIO(data))
        assert image.format == ("WEBP" if name.endswith(".webp") else "JPEG")
        assert dict(image.getexif()) == {}, name
        assert b"Phone X" not in data
    largest_image = Image.open(io.BytesIO(largest.read()))
    assert largest_image.width == 1080
    assert dict(largest_image.getexif()) == {}


def test_it_serves_a_rendition_with_a_long_cache_lifetime(anonymous):
    picture = make_picture()
    name = picture.renditions[0]["webp"].rsplit("/", 1)[-1]

    response = anonymous.client.get(reverse("courses:picture_file", args=[name]))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/webp"
    assert "immutable" in response["Cache-Control"]
    for bad in ["x.jpg", "0" * 32 + ".jpg", name.replace(".webp", ".png")]:
        assert anonymous.client.get(reverse("courses:picture_file", args=[bad])).status_code == 404


# --- Escaping of stored text ------------------------------------------------------------

PAYLOAD = '<script>alert("xss")</script><img src=x onerror=alert(1)>'
LINK_PAYLOAD = 'https://example.com/?q="><script>alert(2)</script>'
# Raw tags only: the escaped payload (&lt;img src=x onerror=...) is harmless text.
DANGEROUS = re.compile(r"<script>alert|<img src=x", re.I)


@pytest.fixture
def hostile(learner):
    """A course where every text a person can type carries a script."""
    course = CourseFactory(title=f"Kelas {PAYLOAD}", summary=PAYLOAD)
    module = ModuleFactory(course=course, title=f"Modul {PAYLOAD}")
    quiz = LessonFactory(module=module, kind="quiz", position=0, title=f"Kuis {PAYLOAD}")
    question = Question.objects.create(lesson=quiz, text=f"Soal {PAYLOAD}")
    Option.objects.create(
        question=question, text=f"Benar {PAYLOAD}", is_correct=True, explanation=PAYLOAD
    )
    Option.objects.create(question=question, text=f"Salah {PAYLOAD}", explanation=PAYLOAD)
    task = add_task(module, position=1, title=f"Tugas {PAYLOAD}")
    task.body = f"Petunjuk {PAYLOAD}"
    task.save()
    enrollment = progress.enrollment_create(user=learner.user, course=course)
    attempt, _ = quizzes.quiz_submit(
        enrollment=enrollment,
        lesson=quiz,
        answers={question.pk: set(question.options.values_list("pk", flat=True))},
        idempotency_key=uuid.uuid4(),
    )
    submission, _ = practice.task_submit(
        enrollment=enrollment,
        lesson=task,
        text=f"Jawaban {PAYLOAD}",
        link=LINK_PAYLOAD,
        photos=[],
        idempotency_key=uuid.uuid4(),
    )
    return course, quiz, task, attempt, submission


def assert_escaped(response, *texts):
    assert response.status_code == 200
    html = response.content.decode()
    assert DANGEROUS.search(html) is None
    for text in texts:
        assert escape(text) in html, text


def test_it_escapes_course_and_quiz_text_on_the_quiz_page(learner, hostile):
    course, quiz, *_ = hostile

    response = learner.client.get(reverse("courses:lesson_detail", args=[course.slug, quiz.pk]))

    assert_escaped(response, course.title, f"Soal {PAYLOAD}", f"Benar {PAYLOAD}")


def test_it_escapes_the_quiz_text_on_the_attempt_page(learner, hostile):
    course, _, _, attempt, _ = hostile

    response = learner.client.get(attempt.get_absolute_url())

    assert_escaped(response, course.title, f"Soal {PAYLOAD}", f"Salah {PAYLOAD}", PAYLOAD)


def test_it_escapes_the_task_and_the_answer_on_the_task_page(learner, hostile):
    course, _, task, _, _ = hostile

    response = learner.client.get(reverse("courses:lesson_detail", args=[course.slug, task.pk]))

    assert_escaped(response, course.title, task.title)
    assert "Petunjuk" in response.content.decode()


def test_it_escapes_the_answer_and_link_on_the_submission_page(learner, hostile):
    *_, submission = hostile

    response = learner.client.get(submission.get_absolute_url())

    assert_escaped(response, f"Jawaban {PAYLOAD}", LINK_PAYLOAD, submission.lesson.title)
    assert f'href="{escape(LINK_PAYLOAD)}"' in response.content.decode()


def test_it_escapes_the_answer_and_link_on_the_review_page(staff, hostile):
    *_, submission = hostile

    response = staff.client.get(reverse("courses:review_submission", args=[submission.pk]))

    assert_escaped(response, f"Jawaban {PAYLOAD}", LINK_PAYLOAD, submission.lesson.title)


def test_it_escapes_the_review_queue(staff, hostile):
    course, _, task, _, _ = hostile

    response = staff.client.get(reverse("courses:review_queue"))

    assert_escaped(response, course.title, task.title)


def test_it_escapes_the_course_list_and_outline(learner, hostile):
    course, quiz, *_ = hostile

    assert_escaped(learner.client.get(reverse("courses:course_list")), course.title, PAYLOAD)
    assert_escaped(learner.client.get(course.get_absolute_url()), course.title, quiz.title)


def test_it_escapes_the_learner_home(learner, hostile):
    course, *_ = hostile

    assert_escaped(learner.client.get(reverse("home")), course.title)


@pytest.fixture
def superuser_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True, is_learner=False))
    return client


@pytest.mark.parametrize(
    ("model", "texts"),
    [
        ("course", [f"Kelas {PAYLOAD}"]),
        ("module", [f"Modul {PAYLOAD}", f"Kelas {PAYLOAD}"]),
        ("lesson", [f"Kuis {PAYLOAD}", f"Modul {PAYLOAD}"]),
        ("question", [f"Soal {PAYLOAD}"[:60], f"Kuis {PAYLOAD}"]),
        ("quizattempt", [f"Kuis {PAYLOAD}"]),
        ("tasksubmission", [f"Tugas {PAYLOAD}"]),
    ],
)
def test_it_escapes_stored_text_in_the_admin_change_list(superuser_client, hostile, model, texts):
    response = superuser_client.get(reverse(f"admin:courses_{model}_changelist"))

    assert_escaped(response, *texts)


def test_it_escapes_stored_text_in_the_admin_change_forms(superuser_client, hostile):
    course, quiz, task, attempt, submission = hostile
    question = quiz.questions.get()
    pages = [
        ("course", course.pk, [course.title, PAYLOAD]),
        ("lesson", quiz.pk, [quiz.title]),
        ("lesson", task.pk, [task.title, task.body]),
        ("question", question.pk, [question.text, f"Benar {PAYLOAD}", PAYLOAD]),
        ("quizattempt", attempt.pk, []),
        ("tasksubmission", submission.pk, [submission.text, LINK_PAYLOAD]),
    ]
    for model, pk, texts in pages:
        response = superuser_client.get(reverse(f"admin:courses_{model}_change", args=[pk]))
        assert_escaped(response, *texts)
