"""Personas used across the suite: learner, other learner, mentor, other mentor, staff,
other staff, a partner's reader and the anonymous visitor. Each persona fixture returns
(user, client)."""

import pytest
from django.test import Client

from tests.factories import BusinessProfileFactory, UserFactory
from ukmlearn import gateway


class Persona:
    def __init__(self, user, client):
        self.user = user
        self.client = client


def _persona(user) -> Persona:
    client = Client()
    if user is not None:
        client.force_login(user)
    return Persona(user, client)


@pytest.fixture
def anonymous():
    return _persona(None)


@pytest.fixture
def learner(db):
    user = UserFactory(name="Siti Aminah")
    BusinessProfileFactory(user=user)
    return _persona(user)


@pytest.fixture
def other_learner(db):
    user = UserFactory(name="Dewi Lestari")
    BusinessProfileFactory(user=user)
    return _persona(user)


@pytest.fixture
def mentor(db):
    return _persona(UserFactory(name="Budi Santoso", is_mentor=True, is_learner=False))


@pytest.fixture
def other_mentor(db):
    return _persona(UserFactory(name="Made Wirawan", is_mentor=True, is_learner=False))


@pytest.fixture
def staff(db):
    return _persona(UserFactory(name="Rina Kusumawati", is_staff=True, is_learner=False))


@pytest.fixture
def other_staff(db):
    """Staff of another programme: must not see cohorts they do not own."""
    return _persona(UserFactory(name="Yusuf Hakim", is_staff=True, is_learner=False))


@pytest.fixture
def partner(db):
    """A reader at a funding partner: not a learner, mentor or staff; a member of an
    outcomes Partner (the `world` fixture shares its cohort with it). Its Partner is
    persona.org."""
    from outcomes.models import Partner

    persona = _persona(UserFactory(name="Hasan Basri", is_learner=False))
    persona.org = Partner.objects.create(name="Dinas Koperasi dan UKM Uji")
    persona.org.members.add(persona.user)
    return persona


@pytest.fixture
def personas(anonymous, learner, other_learner, mentor, other_mentor, staff, other_staff, partner):
    return {
        "anonymous": anonymous,
        "learner": learner,
        "other_learner": other_learner,
        "mentor": mentor,
        "other_mentor": other_mentor,
        "staff": staff,
        "other_staff": other_staff,
        "partner": partner,
    }


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.MESSAGE_GATEWAY_BACKEND = "ukmlearn.gateway.LocmemBackend"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.LANGUAGE_CODE = "id"
    # A fast hasher: the suite creates hundreds of users. Production keeps PBKDF2.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    gateway.outbox.clear()
    yield
    gateway.outbox.clear()


@pytest.fixture(autouse=True)
def _clear_cache():
    # Rate-limit counters live in the cache; one test must not throttle the next. Course
    # content kept in memory belonged to rows the last test's rollback removed.
    from django.core.cache import cache

    from courses import content_cache

    cache.clear()
    content_cache.forget()
    yield
    cache.clear()
    content_cache.forget()
