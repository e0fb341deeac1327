"""ukmlearn.precompiled: the reads compiled once give what the ORM gives, on SQLite and on
PostgreSQL (the CI runs this file on both)."""

import pytest
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext

from courses import selectors
from courses.models import Enrollment, Lesson, LessonProgress, TaskSubmission
from courses.services import progress
from tests.courses.builders import course_with_lessons
from tests.factories import UserFactory
from ukmlearn.precompiled import Precompiled

pytestmark = pytest.mark.django_db

FIELDS = [field.attname for field in Enrollment._meta.concrete_fields]


@pytest.fixture
def enrolled():
    """Two learners in two courses; the first has done one lesson and opened another."""
    courses = [course_with_lessons(lessons=3), course_with_lessons(lessons=2)]
    learners = [UserFactory(), UserFactory()]
    enrollments = [
        progress.enrollment_create(user=learner, course=course)
        for learner in learners
        for course in courses
    ]
    lessons = list(Lesson.objects.filter(module__course=courses[0]).order_by("position"))
    progress.lesson_complete(enrollment=enrollments[0], lesson=lessons[0])
    progress.lesson_start(enrollment=enrollments[0], lesson=lessons[1])
    return learners, courses, enrollments


def as_dict(instance) -> dict:
    return {name: getattr(instance, name) for name in FIELDS}


def test_get_gives_the_instance_the_orm_gives(enrolled):
    learners, courses, _ = enrolled
    read = Precompiled(lambda u, c: Enrollment.objects.filter(user_id=u, course_id=c))
    for learner in learners:
        for course in courses:
            ours = read.get(learner.pk, course.pk)
            theirs = Enrollment.objects.get(user=learner, course=course)
            assert as_dict(ours) == as_dict(theirs)
            assert ours._state.adding is False and ours._state.db == "default"
    assert read.get(learners[0].pk, courses[0].pk + 1000) is None
    assert read.get(str(learners[0].pk), str(courses[0].pk)).pk == (
        Enrollment.objects.get(user=learners[0], course=courses[0]).pk
    )


def test_the_enrolment_and_lesson_state_selectors_agree_with_the_orm(enrolled):
    learners, courses, enrollments = enrolled
    got = selectors.enrollment_for(user=learners[0], course=courses[0])
    # The counters recomputed after the lesson done come back as the ORM reads them.
    assert as_dict(got) == as_dict(Enrollment.objects.get(pk=enrollments[0].pk))
    assert got.progress_percent > 0
    done, opened = selectors.lesson_states(enrollment=got)
    rows = LessonProgress.objects.filter(enrollment=got)
    assert done == {r.lesson_id for r in rows if r.completed_at is not None}
    assert opened == {r.lesson_id for r in rows} and len(opened) == 2 and len(done) == 1


def test_rows_keep_the_constants_of_the_query_and_convert_values(enrolled):
    _, _, enrollments = enrolled
    read = Precompiled(
        lambda e: (
            LessonProgress.objects.filter(enrollment_id=e, completed_at__isnull=False)
            .values_list("lesson_id", "completed_at")
            .order_by("lesson_id")
        )
    )
    for enrollment in enrollments:
        assert read.rows(enrollment.pk) == list(
            LessonProgress.objects.filter(enrollment=enrollment, completed_at__isnull=False)
            .values_list("lesson_id", "completed_at")
            .order_by("lesson_id")
        )
    ((lesson_id, completed_at),) = read.rows(enrollments[0].pk)
    assert completed_at.tzinfo is not None  # an aware datetime, as the ORM gives
    status = Precompiled(
        lambda e: TaskSubmission.objects.filter(
            enrollment_id=e, status=TaskSubmission.Status.SUBMITTED
        ).values_list("id")
    )
    assert status.rows(enrollments[0].pk) == []


def test_builders_it_cannot_serve_are_refused(enrolled):
    learners, courses, _ = enrolled
    unused = Precompiled(lambda u: Enrollment.objects.all())
    with pytest.raises(ValueError, match="every argument"):
        unused.get(learners[0].pk)
    prefetching = Precompiled(
        lambda u: Enrollment.objects.filter(user_id=u).prefetch_related("lesson_progress")
    )
    with pytest.raises(ValueError, match="prefetch_related"):
        prefetching.instances(learners[0].pk)
    tuples = Precompiled(lambda u: Enrollment.objects.filter(user_id=u).values_list("id"))
    with pytest.raises(TypeError, match="model query"):
        tuples.instances(learners[0].pk)
    several = Precompiled(lambda u: Enrollment.objects.filter(user_id=u))
    with pytest.raises(Enrollment.MultipleObjectsReturned):
        several.get(learners[0].pk)
    with pytest.raises(TypeError, match="expected 1"):
        several.get(learners[0].pk, courses[0].pk)
    with pytest.raises(ValueError):
        several.get("not a number")


def test_instances_carry_related_objects_deferred_fields_and_annotations_as_the_orm(enrolled):
    learners, courses, enrollments = enrolled
    enrollments[2].delete()  # the second learner: one course only

    def build(user_id):
        return (
            Enrollment.objects.filter(user_id=user_id)
            .select_related("course", "next_lesson")
            .only("progress_percent", "next_lesson_id", "course__title", "next_lesson__title")
            .annotate(opened=Count("lesson_progress"))
            .order_by("course_id")
        )

    read = Precompiled(build)
    for learner in learners:
        ours, theirs = read.instances(learner.pk), list(build(learner.pk))
        assert [e.pk for e in ours] == [e.pk for e in theirs] and ours
        for mine, orm in zip(ours, theirs, strict=True):
            assert mine.get_deferred_fields() == orm.get_deferred_fields() != set()
            assert (mine.progress_percent, mine.opened) == (orm.progress_percent, orm.opened)
            assert (mine.course.pk, mine.course.title) == (orm.course.pk, orm.course.title)
            assert mine.course.get_deferred_fields() == orm.course.get_deferred_fields()
            # A next lesson or None, as the ORM leaves it.
            assert getattr(mine.next_lesson, "title", None) == getattr(
                orm.next_lesson, "title", None
            )
    with CaptureQueriesContext(connection) as queries:
        first = read.instances(learners[0].pk)
        [(e.course.title, e.next_lesson and e.next_lesson.title) for e in first]
    assert len(queries) == 1  # the related rows came with it
    assert {e.opened for e in first} == {2, 0}
    assert read.instances(10**9) == []
