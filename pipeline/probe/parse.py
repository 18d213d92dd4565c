"""Video names -> ``Parse``: the one module that imports guessit.

Contract:

- ``parse_video(path, root)`` says what a video is from its name and the
  folders it sits in below ``root``. It is a pure function: it never
  touches the disk (the file need not exist), the environment, or a
  guessit configuration in the user's home or the current directory. The
  same path and root always give the same ``Parse``.
- The result holds plain values only: ints, sorted lists of ints, an ISO
  date, language codes from ``languages.code_of``, lists of str; never a
  babelfish object or a guessit match, so it always encodes as JSON, even
  for names that are not valid UTF-8.
- Folders at or above ``root`` never give a title, nor do folders that
  organise a share without naming a work (Downloads, Movies, Sci-Fi, A-Z).
- Cost: exactly one guessit call, on the file name, for nearly every name.
  Only when the name lacks an identity a folder can give (no title, an
  obfuscated or generic one, a bare episode number) is the folder read:
  plainly named folders ("Contact (1997)") by a regex, release-named ones
  by a second guessit call, cached per folder, so a release or a series
  pays it once.
- It parses and decides nothing else: whether a file is a sample, trailer
  or extra, and which work it belongs to, are other modules' business.
- A name guessit cannot handle yields an empty ``Parse``, never an exception.
"""

from __future__ import annotations

import logging
import re
from datetime import date
from functools import lru_cache
from typing import Any, Final, Literal

from guessit import guessit
from guessit.api import GuessitException

from pipeline.core.records import Parse
from pipeline.probe.languages import code_of
from pipeline.probe.parse_rules import (
    clean_folder,
    clean_title,
    is_generic_folder,
    looks_obfuscated,
    part_of,
    readable,
    season_of_folder,
    words,
)

__all__ = ["parse_video", "warm"]

log = logging.getLogger(__name__)

# One options dict for every call: guessit re-merges (deep-copies) its whole
# configuration whenever the options differ from the previous call's, which
# costs a quarter of a call; so no per-call "type" hints either.
# no_user_config: results must not depend on ~/.guessit or the cwd.
_OPTIONS: Final[dict[str, Any]] = {"no_user_config": True}

# Keys a folder's reading overrides; the file's own reading wins for the rest
# (its episode numbers, its resolution) and the folder only fills gaps.
_IDENTITY: Final = ("type", "title", "year", "season", "alternative_titles")

# "[SubsPlease] 86 - Eighty Six - 05": guessit reads 86 as an episode.
_LEADING_NUMBER: Final = re.compile(r"^(?:\[[^\]]*\][\s._]*)*(\d{1,4})[\s._]+-[\s._]+")
# "03 - Pilot.mkv", "ep07.avi": the name opens with the episode number, so
# whatever guessit takes for a title names the episode, not the series.
_OPENING_EPISODE: Final = re.compile(r"^(?:e|ep|episode[\s._]*)?(\d{1,4})(?!\d)", re.IGNORECASE)
_DISC_STRUCTURE: Final = frozenset({"bdmv", "stream", "video_ts", "playlist"})
_EDITION_WORDS: Final = re.compile(
    r"\b(?:cut|edition|version|remaster(?:ed)?|uncut|extended|unrated|imax|criterion)\b",
    re.IGNORECASE)

Fields = dict[str, Any]
# Where the identity came from when not the file name (records.Parse.source_of_title).
Source = Literal["folder", "series folder"] | None


def warm() -> None:
    """Load guessit's configuration and rules now, so a worker pays for them once, up front."""
    _guess("Warm.Up.2000.1080p.BluRay.x264-GRP.mkv")


def parse_video(path: str, root: str | None = None) -> Parse:
    """What the name of the video at ``path`` (os form, absolute) and its folders say it is.

    ``root`` is the library root the file was found under: it and the
    folders above it are never read. Without it every folder may be read.
    """
    folders, name = _below_root(path, root)
    fields = _plain(_guess(name), name)
    source: Source = None
    # A disc structure's stream names ("BDMV/STREAM/00000.m2ts") say nothing:
    # the folder holding the structure names the work.
    disc_structure = bool(folders) and folders[-1].casefold() in _DISC_STRUCTURE
    while folders and folders[-1].casefold() in _DISC_STRUCTURE:
        folders = folders[:-1]
    parent = folders[-1] if folders else None
    if parent is not None and len(folders) >= 2 and part_of(parent) is not None:
        # "Release/CD1/grp-title-cd1.avi": the disc folder gives the part and
        # the release folder above it the identity.
        fields["part"] = fields["part"] if fields["part"] is not None else part_of(parent)
        folders, parent = folders[:-1], folders[-2]
    season = season_of_folder(parent) if parent is not None else None
    if season is not None:
        series = folders[-2] if len(folders) >= 2 else None
        if series is not None and is_generic_folder(series):
            series = None
        source = _in_season_folder(fields, name, season, series)
    elif parent is not None and not is_generic_folder(parent) and (
            disc_structure or _lacks_identity(fields, name, parent)):
        reading = _folder_reading(parent)
        if reading is not None:
            _adopt(fields, reading, opening=_opens_with_episode(fields, name))
            source = "folder"
    _settle(fields, in_season_folder=season is not None)
    if source == "folder" and fields["type"] == "episode":
        source = "series folder"
    return Parse(**fields, source_of_title=source)


