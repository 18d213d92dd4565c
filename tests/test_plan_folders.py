"""Music, book, audiobook and disc-rip folder conventions, planned end to end.

``tests/data/naming-folders.tsv`` holds real-looking paths (relpath -> the
destination a Jellyfin user expects, relative to --dest), one or more per
convention and its near misses; ``naming-examples-music-books.tsv`` is the
public table (tests/test_plan_music_books.py). Both are planned again with
every name decomposed (NFD, as macOS writes them). Tags and embedded metadata
are checked with real tagged audio and real EPUB/PDF files.
"""

from __future__ import annotations

import csv
import os
import random
import shutil
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

import pytest

from pipeline.core.paths import from_wire
from pipeline.core.records import PlanEntry, Tags
from pipeline.plan.books import plausible_author, plausible_title, read_audiobook, read_book
from pipeline.plan.music import read_track
from pipeline.plan.names import is_safe_component
from pipeline.plan.shelves import audiobook_path, book_path, music_path
from tests.media_fixtures import MUSIC, make_epub, make_pdf
from tests.naming_tables import DATA, MUSIC_BOOKS, examples
from tests.test_plan import _fold, _plan
from tests.test_plan_music_books import expected_destination

FOLDERS = DATA / "naming-folders.tsv"
Media = Callable[[str], Path]


class Row(NamedTuple):
    relpath: str
    kind: str  # music, book, audiobook, disc
    expected: str
    title: str
    year: int | None
    note: str


def _rows() -> list[Row]:
    with FOLDERS.open(encoding="utf-8", newline="") as handle:
        return [Row(r["relpath"], r["kind"], r["expected"], r["title"],
                    int(r["year"]) if r["year"] else None, r["note"])
                for r in csv.DictReader(handle, delimiter="\t")]


ROWS = _rows()


def _components(path: str) -> list[str]:
    return [_fold(part) for part in path.split("/")]


def _planned(entry: PlanEntry, dest: Path) -> str:
    assert entry.action == "move" and entry.destination is not None, entry
    return os.path.relpath(from_wire(entry.destination), dest)


def _plan_tree(base: Path, relpaths: list[str]) -> tuple[Path, dict[str, PlanEntry]]:
    library, dest = base / "library", base / "dest"
    for relpath in relpaths:
        path = library / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch()  # zero-byte: no tags, no metadata, names only
    return dest, _plan(library, base / "work", dest)


@pytest.fixture(scope="module")
def folders_plan(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, PlanEntry]]:
    return _plan_tree(tmp_path_factory.mktemp("folders"), [row.relpath for row in ROWS])


def test_the_folder_table_covers_every_kind_with_near_misses() -> None:
    kinds = {row.kind for row in ROWS}
    assert kinds == {"music", "book", "audiobook", "disc"}, kinds
    assert sum("near-miss" in row.note for row in ROWS) >= 8
    assert sum("hostile" in row.note for row in ROWS) >= 5


@pytest.mark.parametrize("row", ROWS, ids=[row.note for row in ROWS])
def test_every_folder_convention_lands_where_a_jellyfin_user_expects(
    folders_plan: tuple[Path, dict[str, PlanEntry]], row: Row
) -> None:
    dest, entries = folders_plan
    entry = entries[row.relpath]
    planned = _planned(entry, dest)
    assert _components(planned) == _components(row.expected), planned
    assert unicodedata.is_normalized("NFC", planned)
    assert entry.kind == ("movie" if row.kind == "disc" else row.kind)
    assert _fold(entry.title or "") == _fold(row.title)
    assert entry.year == row.year


def _decomposed() -> list[tuple[str, str]]:
    """(NFD relpath, expected destination) of every row of both tables with accents."""
    pairs = [(row.relpath, row.expected) for row in ROWS]
    pairs += [(row.relpath, expected_destination(row)) for row in examples(MUSIC_BOOKS)]
    return [(unicodedata.normalize("NFD", rel), want) for rel, want in pairs
            if unicodedata.normalize("NFD", rel) != rel]


def test_decomposed_names_land_where_their_composed_twins_do(tmp_path: Path) -> None:
    pairs = _decomposed()
    assert len(pairs) >= 8, pairs
    dest, entries = _plan_tree(tmp_path, [rel for rel, _ in pairs])
    for relpath, want in pairs:
        planned = _planned(entries[relpath], dest)
        assert planned == unicodedata.normalize("NFC", planned), planned
        assert _components(planned) == _components(want), (relpath, planned)


DISC = ["BDMV/index.bdmv", "BDMV/MovieObject.bdmv", "BDMV/PLAYLIST/00000.mpls",
        "BDMV/CLIPINF/00000.clpi", "BDMV/CLIPINF/00001.clpi", "BDMV/STREAM/00000.m2ts",
        "BDMV/STREAM/00001.m2ts", "BDMV/BACKUP/index.bdmv", "BDMV/META/DL/bdmt_eng.xml",
        "BDMV/META/DL/discinfo.jpg", "CERTIFICATE/id.bdmv"]
