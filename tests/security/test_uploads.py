"""Issue 9: uploads. Task photos, survey evidence photos, staff pictures (admin) and lesson
files (admin): size caps, decompression bombs, HTML dressed as a photo, SVG with a script,
a GIF that is also an HTML page, and path tricks in file names. Each is refused with a clear
message or re-encoded; nothing is stored under a name the uploader chose; every file is
served with nosniff and a safe Content-Disposition."""

import re
import uuid
from html.parser import HTMLParser

import pytest
from django.contrib import admin
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import NoReverseMatch, reverse

from courses.models import CertificateTemplate, Lesson, Picture, TaskPhoto, TaskSubmission
from outcomes.models import Evidence
from tests.courses.builders import bomb_png, photo_upload
from tests.security.helpers import assert_no_server_error, client_for
from tests.security.strategies import HTML, SVG, gif_polyglot, image_bytes

pytestmark = pytest.mark.django_db

TRICKY_NAMES = [
    "../../etc/passwd.jpg",
    "..\\..\\windows\\x.jpg",
    "nul\x00byte.jpg",
    "x" * 250 + ".jpg",
    "<script>alert(1)</script>.jpg",
    "foto.jpg.html",
    ".htaccess.jpg",
]
TASK_NAME = re.compile(r"^submissions/\d{4}/\d{2}/[0-9a-f]{32}(-720)?\.jpg$")
EVIDENCE_NAME = re.compile(r"^evidence/\d{4}/\d{2}/[0-9a-f]{32}(-720)?\.jpg$")
PICTURE_NAME = re.compile(r"^pictures/[0-9a-f]{32}(-\d{2,4})?\.(jpg|webp)$")
LESSON_NAME = re.compile(r"^lessons/[0-9a-f]{32}\.[a-z0-9]+$")


