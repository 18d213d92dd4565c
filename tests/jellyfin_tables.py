"""Jellyfin's own naming tests as data: tests/data/jellyfin-naming-*.tsv, and how to run them.

Each row is one case of a test file in the public jellyfin/jellyfin repository,
``tests/Jellyfin.Naming.Tests/`` (``source`` is its path there, ``case`` the
test): an input path or name, which reading it exercises, and what Jellyfin
reads (``expect``: ``key=value`` pairs, an empty value meaning "nothing").
Only enabled cases are tabled: the ones Jellyfin's suite marks FIXME/TODO are
not facts about Jellyfin. Not tabled either: 3D formats and stub types (not
part of an identity), audio/video extension lists, and whole-folder groupings
that no single path can show (which file of a version group is primary).

``reading(row)`` runs jforg's reader the way the Jellyfin test runs its
resolver and returns the same keys, so a row passes when they are equal.
"""

from __future__ import annotations

import csv
import os
from pathlib import Path
from typing import NamedTuple

from pipeline.plan.read_episodes import (
    is_season_folder,
    read_episode_path,
    season_of_folder,
    series_in_path,
    series_name,
)
from pipeline.plan.read_movies import (
    clean_date_time,
    clean_string,
    extra_type,
    parse_name,
    part_of,
)
from pipeline.plan.read_music_books import (
    audiobook_chapter,
    audiobook_name,
    book_name,
    disc_of_folder,
)
from pipeline.plan.reader import read

__all__ = ["TABLES", "Case", "cases", "reading"]

DATA = Path(__file__).resolve().parent / "data"
TABLES = tuple(sorted(DATA.glob("jellyfin-naming-*.tsv")))


class Case(NamedTuple):
    source: str
    case: str
    reading: str
    input: str
    expect: dict[str, str]

    @property
    def id(self) -> str:
        return f"{self.source.rsplit('/', 1)[-1][:-3]}:{self.case}:{self.input}"


def cases(table: Path) -> list[Case]:
    """Every row of one table; a missing or empty table is an error."""
    with table.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    if not rows:
        raise ValueError(f"{table} has no cases")
    out = []
    for row in rows:
        expect = {}
        for pair in row["expect"].split("; "):
            key, _, value = pair.partition("=")
            expect[key] = value
        out.append(Case(row["source"], row["case"], row["reading"], row["input"], expect))
    return out


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


_VIDEO_EXT = (".mkv", ".mp4", ".avi")


def _posix(path: str) -> str:
    # Jellyfin's cases include Windows paths; jforg reads paths with "/" separators.
    return path.replace("\\", "/")


def _basename(path: str) -> str:
    return _posix(path).rstrip("/").rsplit("/", 1)[-1]


def _read(case: Case) -> dict[str, object]:
    text = case.input
    kind = case.reading
    if kind in ("episode", "episode-absolute", "episode-named-optimistic"):
        found = read_episode_path(_posix(text), absolute=kind == "episode-absolute")
        if found is None:
            return {"read": False}
        return {"read": True, "series": found.series, "season": found.season,
                "episode": found.episode, "ending": found.ending, "date": found.date}
    if kind == "season-folder":
        name = _basename(text)
        return {"season": season_of_folder(name), "folder": is_season_folder(name)}
    if kind == "series-name":
        return {"series": series_name(text)}
    if kind == "series-path":
        return {"series": series_in_path(text)}
    if kind == "video-file":
        stem = os.path.splitext(_basename(text))[0]
        found_name = parse_name(stem)
        return {"name": found_name.name, "year": found_name.year, "extra": extra_type(text)}
    if kind == "clean-date-time":
        found_date = clean_date_time(_basename(text))
        return {"name": found_date.name, "year": found_date.year}
    if kind == "clean-string":
        return {"cleaned": clean_string(text)}
    if kind in ("extra", "extra-below-root"):
        return {"extra": extra_type(text.split("|", 1)[-1])}
    if kind == "part":
        name = _basename(text)
        if name.endswith(_VIDEO_EXT):
            name = os.path.splitext(name)[0]
        part = part_of(name)
        return {"stack": part.name if part else None, "part": part.number if part else None}
    if kind == "movie":
        found_id = read(text, "movies")
        return {"kind": found_id.kind, "title": found_id.title, "year": found_id.year,
                "grouped": found_id.grouped, "extra": found_id.extra, "part": found_id.part}
    if kind == "disc-folder":
        return {"disc": disc_of_folder(_basename(text)) is not None}
    if kind == "book-name":
        book = book_name(text)
        return {"name": book.name, "series": book.series, "index": book.number,
                "year": book.year, "volume": book.volume}
    if kind == "audiobook-chapter":
        parts = _posix(text).split("/")
        chapter = audiobook_chapter(os.path.splitext(parts[-1])[0],
                                    parts[-2] if len(parts) > 1 else None)
        return {"part": chapter.part, "chapter": chapter.chapter}
    if kind == "audiobook-name":
        parts = _posix(text).split("/")
        source = parts[-2] if len(parts) > 1 else os.path.splitext(parts[-1])[0]
        title, year = audiobook_name(source)
        return {"name": title, "year": year}
    raise ValueError(f"unknown reading {kind!r}")


def reading(case: Case) -> dict[str, str]:
    """jforg's reading of the case, restricted to the keys Jellyfin's test asserts."""
    found = _read(case)
    return {key: _text(found.get(key)) for key in case.expect}
