"""How Jellyfin reads an episode's path: season, episode, last episode, air date, series name.

Pure functions, written from the behaviour Jellyfin's TV naming tests pin
down (Emby.Naming.TV: the episode expressions tried in order over the whole
path, the multi-episode expressions, the season folder parser and the
series folder name). jforg's own regular expressions, not a port.

Order matters and is Jellyfin's: ``S01E02`` anywhere in the file name wins
over everything; then ``ep01``, ``.E01.``, air dates (``2020.01.02``,
``02-01-2020``), ``S01 E02``, ``Name 123``, ``1x02``, ``[Group] Name - 12``,
``name_102`` (season 1, episode 2), ``part 2`` … down to a bare ``02.mkv``.
A season between 200 and 1927, or above 2500, invalidates a reading
(``1920x1080`` is not season 1920).
"""

from __future__ import annotations

import datetime as _dt
import re
from functools import lru_cache
from typing import Final, NamedTuple

__all__ = [
    "EpisodeReading",
    "is_season_folder",
    "read_episode_path",
    "season_of_folder",
    "series_in_path",
    "series_name",
]


class EpisodeReading(NamedTuple):
    series: str  # from the file name; "" when it names none (Jellyfin uses the folder)
    season: int | None
    episode: int | None
    ending: int | None
    date: str | None  # YYYY-MM-DD for episodes named by air date


class _Expr(NamedTuple):
    pattern: re.Pattern[str]
    named: bool  # groups season/ep/end/series; else group 1 season, group 2 episode
    optimistic: bool = False
    absolute: bool = True  # may read absolute (anime) numbers
    date: str | None = None  # "ymd" or "dmy"
    # Cheap patterns the path must contain before the (backtracking) expression is
    # tried: they change no result, only skip hopeless searches.
    hints: tuple[re.Pattern[str], ...] = ()

    def search(self, path: str) -> re.Match[str] | None:
        if any(hint.search(path) is None for hint in self.hints):
            return None
        return self.pattern.search(path)


def _x(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.I)


_NXN: Final = (_x(r"\dx\d"),)
_SXE: Final = (_x(r"s\d+[x.,]?e\d"),)


