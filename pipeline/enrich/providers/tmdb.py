"""TMDB (The Movie Database, API v3): movies and series.

``lookup`` searches ``/search/movie`` (``year=`` when the work has one;
nothing found with it → once more without) or ``/search/tv``
(``first_air_date_year=``, same retry) and returns up to 8 candidates in
TMDB's order, with their popularity; matching scores them, not this module.

``details``:

- movie → ``/movie/{id}?append_to_response=external_ids,alternative_titles``:
  ids ``tmdb``/``imdb``, original and alternative titles, poster/backdrop URLs;
- series → ``/tv/{id}?append_to_response=external_ids``: ids
  ``tmdb``/``tvdb``/``imdb``, ``season_episodes`` for every season TMDB lists
  (from its ``episode_count``), then ``/tv/{id}/season/{n}`` for each season
  the *work* has: the real episode numbers and ``episode_titles``
  (``"S01E02" -> name``).

The client carries the key (``api_key`` or ``Authorization: Bearer``);
this module only passes query parameters, ``language`` among them.
"""

from __future__ import annotations

from typing import Any, Final
from urllib.parse import quote

import msgspec

from pipeline.core.errors import LookupFailed
from pipeline.core.records import Work
from pipeline.enrich.providers.base import Candidate, JsonClient

__all__ = ["IMAGE_BASE", "MAX_CANDIDATES", "PROVIDER", "Tmdb"]

IMAGE_BASE: Final = "https://image.tmdb.org/t/p/original"
MAX_CANDIDATES: Final = 8


def _year(date: Any) -> int | None:
    """``"1999-03-30"`` → 1999; "" / None / junk → None."""
    if isinstance(date, str) and len(date) >= 4 and date[:4].isdigit():
        return int(date[:4])
    return None


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def _object(data: Any, what: str) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise LookupFailed(f"tmdb: {what}: expected a JSON object")
    return data


def _results(data: Any, what: str) -> list[dict[str, Any]]:
    if data is None:
        return []
    results = _object(data, what).get("results")
    if not isinstance(results, list):
        raise LookupFailed(f"tmdb: {what}: no results list")
    return [r for r in results if isinstance(r, dict) and isinstance(r.get("id"), int)]


def _artwork(data: dict[str, Any]) -> dict[str, str]:
    art = {}
    for key, field in (("poster", "poster_path"), ("backdrop", "backdrop_path")):
        path = _text(data.get(field))
        if path:
            art[key] = IMAGE_BASE + (path if path.startswith("/") else "/" + path)
    return art


