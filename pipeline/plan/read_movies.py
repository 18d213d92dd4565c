"""How Jellyfin reads a movie's name: year, clean-up, provider ids, parts, versions, extras.

Pure functions over one name (a folder or a file stem), written from the
behaviour Jellyfin's naming tests pin down (Emby.Naming: CleanDateTime,
CleanString, the file stacking rules, the multi-version folder rule and
the extra rules). They are jforg's own regular expressions, not a port;
``reader`` assembles them into a whole path's reading.

What they encode, and the traps for a name jforg writes:

- The year is the *last* ``19xx``/``20xx`` that follows one of ``_.()[]-``
  (first pass) or a run of ``_.()[]- `` and spaces (second pass), so a
  4-digit provider id inside brackets after the year (``[tmdbid-2010]``)
  wins over ``(1995)``, and a title ending in ``2049`` with no year reads
  it as the year. Years outside 1900-2099 are never read.
- Clean-up then cuts the name at the first release token that stands
  between separators (``German``, ``Pal``, ``Proper``, ``DC``, ``1080p``,
  any ``[...]``): ``The German Doctor`` is read as ``The``; it also drops a
  leading ``[...]``, a trailing `` - 2`` and a trailing ``trailer``/``sample``
  word (``Blood Sample`` is read as ``Blood``).
- A file is a version of its folder's movie when its stem starts with the
  folder name and what follows starts with ``-``, ``_``, ``.`` or ``[``;
  a part when the stem ends in ``cd|dvd|part|pt|disc|disk`` + a number or
  a letter a-d (after a separator or a closing bracket).
"""

from __future__ import annotations

import re
from typing import Final, NamedTuple

__all__ = [
    "EXTRA_FOLDERS",
    "NameYear",
    "Part",
    "clean_date_time",
    "clean_string",
    "extra_of_file",
    "extra_of_folder",
    "extra_type",
    "parse_name",
    "part_label",
    "part_of",
    "provider_ids",
    "version_of",
]


class NameYear(NamedTuple):
    name: str
    year: int | None


class Part(NamedTuple):
    name: str  # the stack's name: the stem without the part
    number: int  # 1-based; letters a-d count as 1-4


_YEAR_AFTER_DELIMITER: Final = re.compile(
    r"^(.+[^_,.()\[\]\-])[_.()\[\]\-](19\d\d|20\d\d)(?!\d|\W\d\d\W\d\d)"
    r"(?:[ _,.()\[\]\-][^0-9]|).*$", re.S)
_YEAR_AFTER_SPACES: Final = re.compile(
    r"^(.+[^_,.()\[\]\-])[ _.()\[\]\-]+(19\d\d|20\d\d)(?!\d|\W\d\d\W\d\d)"
    r"(?:[ _,.()\[\]\-][^0-9]|).*$", re.S)

_TOKENS: Final = (
    r"3d|sbs|tab|hsbs|htab|mvc|hdr|hdc|uhd|ultrahd|4k|ac3|dts|custom|dc|divx|divx5|dsr|dsrip|"
    r"dutch|dvd|dvdrip|dvdscr|dvdscreener|screener|dvdivx|cam|fragment|fs|hdtv|hdrip|hdtvrip|"
    r"internal|limited|multi|subs|ntsc|ogg|ogm|pal|pdtv|proper|repack|rerip|retail|cd[1-9]|r5|"
    r"bd5|bd|se|svcd|swedish|german|read\.nfo|nfofix|unrated|ws|telesync|ts|telecine|tc|brrip|"
    r"bdrip|480p|480i|576p|576i|720p|720i|1080p|1080i|2160p|hrhd|hrhdtv|hddvd|bluray|blu-ray|"
    r"x264|x265|h264|h265|xvid|xvidvd|xxx|www\.www|aac|\[.*\]")
_DELIM: Final = r"[ _,.()\[\]\-]"
# Applied in this order, each on what the previous left.
_CLEANERS: Final = (
    re.compile(rf"^\s*(?P<c>.+?){_DELIM}(?:{_TOKENS})(?:{_DELIM}|$)", re.I | re.S),
    re.compile(r"^\s*(?P<c>.+?)\[.*\]", re.S),
    re.compile(r"^\s*(?P<c>.+?)\WE\d+[-~]E?\d+(?:\W|$)", re.I | re.S),
    re.compile(r"^\s*\[[^\]]+\](?!\.\w+$)\s*(?P<c>.+)", re.S),
    re.compile(r"^\s*(?P<c>.+?)\s+-\s+\d+\s*$", re.S),
    re.compile(r"^\s*(?P<c>.+?)(?:[-._ ](?:trailer|sample)|-(?:scene|clip|behindthescenes|deleted|"
               r"deletedscene|featurette|short|interview|other|extra))$", re.I | re.S),
)

_PART: Final = re.compile(
    r"^(?P<name>.*?)(?:(?<=[\])}])|[ _.\-]+)[(\[]?(?:cd|dvd|part|pt|dis[ck])[ _.\-]*"
    r"(?P<n>\d+|[a-d])[)\]]?$", re.I | re.S)

_PART_LABEL: Final = re.compile(r"[(\[]?(?:cd|dvd|part|pt|dis[ck])[ _.\-]*(?P<n>\d+|[a-d])[)\]]?",
                                re.I)

_ID_TAG: Final = re.compile(
    r"[\[{(](?P<key>tmdbid|imdbid|tvdbid|tmdb|imdb|tvdb)[-=](?P<value>[^\]})]+)[\]})]", re.I)
_ID_KEYS: Final = {"tmdbid": "tmdb", "tmdb": "tmdb", "imdbid": "imdb", "imdb": "imdb",
                   "tvdbid": "tvdb", "tvdb": "tvdb"}

