"""How Jellyfin reads music, book and audiobook names: disc folders, book titles, chapters.

Pure functions, written from the behaviour Jellyfin's naming tests pin down
(Emby.Naming.Audio's album parser, Emby.Naming.Book's file name parser,
Emby.Naming.AudioBook's name and chapter parsers); jforg's own code.

Jellyfin takes a track's artist, album and title from its tags; the folder
reading here is what it falls back to and what it groups albums by: an
album folder, optionally split into disc folders (``Disc 2``, ``CD1``,
``vol 3``), holding ``NN - Title`` files.
"""

from __future__ import annotations

import re
from typing import Final, NamedTuple

__all__ = [
    "BookName",
    "Chapter",
    "TrackName",
    "audiobook_chapter",
    "audiobook_name",
    "book_name",
    "disc_of_folder",
    "is_part_folder",
    "strip_year",
    "track_name",
]

_DISC_PREFIXES: Final = ("digital media", "volume", "disc", "disk", "vol", "cd")


def disc_of_folder(name: str) -> int | None:
    """The disc number a folder stands for (``Disc 2``, ``cd1``, ``disk - 3``, ``vol7``,
    ``Disc 04 (Encores)``); None when the folder is not a disc of an album."""
    lowered = name.strip().casefold()
    for prefix in _DISC_PREFIXES:
        if not lowered.startswith(prefix):
            continue
        rest = lowered[len(prefix):].strip().lstrip("-").strip()
        rest = rest.split("(", 1)[0].strip()
        if rest.isdigit():
            return int(rest)
    return None


_YEAR_IN_PARENS: Final = re.compile(r"^(?P<name>.+?)\s*\(\s*(?P<year>\d{4})\s*\)\s*$")


def strip_year(name: str) -> tuple[str, int | None]:
    """``Album (1999)`` -> (``Album``, 1999); other names unchanged, without a year."""
    match = _YEAR_IN_PARENS.match(name)
    if match is None:
        return name.strip(), None
    return match.group("name"), int(match.group("year"))


class TrackName(NamedTuple):
    track: int | None
    title: str


_TRACK: Final = re.compile(r"^\s*(?P<n>\d{1,3})\s*(?:[-._]\s*|\s+)(?P<title>\S.*)$")


def track_name(stem: str) -> TrackName:
    """``01 - Title`` / ``01. Title`` / ``01 Title`` -> (1, ``Title``); else (None, stem)."""
    match = _TRACK.match(stem)
    if match is None:
        return TrackName(None, stem.strip())
    return TrackName(int(match.group("n")), match.group("title").strip())


class BookName(NamedTuple):
    name: str | None
    series: str | None
    number: int | None  # the index in its series, or a comic's issue
    year: int | None
    volume: int | None = None


_BOOK_PATTERNS: Final = (
    # Series (1887) #1 (of 4) (1887)
    ("series", re.compile(
        r"^(?P<series>.+?)(?:\s\((?P<series_year>\d{4})\))?\s#(?P<index>\d+)"
        r"(?:\s\(of\s\d+\))?(?:\s\((?P<year>\d{4})\))?$")),
    # Name (Series, #1) (1887)
    ("named", re.compile(
        r"^(?P<name>.+?)\s\((?P<series>.+?),\s#(?P<index>\d+)\)(?:\s\((?P<year>\d{4})\))?$")),
    # 2 - Name (1890), 2.0 - Name
    ("indexed", re.compile(
        r"^(?P<index>\d+)(?:\.0)?\s-\s(?P<name>.+?)(?:\s\((?P<year>\d{4})\))?$")),
    # Name (1890)
    ("plain", re.compile(r"^(?P<name>.+?)\s\((?P<year>\d{4})\)$")),
)
_COMIC: Final = re.compile(r"^(?P<name>.+?)(?:\s\((?P<year>\d{4})\))?$")
_VOLUME: Final = re.compile(r"\sv(\d+)\b", re.I)
_ISSUE: Final = re.compile(r"\sc(\d+)\b", re.I)


def _int(text: str | None) -> int | None:
    return int(text) if text else None


def book_name(stem: str) -> BookName:
    """What a book's file (or folder) name says: title, series, index, year (and a comic's
    volume: ``Name v01 c120 (1941)`` keeps its numbers in the name)."""
    volume, issue = _VOLUME.search(stem), _ISSUE.search(stem)
    comic = _COMIC.match(stem)
    if comic is not None and (volume or issue):
        return BookName(comic.group("name"), None, int(issue.group(1)) if issue else None,
                        _int(comic.group("year")), int(volume.group(1)) if volume else None)
    for kind, pattern in _BOOK_PATTERNS:
        match = pattern.match(stem)
        if match is None:
            continue
        groups = match.groupdict()
        if kind == "series":
            return BookName(None, groups["series"], _int(groups["index"]), _int(groups["year"]))
        return BookName(groups["name"], groups.get("series"), _int(groups.get("index")),
                        _int(groups.get("year")))
    return BookName(stem, None, None, None)


def audiobook_name(name: str) -> tuple[str, int | None]:
    """An audiobook's title and year from its folder (or single file) name:
    ``Title (2020)``, ``Title( 2021 )``; anything else is the title, trimmed."""
    match = _YEAR_IN_PARENS.match(name)
    if match is not None:
        return match.group("name"), int(match.group("year"))
    stripped = name.strip()
    return (stripped if stripped else name), None


class Chapter(NamedTuple):
    part: int | None
    chapter: int | None


_CHAPTER_RULES: Final = (
    re.compile(r"ch(?:apter)?[\s_-]?(?P<chapter>\d+)", re.I),
    re.compile(r"p(?:ar)?t[\s_-]?(?P<part>\d+)", re.I),
    re.compile(r"^(?P<chapter>\d+)"),
    re.compile(r"(?<!ch )(?<!chapter )(?<!\d)(?P<part>\d+)$", re.I),
    re.compile(r"(?P<chapter>\d+)_(?P<part>\d+)"),
    re.compile(r"dis[ck][\s_-]?(?P<chapter>\d+)", re.I),
)
_PART_FOLDER: Final = re.compile(r"^\s*p(?:ar)?t[\s_-]?(?P<part>\d+)\s*$", re.I)


def is_part_folder(name: str) -> bool:
    """``Part 2``, ``pt03``: a level that splits one book, not a book of its own."""
    return _PART_FOLDER.match(name) is not None


def audiobook_chapter(stem: str, folder: str | None = None) -> Chapter:
    """Part and chapter of an audiobook file (``Part 3 - Chapter 2``, ``ch01``); a
    ``Part N`` folder gives the part when the name does not."""
    part = chapter = None
    for rule in _CHAPTER_RULES:
        match = rule.search(stem)
        if match is None:
            continue
        groups = match.groupdict()
        if chapter is None and groups.get("chapter"):
            chapter = int(groups["chapter"])
        if part is None and groups.get("part"):
            part = int(groups["part"])
    if part is None and folder is not None:
        match = _PART_FOLDER.match(folder)
        if match is not None:
            part = int(match.group("part"))
    return Chapter(part, chapter)
