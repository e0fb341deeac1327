"""Course pages through the test client: the learner's journey, access rules and locks."""

import uuid

import pytest
from django.urls import reverse

from courses.models import Course, Enrollment, Lesson, LessonProgress, QuizAttempt, TaskSubmission
from courses.services import progress
from tests.courses.builders import (
    CourseFactory,
    LessonFactory,
    ModuleFactory,
    add_quiz,
    add_task,
    build_world,
    photo_upload,
    right_answers,
    translated,
    wrong_answers,
)

pytestmark = pytest.mark.django_db


def lesson_url(lesson, name="lesson_detail"):
    return reverse(f"courses:{name}", args=[lesson.module.course.slug, lesson.pk])


def quiz_data(answers, key=None):
    data = {"idempotency_key": str(key or uuid.uuid4())}
    for question_id, option_ids in answers.items():
        data[f"q{question_id}"] = [str(pk) for pk in option_ids]
    return data


def progress_bar(percent) -> str:
    return f'<progress max="100" value="{percent}"'


@pytest.fixture
def course():
    """Module 1: two readings; module 2: a quiz and a practice task."""
    course = CourseFactory(title="Jualan Online", slug="jualan-online")
    first = ModuleFactory(course=course, position=0)
    second = ModuleFactory(course=course, position=1)
    LessonFactory(module=first, position=0, title="Mengenal pembeli")
    LessonFactory(module=first, position=1, title="Foto produk")
    add_quiz(second, questions=2, position=0)
    add_task(second, position=1, title="Kirim foto etalase")
    return course


def lessons_of(course):
    return progress.course_lessons(course.pk)


def test_it_takes_a_learner_through_a_whole_course(learner, course):
    client = learner.client
    reading_1, reading_2, quiz, task = [
        Lesson.objects.get(pk=lesson.pk) for lesson in lessons_of(course)
    ]

    detail = client.get(course.get_absolute_url())
    assert f'action="{reverse("courses:enrol", args=[course.slug])}"' in detail.content.decode()

    enrol = client.post(reverse("courses:enrol", args=[course.slug]))
    assert enrol.status_code == 302
    assert enrol["Location"] == lesson_url(reading_1)
    enrollment = Enrollment.objects.get(user=learner.user, course=course)

    continue_url = reverse("courses:continue", args=[course.slug])
    assert client.get(continue_url)["Location"] == lesson_url(reading_1)

    page = client.get(lesson_url(reading_1))
    assert page.status_code == 200
    assert f'action="{lesson_url(reading_1, "lesson_complete")}"' in page.content.decode()
    done = client.post(lesson_url(reading_1, "lesson_complete"))
    assert done["Location"] == lesson_url(reading_2)
    enrollment.refresh_from_db()
    assert enrollment.progress_percent == 25

    assert client.get(continue_url)["Location"] == lesson_url(reading_2)
    done = client.post(lesson_url(reading_2, "lesson_complete"))
    assert done["Location"] == lesson_url(quiz)

    home = client.get(reverse("home")).content.decode()
    assert progress_bar(50) in home
    assert quiz.title in home

    failed = client.post(lesson_url(quiz, "quiz_submit"), quiz_data(wrong_answers(quiz)))
    attempt = QuizAttempt.objects.get()
    assert failed["Location"] == attempt.get_absolute_url()
    result = client.get(attempt.get_absolute_url()).content.decode()
    assert f'href="{lesson_url(quiz)}"' in result  # "try again"
    enrollment.refresh_from_db()
    assert (enrollment.progress_percent, enrollment.next_lesson_id) == (50, quiz.pk)

    passed = client.post(lesson_url(quiz, "quiz_submit"), quiz_data(right_answers(quiz)))
    attempt = QuizAttempt.objects.get(passed=True)
    assert passed["Location"] == attempt.get_absolute_url()
    enrollment.refresh_from_db()
    assert (enrollment.progress_percent, enrollment.next_lesson_id) == (75, task.pk)
    assert client.get(continue_url)["Location"] == lesson_url(task)

    task_page = client.get(lesson_url(task))
    key = task_page.context["task_form"].initial["idempotency_key"]
    sent = client.post(
        lesson_url(task, "task_submit"),
        {"idempotency_key": key, "text": "Etalase baru", "link": "", "photos": [photo_upload()]},
    )
    assert sent["Location"] == lesson_url(task)
    submission = TaskSubmission.objects.get()
    assert submission.photos.count() == 1
    enrollment.refresh_from_db()
    assert enrollment.progress_percent == 100
    assert enrollment.completed_at is not None

    home = client.get(reverse("home")).content.decode()
    assert translated("Finished courses") in home
    assert f'href="{course.get_absolute_url()}"' in home


