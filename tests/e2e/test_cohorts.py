"""The programme staff's cohort journey on a 360 px phone, in Indonesian, against gunicorn.

Staff (demo 0811-0000-0001) create a cohort for the demo course, import participants from a
semicolon-separated CSV (first with a mistyped number, then fixed), send a WhatsApp invitation,
schedule an offline session that is on right now, see a learner check in with the session
code, and download the roster.

The learner is the seeded demo learner 0812-0000-0015 (Wulan Sari), whom no other browser test
signs in as; the new participants have 0813-1100-26.. numbers that no other test uses.

The cohorts strings are being translated while this is written, so cohorts-specific controls
are found by input name, form action or link href, and their text is checked with ui_text(),
which accepts the Indonesian translation or, while there is none yet, the English msgid.
"""

import csv
import io
import re
import urllib.parse
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from courses.demo_content import DEMO_COURSE
from tests.e2e.support import check_page, main_form_submit, sign_in, ui_text

pytestmark = pytest.mark.browser

STAFF_PHONE = "081100000001"  # Rina Kusumawati, see seed_demo
PASSWORD = "belajar-bareng-2026"
WIB = ZoneInfo("Asia/Jakarta")
COHORT_NAME = "Angkatan Depok Go Digital 2026"
SESSION_TITLE = "Pertemuan 1: Katalog WhatsApp"

# The participant file as a programme partner sends it: Indonesian headers, semicolons
# (Excel in Indonesian), UTF-8, phone numbers typed every which way.
HEADER = "Nama;No HP;Nama Usaha;Sektor;Kota;Provinsi;Jenis Kelamin;Tahun Lahir"
NEW_PEOPLE = [
    "Yusuf Maulana;0813-1100-2601;Bakso Yusuf;Kuliner;Depok;Jawa Barat;L;1988",
    "Nur’aini Fitriani;0813 1100 2602;Rajut Aini;Kerajinan;Bogor;Jabar;P;1992",
    "Bambang Sutrisno;081311002603;Bengkel Bambang;Jasa;Bekasi;Jawa Barat;L;1979",
]
# Seeded with this business but without gender or birth year, so the import updates her.
LEARNER_PHONE = "0812-0000-0015"
LEARNER = f"Wulan Sari;{LEARNER_PHONE};Sambal Wulan;Kuliner;Depok;Jawa Barat;P;1995"
NEW_NAMES = [row.split(";")[0] for row in NEW_PEOPLE]
YUSUF, BAMBANG = NEW_NAMES[0], NEW_NAMES[2]
WULAN = LEARNER.split(";")[0]
NAMES = [*NEW_NAMES, WULAN]
# Bambang's number with the letter O typed for the zeros: row 4 of the file.
MISTYPED = NEW_PEOPLE[2].replace("081311002603", "0813-11OO-2603")
# Indonesian for "This phone number is not valid. Example: 0812 3456 7890." (accounts).
INVALID_PHONE = "Nomor HP ini tidak valid. Contoh: 0812 3456 7890."

IMPORT_COUNTS = (
    "%(new)s new · %(updated)s updated · %(unchanged)s unchanged · %(errors)s with errors"
)
BOM = b"\xef\xbb\xbf"


def participant_csv(path, rows: list[str]) -> None:
    path.write_bytes("\r\n".join([HEADER, *rows, ""]).encode("utf-8"))


def session_window(now: datetime) -> tuple[date, time, time]:
    """A WIB date, start and end for a session that is on at `now` (a WIB time) and that
    does not cross midnight."""
    if time(1) <= now.time() < time(22):
        start = (now - timedelta(minutes=30)).replace(second=0, microsecond=0)
        start -= timedelta(minutes=start.minute % 5)
        return now.date(), start.time(), (start + timedelta(hours=2)).time()
    if now.time() >= time(23, 30):
        # 00:00-23:59 today would close before the test is done; check-in for tomorrow's
        # session opens 30 minutes before midnight (attendance.CHECKIN_OPENS_BEFORE).
        return now.date() + timedelta(days=1), time(0, 0), time(23, 59)
    return now.date(), time(0, 0), time(23, 59)


