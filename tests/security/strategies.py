"""Hypothesis strategies for hostile form input, and the settings every fuzz test uses.

Every value is what a browser (or a script) can send in a form: a string, or a list of
strings for a repeated field. Numbers, dates and ids arrive as text, so "wrong types" are
text that does not parse: out-of-range numbers, impossible dates, unicode digits, control
characters, markup, huge strings and the ids of objects that belong to someone else.
"""

import io
import os
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from PIL import Image

# CI runs a fixed, reproducible set of examples (derandomize); a longer hunt is
# SECURITY_FUZZ_EXAMPLES=500 pytest tests/security.
EXAMPLES = int(os.environ.get("SECURITY_FUZZ_EXAMPLES", "10"))

FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    # No shrinking: the examples share one database, so a replayed example would not see the
    # same state. The failure message names the input instead.
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
    ],
)

HUGE = "x" * 100_000
WEIRD = [
    "",
    " ",
    "0",
    "-1",
    "-0",
    "00000000000000000001",
    "2147483648",
    "9223372036854775808",
    "-9223372036854775809",
    "1" * 5000,  # more digits than int() accepts by default
    "1e309",
    "NaN",
    "inf",
    "0x10",
    "1_000",
    # Unicode digits: str.isdigit() says yes to all, int() to only some.
    "²",
    "١٢٣",
    "𝟙𝟚",
    "Ⅻ",
    "½",
    "\x00",
    "a\x00b",
    "\r\n",
    "\t",
    "\u202e",
    "\ufeff",
    "🙂" * 20,
    "0000-00-00",
    "2026-02-30",
    "0001-01-01",
    "9999-12-31",
    "10000-01-01",
    "2026-13-01",
    "2026-11-28T25:61",
    "0001-01-01T00:00",
    "9999-12-31T23:59",
    "24:00",
    "23:59:60",
    "-1:00",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
    "//evil.example",
    "https://evil.example/",
    "../../etc/passwd",
    "..\\..\\x",
    "%00",
    "null",
    "None",
    "true",
    "on",
    "[]",
    "{}",
    "' OR 1=1 --",
    "{{ 7*7 }}",
    "%(name)s",
    "{0}",
    HUGE,
]


def _text():
    return st.text(st.characters(codec="utf-8"), max_size=40)


def scalar(ids=()):
    """One hostile string."""
    options = [
        _text(),
        st.sampled_from(WEIRD),
        st.integers(-(2**70), 2**70).map(str),
        st.floats(allow_nan=True, allow_infinity=True).map(repr),
        st.text(st.characters(max_codepoint=0x1F), max_size=8),
    ]
    if ids:
        options.append(st.sampled_from(sorted(ids)))
    return st.one_of(*options)


def value(ids=()):
    """A hostile field value: one string, or several (a repeated field)."""
    return st.one_of(scalar(ids), st.lists(scalar(ids), min_size=0, max_size=4))


def field(*good, ids=()):
    """A field that is sometimes right (so the valid paths run too) and often hostile."""
    hostile = value(ids)
    if not good:
        return hostile
    return st.one_of(st.sampled_from(list(good)), hostile)


def multi(*good, ids=()):
    """A multiple-choice field: lists mixing right and hostile choices."""
    choice = st.one_of(st.sampled_from(list(good)), scalar(ids)) if good else scalar(ids)
    return st.one_of(st.lists(choice, max_size=5), value(ids))


# --- Files ---------------------------------------------------------------------------------


def image_bytes(fmt="JPEG", size=(40, 30), mode="RGB") -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size, (200, 80, 40) if mode == "RGB" else 1).save(buffer, format=fmt)
    return buffer.getvalue()


def gif_polyglot() -> bytes:
    """A valid GIF that is also an HTML page: a browser sniffing it would run the script."""
    return image_bytes("GIF", mode="P") + b"<html><script>alert(1)</script></html>"


SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>'
HTML = b"<html><body><script>alert(1)</script></body></html>"


def tiny_bomb() -> bytes:
    from tests.courses.builders import bomb_png

    return bomb_png(width=20000, height=20000).read()


def zip_bomb_xlsx() -> bytes:
    """An .xlsx whose sheet says it holds far more than it does (never unpacked fully)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", "<a>" + "0" * 2_000_000 + "</a>")
    return buffer.getvalue()


NAMES = [
    "foto.jpg",
    "../../etc/passwd.jpg",
    "..\\..\\x.jpg",
    "a\x00b.jpg",
    "x" * 300 + ".jpg",
    "",
    ".jpg",
    "foto.jpg.html",
    "foto.svg",
    "<script>.jpg",
    "con.jpg",
]
CONTENTS = {
    "jpeg": lambda: image_bytes("JPEG"),
    "png": lambda: image_bytes("PNG"),
    "gif-polyglot": gif_polyglot,
    "html": lambda: HTML,
    "svg": lambda: SVG,
    "empty": lambda: b"",
    "truncated": lambda: image_bytes("PNG")[:40],
    "bomb": tiny_bomb,
}


def uploads(*, names=NAMES, extra_contents=None):
    """A list of uploaded files (0 to 4), each hostile in name, content or both."""
    contents = {**CONTENTS, **(extra_contents or {})}
    one = st.builds(
        lambda name, kind, raw: SimpleUploadedFile(
            name or "x", contents[kind]() if raw is None else raw, content_type="image/jpeg"
        ),
        st.sampled_from(names),
        st.sampled_from(sorted(contents)),
        st.one_of(st.none(), st.binary(max_size=512)),
    )
    return st.lists(one, max_size=4)
