"""extras.classify_role: what a video is within its work, as tables of paths."""

from __future__ import annotations

import pytest

from pipeline.core.records import ROLES, Parse
from pipeline.probe.extras import classify_role, minimum_runtime_s
from tests.naming_tables import VIDEO, Example, examples

ROOT = "/lib"


def _expected(row: Example) -> str | None:
    if row.kind in ("movie", "episode"):
        return "main"
    if row.kind == "skip" and row.category == "sample":
        return "sample"
    if row.kind == "skip" and row.category == "trailer-extra":
        return "trailer"
    return None


def _parse_of(row: Example) -> Parse:
    """The parse a good parser gives for a row: its type, title, season, episodes."""
    return Parse(type="episode" if row.kind == "episode" else "movie",
                 title=row.title or None, year=row.year, season=row.season,
                 episodes=row.episodes)


EXAMPLE_ROWS = [pytest.param(row.relpath, expected, row, id=row.relpath)
                for row in examples(VIDEO) if (expected := _expected(row)) is not None]


def test_the_naming_table_is_there() -> None:
    assert len(EXAMPLE_ROWS) >= 95, f"{VIDEO} truncated"


@pytest.mark.parametrize(("relpath", "expected", "row"), EXAMPLE_ROWS)
def test_every_naming_example_gets_its_role_from_the_name_alone(relpath, expected, row):
    role, reason = classify_role(f"{ROOT}/{relpath}", ROOT)
    assert role == expected, reason
    assert (reason is None) == (expected == "main")


@pytest.mark.parametrize(("relpath", "expected", "row"), EXAMPLE_ROWS)
def test_every_naming_example_keeps_its_role_when_the_parse_is_known(relpath, expected, row):
    parse = _parse_of(row) if row.kind != "skip" else None
    assert classify_role(f"{ROOT}/{relpath}", ROOT, parse=parse)[0] == expected


def test_the_examples_file_has_samples_trailers_and_titles_to_check():
    expected = [_expected(row) for row in examples(VIDEO)]
    assert expected.count("sample") >= 4 and expected.count("trailer") >= 2
    assert expected.count("main") >= 80


