"""The "survey not filled" reminder rule: the baseline after a grace period, the endline when
it opens, the follow-up in its window; never for a sent survey or a learner who left; at
most once a week."""

import zoneinfo
from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from cohorts.models import Cohort
from cohorts.services.members import cohort_member_leave
from courses.services import progress
from outcomes.models import Wave
from outcomes.services.responses import response_skip
from tests.outcomes.builders import (
    START,
    default_survey,
    join,
    make_cohort,
    person,
    send,
)
from ukmlearn.notifications import services
from ukmlearn.notifications.models import Kind, Reminder, ReminderRule

pytestmark = pytest.mark.django_db

WIB = zoneinfo.ZoneInfo("Asia/Jakarta")
START_DAY = date(2027, 3, 1)
END_DAY = date(2027, 4, 30)  # a Friday


def wib(day: date, hour=10, minute=0):
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=WIB)


def sweep(day: date, hour=10, minute=0) -> int:
    with time_machine.travel(wib(day, hour, minute), tick=False):
        return services.reminders_sweep()


def survey_reminders(**filters) -> set:
    return set(
        Reminder.objects.filter(kind=Kind.SURVEY_MISSING, **filters).values_list(
            "user_id", "subject"
        )
    )


def subject(cohort, wave):
    return f"survey:{cohort.pk}:{wave}"


@pytest.fixture
def cohort(staff):
    """Running 1 March - 30 April 2027; four learners joined on 2 March at 09:00 WIB."""
    with time_machine.travel(wib(date(2027, 3, 2), 9), tick=False):
        cohort = make_cohort(staff.user, start=START_DAY, end=END_DAY)
        cohort.siti, cohort.dewi, cohort.budi, cohort.leaver = (person() for _ in range(4))
        join(cohort, cohort.siti, cohort.dewi, cohort.budi, cohort.leaver)
    # Only the survey rule speaks in these tests.
    for kind in (Kind.INACTIVE, Kind.SESSION_TOMORROW, Kind.SESSION_SOON):
        ReminderRule.objects.create(cohort=cohort, kind=kind, enabled=False)
    return cohort


def test_the_baseline_reminder_comes_after_the_grace_period_to_those_who_did_not_send_it(
    cohort,
):
    send(cohort.budi, cohort, Wave.BASELINE, START)  # sent: never reminded
    response_skip(user=cohort.dewi, cohort=cohort, survey=default_survey())  # put off
    cohort_member_leave(cohort=cohort, user_id=cohort.leaver.pk)

    sweep(date(2027, 3, 4), 8)  # 47 hours after joining: the default grace is 2 days
    assert survey_reminders() == set()
    sweep(date(2027, 3, 4), 10)
    baseline = subject(cohort, Wave.BASELINE)
    assert survey_reminders() == {(cohort.siti.pk, baseline), (cohort.dewi.pk, baseline)}
    reminder = Reminder.objects.get(user=cohort.siti)
    assert reminder.link == reverse("outcomes:survey_fill", args=[cohort.pk, "baseline"])
    assert reminder.cohort == cohort
    assert reminder.period == "20270302+0"  # joined 2 March, week 0 since
    with translation.override(cohort.siti.language or "id"):
        expected = gettext(
            "{survey}: a few short questions about your business. About 3 minutes."
        ).format(survey=gettext("Baseline survey"))
    assert reminder.text == expected


def test_at_most_one_reminder_a_week_per_survey(cohort):
    assert sweep(date(2027, 3, 4)) == 4
    assert sweep(date(2027, 3, 4), 10, 15) == 0  # the next beat
    assert sweep(date(2027, 3, 8), 20) == 0  # 6 days after joining: the same week
    assert sweep(date(2027, 3, 9), 10) == 4  # 7 days after joining: a new week
    assert Reminder.objects.filter(user=cohort.siti).count() == 2


