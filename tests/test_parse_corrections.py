"""The correction rules around guessit, each on its own: readings fixed after guessit.

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
    dash_episode,
    explicit_season,
    numeric_title,
    year_not_season,
)
from pipeline.probe.parse_titles import country_suffix, title_part


def reading(**given: Any) -> Fields:
    """Fields as guessit's reading arrives at the rules: every Parse field, plus the hints."""
    fields: Fields = msgspec.structs.asdict(Parse())
    fields.update(_country=None, _volume=None)
    fields.update(given)
    return fields


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
