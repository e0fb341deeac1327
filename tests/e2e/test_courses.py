"""The learner's course journey on a 360 px phone, in Indonesian, against gunicorn.

Every journey signs in as its own seeded demo learner (courses/demo.py PROGRESS_PLAN), so
the tests do not depend on each other's progress or on their order:

- 0812-0000-0014 has done the first 2 lessons, like the demo log-in 0812-0000-0001, which
  test_accounts.py and the page weights below also use and which is therefore left as seeded;
- 0812-0000-0007 has done 3 lessons, so the module 1 quiz is next and not yet passed;
- 0812-0000-0013 has done 7 lessons, so the practice task is next and has no submission.

Names are the Indonesian strings of locale/id/LC_MESSAGES/django.po; course content comes
from courses/demo_content.py, which is also where the tests learn which options are right.
"""

import io
import re

import pytest
from PIL import Image
from playwright.sync_api import expect

from courses.demo_content import DEMO_COURSE
from tests.e2e.support import (
    FIRST_VISIT_BUDGET,
    NetworkMeter,
    assert_first_visit_within_budget,
    assert_repeat_visit_fetches_only_html,
    check_page,
    record,
    sign_in,
)

pytestmark = pytest.mark.browser

PASSWORD = "belajar-bareng-2026"
COURSE_SLUG = DEMO_COURSE["slug"]
COURSE_PATH = f"/courses/{COURSE_SLUG}/"
LESSONS = [lesson for module in DEMO_COURSE["modules"] for lesson in module["lessons"]]
MODULE_1_QUIZ = next(
    lesson for lesson in DEMO_COURSE["modules"][0]["lessons"] if lesson["kind"] == "quiz"
)
TASK = next(item for item in LESSONS if item["kind"] == "task")
GPS_IFD = 0x8825

# Indonesian UI strings (msgid in comments).
HOME = "Beranda"  # Home
CONTINUE = "Lanjutkan belajar"  # Continue learning
DONE_NEXT = "Selesai, lanjut ke materi berikutnya"  # Done, next lesson
PROGRESS = "Kemajuan belajar"  # Progress / Course progress
SEND_ANSWERS = "Kirim jawaban"  # Send answers
TRY_AGAIN = "Coba lagi"  # Try again
RIGHT, NOT_RIGHT = "Benar", "Kurang tepat"  # Right, Not right
YOUR_CHOICE = "Pilihan Anda:"  # Your choice:
YOUR_ANSWER = "Jawaban Anda"  # Your answer
PHOTOS = "Foto (tidak wajib, paling banyak 3)"  # Photos (optional, up to 3)
SEND_TASK = "Kirim tugas"  # Send task
TASK_SENT = "Tugas Anda sudah terkirim. Bagus sekali!"  # Your task is submitted. Well done!
LATEST_SUBMISSION = "Kiriman terakhir Anda"  # Your latest submission
WAITING_FOR_REVIEW = "Menunggu diperiksa"  # Waiting for review
SEE_WHAT_YOU_SENT = "Lihat yang Anda kirim"  # See what you sent
PRACTICE_TASK = "Tugas praktik"  # Practice task
TASK_PHOTO = "Foto yang dikirim bersama tugas"  # Photo sent with the task


def percent(done: int) -> int:
    """The course progress after `done` lessons, as services.progress computes it."""
    return 100 * done // len(LESSONS)


def lesson_number(lesson: dict) -> int:
    return LESSONS.index(lesson) + 1


def demo_phone(index: int) -> str:
    return f"08120000{index:04d}"


def progress_bar(page):
    # Home and lesson pages label their bar the same way.
    return page.get_by_role("main").get_by_role("progressbar", name=PROGRESS, exact=True)


def expect_progress(page, done: int) -> None:
    expect(progress_bar(page)).to_have_attribute("value", str(percent(done)))


def expect_lesson_page(page, lesson: dict) -> None:
    expect(page.locator("html")).to_have_attribute("lang", "id")
    expect(page.get_by_role("heading", level=1)).to_have_text(lesson["title"])
    expect(page.get_by_role("main")).to_contain_text(
        f"Materi {lesson_number(lesson)} dari {len(LESSONS)}"  # Lesson %(n)s of %(total)s
    )


def open_course_lesson(page, base_url: str, title_start: str):
    """Open the first lesson in the course outline whose link text starts with title_start."""
    page.goto(f"{base_url}{COURSE_PATH}")
    expect(page.get_by_role("heading", level=1)).to_have_text(DEMO_COURSE["title"])
    check_page(page)
    starts = re.compile(f"^{re.escape(title_start)}")
    link = page.get_by_role("main").get_by_role("link", name=starts).first
    title = link.inner_text().strip()
    link.click()
    return title


def question_group(page, question: dict):
    # Each question is a fieldset whose legend is "<number>. <question text>".
    return page.get_by_role("main").get_by_role("group", name=question["text"])


