"""naming: Jellyfin paths from metadata, as tables; hostile titles never leave their root."""

from __future__ import annotations

import random
import re
from typing import Any

import pytest

from pipeline.plan import names
from pipeline.plan.layout import (
    disc_rip_path,
    episode_file,
    episode_path,
    extra_path,
    image_name,
    lyrics_name,
    movie_dir,
    movie_file,
    movie_path,
    season_dir,
    series_dir,
    sidecar_name,
)
from pipeline.plan.names import defuse, join_under, safe_component
from pipeline.plan.shelves import audiobook_path, book_path, music_path

RC = names.DEFAULT_REPLACE_CHARS
RESERVED = set('<>:"/\\|?*')
LONG = "Long " * 60  # 300 bytes

# Jellyfin's own episode expressions (NamingOptions), to prove titles are defused.
SXE = re.compile(r"[Ss]([0-9]+)[][ ._-]*[Ee]([0-9]+)")
NXN = re.compile(r"[0-9]{1,4}[xX][0-9]{1,3}")
DATE = re.compile(r"[0-9]{4}[._ -][0-9]{2}[._ -][0-9]{2}")
RANGE_AFTER = re.compile(r"^(-| - )?[xX]?[eE][0-9]|^(-| - )[sS]?[0-9]{1,4}[eExX][0-9]")


def assert_safe(rel: str) -> None:
    for part in rel.split("/"):
        assert part not in ("", ".", ".."), rel
        assert len(part.encode("utf-8")) <= 255, rel
        assert not RESERVED & set(part), rel
        assert not any(ord(c) < 32 or ord(c) == 127 for c in part), rel
        assert not part.endswith((".", " ")) and not part.startswith((".", " ")), rel
    assert join_under("/dest/Movies", rel).startswith("/dest/Movies/")


# --- movies ----------------------------------------------------------------------

