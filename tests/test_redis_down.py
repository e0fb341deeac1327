"""Redis down (issue 9): the cache reads as empty instead of failing the request, so people
can still sign in; background work is delayed, not lost (the certificate sweep)."""

import socket
from datetime import timedelta

import pytest
from django.core.cache import caches
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from courses.models import Certificate, Enrollment
from courses.services import certificates
from tests.courses.test_certificates import finish_course
from tests.factories import PASSWORD, UserFactory
from ukmlearn.cache import TolerantRedisCache


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # nothing listens once the socket is closed


@pytest.fixture
def redis_down(settings):
    # Overriding CACHES resets Django's cache handlers (a test signal), so `cache`, allauth's
    # rate limits included, now talks to a port nobody listens on.
    settings.CACHES = {
        "default": {
            "BACKEND": BACKEND,
            "LOCATION": f"redis://127.0.0.1:{closed_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    yield caches["default"]
    caches.close_all()


BACKEND = "ukmlearn.cache.TolerantRedisCache"


def test_an_unreachable_redis_reads_as_an_empty_cache(redis_down):
    cache = redis_down
    assert isinstance(cache, TolerantRedisCache)
    assert cache.get("k", "fallback") == "fallback"
    assert cache.add("k", 1) is True
    assert cache.incr("k") == 1
    assert cache.set("k", 1) is None
    assert cache.get_many(["a", "b"]) == {}
    assert cache.delete("k") is False


@pytest.mark.django_db
def test_people_can_sign_in_while_redis_is_down(redis_down):
    user = UserFactory()

    response = Client().post(reverse("account_login"), {"login": user.phone, "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == reverse("home")


@pytest.mark.django_db
def test_a_completion_whose_certificate_was_never_asked_for_gets_one_from_the_sweep(learner):
    enrollment = finish_course(learner.user)  # hooks run on commit: never, in this test
    assert not Certificate.objects.filter(enrollment=enrollment).exists()
    Enrollment.objects.filter(pk=enrollment.pk).update(
        completed_at=timezone.now() - timedelta(minutes=10)
    )

    assert certificates.certificates_requeue_stale() == 1

    certificate = Certificate.objects.get(enrollment=enrollment)
    assert certificate.status in (Certificate.Status.PENDING, Certificate.Status.ISSUED)
