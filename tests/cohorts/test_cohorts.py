"""Cohort administration: ownership, membership, sessions, attendance, funnel, exports."""

import csv
import io
from datetime import date, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from cohorts import selectors
from cohorts.models import Attendance, Cohort, LiveSession, Membership
from cohorts.services import attendance
from cohorts.services.exports import neutralise
from cohorts.services.members import cohort_member_leave, cohort_members_add
from courses.models import Enrollment
from courses.services import progress
from tests.courses.builders import CourseFactory, LessonFactory, ModuleFactory
from tests.factories import BusinessProfileFactory, UserFactory
from tests.helpers import assert_constant_queries


def make_cohort(owner, **fields):
    course = fields.pop("course", None) or CourseFactory()
    cohort = Cohort.objects.create(
        name=fields.pop("name", "Angkatan 3 Garut"),
        programme="Program UMKM Naik Kelas",
        start_date=fields.pop("start_date", date(2026, 11, 1)),
        end_date=fields.pop("end_date", date(2026, 12, 31)),
        province="jabar",
        owner=owner,
        **fields,
    )
    cohort.courses.add(course)
    return cohort


def course_with_lessons(count=4):
    course = CourseFactory()
    module = ModuleFactory(course=course)
    lessons = [LessonFactory(module=module, position=i) for i in range(count)]
    return course, lessons


@pytest.mark.django_db
def test_the_database_refuses_a_cohort_that_ends_before_it_starts(staff):
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        make_cohort(staff.user, start_date=date(2026, 12, 1), end_date=date(2026, 11, 1))


@pytest.mark.django_db
def test_staff_creates_a_cohort_from_the_form(staff):
    course = CourseFactory()
    response = staff.client.post(
        reverse("cohorts:cohort_create"),
        {
            "name": "Angkatan 1 Makassar",
            "programme": "Program Digitalisasi UMKM",
            "courses": [course.pk],
            "start_date": "2026-12-01",
            "end_date": "2027-01-31",
            "province": "sulsel",
            "city": "Makassar",
            "mode": "hybrid",
            "capacity": 40,
            "timezone": "Asia/Makassar",
            "status": "draft",
            "inactive_days": 7,
        },
    )
    cohort = Cohort.objects.get()
    assert response.status_code == 302
    assert cohort.owner == staff.user
    assert list(cohort.courses.all()) == [course]


