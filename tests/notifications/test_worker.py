"""End to end through a real Celery worker on Redis: a learner finishes a course in the
browser, the worker draws the certificate and writes the "certificate ready" reminder, and
the delivery task, run by the worker too, puts it in the learner's notification centre."""

import json
import os
from datetime import time
from pathlib import Path

import pytest
import redis
from django.db import connection
from django.urls import reverse

from courses.models import Certificate, Lesson
from courses.services import progress
from tests.courses.builders import CourseFactory, LessonFactory, ModuleFactory
from tests.courses.test_certificate_worker import Workers, unavailable
from tests.test_celery_worker import wait_for
from ukmlearn.notifications.models import Kind, Notification, NotificationPreference, Reminder
from ukmlearn.notifications.tasks import deliver_reminders

pytestmark = pytest.mark.celery_worker
ON_POSTGRES = connection.vendor == "postgresql"


@pytest.fixture
def redis_url():
    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/14")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        unavailable(f"Redis at {url} ({exc})")
    return url


@pytest.fixture
def workers(redis_url, tmp_path, settings):
    running = Workers(redis_url, tmp_path, Path(settings.MEDIA_ROOT))
    running.start()
    yield running
    running.close()


@pytest.mark.django_db(transaction=True)
def test_a_finished_course_reaches_the_learners_notification_centre_through_the_worker(
    learner, workers
):
    # Never quiet: the test may run at any hour, and quiet hours are tested elsewhere.
    NotificationPreference.objects.create(
        user=learner.user, quiet_start=time(0, 0), quiet_end=time(0, 0)
    )
    course = CourseFactory(title="Foto Produk dengan Ponsel")
    module = ModuleFactory(course=course)
    for position in range(2):
        LessonFactory(module=module, position=position)
    first, last = Lesson.objects.filter(module__course=course).order_by("position")
    enrollment = progress.enrollment_create(user=learner.user, course=course)
    progress.lesson_complete(enrollment=enrollment, lesson=first)

    response = learner.client.post(reverse("courses:lesson_complete", args=[course.slug, last.pk]))
    assert response.status_code == 302
    certificate = Certificate.objects.get(enrollment=enrollment)

    def ready_reminder():
        return Reminder.objects.filter(
            user=learner.user, kind=Kind.CERTIFICATE_READY, subject=f"certificate:{certificate.pk}"
        ).first()

    reminder = wait_for(
        ready_reminder, timeout=90, what="the certificate-ready reminder", log_path=workers.log
    )
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.ISSUED  # drawn by the worker
    assert reminder.status == Reminder.Status.PENDING

    deliver_reminders.apply_async()  # on the test queue: the worker delivers

    def delivery_finished():
        log = workers.log.read_text()
        return Notification.objects.filter(user=learner.user).exists() or (
            "deliver_reminders[" in log and " raised " in log
        )

    wait_for(delivery_finished, timeout=60, what="the delivery task", log_path=workers.log)
    notification = Notification.objects.get(user=learner.user)
    assert "Foto Produk dengan Ponsel" in notification.text
    download = reverse("courses:certificate_download", args=[certificate.pk, "pdf"])
    assert notification.link == download
    reminder.refresh_from_db()
    assert reminder.status == Reminder.Status.SENT

    home = learner.client.get(reverse("home")).content.decode()
    assert '<span class="badge">1<' in home
    page = learner.client.get(reverse("notifications:list")).content.decode()
    assert "Foto Produk dengan Ponsel" in page
    sent = [json.loads(line) for line in workers.messages.read_text().splitlines()]
    assert [m["to"] for m in sent] == [learner.user.phone]
