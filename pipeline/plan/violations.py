"""The rules verify checks, each with a stable id, a message and a fix.

Each check appends ``Violation`` records for one folder's names; the walk
that decides which check applies where (a movie folder, a season, extras)
is ``verify``'s. Names are read as Jellyfin reads them, with the plan's
reader (``read_episodes``, ``read_movies``), so verify and the plan's
read-back never disagree about a name.

Rules (stable ids)::

    episode-outside-season  an episode file not directly in a season folder
    mixed-series-root       a series folder holding season folders and videos
    season-folder-name      "S1", "Season 1", "season01", "Staffel 1": use "Season 01"
    version-prefix          a movie version not named "<Folder> - <label>.ext"
    reserved-character      <>:"\\|?* or control characters, or a trailing dot/space
    movie-without-year      a movie folder without "(YYYY)"
    orphan-subtitle         a subtitle whose name starts with no video's stem
    nfo-name                an .nfo Jellyfin ignores where it is
    extras-folder-name      "Trailer/", "Featurette/": Jellyfin wants the plural
    nfo-invalid             an NFO Jellyfin would read that does not parse as XML
    nfo-root                an NFO whose root does not fit its place (movie.nfo holding
                            <tvshow>, an episode's NFO holding <movie> …)

NFO names are matched exactly: on Linux Jellyfin finds ``movie.nfo`` by path,
so ``Movie.nfo`` is missed.
"""

from __future__ import annotations

import os
import re
from typing import Final, Literal, Protocol
from xml.etree import ElementTree

import msgspec

from pipeline.core.fileclass import classifier
from pipeline.core.paths import display, to_wire
from pipeline.core.settings import ScanSettings
from pipeline.plan.read_episodes import read_episode_path
from pipeline.plan.read_movies import extra_of_file, parse_name
from pipeline.probe.sidecars import subtitle_language_and_flags

__all__ = [
    "EPISODE_CODE",
    "RULES",
    "Role",
    "Sink",
    "Violation",
    "check_files",
    "classify",
    "format_text",
    "is_extra",
    "loose_episodes",
    "movie_without_year",
    "nfo_content",
    "reserved",
    "stem_of",
    "to_json",
    "versions",
    "violation",
]

RULES: Final = (
    "episode-outside-season", "mixed-series-root", "season-folder-name", "version-prefix",
    "reserved-character", "movie-without-year", "orphan-subtitle", "nfo-name",
    "extras-folder-name", "nfo-invalid", "nfo-root",
)

Role = Literal["root", "movie", "series", "season", "extras", "other"]

_SUBTITLE_EXT: Final = frozenset({"srt", "ass", "ssa", "sub", "idx", "vtt", "sup"})
_RESERVED: Final = re.compile(r'[<>:"\\|?*\x00-\x1f\x7f]')
EPISODE_CODE: Final = re.compile(
    r"(?<![a-z0-9])s(\d{1,3})[ ._-]?e\d{1,4}|(?<![0-9])(\d{1,2})x\d{2,3}(?![0-9])", re.I)
_YEAR: Final = re.compile(r"\((?:18|19|20)\d\d\)")
_ID_TAG: Final = re.compile(r"\s*\[(?:tmdbid|imdbid|tvdbid)[-=][^\]]*\]", re.I)
_PART: Final = re.compile(r"[ ._-]*(?:cd|dvd|part|pt|dis[ck])[ ._-]*\d+$", re.I)
_RESOLUTION: Final = re.compile(r"(?i)(?<![a-z0-9])(\d{3,4}[pi]|[48]k|uhd)(?![a-z0-9])")

classify = classifier(ScanSettings())


class Violation(msgspec.Struct, frozen=True):
    """One broken rule: which, where (wire form), why, and what to do."""

    rule: str
    path: str
    message: str
    fix: str


class Sink(Protocol):
    """Where the checks put what they find: a list, or a collector that groups."""

    def append(self, item: Violation, /) -> None: ...


def format_text(violations: list[Violation]) -> str:
    """One line per violation: ``<rule>: <path>: <message> (fix: <fix>)``."""
    return "".join(f"{v.rule}: {display(v.path)}: {display(v.message)} (fix: {display(v.fix)})\n"
                   for v in violations)


