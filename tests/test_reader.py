"""The reader on jforg's own layout: what it reads back, and what it says is misread."""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Any

import pytest

from pipeline.plan import layout
from pipeline.plan.reader import Identity, mismatch, read
from tests.naming_tables import MUSIC_BOOKS, VIDEO, Example, examples
from tests.test_plan_music_books import expected_destination

# rel below its kind root, kind root -> fields the identity must have
READS: list[tuple[str, str, dict[str, Any]]] = [
    ("Heat (1995)/Heat (1995).mkv", "movies",
     {"kind": "movie", "title": "Heat", "year": 1995, "grouped": True, "version": None}),
    ("Alien (1979) [tmdbid-348]/Alien (1979) [tmdbid-348] - 2160p.mkv", "movies",
     {"kind": "movie", "title": "Alien", "year": 1979, "ids": {"tmdb": "348"},
      "version": "2160p", "grouped": True}),
    ("Blade Runner (1982)/Blade Runner (1982) - 2160p [Final Cut].mkv", "movies",
     {"title": "Blade Runner", "version": "2160p [Final Cut]"}),
    ("Kill Bill (2003)/Kill Bill (2003)-part2.avi", "movies", {"title": "Kill Bill", "part": 2}),
    ("The Matrix (1999) [imdbid-tt0133093]/The Matrix (1999) [imdbid-tt0133093].mkv", "movies",
     {"ids": {"imdb": "tt0133093"}, "title": "The Matrix"}),
    ("1917 (2019)/1917 (2019).mkv", "movies", {"title": "1917", "year": 2019}),
    ("Dune (2021)/trailers/Dune Trailer 2.mp4", "movies",
     {"kind": "extra", "extra": "trailer", "title": "Dune", "year": 2021}),
    ("Dune (2021)/behind the scenes/Making of.mkv", "movies",
     {"kind": "extra", "extra": "behind the scenes"}),
    ("Dune (2021)/Dune (2021)-trailer.mkv", "movies", {"kind": "extra", "extra": "trailer"}),
    ("The Departed (2006)/BDMV/STREAM/00000.m2ts", "movies",
     {"kind": "movie", "title": "The Departed", "year": 2006}),
    ("Titanic (1997)/VIDEO_TS/VTS_01_1.VOB", "movies", {"kind": "movie", "title": "Titanic"}),
    ("Titanic (1997)/Disc 2/VIDEO_TS/VTS_01_1.VOB", "movies",
     {"kind": "movie", "title": "Titanic", "year": 1997}),
    ("Titanic (1997) Disc 2/VIDEO_TS/VTS_01_1.VOB", "movies",
     {"title": "Titanic", "year": 1997, "part": 2}),
    ("BDMV/STREAM/00000.m2ts", "movies",
     {"kind": "movie", "problem": "a disc structure with no movie folder above it"}),
    ("Heat (1995).mkv", "movies", {"kind": "movie", "title": "Heat", "year": 1995}),
    ("Lost (2004)/Season 01/Lost (2004) S01E01-E02 - Pilot.mkv", "shows",
     {"kind": "episode", "title": "Lost", "year": 2004, "season": 1, "episodes": [1, 2]}),
    ("Lost (2004) [tvdbid-73739]/Season 00/Lost (2004) S00E01.mkv", "shows",
     {"season": 0, "episodes": [1], "ids": {"tvdb": "73739"}}),
    ("The Office (US) (2005)/Season 02/The Office (US) (2005) S02E01.mkv", "shows",
     {"title": "The Office (US)", "year": 2005, "season": 2}),
    ("One Piece (1999)/Season 21/One Piece (1999) S21E1000.mkv", "shows",
     {"season": 21, "episodes": [1000]}),
    ("Lost (2004)/trailers/Lost trailer.mkv", "shows", {"kind": "extra", "title": "Lost"}),
    ("Daily Show/Daily Show 2020.01.02.mkv", "shows", {"kind": "episode", "date": "2020-01-02"}),
    ("Artist/Album (2001)/Disc 2/01 - Song.flac", "music",
     {"kind": "music", "artist": "Artist", "album": "Album", "year": 2001, "disc": 2,
      "track": 1, "title": "Song"}),
    ("Artist/Volume 1 (2005)/01 - Song.flac", "music",
     {"album": "Artist", "disc": 1,
      "problem": "the album folder 'Volume 1 (2005)' reads as a disc of 'Artist'"}),
    ("Author/Title (2000)/Title.epub", "books",
     {"kind": "book", "author": "Author", "title": "Title", "year": 2000}),
    ("Author/Title #3 (2000)/Title #3.epub", "books", {"title": "Title"}),
    ("Author/Title (2000)/CD 01/01 - Chapter.mp3", "audiobooks",
     {"kind": "audiobook", "author": "Author", "title": "Title", "year": 2000}),
    ("Author/Title.m4b", "audiobooks", {"title": "Title", "author": "Author"}),
    ("Author/Title (2007)/Part01/Title - Part 1.m4b", "audiobooks",
     {"title": "Title", "year": 2007}),
]


@pytest.mark.parametrize(("rel", "kind", "fields"), READS, ids=[r[0] for r in READS])
def test_jforg_layout_reads_back_field_by_field(rel: str, kind: str,
                                                fields: dict[str, Any]) -> None:
    found = read(rel, kind)  # type: ignore[arg-type]
    assert {k: getattr(found, k) for k in fields} == fields


