import re

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.module_loading import import_string
from django.utils.text import slugify
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from ukmlearn.users.decorators import staff_required

from . import selectors
from .forms import (
    CertificateReissueForm,
    CertificateRevokeForm,
    QuizForm,
    ReviewForm,
    TaskSubmissionForm,
    new_idempotency_key,
)
from .models import LESSON_MEDIA_TYPES, Certificate, Lesson, TaskPhoto
from .services import certificates, practice, progress, quizzes
from .services.content import PICTURE_BLOCK


def course_list(request):
    return render(
        request,
        "courses/course_list.html",
        {"courses": selectors.published_courses(user=request.user)},
    )


def course_detail(request, slug):
    course = selectors.course_for_user(user=request.user, slug=slug)
    enrollment = selectors.enrollment_for(user=request.user, course=course)
    modules = selectors.course_outline(course=course)
    done = selectors.done_lesson_ids(enrollment=enrollment)
    lessons = selectors.flat_lessons(modules)
    for lesson in lessons:
        lesson.is_done = lesson.pk in done
        lesson.is_open = progress.lesson_is_open(
            course=course, lessons=lessons, done=done, lesson=lesson
        )
    for module in modules:
        # "Save for reading offline" takes the open lessons with their pictures.
        module.pack_bytes = (
            sum(
                lesson.data_cost(data_saver=False)
                for lesson in module.lesson_list
                if lesson.is_open
            )
            if enrollment is not None
            else 0
        )
    return render(
        request,
        "courses/course_detail.html",
        {"course": course, "enrollment": enrollment, "modules": modules},
    )


@login_required
@require_POST
def enrol(request, slug):
    course = selectors.course_for_user(user=request.user, slug=slug)
    try:
        enrollment = progress.enrollment_create(user=request.user, course=course)
    except progress.EnrollmentClosed:
        messages.error(request, gettext("This course is not open for enrolment."))
        return redirect(course)
    messages.success(request, gettext("You are enrolled. Happy learning!"))
    if enrollment.next_lesson_id:
        return redirect(
            "courses:lesson_detail", slug=course.slug, lesson_id=enrollment.next_lesson_id
        )
    return redirect(course)


@login_required
def continue_course(request, slug):
    course = selectors.course_for_user(user=request.user, slug=slug)
    enrollment = selectors.enrollment_for(user=request.user, course=course)
    if enrollment is None or enrollment.next_lesson_id is None:
        return redirect(course)
    return redirect("courses:lesson_detail", slug=course.slug, lesson_id=enrollment.next_lesson_id)


def _lesson_context(request, course, lesson):
    """Shared by every lesson kind: enrolment, outline position, open/locked, neighbours."""
    enrollment = selectors.enrollment_for(user=request.user, course=course)
    modules = selectors.course_outline(course=course)
    lessons = selectors.flat_lessons(modules)
    done, opened = selectors.lesson_states(enrollment=enrollment)
    index = next(i for i, item in enumerate(lessons) if item.pk == lesson.pk)
    return {
        "is_opened": lesson.pk in opened,
        "course": course,
        "lesson": lesson,
        "enrollment": enrollment,
        "preview": enrollment is None and selectors.can_preview(request.user),
        "is_done": lesson.pk in done,
        # Staff previewing have done nothing, yet must see every lesson of a linear course.
        "is_open": (enrollment is None and selectors.can_preview(request.user))
        or progress.lesson_is_open(course=course, lessons=lessons, done=done, lesson=lesson),
        "previous_lesson": lessons[index - 1] if index > 0 else None,
        "next_lesson": lessons[index + 1] if index + 1 < len(lessons) else None,
        "position": index + 1,
        "lesson_count": len(lessons),
    }


@login_required
def lesson_detail(request, slug, lesson_id, *, quiz_form=None, task_form=None, status=200):
    course = selectors.course_for_user(user=request.user, slug=slug)
    lesson = selectors.lesson_in_course(course=course, lesson_id=lesson_id)
    context = _lesson_context(request, course, lesson)
    enrollment = context["enrollment"]
    if enrollment is None and not context["preview"]:
        messages.info(request, gettext("Enrol in the course to open its lessons."))
        return redirect(course)
    if not context["is_open"]:
        messages.info(request, gettext("Finish the previous lessons first."))
        return redirect(course)
    # "Save for reading offline" fetches the pages of a module ahead: that is not opening them.
    saving_ahead = request.headers.get("X-Offline-Save") == "1"
    if enrollment is not None and request.method == "GET" and not saving_ahead:
        if enrollment.last_activity_at is None:
            # Before the very first lesson other apps may ask for something first (the
            # baseline survey); later lessons cost no extra query.
            for path in getattr(settings, "FIRST_LESSON_GATES", []):
                detour = import_string(path)(request=request, course=course)
                if detour:
                    return redirect(detour)
        progress.lesson_start(enrollment=enrollment, lesson=lesson, opened=context["is_opened"])
    if lesson.kind == Lesson.Kind.QUIZ:
        context.update(_quiz_context(request, enrollment, lesson, quiz_form))
    elif lesson.kind == Lesson.Kind.TASK:
        context.update(_task_context(enrollment, lesson, task_form))
    return render(request, "courses/lesson_detail.html", context, status=status)


