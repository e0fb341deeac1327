"""The outcome report on hand-built data: paired-only before/after, suppression of groups
under 5 (with the complementary cell), ladder and band shifts, follow-up retention, filters
and the per-cohort table."""

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cohorts.models import Cohort
from courses.services import progress
from outcomes import report
from outcomes.models import Partner, Wave
from outcomes.report import Cell, cells, suppress, total_cell
from tests.courses.builders import translated
from tests.outcomes.builders import (
    ACTIVE,
    PRESENT,
    SELLING,
    START,
    join,
    make_cohort,
    pairs,
    people,
    send,
)

pytestmark = pytest.mark.django_db


def build(*cohorts) -> report.Report:
    ids = [c.pk for c in cohorts]
    return report.build(report.Scope(cohorts=Cohort.objects.filter(pk__in=ids)))


def keyed(rows) -> dict:
    return {row.key: row for row in rows}


def shown(row) -> list:
    """A row's cells as the page shows them: count, or None when suppressed."""
    return [c.count for c in row.cells]


def staff_report(client, **params):
    response = client.get(reverse("outcomes:report"), params)
    return response, response.context["report"]


def csv_export(client, **params) -> list[list[str]]:
    response = client.get(reverse("outcomes:report_export"), {**params, "format": "csv"})
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


# --- Suppression rules -----------------------------------------------------------------------


def test_groups_of_1_to_4_are_hidden_and_0_and_5_are_shown():
    assert suppress([0, 1, 2, 3, 4, 5]) == [0, None, None, None, None, 5]
    assert total_cell(4).count is None
    assert total_cell(5).count == 5
    assert total_cell(0).count == 0
    assert str(Cell(None)) == "< 5"
    assert str(Cell(7, 50)) == "7"


def test_a_single_hidden_cell_takes_the_smallest_shown_cell_with_it():
    # 3 hidden alone could be worked out from the total (3 + 7 + 8 = 18): 7 goes too.
    assert suppress([0, 3, 7, 8]) == [0, None, None, 8]
    assert suppress([9, 2]) == [None, None]
    # Two hidden cells protect each other: nothing more is hidden.
    assert suppress([2, 3, 10]) == [None, None, 10]
    # Zeros are not people: they never hide and are never taken as the complement.
    assert suppress([0, 0, 3, 6]) == [0, 0, None, None]
    assert suppress([6, 7, 8]) == [6, 7, 8]


def test_percentages_are_of_the_total_and_only_when_the_total_may_be_shown():
    assert [(c.count, c.percent) for c in cells([6, 10], 16)] == [(6, 38), (10, 62)]
    assert [(c.count, c.percent) for c in cells([0, 4], 4)] == [(0, None), (None, None)]
    assert [(c.count, c.percent) for c in cells([5, 0], 5)] == [(5, 100), (0, 0)]


# --- Paired-only before and after ------------------------------------------------------------


def test_before_and_after_count_only_people_who_sent_both_surveys(staff):
    cohort = make_cohort(staff.user)
    pairs(
        cohort,
        [
            (5, START, SELLING),
            (5, START, PRESENT),
            (2, SELLING, None),  # baseline only: would add marketplace shops "before"
            (2, None, START),  # endline only: would add people with nothing "after"
            (1, None, None),  # joined, sent nothing
        ],
    )
    result = build(cohort)

    assert result.participants.count == 15
    assert result.paired.count == 10
    assert [(r.key, r.cells[0].count) for r in result.responses] == [
        ("baseline", 12),
        ("endline", 12),
        ("followup", 0),
    ]
    indicators = keyed(result.indicators)
    assert [(c.count, c.percent) for c in indicators["has_wa_catalog"].cells] == [
        (0, 0),
        (10, 100),
    ]
    assert indicators["has_wa_catalog"].change == 100
    # Two baseline-only people have a marketplace shop: counted, this would not be 0.
    assert [(c.count, c.percent) for c in indicators["has_marketplace"].cells] == [
        (0, 0),
        (5, 50),
    ]
    assert indicators["has_marketplace"].change == 50
    assert indicators["paid_ads"].change == 50
    assert indicators["has_marketplace"].stage == "presence"
    # Ladder before/after: step 0 .. 3.
    assert [shown(r) for r in result.ladder] == [[10, 0], [0, 5], [0, 0], [0, 5]]
    assert [r.cells[1].percent for r in result.ladder] == [0, 50, 0, 50]
    assert [shown(r) for r in result.bands["revenue"]] == [[10, 5], [0, 0], [0, 5], [0, 0], [0, 0]]
    shifts = keyed(result.shifts)
    assert shown(shifts["ladder"]) == [10, 0, 0]
    assert shown(shifts["revenue"]) == [5, 5, 0]