def expect_message(page, kind: str, text: re.Pattern) -> None:
    """Django's messages, shown at the top of main with the level as class."""
    expect(page.get_by_role("main").locator(f"ul.messages li.{kind}")).to_have_text(text)


def upload(page, path) -> None:
    page.locator("main [name=file]").set_input_files(path)
    page.locator('main form[enctype="multipart/form-data"] button[type=submit]').click()


def test_staff_runs_a_cohort_from_import_to_attendance(server, new_context, tmp_path):
    today = datetime.now(WIB).date()
    context = new_context()
    page = context.new_page()
    main = page.get_by_role("main")

    # --- 1. A new cohort for the demo course ---------------------------------------------
    sign_in(page, server.url, login=STAFF_PHONE, password=PASSWORD)
    check_page(page)
    page.get_by_role("banner").get_by_role("link", name=ui_text("Cohorts")).click()
    expect(page).to_have_url(f"{server.url}/staff/cohorts/")
    expect(page.get_by_role("heading", level=1)).to_have_text(ui_text("Cohorts"))
    check_page(page)

    main.locator('a[href="/staff/cohorts/new/"]').click()
    expect(page.get_by_role("heading", level=1)).to_have_text(ui_text("New cohort"))
    check_page(page)
    page.locator("[name=name]").fill(COHORT_NAME)
    page.locator("[name=programme]").fill("UMKM Naik Kelas – Dinas Koperasi Depok")
    main.get_by_role("checkbox", name=DEMO_COURSE["title"], exact=True).check()
    page.locator("[name=start_date]").fill(today.isoformat())
    page.locator("[name=end_date]").fill((today + timedelta(days=60)).isoformat())
    page.locator("[name=province]").select_option("jabar")
    page.locator("[name=city]").fill("Depok")
    page.locator("[name=mode]").select_option("hybrid")
    page.locator("[name=capacity]").fill("40")
    page.locator("[name=timezone]").select_option("Asia/Jakarta")
    page.locator("[name=status]").select_option("running")
    expect(main_form_submit(page)).to_have_text("Simpan")  # Save
    main_form_submit(page).click()

    expect(page).to_have_url(re.compile(re.escape(server.url) + r"/staff/cohorts/\d+/$"))
    cohort_path = urllib.parse.urlsplit(page.url).path
    expect(page.get_by_role("heading", level=1)).to_have_text(COHORT_NAME)
    expect_message(page, "success", ui_text("Cohort created."))
    expect(main.get_by_role("link", name=DEMO_COURSE["title"], exact=True)).to_be_visible()
    check_page(page)

    # --- 2. Import: a file with a mistyped number is refused, the fixed one goes in -------
    main.locator(f'a[href="{cohort_path}import/"]').click()
    expect(page).to_have_url(f"{server.url}{cohort_path}import/")
    expect(page.get_by_role("heading", level=1)).to_have_text(ui_text("Import participants"))
    check_page(page)

    mistyped = tmp_path / "peserta-salah.csv"
    participant_csv(mistyped, [*NEW_PEOPLE[:2], MISTYPED, LEARNER])
    upload(page, mistyped)
    expect(
        main.get_by_text(ui_text(IMPORT_COUNTS, new=2, updated=1, unchanged=0, errors=1))
    ).to_be_visible()
    bad_row = main.get_by_role("row").filter(has=page.get_by_role("cell", name=BAMBANG, exact=True))
    expect(bad_row.get_by_role("cell")).to_have_text(
        ["4", BAMBANG, re.compile(re.escape(f"No HP: {INVALID_PHONE}") + "$")]
    )
    expect(main.locator('form[action$="/import/commit/"]')).to_have_count(0)
    expect(main.locator("button[type=submit]")).to_have_count(1)  # only "Check the file"
    check_page(page)

    fixed = tmp_path / "peserta.csv"
    participant_csv(fixed, [*NEW_PEOPLE, LEARNER])
    upload(page, fixed)
    expect(
        main.get_by_text(ui_text(IMPORT_COUNTS, new=3, updated=1, unchanged=0, errors=0))
    ).to_be_visible()
    # Changes to people already on the platform are listed; new people are only counted.
    expect(main.get_by_role("cell", name=WULAN, exact=True)).to_be_visible()
    expect(main.get_by_role("cell", name=BAMBANG, exact=True)).to_have_count(0)
    commit = main.locator(f'form[action="{cohort_path}import/commit/"] button[type=submit]')
    expect(commit).to_have_text(ui_text("Import now"))
    check_page(page)
    commit.click()

    expect(page).to_have_url(f"{server.url}{cohort_path}invitations/")
    expect_message(
        page,
        "success",
        ui_text(
            "Import done: {created} new, {updated} updated, {unchanged} unchanged.",
            created=3,
            updated=1,
            unchanged=0,
        ),
    )
    # The three new people have no password yet; Wulan Sari already has one.
    invite_forms = main.locator(f'form[action^="{cohort_path}invitations/"]')
    expect(invite_forms).to_have_count(len(NEW_PEOPLE))
    for name in NEW_NAMES:
        form = invite_forms.filter(has_text=name)
        expect(form).to_have_attribute(
            "action", re.compile(f"^{re.escape(cohort_path)}invitations/\\d+/$")
        )
        expect(form.locator("button[type=submit]")).to_have_text(
            ui_text("Send invitation via WhatsApp")
        )
    expect(invite_forms.filter(has_text=WULAN)).to_have_count(0)
    check_page(page)

    # The button makes a fresh one-time link and shows it with a WhatsApp click-to-chat link
    # (a page, not a redirect: the CSP's form-action 'self' would block a redirect to wa.me).
    invite_forms.filter(has_text=YUSUF).locator("button[type=submit]").click()
    whatsapp = main.locator('a[href^="https://wa.me/62"]')
    expect(whatsapp).to_have_count(1)
    check_page(page)
    link = urllib.parse.urlsplit(whatsapp.get_attribute("href"))
    assert link.path == "/6281311002601", link
    message = urllib.parse.parse_qs(link.query)["text"][0]
    assert YUSUF in message and f"{server.url}/invite/" in message, message

    # --- 3. The funnel counts everyone; an offline session that is on now ----------------
    main.locator(f'a[href="{cohort_path}"]').click()
    expect(page).to_have_url(f"{server.url}{cohort_path}")
    enrolled = main.get_by_role("row").filter(
        has=page.get_by_role("rowheader", name=ui_text("Enrolled"))
    )
    expect(enrolled.get_by_role("cell").first).to_have_text(str(len(NAMES)))
    check_page(page)

    main.locator(f'a[href="{cohort_path}sessions/new/"]').click()
    expect(page.get_by_role("heading", level=1)).to_have_text(ui_text("Schedule a session"))
    check_page(page)
    day, start, end = session_window(datetime.now(WIB))
    page.locator("[name=title]").fill(SESSION_TITLE)
    page.locator("[name=date]").fill(day.isoformat())
    page.locator("[name=start_time]").fill(start.strftime("%H:%M"))
    page.locator("[name=end_time]").fill(end.strftime("%H:%M"))
    page.locator("[name=venue]").fill("Aula Dinas Koperasi Depok")
    page.locator("[name=address]").fill("Jl. Margonda Raya No. 54, Depok")
    main_form_submit(page).click()

    expect(page).to_have_url(
        re.compile(re.escape(f"{server.url}{cohort_path}sessions/") + r"\d+/$")
    )
    session_path = urllib.parse.urlsplit(page.url).path
    session_id = re.search(r"/sessions/(\d+)/$", session_path).group(1)
    expect_message(page, "success", ui_text("Session scheduled."))
    expect(page.get_by_role("heading", level=1)).to_have_text(SESSION_TITLE)
    expect(main).to_contain_text(f"{start:%H:%M} – {end:%H:%M}")
    expect(main).to_contain_text("Aula Dinas Koperasi Depok, Jl. Margonda Raya No. 54, Depok")
    code_box = main.locator(".code")
    expect(code_box).to_have_text(re.compile(r"^\s*\d{6}\s*$"))
    code = code_box.inner_text().strip()
    expect(main.locator(".qr > svg")).to_be_visible()
    expect(main.locator(".qr > svg path")).not_to_have_count(0)
    checkin_path = f"/sessions/{session_id}/checkin/"
    expect(main.locator(".copy")).to_have_text(f"{server.url}{checkin_path}?code={code}")
    # Nobody has checked in yet.
    expect(
        main.get_by_role("heading", name=ui_text("Attendance (%(n)s present)", n=0))
    ).to_be_visible()
    expect(main.get_by_role("checkbox")).to_have_count(len(NAMES))
    expect(main.get_by_role("checkbox", checked=True)).to_have_count(0)
    check_page(page)

    # --- 4. The learner checks in with the code ------------------------------------------
    learner_context = new_context()
    learner = learner_context.new_page()
    sign_in(learner, server.url, login=LEARNER_PHONE, password=PASSWORD)
    expect(learner.get_by_role("heading", level=1)).to_have_text("Halo, Wulan")
    # The "Jadwal" (schedule) card.
    card = (
        learner.get_by_role("main")
        .locator("section")
        .filter(
            has=learner.get_by_role(
                "heading", name=ui_text("Schedule", template="{}: " + SESSION_TITLE)
            )
        )
    )
    expect(card).to_contain_text("Aula Dinas Koperasi Depok")
    check_page(learner)
    # Someone who scanned the QR at the door and left that tab open.
    from_qr = learner_context.new_page()
    from_qr.goto(f"{server.url}{checkin_path}?code={code}")
    expect(from_qr.locator("[name=code]")).to_have_value(code)
    check_page(from_qr)

    card.locator(f'a[href="{checkin_path}"]').click()
    expect(learner).to_have_url(f"{server.url}{checkin_path}")
    expect(learner.get_by_role("heading", level=1)).to_have_text(SESSION_TITLE)
    expect(learner.get_by_role("main")).to_contain_text(COHORT_NAME)
    check_page(learner)

    wrong = f"{(int(code) + 1) % 10**6:06d}"
    learner.locator("[name=code]").fill(wrong)
    main_form_submit(learner).click()
    code_field = learner.locator("[name=code]")
    expect(code_field).to_have_attribute("aria-invalid", "true")
    expect(code_field).to_have_accessible_description(
        ui_text("The code is not right. Check the code shown in the session.")
    )
    expect(learner).to_have_url(f"{server.url}{checkin_path}")
    check_page(learner)

    code_field.fill(code)
    main_form_submit(learner).click()
    expect_message(learner, "success", ui_text("You are checked in. Enjoy the session!"))
    expect(learner.get_by_role("main").locator(".note")).to_have_text(
        ui_text("You are checked in for this session.")
    )
    expect(learner.locator("[name=code]")).to_have_count(0)
    check_page(learner)

    main_form_submit(from_qr).click()
    expect(from_qr).to_have_url(f"{server.url}{checkin_path}")
    expect_message(from_qr, "info", ui_text("You were already checked in."))
    check_page(from_qr)

    page.reload()
    expect(
        main.get_by_role("heading", name=ui_text("Attendance (%(n)s present)", n=1))
    ).to_be_visible()
    expect(main.get_by_role("checkbox", name=WULAN, exact=True)).to_be_checked()
    expect(main.get_by_role("checkbox", checked=True)).to_have_count(1)
    check_page(page)

    # --- 5. The roster, ready for Excel ---------------------------------------------------
    main.locator(f'a[href="{cohort_path}"]').first.click()
    expect(page).to_have_url(f"{server.url}{cohort_path}")
    with page.expect_download() as download_info:
        main.locator(f'a[href="{cohort_path}export/roster/?format=csv"]').click()
    download = download_info.value
    assert re.fullmatch(r"roster-\d{4}-\d\d-\d\d\.csv", download.suggested_filename), (
        download.suggested_filename
    )
    data = download.path().read_bytes()
    assert data.startswith(BOM), data[:20]
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert sorted(row[0] for row in rows[1:]) == sorted(NAMES), rows
