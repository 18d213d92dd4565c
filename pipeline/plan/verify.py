"""Verify: audit an existing Jellyfin library's names against Jellyfin's rules.

Contract:

- ``verify(root)`` walks ``root`` once and returns every ``Violation``, sorted
  by path (``paths.sort_key``, then rule id). ``root`` is either a folder of
  kind roots (Movies, Shows, Music, Books and their common aliases: Films, TV,
  TV Shows, Series, Audiobooks; compared case-insensitively) or one kind's
  root. A root whose name says no kind is read by content: season folders or
  SxxEyy names make shows, else the most common media class decides.
- It only reads: it never changes, creates or opens a file, never follows a
  symlinked folder, and skips hidden entries. One folder's listing is held at
  a time (plus the names of the folders above it), so memory stays flat.
- A folder that can't be listed is skipped silently (the scan reports those).
- ``Violation.path`` is in wire form (``paths.to_wire``); ``message`` and
  ``fix`` are wire-safe too, so ``to_json`` never fails on odd names.
  ``format_text`` prints exactly one line per violation.

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

Jellyfin compares extras folder names case-insensitively (Emby.Naming's
``ExtraRuleResolver``), so "Behind The Scenes" and "Trailers" are fine; only
singular or other misspelt forms are reported. NFO names are matched exactly:
on Linux Jellyfin finds ``movie.nfo`` by path, so ``Movie.nfo`` is missed.
"""

from __future__ import annotations

import os
import re
from typing import Final, Literal, NamedTuple

import msgspec

from pipeline.core.fileclass import classifier
from pipeline.core.paths import display, sort_key, to_wire
from pipeline.core.settings import ScanSettings
from pipeline.probe.parse import parse_video
from pipeline.probe.parse_rules import season_of_folder
from pipeline.probe.sidecars import subtitle_language_and_flags

__all__ = ["RULES", "Violation", "format_text", "to_json", "verify"]

RULES: Final = (
    "episode-outside-season", "mixed-series-root", "season-folder-name", "version-prefix",
    "reserved-character", "movie-without-year", "orphan-subtitle", "nfo-name",
    "extras-folder-name",
)

Kind = Literal["movies", "shows", "music", "books"]
Role = Literal["root", "movie", "series", "season", "extras", "other"]


class Violation(msgspec.Struct, frozen=True):
    """One broken rule: which, where (wire form), why, and what to do."""

    rule: str
    path: str
    message: str
    fix: str


_KIND_ROOTS: Final[dict[str, Kind]] = {
    "movies": "movies", "movie": "movies", "films": "movies", "film": "movies",
    "shows": "shows", "tv": "shows", "tv shows": "shows", "tvshows": "shows",
    "series": "shows", "tv series": "shows",
    "music": "music", "books": "books", "audiobooks": "books", "ebooks": "books",
}
# Jellyfin's extras folders (NamingOptions.VideoExtraRules, DirectoryName).
_EXTRAS: Final = frozenset({
    "trailers", "featurettes", "behind the scenes", "deleted scenes", "interviews",
    "scenes", "samples", "shorts", "extras", "other", "clips", "backdrops", "theme-music",
})
# Near misses Jellyfin does not recognise -> the name it does.
_EXTRAS_MISSPELT: Final = {
    "trailer": "trailers", "featurette": "featurettes", "behind the scene": "behind the scenes",
    "behindthescenes": "behind the scenes", "making of": "behind the scenes",
    "deleted scene": "deleted scenes", "deletedscenes": "deleted scenes",
    "deleted": "deleted scenes", "interview": "interviews", "scene": "scenes",
    "sample": "samples", "short": "shorts", "extra": "extras", "bonus": "extras",
    "clip": "clips", "backdrop": "backdrops", "theme music": "theme-music",
}
_DISC_FOLDERS: Final = frozenset({"bdmv", "video_ts", "audio_ts", "certificate"})
_SUBTITLE_EXT: Final = frozenset({"srt", "ass", "ssa", "sub", "idx", "vtt", "sup"})
_RESERVED: Final = re.compile(r'[<>:"\\|?*\x00-\x1f\x7f]')
_EPISODE: Final = re.compile(
    r"(?<![a-z0-9])s(\d{1,3})[ ._-]?e\d{1,4}|(?<![0-9])(\d{1,2})x\d{2,3}(?![0-9])", re.I)
