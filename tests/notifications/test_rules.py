"""Reminder rules: who needs a reminder, when, in which words; and that the outbox keeps one
row per (kind, person, subject, period) however often the sweep runs."""

import threading
import time as time_module
import uuid
import zoneinfo
from datetime import UTC, date, datetime, time, timedelta

import pytest
import time_machine
from django.db import connection, connections, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cohorts.models import Cohort, LiveSession, Membership
from cohorts.services.members import cohort_member_leave, cohort_members_add
from courses.models import Certificate, Enrollment, Lesson, TaskSubmission
from courses.services import certificates, progress
from mentoring.models import ActionItem, MentoringSession, Pairing
from tests.courses.builders import CourseFactory, LessonFactory, ModuleFactory
from tests.factories import UserFactory
from ukmlearn.notifications import services
from ukmlearn.notifications.models import Kind, NotificationPreference, Reminder, ReminderRule

WIB = zoneinfo.ZoneInfo("Asia/Jakarta")
WITA = zoneinfo.ZoneInfo("Asia/Makassar")
WIT = zoneinfo.ZoneInfo("Asia/Jayapura")
ON_POSTGRES = connection.vendor == "postgresql"


def wib(day, hour, minute=0):
    return datetime(2026, 12, day, hour, minute, tzinfo=WIB)


def running_cohort(owner, *, name="Angkatan Pengingat", surveys=False):
    """surveys=False turns the cohort's "survey not filled" rule off, so that a test of
    another rule counts only its own reminders (the survey rule has its tests in
    tests/outcomes/test_reminders.py)."""
    course = CourseFactory(title=f"Kelas {name}")
    LessonFactory(module=ModuleFactory(course=course))
    cohort = Cohort.objects.create(
        name=name,
        programme="Program",
        start_date=date(2026, 11, 1),
        end_date=date(2027, 1, 31),
        province="jabar",
        owner=owner,
        status=Cohort.Status.RUNNING,
    )
    cohort.courses.add(course)
    if not surveys:
        ReminderRule.objects.create(cohort=cohort, kind=Kind.SURVEY_MISSING, enabled=False)
    return cohort


def join(cohort, *users, role=Membership.Role.LEARNER):
    cohort_members_add(cohort=cohort, user_ids=[u.pk for u in users], role=role)


def rule(cohort, kind, **fields):
    return ReminderRule.objects.create(cohort=cohort, kind=kind, **fields)


def session(cohort, starts_at, title="Sesi foto produk"):
    return LiveSession.objects.create(
        cohort=cohort,
        title=title,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=1),
        venue="Balai Desa",
    )


def sweep_at(moment) -> int:
    with time_machine.travel(moment, tick=False):
        return services.reminders_sweep()


def reminded(kind, **filters) -> set[int]:
    return set(Reminder.objects.filter(kind=kind, **filters).values_list("user_id", flat=True))


def pairing(cohort, mentor, learner):
    return Pairing.objects.create(
        cohort=cohort, mentor=mentor, learner=learner, status=Pairing.Status.ACTIVE
    )


# --- Inactive learners --------------------------------------------------------------------


@pytest.mark.django_db
def test_an_idle_learner_is_reminded_after_the_cohorts_threshold_and_not_an_hour_before(staff):
    with time_machine.travel(wib(1, 9), tick=False):
        quick = running_cohort(staff.user, name="Cepat")
        slow = running_cohort(staff.user, name="Lambat")  # no rule: the default, 5 days
        rule(quick, Kind.INACTIVE, threshold_days=3)
        siti, dewi = UserFactory(), UserFactory()
        join(quick, siti)
        join(slow, dewi)

    assert sweep_at(wib(4, 8)) == 0  # 71 hours
    assert sweep_at(wib(4, 10)) == 1  # 73 hours: the 3-day cohort only
    reminder = Reminder.objects.get()
    course = quick.courses.get()
    assert (reminder.user, reminder.cohort) == (siti, quick)
    assert reminder.subject == f"course:{course.pk}"
    assert reminder.link == reverse("courses:continue", args=[course.slug])
    assert course.title in reminder.text
    sweep_at(wib(6, 8))  # dewi: 4 days 23 hours
    assert dewi.pk not in reminded(Kind.INACTIVE)
    sweep_at(wib(6, 10))
    assert dewi.pk in reminded(Kind.INACTIVE, cohort=slow)


