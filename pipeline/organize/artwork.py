"""Artwork downloads: posters, backdrops and covers, refused unless they are images.

Contract:

- ``Artwork(settings)`` knows which hosts artwork may come from — TMDB's
  image base, the Cover Art Archive, OpenLibrary's covers, as configured —
  and keeps one rate-limited, retried ``core.net.Client`` per host on one
  session (the one enrich uses: its cache folder and User-Agent). A URL from
  any other host is refused: the plan's URLs come from API answers.
- ``fetch(url, tmp)`` streams the image into the new file ``tmp`` (fsynced)
  and returns its BLAKE2b; it raises ``ArtworkRefused`` (one item's error)
  when the answer is not an image: a content type other than image/jpeg,
  png or webp, first bytes that are no JPEG, PNG or WebP, or a body over
  ``organize.artwork_max_bytes`` — refused from its Content-Length before
  reading, or as soon as the stream passes the limit.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from pipeline import __version__
from pipeline.core.errors import LookupFailed
from pipeline.core.settings import Settings

__all__ = ["Artwork", "ArtworkRefused", "sniff_image"]

_TYPES = frozenset({"image/jpeg", "image/jpg", "image/png", "image/webp"})
_CHUNK = 1 << 16


class ArtworkRefused(Exception):
    """This image can't be used (not an image, too large, gone): the item's error."""


def sniff_image(head: bytes) -> str | None:
    """"jpeg", "png" or "webp" from the first bytes, else None."""
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    return None


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


class Artwork:
    """Downloads for one organize run (see the module contract); close() when done."""

    def __init__(self, settings: Settings) -> None:
        p = settings.providers
        # (base URL, rate) of every host artwork may come from; the longest base wins.
        self._bases = sorted([(p.tmdb.image_base_url.rstrip("/"), p.tmdb.rate),
                              (p.coverart.base_url.rstrip("/"), p.coverart.rate),
                              (p.openlibrary.covers_url.rstrip("/"), p.openlibrary.rate)],
                             key=lambda b: -len(b[0]))
        self._max = settings.organize.artwork_max_bytes
        self._settings = settings
        self._session: Any = None
        self._clients: dict[str, Any] = {}
        self.fetched = 0

    def _client(self, url: str) -> Any:
        base = next((b for b in self._bases if url.startswith(b[0] + "/")), None)
        if base is None:
            raise ArtworkRefused(f"{_origin(url)} is not a configured artwork host")
        if base[0] not in self._clients:
            from pipeline.core.net import Client, build_session

            if self._session is None:
                cache = self._settings.cache
                folder = Path(cache.path) if cache.path else Path.home() / ".cache" / "jforg"
                contact = self._settings.providers.musicbrainz.contact
                self._session = build_session(folder, cache.ttl_days,
                                              f"jforg/{__version__} ( {contact} )")
                self._session.headers["Accept"] = "image/jpeg, image/png, image/webp"
            self._clients[base[0]] = Client(self._session, "artwork", base[0], rate=base[1])
        return self._clients[base[0]]

    def fetch(self, url: str, tmp: str) -> str:
        try:
            response = self._client(url).stream(url)
        except LookupFailed as exc:
            raise ArtworkRefused(str(exc)) from None
        if response is None:
            raise ArtworkRefused("not found (404)")
        try:
            return self._save(response, tmp)
        finally:
            response.close()

    def _save(self, response: Any, tmp: str) -> str:
        kind = (response.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if kind not in _TYPES:
            raise ArtworkRefused(f"not an image: the server said {kind or 'no type'!r}")
        length = response.headers.get("Content-Length")
        if length and length.isdigit() and int(length) > self._max:
            raise ArtworkRefused(f"{int(length):,} bytes, more than artwork_max_bytes "
                                 f"({self._max:,})")
        digest = hashlib.blake2b(digest_size=32)
        size = 0
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        try:
            for chunk in response.iter_content(_CHUNK):
                if size == 0 and sniff_image(chunk[:16]) is None:
                    raise ArtworkRefused(f"not an image: it starts {chunk[:8]!r}")
                size += len(chunk)
                if size > self._max:
                    raise ArtworkRefused(f"more than artwork_max_bytes ({self._max:,})")
                digest.update(chunk)
                os.write(fd, chunk)
            if size == 0:
                raise ArtworkRefused("an empty answer")
            os.fsync(fd)
        except BaseException:
            os.close(fd)
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
            raise
        os.close(fd)
        self.fetched += 1
        return digest.hexdigest()

    def close(self) -> None:
        if self._session is not None:
            self._session.close()
