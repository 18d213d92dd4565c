"""The public music, books, audiobooks and disc-rip table, planned from names alone."""

from __future__ import annotations

import os
from pathlib import Path, PurePosixPath

import pytest

from pipeline.core.paths import from_wire
from pipeline.core.records import PlanEntry
from tests.naming_tables import MUSIC_BOOKS, Example, examples, params
from tests.test_plan import _fold, _plan

ROWS = examples(MUSIC_BOOKS)
_DISC_ROOTS = ("BDMV", "VIDEO_TS")

_MUSIC_SPLIT = "naming issue: 'Artist - Album (Year)' folders are not split"
_MUSIC_DISC = "naming issue: disc folders and disc-track prefixes are not disc levels"
_MUSIC_VA = "naming issue: compilations are not filed under Various Artists"
_MUSIC_SCENE = "naming issue: scene music folders and NN-artist-title files are not read"
_MUSIC_YEAR_FIRST = "naming issue: 'YYYY - Album' keeps the year in the album"
_MUSIC_RIPPER = "naming issue: 'Artist - Album - NN - Title' files keep the prefix"
_BOOK_FLAT = "naming issue: flat 'Author - Title' books are not split"
_BOOK_CALIBRE = "naming issue: Calibre's id folder is taken for the title or author"
_AUDIOBOOK = "naming issue: audiobook author/title folders are not read"
_DISC = "naming issue: disc rips are flattened instead of moved as one unit"

# Rows jforg gets wrong today, each with why (strict: a fix must remove its row).
KNOWN_FAILING: dict[str, str] = {
    "Music/Adele - 21 (2011)/01. Rolling in the Deep.flac": _MUSIC_SPLIT,
    "Music/Metallica - Master of Puppets [FLAC]/01 - Battery.flac": _MUSIC_SPLIT,
    "Music/Dua_Lipa-Future_Nostalgia-WEB-2020-ENRiCH/02-dua_lipa-dont_start_now.flac":
        _MUSIC_SCENE,
    "Music/Joni Mitchell/1971 - Blue/01 - All I Want.mp3": _MUSIC_YEAR_FIRST,
    "Music/Talking Heads/Remain in Light (1980)/Talking Heads - Remain in Light - 01 - "
    "Born Under Punches (The Heat Goes On).flac": _MUSIC_RIPPER,
    "Music/The Beatles/The Beatles (1968)/CD2/01 - Birthday.flac": _MUSIC_DISC,
    "Music/2Pac/All Eyez on Me (1996)/CD 1/01 - Ambitionz Az a Ridah.mp3": _MUSIC_DISC,
    "Music/Led Zeppelin/Physical Graffiti/2-01 In the Light.m4a": _MUSIC_DISC,
    "Music/Nine_Inch_Nails-The_Fragile-2CD-1999-MOD/101-nine_inch_nails-somewhat_damaged.flac":
        _MUSIC_DISC,
    "Music/VA - Saturday Night Fever (1977)/01 - Bee Gees - Stayin' Alive.mp3": _MUSIC_VA,
    "iTunes Media/Music/Compilations/The Big Chill/01 I Heard It Through the Grapevine.m4a":
        _MUSIC_VA,
    "Books/Margaret Atwood - The Handmaid's Tale.epub": _BOOK_FLAT,
    "Books/Kurt Vonnegut - Slaughterhouse-Five (1969).epub": _BOOK_FLAT,
    "Calibre Library/Philip K. Dick/Ubik (12)/Ubik - Philip K. Dick.epub": _BOOK_CALIBRE,
    "Calibre Library/Iain M. Banks/Consider Phlebas (311)/Consider Phlebas - Iain M. Banks.azw3":
        _BOOK_CALIBRE,
    "Audiobooks/Douglas Adams - The Hitchhiker's Guide to the Galaxy/Part 01.m4b": _AUDIOBOOK,
    "Audiobooks/James Clear/Atomic Habits.m4b": _AUDIOBOOK,
    "Movies/The Departed (2006)/BDMV/STREAM/00000.m2ts": _DISC,
    "Movies/Titanic (1997)/VIDEO_TS/VTS_01_1.VOB": _DISC,
    "Skyfall.2012.COMPLETE.BLURAY-GRP/BDMV/STREAM/00001.m2ts": _DISC,
    "Movies/E.T. the Extra-Terrestrial (1982)/BDMV/STREAM/00000.m2ts": _DISC,
}


def expected_destination(row: Example) -> str:
    """Where DESIGN's Jellyfin naming puts the row, relative to --dest."""
    year = f" ({row.year})" if row.year else ""
    name = PurePosixPath(row.relpath).name
    ext = PurePosixPath(name).suffix.lower()
    if row.kind == "music":
        disc = f"Disc {row.disc}/" if row.disc is not None else ""
        assert row.track is not None, row
        return f"Music/{row.artist}/{row.album}{year}/{disc}{row.track:02d} - {row.title}{ext}"
    if row.kind == "book":
        return f"Books/{row.author}/{row.title}{year}/{row.title}{ext}"
    if row.kind == "audiobook":
        return f"Audiobooks/{row.author}/{row.title}{year}/{name}"
    assert row.kind == "disc", row
    parts = PurePosixPath(row.relpath).parts
    inner = next(i for i, part in enumerate(parts) if part.upper() in _DISC_ROOTS)
    return f"Movies/{row.title}{year}/" + "/".join(parts[inner:])


def _components(path: str) -> list[str]:
    return [_fold(part) for part in path.split("/")]


@pytest.fixture(scope="module")
def music_books_plan(tmp_path_factory: pytest.TempPathFactory
                     ) -> tuple[Path, dict[str, PlanEntry]]:
    base = tmp_path_factory.mktemp("music-books")
    library, dest = base / "library", base / "dest"
    for row in ROWS:
        path = library / row.relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch()  # zero-byte files: no tags, no metadata; names and folders only
    return dest, _plan(library, base / "work", dest)


def test_the_music_and_books_table_covers_every_kind() -> None:
    kinds = {row.kind for row in ROWS}
    assert kinds == {"music", "book", "audiobook", "disc"}, kinds
    assert len(ROWS) >= 30, f"{MUSIC_BOOKS} truncated"


@pytest.mark.parametrize("row", params(ROWS, KNOWN_FAILING))
def test_every_music_and_book_example_lands_where_a_jellyfin_user_expects(
    music_books_plan: tuple[Path, dict[str, PlanEntry]], row: Example
) -> None:
    dest, entries = music_books_plan
    entry = entries[row.relpath]
    assert entry.action == "move", entry
    assert entry.destination is not None
    planned = os.path.relpath(from_wire(entry.destination), dest)
    assert _components(planned) == _components(expected_destination(row)), planned
    if row.kind == "disc":
        assert (entry.kind, _fold(entry.title or ""), entry.year) == \
            ("movie", _fold(row.title), row.year)