_EXPRESSIONS: Final = (
    # foo.s01.e01, S01E02 foo, S01 - E02
    _Expr(_x(r".*/(?P<series>(?:(?!s\d+[][ ._-]*e\d+)[^/])*)?s(?P<season>\d+)[][ ._-]*"
             r"e(?P<ep>\d+)[^/]*$"), named=True),
    # foo.ep01, foo.EP_01
    _Expr(_x(r"[._ -]()ep_?(\d+)[^/]*$"), named=False),
    # foo.E01.
    _Expr(_x(r"[^/]*?()\.?e(\d+)\.[^/]*$"), named=False, hints=(_x(r"e\d+\."),)),
    _Expr(_x(r"(?P<y>\d{4})[._ -](?P<m>\d{2})[._ -](?P<d>\d{2})"), named=False, date="ymd"),
    _Expr(_x(r"(?P<d>\d{2})[._ -](?P<m>\d{2})[._ -](?P<y>\d{4})"), named=False, date="dmy"),
    # Series Season 1 Episode 2, Series S03 E09
    _Expr(_x(r".*/(?:(?P<series>[^/]+?)\s)?s(?:eason)?\s*(?P<season>\d+)\s+e(?:pisode)?\s*"
             r"(?P<ep>\d+).*$"), named=True, hints=(_x(r"s(?:eason)?\s*\d+\s+e"),)),
    # Foo Bar 889
    _Expr(_x(r".*/(?!episode)(?P<series>[\w\s]+?)\s(?P<ep>\d{1,4})(?:-(?P<end>\d{2,4}))*"
             r"[^/x]*$"), named=True),
    _Expr(_x(r"[/._ \[(-](\d+)x(\d+(?:(?:[a-i]|\.[1-9])(?!\d))?)[^/]*$"), named=False),
    # [Group] Foo - 12 [1080p]
    _Expr(_x(r".*/?.*?(?:\[.*?\])+.*?(?P<series>[-\w\s]+?)[\s_]*-[\s_]*(?P<ep>\d+).*$"),
          named=True, hints=(_x(r"\["), _x(r"-[\s_]*\d"))),
    # name_102, name.2017.04.20 (season 1 episode 2 of a number run)
    _Expr(_x(r"[/._ -](?P<series>(?!\d+\d\d)[^/_]*)[/._ -](?P<season>\d+)"
             r"(?P<ep>\d\d(?:(?:[a-i]|\.[1-9])(?!\d))?)[._ -][^/]*$"),
          named=True, optimistic=True, absolute=False, hints=(_x(r"\d{3}"),)),
    _Expr(_x(r"[/._ -]p(?:ar)?t[_. -]()([ivx]+|\d+)[._ -][^/]*$"), named=False),
    # Episode 16, Episode 16 - Title
    _Expr(_x(r"episode (?P<ep>\d+)(?:-(?P<end>\d+))?[^/]*$"), named=True),
    _Expr(_x(r".*/s?(?P<season>\d+)x(?P<ep>\d+)[^/]*$"), named=True, hints=_NXN),
    _Expr(_x(r".*/s(?P<season>\d+)[x,]?e(?P<ep>\d+)[^/]*$"), named=True, hints=_SXE),
    _Expr(_x(r".*/(?P<series>(?:(?!s?\d{1,4}x\d{1,3})[^/])*)?s?(?P<season>\d{1,4})x(?P<ep>\d+)"
             r"[^/]*$"), named=True, hints=_NXN),
    _Expr(_x(r".*/(?P<series>[^/]*)s(?P<season>\d{1,4})[x.]?e(?P<ep>\d+)[^/]*$"), named=True,
          hints=_SXE),
    # 01.avi, 02-04.avi
    _Expr(_x(r".*/(?P<ep>\d+)(?:-(?P<end>\d+))*\.\w+$"), named=True, optimistic=True,
          hints=(_x(r"/\d"),)),
    # 1-12 episode title
    _Expr(_x(r"(\d+)-(\d+)"), named=False),
    # 01 - blah.avi, 01-blah.avi
    _Expr(_x(r".*/(?P<ep>\d{1,3})(?:-(?P<end>\d{2,3}))*\s?-\s?[^/]*$"), named=True,
          optimistic=True),
    # 01.blah.avi
    _Expr(_x(r".*/(?P<ep>\d{1,3})(?:-(?P<end>\d{2,3}))*\.[^/]+$"), named=True, optimistic=True,
          hints=(_x(r"/\d"),)),
    # blah - 01.avi, blah 2 - 01 - blah.avi
    _Expr(_x(r".*/[^/]* - (?P<ep>\d{1,3})(?:-(?P<end>\d{2,3}))*[^/]*$"), named=True,
          optimistic=True),
    # Season 2/16 Some Title.avi
    _Expr(_x(r"season[._ ](?P<season>\d+)/(?P<ep>\d{1,3})[^/]*$"), named=True,
          optimistic=True),
    # [Group][Series Name][21][1080p]
    _Expr(_x(r"(?:\[[^\]]+\]\s*)?(?P<series>\[[^\]]+\]|[^\[\]]+)\s*\[(?P<ep>\d+)\]"),
          named=True, hints=(_x(r"\[\d+\]"),)),
)

_RANGE: Final = (
    r"(?:-| - )\d{1,4}[ex](?P<end>\d{1,3})",
    r"(?:-| - )\d{1,4}xe(?P<end>\d{1,3})",
    r"(?:-| - )?[xe](?P<end>\d{1,3})",
    r"-x?e?(?P<end>\d{1,3})",
)
# "2x03 - 2x04", "S01E01-E02", "s01e01-e04": the last episode of a multi-episode file.
_MULTI: Final = tuple(
    [_Expr(_x(rf".*/s?(?P<season>\d{{1,4}})x(?P<ep>\d{{1,3}})(?:{r})+[^/]*$"), True,
           hints=_NXN) for r in _RANGE]
    + [_Expr(_x(rf".*/(?P<series>(?:(?!s?\d{{1,4}}x\d{{1,3}})[^/])*)?s?(?P<season>\d{{1,4}})x"
                rf"(?P<ep>\d{{1,3}})(?:{r})+[^/]*$"), True, hints=_NXN) for r in _RANGE]
    + [_Expr(_x(rf".*/(?P<series>[^/]*)s(?P<season>\d{{1,4}})[x.]?e(?P<ep>\d{{1,3}})(?:{r})+"
                r"[^/]*$"), True, hints=_SXE) for r in _RANGE[2:]])
