"""Reminder delivery: one digest per person and run, channels from the rule and the person's
settings, the in-app notification centre, retries with backoff, failures shown to the cohort
owner, and nobody reached who should not be."""

import contextlib
import smtplib
import threading
import zoneinfo
from datetime import date, datetime, timedelta

import pytest
from django.core import mail
from django.db import connection, connections, transaction
from django.urls import reverse
from django.utils import timezone

from cohorts.models import Cohort, Membership
from cohorts.services.members import cohort_member_leave, cohort_members_add
from tests.factories import UserFactory
from tests.helpers import assert_constant_queries
from ukmlearn import gateway
from ukmlearn.notifications import services
from ukmlearn.notifications.models import (
    Kind,
    Notification,
    NotificationPreference,
    Reminder,
    ReminderRule,
)
from ukmlearn.users.models import Consent

WIB = zoneinfo.ZoneInfo("Asia/Jakarta")
WITA = zoneinfo.ZoneInfo("Asia/Makassar")
NOON = datetime(2026, 12, 2, 12, 0, tzinfo=WIB)
ON_POSTGRES = connection.vendor == "postgresql"

FOR_UPDATE_BUG = (
    "BUG: reminders_deliver combines select_for_update(skip_locked=True) with "
    "select_related('user', 'user__notification_preference'); the preference is a LEFT OUTER "
    "JOIN and PostgreSQL refuses 'FOR UPDATE cannot be applied to the nullable side of an "
    "outer join', so nothing is ever delivered on PostgreSQL "
    "(ukmlearn/notifications/services.py, reminders_deliver; fix: select_for_update(..., "
    "of=('self',)))"
)


# Everything that calls reminders_deliver fails on PostgreSQL until the bug above is fixed.


def cohort_of(owner, *learners):
    cohort = Cohort.objects.create(
        name="Angkatan Pengiriman",
        programme="Program",
        start_date=date(2026, 11, 1),
        end_date=date(2027, 1, 31),
        province="jabar",
        owner=owner,
        status=Cohort.Status.RUNNING,
    )
    learner_ids = [u.pk for u in learners]
    cohort_members_add(cohort=cohort, user_ids=learner_ids, role=Membership.Role.LEARNER)
    return cohort


def due(user, kind=Kind.INACTIVE, *, subject="course:1", cohort=None, link="/courses/", **args):
    text_args = (
        args
        or {
            Kind.INACTIVE: {"course": "Jualan Online"},
            Kind.SESSION_TOMORROW: {"title": "Sesi QRIS", "starts_at": NOON + timedelta(days=1)},
            Kind.ACTION_ITEM_DUE: {"text": "Foto 10 produk"},
            Kind.TASK_REVIEW_WAITING: {"name": "Siti"},
            Kind.CERTIFICATE_READY: {"course": "Jualan Online"},
        }[kind]
    )
    return services.Due(
        user.pk, kind, subject, "once", cohort.pk if cohort else None, text_args, link
    )


def write(*dues, now=NOON):
    rules = {(r.cohort_id, r.kind): r for r in ReminderRule.objects.all()}
    return services.reminders_write(list(dues), now=now, rules=rules)


def deliver(now=NOON):
    return services.reminders_deliver(now=now)


def messages_to(user):
    return [m.text for m in gateway.outbox if m.to == user.phone]


class BrokenBackend:
    def send(self, message):
        raise gateway.GatewayError("HTTP 503")