@login_required
def module_pack(request, slug, module_id):
    """What "Save for reading offline" downloads for one module (static/js/app.js): the
    pages of its lessons open to the learner and a phone-sized copy of each picture in them."""
    course = selectors.course_for_user(user=request.user, slug=slug)
    enrollment = selectors.enrollment_for(user=request.user, course=course)
    modules = selectors.course_outline(course=course)
    module = next((m for m in modules if m.pk == module_id), None)
    if enrollment is None or module is None:
        raise Http404
    lessons = selectors.flat_lessons(modules)
    done = selectors.done_lesson_ids(enrollment=enrollment)
    chosen = [
        lesson
        for lesson in module.lesson_list
        if progress.lesson_is_open(course=course, lessons=lessons, done=done, lesson=lesson)
    ]
    bodies = Lesson.objects.filter(pk__in=[lesson.pk for lesson in chosen]).values_list(
        "body_html", flat=True
    )
    pictures = list(
        dict.fromkeys(m.group("href") for html in bodies for m in PICTURE_BLOCK.finditer(html))
    )
    response = JsonResponse(
        {
            "pages": [
                reverse("courses:lesson_detail", args=[course.slug, lesson.pk]) for lesson in chosen
            ],
            "pictures": pictures,
            "bytes": sum(lesson.data_cost(data_saver=False) for lesson in chosen),
        }
    )
    response["Cache-Control"] = "private, no-store"
    return response


def _quiz_context(request, enrollment, lesson, form):
    key = form.data.get("idempotency_key") if form is not None else new_idempotency_key()
    questions = quizzes.quiz_questions(lesson=lesson, seed=key)
    if form is None:
        form = QuizForm(questions=questions, initial={"idempotency_key": key})
    scores = quizzes.attempt_scores(enrollment=enrollment, lesson=lesson) if enrollment else []
    used, best = len(scores), max(scores, default=None)
    left = None if lesson.max_attempts is None else max(lesson.max_attempts - used, 0)
    return {"quiz_form": form, "attempts_used": used, "attempts_left": left, "best_score": best}


def _task_context(enrollment, lesson, form):
    history = (
        selectors.submissions_history(enrollment=enrollment, lesson=lesson) if enrollment else []
    )
    if form is None:
        form = TaskSubmissionForm(initial={"idempotency_key": new_idempotency_key()})
    return {"task_form": form, "history": history}


def _enrolled_lesson(request, slug, lesson_id, kind=None):
    """The course, an open lesson of it, the learner's enrolment, and whether the lesson is
    done already (read here anyway, so "done" and a quiz pass can skip their writes)."""
    course = selectors.course_for_user(user=request.user, slug=slug)
    lesson = selectors.lesson_in_course(course=course, lesson_id=lesson_id)
    enrollment = selectors.enrollment_for(user=request.user, course=course)
    if enrollment is None or (kind is not None and lesson.kind != kind):
        raise Http404
    lessons = selectors.flat_lessons(selectors.course_outline(course=course))
    done = selectors.done_lesson_ids(enrollment=enrollment)
    if not progress.lesson_is_open(course=course, lessons=lessons, done=done, lesson=lesson):
        raise Http404
    return course, lesson, enrollment, lesson.pk in done


@login_required
@require_POST
def lesson_complete(request, slug, lesson_id):
    course, lesson, enrollment, done = _enrolled_lesson(request, slug, lesson_id)
    if lesson.kind in (Lesson.Kind.QUIZ, Lesson.Kind.TASK):
        # Quizzes complete by passing, tasks by submitting: never by a button.
        raise Http404
    # A lesson read as done here stays done (only a task can be undone): no writes.
    newly_done = not done and progress.lesson_complete(enrollment=enrollment, lesson=lesson)
    if newly_done:
        enrollment.refresh_from_db()
    if newly_done and enrollment.completed_at:
        messages.success(request, gettext("Congratulations, you finished the course!"))
        return redirect(course)
    if enrollment.next_lesson_id:
        return redirect(
            "courses:lesson_detail", slug=course.slug, lesson_id=enrollment.next_lesson_id
        )
    return redirect(course)


