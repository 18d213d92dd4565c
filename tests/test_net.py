"""pipeline.core.net against a real HTTP server on 127.0.0.1: cache, secrets, retries, rate."""

from __future__ import annotations

import itertools
import logging
import socket
import threading
import time
import traceback
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import pytest
from requests_cache import CachedSession

from pipeline.core.errors import LookupFailed, ProviderUnusable
from pipeline.core.net import (
    CACHE_FILE,
    Client,
    RateLimiter,
    build_session,
    parse_retry_after,
    redact,
)
from tests.fake_server import FakeServer, Response, json_response

API_KEY = "k3y-SECRET-0123456789"
TOKEN = "tok-SECRET-abcdefghij"
UA = "jforg-test/1.0 (https://example.invalid)"


def echo(path: str, query: dict[str, list[str]], headers: Mapping[str, str]) -> Response:
    """The path and the non-secret query back: never echo the key into a cached body."""
    shown = {k: v for k, v in query.items() if k != "api_key"}
    return json_response({"path": path, "query": shown})


@pytest.fixture
def session(tmp_path: Path) -> Iterator[CachedSession]:
    with build_session(tmp_path / "cache", 30, UA) as built:
        yield built


@pytest.fixture
def server(fake_server: FakeServer) -> FakeServer:
    fake_server.add("/api", echo)
    return fake_server


class Sleeps(list[float]):
    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def make_client(session: CachedSession, server: FakeServer, **kwargs: object) -> Client:
    options: dict[str, object] = {"rate": 1000.0, "params": {"api_key": API_KEY},
                                  "headers": {"Authorization": f"Bearer {TOKEN}"},
                                  "sleep": Sleeps()}
    options.update(kwargs)
    return Client(session, "tmdb", server.url("/api"), **options)  # type: ignore[arg-type]


def sleeps_of(client: Client) -> Sleeps:
    sleeps = client._sleep
    assert isinstance(sleeps, Sleeps)
    return sleeps


def gaps(times: list[float]) -> list[float]:
    ordered = sorted(times)
    return [b - a for a, b in itertools.pairwise(ordered)]


# --------------------------------------------------------------------------- cache


def test_get_json_sends_params_headers_and_user_agent(session, server):
    client = make_client(session, server)
    assert client.get_json("/movie/603", {"language": "en-US"}) == {
        "path": "/movie/603", "query": {"language": ["en-US"]}}
    [seen] = server.requests
    assert seen.path == "/api/movie/603"
    assert seen.query == {"api_key": [API_KEY], "language": ["en-US"]}
    assert seen.headers["Authorization"] == f"Bearer {TOKEN}"
    assert seen.headers["User-Agent"] == UA


def test_cache_file_is_in_cache_dir(tmp_path):
    with build_session(tmp_path / "c", 1, UA):
        assert (tmp_path / "c" / CACHE_FILE).is_file()


def test_cached_repeat_makes_no_request(session, server):
    client = make_client(session, server)
    first = client.get_json("/movie/603", {"language": "en-US"})
    assert client.get_json("/movie/603", {"language": "en-US"}) == first
    assert len(server.requests) == 1
    assert client.get_json("/movie/603", {"language": "fr-FR"}) != first  # other params: a miss
    assert len(server.requests) == 2
    stats = client.stats.snapshot()
    assert stats["network"] == 2
    assert stats["cache_hits"] == 1


def test_other_credentials_share_the_cache_entry(session, server):
    """The key and token are not part of the cache key (nor stored)."""
    make_client(session, server).get_json("/movie/1")
    other = make_client(session, server, params={"api_key": "another"},
                        headers={"Authorization": "Bearer other"})
    assert other.get_json("/movie/1") == {"path": "/movie/1", "query": {}}
    assert len(server.requests) == 1


def test_404_is_none_and_cached(session, fake_server):
    fake_server.add("/api", lambda p, q, h: json_response({"status_message": "nope"}, 404))
    client = make_client(session, fake_server)
    assert client.get_json("/movie/0") is None
    assert client.get_json("/movie/0") is None
    assert len(fake_server.requests) == 1


def test_stale_if_error_serves_the_cached_answer(session, server):
    client = make_client(session, server)
    first = client.get_json("/movie/7")
    session.cache.reset_expiration(0)  # everything stale now
    server.fail("/movie/7", "500", times=10)
    assert client.get_json("/movie/7") == first
    assert len(server.requests) == 2  # it did ask, got a 500, used the stale copy
    assert sleeps_of(client) == []


