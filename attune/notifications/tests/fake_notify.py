"""A stand-in for GOV.UK Notify's API, for development and tests: an HTTP server on 127.0.0.1 in a
background thread that records every request and answers as Notify does.

    with FakeNotify() as notify:
        settings.NOTIFY_BASE_URL = notify.url
        ...send...
        assert notify.requests[0].path == "/v2/notifications/sms"

`notify.fail_with(500)` makes the next answers errors (Notify's error body shape) until
`notify.succeed()`. Any well-formed JWT is accepted; tests can check its signature themselves.
Run it alone for a development server: `python -m attune.notifications.tests.fake_notify 8765`.
"""

import json
import sys
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any

import jwt

SERVICE_ID = "11111111-2222-4333-8444-555555555555"
SECRET = "66666666-7777-4888-9999-000000000000"
# A key the real client accepts: name-<service id>-<secret>.
API_KEY = f"attune_fake-{SERVICE_ID}-{SECRET}"


@dataclass
class Received:
    method: str
    path: str
    headers: dict[str, str]
    body: dict[str, Any]

    @property
    def token(self) -> str:
        return self.headers.get("Authorization", "").removeprefix("Bearer ")


@dataclass
class _State:
    requests: list[Received] = field(default_factory=list)
    fail_status: int | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)


def _handler(state: _State, base_url: list[str]) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

        def _answer(self, status: int, body: dict[str, Any]) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _error(self, status: int, error: str, message: str) -> None:
            self._answer(status, {"status_code": status, "errors": [{"error": error, "message": message}]})

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            try:
                body = json.loads(raw or b"{}")
            except ValueError:
                body = {"_unparsed": raw.decode(errors="replace")}
            with state.lock:
                state.requests.append(Received("POST", self.path, dict(self.headers.items()), body))
                fail = state.fail_status
            token = self.headers.get("Authorization", "").removeprefix("Bearer ")
            try:
                claims = jwt.decode(token, options={"verify_signature": False}, algorithms=["HS256"])
            except jwt.PyJWTError:
                return self._error(403, "AuthError", "Invalid token: signature, api token not found")
            if "iss" not in claims or "iat" not in claims:
                return self._error(403, "AuthError", "Invalid token: iss or iat field not provided")
            if fail is not None:
                if fail >= 500:
                    return self._error(fail, "Exception", "Internal server error")
                return self._error(fail, "BadRequestError", "Can't send to this recipient using a team-only API key")
            channel = self.path.rsplit("/", 1)[-1]
            if self.path not in ("/v2/notifications/sms", "/v2/notifications/email"):
                return self._error(404, "NotFound", "Not found")
            address = "phone_number" if channel == "sms" else "email_address"
            if not body.get(address) or not body.get("template_id"):
                return self._error(400, "ValidationError", f"{address} is a required property")
            notification_id = str(uuid.uuid4())
            personalisation = body.get("personalisation") or {}
            content: dict[str, Any] = {"body": personalisation.get("body", "")}
            if channel == "sms":
                content["from_number"] = "GOVUK"
            else:
                content.update({"subject": personalisation.get("subject", ""), "from_email": "team@notify.example"})
            self._answer(
                201,
                {
                    "id": notification_id,
                    "reference": body.get("reference"),
                    "content": content,
                    "uri": f"{base_url[0]}/v2/notifications/{notification_id}",
                    "template": {
                        "id": body["template_id"],
                        "version": 1,
                        "uri": f"{base_url[0]}/v2/template/{body['template_id']}",
                    },
                    "scheduled_for": None,
                },
            )
            return None

    return Handler


class FakeNotify:
    def __init__(self, port: int = 0) -> None:
        self._state = _State()
        base_url: list[str] = [""]
        self._server = ThreadingHTTPServer(("127.0.0.1", port), _handler(self._state, base_url))
        host, bound = self._server.server_address[:2]
        self.url = f"http://{host!s}:{bound}"
        base_url[0] = self.url
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def start(self) -> "FakeNotify":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> "FakeNotify":
        return self.start()

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.stop()

    @property
    def requests(self) -> list[Received]:
        with self._state.lock:
            return list(self._state.requests)

    def fail_with(self, status: int) -> None:
        with self._state.lock:
            self._state.fail_status = status

    def succeed(self) -> None:
        with self._state.lock:
            self._state.fail_status = None

    def serve_forever(self) -> None:
        self._server.serve_forever()


SMS_TEMPLATE_ID = "aaaaaaaa-0000-4000-8000-000000000001"
EMAIL_TEMPLATE_ID = "aaaaaaaa-0000-4000-8000-000000000002"


@contextmanager
def serving(settings: Any) -> Iterator[FakeNotify]:
    """Start a fake Notify and point Attune's settings at it (pytest-django's `settings`)."""
    with FakeNotify() as notify:
        settings.NOTIFY_BASE_URL = notify.url
        settings.NOTIFY_API_KEY = API_KEY
        settings.NOTIFY_SMS_TEMPLATE_ID = SMS_TEMPLATE_ID
        settings.NOTIFY_EMAIL_TEMPLATE_ID = EMAIL_TEMPLATE_ID
        yield notify


if __name__ == "__main__":  # pragma: no cover - a development convenience
    server = FakeNotify(int(sys.argv[1]) if len(sys.argv) > 1 else 8765)
    print(f"Fake GOV.UK Notify on {server.url}; NOTIFY_API_KEY={API_KEY}")
    server.serve_forever()
