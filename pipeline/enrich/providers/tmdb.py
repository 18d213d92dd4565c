"""TMDB (The Movie Database, API v3): movies and series.

``lookup`` searches ``/search/movie`` or ``/search/tv`` — with the work's
year (``year=``, ``first_air_date_year=``) when it has one, then without it
when that found nothing or nothing of the very name, then, still finding
nothing, with ``&`` for "and" (or the reverse) and with a sequel's number in
roman numerals — and returns up to 8 candidates in TMDB's order, with their
popularity and, for a series, ``origin_country``; matching scores them, not
this module. A series' country in the name (``The Office (US)``) is not
searched for: TMDB names the show without it.

``expand`` (one request: what matching can use beyond a search result) is
the first request of ``details``, so a candidate expanded and then chosen
costs nothing more:

- movie → ``/movie/{id}?append_to_response=external_ids,release_dates,
  alternative_titles``: ids ``tmdb``/``imdb``, original and alternative
  titles, overview, tagline, genres, runtime, the certification for
  ``country`` (theatrical release first), poster/backdrop URLs — all a
  movie's ``details``;
- series → ``/tv/{id}?append_to_response=external_ids,content_ratings,
  alternative_titles``: ids ``tmdb``/``tvdb``/``imdb``, alternative titles,
  ``origin_country``, overview, genres, runtime, rating, season posters,
  ``season_episodes`` for every season TMDB lists (from its ``episode_count``).

``details`` of a series adds ``/tv/{id}/season/{n}`` for each season the
*work* has: the real episode numbers and ``episode_titles`` (``"S01E02" -> name``).

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
from pipeline.enrich.compare import compare_title, roman_sequel, split_country, swap_and
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


def _countries(data: dict[str, Any]) -> list[str]:
    """A series' ``origin_country`` (a movie's details have one too, these days)."""
    codes = data.get("origin_country")
    return [c for c in codes if isinstance(c, str) and c.strip()] \
        if isinstance(codes, list) else []


def _alternatives(data: dict[str, Any], key: str, candidate: Candidate,
                  names: tuple[str | None, ...]) -> list[str]:
    """Appended ``alternative_titles`` (``titles`` for a movie, ``results`` for a series)."""
    found = list(candidate.alternative_titles)
    block = data.get("alternative_titles")
    entries = block.get(key) if isinstance(block, dict) else None
    for entry in entries if isinstance(entries, list) else []:
        name = _text(entry.get("title")) if isinstance(entry, dict) else None
        if name and name not in found and name not in names:
            found.append(name)
    return found


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
        title = split_country(work.title)[0]  # "The Office (US)": TMDB names it "The Office"
        params = {"language": self.language, "include_adult": "false", "page": "1"}
        queries: list[dict[str, str]] = []
        if work.year is not None:
            queries.append({"query": title, **params, year_param: str(work.year)})
        queries.append({"query": title, **params})
        # Found nothing: "Law and Order" is "Law & Order" at TMDB, "Rocky 2" "Rocky II".
        for variant in (swap_and(title), roman_sequel(title)):
            if variant is not None:
                queries.append({"query": variant, **params})
        results: list[dict[str, Any]] = []
        for number, query in enumerate(queries):
            results = _results(client.get_json(path, query), path)
            if results and number == 0 and work.year is not None and not any(
                    self._names(r, movie, title) for r in results):
                # That year holds no film of the very name ("Rogue One" finds "Rogue One:
                # A Star Wars Story"): one of the name from a year before or after must be
                # seen too, or a subtitled film would win against it unseen.
                seen = {r["id"] for r in results}
                more = _results(client.get_json(path, queries[1]), path)
                results += [r for r in more if r["id"] not in seen]
            if results:
                break
        return [self._candidate(r, work.kind) for r in results[:MAX_CANDIDATES]]

    @staticmethod
    def _names(result: dict[str, Any], movie: bool, title: str) -> bool:
        """Is the result's title or original title the very name searched for?"""
        names = (result.get("title"), result.get("original_title")) if movie else \
            (result.get("name"), result.get("original_name"))
        return any(isinstance(n, str) and compare_title(title, n).level == "exact"
                   for n in names)

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
            countries=_countries(r),
            ids={"tmdb": str(r["id"])},
            artwork=self._artwork(r),
        )

    # --- details -----------------------------------------------------------

    def expand(self, client: JsonClient, candidate: Candidate, work: Work) -> Candidate:
        """Alternative titles, countries and season lists, in ``details``' first request."""
        if candidate.detailed:
            return candidate
        if candidate.kind == "movie":
            return self._movie(client, candidate)
        if candidate.kind == "series":
            return self._tv(client, candidate)
        return candidate

    def details(self, client: JsonClient, candidate: Candidate, work: Work) -> Candidate:
        if candidate.kind == "movie":
            return self.expand(client, candidate, work)
        if candidate.kind == "series":
            return self._seasons(client, self.expand(client, candidate, work), work)
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
        alternatives = _alternatives(data, "titles", candidate, (title, original))
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
            countries=_countries(data) or candidate.countries,
            detailed=True,
        )

    def _tv(self, client: JsonClient, candidate: Candidate) -> Candidate:
        tmdb_id = quote(candidate.id, safe="")
        data = self._get(client, f"/tv/{tmdb_id}", {
            "append_to_response": "external_ids,content_ratings,alternative_titles"})
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
        art = {**candidate.artwork, **self._artwork(data)}
        seasons = data.get("seasons")
        for season in seasons if isinstance(seasons, list) else []:
            if not isinstance(season, dict):
                continue
            number, count = season.get("season_number"), season.get("episode_count")
            if isinstance(number, int) and not isinstance(number, bool) and number >= 0:
                poster = self._image(season.get("poster_path"), self.poster_size)
                if poster and number <= 99:
                    art[f"season{number:02d}"] = poster
                # Listed with no episodes yet: known, but empty.
                season_episodes[str(number)] = list(range(1, count + 1)) \
                    if isinstance(count, int) and count > 0 else []
        title = _text(data.get("name")) or candidate.title
        original = _text(data.get("original_name")) or candidate.original_title
        return msgspec.structs.replace(
            candidate,
            title=title,
            original_title=original,
            alternative_titles=_alternatives(data, "results", candidate, (title, original)),
            year=_year(data.get("first_air_date")) or candidate.year,
            countries=_countries(data) or candidate.countries,
            ids=ids,
            season_episodes=dict(sorted(season_episodes.items(), key=lambda kv: int(kv[0]))),
            artwork=art,
            overview=_text(data.get("overview")),
            genres=_genres(data),
            runtime=_minutes(data.get("episode_run_time")),
            certification=_certification(data, self.country),
            premiered=_date(data.get("first_air_date")),
            detailed=True,
        )

    def _seasons(self, client: JsonClient, candidate: Candidate, work: Work) -> Candidate:
        """The real episode numbers and titles of each season the work has and TMDB lists."""
        tmdb_id = quote(candidate.id, safe="")
        listed = {int(n) for n in candidate.season_episodes}
        season_episodes = {n: eps for n, eps in candidate.season_episodes.items() if eps}
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
            season_episodes=dict(sorted(season_episodes.items(), key=lambda kv: int(kv[0]))),
            episode_titles=dict(sorted(episode_titles.items())),
        )


PROVIDER = Tmdb()
