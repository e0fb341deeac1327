"""End to end through a real Celery worker on Redis: a request enqueues, a worker process
(not eager) executes, the effect shows up in the database."""

import json
import os
import re
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import redis
from django.db import connection
from django.urls import reverse

from ukmlearn.celery import app as celery_app
from ukmlearn.users.models import Invitation

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.celery_worker


@pytest.fixture
def redis_url():
    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(f"Redis is required in CI and is not reachable at {url}: {exc}")
        pytest.skip(f"Redis not reachable at {url}")
    return url


def database_url_for_worker() -> str:
    """The URL of the database this test runs on, so the worker sees the same rows."""
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    if connection.vendor == "postgresql":
        host = s.get("HOST") or "127.0.0.1"
        port = s.get("PORT") or 5432
        password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
        return f"postgres://{s['USER']}{password}@{host}:{port}/{s['NAME']}"
    raise AssertionError(f"unsupported database {connection.vendor}")


def reset_broker_connections():
    """Drop cached broker connections so the next send uses the current broker_url (kombu
    keeps a process-wide pool per URL: reset it rather than leave a closed one cached)."""
    import kombu.pools

    kombu.pools.reset()
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture
def celery_worker_process(redis_url, tmp_path):
    # A queue of our own: a stray worker elsewhere on the machine cannot steal the task.
    queue = f"test-{uuid.uuid4().hex[:12]}"
    env = {
        **os.environ,
        "DATABASE_URL": database_url_for_worker(),
        "REDIS_URL": redis_url,
        "MESSAGE_GATEWAY_BACKEND": "ukmlearn.gateway.FileBackend",
        "MESSAGE_GATEWAY_FILE_DIR": str(tmp_path / "messages"),
    }
    log = open(tmp_path / "worker.log", "w")  # noqa: SIM115 - closed in teardown
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "ukmlearn",
            "worker",
            "--pool=solo",
            "-Q",
            queue,
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-l",
            "INFO",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    previous = {
        "task_always_eager": celery_app.conf.task_always_eager,
        "broker_url": celery_app.conf.broker_url,
        "task_default_queue": celery_app.conf.task_default_queue,
    }
    celery_app.conf.update(task_always_eager=False, broker_url=redis_url, task_default_queue=queue)
    reset_broker_connections()
    try:
        yield {
            "process": process,
            "messages": tmp_path / "messages" / "messages.jsonl",
            "log": tmp_path / "worker.log",
        }
    finally:
        celery_app.conf.update(previous)
        reset_broker_connections()
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()
        redis.Redis.from_url(redis_url).delete(queue)


def wait_for(predicate, *, timeout: float, what: str, log_path=None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    detail = log_path.read_text()[-3000:] if log_path and log_path.exists() else ""
    raise AssertionError(f"timed out waiting for {what}\n{detail}")


@pytest.mark.django_db(transaction=True)
def test_an_invitation_sent_from_a_request_is_delivered_by_a_real_worker(
    staff, celery_worker_process
):
    response = staff.client.post(
        reverse("invite_person"),
        {"name": "Wulan Sari", "phone": "0812 7777 1234", "role": "learner", "send_message": "on"},
    )
    assert response.status_code == 200
    invitation = Invitation.objects.get(user__phone="+6281277771234")
    assert invitation.sent_at is None  # not run in-process: it is the worker's job

    wait_for(
        lambda: Invitation.objects.filter(pk=invitation.pk, sent_at__isnull=False).exists(),
        timeout=60,
        what="the worker to send the invitation",
        log_path=celery_worker_process["log"],
    )
    lines = celery_worker_process["messages"].read_text().splitlines()
    assert len(lines) == 1
    message = json.loads(lines[0])
    assert message["to"] == "+6281277771234"
    token_link = re.search(r"https?://\S+/invite/\S+/", message["text"])
    assert token_link, message["text"]
    # The worker log must not carry the invitation link (it holds a secret token).
    assert "/invite/" not in celery_worker_process["log"].read_text()
