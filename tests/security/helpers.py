"""Clients and assertions shared by the security tests."""

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.test import Client

from tests.helpers import without_app_script


def client_for(user=None, **kwargs) -> Client:
    """A client that shows a crash as a 500 response (with response.exc_info) instead of
    raising it, so a test can say which input caused it."""
    client = Client(raise_request_exception=False, **kwargs)
    if user is not None:
        client.force_login(user)
    return client


def short(value, limit=120):
    """repr() of a posted value, huge strings cut, for failure messages."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k!r}: {short(v, 60)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(short(v, 60) for v in value) + "]"
    text = repr(getattr(value, "name", value)) if hasattr(value, "read") else repr(value)
    return text if len(text) <= limit else f"{text[:limit]}…({len(text)} chars)"


def consume(response):
    """Read a streamed body now, so an error while streaming is raised inside the test."""
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def assert_no_server_error(response, what, sent=None):
    """Anything but a 5xx: 2xx, 3xx and 4xx are all fine answers to hostile input."""
    exc = response.exc_info[1] if getattr(response, "exc_info", None) else None
    if response.status_code >= 500 or exc is not None:
        pytest.fail(
            f"{what} answered {response.status_code}"
            + (f" ({type(exc).__name__}: {str(exc)[:300]})" if exc else "")
            + (f"\nsent: {short(sent)}" if sent is not None else ""),
            pytrace=False,
        )


# --- Live markup ----------------------------------------------------------------------------

# Tags that run code, load other documents or restyle the page: never from stored text.
ACTIVE_TAGS = {"script", "iframe", "frame", "object", "embed", "style", "base"}
DANGEROUS_SCHEME = re.compile(r"^\s*(javascript|vbscript|data)\s*:", re.I)
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "srcset", "data", "poster", "xlink:href"}


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))

    handle_startendtag = handle_starttag


def start_tags(html: str) -> list[tuple[str, list]]:
    collector = _Collector()
    collector.feed(html)
    collector.close()
    return collector.tags


# The layout's own markup that the checks below would otherwise flag.
LAYOUT_ALLOWED = [
    # <link rel="icon" href="data:,">: an empty icon, so browsers do not ask for favicon.ico
    lambda tag, attrs: tag == "link" and dict(attrs).get("href") == "data:,",
]


def live_markup(html: str, *, admin=False, page=True) -> list[str]:
    """What in the page could run a script or load another document: <script> tags (other
    than the layout's app.js, or the admin's own static scripts; page=False for an e-mail),
    event-handler attributes,
    javascript:/data: URLs, frames, objects, <style>, <base> and <meta http-equiv>."""
    if not page:
        pass  # an e-mail body: no layout around it
    elif admin:
        html = re.sub(
            r'<script\b[^>]*\bsrc="/(static/admin/[^"]+|admin/jsi18n/)"[^>]*>\s*</script>', "", html
        )
        html = re.sub(r'<script id="[\w-]+" type="application/json">.*?</script>', "", html)
    else:
        html = without_app_script(html)
    found = []
    for tag, attrs in start_tags(html):
        if any(allowed(tag, attrs) for allowed in LAYOUT_ALLOWED):
            continue
        if tag in ACTIVE_TAGS or (tag == "meta" and "http-equiv" in dict(attrs)):
            found.append(f"<{tag} {attrs}>")
            continue
        for name, value in attrs:
            if name.startswith("on"):
                found.append(f"<{tag}> with {name}={value!r}")
            elif name in URL_ATTRIBUTES and value and DANGEROUS_SCHEME.match(value):
                found.append(f"<{tag}> with {name}={value!r}")
    return found


def assert_no_live_markup(response, what, *, admin=False):
    assert response.status_code == 200, f"{what}: status {response.status_code}"
    found = live_markup(response.content.decode(), admin=admin)
    assert not found, f"{what}: live markup from stored text: {found}"


def assert_strict_csp(response, what):
    policy = response.get("Content-Security-Policy", "")
    assert policy, f"{what}: no Content-Security-Policy header"
    directives = {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}
    scripts = directives.get("script-src", directives.get("default-src"))
    assert scripts, f"{what}: the policy does not restrict scripts: {policy}"
    assert "'unsafe-inline'" not in scripts, f"{what}: script-src allows inline scripts"
    assert "'unsafe-eval'" not in scripts, f"{what}: script-src allows eval"
    assert "*" not in scripts and "data:" not in scripts, f"{what}: script-src is open: {policy}"


def is_on_site(location: str) -> bool:
    """A redirect target on this site: a path, or an absolute URL of the test server."""
    if location.strip() != location or "\\" in location or any(ord(c) < 32 for c in location):
        return False
    parts = urlsplit(location)
    if parts.scheme == "" and parts.netloc == "":
        return location.startswith("/") and not location.startswith("//")
    return parts.scheme in ("http", "https") and parts.netloc == "testserver"