def upload(name, data, content_type="image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def too_large(name="besar.jpg"):
    """A real JPEG padded past 10 MB (the padding after the end marker is ignored)."""
    return upload(name, image_bytes("JPEG") + b"\x00" * (10 * 1024 * 1024 + 1))


HOSTILE = {
    "over 10 MB": too_large,
    "a decompression bomb": lambda: bomb_png(),
    "HTML dressed as a photo": lambda: upload("foto.jpg", HTML),
    "an SVG with a script": lambda: upload("foto.svg", SVG, "image/svg+xml"),
    "an SVG named .jpg": lambda: upload("foto.jpg", SVG),
    "an empty file": lambda: upload("foto.jpg", b""),
    "a truncated PNG": lambda: upload("foto.png", image_bytes("PNG")[:60], "image/png"),
}


def stored_bytes(name) -> bytes:
    with default_storage.open(getattr(name, "name", name), "rb") as handle:
        return handle.read()


def assert_served_safely(response, content_type):
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["X-Content-Type-Options"] == "nosniff"
    disposition = response.get("Content-Disposition", "inline")
    assert "\n" not in disposition and "\r" not in disposition
    assert not re.search(r"\.(html?|svg|js)\b", disposition, re.I)


# --- Practice-task photos ---------------------------------------------------------------


def task_post(world, learner, photos):
    url = reverse("courses:task_submit", args=[world.course.slug, world.task.pk])
    data = {"idempotency_key": str(uuid.uuid4()), "text": "", "link": "", "photos": photos}
    return client_for(learner.user).post(url, data)


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_a_task_photo_that_is_not_a_safe_photo_is_refused_with_a_message(kind, world, learner):
    before = TaskSubmission.objects.count()

    response = task_post(world, learner, [HOSTILE[kind]()])

    assert_no_server_error(response, kind)
    assert response.status_code == 400
    assert response.context["task_form"].errors["photos"], kind
    assert TaskSubmission.objects.count() == before


@pytest.mark.parametrize("name", TRICKY_NAMES)
def test_a_task_photo_is_stored_under_a_name_the_server_made(name, world, learner):
    response = task_post(world, learner, [upload(name, image_bytes("JPEG"))])

    assert response.status_code == 302
    photo = TaskPhoto.objects.latest("pk")
    for stored in (photo.image.name, photo.thumbnail.name):
        assert TASK_NAME.match(stored), stored
    served = client_for(learner.user).get(reverse("courses:task_photo", args=[photo.pk]))
    assert_served_safely(served, "image/jpeg")
    assert served["Content-Disposition"] == 'inline; filename="foto.jpg"'


def test_a_gif_that_is_also_a_web_page_is_re_encoded_as_a_plain_jpeg(world, learner):
    response = task_post(world, learner, [upload("lucu.gif", gif_polyglot(), "image/gif")])

    assert response.status_code == 302
    photo = TaskPhoto.objects.latest("pk")
    for field_file in (photo.image, photo.thumbnail):
        data = stored_bytes(field_file)
        assert data.startswith(b"\xff\xd8\xff"), "not re-encoded as JPEG"
        assert b"<script" not in data and b"<html" not in data
    full = client_for(learner.user).get(
        reverse("courses:task_photo", args=[photo.pk]), {"full": "1"}
    )
    assert_served_safely(full, "image/jpeg")


# --- Survey evidence photos -------------------------------------------------------------


def evidence_post(world, learner, photo):
    presence = world.survey.questions.get(core_key="presence")
    url = reverse("outcomes:survey_fill", args=[world.cohort.pk, "baseline"])
    data = {presence.field_name: ["wa_catalog"], "draft": "1", f"evidence_{presence.pk}": photo}
    return client_for(learner.user).post(url, data)


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_an_evidence_photo_that_is_not_a_safe_photo_is_refused_and_the_old_one_kept(
    kind, world, learner
):
    old = (world.evidence.pk, world.evidence.image.name)

    response = evidence_post(world, learner, HOSTILE[kind]())

    assert_no_server_error(response, kind)
    assert response.status_code == 200
    presence = world.survey.questions.get(core_key="presence")
    assert response.context["form"].errors[f"evidence_{presence.pk}"], kind
    assert list(Evidence.objects.values_list("pk", "image")) == [old]
    assert default_storage.exists(old[1])


@pytest.mark.parametrize("name", TRICKY_NAMES[:4])
def test_an_evidence_photo_is_re_encoded_under_a_name_the_server_made(name, world, learner):
    response = evidence_post(world, learner, upload(name, gif_polyglot()))

    assert response.status_code == 302
    evidence = Evidence.objects.get()
    for field_file in (evidence.image, evidence.thumbnail):
        assert EVIDENCE_NAME.match(field_file.name), field_file.name
        data = stored_bytes(field_file)
        assert data.startswith(b"\xff\xd8\xff") and b"<script" not in data
    served = client_for(learner.user).get(reverse("outcomes:evidence_file", args=[evidence.pk]))
    assert_served_safely(served, "image/jpeg")


# --- Staff pictures (admin) ---------------------------------------------------------------


def picture_add(superuser, file):
    return client_for(superuser).post(
        reverse("admin:courses_picture_add"), {"alt": "Etalase", "upload": file}
    )


@pytest.mark.parametrize(
    "kind",
    [
        "a decompression bomb",
        "HTML dressed as a photo",
        "an SVG with a script",
        "an SVG named .jpg",
        "an empty file",
        "a truncated PNG",
    ],
)
def test_the_admin_refuses_a_picture_that_is_not_a_safe_image(kind, superuser):
    response = picture_add(superuser, HOSTILE[kind]())

    assert_no_server_error(response, kind)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["upload"], kind
    assert not Picture.objects.exists()


@pytest.mark.parametrize("name", TRICKY_NAMES[:5])
def test_the_admin_re_encodes_a_picture_under_names_the_server_made(name, superuser, anonymous):
    response = picture_add(superuser, upload(name, gif_polyglot(), "image/gif"))

    assert response.status_code == 302
    picture = Picture.objects.get()
    names = [picture.file.name] + [r[k] for r in picture.renditions for k in ("webp", "jpeg")]
    for stored in names:
        assert PICTURE_NAME.match(stored), stored
        assert b"<script" not in stored_bytes(stored)
    served = anonymous.client.get(
        reverse("courses:picture_file", args=[picture.renditions[0]["webp"].split("/")[-1]])
    )
    assert_served_safely(served, "image/webp")


def test_certificate_template_images_cannot_be_uploaded_through_the_admin():
    """Their images are opened without the photo checks (courses.services.certificates):
    no page may take them from an upload until it goes through open_image."""
    assert CertificateTemplate not in admin.site._registry
    with pytest.raises(NoReverseMatch):
        reverse("admin:courses_certificatetemplate_add")


# --- Lesson files (admin) -----------------------------------------------------------------


class _FormReader(HTMLParser):
    """The values a browser would post from the admin's change form."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.data, self._textarea, self._select = {}, None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        name = a.get("name")
        if tag == "input" and name and a.get("type") not in ("file", "submit", "button"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            self.data[name] = a.get("value", "on" if a.get("type") == "checkbox" else "")
        elif tag == "textarea" and name:
            self._textarea = name
            self.data[name] = ""
        elif tag == "select" and name:
            self._select = name
            self.data.setdefault(name, "")
        elif tag == "option" and self._select and "selected" in a:
            self.data[self._select] = a.get("value", "")

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea] += data


def lesson_change(client, lesson, media):
    url = reverse("admin:courses_lesson_change", args=[lesson.pk])
    reader = _FormReader()
    reader.feed(client.get(url).content.decode())
    data = {**reader.data, "media_file": media, "media_bytes": "", "_save": "Save"}
    return client.post(url, data)


@pytest.mark.parametrize(
    "name",
    ["halaman.html", "gambar.svg", "skrip.js", "program.exe", "daftar.pdf.html", "tanpa-titik"],
)
def test_the_admin_refuses_a_lesson_file_outside_the_allow_list(name, world, superuser):
    client = client_for(superuser)
    before = Lesson.objects.get(pk=world.file_lesson.pk).media_file.name

    response = lesson_change(client, world.file_lesson, upload(name, HTML, "text/html"))

    assert_no_server_error(response, name)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["media_file"], name
    assert Lesson.objects.get(pk=world.file_lesson.pk).media_file.name == before


@pytest.mark.parametrize(
    "name", ["../../etc/passwd.pdf", "..\\..\\x.pdf", "<b>daftar</b>.PDF", "a\x00b.pdf"]
)
def test_a_lesson_file_is_stored_under_a_name_the_server_made(name, world, superuser, learner):
    client = client_for(superuser)

    response = lesson_change(
        client, world.file_lesson, upload(name, b"%PDF-1.4 x", "application/pdf")
    )

    assert response.status_code == 302, (
        response.context and response.context["adminform"].form.errors
    )
    lesson = Lesson.objects.get(pk=world.file_lesson.pk)
    assert LESSON_NAME.match(lesson.media_file.name), lesson.media_file.name
    assert lesson.media_file.name.endswith(".pdf")
    served = client_for(learner.user).get(
        reverse("courses:lesson_media", args=[world.course.slug, lesson.pk])
    )
    assert_served_safely(served, "application/pdf")
    assert served["Content-Disposition"].startswith("attachment;")


def test_a_lesson_file_with_a_very_long_name_is_refused_with_a_message(world, superuser):
    client = client_for(superuser)
    before = Lesson.objects.get(pk=world.file_lesson.pk).media_file.name

    response = lesson_change(
        client, world.file_lesson, upload("x" * 250 + ".pdf", b"%PDF-1.4 x", "application/pdf")
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["media_file"]
    assert Lesson.objects.get(pk=world.file_lesson.pk).media_file.name == before


def test_a_lesson_file_is_a_download_under_a_plain_name_whatever_its_title(world, learner):
    Lesson.objects.filter(pk=world.file_lesson.pk).update(
        title='x"; filename="evil.html\r\nSet-Cookie: a=b'
    )

    response = client_for(learner.user).get(
        reverse("courses:lesson_media", args=[world.course.slug, world.file_lesson.pk])
    )

    assert_served_safely(response, "application/pdf")
    assert response["Content-Disposition"].startswith("attachment;")
    assert not response.has_header("Set-Cookie") or "a=b" not in response["Set-Cookie"]


@pytest.mark.parametrize(
    ("kind", "extension", "content_type", "inline"),
    [
        (Lesson.Kind.VIDEO, "mp4", "video/mp4", True),
        (Lesson.Kind.VIDEO, "mp3", "audio/mpeg", True),
        (Lesson.Kind.VIDEO, "pdf", "application/pdf", False),
        (Lesson.Kind.FILE, "mp4", "video/mp4", False),
        (Lesson.Kind.FILE, "jpg", "image/jpeg", False),
        (Lesson.Kind.FILE, "zip", "application/zip", False),
    ],
)
def test_a_lesson_file_plays_inline_only_when_it_is_video_or_audio(
    kind, extension, content_type, inline, world, learner
):
    from django.core.files.base import ContentFile

    lesson = Lesson.objects.get(pk=world.file_lesson.pk)
    lesson.kind = kind
    # Whatever is inside (here a web page), it is never served as one.
    lesson.media_file.save(f"x.{extension}", ContentFile(HTML), save=True)

    response = client_for(learner.user).get(
        reverse("courses:lesson_media", args=[world.course.slug, lesson.pk])
    )

    assert_served_safely(response, content_type)
    disposition = response["Content-Disposition"]
    assert disposition.startswith("inline" if inline else "attachment"), disposition
    assert "html" not in response["Content-Type"]


# --- Everything else that serves a file ------------------------------------------------------


def test_every_file_the_site_serves_says_nosniff(world, learner, staff, anonymous):
    me = client_for(learner.user)
    responses = {
        "task photo": me.get(reverse("courses:task_photo", args=[world.photo.pk])),
        "evidence photo": me.get(reverse("outcomes:evidence_file", args=[world.evidence.pk])),
        "certificate PDF": me.get(
            reverse("courses:certificate_download", args=[world.certificate.pk, "pdf"])
        ),
        "certificate PNG": me.get(
            reverse("courses:certificate_download", args=[world.certificate.pk, "png"])
        ),
        "my data": me.get(reverse("privacy:export_download", args=[world.data_export.pk])),
        "lesson file": me.get(
            reverse("courses:lesson_media", args=[world.course.slug, world.file_lesson.pk])
        ),
        "picture": anonymous.client.get(reverse("courses:picture_file", args=[world.picture_name])),
        "roster": client_for(staff.user).get(
            reverse("cohorts:export_roster", args=[world.cohort.pk])
        ),
    }
    for what, response in responses.items():
        assert response.status_code == 200, what
        assert response["X-Content-Type-Options"] == "nosniff", what
        assert "html" not in response["Content-Type"], what
    for what in ("certificate PDF", "my data", "lesson file", "roster"):
        assert responses[what]["Content-Disposition"].startswith("attachment;"), what


def test_a_photo_over_the_size_cap_is_refused_with_a_message_naming_the_cap(world, learner):
    response = task_post(world, learner, [too_large()])

    assert response.status_code == 400
    message = str(response.context["task_form"].errors["photos"])
    assert "10 MB" in message


def test_at_most_three_photos_are_taken(world, learner):
    response = task_post(world, learner, [photo_upload(size=(20, 20)) for _ in range(4)])

    assert response.status_code == 400
    assert TaskSubmission.objects.filter(enrollment=world.enrollment).count() == 1
