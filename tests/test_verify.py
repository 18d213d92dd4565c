"""verify: a clean library passes; each rule fires alone on a tree made to break it."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from pipeline.core.paths import from_wire
from pipeline.plan.verify import RULES, Violation, format_text, to_json, verify

CLEAN = (
    "Movies/Heat (1995)/Heat (1995).mkv",
    "Movies/Heat (1995)/Heat (1995).en.srt",
    "Movies/Heat (1995)/movie.nfo",
    "Movies/Alien (1979) [tmdbid-348]/Alien (1979) - 1080p.mkv",
    "Movies/Alien (1979) [tmdbid-348]/Alien (1979) - 2160p.mkv",
    "Shows/Lost (2004)/tvshow.nfo",
    "Shows/Lost (2004)/Season 01/Lost (2004) S01E01.mkv",
    "Shows/Lost (2004)/Season 00/Lost (2004) S00E01.mkv",
    "Music/Artist/Album (2001)/01 - Song.flac",
    "Books/Author/Title (2000)/Title.epub",
)


@pytest.fixture
def make_library(tmp_path: Path) -> Callable[..., Path]:
    """Return a function that writes the given relative files under a fresh root."""

    def make(*files: str, root: str = "lib") -> Path:
        base = tmp_path / root
        base.mkdir(exist_ok=True)
        for rel in files:
            path = base / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(_content(rel))
        return base

    return make


def _content(rel: str) -> bytes:
    """A file's bytes: NFOs hold the XML their place wants, unless their folder is named
    "Broken" (no XML) or "Wrong Root" (a tvshow where a movie belongs)."""
    if not rel.endswith(".nfo"):
        return b"x"
    if "Broken" in rel:
        return b"x"
    if "Wrong Root" in rel:
        return b"<tvshow/>"
    name = os.path.basename(rel)
    root = {"movie.nfo": "movie", "tvshow.nfo": "tvshow", "season.nfo": "season"}.get(name)
    if root is None:
        root = "episodedetails" if rel.startswith("Shows/") else "movie"
    return f"<{root}/>".encode()


def rel_paths(root: Path, violations: list[Violation]) -> list[tuple[str, str]]:
    return [(v.rule, os.path.relpath(from_wire(v.path), root)) for v in violations]


def test_a_clean_library_has_no_violations(make_library):
    root = make_library(*CLEAN)
    assert verify(str(root)) == []


def test_a_clean_kind_root_verified_alone_has_no_violations(make_library):
    root = make_library(*CLEAN)
    assert verify(str(root / "Movies")) == []
    assert verify(str(root / "Shows")) == []


# (rule, files under the library root, the offending path, a word the fix must contain)
RULE_CASES = [
    ("episode-outside-season",
     ("Shows/Lost (2004)/Lost (2004) S02E03.mkv",),
     "Shows/Lost (2004)/Lost (2004) S02E03.mkv", "Season 02/"),
    ("episode-outside-season",
     ("Shows/Lost (2004)/Season 01/Lost (2004) S01E01.mkv",
      "Shows/Lost (2004)/Season 01/Disc 2/Lost (2004) S01E05.mkv"),
     "Shows/Lost (2004)/Season 01/Disc 2/Lost (2004) S01E05.mkv", "Season 01/"),
    ("season-folder-name", ("Shows/Lost (2004)/S1/Lost (2004) S01E01.mkv",),
     "Shows/Lost (2004)/S1", "Season 01"),
    ("season-folder-name", ("Shows/Lost (2004)/Season 1/Lost (2004) S01E01.mkv",),
     "Shows/Lost (2004)/Season 1", "Season 01"),
    ("season-folder-name", ("Shows/Lost (2004)/season01/Lost (2004) S01E01.mkv",),
     "Shows/Lost (2004)/season01", "Season 01"),
    ("season-folder-name", ("Shows/Lost (2004)/Series 2/Lost (2004) S02E01.mkv",),
     "Shows/Lost (2004)/Series 2", "Season 02"),
    ("season-folder-name", ("Shows/Lost (2004)/Staffel 1/Lost (2004) S01E01.mkv",),
     "Shows/Lost (2004)/Staffel 1", "Season 01"),
    ("version-prefix",
     ("Movies/Heat (1995)/Heat (1995) - 1080p.mkv", "Movies/Heat (1995)/Heat.1995.2160p.mkv"),
     "Movies/Heat (1995)/Heat.1995.2160p.mkv", "Heat (1995) - 2160p.mkv"),
    ("reserved-character", ("Movies/Heat (1995)/Heat (1995)?.mkv",),
     "Movies/Heat (1995)/Heat (1995)?.mkv", "Heat (1995)_.mkv"),
    ("reserved-character", ("Music/Artist: Live /01 - Song.flac",),
     "Music/Artist: Live ", "Artist - Live"),
    ("movie-without-year", ("Movies/Heat/Heat (1995).mkv",), "Movies/Heat", "Heat (1995)"),
    ("orphan-subtitle",
     ("Movies/Heat (1995)/Heat (1995).mkv", "Movies/Heat (1995)/English.srt"),
     "Movies/Heat (1995)/English.srt", "Heat (1995).en.srt"),
    ("nfo-name", ("Movies/Heat (1995)/Heat (1995).mkv", "Movies/Heat (1995)/Heat.nfo"),
     "Movies/Heat (1995)/Heat.nfo", "movie.nfo"),
    ("nfo-name", ("Movies/Heat (1995)/Heat (1995).mkv", "Movies/Heat (1995)/Movie.nfo"),
     "Movies/Heat (1995)/Movie.nfo", "movie.nfo"),
    ("nfo-name", ("Shows/Lost (2004)/Season 01/Lost (2004) S01E01.mkv",
                  "Shows/Lost (2004)/Season 01/tvshow.nfo"),
     "Shows/Lost (2004)/Season 01/tvshow.nfo", "series folder"),
    ("extras-folder-name",
     ("Movies/Heat (1995)/Heat (1995).mkv", "Movies/Heat (1995)/Trailer/Heat.mkv"),
     "Movies/Heat (1995)/Trailer", "trailers"),
    ("extras-folder-name",
     ("Movies/Heat (1995)/Heat (1995).mkv", "Movies/Heat (1995)/Featurette/Making of.mkv"),
     "Movies/Heat (1995)/Featurette", "featurettes"),
    ("nfo-invalid", ("Movies/Broken (1999)/Broken (1999).mkv", "Movies/Broken (1999)/movie.nfo"),
     "Movies/Broken (1999)/movie.nfo", "overwrite-nfo"),
    ("nfo-root", ("Movies/Wrong Root (1999)/Wrong Root (1999).mkv",
                  "Movies/Wrong Root (1999)/movie.nfo"),
     "Movies/Wrong Root (1999)/movie.nfo", "<movie>"),
]


@pytest.mark.parametrize(("rule", "files", "where", "fix_word"), RULE_CASES)
def test_each_rule_fires_alone_on_a_tree_that_breaks_it(make_library, rule, files, where,
                                                        fix_word):
    root = make_library(*files)
    found = verify(str(root))
    assert rel_paths(root, found) == [(rule, where)]
    assert fix_word in found[0].fix
    assert found[0].message


def test_a_series_root_with_seasons_and_videos_is_mixed(make_library):
    root = make_library("Shows/Lost (2004)/Season 01/Lost (2004) S01E01.mkv",
                        "Shows/Lost (2004)/Lost (2004) S01E02.mkv")
    found = rel_paths(root, verify(str(root)))
    assert found == [("mixed-series-root", "Shows/Lost (2004)"),
                     ("episode-outside-season", "Shows/Lost (2004)/Lost (2004) S01E02.mkv")]


def test_every_rule_id_has_a_test_case():
    assert {case[0] for case in RULE_CASES} | {"mixed-series-root"} == set(RULES)


NEGATIVE_CASES = [
    ("Shows/Lost (2004)/Season 00/Lost (2004) S00E01.mkv",),
    ("Shows/Lost (2004)/Specials/Lost (2004) S00E01.mkv",),
    ("Shows/Lost (2004)/Season 100/Lost (2004) S100E01.mkv",),
    ("Shows/Lost (2004)/Season 01/Lost (2004) S01E01.mkv",
     "Shows/Lost (2004)/Season 01/Lost (2004) S01E01.nfo",
     "Shows/Lost (2004)/Season 01/season.nfo",
     "Shows/Lost (2004)/Season 01/Lost (2004) S01E01.de.srt",
     "Shows/Lost (2004)/extras/Making of.mkv"),
    ("Movies/Heat (1995)/Heat (1995).mkv", "Movies/Heat (1995)/Heat (1995).en.forced.srt",
     "Movies/Heat (1995)/Heat (1995).nfo"),
    ("Movies/Heat (1995)/Heat (1995).mkv", "Movies/Heat (1995)/Heat (1995)-trailer.mkv",
     "Movies/Heat (1995)/Trailers/Teaser.mkv", "Movies/Heat (1995)/featurettes/A.mkv",
     "Movies/Heat (1995)/Behind The Scenes/B.mkv", "Movies/Heat (1995)/Extras/C.mkv",
     "Movies/Heat (1995)/deleted scenes/D.mkv"),
    ("Movies/Heat (1995)/Heat (1995)-part1.mkv", "Movies/Heat (1995)/Heat (1995)-part2.mkv"),
    ("Movies/Heat (1995)/Heat (1995).mkv", "Movies/Heat (1995)/Heat (1995) - 4K.mkv"),
    ("Movies/Heat (1995)/.hidden/bad?name.srt",),
]


@pytest.mark.parametrize("files", NEGATIVE_CASES)
def test_well_named_trees_trigger_nothing(make_library, files):
    root = make_library(*files)
    assert verify(str(root)) == []


def test_a_kind_root_with_an_unknown_name_is_read_by_content(make_library):
    root = make_library("Lost (2004)/Season 1/Lost (2004) S01E01.mkv", root="Stuff")
    assert rel_paths(root, verify(str(root))) == [("season-folder-name", "Lost (2004)/Season 1")]


def test_kind_root_names_are_case_insensitive_and_aliased(make_library):
    root = make_library("tv shows/Lost (2004)/Lost (2004) S01E01.mkv",
                        "FILMS/Heat/Heat (1995).mkv")
    assert rel_paths(root, verify(str(root))) == [
        ("movie-without-year", "FILMS/Heat"),
        ("episode-outside-season", "tv shows/Lost (2004)/Lost (2004) S01E01.mkv"),
    ]


def test_symlinked_folders_are_not_followed(make_library, tmp_path):
    outside = tmp_path / "elsewhere" / "Bad Season"
    outside.mkdir(parents=True)
    (outside / "Show S01E01.mkv").write_bytes(b"x")
    root = make_library("Shows/Lost (2004)/Season 01/Lost (2004) S01E01.mkv")
    (root / "Shows" / "Lost (2004)" / "link").symlink_to(outside)
    assert verify(str(root)) == []


def test_violations_are_sorted_by_path(make_library):
    root = make_library("Movies/Zed/Zed (2000).mkv", "Movies/Abc/Abc (2001).mkv",
                        "Movies/Mid/Mid (2002).mkv")
    paths = [v.path for v in verify(str(root))]
    assert paths == sorted(paths)
    assert len(paths) == 3


def test_odd_names_do_not_crash_and_print_on_one_line(make_library):
    root = make_library("Movies/Heat (1995)/Heat (1995).mkv")
    folder = os.fsencode(root / "Movies" / "Heat (1995)")
    for name in (b"Heat (1995).caf\xe9.srt", b"bad\nname.srt", b"caf\xe9\n.nfo"):
        with open(os.path.join(folder, name), "wb") as handle:
            handle.write(b"x")
    found = verify(str(root))
    rules = sorted(v.rule for v in found)
    assert rules == ["nfo-name", "orphan-subtitle", "reserved-character", "reserved-character"]
    text = format_text(found)
    assert len(text.splitlines()) == len(found)
    assert "\\xe9" in text
    decoded = json.loads(to_json(found))
    assert [d["rule"] for d in decoded] == [v.rule for v in found]


def test_format_text_has_rule_path_message_and_fix(make_library):
    root = make_library("Movies/Heat/Heat (1995).mkv")
    line = format_text(verify(str(root)))
    assert line == (f"movie-without-year: {root}/Movies/Heat: the movie folder's name has no"
                    " (YYYY) (fix: rename to Heat (1995))\n")


NFO_CASES = [
    ("Movies/Heat (1995)/movie.nfo", "<movie><title>Heat</title></movie>", []),
    ("Movies/Heat (1995)/movie.nfo", "<tvshow><title>Heat</title></tvshow>", ["nfo-root"]),
    ("Movies/Heat (1995)/Heat (1995).nfo", "<movie><title>Heat</title>", ["nfo-invalid"]),
    ("Movies/Heat (1995)/movie.nfo", "https://www.imdb.com/title/tt0113277/", []),
    ("Shows/Lost/tvshow.nfo", "<tvshow><title>Lost</title></tvshow>", []),
    ("Shows/Lost/tvshow.nfo", "<movie><title>Lost</title></movie>", ["nfo-root"]),
    ("Shows/Lost/Season 01/season.nfo", "<season><seasonnumber>1</seasonnumber></season>", []),
    ("Shows/Lost/Season 01/Lost S01E01.nfo", "<movie><title>Pilot</title></movie>",
     ["nfo-root"]),
    ("Shows/Lost/Season 01/Lost S01E01.nfo", "<episodedetails/>", []),
    ("Music/Nora Vale/Lanterns (2014)/album.nfo", "<album><title>L</title></album>", []),
    ("Music/Nora Vale/album.nfo", "<artist/>", ["nfo-root"]),
    ("Music/Nora Vale/artist.nfo", "not xml at all", ["nfo-invalid"]),
]


@pytest.mark.parametrize(("rel", "body", "rules"), NFO_CASES,
                         ids=[f"{r} {b[:20]}" for r, b, _ in NFO_CASES])
def test_an_nfo_must_parse_and_fit_its_place(tmp_path: Path, rel: str, body: str,
                                             rules: list[str]) -> None:
    videos = {"Movies/Heat (1995)/Heat (1995).mkv", "Shows/Lost/Season 01/Lost S01E01.mkv",
              "Music/Nora Vale/Lanterns (2014)/01 - Harbour.flac"}
    for path in videos:
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).touch()
    (tmp_path / rel).write_text(body, encoding="utf-8")
    found = [v.rule for v in verify(str(tmp_path)) if v.rule.startswith("nfo-")]
    assert found == rules


@pytest.mark.parametrize(("disc", "rules"), [("BDMV/STREAM/00000.m2ts", []),
                                             ("VIDEO_TS/VTS_01_1.VOB", []),
                                             ("Extras/making of.m2ts", ["nfo-name"])])
def test_a_disc_rip_reads_its_nfo_by_the_folders_name(tmp_path: Path, disc: str,
                                                      rules: list[str]) -> None:
    # Jellyfin's MovieNfoSaver looks for <folder>/<folder>.nfo beside BDMV/ or VIDEO_TS/
    # only: in any other movie folder that name describes no video.
    folder = tmp_path / "Movies" / "Bright Highway (2021)"
    (folder / disc).parent.mkdir(parents=True)
    (folder / disc).touch()
    (folder / "Bright Highway (2021).nfo").write_text("<movie><title>B</title></movie>",
                                                      encoding="utf-8")
    found = [v.rule for v in verify(str(tmp_path)) if v.rule.startswith("nfo-")]
    assert found == rules