@login_required
@require_POST
def quiz_submit(request, slug, lesson_id):
    course, lesson, enrollment, done = _enrolled_lesson(request, slug, lesson_id, Lesson.Kind.QUIZ)
    key = request.POST.get("idempotency_key", "")
    questions = quizzes.quiz_questions(lesson=lesson, seed=key)
    form = QuizForm(request.POST, questions=questions)
    if not form.is_valid():
        return lesson_detail(request, slug, lesson_id, quiz_form=form, status=400)
    try:
        attempt, created = quizzes.quiz_submit(
            enrollment=enrollment,
            lesson=lesson,
            answers=form.answers(),
            idempotency_key=form.cleaned_data["idempotency_key"],
            lesson_done=done,
        )
    except quizzes.NoAttemptsLeft:
        messages.error(request, gettext("You have used all your attempts for this quiz."))
        return redirect("courses:lesson_detail", slug=slug, lesson_id=lesson_id)
    if not created:
        messages.info(request, gettext("Your answers were already received."))
    return redirect(attempt)


@login_required
def attempt_detail(request, attempt_id):
    attempt = selectors.attempt_for_user(user=request.user, attempt_id=attempt_id)
    lesson = attempt.lesson
    enrollment = attempt.enrollment
    used = quizzes.attempts_used(enrollment=enrollment, lesson=lesson)
    left = None if lesson.max_attempts is None else max(lesson.max_attempts - used, 0)
    return render(
        request,
        "courses/attempt_detail.html",
        {
            "attempt": attempt,
            "lesson": lesson,
            "course": lesson.module.course,
            "review": quizzes.attempt_review(attempt=attempt),
            "attempts_left": left,
            "best_score": progress.quiz_best_score(enrollment=enrollment, lesson=lesson),
            "enrollment": enrollment,
        },
    )


@login_required
@require_POST
def task_submit(request, slug, lesson_id):
    course, lesson, enrollment, _done = _enrolled_lesson(request, slug, lesson_id, Lesson.Kind.TASK)
    form = TaskSubmissionForm(request.POST, request.FILES)
    if not form.is_valid():
        return lesson_detail(request, slug, lesson_id, task_form=form, status=400)
    data = form.cleaned_data
    try:
        submission, created = practice.task_submit(
            enrollment=enrollment,
            lesson=lesson,
            text=data["text"],
            link=data["link"],
            photos=data["photos"],
            idempotency_key=data["idempotency_key"],
        )
    except ValidationError as exc:
        form.add_error("photos", exc)
        return lesson_detail(request, slug, lesson_id, task_form=form, status=400)
    if created:
        messages.success(request, gettext("Your task is submitted. Well done!"))
    return redirect("courses:lesson_detail", slug=slug, lesson_id=lesson_id)


@login_required
def submission_detail(request, submission_id):
    submission = selectors.submission_for_user(user=request.user, submission_id=submission_id)
    return render(request, "courses/submission_detail.html", {"submission": submission})


@login_required
def task_photo(request, photo_id):
    photo = TaskPhoto.objects.select_related("submission").filter(pk=photo_id).first()
    if photo is None:
        raise Http404
    # Same rule as the submission itself: the learner's own, or staff.
    selectors.submission_for_user(user=request.user, submission_id=photo.submission_id)
    # Pages show the 720 px copy; "?full=1" opens the 1600 px photo (reviewers zooming in).
    image = photo.image if request.GET.get("full") or not photo.thumbnail else photo.thumbnail
    response = FileResponse(image.open("rb"), content_type="image/jpeg")
    response["Content-Disposition"] = 'inline; filename="foto.jpg"'
    response["Cache-Control"] = "private, max-age=86400"
    return response


@login_required
def lesson_media(request, slug, lesson_id):
    """A lesson's uploaded video or file, for staff previewing and for enrolled learners
    once the lesson is open to them (the same rule as the lesson page)."""
    if selectors.can_preview(request.user):
        course = selectors.course_for_user(user=request.user, slug=slug)
        lesson = selectors.lesson_in_course(course=course, lesson_id=lesson_id)
    else:
        _course, lesson, _enrollment, _done = _enrolled_lesson(request, slug, lesson_id)
    if not lesson.media_file:
        raise Http404
    extension = lesson.media_file.name.rsplit(".", 1)[-1].lower()
    content_type = LESSON_MEDIA_TYPES.get(extension)
    # Only a known video or audio type plays in the page; everything else is a download
    # under a plain name, so no uploaded file can act as a page of this site.
    inline = (
        lesson.kind == Lesson.Kind.VIDEO
        and content_type is not None
        and (content_type.startswith(("video/", "audio/")))
    )
    return FileResponse(
        lesson.media_file.open("rb"),
        as_attachment=not inline,
        filename=f"{slugify(lesson.title)[:60] or 'materi'}.{extension if content_type else 'bin'}",
        content_type=content_type or "application/octet-stream",
    )


