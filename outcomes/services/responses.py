"""Saving a learner's survey: drafts keep partial answers, sending checks every required
answer and computes the indicator columns; evidence photos are cleaned like task photos."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from cohorts.services.completion import completion_recount
from courses.services.pictures import task_photo_prepare

from .. import instrument
from ..models import Evidence, Question, Response, Survey, Wave


def core_answers(questions: list[Question], answers: dict) -> dict:
    """The answers of the core questions, keyed by core key."""
    return {
        q.core_key: answers[str(q.pk)]
        for q in questions
        if q.core_key and answers.get(str(q.pk)) not in (None, "", [])
    }


def clean_answers(questions: list[Question], raw: dict, *, require_all: bool) -> dict:
    """Answers keyed by question id, each a known code (single) or list of codes (multi).

    Raises ValidationError({field_name: message}) for unknown codes, a missing required
    answer (only when sending), or an exclusive choice ticked together with others.
    """
    errors = {}
    answers = {}
    for question in questions:
        value = raw.get(str(question.pk))
        codes = {code for code, _label in question.choices}
        if question.answer_kind == instrument.MULTI:
            values = (
                []
                if value in (None, "")
                else list(value)
                if isinstance(value, list | tuple)
                else [value]
            )
            unknown = [v for v in values if v not in codes]
            if unknown:
                errors[question.field_name] = gettext("Please choose from the options given.")
                continue
            exclusive = question.core.exclusive if question.core else ""
            if exclusive and exclusive in values and len(values) > 1:
                errors[question.field_name] = gettext(
                    "“%(none)s” cannot be ticked together with other answers."
                ) % {"none": dict(question.choices)[exclusive]}
                continue
            if values:
                # Kept in the order of the options, whatever order they came in.
                answers[str(question.pk)] = [
                    code for code, _l in question.choices if code in values
                ]
        else:
            if isinstance(value, list | tuple):
                value = value[0] if len(value) == 1 else "\x00"
            if value in (None, ""):
                pass
            elif value not in codes:
                errors[question.field_name] = gettext("Please choose from the options given.")
                continue
            else:
                answers[str(question.pk)] = value
        if require_all and question.required and str(question.pk) not in answers:
            errors[question.field_name] = gettext("Please answer this question.")
    if errors:
        raise ValidationError(errors)
    return answers


def response_save(
    *,
    user,
    cohort,
    wave: str,
    survey: Survey,
    raw_answers: dict,
    photos: dict | None = None,
    send: bool,
    now=None,
) -> Response:
    """Save answers as a draft (send=False: partial is fine) or send them (every required
    question answered). A sent response can be changed and sent again until the wave closes.

    Invalid answers raise ValidationError and change nothing already saved. Photos
    ({question id: upload}) are checked before anything is written.
    """
    now = now or timezone.now()
    prepared = {}
    photo_errors = {}
    for question_id, upload in (photos or {}).items():
        try:
            prepared[question_id] = task_photo_prepare(upload)
        except ValidationError as exc:
            photo_errors[f"evidence_{question_id}"] = exc.messages[0]
    with transaction.atomic():
        response, _created = Response.objects.select_for_update().get_or_create(
            user=user, cohort=cohort, wave=wave, defaults={"survey": survey}
        )
        # Answers stay tied to the version the learner started on.
        questions = list(response.survey.questions.all())
        # A sent response is changed by sending it again, complete: a half-changed answer
        # sheet never replaces what the learner reported.
        send = send or response.status == Response.Status.SUBMITTED
        try:
            answers = clean_answers(questions, raw_answers, require_all=send)
        except ValidationError as exc:
            if photo_errors:
                exc.error_dict.update(ValidationError(photo_errors).error_dict)
            raise
        if photo_errors:
            raise ValidationError(photo_errors)
        allowed = {q.pk for q in questions if q.allow_evidence or (q.core and q.core.evidence)}
        for question_id, (full, small, width, height) in prepared.items():
            if question_id not in allowed:
                continue
            for old in Evidence.objects.filter(response=response, question_id=question_id):
                _delete_files_on_commit(old.image, old.thumbnail)
                old.delete()
            evidence = Evidence(
                response=response,
                question_id=question_id,
                bytes=full.size,
                width=width,
                height=height,
            )
            evidence.image.save(full.name, full, save=False)
            evidence.thumbnail.save(small.name, small, save=False)
            evidence.save()
        response.answers = answers
        if send:
            response.status = Response.Status.SUBMITTED
            response.submitted_at = now
            indicators = instrument.indicators_from_answers(core_answers(questions, answers))
            for key, value in indicators.items():
                setattr(response, key, value)
        else:
            response.status = Response.Status.DRAFT
        response.save()
        if send and wave == Wave.ENDLINE and cohort.endline_required:
            completion_recount(cohort=cohort, user_ids=[user.pk])
    return response


def _delete_files_on_commit(*files) -> None:
    """A replaced photo's files go once the new answer is saved (a rollback keeps them)."""
    names = [(f.storage, f.name) for f in files if f]

    def delete():
        for storage, name in names:
            storage.delete(name)

    transaction.on_commit(delete)


def response_skip(*, user, cohort, survey: Survey, now=None) -> Response:
    """ "Later": the baseline may be put off once; reminders follow."""
    now = now or timezone.now()
    with transaction.atomic():
        response, _created = Response.objects.select_for_update().get_or_create(
            user=user, cohort=cohort, wave=Wave.BASELINE, defaults={"survey": survey}
        )
        if response.skipped_at is not None or response.status == Response.Status.SUBMITTED:
            raise ValidationError(gettext("The baseline survey can be put off only once."))
        response.skipped_at = now
        if response.status == Response.Status.DRAFT and not response.answers:
            response.status = Response.Status.SKIPPED
        response.save(update_fields=["skipped_at", "status", "updated_at"])
    return response


def endline_requirement_met(*, enrollment) -> bool:
    """COURSE_COMPLETION_REQUIREMENTS entry: in a cohort that asks for it, the course
    completes only after the endline survey is sent."""
    from cohorts.selectors import learner_cohorts_teaching

    cohorts = learner_cohorts_teaching(enrollment=enrollment, endline_required=True).values("pk")
    needed = cohorts.count()
    if not needed:
        return True
    sent = (
        Response.objects.filter(
            user_id=enrollment.user_id,
            cohort__in=cohorts,
            wave=Wave.ENDLINE,
            status=Response.Status.SUBMITTED,
        )
        .values("cohort_id")
        .distinct()
        .count()
    )
    return sent >= needed


def survey_copy(*, survey: Survey, title: str | None = None) -> Survey:
    """A new version with the same questions, ready for changes (the old one is kept for
    the responses that point at it)."""
    from django.db.models import Max

    with transaction.atomic():
        version = (Survey.objects.aggregate(v=Max("version"))["v"] or 0) + 1
        copy = Survey.objects.create(title=title or survey.title, version=version)
        Question.objects.bulk_create(
            Question(
                survey=copy,
                position=q.position,
                core_key=q.core_key,
                text=q.text,
                help_text=q.help_text,
                kind=q.kind,
                options=q.options,
                required=q.required,
                allow_evidence=q.allow_evidence,
            )
            for q in survey.questions.all()
        )
    return copy