# What must follow an episode number for a file to name a last episode too.
_RANGE_AFTER: Final = _x(r"(?:(?:-| - )?[xe]\d|-x?e?\d|(?:-| - )\d)")

_ROMAN: Final = {"i": 1, "v": 5, "x": 10}


def _number(text: str | None) -> int | None:
    if not text:
        return None
    if text.isdigit():
        return int(text)
    lowered = text.lower()
    if all(c in _ROMAN for c in lowered):
        total = 0
        for i, char in enumerate(lowered):
            value = _ROMAN[char]
            nxt = _ROMAN[lowered[i + 1]] if i + 1 < len(lowered) else 0
            total += -value if value < nxt else value
        return total
    digits = re.match(r"\d+", text)  # "12a", "12.5": the whole episode is 12
    return int(digits.group(0)) if digits else None


def _ending(match: re.Match[str], path: str) -> int | None:
    if match.groupdict().get("end") is None:
        return None
    after = match.end("end")
    # "s09e14-1080p": digits or a resolution's p/i after it mean it is not an episode.
    if after < len(path) and path[after] in "0123456789iIpP":
        return None
    return int(match.group("end"))


def _date(match: re.Match[str]) -> str | None:
    try:
        day = _dt.date(int(match.group("y")), int(match.group("m")), int(match.group("d")))
    except ValueError:
        return None
    return day.isoformat()


def _read(path: str, expr: _Expr) -> tuple[EpisodeReading, str] | None:
    """The reading of one expression, and the text after its episode number."""
    match = expr.search(path)
    if match is None:
        return None
    if expr.date is not None:
        day = _date(match)
        if day is None:
            return None
        series = path[:match.start()].rsplit("/", 1)[-1]
        return EpisodeReading(series, None, None, None, day), ""
    if expr.named:
        groups = match.groupdict()
        season = _number(groups.get("season"))
        episode = _number(groups.get("ep"))
        ending = _ending(match, path)
        series = groups.get("series") or ""
        after = path[match.end("ep"):] if groups.get("ep") is not None else ""
    else:
        season, episode, ending, series = _number(match.group(1)), _number(match.group(2)), \
            None, ""
        after = path[match.end(2):]
    if episode is None:
        return None
    if season is not None and (200 <= season < 1928 or season > 2500):
        return None  # "1920x1080" is a resolution, not season 1920
    return EpisodeReading(series, season, episode, ending, None), after


def _tidy_series(name: str) -> str:
    return name.strip().strip("_.-").strip()


def read_episode_path(path: str, *, optimistic: bool = True,
                      absolute: bool = False) -> EpisodeReading | None:
    """What Jellyfin reads from an episode's path ("/" separated; folders help).

    ``absolute`` leaves out the readings that cannot be absolute (anime)
    numbers, as Jellyfin does for series flagged so; None when nothing reads.
    """
    path = "/" + path.lstrip("/")
    read: tuple[EpisodeReading, str] | None = None
    for expr in _EXPRESSIONS:
        if (expr.optimistic and not optimistic) or (absolute and not expr.absolute):
            continue
        read = _read(path, expr)
        if read is not None:
            break
    if read is None:
        return None
    found, after = read
    series, ending = found.series, found.ending
    # Other readings may still say the series' name, or the last episode; the
    # multi-episode ones only when something after the episode number could.
    extra: list[_Expr] = [e for e in _EXPRESSIONS if e.named] if not series else []
    if ending is None and found.episode is not None and _RANGE_AFTER.match(after):
        extra += _MULTI
    for expr in extra:
        match = expr.search(path)
        if match is None or match.groupdict().get("ep") is None:
            continue
        if not series:
            series = match.groupdict().get("series") or ""
        if ending is None and found.episode is not None:
            ending = _ending(match, path)
        if series and (found.episode is None or ending is not None):
            break
    return found._replace(series=_tidy_series(series), ending=ending)


_SEASON_WORDS: Final = (r"season|sæson|saison|staffel|stagione|series|temporada|sezon|"
                        r"сезон|säsong|seizoen|kausi")