# kwargs of movie_path -> expected relative path
MOVIES: list[tuple[dict[str, Any], str]] = [
    ({"title": "The Matrix", "year": 1999, "ext": "mkv"},
     "The Matrix (1999)/The Matrix (1999).mkv"),
    ({"title": "The Matrix", "year": 1999, "ext": "mkv", "tmdb_id": 603},
     "The Matrix (1999) [tmdbid-603]/The Matrix (1999) [tmdbid-603].mkv"),
    ({"title": "The Matrix", "year": 1999, "ext": "mkv", "imdb_id": "tt0133093"},
     "The Matrix (1999) [imdbid-tt0133093]/The Matrix (1999) [imdbid-tt0133093].mkv"),
    ({"title": "The Matrix", "year": 1999, "ext": "mkv", "tmdb_id": 603, "imdb_id": "tt0133093"},
     "The Matrix (1999) [tmdbid-603]/The Matrix (1999) [tmdbid-603].mkv"),
    ({"title": "The Matrix", "year": 1999, "ext": "mkv", "tmdb_id": 603, "ids_in_folders": False},
     "The Matrix (1999)/The Matrix (1999).mkv"),
    ({"title": "The Matrix", "year": 1999, "ext": "mkv", "imdb_id": "../etc"},
     "The Matrix (1999)/The Matrix (1999).mkv"),
    ({"title": "Primer", "year": None, "ext": "mp4"}, "Primer/Primer.mp4"),
    ({"title": "Dune", "year": 2021, "ext": "mkv", "version": "2160p"},
     "Dune (2021)/Dune (2021) - 2160p.mkv"),
    ({"title": "Dune", "year": 2021, "ext": "mkv", "version": "1080p", "tmdb_id": 438631},
     "Dune (2021) [tmdbid-438631]/Dune (2021) [tmdbid-438631] - 1080p.mkv"),
    ({"title": "Blade Runner", "year": 1982, "ext": "mkv", "edition": "Director's Cut"},
     "Blade Runner (1982)/Blade Runner (1982) - [Director's Cut].mkv"),
    ({"title": "Blade Runner", "year": 1982, "ext": "mkv", "edition": "Final Cut",
      "version": "2160p"}, "Blade Runner (1982)/Blade Runner (1982) - 2160p [Final Cut].mkv"),
    ({"title": "Blade Runner", "year": 1982, "ext": "mkv", "edition": "[Weird] Cut"},
     "Blade Runner (1982)/Blade Runner (1982) - [Weird Cut].mkv"),
    ({"title": "Kill Bill", "year": 2003, "ext": "avi", "part": 1},
     "Kill Bill (2003)/Kill Bill (2003)-part1.avi"),
    ({"title": "Kill Bill", "year": 2003, "ext": "avi", "part": 2, "tmdb_id": 24},
     "Kill Bill (2003) [tmdbid-24]/Kill Bill (2003) [tmdbid-24]-part2.avi"),
    ({"title": "Star Wars: Episode IV", "year": 1977, "ext": "mkv"},
     "Star Wars - Episode IV (1977)/Star Wars - Episode IV (1977).mkv"),
    ({"title": "What's Up, Doc?", "year": 1972, "ext": "mkv"},
     "What's Up, Doc (1972)/What's Up, Doc (1972).mkv"),
    ({"title": "Amélie", "year": 2001, "ext": "mkv"}, "Amélie (2001)/Amélie (2001).mkv"),
    ({"title": "Ame\u0301lie", "year": 2001, "ext": "mkv"}, "Amélie (2001)/Amélie (2001).mkv"),
    ({"title": "千と千尋の神隠し", "year": 2001, "ext": "mkv"},
     "千と千尋の神隠し (2001)/千と千尋の神隠し (2001).mkv"),
    ({"title": "Face/Off", "year": 1997, "ext": "mkv"}, "Face-Off (1997)/Face-Off (1997).mkv"),
    ({"title": "S01E01", "year": 2010, "ext": "mkv"}, "S01·E01 (2010)/S01·E01 (2010).mkv"),
    ({"title": "Fake [tmdbid-1]", "year": 2010, "ext": "mkv"},
     "Fake (tmdbid 1) (2010)/Fake (tmdbid 1) (2010).mkv"),
    ({"title": "[REC]", "year": 2007, "ext": "mkv"}, "(REC) (2007)/(REC) (2007).mkv"),
    ({"title": "Rocky: 2", "year": 1979, "ext": "mkv"}, "Rocky 2 (1979)/Rocky 2 (1979).mkv"),
    ({"title": None, "year": None, "ext": ".MKV"}, "Unknown Movie/Unknown Movie.MKV"),
    ({"title": "Se7en", "year": 1995, "ext": "mkv"}, "Se7en (1995)/Se7en (1995).mkv"),
    ({"title": "Apollo 13", "year": 1995, "ext": "mkv"}, "Apollo 13 (1995)/Apollo 13 (1995).mkv"),
]


@pytest.mark.parametrize(("kwargs", "expected"), MOVIES)
def test_movie_paths_follow_jellyfin_naming(kwargs: dict[str, Any], expected: str) -> None:
    path = movie_path(**kwargs)
    assert path == expected
    assert_safe(path)


@pytest.mark.parametrize(("kwargs", "_expected"), MOVIES)
def test_every_movie_file_starts_with_exactly_its_folder_name(
    kwargs: dict[str, Any], _expected: str
) -> None:
    folder, name = movie_path(**kwargs).split("/")
    assert name.startswith(folder)
    rest = name[len(folder):]
    assert rest.startswith((" - ", "-part", ".")), rest
    ids = {k: kwargs[k] for k in ("tmdb_id", "imdb_id", "ids_in_folders") if k in kwargs}
    assert folder == movie_dir(kwargs["title"], kwargs["year"], **ids)


@pytest.mark.parametrize("version", ["2160p", "1080p", "720p", "Director's Cut", "3D: HSBS"])
def test_every_version_is_grouped_under_the_folder_by_space_hyphen_space(version: str) -> None:
    folder = movie_dir("Star Wars: Episode IV", 1977, tmdb_id=11)
    name = movie_file("Star Wars: Episode IV", 1977, "mkv", version=version, tmdb_id=11)
    assert name.startswith(folder + " - ")


