"""Offline use (issue 8) on a 360 px phone against gunicorn: the service worker, "save for
reading offline", the offline queue, the data saver and the web app manifest.

Playwright's context.set_offline() cuts the network and turns navigator.onLine false, which is
what the page's script (static/js/app.js) and the service worker (/sw.js) react to. Rows the
server stored are counted in its SQLite database (server.database).

Demo learners that only these tests sign in as (courses/demo.py PROGRESS_PLAN; they are in
the demo cohort, whose survey answers nothing here touches):
- 0812-0000-0008 (1 lesson done, data saver on as everyone starts) reads offline, meets the
  picture placeholders and signs out;
- 0812-0000-0010 (6 done) saves module 2 for offline reading;
- 0812-0000-0011 (4 done, so the practice task is not sent yet) types the task offline;
- 0812-0000-0012 (10 done) answers quizzes offline: one quiz per test, attempts are counted
  per quiz.
The data saver's "off" needs a learner whose setting may change: a fresh sign-up.
"""

import io
import json
import re
import urllib.request
import uuid

import pytest
from django.template.defaultfilters import filesizeformat
from django.utils import translation
from PIL import Image
from playwright.sync_api import expect

from courses.demo_content import DEMO_COURSE
from tests.e2e.support import (
    answer_quiz,
    db_value,
    sign_in,
    sign_up_learner,
    ui_strings,
    ui_text,
    wait_for_service_worker,
    wait_for_value,
)

pytestmark = pytest.mark.browser

PASSWORD = "belajar-bareng-2026"
READER = "081200000008"
SAVER = "081200000010"
TASK_LEARNER = "081200000011"
QUIZ_LEARNER = "081200000012"
FRESH_PHONE, FRESH_PASSWORD = "0813-9000-0201", "nasi-uduk-pagi-31"  # signs up here

COURSE_PATH = f"/courses/{DEMO_COURSE['slug']}/"
MODULES = DEMO_COURSE["modules"]
LESSONS = [lesson for module in MODULES for lesson in module["lessons"]]
PICTURE = re.compile(r"!\[(?P<alt>[^\]]*)\]\(picture:")
PHOTO_LESSON = next(
    lesson for lesson in LESSONS if lesson["kind"] == "reading" and PICTURE.search(lesson["body"])
)
TASK = next(lesson for lesson in LESSONS if lesson["kind"] == "task")
QUIZZES = [lesson for lesson in LESSONS if lesson["kind"] == "quiz"]

# Indonesian strings settled elsewhere in the suite (test_courses.py).
SEND_ANSWERS = "Kirim jawaban"  # Send answers
SEND_TASK = "Kirim tugas"  # Send task
YOUR_ANSWER = "Jawaban Anda"  # Your answer
# What static/js/app.js and the offline page say (msgids; being translated).
QUEUED = "Saved on your phone, will be sent when you have a signal."
SENT = "Your saved answers were sent."
SEE_RESULT = "See the result"
OFFLINE = "You are offline. Lessons you opened before can still be read."
NO_CONNECTION = "No connection"
SAVE_MODULE = "Save for reading offline (± %(size)s)"
MODULE_SAVED = "Saved: you can read these lessons without a connection."
PLACEHOLDER = "Picture: %(alt)s. Tap to load (± %(size)s)"
DATA_SAVER = "Hemat kuota"  # the setting's label
SETTINGS_SAVED = "Your settings are saved."


def contains(msgid: str, **params) -> re.Pattern:
    """A pattern found in text that shows msgid somewhere (see support.ui_strings)."""
    choices = (re.escape(text).replace("/", r"\/") for text in ui_strings(msgid, **params))
    return re.compile("|".join(choices))


def size_text(size: int) -> str:
    """A size the way the site writes it (Django's filesizeformat, in Indonesian)."""
    with translation.override("id"):
        return str(filesizeformat(size))


def e164(phone: str) -> str:
    return "+62" + phone[1:]


# --- Server side ------------------------------------------------------------------------


def learner_values(server, table: str, column: str, phone: str, lesson: dict) -> list:
    """A column of the learner's rows for a lesson in a courses table, oldest first."""
    found = db_value(
        server.database,
        f"SELECT json_group_array({column}) FROM (SELECT r.{column} FROM {table} r"  # noqa: S608
        " JOIN courses_enrollment e ON e.id = r.enrollment_id"
        " JOIN users_user u ON u.id = e.user_id"
        " JOIN courses_lesson l ON l.id = r.lesson_id"
        " WHERE u.phone = ? AND l.title = ? ORDER BY r.id)",
        (e164(phone), lesson["title"]),
    )
    return json.loads(found)


