"""Course content kept in memory (courses/content_cache.py): a change shows on the next
page, in this process at once and in the others within a second; a read copy annotated by
one page never reaches another; an unreachable cache means reads from the database."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from courses import content_cache
from courses.models import Lesson, Option
from courses.services import progress
from tests.courses.builders import ModuleFactory, add_quiz, course_with_lessons
from tests.helpers import count_queries

pytestmark = pytest.mark.django_db


def lesson_url(lesson):
    return reverse("courses:lesson_detail", args=[lesson.module.course.slug, lesson.pk])


@pytest.fixture
def course(learner):
    course = course_with_lessons(lessons=3)
    progress.enrollment_create(user=learner.user, course=course)
    return course


def first(course) -> Lesson:
    return Lesson.objects.filter(module__course=course).order_by("position").first()


def test_a_saved_lesson_shows_on_the_next_page(learner, course):
    lesson = first(course)
    assert learner.client.get(lesson_url(lesson)).status_code == 200

    lesson.title = "Judul yang baru saja diubah"
    lesson.save()

    body = learner.client.get(lesson_url(lesson)).content.decode()
    assert "Judul yang baru saja diubah" in body


def test_an_unpublished_course_is_gone_at_once(learner, course):
    lesson = first(course)
    assert learner.client.get(course.get_absolute_url()).status_code == 200

    course.is_published = False
    course.save()

    assert learner.client.get(course.get_absolute_url()).status_code == 404
    assert learner.client.get(lesson_url(lesson)).status_code == 404


def test_a_changed_option_shows_on_the_quiz(learner, course):
    quiz = add_quiz(first(course).module, questions=1)
    assert learner.client.get(lesson_url(quiz)).status_code == 200
    option = Option.objects.filter(question__lesson=quiz).first()

    option.text = "Jawaban yang diperbaiki"
    option.save()

    assert "Jawaban yang diperbaiki" in learner.client.get(lesson_url(quiz)).content.decode()


def test_an_update_without_signals_shows_once_content_changed_is_called(learner, course):
    lesson = first(course)
    learner.client.get(lesson_url(lesson))

    Lesson.objects.filter(pk=lesson.pk).update(title="Diubah lewat update")
    assert "Diubah lewat update" not in learner.client.get(lesson_url(lesson)).content.decode()
    content_cache.content_changed()

    assert "Diubah lewat update" in learner.client.get(lesson_url(lesson)).content.decode()


def test_another_process_change_is_seen_once_the_version_is_checked_again(
    learner, course, monkeypatch
):
    lesson = first(course)
    learner.client.get(lesson_url(lesson))
    # Another process saved a lesson: the database and the shared version changed, this
    # process's memory did not.
    Lesson.objects.filter(pk=lesson.pk).update(title="Diubah di proses lain")
    cache.set(content_cache.VERSION_KEY, "version-of-the-other-process", None)

    monkeypatch.setattr(content_cache, "VERSION_CHECK_SECONDS", 0)

    assert "Diubah di proses lain" in learner.client.get(lesson_url(lesson)).content.decode()


def test_the_second_view_of_a_lesson_reads_no_content_from_the_database(learner, course):
    lesson = first(course)
    learner.client.get(lesson_url(lesson))
    warm = count_queries(lambda: learner.client.get(lesson_url(lesson)))
    content_cache.content_changed()

    cold = count_queries(lambda: learner.client.get(lesson_url(lesson)))

    # course, lesson, modules, lessons
    assert cold == warm + 4


def test_one_pages_annotations_never_reach_the_next_read(course):
    outline = content_cache.outline(course.pk)
    outline[0].lesson_list[0].is_done = True
    outline[0].lesson_list.pop()

    again = content_cache.outline(course.pk)

    assert not hasattr(again[0].lesson_list[0], "is_done")
    assert len(again[0].lesson_list) == 3


def test_with_the_cache_unreachable_every_read_goes_to_the_database(learner, course, monkeypatch):
    lesson = first(course)
    monkeypatch.setattr(cache, "get", lambda *args, **kwargs: None)
    monkeypatch.setattr(cache, "add", lambda *args, **kwargs: False)
    content_cache.forget()
    learner.client.get(lesson_url(lesson))

    first_count = count_queries(lambda: learner.client.get(lesson_url(lesson)))
    Lesson.objects.filter(pk=lesson.pk).update(title="Tanpa cache")

    assert "Tanpa cache" in learner.client.get(lesson_url(lesson)).content.decode()
    assert count_queries(lambda: learner.client.get(lesson_url(lesson))) == first_count


def test_a_new_module_changes_the_outline(course):
    assert len(content_cache.outline(course.pk)) == 1

    ModuleFactory(course=course, position=5)

    assert len(content_cache.outline(course.pk)) == 2
