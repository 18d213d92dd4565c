"""Corrections to the numbers guessit reads in a name: season, episodes, year, date.

Each rule is a pure function ``rule(fields, text) -> changes``: ``fields`` is
guessit's reading as plain ``Parse`` fields, ``text`` the name it read
(prepared, without its extension); the result holds only the fields to
change, empty when the rule does not apply. A rule states what a careful
reader sees in every name of that shape, never in one title:

- a year is not a season unless the name says "season" (``S2019E05``,
  ``2019x05``, ``Season 2019``): ``Title (2019) - 12``, ``Title 2018 EP06``;
- a 4-digit number in parentheses is a year, not ``S18E97``: ``(1897) [DVD]``;
- a zero-padded number is an absolute episode, not season 0: ``Title - 049``;
- in the fansub convention ``[Group] Title - NN``, what precedes `` - NN`` is
  the title, numbers included (``Series 100 - 07``, ``86 - Eighty Six - 05``),
  and a number after it starts the episode title (``- 11 - 511 Title``);
- a number joined to a word by a hyphen is a word (``300-nen``), not an episode;
- a bare bracketed number is the episode (``[Title][05]``), and in an
  all-bracket name the title is the first bracket that is not a group, a
  number or a technical tag;
- a name that is only a number is a movie titled with it (``1917``, ``300``);
- a decimal version number belongs to the title (``Evangelion 1.11``);
- a six-digit date stamp is YYMMDD, the scene convention (``140722``).
"""

from __future__ import annotations

import re
from datetime import date
from typing import Final

from pipeline.probe.parse_fields import Fields
from pipeline.probe.parse_rules import clean_title, words

__all__ = [
    "NUMBER_RULES",
    "bracketed_name",
    "dash_episode",
    "decimal_title",
    "explicit_season",
    "hyphenated_number",
    "numeric_title",
    "six_digit_date",
    "year_in_parentheses",
    "year_not_season",
    "zero_padded_absolute",
]

# The name says "season" itself: S2019E05, S03, 2019x05, Season 3, Staffel 2 ...
# ("Series 2" is not here: "Series" starts too many titles.)
_EXPLICIT_SEASON: Final = re.compile(
    r"(?i)(?<![a-z0-9])(?:s\d{1,4}(?:[\s._-]*e\d|(?![a-z0-9]))"
    r"|(?:\d{1,2}|(?:19|20)\d\d)x\d{1,3}(?![0-9p])"
    r"|(?:season|saison|staffel|temporada|stagione)[\s._-]*\d)")
_YEAR_LIKE: Final = range(1900, 2100)
_PAREN_YEAR: Final = re.compile(r"\((1[89]\d\d|20\d\d)\)")
# [Group] Title (Year) - NN[vN] [- Episode title] [tags]
_DASH: Final = re.compile(
    r"^(?P<groups>(?:\[[^\]]*\][\s._]*)*)"
    r"(?P<title>[^\[\]]*?[^\s._\[\]-])"
    r"(?:[\s._]*\((?P<year>(?:19|20)\d\d)\))?"
    r"[\s._]+-[\s._]+(?P<ep>\d{1,4})(?:v\d)?"
    r"(?:[\s._]+-[\s._]+(?P<eptitle>[^\[\]()]*?[^\s._\[\]()-]))?"
    r"(?:[\s._]*[\[(].*|[\s._]+(?=\d{3,4}[pix]).*)?$", re.IGNORECASE)
_BRACKET: Final = re.compile(r"\[([^\]]*)\]")
# "[05]", "[05v2]", "[EP05]", "[第05话]": a bracket that holds only an episode number.
_BRACKET_EPISODE: Final = re.compile(r"\s*(?:第\s*|e|ep|#)?(\d{1,4})(?:v\d|\s*[话話集回])?\s*",
                                     re.IGNORECASE)
_TECH_WORD: Final = re.compile(
    r"(?i)^(?:\d{3,4}[pi]|\d{3,4}x\d{3,4}|[48]k|uhd|hd|sd|fhd|avc|hevc|x26[45]|h\.?26[45]|xvid|"
    r"aac(?:\d\.\d)?|flac|ac3|eac3|dts|opus|mp3|mp4|mkv|avi|10-?bit|8-?bit|hi10p?|ma10p|"
    r"web(?:-?dl|-?rip)?|bd(?:rip)?|blu-?ray|dvd(?:rip)?|hdtv|tv|raw|gb|big5|chs|cht|jpn|jp|eng|"
    r"chi|sc|tc|cn|v\d|[0-9a-f]{8}|[\u4e00-\u9fff\u3040-\u30ff]{1,2}|batch|fin|end|"
    r"multi|dual(?:-audio)?|sub(?:s|bed)?|vostfr|hardsub|softsub)$")