_YEAR: Final = re.compile(r"\((?:18|19|20)\d\d\)")
_ID_TAG: Final = re.compile(r"\s*\[(?:tmdbid|imdbid|tvdbid)[-=][^\]]*\]", re.I)
_PART: Final = re.compile(r"[ ._-]*(?:cd|dvd|part|pt|dis[ck])[ ._-]*\d+$", re.I)
_EXTRA_SUFFIX: Final = re.compile(
    r"(?:^(?:trailer|sample)|[-._ ](?:trailer|sample)|-(?:scene|clip|interview|"
    r"behindthescenes|deleted|deletedscene|featurette|short|extra|other|theme-music))\d*$",
    re.I)
_GOOD_SEASON: Final = re.compile(r"season \d{2,}", re.I)

_KIND_OF_CLASS: Final[dict[str, Kind]] = {"video": "movies", "audio": "music", "book": "books"}
_classify = classifier(ScanSettings())


class _Listing(NamedTuple):
    dirs: list[os.DirEntry[str]]
    files: list[os.DirEntry[str]]


def verify(root: str) -> list[Violation]:
    """Every violation under ``root`` (os form), sorted by path."""
    root = os.fspath(root).rstrip("/") or "/"
    out: list[Violation] = []
    kind = _KIND_ROOTS.get(os.path.basename(root).casefold())
    if kind is not None:
        _walk_kind(root, kind, out)
    else:
        listing = _list(root)
        if any(d.name.casefold() in _KIND_ROOTS for d in listing.dirs):
            for entry in listing.files:
                _reserved(entry.path, entry.name, out)
            for entry in listing.dirs:
                _reserved(entry.path, entry.name, out)
                child = _KIND_ROOTS.get(entry.name.casefold()) or _infer(entry.path)
                _walk_kind(entry.path, child, out)
        else:
            _walk_kind(root, _infer(root), out)
    out.sort(key=lambda v: (sort_key(v.path), v.rule))
    return out


def format_text(violations: list[Violation]) -> str:
    """One line per violation: ``<rule>: <path>: <message> (fix: <fix>)``."""
    return "".join(f"{v.rule}: {display(v.path)}: {display(v.message)} (fix: {display(v.fix)})\n"
                   for v in violations)


def to_json(violations: list[Violation]) -> bytes:
    """The violations as a JSON list of objects (rule, path, message, fix)."""
    return msgspec.json.encode(violations)


# --- walking ---------------------------------------------------------------------------------

def _list(path: str) -> _Listing:
    """Sorted visible entries of one folder; symlinked folders are left out."""
    dirs: list[os.DirEntry[str]] = []
    files: list[os.DirEntry[str]] = []
    try:
        with os.scandir(path) as it:
            for entry in sorted(it, key=lambda e: e.name):
                if entry.name.startswith("."):
                    continue
                if entry.is_dir(follow_symlinks=False):
                    dirs.append(entry)
                elif not (entry.is_symlink() and entry.is_dir()):
                    files.append(entry)
    except OSError:
        pass
    return _Listing(dirs, files)


def _infer(folder: str) -> Kind:
    """Shows if season folders or SxxEyy names appear within two levels; else by media class."""
    counts = {"video": 0, "audio": 0, "book": 0}
    top = _list(folder)
    for level in (top, *(_list(d.path) for d in top.dirs)):
        if any(season_of_folder(d.name) is not None for d in level.dirs):
            return "shows"
        for entry in level.files:
            cls = _classify(entry.name)
            if cls == "video" and _EPISODE.search(entry.name):
                return "shows"
            if cls in counts:
                counts[cls] += 1
    best = max(counts, key=lambda c: counts[c])
    return _KIND_OF_CLASS[best] if counts[best] else "movies"


def _walk_kind(root: str, kind: Kind, out: list[Violation]) -> None:
    if kind == "movies":
        _movies(root, 0, out)
    elif kind == "shows":
        _shows(root, out)
    else:
        _plain(root, out)


def _plain(folder: str, out: list[Violation]) -> None:
    """Music, books, disc structures: only the names themselves are checked."""
    listing = _list(folder)
    for entry in (*listing.files, *listing.dirs):
        _reserved(entry.path, entry.name, out)
    for entry in listing.dirs:
        _plain(entry.path, out)