def _guess(text: str) -> dict[str, Any]:
    try:
        result: dict[str, Any] = guessit(text, _OPTIONS)
    except GuessitException:
        log.debug("guessit failed on %r", text, exc_info=True)
        return {}
    return result


def _below_root(path: str, root: str | None) -> tuple[list[str], str]:
    """The folders between ``root`` and the file (nearest last), and the file name, readable."""
    head, _, name = readable(path).rpartition("/")
    if root is not None:
        base = readable(root.rstrip("/"))
        if head == base:
            head = ""
        elif head.startswith(base + "/"):
            head = head[len(base) + 1:]
    return [folder for folder in head.split("/") if folder], name


def _lacks_identity(fields: Fields, name: str, parent: str) -> bool:
    """True when the file name alone does not say which work it is, and ``parent`` may."""
    title = fields["title"]
    if title is None or looks_obfuscated(title):
        return True
    if _opens_with_episode(fields, name):
        return True
    if (fields["year"] is not None or fields["episodes"] or fields["date"]
            or fields["season"] is not None):
        return False
    # A bare title inside a folder that says more with the same words:
    # "birdman.mkv" in "Birdman.2014.1080p...", "grp-heat-cd1.avi" in
    # "Heat.1995...-GRP" (words compared run together, as scene slugs write them).
    squashed = "".join(words(parent))
    return all(word in squashed for word in words(title))


def _opens_with_episode(fields: Fields, name: str) -> bool:
    """True for "03 - Pilot.mkv": what guessit took for a title names the episode."""
    opening = _OPENING_EPISODE.match(name)
    return (opening is not None and fields["season"] is None
            and int(opening.group(1)) in fields["episodes"])


def _in_season_folder(fields: Fields, name: str, season: int, series: str | None) -> Source:
    """Complete an episode from ``Series/Season N/``; return where its title came from."""
    fields["type"] = "episode"
    opening = _opens_with_episode(fields, name)
    if fields["episode_title"] is None and fields["alternative_titles"]:
        # "Specials/Show - Christmas Special": guessit's second title names the episode.
        fields["episode_title"], *fields["alternative_titles"] = fields["alternative_titles"]
    own_season = fields["season"]
    if own_season is None:
        fields["season"] = season
    title = fields["title"]
    if series is None:
        if opening and title is not None and fields["episode_title"] is None:
            fields["title"], fields["episode_title"] = None, title  # "Season 2/03 - Pilot.mkv"
        return None
    if (title is not None and not looks_obfuscated(title) and not opening
            and (own_season is not None or _same_words(title, series))):
        # The name carries the series ("Show - 1x04", "Show - 05"); a plainly
        # named folder may still add the year that tells remakes apart.
        plain = clean_folder(series)
        if fields["year"] is None and plain is not None:
            fields["year"] = plain[1]
        return None
    reading = _folder_reading(series)
    if reading is None:
        return None
    _adopt(fields, {"title": reading["title"], "year": reading.get("year")}, opening=opening)
    return "series folder"


def _same_words(title: str, folder: str) -> bool:
    return set(words(title)) <= set(words(folder))


@lru_cache(maxsize=1024)
def _folder_reading(folder: str) -> Fields | None:
    """What a folder's own name says (title, year, ...); None if it names no work.

    Cached: the files of one release or one series share their folder, and
    a worker sees them one after another (manifests are sorted by path).
    Callers must not mutate the result.
    """
    plain = clean_folder(folder)
    if plain is not None:  # "Contact (1997)", "Dark": no guessit call needed
        return {"title": plain[0], "year": plain[1]}
    reading = _plain(_guess(folder))
    title = reading["title"]
    return None if title is None or looks_obfuscated(title) else reading


