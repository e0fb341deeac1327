"""Outcome measurement (issue #7) on a 360 px phone, in Indonesian, against gunicorn.

One journey, in the order the issue tells it:

1. learner 0812-0000-0020 (Asep Sunandar), the one member of the demo cohort "Angkatan Demo
   Jawa-Bali 2026" without surveys, fills the baseline from the home card: a send with a
   question unanswered is refused without losing the ticks, a draft is saved, finished later
   and sent;
2. the same learner finishes the demo course (he is seeded 8 lessons in, see courses/demo.py
   PROGRESS_PLAN) and sends the endline from the card that then appears on home;
3. staff 0811-0000-0001 opens the cohort's outcome report from the cohort page: 13 people
   have now sent both surveys (12 seeded in outcomes/demo.py, plus this learner), and every
   indicator row is consistent with itself and, for WhatsApp Business, with the answers;
4. partner 0811-0000-0021 (Hasan Basri) lands on the report of the cohorts shared with him
   (only the demo cohort), sees the same aggregates, downloads the same numbers as CSV, sees
   no name, phone or business of any demo learner, and gets 404 on staff and learner pages;
5. the printable layout hides the header, the navigation, the filters and the downloads.

No other browser test signs in as learner 20 or the partner, or touches the demo cohort, so
the test does not depend on the order of the suite. Staff is a superuser and sees every
cohort, including those other tests create, so the staff report is filtered to the demo
cohort, whose id the test learns from the learner's survey URL.

The outcomes strings are being translated while this is written: their text is matched with
ui_text()/ui_strings(), which accept the Indonesian translation or the English msgid.
"""

import csv
import io
import re
import urllib.parse

import pytest
from django.utils import translation
from playwright.sync_api import expect

from courses.demo_content import DEMO_COURSE
from outcomes import demo as outcomes_demo
from outcomes import instrument
from tests.e2e.support import (
    NetworkMeter,
    assert_first_visit_within_budget,
    assert_repeat_visit_fetches_only_html,
    check_page,
    record,
    sign_in,
    ui_strings,
    ui_text,
)
from ukmlearn.users.management.commands.seed_demo import LEARNERS as DEMO_LEARNERS
from ukmlearn.users.management.commands.seed_demo import MENTORS, STAFF

pytestmark = pytest.mark.browser

PASSWORD = "belajar-bareng-2026"
LEARNER_PHONE = "0812-0000-0020"  # Asep Sunandar, in the demo cohort, no surveys yet
STAFF_PHONE = "0811-0000-0001"  # Rina Kusumawati, owns the demo cohort
PARTNER_PHONE = "0811-0000-0021"  # Hasan Basri, the demo cohort is shared with his office
COHORT_NAME = outcomes_demo.COHORT_NAME
PAIRED_AFTER = 13  # 12 seeded pairs plus learner 20's

COURSE_PATH = f"/courses/{DEMO_COURSE['slug']}/"
LESSONS = {
    lesson["title"]: lesson for module in DEMO_COURSE["modules"] for lesson in module["lessons"]
}
REPORT_PATH = "/reports/outcomes/"

# Learner 20's answers, by core key, in the default survey's order (outcomes migration 0002).
BASELINE = {
    "presence": ["none"],
    "content_posts": "0",
    "online_orders": "0",
    "digital_payments": "no",
    "bookkeeping": "paper",
    "paid_ads": "no",
    "revenue": "5-15",
    "online_share": "0",
    "workers": "2-4",
    "customers_outside": "no",
}
ENDLINE = {
    "presence": ["wa_catalog", "qris"],
    "content_posts": "4-10",
    "online_orders": "1-10",
    "digital_payments": "yes",
    "bookkeeping": "spreadsheet",
    "paid_ads": "no",
    "revenue": "5-15",
    "online_share": "1-24",
    "workers": "2-4",
    "customers_outside": "yes",
}
SKIPPED_FIRST = "customers_outside"  # left unanswered on the first try

# Indonesian strings that are settled (msgid in comments).
HOME = "Beranda"  # Home
CONTINUE = "Lanjutkan belajar"  # Continue learning
DONE_NEXT = "Selesai, lanjut ke materi berikutnya"  # Done, next lesson
SEND_QUIZ = "Kirim jawaban"  # Send answers
YOUR_ANSWER = "Jawaban Anda"  # Your answer
SEND_TASK = "Kirim tugas"  # Send task
TASK_SENT = "Tugas Anda sudah terkirim. Bagus sekali!"  # Your task is submitted. Well done!
PASSED = "Anda lulus dengan nilai 100%. Bagus sekali!"  # You passed with %(s)s%. Well done!
COHORTS = "Angkatan"  # Cohorts


