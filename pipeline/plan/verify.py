"""Verify: audit an existing Jellyfin library's names against Jellyfin's rules.

Contract:

- ``verify(root)`` walks ``root`` once and returns every ``Violation``, sorted
  by path (``paths.sort_key``, then rule id). ``root`` is either a folder of
  kind roots (Movies, Shows, Music, Books and their common aliases: Films, TV,
  TV Shows, Series, Audiobooks; compared case-insensitively) or one kind's
  root. A root whose name says no kind is read by content: season folders or
  SxxEyy names make shows, else the most common media class decides.
- It only reads: it never changes or creates a file (it opens only NFO files,
  at most 1 MiB of each, to check their XML), never follows a
  symlinked folder, and skips hidden entries. One folder's listing is held at
  a time (plus the names of the folders above it), so memory stays flat.
- A folder that can't be listed is skipped silently (the scan reports those).
- ``Violation.path`` is in wire form (``paths.to_wire``); ``message`` and
  ``fix`` are wire-safe too, so ``to_json`` never fails on odd names.
  ``format_text`` prints exactly one line per violation.

The rules and their stable ids are in ``violations``. Jellyfin compares
extras folder names case-insensitively (Emby.Naming's ``ExtraRuleResolver``),
so "Behind The Scenes" and "Trailers" are fine; only singular or other
misspelt forms are reported.
on Linux Jellyfin finds ``movie.nfo`` by path, so ``Movie.nfo`` is missed.
"""

from __future__ import annotations

import os
import re
from typing import Final, Literal, NamedTuple

from pipeline.core.paths import sort_key
from pipeline.plan.read_episodes import season_of_folder
from pipeline.plan.violations import (
    EPISODE_CODE,
    RULES,
    Role,
    Sink,
    Violation,
    check_files,
    classify,
    format_text,
    is_extra,
    loose_episodes,
    movie_without_year,
    nfo_content,
    reserved,
    to_json,
    versions,
    violation,
)

__all__ = ["RULES", "ByRule", "Sink", "Violation", "format_text", "to_json", "verify",
           "verify_into"]

Kind = Literal["movies", "shows", "music", "books"]


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
_GOOD_SEASON: Final = re.compile(r"season \d{2,}", re.I)

_KIND_OF_CLASS: Final[dict[str, Kind]] = {"video": "movies", "audio": "music", "book": "books"}


class _Listing(NamedTuple):
    dirs: list[os.DirEntry[str]]
    files: list[os.DirEntry[str]]


class ByRule:
    """A sink that counts violations per rule and keeps only the first ``cap`` of each
    (in path order), so a library with a million broken names costs a few counters."""

    def __init__(self, cap: int) -> None:
        self.cap = cap
        self.counts: dict[str, int] = {}
        self.first: dict[str, list[Violation]] = {}

    def append(self, item: Violation, /) -> None:
        self.counts[item.rule] = self.counts.get(item.rule, 0) + 1
        kept = self.first.setdefault(item.rule, [])
        kept.append(item)
        if len(kept) > self.cap:  # keep the cap smallest paths, not the cap first seen
            kept.sort(key=lambda v: sort_key(v.path))
            del kept[self.cap:]

    def groups(self) -> list[tuple[str, int, list[Violation]]]:
        """(rule, count, first files by path), the most frequent rule first."""
        return [(rule, n, sorted(self.first[rule], key=lambda v: sort_key(v.path)))
                for rule, n in sorted(self.counts.items(), key=lambda kv: (-kv[1], kv[0]))]


def verify(root: str) -> list[Violation]:
    """Every violation under ``root`` (os form), sorted by path."""
    out: list[Violation] = []
    verify_into(root, out)
    out.sort(key=lambda v: (sort_key(v.path), v.rule))
    return out


def verify_into(root: str, out: Sink) -> None:
    """Walk ``root`` and hand each violation to ``out`` as found (folders in name order),
    so a caller that only counts keeps no list of the library's problems."""
    root = os.fspath(root).rstrip("/") or "/"
    kind = _KIND_ROOTS.get(os.path.basename(root).casefold())
    if kind is not None:
        _walk_kind(root, kind, out)
    else:
        listing = _list(root)
        if any(d.name.casefold() in _KIND_ROOTS for d in listing.dirs):
            for entry in listing.files:
                reserved(entry.path, entry.name, out)
            for entry in listing.dirs:
                reserved(entry.path, entry.name, out)
                child = _KIND_ROOTS.get(entry.name.casefold()) or _infer(entry.path)
                _walk_kind(entry.path, child, out)
        else:
            _walk_kind(root, _infer(root), out)


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
            cls = classify(entry.name)
            if cls == "video" and EPISODE_CODE.search(entry.name):
                return "shows"
            if cls in counts:
                counts[cls] += 1
    best = max(counts, key=lambda c: counts[c])
    return _KIND_OF_CLASS[best] if counts[best] else "movies"