def test_a_300_byte_title_is_cut_on_a_character_boundary_keeping_the_extension() -> None:
    for title in (LONG, "é" * 300, "日本" * 100):
        path = movie_path(title, 2000, "mkv", version="2160p", tmdb_id=603)
        folder, name = path.split("/")
        assert name.endswith(" - 2160p.mkv") and name.startswith(folder)
        assert len(name.encode()) <= names.VIDEO_STEM_BYTES + 4
        assert_safe(path)


def test_parts_cannot_be_combined_with_versions() -> None:
    with pytest.raises(ValueError, match="parts"):
        movie_file("Dune", 2021, "mkv", version="2160p", part=1)


EXTRAS = [
    ("trailer", "Dune Trailer 2.mp4", "Dune (2021)/trailers/Dune Trailer 2.mp4"),
    ("featurette", "Making of.mkv", "Dune (2021)/featurettes/Making of.mkv"),
    ("behind the scenes", "b.mkv", "Dune (2021)/behind the scenes/b.mkv"),
    ("deleted scene", "cut: 1?.mkv", "Dune (2021)/deleted scenes/cut - 1.mkv"),
    ("interview", "i.mkv", "Dune (2021)/interviews/i.mkv"),
    ("scene", "s.mkv", "Dune (2021)/scenes/s.mkv"),
    ("short", "s.mkv", "Dune (2021)/shorts/s.mkv"),
    ("extra", "../../x.mkv", "Dune (2021)/extras/-..-x.mkv"),
]


@pytest.mark.parametrize(("role", "name", "expected"), EXTRAS)
def test_extras_go_to_their_role_folder_beside_the_movie(role: str, name: str,
                                                         expected: str) -> None:
    path = extra_path(movie_dir("Dune", 2021), role, name)
    assert path == expected
    assert_safe(path)


def test_extras_refuse_an_unknown_role_or_an_unsafe_folder() -> None:
    with pytest.raises(ValueError):
        extra_path("Dune (2021)", "main", "x.mkv")
    with pytest.raises(ValueError):
        extra_path("../Dune", "trailer", "x.mkv")


# --- shows -----------------------------------------------------------------------