CELL = re.compile(r"^(\d+) \((\d+)%\)$")  # "7 (54%)"; "< 5" when suppressed
CHANGE = re.compile(r"^([+-]?\d+)\b")  # "+46 poin" / "+46 points"; "–" when not shown


# --- Text ---------------------------------------------------------------------------------


def msgid(lazy) -> str:
    """The English msgid behind a gettext_lazy string (e.g. an instrument label)."""
    with translation.override(None):
        return str(lazy)


def question_group(page, position: int, key: str):
    """The fieldset of a question: its legend reads "<position>. <question>"."""
    text = msgid(instrument.CORE[key].text)
    return page.get_by_role("main").get_by_role(
        "group", name=ui_text(text, template=f"{position}. {{}}")
    )


def option(page, position: int, key: str, code: str):
    question = instrument.CORE[key]
    role = "checkbox" if question.kind == instrument.MULTI else "radio"
    label = msgid(dict(question.choices)[code])
    return question_group(page, position, key).get_by_role(role, name=ui_text(label))


def chosen_options(answers: dict):
    """(position, key, code) of every ticked option, question by question."""
    for position, key in enumerate(instrument.CORE_KEYS, start=1):
        if key in answers:
            value = answers[key]
            for code in value if isinstance(value, list) else [value]:
                yield position, key, code


def expect_message(page, kind: str, msg: str) -> None:
    """Django's messages, shown at the top of main with the level as class."""
    expect(page.get_by_role("main").locator(f"ul.messages li.{kind}")).to_have_text(ui_text(msg))


def survey_card(page, wave_label: str):
    heading = page.get_by_role("heading", level=2, name=ui_text(wave_label))
    return page.get_by_role("main").locator("section.card").filter(has=heading)


# --- The learner ----------------------------------------------------------------------------


def answer_survey(page, answers: dict) -> None:
    for position, key, code in chosen_options(answers):
        option(page, position, key, code).check()


def expect_ticked(page, answers: dict) -> None:
    for position, key, code in chosen_options(answers):
        expect(option(page, position, key, code)).to_be_checked()


def survey_buttons(page):
    main = page.get_by_role("main")
    return main.locator("button[name=send]"), main.locator("button[name=draft]")


def learner_fills_the_baseline(page, new_context, base_url: str) -> int:
    """Step 1. Returns the demo cohort's id (from the survey URL)."""
    main = page.get_by_role("main")
    card = survey_card(page, "Baseline survey")
    expect(card).to_have_count(1)
    expect(card.locator("p").first).to_have_text(
        ui_text("Before you start: 10 short questions about your business online. About 3 minutes.")
    )
    # The endline is not asked before the lessons are done.
    expect(survey_card(page, "Endline survey")).to_have_count(0)
    check_page(page)

    card.get_by_role("link", name=ui_text("Fill in the survey")).click()
    expect(page).to_have_url(re.compile(re.escape(base_url) + r"/surveys/\d+/baseline/$"))
    survey_path = urllib.parse.urlsplit(page.url).path
    cohort_id = int(survey_path.split("/")[2])
    expect(page.get_by_role("heading", level=1)).to_have_text(ui_text("Baseline survey"))
    expect(main).to_contain_text(COHORT_NAME)
    expect(main.locator("fieldset")).to_have_count(len(instrument.CORE_KEYS))
    check_page(page)

    measure_page(new_context, page.context.storage_state(), base_url, survey_path, "survey")

    # First try: the last question is left unanswered.
    first_try = {k: v for k, v in BASELINE.items() if k != SKIPPED_FIRST}
    answer_survey(page, first_try)
    send, draft = survey_buttons(page)
    expect(send).to_have_text(ui_text("Send answers"))
    expect(draft).to_have_text(ui_text("Save and finish later"))
    send.click()

    expect(page).to_have_url(base_url + survey_path)
    expect_message(page, "error", "Some answers need a look. Nothing you saved before was lost.")
    skipped_position = instrument.CORE_KEYS.index(SKIPPED_FIRST) + 1
    skipped = question_group(page, skipped_position, SKIPPED_FIRST)
    expect(skipped.locator(".errorlist")).to_have_text(ui_text("Please answer this question."))
    expect(main.locator(".errorlist")).to_have_count(1)  # only the unanswered question
    expect_ticked(page, first_try)  # nothing the learner ticked was lost
    check_page(page)

    # Not now: keep what is done as a draft.
    survey_buttons(page)[1].click()
    expect(page).to_have_url(f"{base_url}/")
    expect_message(page, "success", "Saved as a draft. You can finish it later.")
    card = survey_card(page, "Baseline survey")
    check_page(page)

    # Later: back from the home card, the draft is there; finish it and send.
    card.get_by_role("link", name=ui_text("Finish the survey")).click()
    expect(page).to_have_url(base_url + survey_path)
    expect_ticked(page, first_try)
    expect(main.locator(".errorlist")).to_have_count(0)
    answer_survey(page, {SKIPPED_FIRST: BASELINE[SKIPPED_FIRST]})
    expect_ticked(page, BASELINE)
    survey_buttons(page)[0].click()

    expect(page).to_have_url(f"{base_url}/")
    expect_message(page, "success", "Thank you! Your answers were sent.")
    expect(survey_card(page, "Baseline survey")).to_have_count(0)
    check_page(page)

    # What was sent is kept: the survey shows it as sent, with every answer.
    page.goto(base_url + survey_path)
    expect(main.locator("p.note.ok")).to_have_text(
        ui_text("You sent this survey. You can change your answers and send them again.")
    )
    expect_ticked(page, BASELINE)
    return cohort_id


