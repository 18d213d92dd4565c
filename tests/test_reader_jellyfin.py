"""The reader against Jellyfin's own naming tests, one table per area (tests/data/).

Every row is a fact from jellyfin/jellyfin's tests/Jellyfin.Naming.Tests. The
rows where jforg's reader deliberately reads otherwise are listed in
``DIFFERENT`` with the reason; they run as strict xfails, so one that starts
to agree must leave the list. ``AGREEMENT`` records how many cases of each
Jellyfin test file the reader agrees with; a change to the reader that moves
a count must update it on purpose.
"""

from __future__ import annotations

from collections import Counter

import pytest

from tests.jellyfin_tables import TABLES, Case, cases, reading

_NEWER_ORDER = ("current Jellyfin tries '[Group] Name - 136' before the 'name_102' reading, "
                "so an anime absolute number stays whole; this stored test predates it")
_FOLDER_TESTS_DISAGREE = ("SeasonFolderTests, the same parser's later test, calls this a season "
                          "folder; jforg follows it")
_END_PARTS = ("current Jellyfin (and jforg, which writes '-partN' last) reads a part only at the "
              "end of the name; this stored test predates the end-anchored stacking rules")
_SIBLINGS = ("decided by the other files of the folder, which a reading of one path cannot "
             "see; alone, the name reads as written")
_LETTER_STACK = ("a bare letter (300a, 300b) is a part only beside its siblings; alone the "
                 "reader keeps it in the title (jforg never writes letter parts)")

# (source, input) -> why jforg reads it otherwise.
DIFFERENT: dict[tuple[str, str], str] = {
    ("TV/EpisodeNumberTests.cs",
     "Season 2/[HorribleSubs] Hunter X Hunter - 136 [720p].mkv"): _NEWER_ORDER,
    ("TV/SeasonPathParserTests.cs", "/Drive/Season 7 (2016)"): _FOLDER_TESTS_DISAGREE,
    ("TV/SeasonPathParserTests.cs", "/Drive/Staffel 7 (2016)"): _FOLDER_TESTS_DISAGREE,
    ("TV/SeasonPathParserTests.cs", "/Drive/Stagione 7 (2016)"): _FOLDER_TESTS_DISAGREE,
    ("TV/SeasonPathParserTests.cs", "/Drive/3.Staffel"): _FOLDER_TESTS_DISAGREE,
    **{("Video/StackTests.cs",
        f"Bad Boys (2006).part{i}.stv.unrated.multi.1080p.bluray.x264-rough.mkv"): _END_PARTS
       for i in range(1, 5)},
    ("Video/StackTests.cs", "Bad Boys (2006) parta.mkv"): _SIBLINGS,
    **{("Video/StackTests.cs", f"300{c}.mkv"): _LETTER_STACK for c in "abc"},
    ("Video/VideoListResolverTests.cs", "trailer.mkv"): _SIBLINGS,
    ("Video/VideoListResolverTests.cs", "WillyWonka-trailer.mkv"): _SIBLINGS,
}

# Jellyfin's test asserts these keys ignoring case (Assert.Equal(..., ignoreCase: true)).
_IGNORE_CASE: dict[str, tuple[str, ...]] = {
    "TV/SimpleEpisodeTests.cs": ("series",),
    "TV/DailyEpisodeTests.cs": ("series",),
    "Video/CleanDateTimeTests.cs": ("name",),
}

# Cases of each Jellyfin test file the reader agrees with (of the tabled ones).
AGREEMENT: dict[str, tuple[int, int]] = {
    "AudioBook/AudioBookFilePathParserTests.cs": (8, 8),
    "AudioBook/AudioBookListResolverTests.cs": (12, 12),
    "AudioBook/AudioBookResolverTests.cs": (3, 3),
    "Book/BookResolverTests.cs": (19, 19),
    "Music/MultiDiscAlbumTests.cs": (31, 31),
    "TV/AbsoluteEpisodeNumberTests.cs": (7, 7),
    "TV/DailyEpisodeTests.cs": (5, 5),
    "TV/EpisodeNumberTests.cs": (53, 54),
    "TV/EpisodeNumberWithoutSeasonTests.cs": (10, 10),
    "TV/EpisodePathParserTest.cs": (23, 23),
    "TV/MultiEpisodeTests.cs": (57, 57),
    "TV/SeasonFolderTests.cs": (20, 20),
    "TV/SeasonNumberTests.cs": (39, 39),
    "TV/SeasonPathParserTests.cs": (16, 20),
    "TV/SeriesPathParserTest.cs": (9, 9),
    "TV/SeriesResolverTests.cs": (17, 17),
    "TV/SimpleEpisodeTests.cs": (16, 16),
    "Video/CleanDateTimeTests.cs": (36, 36),
    "Video/CleanStringTests.cs": (26, 26),
    "Video/ExtraTests.cs": (112, 112),
    "Video/MultiVersionTests.cs": (2, 2),
    "Video/StackTests.cs": (66, 74),
    "Video/VideoListResolverTests.cs": (36, 38),
    "Video/VideoResolverTests.cs": (16, 16),
}

ALL = [case for table in TABLES for case in cases(table)]


def _agrees(case: Case) -> bool:
    got, want = reading(case), dict(case.expect)
    for key in _IGNORE_CASE.get(case.source, ()):
        if key in got:
            got[key], want[key] = got[key].casefold(), want[key].casefold()
    return got == want


def test_the_three_tables_are_there_and_name_their_sources() -> None:
    assert {t.name for t in TABLES} == {"jellyfin-naming-tv.tsv", "jellyfin-naming-video.tsv",
                                        "jellyfin-naming-music-books.tsv"}
    assert len(ALL) >= 600
    assert {c.source for c in ALL} == set(AGREEMENT)


def _params(table_cases: list[Case]) -> list[object]:
    out: list[object] = []
    for case in table_cases:
        why = DIFFERENT.get((case.source, case.input))
        marks = [pytest.mark.xfail(strict=True, reason=why)] if why else []
        out.append(pytest.param(case, id=case.id, marks=marks))
    return out


@pytest.mark.parametrize("case", _params(cases(TABLES[0])))
def test_music_books_and_audiobooks_read_as_jellyfin_reads_them(case: Case) -> None:
    assert _agrees(case), (case.expect, reading(case))


@pytest.mark.parametrize("case", _params(cases(TABLES[1])))
def test_series_seasons_and_episodes_read_as_jellyfin_reads_them(case: Case) -> None:
    assert _agrees(case), (case.expect, reading(case))


@pytest.mark.parametrize("case", _params(cases(TABLES[2])))
def test_movies_parts_versions_and_extras_read_as_jellyfin_reads_them(case: Case) -> None:
    assert _agrees(case), (case.expect, reading(case))


def test_every_listed_difference_is_a_tabled_case() -> None:
    keys = {(c.source, c.input) for c in ALL}
    assert set(DIFFERENT) <= keys


def test_agreement_per_jellyfin_test_file_is_as_recorded() -> None:
    total: Counter[str] = Counter()
    agreed: Counter[str] = Counter()
    for case in ALL:
        total[case.source] += 1
        agreed[case.source] += _agrees(case)
    assert {s: (agreed[s], total[s]) for s in total} == AGREEMENT
