"""Periodic reminder jobs (beat): find who needs a reminder, then deliver what is due."""

from celery import shared_task

from . import services


@shared_task
def sweep_reminders() -> int:
    # Idempotent by the outbox's unique constraint: two beats or a re-delivered message
    # write nothing twice.
    return services.reminders_sweep()


@shared_task
def deliver_reminders() -> int:
    return services.reminders_deliver()
