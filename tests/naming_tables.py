"""The public naming tables in tests/data/, read once for every test that uses them.

``naming-examples.tsv``: movies, episodes and junk (relpath, kind, title, year,
season, episodes, note). ``naming-examples-releases.tsv``: the same columns,
for release names the way download managers meet them (air dates, hashed
names, stray numbers, leading junk, title parts, countries, disc rips).
``naming-examples-music-books.tsv``: music, books, audiobooks and disc rips,
with artist, album, disc, track and author too. A note's text before the colon
is its category; the note is the row's test id. ``VIDEO_TABLES`` lists every
table of movies and episodes, so a new one is read by every video test.

``KNOWN_FAILING`` names the rows jforg does not get right yet, with why. Tests
mark them ``xfail(strict=True)``: a fix that makes one pass turns the xfail into
a failure, so the entry must then be removed, never left to hide a regression.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from guessit import guessit

from pipeline.probe.parse import parse_video

__all__ = ["DATA", "KNOWN_FAILING", "MUSIC_BOOKS", "RELEASES", "VIDEO", "VIDEO_TABLES", "Example",
           "Reading", "comparable", "examples", "expected_reading", "guessit_reading",
           "jforg_reading", "params", "video_rows"]

DATA = Path(__file__).resolve().parent / "data"
VIDEO = DATA / "naming-examples.tsv"
RELEASES = DATA / "naming-examples-releases.tsv"
MUSIC_BOOKS = DATA / "naming-examples-music-books.tsv"
VIDEO_TABLES = (VIDEO, RELEASES)

# Punctuation people write differently in the same title ("WALL·E" / "WALL-E",
# "2001: A Space Odyssey" / "2001 A Space Odyssey"); diacritics are kept.
_PUNCTUATION = str.maketrans("", "", ":'·-,?.")


class Example(NamedTuple):
    relpath: str
    kind: str  # movie, episode, skip, music, book, audiobook, disc
    title: str
    year: int | None
    season: int | None
    episodes: list[int]
    note: str
    artist: str = ""
    album: str = ""
    disc: int | None = None
    track: int | None = None
    author: str = ""

    @property
    def category(self) -> str:
        return self.note.split(":", 1)[0]


def _int(text: str | None) -> int | None:
    return int(text) if text else None


def comparable(title: str | None) -> str:
    """A title as two careful readers agree on it: casefolded, without that punctuation."""
    return " ".join((title or "").casefold().translate(_PUNCTUATION).split())


def examples(table: Path) -> list[Example]:
    """Every row of ``table``; a missing table is an error, never an empty list."""
    with table.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    return [Example(row["relpath"], row["kind"], row["title"], _int(row["year"]),
                    _int(row["season"]),
                    [int(e) for e in row["episodes"].split(",")] if row["episodes"] else [],
                    row["note"], row.get("artist") or "", row.get("album") or "",
                    _int(row.get("disc")), _int(row.get("track")), row.get("author") or "")
            for row in rows]


# Rows of naming-examples.tsv jforg gets wrong today, with why (none: the naming
# issue fixed the last seven; a new failing row goes here with its reason).
KNOWN_FAILING: dict[str, str] = {}


def video_rows() -> list[tuple[str, Example]]:
    """(table name, row) for every movie and episode row of every video table."""
    return [(table.name, row) for table in VIDEO_TABLES for row in examples(table)
            if row.kind in ("movie", "episode")]


class Reading(NamedTuple):
    """What a Jellyfin user sees of a video's reading: the fields the tables hold."""

    type: str | None
    title: str  # comparable()
    year: int | None
    season: int | None
    episodes: list[int]


def expected_reading(row: Example) -> Reading:
    return Reading(row.kind, comparable(row.title), row.year, row.season, row.episodes)


def _first(value: Any) -> Any:
    return value[0] if isinstance(value, list) and value else value


def guessit_reading(relpath: str) -> Reading:
    """Plain guessit, called the way a user calls it on a path (``no_user_config``)."""
    guess = guessit(relpath, {"no_user_config": True})
    episodes = guess.get("episode")
    episodes = episodes if isinstance(episodes, list) else [] if episodes is None else [episodes]
    return Reading(guess.get("type"), comparable(str(_first(guess.get("title")) or "")),
                   _first(guess.get("year")), _first(guess.get("season")),
                   sorted({e for e in episodes if isinstance(e, int)}))


def jforg_reading(relpath: str) -> Reading:
    parse = parse_video("/lib/" + relpath, "/lib")
    return Reading(parse.type, comparable(parse.title), parse.year, parse.season, parse.episodes)


def params(rows: list[Example], known: dict[str, str] = KNOWN_FAILING) -> list[Any]:
    """``pytest.param`` per row, id = its note, strict xfail where ``known`` says so."""
    out = []
    for row in rows:
        marks = ([pytest.mark.xfail(strict=True, reason=known[row.relpath])]
                 if row.relpath in known else [])
        out.append(pytest.param(row, id=row.note, marks=marks))
    return out