# (planned kind, title, year, season, episodes, rel, kind root, expected reason or None)
MISMATCHES: list[tuple[str, str | None, int | None, int | None, list[int], str, str,
                       str | None]] = [
    ("movie", "Heat", 1995, None, [], "Heat (1995)/Heat (1995).mkv", "movies", None),
    ("movie", "The German Doctor", 2013, None, [],
     "The German Doctor (2013)/The German Doctor (2013).mkv", "movies", "title read as 'The'"),
    ("movie", "The German Doctor", 2013, None, [],
     "The German Doctor (2013) [tmdbid-9]/The German Doctor (2013) [tmdbid-9].mkv", "movies",
     None),  # looked up by its id: the name does not matter
    ("movie", "Blade Runner 2049", None, None, [], "Blade Runner 2049/Blade Runner 2049.mkv",
     "movies", "title read as 'Blade Runner'"),
    ("movie", "Roundhay Garden Scene", 1888, None, [],
     "Roundhay Garden Scene (1888)/Roundhay Garden Scene (1888).mkv", "movies",
     "title read as 'Roundhay Garden Scene (1888)'"),
    ("movie", "Dune", 2021, None, [], "Dune (2021)/Dune (2021)-trailer.mkv", "movies",
     "read as a trailer extra, not a movie"),
    ("episode", "Lost", 2004, 1, [2], "Lost (2004)/Season 01/Lost (2004) S01E02.mkv", "shows",
     None),
    ("episode", "Lost", 2004, 1, [1, 3], "Lost (2004)/Season 01/Lost (2004) S01E01-E03.mkv",
     "shows", None),
    ("episode", "Lost", 2004, 2, [2], "Lost (2004)/Season 01/Lost (2004) S01E02.mkv", "shows",
     "season read as 1"),
    ("episode", "Lost", 2004, 1, [1, 2], "Lost (2004)/Season 01/Lost (2004) S01E01.mkv", "shows",
     "episodes read as E01"),
    ("episode", "Lost", 2004, 1, [2], "Lost (2004)/Season 01/Lost (2004) S01E02.mkv", "movies",
     None),  # a kind root of another kind is read as that kind: see below
    ("music", "Song", 2001, None, [], "Artist/Volume 1 (2001)/01 - Song.flac", "music",
     "the album folder 'Volume 1 (2001)' reads as a disc of 'Artist'"),
    ("subtitle", None, None, None, [], "Heat (1995)/Heat (1995).en.srt", "movies", None),
]


@pytest.mark.parametrize(("kind", "title", "year", "season", "episodes", "rel", "root", "why"),
                         MISMATCHES[:10] + MISMATCHES[11:])
def test_mismatch_says_what_jellyfin_would_get_wrong(kind: str, title: str | None,
                                                    year: int | None, season: int | None,
                                                    episodes: list[int], rel: str, root: str,
                                                    why: str | None) -> None:
    assert mismatch(kind, title, year, season, episodes, read(rel, root)) == why  # type: ignore[arg-type]


def test_an_episode_read_under_a_movies_root_is_not_an_episode() -> None:
    _, title, year, season, episodes, rel, _, _ = MISMATCHES[10]
    found = read(rel, "movies")
    assert found.kind == "movie"
    assert mismatch("episode", title, year, season, episodes, found) == \
        "read as a movie, not an episode"


def test_an_empty_or_rootless_path_reads_as_nothing_usable() -> None:
    assert read("", "movies").kind == "other"
    assert read("Lost S01E01.mkv", "shows").kind == "other"
    assert read("Lost (2004)/Pilot.mkv", "shows").problem == "no episode number in the name"


# --- the public tables: every row's Jellyfin destination reads back as the row -------------

def _video_rel(row: Example) -> tuple[str, str]:
    ext = PurePosixPath(row.relpath).suffix.lower().lstrip(".")
    if row.kind == "movie":
        return layout.movie_path(row.title, row.year, ext), "movies"
    assert row.season is not None
    return layout.episode_path(row.title, row.year, row.season, row.episodes, ext), "shows"


VIDEO_ROWS = [r for r in examples(VIDEO) if r.kind in ("movie", "episode")]


@pytest.mark.parametrize("row", VIDEO_ROWS, ids=[r.note for r in VIDEO_ROWS])
def test_every_public_movie_and_episode_destination_reads_back_as_its_row(row: Example) -> None:
    rel, root = _video_rel(row)
    found = read(rel, root)  # type: ignore[arg-type]
    assert mismatch(row.kind, row.title, row.year, row.season, row.episodes, found) is None, \
        (rel, found)


MUSIC_ROWS = examples(MUSIC_BOOKS)
_ROOTS = {"music": "music", "book": "books", "audiobook": "audiobooks", "disc": "movies"}


@pytest.mark.parametrize("row", MUSIC_ROWS, ids=[r.note for r in MUSIC_ROWS])
def test_every_public_music_and_book_destination_reads_back_as_its_row(row: Example) -> None:
    root, rel = expected_destination(row).split("/", 1)
    found = read(rel, _ROOTS[row.kind])  # type: ignore[arg-type]
    kind = "movie" if row.kind == "disc" else row.kind
    assert mismatch(kind, row.title, row.year, row.season, row.episodes, found) is None, \
        (rel, found)
    assert root in ("Music", "Books", "Audiobooks", "Movies")
    if row.kind == "music":
        assert (found.artist, found.album, found.disc, found.track) == \
            (row.artist, row.album, row.disc, row.track)
    if row.kind in ("book", "audiobook"):
        assert found.author == row.author


def test_identity_is_a_frozen_record() -> None:
    found = read("Heat (1995)/Heat (1995).mkv", "movies")
    assert isinstance(found, Identity)
    with pytest.raises(AttributeError):
        found.title = "x"  # type: ignore[misc]