# --------------------------------------------------------------------------- secrets


def test_secrets_never_in_cache_file_errors_or_logs(session, server, tmp_path, caplog):
    caplog.set_level(logging.DEBUG)
    client = make_client(session, server, max_attempts=2)
    client.get_json("/movie/603", {"language": "en-US"})
    client.get_json("/search/movie", {"query": "matrix"})
    errors: list[BaseException] = []
    for kind, exc_type in (("401", ProviderUnusable), ("500", ProviderUnusable),
                           ("malformed", LookupFailed)):
        server.fail(f"/movie/9-{kind}$", kind, times=2)
        with pytest.raises(exc_type) as info:
            client.get_json(f"/movie/9-{kind}")
        errors.append(info.value)
    server.fail("/movie/10", "drop", times=2)
    with pytest.raises(ProviderUnusable) as dropped:
        client.get_json("/movie/10")
    errors.append(dropped.value)

    # The server did get them: the checks below are not vacuous.
    assert all(r.query["api_key"] == [API_KEY] for r in server.requests)
    assert all(r.headers["Authorization"] == f"Bearer {TOKEN}" for r in server.requests)

    session.close()
    blob = b"".join(p.read_bytes() for p in (tmp_path / "cache").iterdir())
    assert b"/movie/603" in blob  # the cache did store something
    for secret in (API_KEY, TOKEN):
        assert secret.encode() not in blob
        for error in errors:
            text = "".join(traceback.format_exception(error))
            assert secret not in text
            assert error.__cause__ is None and error.__context__ is None
            assert str(error).startswith("tmdb: /movie/")
        assert secret not in caplog.text
    assert "/api/movie/603" in caplog.text  # urllib3's debug line, redacted
    assert "Authorization" not in " ".join(str(e) for e in errors)


def test_redact():
    assert redact("GET /x?api_key=abc&q=1 Bearer tok.1") == "GET /x?api_key=***&q=1 Bearer ***"


# --------------------------------------------------------------------------- retries


def test_429_retry_after_seconds_is_honoured(session, server):
    client = make_client(session, server)
    server.fail("/movie/1", "429", retry_after=2)
    assert client.get_json("/movie/1") == {"path": "/movie/1", "query": {}}
    assert sleeps_of(client) == [2.0]
    assert len(server.requests) == 2
    assert client.stats.snapshot()["retries"] == 1


def test_429_retry_after_http_date_is_honoured(session, server):
    client = make_client(session, server)
    when = datetime.now(UTC) + timedelta(seconds=30)
    server.fail("/movie/1", "429", retry_after=format_datetime(when, usegmt=True))
    client.get_json("/movie/1")
    [wait] = sleeps_of(client)
    assert 27 <= wait <= 30


def test_retry_after_is_capped_by_max_wait(session, server):
    client = make_client(session, server, max_wait_s=5.0)
    server.fail("/movie/1", "429", retry_after=3600)
    client.get_json("/movie/1")
    assert sleeps_of(client) == [5.0]


def test_parse_retry_after():
    now = datetime(2024, 1, 1, tzinfo=UTC)
    assert parse_retry_after("7") == 7.0
    assert parse_retry_after("Mon, 01 Jan 2024 00:00:10 GMT", now=now) == 10.0
    assert parse_retry_after("Sun, 31 Dec 2023 00:00:00 GMT", now=now) == 0.0
    assert parse_retry_after("soon") is None
    assert parse_retry_after(None) is None


def test_transient_503_then_success_backs_off_with_jitter(session, server):
    client = make_client(session, server)
    server.fail("/movie/2", "503", times=3)
    assert client.get_json("/movie/2") is not None
    waits = sleeps_of(client)
    assert len(waits) == 3 and len(server.requests) == 4
    assert all(0 < w <= 60 for w in waits)
    assert waits[2] > waits[0]  # exponential: 0.5-1, 1-1.5, 2-2.5 s


def test_500_forever_gives_up_after_max_attempts(session, server):
    client = make_client(session, server, max_attempts=3)
    server.fail("/movie/3", "500", times=100)
    with pytest.raises(ProviderUnusable, match=r"^tmdb: /movie/3: HTTP 500 .*3 attempt"):
        client.get_json("/movie/3")
    assert len(server.requests) == 3
    assert len(sleeps_of(client)) == 2