def test_it_shows_progress_and_the_next_lesson_on_the_learner_home(learner, course):
    reading_1, reading_2, *_ = lessons_of(course)
    enrollment = progress.enrollment_create(user=learner.user, course=course)
    progress.lesson_complete(enrollment=enrollment, lesson=reading_1)

    response = learner.client.get(reverse("home"))

    html = response.content.decode()
    assert response.context["continue_with"] == enrollment
    assert progress_bar(25) in html
    assert reading_2.title in html
    assert f'href="{reverse("courses:continue", args=[course.slug])}"' in html


def test_it_continues_with_the_course_the_learner_was_working_on(learner, course):
    working_on = progress.enrollment_create(user=learner.user, course=course)
    progress.lesson_start(enrollment=working_on, lesson=lessons_of(course)[0])
    other = CourseFactory(title="Kelas Keuangan")
    LessonFactory(module=ModuleFactory(course=other))
    progress.enrollment_create(user=learner.user, course=other, source=Enrollment.Source.STAFF)

    response = learner.client.get(reverse("home"))

    assert response.context["continue_with"] == working_on


def test_it_says_enrolment_is_closed_for_a_course_without_self_enrolment(learner):
    course = CourseFactory(self_enrol=False)
    LessonFactory(module=ModuleFactory(course=course))

    response = learner.client.post(reverse("courses:enrol", args=[course.slug]), follow=True)

    assert response.redirect_chain == [(course.get_absolute_url(), 302)]
    assert translated("This course is not open for enrolment.") in response.content.decode()
    assert not Enrollment.objects.exists()


def test_it_sends_a_learner_who_is_not_enrolled_back_to_the_course(learner, course):
    first = lessons_of(course)[0]

    assert learner.client.get(lesson_url(first))["Location"] == course.get_absolute_url()
    continue_url = reverse("courses:continue", args=[course.slug])
    assert learner.client.get(continue_url)["Location"] == course.get_absolute_url()
    assert learner.client.post(lesson_url(first, "lesson_complete")).status_code == 404
    assert not LessonProgress.objects.exists()


def test_it_sends_an_anonymous_visitor_to_sign_in(anonymous, course):
    first = lessons_of(course)[0]

    response = anonymous.client.get(lesson_url(first))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("name", ["enrol", "lesson_complete", "quiz_submit", "task_submit"])
def test_it_refuses_get_on_views_that_change_data(learner, course, name):
    progress.enrollment_create(user=learner.user, course=course)
    quiz = Lesson.objects.get(module__course=course, kind=Lesson.Kind.QUIZ)
    task = Lesson.objects.get(module__course=course, kind=Lesson.Kind.TASK)
    lesson = {"lesson_complete": lessons_of(course)[0], "quiz_submit": quiz, "task_submit": task}
    if name == "enrol":
        url = reverse("courses:enrol", args=[course.slug])
    else:
        url = lesson_url(lesson[name], name)

    assert learner.client.get(url).status_code == 405
    assert not LessonProgress.objects.filter(completed_at__isnull=False).exists()


@pytest.fixture
def world(learner, other_learner):
    world = build_world(learner=learner.user)
    # The outsider is enrolled in the same course, with work of their own.
    progress.enrollment_create(user=other_learner.user, course=world.course)
    return world


def object_urls(world):
    return {
        "attempt": reverse("courses:attempt_detail", args=[world.attempt.pk]),
        "submission": reverse("courses:submission_detail", args=[world.submission.pk]),
        "photo": reverse("courses:task_photo", args=[world.photo.pk]),
    }