_TECH_SPLIT: Final = re.compile(r"[\s&+_/,.]+|-(?=\d)")
# "1.11", "2.22": a decimal inside a title (5.1 and 2.0 audio have one digit after the dot).
_DECIMAL: Final = re.compile(r"(?<![\d.])(\d{1,2})\.(\d{2,3})(?![\d.])")
_TITLE_STOP: Final = re.compile(
    r"\s+v\d\b|\[|\((?=[^)]*\d)|(?<!\d)(?:19|20)\d\d(?!\d)|\b\d{3,4}[pi]\b", re.IGNORECASE)
# "300-nen": a hyphen and a word that is no episode marker ("-E18", "-Ep2").
_WORD_AFTER: Final = r"-(?!(?i:e|ep|x|s|pt|part)[\s._]*\d)[^\W\d_]{2,}"
_SIX_DIGITS: Final = re.compile(r"(?<!\d)(\d{2})(\d{2})(\d{2})(?!\d)")


def explicit_season(text: str) -> bool:
    """True when the name names a season itself (``S03``, ``S2019E05``, ``3x05``, ``Season 3``)."""
    return _EXPLICIT_SEASON.search(text) is not None


def year_not_season(fields: Fields, text: str) -> Fields:
    """``Title (2019) - 12``, ``Title 2018 EP06``: the year is the series' year, not its season."""
    season = fields["season"]
    if season is None or season not in _YEAR_LIKE or explicit_season(text):
        return {}
    return {"season": None, "year": fields["year"] or season}


def year_in_parentheses(fields: Fields, text: str) -> Fields:
    """``Movie (1897) [DVD]``: a year in parentheses guessit split into season 18, episode 97."""
    season, episodes = fields["season"], fields["episodes"]
    if season is None or not episodes or fields["year"] is not None or "(" not in text:
        return {}
    for match in _PAREN_YEAR.finditer(text):
        year = int(match.group(1))
        if season * 100 + episodes[0] == year:
            return {"year": year, "season": None, "episodes": episodes[1:],
                    "type": "episode" if episodes[1:] else "movie"}
    return {}


def zero_padded_absolute(fields: Fields, text: str) -> Fields:
    """``Series - 049 - Title``: a zero-padded number is episode 49, not season 0 episode 49."""
    episodes = fields["episodes"]
    if fields["season"] != 0 or len(episodes) != 1 or explicit_season(text):
        return {}
    if re.search(rf"(?<![\dx.])0{episodes[0]:02d}(?!\d)", text) is None:
        return {}
    return {"season": None}


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


def hyphenated_number(fields: Fields, text: str) -> Fields:
    """``Title 300-nen, More Words 02``: a number joined to a word by a hyphen is a word.

    guessit reads it as a second episode (a range hundreds long); the title
    then runs up to the episode number that remains.
    """
    episodes, title = fields["episodes"], fields["title"]
    if len(episodes) < 2 or "-" not in text:
        return {}
    glued = [n for n in episodes if _only_in_words(n, text)]
    kept = [n for n in episodes if n not in glued]
    if not glued or not kept:
        return {}
    changes: Fields = {"episodes": kept}
    if fields["absolute_episodes"]:
        changes["absolute_episodes"] = [n for n in fields["absolute_episodes"] if n in kept]
    word = re.search(rf"(?<!\d)0*{glued[0]}(?={_WORD_AFTER})", text)
    start = text.find(title.split()[0]) if title else -1
    if word is not None and 0 <= start < word.start():
        after = re.search(rf"(?<![\d.])0*{kept[0]}(?![\d])", text[word.end():])
        if after is not None:
            changes["title"] = clean_title(text[start:word.end() + after.start()].rstrip(" ._-"))
    return changes