# kwargs of episode_path -> expected relative path
EPISODES: list[tuple[dict[str, Any], str]] = [
    ({"series": "Lost", "year": 2004, "season": 1, "episodes": [2], "ext": "mkv"},
     "Lost (2004)/Season 01/Lost (2004) S01E02.mkv"),
    ({"series": "Lost", "year": 2004, "season": 1, "episodes": [2], "ext": "mkv", "tvdb_id": 73739},
     "Lost (2004) [tvdbid-73739]/Season 01/Lost (2004) S01E02.mkv"),
    ({"series": "Lost", "year": 2004, "season": 1, "episodes": [2], "ext": "mkv", "tmdb_id": 4607},
     "Lost (2004) [tmdbid-4607]/Season 01/Lost (2004) S01E02.mkv"),
    ({"series": "Lost", "year": None, "season": 3, "episodes": [10], "ext": "mkv"},
     "Lost/Season 03/Lost S03E10.mkv"),
    ({"series": "Lost", "year": 2004, "season": 0, "episodes": [1], "ext": "mkv"},
     "Lost (2004)/Season 00/Lost (2004) S00E01.mkv"),
    ({"series": "Lost", "year": 2004, "season": 1, "episodes": [1, 2], "ext": "mkv",
      "episode_title": "Pilot"}, "Lost (2004)/Season 01/Lost (2004) S01E01-E02 - Pilot.mkv"),
    ({"series": "Lost", "year": 2004, "season": 1, "episodes": [3, 1], "ext": "mkv"},
     "Lost (2004)/Season 01/Lost (2004) S01E01-E03.mkv"),
    ({"series": "Lost", "year": 2004, "season": 1, "episodes": [2, 2], "ext": "mkv"},
     "Lost (2004)/Season 01/Lost (2004) S01E02.mkv"),
    ({"series": "One Piece", "year": 1999, "season": 21, "episodes": [1000], "ext": "mkv"},
     "One Piece (1999)/Season 21/One Piece (1999) S21E1000.mkv"),
    ({"series": "Show", "year": 2020, "season": 1, "episodes": [105], "ext": "mkv"},
     "Show (2020)/Season 01/Show (2020) S01E105.mkv"),
    ({"series": "Show", "year": 2020, "season": 1, "episodes": [1], "ext": "mkv",
      "episode_title": "S02E03 Again"},
       "Show (2020)/Season 01/Show (2020) S01E01 - S02·E03 Again.mkv"),
    ({"series": "Show", "year": 2020, "season": 1, "episodes": [1], "ext": "mkv",
      "episode_title": "1-23-45"}, "Show (2020)/Season 01/Show (2020) S01E01 - 1–23–45.mkv"),
    ({"series": "Show", "year": 2020, "season": 1, "episodes": [1], "ext": "mkv",
      "episode_title": "E3"}, "Show (2020)/Season 01/Show (2020) S01E01 - E 3.mkv"),
    ({"series": "Show", "year": 2020, "season": 1, "episodes": [1], "ext": "mkv",
      "episode_title": "1x02 on 2020.01.02"},
     "Show (2020)/Season 01/Show (2020) S01E01 - 1×02 on 2020–01–02.mkv"),
    ({"series": "Show", "year": 2020, "season": 1, "episodes": [1], "ext": "mkv",
      "episode_title": "Who? What: Why"},
       "Show (2020)/Season 01/Show (2020) S01E01 - Who What - Why.mkv"),
    ({"series": "Show", "year": 2020, "season": 1, "episodes": [1], "ext": "mkv",
      "episode_title": " ... "}, "Show (2020)/Season 01/Show (2020) S01E01.mkv"),
    ({"series": "S01E01: The Show", "year": 2020, "season": 1, "episodes": [1], "ext": "mkv"},
     "S01·E01 - The Show (2020)/Season 01/S01·E01 - The Show (2020) S01E01.mkv"),
]


@pytest.mark.parametrize(("kwargs", "expected"), EPISODES)
def test_episode_paths_follow_jellyfin_naming(kwargs: dict[str, Any], expected: str) -> None:
    path = episode_path(**kwargs)
    assert path == expected
    assert_safe(path)


@pytest.mark.parametrize(("kwargs", "_expected"), EPISODES)
def test_an_episode_file_carries_exactly_one_episode_code(kwargs: dict[str, Any],
                                                          _expected: str) -> None:
    args = {k: v for k, v in kwargs.items() if k not in ("tvdb_id", "tmdb_id")}
    name = episode_file(**args)
    assert len(SXE.findall(name)) == 1
    assert not NXN.search(name) and not DATE.search(name)
    tail = name.split(SXE.search(name).group(0), 1)[1]  # type: ignore[union-attr]
    tail = re.sub(r"^-E[0-9]+", "", tail)
    assert not RANGE_AFTER.search(tail)


def test_a_long_episode_title_is_cut_so_sidecars_still_fit() -> None:
    name = episode_file(LONG, 2020, 1, [1], "mkv", episode_title="é" * 400)
    assert len(name.rsplit(".", 1)[0].encode()) <= names.VIDEO_STEM_BYTES
    sub = sidecar_name(name, "srt", language="pt-BR", flags=["default", "forced", "sdh"])
    assert sub.startswith(name.rsplit(".", 1)[0]) and len(sub.encode()) <= 255


@pytest.mark.parametrize(("season", "expected"), [(0, "Season 00"), (1, "Season 01"),
                                                  (12, "Season 12"), (2010, "Season 2010")])
def test_season_folders_are_zero_padded(season: int, expected: str) -> None:
    assert season_dir(season) == expected


