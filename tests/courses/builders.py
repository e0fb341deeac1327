"""Courses for tests: factories and a small, complete course with one enrolled learner."""

import io
import uuid
from types import SimpleNamespace

import factory
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
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


def build_world(*, learner):
    """A published course (reading, file, quiz, task) with `learner` enrolled, one attempt,
    one submission with a photo, and one picture."""
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
        photos=[photo_upload()],
        idempotency_key=uuid.uuid4(),
    )
    largest, renditions = picture_renditions(photo_upload(size=(1200, 800)))
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
