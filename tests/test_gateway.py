"""The message gateway's HTTP backend against a real local HTTP server."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from ukmlearn import gateway


class FakeProvider:
    """A WhatsApp/SMS provider on 127.0.0.1 that answers with a scripted list of statuses."""

    def __init__(self, statuses):
        self.statuses = list(statuses)
        self.requests = []
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers["Content-Length"])
                provider.requests.append(
                    {
                        "auth": self.headers.get("Authorization"),
                        "body": json.loads(self.rfile.read(length)),
                    }
                )
                status = provider.statuses.pop(0) if provider.statuses else 200
                self.send_response(status)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/send"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def http_gateway(settings):
    settings.MESSAGE_GATEWAY_BACKEND = "ukmlearn.gateway.HttpBackend"
    settings.MESSAGE_GATEWAY_TOKEN = "secret-token"
    settings.MESSAGE_GATEWAY_RETRIES = 3
    settings.MESSAGE_GATEWAY_TIMEOUT = 2

    def configure(provider):
        settings.MESSAGE_GATEWAY_URL = provider.url

    return configure


def test_it_posts_the_message_with_the_token(http_gateway):
    with FakeProvider([200]) as provider:
        http_gateway(provider)
        gateway.send_message(to="+6281234567890", text="Halo")
    assert provider.requests == [
        {"auth": "Bearer secret-token", "body": {"to": "+6281234567890", "text": "Halo"}}
    ]


def test_it_retries_server_errors_with_backoff(http_gateway):
    waits = []
    with FakeProvider([503, 500, 200]) as provider:
        http_gateway(provider)
        gateway.HttpBackend(sleep=waits.append).send(gateway.Message("+6281234567890", "Halo"))
    assert len(provider.requests) == 3
    assert len(waits) == 2
    # Exponential with jitter: the second wait's range starts above the first's midpoint.
    assert 0.25 <= waits[0] <= 0.75
    assert 0.5 <= waits[1] <= 1.5


def test_it_gives_up_after_the_last_retry(http_gateway):
    waits = []
    with FakeProvider([500, 500, 500, 500, 500]) as provider:
        http_gateway(provider)
        backend = gateway.HttpBackend(sleep=waits.append)
        with pytest.raises(gateway.GatewayError, match="HTTP 500"):
            backend.send(gateway.Message("+6281234567890", "Halo"))
    assert len(provider.requests) == 4  # the first try and three retries
    assert len(waits) == 3


def test_it_does_not_retry_a_refused_message(http_gateway):
    with FakeProvider([400]) as provider:
        http_gateway(provider)
        with pytest.raises(gateway.GatewayError, match="HTTP 400"):
            gateway.HttpBackend(sleep=lambda _s: None).send(gateway.Message("+62812", "x"))
    assert len(provider.requests) == 1


def test_it_retries_rate_limiting(http_gateway):
    with FakeProvider([429, 200]) as provider:
        http_gateway(provider)
        gateway.HttpBackend(sleep=lambda _s: None).send(gateway.Message("+6281234567890", "x"))
    assert len(provider.requests) == 2


def test_it_retries_when_nothing_listens(settings):
    settings.MESSAGE_GATEWAY_BACKEND = "ukmlearn.gateway.HttpBackend"
    settings.MESSAGE_GATEWAY_RETRIES = 2
    # Bind then close a socket to get a port with nobody listening.
    import socket

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    settings.MESSAGE_GATEWAY_URL = f"http://127.0.0.1:{port}/send"
    waits = []
    with pytest.raises(gateway.GatewayError):
        gateway.HttpBackend(sleep=waits.append).send(gateway.Message("+6281234567890", "x"))
    assert len(waits) == 2


def test_the_failure_log_line_has_no_phone_number(http_gateway, caplog):
    with FakeProvider([500, 500]) as provider:
        http_gateway(provider)
        backend = gateway.HttpBackend(sleep=lambda _s: None)
        backend.retries = 1
        with pytest.raises(gateway.GatewayError):
            backend.send(gateway.Message("+6281234567890", "kode 123456"))
    assert "gateway failed" in caplog.text
    assert "6281234567890" not in caplog.text
    assert "123456" not in caplog.text


def test_console_backend_prints_the_message(settings, capsys):
    settings.MESSAGE_GATEWAY_BACKEND = "ukmlearn.gateway.ConsoleBackend"
    gateway.send_message(to="+6281234567890", text="Kode Anda 123456")
    out = capsys.readouterr().out
    assert "+6281234567890" in out and "Kode Anda 123456" in out


def test_file_backend_appends_json_lines(settings, tmp_path):
    settings.MESSAGE_GATEWAY_BACKEND = "ukmlearn.gateway.FileBackend"
    settings.MESSAGE_GATEWAY_FILE_DIR = str(tmp_path)
    gateway.send_message(to="+6281234567890", text="satu")
    gateway.send_message(to="+6281234567891", text="dua")
    lines = (tmp_path / "messages.jsonl").read_text().splitlines()
    assert [json.loads(line)["text"] for line in lines] == ["satu", "dua"]