# path below ROOT, expected role, a word the reason must contain
NAME_AND_FOLDER = [
    # Jellyfin's extras folders, any case
    ("Movie (2010)/trailers/Teaser.mkv", "trailer", "trailers/"),
    ("Movie (2010)/Trailers/Movie Trailer 2.mkv", "trailer", "Trailers/"),
    ("Movie (2010)/featurettes/Making of.mkv", "featurette", "featurettes/"),
    ("Movie (2010)/Featurettes/Score.mp4", "featurette", "folder"),
    ("Movie (2010)/behind the scenes/Finding the right score.mp4", "behind the scenes",
     "behind the scenes/"),
    ("Movie (2010)/Deleted Scenes/Alternate ending.mkv", "deleted scene", "Deleted Scenes/"),
    ("Movie (2010)/interviews/Director.mkv", "interview", "interviews/"),
    ("Movie (2010)/scenes/Opening.mkv", "scene", "scenes/"),
    ("Movie (2010)/shorts/Short film.mkv", "short", "shorts/"),
    ("Movie (2010)/extras/Home recreation.mp4", "extra", "extras/"),
    ("Movie (2010)/Extras/Gag reel.mkv", "extra", "Extras/"),
    ("Movie (2010)/other/Something.mkv", "extra", "other/"),
    ("Movie (2010)/Bonus/Commentary.mkv", "extra", "Bonus/"),
    ("Movie (2010)/clips/Clip.mkv", "extra", "clips/"),
    ("Show (2024)/Season 1/backdrops/S1Intro.mkv", "extra", "backdrops/"),
    ("Release-GRP/Sample/release-grp.mkv", "sample", "Sample/"),
    ("Release-GRP/Samples/release.mkv", "sample", "Samples/"),
    ("Show/Season 01/trailers/Show.S01E01.Preview.mkv", "trailer", "trailers/"),
    # Jellyfin's file names and suffixes (trailing digits trimmed, as Jellyfin does)
    ("Movie (2010)/trailer.mp4", "trailer", "named trailer"),
    ("Movie (2010)/Trailer2.mp4", "trailer", "named trailer"),
    ("Show/sample.mp4", "sample", "named sample"),
    ("Movie (2010)/Movie (2010)-trailer.mkv", "trailer", "-trailer"),
    ("Movie (2010)/Movie (2010)-trailer2.mkv", "trailer", "-trailer"),
    ("Movie (2010)/Preview Trailer.trailer.mp4", "trailer", ".trailer"),
    ("Movie (2010)/Movie_trailer.mkv", "trailer", "_trailer"),
    ("Movie (2010)/Movie (2010) Official Trailer.mkv", "trailer", "' trailer'"),
    ("Movie (2010)/Movie (2010)-sample.mkv", "sample", "-sample"),
    ("Movie (2010)/Movie_sample.mkv", "sample", "_sample"),
    ("Movie (2010)/Movie sample.mkv", "sample", "' sample'"),
    ("Movie (2010)/Making of-behindthescenes.mp4", "behind the scenes", "-behindthescenes"),
    ("Movie (2010)/Ending-deleted.mkv", "deleted scene", "-deleted"),
    ("Movie (2010)/Ending-deletedscene.mkv", "deleted scene", "-deletedscene"),
    ("Movie (2010)/Score-featurette.mkv", "featurette", "-featurette"),
    ("Movie (2010)/Director-interview.mkv", "interview", "-interview"),
    ("Movie (2010)/Opening-scene.mkv", "scene", "-scene"),
    ("Movie (2010)/Blooper-clip.mkv", "extra", "-clip"),
    ("Movie (2010)/Pixar-short.mkv", "short", "-short"),
    ("Movie (2010)/Gag reel-extra.mkv", "extra", "-extra"),
    ("Movie (2010)/Gag reel-OTHER.mkv", "extra", "-other"),
    # scene samples and trailers named by tokens
    ("Release/sample-release.grp.mkv", "sample", "sample-"),
    ("Release/SAMPLE_release.mkv", "sample", "sample-"),
    ("Movie.2019.SAMPLE.1080p.mkv", "sample", "sample"),
    ("Show.S01E01.720p.HDTV.Sample.x264-GRP.mkv", "sample", "sample"),
    ("Movie.2019.Theatrical.Trailer.720p.mkv", "trailer", "Theatrical Trailer"),
    ("Movie.2019.Theatrical.Trailer.mkv", "trailer", ".trailer"),
    ("Movie.2019.Trailer.1080p.mkv", "trailer", "Trailer"),
    ("Movie (2019) Teaser 1080p.mkv", "trailer", "Teaser"),
    # titles that only look like extras
    ("The Sample (2019).mkv", "main", None),
    ("Sample.People.2000.1080p.BluRay.x264.mkv", "main", None),
    ("The Trailer Choice (2005)/The Trailer Choice (2005).mkv", "main", None),
    ("Teaser.Island.2015.720p.mkv", "main", None),
    ("Shorts (2009)/Shorts (2009).mkv", "main", None),
    ("Trailer.Park.Boys.S02E03.720p.mkv", "main", None),
    ("Show.S01E02.Official.Trailer.Reaction.720p.mkv", "main", None),
    ("Movie (2010)/Movie (2010) - 1080p.mkv", "main", None),
]


@pytest.mark.parametrize(("relpath", "role", "because"), NAME_AND_FOLDER)
def test_folders_and_names_decide_the_role(relpath, role, because):
    got, reason = classify_role(f"{ROOT}/{relpath}", ROOT)
    assert got == role, reason
    if because is None:
        assert reason is None
    else:
        assert because in (reason or "")


@pytest.mark.parametrize(("root", "relpath"), [
    ("/media/Extras", "Movie (2010).mkv"),
    ("/media/Trailers", "Movie.2010.1080p.mkv"),
    ("/media/Sample", "Movie.2010.mkv"),
    ("/media/Shorts/", "A Short Film (2010).mkv"),
    ("/media/featurettes/", "Making.Of.2010.mkv"),
])
def test_a_library_root_named_like_an_extras_folder_is_no_evidence(root, relpath):
    path = f"{root.rstrip('/')}/{relpath}"
    assert classify_role(path, root) == ("main", None)


