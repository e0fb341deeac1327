"""Lesson text: Markdown rendered once on save and sanitised with an allow-list (nh3)."""

import re

import markdown
import nh3
from django.utils.html import escape

ALLOWED_TAGS = {
    "p",
    "br",
    "hr",
    "h2",
    "h3",
    "h4",
    "strong",
    "em",
    "b",
    "i",
    "ul",
    "ol",
    "li",
    "blockquote",
    "code",
    "pre",
    "a",
    "img",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt"},
    "th": {"align"},
    "td": {"align"},
}
PICTURE_REF = re.compile(r'<img src="picture:(\d+)" alt="([^"]*)"\s*/?>')


def _keep_only_picture_sources(element, attribute, value):
    # External images would bypass the data budget and the CSP; only our own pictures stay.
    if element == "img" and attribute == "src" and not value.startswith("picture:"):
        return None
    return value


def render_markdown(text: str) -> str:
    """Markdown to safe HTML. Raw HTML in the source is escaped by the sanitiser, scripts and
    event handlers never survive, links get rel=noopener, images must be ``picture:ID``."""
    if not text:
        return ""
    html = markdown.markdown(text, extensions=["tables", "sane_lists"], output_format="html")
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto", "tel", "picture"},
        link_rel="noopener noreferrer nofollow",
        attribute_filter=_keep_only_picture_sources,
    )
    return _expand_pictures(clean)


def _expand_pictures(html: str) -> str:
    ids = {int(match) for match in re.findall(r'src="picture:(\d+)"', html)}
    if not ids:
        return re.sub(r"<img(?![^>]*src=)[^>]*>", "", html)
    from courses.models import Picture

    pictures = {p.pk: p for p in Picture.objects.filter(pk__in=ids)}

    def replace(match):
        picture = pictures.get(int(match.group(1)))
        if picture is None:
            return ""
        return picture_html(picture, alt=match.group(2))

    html = PICTURE_REF.sub(replace, html)
    return re.sub(r"<img(?![^>]*src=)[^>]*>", "", html)


def picture_html(
    picture, *, alt: str | None = None, sizes: str = "(max-width: 40rem) 100vw, 40rem"
) -> str:
    """<picture> with WebP and JPEG renditions, lazy, with intrinsic size to avoid layout jumps."""
    from django.core.files.storage import default_storage

    renditions = sorted(picture.renditions, key=lambda r: r["width"])
    if not renditions:
        return ""
    alt_text = escape(alt if alt is not None else picture.alt)
    webp = ", ".join(f"{default_storage.url(r['webp'])} {r['width']}w" for r in renditions)
    jpeg = ", ".join(f"{default_storage.url(r['jpeg'])} {r['width']}w" for r in renditions)
    smallest = renditions[0]
    return (
        f'<picture><source type="image/webp" srcset="{webp}" sizes="{sizes}">'
        f'<img src="{default_storage.url(smallest["jpeg"])}" srcset="{jpeg}" sizes="{sizes}" '
        f'alt="{alt_text}" width="{smallest["width"]}" height="{smallest["height"]}" '
        f'loading="lazy" decoding="async"></picture>'
    )
