"""The message gateway: sends short texts (codes, invitations, reminders) to phones.

Pick a backend with MESSAGE_GATEWAY_BACKEND, the way EMAIL_BACKEND picks a mail backend:
- ConsoleBackend (development): prints the message.
- FileBackend: appends each message as one JSON line to MESSAGE_GATEWAY_FILE_DIR.
- LocmemBackend (tests): keeps messages in ``outbox``.
- HttpBackend: POSTs JSON {"to", "text"} with a bearer token to a WhatsApp/SMS provider.
"""

import json
import logging
import random
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

outbox: list["Message"] = []


@dataclass(frozen=True)
class Message:
    to: str
    text: str


class GatewayError(Exception):
    """The provider did not accept the message after every retry."""


class ConsoleBackend:
    def send(self, message: Message) -> None:
        sys.stdout.write(f"--- message to {message.to} ---\n{message.text}\n---\n")
        sys.stdout.flush()


class LocmemBackend:
    def send(self, message: Message) -> None:
        outbox.append(message)


class FileBackend:
    _lock = threading.Lock()

    def send(self, message: Message) -> None:
        directory = Path(settings.MESSAGE_GATEWAY_FILE_DIR)
        directory.mkdir(parents=True, exist_ok=True)
        line = json.dumps({"to": message.to, "text": message.text}, ensure_ascii=False)
        with self._lock, open(directory / "messages.jsonl", "a", encoding="utf-8") as fh:
            fh.write(line + "\n")


class HttpBackend:
    """Retries connection errors, timeouts, 429 and 5xx with exponential backoff and jitter."""

    def __init__(self, *, sleep=time.sleep):
        self.url = settings.MESSAGE_GATEWAY_URL
        self.token = settings.MESSAGE_GATEWAY_TOKEN
        self.retries = settings.MESSAGE_GATEWAY_RETRIES
        self.timeout = settings.MESSAGE_GATEWAY_TIMEOUT
        self.sleep = sleep
        if not self.url:
            raise GatewayError("MESSAGE_GATEWAY_URL is not set")

    def send(self, message: Message) -> None:
        body = json.dumps({"to": message.to, "text": message.text}).encode()
        request = urllib.request.Request(  # noqa: S310 - URL comes from settings
            self.url,
            data=body,
            method="POST",
            headers={
                "Content-Type": "application/json",
                "Authorization": f"Bearer {self.token}",
            },
        )
        last_error = ""
        for attempt in range(self.retries + 1):
            try:
                with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                    if 200 <= response.status < 300:
                        return
                    last_error = f"HTTP {response.status}"
            except urllib.error.HTTPError as exc:
                last_error = f"HTTP {exc.code}"
                if exc.code < 500 and exc.code != 429:
                    # The provider refused this message; sending it again will not help.
                    break
            except (urllib.error.URLError, TimeoutError, OSError) as exc:
                last_error = type(exc).__name__
            if attempt < self.retries:
                self.sleep(min(30.0, 0.5 * 2**attempt) * random.uniform(0.5, 1.5))  # noqa: S311
        # The phone number is personal data: log only that a send failed and why.
        logger.warning("message gateway failed after %d attempts: %s", attempt + 1, last_error)
        raise GatewayError(last_error)


def get_backend():
    return import_string(settings.MESSAGE_GATEWAY_BACKEND)()


def send_message(*, to: str, text: str) -> None:
    """Send one text message to an E.164 phone number through the configured backend."""
    get_backend().send(Message(to=to, text=text))