def measure_page(new_context, state, base_url: str, path: str, label: str) -> None:
    """Bytes on the wire of a page in a fresh HTTP cache (same session), then again."""
    context = new_context(storage_state=state)
    page = context.new_page()
    meter = NetworkMeter(context, page, base_url)
    url = f"{meter.url}{path}"
    first = meter.visit(url)
    assert page.url == url, f"{path} redirected to {page.url}"
    assert_first_visit_within_budget(first)
    repeat = meter.visit(url)
    assert_repeat_visit_fetches_only_html(repeat)
    record(f"{path} ({label})", first, repeat)
    context.close()


def do_quiz(page, lesson: dict) -> None:
    main = page.get_by_role("main")
    for question in lesson["questions"]:
        group = main.get_by_role("group", name=question["text"])
        role = "checkbox" if question.get("kind") == "multiple" else "radio"
        for choice in question["options"]:
            if choice["correct"]:
                group.get_by_role(role, name=choice["text"], exact=True).check()
    main.get_by_role("button", name=SEND_QUIZ).click()
    expect(page).to_have_url(re.compile(r"/attempts/\d+/$"))
    expect(main).to_contain_text(PASSED)


def learner_finishes_the_course(page, base_url: str) -> None:
    """Step 2, first half: every lesson still to do, the way the course offers them."""
    course_url = f"{base_url}{COURSE_PATH}"
    page.get_by_role("banner").get_by_role("link", name=HOME).click()
    expect(page).to_have_url(f"{base_url}/")
    page.get_by_role("main").get_by_role("link", name=CONTINUE).click()
    done = 0
    while page.url != course_url:
        assert done < len(LESSONS), "the course never finished"
        title = page.get_by_role("heading", level=1).inner_text().strip()
        lesson = LESSONS[title]
        main = page.get_by_role("main")
        if lesson["kind"] == "reading":
            main.get_by_role("button", name=DONE_NEXT).click()
            # On to the next lesson, or to the course page after the last one.
            expect(page.get_by_role("heading", level=1)).not_to_have_text(title)
        elif lesson["kind"] == "quiz":
            do_quiz(page, lesson)
        else:
            # The practice task, without a photo (it is optional).
            main.get_by_label(YOUR_ANSWER).fill(
                "Katalog 5 wayang golek sudah saya buat, lengkap dengan harga dan foto."
            )
            main.get_by_role("button", name=SEND_TASK).click()
            expect(main.get_by_text(TASK_SENT)).to_be_visible()
        done += 1
        # Whatever the lesson ends on, "continue" goes to the next one, or to the course
        # page once there is none left.
        page.goto(f"{base_url}{COURSE_PATH}continue/")
    assert done, "learner 20 is seeded part-way: there were lessons left to do"
    expect(page.get_by_role("heading", level=1)).to_have_text(DEMO_COURSE["title"])


