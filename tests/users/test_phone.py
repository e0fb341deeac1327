"""Indonesian mobile numbers: every way people type one becomes the same E.164 number."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from ukmlearn.users.phone import (
    INVALID_PHONE_MESSAGE,
    PhoneField,
    display_phone,
    normalize_phone,
)

E164 = "+6281234567890"


@pytest.mark.parametrize(
    "typed",
    [
        "0812-3456-7890",
        "0812 3456 7890",
        "+62 812 3456 7890",
        "6281234567890",
        "+6281234567890",
        "62 812 3456 7890",
        "+62-812-3456-7890",
        "(0812) 3456-7890",
        "  0812 3456 7890\n",
    ],
)
def test_it_turns_every_usual_way_of_typing_a_number_into_e164(typed):
    assert normalize_phone(typed) == E164


@pytest.mark.parametrize(
    "typed",
    [
        "abc",
        "nomor saya",
        "--------",
        "",
        "   ",
        "+62",
        "62",
        "1234567890",
    ],
)
def test_it_rejects_garbage_with_the_invalid_number_message(typed):
    with translation.override("id"):
        with pytest.raises(ValidationError) as exc:
            normalize_phone(typed)
        assert exc.value.code == "invalid_phone"
        assert exc.value.messages == [str(INVALID_PHONE_MESSAGE)]


@pytest.mark.parametrize("typed", ["0812", "0812345", "081234567", "+62 812 345"])
def test_it_rejects_a_number_that_is_too_short(typed):
    with pytest.raises(ValidationError) as exc:
        normalize_phone(typed)
    assert exc.value.code == "invalid_phone"


@pytest.mark.parametrize(
    "typed",
    [
        "08123456789012",  # one digit more than the longest Indonesian mobile number
        "0812345678901234567890",
        "08" + "1" * 40,  # past the 32 characters anyone needs to type a number
        "0812 3456 7890" + " -" * 10,  # a valid number, but buried in 34 characters
    ],
)
def test_it_rejects_over_long_input(typed):
    with pytest.raises(ValidationError) as exc:
        normalize_phone(typed)
    assert exc.value.code == "invalid_phone"
    assert exc.value.messages == [str(INVALID_PHONE_MESSAGE)]


@pytest.mark.parametrize(
    "typed", ["022-1234567", "021 1234 5678", "+62 22 1234567", "6222 1234567"]
)
def test_it_rejects_a_landline_and_asks_for_a_mobile_number(typed):
    with pytest.raises(ValidationError) as exc:
        normalize_phone(typed)
    assert exc.value.code == "not_mobile"


def test_it_rejects_letters_instead_of_reading_them_as_keypad_digits():
    with pytest.raises(ValidationError):
        normalize_phone("0812 3456 ABCD")


def test_it_shows_a_number_the_way_indonesians_write_it():
    assert display_phone(E164) == "0812-3456-7890"


def test_the_form_field_cleans_to_e164():
    assert PhoneField().clean("0812 3456 7890") == E164


def test_the_optional_form_field_leaves_an_empty_entry_empty():
    assert PhoneField(required=False).clean("  ") == ""


def test_the_form_field_refuses_input_longer_than_32_characters():
    with pytest.raises(ValidationError) as exc:
        PhoneField().clean("0" * 33)
    assert [error.code for error in exc.value.error_list] == ["max_length"]


def test_the_form_field_refuses_a_landline():
    with pytest.raises(ValidationError) as exc:
        PhoneField().clean("022-1234567")
    assert [error.code for error in exc.value.error_list] == ["not_mobile"]
