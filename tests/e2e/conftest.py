"""A production-like server (gunicorn, DEBUG off, hashed and compressed static files) and
Debian's chromium, shared by every browser test in the session."""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from tests.e2e.support import WEIGHT_REPORT, Inbox

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# A cheap Android phone: small screen, touch, and the meta viewport taken into account.
PHONE = {
    "viewport": {"width": 360, "height": 740},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
    "locale": "id-ID",
    "timezone_id": "Asia/Jakarta",
}
SETUP_TIMEOUT = 120
STARTUP_TIMEOUT = 30


@dataclass(frozen=True)
class Server:
    url: str
    inbox: Inbox
    database: Path  # the server's SQLite file, for tests that count rows


def _server_env(tmp: Path) -> dict[str, str]:
    env = dict(os.environ)
    # A developer's shell may point at their own database, Redis or HTTPS setup; the
    # server under test must only see the throwaway resources below.
    for name in ("REDIS_URL", "HTTPS", "BEHIND_PROXY", "STATIC_MANIFEST", "CSRF_TRUSTED_ORIGINS"):
        env.pop(name, None)
    env.update(
        DATABASE_URL=f"sqlite:///{tmp / 'e2e.sqlite3'}",
        DEBUG="false",
        STATIC_ROOT=str(tmp / "static"),
        MEDIA_ROOT=str(tmp / "media"),
        MESSAGE_GATEWAY_BACKEND="ukmlearn.gateway.FileBackend",
        MESSAGE_GATEWAY_FILE_DIR=str(tmp / "messages"),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECRET_KEY="e2e-only-secret-key-4f0c1b7e9a2d48d6b3e5a1c7f9d2e8b0",
        EMAIL_BACKEND="django.core.mail.backends.console.EmailBackend",
        LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
    )
    return env


def _manage(*args: str, env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _finish(process: subprocess.Popen, what: str) -> None:
    try:
        output, _ = process.communicate(timeout=SETUP_TIMEOUT)
    except subprocess.TimeoutExpired:
        process.kill()
        output, _ = process.communicate()
        pytest.fail(f"`{what}` took more than {SETUP_TIMEOUT}s:\n{output}")
    if process.returncode != 0:
        pytest.fail(f"`{what}` failed with exit code {process.returncode}:\n{output}")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_serving(process: subprocess.Popen, url: str, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"gunicorn exited with code {process.returncode}:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.1)  # poll interval, bounded by the deadline
    pytest.fail(f"gunicorn did not answer {url} within {STARTUP_TIMEOUT}s:\n{log.read_text()}")


@pytest.fixture(scope="session")
def server(tmp_path_factory) -> Server:
    tmp = tmp_path_factory.mktemp("e2e-server")
    env = _server_env(tmp)
    # collectstatic does not touch the database, so it runs while migrate does.
    migrate = _manage("migrate", "--noinput", env=env)
    collectstatic = _manage("collectstatic", "--noinput", env=env)
    _finish(migrate, "manage.py migrate")
    _finish(collectstatic, "manage.py collectstatic")
    _finish(_manage("seed_demo", env=env), "manage.py seed_demo")

    log = tmp / "gunicorn.log"
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    with open(log, "w") as log_file:
        process = subprocess.Popen(
            [
                str(VENV_BIN / "gunicorn"),
                "ukmlearn.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "2",
            ],
            cwd=ROOT,
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_until_serving(process, f"{url}/accounts/login/", log)
        yield Server(
            url=url,
            inbox=Inbox(tmp / "messages" / "messages.jsonl"),
            database=tmp / "e2e.sqlite3",
        )
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="session")
def browser():
    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail(
            "Debian's chromium is not installed: run `make browser-deps` "
            "(apt-get install chromium). The browser tests never download a browser."
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def new_context(browser):
    """Make fresh browser contexts (own cookies and HTTP cache) shaped like a phone."""
    contexts = []

    def make(**overrides):
        context = browser.new_context(**{**PHONE, **overrides})
        # Fail fast with Playwright's message instead of hanging for the default 30 s.
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


def pytest_terminal_summary(terminalreporter):
    if WEIGHT_REPORT:
        terminalreporter.section("page weight (bytes on the wire)")
        for line in WEIGHT_REPORT:
            terminalreporter.write_line(line)
