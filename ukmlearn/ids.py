"""Ids typed into forms and query strings: anything that is not a possible primary key is
refused before it reaches the database (SQLite raises OverflowError beyond 64 bits)."""

from django import forms

MAX_ID = 2**63 - 1  # BigAutoField


def parse_id(value) -> int:
    """The id in `value`, or 0 for anything that cannot be a row's id."""
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return 0
    return number if 0 < number <= MAX_ID else 0


class IdsChoiceField(forms.ModelMultipleChoiceField):
    """A ModelMultipleChoiceField that refuses impossible ids with its usual message."""

    def _check_values(self, value):
        for pk in value if isinstance(value, list | tuple) else [value]:
            if isinstance(pk, str) and pk.strip().lstrip("-").isdigit() and not parse_id(pk):
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": pk},
                )
        return super()._check_values(value)