@pytest.mark.parametrize("kind", ["attempt", "submission", "photo"])
def test_it_shows_a_learner_their_own_work(learner, world, kind):
    response = learner.client.get(object_urls(world)[kind])

    assert response.status_code == 200
    if kind == "photo":
        assert response["Content-Type"] == "image/jpeg"
        assert response["Cache-Control"] == "private, max-age=86400"


@pytest.mark.parametrize("kind", ["attempt", "submission", "photo"])
@pytest.mark.parametrize("persona", ["other_learner", "mentor"])
def test_it_rejects_outsider(personas, world, persona, kind):
    response = personas[persona].client.get(object_urls(world)[kind])

    assert response.status_code == 404


@pytest.mark.parametrize("kind", ["attempt", "submission", "photo"])
def test_it_answers_a_missing_object_like_a_foreign_one(learner, world, kind):
    url = object_urls(world)[kind].replace(
        f"/{getattr(world, kind).pk}/", f"/{getattr(world, kind).pk + 1000}/"
    )

    assert learner.client.get(url).status_code == 404


@pytest.mark.parametrize("kind", ["attempt", "submission", "photo"])
def test_it_lets_staff_see_a_learners_work(staff, world, kind):
    assert staff.client.get(object_urls(world)[kind]).status_code == 200


def test_it_keeps_the_review_pages_from_learners(learner, world):
    assert learner.client.get(reverse("courses:review_queue")).status_code == 404
    url = reverse("courses:review_submission", args=[world.submission.pk])
    assert learner.client.get(url).status_code == 404
    assert learner.client.post(url, {"decision": "approve"}).status_code == 404
    world.submission.refresh_from_db()
    assert world.submission.status == TaskSubmission.Status.SUBMITTED


def test_it_serves_lesson_files_to_enrolled_learners_only(learner, other_learner, world):
    url = lesson_url(world.file_lesson, "lesson_media")

    assert learner.client.get(url).status_code == 200
    Enrollment.objects.filter(user=other_learner.user).delete()
    assert other_learner.client.get(url).status_code == 404


@pytest.fixture
def unpublished(learner):
    course = CourseFactory(title="Kelas Rahasia", is_published=False)
    module = ModuleFactory(course=course)
    reading = LessonFactory(module=module, position=0, title="Bacaan rahasia")
    quiz = add_quiz(module, questions=2, position=1)
    return course, reading, quiz


def test_it_hides_an_unpublished_course_from_learners(learner, unpublished):
    course, reading, _ = unpublished
    # Even a learner a cohort already placed in it.
    progress.enrollment_create(user=learner.user, course=course, source=Enrollment.Source.COHORT)
    client = learner.client

    assert client.get(course.get_absolute_url()).status_code == 404
    assert client.get(lesson_url(reading)).status_code == 404
    assert client.get(reverse("courses:continue", args=[course.slug])).status_code == 404
    assert client.post(reverse("courses:enrol", args=[course.slug])).status_code == 404
    assert client.post(lesson_url(reading, "lesson_complete")).status_code == 404
    assert course.title not in client.get(reverse("courses:course_list")).content.decode()
    assert not LessonProgress.objects.exists()


def test_it_lets_staff_preview_an_unpublished_course_without_saving_progress(staff, unpublished):
    course, reading, quiz = unpublished

    detail = staff.client.get(course.get_absolute_url())
    assert detail.status_code == 200
    assert translated("Preview: this course is not published yet.") in detail.content.decode()
    assert f'href="{lesson_url(reading)}"' in detail.content.decode()

    page = staff.client.get(lesson_url(reading))
    html = page.content.decode()
    assert page.status_code == 200
    assert page.context["preview"] is True
    assert translated("Preview as a learner: nothing you do here is saved.") in html
    assert lesson_url(reading, "lesson_complete") not in html

    quiz_page = staff.client.get(lesson_url(quiz))
    assert quiz_page.status_code == 200
    assert "Pertanyaan 0" in quiz_page.content.decode()
    assert lesson_url(quiz, "quiz_submit") not in quiz_page.content.decode()

    assert staff.client.post(lesson_url(reading, "lesson_complete")).status_code == 404
    assert staff.client.post(reverse("courses:enrol", args=[course.slug])).status_code == 302
    assert not Enrollment.objects.exists()
    assert not LessonProgress.objects.exists()