def test_bad_season_or_episode_numbers_are_refused() -> None:
    with pytest.raises(ValueError):
        season_dir(-1)
    with pytest.raises(ValueError):
        episode_file("Show", 2020, 1, [], "mkv")
    with pytest.raises(ValueError):
        episode_file("Show", 2020, 1, [-3], "mkv")


def test_series_folders_prefer_tvdb_ids() -> None:
    assert series_dir("Lost", 2004, tvdb_id=1, tmdb_id=2) == "Lost (2004) [tvdbid-1]"
    assert series_dir("Lost", 2004, tvdb_id="x", tmdb_id=2) == "Lost (2004) [tmdbid-2]"


# --- music -----------------------------------------------------------------------

BASE_TRACK: dict[str, Any] = {"album_artist": None, "artist": "Queen", "album": "Opera",
                              "year": 1975, "track": 11,
                              "title": "Bohemian Rhapsody", "ext": "flac"}
MUSIC: list[tuple[dict[str, Any], str]] = [
    ({}, "Queen/Opera (1975)/11 - Bohemian Rhapsody.flac"),
    ({"album_artist": "Queen + Guests", "artist": "Freddie"},
     "Queen + Guests/Opera (1975)/11 - Bohemian Rhapsody.flac"),
    ({"compilation": True}, "Various Artists/Opera (1975)/11 - Bohemian Rhapsody.flac"),
    ({"album": None}, "Queen/Unknown Album (1975)/11 - Bohemian Rhapsody.flac"),
    ({"artist": None}, "Unknown Artist/Opera (1975)/11 - Bohemian Rhapsody.flac"),
    ({"year": None}, "Queen/Opera/11 - Bohemian Rhapsody.flac"),
    ({"track": 3}, "Queen/Opera (1975)/03 - Bohemian Rhapsody.flac"),
    ({"track": 123}, "Queen/Opera (1975)/123 - Bohemian Rhapsody.flac"),
    ({"track": None}, "Queen/Opera (1975)/Bohemian Rhapsody.flac"),
    ({"title": None}, "Queen/Opera (1975)/11 - Unknown Title.flac"),
    ({"disc": 2, "disc_total": 2}, "Queen/Opera (1975)/Disc 2/11 - Bohemian Rhapsody.flac"),
    ({"disc": 1, "disc_total": 3}, "Queen/Opera (1975)/Disc 1/11 - Bohemian Rhapsody.flac"),
    ({"disc": 1, "disc_total": 1}, "Queen/Opera (1975)/11 - Bohemian Rhapsody.flac"),
    ({"disc": 2}, "Queen/Opera (1975)/Disc 2/11 - Bohemian Rhapsody.flac"),
    ({"disc": 1, "multi_disc": True}, "Queen/Opera (1975)/Disc 1/11 - Bohemian Rhapsody.flac"),
    ({"disc": None, "multi_disc": True}, "Queen/Opera (1975)/Disc 1/11 - Bohemian Rhapsody.flac"),
    ({"artist": "AC/DC", "album": "..", "title": "Who? Me:"}, "AC-DC/_ (1975)/11 - Who Me -.flac"),
]


@pytest.mark.parametrize(("changes", "expected"), MUSIC)
def test_music_paths_follow_jellyfin_naming(changes: dict[str, Any], expected: str) -> None:
    path = music_path(**{**BASE_TRACK, **changes})
    assert path == expected
    assert_safe(path)


# --- books -----------------------------------------------------------------------

BOOKS: list[tuple[dict[str, Any], str]] = [
    ({"author": "Frank Herbert", "title": "Dune", "year": 1965, "ext": "epub"},
     "Frank Herbert/Dune (1965)/Dune.epub"),
    ({"author": None, "title": "Dune", "year": 1965, "ext": "pdf"},
     "Unknown Author/Dune (1965)/Dune.pdf"),
    ({"author": "Frank Herbert", "title": "Dune", "year": None, "ext": "cbz"},
     "Frank Herbert/Dune/Dune.cbz"),
    ({"author": "A/B", "title": "Why? Because: Reasons", "year": 2001, "ext": "epub"},
     "A-B/Why Because - Reasons (2001)/Why Because - Reasons.epub"),
    ({"author": "X", "title": None, "year": None, "ext": "epub"},
     "X/Unknown Title/Unknown Title.epub"),
]


