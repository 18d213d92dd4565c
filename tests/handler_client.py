"""A JsonClient that calls a fake provider handler in-process (no HTTP).

Provider unit tests use it to see exactly what a provider asks; HTTP, the
cache, retries and rate limits are tested against tests/fake_server.py.
It maps statuses the way ``net.Client`` does: 404 -> None, 401/403 ->
ProviderUnusable, other errors -> LookupFailed.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import parse_qs, urlencode

from pipeline.core.errors import LookupFailed, ProviderUnusable

__all__ = ["Handler", "HandlerClient"]

Handler = Callable[[str, dict[str, list[str]], Mapping[str, str]], tuple[int, dict[str, str],
                                                                          bytes]]


class HandlerClient:
    def __init__(self, handler: Handler, params: Mapping[str, str] | None = None,
                 headers: Mapping[str, str] | None = None) -> None:
        self.handler = handler
        self.params = dict(params or {})  # sent with every request, like an api_key
        self.headers = dict(headers or {})
        self.calls: list[tuple[str, dict[str, str]]] = []  # (path, the call's own params)

    @property
    def paths(self) -> list[str]:
        return [path for path, _ in self.calls]

    def get_json(self, path: str, params: Mapping[str, str] | None = None) -> Any:
        self.calls.append((path, dict(params or {})))
        sent = {**(params or {}), **self.params}
        status, _, body = self.handler(path, parse_qs(urlencode(sent)), self.headers)
        if status == 200:
            return json.loads(body)
        if status == 404:
            return None
        if status in (401, 403):
            raise ProviderUnusable(f"HTTP {status}")
        raise LookupFailed(f"HTTP {status}")
