"""The one small interface every provider shares, and what it returns.

A provider module (tmdb, musicbrainz, openlibrary, coverart) exposes a
``PROVIDER`` object with ``name``, the work ``kinds`` it serves, and:

- ``lookup(client, work) -> list[Candidate]``: search; the best few
  candidates, never "first result wins" (matching scores them);
- ``details(client, candidate, work) -> Candidate``: the chosen candidate
  completed with what the plan and report need (external ids, season
  lists and episode titles, track counts, artwork URLs).

A provider may also offer ``expand(client, candidate, work) -> Candidate``
(``Expands``): what matching can use beyond a search result — alternative
titles, countries, season lists — in one request per candidate, the same
request ``details`` starts with (so a candidate expanded and then chosen
costs nothing more; it comes back with ``detailed`` set).

Providers never build sessions: they get a ``JsonClient`` (``core.net.Client``
in production, anything with ``get_json`` in tests). Their errors
(``ProviderUnusable``, ``LookupFailed``) are in ``core.errors``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

import msgspec

from pipeline.core.records import Work

__all__ = ["Candidate", "Expands", "JsonClient", "Provider"]


class JsonClient(Protocol):
    def get_json(self, path: str, params: Mapping[str, str] | None = None) -> Any:
        """GET base_url + path with params; the decoded JSON, or None for 404."""
        ...


class Candidate(msgspec.Struct, frozen=True, omit_defaults=True):
    """One provider's answer for a work, before and after ``details``."""

    provider: str
    id: str
    title: str
    kind: str  # movie, series, album, book
    year: int | None = None
    original_title: str | None = None
    alternative_titles: list[str] = []
    popularity: float | None = None
    countries: list[str] = []  # ISO 3166-1 codes of origin (a series' origin_country)
    ids: dict[str, str] = {}  # tmdb, imdb, tvdb, musicbrainz_release, musicbrainz_release_group,
    # musicbrainz_artist, openlibrary_work, openlibrary_edition, isbn
    artist: str | None = None  # album artist or book author
    track_count: int | None = None
    season_episodes: dict[str, list[int]] = {}
    episode_titles: dict[str, str] = {}  # "S01E02" -> title
    artwork: dict[str, str] = {}  # "poster", "backdrop", "season01", "front", "cover" -> URL
    overview: str | None = None
    tagline: str | None = None
    genres: list[str] = []
    runtime: int | None = None  # minutes
    certification: str | None = None
    premiered: str | None = None  # YYYY-MM-DD
    detailed: bool = False  # ``expand`` fetched what ``details`` fetches first: don't again


class Provider(Protocol):
    name: str
    kinds: frozenset[str]

    def lookup(self, client: JsonClient, work: Work) -> list[Candidate]: ...

    def details(self, client: JsonClient, candidate: Candidate, work: Work) -> Candidate: ...


class Expands(Protocol):
    def expand(self, client: JsonClient, candidate: Candidate, work: Work) -> Candidate: ...
