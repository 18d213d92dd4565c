"""A fake TMDB API v3 for tests: a small catalogue answered in TMDB's real shapes.

``handle(path, query, headers) -> (status, headers, body)``; ``path`` may
carry the ``/3`` prefix or not, ``query`` is ``parse_qs`` output. A request
is authorised by ``api_key=API_KEY`` or ``Authorization: Bearer
BEARER_TOKEN``; anything else gets TMDB's 401 body (status_code 7).
Unknown ids and paths get TMDB's 404 body (status_code 34).

Endpoints: ``/search/movie`` (query, year, primary_release_year, language,
page), ``/search/tv`` (query, first_air_date_year, language, page),
``/movie/{id}`` (``append_to_response`` = any of external_ids,
alternative_titles, release_dates) and ``/tv/{id}`` (external_ids,
alternative_titles, content_ratings), ``/tv/{id}/season/{n}``; and, under
``/images``, every poster and backdrop path as a tiny real JPEG (``/w780/…``,
``/original/…``, any size), as image.tmdb.org serves them.
Searches match the folded query inside the title, original title or an
alternative title (TMDB does search alternative titles), most popular first.
``language=fr-FR`` answers Amélie's French title, as TMDB does.

Catalogue (ids are TMDB's, except Heat 1986's 9976, unverified), and the hard
families of matching from tests/fake_tmdb_catalogue.py (remakes, sequels,
punctuation, foreign originals, anime, short names, US/UK versions):

    movie 603     The Matrix 1999       imdb tt0133093
    movie 949     Heat 1995             imdb tt0113277
    movie 9976    Heat 1986             imdb tt0093164
    movie 841     Dune 1984             imdb tt0087182
    movie 438631  Dune 2021             imdb tt1160419
    movie 194     Amélie 2001           imdb tt0211915,
                  original "Le Fabuleux Destin d'Amélie Poulain"
    tv    2316    The Office 2005 (US)  tvdb 73244, imdb tt0386676; seasons 1 (6), 2 (22)
    tv    2996    The Office 2001 (UK)  tvdb 78107, imdb tt0290978; seasons 0 (2), 1 (6), 2 (6)
    tv    209867  Frieren: Beyond Journey's End 2023, original "葬送のフリーレン",
                  alt "Sousou no Frieren"; tvdb 424536, imdb tt22248376; season 1 (28)
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Final

from tests.fake_server import first, fold, json_response
from tests.fake_tmdb_catalogue import EXTRA_MOVIES, EXTRA_TV

__all__ = ["API_KEY", "BEARER_TOKEN", "GENRES", "MOVIES", "TINY_JPEG", "TV", "handle",
           "images"]

API_KEY: Final = "test-key"
BEARER_TOKEN: Final = "test-token"

_NOT_FOUND: Final = {"success": False, "status_code": 34,
                     "status_message": "The resource you requested could not be found."}
_UNAUTHORIZED: Final = {"status_code": 7,
                        "status_message": "Invalid API key: You must be granted a valid key.",
                        "success": False}


GENRES: Final = {28: "Action", 12: "Adventure", 35: "Comedy", 80: "Crime", 18: "Drama",
                  10749: "Romance", 878: "Science Fiction", 53: "Thriller", 27: "Horror",
                  16: "Animation", 10751: "Family", 14: "Fantasy", 9648: "Mystery",
                  36: "History", 10752: "War"}


def _movie(id: int, title: str, original: str, date: str, imdb: str, popularity: float,
           genres: list[int], poster: str, backdrop: str, alt: list[tuple[str, str]],
           language: str = "en", runtime: int = 120,
           localized: dict[str, str] | None = None, rating: str = "R",
           overview: str = "", tagline: str = "") -> dict[str, Any]:
    return {"id": id, "title": title, "original_title": original, "release_date": date,
            "imdb_id": imdb, "popularity": popularity, "genre_ids": genres,
            "poster_path": poster, "backdrop_path": backdrop, "original_language": language,
            "runtime": runtime, "alternative_titles": alt, "localized": localized or {},
            "rating": rating, "overview": overview, "tagline": tagline}


MOVIES: Final[dict[int, dict[str, Any]]] = {m["id"]: m for m in (
    _movie(603, "The Matrix", "The Matrix", "1999-03-30", "tt0133093", 85.3, [28, 878],
           "/f89U3ADr1oiB1s9GkdPOEpXUk5H.jpg", "/fNG7i7RqMErkcqhohV2a6cV1Ehy.jpg",
           [("FR", "Matrix"), ("DE", "Matrix")], runtime=136,
           overview="A hacker learns that the world he lives in is a simulation, and joins "
                    "the rebels who fight the machines that run it.",
           tagline="Reality is a thing of the past."),
    _movie(949, "Heat", "Heat", "1995-12-15", "tt0113277", 54.1, [28, 80, 18, 53],
           "/umSVjVdbVwtx5ryCA2QXL44Durm.jpg", "/ysX4sWcWbVPLjIP1gQZlhzZrGvH.jpg",
           [("FR", "Heat - Le Film")], runtime=170,
           overview="A detective and a master thief circle each other across Los Angeles.",
           tagline="A Los Angeles crime saga."),
    _movie(9976, "Heat", "Heat", "1986-03-14", "tt0093164", 6.2, [28, 80, 53],
           "/heat1986poster.jpg", "/heat1986backdrop.jpg", [("DE", "Heat - Nick, der Killer")],
           runtime=101),
    _movie(841, "Dune", "Dune", "1984-12-14", "tt0087182", 31.7, [28, 878, 12],
           "/a3nDwAnKAl0jsSmsGaen6yV8KLE.jpg", "/lzNv6Qrb7Mc3e36iWCpHuT8TuvP.jpg",
           [("DE", "Der Wüstenplanet")], runtime=137, rating="PG-13"),
    _movie(438631, "Dune", "Dune", "2021-09-15", "tt1160419", 160.9, [878, 12],
           "/d5NXSklXo0qyIYkgV94XAgMIckC.jpg", "/jYEW5xZkZk2WTrdbMGAPFuBqbDc.jpg",
           [("US", "Dune: Part One")], runtime=155, rating="PG-13"),
    _movie(194, "Amélie", "Le Fabuleux Destin d'Amélie Poulain", "2001-04-25", "tt0211915",
           18.0, [35, 10749], "/tDOzV7CeC1PplhmNTxbTq4uCxt6.jpg",
           "/nxhfenC1jb5EcTI5GYxqnjYZMId.jpg",
           [("US", "Amelie from Montmartre"), ("DE", "Die fabelhafte Welt der Amélie")],
           language="fr", runtime=122,
           localized={"fr": "Le Fabuleux Destin d'Amélie Poulain"}),
    *EXTRA_MOVIES,
)}

_OFFICE_US_1 = ["Pilot", "Diversity Day", "Health Care", "The Alliance", "Basketball", "Hot Girl"]
_OFFICE_US_2 = ["The Dundies", "Sexual Harassment", "Office Olympics", "The Fire", "Halloween",
                "The Fight", "The Client", "Performance Review", "Email Surveillance",
                "Christmas Party", "Booze Cruise", "The Injury", "The Secret", "The Carpet",
                "Boys and Girls", "Valentine's Day", "Dwight's Speech",
                "Take Your Daughter to Work Day", "Michael's Birthday", "Drug Testing",
                "Conflict Resolution", "Casino Night"]
_OFFICE_UK_0 = ["Christmas Special (1)", "Christmas Special (2)"]
_OFFICE_UK_1 = ["Downsize", "Work Experience", "The Quiz", "Training", "New Girl", "Judgement"]
_OFFICE_UK_2 = ["Merger", "Appraisals", "Party", "Motivation", "Charity", "Interview"]
_FRIEREN_1 = [
    "The Journey's End", "It Didn't Have to Be Magic...", "Killing Magic",
    "The Land Where Souls Rest", "Phantoms of the Dead", "The Hero of the Village",
    "Like a Fairy Tale", "Frieren the Slayer", "Aura the Guillotine", "A Powerful Mage",
    "Winter in the Northern Lands", "A Real Hero", "Aversion Between Same-Species",
    "Privilege of the Young", "Smells Like Trouble", "Long-Lived Friends", "Take Care",
    "First-Class Mage Exam", "Well-Laid Plans", "Necessary Killing", "The World of Magic",
    "Future Enemies", "Conquering the Labyrinth", "Perfect Replicas",
    "A Fatal Vulnerability", "The Height of Magic", "An Era of Humans",
    "It Would Be Embarrassing When We Met Again",
]


def _show(id: int, name: str, original: str, date: str, tvdb: int, imdb: str, popularity: float,
          country: str, language: str, seasons: dict[int, tuple[str, str, list[str]]],
          alt: list[tuple[str, str]]) -> dict[str, Any]:
    return {"id": id, "name": name, "original_name": original, "first_air_date": date,
            "tvdb_id": tvdb, "imdb_id": imdb, "popularity": popularity,
            "origin_country": [country], "original_language": language,
            "poster_path": f"/tv{id}poster.jpg", "backdrop_path": f"/tv{id}backdrop.jpg",
            "seasons": seasons, "alternative_titles": alt}


TV: Final[dict[int, dict[str, Any]]] = {s["id"]: s for s in (
    _show(2316, "The Office", "The Office", "2005-03-24", 73244, "tt0386676", 210.4, "US", "en",
          {1: ("Season 1", "2005-03-24", _OFFICE_US_1),
           2: ("Season 2", "2005-09-20", _OFFICE_US_2)},
          [("US", "The Office (US)")]),
    _show(2996, "The Office", "The Office", "2001-07-09", 78107, "tt0290978", 40.2, "GB", "en",
          {0: ("Specials", "2003-12-26", _OFFICE_UK_0),
           1: ("Series 1", "2001-07-09", _OFFICE_UK_1),
           2: ("Series 2", "2002-09-30", _OFFICE_UK_2)},
          [("GB", "The Office (UK)")]),
    _show(209867, "Frieren: Beyond Journey's End", "葬送のフリーレン", "2023-09-29", 424536,
          "tt22248376", 150.7, "JP", "ja",
          {1: ("Season 1", "2023-09-29", _FRIEREN_1)},
          [("JP", "Sousou no Frieren"), ("US", "Frieren")]),
    *EXTRA_TV,
)}


def _json(status: int, body: Any) -> tuple[int, dict[str, str], bytes]:
    return json_response(body, status)


def _authorised(query: Mapping[str, list[str]], headers: Mapping[str, str]) -> bool:
    if first(query, "api_key") == API_KEY:
        return True
    auth = next((v for k, v in headers.items() if k.lower() == "authorization"), "")
    return auth == f"Bearer {BEARER_TOKEN}"


def _lang(query: Mapping[str, list[str]]) -> str:
    return (first(query, "language") or "en-US").split("-")[0].lower()


def _movie_title(m: dict[str, Any], lang: str) -> str:
    return str(m["localized"].get(lang, m["title"]))


def _matches(q: str, *names: str) -> bool:
    # TMDB finds "Oceans Eleven" for "Ocean's Eleven": an apostrophe joins, it doesn't split.
    for way in (fold, lambda text: fold(re.sub(r"['’]", "", text))):
        folded = way(q)
        if folded and any(folded in way(n) for n in names):
            return True
    return False


def _page(results: list[dict[str, Any]], query: Mapping[str, list[str]]) -> dict[str, Any]:
    page = int(first(query, "page") or "1")
    chunk = results[(page - 1) * 20: page * 20]
    return {"page": page, "results": chunk, "total_pages": max(1, -(-len(results) // 20)),
            "total_results": len(results)}


def _search_movie(query: Mapping[str, list[str]]) -> dict[str, Any]:
    q, lang = first(query, "query") or "", _lang(query)
    year = first(query, "year") or first(query, "primary_release_year")
    found = []
    for m in MOVIES.values():
        names = [m["title"], m["original_title"], *m["localized"].values(),
                 *(t for _, t in m["alternative_titles"])]
        if not _matches(q, *names) or (year and not m["release_date"].startswith(year)):
            continue
        found.append({
            "adult": False, "backdrop_path": m["backdrop_path"], "genre_ids": m["genre_ids"],
            "id": m["id"], "original_language": m["original_language"],
            "original_title": m["original_title"], "overview": "",
            "popularity": m["popularity"], "poster_path": m["poster_path"],
            "release_date": m["release_date"], "title": _movie_title(m, lang),
            "video": False, "vote_average": 7.5, "vote_count": 1000,
        })
    found.sort(key=lambda r: -r["popularity"])
    return _page(found, query)


def _search_tv(query: Mapping[str, list[str]]) -> dict[str, Any]:
    q = first(query, "query") or ""
    year = first(query, "first_air_date_year")
    found = []
    for s in TV.values():
        names = [s["name"], s["original_name"], *(t for _, t in s["alternative_titles"])]
        if not _matches(q, *names) or (year and not s["first_air_date"].startswith(year)):
            continue
        found.append({
            "adult": False, "backdrop_path": s["backdrop_path"], "genre_ids": [35],
            "id": s["id"], "origin_country": s["origin_country"],
            "original_language": s["original_language"], "original_name": s["original_name"],
            "overview": "", "popularity": s["popularity"], "poster_path": s["poster_path"],
            "first_air_date": s["first_air_date"], "name": s["name"],
            "vote_average": 8.5, "vote_count": 500,
        })
    found.sort(key=lambda r: -r["popularity"])
    return _page(found, query)


def _appended(query: Mapping[str, list[str]]) -> set[str]:
    return {p.strip() for p in (first(query, "append_to_response") or "").split(",") if p.strip()}


def _movie_details(m: dict[str, Any], query: Mapping[str, list[str]]) -> dict[str, Any]:
    body: dict[str, Any] = {
        "adult": False, "backdrop_path": m["backdrop_path"], "belongs_to_collection": None,
        "budget": 0, "genres": [{"id": g, "name": GENRES[g]} for g in m["genre_ids"]],
        "homepage": "", "id": m["id"], "imdb_id": m["imdb_id"],
        "original_language": m["original_language"], "original_title": m["original_title"],
        "overview": m["overview"], "popularity": m["popularity"],
        "poster_path": m["poster_path"], "release_date": m["release_date"],
        "runtime": m["runtime"], "status": "Released", "tagline": m["tagline"],
        "title": _movie_title(m, _lang(query)), "video": False,
        "vote_average": 7.5, "vote_count": 1000,
    }
    extra = _appended(query)
    if "external_ids" in extra:
        body["external_ids"] = {"id": m["id"], "imdb_id": m["imdb_id"], "wikidata_id": None,
                                "facebook_id": None, "instagram_id": None, "twitter_id": None}
    if "alternative_titles" in extra:
        body["alternative_titles"] = {"titles": [
            {"iso_3166_1": country, "title": title, "type": ""}
            for country, title in m["alternative_titles"]]}
    if "release_dates" in extra:
        body["release_dates"] = {"results": [
            {"iso_3166_1": "FR", "release_dates": [
                {"certification": "12", "iso_639_1": "", "note": "", "type": 3,
                 "release_date": m["release_date"] + "T00:00:00.000Z"}]},
            {"iso_3166_1": "US", "release_dates": [
                {"certification": "", "iso_639_1": "", "note": "Premiere", "type": 1,
                 "release_date": m["release_date"] + "T00:00:00.000Z"},
                {"certification": m["rating"], "iso_639_1": "", "note": "", "type": 3,
                 "release_date": m["release_date"] + "T00:00:00.000Z"}]}]}
    return body


def _season_summary(s: dict[str, Any], n: int) -> dict[str, Any]:
    name, air_date, episodes = s["seasons"][n]
    return {"air_date": air_date, "episode_count": len(episodes), "id": s["id"] * 100 + n,
            "name": name, "overview": "", "poster_path": f"/tv{s['id']}s{n}.jpg",
            "season_number": n, "vote_average": 0}


def _tv_details(s: dict[str, Any], query: Mapping[str, list[str]]) -> dict[str, Any]:
    seasons = [_season_summary(s, n) for n in sorted(s["seasons"])]
    body: dict[str, Any] = {
        "adult": False, "backdrop_path": s["backdrop_path"], "first_air_date": s["first_air_date"],
        "genres": [{"id": 35, "name": "Comedy"}], "id": s["id"], "name": s["name"],
        "number_of_episodes": sum(x["episode_count"] for x in seasons if x["season_number"]),
        "number_of_seasons": sum(1 for x in seasons if x["season_number"]),
        "origin_country": s["origin_country"], "original_language": s["original_language"],
        "original_name": s["original_name"], "overview": "", "popularity": s["popularity"],
        "poster_path": s["poster_path"], "seasons": seasons, "status": "Ended",
        "episode_run_time": [22],
        "type": "Scripted", "vote_average": 8.5, "vote_count": 500,
    }
    extra = _appended(query)
    if "external_ids" in extra:
        body["external_ids"] = {
            "id": s["id"], "imdb_id": s["imdb_id"], "freebase_mid": None, "freebase_id": None,
            "tvdb_id": s["tvdb_id"], "tvrage_id": None, "wikidata_id": None,
            "facebook_id": None, "instagram_id": None, "twitter_id": None}
    if "alternative_titles" in extra:
        body["alternative_titles"] = {"id": s["id"], "results": [
            {"iso_3166_1": country, "title": title, "type": ""}
            for country, title in s["alternative_titles"]]}
    if "content_ratings" in extra:
        body["content_ratings"] = {"id": s["id"], "results": [
            {"descriptors": [], "iso_3166_1": s["origin_country"][0], "rating": "TV-14"}]}
    return body


def _season(s: dict[str, Any], n: int) -> dict[str, Any]:
    name, air_date, titles = s["seasons"][n]
    episodes = [{
        "air_date": air_date, "episode_number": i, "episode_type": "standard",
        "id": s["id"] * 10000 + n * 100 + i, "name": title, "overview": "",
        "production_code": "", "runtime": 24, "season_number": n, "show_id": s["id"],
        "still_path": None, "vote_average": 0, "vote_count": 0, "crew": [], "guest_stars": [],
    } for i, title in enumerate(titles, start=1)]
    return {"_id": f"{s['id']:024x}"[-24:], "air_date": air_date, "episodes": episodes,
            "name": name, "overview": "", "id": s["id"] * 100 + n,
            "poster_path": f"/tv{s['id']}s{n}.jpg", "season_number": n, "vote_average": 0}


# The smallest JPEG a decoder accepts (SOI, a 1x1 grey frame, EOI), made once.
TINY_JPEG: Final = bytes.fromhex(
    "ffd8ffe000104a46494600010100000100010000ffdb004300080606070605080707070909080a0c140d0c0b"
    "0b0c1912130f141d1a1f1e1d1a1c1c20242e2720222c231c1c2837292c30313434341f27393d38323c2e33"
    "3432ffc0000b080001000101011100ffc4001f0000010501010101010100000000000000000102030405060708"
    "090a0bffc400b5100002010303020403050504040000017d01020300041105122131410613516107227114"
    "328191a1082342b1c11552d1f02433627282090a161718191a25262728292a3435363738393a4344454647"
    "48494a535455565758595a636465666768696a737475767778797a838485868788898a92939495969798999a"
    "a2a3a4a5a6a7a8a9aab2b3b4b5b6b7b8b9bac2c3c4c5c6c7c8c9cad2d3d4d5d6d7d8d9dae1e2e3e4e5e6e7e8"
    "e9eaf1f2f3f4f5f6f7f8f9faffda0008010100003f00fbd3ffd9")


def images(path: str, query: Mapping[str, list[str]],
           headers: Mapping[str, str]) -> tuple[int, dict[str, str], bytes]:
    """``/images/<size>/<file>``: every known poster or backdrop, as a tiny JPEG."""
    parts = path.strip("/").split("/")
    known = {*(m["poster_path"] for m in MOVIES.values()),
             *(m["backdrop_path"] for m in MOVIES.values()),
             *(s[k] for s in TV.values() for k in ("poster_path", "backdrop_path")),
             *(f"/tv{s['id']}s{n}.jpg" for s in TV.values() for n in s["seasons"])}
    if len(parts) == 2 and "/" + parts[1] in known:
        return 200, {"Content-Type": "image/jpeg"}, TINY_JPEG
    return 404, {"Content-Type": "text/html"}, b"<html><body>Not found</body></html>"


_MOVIE = re.compile(r"/movie/(\d+)")
_TV = re.compile(r"/tv/(\d+)")
_SEASON = re.compile(r"/tv/(\d+)/season/(\d+)")


def handle(path: str, query: Mapping[str, list[str]],
           headers: Mapping[str, str]) -> tuple[int, dict[str, str], bytes]:
    """Answer one GET like api.themoviedb.org/3 would."""
    if not _authorised(query, headers):
        return _json(401, _UNAUTHORIZED)
    path = path.split("?", 1)[0].rstrip("/")
    if path.startswith("/3/"):
        path = path[2:]
    if path == "/search/movie":
        return _json(200, _search_movie(query))
    if path == "/search/tv":
        return _json(200, _search_tv(query))
    if (m := _MOVIE.fullmatch(path)) and int(m[1]) in MOVIES:
        return _json(200, _movie_details(MOVIES[int(m[1])], query))
    if (m := _TV.fullmatch(path)) and int(m[1]) in TV:
        return _json(200, _tv_details(TV[int(m[1])], query))
    if ((m := _SEASON.fullmatch(path)) and int(m[1]) in TV
            and int(m[2]) in TV[int(m[1])]["seasons"]):
        return _json(200, _season(TV[int(m[1])], int(m[2])))
    return _json(404, _NOT_FOUND)