def learner_sends_the_endline(page, base_url: str, cohort_id: int) -> None:
    """Step 2, second half."""
    page.get_by_role("banner").get_by_role("link", name=HOME).click()
    expect(page).to_have_url(f"{base_url}/")
    card = survey_card(page, "Endline survey")
    expect(card.locator("p").first).to_have_text(
        ui_text("You finished the lessons! Tell us what changed in your business. About 3 minutes.")
    )
    check_page(page)
    card.get_by_role("link", name=ui_text("Fill in the survey")).click()
    expect(page).to_have_url(f"{base_url}/surveys/{cohort_id}/endline/")
    expect(page.get_by_role("heading", level=1)).to_have_text(ui_text("Endline survey"))
    answer_survey(page, ENDLINE)
    check_page(page)
    survey_buttons(page)[0].click()
    expect(page).to_have_url(f"{base_url}/")
    expect_message(page, "success", "Thank you! Your answers were sent.")
    expect(survey_card(page, "Endline survey")).to_have_count(0)
    expect(survey_card(page, "Baseline survey")).to_have_count(0)


# --- The report -------------------------------------------------------------------------------


def summary_numbers(page) -> tuple[str, str]:
    """(participants, people who sent both), as the summary card shows them."""
    heading = page.get_by_role("heading", level=2, name=ui_text("Summary"))
    numbers = page.get_by_role("main").locator("section.card").filter(has=heading)
    strong = numbers.locator("strong")
    expect(strong).to_have_count(2)
    return strong.nth(0).inner_text().strip(), strong.nth(1).inner_text().strip()


def indicator_rows(page) -> list[list[str]]:
    """The before/after table: [indicator, baseline, endline, change] per indicator."""
    header = page.get_by_role("columnheader", name=ui_text("Indicator"))
    table = page.get_by_role("main").get_by_role("table").filter(has=header).first
    expect(table).to_be_visible()
    return table.evaluate(
        """t => [...t.tBodies[0].rows]
            .filter(r => !r.classList.contains('stage'))
            .map(r => [r.querySelector('th').textContent.trim(),
                       ...[...r.cells].slice(1).map(c => c.textContent.trim())])"""
    )


def cohort_row(page) -> list[str]:
    """The demo cohort's row of the per-cohort table: participants, baseline, endline, both."""
    header = page.get_by_role("columnheader", name=ui_text("Cohort"))
    table = page.get_by_role("main").get_by_role("table").filter(has=header)
    row = table.get_by_role("row").filter(
        has=page.get_by_role("rowheader", name=COHORT_NAME, exact=True)
    )
    expect(row).to_have_count(1)
    return [cell.strip() for cell in row.get_by_role("cell").all_inner_texts()]


def shown_cell(yes: int, n: int) -> str:
    """A yes/no indicator cell as the report must show it: count and share of n, or "< 5"
    when either the yes or the no group has 1 to 4 people."""
    if 0 < yes < 5 or 0 < n - yes < 5:
        return "< 5"
    return f"{yes} ({round(100 * yes / n)}%)"


def wa_catalogue_counts() -> tuple[int, int]:
    """How many of the paired people have WhatsApp Business with a catalogue, baseline and
    endline: the seeded pairs of outcomes/demo.py plus learner 20's answers."""
    pairs = [*outcomes_demo.ANSWERS, (BASELINE, ENDLINE)]
    before = sum("wa_catalog" in b["presence"] for b, _e in pairs)
    after = sum("wa_catalog" in e["presence"] for _b, e in pairs)
    return before, after


