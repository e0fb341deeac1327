"""The precompiled session and user reads (ukmlearn/users/fastauth.py) decide exactly as
Django does: the same user, and nobody whenever Django would let nobody in."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import UserFactory
from ukmlearn.precompiled import Precompiled
from ukmlearn.users.fastauth import SessionStore
from ukmlearn.users.models import User

pytestmark = pytest.mark.django_db

PAGE = "account_settings"  # any page that needs a signed-in person


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def page_status(client) -> int:
    return client.get(reverse(PAGE)).status_code


def session_of(client) -> SessionStore:
    return SessionStore(client.cookies[settings.SESSION_COOKIE_NAME].value)


def test_the_user_read_gives_what_the_orm_gives():
    user = UserFactory(is_mentor=True, data_saver=False, timezone="Asia/Makassar")
    user.last_login = timezone.now()
    user.save()
    read = Precompiled(lambda pk: User._default_manager.filter(pk=pk))
    fast = read.get(user.pk)
    slow = User.objects.get(pk=user.pk)
    fields = [field.attname for field in User._meta.concrete_fields]
    assert {f: getattr(fast, f) for f in fields} == {f: getattr(slow, f) for f in fields}
    assert fast.is_mentor is True and fast.data_saver is False
    assert fast._state.adding is False and fast._state.db == "default"
    assert read.get(user.pk + 1000) is None
    assert read.get(str(user.pk)).pk == user.pk


def test_a_signed_in_page_reads_session_and_user_with_one_query_each():
    user = UserFactory()
    client = signed_in(user)
    with CaptureQueriesContext(connection) as queries:
        assert page_status(client) == 200
    sql = [q["sql"] for q in queries.captured_queries]
    assert sum("django_session" in s for s in sql) == 1
    assert sum(User._meta.db_table in s and "WHERE" in s for s in sql) >= 1


def test_the_session_store_reads_what_it_saved_and_nothing_expired():
    store = SessionStore()
    store["k"] = "v"
    store.save()
    assert SessionStore(store.session_key)["k"] == "v"
    Session.objects.filter(session_key=store.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    expired = SessionStore(store.session_key)
    assert expired.get("k") is None
    assert expired.session_key is None  # a new key on the next save, as Django's store does
    assert SessionStore("no-such-session-key-123").get("k") is None


def test_a_new_password_elsewhere_signs_this_session_out():
    user = UserFactory()
    client = signed_in(user)
    assert page_status(client) == 200
    user.set_password("sandi-yang-lain-2026")
    user.save()
    assert page_status(client) == 302
    # Django flushed the session whose hash no longer matches.
    assert not Session.objects.filter(
        session_key=client.cookies[settings.SESSION_COOKIE_NAME].value
    ).exists()


def test_an_inactive_or_deleted_user_is_nobody():
    user = UserFactory()
    client = signed_in(user)
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert page_status(client) == 302
    other = UserFactory()
    client = signed_in(other)
    other.delete()
    assert page_status(client) == 302


def test_a_session_naming_an_unknown_backend_or_lacking_its_hash_is_nobody():
    user = UserFactory()
    client = signed_in(user)
    store = session_of(client)
    store[BACKEND_SESSION_KEY] = "somewhere.else.Backend"
    store.save()
    assert page_status(client) == 302

    client = signed_in(user)
    store = session_of(client)
    del store[HASH_SESSION_KEY]
    store.save()
    assert page_status(client) == 302


def test_a_rotated_secret_key_keeps_people_signed_in_through_djangos_fallback(settings):
    user = UserFactory()
    client = signed_in(user)
    old_key = session_of(client).session_key
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-new-secret-key-for-this-test-only-0123456789abcdef"
    assert page_status(client) == 200
    # Django's own path took over: the session got a new key and the new hash.
    assert client.cookies[settings.SESSION_COOKIE_NAME].value != old_key
    settings.SECRET_KEY_FALLBACKS = []
    assert page_status(client) == 200
