"""Video names -> ``Parse``: the one module that imports guessit.

Contract:

- ``parse_video(path, root)`` says what a video is from its name and the
  folders it sits in below ``root``. It is a pure function: it never
  touches the disk (the file need not exist), the environment, or a
  guessit configuration in the user's home or the current directory. The
  same path and root always give the same ``Parse``.
- guessit is the parser; jforg adds context and corrections around it:
  ``parse_prepare`` tidies a name before guessit reads it (site prefixes,
  broadcast stamps, CJK brackets, ``S02E01v2``), ``parse_numbers`` and
  ``parse_titles`` correct what it reads (a year is no season, a title's
  own numbers and parts stay in it, a country tells remakes apart), and
  the folders fill what the name lacks. Never worse than plain guessit on
  the tables in tests/data (tests/test_parse_guessit.py holds it to that).
- A file anywhere below a ``BDMV/`` or ``VIDEO_TS/`` folder (any case) is a
  disc rip: type "movie", the title and year of the folder holding the disc
  structure, never an episode, never a part.
- An air date with no episode number gives ``date`` and no season; with a
  number, the number wins (season 1 when the name gives none) and the date
  is kept.
- The result holds plain values only: ints, sorted lists of ints, an ISO
  date, language codes from ``languages.code_of``, lists of str; never a
  babelfish object or a guessit match, so it always encodes as JSON, even
  for names that are not valid UTF-8.
- Folders at or above ``root`` never give a title, nor do folders that
  organise a share without naming a work (Downloads, Movies, Sci-Fi, A-Z).
- Cost: exactly one guessit call, on the file name, for nearly every name.
  Only when the name lacks an identity a folder can give (no title, an
  obfuscated, generic or slug one, a bare number, a name inside a release
  folder that says less than the folder) is the folder read: plainly named
  folders ("Contact (1997)") by a regex, release-named ones by a second
  guessit call, cached per folder, so a release or a series pays it once.
- It parses and decides nothing else: whether a file is a sample, trailer
  or extra, and which work it belongs to, are other modules' business.
- A name guessit cannot handle yields an empty ``Parse``, never an exception.
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache
from typing import Any, Final, Literal

from guessit import guessit
from guessit.api import GuessitException

from pipeline.core.records import Parse
from pipeline.probe.parse_fields import Fields, plain, settle
from pipeline.probe.parse_numbers import NUMBER_RULES
from pipeline.probe.parse_prepare import prepare
from pipeline.probe.parse_rules import (
    clean_folder,
    is_generic_folder,
    looks_obfuscated,
    part_of,
    readable,
    season_of_folder,
    words,
)
from pipeline.probe.parse_titles import TITLE_RULES, title_part

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

# "03 - Pilot.mkv", "ep07.avi": the name opens with the episode number, so
# whatever guessit takes for a title names the episode, not the series.
_OPENING_EPISODE: Final = re.compile(r"^(?:e|ep|episode[\s._]*)?(\d{1,4})(?!\d)", re.IGNORECASE)
# A file name that numbers its episode itself (S01E04, 1x04, E04, ep04), so a
# release folder's numbers never replace it.
_OWN_EPISODE: Final = re.compile(
    r"(?i)(?<![a-z0-9])(?:s\d{1,4}[\s._-]*e\d|\d{1,2}x\d{2,3}(?!\d)|e(?:p(?:isode)?)?[\s._-]*\d)")
# Any folder of these names, at any depth, is a disc structure: the folder
# holding it names the movie, and nothing below it is an episode or a part.
_DISC_ROOTS: Final = frozenset({"bdmv", "video_ts"})
# "flux-andor-s01e04": a scene slug, group and title run together in lower case.
_SLUG: Final = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)+$")
# Folder names that look like a release (tags a person naming a folder never types).
_RELEASE_FOLDER: Final = re.compile(
    r"(?i)(?<![a-z0-9])(?:\d{3,4}p|s\d{1,3}(?:e\d{1,4})?|web-?dl|webrip|blu-?ray|bdrip|hdtv"
    r"|dvdrip|x26[45]|h\.?26[45]|xvid|hevc)(?![a-z0-9])")
_EXTENSION: Final = re.compile(r"\.[A-Za-z0-9]{1,5}$")
_RULES: Final = (*NUMBER_RULES, *TITLE_RULES)
# "The Office (US)": a series folder that adds the country to the file's title.
_COUNTRY_OF: Final = re.compile(r".+\((?:US|UK|AU)\)")
# What a disc rip takes from the folder holding it: identity and release
# tags, never numbers (those of a folder name are a release's, not a disc's).
_DISC_KEEPS: Final = frozenset({
    "title", "year", "alternative_titles", "edition", "screen_size", "source", "release_group",
    "other", "languages", "subtitle_languages"})

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
    for depth, folder in enumerate(folders):
        if folder.casefold() in _DISC_ROOTS:
            return _disc_rip(folders[:depth])
    fields = _read(name, file=True)
    source: Source = None
    parent = folders[-1] if folders else None
    if parent is not None and fields["title"] is None:
        _numbered_like(fields, _EXTENSION.sub("", name), parent)
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
    elif parent is not None and not is_generic_folder(parent):
        if _lacks_identity(fields, name, parent):
            reading = _folder_reading(parent)
            if reading is not None:
                _adopt(fields, reading, name, opening=_opens_with_episode(fields, name))
                source = "folder"
        if fields["part"] is not None:  # "... Part 2 (2011)/... Part 2.mkv"
            fields.update(title_part(fields, _EXTENSION.sub("", name), folder=parent))
    settle(fields, in_season_folder=season is not None)
    if source == "folder" and fields["type"] == "episode":
        source = "series folder"
    return _parse(fields, source)


def _parse(fields: Fields, source: Source) -> Parse:
    return Parse(**{k: v for k, v in fields.items() if not k.startswith("_")},
                 source_of_title=source)


def _disc_rip(folders: list[str]) -> Parse:
    """A file inside ``BDMV/`` or ``VIDEO_TS/``: the movie the folder holding the disc names.

    Stream and VOB names number streams, not episodes or parts; a "Disc 1"
    folder around the structure is skipped for the one above it.
    """
    while len(folders) >= 2 and part_of(folders[-1]) is not None:
        folders = folders[:-1]
    holder = folders[-1] if folders else None
    reading = (_folder_reading(holder) if holder is not None and not is_generic_folder(holder)
               else None)
    if reading is None:
        return Parse(type="movie")
    kept: Fields = {key: list(value) if isinstance(value, list) else value
                    for key, value in reading.items() if key in _DISC_KEEPS}
    return Parse(type="movie", source_of_title="folder", **kept)


def _read(text: str, *, file: bool) -> Fields:
    """guessit's reading of one name, tidied before and corrected after (``parse_*`` rules)."""
    prepared = prepare(text)
    fields = plain(_guess(prepared.text))
    body = _EXTENSION.sub("", prepared.text) if file else prepared.text
    for rule in _RULES:
        changes = rule(fields, body)
        if changes:
            fields.update(changes)
    if prepared.date is not None and fields["date"] is None:
        fields["date"] = prepared.date
    return fields


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
    if title is None or looks_obfuscated(title) or not any(c.isalpha() for c in title):
        return True  # a hash, a random token, a bare number ("170424_26.mkv")
    if _opens_with_episode(fields, name):
        return True
    squashed = "".join(words(parent))
    if _SLUG.match(title) and all(word in squashed for word in words(title)):
        return True  # "flux-andor-s01e04-1080p.mkv" in "Andor.S01.1080p...-FLUX"
    if (fields["year"] is not None or fields["episodes"] or fields["date"]
            or fields["season"] is not None):
        return False
    # A bare title inside a folder that says more with the same words:
    # "birdman.mkv" in "Birdman.2014.1080p...", "grp-heat-cd1.avi" in
    # "Heat.1995...-GRP" (words compared run together, as scene slugs write them).
    if all(word in squashed for word in words(title)):
        return True
    # A name with no number at all inside a release folder ("abc.mkv" in
    # "Show.S04E08.720p.WEB-DL-GRP"): the release names the work, not the file.
    return _RELEASE_FOLDER.search(parent) is not None