def to_json(violations: list[Violation]) -> bytes:
    """The violations as a JSON list of objects (rule, path, message, fix)."""
    return msgspec.json.encode(violations)


def is_extra(name: str) -> bool:
    """A video whose name marks it as an extra (``-trailer``, ``sample``…), not a main one."""
    return extra_of_file(stem_of(name)) is not None


def movie_without_year(folder: str, videos: list[os.DirEntry[str]], out: Sink) -> None:
    name = os.path.basename(folder)
    if _YEAR.search(name):
        return
    # The title and year as Jellyfin reads them from the folder ("Heat.1995.1080p" is
    # Heat, 1995), else a year its videos' names give.
    title, year = parse_name(name)
    if year is None:
        title = _ID_TAG.sub("", name).strip()
        year = next((y for y in (parse_name(stem_of(v.name)).year for v in videos)
                     if y is not None), None)
    out.append(violation("movie-without-year", folder, "the movie folder's name has no (YYYY)",
                         f"rename to {title.strip()} ({year or 'YYYY'})"))


def versions(folder: str, name: str, videos: list[os.DirEntry[str]],
              out: Sink) -> None:
    main = [v for v in videos if not is_extra(v.name)]
    if len(main) < 2:
        return
    base = _ID_TAG.sub("", name).strip()
    for video in main:
        stem = stem_of(video.name)
        if any(stem == b or stem.startswith(b + " - ") or _PART.sub("", stem) == b
               for b in (base, name)):
            continue
        if stem.casefold().startswith(base.casefold()):
            label = stem[len(base):].strip(" -._") or "version"
        else:
            resolution = _RESOLUTION.search(stem)
            label = resolution.group(1) if resolution else stem
        ext = video.name[len(stem):]
        out.append(violation("version-prefix", video.path,
                      f"a version of {base!r} not named {base!r} + ' - ': "
                      "Jellyfin won't group the versions",
                      f"rename to {base} - {label}{ext}"))


def loose_episodes(folder: str, videos: list[os.DirEntry[str]], out: Sink) -> None:
    for video in videos:
        match = EPISODE_CODE.search(video.name)
        if match is not None:
            season = int(match.group(1) or match.group(2))
        else:
            # As Jellyfin reads a file in a series folder ("Show/Show - 03.mkv" is one).
            reading = read_episode_path(f"{os.path.basename(folder)}/{video.name}")
            if reading is None or reading.episode is None:
                continue
            season = reading.season if reading.season is not None else 1
        out.append(violation("episode-outside-season", video.path,
                      "an episode outside a season folder",
                      f"move into Season {season:02d}/"))


def check_files(files: list[os.DirEntry[str]], role: Role, out: Sink) -> None:
    """Names, subtitles and NFOs of one folder's files (``role``: what the folder is)."""
    stems = [stem_of(f.name) for f in files if classify(f.name) == "video"]
    for entry in files:
        name = entry.name
        reserved(entry.path, name, out)
        ext = name.rpartition(".")[2].casefold() if "." in name else ""
        if ext in _SUBTITLE_EXT and not any(_owns(s, stem_of(name)) for s in stems):
            _orphan(entry.path, name, ext, stems, out)
        elif ext == "nfo":
            _nfo(entry.path, name, role, stems, out)


def _disc_folder_nfo(path: str, name: str) -> bool:
    """``Movie (2001)/Movie (2001).nfo`` beside ``BDMV/`` or ``VIDEO_TS/``: Jellyfin reads a
    disc rip's NFO by its folder's name (MovieNfoSaver.GetMovieSavePaths)."""
    folder = os.path.dirname(path)
    return name == os.path.basename(folder) + ".nfo" and any(
        os.path.isdir(os.path.join(folder, disc)) for disc in ("BDMV", "VIDEO_TS"))


def _owns(video_stem: str, stem: str) -> bool:
    if not stem.casefold().startswith(video_stem.casefold()):
        return False
    return len(stem) == len(video_stem) or stem[len(video_stem)] in "._- "