def test_the_page_and_the_export_show_n_of_the_pairs(staff):
    cohort = make_cohort(staff.user, name="Angkatan Berpasangan")
    pairs(cohort, [(5, START, SELLING), (2, START, None)])

    response, result = staff_report(staff.client)
    assert response.status_code == 200
    assert result.paired.count == 5
    assert "n = 5" in response.content.decode()
    rows = csv_export(staff.client)
    both = [translated("Before and after"), translated("People who sent both surveys")]
    assert [*both, "5", "", "", ""] in rows
    wa = next(r for r in rows if r[1] == translated("WhatsApp Business with catalogue"))
    assert wa[2:] == ["0 (0%)", "5 (100%)", "", "100"]


def test_the_whole_before_after_section_is_hidden_below_5_pairs(staff):
    cohort = make_cohort(staff.user)
    pairs(cohort, [(4, START, SELLING), (6, START, None), (6, None, SELLING)])

    response, result = staff_report(staff.client)
    assert result.paired.count is None  # 4: "< 5"
    assert result.indicators == [] and result.ladder == [] and result.shifts == []
    assert result.bands == {}
    # Baseline and endline counts themselves are big enough to show.
    assert [r.cells[0].count for r in result.responses][:2] == [10, 10]
    page = response.content.decode()
    assert "&lt; 5" in page
    assert 'class="report"' in page  # the other tables are there
    assert "n = " not in page
    rows = csv_export(staff.client)
    both = next(r for r in rows if r[1] == translated("People who sent both surveys"))
    assert both[2:] == ["< 5", "", "", ""]
    assert not any(r[1] == translated("WhatsApp Business with catalogue") for r in rows)


def test_small_indicator_groups_are_hidden_with_their_complement(staff):
    cohort = make_cohort(staff.user)
    # 8 pairs: 6 end with a marketplace shop, 2 without. "2 without" would be hidden, and
    # the 6 with it (8 - 2) goes too.
    pairs(cohort, [(6, START, SELLING), (2, START, ACTIVE)])
    indicators = keyed(build(cohort).indicators)
    assert shown(indicators["has_marketplace"]) == [0, None]
    assert indicators["has_marketplace"].change is None
    # All 8 have WhatsApp Business at the end, none at the start: both shown.
    assert shown(indicators["has_wa_catalog"]) == [0, 8]


def test_reach_hides_small_groups_and_their_complement(staff):
    cohort = make_cohort(staff.user)
    year = timezone.localdate().year
    join(cohort, *people(7, gender="female", birth_year=year - 30))
    join(cohort, *people(3, gender="male", birth_year=year - 50))
    join(cohort, *people(6, gender="female", birth_year=year - 30, province="jatim"))
    result = build(cohort)

    assert result.participants.count == 16
    gender = {r.key: r.cells[0].count for r in result.reach[translated("Gender")]}
    assert gender == {"female": None, "male": None}  # 3 men hidden, so 13 women too
    age = {r.key: (r.cells[0].count, r.cells[0].percent) for r in result.reach[translated("Age")]}
    assert age == {"25-34": (None, None), "45-54": (None, None)}
    province = {r.key: r.cells[0].count for r in result.reach[translated("Province")]}
    assert province == {"jabar": 10, "jatim": 6}


def test_the_funnel_counts_learners_per_step(staff):
    cohort = make_cohort(staff.user)
    learners = people(7)
    join(cohort, *learners)
    course = cohort.courses.get()
    lessons = progress.course_lessons(course.pk)
    for user in learners[:5]:
        enrollment = user.enrollments.get(course=course)
        for lesson in lessons:
            progress.lesson_complete(enrollment=enrollment, lesson=lesson)
    funnel = {r.key: r.cells[0] for r in build(cohort).funnel}
    assert funnel["enrolled"].count == 7
    assert (funnel["started"].count, funnel["started"].percent) == (5, 71)
    assert funnel["completed"].count == 5
    assert funnel["certified"].count == 0