def answer(page, question: dict, *, right: bool) -> list[dict]:
    """Tick the right options, or only wrong ones; return the options ticked."""
    group = question_group(page, question)
    role = "checkbox" if question.get("kind") == "multiple" else "radio"
    wrong = [option for option in question["options"] if not option["correct"]]
    if right:
        chosen = [option for option in question["options"] if option["correct"]]
    else:
        chosen = wrong if role == "checkbox" else wrong[:1]
    for option in chosen:
        group.get_by_role(role, name=option["text"], exact=True).check()
    return chosen


def result_card(page, question: dict):
    heading = page.get_by_role("heading", name=question["text"])
    return page.get_by_role("main").locator("section").filter(has=heading)


def test_learner_continues_and_completes_a_reading_lesson(server, new_context):
    page = new_context().new_page()
    # Two lessons done, the same start as the demo log-in (which other tests rely on).
    sign_in(page, server.url, login=demo_phone(14), password=PASSWORD)
    expect(page).to_have_title(re.compile(f"^{HOME} "))
    expect(page.get_by_role("banner").get_by_role("link", name=HOME)).to_be_visible()
    expect_progress(page, 2)
    expect(page.get_by_role("main")).to_contain_text(f"Berikutnya: {LESSONS[2]['title']}")
    check_page(page)

    page.get_by_role("main").get_by_role("link", name=CONTINUE).click()
    assert LESSONS[2]["kind"] == "reading"
    expect_lesson_page(page, LESSONS[2])
    expect_progress(page, 2)
    lesson_url = page.url
    check_page(page)

    page.get_by_role("main").get_by_role("button", name=DONE_NEXT).click()
    # Done: on to the next lesson, one lesson further along.
    expect_lesson_page(page, LESSONS[3])
    expect_progress(page, 3)
    check_page(page)

    page.get_by_role("navigation", name="Daftar materi").get_by_role(
        "link", name="Sebelumnya"
    ).click()  # Lessons, Previous
    expect(page).to_have_url(lesson_url)
    expect(page.get_by_role("main")).to_contain_text(
        "Anda sudah menyelesaikan materi ini."  # You finished this lesson.
    )
    expect(page.get_by_role("button", name=DONE_NEXT)).to_have_count(0)
    check_page(page)

    page.get_by_role("banner").get_by_role("link", name=HOME).click()
    expect(page).to_have_url(f"{server.url}/")
    expect_progress(page, 3)
    expect(page.get_by_role("main")).to_contain_text(f"Berikutnya: {LESSONS[3]['title']}")
    check_page(page)