def quiz_attempt_keys(server, phone: str, lesson: dict) -> list[str]:
    """Idempotency keys of the learner's attempts at a quiz (hex), oldest first."""
    return learner_values(server, "courses_quizattempt", "idempotency_key", phone, lesson)


def quiz_attempts(server, phone: str, lesson: dict) -> int:
    return len(quiz_attempt_keys(server, phone, lesson))


def task_texts(server, phone: str, lesson: dict) -> list[str]:
    return learner_values(server, "courses_tasksubmission", "text", phone, lesson)


# --- In the browser -----------------------------------------------------------------------


def signed_in(new_context, server, phone: str, **options):
    """A phone with the learner signed in and the service worker in charge of its pages."""
    context = new_context(**options)
    page = context.new_page()
    sign_in(page, server.url, login=phone, password=PASSWORD)
    wait_for_service_worker(page)
    return context, page


def lesson_paths(page, server) -> dict[str, str]:
    """Every lesson's path, from the course outline (an enrolled learner sees them all)."""
    page.goto(f"{server.url}{COURSE_PATH}")
    links = page.get_by_role("main").locator("ol.lessons a")
    paths = {link.inner_text().strip(): link.get_attribute("href") for link in links.all()}
    assert set(paths) == {lesson["title"] for lesson in LESSONS}, paths
    return paths


def stored(page, path: str) -> bool:
    """Whether the service worker (or "save for reading offline") keeps a copy of path."""
    return page.evaluate("async (path) => Boolean(await caches.match(path))", path)


def wait_until_stored(page, path: str) -> None:
    # The worker answers with the network's page first and stores its copy right after.
    wait_for_value(page, lambda: stored(page, path), True)


def queue(page) -> list[dict]:
    """What the page keeps to send once there is a signal again."""
    return page.evaluate("() => JSON.parse(localStorage.getItem('ukm-queue') || '[]')")


def queued_key(item: dict) -> str:
    return re.search(r"(?:^|&)idempotency_key=([0-9a-f-]+)", item["body"]).group(1)


def expect_lesson(page, lesson: dict) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text(lesson["title"])


def expect_queued(page) -> None:
    # The form is replaced by a note that says the answers wait on the phone.
    expect(page.get_by_role("main").get_by_text(contains(QUEUED))).to_be_visible()
    expect(page.get_by_role("main").locator("form[data-queue]")).to_have_count(0)


def expect_sent(page) -> None:
    status = page.locator("#offline-status")
    expect(status).to_contain_text(contains(SENT))
    expect(status.get_by_role("link")).to_have_text(ui_text(SEE_RESULT))


def reload_and_settle(page) -> None:
    """Reload, and let whatever the page's script sends on start have gone out."""
    page.reload(wait_until="networkidle")


# --- (a) Re-reading offline ----------------------------------------------------------------


def test_lesson_opened_online_reads_again_offline(server, new_context):
    context, page = signed_in(new_context, server, READER)
    paths = lesson_paths(page, server)
    opened, never_opened = MODULES[1]["lessons"][0], MODULES[1]["lessons"][2]
    url = f"{server.url}{paths[opened['title']]}"
    page.goto(url)
    expect_lesson(page, opened)
    text = page.get_by_role("main").locator(".lesson-body").inner_text()
    assert len(text) > 200, text
    wait_until_stored(page, paths[opened["title"]])

    context.set_offline(True)
    page.goto(url)  # opened again, say from the phone's history
    expect_lesson(page, opened)
    expect(page.get_by_role("main").locator(".lesson-body")).to_have_text(text)
    expect(page.locator("#offline-status")).to_have_text(ui_text(OFFLINE))

    # A lesson never opened on this phone: the offline page, which lists what can be read.
    page.goto(f"{server.url}{paths[never_opened['title']]}")
    expect(page.get_by_role("heading", level=1)).to_have_text(ui_text(NO_CONNECTION))
    readable = page.locator("#offline-pages")
    expect(readable.get_by_role("link", name=opened["title"])).to_have_attribute(
        "href", paths[opened["title"]]
    )
    expect(readable.get_by_role("link", name=never_opened["title"])).to_have_count(0)


# --- (b) Save a module for reading offline --------------------------------------------------