@pytest.mark.django_db
def test_activity_in_a_lesson_restarts_the_idle_clock(staff):
    with time_machine.travel(wib(1, 9), tick=False):
        cohort = running_cohort(staff.user)
        rule(cohort, Kind.INACTIVE, threshold_days=3)
        person = UserFactory()
        join(cohort, person)
    enrollment = person.enrollments.get()
    with time_machine.travel(wib(3, 9), tick=False):
        lesson = Lesson.objects.get(module__course=enrollment.course)
        progress.lesson_start(enrollment=enrollment, lesson=lesson)

    assert sweep_at(wib(5, 9)) == 0  # 2 days after the lesson, 4 after joining
    assert sweep_at(wib(6, 10)) == 1


@pytest.mark.django_db
def test_a_disabled_rule_sends_nothing(staff):
    with time_machine.travel(wib(1, 9), tick=False):
        cohort = running_cohort(staff.user)
        person = UserFactory()
        join(cohort, person)
        session(cohort, wib(11, 14))
    rule(cohort, Kind.INACTIVE, enabled=False, threshold_days=3)
    rule(cohort, Kind.SESSION_TOMORROW, enabled=False)

    assert sweep_at(wib(10, 14)) == 0
    rule(cohort, Kind.SESSION_SOON)  # on: the only kind that still speaks
    assert sweep_at(wib(11, 13, 30)) == 1
    assert reminded(Kind.SESSION_SOON) == {person.pk}


@pytest.mark.django_db
def test_a_completed_course_is_not_nagged(staff):
    with time_machine.travel(wib(1, 9), tick=False):
        cohort = running_cohort(staff.user)
        done, idle = UserFactory(), UserFactory()
        join(cohort, done, idle)
        enrollment = done.enrollments.get()
        lesson = Lesson.objects.get(module__course=enrollment.course)
        progress.lesson_complete(enrollment=enrollment, lesson=lesson)
    enrollment.refresh_from_db()
    assert enrollment.completed_at is not None

    sweep_at(wib(20, 9))
    assert reminded(Kind.INACTIVE) == {idle.pk}


@pytest.mark.django_db
def test_the_staff_page_sets_the_threshold_the_sweep_uses(staff):
    with time_machine.travel(wib(1, 9), tick=False):
        cohort = running_cohort(staff.user)
        person = UserFactory()
        join(cohort, person)
    data = {}
    for kind in Kind.values:
        if kind != Kind.SURVEY_MISSING:  # off: this test is about the inactivity rule
            data[f"{kind}-enabled"] = "on"
        data[f"{kind}-threshold_days"] = "2" if kind == Kind.INACTIVE else "0"
        data[f"{kind}-channels"] = ["in_app"]
    response = staff.client.post(reverse("notifications:cohort_rules", args=[cohort.pk]), data)
    assert response.status_code == 302
    assert ReminderRule.objects.get(cohort=cohort, kind=Kind.INACTIVE).threshold_days == 2

    assert sweep_at(wib(3, 10)) == 1
    assert Reminder.objects.get().channels == ["in_app"]


# --- Live sessions --------------------------------------------------------------------------