def _only_in_words(number: int, text: str) -> bool:
    spots = list(re.finditer(rf"(?<!\d)0*{number}(?!\d)", text))
    return bool(spots) and all(
        re.match(_WORD_AFTER, text[m.end():])
        or re.search(r"[^\W\d_]-$", text[max(0, m.start() - 2):m.start()]) for m in spots)


def bracketed_name(fields: Fields, text: str) -> Fields:
    """``[Group][Title][Alt][2019][05][1080p]``: a bare bracketed number is the episode.

    When guessit finds no title (every word sits in brackets), the title is
    the first bracket that is neither the group, a number nor a technical
    tag, preferring one in Latin letters (the form a database knows).
    """
    if "[" not in text:
        return {}
    groups = _BRACKET.findall(text)
    changes: Fields = {}
    if not fields["episodes"]:
        found = [m.group(1) for m in map(_BRACKET_EPISODE.fullmatch, groups) if m is not None]
        numbers = [int(n) for n in found if not (len(n) == 4 and int(n) in _YEAR_LIKE)]
        if len(numbers) == 1:
            changes.update(type="episode", episodes=numbers)
            if not fields["absolute_episodes"] and fields["season"] is None:
                changes["absolute_episodes"] = numbers
    if fields["title"] is None and text.lstrip().startswith("["):
        candidates = [g.strip() for g in groups[1:] if g.strip() and not _is_tag(g)]
        latin = [g for g in candidates if re.search(r"[A-Za-z]{2}", g)]
        title = (latin or candidates or [None])[0]
        if title is not None:
            changes["title"] = clean_title(title)
            year = [int(g) for g in groups if g.strip().isdigit() and int(g) in _YEAR_LIKE]
            if year and fields["year"] is None:
                changes["year"] = year[0]
    return changes


def _is_tag(group: str) -> bool:
    """A bracket that holds a number or only technical words (``HEVC-10bit 1080p AAC``, ``GB``)."""
    text = group.strip()
    if text.isdigit() or _BRACKET_EPISODE.fullmatch(text):
        return True
    tokens = [t for t in _TECH_SPLIT.split(text) if t]
    return bool(tokens) and all(_TECH_WORD.match(t) for t in tokens)


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


def decimal_title(fields: Fields, text: str) -> Fields:
    """``Evangelion 1.11 - You Are (Not) Alone``: a decimal in a title is no season and episode.

    Only in names spaced with spaces, where a dot between digits is the
    author's; the title then runs to the year or the first technical tag.
    """
    title, episodes = fields["title"], fields["episodes"]
    if title is None or len(episodes) > 1 or " " not in text.strip() or explicit_season(text):
        return {}
    for match in _DECIMAL.finditer(text):
        whole, fraction = match.group(1), match.group(2)
        split = episodes == [int(fraction)] and title.endswith(whole)  # "Evangelion 1", E11
        spaced = not episodes and f"{whole} {fraction}" in title  # "Evangelion 2 22 You Can"
        if not (split or spaced):
            continue
        start = text.find(title.split()[0])
        start = start if 0 <= start < match.start() else match.start()
        stop = _TITLE_STOP.search(text, match.end())
        full = clean_title(text[start:stop.start() if stop else len(text)])
        changes: Fields = {"title": full, "episodes": [], "season": None, "episode_title": None,
                           "absolute_episodes": [], "type": "movie"}
        group = fields["release_group"]
        if group is not None and full is not None and group in full:
            changes["release_group"] = None  # "(Not)" read as a release group
        return changes
    return {}


def six_digit_date(fields: Fields, text: str) -> Fields:
    """``At.Midnight.140722``: a six-digit stamp is YYMMDD (guessit prefers DDMMYY)."""
    day = fields["date"]
    if day is None:
        return {}
    for match in _SIX_DIGITS.finditer(text):
        first, second, third = (int(g) for g in match.groups())
        if day != f"20{third:02d}-{second:02d}-{first:02d}":
            continue
        try:
            return {"date": date(2000 + first, second, third).isoformat()}
        except ValueError:  # not a valid YYMMDD: guessit's reading stands
            return {}
    return {}


# In order: the fansub reading first (it knows the title's own numbers), then
# the year and zero-padding fixes for other shapes.
NUMBER_RULES: Final = (dash_episode, hyphenated_number, year_not_season, year_in_parentheses,
                       zero_padded_absolute, bracketed_name, numeric_title, decimal_title,
                       six_digit_date)
