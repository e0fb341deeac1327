"""Helpers for the browser suite: bytes on the wire, the message inbox, page checks."""

import gettext as gnu_gettext
import json
import re
import select
import socket
import sqlite3
import struct
import threading
import time
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

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
POLL_MS = 20  # how often a wait below looks at its condition again, always under a deadline


# --- Bytes on the wire --------------------------------------------------------------
#
# Counted on the socket, by a TCP relay between Chromium and gunicorn, because the DevTools
# protocol misses part of what a service worker costs (measured with Chromium 156):
# - after every navigation the worker answers, the browser process checks /sw.js for an
#   update (the spec's "soft update", about a second later); neither the page's nor the
#   worker's DevTools target reports that download;
# - the worker script's own first download is reported as its headers only (encodedDataLength
#   591 B for a response of 1,967 B).
# gunicorn's sync workers close the connection after each response (Connection: close), so one
# connection carries exactly one request; the relay checks that.

HTML, CSS, JS, IMAGES = "HTML", "CSS", "JS", "images"
WORKER = "service worker"  # /sw.js and what the worker fetches on its own (its precache)
FETCH = "fetch"  # fetch() from the page: "save for reading offline", the offline queue
OTHER = "other"
KINDS = (HTML, CSS, JS, IMAGES, WORKER, FETCH, OTHER)
_DESTINATIONS = {"style": CSS, "script": JS, "image": IMAGES, "serviceworker": WORKER}


def _head(data: bytes) -> tuple[str, dict[str, str]]:
    """The first line and the (lower-cased) headers of an HTTP message."""
    lines = data.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return lines[0], headers


class _Connection:
    HEAD_LIMIT = 32 * 1024

    def __init__(self):
        self.started = time.monotonic()
        self.sent = 0  # browser -> server: request line, headers, body
        self.received = 0  # server -> browser: status line, headers, body
        self.request_head = bytearray()
        self.response_head = bytearray()
        self.done = False  # the server has sent everything and closed

    def add(self, upstream: bool, data: bytes) -> None:
        if upstream:
            self.sent += len(data)
            if len(self.request_head) < self.HEAD_LIMIT:
                self.request_head += data
        else:
            self.received += len(data)
            if len(self.response_head) < self.HEAD_LIMIT:
                self.response_head += data


class WireTap:
    """A TCP relay in front of the server that counts every byte crossing it, both ways.

    The browser opens `url`; each connection that carries a request is connected to the
    server only then (Chromium opens spare connections it may never use, and an idle one
    would hold one of gunicorn's sync workers)."""

    def __init__(self, upstream_url: str):
        parts = urlsplit(upstream_url)
        self._upstream = (parts.hostname, parts.port)
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self._listener.getsockname()[1]}"
        self._connections: list[_Connection] = []
        self._lock = threading.Lock()
        self._closed = False
        threading.Thread(target=self._accept, daemon=True).start()

    def close(self) -> None:
        self._closed = True
        self._listener.close()

    def connections(self, since: int = 0) -> list[_Connection]:
        with self._lock:
            return self._connections[since:]

    def mark(self) -> int:
        with self._lock:
            return len(self._connections)

    def _accept(self) -> None:
        while not self._closed:
            try:
                client, _address = self._listener.accept()
            except OSError:
                return
            threading.Thread(target=self._pump, args=(client,), daemon=True).start()

    def _pump(self, client: socket.socket) -> None:
        upstream = None
        connection = None
        open_sockets = {client}
        try:
            while open_sockets and not self._closed:
                readable, _, _ = select.select(list(open_sockets), [], [], 0.5)
                for sock in readable:
                    data = sock.recv(65536)
                    if sock is client:
                        if not data:
                            open_sockets.discard(client)
                            if upstream is None:
                                return
                            upstream.shutdown(socket.SHUT_WR)
                            continue
                        if upstream is None:
                            upstream = socket.create_connection(self._upstream)
                            open_sockets.add(upstream)
                            connection = _Connection()
                            with self._lock:
                                self._connections.append(connection)
                        upstream.sendall(data)
                        connection.add(True, data)
                    else:
                        if not data:
                            open_sockets.discard(upstream)
                            connection.done = True
                            try:
                                client.shutdown(socket.SHUT_WR)
                            except OSError:
                                pass
                            continue
                        client.sendall(data)
                        connection.add(False, data)
        except OSError:
            pass  # the browser or the server went away: what was counted stays counted
        finally:
            if connection is not None:
                connection.done = True
            client.close()
            if upstream is not None:
                upstream.close()