@pytest.mark.django_db
def test_learners_and_mentors_hear_of_a_session_the_day_before_and_an_hour_before(staff):
    with time_machine.travel(wib(1, 9), tick=False):
        cohort = running_cohort(staff.user)
        other = running_cohort(staff.user, name="Lain")
        learner, mentor, leaver, outsider = (UserFactory() for _ in range(4))
        join(cohort, learner, leaver)
        join(cohort, mentor, role=Membership.Role.MENTOR)
        join(other, outsider)
        cohort_member_leave(cohort=cohort, user_id=leaver.pk)
        meeting = session(cohort, wib(11, 14))
        for each in (cohort, other):
            rule(each, Kind.INACTIVE, enabled=False)

    assert sweep_at(wib(10, 12, 30)) == 0  # 25.5 hours before
    sweep_at(wib(10, 14))
    assert reminded(Kind.SESSION_TOMORROW) == {learner.pk, mentor.pk}
    assert not reminded(Kind.SESSION_SOON)
    sweep_at(wib(10, 14, 45))  # the next beats, still in the day-before window
    assert Reminder.objects.filter(kind=Kind.SESSION_TOMORROW).count() == 2

    assert sweep_at(wib(11, 12, 30)) == 0  # 90 minutes before
    sweep_at(wib(11, 13, 15))
    assert reminded(Kind.SESSION_SOON) == {learner.pk, mentor.pk}
    soon = Reminder.objects.filter(kind=Kind.SESSION_SOON).first()
    assert soon.subject == f"session:{meeting.pk}"
    assert soon.link == reverse("cohorts:session_checkin", args=[meeting.pk])
    assert soon.due_at <= meeting.starts_at


@pytest.mark.django_db
def test_a_starting_soon_reminder_is_never_due_after_the_session_started(staff):
    with time_machine.travel(wib(1, 9), tick=False):
        cohort = running_cohort(staff.user)
        person = UserFactory()
        join(cohort, person)
        early = session(cohort, wib(11, 6, 30), title="Sesi pagi")

    sweep_at(wib(11, 5, 45))
    for reminder in Reminder.objects.filter(kind=Kind.SESSION_SOON):
        assert reminder.due_at <= early.starts_at, timezone.localtime(reminder.due_at, WIB)


# --- Mentoring --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_mentor_is_asked_for_the_log_two_days_after_the_planned_date(staff, mentor, learner):
    with time_machine.travel(wib(1, 10), tick=False):
        cohort = running_cohort(staff.user)
        pair = pairing(cohort, mentor.user, learner.user)
        MentoringSession.objects.create(pairing=pair, next_planned_at=date(2026, 12, 5))

    assert sweep_at(wib(6, 10)) == 0  # one day after the planned date
    sweep_at(wib(7, 10))
    reminder = Reminder.objects.get(kind=Kind.MENTORING_LOG_OVERDUE)
    assert reminder.user == mentor.user
    assert (reminder.subject, reminder.period) == (f"pairing:{pair.pk}", "2026-12-05")
    assert learner.user.name in reminder.text
    assert reminder.link == reverse("mentoring:session_log", args=[pair.pk])


@pytest.mark.django_db
def test_no_log_reminder_once_a_session_was_logged_on_the_planned_date(staff, mentor, learner):
    with time_machine.travel(wib(1, 10), tick=False):
        cohort = running_cohort(staff.user)
        pair = pairing(cohort, mentor.user, learner.user)
        MentoringSession.objects.create(pairing=pair, next_planned_at=date(2026, 12, 5))
    with time_machine.travel(wib(5, 16), tick=False):
        MentoringSession.objects.create(pairing=pair)

    sweep_at(wib(8, 10))
    assert not Reminder.objects.filter(kind=Kind.MENTORING_LOG_OVERDUE).exists()


@pytest.mark.django_db
def test_an_action_item_due_tomorrow_reminds_the_learner_unless_it_is_done(staff, mentor, learner):
    with time_machine.travel(wib(1, 10), tick=False):
        cohort = running_cohort(staff.user)
        logged = MentoringSession.objects.create(pairing=pairing(cohort, mentor.user, learner.user))
        open_item = ActionItem.objects.create(
            session=logged, text="Foto 10 produk untuk katalog", due_date=date(2026, 12, 4)
        )
        ActionItem.objects.create(
            session=logged,
            text="Daftar QRIS",
            due_date=date(2026, 12, 4),
            done_at=timezone.now(),
        )
        ActionItem.objects.create(session=logged, text="Buat akun", due_date=date(2026, 12, 5))

    sweep_at(wib(3, 9))
    reminder = Reminder.objects.get(kind=Kind.ACTION_ITEM_DUE)
    assert (reminder.user, reminder.subject) == (learner.user, f"action:{open_item.pk}")
    assert "Foto 10 produk untuk katalog" in reminder.text


