from django import template
from django.forms.utils import flatatt
from django.template.defaultfilters import filesizeformat
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from courses.services.content import data_saver_html, picture_html

register = template.Library()


@register.filter
def choice_input(choice):
    """The <input> of one radio or checkbox option, as ``{{ choice.tag }}`` renders it
    through two widget templates, written here at once: a quiz page has a dozen options and
    their templates were the larger part of its rendering time."""
    data = choice.data
    return format_html(
        '<input type="{}" name="{}" value="{}"{}>',
        data["type"],
        data["name"],
        data["value"],
        flatatt(data["attrs"]),
    )


@register.filter
def plain_input(field):
    """A form field whose widget is one <input> (the quiz's hidden idempotency key), as
    ``{{ field }}`` renders it through the widget templates: the same attributes, built by
    the field and widget, written here at once."""
    widget = field.field.widget
    attrs = field.build_widget_attrs({}, widget)
    if field.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", field.auto_id)
    data = widget.get_context(field.html_name, field.value(), attrs)["widget"]
    value = "" if data["value"] is None else format_html(' value="{}"', data["value"])
    return format_html(
        '<input type="{}" name="{}"{}{}>', data["type"], data["name"], value, flatatt(data["attrs"])
    )


def _data_saver(context) -> bool:
    request = context.get("request")
    return bool(getattr(request, "data_saver", False))


@register.simple_tag(takes_context=True)
def picture(context, picture_obj, sizes="(max-width: 40rem) 100vw, 40rem"):
    """A staff picture as <picture> with WebP/JPEG srcset, lazy-loaded; with the data saver
    on, a link that loads it on request and says its size."""
    if picture_obj is None:
        return ""
    # picture_html escapes the alt text and builds URLs from stored rendition names only.
    html = picture_html(picture_obj, sizes=sizes)
    return mark_safe(data_saver_html(html) if _data_saver(context) else html)  # noqa: S308


@register.simple_tag(takes_context=True)
def lesson_body(context, lesson):
    """A lesson's sanitised HTML (made on save), pictures swapped for tap-to-load links when
    the data saver is on."""
    html = lesson.body_html
    return mark_safe(data_saver_html(html) if _data_saver(context) else html)  # noqa: S308


@register.simple_tag(takes_context=True)
def lesson_cost(context, lesson):
    """ "± 3 KB": what opening the lesson costs in data, before the learner spends it."""
    return "± " + filesizeformat(lesson.data_cost(data_saver=_data_saver(context)))


@register.simple_tag(takes_context=True)
def course_cost(context, course):
    """ "± 52 KB": every lesson page of the course (pictures only when they load by
    themselves), videos and files not included (each says its own size)."""
    total = (course.text_bytes or 0) + (0 if _data_saver(context) else course.picture_bytes or 0)
    return "± " + filesizeformat(total)