def test_completed_means_every_course_of_the_cohort_across_cohorts(staff):
    """The funnel of several cohorts at once: a learner counts as completed when they
    finished all of their own cohort's courses, however many it has."""
    from tests.courses.builders import course_with_lessons

    two_courses = make_cohort(staff.user, name="Dua kursus")
    two_courses.courses.add(course_with_lessons(lessons=1))
    one_course = make_cohort(staff.user, name="Satu kursus")
    both, first_only, single = people(5), people(5), people(5)
    join(two_courses, *both, *first_only)
    join(one_course, *single)

    def finish(user, course):
        enrollment = user.enrollments.get(course=course)
        for lesson in progress.course_lessons(course.pk):
            progress.lesson_complete(enrollment=enrollment, lesson=lesson)

    first, second = two_courses.courses.order_by("pk")
    for user in both:
        finish(user, first)
        finish(user, second)
    for user in first_only:
        finish(user, first)
    for user in single:
        finish(user, one_course.courses.get())
    funnel = {r.key: r.cells[0].count for r in build(two_courses, one_course).funnel}
    assert (funnel["enrolled"], funnel["started"], funnel["completed"]) == (15, 15, 10)
    funnel = {r.key: r.cells[0].count for r in build(two_courses).funnel}
    assert (funnel["enrolled"], funnel["completed"]) == (10, 5)


# --- Band shifts --------------------------------------------------------------------------------


def test_moves_up_same_and_down_of_the_ladder_and_the_revenue_band(staff):
    cohort = make_cohort(staff.user)
    pairs(
        cohort,
        [
            (5, START, SELLING),  # ladder 0 -> 3, revenue band 0 -> 2
            (5, PRESENT, PRESENT),  # same, same
            (5, SELLING, ACTIVE),  # ladder 3 -> 2, revenue band 2 -> 1
            (5, PRESENT, {**PRESENT, "revenue": "unsaid"}),  # ladder same; no revenue move
        ],
    )
    result = build(cohort)
    shifts = keyed(result.shifts)
    assert [(c.count, c.percent) for c in shifts["ladder"].cells] == [(5, 25), (10, 50), (5, 25)]
    # "Rather not say" is no band: 15 people have a revenue move, not 20.
    assert [(c.count, c.percent) for c in shifts["revenue"].cells] == [(5, 33), (5, 33), (5, 33)]
    revenue = result.bands["revenue"]
    assert [r.cells[0].count for r in revenue] == [15, 0, 5, 0, 0]
    assert [r.cells[1].count for r in revenue] == [5, 5, 5, 0, 0]
    assert [r.cells[0].percent for r in revenue][:3] == [75, 0, 25]
    assert len(revenue) == 5  # the five bands, without "rather not say"
    assert [shown(r) for r in result.ladder] == [[5, 0], [10, 10], [0, 5], [5, 5]]
    assert set(result.bands) == {"revenue", "online_share", "workers", "online_orders"}


# --- Follow-up ----------------------------------------------------------------------------------


def test_follow_up_counts_people_who_sent_all_three_and_how_many_kept_their_step(staff):
    cohort = make_cohort(staff.user)
    kept = pairs(cohort, [(5, START, SELLING)])
    dropped = pairs(cohort, [(5, START, SELLING)])
    steady = pairs(cohort, [(5, PRESENT, PRESENT)])
    pairs(cohort, [(3, START, SELLING)])  # no follow-up
    no_endline = pairs(cohort, [(2, START, None)])
    for user in kept:
        send(user, cohort, Wave.FOLLOWUP, SELLING)
    for user in dropped + steady + no_endline:
        send(user, cohort, Wave.FOLLOWUP, PRESENT)
    result = build(cohort)

    assert result.followup_n.count == 15
    rows = keyed(result.followup)
    assert [(c.count, c.percent) for c in rows["has_wa_catalog"].cells] == [
        (5, 33),
        (15, 100),
        (15, 100),
    ]
    assert [(c.count, c.percent) for c in rows["has_marketplace"].cells] == [
        (0, 0),
        (10, 67),
        (5, 33),
    ]
    # 10 climbed the ladder by the endline; 5 of them were still as high three months on.
    assert [(c.count, c.percent) for c in result.retention.cells] == [(5, 50), (5, 50)]
    assert [(r.key, r.cells[0].count) for r in result.responses] == [
        ("baseline", 20),
        ("endline", 18),
        ("followup", 17),
    ]


def test_no_follow_up_results_below_5_people_with_all_three_surveys(staff):
    cohort = make_cohort(staff.user)
    users = pairs(cohort, [(8, START, SELLING)])
    for user in users[:4]:
        send(user, cohort, Wave.FOLLOWUP, SELLING)
    result = build(cohort)
    assert result.followup_n.count is None
    assert result.followup == [] and result.retention is None
    assert result.paired.count == 8


