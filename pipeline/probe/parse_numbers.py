"""Corrections to the numbers guessit reads in a name: season, episodes, year, date.

Each rule is a pure function ``rule(fields, text) -> changes``: ``fields`` is
guessit's reading as plain ``Parse`` fields, ``text`` the name it read
(without its extension); the result holds only the fields to
change, empty when the rule does not apply. A rule states what a careful
reader sees in every name of that shape, never in one title:

- a year is not a season unless the name says "season" (``S2019E05``,
  ``2019x05``, ``Season 2019``): ``Title (2019) - 12``, ``Title 2018 EP06``;
- in the fansub convention ``[Group] Title - NN``, what precedes `` - NN`` is
  the title, numbers included (``Series 100 - 07``, ``86 - Eighty Six - 05``),
  and a number after it starts the episode title (``- 11 - 511 Title``);
- a name that is only a number is a movie titled with it (``1917``, ``300``).
"""

from __future__ import annotations

import re
from typing import Final

from pipeline.probe.parse_fields import Fields
from pipeline.probe.parse_rules import clean_title, words

__all__ = ["NUMBER_RULES", "dash_episode", "explicit_season", "numeric_title", "year_not_season"]

# The name says "season" itself: S2019E05, S03, 2019x05, Season 3, Staffel 2 ...
# ("Series 2" is not here: "Series" starts too many titles.)
_EXPLICIT_SEASON: Final = re.compile(
    r"(?i)(?<![a-z0-9])(?:s\d{1,4}(?:[\s._-]*e\d|(?![a-z0-9]))"
    r"|(?:\d{1,2}|(?:19|20)\d\d)x\d{1,3}(?![0-9p])"
    r"|(?:season|saison|staffel|temporada|stagione)[\s._-]*\d)")
_YEAR_LIKE: Final = range(1900, 2100)
# [Group] Title (Year) - NN[vN] [- Episode title] [tags]
_DASH: Final = re.compile(
    r"^(?P<groups>(?:\[[^\]]*\][\s._]*)*)"
    r"(?P<title>[^\[\]]*?[^\s._\[\]-])"
    r"(?:[\s._]*\((?P<year>(?:19|20)\d\d)\))?"
    r"[\s._]+-[\s._]+(?P<ep>\d{1,4})(?:v\d)?"
    r"(?:[\s._]+-[\s._]+(?P<eptitle>[^\[\]()]*?[^\s._\[\]()-]))?"
    r"(?:[\s._]*[\[(].*|[\s._]+(?=\d{3,4}[pix]).*)?$", re.IGNORECASE)


def explicit_season(text: str) -> bool:
    """True when the name names a season itself (``S03``, ``S2019E05``, ``3x05``, ``Season 3``)."""
    return _EXPLICIT_SEASON.search(text) is not None


def year_not_season(fields: Fields, text: str) -> Fields:
    """``Title (2019) - 12``, ``Title 2018 EP06``: the year is the series' year, not its season."""
    season = fields["season"]
    if season is None or season not in _YEAR_LIKE or explicit_season(text):
        return {}
    return {"season": None, "year": fields["year"] or season}


def dash_episode(fields: Fields, text: str) -> Fields:
    """The fansub convention ``[Group] Title (Year) - NN - Episode title [tags]``.

    What precedes `` - NN`` is the title, numbers included; NN is the
    absolute episode. A bare 3-digit number (``Show - 101 - Pilot``) is the
    older season-and-episode form unless the name is a fansub's (a group in
    brackets, a year in parentheses) or zero-padded, or ends in 00.
    """
    if " -" not in text and "_-" not in text and ".-." not in text:
        return {}
    match = _DASH.match(text)
    if match is None or explicit_season(text):
        return {}
    digits = match.group("ep")
    episode = int(digits)
    if len(digits) == 4 and episode in _YEAR_LIKE:
        return {}
    fansub = bool(match.group("groups") or match.group("year"))
    if len(digits) == 3 and not digits.startswith("0") and not fansub and episode % 100:
        return {}  # "Show - 101 - Pilot": guessit's S01E01 stands
    title = clean_title(match.group("title")) or fields["title"]
    if (fields["episodes"] == [episode] and fields["season"] is None
            and words(title or "") == words(fields["title"] or "")):
        return {}
    changes: Fields = {"type": "episode", "title": title, "season": None,
                       "episodes": [episode], "absolute_episodes": [episode]}
    if match.group("year"):
        changes["year"] = int(match.group("year"))
    elif fields["year"] is not None and fields["year"] == fields["season"]:
        changes["year"] = fields["year"]
    if match.group("eptitle"):
        changes["episode_title"] = clean_title(match.group("eptitle"))
    return changes


def numeric_title(fields: Fields, text: str) -> Fields:
    """``1917.mkv``, ``300.mkv``: a name that is only a number is a movie titled with it.

    Only when guessit finds no title and the number is year-like (``2099``
    is no S20E99) or an impossible episode 0 (``300`` -> S03E00).
    """
    stem = text.strip()
    if fields["title"] is not None or not stem.isdigit() or len(stem) > 4:
        return {}
    number = int(stem)
    as_year = (fields["year"] == number and not fields["episodes"]) or (
        len(stem) == 4 and 1878 <= number <= 2099)
    as_episode = (fields["episodes"] == [0] and fields["season"] is not None
                  and fields["season"] * 100 == number)
    if not (as_year or as_episode):
        return {}
    return {"type": "movie", "title": stem, "year": None, "season": None, "episodes": []}


# In order: the fansub reading first (it knows the title's own numbers), then
# the year fix for other shapes.
NUMBER_RULES: Final = (dash_episode, year_not_season, numeric_title)
