"""Lesson text: Markdown rendered once on save and sanitised with an allow-list (nh3)."""

import re
from html import unescape

import markdown
import nh3
from django.utils.html import escape

ALLOWED_TAGS = {
    "h1",
    "h5",
    "h6",
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
# nh3 may write the attributes in either order.
PICTURE_REF = re.compile(
    r'<img (?:src="picture:(?P<id1>\d+)" alt="(?P<alt1>[^"]*)"'
    r'|alt="(?P<alt2>[^"]*)" src="picture:(?P<id2>\d+)")\s*/?>'
)


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
    html = markdown.markdown(
        text,
        extensions=["tables", "sane_lists"],
        extension_configs={"tables": {"use_align_attribute": True}},
        output_format="html",
    )
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
    """Swap each ``picture:ID`` image for our <picture> markup; drop every other <img>
    (external ones and references to pictures that do not exist)."""
    refs = [
        (int(m.group("id1") or m.group("id2")), m.group("alt1") or m.group("alt2") or "")
        for m in PICTURE_REF.finditer(html)
    ]
    counter = iter(range(len(refs)))
    html = PICTURE_REF.sub(lambda _m: f"\x00{next(counter)}\x00", html)
    html = re.sub(r"<img[^>]*>", "", html)
    if not refs:
        return html
    from courses.models import Picture

    pictures = Picture.objects.in_bulk([pk for pk, _alt in refs])

    def replace(match):
        pk, alt = refs[int(match.group(1))]
        picture = pictures.get(pk)
        # alt comes from the sanitised HTML, already escaped: unescape before escaping again.
        return picture_html(picture, alt=unescape(alt)) if picture else ""

    return re.sub(r"\x00(\d+)\x00", replace, html)


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