def test_a_hidden_follow_up_cell_does_not_break_the_report(staff):
    cohort = make_cohort(staff.user)
    users = pairs(cohort, [(5, START, SELLING)])
    for number, user in enumerate(users):
        # 3 still have buyers outside the regency, 2 no longer: both groups are < 5.
        answers = SELLING if number < 3 else {**SELLING, "customers_outside": "no"}
        send(user, cohort, Wave.FOLLOWUP, answers)
    response = staff.client.get(reverse("outcomes:report"))
    assert response.status_code == 200
    outside = keyed(response.context["report"].followup)["customers_outside"]
    assert shown(outside) == [0, 5, None]


# --- Filters and the per-cohort table -----------------------------------------------------


@pytest.fixture
def two_programmes(staff):
    """Cohort A (Program A, shared with partner X, started 100 days ago): 6 women in
    culinary in West Java. Cohort B (Program B, started 30 days ago): 5 men and 7 women in
    fashion in East Java. Every learner sent baseline and endline."""
    today = timezone.localdate()
    a = make_cohort(
        staff.user,
        name="Angkatan A",
        programme="Program A",
        start=today - timedelta(days=100),
        end=today - timedelta(days=40),
        status=Cohort.Status.FINISHED,
    )
    b = make_cohort(staff.user, name="Angkatan B", programme="Program B")
    for user in people(6, gender="female", sector="kuliner", province="jabar"):
        join(a, user)
        send(user, a, Wave.BASELINE, START)
        send(user, a, Wave.ENDLINE, SELLING)
    for gender, count in (("male", 5), ("female", 7)):
        for user in people(count, gender=gender, sector="fashion", province="jatim"):
            join(b, user)
            send(user, b, Wave.BASELINE, PRESENT)
            send(user, b, Wave.ENDLINE, ACTIVE)
    x = Partner.objects.create(name="Mitra X")
    x.cohorts.add(a)
    return a, b, x


@pytest.mark.parametrize(
    ("params", "participants", "paired"),
    [
        ({}, 18, 18),
        ("partner", 6, 6),
        ({"programme": "Program B"}, 12, 12),
        ("cohort", 6, 6),
        ({"province": "jatim"}, 12, 12),
        ({"sector": "kuliner"}, 6, 6),
        ({"gender": "male"}, 5, 5),
        ({"gender": "female", "province": "jatim"}, 7, 7),
        ("start_from", 12, 12),
        ("start_to", 6, 6),
    ],
)
def test_filters_narrow_every_number(staff, two_programmes, params, participants, paired):
    a, b, x = two_programmes
    today = timezone.localdate()
    if isinstance(params, str):  # filters on objects and dates made by the fixture
        params = {
            "partner": {"partner": x.pk},
            "cohort": {"cohort": a.pk},
            "start_from": {"start_from": (today - timedelta(days=50)).isoformat()},
            "start_to": {"start_to": (today - timedelta(days=50)).isoformat()},
        }[params]
    response, result = staff_report(staff.client, **params)
    assert response.status_code == 200
    assert result.participants.count == participants
    assert result.paired.count == paired
    assert sum(r.cells[0].count for r in result.responses) == 2 * paired
    assert sum(r.cells[0].count or 0 for r in result.funnel[:1]) == participants


def test_the_gender_filter_changes_the_change(staff, two_programmes):
    _response, men = staff_report(staff.client, gender="male")
    ladder = [shown(r) for r in men.ladder]
    assert ladder == [[0, 0], [5, 0], [0, 5], [0, 0]]  # present -> active, 5 men


def test_a_bad_filter_is_refused_with_a_message_and_no_numbers(staff, two_programmes):
    today = timezone.localdate()
    for params in (
        {"cohort": "999999"},
        {"partner": "999999"},
        {"gender": "other"},
        {"start_from": today.isoformat(), "start_to": (today - timedelta(days=1)).isoformat()},
    ):
        response = staff.client.get(reverse("outcomes:report"), params)
        assert response.status_code == 400, params
        assert response.context["report"] is None
        assert response.context["form"].errors
    export = staff.client.get(reverse("outcomes:report_export"), {"cohort": "999999"})
    assert export.status_code == 302
    assert export["Location"] == reverse("outcomes:report")