def test_only_the_folder_holding_the_file_counts_as_jellyfin_does():
    assert classify_role("/lib/Other/Movie (2010)/Movie (2010).mkv", "/lib")[0] == "main"
    assert classify_role("/lib/Movie (2010)/Extras/Gag reel.mkv", "/lib")[0] == "extra"


def test_without_a_root_the_holding_folder_still_counts():
    assert classify_role("Trailers/Movie.2010.mp4", None)[0] == "trailer"
    assert classify_role("/media/Extras/Movie.2010.mp4", None)[0] == "extra"


def test_a_path_outside_its_root_takes_no_evidence_from_folders():
    assert classify_role("/elsewhere/trailers/Movie.mkv", "/lib") == ("main", None)


# --- titles, with the parse ------------------------------------------------------

WITH_PARSE = [
    ("Friends/Season 00/Friends - S00E03 - The One That Goes Behind the Scenes.avi",
     Parse(type="episode", title="Friends", season=0, episodes=[3],
           episode_title="The One That Goes Behind the Scenes"), "main"),
    ("Show/Season 1/Show - S01E05 - The Trailer.mkv",
     Parse(type="episode", title="Show", season=1, episodes=[5], episode_title="The Trailer"),
     "main"),
    ("Show/Season 1/Show - S01E06 - The Free Sample.mkv",
     Parse(type="episode", title="Show", season=1, episodes=[6],
           episode_title="The Free Sample"), "main"),
    ("Show/Season 1/Show - S01E05 - Pilot-trailer.mkv",
     Parse(type="episode", title="Show", season=1, episodes=[5], episode_title="Pilot"),
     "trailer"),
    ("The.Trailer.2019.Official.Trailer.1080p.mkv",
     Parse(type="movie", title="The Trailer", year=2019), "trailer"),
    ("The.Trailer.2019.1080p.mkv", Parse(type="movie", title="The Trailer", year=2019), "main"),
    ("Sample.People.2000.mkv", Parse(type="movie", title="Sample People", year=2000), "main"),
    ("Sample-People (2000).mkv", Parse(type="movie", title="Sample-People", year=2000), "main"),
    ("Knives.Out.2019.SAMPLE.1080p.mkv", Parse(type="movie", title="Knives Out"), "sample"),
    ("Release/abc123xyz.mkv", Parse(type="movie", title="Prisoners", source_of_title="folder"),
     "main"),
]


@pytest.mark.parametrize(("relpath", "parse", "role"), WITH_PARSE)
def test_words_of_the_title_or_episode_title_are_not_evidence(relpath, parse, role):
    assert classify_role(f"{ROOT}/{relpath}", ROOT, parse=parse)[0] == role


# --- runtime ---------------------------------------------------------------------

MOVIE = Parse(type="movie", title="Movie", year=2010)
EPISODE = Parse(type="episode", title="Show", season=1, episodes=[1])
SPECIAL = Parse(type="episode", title="Show", season=0, episodes=[1])