class Tmdb:
    """The TMDB provider; ``language`` (e.g. "en-US", "fr-FR") is sent with every request."""

    name = "tmdb"
    kinds = frozenset({"movie", "series"})

    def __init__(self, language: str = "en-US") -> None:
        self.language = language

    # --- lookup ------------------------------------------------------------

    def lookup(self, client: JsonClient, work: Work) -> list[Candidate]:
        if work.kind not in self.kinds or not work.title.strip():
            return []
        movie = work.kind == "movie"
        path = "/search/movie" if movie else "/search/tv"
        year_param = "year" if movie else "first_air_date_year"
        params = {"query": work.title, "language": self.language, "include_adult": "false",
                  "page": "1"}
        results: list[dict[str, Any]] = []
        if work.year is not None:
            results = _results(client.get_json(path, {**params, year_param: str(work.year)}),
                               path)
        if not results:
            results = _results(client.get_json(path, params), path)
        return [self._candidate(r, work.kind) for r in results[:MAX_CANDIDATES]]

    def _candidate(self, r: dict[str, Any], kind: str) -> Candidate:
        movie = kind == "movie"
        title = _text(r.get("title" if movie else "name")) or ""
        original = _text(r.get("original_title" if movie else "original_name"))
        popularity = r.get("popularity")
        return Candidate(
            provider=self.name,
            id=str(r["id"]),
            title=title,
            kind=kind,
            year=_year(r.get("release_date" if movie else "first_air_date")),
            original_title=original,
            popularity=float(popularity) if isinstance(popularity, int | float) else None,
            ids={"tmdb": str(r["id"])},
            artwork=_artwork(r),
        )

    # --- details -----------------------------------------------------------

    def details(self, client: JsonClient, candidate: Candidate, work: Work) -> Candidate:
        if candidate.kind == "movie":
            return self._movie(client, candidate)
        if candidate.kind == "series":
            return self._series(client, candidate, work)
        return candidate

    def _get(self, client: JsonClient, path: str, params: dict[str, str]) -> dict[str, Any]:
        data = client.get_json(path, {**params, "language": self.language})
        if data is None:
            raise LookupFailed(f"tmdb: {path}: not found")
        return _object(data, path)

    def _movie(self, client: JsonClient, candidate: Candidate) -> Candidate:
        tmdb_id = quote(candidate.id, safe="")
        data = self._get(client, f"/movie/{tmdb_id}",
                         {"append_to_response": "external_ids,alternative_titles"})
        external = data.get("external_ids")
        external = external if isinstance(external, dict) else {}
        ids = {**candidate.ids, "tmdb": str(data.get("id", candidate.id))}
        imdb = _text(external.get("imdb_id")) or _text(data.get("imdb_id"))
        if imdb:
            ids["imdb"] = imdb
        title = _text(data.get("title")) or candidate.title
        original = _text(data.get("original_title")) or candidate.original_title
        alternatives = list(candidate.alternative_titles)
        alt = data.get("alternative_titles")
        if isinstance(alt, dict) and isinstance(alt.get("titles"), list):
            for entry in alt["titles"]:
                name = _text(entry.get("title")) if isinstance(entry, dict) else None
                if name and name not in alternatives and name not in (title, original):
                    alternatives.append(name)
        return msgspec.structs.replace(
            candidate,
            title=title,
            original_title=original,
            year=_year(data.get("release_date")) or candidate.year,
            alternative_titles=alternatives,
            ids=ids,
            artwork={**candidate.artwork, **_artwork(data)},
        )

    def _series(self, client: JsonClient, candidate: Candidate, work: Work) -> Candidate:
        tmdb_id = quote(candidate.id, safe="")
        data = self._get(client, f"/tv/{tmdb_id}", {"append_to_response": "external_ids"})
        external = data.get("external_ids")
        external = external if isinstance(external, dict) else {}
        ids = {**candidate.ids, "tmdb": str(data.get("id", candidate.id))}
        tvdb = external.get("tvdb_id")
        if isinstance(tvdb, int) and not isinstance(tvdb, bool):
            ids["tvdb"] = str(tvdb)
        imdb = _text(external.get("imdb_id"))
        if imdb:
            ids["imdb"] = imdb

        season_episodes: dict[str, list[int]] = {}
        listed: set[int] = set()
        seasons = data.get("seasons")
        for season in seasons if isinstance(seasons, list) else []:
            if not isinstance(season, dict):
                continue
            number, count = season.get("season_number"), season.get("episode_count")
            if isinstance(number, int):
                listed.add(number)
                if isinstance(count, int) and count > 0:
                    season_episodes[str(number)] = list(range(1, count + 1))

        episode_titles: dict[str, str] = {}
        wanted = sorted({int(s) for s in work.seasons if s.strip().isdigit()})
        for number in wanted:
            if listed and number not in listed:
                continue  # the work has a season TMDB doesn't know: nothing to fetch
            season_data = client.get_json(f"/tv/{tmdb_id}/season/{number}",
                                          {"language": self.language})
            if season_data is None:
                continue
            episodes = _object(season_data, f"/tv/{tmdb_id}/season/{number}").get("episodes")
            numbers: list[int] = []
            for episode in episodes if isinstance(episodes, list) else []:
                if not isinstance(episode, dict):
                    continue
                ep = episode.get("episode_number")
                if not isinstance(ep, int):
                    continue
                numbers.append(ep)
                name = _text(episode.get("name"))
                if name:
                    episode_titles[f"S{number:02d}E{ep:02d}"] = name
            if numbers:
                season_episodes[str(number)] = sorted(set(numbers))

        return msgspec.structs.replace(
            candidate,
            title=_text(data.get("name")) or candidate.title,
            original_title=_text(data.get("original_name")) or candidate.original_title,
            year=_year(data.get("first_air_date")) or candidate.year,
            ids=ids,
            season_episodes=dict(sorted(season_episodes.items(), key=lambda kv: int(kv[0]))),
            episode_titles=dict(sorted(episode_titles.items())),
            artwork={**candidate.artwork, **_artwork(data)},
        )


PROVIDER = Tmdb()
