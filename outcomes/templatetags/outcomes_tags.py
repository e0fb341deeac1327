from django import template
from django.utils.translation import gettext

register = template.Library()


@register.filter
def cell(value) -> str:
    """A report cell as "12 (40%)", "12" or "< 5"."""
    if value is None or value.count is None:
        return "< 5"
    if value.percent is None:
        return str(value.count)
    return f"{value.count} ({value.percent}%)"


@register.filter
def pct(value) -> int:
    """The cell's percentage for a bar (0 when hidden)."""
    return 0 if value is None or value.percent is None else value.percent


@register.filter
def signed(value) -> str:
    if value is None:
        return "–"
    if value > 0:
        return gettext("+%(n)s points") % {"n": value}
    return gettext("%(n)s points") % {"n": value}