_SEASON_NAMED: Final = _x(
    rf"^(?P<before>.*?)(?:\b|_|\d)(?:{_SEASON_WORDS})[ ._-]*(?P<n>\d+)(?P<rest>.*)$")
_SEASON_NUMBER_FIRST: Final = _x(rf"^\s*(?P<n>\d+)\s*(?:st|nd|rd|th|\.)?\s*(?:{_SEASON_WORDS})"
                                 r"(?P<rest>.*)$")
_SEASON_S: Final = _x(r"(?:^|[ ._-])s(?P<n>\d{1,4})(?P<rest>(?:[ ._-].*)?)$")
_SPECIALS: Final = frozenset({"specials", "extras"})


def season_of_folder(name: str) -> int | None:
    """The season number a folder name gives its episodes (Season 2, S02, 3.Staffel,
    Specials -> 0, a bare number); None when it names none."""
    found = _season(name)
    return found[0] if found is not None else None


def is_season_folder(name: str) -> bool:
    """True when the folder is a season folder and nothing else (not "S06E05", not a
    release named after an episode)."""
    found = _season(name)
    return found is not None and found[1]


@lru_cache(maxsize=1024)  # a library has few distinct season folder names
def _season(name: str) -> tuple[int, bool] | None:
    text = name.strip()
    if text.casefold() in _SPECIALS:
        return 0, True
    if text.isdigit():
        return int(text), True
    match = _SEASON_NUMBER_FIRST.match(text)
    if match is None:
        match = _SEASON_NAMED.match(text)
        if match is not None and re.search(r"\bepisode\b|\be\d", match.group("before"), re.I):
            return None  # "Episode 1 Season 2" names an episode, not a season
    if match is not None:
        rest = match.group("rest")
        if re.match(r"\s*[ex]\d", rest, re.I):
            return None
        return int(match.group("n")), True
    match = _SEASON_S.search(text)
    if match is not None and not re.match(r"\s*[ex]\d", match.group("rest"), re.I):
        return int(match.group("n")), True
    return None


_DOTTED_WORDS: Final = re.compile(r"(?P<a>[^._]{2,})[._]*|[._](?P<b>[^._]{2,})")
_YEAR_TAIL: Final = re.compile(r"\s*\((?:19|20)\d\d\)\s*$")


def series_name(path: str) -> str:
    """A series folder's name as Jellyfin shows it (``path``: the folder, or a season
    folder below it): a release name's season cut off (``The.Show.S01.1080p`` -> ``The
    Show``), a trailing ``(Year)`` dropped, and dots or underscores between words made
    spaces, keeping dotted initials (``S.H.I.E.L.D.``)."""
    name = _YEAR_TAIL.sub("", series_in_path(path))
    if " " in name.strip():
        return name.strip()  # words are already apart: dots are the title's own
    return _DOTTED_WORDS.sub(lambda m: f"{m.group('a') or ''} {m.group('b') or ''}",
                             name).strip()


def series_in_path(path: str) -> str:
    """The series a folder path names, as written: the folder itself, the folder above
    a season folder, or the part of a release name before its season."""
    parts = [p for p in path.replace("\\", "/").split("/") if p]
    if not parts:
        return ""
    if len(parts) > 1 and _PURE_SEASON.match(parts[-1]):
        parts.pop()
    probe = "/" + parts[-1]
    # A release folder ("Bunker.S03.1080p.WEB-DL-GRP") names its series before the season.
    match = _SEASON_ONLY.search(probe)
    if match is not None and match.group("series").strip(" _.-"):
        return match.group("series").strip(" _.-")
    for expr in _EXPRESSIONS:
        if not expr.named:
            continue
        match = expr.pattern.search(probe)
        if match is not None and match.groupdict().get("series") \
                and match.groupdict().get("season"):
            return match.group("series").strip(" _.-")
    return parts[-1]


_PURE_SEASON: Final = _x(r"^\s*(?:s|season|specials?|extras|\d+)[ ._-]*\d*\s*$")
# "the show S01", "the show season 1": a folder named for a series and one season.
_SEASON_ONLY: Final = _x(r"^/(?P<series>.+?)[. _-]+s(?:eason)?[. _-]*\d+")
