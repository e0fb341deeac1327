"""Mentoring sessions: logging from a phone, learner confirmation and rating, action items,
and staff corrections with an edit trail."""

from django.db import transaction
from django.utils import timezone

from mentoring.models import ActionItem, MentoringSession, Pairing, SessionEdit


def session_log(
    *,
    pairing: Pairing,
    logged_by,
    held_at,
    duration_minutes: int,
    mode: str,
    topics,
    private_notes: str,
    summary: str,
    next_planned_at,
    action_items: list[tuple[str, object]],
) -> MentoringSession:
    with transaction.atomic():
        session = MentoringSession.objects.create(
            pairing=pairing,
            logged_by=logged_by,
            held_at=held_at,
            duration_minutes=duration_minutes,
            mode=mode,
            private_notes=private_notes,
            summary=summary,
            next_planned_at=next_planned_at,
        )
        session.topics.set(topics)
        ActionItem.objects.bulk_create(
            [ActionItem(session=session, text=text, due_date=due) for text, due in action_items]
        )
    return session


def session_correct(*, session: MentoringSession, edited_by, changes: dict, topics=None) -> None:
    """Staff (or the mentor) correct a logged session; who and when is recorded, not the old
    text."""
    changed = [name for name, value in changes.items() if getattr(session, name) != value]
    if topics is not None and set(session.topics.values_list("pk", flat=True)) != {
        t.pk for t in topics
    }:
        changed.append("topics")
    if not changed:
        return
    with transaction.atomic():
        for name, value in changes.items():
            setattr(session, name, value)
        session.save()
        if topics is not None:
            session.topics.set(topics)
        SessionEdit.objects.create(session=session, edited_by=edited_by, fields=changed)


def session_confirm(*, session: MentoringSession, rating: int | None, comment: str) -> None:
    """The learner confirms the session happened, optionally with a 1–5 rating. A cohort may
    require confirmed sessions for completion, so the learner's courses are recounted."""
    from mentoring.services.completion import confirmed_sessions_changed

    with transaction.atomic():
        MentoringSession.objects.filter(pk=session.pk).update(
            learner_confirmed_at=session.learner_confirmed_at or timezone.now(),
            rating=rating,
            rating_comment=comment,
        )
        confirmed_sessions_changed(pairing=session.pairing)


def action_item_set_done(*, item: ActionItem, done: bool) -> None:
    ActionItem.objects.filter(pk=item.pk).update(done_at=timezone.now() if done else None)
