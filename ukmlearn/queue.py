"""Enqueue Celery work after commit without letting a broker outage fail the request.

Work that must not be lost is written to the database first (an outbox row: a pending
certificate, a pending reminder); the task is only a prompt to do it now. If Redis is down the
prompt is dropped with a log line and the periodic sweep picks the row up later.
"""

import logging

from django.db import transaction

logger = logging.getLogger(__name__)


def enqueue_on_commit(task, *args) -> None:
    def send():
        try:
            task.apply_async(args, retry=False)
        except Exception as exc:  # kombu raises several kinds when the broker is away
            logger.warning(
                "could not enqueue %s (%s); the sweep will retry", task.name, type(exc).__name__
            )

    transaction.on_commit(send)
