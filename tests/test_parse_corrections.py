"""The correction rules around guessit, each on its own: names tidied before, readings fixed after.

Every rule is a pure function; these tables hand it guessit-shaped fields and
the name, and check the changes it returns (``{}``: the rule keeps out).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import msgspec
import pytest

from pipeline.core.records import Parse
from pipeline.probe.parse_fields import Fields
from pipeline.probe.parse_numbers import (
    bracketed_name,
    dash_episode,
    decimal_title,
    explicit_season,
    hyphenated_number,
    numeric_title,
    six_digit_date,
    year_in_parentheses,
    year_not_season,
    zero_padded_absolute,
)
from pipeline.probe.parse_prepare import Prepared, prepare
from pipeline.probe.parse_titles import (
    bracketed_title,
    censored_word,
    country_suffix,
    hyphenated_word,
    number_in_parentheses,
    title_part,
)


def reading(**given: Any) -> Fields:
    """Fields as guessit's reading arrives at the rules: every Parse field, plus the hints."""
    fields: Fields = msgspec.structs.asdict(Parse())
    fields.update(_country=None, _volume=None)
    fields.update(given)
    return fields


# --- before guessit ----------------------------------------------------------------

PREPARED: list[Any] = [
    ("www.site.ca - Movie Title 2023.mkv", Prepared("Movie Title 2023.mkv"), "a www site prefix"),
    ("[ www.Tracker.org ] - Show.S01E02.mkv", Prepared("Show.S01E02.mkv"),
     "a bracketed www prefix"),
    ("FilmHub.cc - The.Glass.Orchard.2021.mkv", Prepared("The.Glass.Orchard.2021.mkv"),
     "a bare domain with a dash"),
    ("[site.cc] Movie.2008.720p.mkv", Prepared("Movie.2008.720p.mkv"),
     "a bare domain in brackets"),
    ("Mr.Robot.S01E01.mkv", Prepared("Mr.Robot.S01E01.mkv"), "a dotted title is no domain"),
    ("Dr.Stone - 05.mkv", Prepared("Dr.Stone - 05.mkv"), "a dotted title before a dash is kept"),
    ("The.Office.US - S01E01.mkv", Prepared("The.Office.US - S01E01.mkv"),
     "a country code is no top-level domain"),
    ("230512 Weekend Variety ep07.mp4", Prepared("Weekend Variety ep07.mp4", "2023-05-12"),
     "a YYMMDD stamp becomes the air date"),
    ("310299 Show ep2.mp4", Prepared("310299 Show ep2.mp4"), "an impossible date stays"),
    ("1917 (2019).mkv", Prepared("1917 (2019).mkv"), "a number that is no stamp stays"),
    ("【Grp】[Moon Garden][07].mp4", Prepared("[Grp][Moon Garden][07].mp4"),
     "CJK brackets read as brackets"),
    ("Cedar.Falls.S03E04v2.720p.mkv", Prepared("Cedar.Falls.S03E04.720p.mkv"),
     "a v2 revision comes off the episode"),
    ("Bunny.Tales.S02E07b.mkv", Prepared("Bunny.Tales.S02E07.mkv"),
     "a segment letter comes off the episode"),
    ("Mill.Creek.1x05v2.avi", Prepared("Mill.Creek.1x05.avi"), "and off an NxNN episode"),
    ("Show.S01E01E02.mkv", Prepared("Show.S01E01E02.mkv"), "a chained episode is no suffix"),
    ("PRG-LD-BEW.p027.20E10S.erohS.thgirB.mkv",
     Prepared("Bright.Shore.S01E02.720p.WEB-DL-GRP.mkv"), "a backwards name reads forwards"),
    ("Bright.Shore.S01E02.p027.mkv", Prepared("Bright.Shore.S01E02.p027.mkv"),
     "a forward name with a stray token stays"),
]


@pytest.mark.parametrize(("name", "expected"),
                         [pytest.param(n, e, id=why) for n, e, why in PREPARED])
def test_a_name_is_tidied_before_guessit_reads_it(name: str, expected: Prepared) -> None:
    assert prepare(name) == expected