def _numbered_like(fields: Fields, stem: str, parent: str) -> None:
    """``300 (2006)/300.mkv``: a bare number named like its folder's title is that title."""
    if not stem.isdigit():
        return
    plain = clean_folder(parent)
    reading = _folder_reading(parent) if plain is None else {"title": plain[0]}
    if reading is not None and reading["title"] == stem:
        fields.update(type="movie", title=stem, season=None, episodes=[], absolute_episodes=[])


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
    reading = _folder_reading(series)
    if (title is not None and not looks_obfuscated(title) and not opening
            and (own_season is not None or _same_words(title, series))):
        # The name carries the series ("Show - 1x04", "Show - 05"); the folder
        # may still add what tells remakes apart: a year, a country.
        if reading is not None:
            if fields["year"] is None:
                fields["year"] = reading.get("year")
            if _COUNTRY_OF.fullmatch(reading["title"]) and _same_words(title, reading["title"]):
                fields["title"] = reading["title"]
        return None
    if reading is None:
        return None
    _adopt(fields, {"title": reading["title"], "year": reading.get("year")}, name,
           opening=opening)
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
    reading = _read(folder, file=False)
    title = reading["title"]
    if title is None:
        return None
    # "Movie.2018.DVDRip-GRP" names a work even with a generic title; a bare
    # random token ("XxQVHK4GJMP3n2dLpmhW") names none.
    released = reading["year"] is not None or reading["source"] or reading["release_group"]
    return None if looks_obfuscated(title) and not (released and " " not in title
                                                     and title.isalpha()) else reading


def _adopt(fields: Fields, reading: Fields, name: str, *, opening: bool = False) -> None:
    """Take the identity from a folder's reading; keep the file's own details.

    What the file name took for a title names the episode when the name
    opens with the episode number (``opening``: "03 - Pilot.mkv"), or when
    it is an episode's and neither obfuscated, a slug, nor the folder's title.
    Numbers: a file that does not number its episode itself (``S01E04``,
    ``E04``) takes the numbers of a one-episode release folder, and none
    from a movie's release folder ("123.mkv" is no S01E23 there).
    """
    title = fields["title"]
    if (title is not None and fields["episode_title"] is None and not looks_obfuscated(title)
            and any(c.isalpha() for c in title) and not _SLUG.match(title)
            and (opening or (not _same_words(title, reading["title"])
                             and (fields["type"] == "episode" or fields["episodes"])))):
        fields["episode_title"] = title
    if not opening and _OWN_EPISODE.search(name) is None:
        if reading.get("episodes"):
            fields["episodes"] = []  # the release's own numbers follow below
            fields["absolute_episodes"] = []
            fields["season"] = None
        elif reading.get("type") == "movie" and reading.get("season") is None and (
                reading.get("source") or reading.get("screen_size")
                or reading.get("release_group")):
            fields["season"], fields["episodes"], fields["absolute_episodes"] = None, [], []
            fields["type"] = "movie"
    for key, shared in reading.items():
        if key.startswith("_"):
            continue
        value = list(shared) if isinstance(shared, list) else shared  # readings are cached
        if key in _IDENTITY:
            if value is not None and value != []:
                fields[key] = value
        elif fields[key] is None or fields[key] == []:
            fields[key] = value
