"""Certificates through real worker processes on Redis: the outbox row survives a broker
outage, and a worker killed with SIGKILL half-way leaves neither duplicates nor half files."""

import contextlib
import io
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path

import kombu.pools
import pytest
import redis
from django.urls import reverse
from PIL import Image

from courses.models import Certificate, Lesson
from courses.services import certificates, progress
from tests.courses.builders import CourseFactory, LessonFactory, ModuleFactory
from tests.factories import UserFactory
from tests.test_celery_worker import database_url_for_worker, wait_for
from ukmlearn.celery import app as celery_app

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.celery_worker


def unavailable(what: str):
    """CI must have Redis; a laptop without it skips."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{what} is required in CI")
    pytest.skip(what)


@pytest.fixture
def redis_url():
    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/14")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        unavailable(f"Redis at {url} ({exc})")
    return url


def reset_broker_connections():
    """Forget every cached broker connection, so the next send connects to broker_url.

    kombu keeps connection and producer pools in process-wide groups keyed by URL; closing a
    pool without clearing its group (as tests/test_celery_worker.py does) leaves a closed
    pool behind, and the next send to the same URL fails with "Acquire on closed pool"."""
    kombu.pools.reset()
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PrivateRedis:
    """A redis-server of this test's own, on a free port, that the test can stop and start."""

    def __init__(self, directory: Path):
        self.directory = directory
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def ping(self) -> bool:
        try:
            return redis.Redis.from_url(self.url, socket_connect_timeout=0.5).ping()
        except redis.RedisError:
            return False

    def start(self):
        self.directory.mkdir(parents=True, exist_ok=True)
        log = self.directory / "redis.log"
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1"]
            + ["--save", "", "--appendonly", "no", "--dir", str(self.directory)]
            + ["--logfile", str(log)],
        )
        wait_for(self.ping, timeout=20, what="redis-server to answer", log_path=log)

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=20)
        self.process = None
        assert not self.ping()


@pytest.fixture
def private_redis(tmp_path):
    if shutil.which("redis-server") is None:
        unavailable("the redis-server binary")
    server = PrivateRedis(tmp_path / "redis")
    server.start()
    yield server
    server.stop()