def _walk_kind(root: str, kind: Kind, out: Sink) -> None:
    if kind == "movies":
        _movies(root, 0, out)
    elif kind == "shows":
        _shows(root, out)
    else:
        _plain(root, out)


def _plain(folder: str, out: Sink) -> None:
    """Music, books, disc structures: the names themselves, and album/artist NFOs."""
    listing = _list(folder)
    for entry in (*listing.files, *listing.dirs):
        reserved(entry.path, entry.name, out)
    for entry in listing.files:
        if entry.name in ("album.nfo", "artist.nfo"):
            nfo_content(entry.path, entry.name.removesuffix(".nfo"), out)
    for entry in listing.dirs:
        _plain(entry.path, out)


def _subfolders(listing: _Listing, out: Sink, kind: Kind) -> list[os.DirEntry[str]]:
    """Check extras and disc folders (walked here); return the folders left to the caller."""
    rest = []
    for entry in listing.dirs:
        key = entry.name.casefold()
        if key in _DISC_FOLDERS:
            _plain(entry.path, out)
            continue
        canonical = _EXTRAS_MISSPELT.get(" ".join(re.split(r"[\s._]+", key)).strip())
        if canonical is not None:
            out.append(violation("extras-folder-name", entry.path,
                          f"Jellyfin does not know the extras folder {entry.name!r}",
                          f"rename to {canonical!r}"))
        if key in _EXTRAS or canonical is not None:
            _extras(entry.path, out, kind)
        else:
            rest.append(entry)
    return rest


def _extras(folder: str, out: Sink, kind: Kind) -> None:
    listing = _list(folder)
    check_files(listing.files, "extras", out)
    for entry in listing.dirs:
        reserved(entry.path, entry.name, out)
        _extras(entry.path, out, kind)


def _movies(folder: str, depth: int, out: Sink) -> None:
    listing = _list(folder)
    videos = [f for f in listing.files if classify(f.name) == "video"]
    role: Role = "root" if depth == 0 else "movie" if videos else "other"
    check_files(listing.files, role, out)
    for entry in listing.dirs:
        reserved(entry.path, entry.name, out)
    if role == "movie":
        movie_without_year(folder, videos, out)
        versions(folder, os.path.basename(folder), videos, out)
    for entry in _subfolders(listing, out, "movies"):
        _movies(entry.path, depth + 1, out)


def _shows(folder: str, out: Sink) -> None:
    """The shows root, or a grouping folder in it: each subfolder is a series (or a group)."""
    listing = _list(folder)
    check_files(listing.files, "other", out)
    for entry in listing.dirs:
        reserved(entry.path, entry.name, out)
        sub = _list(entry.path)
        is_series = (any(season_of_folder(d.name) is not None for d in sub.dirs)
                     or any(classify(f.name) in ("video", "nfo") for f in sub.files)
                     or not sub.dirs)
        del sub
        if is_series:
            _series(entry.path, out)
        else:
            _shows(entry.path, out)


def _series(folder: str, out: Sink) -> None:
    listing = _list(folder)
    check_files(listing.files, "series", out)
    for entry in listing.dirs:
        reserved(entry.path, entry.name, out)
    rest = _subfolders(listing, out, "shows")
    seasons = [d for d in rest if season_of_folder(d.name) is not None]
    videos = [f for f in listing.files if classify(f.name) == "video"
              and not is_extra(f.name)]
    if seasons and videos:
        out.append(violation("mixed-series-root", folder,
                      f"holds season folders and {len(videos)} video file(s) beside them",
                      "move the videos into their 'Season NN' folders "
                      "(or into 'extras' if they are not episodes)"))
    loose_episodes(folder, videos, out)
    for entry in rest:
        number = season_of_folder(entry.name)
        if number is None:
            _outside(entry.path, out)
            continue
        if not _GOOD_SEASON.fullmatch(entry.name) and entry.name.casefold() != "specials":
            out.append(violation("season-folder-name", entry.path,
                          "season folder not named 'Season NN'",
                          f"rename to Season {number:02d}"))
        _season(entry.path, out)


def _season(folder: str, out: Sink) -> None:
    listing = _list(folder)
    check_files(listing.files, "season", out)
    for entry in listing.dirs:
        reserved(entry.path, entry.name, out)
    for entry in _subfolders(listing, out, "shows"):
        _outside(entry.path, out)


def _outside(folder: str, out: Sink) -> None:
    """A folder in a series that is neither a season nor an extras folder."""
    listing = _list(folder)
    check_files(listing.files, "other", out)
    for entry in listing.dirs:
        reserved(entry.path, entry.name, out)
    loose_episodes(folder, [f for f in listing.files if classify(f.name) == "video"
                             and not is_extra(f.name)], out)
    for entry in _subfolders(listing, out, "shows"):
        _outside(entry.path, out)