def waiting_submission(cohort, learner_user, *, submitted_at):
    course = cohort.courses.get()
    task = LessonFactory(module=course.modules.get(), kind=Lesson.Kind.TASK, position=9)
    with time_machine.travel(submitted_at, tick=False):
        return TaskSubmission.objects.create(
            enrollment=learner_user.enrollments.get(course=course),
            lesson=task,
            idempotency_key=uuid.uuid4(),
            text="Katalog saya",
        )


@pytest.mark.django_db
def test_a_task_waiting_two_days_for_review_reminds_the_learners_mentor(
    staff, mentor, other_mentor, learner, other_learner
):
    with time_machine.travel(wib(1, 9), tick=False):
        cohort = running_cohort(staff.user)
        join(cohort, learner.user, other_learner.user)
        pairing(cohort, mentor.user, learner.user)
        pairing(cohort, other_mentor.user, other_learner.user)
    waiting = waiting_submission(cohort, learner.user, submitted_at=wib(1, 10))
    reviewed = waiting_submission(cohort, other_learner.user, submitted_at=wib(1, 10))
    TaskSubmission.objects.filter(pk=reviewed.pk).update(status=TaskSubmission.Status.APPROVED)
    rule(cohort, Kind.INACTIVE, enabled=False)

    assert sweep_at(wib(3, 9)) == 0  # 47 hours
    sweep_at(wib(3, 11))
    reminder = Reminder.objects.get(kind=Kind.TASK_REVIEW_WAITING)
    assert (reminder.user, reminder.subject) == (mentor.user, f"submission:{waiting.pk}")
    assert learner.user.name in reminder.text
    assert reminder.link == reverse("mentoring:review_submission", args=[waiting.pk])


@pytest.mark.django_db
def test_the_cohorts_own_review_threshold_is_respected(staff, mentor, learner):
    with time_machine.travel(wib(1, 9), tick=False):
        cohort = running_cohort(staff.user)
        join(cohort, learner.user)
        pairing(cohort, mentor.user, learner.user)
    waiting_submission(cohort, learner.user, submitted_at=wib(1, 10))
    rule(cohort, Kind.TASK_REVIEW_WAITING, threshold_days=4)

    sweep_at(wib(4, 11))  # three days: under the cohort's four
    assert not Reminder.objects.filter(kind=Kind.TASK_REVIEW_WAITING).exists()


# --- Certificates ------------------------------------------------------------------------------


def complete_course(user, course):
    enrollment = progress.enrollment_create(user=user, course=course)
    for lesson in Lesson.objects.filter(module__course=course):
        progress.lesson_complete(enrollment=enrollment, lesson=lesson)
    return enrollment


@pytest.mark.django_db
def test_a_ready_certificate_reminds_the_learner(learner, django_capture_on_commit_callbacks):
    course = CourseFactory(title="Jualan Online lewat WhatsApp Business")
    LessonFactory(module=ModuleFactory(course=course))
    with django_capture_on_commit_callbacks(execute=True):
        complete_course(learner.user, course)

    certificate = Certificate.objects.get()
    assert certificate.status == Certificate.Status.ISSUED
    reminder = Reminder.objects.get(kind=Kind.CERTIFICATE_READY)
    assert reminder.user == learner.user
    assert reminder.subject == f"certificate:{certificate.pk}"
    assert reminder.link == reverse("courses:certificate_download", args=[certificate.pk, "pdf"])
    assert "Jualan Online lewat WhatsApp Business" in reminder.text


@pytest.mark.django_db
def test_a_cohort_that_turned_certificate_reminders_off_sends_none(
    staff, learner, django_capture_on_commit_callbacks
):
    cohort = running_cohort(staff.user)
    join(cohort, learner.user)
    rule(cohort, Kind.CERTIFICATE_READY, enabled=False)
    with django_capture_on_commit_callbacks(execute=True):
        complete_course(learner.user, cohort.courses.get())

    assert Certificate.objects.get().status == Certificate.Status.ISSUED
    assert not Reminder.objects.filter(
        kind=Kind.CERTIFICATE_READY, status=Reminder.Status.PENDING
    ).exists()


