"""Helpers for the browser suite: bytes on the wire, the message inbox, page checks."""

import gettext as gnu_gettext
import json
import re
import struct
import time
from dataclasses import dataclass, field
from pathlib import Path

from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.utils import translation
from playwright.sync_api import expect

PHONE_WIDTH = 360
HTML_BUDGET = 14 * 1024
FIRST_VISIT_BUDGET = 30 * 1024
HASHED_CSS = re.compile(r"/static/.+\.[0-9a-f]{12}\.css$")
# Measured page weights, printed at the end of the run (see conftest.pytest_terminal_summary).
WEIGHT_REPORT: list[str] = []


# --- Bytes on the wire --------------------------------------------------------------


@dataclass
class Transfer:
    """One request as Chromium's network stack saw it."""

    url: str
    resource_type: str
    wire_bytes: int = 0
    finished: bool = False
    from_cache: bool = False
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Visit:
    url: str
    transfers: list[Transfer]

    @property
    def document(self) -> Transfer:
        documents = [t for t in self.transfers if t.resource_type == "Document"]
        assert len(documents) == 1, f"expected one document for {self.url}, got {documents}"
        return documents[0]

    @property
    def subresources(self) -> list[Transfer]:
        # data: URLs never touch the network, so they are not part of the page weight.
        return [
            t
            for t in self.transfers
            if t.resource_type != "Document" and not t.url.startswith("data:")
        ]

    def bytes_of(self, resource_type: str) -> int:
        return sum(t.wire_bytes for t in self.subresources if t.resource_type == resource_type)

    @property
    def total_bytes(self) -> int:
        return self.document.wire_bytes + sum(t.wire_bytes for t in self.subresources)

    def over_the_network(self) -> list[Transfer]:
        """Subresources that were fetched from the server rather than the browser cache."""
        return [
            t for t in self.subresources if t.finished and not t.from_cache and t.wire_bytes > 0
        ]

    def summary(self) -> str:
        parts = [f"HTML {self.document.wire_bytes} B"]
        for kind in sorted({t.resource_type for t in self.subresources}):
            parts.append(f"{kind} {self.bytes_of(kind)} B")
        parts.append(f"total {self.total_bytes} B")
        return ", ".join(parts)


class NetworkMeter:
    """Counts what a page pulls over the network, via the Chrome DevTools Protocol.

    Playwright's own response API cannot tell bytes on the wire (compressed, with headers)
    from decoded bytes, nor a cache hit from a download; CDP's Network domain can.
    """

    def __init__(self, context, page):
        self.page = page
        self._transfers: dict[str, Transfer] = {}
        self._done: set[str] = set()
        self._cdp = context.new_cdp_session(page)
        self._cdp.on("Network.requestWillBeSent", self._on_request)
        self._cdp.on("Network.requestServedFromCache", self._on_served_from_cache)
        self._cdp.on("Network.responseReceived", self._on_response)
        self._cdp.on("Network.loadingFinished", self._on_finished)
        self._cdp.on("Network.loadingFailed", self._on_failed)
        self._cdp.send("Network.enable")

    def _transfer(self, request_id: str) -> Transfer:
        return self._transfers.setdefault(request_id, Transfer(url="", resource_type="Other"))

    def _on_request(self, params):
        transfer = self._transfer(params["requestId"])
        transfer.url = params["request"]["url"]
        transfer.resource_type = params.get("type", transfer.resource_type)

    def _on_served_from_cache(self, params):
        self._transfer(params["requestId"]).from_cache = True

    def _on_response(self, params):
        transfer = self._transfer(params["requestId"])
        response = params["response"]
        transfer.resource_type = params.get("type", transfer.resource_type)
        transfer.headers = {k.lower(): v for k, v in response.get("headers", {}).items()}
        if response.get("fromDiskCache") or response.get("fromMemoryCache"):
            transfer.from_cache = True

    def _on_finished(self, params):
        transfer = self._transfer(params["requestId"])
        transfer.wire_bytes = int(params["encodedDataLength"])
        transfer.finished = True
        self._done.add(params["requestId"])

    def _on_failed(self, params):
        self._done.add(params["requestId"])

    def visit(self, url: str, *, timeout: float = 10.0) -> Visit:
        """Navigate to url and return every request the navigation made, once all are done."""
        self._transfers, self._done = {}, set()
        self.page.goto(url)
        # goto returns on the load event, but CDP events for the last responses may still be
        # in flight on the protocol connection: poll until every request has settled.
        deadline = time.monotonic() + timeout
        while set(self._transfers) - self._done:
            if time.monotonic() > deadline:
                pending = [self._transfers[r].url for r in set(self._transfers) - self._done]
                raise AssertionError(f"requests never finished: {pending}")
            self.page.wait_for_timeout(20)
        return Visit(url=url, transfers=list(self._transfers.values()))