@pytest.mark.parametrize(("kwargs", "expected"), BOOKS)
def test_book_paths_follow_jellyfin_naming(kwargs: dict[str, Any], expected: str) -> None:
    path = book_path(**kwargs)
    assert path == expected
    assert_safe(path)


AUDIOBOOKS = [
    ({"author": "Tolkien", "title": "The Hobbit", "year": 1937, "name": "Chapter 01.mp3"},
     "Tolkien/The Hobbit (1937)/Chapter 01.mp3"),
    ({"author": None, "title": "The Hobbit", "year": None, "name": "../01: Intro?.m4b"},
     "Unknown Author/The Hobbit/-01 - Intro.m4b"),
    ({"author": "T", "title": "H", "year": None, "name": "é" * 300 + ".m4b"},
     "T/H/" + "é" * 125 + ".m4b"),
    ({"author": "Frank Herbert", "title": "Dune", "year": None, "name": "01 - Track 01.mp3",
      "levels": ["CD 01"]}, "Frank Herbert/Dune/CD 01/01 - Track 01.mp3"),
    ({"author": "F", "title": "D", "year": None, "name": "x.mp3", "levels": ["..", "a/b"]},
     "F/D/_/a-b/x.mp3"),
]


@pytest.mark.parametrize(("kwargs", "expected"), AUDIOBOOKS)
def test_audiobook_chapters_keep_their_file_names(kwargs: dict[str, Any], expected: str) -> None:
    path = audiobook_path(**kwargs)
    assert path == expected
    assert_safe(path)


DISC_RIPS: list[tuple[dict[str, Any], str]] = [
    ({"title": "Titanic", "year": 1997, "inner": ["VIDEO_TS", "VTS_01_1.VOB"]},
     "Titanic (1997)/VIDEO_TS/VTS_01_1.VOB"),
    ({"title": "Heat", "year": 1995, "inner": ["Disc 2", "BDMV", "index.bdmv"], "tmdb_id": 949},
     "Heat (1995) [tmdbid-949]/Disc 2/BDMV/index.bdmv"),
    ({"title": "Heat", "year": 1995, "inner": ["BDMV", "STREAM", "00000.m2ts"], "tmdb_id": 949,
      "ids_in_folders": False}, "Heat (1995)/BDMV/STREAM/00000.m2ts"),
    ({"title": "X", "year": None, "inner": ["..", "BDMV", "a:b?.m2ts"]}, "X/_/BDMV/a -b.m2ts"),
]


@pytest.mark.parametrize(("kwargs", "expected"), DISC_RIPS)
def test_a_disc_rip_keeps_its_inner_names_below_the_movie_folder(kwargs: dict[str, Any],
                                                                  expected: str) -> None:
    path = disc_rip_path(**kwargs)
    assert path == expected
    assert_safe(path)


def test_a_disc_rip_path_needs_the_path_inside_the_disc() -> None:
    with pytest.raises(ValueError):
        disc_rip_path("Heat", 1995, [])


# --- sidecars --------------------------------------------------------------------