@pytest.mark.django_db
def test_the_form_keeps_entries_and_explains_a_wrong_date_order(staff):
    response = staff.client.post(
        reverse("cohorts:cohort_create"),
        {
            "name": "Angkatan X",
            "programme": "P",
            "start_date": "2026-12-01",
            "end_date": "2026-11-01",
            "province": "jabar",
            "mode": "online",
            "capacity": 10,
            "timezone": "Asia/Jakarta",
            "status": "draft",
            "inactive_days": 7,
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["end_date"]
    assert 'value="Angkatan X"' in response.content.decode()
    assert not Cohort.objects.exists()


@pytest.mark.django_db
def test_staff_cannot_open_or_change_another_staff_members_cohort(staff, other_staff):
    cohort = make_cohort(staff.user)
    for name in ["cohorts:cohort_detail", "cohorts:cohort_edit", "cohorts:cohort_learners"]:
        assert other_staff.client.get(reverse(name, args=[cohort.pk])).status_code == 404
    session = LiveSession.objects.create(
        cohort=cohort,
        title="S",
        starts_at=timezone.now(),
        ends_at=timezone.now() + timedelta(hours=1),
        venue="Balai",
    )
    response = other_staff.client.post(
        reverse("cohorts:session_attendance", args=[cohort.pk, session.pk]), {"present": []}
    )
    assert response.status_code == 404
    assert (
        other_staff.client.post(
            reverse("cohorts:cohort_import_commit", args=[cohort.pk])
        ).status_code
        == 404
    )


@pytest.mark.django_db
def test_a_superuser_sees_every_cohort(staff):
    cohort = make_cohort(staff.user)
    boss = UserFactory(is_staff=True, is_superuser=True)
    from django.test import Client

    client = Client()
    client.force_login(boss)
    assert client.get(reverse("cohorts:cohort_detail", args=[cohort.pk])).status_code == 200


@pytest.mark.django_db
def test_adding_learners_enrols_them_in_every_course_of_the_cohort(staff):
    cohort = make_cohort(staff.user)
    second = CourseFactory()
    cohort.courses.add(second)
    people = UserFactory.create_batch(3)
    added = cohort_members_add(
        cohort=cohort, user_ids=[p.pk for p in people], role=Membership.Role.LEARNER
    )
    assert added == 3
    assert Enrollment.objects.filter(source=Enrollment.Source.COHORT).count() == 6
    # Adding them again changes nothing.
    assert (
        cohort_members_add(
            cohort=cohort, user_ids=[p.pk for p in people], role=Membership.Role.LEARNER
        )
        == 0
    )
    assert Enrollment.objects.count() == 6


@pytest.mark.django_db
def test_a_learner_who_left_drops_out_of_lists_but_keeps_history(staff):
    cohort = make_cohort(staff.user)
    person = UserFactory()
    cohort_members_add(cohort=cohort, user_ids=[person.pk], role=Membership.Role.LEARNER)
    cohort_member_leave(cohort=cohort, user_id=person.pk)
    assert Membership.objects.get().left_at is not None
    assert list(selectors.learner_table(cohort=cohort)) == []


def _session(cohort, *, start, hours=2):
    return LiveSession.objects.create(
        cohort=cohort,
        title="Praktik foto produk",
        starts_at=start,
        ends_at=start + timedelta(hours=hours),
        venue="Balai Desa",
    )


@pytest.mark.django_db
def test_a_learner_checks_in_with_the_code_once(staff, learner):
    cohort = make_cohort(staff.user)
    cohort_members_add(cohort=cohort, user_ids=[learner.user.pk], role=Membership.Role.LEARNER)
    session = _session(cohort, start=timezone.now() - timedelta(minutes=10))
    url = reverse("cohorts:session_checkin", args=[session.pk])

    first = learner.client.post(url, {"code": session.checkin_code})
    second = learner.client.post(url, {"code": session.checkin_code})

    assert first.status_code == second.status_code == 302
    assert Attendance.objects.filter(session=session, user=learner.user).count() == 1


@pytest.mark.django_db
def test_a_wrong_code_is_refused_with_a_message(staff, learner):
    cohort = make_cohort(staff.user)
    cohort_members_add(cohort=cohort, user_ids=[learner.user.pk], role=Membership.Role.LEARNER)
    session = _session(cohort, start=timezone.now())
    wrong = "000000" if session.checkin_code != "000000" else "111111"
    response = learner.client.post(
        reverse("cohorts:session_checkin", args=[session.pk]), {"code": wrong}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["code"]
    assert not Attendance.objects.exists()


@pytest.mark.django_db
def test_check_in_outside_the_session_window_is_refused(staff, learner):
    cohort = make_cohort(staff.user)
    cohort_members_add(cohort=cohort, user_ids=[learner.user.pk], role=Membership.Role.LEARNER)
    start = timezone.now() + timedelta(days=1)
    session = _session(cohort, start=start)
    with pytest.raises(attendance.CheckInRefused):
        attendance.attendance_check_in(
            session=session, user=learner.user, code=session.checkin_code
        )
    with time_machine.travel(start - timedelta(minutes=20)):
        _, created = attendance.attendance_check_in(
            session=session, user=learner.user, code=session.checkin_code
        )
        assert created
    later = _session(cohort, start=start)
    with time_machine.travel(start + timedelta(hours=3)), pytest.raises(attendance.CheckInRefused):
        attendance.attendance_check_in(session=later, user=learner.user, code=later.checkin_code)


@pytest.mark.django_db
def test_someone_outside_the_cohort_cannot_check_in(staff, learner, other_learner):
    cohort = make_cohort(staff.user)
    cohort_members_add(cohort=cohort, user_ids=[learner.user.pk], role=Membership.Role.LEARNER)
    session = _session(cohort, start=timezone.now())
    url = reverse("cohorts:session_checkin", args=[session.pk])
    assert other_learner.client.get(url).status_code == 404
    assert other_learner.client.post(url, {"code": session.checkin_code}).status_code == 404
    assert not Attendance.objects.exists()


@pytest.mark.django_db
def test_staff_mark_attendance_from_the_list(staff):
    cohort = make_cohort(staff.user)
    people = UserFactory.create_batch(3)
    outsider = UserFactory()
    cohort_members_add(cohort=cohort, user_ids=[p.pk for p in people], role=Membership.Role.LEARNER)
    session = _session(cohort, start=timezone.now())
    shown = [p.pk for p in people]
    staff.client.post(
        reverse("cohorts:session_attendance", args=[cohort.pk, session.pk]),
        {"shown": shown, "present": [people[0].pk, people[1].pk, outsider.pk]},
    )
    assert set(Attendance.objects.values_list("user_id", flat=True)) == {people[0].pk, people[1].pk}
    staff.client.post(
        reverse("cohorts:session_attendance", args=[cohort.pk, session.pk]),
        {"shown": shown, "present": [people[1].pk]},
    )
    assert set(Attendance.objects.values_list("user_id", flat=True)) == {people[1].pk}


@pytest.mark.django_db
def test_the_session_page_shows_the_code_and_a_qr_code(staff):
    cohort = make_cohort(staff.user)
    session = _session(cohort, start=timezone.now())
    body = staff.client.get(session.get_absolute_url()).content.decode()
    assert session.checkin_code in body
    assert "<svg" in body


@pytest.mark.django_db
def test_the_funnel_counts_a_hand_built_cohort(staff):
    course, lessons = course_with_lessons(4)
    cohort = make_cohort(staff.user, course=course)
    people = UserFactory.create_batch(5)
    cohort_members_add(cohort=cohort, user_ids=[p.pk for p in people], role=Membership.Role.LEARNER)
    enrollments = {e.user_id: e for e in Enrollment.objects.all()}
    # person 0: nothing; 1: one lesson (25 %); 2: two (50 %); 3 and 4: all four.
    for index, done in [(1, 1), (2, 2), (3, 4), (4, 4)]:
        for lesson in lessons[:done]:
            progress.lesson_complete(enrollment=enrollments[people[index].pk], lesson=lesson)
    steps = {s.key: (s.count, s.percent) for s in selectors.cohort_funnel(cohort=cohort)}
    assert steps == {
        "enrolled": (5, 100),
        "started": (4, 80),
        "halfway": (3, 60),
        "completed": (2, 40),
        "certified": (0, 0),
    }


@pytest.mark.django_db
def test_the_at_risk_list_gives_reasons(staff):
    course, lessons = course_with_lessons(4)
    with time_machine.travel(timezone.make_aware(timezone.datetime(2026, 11, 1, 9))):
        cohort = make_cohort(staff.user, course=course, inactive_days=5)
        active, idle = UserFactory(name="Aktif"), UserFactory(name="Diam")
        cohort_members_add(
            cohort=cohort, user_ids=[active.pk, idle.pk], role=Membership.Role.LEARNER
        )
    with time_machine.travel(timezone.make_aware(timezone.datetime(2026, 12, 15, 9))):
        enrollment = Enrollment.objects.get(user=active)
        for lesson in lessons:
            progress.lesson_complete(enrollment=enrollment, lesson=lesson)
        rows = {row.user.name: row.reasons for row in selectors.at_risk(cohort=cohort)}
    assert "Aktif" not in rows
    assert len(rows["Diam"]) == 2  # inactive and behind schedule


@pytest.mark.django_db
def test_the_learner_table_sorts_and_paginates(staff):
    course, lessons = course_with_lessons(2)
    cohort = make_cohort(staff.user, course=course)
    people = [UserFactory(name=f"Peserta {i:02d}") for i in range(60)]
    cohort_members_add(cohort=cohort, user_ids=[p.pk for p in people], role=Membership.Role.LEARNER)
    progress.lesson_complete(enrollment=Enrollment.objects.get(user=people[59]), lesson=lessons[0])
    url = reverse("cohorts:cohort_learners", args=[cohort.pk])
    first_page = staff.client.get(url, {"sort": "-progress"})
    assert first_page.context["page"].object_list[0].user == people[59]
    assert len(first_page.context["page"].object_list) == 50
    assert len(staff.client.get(url, {"page": 2}).context["page"].object_list) == 10


@pytest.mark.django_db
def test_cohort_pages_use_a_fixed_number_of_queries(staff):
    course, _ = course_with_lessons(3)
    cohort = make_cohort(staff.user, course=course)

    def grow():
        people = UserFactory.create_batch(12)
        for person in people:
            BusinessProfileFactory(user=person)
        cohort_members_add(
            cohort=cohort, user_ids=[p.pk for p in people], role=Membership.Role.LEARNER
        )
        _session(cohort, start=timezone.now() - timedelta(days=3))

    cohort_members_add(cohort=cohort, user_ids=[UserFactory().pk], role=Membership.Role.LEARNER)
    for name in ["cohorts:cohort_detail", "cohorts:cohort_learners", "cohorts:cohort_at_risk"]:
        assert_constant_queries(staff.client, reverse(name, args=[cohort.pk]), grow=grow)


def test_formula_like_cells_are_neutralised():
    assert neutralise('=HYPERLINK("http://x")') == '\'=HYPERLINK("http://x")'
    for bad in ["+1", "-2+3", "@SUM(A1)", "\tx", "\rx"]:
        assert neutralise(bad) == "'" + bad
    assert neutralise("Siti") == "Siti"
    assert neutralise(42) == 42


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_roster_exports_neutralise_formulas(staff, fmt):
    cohort = make_cohort(staff.user)
    person = UserFactory(name="=cmd|' /C calc'!A0")
    BusinessProfileFactory(user=person, business_name="@SUM(1+1)")
    cohort_members_add(cohort=cohort, user_ids=[person.pk], role=Membership.Role.LEARNER)
    response = staff.client.get(reverse("cohorts:export_roster", args=[cohort.pk]), {"format": fmt})
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    if fmt == "csv":
        text = b"".join(response.streaming_content).decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(text)))
    else:
        sheet = load_workbook(io.BytesIO(response.content)).active
        rows = [[c if c is not None else "" for c in r] for r in sheet.iter_rows(values_only=True)]
    assert rows[1][0] == "'=cmd|' /C calc'!A0"
    assert rows[1][3] == "'@SUM(1+1)"


@pytest.mark.django_db
def test_a_minimum_attendance_holds_completion_until_the_learner_attended(
    staff, django_capture_on_commit_callbacks
):
    course, lessons = course_with_lessons(2)
    cohort = make_cohort(staff.user, course=course, min_attendance_percent=50)
    person = UserFactory()
    cohort_members_add(cohort=cohort, user_ids=[person.pk], role=Membership.Role.LEARNER)
    first = _session(cohort, start=timezone.now() - timedelta(days=2))
    _session(cohort, start=timezone.now() - timedelta(days=1))
    enrollment = Enrollment.objects.get(user=person)
    for lesson in lessons:
        progress.lesson_complete(enrollment=enrollment, lesson=lesson)
    enrollment.refresh_from_db()
    assert enrollment.progress_percent == 100
    assert enrollment.completed_at is None  # 0 % attendance, 50 % required

    with django_capture_on_commit_callbacks(execute=True):
        attendance.attendance_mark(session=first, present_ids={person.pk}, recorded_by=staff.user)
    enrollment.refresh_from_db()
    assert enrollment.completed_at is not None


@pytest.mark.django_db
def test_a_completed_catch_up_lesson_counts_as_attending(staff):
    course, lessons = course_with_lessons(2)
    cohort = make_cohort(staff.user, course=course)
    person = UserFactory()
    cohort_members_add(cohort=cohort, user_ids=[person.pk], role=Membership.Role.LEARNER)
    session = _session(cohort, start=timezone.now() - timedelta(days=2))
    session.catch_up_lesson = lessons[1]
    session.catch_up_counts = True
    session.save()
    assert selectors.attendance_percent(cohort=cohort, user_id=person.pk) == 0
    progress.lesson_complete(enrollment=Enrollment.objects.get(user=person), lesson=lessons[1])
    assert selectors.attendance_percent(cohort=cohort, user_id=person.pk) == 100


@pytest.mark.django_db
def test_guessing_the_check_in_code_is_throttled(staff, learner):
    cohort = make_cohort(staff.user)
    cohort_members_add(cohort=cohort, user_ids=[learner.user.pk], role=Membership.Role.LEARNER)
    session = _session(cohort, start=timezone.now())
    url = reverse("cohorts:session_checkin", args=[session.pk])
    wrong = [f"{n:06d}" for n in range(20) if f"{n:06d}" != session.checkin_code]
    for code in wrong[:10]:
        learner.client.post(url, {"code": code})
    # Even the right code is refused while throttled.
    response = learner.client.post(url, {"code": session.checkin_code})
    assert response.status_code == 200
    assert not Attendance.objects.exists()


@pytest.mark.django_db
def test_an_invitation_from_the_cohort_is_a_page_with_a_whatsapp_link(staff):
    cohort = make_cohort(staff.user)
    person = UserFactory(phone="+6281311112222", password=None)
    person.set_unusable_password()
    person.save()
    cohort_members_add(cohort=cohort, user_ids=[person.pk], role=Membership.Role.LEARNER)
    response = staff.client.post(
        reverse("cohorts:cohort_invite_member", args=[cohort.pk, person.pk])
    )
    assert response.status_code == 200
    assert 'href="https://wa.me/6281311112222?text=' in response.content.decode()
    cohort_member_leave(cohort=cohort, user_id=person.pk)
    assert (
        staff.client.post(
            reverse("cohorts:cohort_invite_member", args=[cohort.pk, person.pk])
        ).status_code
        == 404
    )


@pytest.mark.django_db
def test_session_times_show_in_the_cohorts_zone_with_its_label(staff):
    import zoneinfo
    from datetime import datetime

    cohort = make_cohort(staff.user, timezone="Asia/Makassar")
    start = datetime(2026, 12, 5, 9, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Makassar"))
    session = LiveSession.objects.create(
        cohort=cohort,
        title="Sesi Makassar",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        venue="Aula",
    )
    body = staff.client.get(session.get_absolute_url()).content.decode()
    assert "09:00 – 11:00 WITA" in body


@pytest.mark.django_db
def test_exported_phone_numbers_are_written_the_indonesian_way(staff):
    cohort = make_cohort(staff.user)
    person = UserFactory(phone="+6281311002603")
    cohort_members_add(cohort=cohort, user_ids=[person.pk], role=Membership.Role.LEARNER)
    response = staff.client.get(reverse("cohorts:export_roster", args=[cohort.pk]))
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "0813-1100-2603" in text and "'+62" not in text


@pytest.mark.django_db
def test_saving_attendance_keeps_the_record_of_someone_who_left_and_of_other_pages(staff):
    cohort = make_cohort(staff.user)
    stays, left, elsewhere = UserFactory(), UserFactory(), UserFactory()
    cohort_members_add(
        cohort=cohort, user_ids=[stays.pk, left.pk, elsewhere.pk], role=Membership.Role.LEARNER
    )
    session = _session(cohort, start=timezone.now() - timedelta(hours=3))
    for person in (left, elsewhere):
        Attendance.objects.create(session=session, user=person, method=Attendance.Method.CODE)
    cohort_member_leave(cohort=cohort, user_id=left.pk)

    # The page showed only `stays` (ticked); `elsewhere` checked in and is not on this page.
    attendance.attendance_mark(
        session=session, shown_ids={stays.pk}, present_ids={stays.pk}, recorded_by=staff.user
    )
    assert set(Attendance.objects.filter(session=session).values_list("user_id", flat=True)) == {
        stays.pk,
        left.pk,
        elsewhere.pk,
    }


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["²", "①", "9" * 30, "-1", "abc"])
def test_attendance_ignores_ids_that_are_not_plain_numbers(staff, value):
    cohort = make_cohort(staff.user)
    person = UserFactory()
    cohort_members_add(cohort=cohort, user_ids=[person.pk], role=Membership.Role.LEARNER)
    session = _session(cohort, start=timezone.now())

    response = staff.client.post(
        reverse("cohorts:session_attendance", args=[cohort.pk, session.pk]),
        {"shown": [value, person.pk], "present": [value, person.pk]},
    )

    assert response.status_code == 302
    assert list(Attendance.objects.values_list("user_id", flat=True)) == [person.pk]


@pytest.mark.django_db
@pytest.mark.parametrize("day", ["0001-01-01", "1999-12-31", "2101-01-01"])
def test_a_session_date_outside_2000_to_2100_is_refused_with_a_message(staff, day):
    cohort = make_cohort(staff.user)
    data = {
        "title": "Sesi",
        "date": day,
        "start_time": "00:00",
        "end_time": "01:00",
        "venue": "Balai Desa",
    }

    response = staff.client.post(reverse("cohorts:session_create", args=[cohort.pk]), data)

    assert response.status_code == 200
    assert "date" in response.context["form"].errors
    assert not cohort.sessions.exists()