DVD = ["VIDEO_TS/VIDEO_TS.IFO", "VIDEO_TS/VIDEO_TS.BUP", "VIDEO_TS/VIDEO_TS.VOB",
       "VIDEO_TS/VTS_01_0.IFO", "VIDEO_TS/VTS_01_0.BUP", "VIDEO_TS/VTS_01_1.VOB",
       "VIDEO_TS/VTS_01_2.VOB", "VIDEO_TS/VTS_01_3.VOB"]


@pytest.mark.parametrize(("holder", "files", "folder"), [
    ("Movies/Arrival (2016)", DISC, "Arrival (2016)"),
    ("rips/Paddington.2.2017.COMPLETE.BLURAY-GRP", DISC, "Paddington 2 (2017)"),
    ("Movies/Amélie (2001)", DVD, "Amélie (2001)"),
    ("DVD/Heat (1995)/Disc 2", DVD, "Heat (1995)/Disc 2"),
])
def test_a_disc_rip_moves_whole_under_one_movie_identity(
    tmp_path: Path, holder: str, files: list[str], folder: str
) -> None:
    relpaths = [f"{holder}/{name}" for name in files]
    dest, entries = _plan_tree(tmp_path, relpaths)
    movie_folder = folder.split("/", maxsplit=1)[0]
    identities = set()
    for relpath, name in zip(relpaths, files, strict=True):
        entry = entries[relpath]
        inner = folder.split("/")[1:] + name.split("/")
        assert _planned(entry, dest) == "/".join(["Movies", movie_folder, *inner])
        assert (entry.kind, entry.season, entry.episodes) == ("movie", None, [])
        identities.add((entry.title, entry.year))
    assert len(identities) == 1, identities
    nfos = [key for key in entries if key.startswith("create:")]
    assert nfos == [f"create:Movies/{movie_folder}/{movie_folder}.nfo"]


def test_artwork_beside_a_disc_rip_follows_it_into_the_movie_folder(tmp_path: Path) -> None:
    holder = "Movies/Arrival (2016)/"
    dest, entries = _plan_tree(tmp_path, [holder + name for name in (*DISC, "poster.jpg")])
    poster = entries[holder + "poster.jpg"]
    assert (poster.kind, _planned(poster, dest)) == ("image", "Movies/Arrival (2016)/poster.jpg")


def test_an_album_of_tagged_files_is_named_by_its_tags_not_its_folders(
    media: Media, tmp_path: Path
) -> None:
    song = media("song.mp3")
    library = tmp_path / "library"
    target = library / "Music" / "Wrong Band - Wrong Album (1999)" / "CD3" / "07 - wrong.mp3"
    target.parent.mkdir(parents=True)
    shutil.copy(song, target)
    entries = _plan(library, tmp_path / "work", tmp_path / "dest")
    planned = _planned(entries[os.path.relpath(target, library)], tmp_path / "dest")
    # disc 1 of 2 and track 3/12 in the tags: the tags' disc wins over the CD3 folder
    assert planned == (f"Music/{MUSIC['album_artist']}/{MUSIC['album']} ({MUSIC['date']})/"
                       f"Disc 1/03 - {MUSIC['title']}.mp3")


@pytest.mark.parametrize(("tags", "expected"), [
    (Tags(title="Angel"), ("Massive Attack", "Mezzanine", 1998, "Angel", 1)),
    (Tags(album="Mezzanine (Deluxe)", track=9), ("Massive Attack", "Mezzanine (Deluxe)", 1998,
                                                  "Angel", 9)),
    (Tags(artist="Massive Attack feat. Liz Fraser"),
     ("Massive Attack feat. Liz Fraser", "Mezzanine", 1998, "Angel", 1)),
    (Tags(album_artist="Various Artists"), (None, "Mezzanine", 1998, "Angel", 1)),
    (Tags(artist="Unknown Artist", album="Unknown Album", title="Track 01", track=1),
     ("Massive Attack", "Mezzanine", 1998, "Angel", 1)),
    (None, ("Massive Attack", "Mezzanine", 1998, "Angel", 1)),
])
def test_partial_tags_win_where_they_speak_and_the_names_fill_the_rest(
    tags: Tags | None, expected: tuple[object, ...]
) -> None:
    track = read_track(["Music", "Massive Attack", "Mezzanine (1998)"], "01 - Angel", tags)
    assert (track.artist, track.album, track.year, track.title, track.track) == expected


def test_the_compilation_tag_files_an_album_under_various_artists() -> None:
    track = read_track(["Music", "Pulp Fiction (1994)"], "01 - Misirlou",
                       Tags(artist="Dick Dale", compilation=True))
    assert (track.artist, track.compilation, track.album) == (None, True, "Pulp Fiction")


