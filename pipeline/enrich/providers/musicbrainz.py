"""MusicBrainz (web service ws/2): albums as releases.

``lookup`` searches ``/release/`` with a Lucene query,
``release:"<title>" AND artist:"<artist>"`` (the artist part only when the
work has one), every Lucene special character escaped, ``fmt=json``,
``limit=8``. Candidates carry the release MBID as ``id``, the credited
artist (``artist-credit`` names joined with their join phrases), the
track count, ids ``musicbrainz_release``/``musicbrainz_release_group``/
``musicbrainz_artist`` (the first credited artist) and ``score / 100`` as
popularity.

``details`` GETs ``/release/{mbid}?inc=recordings+release-groups+artist-credits``
(``inc`` passed space-separated, which URL-encodes to those ``+``) and
completes the track count (counted over every medium) and the ids.

MusicBrainz refuses clients without a meaningful User-Agent: the client
sends it, not this module.
"""

from __future__ import annotations

import re
from typing import Any, Final
from urllib.parse import quote

import msgspec

from pipeline.core.errors import LookupFailed
from pipeline.core.records import Work
from pipeline.enrich.providers.base import Candidate, JsonClient

__all__ = ["MAX_CANDIDATES", "PROVIDER", "MusicBrainz", "artist_credit", "lucene_escape",
           "search_query"]

MAX_CANDIDATES: Final = 8

# + - && || ! ( ) { } [ ] ^ " ~ * ? : \ /  — escaped one character at a time
# (escaping each & and | also covers && and ||).
_SPECIAL: Final = re.compile(r'([+\-&|!(){}\[\]^"~*?:\\/])')


def lucene_escape(text: str) -> str:
    """``Kid A: "Live"`` → ``Kid A\\: \\"Live\\"``: safe inside a Lucene phrase or term."""
    return _SPECIAL.sub(r"\\\1", text)


def search_query(title: str, artist: str | None = None) -> str:
    """The Lucene query for a release title (and artist, when known)."""
    query = f'release:"{lucene_escape(title)}"'
    if artist and artist.strip():
        query += f' AND artist:"{lucene_escape(artist)}"'
    return query


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def _year(date: Any) -> int | None:
    if isinstance(date, str) and len(date) >= 4 and date[:4].isdigit():
        return int(date[:4])
    return None


def artist_credit(credits: Any) -> tuple[str | None, str | None]:
    """``artist-credit`` → (display name with join phrases, first artist's MBID)."""
    if not isinstance(credits, list):
        return None, None
    parts: list[str] = []
    first_id: str | None = None
    for credit in credits:
        if not isinstance(credit, dict):
            continue
        found = credit.get("artist")
        artist: dict[str, Any] = found if isinstance(found, dict) else {}
        name = _text(credit.get("name")) or _text(artist.get("name"))
        if name is None:
            continue
        parts.append(name + (credit.get("joinphrase") or ""))
        if first_id is None:
            first_id = _text(artist.get("id"))
    name = "".join(parts).strip()
    return (name or None), first_id


def _track_count(release: dict[str, Any]) -> int | None:
    """Tracks over every medium; the search's top-level ``track-count`` as a fallback."""
    media = release.get("media")
    total, seen = 0, False
    for medium in media if isinstance(media, list) else []:
        if not isinstance(medium, dict):
            continue
        count = medium.get("track-count")
        if not isinstance(count, int):
            tracks = medium.get("tracks")
            count = len(tracks) if isinstance(tracks, list) else None
        if isinstance(count, int):
            total, seen = total + count, True
    if seen:
        return total
    count = release.get("track-count")
    return count if isinstance(count, int) else None


def _ids(release: dict[str, Any], artist_id: str | None) -> dict[str, str]:
    ids = {"musicbrainz_release": str(release["id"])}
    group = release.get("release-group")
    if isinstance(group, dict) and _text(group.get("id")):
        ids["musicbrainz_release_group"] = group["id"]
    if artist_id:
        ids["musicbrainz_artist"] = artist_id
    return ids


class MusicBrainz:
    name = "musicbrainz"
    kinds = frozenset({"album"})

    def lookup(self, client: JsonClient, work: Work) -> list[Candidate]:
        if work.kind not in self.kinds or not work.title.strip():
            return []
        params = {"query": search_query(work.title, work.artist), "fmt": "json",
                  "limit": str(MAX_CANDIDATES)}
        data = client.get_json("/release/", params)
        if data is None:
            return []
        releases = data.get("releases") if isinstance(data, dict) else None
        if not isinstance(releases, list):
            raise LookupFailed("musicbrainz: release search without a releases list")
        candidates = []
        for release in releases[:MAX_CANDIDATES]:
            if not isinstance(release, dict) or not _text(release.get("id")):
                continue
            artist, artist_id = artist_credit(release.get("artist-credit"))
            score = release.get("score")
            candidates.append(Candidate(
                provider=self.name,
                id=release["id"],
                title=_text(release.get("title")) or "",
                kind="album",
                year=_year(release.get("date")),
                popularity=(score / 100 if isinstance(score, int | float)
                            and not isinstance(score, bool) else None),
                ids=_ids(release, artist_id),
                artist=artist,
                track_count=_track_count(release),
            ))
        return candidates

    def details(self, client: JsonClient, candidate: Candidate, work: Work) -> Candidate:
        mbid = candidate.ids.get("musicbrainz_release") or candidate.id
        release = client.get_json(
            f"/release/{quote(mbid, safe='')}",
            {"inc": "recordings release-groups artist-credits", "fmt": "json"},
        )
        if release is None:
            raise LookupFailed(f"musicbrainz: release {mbid} not found")
        if not isinstance(release, dict) or not _text(release.get("id")):
            raise LookupFailed(f"musicbrainz: release {mbid}: malformed answer")
        artist, artist_id = artist_credit(release.get("artist-credit"))
        return msgspec.structs.replace(
            candidate,
            title=_text(release.get("title")) or candidate.title,
            year=_year(release.get("date")) or candidate.year,
            artist=artist or candidate.artist,
            track_count=_track_count(release) or candidate.track_count,
            ids={**candidate.ids, **_ids(release, artist_id)},
        )


PROVIDER = MusicBrainz()