def test_saved_module_reads_offline_with_its_pictures(server, new_context):
    context, page = signed_in(new_context, server, SAVER)
    paths = lesson_paths(page, server)
    module = MODULES[1]
    assert PHOTO_LESSON in module["lessons"] and TASK in module["lessons"]
    heading = page.get_by_role("main").get_by_role("heading", level=2, name=module["title"])
    button = heading.locator("xpath=following-sibling::p[1]").get_by_role("button")
    pack = context.request.get(server.url + button.get_attribute("data-pack")).json()
    assert sorted(pack["pages"]) == sorted(paths[lesson["title"]] for lesson in module["lessons"])
    assert len(pack["pictures"]) == 2, pack  # the photo lesson's and the task's
    # The button, revealed by the script, says what saving costs.
    expect(button).to_be_visible()
    expect(button).to_have_text(ui_text(SAVE_MODULE, size=size_text(pack["bytes"])))

    button.click()
    expect(button).to_have_text(ui_text(MODULE_SAVED))
    for lesson in module["lessons"]:
        assert stored(page, paths[lesson["title"]]), lesson["title"]

    context.set_offline(True)
    for lesson in module["lessons"]:  # none of them was opened on this phone
        page.goto(f"{server.url}{paths[lesson['title']]}")
        expect_lesson(page, lesson)
        expect(page.locator("#offline-status")).to_have_text(ui_text(OFFLINE))
        if lesson in (PHOTO_LESSON, TASK):
            # The data saver is on: a tap shows the picture, from the phone.
            main = page.get_by_role("main")
            main.locator("a.ph-load").click()
            image = main.locator("picture img")
            expect(image).to_have_count(1)
            expect(image).to_have_js_property("complete", True)
            assert image.evaluate("img => img.naturalWidth") > 0, lesson["title"]


# --- (c) Quiz answers sent once -------------------------------------------------------------


def open_quiz(new_context, server, quiz: dict):
    context, page = signed_in(new_context, server, QUIZ_LEARNER)
    path = lesson_paths(page, server)[quiz["title"]]
    page.goto(f"{server.url}{path}")
    expect_lesson(page, quiz)
    wait_until_stored(page, path)
    return context, page


def answer_offline(page, quiz: dict) -> None:
    answer_quiz(page, quiz)
    page.get_by_role("main").get_by_role("button", name=SEND_ANSWERS).click()
    expect_queued(page)


def test_quiz_answered_offline_is_sent_once_on_reconnect(server, new_context):
    quiz = QUIZZES[2]
    context, page = open_quiz(new_context, server, quiz)
    before = quiz_attempts(server, QUIZ_LEARNER, quiz)

    context.set_offline(True)
    answer_offline(page, quiz)
    assert [item["state"] for item in queue(page)] == ["waiting"]
    assert quiz_attempts(server, QUIZ_LEARNER, quiz) == before

    context.set_offline(False)
    expect_sent(page)
    assert quiz_attempts(server, QUIZ_LEARNER, quiz) == before + 1
    assert queue(page) == []
    # The status line links to the result of what was sent.
    page.locator("#offline-status").get_by_role("link").click()
    expect(page).to_have_url(re.compile(r"/attempts/\d+/$"))
    expect(page.get_by_role("main")).to_contain_text("Anda lulus dengan nilai 100%.")
    for _ in range(2):
        reload_and_settle(page)
        assert queue(page) == []
        assert quiz_attempts(server, QUIZ_LEARNER, quiz) == before + 1


def test_quiz_answers_whose_reply_was_lost_count_once(server, new_context):
    quiz = QUIZZES[3]
    context, page = open_quiz(new_context, server, quiz)
    before = quiz_attempts(server, QUIZ_LEARNER, quiz)
    context.set_offline(True)
    answer_offline(page, quiz)
    [item] = queue(page)

    lost, aborted = [], []

    def lose_the_reply(route):
        # Noted before the fetch: the test thread may resume as soon as the attempt is stored.
        lost.append(route.request.post_data)
        route.fetch(max_redirects=0)  # the server stores the attempt...
        route.abort("connectionreset")  # ...but the phone never hears back
        aborted.append(True)

    # context.route: page.route does not see requests from a page a service worker controls.
    context.route(f"{server.url}{item['action']}", lose_the_reply, times=1)
    context.set_offline(False)
    wait_for_value(page, lambda: quiz_attempts(server, QUIZ_LEARNER, quiz), before + 1)
    wait_for_value(page, lambda: aborted, [True])
    assert lost == [item["body"]], (lost, item)
    # As far as the phone knows nothing arrived: the answers are still waiting.
    assert [waiting["id"] for waiting in queue(page)] == [item["id"]]
    expect(page.locator("#offline-status")).not_to_contain_text(contains(SENT))

    page.reload()  # the next time the learner opens a page, it is sent again
    expect_sent(page)
    assert queue(page) == []
    assert quiz_attempts(server, QUIZ_LEARNER, quiz) == before + 1
    reload_and_settle(page)
    assert quiz_attempts(server, QUIZ_LEARNER, quiz) == before + 1