# --- numbers --------------------------------------------------------------------------

Rule = Callable[[Fields, str], Fields]

NUMBERS: list[Any] = [
    (year_not_season, {"season": 2019, "year": 2019, "episodes": [12]},
     "[Grp] Sky Lanterns (2019) - 12 (1080p)", {"season": None, "year": 2019},
     "a series year is no season"),
    (year_not_season, {"season": 2018, "episodes": [6]}, "Harbor Lights 2018 EP06",
     {"season": None, "year": 2018}, "a bare year beside EPnn gives the year"),
    (year_not_season, {"season": 2016, "episodes": [14]}, "Show.S2016E14", {},
     "a season written as S2016 stays"),
    (year_not_season, {"season": 3, "episodes": [5]}, "Show 2018 S03E05", {},
     "a small season stays"),
    (year_in_parentheses, {"season": 18, "episodes": [96]}, "The Lighthouse Keeper (1896) [DVD]",
     {"year": 1896, "season": None, "episodes": [], "type": "movie"},
     "S18E96 from (1896) is the year"),
    (year_in_parentheses, {"season": 2, "episodes": [5], "year": 1999}, "Show (1999) S02E05",
     {}, "a year guessit found stays"),
    (zero_padded_absolute, {"season": 0, "episodes": [37]}, "Star Harbor - 037 - Night",
     {"season": None}, "037 is episode 37, not season 0"),
    (zero_padded_absolute, {"season": 0, "episodes": [3]}, "Show.S00E03", {},
     "a written S00 is the specials"),
    (dash_episode, {"title": "Squad", "episodes": [11, 42]}, "[Grp] Squad 42 - 11 (720p)",
     {"type": "episode", "title": "Squad 42", "season": None, "episodes": [11],
      "absolute_episodes": [11]}, "a number ending the title is the title's"),
    (dash_episode, {"title": "Night Patrol", "episodes": [6, 404]},
     "[Grp] Night Patrol - 06 - 404 Not Found [1080p]",
     {"type": "episode", "title": "Night Patrol", "season": None, "episodes": [6],
      "absolute_episodes": [6], "episode_title": "404 Not Found"},
     "a number after the episode opens the episode title"),
    (dash_episode, {"title": "Tidal Force", "year": 2012, "season": 2012, "episodes": [118]},
     "Tidal Force (2012) - 118 [720p]",
     {"type": "episode", "title": "Tidal Force", "season": None, "episodes": [118],
      "absolute_episodes": [118], "year": 2012}, "a series year makes 118 absolute"),
    (dash_episode, {"title": "Show", "season": 1, "episodes": [1]}, "Show - 101 - Pilot", {},
     "a bare 101 stays S01E01"),
    (dash_episode, {"title": "Show", "season": 1, "episodes": [0]}, "Show - 100 - Century",
     {"type": "episode", "title": "Show", "season": None, "episodes": [100],
      "absolute_episodes": [100], "episode_title": "Century"}, "E00 is never meant: 100"),
    (dash_episode, {"title": "Show", "season": 1, "episodes": [5]}, "Show - 1x05 - Title", {},
     "an explicit season keeps the rule out"),
    (dash_episode, {"title": "Dandadan", "episodes": [3]}, "Dandadan - 03 [1080p]", {},
     "a reading that agrees is left alone"),
    (dash_episode, {"title": "Blade Runner", "year": 2049}, "Blade Runner - 2049", {},
     "a year is no episode"),
    (dash_episode, {"title": "Show", "episodes": [1, 2, 3]}, "Show - 01-03", {},
     "a range is guessit's"),
    (hyphenated_number, {"title": "Ghost Town", "episodes": [3, 800]},
     "[Grp] Ghost Town 800-ri, Down the River 03 [720p][ABCD0123]",
     {"episodes": [3], "title": "Ghost Town 800-ri, Down the River"},
     "a number joined to a word is a word, and the title runs to the episode"),
    (hyphenated_number, {"title": "Show", "episodes": [1, 2]}, "Show 01-02 [720p]", {},
     "a range of numbers stays a range"),
    (hyphenated_number, {"title": "Show", "season": 3, "episodes": [17, 18]},
     "Show - S03E17-E18 - Title", {}, "a hyphen before E18 joins episodes, not words"),
    (bracketed_name, {"episodes": [], "title": None}, "[Grp][Moon Garden][07][1080p][CHS]",
     {"type": "episode", "episodes": [7], "absolute_episodes": [7], "title": "Moon Garden"},
     "an all-bracket name: title and episode"),
    (bracketed_name, {"episodes": [], "title": None, "year": 2021},
     "[Grp][月之花园][Moon Garden][2021][12][1080P][GB]",
     {"type": "episode", "episodes": [12], "absolute_episodes": [12], "title": "Moon Garden"},
     "the Latin title is preferred, years and tags are skipped"),
    (bracketed_name, {"episodes": [], "title": None}, "[Grp][Moon Garden][第08话][1080P]",
     {"type": "episode", "episodes": [8], "absolute_episodes": [8], "title": "Moon Garden"},
     "a CJK episode counter"),
    (bracketed_name, {"episodes": [], "title": None}, "[Grp][Moon Garden][EP09v2][720P]",
     {"type": "episode", "episodes": [9], "absolute_episodes": [9], "title": "Moon Garden"},
     "an EPnn bracket with a revision"),
    (bracketed_name, {"episodes": [], "title": None}, "[Grp][月之花园][12][1080P]",
     {"type": "episode", "episodes": [12], "absolute_episodes": [12], "title": "月之花园"},
     "a CJK title when there is no other"),
    (bracketed_name, {"episodes": [], "title": "Series Title", "season": 2},
     "[Grp] Series Title S2 [05][HEVC-10bit 1080p AAC]", {"type": "episode", "episodes": [5]},
     "a bracketed number after a season"),
    (bracketed_name, {"episodes": [4], "title": "Show"}, "[Grp] Show - 04 [1080p][ABCD1234]",
     {}, "a name with its episode is left alone"),
    (numeric_title, {"year": 1917}, "1917",
     {"type": "movie", "title": "1917", "year": None, "season": None, "episodes": []},
     "a year-like name is a title"),
    (numeric_title, {"season": 3, "episodes": [0]}, "300",
     {"type": "movie", "title": "300", "year": None, "season": None, "episodes": []},
     "S03E00 is a title"),
    (numeric_title, {"season": 20, "episodes": [99]}, "2099",
     {"type": "movie", "title": "2099", "year": None, "season": None, "episodes": []},
     "a four-digit year-like name beyond guessit's years"),
    (numeric_title, {"season": 1, "episodes": [5]}, "105", {}, "105 may well be S01E05"),
    (decimal_title, {"title": "Rebuild of Stardust 1", "episodes": [11],
                     "episode_title": "You Are"},
     "[Grp] Rebuild of Stardust 1.11 - You Are (Not) Here v2 (1080p BD) [ABCDEF12]",
     {"title": "Rebuild of Stardust 1.11 - You Are (Not) Here", "episodes": [], "season": None,
      "episode_title": None, "absolute_episodes": [], "type": "movie"},
     "a version number is the title's"),
    (decimal_title, {"title": "Rebuild 2 22 You Can", "year": 2009, "release_group": "Not"},
     "Rebuild 2.22 You Can (Not) Go (2009)",
     {"title": "Rebuild 2.22 You Can (Not) Go", "episodes": [], "season": None,
      "episode_title": None, "absolute_episodes": [], "type": "movie", "release_group": None},
     "a split decimal in a movie title is joined again"),
    (decimal_title, {"title": "Show", "episodes": [11], "season": 1}, "Show.1.11.720p", {},
     "a dotted name's dots are separators"),
    (six_digit_date, {"date": "2022-07-14"}, "At.Midnight.140722.720p",
     {"date": "2014-07-22"}, "YYMMDD, not DDMMYY"),
    (six_digit_date, {"date": "2023-05-11"}, "Show.2023.05.11", {}, "a full date stays"),
]