def check_report_numbers(page) -> list[list[str]]:
    """The numbers the report computes, checked against each other and the answers."""
    main = page.get_by_role("main")
    participants, paired = summary_numbers(page)
    assert paired == str(PAIRED_AFTER), f"people who sent both: {paired}"
    assert int(participants) >= PAIRED_AFTER, participants
    expect(main).to_contain_text(f"n = {PAIRED_AFTER}")
    # The per-cohort table agrees: everyone counted as paired sent each survey.
    members, baselines, endlines, both = cohort_row(page)
    assert (members, both) == (participants, paired), (members, both)
    assert int(baselines) >= PAIRED_AFTER and int(endlines) >= PAIRED_AFTER

    rows = indicator_rows(page)
    assert len(rows) == len(instrument.INDICATORS), rows
    for row, indicator in zip(rows, instrument.INDICATORS, strict=True):
        assert row[0] in ui_strings(msgid(indicator.label)), (row, indicator)
    presence_labels = {
        text
        for i in instrument.INDICATORS
        if i.stage == instrument.PRESENCE
        for text in ui_strings(msgid(i.label))
    }
    for label, before, after, change in rows:
        shown = [CELL.match(before), CELL.match(after)]
        for match, text in zip(shown, (before, after), strict=True):
            assert match or text == "< 5", f"{label}: {text!r}"
            if match:
                count, percent = int(match[1]), int(match[2])
                assert count <= PAIRED_AFTER and 0 <= percent <= 100, (label, text)
                if label in presence_labels:  # everyone answers the presence question
                    assert percent == round(100 * count / PAIRED_AFTER), (label, text)
        if all(shown):
            moved = CHANGE.match(change)
            assert moved, f"{label}: change {change!r}"
            assert int(moved[1]) == int(shown[1][2]) - int(shown[0][2]), (label, before, after)
            if int(moved[1]) > 0:
                assert change.startswith("+"), change
        else:
            assert change == "–", f"{label}: a change shown for a hidden cell: {change!r}"

    wa_label = ui_strings(msgid(instrument.INDICATORS[0].label))
    wa = next(row for row in rows if row[0] in wa_label)
    before, after = wa_catalogue_counts()
    assert wa[1:3] == [shown_cell(before, PAIRED_AFTER), shown_cell(after, PAIRED_AFTER)], wa
    # The demo shows a climb: both percentages and a "+N points" change.
    gain = int(CELL.match(wa[2])[2]) - int(CELL.match(wa[1])[2])
    assert gain > 0
    assert wa[3] in ui_strings("+%(n)s points", n=gain), wa
    return rows