@dataclass
class Transfer:
    """One request and its response as they crossed the wire."""

    method: str
    url: str
    path: str
    status: int
    request_headers: dict[str, str]
    headers: dict[str, str]  # of the response
    wire_bytes: int  # received: status line, headers and (compressed) body
    sent_bytes: int  # sent: request line, headers and body
    started: float
    kind: str = OTHER

    @property
    def navigation(self) -> bool:
        return self.request_headers.get("sec-fetch-mode") == "navigate"

    @property
    def through_worker(self) -> bool:
        """A navigation the service worker answered by fetching it itself (the browser sends
        a navigation it makes on its own with Sec-Fetch-Dest: document)."""
        return self.navigation and self.request_headers.get("sec-fetch-dest") != "document"

    @property
    def worker_script(self) -> bool:
        """The service worker script: its registration or one of its update checks."""
        return self.request_headers.get("service-worker") == "script"

    def __repr__(self) -> str:
        return f"<{self.kind} {self.method} {self.path} {self.status} {self.wire_bytes} B>"


def _transfer(connection: _Connection, base_url: str) -> Transfer:
    request_line, request_headers = _head(bytes(connection.request_head))
    method, path, _version = (request_line.split(" ") + ["", "", ""])[:3]
    status_line, headers = _head(bytes(connection.response_head))
    status = int(status_line.split(" ")[1]) if status_line.startswith("HTTP/") else 0
    request_length = (
        len(bytes(connection.request_head).split(b"\r\n\r\n", 1)[0])
        + 4
        + int(request_headers.get("content-length") or 0)
    )
    assert connection.sent == request_length or not connection.done, (
        f"more than one request on one connection ({request_line}, {connection.sent} B sent): "
        "the counting assumes gunicorn closes each connection after its response"
    )
    return Transfer(
        method=method,
        url=base_url + path,
        path=path,
        status=status,
        request_headers=request_headers,
        headers=headers,
        wire_bytes=connection.received,
        sent_bytes=connection.sent,
        started=connection.started,
    )


@dataclass
class Visit:
    url: str
    transfers: list[Transfer]
    # The service worker answered the navigation and the browser then had to check /sw.js
    # over the network (see NetworkMeter._update_check_expected).
    update_check: bool = False

    @property
    def document(self) -> Transfer:
        documents = [t for t in self.transfers if t.kind == HTML]
        assert len(documents) == 1, f"expected one document for {self.url}, got {documents}"
        return documents[0]

    @property
    def subresources(self) -> list[Transfer]:
        return [t for t in self.transfers if t.kind != HTML]

    def bytes_of(self, kind: str) -> int:
        return sum(t.wire_bytes for t in self.transfers if t.kind == kind)

    @property
    def total_bytes(self) -> int:
        return sum(t.wire_bytes for t in self.transfers)

    @property
    def sent_bytes(self) -> int:
        return sum(t.sent_bytes for t in self.transfers)

    @property
    def worker_traffic(self) -> list[Transfer]:
        return [t for t in self.transfers if t.kind == WORKER]

    def over_the_network(self) -> list[Transfer]:
        return list(self.transfers)

    def summary(self) -> str:
        parts = []
        for kind in KINDS:
            of_kind = [t for t in self.transfers if t.kind == kind]
            if not of_kind:
                continue
            text = f"{kind} {self.bytes_of(kind)} B"
            if kind == WORKER:
                text += " (" + ", ".join(f"{t.path} {t.wire_bytes} B" for t in of_kind) + ")"
            parts.append(text)
        parts.append(f"total {self.total_bytes} B")
        return ", ".join(parts)