SIDECARS: list[tuple[str, str, dict[str, Any], str]] = [
    ("Dune (2021).mkv", "srt", {}, "Dune (2021).srt"),
    ("Dune (2021).mkv", "srt", {"language": "en"}, "Dune (2021).en.srt"),
    ("Dune (2021).mkv", "srt", {"language": "en", "flags": ["forced"]},
     "Dune (2021).en.forced.srt"),
    ("Dune (2021).mkv", "ass", {"language": "pt-BR", "flags": ["sdh", "forced", "default"]},
     "Dune (2021).pt-BR.default.forced.sdh.ass"),
    ("Dune (2021).mkv", "srt", {"language": "en", "flags": ["cc"]}, "Dune (2021).en.sdh.srt"),
    ("Dune (2021).mkv", "srt", {"language": "en", "flags": ["hi", "sdh"]},
     "Dune (2021).en.sdh.srt"),
    ("Dune (2021).mkv", "srt", {"flags": ["default", "bogus"]}, "Dune (2021).default.srt"),
    ("Dune (2021).mkv", "srt", {"language": "../x"}, "Dune (2021).srt"),
    ("Dune (2021) - 2160p.mkv", "srt", {"language": "de"}, "Dune (2021) - 2160p.de.srt"),
    ("Lost (2004) S01E01-E02 - Pilot.mp4", "vtt", {"language": "fr"},
     "Lost (2004) S01E01-E02 - Pilot.fr.vtt"),
]


@pytest.mark.parametrize(("video", "ext", "kwargs", "expected"), SIDECARS)
def test_subtitles_follow_their_video_keeping_language_and_flags(
    video: str, ext: str, kwargs: dict[str, Any], expected: str
) -> None:
    assert sidecar_name(video, ext, **kwargs) == expected


IMAGES = [
    ("Dune (2021)", "poster", "jpg", "poster.jpg"),
    ("Dune (2021)", "fanart", "jpg", "backdrop.jpg"),
    ("Dune (2021)", "backdrop", "png", "backdrop.png"),
    (None, "logo", "png", "logo.png"),
    ("Lost (2004) S01E02", "thumb", "jpg", "Lost (2004) S01E02-thumb.jpg"),
    (None, "thumb", "jpg", "thumb.jpg"),
]


@pytest.mark.parametrize(("stem", "image_type", "ext", "expected"), IMAGES)
def test_images_are_folder_level_except_per_video_thumbs(stem: str | None, image_type: str,
                                                         ext: str, expected: str) -> None:
    assert image_name(stem, image_type, ext) == expected


def test_an_unknown_image_type_is_refused() -> None:
    with pytest.raises(ValueError):
        image_name("x", "../poster", "jpg")


@pytest.mark.parametrize(("track", "expected"), [("01 - Song.flac", "01 - Song.lrc"),
                                                 ("Song.mp3", "Song.lrc"),
                                                 ("noext", "noext.lrc")])
def test_lyrics_share_the_track_stem(track: str, expected: str) -> None:
    assert lyrics_name(track) == expected


# --- safe components and hostile input ---------------------------------------------

SAFE = [
    ("Star Wars: Episode IV", "", "Star Wars - Episode IV"),
    ("What's Up, Doc?", "", "What's Up, Doc"),
    ("a/b\\c", "", "a-b-c"),
    ("  lots   of \t space\n ", "", "lots of space"),
    ("trailing dots...", "", "trailing dots"),
    (".hidden", "", "hidden"),
    ("..", "", "_"),
    (".", "", "_"),
    ("", ".srt", "_.srt"),
    ("nul\x00and\x1fcontrol\x7f", "", "nulandcontrol"),
    ("CON", ".mkv", "CON_.mkv"),
    ("<tag>|pipe*", "", "tag-pipe"),
    ('say "hi"', "", "say 'hi'"),
    ("e\u0301", "", "é"),
    ("line\u2028break", "", "line break"),
    ("lone \udcff surrogate", "", "lone surrogate"),
]


@pytest.mark.parametrize(("text", "suffix", "expected"), SAFE)
def test_safe_component_makes_any_text_a_safe_name(text: str, suffix: str, expected: str) -> None:
    assert safe_component(text, RC, suffix=suffix) == expected


def test_safe_component_cuts_the_text_not_the_suffix() -> None:
    name = safe_component("é" * 1000, RC, suffix=".en.forced.srt")
    assert name.endswith("é.en.forced.srt") and len(name.encode()) <= 255
    assert safe_component("ab" * 10, RC, suffix=".x", max_bytes=6) == "abab.x"


