"""Mentoring on a 360 px phone, in Indonesian, against gunicorn: staff suggest and confirm
pairs; a mentor logs a session with an action item; the learner sees it and marks it done.

People (seed_demo), chosen so that no other browser test signs in as them or changes them:

- staff 0811-0000-0001 (Rina Kusumawati) creates a cohort that only this test uses;
- mentor 0811-0000-0011 (Budi Santoso, WIB) fills his mentor profile and logs the session;
- learners 0812-0000-0016 (Hendra Gunawan, agriculture) and 0812-0000-0018 (Rudi Hartono,
  retail), imported into the cohort from a name-and-phone CSV; Hendra then signs in.

Names are the Indonesian strings of locale/id/LC_MESSAGES/django.po (msgid in comments).
Controls whose text is not the point are found by input name, form action or link href.
"""

import re
import urllib.parse
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import dateformat, translation
from playwright.sync_api import expect

from courses.demo_content import DEMO_COURSE
from tests.e2e.support import check_page, main_form_submit, sign_in

pytestmark = pytest.mark.browser

PASSWORD = "belajar-bareng-2026"
WIB = ZoneInfo("Asia/Jakarta")
STAFF_PHONE = "081100000001"  # Rina Kusumawati
MENTOR_PHONE, MENTOR = "081100000011", "Budi Santoso"
# name, phone as the programme partner typed it, log-in, sector (BusinessProfile, seeded)
HENDRA = ("Hendra Gunawan", "0812-0000-0016", "081200000016", "pertanian")
RUDI = ("Rudi Hartono", "0812 0000 0018", "081200000018", "perdagangan")
LEARNERS = [HENDRA, RUDI]
SECTORS = {
    "pertanian": "Pertanian dan perikanan",  # Agriculture and fisheries
    "perdagangan": "Toko eceran dan reseller",  # Retail and reselling
}
EXPERTISE = ["Pembukuan", "Foto produk"]  # mentoring's data migration 0002
COHORT_NAME = "Angkatan Pendampingan Digital Cirebon–Medan 2026"

SUMMARY = "Kita bahas pencatatan kas harian dan cara memotret ikan asin untuk katalog."
PRIVATE_NOTES = "Hendra masih ragu soal modal; tanyakan lagi soal pinjaman KUR bulan depan."
ACTION = "Catat semua penjualan ikan asin selama 7 hari di buku kas"
COMMENT = "Sangat membantu, terima kasih Pak Budi!"

# Indonesian UI strings (msgid in comments).
SAVE = "Simpan"  # Save
MENTORING = "Pendampingan"  # Mentoring
MY_MENTEES = "Peserta dampingan saya"  # My mentees
MY_MENTOR = "Pendamping saya"  # My mentor
MY_MENTOR_PROFILE = "Profil pendamping saya"  # My mentor profile
NO_MENTEES = "Belum ada peserta yang dipasangkan dengan Anda."  # No mentees have been paired…
PROFILE_SAVED = "Profil pendamping Anda sudah disimpan."  # Your mentor profile is saved.
SUGGEST = "Sarankan pasangan"  # Suggest pairs
NOT_MATCHED = "Belum dapat pasangan"  # Not matched
SUGGESTED = "Pasangan yang disarankan"  # Suggested pairs
CONFIRM_ALL = "Konfirmasi semua pasangan yang disarankan"  # Confirm all suggested pairs
FOLLOW_UP = "perlu ditindaklanjuti"  # needs follow-up
LOG_SESSION = "Catat sesi"  # Log a session
NO_SESSION = "Belum ada sesi yang dicatat."  # No session logged yet.
WHY_PAIRED = "Alasan dipasangkan:"  # Why you were paired:
SESSION_SAVED = "Sesi sudah disimpan."  # Session saved.
PRIVATE = "Catatan pribadi:"  # Private notes:
WHATSAPP_CALL = "Telepon WhatsApp"  # WhatsApp call
DONE, NOT_DONE = "Selesai", "Belum selesai"  # Done, Not done
CONFIRM_SESSION = "Konfirmasi bahwa sesi ini sudah berlangsung"  # Confirm this session happened
CONFIRMED_THANKS = "Terima kasih! Anda sudah mengonfirmasi sesi ini."  # Thank you! You confirmed…
YOU_CONFIRMED = "Anda sudah mengonfirmasi sesi ini."  # You confirmed this session.
CONFIRMED_BY_LEARNER = "dikonfirmasi oleh peserta"  # confirmed by the learner
HOW_USEFUL = "Seberapa bermanfaat sesi ini?"  # How useful was this session?