class NetworkMeter:
    """Counts what a browser context pulls over the network, service worker included.

    Open pages at `meter.url` (a relay in front of the server: same host, so the session
    cookie applies; its own port, so its own origin with its own service worker). Every
    request the context makes there is a Transfer; Playwright's request events only tell
    whether a fetch() came from the page or from the service worker.
    """

    def __init__(self, context, page, server_url: str):
        self.page = page
        self.tap = WireTap(server_url)
        self.url = self.tap.url
        self._initiators: dict[tuple[str, str], set[str]] = {}
        context.on("request", self._on_request)
        context.on("close", lambda _context: self.tap.close())

    def _on_request(self, request) -> None:
        who = WORKER if request.service_worker is not None else "page"
        self._initiators.setdefault((request.method, request.url), set()).add(who)

    def mark(self) -> int:
        return self.tap.mark()

    def _kind(self, transfer: Transfer) -> str | None:
        """None while Playwright has not yet said who asked for a fetch()."""
        if transfer.worker_script:
            return WORKER
        if transfer.navigation:
            return HTML
        destination = transfer.request_headers.get("sec-fetch-dest", "")
        if destination in _DESTINATIONS:
            return _DESTINATIONS[destination]
        if destination != "empty":
            return OTHER
        who = self._initiators.get((transfer.method, transfer.url))
        if who is None:
            return None
        # The worker's own fetches (its precache); the page's fetch() also passes through
        # the worker for pictures, and then it is the page's.
        return WORKER if who == {WORKER} else FETCH

    def _update_check_expected(self) -> bool:
        """Whether the browser goes to the network to check /sw.js for an update after a
        navigation the worker answered. It does every time (measured: Chromium asks with
        max-age=0 and no If-None-Match, so the whole script comes again), unless the
        registration lets the HTTP cache answer (updateViaCache "all") and the script's
        response may be kept (max-age)."""
        via_cache = self.page.evaluate(
            """async () => {
                const registration = await navigator.serviceWorker.getRegistration();
                return registration ? registration.updateViaCache : null;
            }"""
        )
        if via_cache != "all":
            return True
        scripts = [t for t in self.transfers() if t.worker_script and t.status == 200]
        cache_control = scripts[-1].headers.get("cache-control", "") if scripts else ""
        max_age = re.search(r"max-age=(\d+)", cache_control)
        return "no-cache" in cache_control or not (max_age and int(max_age.group(1)) > 0)

    def transfers(self, since: int = 0) -> list[Transfer]:
        transfers = [_transfer(c, self.url) for c in self.tap.connections(since)]
        for transfer in transfers:
            transfer.kind = self._kind(transfer) or OTHER
        return transfers

    def settle(self, since: int, *, timeout: float = 10.0) -> list[Transfer]:
        """Wait until everything the pages did since `since` has crossed the wire, and return it:
        the service worker is active (its registration and precache are done), every request
        has its whole response, each navigation the worker answered has had its update check,
        and Playwright has said who made each fetch()."""
        deadline = time.monotonic() + timeout
        check_expected = None
        if self.page.url.startswith(self.url):
            wait_for_service_worker(self.page, timeout=timeout)
            check_expected = self._update_check_expected()
        while True:
            connections = self.tap.connections(since)
            transfers = [_transfer(c, self.url) for c in connections]
            waiting = [t.path for c, t in zip(connections, transfers, strict=True) if not c.done]
            waiting += [t.path for t in transfers if self._kind(t) is None]
            navigations = [t for t in transfers if t.navigation and t.method == "GET"]
            if navigations and navigations[-1].through_worker and check_expected:
                last = navigations[-1]
                if not any(t.worker_script and t.started > last.started for t in transfers):
                    waiting.append(f"the update check of /sw.js after {last.path}")
            if not waiting:
                return self.transfers(since)
            if time.monotonic() > deadline:
                raise AssertionError(f"still waiting after {timeout}s for: {waiting}")
            self.page.wait_for_timeout(POLL_MS)

    def visit(self, url: str, *, timeout: float = 10.0) -> Visit:
        """Navigate to url and return every request that crossed the wire for it, the service
        worker's included, once all are done."""
        assert url.startswith(self.url), f"open {url} through the meter's {self.url}"
        since = self.mark()
        self.page.goto(url)
        transfers = self.settle(since, timeout=timeout)
        navigations = [t for t in transfers if t.navigation]
        update_check = bool(navigations) and navigations[-1].through_worker
        return Visit(
            url=url,
            transfers=transfers,
            update_check=update_check and self._update_check_expected(),
        )