class Workers:
    """Real `celery worker --pool=solo` processes on one broker and a queue of their own (a
    stray worker elsewhere cannot steal the tasks); this process's Celery app sends there."""

    def __init__(self, broker_url: str, tmp_path: Path, media_root: Path):
        self.broker_url = broker_url
        self.tmp_path = tmp_path
        self.queue = f"test-{uuid.uuid4().hex[:12]}"
        self.env = {
            **os.environ,
            "DATABASE_URL": database_url_for_worker(),
            "REDIS_URL": broker_url,
            "MEDIA_ROOT": str(media_root),
            "MESSAGE_GATEWAY_BACKEND": "ukmlearn.gateway.FileBackend",
            "MESSAGE_GATEWAY_FILE_DIR": str(tmp_path / "messages"),
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        }
        self.processes: list[subprocess.Popen] = []
        self.logs = []
        self.previous = {
            key: celery_app.conf[key]
            for key in ("task_always_eager", "broker_url", "task_default_queue")
        }
        celery_app.conf.update(
            task_always_eager=False, broker_url=broker_url, task_default_queue=self.queue
        )
        reset_broker_connections()

    @property
    def log(self) -> Path:
        return self.logs[-1]

    @property
    def messages(self) -> Path:
        """What the workers sent through the message gateway (one JSON object a line)."""
        return self.tmp_path / "messages" / "messages.jsonl"

    def start(self) -> subprocess.Popen:
        log_path = self.tmp_path / f"worker-{len(self.processes)}.log"
        with open(log_path, "w") as log:
            process = subprocess.Popen(
                [sys.executable, "-m", "celery", "-A", "ukmlearn", "worker", "--pool=solo"]
                + ["-Q", self.queue, "-n", f"{self.queue}-{len(self.processes)}@%h"]
                + ["--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "INFO"],
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        self.processes.append(process)
        self.logs.append(log_path)
        return process

    def close(self):
        celery_app.conf.update(self.previous)
        reset_broker_connections()
        for process in self.processes:
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
        client = redis.Redis.from_url(self.broker_url, socket_connect_timeout=1)
        # A private server that is gone already took its queue with it.
        with contextlib.suppress(redis.RedisError):
            forget_queue(client, self.queue)


def forget_queue(client, queue: str):
    """Delete the queue, its bindings, and the messages a killed worker left unacknowledged
    for it."""
    client.delete(queue, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}")
    for tag, payload in client.hgetall("unacked").items():
        _message, _exchange, routing_key = json.loads(payload)
        if routing_key == queue:
            client.hdel("unacked", tag)
            client.zrem("unacked_index", tag)


@pytest.fixture
def workers_on(tmp_path, settings):
    created = []

    def make(broker_url):
        workers = Workers(broker_url, tmp_path, Path(settings.MEDIA_ROOT))
        created.append(workers)
        return workers

    yield make
    for workers in created:
        workers.close()


def two_lesson_course():
    course = CourseFactory(title="Jualan Online lewat WhatsApp Business")
    module = ModuleFactory(course=course)
    for position in range(2):
        LessonFactory(module=module, position=position)
    return course


def issued_count() -> int:
    return Certificate.objects.filter(status=Certificate.Status.ISSUED).count()


# --- The broker is down -----------------------------------------------------------------------


def complete_last_lesson_with_redis_down(learner, private_redis):
    course = two_lesson_course()
    first, last = Lesson.objects.filter(module__course=course).order_by("position")
    enrollment = progress.enrollment_create(user=learner.user, course=course)
    progress.lesson_complete(enrollment=enrollment, lesson=first)
    private_redis.stop()
    started = time.monotonic()
    response = learner.client.post(reverse("courses:lesson_complete", args=[course.slug, last.pk]))
    return response, time.monotonic() - started


@pytest.mark.django_db(transaction=True)
def test_completing_a_course_with_redis_down_answers_within_3_seconds(
    learner, private_redis, workers_on
):
    workers_on(private_redis.url)  # this process sends to the private server
    response, seconds = complete_last_lesson_with_redis_down(learner, private_redis)

    assert response.status_code == 302
    assert Certificate.objects.get().status == Certificate.Status.PENDING
    assert seconds < 3, f"the request took {seconds:.1f} s"


@pytest.mark.django_db(transaction=True)
def test_a_certificate_asked_for_while_redis_was_down_is_issued_once_redis_is_back(
    learner, private_redis, workers_on, settings
):
    workers = workers_on(private_redis.url)
    response, _seconds = complete_last_lesson_with_redis_down(learner, private_redis)
    assert response.status_code == 302  # the broker outage does not fail the request
    certificate = Certificate.objects.get()
    assert certificate.status == Certificate.Status.PENDING  # the outbox row is there

    private_redis.start()
    reset_broker_connections()
    workers.start()
    assert certificates.certificates_requeue_stale(older_than=timedelta(0)) == 1

    wait_for(
        lambda: issued_count() == 1,
        timeout=90,
        what="the worker to issue the certificate",
        log_path=workers.log,
    )
    certificate.refresh_from_db()
    folder = Path(settings.MEDIA_ROOT) / "certificates"
    assert sorted(p.name for p in folder.iterdir()) == [
        f"{certificate.number}.pdf",
        f"{certificate.number}.png",
    ]


# --- A worker killed half-way -----------------------------------------------------------------


def assert_complete_png(path: Path):
    with Image.open(io.BytesIO(path.read_bytes())) as image:
        image.load()  # raises on a truncated file
        assert image.size == certificates.PAGE


def assert_complete_pdf(path: Path):
    data = path.read_bytes()
    assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF"), path.name


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_batch_leaves_one_certificate_and_one_png_and_pdf_each(
    redis_url, workers_on, settings
):
    workers = workers_on(redis_url)
    course = CourseFactory(title="Pembukuan Sederhana")
    lesson = LessonFactory(module=ModuleFactory(course=course))
    enrollments = []
    for _ in range(30):
        enrollment = progress.enrollment_create(user=UserFactory(), course=course)
        progress.lesson_complete(enrollment=enrollment, lesson=lesson)  # enqueues on commit
        enrollments.append(enrollment)
    assert Certificate.objects.filter(status=Certificate.Status.PENDING).count() == 30
    assert redis.Redis.from_url(redis_url).llen(workers.queue) == 30

    first = workers.start()
    wait_for(
        lambda: issued_count() >= 1, timeout=90, what="the first certificate", log_path=workers.log
    )
    os.kill(first.pid, signal.SIGKILL)
    first.wait(timeout=20)
    issued_at_kill = issued_count()
    assert issued_at_kill < 30, "the worker finished before it could be killed"

    assert certificates.certificates_requeue_stale(older_than=timedelta(0)) == 30 - issued_at_kill
    workers.start()
    wait_for(
        lambda: issued_count() == 30,
        timeout=180,
        what="the second worker to issue the rest",
        log_path=workers.log,
    )

    issued = list(Certificate.objects.order_by("pk"))
    assert sorted(c.enrollment_id for c in issued) == sorted(e.pk for e in enrollments)
    assert {c.status for c in issued} == {Certificate.Status.ISSUED}
    assert len({c.number for c in issued}) == 30
    folder = Path(settings.MEDIA_ROOT) / "certificates"
    expected = {f"{c.number}.{ext}" for c in issued for ext in ("png", "pdf")}
    assert {p.name for p in folder.iterdir()} == expected  # no duplicates, no strays
    for certificate in issued:
        assert certificate.png.name == f"certificates/{certificate.number}.png"
        assert certificate.pdf.name == f"certificates/{certificate.number}.pdf"
        assert_complete_png(folder / f"{certificate.number}.png")
        assert_complete_pdf(folder / f"{certificate.number}.pdf")