def test_safe_component_uses_the_given_replace_map() -> None:
    assert safe_component("a:b?c", {":": "_", "?": "!"}) == "a_b!c"
    assert safe_component("a:b", {":": "/"}) == "ab"  # a reserved replacement is dropped
    assert safe_component("x", RC, suffix="." * 300, max_bytes=255) == "x"


@pytest.mark.parametrize(("text", "expected"), [
    ("S01E01", "S01·E01"), ("s1 e2", "s1·e2"), ("S01.E01", "S01·E01"), ("1x02", "1×02"),
    ("1-23-45", "1–23–45"), ("2020 01 02", "2020–01–02"), ("Episode 1.5", "Episode 1.5"),
    ("Apollo 13", "Apollo 13"), ("Se7en", "Se7en"), ("[imdbid-tt1]", "[imdbid tt1]"),
])
def test_defuse_rewrites_what_jellyfin_would_read_as_an_episode(text: str, expected: str) -> None:
    assert defuse(text) == expected


HOSTILE = [
    "..", "../../etc/passwd", "/abs/title", "a/b\\c", "ctrl\x01\x02\x1b[31m", "....", ". . .",
    "", " ", "é" * 1000, "nul\x00byte", "\\\\server\\share", "C:\\Windows", "~/.ssh",
    "con", "a" * 300, "💥" * 100, "?*<>|:\"", "-", "S01E01-E99", "\u202eevil", "\ufeff",
]


def all_paths(text: str) -> list[str]:
    return [
        movie_path(text, 2000, "mkv"),
        movie_path(text, None, text, version=text, edition=text, tmdb_id=text, imdb_id=text),
        movie_path(text, 1999, "mkv", part=1, tmdb_id=603),
        extra_path(movie_dir(text, 2000), "trailer", text),
        episode_path(text, 2000, 1, [1, 2], "mkv", episode_title=text, tvdb_id=text),
        episode_path(text, None, 0, [1], text, episode_title=text),
        music_path(album_artist=text, artist=text, album=text, year=1, track=1, title=text,
                   ext=text, disc=2),
        music_path(album_artist=None, artist=None, album=None, year=None, track=None,
                   title=text, ext="mp3", compilation=True),
        book_path(author=text, title=text, year=None, ext=text),
        audiobook_path(author=text, title=text, year=2000, name=text),
        audiobook_path(author=text, title=text, year=None, name=text, levels=[text, text]),
        disc_rip_path(text, 2000, [text, "VIDEO_TS", text], tmdb_id=text),
        movie_dir(text, 2000) + "/" + sidecar_name(text, text, language=text, flags=[text]),
        movie_dir(text, 2000) + "/" + image_name(text, "thumb", text),
        "x/" + lyrics_name(text),
        safe_component(text, RC),
    ]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_titles_never_leave_the_root(text: str) -> None:
    for path in all_paths(text):
        assert_safe(path)


def test_a_thousand_random_hostile_strings_never_leave_the_root() -> None:
    alphabet = [*'./\\:*?"<>| \t\n\x00\x01\x7f-_ex0123456789Ssé日💥\u0301\u200b\ud800',
                "..", "../", "S01E02", "1x2", "CON", "[tmdbid-9]"]
    rng = random.Random(20240601)
    for _ in range(1000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 120)))
        for path in all_paths(text):
            assert_safe(path)


@pytest.mark.parametrize("rel", ["", "/etc/passwd", "a//b", "a/./b", "a/../b", "..", "a/",
                                 "\\\\srv\\x", "C:/x", "a\\b/c", "a\x00b"])
def test_join_under_refuses_paths_that_could_escape(rel: str) -> None:
    with pytest.raises(ValueError):
        join_under("/dest/Movies", rel)


def test_join_under_joins_a_safe_relative_path() -> None:
    assert join_under("/dest/Movies/", "Dune (2021)/Dune (2021).mkv") == (
        "/dest/Movies/Dune (2021)/Dune (2021).mkv")