def test_it_lets_staff_preview_every_lesson_of_a_linear_course(staff):
    course = CourseFactory(is_published=False, sequencing=Course.Sequencing.LINEAR)
    module = ModuleFactory(course=course)
    LessonFactory(module=module, position=0)
    second = LessonFactory(module=module, position=1, title="Materi kedua")

    response = staff.client.get(lesson_url(second))

    assert response.status_code == 200
    assert "Materi kedua" in response.content.decode()


@pytest.fixture
def linear(learner):
    course = CourseFactory(sequencing=Course.Sequencing.LINEAR)
    module = ModuleFactory(course=course)
    first = LessonFactory(module=module, position=0, title="Pertama")
    second = LessonFactory(module=module, position=1, title="Kedua")
    quiz = add_quiz(module, questions=2, position=2)
    enrollment = progress.enrollment_create(user=learner.user, course=course)
    return course, enrollment, first, second, quiz


def test_it_locks_a_lesson_until_the_previous_required_lesson_is_done(learner, linear):
    course, enrollment, first, second, quiz = linear
    client = learner.client

    locked = client.get(lesson_url(second), follow=True)
    assert locked.redirect_chain == [(course.get_absolute_url(), 302)]
    assert translated("Finish the previous lessons first.") in locked.content.decode()
    assert f'href="{lesson_url(second)}"' not in locked.content.decode()
    assert client.post(lesson_url(second, "lesson_complete")).status_code == 404
    assert (
        client.post(lesson_url(quiz, "quiz_submit"), quiz_data(right_answers(quiz))).status_code
        == 404
    )
    assert not LessonProgress.objects.filter(lesson__in=[second, quiz]).exists()
    assert not QuizAttempt.objects.exists()

    client.post(lesson_url(first, "lesson_complete"))

    assert client.get(lesson_url(second)).status_code == 200
    assert client.get(lesson_url(quiz)).status_code == 302


@pytest.mark.parametrize("kind", [Lesson.Kind.QUIZ, Lesson.Kind.TASK])
def test_it_does_not_let_a_button_complete_a_quiz_or_task(learner, course, kind):
    enrollment = progress.enrollment_create(user=learner.user, course=course)
    lesson = Lesson.objects.get(module__course=course, kind=kind)

    response = learner.client.post(lesson_url(lesson, "lesson_complete"))

    assert response.status_code == 404
    assert not LessonProgress.objects.filter(
        enrollment=enrollment, completed_at__isnull=False
    ).exists()


def test_it_counts_a_double_posted_completion_once(learner, course):
    enrollment = progress.enrollment_create(user=learner.user, course=course)
    first = lessons_of(course)[0]
    url = lesson_url(first, "lesson_complete")

    one = learner.client.post(url)
    two = learner.client.post(url)

    assert one.status_code == two.status_code == 302
    enrollment.refresh_from_db()
    assert enrollment.completed_lessons == 1
    assert enrollment.progress_percent == 25
    assert LessonProgress.objects.filter(enrollment=enrollment, lesson=first).count() == 1


def test_it_congratulates_when_the_last_lesson_is_done(learner):
    course = CourseFactory()
    lesson = LessonFactory(module=ModuleFactory(course=course))
    progress.enrollment_create(user=learner.user, course=course)

    response = learner.client.post(lesson_url(lesson, "lesson_complete"), follow=True)

    assert response.redirect_chain == [(course.get_absolute_url(), 302)]
    html = response.content.decode()
    assert translated("Congratulations, you finished the course!") in html
    assert translated("You finished this course.") in html


def test_a_locked_lessons_file_is_not_served_before_the_lesson_opens(learner, staff, world):
    """The file follows the lesson page's rule: in a linear course it waits for the lessons
    before it; staff previewing get it at once."""
    Course.objects.filter(pk=world.course.pk).update(sequencing=Course.Sequencing.LINEAR)
    url = lesson_url(world.file_lesson, "lesson_media")

    assert learner.client.get(url).status_code == 404
    assert staff.client.get(url).status_code == 200
    progress.lesson_complete(enrollment=world.enrollment, lesson=world.reading)
    assert learner.client.get(url).status_code == 200