def wait_for_service_worker(page, *, timeout: float = 10.0) -> None:
    """Wait until the page's service worker is active and controls the page (the first
    visit installs it and fills its precache; clients.claim() then takes the page over)."""
    state = page.evaluate(
        """async (ms) => {
            if (!("serviceWorker" in navigator)) return "unsupported";
            const late = new Promise((resolve) => setTimeout(() => resolve("timeout"), ms));
            const controlled = navigator.serviceWorker.ready.then(() =>
                navigator.serviceWorker.controller ? "controlled" : new Promise((resolve) =>
                    navigator.serviceWorker.addEventListener(
                        "controllerchange", () => resolve("controlled"), { once: true })));
            return Promise.race([controlled, late]);
        }""",
        int(timeout * 1000),
    )
    assert state == "controlled", f"{page.url}: the service worker is {state}"


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
    stylesheets = [t for t in visit.transfers if t.kind == CSS]
    assert stylesheets, f"{visit.url} loaded no stylesheet: {visit.transfers}"
    for sheet in stylesheets:
        # Hashed names are what make the year-long cache safe.
        assert HASHED_CSS.search(sheet.url), sheet.url
        assert sheet.headers.get("content-encoding") in {"gzip", "br"}, sheet.headers
        assert "immutable" in sheet.headers.get("cache-control", ""), sheet.headers
        assert sheet.status == 200 and sheet.wire_bytes > 0, sheet
    # Every page registers the service worker: its script and precache are part of the
    # first visit's cost, and counted in the total above.
    assert any(t.worker_script for t in visit.worker_traffic), (
        f"{visit.url}: the service worker script was not fetched: {visit.transfers}"
    )


def assert_repeat_visit_fetches_only_html(visit: Visit) -> None:
    # The HTML is personal and never cached, so it does come again (the service worker asks
    # the network first)...
    document = visit.document
    assert document.status == 200 and document.wire_bytes > 0, document
    # ...and, about a second after a navigation it answered, the browser checks the service
    # worker script for an update, over the network unless the registration lets the HTTP
    # cache answer (NetworkMeter._update_check_expected; today: every time, in full, ~2 KB,
    # see test_page_weight.test_repeat_visit_fetches_only_the_html). Nothing else: no
    # stylesheet, script, icon or manifest comes over the network again.
    others = [(t.method, t.path, t.kind) for t in visit.subresources]
    expected = [("GET", "/sw.js", WORKER)] if visit.update_check else []
    assert others == expected, (
        f"{visit.url}: a repeat visit should fetch only the HTML"
        + (" and the service worker's update check" if visit.update_check else "")
        + f", it fetched {visit.transfers}"
    )
    assert all(t.worker_script for t in visit.subresources), visit.transfers


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
    page.wait_for_url(re.compile(rf"^{re.escape(base_url)}({re.escape(landing)}|{MFA_STEP})"))
    if MFA_STEP in page.url:
        # Staff and mentors have two-factor authentication, set up by seed_demo with the
        # published demo key: type what an authenticator app would show.
        code = page.locator("[name=code]")
        code.fill(totp_code(login))
        code.press("Enter")
    expect(page).to_have_url(f"{base_url}{landing}")