def test_stored_quiz_page_answered_twice_offline_sends_two_attempts(server, new_context):
    quiz = QUIZZES[0]  # passed already; it has no attempt limit
    context, page = open_quiz(new_context, server, quiz)
    rendered_key = page.locator("[name=idempotency_key]").input_value()
    before = quiz_attempt_keys(server, QUIZ_LEARNER, quiz)

    context.set_offline(True)
    answer_offline(page, quiz)
    page.reload()  # the stored copy of the page, with the same key in its form
    expect_lesson(page, quiz)
    assert page.locator("[name=idempotency_key]").input_value() == rendered_key
    answer_offline(page, quiz)
    keys = [queued_key(item) for item in queue(page)]
    assert keys[0] == rendered_key and len(set(keys)) == 2, keys

    context.set_offline(False)
    expect_sent(page)
    wait_for_value(
        page, lambda: len(quiz_attempt_keys(server, QUIZ_LEARNER, quiz)), len(before) + 2
    )
    sent = quiz_attempt_keys(server, QUIZ_LEARNER, quiz)[len(before) :]
    assert sent == [uuid.UUID(key).hex for key in keys]
    wait_for_value(page, lambda: queue(page), [])  # the second went out after the first


# --- (d) Practice task typed offline --------------------------------------------------------


def test_task_typed_offline_is_sent_once_on_reconnect(server, new_context):
    text = "Katalog saya: 5 produk keripik, foto menyusul. Ditulis waktu tidak ada sinyal."
    context, page = signed_in(new_context, server, TASK_LEARNER)
    path = lesson_paths(page, server)[TASK["title"]]
    page.goto(f"{server.url}{path}")
    expect_lesson(page, TASK)
    before = task_texts(server, TASK_LEARNER, TASK)

    context.set_offline(True)
    main = page.get_by_role("main")
    main.get_by_label(YOUR_ANSWER).fill(text)
    main.get_by_role("button", name=SEND_TASK).click()
    expect_queued(page)
    assert task_texts(server, TASK_LEARNER, TASK) == before

    context.set_offline(False)
    expect_sent(page)
    assert task_texts(server, TASK_LEARNER, TASK) == [*before, text]
    for _ in range(2):
        reload_and_settle(page)
        assert queue(page) == []
        assert task_texts(server, TASK_LEARNER, TASK) == [*before, text]


# --- (e) Data saver -------------------------------------------------------------------------


def picture_requests(context) -> list:
    """Requests for lesson pictures made by the page (each may go on through the worker)."""
    seen = []
    context.on(
        "request",
        lambda request: (
            "/media/pictures/" in request.url
            and request.service_worker is None
            and seen.append(request.url)
        ),
    )
    return seen


def test_data_saver_loads_a_picture_only_when_tapped(server, new_context):
    context, page = signed_in(new_context, server, READER)  # data saver on, as for everyone
    path = lesson_paths(page, server)[PHOTO_LESSON["title"]]
    requested = picture_requests(context)
    page.goto(f"{server.url}{path}")
    expect_lesson(page, PHOTO_LESSON)
    main = page.get_by_role("main")
    placeholder = main.locator("a.ph-load")
    expect(placeholder).to_have_count(1)
    expect(main.locator("picture img")).to_have_count(0)  # kept inert in a <template>
    href = placeholder.get_attribute("href")
    with urllib.request.urlopen(f"{server.url}{href}") as response:
        size = len(response.read())
    alt = PICTURE.search(PHOTO_LESSON["body"]).group("alt")
    expect(placeholder).to_have_text(ui_text(PLACEHOLDER, alt=alt, size=size_text(size)))
    page.wait_for_load_state("networkidle")
    assert requested == [], requested

    placeholder.click()
    image = main.locator("picture img")
    expect(image).to_have_js_property("complete", True)
    assert image.evaluate("img => img.naturalWidth") > 0
    # The picture that loads is the one whose size the link gave.
    assert image.evaluate("img => img.currentSrc") == f"{server.url}{href}"
    assert requested == [f"{server.url}{href}"], requested