RUNTIME = [
    # path, duration, parse, expected runtime (min), role, reason contains
    ("Movie.2010.1080p.mkv", 38.0, None, None, "sample", "runtime 38 s < 90 s"),
    ("Movie.2010.1080p.mkv", 38.0, MOVIE, None, "sample", "< 90 s"),
    ("Movie.2010.1080p.mkv", 89.9, MOVIE, None, "sample", "< 90 s"),
    ("Movie.2010.1080p.mkv", 90.0, MOVIE, None, "main", None),
    ("Movie.2010.1080p.mkv", 5400.0, None, None, "main", None),
    ("Show.S01E01.mkv", 60.0, EPISODE, None, "sample", "runtime 60 s < 90 s"),
    ("Show.S01E01.mkv", 240.0, EPISODE, None, "main", None),
    # with the expected runtime, Sonarr/Radarr's table
    ("Show.S01E01.mkv", 20.0, EPISODE, 2, "main", None),
    ("Show.S01E01.mkv", 14.0, EPISODE, 2, "sample", "< 15 s"),
    ("Show.S01E01.mkv", 80.0, EPISODE, 8, "sample", "< 90 s"),
    ("Show.S01E01.mkv", 240.0, EPISODE, 22, "sample", "runtime 240 s < 300 s"),
    ("Show.S01E01.mkv", 310.0, EPISODE, 22, "main", None),
    ("Show.S01E01.mkv", 540.0, EPISODE, 45, "sample", "< 600 s"),
    ("Movie.2010.1080p.mkv", 599.0, MOVIE, 120, "sample", "runtime 599 s < 600 s"),
    ("Movie.2010.1080p.mkv", 601.0, MOVIE, 120, "main", None),
    # no runtime rule for specials, .strm/.flv and disc images, nor for a zero runtime
    ("Show.S00E01.mkv", 30.0, SPECIAL, None, "main", None),
    ("Show.S00E01.mkv", 30.0, None, None, "main", None),
    ("Movie.2010.1080p.mkv", 599.96, MOVIE, 120, "sample", "runtime 599.9 s < 600 s"),
    ("Movie.2010.1080p.mkv", 1.5, MOVIE, None, "sample", "runtime 1.5 s < 90 s"),
    ("Movie.2010.strm", 1.0, MOVIE, None, "main", None),
    ("Movie.2010.flv", 30.0, MOVIE, None, "main", None),
    ("Movie.2010.iso", 30.0, MOVIE, None, "main", None),
    ("BDMV/STREAM/00001.m2ts", 30.0, None, None, "main", None),
    ("Movie.2010.1080p.mkv", 0.0, MOVIE, None, "main", None),
    # the name and folder rules come first: a 2-minute trailer is a trailer
    ("Movie (2010)/Movie (2010)-trailer.mkv", 150.0, MOVIE, None, "trailer", "-trailer"),
    ("Movie (2010)/trailers/Teaser.mkv", 30.0, None, None, "trailer", "trailers/"),
]


@pytest.mark.parametrize(("relpath", "duration", "parse", "expected_min", "role", "because"),
                         RUNTIME)
def test_a_video_shorter_than_sonarrs_minimum_runtime_is_a_sample(
        relpath, duration, parse, expected_min, role, because):
    got, reason = classify_role(f"{ROOT}/{relpath}", ROOT, duration, parse,
                                expected_runtime_min=expected_min)
    assert got == role, reason
    if because is None:
        assert reason is None
    else:
        assert because in (reason or "")


@pytest.mark.parametrize(("expected_min", "minimum"), [
    (None, 90), (0, 90), (1, 15), (3, 15), (3.5, 90), (10, 90), (11, 300), (30, 300),
    (31, 600), (150, 600),
])
def test_the_minimum_runtime_follows_sonarr_and_radarr(expected_min, minimum):
    assert minimum_runtime_s(expected_min) == minimum


# --- size ------------------------------------------------------------------------

SIZE = [
    # a "sample" title word plus a tiny file (runtime unknown): Sonarr's size limit
    ("The Sample (2019).mkv", 30_000_000, None, "sample", "30 MB"),
    ("The Sample (2019).mkv", 900_000_000, None, "main", None),
    ("The Sample (2019) 1080p.mkv", 100_000_000, None, "sample", "'sample'"),
    ("The Sample (2019) 720p.mkv", 100_000_000, None, "main", None),
    # runtime known: it decides, not the size
    ("The Sample (2019).mkv", 30_000_000, 5400.0, "main", None),
    # small in bytes but no "sample" in the name: never a sample for its size alone
    ("Movie.2010.mkv", 50_000, None, "main", None),
    ("Prisoners.2013.1080p.BluRay.x264-SPARKS/abc123xyz.mkv", 1_000, None, "main", None),
]


@pytest.mark.parametrize(("relpath", "size", "duration", "role", "because"), SIZE)
def test_size_only_confirms_a_sample_named_as_such(relpath, size, duration, role, because):
    got, reason = classify_role(f"{ROOT}/{relpath}", ROOT, duration, None, size)
    assert got == role, reason
    if because is not None:
        assert because in (reason or "")


def test_every_role_returned_is_a_known_role():
    paths = [row[0] for row in NAME_AND_FOLDER] + [row[0] for row in RUNTIME]
    assert {classify_role(f"{ROOT}/{p}", ROOT, 10.0)[0] for p in paths} <= set(ROLES)
