"""HTTP for the enrich stage: the one place sessions, retries and rate limits are built.

This is the only module that imports ``requests``, ``requests_cache`` and
``tenacity``; providers get a :class:`Client` (a ``JsonClient``) and never
see a session.

- :func:`build_session` makes the one requests-cache session of a run: a
  SQLite file ``<cache_dir>/http-cache.sqlite``, ``ttl_days`` for id lookups,
  a shorter TTL for searches, stale-if-error, a User-Agent. Only 200 and 404
  answers are cached. Keep it in one process (threads are fine): a SQLite
  cache shared by several processes hits "database is locked".
- :class:`RateLimiter` spaces requests at least ``1 / rate`` seconds apart
  across all the threads sharing it (one per provider).
- :class:`Client` GETs ``base_url + path`` and decodes JSON. Only requests
  that really go to the network pay the rate limit (the limiter sits in a
  transport adapter mounted on ``base_url``; cache hits never reach it).
  429 / 500 / 502 / 503 / 504 and connection errors / timeouts are retried
  with exponential backoff and jitter, or exactly ``Retry-After`` when the
  server sends it (capped by ``max_wait_s``), bounded by ``max_attempts``
  and by ``budget_s`` of total time. Outcomes:

      200 + JSON              the decoded value
      404                     None
      401 / 403               ProviderUnusable at once (bad or missing key)
      retries exhausted       ProviderUnusable (outage)
      other 4xx, other status LookupFailed
      200 + malformed JSON    LookupFailed (and the cache entry is dropped)

Secrets are never stored or logged: ``api_key`` (and requests-cache's
default list: ``Authorization``, ``access_token``, ``X-API-Key``…) are
ignored parameters, so they are neither part of cache keys nor written in
the cached request. Exception messages name the provider and the *path*
only, never the query string or headers, and carry no chained exception
(whose text would hold the full URL). A logging filter redacts
``api_key=…`` / ``Bearer …`` from the debug lines of urllib3 and
requests-cache, which print full URLs.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import requests
from requests.adapters import HTTPAdapter
from requests_cache import CachedSession
from requests_cache.policy.settings import DEFAULT_IGNORED_PARAMS
from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception,
    stop_after_attempt,
    stop_before_delay,
    wait_exponential_jitter,
)

from pipeline.core.errors import LookupFailed, ProviderUnusable
from pipeline.core.redact import install_log_redaction, redact

__all__ = [
    "CACHE_FILE",
    "RETRY_STATUSES",
    "SECRET_PARAMS",
    "Client",
    "ClientStats",
    "RateLimiter",
    "build_session",
    "parse_retry_after",
    "redact",
]

log = logging.getLogger(__name__)

CACHE_FILE = "http-cache.sqlite"
# Added to requests-cache's DEFAULT_IGNORED_PARAMS (which already holds most of them):
SECRET_PARAMS = ("api_key", "Authorization")
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
CACHED_STATUSES = (200, 404)
# Searches go stale sooner than id lookups: new releases appear in search results.
SEARCH_TTL_DAYS = 7
SEARCH_URL_PATTERNS = (
    "*/search/*",  # TMDB /search/movie, /search/tv
    "*/search.json*",  # OpenLibrary
    "*query=*",  # MusicBrainz /release?query=…
)
_NETWORK_ERRORS = (requests.ConnectionError, requests.Timeout,
                   requests.exceptions.ChunkedEncodingError)


# --------------------------------------------------------------------------- session


def build_session(cache_dir: Path, ttl_days: int, user_agent: str) -> CachedSession:
    """The run's requests-cache session; the caller closes it (``with`` works)."""
    if ttl_days < 0:
        raise ValueError(f"cache ttl_days must be >= 0, got {ttl_days}")
    cache_dir.mkdir(parents=True, exist_ok=True)
    ttl = timedelta(days=ttl_days)
    search_ttl = min(ttl, timedelta(days=SEARCH_TTL_DAYS))
    session = CachedSession(
        str(cache_dir / CACHE_FILE),
        backend="sqlite",
        expire_after=ttl,
        urls_expire_after=dict.fromkeys(SEARCH_URL_PATTERNS, search_ttl),
        stale_if_error=True,
        allowable_codes=CACHED_STATUSES,
        allowable_methods=("GET",),
        ignored_parameters=(*DEFAULT_IGNORED_PARAMS, *SECRET_PARAMS),
    )
    session.headers["User-Agent"] = user_agent
    session.headers["Accept"] = "application/json"
    install_log_redaction()
    return session


# --------------------------------------------------------------------------- rate limit