def same_sector(sector: str) -> str:
    return f"bidang usaha sama: {SECTORS[sector]}"  # same sector: {sector}


def by_date(day) -> str:
    return f"paling lambat {short_date(day)}"  # by %(d)s


def short_date(day) -> str:
    """A date as the templates' |date:"j M" shows it in Indonesian, e.g. "5 Des"."""
    with translation.override("id"):
        return dateformat.format(day, "j M")


def whole(text: str) -> re.Pattern:
    """The whole text of an element, whatever the white space around it."""
    return re.compile(r"^\s*" + re.escape(text) + r"\s*$")


def expect_message(page, kind: str, text: str) -> None:
    """Django's messages, shown at the top of main with the level as class."""
    expect(page.get_by_role("main").locator(f"ul.messages li.{kind}")).to_have_text(whole(text))


def row_of(page, name: str):
    main = page.get_by_role("main")
    return main.get_by_role("row").filter(has=page.get_by_role("cell", name=name, exact=True))


def mentor_row(page, name: str):
    """A mentor's row in the cohort's table of mentors (the pairs table names them too)."""
    header = page.get_by_role("columnheader", name="Peserta dampingan / kapasitas", exact=True)
    table = page.get_by_role("main").get_by_role("table").filter(has=header)
    return table.get_by_role("row").filter(has_text=name)


