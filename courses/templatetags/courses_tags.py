from django import template
from django.utils.safestring import mark_safe

from courses.services.content import picture_html

register = template.Library()


@register.simple_tag
def picture(picture_obj, sizes="(max-width: 40rem) 100vw, 40rem"):
    """A staff picture as <picture> with WebP/JPEG srcset, lazy-loaded."""
    if picture_obj is None:
        return ""
    # picture_html escapes the alt text and builds URLs from stored rendition names only.
    return mark_safe(picture_html(picture_obj, sizes=sizes))  # noqa: S308
