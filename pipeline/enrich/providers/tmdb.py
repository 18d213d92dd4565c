"""TMDB (The Movie Database, API v3): movies and series.

``lookup`` searches ``/search/movie`` (``year=`` when the work has one;
nothing found with it → once more without) or ``/search/tv``
(``first_air_date_year=``, same retry) and returns up to 8 candidates in
TMDB's order, with their popularity; matching scores them, not this module.

``details`` (one request, what NFO files and artwork need appended to it):

- movie → ``/movie/{id}?append_to_response=external_ids,release_dates,
  alternative_titles``: ids ``tmdb``/``imdb``, original and alternative
  titles, overview, tagline, genres, runtime, the certification for
  ``country`` (theatrical release first), poster/backdrop URLs;
- series → ``/tv/{id}?append_to_response=external_ids,content_ratings``: ids
  ``tmdb``/``tvdb``/``imdb``, overview, genres, runtime, rating, season posters,
  ``season_episodes`` for every season TMDB lists (from its
  ``episode_count``), then ``/tv/{id}/season/{n}`` for each season the *work*
  has: the real episode numbers and ``episode_titles`` (``"S01E02" -> name``).

Image URLs are ``image_base`` + size + path: posters at ``poster_size``,
backdrops at ``original``.

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

__all__ = ["MAX_CANDIDATES", "PROVIDER", "Tmdb"]

MAX_CANDIDATES: Final = 8
_THEATRICAL: Final = 3  # TMDB release_dates "type"


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


def _genres(data: dict[str, Any]) -> list[str]:
    genres = data.get("genres")
    return [g["name"] for g in genres if isinstance(g, dict) and _text(g.get("name"))] \
        if isinstance(genres, list) else []


def _minutes(value: Any) -> int | None:
    if isinstance(value, list):  # a series' episode_run_time
        value = next((v for v in value if isinstance(v, int)), None)
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 \
        else None


def _certification(data: dict[str, Any], country: str) -> str | None:
    """The age rating for ``country``: a movie's theatrical release first, else any."""
    block = data.get("release_dates")
    results = block.get("results") if isinstance(block, dict) else None
    for entry in results if isinstance(results, list) else []:
        if not isinstance(entry, dict) or entry.get("iso_3166_1") != country:
            continue
        dates = [d for d in entry.get("release_dates") or [] if isinstance(d, dict)
                 and _text(d.get("certification"))]
        dates.sort(key=lambda d: d.get("type") != _THEATRICAL)
        if dates:
            return str(dates[0]["certification"]).strip()
    ratings = data.get("content_ratings")
    results = ratings.get("results") if isinstance(ratings, dict) else None
    for entry in results if isinstance(results, list) else []:
        if isinstance(entry, dict) and entry.get("iso_3166_1") == country:
            return _text(entry.get("rating"))
    return None


def _date(value: Any) -> str | None:
    text = _text(value)
    return text if text is not None and len(text) == 10 and text[4] == "-" else None


class Tmdb:
    """The TMDB provider; ``language`` (e.g. "en-US", "fr-FR") is sent with every request."""

    name = "tmdb"
    kinds = frozenset({"movie", "series"})

    def __init__(self, language: str = "en-US", *, country: str = "US",
                 image_base: str = "https://image.tmdb.org/t/p",
                 poster_size: str = "w780") -> None:
        self.language = language
        self.country = country
        self.image_base = image_base.rstrip("/")
        self.poster_size = poster_size

    def _image(self, path: Any, size: str) -> str | None:
        text = _text(path)
        if text is None:
            return None
        return f"{self.image_base}/{size}{text if text.startswith('/') else '/' + text}"

    def _artwork(self, data: dict[str, Any]) -> dict[str, str]:
        art = {}
        poster = self._image(data.get("poster_path"), self.poster_size)
        backdrop = self._image(data.get("backdrop_path"), "original")
        if poster:
            art["poster"] = poster
        if backdrop:
            art["backdrop"] = backdrop
        return art

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
            artwork=self._artwork(r),
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
        data = self._get(client, f"/movie/{tmdb_id}", {
            "append_to_response": "external_ids,release_dates,alternative_titles"})
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
            artwork={**candidate.artwork, **self._artwork(data)},
            overview=_text(data.get("overview")),
            tagline=_text(data.get("tagline")),
            genres=_genres(data),
            runtime=_minutes(data.get("runtime")),
            certification=_certification(data, self.country),
            premiered=_date(data.get("release_date")),
        )

    def _series(self, client: JsonClient, candidate: Candidate, work: Work) -> Candidate:
        tmdb_id = quote(candidate.id, safe="")
        data = self._get(client, f"/tv/{tmdb_id}",
                         {"append_to_response": "external_ids,content_ratings"})
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
        art = {**candidate.artwork, **self._artwork(data)}
        seasons = data.get("seasons")
        for season in seasons if isinstance(seasons, list) else []:
            if not isinstance(season, dict):
                continue
            number, count = season.get("season_number"), season.get("episode_count")
            if isinstance(number, int):
                listed.add(number)
                poster = self._image(season.get("poster_path"), self.poster_size)
                if poster and 0 <= number <= 99:
                    art[f"season{number:02d}"] = poster
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
            artwork=art,
            overview=_text(data.get("overview")),
            genres=_genres(data),
            runtime=_minutes(data.get("episode_run_time")),
            certification=_certification(data, self.country),
            premiered=_date(data.get("first_air_date")),
        )


PROVIDER = Tmdb()
