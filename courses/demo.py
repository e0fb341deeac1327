"""Load the demo course (courses/demo_content.py) and give demo learners varied progress.

Idempotent: content is matched by slug and titles, progress uses deterministic keys.
"""

import re
import uuid

from django.db import transaction

from .demo_pictures import demo_pictures
from .models import Course, Lesson, Module, Option, Question, TaskSubmission
from .services import practice, progress, quizzes

PICTURE_TOKEN = re.compile(r"picture:(demo-[a-z-]+)")
DEMO_NAMESPACE = uuid.UUID("6f1d0c1e-9a51-4a7b-8f3e-2f2a7d9c4b10")

# How many lessons (in order) each demo learner has done; None = not enrolled.
# The first learner (Siti, the demo log-in) is part-way so "Continue learning" has a target.
PROGRESS_PLAN = [2, 0, 5, 9, 12, "all", 3, 1, "all", 6, 4, 10, 7, 2, 0, 11, None, None, None, 8]


def demo_course_load(content: dict) -> Course:
    pictures = demo_pictures()
    with transaction.atomic():
        course, _ = Course.objects.update_or_create(
            slug=content["slug"],
            defaults={
                "title": content["title"],
                "summary": content["summary"],
                "level": content.get("level", Course.Level.BEGINNER),
                "estimated_minutes": content.get("estimated_minutes", 60),
                "is_published": True,
                "self_enrol": True,
                "sequencing": Course.Sequencing.FREE,
                "task_completion": Course.TaskCompletion.SUBMITTED,
            },
        )
        for m_pos, module_data in enumerate(content["modules"]):
            module, _ = Module.objects.update_or_create(
                course=course, position=m_pos, defaults={"title": module_data["title"]}
            )
            for l_pos, lesson_data in enumerate(module_data["lessons"]):
                lesson = Lesson.objects.filter(module=module, position=l_pos).first() or Lesson(
                    module=module, position=l_pos
                )
                lesson.title = lesson_data["title"]
                lesson.kind = lesson_data["kind"]
                lesson.body = PICTURE_TOKEN.sub(
                    lambda m: f"picture:{pictures[m.group(1)]}", lesson_data.get("body", "")
                )
                lesson.estimated_minutes = lesson_data.get("minutes", 5)
                lesson.pass_mark = lesson_data.get("pass_mark", 70)
                lesson.max_attempts = lesson_data.get("max_attempts")
                lesson.save()
                if lesson.kind == Lesson.Kind.QUIZ:
                    _load_questions(lesson, lesson_data["questions"])
    return course


def _load_questions(lesson: Lesson, questions: list[dict]) -> None:
    for q_pos, question_data in enumerate(questions):
        question, _ = Question.objects.update_or_create(
            lesson=lesson,
            position=q_pos,
            defaults={"text": question_data["text"], "kind": question_data.get("kind", "single")},
        )
        for o_pos, option_data in enumerate(question_data["options"]):
            Option.objects.update_or_create(
                question=question,
                position=o_pos,
                defaults={
                    "text": option_data["text"],
                    "is_correct": option_data["correct"],
                    "explanation": option_data.get("explanation", ""),
                },
            )


def _key(*parts) -> uuid.UUID:
    return uuid.uuid5(DEMO_NAMESPACE, "/".join(str(p) for p in parts))


def demo_progress_apply(*, course: Course, learners: list, reviewer) -> None:
    lessons = progress.course_lessons(course.pk)
    for index, learner in enumerate(learners):
        plan = PROGRESS_PLAN[index % len(PROGRESS_PLAN)]
        if plan is None:
            continue
        enrollment = progress.enrollment_create(user=learner, course=course)
        count = len(lessons) if plan == "all" else plan
        for lesson in lessons[:count]:
            if lesson.kind == Lesson.Kind.QUIZ:
                full = Lesson.objects.get(pk=lesson.pk)
                answers = {
                    q.pk: {o.pk for o in q.option_list if o.is_correct}
                    for q in quizzes.quiz_questions(lesson=full)
                }
                quizzes.quiz_submit(
                    enrollment=enrollment,
                    lesson=full,
                    answers=answers,
                    idempotency_key=_key(learner.phone, lesson.pk, "quiz"),
                )
            elif lesson.kind == Lesson.Kind.TASK:
                submission, created = practice.task_submit(
                    enrollment=enrollment,
                    lesson=lesson,
                    text="Sudah saya buat 5 produk di katalog, dengan harga dan foto.",
                    link="",
                    photos=[],
                    idempotency_key=_key(learner.phone, lesson.pk, "task"),
                )
                if created and index % 3 == 0:
                    practice.task_review(
                        submission=submission,
                        reviewer=reviewer,
                        approve=False,
                        feedback="Bagus! Tambahkan deskripsi dan harga di setiap produk, ya.",
                    )
                elif (
                    created
                    and submission.status == TaskSubmission.Status.SUBMITTED
                    and (index % 3 == 1)
                ):
                    practice.task_review(
                        submission=submission,
                        reviewer=reviewer,
                        approve=True,
                        feedback="Katalognya rapi. Mantap!",
                    )
            else:
                progress.lesson_complete(enrollment=enrollment, lesson=lesson)
