"""The core instrument: indicator columns, ladder levels and band indexes computed from the
answers, and the version 1 survey the migration creates."""

import pytest

from outcomes import instrument
from outcomes.instrument import band_codes, indicators_from_answers
from outcomes.models import Survey
from tests.outcomes.builders import ACTIVE, PRESENT, SELLING, START


def test_the_core_has_ten_questions_within_the_twelve_allowed_and_every_band_is_ordered():
    assert len(instrument.CORE_QUESTIONS) == 10
    assert instrument.MAX_QUESTIONS == 12
    assert band_codes("revenue") == ("lt5", "5-15", "15-50", "50-150", "150+")
    assert band_codes("online_share") == ("0", "1-24", "25-49", "50-74", "75+")
    assert band_codes("workers") == ("1", "2-4", "5-19", "20+")
    assert band_codes("online_orders") == ("0", "1-10", "11-50", "51-100", "101+")


@pytest.mark.django_db
def test_the_migration_makes_version_1_the_default_with_the_ten_core_questions_in_order():
    survey = Survey.objects.get(is_default=True)
    assert survey.version == 1
    assert [q.core_key for q in survey.questions.all()] == list(instrument.CORE_KEYS)
    assert all(q.required for q in survey.questions.all())


def test_a_business_with_nothing_online_is_on_step_0_and_every_yes_no_is_false():
    values = indicators_from_answers(START)
    assert values["ladder"] == 0
    for key in instrument.INDICATOR_KEYS:
        assert values[key] is False, key
    assert values["revenue_band"] == 0
    assert values["online_share_band"] == 0
    assert values["workers_band"] == 0
    assert values["online_orders_band"] == 0


def test_presence_alone_is_step_1():
    values = indicators_from_answers(PRESENT)
    assert values["ladder"] == 1
    assert values["has_wa_catalog"] is True
    assert values["has_marketplace"] is False
    assert values["posted_content"] is False


def test_presence_and_any_active_use_is_step_2():
    assert indicators_from_answers(ACTIVE)["ladder"] == 2
    # Each active use alone is enough: a post, a digital payment or an online order.
    for change in (
        {"content_posts": "11+"},
        {"digital_payments": "yes"},
        {"online_orders": "1-10"},
    ):
        assert indicators_from_answers({**PRESENT, **change})["ladder"] == 2, change


def test_selling_needs_online_orders_and_a_share_of_sales_from_online():
    values = indicators_from_answers(SELLING)
    assert values["ladder"] == 3
    assert values["online_orders"] is True
    assert values["online_orders_band"] == 2
    assert values["online_share_band"] == 2
    assert values["revenue_band"] == 2
    assert values["workers_band"] == 1
    assert values["digital_bookkeeping"] is True
    assert values["customers_outside"] is True
    # Orders but none of the sales online: active, not selling.
    assert indicators_from_answers({**SELLING, "online_share": "0"})["ladder"] == 2
    # A share of sales online but no online orders in the last 30 days: active, not selling.
    assert indicators_from_answers({**SELLING, "online_orders": "0"})["ladder"] == 2


def test_any_presence_item_counts_but_none_of_these_does_not():
    for code in ("wa_catalog", "social_account", "marketplace", "google_profile", "qris"):
        assert indicators_from_answers({**START, "presence": [code]})["ladder"] == 1, code
    values = indicators_from_answers({**START, "presence": ["none"]})
    assert values["ladder"] == 0
    assert values["has_google_profile"] is False


def test_bookkeeping_in_an_app_or_spreadsheet_is_digital_and_a_notebook_is_not():
    expected = {"none": False, "paper": False, "spreadsheet": True, "app": True}
    for code, digital in expected.items():
        assert indicators_from_answers({**START, "bookkeeping": code})["digital_bookkeeping"] is (
            digital
        )


def test_an_unanswered_question_gives_none_never_no():
    values = indicators_from_answers({})
    assert values["ladder"] is None
    for key in instrument.INDICATOR_KEYS:
        assert values[key] is None, key
    for band in instrument.BANDS:
        assert values[f"{band}_band"] is None
    partial = indicators_from_answers({"presence": ["qris"], "revenue": "5-15"})
    assert partial["accepts_qris"] is True
    assert partial["has_wa_catalog"] is False  # presence was answered: not ticked is "no"
    assert partial["digital_payments"] is None
    assert partial["paid_ads"] is None
    assert partial["workers_band"] is None
    assert partial["revenue_band"] == 1


def test_rather_not_say_and_i_dont_know_are_answers_left_out_of_bands_and_shares():
    values = indicators_from_answers({**SELLING, "revenue": "unsaid"})
    assert values["revenue_band"] is None
    assert "unsaid" not in band_codes("revenue")
    assert (
        indicators_from_answers({**SELLING, "customers_outside": "unknown"})["customers_outside"]
        is None
    )
    assert indicators_from_answers({**SELLING, "customers_outside": "no"})["customers_outside"] is (
        False
    )


def test_a_code_outside_the_bands_gives_no_band():
    assert indicators_from_answers({**START, "revenue": "lots"})["revenue_band"] is None
