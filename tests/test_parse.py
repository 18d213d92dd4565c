"""parse_video: the public real-world naming table, folder context, the output contract."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import msgspec
import pytest

from pipeline.core.records import Parse
from pipeline.probe.parse import parse_video, warm
from tests.conftest import REPO
from tests.naming_tables import (
    MUSIC_BOOKS,
    RELEASES,
    VIDEO,
    VIDEO_TABLES,
    Example,
    comparable,
    examples,
    params,
)

EXAMPLE_ROWS = [row for table in VIDEO_TABLES for row in examples(table)]
VIDEO_ROWS = params([row for row in EXAMPLE_ROWS if row.kind != "skip"])
SKIP_ROWS = params([row for row in EXAMPLE_ROWS if row.kind == "skip"])


def assert_plain(parse: Parse) -> None:
    """Only str, int and lists of them; episode lists sorted; JSON round-trips exactly."""
    for name in parse.__struct_fields__:
        value = getattr(parse, name)
        assert value is None or type(value) in (str, int, list), (name, value)
        if isinstance(value, list):
            assert all(type(item) in (str, int) for item in value), (name, value)
    assert parse.episodes == sorted(set(parse.episodes))
    assert parse.absolute_episodes == sorted(set(parse.absolute_episodes))
    assert msgspec.json.decode(msgspec.json.encode(parse), type=Parse) == parse


# --- the public table: what a Jellyfin user expects from real names --------


def test_the_naming_tables_are_present() -> None:
    assert len(examples(VIDEO)) >= 100, f"{VIDEO} truncated"
    assert len(examples(RELEASES)) >= 75, f"{RELEASES} truncated"


@pytest.mark.parametrize("row", VIDEO_ROWS)
def test_a_real_world_name_parses_to_what_a_jellyfin_user_expects(row: Example) -> None:
    parse = parse_video("/lib/" + row.relpath, "/lib")
    assert parse.type == row.kind
    assert comparable(parse.title) == comparable(row.title)
    assert parse.year == row.year
    assert parse.season == row.season
    assert parse.episodes == row.episodes
    assert_plain(parse)


@pytest.mark.parametrize("row", SKIP_ROWS)
def test_junk_samples_and_trailers_parse_without_raising(row: Example) -> None:
    assert_plain(parse_video("/lib/" + row.relpath, "/lib"))


# --- our own table: folder context, anime, numbering, cleanup --------------

CASES: list[Any] = [
    # Obfuscated or generic names inside a release or movie folder.
    ("/lib/Annihilation.2018.1080p.WEB-DL.DD5.1.H264-FGT/RZ4kQxP2.mkv",
     {"type": "movie", "title": "Annihilation", "year": 2018, "source_of_title": "folder",
      "screen_size": "1080p", "release_group": "FGT"}, "a random name takes its release folder"),
    ("/lib/Ex.Machina.2015.1080p.BluRay.x264-SPARKS/8f14e45fceea167a5a36dedd4bea2543.mkv",
     {"title": "Ex Machina", "year": 2015, "source_of_title": "folder"},
     "a hash name takes its release folder"),
    ("/lib/Birdman.2014.1080p.WEB-DL.DD5.1.H264-FGT/birdman.mkv",
     {"title": "Birdman", "year": 2014, "source_of_title": "folder"},
     "a bare title takes the year its release folder adds"),
    ("/lib/Films/Sci-Fi/Contact (1997)/movie.mkv",
     {"title": "Contact", "year": 1997, "source_of_title": "folder"},
     "movie.mkv takes its plainly named folder"),
    ("/lib/Movies/Heat (1995)/BDMV/STREAM/00000.m2ts",
     {"type": "movie", "title": "Heat", "year": 1995, "source_of_title": "folder"},
     "a blu-ray stream takes the folder holding the disc structure"),
    ("/lib/Heat.1995.1080p.BluRay.x264-GRP/CD2/grp-heat-cd2.avi",
     {"title": "Heat", "year": 1995, "part": 2, "source_of_title": "folder"},
     "a CD folder gives the part and its release folder the title"),
    ("/lib/Movies/Alien (1979)/Alien (1979).mkv",
     {"title": "Alien", "year": 1979, "source_of_title": None},
     "a well named file keeps its own identity"),
    # Season folders, in several languages.
    ("/lib/Show/Season 2/03 - Pilot.mkv",
     {"type": "episode", "title": "Show", "season": 2, "episodes": [3],
      "episode_title": "Pilot", "absolute_episodes": [], "source_of_title": "series folder"},
     "a bare episode takes show and season from its folders"),
    ("/lib/TV Shows/The Carnival and the Letter/Season 1/11 - The Carnival.mkv",
     {"title": "The Carnival and the Letter", "episode_title": "The Carnival", "episodes": [11]},
     "an episode title sharing the series' words is still the episode's"),
    ("/lib/Dark/Staffel 1/Folge 03.mkv",
     {"title": "Dark", "season": 1, "episodes": [3], "source_of_title": "series folder"},
     "a German Staffel folder is a season"),
    ("/lib/Lupin/Saison 2/Épisode 05.mkv",
     {"title": "Lupin", "season": 2, "episodes": [5]}, "a French Saison folder is a season"),
    ("/lib/Gomorra/Stagione 3/Episodio 02.mkv",
     {"title": "Gomorra", "season": 3, "episodes": [2]}, "an Italian Stagione folder is a season"),
    ("/lib/Flikken/Seizoen 2/Aflevering 3.mkv",
     {"title": "Flikken", "season": 2, "episodes": [3]}, "a Dutch Seizoen folder is a season"),
    ("/lib/Wiedzmin/Sezon 2/Odcinek 3.mkv",
     {"title": "Wiedzmin", "season": 2, "episodes": [3]}, "a Polish Sezon folder is a season"),
    ("/lib/Sherlock/Series 2/Sherlock - 2x01 - A Scandal in Belgravia.mkv",
     {"title": "Sherlock", "season": 2, "episodes": [1], "source_of_title": None,
      "episode_title": "A Scandal in Belgravia"}, "a British Series folder is a season"),
    ("/lib/Show/Specials/Show - Christmas Special.mkv",
     {"type": "episode", "title": "Show", "season": 0, "episode_title": "Christmas Special"},
     "a Specials folder is season 0"),
    ("/lib/Breaking.Bad.S01-S05.1080p.BluRay.x264-GRP/Season 1/Episode 1.mkv",
     {"title": "Breaking Bad", "season": 1, "episodes": [1], "source_of_title": "series folder"},
     "a release-named series folder is read by guessit"),
    ("/lib/Doctor Who (2005)/Season 1/Doctor Who - S01E01.mkv",
     {"title": "Doctor Who", "year": 2005, "season": 1, "source_of_title": None},
     "a series folder adds the year that tells remakes apart"),
    ("/lib/The Crown/Season 3/The.Crown.S02E05.mkv",
     {"season": 2, "episodes": [5]}, "the season in the name beats the season folder"),
    ("/lib/The Office/The Office - 05.mkv",
     {"type": "episode", "title": "The Office", "season": 1, "episodes": [5]},
     "a series folder without seasons leaves a named episode alone"),
    ("/lib/Show/E02.mkv",
     {"type": "episode", "title": "Show", "season": 1, "episodes": [2],
      "source_of_title": "series folder"}, "a title-less episode takes its series folder"),
    # Generic parents and the library root never become titles.
    ("/lib/Downloads/RZ4kQxP2.mkv", {"title": "RZ4kQxP2", "source_of_title": None},
     "a Downloads folder is no title"),
    ("/lib/Movies (unsorted)/S/Silent.Harbor.1999.1080p.BluRay.x264-NOVA.mkv",
     {"title": "Silent Harbor", "year": 1999, "source_of_title": None},
     "A-Z bucket folders are no title"),
    ("/lib/Star Wars Collection/Star Wars.mkv",
     {"title": "Star Wars", "source_of_title": None}, "a collection folder is no title"),
    ("/lib/TV/Season 2/03 - Pilot.mkv",
     {"type": "episode", "title": None, "episode_title": "Pilot", "season": 2, "episodes": [3]},
     "a generic folder above a season folder is no series"),
    # Anime.
    ("/lib/[SubsPlease] Sousou no Frieren - 12 (1080p) [F2C8A1D4].mkv",
     {"type": "episode", "title": "Sousou no Frieren", "season": 1, "episodes": [12],
      "absolute_episodes": [12], "release_group": "SubsPlease"},
     "an absolute anime number is season 1 and kept as absolute"),
    ("/lib/[SubsPlease] 86 - Eighty Six - 05 (1080p) [E1F2A3B4].mkv",
     {"title": "86 - Eighty Six", "episodes": [5]}, "a numeric anime title is no episode"),
    ("/lib/[SubsPlease] Oshi no Ko - 01v2 (1080p) [D4C3B2A1].mkv",
     {"title": "Oshi no Ko", "episodes": [1]}, "a v2 revision is the same episode"),
    ("/lib/Anime/One Piece/[HorribleSubs] One Piece - 1000 [1080p].mkv",
     {"title": "One Piece", "season": 1, "episodes": [1000]}, "a four-digit episode number"),
    ("/lib/[ASW] Kimetsu no Yaiba - 11 [1080p HEVC][8F3A2B1C].mkv",
     {"title": "Kimetsu no Yaiba", "alternative_titles": []}, "a CRC is no title"),
    # Multi-episode files and dates.
    ("/lib/Show.S01E01-E03.mkv", {"season": 1, "episodes": [1, 2, 3]}, "an episode range"),
    ("/lib/Show.1x01-1x02.mkv", {"season": 1, "episodes": [1, 2]}, "a 1x01-1x02 range"),
    ("/lib/The.Daily.Show.2023.05.11.720p.mkv",
     {"type": "episode", "title": "The Daily Show", "date": "2023-05-11", "season": None,
      "episodes": []}, "a dated episode keeps its date and no season"),
    ("/lib/Late.Night.Roundtable.E112.230914.720p.WEB.h264-GRP.mkv",
     {"type": "episode", "date": "2023-09-14", "season": 1, "episodes": [112]},
     "a number beside an air date wins, in season 1, and the date is kept"),
    ("/lib/230512 Weekend Variety ep07.mp4",
     {"title": "Weekend Variety", "date": "2023-05-12", "season": 1, "episodes": [7]},
     "a leading broadcast stamp is the air date"),
    ("/lib/Night.Desk.150910.720p.HDTV.x264-GRP.mkv",
     {"type": "episode", "date": "2015-09-10", "season": None, "episodes": []},
     "a six-digit stamp is read YYMMDD"),
    # Hand-named movies.
    ("/lib/Matrix, The (1999).mkv", {"title": "The Matrix", "year": 1999},
     "a trailing article moves to the front"),
    ("/lib/Blade Runner (1982) Final Cut.mkv",
     {"type": "movie", "title": "Blade Runner", "edition": "Final Cut", "episode_title": None},
     "a cut named after the year is an edition, not an episode"),
    ("/lib/Amadeus (1984) Director's Cut.mkv",
     {"title": "Amadeus", "edition": "Director's Cut"}, "an edition after the year"),
    ("/lib/The Ten Commandments 1956 Disc 1.avi",
     {"title": "The Ten Commandments", "part": 1, "alternative_titles": []}, "Disc 1 is part 1"),
    ("/lib/Movie (2010) CD2.avi", {"part": 2}, "CD2 is part 2"),
    ("/lib/www.Torrenting.com - Palm.Springs.2020.1080p.WEBRip.x264-GRP.mkv",
     {"title": "Palm Springs", "year": 2020}, "a site prefix is no title"),
    # Languages, as stored codes.
    ("/lib/Movie Title (2019) [1080p] [ENG+SPA].mkv", {"languages": ["en", "es"]},
     "audio languages become ISO codes"),
    ("/lib/Movie.Title.2019.1080p.BluRay.x264.ENG.SUBS.mkv", {"subtitle_languages": ["en"]},
     "subtitle languages become ISO codes"),
    ("/lib/Parasite.2019.KOREAN.1080p.BluRay.x264.DTS-FGT.mkv", {"languages": ["ko"]},
     "a spelled-out language becomes its code"),
    # Title cleanup.
    ("/lib/Ame\u0301lie (2001).mkv", {"title": "Am\u00e9lie"}, "a decomposed name is composed"),
    ("/lib/Requiem_for_a_Dream_(2000)_DVDRip_XviD.avi", {"title": "Requiem for a Dream"},
     "underscores become spaces"),
    ("/lib/Брат (1997).avi", {"title": "Брат", "year": 1997}, "Cyrillic is kept"),
    ("/lib/臥虎藏龍 (2000).mkv", {"title": "臥虎藏龍", "year": 2000}, "Chinese is kept"),
    # Names that are not UTF-8 (os form: lone surrogates).
    (os.fsdecode(b"/lib/Caf\xe9 Society (2016).mkv"), {"title": "Café Society", "year": 2016},
     "a Latin-1 name is read as Latin-1"),
    (os.fsdecode(b"/lib/Caf\xe9 (2016)/\xff\xfe\x81.mkv"), {"year": 2016},
     "an undecodable name in an undecodable folder"),
]


@pytest.mark.parametrize(("path", "expected"),
                         [pytest.param(path, expected, id=why) for path, expected, why in CASES])
def test_folder_context_anime_numbering_and_cleanup(path: str, expected: dict[str, Any]) -> None:
    parse = parse_video(path, "/lib")
    assert {key: getattr(parse, key) for key in expected} == expected
    assert_plain(parse)


# --- disc rips: the folder holding BDMV/ or VIDEO_TS/ names the movie ---------

DISC_ROWS = [row for row in examples(MUSIC_BOOKS) if row.kind == "disc"]


def test_the_disc_rows_are_present() -> None:
    assert len(DISC_ROWS) >= 4, f"{MUSIC_BOOKS} truncated"


@pytest.mark.parametrize("row", params(DISC_ROWS, {}))
def test_a_file_in_a_disc_structure_is_the_movie_its_folder_names(row: Example) -> None:
    parse = parse_video("/lib/" + row.relpath, "/lib")
    assert (parse.type, comparable(parse.title), parse.year) == (
        "movie", comparable(row.title), row.year)
    assert (parse.season, parse.episodes, parse.part) == (None, [], None)
    assert parse.source_of_title == "folder"


@pytest.mark.parametrize(("path", "title", "year"), [
    ("/lib/Heat (1995)/BDMV/BACKUP/STREAM/00003.m2ts", "Heat", 1995),
    ("/lib/Heat (1995)/bdmv/stream/00003.M2TS", "Heat", 1995),
    ("/lib/Heat (1995)/Disc 2/VIDEO_TS/VTS_02_3.VOB", "Heat", 1995),
    ("/lib/Heat.1995.2160p.UHD.BluRay-GRP/BDMV/STREAM/00100.m2ts", "Heat", 1995),
    ("/lib/Movies/VIDEO_TS/VTS_01_2.VOB", None, None),
    ("/lib/VIDEO_TS/VTS_01_2.VOB", None, None),
])
def test_a_disc_structure_at_any_depth_and_in_any_case_is_one_movie(
        path: str, title: str | None, year: int | None) -> None:
    parse = parse_video(path, "/lib")
    assert (parse.type, parse.title, parse.year) == ("movie", title, year)
    assert (parse.season, parse.episodes, parse.part) == (None, [], None)


def test_the_library_root_never_becomes_the_title() -> None:
    assert parse_video("/media/RZ4kQxP2.mkv", "/media").title != "media"
    assert parse_video("/media/8f14e45fceea167a5a36dedd4bea2543.mkv", "/media").title is None
    below = parse_video("/media/Heat (1995)/movie.mkv", "/media/Heat (1995)")
    assert below.title != "Heat"
    assert below.source_of_title is None


def test_a_root_given_with_a_trailing_slash_is_the_same_root() -> None:
    assert (parse_video("/media/Heat (1995)/movie.mkv", "/media/")
            == parse_video("/media/Heat (1995)/movie.mkv", "/media"))


def test_without_a_root_system_folders_are_no_titles() -> None:
    assert parse_video("/mnt/media/RZ4kQxP2.mkv").title != "media"
    assert parse_video("/srv/Downloads/8f14e45fceea167a5a36dedd4bea2543.mkv").title is None


@pytest.mark.parametrize("raw", [
    b"/lib/\xff\xfe\x80.mkv",
    b"/lib/\x81\x8d\x8f\x90\x9d (2001).avi",
    b"/lib/Season \xe9/\xe9\xe9.mkv",
    b"/lib/caf\xc3\xa9 and caf\xe9/S01E01.mkv",
])
def test_a_name_that_is_not_utf8_parses_to_json_safe_text(raw: bytes) -> None:
    assert_plain(parse_video(os.fsdecode(raw), "/lib"))


@pytest.mark.parametrize("path", ["/lib/.mkv", "/lib/", "/lib/-.mkv", "/lib/[].mkv",
                                  "/lib/" + "a" * 250 + ".mkv", "relative.mkv", ""])
def test_a_degenerate_name_parses_without_raising(path: str) -> None:
    assert_plain(parse_video(path, "/lib"))


def test_the_file_need_not_exist() -> None:
    parse = parse_video("/nonexistent/library/Knives.Out.2019.1080p.WEB-DL.mkv", "/nonexistent")
    assert (parse.title, parse.year) == ("Knives Out", 2019)


# --- warm-up and independence from the environment -------------------------

_PROBE = "/lib/Knives.Out.2019.1080p.WEB-DL.DD5.1.H264-FGT.mkv"
# A guessit configuration that, if read, makes every file an episode.
_HOSTILE_CONFIG = json.dumps({"type": "episode"})


def _plant_hostile_config(folder: Path) -> None:
    (folder / "guessit.options.json").write_text(_HOSTILE_CONFIG)
    (folder / ".guessit").mkdir(exist_ok=True)
    (folder / ".guessit" / "options.json").write_text(_HOSTILE_CONFIG)


def test_warm_then_parse_gives_the_same_result_from_any_working_directory(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    warm()
    here = parse_video(_PROBE, "/lib")
    _plant_hostile_config(tmp_path)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path))
    elsewhere = parse_video(_PROBE, "/lib")
    assert elsewhere == here
    assert elsewhere.type == "movie"


def test_a_fresh_process_ignores_guessit_configs_in_home_and_cwd(tmp_path: Path) -> None:
    # In-process, guessit has already loaded its configuration; only a new
    # process shows that a user's ~/.guessit or ./guessit.options.json is ignored.
    _plant_hostile_config(tmp_path)
    code = ("import msgspec, sys; from pipeline.probe.parse import parse_video; "
            "sys.stdout.buffer.write(msgspec.json.encode(parse_video(sys.argv[1], '/lib')))")
    env = {**os.environ, "HOME": str(tmp_path), "PYTHONPATH": str(REPO)}
    result = subprocess.run([sys.executable, "-c", code, _PROBE], cwd=tmp_path, env=env,
                            capture_output=True, check=True, timeout=120)
    assert msgspec.json.decode(result.stdout, type=Parse) == parse_video(_PROBE, "/lib")