def _subfolders(listing: _Listing, out: list[Violation], kind: Kind) -> list[os.DirEntry[str]]:
    """Check extras and disc folders (walked here); return the folders left to the caller."""
    rest = []
    for entry in listing.dirs:
        key = entry.name.casefold()
        if key in _DISC_FOLDERS:
            _plain(entry.path, out)
            continue
        canonical = _EXTRAS_MISSPELT.get(" ".join(re.split(r"[\s._]+", key)).strip())
        if canonical is not None:
            out.append(_v("extras-folder-name", entry.path,
                          f"Jellyfin does not know the extras folder {entry.name!r}",
                          f"rename to {canonical!r}"))
        if key in _EXTRAS or canonical is not None:
            _extras(entry.path, out, kind)
        else:
            rest.append(entry)
    return rest


def _extras(folder: str, out: list[Violation], kind: Kind) -> None:
    listing = _list(folder)
    _files(folder, listing, "extras", out)
    for entry in listing.dirs:
        _reserved(entry.path, entry.name, out)
        _extras(entry.path, out, kind)


def _movies(folder: str, depth: int, out: list[Violation]) -> None:
    listing = _list(folder)
    videos = [f for f in listing.files if _classify(f.name) == "video"]
    role: Role = "root" if depth == 0 else "movie" if videos else "other"
    _files(folder, listing, role, out)
    for entry in listing.dirs:
        _reserved(entry.path, entry.name, out)
    if role == "movie":
        name = os.path.basename(folder)
        if not _YEAR.search(name):
            year = next((p.year for p in (parse_video(v.path, folder) for v in videos)
                         if p.year is not None), None)
            out.append(_v("movie-without-year", folder, "the movie folder's name has no (YYYY)",
                          f"rename to {_ID_TAG.sub('', name).strip()} ({year or 'YYYY'})"))
        _versions(folder, name, videos, out)
    for entry in _subfolders(listing, out, "movies"):
        _movies(entry.path, depth + 1, out)


def _versions(folder: str, name: str, videos: list[os.DirEntry[str]],
              out: list[Violation]) -> None:
    main = [v for v in videos if not _EXTRA_SUFFIX.search(_stem(v.name))]
    if len(main) < 2:
        return
    base = _ID_TAG.sub("", name).strip()
    for video in main:
        stem = _stem(video.name)
        if any(stem == b or stem.startswith(b + " - ") or _PART.sub("", stem) == b
               for b in (base, name)):
            continue
        if stem.casefold().startswith(base.casefold()):
            label = stem[len(base):].strip(" -._") or "version"
        else:
            label = parse_video(video.path, folder).screen_size or stem
        ext = video.name[len(stem):]
        out.append(_v("version-prefix", video.path,
                      f"a version of {base!r} not named {base!r} + ' - ': "
                      "Jellyfin won't group the versions",
                      f"rename to {base} - {label}{ext}"))


def _shows(folder: str, out: list[Violation]) -> None:
    """The shows root, or a grouping folder in it: each subfolder is a series (or a group)."""
    listing = _list(folder)
    _files(folder, listing, "other", out)
    for entry in listing.dirs:
        _reserved(entry.path, entry.name, out)
        sub = _list(entry.path)
        is_series = (any(season_of_folder(d.name) is not None for d in sub.dirs)
                     or any(_classify(f.name) in ("video", "nfo") for f in sub.files)
                     or not sub.dirs)
        del sub
        if is_series:
            _series(entry.path, out)
        else:
            _shows(entry.path, out)


def _series(folder: str, out: list[Violation]) -> None:
    listing = _list(folder)
    _files(folder, listing, "series", out)
    for entry in listing.dirs:
        _reserved(entry.path, entry.name, out)
    rest = _subfolders(listing, out, "shows")
    seasons = [d for d in rest if season_of_folder(d.name) is not None]
    videos = [f for f in listing.files if _classify(f.name) == "video"
              and not _EXTRA_SUFFIX.search(_stem(f.name))]
    if seasons and videos:
        out.append(_v("mixed-series-root", folder,
                      f"holds season folders and {len(videos)} video file(s) beside them",
                      "move the videos into their 'Season NN' folders "
                      "(or into 'extras' if they are not episodes)"))
    _loose_episodes(folder, videos, out)
    for entry in rest:
        number = season_of_folder(entry.name)
        if number is None:
            _outside(entry.path, out)
            continue
        if not _GOOD_SEASON.fullmatch(entry.name) and entry.name.casefold() != "specials":
            out.append(_v("season-folder-name", entry.path,
                          "season folder not named 'Season NN'",
                          f"rename to Season {number:02d}"))
        _season(entry.path, out)