def test_learner_fails_the_module_quiz_then_passes_it(server, new_context):
    page = new_context().new_page()
    sign_in(page, server.url, login=demo_phone(7), password=PASSWORD)  # 3 lessons done
    title = open_course_lesson(page, server.url, "Kuis:")
    # The first quiz in the outline is the one that closes module 1.
    assert title == MODULE_1_QUIZ["title"]
    expect_lesson_page(page, MODULE_1_QUIZ)
    expect_progress(page, 3)
    check_page(page)

    questions = MODULE_1_QUIZ["questions"]
    chosen_wrong = [answer(page, question, right=False) for question in questions]
    page.get_by_role("main").get_by_role("button", name=SEND_ANSWERS).click()

    expect(page).to_have_url(re.compile(r"/attempts/\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(MODULE_1_QUIZ["title"])
    mark = MODULE_1_QUIZ["pass_mark"]
    main = page.get_by_role("main")
    expect(main).to_contain_text(f"Nilai Anda 0%. Anda perlu {mark}% untuk lulus.")
    for question, chosen in zip(questions, chosen_wrong, strict=True):
        card = result_card(page, question)
        expect(card.get_by_text(NOT_RIGHT, exact=True)).to_be_visible()
        expect(card.get_by_text(YOUR_CHOICE)).to_have_count(len(chosen))
        # Every option explains itself: the learner sees why a choice was wrong, and the
        # right answer with its reason.
        for option in question["options"]:
            expect(card).to_contain_text(option["explanation"])
    expect(main.get_by_text(RIGHT, exact=True)).to_have_count(0)
    expect(main.get_by_role("link", name=CONTINUE)).to_have_count(0)
    check_page(page)

    main.get_by_role("link", name=TRY_AGAIN).click()
    expect_lesson_page(page, MODULE_1_QUIZ)
    expect(page.get_by_role("main")).to_contain_text("Nilai terbaik Anda: 0%.")
    expect_progress(page, 3)  # a failed attempt completes nothing
    check_page(page)

    for question in questions:
        answer(page, question, right=True)
    page.get_by_role("main").get_by_role("button", name=SEND_ANSWERS).click()

    expect(page).to_have_url(re.compile(r"/attempts/\d+/$"))
    main = page.get_by_role("main")
    expect(main).to_contain_text("Anda lulus dengan nilai 100%. Bagus sekali!")
    expect(main.get_by_text(RIGHT, exact=True)).to_have_count(len(questions))
    expect(main.get_by_text(NOT_RIGHT, exact=True)).to_have_count(0)
    expect(main.get_by_role("link", name=TRY_AGAIN)).to_have_count(0)
    check_page(page)

    main.get_by_role("link", name=CONTINUE).click()
    next_lesson = LESSONS[lesson_number(MODULE_1_QUIZ)]
    expect_lesson_page(page, next_lesson)
    expect_progress(page, 4)
    check_page(page)


def phone_photo(path) -> None:
    """A 2000x1500 JPEG that, like a phone camera's, says where it was taken."""
    exif = Image.Exif()
    exif[0x010F] = "Samsung"  # Make
    exif[GPS_IFD] = {1: "S", 2: (6.0, 54.0, 52.8), 3: "E", 4: (107.0, 36.0, 36.0)}
    image = Image.new("RGB", (2000, 1500), (190, 110, 50))
    image.paste((40, 120, 60), (500, 400, 1500, 1100))
    image.save(path, "JPEG", quality=85, exif=exif)
    assert Image.open(path).getexif().get_ifd(GPS_IFD), "the test photo lost its GPS data"


def test_learner_sends_the_practice_task_with_a_photo(server, new_context, tmp_path):
    photo = tmp_path / "katalog.jpg"
    phone_photo(photo)
    text = "Sudah saya buat 5 produk di katalog: keripik pedas, original, balado, dan 2 paket."

    context = new_context()
    page = context.new_page()
    sign_in(page, server.url, login=demo_phone(13), password=PASSWORD)  # 7 lessons done
    title = open_course_lesson(page, server.url, f"{PRACTICE_TASK}:")
    assert title == TASK["title"]
    expect_lesson_page(page, TASK)
    expect_progress(page, 7)
    expect(page.get_by_role("heading", name=LATEST_SUBMISSION)).to_have_count(0)
    check_page(page)
    task_url = page.url

    main = page.get_by_role("main")
    main.get_by_label(YOUR_ANSWER).fill(text)
    main.get_by_label(PHOTOS).set_input_files(photo)
    main.get_by_role("button", name=SEND_TASK).click()

    expect(page).to_have_url(task_url)
    expect(main.get_by_text(TASK_SENT)).to_be_visible()
    latest = main.locator("section").filter(has=page.get_by_role("heading", name=LATEST_SUBMISSION))
    expect(latest).to_contain_text(WAITING_FOR_REVIEW)
    expect_progress(page, 8)  # the course counts a task done once it is sent
    check_page(page)

    latest.get_by_role("link", name=SEE_WHAT_YOU_SENT).click()
    expect(page).to_have_url(re.compile(r"/submissions/\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(PRACTICE_TASK)
    main = page.get_by_role("main")
    expect(main).to_contain_text(WAITING_FOR_REVIEW)
    expect(main).to_contain_text(text)
    image = main.get_by_role("img", name=TASK_PHOTO)
    expect(image).to_have_count(1)
    image.scroll_into_view_if_needed()  # it is loading="lazy"
    expect(image).to_have_js_property("complete", True)
    natural = image.evaluate("img => [img.naturalWidth, img.naturalHeight]")
    # The page shows the phone-sized copy, not the 1600 px photo.
    assert natural == [720, 540], natural
    check_page(page)

    # What the server kept (the full photo, opened from the link) carries no location.
    full_url = page.locator("main a:has(img.photo)").get_attribute("href")
    response = context.request.get(server.url + full_url)
    assert response.ok, response.status
    stored = Image.open(io.BytesIO(response.body()))
    assert stored.format == "JPEG" and stored.size == (1600, 1200)
    assert not stored.getexif().get_ifd(GPS_IFD), "GPS data was not removed"


def test_course_pages_weight(server, new_context):
    sign_in_context = new_context()
    page = sign_in_context.new_page()
    sign_in(page, server.url, login=demo_phone(1), password=PASSWORD)
    page.goto(f"{server.url}{COURSE_PATH}")
    main = page.get_by_role("main")
    # The lesson with the "done" button, as a learner part-way through sees it.
    reading = LESSONS[2]
    reading_href = main.get_by_role("link", name=reading["title"], exact=True).get_attribute("href")
    quiz_href = main.get_by_role("link", name=MODULE_1_QUIZ["title"], exact=True).get_attribute(
        "href"
    )
    state = sign_in_context.storage_state()

    pages = [
        # label, path, h1, the full budget applies
        ("reading lesson", reading_href, reading["title"], True),
        ("learner home", "/", "Halo, Siti", True),
        ("quiz lesson", quiz_href, MODULE_1_QUIZ["title"], False),
        ("course page", COURSE_PATH, DEMO_COURSE["title"], False),
    ]
    for label, path, heading, budgeted in pages:
        # Same session cookie, but an empty HTTP cache: a first visit.
        context = new_context(storage_state=state)
        page = context.new_page()
        meter = NetworkMeter(context, page, server.url)
        url = f"{meter.url}{path}"

        first = meter.visit(url)
        assert page.url == url, f"{path} redirected to {page.url}"
        expect(page.locator("html")).to_have_attribute("lang", "id")
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        if budgeted:
            assert_first_visit_within_budget(first)
        else:
            assert first.total_bytes <= FIRST_VISIT_BUDGET, f"{path}: {first.summary()}"
        check_page(page)

        repeat = meter.visit(url)
        assert page.url == url
        if budgeted:
            assert_repeat_visit_fetches_only_html(repeat)
        record(f"{path} ({label})", first, repeat)
