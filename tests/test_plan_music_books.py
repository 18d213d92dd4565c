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

# Rows jforg gets wrong today, each with why (strict: a fix must remove its row).
KNOWN_FAILING: dict[str, str] = {}


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