def record(label: str, first: Visit, repeat: Visit) -> None:
    WEIGHT_REPORT.append(f"{label} first visit: {first.summary()}")
    WEIGHT_REPORT.append(f"{label} repeat visit: {repeat.summary()}")


def assert_first_visit_within_budget(visit: Visit) -> None:
    document = visit.document
    assert document.headers.get("content-encoding") == "gzip", document.headers
    assert document.wire_bytes <= HTML_BUDGET, (
        f"{visit.url}: HTML is {document.wire_bytes} B on the wire, budget {HTML_BUDGET} B"
    )
    assert visit.total_bytes <= FIRST_VISIT_BUDGET, (
        f"{visit.url}: first visit is {visit.total_bytes} B ({visit.summary()}), "
        f"budget {FIRST_VISIT_BUDGET} B"
    )
    stylesheets = [t for t in visit.subresources if t.resource_type == "Stylesheet"]
    assert stylesheets, f"{visit.url} loaded no stylesheet: {visit.transfers}"
    for sheet in stylesheets:
        # Hashed names are what make the year-long cache safe.
        assert HASHED_CSS.search(sheet.url), sheet.url
        assert sheet.headers.get("content-encoding") in {"gzip", "br"}, sheet.headers
        assert "immutable" in sheet.headers.get("cache-control", ""), sheet.headers
        assert not sheet.from_cache and sheet.wire_bytes > 0, sheet


def assert_repeat_visit_fetches_only_html(visit: Visit) -> None:
    # The HTML is personal and never cached, so it does come again...
    assert not visit.document.from_cache and visit.document.wire_bytes > 0, visit.document
    # ...but everything else must come from the browser's cache.
    fetched = [(t.url, t.wire_bytes) for t in visit.over_the_network()]
    assert not fetched, f"{visit.url}: repeat visit downloaded subresources again: {fetched}"


# --- Text that is still being translated ------------------------------------------------


def ui_strings(msgid: str, **params) -> list[str]:
    """What the site may show for msgid (with params filled in): its Indonesian translation,
    or the English msgid while there is none.

    For strings whose translation is being written while the suite runs. The catalogue may be
    recompiled at any moment, and each gunicorn worker and this process read it when they
    first need it, so the server may show an older or a newer translation than this process
    has: accept the msgid, this process's translation and the catalogue's translation now.
    Use a literal Indonesian string once it is settled.
    """

    def fill(text: str) -> str:
        if not params:
            return text
        # Templates' {% blocktranslate %} uses %(name)s, Python code str.format() fields.
        return text % params if "%(" in msgid else text.format(**params)

    with translation.override("id"):
        texts = [translation.gettext(msgid)]
    texts += [_compiled_translation(msgid), msgid]
    return list(dict.fromkeys(fill(text) for text in texts if text))


def _compiled_translation(msgid: str) -> str | None:
    """msgid's translation in the project's compiled Indonesian catalogue as it is now."""
    for locale_path in settings.LOCALE_PATHS:
        mo = Path(locale_path) / "id" / "LC_MESSAGES" / "django.mo"
        try:
            with open(mo, "rb") as fh:
                catalogue = gnu_gettext.GNUTranslations(fh)
        except FileNotFoundError:
            continue
        except (OSError, ValueError, UnicodeDecodeError, struct.error):
            return None  # being rewritten by msgfmt right now
        text = catalogue.gettext(msgid)
        if text != msgid:
            return text
    return None


