"""Practice tasks: what a learner can send, what happens to photos, and the review."""

import io
import uuid
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from courses.models import Course, LessonProgress, TaskPhoto, TaskSubmission
from courses.services import practice, progress
from courses.services.practice import AlreadyReviewed
from tests.courses.builders import (
    CourseFactory,
    LessonFactory,
    ModuleFactory,
    add_task,
    bomb_png,
    gps_exif,
    not_an_image,
    photo_upload,
    translated,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def course():
    return CourseFactory(title="Foto Produk")


@pytest.fixture
def task(course):
    module = ModuleFactory(course=course)
    LessonFactory(module=module, position=0, title="Bacaan")
    return add_task(module, position=1)


@pytest.fixture
def enrollment(learner, course, task):
    return progress.enrollment_create(user=learner.user, course=course)


def task_url(course, task, name="task_submit"):
    return reverse(f"courses:{name}", args=[course.slug, task.pk])


def send(client, course, task, **fields):
    data = {"idempotency_key": str(uuid.uuid4()), "text": "", "link": "", **fields}
    return client.post(task_url(course, task), data)


def is_done(enrollment, lesson) -> bool:
    return LessonProgress.objects.filter(
        enrollment=enrollment, lesson=lesson, completed_at__isnull=False
    ).exists()


def stored_files(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT) / "submissions"
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


@pytest.mark.parametrize(
    ("fields", "photos"),
    [
        ({"text": "Saya memotret produk di dekat jendela."}, 0),
        ({"link": "https://wa.me/c/6281234567890"}, 0),
        ({"photos": "one"}, 1),
        ({"text": "Tiga sudut.", "photos": "three"}, 3),
    ],
    ids=["text only", "link only", "photo only", "text and three photos"],
)
def test_it_accepts_a_submission_with_text_a_link_or_photos(
    learner, course, task, enrollment, fields, photos
):
    if "photos" in fields:
        fields["photos"] = [photo_upload(name=f"p{n}.jpg") for n in range(photos)]

    response = send(learner.client, course, task, **fields)

    assert response.status_code == 302
    assert response["Location"] == task_url(course, task, "lesson_detail")
    submission = TaskSubmission.objects.get()
    assert submission.enrollment == enrollment
    assert submission.status == TaskSubmission.Status.SUBMITTED
    assert submission.text == fields.get("text", "")
    assert submission.link == fields.get("link", "")
    assert submission.photos.count() == photos


def test_it_refuses_an_empty_submission_with_a_message(learner, course, task, enrollment):
    response = send(learner.client, course, task, text="   ")

    assert response.status_code == 400
    assert translated("Write an answer, add a link or a photo.") in response.content.decode()
    assert not TaskSubmission.objects.exists()
    assert not is_done(enrollment, task)


def test_it_refuses_more_than_three_photos(learner, course, task, enrollment, settings):
    photos = [photo_upload(name=f"p{n}.jpg") for n in range(4)]

    response = send(learner.client, course, task, text="Empat foto", photos=photos)

    assert response.status_code == 400
    assert translated("You can send at most 3 photos.") in response.content.decode()
    assert not TaskSubmission.objects.exists()
    assert stored_files(settings) == []


@pytest.mark.parametrize(
    ("make_upload", "message", "code"),
    [
        (
            not_an_image,
            "This file is not a photo we can read. Please upload a JPG or PNG.",
            "invalid",
        ),
        (
            bomb_png,
            "This image is too large to process. Please send a smaller photo.",
            "bomb",
        ),
        # 81 megapixels: over our limit, yet under the point where Pillow itself refuses.
        (
            lambda: bomb_png(9000, 9000),
            "This image is too large to process. Please send a smaller photo.",
            "bomb",
        ),
    ],
    ids=["html named x.jpg", "20000x20000 png", "9000x9000 png"],
)
def test_it_refuses_a_file_that_is_not_a_safe_photo_and_stores_nothing(
    learner, course, task, enrollment, settings, make_upload, message, code
):
    upload = make_upload()
    assert upload.size < 200_000  # small on the wire: only decoding would blow it up

    response = send(learner.client, course, task, text="Foto saya", photos=[upload])

    assert response.status_code == 400
    [error] = response.context["task_form"].errors.as_data()["photos"]
    assert error.code == code
    assert translated(message) in response.content.decode()
    assert not TaskSubmission.objects.exists()
    assert not TaskPhoto.objects.exists()
    assert stored_files(settings) == []
    assert not is_done(enrollment, task)


@pytest.mark.parametrize(
    "link", ["javascript:alert(1)", "data:text/html;base64,PHNjcmlwdD4=", "bukan link"]
)
def test_it_refuses_a_link_that_is_not_a_web_address(learner, course, task, enrollment, link):
    response = send(learner.client, course, task, text="Katalog", link=link)

    assert response.status_code == 400
    assert list(response.context["task_form"].errors) == ["link"]
    assert not TaskSubmission.objects.exists()


def test_it_refuses_a_photo_over_ten_megabytes(learner, course, task, enrollment):
    huge = SimpleUploadedFile("besar.jpg", b"\xff" * (10 * 1024 * 1024 + 1), "image/jpeg")

    response = send(learner.client, course, task, text="Foto", photos=[huge])

    assert response.status_code == 400
    assert "besar.jpg" in str(response.context["task_form"].errors["photos"])
    assert not TaskSubmission.objects.exists()


def test_it_refuses_a_bomb_in_the_service_too(enrollment, task):
    with pytest.raises(ValidationError) as excinfo:
        practice.task_submit(
            enrollment=enrollment,
            lesson=task,
            text="",
            link="",
            photos=[bomb_png()],
            idempotency_key=uuid.uuid4(),
        )

    assert excinfo.value.code == "bomb"
    assert not TaskSubmission.objects.exists()


def test_it_refuses_an_image_above_the_pixel_limit(enrollment, task, monkeypatch):
    monkeypatch.setattr("courses.services.pictures.MAX_PIXELS", 100 * 100)

    with pytest.raises(ValidationError) as excinfo:
        practice.task_submit(
            enrollment=enrollment,
            lesson=task,
            text="",
            link="",
            photos=[photo_upload(size=(200, 100))],
            idempotency_key=uuid.uuid4(),
        )

    assert excinfo.value.code == "bomb"
    assert not TaskSubmission.objects.exists()


def stored_image(photo: TaskPhoto) -> Image.Image:
    with photo.image.open("rb") as handle:
        image = Image.open(io.BytesIO(handle.read()))
        image.load()
    return image


def test_it_shrinks_a_large_photo_to_1600_pixels(learner, course, task, enrollment):
    response = send(learner.client, course, task, photos=[photo_upload(size=(4000, 3000))])

    assert response.status_code == 302
    photo = TaskPhoto.objects.get()
    image = stored_image(photo)
    assert image.size == (1600, 1200)
    assert (photo.width, photo.height) == (1600, 1200)
    assert image.format == "JPEG"
    assert photo.bytes == photo.image.size


def test_it_shrinks_a_tall_photo_on_its_long_side(enrollment, task):
    submission, _ = practice.task_submit(
        enrollment=enrollment,
        lesson=task,
        text="",
        link="",
        photos=[photo_upload(size=(1500, 3000))],
        idempotency_key=uuid.uuid4(),
    )

    assert stored_image(submission.photos.get()).size == (800, 1600)


def test_it_removes_exif_and_gps_from_photos(learner, course, task, enrollment):
    upload = photo_upload(exif=gps_exif())
    original = Image.open(io.BytesIO(upload.read()))
    assert original.getexif().get_ifd(0x8825)  # the upload does carry a GPS position
    upload.seek(0)

    send(learner.client, course, task, photos=[upload])

    image = stored_image(TaskPhoto.objects.get())
    assert dict(image.getexif()) == {}
    assert "exif" not in image.info
    with TaskPhoto.objects.get().image.open("rb") as handle:
        assert b"Phone X" not in handle.read()


def test_it_keeps_earlier_submissions_when_the_learner_sends_again(
    learner, course, task, enrollment
):
    send(learner.client, course, task, text="Versi pertama")
    send(learner.client, course, task, text="Versi kedua")

    submissions = TaskSubmission.objects.filter(enrollment=enrollment, lesson=task)
    assert [s.text for s in submissions] == ["Versi kedua", "Versi pertama"]
    page = learner.client.get(task_url(course, task, "lesson_detail"))
    html = page.content.decode()
    assert translated("Your latest submission") in html
    assert translated("Earlier submission") in html


def test_it_stores_a_retried_submission_once(learner, course, task, enrollment):
    data = {"idempotency_key": str(uuid.uuid4()), "text": "Sekali saja", "link": ""}

    learner.client.post(task_url(course, task), data)
    learner.client.post(task_url(course, task), data)

    assert TaskSubmission.objects.count() == 1


def submit(enrollment, task, text="Jawaban saya"):
    submission, _ = practice.task_submit(
        enrollment=enrollment,
        lesson=task,
        text=text,
        link="",
        photos=[],
        idempotency_key=uuid.uuid4(),
    )
    return submission


@pytest.mark.parametrize(
    ("approve", "status"),
    [(True, TaskSubmission.Status.APPROVED), (False, TaskSubmission.Status.NEEDS_REVISION)],
)
def test_it_records_a_review_once(enrollment, task, staff, approve, status):
    submission = submit(enrollment, task)

    practice.task_review(
        submission=submission, reviewer=staff.user, approve=approve, feedback="Bagus"
    )

    assert submission.status == status
    assert submission.reviewed_by == staff.user
    assert submission.reviewed_at is not None
    assert submission.feedback == "Bagus"
    with pytest.raises(AlreadyReviewed):
        practice.task_review(
            submission=submission, reviewer=staff.user, approve=not approve, feedback="Lain"
        )
    submission.refresh_from_db()
    assert (submission.status, submission.feedback) == (status, "Bagus")


def test_it_completes_a_task_on_submission_by_default(enrollment, task):
    assert enrollment.course.task_completion == Course.TaskCompletion.SUBMITTED

    submit(enrollment, task)

    assert is_done(enrollment, task)


def test_it_keeps_a_task_done_when_revision_is_asked_under_the_submitted_rule(
    enrollment, task, staff
):
    submission = submit(enrollment, task)

    practice.task_review(submission=submission, reviewer=staff.user, approve=False, feedback="x")

    assert is_done(enrollment, task)


def test_it_completes_a_task_only_on_approval_under_the_approved_rule(
    course, enrollment, task, staff
):
    Course.objects.filter(pk=course.pk).update(task_completion=Course.TaskCompletion.APPROVED)
    enrollment.refresh_from_db()

    first = submit(enrollment, task)
    assert not is_done(enrollment, task)

    practice.task_review(submission=first, reviewer=staff.user, approve=True, feedback="")
    assert is_done(enrollment, task)
    enrollment.refresh_from_db()
    assert enrollment.completed_lessons == 1

    second = submit(enrollment, task, text="Versi baru")
    practice.task_review(
        submission=second, reviewer=staff.user, approve=False, feedback="Fotonya gelap"
    )
    assert not is_done(enrollment, task)
    enrollment.refresh_from_db()
    assert enrollment.completed_lessons == 0


def test_it_reviews_through_the_staff_page(learner, staff, course, task, enrollment):
    submission = submit(enrollment, task)
    url = reverse("courses:review_submission", args=[submission.pk])

    page = staff.client.get(url)
    assert page.status_code == 200
    assert "Jawaban saya" in page.content.decode()

    missing_feedback = staff.client.post(url, {"decision": "revise", "feedback": ""})
    assert missing_feedback.status_code == 200
    assert translated("Tell the learner what to change.") in missing_feedback.content.decode()

    response = staff.client.post(url, {"decision": "revise", "feedback": "Tambah harga"})
    assert response.status_code == 302
    assert response["Location"] == reverse("courses:review_queue")
    submission.refresh_from_db()
    assert (submission.status, submission.feedback) == ("revision", "Tambah harga")

    again = staff.client.post(url, {"decision": "approve", "feedback": ""}, follow=True)
    assert translated("This submission was already reviewed.") in again.content.decode()
    submission.refresh_from_db()
    assert submission.status == TaskSubmission.Status.NEEDS_REVISION


def test_it_lists_a_task_sent_back_for_revision_on_the_learner_home(
    learner, staff, course, task, enrollment
):
    submission = submit(enrollment, task)
    home = reverse("home")
    needs_revision = translated("A task needs revision")
    assert needs_revision not in learner.client.get(home).content.decode()

    practice.task_review(
        submission=submission, reviewer=staff.user, approve=False, feedback="Tambah harga"
    )

    html = learner.client.get(home).content.decode()
    assert needs_revision in html
    assert task.title in html
    assert f'href="{task_url(course, task, "lesson_detail")}"' in html

    submit(enrollment, task, text="Sudah diperbaiki")
    assert needs_revision not in learner.client.get(home).content.decode()


def test_reviewing_an_older_submission_leaves_progress_to_the_newest(
    course, enrollment, task, staff
):
    Course.objects.filter(pk=course.pk).update(task_completion=Course.TaskCompletion.APPROVED)
    enrollment.refresh_from_db()
    older = submit(enrollment, task)
    newer = submit(enrollment, task, text="Versi baru")
    practice.task_review(submission=newer, reviewer=staff.user, approve=True, feedback="")
    assert is_done(enrollment, task)
    # The older one, still waiting, is sent back: the newest (approved) one still counts.
    practice.task_review(submission=older, reviewer=staff.user, approve=False, feedback="")
    assert is_done(enrollment, task)