def test_a_single_disc_in_the_tags_drops_a_disc_folder_level() -> None:
    track = read_track(["Music", "Björk", "Homogenic (1997)", "CD1"], "01 - Hunter",
                       Tags(disc=1, disc_total=1))
    assert (track.disc, track.multi_disc) == (1, False)


@pytest.mark.parametrize(("title", "plausible"), [
    ("The Left Hand of Darkness", True),
    ("1984", True),
    ("2666", True),
    ("draft2019", False),
    ("Microsoft Word - draft.docx", False),
    ("Microsoft PowerPoint - slides.pptx", False),
    ("final_v2.pdf", False),
    ("Untitled", False),
    ("untitled", False),
    ("C:\\Users\\me\\Documents\\book", False),
    ("", False),
    ("B00K3ABCD1234", False),
])
def test_only_a_human_title_from_the_metadata_is_plausible(title: str, plausible: bool) -> None:
    assert plausible_title(title) is plausible


@pytest.mark.parametrize(("author", "plausible"), [
    ("Ursula K. Le Guin", True), ("Administrator", False), ("user", False),
    ("calibre (6.29.0)", False), ("someone@example.org", False), ("", False)])
def test_only_a_person_from_the_metadata_is_a_plausible_author(author: str,
                                                              plausible: bool) -> None:
    assert plausible_author(author) is plausible


def test_implausible_pdf_metadata_yields_to_the_folders(tmp_path: Path) -> None:
    library = tmp_path / "library"
    paper = library / "Books" / "Ursula K. Le Guin" / "The Dispossessed (1974)" / "tmp.pdf"
    paper.parent.mkdir(parents=True)
    make_pdf(paper, info={"title": "Microsoft Word - draft.docx", "author": "Administrator"})
    entries = _plan(library, tmp_path / "work", tmp_path / "dest")
    assert _planned(entries[os.path.relpath(paper, library)], tmp_path / "dest") == \
        "Books/Ursula K. Le Guin/The Dispossessed (1974)/The Dispossessed.pdf"


def test_plausible_epub_metadata_wins_over_the_folders(tmp_path: Path) -> None:
    library = tmp_path / "library"
    book = library / "Books" / "Misc" / "Unsorted Downloads" / "book (1).epub"
    book.parent.mkdir(parents=True)
    make_epub(book)  # "Tides of Glass" by Mara Quill, 2019
    entries = _plan(library, tmp_path / "work", tmp_path / "dest")
    assert _planned(entries[os.path.relpath(book, library)], tmp_path / "dest") == \
        "Books/Mara Quill/Tides of Glass (2019)/Tides of Glass.epub"


def test_a_book_title_folder_and_its_author_folder_are_told_apart() -> None:
    assert read_book(["Books", "Toni Morrison"], "Beloved", None).author == "Toni Morrison"
    beloved = read_book(["Books", "Toni Morrison", "Beloved (1987)"], "Beloved", None)
    assert (beloved.author, beloved.title, beloved.year) == ("Toni Morrison", "Beloved", 1987)


def test_audiobook_tags_win_and_part_folders_stay() -> None:
    book = read_audiobook(["Audiobooks", "Unknown", "Some Rip", "CD 02"], "Track 05", ".mp3",
                          Tags(album="Circe", artist="Madeline Miller", year=2018))
    assert (book.author, book.title, book.year, book.levels) == \
        ("Madeline Miller", "Circe", 2018, ["CD 02"])


def test_a_thousand_random_hostile_names_read_into_safe_paths() -> None:
    alphabet = [*"./\\:*?\"<>| \t-_–()[]{}（）【】0123456789eSsé日💥\u0301\u200b\u2215",
                "..", " - ", "CD1", "Disc 2", "VA", "(1999)", "[FLAC]", "2CD", "-2011-GRP",
                "01-", "1-01 ", "Part 1", "Music", "Calibre Library", "(12)"]
    rng = random.Random(20261202)
    for _ in range(1000):
        def text() -> str:
            return "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
        folders = [text() or "x" for _ in range(rng.randint(0, 4))]
        track = read_track(folders, text(), None)
        book = read_book(folders, text(), None)
        spoken = read_audiobook(folders, text(), rng.choice([".mp3", ".m4b"]), None)
        paths = [
            music_path(album_artist=track.artist, artist=None, album=track.album,
                       year=track.year, track=track.track, title=track.title, ext="flac",
                       disc=track.disc, compilation=track.compilation,
                       multi_disc=track.multi_disc),
            book_path(author=book.author, title=book.title, year=book.year, ext="epub"),
            audiobook_path(author=spoken.author, title=spoken.title, year=spoken.year,
                           name=text() or "x", levels=spoken.levels),
        ]
        for path in paths:
            assert all(is_safe_component(part) for part in path.split("/")), path