def ui_text(msgid: str, *, template: str = "{}", **params) -> re.Pattern:
    """A pattern for the whole text of an element showing msgid, optionally inside a
    template such as "{}: Pertemuan 1" for text around it; see ui_strings."""
    # Playwright sends a pattern to the page as /source/flags, so "/" must be escaped too.
    choices = (
        re.escape(template.format(text)).replace("/", r"\/") for text in ui_strings(msgid, **params)
    )
    return re.compile(r"^\s*(?:" + "|".join(choices) + r")\s*$")


# --- Signing in ----------------------------------------------------------------------------


def main_form_submit(page):
    # Buttons tied to another form (form="...") are secondary actions such as "resend code"
    # or "cancel"; the form's own submit button has no form attribute.
    return page.locator("main form button[type=submit]:not([form])")


def sign_in(page, base_url: str, *, login: str, password: str, landing: str = "/") -> None:
    """Sign in through the form and expect to land on `landing` (home, unless the role's
    home sends it elsewhere: a partner lands on the outcome report)."""
    page.goto(f"{base_url}/accounts/login/")
    expect(page.locator("html")).to_have_attribute("lang", "id")
    page.locator("[name=login]").fill(login)
    page.locator("[name=password]").fill(password)
    expect(main_form_submit(page)).to_have_text("Masuk")
    main_form_submit(page).click()
    expect(page).to_have_url(f"{base_url}{landing}")


# --- The message gateway's file backend ----------------------------------------------------


class Inbox:
    """Reads the JSON lines the gateway's FileBackend appends, one per message sent."""

    CODE = re.compile(r"\b([A-Z0-9]{2,}(?:-[A-Z0-9]{2,})+|\d{4,9})\b")

    def __init__(self, path: Path):
        self.path = path

    def messages(self) -> list[dict]:
        if not self.path.exists():
            return []
        lines = self.path.read_text(encoding="utf-8").splitlines()
        # A line still being written has no newline yet and may not parse: skip it for now.
        parsed = []
        for line in lines:
            try:
                parsed.append(json.loads(line))
            except json.JSONDecodeError:
                break
        return parsed

    def wait_for_message(self, *, to: str, after: int = 0, timeout: float = 10.0) -> str:
        """The text of the first message to `to` among those sent after the first `after`."""
        deadline = time.monotonic() + timeout
        while True:
            for message in self.messages()[after:]:
                if message["to"] == to:
                    return message["text"]
            if time.monotonic() > deadline:
                raise AssertionError(f"no message to {to} in {self.path} after {timeout}s")
            time.sleep(0.05)

    def wait_for_code(self, *, to: str, after: int = 0) -> str:
        text = self.wait_for_message(to=to, after=after)
        match = self.CODE.search(text)
        assert match, f"no verification code in message: {text!r}"
        return match.group(1)


# --- Checks run on every page a journey visits ----------------------------------------------


def assert_accessible(page, *, known: frozenset[str] = frozenset()) -> None:
    """No serious or critical axe violation.

    axe is injected with page.evaluate, which DevTools runs outside the page's
    Content-Security-Policy, so the site's strict CSP stays on during the check.
    `known`: axe rule ids left out here because a strict xfail test pins them as a bug.
    """
    results = Axe().run(page)
    bad = [
        v
        for v in results.response["violations"]
        if v["impact"] in {"serious", "critical"} and v["id"] not in known
    ]
    details = "\n".join(
        f"- {v['id']} ({v['impact']}): {v['help']}\n"
        + "\n".join(f"    {node['target']}: {node['html'][:200]}" for node in v["nodes"])
        for v in bad
    )
    assert not bad, f"axe found serious/critical violations on {page.url}:\n{details}"


def assert_fits_phone(page) -> None:
    """Nothing forces sideways scrolling on a 360 px wide phone."""
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE_WIDTH, f"{page.url} is {width}px wide, more than {PHONE_WIDTH}px"


def check_page(page, *, known_axe: frozenset[str] = frozenset()) -> None:
    assert_fits_phone(page)
    assert_accessible(page, known=known_axe)