# Folder names Jellyfin files extras under (compared case-insensitively).
EXTRA_FOLDERS: Final = {
    "trailers": "trailer", "featurettes": "featurette", "behind the scenes": "behind the scenes",
    "deleted scenes": "deleted scene", "interviews": "interview", "scenes": "scene",
    "samples": "sample", "shorts": "short", "clips": "clip", "extras": "extra",
    "extra": "extra", "other": "extra", "backdrops": "theme video",
}
# Suffixes are matched as written, in lower case: "I Live In A Trailer" is a title.
_SUFFIX_EXTRA: Final = re.compile(
    r"[-._ ](?P<a>trailer|sample)\d*$"
    r"|-(?P<b>scene|clip|interview|behindthescenes|deletedscene|deleted|featurette|short|"
    r"extra|other)\d*$")
_SUFFIX_ROLE: Final = {
    "trailer": "trailer", "sample": "sample", "scene": "scene", "clip": "clip",
    "interview": "interview", "behindthescenes": "behind the scenes",
    "deletedscene": "deleted scene", "deleted": "deleted scene", "featurette": "featurette",
    "short": "short", "extra": "extra", "other": "extra",
}
_WHOLE_NAME_EXTRA: Final = {"trailer": "trailer", "sample": "sample"}


def _year_of(name: str) -> NameYear | None:
    for pattern in (_YEAR_AFTER_DELIMITER, _YEAR_AFTER_SPACES):
        match = pattern.match(name)
        if match is not None:
            return NameYear(match.group(1).rstrip(), int(match.group(2)))
    return None


def clean_date_time(name: str) -> NameYear:
    """The name before its year, and the year; the name unchanged when none is read.

    When no year is found as written, the cleaned name is tried once more
    (a release token before the year can hide it).
    """
    found = _year_of(name)
    if found is not None:
        return found
    cleaned = clean_string(name)
    if cleaned is not None:
        again = _year_of(cleaned)
        if again is not None:
            return again
    return NameYear(name, None)


def clean_string(name: str) -> str | None:
    """The name cut before release tokens and bracketed tags; None when nothing was cut."""
    changed = False
    for pattern in _CLEANERS:
        match = pattern.match(name)
        if match is not None:
            name = match.group("c").strip()
            changed = True
    return name if changed else None


def parse_name(name: str) -> NameYear:
    """What Jellyfin looks a movie (or series) up by: year read, then the name cleaned."""
    found = clean_date_time(name)
    cleaned = clean_string(found.name)
    return NameYear(cleaned if cleaned is not None else found.name, found.year)


def provider_ids(name: str) -> dict[str, str]:
    """``[tmdbid-603]``, ``[imdbid=tt0133093]``, ``{tvdb-1}`` tags of a folder or file name."""
    found: dict[str, str] = {}
    for match in _ID_TAG.finditer(name):
        key = _ID_KEYS[match.group("key").lower()]
        found.setdefault(key, match.group("value").strip())
    return found


def part_of(stem: str) -> Part | None:
    """The part a file stem ends with (``-part2``, `` cd1``, ``(Disc 02)``, ``partb``)."""
    match = _PART.match(stem)
    if match is None or not match.group("name").strip():
        return None
    raw = match.group("n")
    number = int(raw) if raw.isdigit() else ord(raw.lower()) - ord("a") + 1
    return Part(match.group("name"), number)


def part_label(label: str) -> int | None:
    """The part number when a version label is only a part (``part2``, ``cd 1``)."""
    match = _PART_LABEL.fullmatch(label.strip())
    if match is None:
        return None
    raw = match.group("n")
    return int(raw) if raw.isdigit() else ord(raw.lower()) - ord("a") + 1


def version_of(stem: str, folder: str) -> str | None:
    """The version label of a file in its movie folder ("" for the plain one); None when
    Jellyfin would not group the file with the folder's other versions."""
    if not stem.startswith(folder):
        return None
    rest = stem[len(folder):].strip()
    if not rest:
        return ""
    if rest[0] in "-_.":
        return rest.lstrip("-_. ").strip()
    if rest[0] == "[" and "]" in rest:
        return rest.strip()
    return None


_AUDIO: Final = frozenset({"mp3", "flac", "m4a", "m4b", "ogg", "oga", "opus", "wav", "wma",
                           "aac", "ape", "wv", "mka", "aif", "aiff", "alac", "dsf", "mp2"})


def extra_type(path: str) -> str | None:
    """The extra type Jellyfin gives a file at ``path`` (below a library root): by its
    folder (``trailers/``, ``theme-music/``), then by its name (``-trailer``, ``theme``)."""
    parts = [p for p in path.replace("\\", "/").split("/") if p]
    if not parts:
        return None
    stem, _, ext = parts[-1].rpartition(".")
    if not stem:
        stem, ext = parts[-1], ""
    audio = ext.casefold() in _AUDIO
    folder = parts[-2].strip().casefold() if len(parts) > 1 else None
    if audio:
        if folder == "theme-music" or stem.strip().casefold() == "theme":
            return "theme song"
        return None
    if folder is not None and (found := extra_of_folder(folder)) is not None:
        return found
    return extra_of_file(stem)


def extra_of_folder(name: str) -> str | None:
    """The extra type of an extras folder (``trailers`` -> trailer), else None."""
    return EXTRA_FOLDERS.get(name.strip().casefold())


def extra_of_file(stem: str) -> str | None:
    """The extra type a file stem marks (``-trailer``, ``.sample``, ``trailer``), else None."""
    whole = _WHOLE_NAME_EXTRA.get(stem.strip().casefold())
    if whole is not None:
        return whole
    match = _SUFFIX_EXTRA.search(stem)
    if match is None:
        return None
    return _SUFFIX_ROLE[(match.group("a") or match.group("b")).casefold()]