def _season(folder: str, out: list[Violation]) -> None:
    listing = _list(folder)
    _files(folder, listing, "season", out)
    for entry in listing.dirs:
        _reserved(entry.path, entry.name, out)
    for entry in _subfolders(listing, out, "shows"):
        _outside(entry.path, out)


def _outside(folder: str, out: list[Violation]) -> None:
    """A folder in a series that is neither a season nor an extras folder."""
    listing = _list(folder)
    _files(folder, listing, "other", out)
    for entry in listing.dirs:
        _reserved(entry.path, entry.name, out)
    _loose_episodes(folder, [f for f in listing.files if _classify(f.name) == "video"
                             and not _EXTRA_SUFFIX.search(_stem(f.name))], out)
    for entry in _subfolders(listing, out, "shows"):
        _outside(entry.path, out)


def _loose_episodes(folder: str, videos: list[os.DirEntry[str]], out: list[Violation]) -> None:
    for video in videos:
        match = _EPISODE.search(video.name)
        if match is not None:
            season = int(match.group(1) or match.group(2))
        else:
            parse = parse_video(video.path, os.path.dirname(folder))
            if parse.type != "episode":
                continue
            season = parse.season if parse.season is not None else 1
        out.append(_v("episode-outside-season", video.path,
                      "an episode outside a season folder",
                      f"move into Season {season:02d}/"))


# --- per-folder file checks ------------------------------------------------------------------

def _files(folder: str, listing: _Listing, role: Role, out: list[Violation]) -> None:
    stems = [_stem(f.name) for f in listing.files if _classify(f.name) == "video"]
    for entry in listing.files:
        name = entry.name
        _reserved(entry.path, name, out)
        ext = name.rpartition(".")[2].casefold() if "." in name else ""
        if ext in _SUBTITLE_EXT and not any(_owns(s, _stem(name)) for s in stems):
            _orphan(entry.path, name, ext, stems, out)
        elif ext == "nfo":
            _nfo(entry.path, name, role, stems, out)


def _owns(video_stem: str, stem: str) -> bool:
    if not stem.casefold().startswith(video_stem.casefold()):
        return False
    return len(stem) == len(video_stem) or stem[len(video_stem)] in "._- "


def _orphan(path: str, name: str, ext: str, stems: list[str], out: list[Violation]) -> None:
    language, flags = subtitle_language_and_flags(name, None)
    tail = ".".join([language or "<lang>", *flags])
    if len(stems) == 1:
        fix = f"rename to {stems[0]}.{tail}.{ext}"
    elif stems:
        fix = f"rename to <video stem>.{tail}.{ext}, with the stem of the video it belongs to"
    else:
        fix = f"move beside its video as <video stem>.{tail}.{ext}"
    out.append(_v("orphan-subtitle", path,
                  "no video in this folder has a name this subtitle starts with; "
                  "Jellyfin won't attach it", fix))


def _nfo(path: str, name: str, role: Role, stems: list[str], out: list[Violation]) -> None:
    stem = _stem(name)
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
    out.append(_v("nfo-name", path, "Jellyfin does not read an .nfo by this name here", fix))


def _reserved(path: str, name: str, out: list[Violation]) -> None:
    if not _RESERVED.search(name) and not name.endswith((".", " ")):
        return
    fixed = re.sub(r"\s*:\s*", " - ", name)
    fixed = _RESERVED.sub("_", fixed).rstrip(". ") or "_"
    out.append(_v("reserved-character", path,
                  "the name holds a character Jellyfin or the share can't handle "
                  "(<>:\"\\|?*, a control character, or a trailing dot or space)",
                  f"rename to {fixed}"))


def _stem(name: str) -> str:
    dot = name.rfind(".")
    return name[:dot] if dot > 0 else name


def _v(rule: str, path: str, message: str, fix: str) -> Violation:
    return Violation(rule, to_wire(path), to_wire(message), to_wire(fix))