def test_the_per_cohort_table_has_participants_baseline_endline_and_pairs(staff):
    today = timezone.localdate()
    old = make_cohort(staff.user, name="Angkatan Lama", start=today - timedelta(days=90))
    new = make_cohort(staff.user, name="Angkatan Baru", start=today - timedelta(days=10))
    pairs(old, [(6, START, SELLING), (5, START, None), (1, None, None)])
    pairs(new, [(5, PRESENT, None), (0, None, None)])
    result = build(old, new)
    table = [(r.label, shown(r)) for r in result.per_cohort]
    assert table == [
        ("Angkatan Baru", [5, 5, 0, 0]),  # newest first
        ("Angkatan Lama", [12, 11, 6, 6]),
    ]
    rows = csv_export(staff.client)
    lama = [r for r in rows if r[1] == "Angkatan Lama"]
    assert [r[2:5] for r in lama] == [["12", "11", "6"], ["6", "", ""]]


def test_other_staff_see_an_empty_report_and_staff_see_only_their_own_cohorts(
    staff, other_staff, two_programmes
):
    _response, theirs = staff_report(other_staff.client)
    assert theirs.participants.count == 0
    assert theirs.per_cohort == []
    assert theirs.paired.count == 0
    mine = make_cohort(other_staff.user, name="Angkatan Yusuf")
    pairs(mine, [(5, START, PRESENT)])
    _response, theirs = staff_report(other_staff.client)
    assert [r.label for r in theirs.per_cohort] == ["Angkatan Yusuf"]
    assert theirs.participants.count == 5
    # Another owner's cohort id is not a choice: refused, not shown.
    a, _b, _x = two_programmes
    response = other_staff.client.get(reverse("outcomes:report"), {"cohort": a.pk})
    assert response.status_code == 400


def test_a_small_cohort_cannot_be_worked_out_from_the_totals(staff):
    big = make_cohort(staff.user, name="Angkatan Besar")
    small = make_cohort(staff.user, name="Angkatan Kecil")
    pairs(big, [(8, START, SELLING)])
    pairs(small, [(3, START, SELLING)])
    result = build(big, small)
    assert result.participants.count == 11  # shown: 11 people in all
    sent = {r.key: r.cells[0].count for r in result.responses}
    assert sent["baseline"] == 11
    for column, total in ((0, 11), (1, 11)):
        values = [r.cells[column].count for r in result.per_cohort]
        hidden = values.count(None)
        # One hidden cell next to a shown total is no secret: 11 - 8 = 3.
        assert hidden != 1, (column, values, total)


def test_a_skipped_or_draft_baseline_or_one_in_another_cohort_makes_no_pair(staff):
    from outcomes.services.responses import response_save, response_skip
    from tests.outcomes.builders import default_survey, raw

    cohort = make_cohort(staff.user, name="Angkatan Satu")
    elsewhere = make_cohort(staff.user, name="Angkatan Dua")
    pairs(cohort, [(5, START, SELLING)])
    survey = default_survey()
    skipped, drafted, moved = people(3)
    join(cohort, skipped, drafted, moved)
    join(elsewhere, moved)
    response_skip(user=skipped, cohort=cohort, survey=survey)
    response_save(
        user=drafted,
        cohort=cohort,
        wave=Wave.BASELINE,
        survey=survey,
        raw_answers=raw({"presence": ["qris"]}),
        send=False,
    )
    send(moved, elsewhere, Wave.BASELINE, START)
    for user in (skipped, drafted, moved):
        send(user, cohort, Wave.ENDLINE, SELLING)
    result = build(cohort, elsewhere)

    assert result.paired.count == 5
    assert [(r.key, r.cells[0].count) for r in result.responses][:2] == [
        ("baseline", 6),
        ("endline", 8),
    ]
    # The person in both cohorts is one participant, and a member in each cohort's row.
    assert result.participants.count == 8
    table = {r.label: shown(r) for r in result.per_cohort}
    # The small cohort is hidden, and so is the large one beside it (complementary rule).
    assert table == {"Angkatan Satu": [None, None, 8, 5], "Angkatan Dua": [None, None, 0, 0]}


def test_the_page_draws_its_bars_without_javascript_and_fits_the_budget(staff):
    from tests.helpers import gzipped_size, without_app_script
    from tests.test_budgets import HTML_BUDGET

    cohort = make_cohort(staff.user)
    pairs(cohort, [(5, START, SELLING), (5, PRESENT, ACTIVE)])
    response = staff.client.get(reverse("outcomes:report"))
    html = without_app_script(response.content.decode())
    assert "<script" not in html
    assert html.count("<svg") >= len(response.context["report"].indicators)
    assert gzipped_size(response) <= HTML_BUDGET