def test_time_budget_bounds_retries(session, server):
    client = make_client(session, server, budget_s=1.0)
    server.fail("/movie/4", "429", retry_after=2)
    with pytest.raises(ProviderUnusable, match="HTTP 429"):
        client.get_json("/movie/4")
    assert len(server.requests) == 1
    assert sleeps_of(client) == []


def test_401_is_unusable_after_one_request(session, server):
    client = make_client(session, server)
    server.fail("/movie/5", "401", times=10)
    with pytest.raises(ProviderUnusable, match=r"^tmdb: /movie/5: HTTP 401"):
        client.get_json("/movie/5")
    assert len(server.requests) == 1


def test_other_4xx_is_lookup_failed(session, fake_server):
    fake_server.add("/api", lambda p, q, h: json_response({"error": "bad"}, 400))
    client = make_client(session, fake_server)
    with pytest.raises(LookupFailed, match="HTTP 400"):
        client.get_json("/search/movie", {"query": ""})
    assert len(fake_server.requests) == 1


def test_malformed_json_is_lookup_failed_and_not_cached(session, server):
    client = make_client(session, server)
    server.fail("/movie/6", "malformed")
    with pytest.raises(LookupFailed, match="malformed JSON"):
        client.get_json("/movie/6")
    assert client.get_json("/movie/6") == {"path": "/movie/6", "query": {}}
    assert len(server.requests) == 2


def test_dropped_connection_and_timeout_are_retried(session, server):
    client = make_client(session, server, timeout_s=0.3)
    server.fail("/movie/8", "drop")
    server.fail("/movie/8", "slow", seconds=2)
    assert client.get_json("/movie/8") is not None
    assert len(server.requests) == 3
    assert len(sleeps_of(client)) == 2


def test_nothing_listening_is_unusable(session):
    with socket.socket() as probe:  # a free port, then closed: connection refused
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    sleeps = Sleeps()
    client = Client(session, "musicbrainz", f"http://127.0.0.1:{port}/ws/2", rate=1000,
                    params={"api_key": API_KEY}, max_attempts=2, sleep=sleeps)
    with pytest.raises(ProviderUnusable, match=r"^musicbrainz: /release: ConnectionError") as info:
        client.get_json("/release", {"query": "x"})
    assert API_KEY not in "".join(traceback.format_exception(info.value))
    assert len(sleeps) == 1


# --------------------------------------------------------------------------- rate limit


def test_rate_limit_spaces_network_requests_but_not_cache_hits(session, server):
    client = make_client(session, server, rate=20.0)
    paths = [f"/movie/{i}" for i in range(10)]
    for path in paths:
        client.get_json(path)
    # 20/s is 0.05 s apart; arrival times at the server jitter a little.
    assert min(gaps([r.time for r in server.requests])) >= 0.035
    start = time.monotonic()
    for path in paths:
        client.get_json(path)
    assert time.monotonic() - start < 0.045 * 3
    assert len(server.requests) == 10
    stats = client.stats.snapshot()
    assert stats["cache_hits"] == 10 and stats["network"] == 10
    assert stats["rate_waits"] >= 8


def test_threads_sharing_a_client_never_exceed_the_rate(session, server):
    client = make_client(session, server, rate=20.0)
    errors: list[BaseException] = []

    def work(n: int) -> None:
        try:
            for i in range(3):
                client.get_json(f"/movie/{n}-{i}")
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(server.requests) == 24
    # Measured where the requests arrive, so allow scheduling jitter on a busy
    # machine: over the whole run and in any half second, never above the rate.
    times = sorted(r.time for r in server.requests)
    assert times[-1] - times[0] >= 0.9 * 23 / 20.0
    assert max(sum(1 for t in times if start <= t < start + 0.5) for start in times) <= 11


def test_rate_limiter_reserves_slots():
    now = [0.0]
    slept: list[float] = []
    limiter = RateLimiter(4.0, clock=lambda: now[0], sleep=slept.append)
    assert [limiter.acquire() for _ in range(3)] == [0.0, 0.25, 0.5]
    now[0] = 10.0
    assert limiter.acquire() == 0.0
    assert slept == [0.25, 0.5]
    with pytest.raises(ValueError):
        RateLimiter(0)
