"""Account journeys on a 360 px phone against gunicorn, plus the page-weight budgets.

Form fields are found by input name and submit buttons by their place in the main form:
the project's Indonesian catalogue is being written and already overrides labels that
Django and allauth translate ("Password" went from "Sandi" to "Kata sandi"), so labels
are not a stable handle. Indonesian text is asserted only where it comes from
django-allauth's own catalogue or from <html lang>.
"""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.support import (
    NetworkMeter,
    assert_first_visit_within_budget,
    assert_repeat_visit_fetches_only_html,
    check_page,
    main_form_submit,
    record,
    sign_in,
)

pytestmark = pytest.mark.browser

DEMO_LEARNER_PHONE = "081200000001"  # Siti Aminah, see seed_demo
DEMO_PASSWORD = "belajar-bareng-2026"


def test_new_learner_signs_up_verifies_the_number_and_switches_language(server, new_context):
    page = new_context().new_page()
    name, typed_phone, e164 = "Rina Wulandari", "0812 3456 7801", "+6281234567801"
    password = "kopi-susu-gula-aren-77"

    page.goto(f"{server.url}/accounts/signup/")
    expect(page.locator("html")).to_have_attribute("lang", "id")
    expect(page.get_by_role("heading", level=1)).to_have_text("Daftar")
    check_page(page)
    page.locator("[name=name]").fill(name)
    page.locator("[name=phone]").fill(typed_phone)
    page.locator("[name=password1]").fill(password)
    page.locator("[name=password2]").fill(password)
    page.get_by_role("main").get_by_role("checkbox").check()
    sent_before = len(server.inbox.messages())
    expect(main_form_submit(page)).to_have_text("Daftar")
    main_form_submit(page).click()

    # The number typed as 08... is stored and texted as E.164.
    expect(page).to_have_url(f"{server.url}/accounts/phone/verify/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Masukkan kode verifikasi")
    # Shown the way people write their number, dialled as stored.
    expect(page.get_by_role("main").get_by_role("link", name="0812-3456-7801")).to_have_attribute(
        "href", f"tel:{e164}"
    )
    check_page(page)
    code = server.inbox.wait_for_code(to=e164, after=sent_before)
    page.locator("[name=code]").fill(code)
    expect(main_form_submit(page)).to_have_text("Konfirmasi")
    main_form_submit(page).click()

    # A new learner is asked about the business before anything else.
    expect(page).to_have_url(f"{server.url}/profile/business/")
    check_page(page)
    page.locator("[name=business_name]").fill("Warung Rina")
    page.locator("[name=sector]").select_option("kuliner")
    page.locator("[name=city]").fill("Bekasi")
    page.locator("[name=province]").select_option("jabar")
    page.locator("[name=year_started]").fill("2021")
    page.locator("[name=workers]").fill("2")
    main_form_submit(page).click()

    # Onboarding goes on with the mentoring needs; saving them leads home.
    expect(page).to_have_url(f"{server.url}/mentoring/needs/")
    check_page(page)
    page.locator("[name=skills]").first.check()
    main_form_submit(page).click()

    # Home sends learners without a profile back to the form, so arriving here means saved.
    expect(page).to_have_url(f"{server.url}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Rina")
    check_page(page)
    page.locator('main a[href="/profile/business/"]').click()
    expect(page.locator("[name=business_name]")).to_have_value("Warung Rina")
    expect(page.locator("[name=province]")).to_have_value("jabar")
    expect(page.locator("[name=workers]")).to_have_value("2")

    # Sign out is a POST form in the header, the only button there.
    page.get_by_role("banner").get_by_role("button").click()
    expect(page).to_have_url(re.compile(re.escape(f"{server.url}/accounts/login/")))
    expect(page.get_by_role("banner").get_by_role("button")).to_have_count(0)
    check_page(page)

    # The same number, written the international way, signs in to the same account.
    sign_in(page, server.url, login="+62 812-3456-7801", password=password)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Rina")

    footer = page.get_by_role("contentinfo")
    footer.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_url(f"{server.url}/")
    expect(page.get_by_role("banner").get_by_role("button")).to_have_text("Sign out")
    expect(footer.get_by_role("button", name="English")).to_have_attribute("aria-current", "true")
    check_page(page)

    footer.get_by_role("button", name="Bahasa Indonesia").click()
    expect(page.locator("html")).to_have_attribute("lang", "id")
    expect(page).to_have_url(f"{server.url}/")
    expect(footer.get_by_role("button", name="Bahasa Indonesia")).to_have_attribute(
        "aria-current", "true"
    )
    check_page(page)


def test_sign_in_page_weight(server, new_context):
    context = new_context()
    page = context.new_page()
    meter = NetworkMeter(context, page, server.url)
    url = f"{meter.url}/accounts/login/"

    first = meter.visit(url)
    expect(page.locator("html")).to_have_attribute("lang", "id")
    expect(page.get_by_role("main")).to_contain_text("Masuk")
    assert_first_visit_within_budget(first)
    check_page(page)

    repeat = meter.visit(url)
    assert_repeat_visit_fetches_only_html(repeat)
    record("/accounts/login/", first, repeat)


def test_demo_learner_signs_in_and_home_page_weight(server, new_context):
    sign_in_context = new_context()
    page = sign_in_context.new_page()
    sign_in(page, server.url, login=DEMO_LEARNER_PHONE, password=DEMO_PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Siti")
    check_page(page)

    # Same session cookie, but an empty HTTP cache: the home page as a first visit.
    context = new_context(storage_state=sign_in_context.storage_state())
    page = context.new_page()
    meter = NetworkMeter(context, page, server.url)
    url = f"{meter.url}/"

    first = meter.visit(url)
    assert page.url == url, f"signed-in home redirected to {page.url}"
    expect(page.get_by_role("heading", level=1)).to_contain_text("Siti")
    assert_first_visit_within_budget(first)
    check_page(page)

    repeat = meter.visit(url)
    assert page.url == url
    assert_repeat_visit_fetches_only_html(repeat)
    record("/ (demo learner)", first, repeat)