class RateLimiter:
    """At most ``rate_per_s`` acquisitions a second, spaced ``1 / rate`` apart (burst 1).

    Thread-safe: each caller reserves the next free slot under a lock, then
    sleeps outside it until its slot comes.
    """

    def __init__(self, rate_per_s: float, *, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        if not rate_per_s > 0:
            raise ValueError(f"rate must be > 0, got {rate_per_s}")
        self.rate_per_s = rate_per_s
        self.interval = 1.0 / rate_per_s
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._next = float("-inf")

    def acquire(self) -> float:
        """Block until the caller may send; returns the seconds waited."""
        with self._lock:
            now = self._clock()
            slot = max(now, self._next)
            self._next = slot + self.interval
        wait = slot - now
        if wait > 0:
            self._sleep(wait)
        return wait


class ClientStats:
    """Thread-safe counters of one client; ``snapshot()`` for reports."""

    FIELDS = ("network", "cache_hits", "retries", "rate_waits", "rate_wait_s", "backoff_s")

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.network = 0  # requests that went to the network (paid the rate limit)
        self.cache_hits = 0  # answers served from the cache (incl. stale-if-error)
        self.retries = 0  # re-attempts after 429 / 5xx / connection errors
        self.rate_waits = 0  # requests the rate limiter held back
        self.rate_wait_s = 0.0  # seconds spent in the rate limiter
        self.backoff_s = 0.0  # seconds slept between retries

    def add(self, **deltas: float) -> None:
        with self._lock:
            for name, delta in deltas.items():
                if name not in self.FIELDS:
                    raise AttributeError(name)
                setattr(self, name, getattr(self, name) + delta)

    def snapshot(self) -> dict[str, float]:
        with self._lock:
            return {name: getattr(self, name) for name in self.FIELDS}

    def __repr__(self) -> str:
        fields = ", ".join(f"{k}={v:g}" for k, v in self.snapshot().items())
        return f"ClientStats({fields})"


class _LimitedAdapter(HTTPAdapter):
    """Transport adapter that pays the rate limit: cache hits never get this far."""

    def __init__(self, limiter: RateLimiter, stats: ClientStats) -> None:
        super().__init__()
        self.limiter = limiter
        self.stats = stats

    def send(self, request: requests.PreparedRequest, *args: Any,
             **kwargs: Any) -> requests.Response:
        waited = self.limiter.acquire()
        if waited > 0:
            self.stats.add(rate_waits=1, rate_wait_s=waited)
        self.stats.add(network=1)
        return super().send(request, *args, **kwargs)


# --------------------------------------------------------------------------- client


class _RetryableStatus(Exception):
    def __init__(self, status: int, retry_after: float | None) -> None:
        super().__init__(status)
        self.status = status
        self.retry_after = retry_after


def _is_retryable(exc: BaseException) -> bool:
    return isinstance(exc, (_RetryableStatus, *_NETWORK_ERRORS))


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` value (delta-seconds or HTTP date)."""
    if value is None:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class Client:
    """GET JSON from one provider: ``Client(session, "tmdb", base_url, rate=4.0)``.

    ``params`` (e.g. ``api_key``) and ``headers`` (e.g. ``Authorization``) go
    with every request. Mounts its rate-limited adapter on the session for
    ``base_url``: one Client per provider and base URL (a second Client on the
    same base URL takes the mount over). ``sleep`` is used between retries
    only (tests inject a recorder); the rate limiter always really sleeps.
    """

    def __init__(
        self,
        session: requests.Session,
        name: str,
        base_url: str,
        *,
        rate: float,
        params: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
        max_attempts: int = 5,
        max_wait_s: float = 60.0,
        timeout_s: float = 15.0,
        budget_s: float = 300.0,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if max_attempts < 1:
            raise ValueError(f"max_attempts must be >= 1, got {max_attempts}")
        self.name = name
        self.base_url = base_url.rstrip("/")
        self.max_attempts = max_attempts
        self.max_wait_s = max_wait_s
        self.timeout_s = timeout_s
        self.budget_s = budget_s
        self.limiter = RateLimiter(rate)
        self.stats = ClientStats()
        self._session = session
        self._params = dict(params or {})
        self._headers = dict(headers or {})
        self._sleep = sleep
        self._backoff = wait_exponential_jitter(multiplier=0.5, max=max_wait_s, jitter=0.5)
        session.mount(self.base_url + "/", _LimitedAdapter(self.limiter, self.stats))

    def __repr__(self) -> str:  # no params/headers: they hold secrets
        return f"Client({self.name!r}, {self.base_url!r})"

    def get_json(self, path: str, params: Mapping[str, str] | None = None) -> Any:
        """GET base_url + path with params; the decoded JSON, or None for 404."""
        if not path.startswith("/"):
            path = "/" + path
        url = self.base_url + path
        merged = {**self._params, **(params or {})}
        retrying = Retrying(
            retry=retry_if_exception(_is_retryable),
            stop=stop_after_attempt(self.max_attempts) | stop_before_delay(self.budget_s),
            wait=self._wait,
            sleep=self._retry_sleep,
            before_sleep=lambda state: self._log_retry(path, state),
            reraise=True,
        )
        failure: str | None = None
        try:
            response = retrying(self._get, url, merged)
        except _RetryableStatus as exc:
            failure = f"HTTP {exc.status}"
        except requests.RequestException as exc:  # the message holds the full URL: type only
            failure = type(exc).__name__
        if failure is not None:  # raised outside ``except``: no chained URL-bearing exception
            attempts = retrying.statistics.get("attempt_number", 1)
            raise ProviderUnusable(f"{self.name}: {path}: {failure} "
                                   f"(gave up after {attempts} attempt(s))")
        return self._decode(path, response)

    def stream(self, url: str) -> requests.Response | None:
        """GET a whole URL below ``base_url`` as a stream (for files: never cached, so a
        large body is not read just to be stored); None for 404. The caller closes it.

        Retried and rate-limited like ``get_json``; any other 4xx is a LookupFailed
        for this one item.
        """
        if not url.startswith(self.base_url + "/"):
            raise LookupFailed(f"{self.name}: refusing a URL from another host")
        path = url[len(self.base_url):]
        retrying = Retrying(
            retry=retry_if_exception(_is_retryable),
            stop=stop_after_attempt(self.max_attempts) | stop_before_delay(self.budget_s),
            wait=self._wait, sleep=self._retry_sleep, reraise=True)
        try:
            response = retrying(self._get_stream, url)
        except _RetryableStatus as exc:
            raise LookupFailed(f"{self.name}: {path}: HTTP {exc.status}") from None
        except requests.RequestException as exc:
            raise LookupFailed(f"{self.name}: {path}: {type(exc).__name__}") from None
        if response.status_code == 404:
            response.close()
            return None
        if not 200 <= response.status_code < 300:
            response.close()
            raise LookupFailed(f"{self.name}: {path}: HTTP {response.status_code}")
        return response

    # -- internals

    def _get_stream(self, url: str) -> requests.Response:
        """One GET past the cache (requests-cache reads every body it sees, even one it
        won't store), following up to 5 redirects by hand for the same reason."""
        session = self._session
        prepared = session.prepare_request(requests.Request(
            "GET", url, params=self._params, headers=self._headers))
        for _ in range(5):
            response = requests.Session.send(session, prepared, stream=True,
                                             timeout=self.timeout_s, allow_redirects=False)
            if not response.is_redirect:
                break
            target = urljoin(prepared.url or url, response.headers.get("Location", ""))
            response.close()
            prepared = session.prepare_request(requests.Request("GET", target))
        if response.status_code in RETRY_STATUSES:
            retry_after = parse_retry_after(response.headers.get("Retry-After"))
            response.close()
            raise _RetryableStatus(response.status_code, retry_after)
        return response

    def _get(self, url: str, params: Mapping[str, str]) -> requests.Response:
        response = self._session.get(url, params=params, headers=self._headers,
                                     timeout=self.timeout_s)
        if getattr(response, "from_cache", False):
            self.stats.add(cache_hits=1)
        if response.status_code in RETRY_STATUSES:
            retry_after = parse_retry_after(response.headers.get("Retry-After"))
            response.close()
            raise _RetryableStatus(response.status_code, retry_after)
        return response

    def _decode(self, path: str, response: requests.Response) -> Any:
        status = response.status_code
        if status == 404:
            return None
        if status in (401, 403):
            raise ProviderUnusable(f"{self.name}: {path}: HTTP {status} "
                                   "(missing or invalid API key)")
        if not 200 <= status < 300:
            raise LookupFailed(f"{self.name}: {path}: HTTP {status}")
        try:
            return json.loads(response.content)
        except ValueError:
            pass
        self._forget(response)
        raise LookupFailed(f"{self.name}: {path}: malformed JSON (HTTP {status})")

    def _forget(self, response: requests.Response) -> None:
        """Drop a cached answer that turned out unusable, so the next run asks again."""
        key = getattr(response, "cache_key", None)
        cache = getattr(self._session, "cache", None)
        if key and cache is not None:
            cache.delete(key)

    def _wait(self, state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome is not None else None
        if isinstance(exc, _RetryableStatus) and exc.retry_after is not None:
            return min(exc.retry_after, self.max_wait_s)
        return float(self._backoff(state))

    def _retry_sleep(self, seconds: float) -> None:
        self.stats.add(retries=1, backoff_s=seconds)
        self._sleep(seconds)

    def _log_retry(self, path: str, state: RetryCallState) -> None:
        exc = state.outcome.exception() if state.outcome is not None else None
        what = f"HTTP {exc.status}" if isinstance(exc, _RetryableStatus) else type(exc).__name__
        log.info("%s: %s: %s, attempt %d, retrying in %.1f s", self.name, path, what,
                 state.attempt_number, state.upcoming_sleep)