class FlakyReadyHook:
    """CERTIFICATE_READY_HOOKS entry that fails once (a database blip, a deploy restart)."""

    failures = 0

    def __call__(self, *, certificate_id):
        if FlakyReadyHook.failures == 0:
            FlakyReadyHook.failures += 1
            raise RuntimeError("the worker died here")
        services.certificate_ready(certificate_id=certificate_id)


flaky_ready_hook = FlakyReadyHook()


@pytest.mark.django_db
def test_the_learner_still_hears_of_the_certificate_when_the_ready_hook_failed_once(
    learner, settings
):
    settings.CERTIFICATE_READY_HOOKS = ["tests.notifications.test_rules.flaky_ready_hook"]
    FlakyReadyHook.failures = 0
    course = CourseFactory()
    LessonFactory(module=ModuleFactory(course=course))
    enrollment = complete_course(learner.user, course)  # on_commit work is not run here
    certificate = certificates.certificate_request(enrollment_id=enrollment.pk)

    with pytest.raises(RuntimeError):
        certificates.certificate_generate(certificate_id=certificate.pk)
    # What production does next: the task is retried, the sweep runs.
    certificates.certificate_generate(certificate_id=certificate.pk)
    certificates.certificates_requeue_stale(older_than=timedelta(0))

    assert Reminder.objects.filter(user=learner.user, kind=Kind.CERTIFICATE_READY).exists()


# --- Quiet hours, zones, language -------------------------------------------------------------


def certificate_due(user) -> services.Due:
    return services.Due(
        user.pk, Kind.CERTIFICATE_READY, "certificate:1", "once", None, {"course": "Kelas"}, "/"
    )


@pytest.mark.django_db
@pytest.mark.parametrize("zone", [WIB, WITA, WIT], ids=["WIB", "WITA", "WIT"])
def test_a_reminder_written_at_22_local_time_is_due_at_7_the_next_morning(zone):
    person = UserFactory(timezone=str(zone))
    written = datetime(2026, 12, 2, 22, 0, tzinfo=zone)
    with time_machine.travel(written, tick=False):
        services.reminders_write([certificate_due(person)], now=timezone.now())

    due = Reminder.objects.get().due_at
    assert due == datetime(2026, 12, 3, 7, 0, tzinfo=zone)
    assert timezone.localtime(due, zone).time() == time(7, 0)


@pytest.mark.django_db
def test_22_wita_is_21_wib_so_both_zones_wait_for_their_own_morning():
    wita_person = UserFactory(timezone="Asia/Makassar")
    wib_person = UserFactory(timezone="Asia/Jakarta")
    with time_machine.travel(datetime(2026, 12, 2, 22, 0, tzinfo=WITA), tick=False):
        services.reminders_write(
            [certificate_due(wita_person), certificate_due(wib_person)], now=timezone.now()
        )

    due = {r.user_id: r.due_at for r in Reminder.objects.all()}
    assert due[wita_person.pk] == datetime(2026, 12, 3, 7, 0, tzinfo=WITA)
    assert due[wib_person.pk] == datetime(2026, 12, 3, 7, 0, tzinfo=WIB)  # an hour later


@pytest.mark.django_db
def test_outside_quiet_hours_a_reminder_is_due_at_once_and_before_7_it_waits_until_7():
    person = UserFactory(timezone="Asia/Makassar")
    early = services.quiet_adjusted(
        datetime(2026, 12, 2, 5, 30, tzinfo=WITA), person.timezone, None
    )
    assert early == datetime(2026, 12, 2, 7, 0, tzinfo=WITA)
    evening = datetime(2026, 12, 2, 20, 59, tzinfo=WITA)
    assert services.quiet_adjusted(evening, person.timezone, None) == evening