def test_a_learner_is_not_reminded_twice_within_minutes_across_the_week_boundary(cohort):
    sweep(date(2027, 3, 7), 23, 50)
    sweep(date(2027, 3, 8), 0, 5)
    assert Reminder.objects.filter(user=cohort.siti).count() == 1


def test_the_grace_period_is_the_cohorts_rule_and_a_disabled_rule_sends_nothing(cohort, staff):
    ReminderRule.objects.create(cohort=cohort, kind=Kind.SURVEY_MISSING, threshold_days=5)
    assert sweep(date(2027, 3, 6)) == 0  # 4 days after joining
    assert sweep(date(2027, 3, 7)) == 4
    quiet = make_cohort(staff.user, name="Angkatan Senyap", start=START_DAY, end=END_DAY)
    join(quiet, person())
    ReminderRule.objects.create(cohort=quiet, kind=Kind.SURVEY_MISSING, enabled=False)
    sweep(date(2027, 3, 20))
    assert not Reminder.objects.filter(cohort=quiet, kind=Kind.SURVEY_MISSING).exists()


def test_a_draft_cohort_reminds_nobody(staff):
    with time_machine.travel(wib(date(2027, 3, 2), 9), tick=False):
        draft = make_cohort(staff.user, start=START_DAY, end=END_DAY, status=Cohort.Status.DRAFT)
        join(draft, person())
    sweep(date(2027, 3, 10))
    assert survey_reminders() == set()


def test_the_endline_reminder_comes_when_the_lessons_are_done_or_the_cohort_has_ended(cohort):
    for user in (cohort.siti, cohort.dewi, cohort.budi):
        send(user, cohort, Wave.BASELINE, START)
    cohort_member_leave(cohort=cohort, user_id=cohort.leaver.pk)
    course = cohort.courses.get()
    enrollment = cohort.siti.enrollments.get(course=course)
    for lesson in progress.course_lessons(course.pk):
        progress.lesson_complete(enrollment=enrollment, lesson=lesson)
    send(cohort.budi, cohort, Wave.ENDLINE, START)  # sent early (window not checked here)

    endline = subject(cohort, Wave.ENDLINE)
    sweep(date(2027, 4, 20))
    assert survey_reminders() == {(cohort.siti.pk, endline)}
    sweep(date(2027, 5, 3))  # ended: open for everyone, until 30 May
    assert survey_reminders() == {(cohort.siti.pk, endline), (cohort.dewi.pk, endline)}
    Reminder.objects.all().delete()
    sweep(date(2027, 5, 31))  # closed
    assert survey_reminders() == set()


def test_the_follow_up_reminder_comes_in_its_window_only(cohort):
    cohort.status = Cohort.Status.FINISHED
    cohort.save(update_fields=["status"])
    cohort_member_leave(cohort=cohort, user_id=cohort.leaver.pk)
    send(cohort.budi, cohort, Wave.FOLLOWUP, START)
    followup = subject(cohort, Wave.FOLLOWUP)

    sweep(END_DAY + timedelta(days=89))
    assert survey_reminders() == set()
    sweep(END_DAY + timedelta(days=90))
    assert survey_reminders() == {(cohort.siti.pk, followup), (cohort.dewi.pk, followup)}
    Reminder.objects.all().delete()
    sweep(END_DAY + timedelta(days=150))
    assert len(survey_reminders()) == 2
    Reminder.objects.all().delete()
    sweep(END_DAY + timedelta(days=151))
    assert survey_reminders() == set()


def test_the_sweep_needs_the_same_queries_for_few_or_many_learners(cohort):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries():
        Reminder.objects.all().delete()
        with (
            time_machine.travel(wib(date(2027, 3, 10)), tick=False),
            CaptureQueriesContext(connection) as ctx,
        ):
            written = services.reminders_sweep()
        return written, len(ctx.captured_queries)

    few = queries()
    with time_machine.travel(wib(date(2027, 3, 2), 9), tick=False):
        join(cohort, *(person() for _ in range(8)))
    many = queries()
    assert (few[0], many[0]) == (4, 12)
    assert few[1] == many[1]