def staff_opens_the_report(page, base_url: str, cohort_id: int) -> tuple:
    """Step 3."""
    page.get_by_role("banner").get_by_role("link", name=COHORTS, exact=True).click()
    expect(page).to_have_url(f"{base_url}/staff/cohorts/")
    page.get_by_role("main").get_by_role("link", name=COHORT_NAME, exact=True).click()
    expect(page).to_have_url(f"{base_url}/staff/cohorts/{cohort_id}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(COHORT_NAME)
    page.get_by_role("main").get_by_role("link", name=ui_text("Outcome report")).click()
    expect(page).to_have_url(f"{base_url}{REPORT_PATH}?cohort={cohort_id}")
    expect(page.get_by_role("heading", level=1)).to_have_text(ui_text("Outcome report"))
    rows = check_report_numbers(page)
    check_page(page)
    return summary_numbers(page), rows


# --- The partner ----------------------------------------------------------------------------


def personal_strings() -> list[str]:
    """Every demo learner's name, business name and phone number, as they may be written."""
    found = []
    for number, (name, business, *_rest) in enumerate(DEMO_LEARNERS, start=1):
        digits = f"{number:04d}"
        found += [
            name,
            business,
            f"0812-0000-{digits}",
            f"0812 0000 {digits}",
            f"08120000{digits}",
            f"+628120000{digits}",
            f"628120000{digits}",
        ]
    # Nor the names of the programme's own people.
    found += [name for _phone, name, *_rest in (*STAFF, *MENTORS)]
    return found


def assert_nothing_personal(where: str, text: str) -> None:
    lowered = text.lower()
    leaks = [s for s in personal_strings() if s.lower() in lowered]
    assert not leaks, f"{where} shows personal data: {leaks}"


def csv_export(page) -> list[list[str]]:
    main = page.get_by_role("main")
    with page.expect_download() as download_info:
        main.get_by_role("link", name="CSV", exact=True).click()
    download = download_info.value
    assert re.fullmatch(r"laporan-hasil-\d{4}-\d\d-\d\d\.csv", download.suggested_filename), (
        download.suggested_filename
    )
    text = download.path().read_bytes().decode("utf-8-sig")
    assert_nothing_personal("the CSV export", text)
    return list(csv.reader(io.StringIO(text)))


def check_csv_matches(rows: list[list[str]], indicators: list[list[str]]) -> None:
    assert all(len(row) == 6 for row in rows), rows
    body = rows[1:]
    both = [row for row in body if row[1] in ui_strings("People who sent both surveys")]
    assert [row[2] for row in both] == [str(PAIRED_AFTER)], both
    sections = ui_strings("Indicator (baseline, endline)")
    exported = {row[1]: row[2:] for row in body if row[0] in sections}
    assert set(exported) == {row[0] for row in indicators}, (exported, indicators)
    for label, before, after, change in indicators:
        csv_before, csv_after, _followup, csv_change = exported[label]
        assert (csv_before, csv_after) == (before, after), (label, exported[label])
        moved = CHANGE.match(change)
        assert csv_change == (moved[1].lstrip("+") if moved else ""), (label, change, csv_change)
    cohorts = ui_strings("Cohort: people who sent both surveys")
    cohort_both = [row[2] for row in body if row[0] in cohorts and row[1] == COHORT_NAME]
    assert cohort_both == [str(PAIRED_AFTER)], cohort_both


def partner_reads_the_report(page, new_context, base_url: str, cohort_id: int, staff_saw):
    """Step 4 and the printable layout (step 5)."""
    (staff_summary, staff_rows) = staff_saw
    sign_in(page, base_url, login=PARTNER_PHONE, password=PASSWORD, landing=REPORT_PATH)
    expect(page.get_by_role("heading", level=1)).to_have_text(ui_text("Outcome report"))
    # Only the demo cohort is shared with the partner: the same aggregates as staff saw for
    # it, unfiltered.
    assert summary_numbers(page) == staff_summary
    rows = check_report_numbers(page)
    assert rows == staff_rows
    header = page.get_by_role("columnheader", name=ui_text("Cohort"))
    cohort_names = (
        page.get_by_role("main").get_by_role("table").filter(has=header).get_by_role("rowheader")
    )
    expect(cohort_names).to_have_text([COHORT_NAME])
    # A partner has no staff menu.
    nav = page.get_by_role("banner").get_by_role("navigation")
    expect(nav.get_by_role("link", name=COHORTS, exact=True)).to_have_count(0)
    assert_nothing_personal("the partner's report", page.content())
    check_page(page)

    check_csv_matches(csv_export(page), rows)

    measure_page(new_context, page.context.storage_state(), base_url, REPORT_PATH, "report")

    # The printable layout: the report only.
    page.emulate_media(media="print")
    expect(page.get_by_role("banner")).to_be_hidden()
    expect(page.locator("header nav")).to_be_hidden()
    expect(page.locator("main form.filters")).to_be_hidden()
    expect(page.get_by_role("main").get_by_role("link", name="CSV", exact=True)).to_be_hidden()
    expect(page.locator("footer")).to_be_hidden()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(
        page.get_by_role("main")
        .get_by_role("table")
        .filter(has=page.get_by_role("columnheader", name=ui_text("Indicator")))
        .first
    ).to_be_visible()
    page.emulate_media(media="screen")
    expect(page.get_by_role("banner")).to_be_visible()

    # Nothing beyond the aggregates: staff and learner pages answer 404.
    for path in (
        f"/staff/cohorts/{cohort_id}/",
        f"/staff/cohorts/{cohort_id}/learners/",
        f"/surveys/{cohort_id}/baseline/",
        f"/surveys/{cohort_id}/endline/",
    ):
        response = page.goto(f"{base_url}{path}")
        assert response.status == 404, f"partner got {response.status} on {path}"
        assert_nothing_personal(path, page.content())


# --- The journey -----------------------------------------------------------------------------


def test_outcomes_from_baseline_to_partner_report(server, new_context):
    page = new_context().new_page()
    sign_in(page, server.url, login=LEARNER_PHONE, password=PASSWORD)
    cohort_id = learner_fills_the_baseline(page, new_context, server.url)
    learner_finishes_the_course(page, server.url)
    learner_sends_the_endline(page, server.url, cohort_id)

    page = new_context().new_page()
    sign_in(page, server.url, login=STAFF_PHONE, password=PASSWORD)
    staff_saw = staff_opens_the_report(page, server.url, cohort_id)

    page = new_context().new_page()
    partner_reads_the_report(page, new_context, server.url, cohort_id, staff_saw)


def test_report_tables_are_keyboard_scrollable(server, new_context):
    page = new_context().new_page()
    sign_in(page, server.url, login=PARTNER_PHONE, password=PASSWORD, landing=REPORT_PATH)
    expect(page.get_by_role("heading", level=1)).to_have_text(ui_text("Outcome report"))
    check_page(page)
