from django import template

from ukmlearn.users.phone import display_phone

register = template.Library()


@register.filter
def phone_display(value):
    """+6281234567890 -> 0812-3456-7890, the way people write their own number."""
    return display_phone(value) if value else ""