@pytest.mark.django_db
def test_a_persons_own_quiet_hours_are_respected():
    siesta = UserFactory(timezone="Asia/Jayapura")
    NotificationPreference.objects.create(
        user=siesta, quiet_start=time(13, 0), quiet_end=time(15, 30)
    )
    with time_machine.travel(datetime(2026, 12, 2, 14, 0, tzinfo=WIT), tick=False):
        services.reminders_write([certificate_due(siesta)], now=timezone.now())
    assert Reminder.objects.get().due_at == datetime(2026, 12, 2, 15, 30, tzinfo=WIT)

    Reminder.objects.all().delete()
    late = datetime(2026, 12, 2, 22, 0, tzinfo=WIT)  # not quiet for this person
    with time_machine.travel(late, tick=False):
        services.reminders_write([certificate_due(siesta)], now=timezone.now())
    assert Reminder.objects.get().due_at == late


@pytest.mark.django_db
def test_messages_are_written_in_the_persons_language_and_zone(staff):
    with time_machine.travel(wib(1, 9), tick=False):
        cohort = running_cohort(staff.user)
        english = UserFactory(language="en", timezone="Asia/Makassar")
        indonesian = UserFactory(language="id")
        join(cohort, english, indonesian)
        session(cohort, wib(11, 14), title="Sesi QRIS")
    rule(cohort, Kind.INACTIVE, enabled=False)

    sweep_at(wib(10, 14))
    text = dict(Reminder.objects.values_list("user_id", "text"))
    assert text[english.pk] == "Tomorrow: Sesi QRIS at 11-12 15:00."  # WITA
    assert text[indonesian.pk] == "Besok: Sesi QRIS pukul 11-12 14:00."


# --- Dedupe and periods ------------------------------------------------------------------------


@pytest.mark.django_db
def test_every_rule_writes_nothing_twice_when_the_sweep_runs_again(staff, mentor, learner):
    with time_machine.travel(wib(1, 9), tick=False):
        cohort = running_cohort(staff.user, surveys=True)
        join(cohort, learner.user)
        join(cohort, mentor.user, role=Membership.Role.MENTOR)
        pair = pairing(cohort, mentor.user, learner.user)
        logged = MentoringSession.objects.create(pairing=pair, next_planned_at=date(2026, 12, 5))
        ActionItem.objects.create(session=logged, text="Katalog", due_date=date(2026, 12, 11))
        session(cohort, wib(10, 14, 30))
        session(cohort, wib(11, 13))
    waiting_submission(cohort, learner.user, submitted_at=wib(1, 10))

    first = sweep_at(wib(10, 13, 45))
    kinds = set(Reminder.objects.values_list("kind", flat=True))
    assert kinds == {
        Kind.INACTIVE,
        Kind.SESSION_TOMORROW,
        Kind.SESSION_SOON,
        Kind.MENTORING_LOG_OVERDUE,
        Kind.ACTION_ITEM_DUE,
        Kind.TASK_REVIEW_WAITING,
        Kind.SURVEY_MISSING,  # the baseline, not sent
    }
    assert sweep_at(wib(10, 13, 45)) == 0
    assert sweep_at(wib(10, 14)) == 0  # the next beat, same periods
    assert Reminder.objects.count() == first