def test_data_saver_off_in_settings_and_save_data_header(server, new_context):
    context = new_context()
    page = context.new_page()
    sign_up_learner(page, server, name="Dian Hemat", phone=FRESH_PHONE, password=FRESH_PASSWORD)
    page.goto(f"{server.url}{COURSE_PATH}")
    page.get_by_role("main").get_by_role("button", name="Mulai kelas ini").click()  # Start
    path = lesson_paths(page, server)[PHOTO_LESSON["title"]]

    page.goto(f"{server.url}/profile/settings/")
    saver = page.get_by_role("main").get_by_label(DATA_SAVER)
    expect(saver).to_be_checked()  # on for everyone at first
    saver.uncheck()
    page.get_by_role("main").get_by_role("button", name="Simpan").click()  # Save
    expect(page.locator("ul.messages")).to_contain_text(contains(SETTINGS_SAVED))
    expect(page.get_by_role("main").get_by_label(DATA_SAVER)).not_to_be_checked()

    requested = picture_requests(context)
    page.goto(f"{server.url}{path}")
    expect_lesson(page, PHOTO_LESSON)
    main = page.get_by_role("main")
    expect(main.locator("a.ph-load")).to_have_count(0)
    image = main.locator("picture img")
    expect(image).to_have_count(1)
    expect(image).to_have_attribute("loading", "lazy")
    expect(main.locator("picture source[type='image/webp']")).to_have_count(1)
    image.scroll_into_view_if_needed()
    expect(image).to_have_js_property("complete", True)
    assert image.evaluate("img => img.naturalWidth") > 0
    assert requested == [image.evaluate("img => img.currentSrc")], requested

    # A browser that asks for less data gets the placeholders whatever the setting says.
    asking = new_context(
        storage_state=context.storage_state(), extra_http_headers={"Save-Data": "on"}
    )
    page = asking.new_page()
    requested = picture_requests(asking)
    response = page.goto(f"{server.url}{path}")
    assert "save-data" in response.headers.get("vary", "").lower(), response.headers
    expect_lesson(page, PHOTO_LESSON)
    expect(page.get_by_role("main").locator("a.ph-load")).to_have_count(1)
    expect(page.get_by_role("main").locator("picture img")).to_have_count(0)
    page.wait_for_load_state("networkidle")
    assert requested == [], requested


# --- (f) Installable ------------------------------------------------------------------------


def test_manifest_icons_and_service_worker_control(server, new_context):
    context = new_context()
    page = context.new_page()
    page.goto(f"{server.url}/accounts/login/")
    link = page.locator("head link[rel=manifest]")
    expect(link).to_have_attribute("href", "/manifest.webmanifest")
    response = context.request.get(f"{server.url}/manifest.webmanifest")
    assert response.ok and response.headers["content-type"] == "application/manifest+json"
    manifest = response.json()
    assert manifest["start_url"] == "/" and manifest["scope"] == "/", manifest
    assert manifest["display"] == "standalone" and manifest["name"], manifest
    sizes = set()
    for icon in manifest["icons"]:
        image = context.request.get(f"{server.url}{icon['src']}")
        assert image.ok and image.headers["content-type"] == "image/png", icon
        width, height = Image.open(io.BytesIO(image.body())).size
        assert f"{width}x{height}" == icon["sizes"], icon
        sizes.add((icon["sizes"], icon.get("purpose", "any")))
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= sizes, sizes

    wait_for_service_worker(page)  # the first visit installs it
    response = page.reload()
    # From the start of the reloaded page, the worker answers its requests.
    assert response.from_service_worker
    script = page.evaluate(
        "() => navigator.serviceWorker.controller && navigator.serviceWorker.controller.scriptURL"
    )
    assert script == f"{server.url}/sw.js"


# --- (g) Signing out ------------------------------------------------------------------------


def test_signing_out_clears_the_stored_pages(server, new_context):
    context, page = signed_in(new_context, server, READER)
    paths = lesson_paths(page, server)
    lesson = MODULES[0]["lessons"][1]
    url = f"{server.url}{paths[lesson['title']]}"
    page.goto(url)
    expect_lesson(page, lesson)
    wait_until_stored(page, paths[lesson["title"]])
    context.set_offline(True)
    page.goto(url)
    expect_lesson(page, lesson)  # readable offline while signed in
    context.set_offline(False)

    page.goto(f"{server.url}/")
    with page.expect_response(lambda response: response.request.method == "POST") as signing_out:
        page.get_by_role("banner").get_by_role("button").click()  # Sign out
    assert signing_out.value.all_headers().get("clear-site-data") == '"cache", "storage"'
    expect(page).to_have_url(re.compile(re.escape(f"{server.url}/accounts/login/")))
    wait_for_service_worker(page)  # the sign-in page installs a fresh worker
    assert not stored(page, paths[lesson["title"]])
    assert queue(page) == []

    context.set_offline(True)
    page.goto(url)
    expect(page.get_by_role("heading", level=1)).to_have_text(ui_text(NO_CONNECTION))
    expect(page.locator("#offline-pages").get_by_role("link")).to_have_count(0)
