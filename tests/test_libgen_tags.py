"""The generated library's embedded metadata agrees with its paths (``tags="path"``).

jforg trusts tags over folder names; a library whose tracks all carry one
fixed tag set plans every track of an album to the same destination.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from pathlib import Path

import mutagen
import pytest

from benchmarks.books import About, make_book
from benchmarks.libgen import classify, make_library
from benchmarks.media import ffmpeg_available
from benchmarks.retag import book_of
from pipeline.probe.books import book_meta
from pipeline.probe.tags import audio_info

# The first 60 files of seed 6 hold an 11-track MP3 album and two EPUBs by two authors.
N, SEED = 60, 6


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, tuple[str, ...]]:
    """The generated library, every video and audio file real, and its paths."""
    if not ffmpeg_available():
        pytest.skip("ffmpeg is not installed")
    root = tmp_path_factory.mktemp("libgen") / "library"
    info = make_library(root, N, SEED, media=N, tags="path")
    return root, info.paths


def parts(pattern: str, text: str) -> tuple[str, ...]:
    match = re.fullmatch(pattern, text)
    assert match is not None, f"{text!r} is not {pattern!r}"
    return match.groups()


def album_tracks(paths: tuple[str, ...]) -> list[str]:
    """Two tracks of the first album folder holding two or more real tracks."""
    by_folder: dict[str, list[str]] = defaultdict(list)
    for rel in paths:
        if rel.startswith("Music/") and classify(rel) == "audio":
            by_folder[rel.rpartition("/")[0]].append(rel)
    folders = [tracks for tracks in by_folder.values() if len(tracks) >= 2]
    assert folders, "no album with two tracks: the seed no longer fits this test"
    return folders[0][:2]


def test_two_tracks_of_one_album_carry_their_own_names_and_no_musicbrainz_ids(
        library: tuple[Path, tuple[str, ...]]) -> None:
    root, paths = library
    seen = []
    for rel in album_tracks(paths):
        _, artist, album_folder, name = (nfc(part) for part in rel.split("/"))
        number, title = parts(r"(\d+) - (.+)\.\w+", name)
        album, year = parts(r"(.+) \((\d{4})\)", album_folder)
        tags, _ = audio_info(str(root / rel))
        assert (tags.title, tags.track) == (title, int(number))
        assert (tags.artist, tags.album_artist, tags.album, tags.year) == \
            (artist, artist, album, int(year))
        assert not tags.musicbrainz
        raw = mutagen.File(root / rel)
        assert raw is not None and raw.tags is not None
        keys = raw.tags.keys()  # ID3 frame ids, e.g. "TXXX:MusicBrainz Album Id", "UFID:…"
        assert not [key for key in keys if "musicbrainz" in key.lower()]
        seen.append((tags.title, tags.track))
    assert seen[0] != seen[1]


def test_two_epubs_carry_their_own_titles_and_authors(
        library: tuple[Path, tuple[str, ...]]) -> None:
    root, paths = library
    epubs = [rel for rel in paths if rel.endswith(".epub")][:2]
    assert len(epubs) == 2, "fewer than two EPUBs: the seed no longer fits this test"
    titles = []
    for rel in epubs:
        _, author, folder, name = (nfc(part) for part in rel.split("/"))
        meta = book_meta(str(root / rel))
        assert (meta.title, meta.creators) == (name.removesuffix(".epub"), [author])
        assert meta.year == int(folder[-5:-1]) and meta.isbn is None
        titles.append(meta.title)
    assert titles[0] != titles[1]


def test_a_pdf_carries_its_title_and_author_even_outside_latin_1(tmp_path: Path) -> None:
    about = book_of("Books/Ada Holm/Żółta Łódź (1999)/Żółta Łódź.pdf")
    assert about == About("Żółta Łódź", "Ada Holm", 1999)
    assert make_book(tmp_path / "Żółta Łódź.pdf", about)
    meta = book_meta(str(tmp_path / "Żółta Łódź.pdf"))
    assert (meta.title, meta.creators) == ("Żółta Łódź", ["Ada Holm"])


def test_a_comic_carries_its_series_issue_and_year(tmp_path: Path) -> None:
    about = book_of("Comics/Paper Tide/Paper Tide 012 (2004).cbz")
    assert about == About("Paper Tide 012", None, 2004, series="Paper Tide", number=12)
    assert make_book(tmp_path / "Paper Tide 012 (2004).cbz", about)
    meta = book_meta(str(tmp_path / "Paper Tide 012 (2004).cbz"))
    assert (meta.title, meta.series, meta.number, meta.year) == \
        ("Paper Tide 012", "Paper Tide", "12", 2004)