def _orphan(path: str, name: str, ext: str, stems: list[str], out: Sink) -> None:
    language, flags = subtitle_language_and_flags(name, None)
    tail = ".".join([language or "<lang>", *flags])
    if len(stems) == 1:
        fix = f"rename to {stems[0]}.{tail}.{ext}"
    elif stems:
        fix = f"rename to <video stem>.{tail}.{ext}, with the stem of the video it belongs to"
    else:
        fix = f"move beside its video as <video stem>.{tail}.{ext}"
    out.append(violation("orphan-subtitle", path,
                  "no video in this folder has a name this subtitle starts with; "
                  "Jellyfin won't attach it", fix))


# What an NFO must hold, by its place: the root element Jellyfin's reader wants.
_NFO_ROOTS: Final = {("movie", "movie.nfo"): "movie", ("movie", ""): "movie",
                     ("series", "tvshow.nfo"): "tvshow", ("season", "season.nfo"): "season",
                     ("season", ""): "episodedetails", ("music", "album.nfo"): "album",
                     ("music", "artist.nfo"): "artist"}
_NFO_MAX_BYTES: Final = 1 << 20
_PROVIDER_LINK: Final = re.compile(r"(?i)imdb\.com/title/tt\d+|themoviedb\.org/(?:movie|tv)/\d+")


def nfo_content(path: str, expected: str, out: Sink) -> None:
    """An NFO Jellyfin will read: it must parse as XML with the root its place asks for.

    A file with no markup at all that names a provider page (``imdb.com/title/tt…``)
    is a link NFO, which Jellyfin reads for the id: not a violation.
    """
    try:
        with open(path, "rb") as handle:
            data = handle.read(_NFO_MAX_BYTES + 1)
    except OSError:
        return  # unreadable: the scan reports those
    if b"<" not in data and _PROVIDER_LINK.search(data.decode("utf-8", "replace")):
        return
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError as exc:
        out.append(violation("nfo-invalid", path, f"not XML Jellyfin can read ({exc})",
                             "write it again (jforg organize --overwrite-nfo) or remove it"))
        return
    if root.tag != expected:
        out.append(violation("nfo-root", path, f"a <{root.tag}> NFO where Jellyfin reads "
                                               f"<{expected}>",
                             f"write it as a <{expected}> NFO, or move it where it belongs"))


def _nfo(path: str, name: str, role: Role, stems: list[str], out: Sink) -> None:
    stem = stem_of(name)
    if _disc_folder_nfo(path, name):
        nfo_content(path, "movie", out)
        return
    expected = _NFO_ROOTS.get((role, name)) or (_NFO_ROOTS.get((role, "")) if stem in stems
                                                 else None)
    if expected is not None:
        nfo_content(path, expected, out)
    if stem in stems:
        return
    allowed = {"movie": "movie.nfo", "series": "tvshow.nfo", "season": "season.nfo"}.get(role)
    if name == allowed:
        return
    key = name.casefold()
    if key == "tvshow.nfo" and role == "season":
        fix = "move it into the series folder"
    elif key == "season.nfo" and role == "series":
        fix = "move it into its 'Season NN' folder"
    elif allowed is not None and (key == allowed or not stems or role in ("movie", "series")):
        fix = f"rename to {allowed}"
    elif len(stems) == 1:
        fix = f"rename to {stems[0]}.nfo"
    elif stems:
        fix = "rename to <video stem>.nfo, with the stem of the video it describes"
    else:
        fix = "move it beside the video it describes, as <video stem>.nfo"
    out.append(violation("nfo-name", path, "Jellyfin does not read an .nfo by this name here", fix))


def reserved(path: str, name: str, out: Sink) -> None:
    if not _RESERVED.search(name) and not name.endswith((".", " ")):
        return
    fixed = re.sub(r"\s*:\s*", " - ", name)
    fixed = _RESERVED.sub("_", fixed).rstrip(". ") or "_"
    out.append(violation("reserved-character", path,
                  "the name holds a character Jellyfin or the share can't handle "
                  "(<>:\"\\|?*, a control character, or a trailing dot or space)",
                  f"rename to {fixed}"))


def stem_of(name: str) -> str:
    dot = name.rfind(".")
    return name[:dot] if dot > 0 else name


def violation(rule: str, path: str, message: str, fix: str) -> Violation:
    return Violation(rule, to_wire(path), to_wire(message), to_wire(fix))
