"""A fake MusicBrainz web service (ws/2) for tests, answering in its real JSON shapes.

``handle(path, query, headers) -> (status, headers, body)``; ``path`` may
carry the ``/ws/2`` prefix or not, ``query`` is ``parse_qs`` output.

- A ``User-Agent`` without ``jforg/`` → 403 (MusicBrainz blocks anonymous agents).
- ``/release/?query=<lucene>&fmt=json&limit=&offset=``: the query is parsed
  like Lucene would (``field:"phrase"`` with backslash escapes, ``field:term``,
  ``AND``/``OR``/``&&``/``||`` all treated as AND, bare terms search titles);
  an unbalanced quote or a dangling escape → 400, as a broken query does on the
  real server. ``release``/``releaseaccent``/``title`` match the release title,
  ``artist``/``artistname`` any credited artist or the whole credit.
  ``QUERIES`` records every parsed query (field → text) for tests.
- ``/release/{mbid}?inc=recordings+release-groups+artist-credits&fmt=json``:
  the release with media and tracks; a malformed MBID → 400
  ``{"error": "Invalid mbid."}``, an unknown one → 404 ``{"error": "Not Found"…}``.

Catalogue (MBIDs of Radiohead, Miles Davis, Queen and the OK Computer release
group are MusicBrainz's; every ``00000000-…`` MBID is made up):

    Kind of Blue   Miles Davis   1959-08-17 US  5 tracks  release …0101, group …0201
    OK Computer    Radiohead     1997-05-21 GB 12 tracks  release …0102  group b1392450-…
    OK Computer    Radiohead     1997-07-01 US 12 tracks  release …0103  (same group)
    Greatest Hits  Queen         1981-11-02 GB 17 tracks  release …0104, group …0204
    Greatest Hits  Marvin Gaye & Tammi Terrell  1970 US 12 tracks  release …0105, group …0205
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Final

from tests.fake_server import first, fold, json_response

__all__ = ["ARTISTS", "QUERIES", "RELEASES", "USER_AGENT_MARK", "QuerySyntaxError", "handle",
           "parse_query"]

USER_AGENT_MARK: Final = "jforg/"

_HELP: Final = "For usage, please see: https://musicbrainz.org/development/mmd"


def _fake(n: int) -> str:
    return f"00000000-0000-4000-8000-{n:012d}"


ARTISTS: Final[dict[str, dict[str, str]]] = {
    "miles": {"id": "561d854a-6a28-4aa7-8c99-323e6ce46c2a", "name": "Miles Davis",
              "sort-name": "Davis, Miles"},
    "radiohead": {"id": "a74b1b7f-71a5-4011-9441-d0b5e4122711", "name": "Radiohead",
                  "sort-name": "Radiohead"},
    "queen": {"id": "0383dadf-2a4e-4d10-a46a-e9e041da8eb3", "name": "Queen",
              "sort-name": "Queen"},
    "marvin": {"id": _fake(301), "name": "Marvin Gaye", "sort-name": "Gaye, Marvin"},
    "tammi": {"id": _fake(302), "name": "Tammi Terrell", "sort-name": "Terrell, Tammi"},
}

_OK_COMPUTER = [("Airbag", 284), ("Paranoid Android", 383),
                ("Subterranean Homesick Alien", 267), ("Exit Music (For a Film)", 264),
                ("Let Down", 299), ("Karma Police", 261), ("Fitter Happier", 117),
                ("Electioneering", 230), ("Climbing Up the Walls", 285), ("No Surprises", 229),
                ("Lucky", 259), ("The Tourist", 324)]


def _release(id: str, title: str, credit: list[tuple[str, str]], date: str, country: str,
             group: str, tracks: list[tuple[str, int]], barcode: str) -> dict[str, Any]:
    return {"id": id, "title": title, "credit": credit, "date": date, "country": country,
            "group": group, "tracks": tracks, "barcode": barcode}


RELEASES: Final[dict[str, dict[str, Any]]] = {r["id"]: r for r in (
    _release(_fake(101), "Kind of Blue", [("miles", "")], "1959-08-17", "US", _fake(201),
             [("So What", 562), ("Freddie Freeloader", 586), ("Blue in Green", 337),
              ("All Blues", 693), ("Flamenco Sketches", 566)], "074646493524"),
    _release(_fake(102), "OK Computer", [("radiohead", "")], "1997-05-21", "GB",
             "b1392450-e666-3926-a536-22c65f834433", _OK_COMPUTER, "724385522925"),
    _release(_fake(103), "OK Computer", [("radiohead", "")], "1997-07-01", "US",
             "b1392450-e666-3926-a536-22c65f834433", _OK_COMPUTER, "724385522925"),
    _release(_fake(104), "Greatest Hits", [("queen", "")], "1981-11-02", "GB", _fake(204),
             [("Bohemian Rhapsody", 358), ("Another One Bites the Dust", 215),
              ("Killer Queen", 181), ("Fat Bottomed Girls", 204), ("Bicycle Race", 182),
              ("You're My Best Friend", 172), ("Don't Stop Me Now", 211), ("Save Me", 229),
              ("Crazy Little Thing Called Love", 164), ("Somebody to Love", 297),
              ("Now I'm Here", 255), ("Good Old-Fashioned Lover Boy", 176),
              ("Play the Game", 213), ("Flash", 168), ("Seven Seas of Rhye", 170),
              ("We Will Rock You", 122), ("We Are the Champions", 179)], "077779995725"),
    _release(_fake(105), "Greatest Hits", [("marvin", " & "), ("tammi", "")], "1970", "US",
             _fake(205),
             [("Ain't No Mountain High Enough", 149), ("Your Precious Love", 183),
              ("Ain't Nothing Like the Real Thing", 136), ("You're All I Need to Get By", 170),
              ("If I Could Build My Whole World Around You", 142),
              ("Good Lovin' Ain't Easy to Come By", 138), ("Keep On Lovin' Me Honey", 146),
              ("Onion Song", 180), ("What You Gave Me", 167), ("If This World Were Mine", 165),
              ("You Ain't Livin' Till You're Lovin'", 149), ("California Soul", 176)], ""),
)}

QUERIES: list[dict[str, str]] = []


class QuerySyntaxError(ValueError):
    pass


_TOKEN = re.compile(r"\s*(?:(AND|OR|&&|\|\|)(?=\s)|(?:([A-Za-z_-]+):)?(\"|[^\s\"]))")


def parse_query(query: str) -> dict[str, str]:
    """``release:"Kid A\\: \\"Live\\"" AND artist:Radiohead`` → {release: 'Kid A: "Live"', …}.

    Fields repeat into one space-joined text; bare terms go to "release".
    Raises QuerySyntaxError for an unterminated phrase or a dangling backslash.
    """
    fields: dict[str, list[str]] = {}
    i = 0
    while i < len(query):
        if query[i].isspace() or query[i] in "()":
            i += 1
            continue
        m = _TOKEN.match(query, i)
        if m is None:
            raise QuerySyntaxError(f"cannot parse at {i}")
        if m[1]:
            i = m.end()
            continue
        field = (m[2] or "release").lower()
        i = m.start(3)
        quoted = query[i] == '"'
        if quoted:
            i += 1
        text: list[str] = []
        while True:
            if i >= len(query):
                if quoted:
                    raise QuerySyntaxError("unterminated phrase")
                break
            c = query[i]
            if c == "\\":
                if i + 1 >= len(query):
                    raise QuerySyntaxError("dangling escape")
                text.append(query[i + 1])
                i += 2
                continue
            if quoted and c == '"':
                i += 1
                break
            if not quoted and (c.isspace() or c in '"():'):
                if c in {'"', ":"}:
                    raise QuerySyntaxError(f"unexpected {c!r} at {i}")
                break
            text.append(c)
            i += 1
        if quoted and i < len(query) and not query[i].isspace() and query[i] != ")":
            raise QuerySyntaxError(f"unexpected text after a phrase at {i}")
        fields.setdefault(field, []).append("".join(text))
    return {k: " ".join(v) for k, v in fields.items()}


def _json(status: int, body: Any) -> tuple[int, dict[str, str], bytes]:
    return json_response(body, status)


def _credit(r: dict[str, Any], full: bool) -> list[dict[str, Any]]:
    out = []
    for key, join in r["credit"]:
        a = ARTISTS[key]
        artist: dict[str, Any] = {"id": a["id"], "name": a["name"], "sort-name": a["sort-name"]}
        if full:
            artist |= {"disambiguation": "", "type": "Person", "type-id": None}
        entry: dict[str, Any] = {"name": a["name"], "artist": artist}
        if full or join:
            entry["joinphrase"] = join
        out.append(entry)
    return out


def _credit_name(r: dict[str, Any]) -> str:
    return "".join(ARTISTS[k]["name"] + j for k, j in r["credit"])


def _group(r: dict[str, Any], full: bool) -> dict[str, Any]:
    group: dict[str, Any] = {
        "id": r["group"], "type-id": "f529b476-6e62-324f-b0aa-1f3e33d313fc",
        "primary-type-id": "f529b476-6e62-324f-b0aa-1f3e33d313fc", "title": r["title"],
        "primary-type": "Album"}
    if full:
        group |= {"first-release-date": r["date"], "secondary-types": [],
                  "secondary-type-ids": [], "disambiguation": ""}
    return group


def _search(query: Mapping[str, list[str]]) -> tuple[int, dict[str, str], bytes]:
    raw = first(query, "query") or ""
    try:
        fields = parse_query(raw)
    except QuerySyntaxError as exc:
        return _json(400, {"error": f"Invalid query: {exc}", "help": _HELP})
    QUERIES.append(fields)
    title = next((fields[k] for k in ("release", "releaseaccent", "title") if k in fields), "")
    artist = next((fields[k] for k in ("artist", "artistname") if k in fields), "")
    found = []
    for r in RELEASES.values():
        if title and fold(title) not in fold(r["title"]):
            continue
        names = [_credit_name(r), *(ARTISTS[k]["name"] for k, _ in r["credit"])]
        if artist and not any(fold(artist) in fold(n) for n in names):
            continue
        score = 100 if fold(title) == fold(r["title"]) else 80
        found.append((score, r))
    found.sort(key=lambda sr: (-sr[0], sr[1]["date"]))
    limit = int(first(query, "limit") or "25")
    offset = int(first(query, "offset") or "0")
    releases = [{
        "id": r["id"], "score": score, "status-id": "4e304316-386d-3409-af2e-78857eec5cfe",
        "count": 1, "title": r["title"], "status": "Official",
        "text-representation": {"language": "eng", "script": "Latn"},
        "artist-credit": _credit(r, full=False), "release-group": _group(r, full=False),
        "date": r["date"], "country": r["country"],
        "release-events": [{"date": r["date"], "area": {"iso-3166-1-codes": [r["country"]]}}],
        "barcode": r["barcode"], "track-count": len(r["tracks"]),
        "media": [{"format": "CD", "disc-count": 1, "track-count": len(r["tracks"])}],
    } for score, r in found[offset:offset + limit]]
    return _json(200, {"created": "2024-01-01T00:00:00.000Z", "count": len(found),
                       "offset": offset, "releases": releases})


def _lookup(r: dict[str, Any], query: Mapping[str, list[str]]) -> dict[str, Any]:
    inc = set(re.split(r"[\s+]+", first(query, "inc") or ""))
    body: dict[str, Any] = {
        "id": r["id"], "title": r["title"], "status": "Official",
        "status-id": "4e304316-386d-3409-af2e-78857eec5cfe", "quality": "normal",
        "disambiguation": "", "packaging": None, "packaging-id": None,
        "text-representation": {"language": "eng", "script": "Latn"},
        "date": r["date"], "country": r["country"],
        "release-events": [{"date": r["date"], "area": {"iso-3166-1-codes": [r["country"]]}}],
        "barcode": r["barcode"], "asin": None,
        "cover-art-archive": {"artwork": False, "count": 0, "front": False, "back": False,
                              "darkened": False},
    }
    if "artist-credits" in inc:
        body["artist-credit"] = _credit(r, full=True)
    if "release-groups" in inc:
        body["release-group"] = _group(r, full=True)
    medium: dict[str, Any] = {"position": 1, "format": "CD",
                              "format-id": "9712d52a-4509-3d4b-a1a2-67c88c643e31", "title": "",
                              "track-count": len(r["tracks"]), "track-offset": 0}
    if "recordings" in inc:
        medium["tracks"] = [{
            "id": f"{r['id'][:-4]}{9000 + n:04d}", "number": str(n), "position": n,
            "title": title, "length": seconds * 1000,
            "recording": {"id": f"{r['id'][:-4]}{8000 + n:04d}", "title": title,
                          "length": seconds * 1000, "video": False, "disambiguation": ""},
        } for n, (title, seconds) in enumerate(r["tracks"], start=1)]
    body["media"] = [medium]
    return body


_MBID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def handle(path: str, query: Mapping[str, list[str]],
           headers: Mapping[str, str]) -> tuple[int, dict[str, str], bytes]:
    """Answer one GET like musicbrainz.org/ws/2 would."""
    agent = next((v for k, v in headers.items() if k.lower() == "user-agent"), "")
    if USER_AGENT_MARK not in agent:
        return _json(403, {"error": "Your requests are being blocked: set a meaningful "
                                    "User-Agent (see the MusicBrainz API rate limiting docs)."})
    path = path.split("?", 1)[0]
    if path.startswith("/ws/2/"):
        path = path[5:]
    if path.rstrip("/") == "/release":
        return _search(query)
    if path.startswith("/release/"):
        mbid = path[len("/release/"):].strip("/")
        if not _MBID.fullmatch(mbid):
            return _json(400, {"error": "Invalid mbid.", "help": _HELP})
        if mbid not in RELEASES:
            return _json(404, {"error": "Not Found", "help": _HELP})
        return _json(200, _lookup(RELEASES[mbid], query))
    return _json(404, {"error": "Not Found", "help": _HELP})
