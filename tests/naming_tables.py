"""The public naming tables in tests/data/, read once for every test that uses them.

``naming-examples.tsv``: movies, episodes and junk (relpath, kind, title, year,
season, episodes, note). ``naming-examples-music-books.tsv``: music, books,
audiobooks and disc rips, with artist, album, disc, track and author too. A
note's text before the colon is its category; the note is the row's test id.

``KNOWN_FAILING`` names the rows jforg does not get right yet, with why. Tests
mark them ``xfail(strict=True)``: a fix that makes one pass turns the xfail into
a failure, so the entry must then be removed, never left to hide a regression.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any, NamedTuple

import pytest

__all__ = ["DATA", "KNOWN_FAILING", "MUSIC_BOOKS", "VIDEO", "Example", "examples", "params"]

DATA = Path(__file__).resolve().parent / "data"
VIDEO = DATA / "naming-examples.tsv"
MUSIC_BOOKS = DATA / "naming-examples-music-books.tsv"


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


_PART_TITLE = "naming issue: 'Part N' / 'Vol. N' that belongs to the title is read as a part"
_COUNTRY = "naming issue: a country-suffixed series loses its country"
_ANIME_YEAR = "naming issue: an anime series year in parentheses becomes the season"
_SLUG = "naming issue: an obfuscated slug in a release folder names the file"

# Rows of naming-examples.tsv jforg gets wrong today (the naming issue fixes them).
KNOWN_FAILING: dict[str, str] = {
    "The.Hunger.Games.Mockingjay.Part.1.2014.1080p.BluRay.x264-GRP.mkv": _PART_TITLE,
    "Back.to.the.Future.Part.III.1990.720p.BluRay.x264-GRP.mkv": _PART_TITLE,
    "Guardians.of.the.Galaxy.Vol.2.2017.2160p.UHD.BluRay.x265-GRP.mkv": _PART_TITLE,
    "Queer.as.Folk.UK.S01E01.DVDRip.XviD-GRP.avi": _COUNTRY,
    "Utopia.US.S01E01.720p.WEB.x264-GRP.mkv": _COUNTRY,
    "[SubsPlease] Fruits Basket (2019) - 12 (1080p) [ABCD1234].mkv": _ANIME_YEAR,
    "Andor.S01.1080p.DSNP.WEB-DL.DDP5.1.H.264-FLUX/flux-andor-s01e04-1080p.mkv": _SLUG,
}


def params(rows: list[Example], known: dict[str, str] = KNOWN_FAILING) -> list[Any]:
    """``pytest.param`` per row, id = its note, strict xfail where ``known`` says so."""
    out = []
    for row in rows:
        marks = ([pytest.mark.xfail(strict=True, reason=known[row.relpath])]
                 if row.relpath in known else [])
        out.append(pytest.param(row, id=row.note, marks=marks))
    return out
