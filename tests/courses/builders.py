"""Courses for tests: factories and a small, complete course with one enrolled learner."""

import io
import struct
import uuid
import zlib
from types import SimpleNamespace

import factory
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image

from courses.models import Course, Lesson, Module, Option, Picture, Question
from courses.services import practice, progress, quizzes
from courses.services.pictures import picture_renditions


class CourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Course

    title = factory.Sequence(lambda n: f"Kelas Demo {n}")
    slug = factory.Sequence(lambda n: f"kelas-demo-{n}")
    summary = "Belajar jualan online."
    is_published = True


class ModuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Module

    course = factory.SubFactory(CourseFactory)
    title = factory.Sequence(lambda n: f"Modul {n}")
    position = factory.Sequence(lambda n: n)


class LessonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Lesson

    module = factory.SubFactory(ModuleFactory)
    title = factory.Sequence(lambda n: f"Materi {n}")
    kind = Lesson.Kind.READING
    position = factory.Sequence(lambda n: n)
    body = "## Judul\n\nIsi materi **penting**."


def photo_upload(name="foto.jpg", size=(800, 600), fmt="JPEG", color=(200, 80, 40), exif=None):
    buffer = io.BytesIO()
    image = Image.new("RGB", size, color)
    kwargs = {"exif": exif} if exif is not None else {}
    image.save(buffer, format=fmt, **kwargs)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def add_quiz(module, *, questions=2, pass_mark=70, max_attempts=None, position=50):
    """A quiz whose first option is always the right one (single-choice questions)."""
    quiz = LessonFactory(
        module=module,
        kind=Lesson.Kind.QUIZ,
        title="Kuis",
        position=position,
        pass_mark=pass_mark,
        max_attempts=max_attempts,
    )
    for number in range(questions):
        question = Question.objects.create(
            lesson=quiz, text=f"Pertanyaan {number}", position=number
        )
        Option.objects.create(
            question=question,
            text="Benar",
            is_correct=True,
            position=0,
            explanation="Karena benar.",
        )
        Option.objects.create(
            question=question,
            text="Salah",
            is_correct=False,
            position=1,
            explanation="Karena salah.",
        )
    return quiz


def right_answers(quiz):
    return {
        q.pk: {o.pk for o in q.option_list if o.is_correct}
        for q in quizzes.quiz_questions(lesson=quiz)
    }


def wrong_answers(quiz):
    return {
        q.pk: {o.pk for o in q.option_list if not o.is_correct}
        for q in quizzes.quiz_questions(lesson=quiz)
    }


def build_world(*, learner, photo_size=(800, 600), picture_size=(1200, 800)):
    """A published course (reading, file, quiz, task) with `learner` enrolled, one attempt,
    one submission with a photo, and one picture. Tests about who may open what pass small
    sizes: resizing big images is most of the time otherwise."""
    course = CourseFactory(title="Jualan Online", slug="jualan-online")
    module = ModuleFactory(course=course, position=0)
    reading = LessonFactory(module=module, position=0)
    file_lesson = LessonFactory(module=module, position=1, kind=Lesson.Kind.FILE, title="Berkas")
    file_lesson.media_file.save("daftar-periksa.pdf", ContentFile(b"%PDF-1.4 demo"), save=True)
    quiz = add_quiz(module, position=2)
    task = LessonFactory(module=module, position=3, kind=Lesson.Kind.TASK, title="Tugas")
    enrollment = progress.enrollment_create(user=learner, course=course)
    attempt, _ = quizzes.quiz_submit(
        enrollment=enrollment,
        lesson=quiz,
        answers=wrong_answers(quiz),
        idempotency_key=uuid.uuid4(),
    )
    submission, _ = practice.task_submit(
        enrollment=enrollment,
        lesson=task,
        text="Katalog saya",
        link="",
        photos=[photo_upload(size=photo_size)],
        idempotency_key=uuid.uuid4(),
    )
    largest, renditions = picture_renditions(photo_upload(size=picture_size))
    picture = Picture(alt="Foto produk", renditions=renditions)
    picture.file.save(largest.name, largest, save=True)
    return SimpleNamespace(
        course=course,
        module=module,
        reading=reading,
        file_lesson=file_lesson,
        quiz=quiz,
        task=task,
        enrollment=enrollment,
        attempt=attempt,
        submission=submission,
        photo=submission.photos.get(),
        picture=picture,
        picture_name=renditions[0]["webp"].rsplit("/", 1)[-1],
    )


# --- Helpers added for the courses test modules ------------------------------------------


def translated(message: str) -> str:
    """message as the pages show it (the suite runs in Indonesian; untranslated stays English)."""
    with translation.override(settings.LANGUAGE_CODE):
        return translation.gettext(message)


def course_with_lessons(*, lessons=3, modules=1, **course_fields):
    """A published course with `lessons` reading lessons spread over `modules` modules."""
    course = CourseFactory(**course_fields)
    module_list = [ModuleFactory(course=course, position=i) for i in range(modules)]
    for number in range(lessons):
        LessonFactory(module=module_list[number % modules], position=number)
    return course


def add_reading_lessons(course, count, *, modules=3):
    """count more reading lessons, in `modules` new modules placed after the existing ones."""
    start = course.modules.count()
    module_list = [ModuleFactory(course=course, position=start + i) for i in range(modules)]
    for number in range(count):
        LessonFactory(module=module_list[number % modules], position=number)


def add_task(module, *, position=60, title="Tugas praktik"):
    return LessonFactory(
        module=module,
        kind=Lesson.Kind.TASK,
        title=title,
        position=position,
        body="Kirim foto etalase Anda.",
    )


def gps_exif() -> Image.Exif:
    """EXIF with a camera model and a GPS position (Jakarta), as a phone would write it."""
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0110] = "Phone X"  # Model
    gps = exif.get_ifd(0x8825)  # GPSInfo
    gps[1] = "S"
    gps[2] = (6.0, 12.0, 30.0)
    gps[3] = "E"
    gps[4] = (106.0, 49.0, 10.0)
    return exif


def bomb_png(width=20000, height=20000, name="bom.png"):
    """A valid 1-bit PNG that declares width x height pixels yet is only a few kilobytes:
    its rows are all zero and compress to almost nothing."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    row = b"\x00" * (1 + (width + 7) // 8)  # filter byte + packed bits
    compressor = zlib.compressobj(9)
    parts = [compressor.compress(row * 500) for _ in range(height // 500)]
    parts.append(compressor.compress(row * (height % 500)))
    parts.append(compressor.flush())
    png = (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0))
        + chunk(b"IDAT", b"".join(parts))
        + chunk(b"IEND", b"")
    )
    return SimpleUploadedFile(name, png, content_type="image/png")


def not_an_image(name="x.jpg"):
    return SimpleUploadedFile(
        name, b"<html><script>alert(1)</script></html>", content_type="image/jpeg"
    )