PICTURE_NAME = re.compile(r"^[0-9a-f]{32}(-\d{2,4})?\.(jpg|webp)$")


def picture_file(request, name):
    """Course pictures are public content with unique names, so they cache for a year."""
    if not PICTURE_NAME.match(name) or not default_storage.exists(f"pictures/{name}"):
        raise Http404
    content_type = "image/webp" if name.endswith(".webp") else "image/jpeg"
    response = FileResponse(
        default_storage.open(f"pictures/{name}", "rb"), content_type=content_type
    )
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    return response


@staff_required
def review_queue(request):
    return render(
        request,
        "courses/review_queue.html",
        {"submissions": selectors.review_queue(user=request.user)},
    )


def review_response(request, submission, *, template: str, done_url: str):
    """Show a practice task with the review form, and save the review. Staff (here) and
    mentors (mentoring app, for their own mentees) share it; the caller has checked access."""
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            practice.task_review(
                submission=submission,
                reviewer=request.user,
                approve=form.cleaned_data["decision"] == "approve",
                feedback=form.cleaned_data["feedback"],
            )
        except practice.AlreadyReviewed:
            messages.error(request, gettext("This submission was already reviewed."))
        else:
            messages.success(request, gettext("Review saved."))
        return redirect(done_url)
    return render(request, template, {"submission": submission, "form": form})


@staff_required
def review_submission(request, submission_id):
    submission = selectors.submission_for_user(user=request.user, submission_id=submission_id)
    return review_response(
        request,
        submission,
        template="courses/review_submission.html",
        done_url=reverse("courses:review_queue"),
    )


# --- Certificates ----------------------------------------------------------------------


def certificate_verify(request, code):
    """Public: anyone with the link (or the QR code) can check a certificate."""
    certificate = (
        Certificate.objects.select_related("enrollment__course__certificate_template")
        .filter(code=code)
        .exclude(status__in=[Certificate.Status.PENDING, Certificate.Status.ERASED])
        .first()
    )
    if certificate is None:
        raise Http404
    template = certificate.enrollment.course.certificate_template
    return render(
        request,
        "courses/certificate_verify.html",
        {
            "certificate": certificate,
            "course_title": certificate.enrollment.course.title,
            "programme": template.programme_name if template else "ukmlearn",
        },
    )


@login_required
def certificate_download(request, certificate_id, fmt):
    if fmt not in ("pdf", "png"):
        raise Http404
    certificate = selectors.certificate_for_user(
        user=request.user, certificate_id=certificate_id, issued_only=True
    )
    field = certificate.pdf if fmt == "pdf" else certificate.png
    return FileResponse(
        field.open("rb"),
        as_attachment=fmt == "pdf",
        filename=f"sertifikat-{certificate.number}.{fmt}",
        content_type="application/pdf" if fmt == "pdf" else "image/png",
    )


@staff_required
def certificate_manage(request, certificate_id):
    certificate = selectors.certificate_for_user(user=request.user, certificate_id=certificate_id)
    revoke_form = CertificateRevokeForm(request.POST if "revoke" in request.POST else None)
    reissue_form = CertificateReissueForm(
        request.POST if "reissue" in request.POST else None, initial={"name": certificate.name}
    )
    if request.method == "POST":
        if "revoke" in request.POST and revoke_form.is_valid():
            certificates.certificate_revoke(
                certificate=certificate, reason=revoke_form.cleaned_data["reason"]
            )
            messages.success(request, gettext("The certificate is revoked."))
            return redirect("courses:certificate_manage", certificate_id=certificate.pk)
        if "reissue" in request.POST and reissue_form.is_valid():
            certificates.certificate_reissue(
                certificate=certificate, name=reissue_form.cleaned_data["name"]
            )
            messages.success(request, gettext("The certificate is being issued again."))
            return redirect("courses:certificate_manage", certificate_id=certificate.pk)
    return render(
        request,
        "courses/certificate_manage.html",
        {
            "certificate": certificate,
            "revoke_form": revoke_form,
            "reissue_form": reissue_form,
            "verify_url": certificates.verification_url(certificate),
        },
    )
