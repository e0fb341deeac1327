"""Reminders: rules, dedupe, quiet hours in the person's zone, digests, delivery rules."""

import zoneinfo
from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.utils import timezone

from cohorts.models import Cohort, LiveSession, Membership
from cohorts.services.members import cohort_member_leave, cohort_members_add
from tests.courses.builders import CourseFactory, LessonFactory, ModuleFactory
from tests.factories import UserFactory
from ukmlearn import gateway
from ukmlearn.notifications import services
from ukmlearn.notifications.models import Kind, Notification, Reminder, ReminderRule
from ukmlearn.users.models import Consent

WIB = zoneinfo.ZoneInfo("Asia/Jakarta")


def running_cohort(owner):
    course = CourseFactory()
    LessonFactory(module=ModuleFactory(course=course))
    cohort = Cohort.objects.create(
        name="Angkatan Pengingat",
        programme="P",
        start_date=date(2026, 11, 1),
        end_date=date(2027, 1, 31),
        province="jabar",
        owner=owner,
        status=Cohort.Status.RUNNING,
    )
    cohort.courses.add(course)
    # The "survey not filled" rule is tested in tests/outcomes; off here, so these tests
    # count only the reminders they are about.
    ReminderRule.objects.create(cohort=cohort, kind=Kind.SURVEY_MISSING, enabled=False)
    return cohort


def at(hour, minute=0, day=2):
    return datetime(2026, 12, day, hour, minute, tzinfo=WIB)


@pytest.mark.django_db
def test_an_idle_learner_gets_one_reminder_per_period_even_if_the_sweep_runs_twice(staff):
    with time_machine.travel(at(9, day=1)):
        cohort = running_cohort(staff.user)
        person = UserFactory()
        cohort_members_add(cohort=cohort, user_ids=[person.pk], role=Membership.Role.LEARNER)
    with time_machine.travel(at(10, day=8)):
        assert services.reminders_sweep() == 1
        assert services.reminders_sweep() == 0  # a second beat, a duplicated task
    assert Reminder.objects.filter(user=person, kind=Kind.INACTIVE).count() == 1


@pytest.mark.django_db
def test_a_reminder_due_in_quiet_hours_waits_for_the_morning_in_the_persons_zone(staff):
    person = UserFactory(timezone="Asia/Jayapura")  # WIT, UTC+9
    late = datetime(2026, 12, 2, 22, 30, tzinfo=zoneinfo.ZoneInfo("Asia/Jayapura"))
    due = services.quiet_adjusted(late, person.timezone, None)
    assert due == datetime(2026, 12, 3, 7, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Jayapura"))
    noon = datetime(2026, 12, 2, 12, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Jayapura"))
    assert services.quiet_adjusted(noon, person.timezone, None) == noon


@pytest.mark.django_db
def test_several_reminders_become_one_digest_message(staff):
    cohort = running_cohort(staff.user)
    person = UserFactory()
    cohort_members_add(cohort=cohort, user_ids=[person.pk], role=Membership.Role.LEARNER)
    start = timezone.now() + timedelta(hours=24)
    for title in ["Sesi foto produk", "Sesi QRIS"]:
        LiveSession.objects.create(
            cohort=cohort,
            title=title,
            starts_at=start,
            ends_at=start + timedelta(hours=1),
            venue="Balai",
        )
    with time_machine.travel(at(12)):
        pass
    services.reminders_write(
        services.find_sessions(timezone.now(), {}), now=timezone.now().replace(hour=5)
    )
    Reminder.objects.update(due_at=timezone.now() - timedelta(minutes=1))
    assert services.reminders_deliver() == 2
    assert len(gateway.outbox) == 1
    assert "Sesi foto produk" in gateway.outbox[0].text and "Sesi QRIS" in gateway.outbox[0].text
    assert Notification.objects.filter(user=person).count() == 2
    person.refresh_from_db()
    assert person.unread_notifications == 2


@pytest.mark.django_db
def test_people_who_left_or_withdrew_consent_get_nothing(staff):
    cohort = running_cohort(staff.user)
    leaver, withdrawn = UserFactory(), UserFactory()
    cohort_members_add(
        cohort=cohort, user_ids=[leaver.pk, withdrawn.pk], role=Membership.Role.LEARNER
    )
    start = timezone.now() + timedelta(minutes=30)
    LiveSession.objects.create(
        cohort=cohort,
        title="Sesi",
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        venue="Balai",
    )
    services.reminders_write(services.find_sessions(timezone.now(), {}), now=timezone.now())
    cohort_member_leave(cohort=cohort, user_id=leaver.pk)
    Consent.objects.create(
        user=withdrawn,
        document="privacy",
        version="x",
        channel="signup",
        withdrawn_at=timezone.now(),
    )
    Reminder.objects.update(due_at=timezone.now() - timedelta(minutes=1))
    services.reminders_deliver()
    assert gateway.outbox == []
    assert set(Reminder.objects.values_list("status", flat=True)) == {Reminder.Status.SKIPPED}


@pytest.mark.django_db
def test_a_failing_gateway_is_retried_then_marked_failed(staff, settings):
    settings.MESSAGE_GATEWAY_BACKEND = "tests.notifications.test_reminders.BrokenBackend"
    person = UserFactory()
    services.reminders_write(
        [
            services.Due(
                person.pk,
                Kind.CERTIFICATE_READY,
                "certificate:1",
                "once",
                None,
                {"course": "Kelas"},
                "/",
            )
        ],
        now=timezone.now().astimezone(WIB).replace(hour=12),
    )
    reminder = Reminder.objects.get()
    for attempt in range(1, services.MAX_ATTEMPTS + 1):
        Reminder.objects.filter(pk=reminder.pk).update(due_at=timezone.now() - timedelta(seconds=1))
        services.reminders_deliver()
        reminder.refresh_from_db()
        assert reminder.attempts == attempt
    assert reminder.status == Reminder.Status.FAILED
    assert "GatewayError" in reminder.last_error
    assert not Notification.objects.exists()


class BrokenBackend:
    def send(self, message):
        raise gateway.GatewayError("HTTP 503")