def create_cohort(page, base_url: str) -> str:
    """A new cohort for the demo course, through the staff's form; returns its path."""
    today = datetime.now(WIB).date()
    main = page.get_by_role("main")
    page.get_by_role("banner").get_by_role("link", name="Angkatan", exact=True).click()  # Cohorts
    expect(page).to_have_url(f"{base_url}/staff/cohorts/")
    check_page(page)
    main.locator('a[href="/staff/cohorts/new/"]').click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Angkatan baru")  # New cohort
    check_page(page)
    page.locator("[name=name]").fill(COHORT_NAME)
    page.locator("[name=programme]").fill("Pendampingan UMKM Go Digital")
    main.get_by_role("checkbox", name=DEMO_COURSE["title"], exact=True).check()
    page.locator("[name=start_date]").fill(today.isoformat())
    page.locator("[name=end_date]").fill((today + timedelta(days=90)).isoformat())
    page.locator("[name=province]").select_option("jabar")
    page.locator("[name=city]").fill("Cirebon")
    page.locator("[name=mode]").select_option("online")
    page.locator("[name=capacity]").fill("30")
    page.locator("[name=timezone]").select_option("Asia/Jakarta")
    page.locator("[name=status]").select_option("running")
    expect(main_form_submit(page)).to_have_text(SAVE)
    main_form_submit(page).click()
    expect(page).to_have_url(re.compile(re.escape(base_url) + r"/staff/cohorts/\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(COHORT_NAME)
    expect_message(page, "success", "Angkatan sudah dibuat.")  # Cohort created.
    check_page(page)
    return urllib.parse.urlsplit(page.url).path


def import_learners(page, base_url: str, cohort_path: str, tmp_path) -> None:
    """Two learners already on the platform, from a file with only a name and a phone."""
    main = page.get_by_role("main")
    main.locator(f'a[href="{cohort_path}import/"]').click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Impor peserta")
    check_page(page)
    csv_file = tmp_path / "peserta-pendampingan.csv"
    rows = ["Nama,No HP", *(f"{name},{phone}" for name, phone, *_ in LEARNERS), ""]
    csv_file.write_bytes("\r\n".join(rows).encode("utf-8"))
    page.locator("main [name=file]").set_input_files(csv_file)
    page.locator('main form[enctype="multipart/form-data"] button[type=submit]').click()

    # Both are on the platform already: joining the cohort is their only change.
    # "%(new)s new · %(updated)s updated · %(unchanged)s unchanged · %(errors)s with errors"
    counts = "0 baru · 2 diperbarui · 0 tidak berubah · 0 salah"
    expect(main.get_by_text(whole(counts))).to_be_visible()
    for name, *_ in LEARNERS:
        # "updated: cohort membership"
        result = row_of(page, name).get_by_role("cell").last
        expect(result).to_have_text(whole("diperbarui: keanggotaan angkatan"))
    commit = main.locator(f'form[action="{cohort_path}import/commit/"] button[type=submit]')
    expect(commit).to_have_text("Impor sekarang")  # Import now
    check_page(page)
    commit.click()
    expect(page).to_have_url(f"{base_url}{cohort_path}invitations/")
    # "Import done: {created} new, {updated} updated, {unchanged} unchanged."
    expect_message(page, "success", "Impor selesai: 0 baru, 2 diperbarui, 0 tidak berubah.")
    check_page(page)


def fill_mentor_profile(page, base_url: str) -> None:
    main = page.get_by_role("main")
    main.locator('a[href="/mentor/"]').click()  # "Open my mentees" on the home page
    expect(page).to_have_url(f"{base_url}/mentor/")
    expect(page.get_by_role("heading", level=1)).to_have_text(MY_MENTEES)
    expect(main.get_by_text(NO_MENTEES, exact=True)).to_be_visible()
    check_page(page)

    main.locator('a[href$="/mentor/profile/"]').click()
    expect(page).to_have_url(f"{base_url}/mentor/profile/")
    expect(page.get_by_role("heading", level=1)).to_have_text(MY_MENTOR_PROFILE)
    check_page(page)
    for tag in EXPERTISE:
        main.get_by_role("checkbox", name=tag, exact=True).check()
    for sector in SECTORS:
        main.locator(f"[name=sectors][value={sector}]").check()
    main.locator("[name=modes][value=online]").check()
    main.locator("[name=capacity]").fill("10")
    expect(main_form_submit(page)).to_have_text(SAVE)
    main_form_submit(page).click()
    expect(page).to_have_url(f"{base_url}/mentor/")
    expect_message(page, "success", PROFILE_SAVED)
    check_page(page)

    # Saved as ticked.
    main.locator('a[href$="/mentor/profile/"]').click()
    for tag in EXPERTISE:
        expect(main.get_by_role("checkbox", name=tag, exact=True)).to_be_checked()
    for sector in SECTORS:
        expect(main.locator(f"[name=sectors][value={sector}]")).to_be_checked()
    expect(main.locator("[name=modes][value=online]")).to_be_checked()
    expect(main.locator("[name=modes][value=in_person]")).not_to_be_checked()
    expect(main.locator("[name=capacity]")).to_have_value("10")


def test_staff_pair_mentor_logs_session_learner_completes_action(server, new_context, tmp_path):
    # Due in 3 days, counted in Jakarta (the mentor's time zone).
    due = datetime.now(WIB).date() + timedelta(days=3)

    # --- 1. Staff: a cohort with two learners and mentor Budi -----------------------------
    staff = new_context().new_page()
    main = staff.get_by_role("main")
    sign_in(staff, server.url, login=STAFF_PHONE, password=PASSWORD)
    check_page(staff)
    cohort_path = create_cohort(staff, server.url)
    mentoring_path = f"{cohort_path}mentoring/"
    import_learners(staff, server.url, cohort_path, tmp_path)

    main.locator(f'a[href="{cohort_path}"]').first.click()
    expect(staff).to_have_url(f"{server.url}{cohort_path}")
    mentoring_link = main.locator(f'a[href="{mentoring_path}"]')
    expect(mentoring_link).to_have_text(MENTORING)
    mentoring_link.click()
    expect(staff).to_have_url(f"{server.url}{mentoring_path}")
    expect(staff.get_by_role("heading", level=1)).to_have_text(MENTORING)
    expect(mentor_row(staff, MENTOR)).to_have_count(0)
    check_page(staff)

    main.locator("[name=phone]").fill("0811-0000-0011")  # Mentor's mobile number
    add_mentor = main.locator('form[action$="/mentors/add/"] button[type=submit]')
    expect(add_mentor).to_have_text("Tambahkan pendamping ke angkatan")  # Add mentor to cohort
    add_mentor.click()
    expect(staff).to_have_url(f"{server.url}{mentoring_path}")
    # "{name} is a mentor of this cohort."
    expect_message(staff, "success", f"{MENTOR} sudah menjadi pendamping di angkatan ini.")
    # A profile with the default capacity until Budi fills his in; no rating yet.
    expect(mentor_row(staff, MENTOR).get_by_role("cell")).to_have_text([MENTOR, "0 / 15", "0", "–"])
    check_page(staff)

    # --- 2. Budi fills his mentor profile ----------------------------------------------------
    mentor = new_context().new_page()
    mentor_main = mentor.get_by_role("main")
    sign_in(mentor, server.url, login=MENTOR_PHONE, password=PASSWORD)
    check_page(mentor)
    fill_mentor_profile(mentor, server.url)

    # --- 3. Staff: suggest pairs, read the reasons, confirm them -----------------------------
    staff.reload()
    expect(mentor_row(staff, MENTOR).get_by_role("cell").nth(1)).to_have_text("0 / 10")
    suggest = main.locator('form[action$="/suggest/"] button[type=submit]')
    expect(suggest).to_have_text(SUGGEST)
    suggest.click()
    expect(staff).to_have_url(f"{server.url}{mentoring_path}")
    # "{n} pairs suggested. Check them, change any, then confirm."
    expect_message(
        staff, "success", "2 pasangan disarankan. Periksa, ubah bila perlu, lalu konfirmasi."
    )
    expect(staff.get_by_role("heading", name=NOT_MATCHED)).to_have_count(0)
    expect(main.get_by_role("heading", name=SUGGESTED, exact=True)).to_be_visible()
    remove = main.locator("button[name=remove]")  # one per suggested pair
    expect(remove).to_have_count(len(LEARNERS))
    # A suggestion is the row (or card) with its own "Remove" button.
    suggestions = main.locator("tr, section.card").filter(has=staff.locator("button[name=remove]"))
    for name, _, _, sector in LEARNERS:
        suggestion = suggestions.filter(has_text=name)
        expect(suggestion).to_have_count(1)
        expect(suggestion).to_contain_text(MENTOR)
        # Neither learner asked for anything and Budi serves no region, so the sector they
        # share is the one reason.
        expect(suggestion).to_contain_text(same_sector(sector))
    check_page(staff)

    confirm = main.locator('form[action$="/confirm/"] button[type=submit]')
    expect(confirm).to_have_text(CONFIRM_ALL)
    confirm.click()
    expect(staff).to_have_url(f"{server.url}{mentoring_path}")
    expect_message(staff, "success", "2 pasangan dikonfirmasi.")  # {n} pairs confirmed.
    expect(main.get_by_role("heading", name=SUGGESTED, exact=True)).to_have_count(0)
    expect(remove).to_have_count(0)
    for name, *_ in LEARNERS:
        cells = row_of(staff, name).get_by_role("cell")
        # Learner, mentor, sessions.
        expect(cells.nth(0)).to_have_text(name)
        expect(cells.nth(1)).to_have_text(MENTOR)
        expect(cells.nth(2)).to_have_text("0")
    budi = mentor_row(staff, MENTOR)
    expect(budi.get_by_role("cell").nth(1)).to_have_text("2 / 10")
    expect(budi.locator(".flag")).to_have_text(FOLLOW_UP)  # mentees but no session yet
    check_page(staff)

    # --- 4. Budi logs a session with Hendra from his phone ----------------------------------
    mentor.goto(f"{server.url}/mentor/")
    mentees = mentor_main.locator("section.card h2 a")
    expect(mentees).to_have_text([name for name, *_ in LEARNERS])  # by name
    check_page(mentor)

    mentees.filter(has_text=HENDRA[0]).click()
    expect(mentor).to_have_url(re.compile(re.escape(server.url) + r"/mentor/mentees/\d+/$"))
    mentee_path = urllib.parse.urlsplit(mentor.url).path
    expect(mentor.get_by_role("heading", level=1)).to_have_text(HENDRA[0])
    expect(mentor_main.get_by_text(WHY_PAIRED)).to_have_text(
        whole(f"{WHY_PAIRED} {same_sector(HENDRA[3])}")
    )
    expect(mentor_main.get_by_text(NO_SESSION, exact=True)).to_be_visible()
    check_page(mentor)

    log_link = mentor_main.locator(f'a[href="{mentee_path}log/"]')
    expect(log_link).to_have_text(LOG_SESSION)
    log_link.click()
    expect(mentor).to_have_url(f"{server.url}{mentee_path}log/")
    expect(mentor.get_by_role("heading", level=1)).to_have_text(LOG_SESSION)
    check_page(mentor)
    # When: the form's default, now.
    expect(mentor_main.locator("[name=held_at]")).to_have_value(
        re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d$")
    )
    mentor_main.locator("[name=duration_minutes]").fill("45")
    mentor_main.locator("[name=mode][value=wa_call]").check()
    mentor_main.get_by_role("checkbox", name="Pembukuan", exact=True).check()
    mentor_main.locator("[name=summary]").fill(SUMMARY)
    mentor_main.locator("[name=private_notes]").fill(PRIVATE_NOTES)
    mentor_main.locator("[name=action_1]").fill(ACTION)
    mentor_main.locator("[name=action_1_due]").fill(due.isoformat())
    check_page(mentor)  # the filled form still fits
    expect(main_form_submit(mentor)).to_have_text(SAVE)
    main_form_submit(mentor).click()

    expect(mentor).to_have_url(f"{server.url}{mentee_path}")
    expect_message(mentor, "success", SESSION_SAVED)
    session_card = mentor_main.locator("section.card")
    expect(session_card).to_have_count(1)
    # "%(m)s min"
    expect(session_card.locator("p").first).to_contain_text(f"{WHATSAPP_CALL} · 45 menit")
    expect(session_card).to_contain_text(SUMMARY)
    expect(session_card).to_contain_text(f"{PRIVATE} {PRIVATE_NOTES}")  # the mentor sees them
    expect(session_card).to_contain_text("Pembukuan")
    expect(session_card.get_by_role("listitem")).to_have_text(
        whole(f"{ACTION} · {short_date(due)}")
    )
    expect(mentor_main.get_by_text(NO_SESSION, exact=True)).to_have_count(0)
    check_page(mentor)

    mentor.goto(f"{server.url}/mentor/")
    hendra_card = mentor_main.locator("section.card").filter(has_text=HENDRA[0])
    # "%(n)s open action"
    expect(hendra_card).to_contain_text("1 tindak lanjut belum selesai")
    check_page(mentor)

    # --- 5. Hendra sees the session, finishes the action item and confirms ------------------
    learner = new_context().new_page()
    learner_main = learner.get_by_role("main")
    sign_in(learner, server.url, login=HENDRA[2], password=PASSWORD)
    check_page(learner)
    my_mentor = learner_main.locator('a[href="/mentoring/"]')
    expect(my_mentor).to_have_text(MY_MENTOR)
    my_mentor.click()
    expect(learner).to_have_url(f"{server.url}/mentoring/")
    expect(learner.get_by_role("heading", level=1)).to_have_text(MY_MENTOR)
    expect(learner_main).to_contain_text(f"{MENTOR} · {COHORT_NAME}")
    card = learner_main.locator("section.card")
    expect(card).to_have_count(1)
    expect(card.locator("p").first).to_contain_text(f"{WHATSAPP_CALL} · {MENTOR}")
    expect(card).to_contain_text(SUMMARY)
    # Private notes are for the mentor and staff only: not shown, not even in the HTML.
    expect(learner_main).not_to_contain_text(PRIVATE_NOTES)
    expect(learner_main).not_to_contain_text(PRIVATE)
    assert PRIVATE_NOTES not in learner.content()
    item = card.locator('form[action$="/done/"]')
    expect(item).to_have_count(1)
    expect(item.locator(":scope > span")).to_have_text(whole(f"{ACTION} · {by_date(due)}"))
    expect(item.locator("button[type=submit]")).to_have_text(f"{DONE}: {ACTION}")
    check_page(learner)

    item.locator("button[type=submit]").click()
    expect(learner).to_have_url(f"{server.url}/mentoring/")
    expect(item.locator("span s")).to_have_text(ACTION)
    expect(item.locator(":scope > span")).to_have_text(whole(f"✓ {ACTION}"))
    expect(item.locator("[name=done]")).to_have_value("0")
    expect(item.locator("button[type=submit]")).to_have_text(f"{NOT_DONE}: {ACTION}")
    check_page(learner)

    rating = card.locator('form[action$="/confirm/"]')
    expect(rating.get_by_role("group", name=HOW_USEFUL)).to_be_visible()
    rating.get_by_role("radio", name="5", exact=True).check()
    rating.get_by_label("Komentar (tidak wajib)", exact=True).fill(COMMENT)  # Comment (optional)
    expect(rating.locator("button[type=submit]")).to_have_text(CONFIRM_SESSION)
    rating.locator("button[type=submit]").click()
    expect(learner).to_have_url(f"{server.url}/mentoring/")
    expect_message(learner, "success", CONFIRMED_THANKS)
    expect(card.locator('form[action$="/confirm/"]')).to_have_count(0)
    expect(card.locator("p.muted")).to_have_text(YOU_CONFIRMED)
    expect(item.locator("span s")).to_have_text(ACTION)  # still done
    check_page(learner)

    # --- 6. What the mentor and staff see afterwards -----------------------------------------
    mentor.goto(f"{server.url}{mentee_path}")
    expect(session_card.locator("p").first).to_contain_text(CONFIRMED_BY_LEARNER)
    expect(session_card.get_by_role("listitem")).to_have_text(
        whole(f"✓ {ACTION} · {short_date(due)}")
    )
    check_page(mentor)
    mentor.goto(f"{server.url}/mentor/")
    expect(hendra_card).not_to_contain_text("tindak lanjut belum selesai")
    check_page(mentor)

    staff.reload()
    expect(row_of(staff, HENDRA[0]).get_by_role("cell").nth(2)).to_have_text("1")
    expect(row_of(staff, RUDI[0]).get_by_role("cell").nth(2)).to_have_text("0")
    # Mentor, mentees / capacity, sessions here, average rating.
    expect(budi.get_by_role("cell")).to_have_text([MENTOR, "2 / 10", "1", "5,0"])
    expect(budi.locator(".flag")).to_have_count(0)
    check_page(staff)
