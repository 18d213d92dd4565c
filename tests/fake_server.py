"""A real HTTP server on 127.0.0.1 for provider and net tests (no mocks).

    server = FakeServer()                     # or the ``fake_server`` fixture
    server.add("/tmdb", handler)              # handler(path, query, headers) -> Response
    client = Client(session, "tmdb", server.url("/tmdb"), rate=100)
    server.fail(r"/tmdb/movie/", "429", retry_after=2)   # next matching request
    server.requests                           # every request, faults included

``handler`` gets the path after the prefix (``/movie/603``), the parsed
query (``{"api_key": ["…"]}``) and the request headers, and returns
``(status, headers, body)``; a body that is an iterator of chunks is sent
chunked (no Content-Length), and ``server.streamed`` then counts the bytes
that actually left before the client hung up. Unknown prefixes answer 404. Fault kinds:
``"429"`` (opt ``retry_after``), ``"500"``, ``"503"``, ``"401"``, ``"slow"``
(opt ``seconds``, then the normal answer), ``"malformed"`` (200 with broken
JSON), ``"drop"`` (connection closed without an answer).
"""

from __future__ import annotations

import json
import re
import socket
import threading
import time
import unicodedata
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

__all__ = ["FAULT_KINDS", "FakeServer", "Handler", "Recorded", "Response", "fake_server",
           "json_response"]

Response = tuple[int, dict[str, str], Any]  # body: bytes, or an iterator of bytes chunks
Handler = Callable[[str, dict[str, list[str]], Mapping[str, str]], Response]

FAULT_KINDS = frozenset({"429", "500", "503", "401", "slow", "malformed", "drop"})


def json_response(value: Any, status: int = 200,
                  headers: Mapping[str, str] | None = None) -> Response:
    # UTF-8 as the real APIs send it, not \u escapes: matching must survive accents.
    return status, {"Content-Type": "application/json; charset=utf-8", **(headers or {})}, \
        json.dumps(value, ensure_ascii=False).encode()


def fold(text: str) -> str:
    """How the fake catalogues compare titles: casefolded, no accents or punctuation."""
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^\w]+", " ", text).split())


def first(query: Mapping[str, list[str]], name: str) -> str | None:
    """The first value of a query parameter, as most APIs read it."""
    values = query.get(name)
    return values[0] if values else None


@dataclass(frozen=True)
class Recorded:
    method: str
    path: str  # including the prefix, without the query string
    query: dict[str, list[str]]
    headers: dict[str, str]
    time: float  # time.monotonic() when the request arrived


@dataclass
class _Fault:
    pattern: re.Pattern[str]
    kind: str
    remaining: int
    opts: dict[str, Any] = field(default_factory=dict)


class FakeServer:
    def __init__(self, latency_s: float = 0.0) -> None:
        self.latency_s = latency_s
        self.requests: list[Recorded] = []
        self.streamed = 0  # bytes of chunked bodies sent (see the module docstring)
        self._lock = threading.Lock()
        self._handlers: dict[str, Handler] = {}
        self._faults: list[_Fault] = []
        self._closing = threading.Event()
        self._server = _Server(("127.0.0.1", 0), _RequestHandler)
        self._server.fake = self
        self._thread = threading.Thread(target=self._server.serve_forever,
                                        kwargs={"poll_interval": 0.05},
                                        name="fake-server", daemon=True)
        self._thread.start()

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    def url(self, prefix: str = "") -> str:
        return f"http://127.0.0.1:{self.port}{prefix}"

    def add(self, prefix: str, handler: Handler) -> None:
        with self._lock:
            self._handlers["/" + prefix.strip("/")] = handler

    def fail(self, path_regex: str, kind: str, times: int = 1, **opts: Any) -> None:
        """The next ``times`` requests whose path matches ``path_regex`` get the fault."""
        if kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {kind!r}; known: {sorted(FAULT_KINDS)}")
        with self._lock:
            self._faults.append(_Fault(re.compile(path_regex), kind, times, opts))

    def clear(self) -> None:
        """Forget the recorded requests and any pending faults."""
        with self._lock:
            self.requests.clear()
            self._faults.clear()

    def recorded(self, path_regex: str = "") -> list[Recorded]:
        with self._lock:
            return [r for r in self.requests if re.search(path_regex, r.path)]

    def close(self) -> None:
        self._closing.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()

    def __enter__(self) -> FakeServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- called from handler threads

    def _record(self, method: str, path: str, query: dict[str, list[str]],
                headers: dict[str, str]) -> None:
        with self._lock:
            self.requests.append(Recorded(method, path, query, headers, time.monotonic()))

    def _take_fault(self, path: str) -> _Fault | None:
        with self._lock:
            for fault in self._faults:
                if fault.remaining > 0 and fault.pattern.search(path):
                    fault.remaining -= 1
                    return fault
        return None

    def _route(self, path: str) -> tuple[str, Handler] | None:
        with self._lock:
            for prefix in sorted(self._handlers, key=len, reverse=True):
                if path == prefix or path.startswith(prefix.rstrip("/") + "/"):
                    return prefix, self._handlers[prefix]
        return None

    def _pause(self, seconds: float) -> None:
        if seconds > 0:
            self._closing.wait(seconds)

    def _answer(self, method: str, raw_path: str, headers: dict[str, str]) -> Response | None:
        parts = urlsplit(raw_path)
        path = parts.path
        query = parse_qs(parts.query, keep_blank_values=True)
        self._record(method, path, query, headers)
        self._pause(self.latency_s)
        fault = self._take_fault(path)
        if fault is not None:
            answer = self._fault_response(fault)
            if answer is not None or fault.kind == "drop":
                return answer
        route = self._route(path)
        if route is None:
            return json_response({"error": f"no handler for {path}"}, 404)
        prefix, handler = route
        sub = path[len(prefix.rstrip("/")):] or "/"
        try:
            return handler(sub, query, headers)
        except Exception as exc:  # a broken test handler shows up as a 500, not a hang
            return json_response({"error": f"handler raised {exc!r}"}, 500)

    def _fault_response(self, fault: _Fault) -> Response | None:
        kind = fault.kind
        if kind == "429":
            extra = {}
            if fault.opts.get("retry_after") is not None:
                extra["Retry-After"] = str(fault.opts["retry_after"])
            return json_response({"status_message": "rate limited"}, 429, extra)
        if kind in {"500", "503", "401"}:
            return json_response({"status_message": f"fault {kind}"}, int(kind))
        if kind == "malformed":
            return 200, {"Content-Type": "application/json"}, b'{"results": [{"id": 1, '
        if kind == "slow":
            self._pause(float(fault.opts.get("seconds", 1.0)))
        return None  # "slow": the normal answer follows; "drop": no answer


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    fake: FakeServer

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # quiet: clients that time out make broken pipes


class _RequestHandler(BaseHTTPRequestHandler):
    server: _Server

    def _handle(self) -> None:
        headers = dict(self.headers.items())
        answer = self.server.fake._answer(self.command, self.path, headers)
        if answer is None:  # "drop"
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        status, response_headers, body = answer
        self.send_response(status)
        for name, value in response_headers.items():
            self.send_header(name, value)
        if isinstance(body, bytes):
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)
            return
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        try:
            for chunk in body:
                self.wfile.write(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
                self.server.fake.streamed += len(chunk)
            self.wfile.write(b"0\r\n\r\n")
        except OSError:
            self.close_connection = True  # the client stopped reading: fine

    do_GET = do_HEAD = do_POST = _handle

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def fake_server() -> Iterator[FakeServer]:
    with FakeServer() as server:
        yield server