@pytest.mark.parametrize(("rule", "given", "text", "changes"),
                         [pytest.param(r, g, t, c, id=f"{r.__name__}: {why}")
                          for r, g, t, c, why in NUMBERS])
def test_a_number_rule_changes_only_what_the_name_shows(rule: Rule, given: dict[str, Any],
                                                        text: str, changes: Fields) -> None:
    assert rule(reading(**given), text) == changes


@pytest.mark.parametrize(("text", "explicit"), [
    ("Show.S03E05", True), ("Show.S2019E05", True), ("Show 3x05", True), ("Show S3 - 12", True),
    ("Show Season 2 Episode 3", True), ("Staffel 2 Folge 3", True), ("Series 100 - 07", False),
    ("Show.1920x1080.mkv", False), ("Show - 05 [1280x720]", False), ("Sons.of.Something", False),
])
def test_a_season_is_explicit_only_when_the_name_writes_one(text: str, explicit: bool) -> None:
    assert explicit_season(text) is explicit


# --- titles ---------------------------------------------------------------------------

TITLES: list[Any] = [
    (title_part, {"title": "The Silver Saga", "year": 2013, "part": 2},
     "The.Silver.Saga.Part.2.2013.1080p", {"part": None, "title": "The Silver Saga Part 2"},
     "Part N before the year is the title's"),
    (title_part, {"title": "Movie Title", "year": 2010, "part": 2}, "Movie Title (2010) Part 2",
     {}, "Part N after the year is a file part"),
    (title_part, {"title": "Return of the Tide", "part": 2}, "Return.of.the.Tide.Part.II.720p",
     {"part": None, "title": "Return of the Tide Part II"}, "a roman numeral is the title's"),
    (title_part, {"title": "The Stone Kingdom", "year": 2022, "part": 1},
     "The Stone Kingdom - Part One (2022)", {"part": None, "title": "The Stone Kingdom Part One"},
     "a spelled number is the title's"),
    (title_part, {"title": "Crimson Blades", "year": 2005, "_volume": 2},
     "Crimson.Blades.Vol.2.2005", {"title": "Crimson Blades Vol. 2"}, "a volume always is"),
    (title_part, {"title": "Harbor Heist", "part": 1}, "Harbor Heist Part 1", {},
     "no year, no folder: a file part"),
    (title_part, {"title": "Show", "part": 2, "type": "episode", "season": 1, "episodes": [3]},
     "Show.S01E03.Part.2", {}, "an episode's part is left alone"),
    (title_part, {"title": "Kill Bill Vol 1", "year": 2003}, "Kill Bill Vol 1 (2003)", {},
     "a title that already holds it"),
    (title_part, {"title": "Mission Impossible", "year": 2023, "part": 1,
                  "alternative_titles": ["Dead Reckoning"]},
     "Mission.Impossible.-.Dead.Reckoning.Part.One.2023",
     {"part": None, "alternative_titles": ["Dead Reckoning Part One"]},
     "a part written after the subtitle is the subtitle's"),
    (hyphenated_word, {"title": "Man 2", "year": 2004, "release_group": "Spider"},
     "Spider-Man.2.2004.1080p.BluRay", {"title": "Spider-Man 2", "release_group": None},
     "two capitalised halves are one word"),
    (hyphenated_word, {"title": "E", "year": 2008, "release_group": "WALL"}, "WALL-E.2008.720p",
     {"title": "WALL-E", "release_group": None}, "two halves in capitals are one word"),
    (hyphenated_word, {"title": "Z Fade to Black", "release_group": "Jay"},
     "Jay-Z.Fade.to.Black.2004", {"title": "Jay-Z Fade to Black", "release_group": None},
     "a single capital after the hyphen"),
    (hyphenated_word, {"title": "ironman", "year": 2008, "release_group": "sparks"},
     "sparks-ironman.2008.720p", {}, "a lower-case scene group in front"),
    (hyphenated_word, {"title": "Movie Name", "year": 2010, "release_group": "AMIABLE"},
     "AMIABLE-Movie.Name.2010", {}, "a group in capitals before a capitalised title"),
    (hyphenated_word, {"title": "Quiet Earth", "year": 1985, "release_group": "GRP"},
     "Quiet.Earth.1985.720p-GRP", {}, "a group at the end"),
    (bracketed_title, {"title": None, "year": 2007, "release_group": "REC"}, "[REC].2007.720p",
     {"title": "REC", "release_group": None}, "brackets with no title after them"),
    (bracketed_title, {"title": "Show", "release_group": "SubsPlease", "season": 1,
                       "episodes": [1]}, "[SubsPlease] Show - 01", {}, "a group before a title"),
    (bracketed_title, {"title": None, "release_group": "SubsPlease", "season": 1,
                       "episodes": [1]}, "[SubsPlease] 01", {},
     "an episode without a title takes its folder's"),
    (country_suffix, {"title": "Queer as Folk", "_country": "GB", "type": "episode"},
     "Queer.as.Folk.UK.S01E01", {"title": "Queer as Folk (UK)"}, "UK after the title"),
    (country_suffix, {"title": "Shelter", "_country": "US", "type": "episode"},
     "Shelter (US) - S02E05", {"title": "Shelter (US)"}, "a code in parentheses"),
    (country_suffix, {"title": "the office", "_country": "US", "type": "episode"},
     "the.office.us.s01e01", {"title": "the office (US)"}, "a lower-case scene name"),
    (country_suffix, {"title": "Among", "_country": "US", "type": "episode"},
     "Among.Us.S01E01", {"title": "Among Us"}, "a code written as a word is a word"),
    (country_suffix, {"title": "Anime Title", "_country": "GB", "type": "episode"},
     "[Grp][Anime Title][2019][215][AVC][GB][1080P]", {}, "a GB encoding tag is no country"),
    (country_suffix, {"title": "Movie", "_country": "US", "type": "movie", "year": 2010},
     "Movie.US.2010", {}, "a bare code on a movie is dropped as guessit does"),
    (censored_word, {"title": "Never Trust The B", "alternative_titles": ["in Code 23"]},
     "Never.Trust.The.B----.in.Code.23.S01E01",
     {"title": "Never Trust The B---- in Code 23", "alternative_titles": []},
     "a censored word joins the title"),
    (censored_word, {"title": "The Quiet B"}, "The.Quiet.B----.S01E03",
     {"title": "The Quiet B----"}, "a censored word closing the title"),
    (censored_word, {"title": "Show"}, "Show - 01 -- Pilot", {}, "a double dash is no word"),
    (number_in_parentheses, {"title": "Steps to Heaven", "year": 2011},
     "(300).Steps.to.Heaven.(2011).720p", {"title": "(300) Steps to Heaven"},
     "a leading count is the title's"),
    (number_in_parentheses, {"title": "Floors of the Tower", "season": 5, "episodes": [0]},
     "Floors of the Tower (500)",
     {"title": "Floors of the Tower (500)", "season": None, "episodes": [], "type": "movie"},
     "a closing count is no S05E00"),
    (number_in_parentheses, {"title": "Movie Name", "year": 1995}, "(1995) Movie Name", {},
     "a year in front is a year"),
    (number_in_parentheses, {"title": "Series Title", "year": 2014, "episodes": [39]},
     "Series Title (2014) - 39 (137)", {}, "a count after the episode is not the title's"),
]


@pytest.mark.parametrize(("rule", "given", "text", "changes"),
                         [pytest.param(r, g, t, c, id=f"{r.__name__}: {why}")
                          for r, g, t, c, why in TITLES])
def test_a_title_rule_keeps_the_words_that_belong_to_the_title(
        rule: Rule, given: dict[str, Any], text: str, changes: Fields) -> None:
    assert rule(reading(**given), text) == changes


def test_a_folder_naming_the_same_part_makes_it_the_titles() -> None:
    fields = reading(title="The Ember Trail", part=2)
    assert title_part(fields, "The Ember Trail Part 2") == {}
    assert title_part(fields, "The Ember Trail Part 2", folder="The Ember Trail Part 2 (2016)") \
        == {"part": None, "title": "The Ember Trail Part 2"}
    assert title_part(fields, "The Ember Trail Part 2", folder="The Ember Trail (2016)") == {}