class BrokenMailBackend:
    def __init__(self, **kwargs):
        pass

    def send_messages(self, messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


class PoisonBackend:
    """Works for everyone but one number, for which it raises something unexpected."""

    poison = ""

    def send(self, message):
        if message.to == PoisonBackend.poison:
            raise ValueError("unexpected reply from the provider")
        gateway.outbox.append(message)


# --- Digests and channels -------------------------------------------------------------------


@pytest.mark.django_db
def test_several_reminders_for_one_person_become_one_message_with_one_link(settings):
    settings.SITE_URL = "https://ukmlearn.example"
    siti, dewi = UserFactory(), UserFactory()
    write(
        due(siti, Kind.INACTIVE, link="/courses/jualan-online/continue/"),
        due(siti, Kind.SESSION_TOMORROW, subject="session:7", link="/sessions/7/checkin/"),
        due(siti, Kind.ACTION_ITEM_DUE, subject="action:3", link="/mentoring/"),
        due(dewi, Kind.INACTIVE),
    )

    assert deliver() == 4
    [to_siti] = messages_to(siti)
    assert "Jualan Online" in to_siti and "Sesi QRIS" in to_siti and "Foto 10 produk" in to_siti
    assert to_siti.count("https://") == 1
    links = ["/courses/jualan-online/continue/", "/sessions/7/checkin/", "/mentoring/"]
    assert any(f"https://ukmlearn.example{link}" in to_siti for link in links)
    assert len(messages_to(dewi)) == 1
    assert len(gateway.outbox) == 2
    assert Notification.objects.filter(user=siti).count() == 3
    siti.refresh_from_db()
    assert siti.unread_notifications == 3


@pytest.mark.django_db
def test_a_second_run_sends_nothing_again():
    person = UserFactory()
    write(due(person), due(person, Kind.ACTION_ITEM_DUE, subject="action:1"))

    assert deliver() == 2
    assert deliver(NOON + timedelta(minutes=1)) == 0
    assert len(gateway.outbox) == 1
    assert set(Reminder.objects.values_list("status", flat=True)) == {Reminder.Status.SENT}
    assert Reminder.objects.filter(sent_at=NOON).count() == 2


@pytest.mark.django_db
def test_email_and_whatsapp_go_only_where_the_rule_and_the_person_allow(staff):
    mentor = UserFactory(email="budi@example.com", is_mentor=True)
    no_email = UserFactory(email="made@example.com", is_mentor=True)
    NotificationPreference.objects.create(user=no_email, email=False)
    in_app_only, no_whatsapp = UserFactory(), UserFactory()
    NotificationPreference.objects.create(user=no_whatsapp, whatsapp=False)
    quiet_cohort = cohort_of(staff.user, in_app_only)
    ReminderRule.objects.create(cohort=quiet_cohort, kind=Kind.INACTIVE, channels=["in_app"])
    write(
        due(mentor, Kind.TASK_REVIEW_WAITING, subject="submission:1"),  # in app + e-mail
        due(no_email, Kind.TASK_REVIEW_WAITING, subject="submission:2"),
        due(in_app_only, Kind.INACTIVE, cohort=quiet_cohort),
        due(no_whatsapp, Kind.INACTIVE),  # in app + WhatsApp by default
    )

    assert deliver() == 4
    assert [m.to for m in mail.outbox] == [["budi@example.com"]]
    assert "Siti" in mail.outbox[0].body
    assert gateway.outbox == []
    assert Notification.objects.count() == 4


@pytest.mark.django_db
def test_the_digest_speaks_the_persons_language():
    english = UserFactory(email="ann@example.com", language="en")
    indonesian = UserFactory(email="ina@example.com", language="id")
    for person in (english, indonesian):
        write(
            due(person, Kind.TASK_REVIEW_WAITING, subject="submission:1"),
            due(person, Kind.TASK_REVIEW_WAITING, subject="submission:2"),
        )

    deliver()
    subjects = {m.to[0]: m.subject for m in mail.outbox}
    assert subjects == {
        "ann@example.com": "ukmlearn: 2 reminder(s)",
        "ina@example.com": "ukmlearn: 2 pengingat",
    }
    bodies = {m.to[0]: m.body for m in mail.outbox}
    assert "Siti's practice task is waiting for your review." in bodies["ann@example.com"]
    assert "Tugas praktik Siti menunggu Anda periksa." in bodies["ina@example.com"]


@pytest.mark.django_db
def test_a_reminder_written_at_22_wita_goes_out_at_7_wita_and_not_before():
    person = UserFactory(timezone="Asia/Makassar")
    write(due(person), now=datetime(2026, 12, 2, 22, 0, tzinfo=WITA))

    assert deliver(datetime(2026, 12, 2, 23, 0, tzinfo=WITA)) == 0
    assert deliver(datetime(2026, 12, 3, 6, 59, tzinfo=WITA)) == 0
    assert gateway.outbox == []
    assert deliver(datetime(2026, 12, 3, 7, 0, tzinfo=WITA)) == 1
    assert len(messages_to(person)) == 1


# --- The notification centre -------------------------------------------------------------------


@pytest.mark.django_db
def test_in_app_notifications_raise_the_header_counter_and_mark_all_read_resets_it(
    learner, other_learner
):
    write(
        due(learner.user, Kind.INACTIVE, link="/courses/jualan-online/continue/"),
        due(learner.user, Kind.ACTION_ITEM_DUE, subject="action:1"),
        due(other_learner.user, Kind.INACTIVE),
    )
    deliver()

    home = learner.client.get(reverse("home")).content.decode()
    assert '<span class="badge">2<' in home
    page = learner.client.get(reverse("notifications:list")).content.decode()
    assert "Jualan Online" in page and "Foto 10 produk" in page
    assert 'href="/courses/jualan-online/continue/"' in page

    assert learner.client.get(reverse("notifications:mark_all_read")).status_code == 405
    response = learner.client.post(reverse("notifications:mark_all_read"))
    assert response.status_code == 302
    assert response.url == reverse("notifications:list")
    learner.user.refresh_from_db()
    assert learner.user.unread_notifications == 0
    assert not Notification.objects.filter(user=learner.user, read_at__isnull=True).exists()
    assert 'class="badge"' not in learner.client.get(reverse("home")).content.decode()
    other_learner.user.refresh_from_db()
    assert other_learner.user.unread_notifications == 1  # only one's own are marked


@pytest.mark.django_db
def test_the_notification_list_runs_the_same_queries_for_3_and_6_notifications(learner):
    def add_three():
        for number in range(3):
            Notification.objects.create(user=learner.user, text=f"Pengingat {number}", link="/")

    add_three()
    assert_constant_queries(learner.client, reverse("notifications:list"), grow=add_three)


# --- Failures -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_failing_gateway_pushes_the_next_attempt_back_further_each_time(settings):
    settings.MESSAGE_GATEWAY_BACKEND = "tests.notifications.test_delivery.BrokenBackend"
    person = UserFactory()
    write(due(person))
    reminder = Reminder.objects.get()
    waits = []
    for attempt in range(1, services.MAX_ATTEMPTS):
        now = reminder.due_at
        assert deliver(now - timedelta(seconds=1)) == 0  # not due yet: not tried
        assert Reminder.objects.get().attempts == attempt - 1
        deliver(now)
        reminder.refresh_from_db()
        wait = (reminder.due_at - now).total_seconds()
        assert reminder.attempts == attempt
        assert reminder.status == Reminder.Status.PENDING
        assert 60 * 2**attempt * 0.7 <= wait <= 60 * 2**attempt * 1.3
        waits.append(wait)
    assert waits == sorted(waits)
    deliver(reminder.due_at)
    reminder.refresh_from_db()
    assert (reminder.status, reminder.attempts) == (Reminder.Status.FAILED, services.MAX_ATTEMPTS)
    assert deliver(reminder.due_at + timedelta(days=1)) == 0  # failed: never tried again
    assert reminder.last_error == "GatewayError: HTTP 503"


def fail_for_good(settings, *dues):
    settings.MESSAGE_GATEWAY_BACKEND = "tests.notifications.test_delivery.BrokenBackend"
    write(*dues)
    for _ in range(services.MAX_ATTEMPTS):
        Reminder.objects.update(due_at=NOON)
        deliver()


@pytest.mark.django_db
def test_failed_reminders_are_listed_for_the_cohort_owner_and_404_for_other_staff(
    staff, other_staff, learner, settings
):
    person = UserFactory(name="Wulan Sari")
    cohort = cohort_of(staff.user, person)
    fail_for_good(settings, due(person, Kind.SESSION_TOMORROW, subject="session:1", cohort=cohort))
    assert Reminder.objects.get().status == Reminder.Status.FAILED

    url = reverse("notifications:cohort_rules", args=[cohort.pk])
    page = staff.client.get(url)
    assert page.status_code == 200
    body = page.content.decode()
    assert "Wulan Sari" in body and "GatewayError: HTTP 503" in body
    assert other_staff.client.get(url).status_code == 404
    assert learner.client.get(url).status_code == 404


@pytest.mark.django_db
def test_the_failed_list_runs_the_same_queries_for_1_and_4_failures(staff, settings):
    person = UserFactory()
    cohort = cohort_of(staff.user, person)
    fail_for_good(settings, due(person, Kind.SESSION_TOMORROW, subject="session:1", cohort=cohort))

    def three_more():
        for number in range(3):
            Reminder.objects.create(
                user=UserFactory(),
                kind=Kind.INACTIVE,
                subject=f"course:{number}",
                period="1",
                cohort=cohort,
                text="x",
                link="/",
                status=Reminder.Status.FAILED,
                due_at=NOON,
                last_error="GatewayError: HTTP 503",
            )

    url = reverse("notifications:cohort_rules", args=[cohort.pk])
    assert_constant_queries(staff.client, url, grow=three_more)


@pytest.mark.django_db
def test_when_the_email_fails_the_whatsapp_message_that_went_out_is_not_sent_again(settings):
    settings.EMAIL_BACKEND = "tests.notifications.test_delivery.BrokenMailBackend"
    person = UserFactory(email="siti@example.com")
    write(due(person, Kind.CERTIFICATE_READY, subject="certificate:1"))  # WhatsApp + e-mail

    deliver()
    assert len(messages_to(person)) == 1
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    deliver(Reminder.objects.get().due_at)  # the retry, once the mail server is back

    assert len(mail.outbox) == 1
    assert len(messages_to(person)) == 1


@pytest.mark.django_db
def test_an_unexpected_error_for_one_person_does_not_resend_everyone_elses(settings):
    settings.MESSAGE_GATEWAY_BACKEND = "tests.notifications.test_delivery.PoisonBackend"
    fine, poison = UserFactory(), UserFactory()
    PoisonBackend.poison = poison.phone
    write(due(fine), now=NOON - timedelta(minutes=5))  # earlier: delivered first
    write(due(poison))

    for minute in range(3):  # three beats of the delivery task
        with contextlib.suppress(ValueError):
            deliver(NOON + timedelta(minutes=minute))

    assert len(messages_to(fine)) == 1


# --- People who must not be reached ------------------------------------------------------------


@pytest.mark.django_db
def test_deactivated_people_leavers_and_withdrawn_consent_get_nothing_even_in_the_app(staff):
    reachable, deactivated, leaver, withdrawn = (UserFactory() for _ in range(4))
    cohort = cohort_of(staff.user, reachable, deactivated, leaver, withdrawn)
    everyone = (reachable, deactivated, leaver, withdrawn)
    write(*(due(p, Kind.SESSION_TOMORROW, subject="session:1", cohort=cohort) for p in everyone))
    deactivated.is_active = False
    deactivated.save()
    cohort_member_leave(cohort=cohort, user_id=leaver.pk)
    Consent.objects.create(
        user=withdrawn, document="privacy", version="2026-11", channel="signup", withdrawn_at=NOON
    )

    assert deliver() == 1
    assert [m.to for m in gateway.outbox] == [reachable.phone]
    status = dict(Reminder.objects.values_list("user_id", "status"))
    assert status == {
        reachable.pk: Reminder.Status.SENT,
        deactivated.pk: Reminder.Status.SKIPPED,
        leaver.pk: Reminder.Status.SKIPPED,
        withdrawn.pk: Reminder.Status.SKIPPED,
    }
    assert list(Notification.objects.values_list("user_id", flat=True)) == [reachable.pk]
    assert deliver(NOON + timedelta(days=1)) == 0  # skipped stays skipped


# --- Two deliveries at once (PostgreSQL) -----------------------------------------------------


@pytest.mark.skipif(not ON_POSTGRES, reason="SKIP LOCKED needs PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_deliveries_at_once_send_each_reminder_once():
    """Run A claims the two oldest reminders and keeps its transaction open; run B, started
    meanwhile, must skip A's rows (not wait for them) and send the rest."""
    people = [UserFactory() for _ in range(3)]
    base = timezone.now() - timedelta(hours=1)
    for index, person in enumerate(people):
        write(due(person, Kind.INACTIVE), due(person, Kind.ACTION_ITEM_DUE, subject="action:1"))
        # Set after writing: quiet hours may have moved due_at to tomorrow morning.
        Reminder.objects.filter(user=person).update(due_at=base + timedelta(minutes=index))
    a_claimed, release = threading.Event(), threading.Event()
    sent, errors = {}, []

    def run_a():
        try:
            with transaction.atomic():
                sent["a"] = services.reminders_deliver(limit=2)
                a_claimed.set()
                assert release.wait(30), "the test never released run A"
        except Exception as exc:  # re-raised in the test thread
            errors.append(exc)
            a_claimed.set()
        finally:
            connections.close_all()

    def run_b():
        try:
            sent["b"] = services.reminders_deliver()
        except Exception as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    a = threading.Thread(target=run_a)
    a.start()
    assert a_claimed.wait(30)
    b = threading.Thread(target=run_b)
    b.start()
    b.join(20)
    b_finished_while_a_held_its_rows = not b.is_alive()
    release.set()
    a.join(30)
    b.join(30)
    if errors:
        raise errors[0]

    assert b_finished_while_a_held_its_rows
    assert sent == {"a": 2, "b": 4}
    assert sorted(m.to for m in gateway.outbox) == sorted(p.phone for p in people)
    texts = "\n".join(m.text for m in gateway.outbox)
    assert texts.count("Foto 10 produk") == 3
    assert Reminder.objects.filter(status=Reminder.Status.SENT).count() == 6
    assert Notification.objects.count() == 6
