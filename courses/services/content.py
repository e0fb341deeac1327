"""Lesson text: Markdown rendered once on save and sanitised with an allow-list (nh3)."""

import gzip
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


# Compressed bytes of a lesson page around its text (header, menu, buttons, footer), measured
# on the demo reading lessons; the text itself is measured per lesson.
LESSON_PAGE_FRAME_BYTES = 1700


def lesson_data_cost(body_html: str) -> tuple[int, int]:
    """(page bytes, picture bytes) a phone spends opening a lesson with this text."""
    text = len(gzip.compress(body_html.encode(), mtime=0)) if body_html else 0
    return LESSON_PAGE_FRAME_BYTES + text, picture_bytes(body_html)


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


def _phone_rendition(renditions: list[dict]) -> dict:
    """What a 360 px phone at 2x density loads: the 720 px rendition or the nearest below."""
    fitting = [r for r in renditions if r["width"] <= 720]
    return fitting[-1] if fitting else renditions[0]


def picture_html(
    picture, *, alt: str | None = None, sizes: str = "(max-width: 40rem) 100vw, 40rem"
) -> str:
    """<picture> with WebP and JPEG renditions, lazy, with intrinsic size to avoid layout jumps.

    ``data-bytes`` and ``data-href`` name what a phone would download, so the data saver
    (``data_saver_html``) can swap the picture for a tap-to-load link that says its size.
    """
    from django.core.files.storage import default_storage

    renditions = sorted(picture.renditions, key=lambda r: r["width"])
    if not renditions:
        return ""
    alt_text = escape(alt if alt is not None else picture.alt)
    webp = ", ".join(f"{default_storage.url(r['webp'])} {r['width']}w" for r in renditions)
    jpeg = ", ".join(f"{default_storage.url(r['jpeg'])} {r['width']}w" for r in renditions)
    smallest = renditions[0]
    phone = _phone_rendition(renditions)
    return (
        f'<picture data-bytes="{int(phone.get("webp_bytes") or 0)}" '
        f'data-href="{default_storage.url(phone["webp"])}">'
        f'<source type="image/webp" srcset="{webp}" sizes="{sizes}">'
        f'<img src="{default_storage.url(smallest["jpeg"])}" srcset="{jpeg}" sizes="{sizes}" '
        f'alt="{alt_text}" width="{smallest["width"]}" height="{smallest["height"]}" '
        f'loading="lazy" decoding="async"></picture>'
    )


# Only matches the markup picture_html writes (lesson HTML is sanitised before pictures are
# expanded, so no author can write a <picture> of their own).
PICTURE_BLOCK = re.compile(
    r'<picture data-bytes="(?P<bytes>\d+)" data-href="(?P<href>[^"]*)">'
    r'(?P<inner>.*?alt="(?P<alt>[^"]*)".*?)</picture>',
    re.S,
)


def picture_bytes(html: str) -> int:
    """What the pictures in a piece of our HTML cost a phone to load."""
    return sum(int(m.group("bytes")) for m in PICTURE_BLOCK.finditer(html))


def data_saver_html(html: str) -> str:
    """Swap every picture for a link that loads it on request and says its size.

    Without JavaScript the link opens the image itself; with it (static/js/app.js) the
    picture kept inert in the <template> replaces the link in place.
    """
    from django.template.defaultfilters import filesizeformat
    from django.utils.translation import gettext

    def placeholder(match):
        size = filesizeformat(int(match.group("bytes")))
        alt = match.group("alt")  # already escaped by picture_html
        label = gettext("Picture: %(alt)s. Tap to load (± %(size)s)") % {
            "alt": alt or gettext("no description"),
            "size": size,
        }
        return (
            f'<span class="ph"><template><picture data-bytes="{match.group("bytes")}" '
            f'data-href="{match.group("href")}">{match.group("inner")}</picture></template>'
            f'<a class="ph-load" href="{match.group("href")}">{label}</a></span>'
        )

    return PICTURE_BLOCK.sub(placeholder, html)
