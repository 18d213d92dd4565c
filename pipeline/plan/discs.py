"""Disc rips: a folder holding ``BDMV/`` or ``VIDEO_TS/`` is one movie, moved whole.

Every file below the disc folder — streams, index and clip files
(``.bdmv``, ``.clpi``, ``.mpls``, ``.IFO``, ``.BUP``), menus' images, the
``BACKUP`` copy — and the disc's companions beside it (``CERTIFICATE/``,
``AUDIO_TS/``) keep their names and places below ``Movies/Title (Year)/``.
A disc label folder holding the disc (``Heat (1995)/Disc 1/VIDEO_TS/``) stays
part of the unit: Jellyfin stacks such discs as one movie.

All files of one disc share one identity, chosen in the plan's first pass by
``DiscCollector``: the parse (or accepted enrich match) of the disc's main
stream — the largest video outside ``BACKUP``, a movie parse with a year
preferred — and, when no match names it, a holding folder already named the
Jellyfin way (``Title (Year)``) as written. A disc with no parsed video is
named from its holding folder alone.

Paths here are wire paths (``core.paths``): split on "/" only, never decoded.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import msgspec

from pipeline.core.paths import from_wire
from pipeline.core.records import EnrichRecord, Parse, ProbeRecord
from pipeline.plan.folders import disc_label, nfc, split_year, strip_tags

__all__ = ["DiscCollector", "DiscMovie", "DiscPlace", "disc_place", "folder_movie"]

_DISC_DIRS = frozenset({"bdmv", "video_ts"})
_COMPANIONS = frozenset({"certificate", "audio_ts"})
_HINT = re.compile(r"/(?:bdmv|video_ts|certificate|audio_ts)/", re.IGNORECASE)
_JELLYFIN_FOLDER = re.compile(r"^(.+?) \(((?:1[89]|20)\d\d)\)(?: \[[a-z]+id-[^\]]+\])*$")
_RELEASE_YEAR = re.compile(r"^(.+?)[\s.(\[_-]+((?:19|20)\d\d)(?:$|[\s.)\]_-])")

Identify = Callable[[ProbeRecord], tuple[Parse | None, EnrichRecord | None, str | None]]


class DiscPlace(msgspec.Struct, frozen=True):
    """Where a file sits in a disc rip: the movie's folder and the path kept below it."""

    holder: str  # wire path of the folder that is the movie
    inner: list[str]  # wire components from the disc (or its label) down to the file


class DiscMovie(msgspec.Struct, frozen=True):
    """The one identity every file of a disc is named from."""

    title: str
    year: int | None = None
    tmdb: str | None = None
    imdb: str | None = None


def disc_place(path: str, holders: frozenset[str] | dict[str, DiscMovie] = frozenset()
               ) -> DiscPlace | None:
    """The disc structure ``path`` (wire) lies in, or None.

    Companion folders (``CERTIFICATE``, ``AUDIO_TS``) count only beside a
    disc folder the first pass saw (``holders``).
    """
    if _HINT.search(path) is None:
        return None
    parts = path.split("/")
    for index in range(1, len(parts) - 1):  # folders only, never the file itself
        name = parts[index].casefold()
        companion = name in _COMPANIONS and "/".join(parts[:index]) in holders
        if name in _DISC_DIRS or companion:
            start = index
            if index >= 2 and disc_label(nfc(parts[index - 1])) is not None and \
                    "/".join(parts[:index - 1]) not in ("", "/"):
                start = index - 1  # Movie/Disc 1/VIDEO_TS: the label moves with its disc
            holder = "/".join(parts[:start])
            if holder in ("", "/"):
                return None
            return DiscPlace(holder, parts[start:])
    return None


def folder_movie(holder: str) -> DiscMovie:
    """The identity a holding folder's own name gives (``Title (Year)``, a release name)."""
    name = nfc(from_wire(holder).rsplit("/", 1)[-1])
    if match := _JELLYFIN_FOLDER.match(name):
        return DiscMovie(match.group(1), int(match.group(2)))
    text = name if " " in name else name.replace(".", " ").replace("_", " ")
    title, year = split_year(text)
    title = strip_tags(title)
    if year is None and (match := _RELEASE_YEAR.match(text)):
        title, year = match.group(1), int(match.group(2))
    return DiscMovie(" ".join(title.split()) or name, year)


class DiscCollector:
    """The plan's first pass over disc files: one identity per disc."""

    def __init__(self, identify: Identify) -> None:
        self._identify = identify
        self._best: dict[str, tuple[tuple[bool, bool, bool, int], DiscMovie, bool] | None] = {}

    def see(self, record: ProbeRecord) -> None:
        """Note ``record`` if it lies in a disc rip (cheap for every other file)."""
        place = disc_place(record.path)
        if place is None:
            return
        self._best.setdefault(place.holder, None)
        if record.scan.cls != "video":
            return
        parse, match, review = self._identify(record)
        if parse is None or not parse.title or review is not None:
            return
        inner = [part.casefold() for part in place.inner]
        rank = ("backup" not in inner, parse.type == "movie", parse.year is not None,
                record.scan.size or 0)
        best = self._best[place.holder]
        if best is not None and best[0] >= rank:
            return
        usable = match if parse.type == "movie" else None
        ids = usable.ids if usable is not None else {}
        movie = DiscMovie(parse.title, parse.year, ids.get("tmdb"), ids.get("imdb"))
        self._best[place.holder] = (rank, movie, usable is not None)

    def found(self) -> dict[str, DiscMovie]:
        """Holder (wire path) -> the identity all its disc files are named from."""
        out: dict[str, DiscMovie] = {}
        for holder, best in self._best.items():
            named = folder_movie(holder)
            if best is None:
                out[holder] = named
                continue
            _, movie, matched = best
            if not matched and _JELLYFIN_FOLDER.match(
                    nfc(from_wire(holder).rsplit("/", 1)[-1])):
                movie = msgspec.structs.replace(movie, title=named.title, year=named.year)
            out[holder] = movie
        return out