def bucket_start(moment, days):
    size = days * 86400
    return datetime.fromtimestamp((moment.timestamp() // size) * size, tz=UTC)


@pytest.mark.django_db
def test_a_learner_still_idle_a_period_later_gets_a_new_reminder(staff):
    start = bucket_start(wib(10, 12), 5) + timedelta(hours=1)  # early in a 5-day period
    with time_machine.travel(start - timedelta(days=6), tick=False):
        cohort = running_cohort(staff.user)
        person = UserFactory()
        join(cohort, person)

    assert sweep_at(start) == 1
    assert sweep_at(start + timedelta(days=1)) == 0  # same period
    assert sweep_at(start + timedelta(days=5)) == 1  # the next one
    periods = Reminder.objects.filter(user=person).values_list("period", flat=True)
    assert len(set(periods)) == 2


@pytest.mark.django_db
def test_a_learner_is_not_reminded_twice_within_minutes_across_a_period_boundary(staff):
    boundary = bucket_start(wib(10, 12), 5) + timedelta(days=5)
    with time_machine.travel(boundary - timedelta(days=6), tick=False):
        cohort = running_cohort(staff.user)
        person = UserFactory()
        join(cohort, person)

    sweep_at(boundary - timedelta(minutes=10))
    sweep_at(boundary + timedelta(minutes=5))  # the next beat
    assert Reminder.objects.filter(user=person, kind=Kind.INACTIVE).count() == 1


@pytest.mark.django_db
def test_the_sweep_runs_the_same_number_of_queries_for_3_and_12_learners(staff):
    with time_machine.travel(wib(1, 9), tick=False):
        cohort = running_cohort(staff.user, surveys=True)
        session(cohort, wib(11, 14))

    def queries_with(learner_count):
        Reminder.objects.all().delete()
        with time_machine.travel(wib(1, 9), tick=False):
            join(cohort, *(UserFactory() for _ in range(learner_count)))
        with (
            time_machine.travel(wib(10, 14), tick=False),
            CaptureQueriesContext(connection) as ctx,
        ):
            written = services.reminders_sweep()
        return written, len(ctx.captured_queries)

    written_3, queries_3 = queries_with(3)
    written_12, queries_12 = queries_with(9)  # 3 + 9 learners
    # inactive + session tomorrow + baseline survey not sent, each
    assert (written_3, written_12) == (9, 36)
    assert queries_3 == queries_12


# --- Two beats at once (PostgreSQL) -------------------------------------------------------------


def two_beats_at_once():
    """Beat A sweeps inside a transaction and keeps it open until beat B is seen waiting on
    A's rows in pg_stat_activity; then A commits and B finishes. Returns what each reported."""
    a_swept, release = threading.Event(), threading.Event()
    results, errors = {}, []

    def beat(name, hold):
        try:
            if hold:
                with transaction.atomic():
                    results[name] = services.reminders_sweep()
                    a_swept.set()
                    assert release.wait(30), "the test never released beat A"
            else:
                results[name] = services.reminders_sweep()
        except Exception as exc:  # re-raised in the test thread
            errors.append(exc)
            a_swept.set()
        finally:
            connections.close_all()

    a = threading.Thread(target=beat, args=("a", True))
    b = threading.Thread(target=beat, args=("b", False))
    a.start()
    assert a_swept.wait(30)
    b.start()
    deadline = time_module.monotonic() + 20
    waiting = False
    while not waiting and not errors and time_module.monotonic() < deadline:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND wait_event_type = 'Lock'"
            )
            waiting = cursor.fetchone()[0] > 0
        if not waiting:
            time_module.sleep(0.05)
    release.set()
    a.join(30)
    b.join(30)
    if errors:
        raise errors[0]
    assert waiting, "beat B never waited for beat A's rows"
    return results["a"], results["b"]


def idle_cohort_with_session(owner, learners=4):
    """Real time (threads and frozen clocks do not mix): joined ten days ago, a session
    tomorrow."""
    cohort = running_cohort(owner)
    join(cohort, *(UserFactory() for _ in range(learners)))
    Enrollment.objects.filter(course__in=cohort.courses.all()).update(
        enrolled_at=timezone.now() - timedelta(days=10)
    )
    session(cohort, timezone.now() + timedelta(hours=24))
    return cohort


@pytest.mark.skipif(not ON_POSTGRES, reason="row locks and ON CONFLICT need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_beats_at_once_write_one_row_per_kind_person_subject_and_period(staff):
    idle_cohort_with_session(staff.user)
    two_beats_at_once()

    assert Reminder.objects.count() == 8  # 4 learners x (inactive, session tomorrow)
    keys = Reminder.objects.values_list("kind", "user_id", "subject", "period")
    assert len(set(keys)) == 8


@pytest.mark.skipif(not ON_POSTGRES, reason="row locks and ON CONFLICT need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_beats_at_once_together_report_the_rows_they_wrote(staff):
    idle_cohort_with_session(staff.user)
    reported_a, reported_b = two_beats_at_once()

    assert reported_a + reported_b == Reminder.objects.count() == 8