MFA_STEP = "/accounts/2fa/authenticate/"
# Codes already typed, per account: the server takes each code once, and with a tolerance of
# one period either side three codes are valid at any moment.
_USED_CODES: dict[str, set[int]] = {}


def totp_code(login: str) -> str:
    from allauth.mfa.totp.internal.auth import (
        format_hotp_value,
        hotp_value,
        yield_hotp_counters_from_time,
    )
    from django.core.exceptions import ValidationError

    from ukmlearn.users.management.commands.seed_demo import DEMO_TOTP_SECRET
    from ukmlearn.users.phone import normalize_phone

    try:
        account = normalize_phone(login)  # "0811-0000-0001" and "081100000001" are one
    except ValidationError:
        account = login.strip().lower()
    used = _USED_CODES.setdefault(account, set())
    previous, now, following = list(yield_hotp_counters_from_time())
    # The current code first, then the next one: both stay valid for at least 30 s.
    free = [c for c in (now, following, previous) if c not in used]
    assert free, f"every valid two-factor code of {login} was used in this minute"
    used.add(free[0])
    return format_hotp_value(hotp_value(DEMO_TOTP_SECRET, free[0]))


def sign_up_learner(page, server, *, name: str, phone: str, password: str) -> None:
    """Sign a new learner up through the forms, as test_accounts.py does step by step:
    account, the SMS code, the business profile and the mentoring needs; lands home."""
    page.goto(f"{server.url}/accounts/signup/")
    page.locator("[name=name]").fill(name)
    page.locator("[name=phone]").fill(phone)
    page.locator("[name=password1]").fill(password)
    page.locator("[name=password2]").fill(password)
    page.get_by_role("main").get_by_role("checkbox").check()
    sent_before = len(server.inbox.messages())
    main_form_submit(page).click()
    expect(page).to_have_url(f"{server.url}/accounts/phone/verify/")
    e164 = "+62" + re.sub(r"\D", "", phone)[1:]
    page.locator("[name=code]").fill(server.inbox.wait_for_code(to=e164, after=sent_before))
    main_form_submit(page).click()
    expect(page).to_have_url(f"{server.url}/profile/business/")
    page.locator("[name=business_name]").fill(f"Usaha {name}")
    page.locator("[name=sector]").select_option("kuliner")
    page.locator("[name=city]").fill("Bogor")
    page.locator("[name=province]").select_option("jabar")
    page.locator("[name=year_started]").fill("2022")
    page.locator("[name=workers]").fill("1")
    main_form_submit(page).click()
    expect(page).to_have_url(f"{server.url}/mentoring/needs/")
    page.locator("[name=skills]").first.check()
    main_form_submit(page).click()
    expect(page).to_have_url(f"{server.url}/")


# --- Lessons --------------------------------------------------------------------------------


def answer_quiz(page, lesson: dict) -> None:
    """Tick the right options of every question of a quiz lesson (courses/demo_content.py).
    Each question is a fieldset whose legend holds the question's text."""
    main = page.get_by_role("main")
    for question in lesson["questions"]:
        group = main.get_by_role("group", name=question["text"])
        role = "checkbox" if question.get("kind") == "multiple" else "radio"
        for option in question["options"]:
            if option["correct"]:
                group.get_by_role(role, name=option["text"], exact=True).check()


# --- The server's database ----------------------------------------------------------------


def db_value(database: Path, sql: str, params: tuple = ()):
    """One value read from the server's SQLite database (read-only; gunicorn keeps writing)."""
    with closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=10)) as db:
        return db.execute(sql, params).fetchone()[0]


def wait_for_value(page, read, expected, *, timeout: float = 10.0):
    """Poll read() until it returns expected; Playwright keeps serving the page meanwhile."""
    deadline = time.monotonic() + timeout
    while (value := read()) != expected:
        if time.monotonic() > deadline:
            raise AssertionError(f"still {value!r} after {timeout}s, expected {expected!r}")
        page.wait_for_timeout(POLL_MS)
    return value


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