def _adopt(fields: Fields, reading: Fields, *, opening: bool = False) -> None:
    """Take the identity from a folder's reading; keep the file's own details.

    What the file name took for a title names the episode when the name
    opens with the episode number (``opening``: "03 - Pilot.mkv"), or when
    it is an episode's and neither obfuscated nor the folder's title.
    """
    title = fields["title"]
    if (title is not None and fields["episode_title"] is None and not looks_obfuscated(title)
            and (opening or (not _same_words(title, reading["title"])
                             and (fields["type"] == "episode" or fields["episodes"])))):
        fields["episode_title"] = title
    for key, shared in reading.items():
        value = list(shared) if isinstance(shared, list) else shared  # readings are cached
        if key in _IDENTITY:
            if value is not None and value != []:
                fields[key] = value
        elif fields[key] is None or fields[key] == []:
            fields[key] = value


def _settle(fields: Fields, *, in_season_folder: bool) -> None:
    """Make the type agree with the numbers, and give season-less episodes season 1."""
    numbered = bool(fields["episodes"] or fields["season"] is not None or fields["date"]
                    or fields["absolute_episodes"])
    if fields["type"] == "episode" and not numbered and not in_season_folder:
        # "Blade Runner (1982) Final Cut": guessit calls "Final Cut" an episode title.
        fields["type"] = "movie"
        leftover, fields["episode_title"] = fields["episode_title"], None
        if leftover and fields["edition"] is None and _EDITION_WORDS.search(leftover):
            fields["edition"] = leftover
        elif leftover:
            fields["alternative_titles"] = [*fields["alternative_titles"], leftover]
    elif fields["type"] == "movie" and (fields["episodes"] or fields["season"] is not None):
        fields["type"] = "episode"
    if (fields["type"] == "episode" and fields["season"] is None and not fields["date"]
            and fields["episodes"]):
        # Absolute numbering (anime, "Show - 03"): Jellyfin files it in season 1,
        # and the number itself is kept for lookups by absolute episode.
        fields["season"] = 1
        if not fields["absolute_episodes"]:
            fields["absolute_episodes"] = list(fields["episodes"])


def _plain(guess: dict[str, Any], name: str | None = None) -> Fields:
    """guessit's dict as plain ``Parse`` fields (``name``: the file name it read, for fixes)."""
    titles = [t for t in (clean_title(str(v)) for v in _many(guess.get("title"))) if t]
    alternatives = [t for t in (clean_title(str(v)) for v in _many(guess.get("alternative_title")))
                    if t]
    episodes = [v for v in _many(guess.get("episode")) if isinstance(v, int)]
    if name is not None and titles and len(episodes) >= 2:
        leading = _LEADING_NUMBER.match(name)
        if leading and int(leading.group(1)) == episodes[0]:
            titles[0] = f"{leading.group(1)} - {titles[0]}"
            episodes = episodes[1:]
    part = _first_int(guess.get("part"))
    for key in ("cd", "disc"):
        part = part if part is not None else _first_int(guess.get(key))
    for alternative in list(alternatives):
        number = part_of(alternative)
        if number is not None:  # "The Ten Commandments 1956 Disc 1"
            alternatives.remove(alternative)
            part = part if part is not None else number
    seasons = [v for v in _many(guess.get("season")) if isinstance(v, int)]
    editions = [str(v) for v in _many(guess.get("edition"))]
    day = _first(guess.get("date"))
    return {
        "type": guess.get("type") if guess.get("type") in ("movie", "episode") else None,
        "title": titles[0] if titles else None,
        "year": _first_int(guess.get("year")),
        "season": min(seasons) if seasons else None,
        "episodes": sorted(set(episodes)),
        "episode_title": clean_title(str(_first(guess.get("episode_title")) or "")),
        "alternative_titles": titles[1:] + alternatives,
        "absolute_episodes": sorted({v for v in _many(guess.get("absolute_episode"))
                                     if isinstance(v, int)}),
        "part": part,
        "edition": ", ".join(editions) or None,
        "screen_size": _first_text(guess.get("screen_size")),
        "source": _first_text(guess.get("source")),
        "release_group": _first_text(guess.get("release_group")),
        "other": [str(v) for v in _many(guess.get("other"))],
        "date": f"{day:%Y-%m-%d}" if isinstance(day, date) else None,
        "languages": _codes(guess.get("language")),
        "subtitle_languages": _codes(guess.get("subtitle_language")),
    }


def _many(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def _first(value: Any) -> Any:
    return value[0] if isinstance(value, list) and value else value


def _first_int(value: Any) -> int | None:
    value = _first(value)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _first_text(value: Any) -> str | None:
    value = _first(value)
    return str(value) if value is not None and value != [] else None


def _codes(value: Any) -> list[str]:
    codes: list[str] = []
    for language in _many(value):
        code = code_of(language)
        if code is not None and code not in codes:
            codes.append(code)
    return codes
