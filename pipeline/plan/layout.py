"""Jellyfin's layout per kind: pure functions from metadata to relative paths.

Every function returns a path *relative to its kind's root* ("/"
separators), or a single file name; every component is built by ``names``
(safe, cut to fit, titles defused), so nothing here can leave its root.

Decisions (Jellyfin docs: media/movies, media/shows, media/music, media/books):

- Versions: the docs require the part before " - " to be *exactly* the folder
  name, "including any years and/or metadata provider IDs". So a movie's file
  stem is its folder name: ``Title (1999) [tmdbid-603]/Title (1999) [tmdbid-603]
  - 2160p.mkv``. Version labels are plain (``- 2160p``), editions bracketed
  (``- [Director's Cut]``), both: ``- 2160p [Director's Cut]``. Parts
  (``-part1``) cannot be combined with a version label (Jellyfin does not
  support it): ValueError.
- Multi-episode files: ``S01E01-E02``; a non-contiguous list is written as its
  first and last episode (``[1, 3]`` → ``S01E01-E03``), the only form Jellyfin
  reads. Episode numbers are padded to 2 digits (3 above 99).
- Images: poster, backdrop, banner, logo, clearart, landscape and disc are
  folder-level (``poster.jpg``) so they serve every version of the item;
  ``thumb`` is per video (``<stem>-thumb.jpg``) because episodes share a
  season folder.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from types import MappingProxyType

from pipeline.plan.names import (
    RC,
    TITLE_BYTES,
    VIDEO_STEM_BYTES,
    checked,
    clean,
    extension,
    is_safe_component,
    keep_name,
    kept_stem,
    piece,
    year_suffix,
)

__all__ = [
    "EXTRA_FOLDERS",
    "dated_episode_path",
    "disc_rip_path",
    "episode_file",
    "episode_path",
    "extra_path",
    "image_name",
    "lyrics_name",
    "movie_dir",
    "movie_file",
    "movie_path",
    "season_dir",
    "series_dir",
    "sidecar_name",
]

_LABEL_BYTES = 24  # a version / edition label

EXTRA_FOLDERS: Mapping[str, str] = MappingProxyType({
    "trailer": "trailers",
    "featurette": "featurettes",
    "behind the scenes": "behind the scenes",
    "deleted scene": "deleted scenes",
    "interview": "interviews",
    "scene": "scenes",
    "short": "shorts",
    "sample": "samples",
    "extra": "extras",
})

_FOLDER_IMAGES = frozenset(
    ["poster", "backdrop", "fanart", "banner", "logo", "clearart", "landscape", "disc"]
)
_SUB_FLAGS = {"default": "default", "forced": "forced", "sdh": "sdh", "cc": "sdh", "hi": "sdh"}
_FLAG_ORDER = ("default", "forced", "sdh")
_IMDB = re.compile(r"tt\d{5,10}")
_LANG = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})?")


_TRAILING_NUMBER = re.compile(r" - (\d+)$")


def _title(text: str | None, fallback: str, rc: Mapping[str, str]) -> str:
    """A movie's or series' name as Jellyfin will read it back.

    Jellyfin drops bracketed text from names (``[REC]`` would vanish) and a
    trailing `` - 2`` (what ``Rocky: 2`` becomes once ``:`` is replaced), so
    brackets become parentheses and that dash goes.
    """
    text = (text or fallback).replace("[", "(").replace("]", ")")
    name = piece(text, rc, TITLE_BYTES, defused=True)
    return _TRAILING_NUMBER.sub(r" \1", name)


def _digits(value: int | str | None) -> str | None:
    text = str(value).strip() if value is not None else ""
    return text if text.isdigit() and len(text) <= 12 else None



# --- movies ------------------------------------------------------------------


def movie_dir(
    title: str | None,
    year: int | None,
    *,
    tmdb_id: int | str | None = None,
    imdb_id: str | None = None,
    ids_in_folders: bool = True,
    replace_chars: Mapping[str, str] = RC,
) -> str:
    """``Title (Year)``, with ``[tmdbid-N]`` (else ``[imdbid-ttN]``) when asked."""
    name = _title(title, "Unknown Movie", replace_chars)
    name += year_suffix(year)
    if ids_in_folders:
        if (tmdb := _digits(tmdb_id)) is not None:
            name += f" [tmdbid-{tmdb}]"
        elif imdb_id and _IMDB.fullmatch(imdb_id.strip()):
            name += f" [imdbid-{imdb_id.strip()}]"
    return checked(name)


def _label(text: str, rc: Mapping[str, str]) -> str:
    cleaned = clean(text, rc).replace("[", "").replace("]", "")
    return piece(cleaned, rc, _LABEL_BYTES, defused=True)


def movie_file(
    title: str | None,
    year: int | None,
    ext: str,
    *,
    version: str | None = None,
    edition: str | None = None,
    part: int | None = None,
    tmdb_id: int | str | None = None,
    imdb_id: str | None = None,
    ids_in_folders: bool = True,
    replace_chars: Mapping[str, str] = RC,
) -> str:
    """The movie's file name; its stem starts with exactly :func:`movie_dir` (same ids)."""
    stem = movie_dir(title, year, tmdb_id=tmdb_id, imdb_id=imdb_id,
                     ids_in_folders=ids_in_folders, replace_chars=replace_chars)
    return _movie_file_of(stem, ext, version, edition, part, replace_chars)


def _movie_file_of(stem: str, ext: str, version: str | None, edition: str | None,
                   part: int | None, replace_chars: Mapping[str, str]) -> str:
    """The file name for the movie folder name ``stem`` (built by :func:`movie_dir`)."""
    labels = []
    if version:
        labels.append(_label(version, replace_chars))
    if edition:
        labels.append("[" + _label(edition, replace_chars) + "]")
    if part is not None:
        if labels:
            raise ValueError("Jellyfin cannot combine movie parts with versions or editions")
        if not 1 <= part <= 99:
            raise ValueError(f"part must be 1..99, got {part}")
        stem += f"-part{part}"
    elif labels:
        stem += " - " + " ".join(labels)
    return checked(stem + extension(ext, replace_chars))


def movie_path(
    title: str | None,
    year: int | None,
    ext: str,
    *,
    version: str | None = None,
    edition: str | None = None,
    part: int | None = None,
    tmdb_id: int | str | None = None,
    imdb_id: str | None = None,
    ids_in_folders: bool = True,
    replace_chars: Mapping[str, str] = RC,
) -> str:
    """``Title (Year) [tmdbid-N]/Title (Year) [tmdbid-N][ - label|-partN].ext``."""
    folder = movie_dir(title, year, tmdb_id=tmdb_id, imdb_id=imdb_id,
                       ids_in_folders=ids_in_folders, replace_chars=replace_chars)
    return f"{folder}/{_movie_file_of(folder, ext, version, edition, part, replace_chars)}"


def disc_rip_path(
    title: str | None,
    year: int | None,
    inner: Iterable[str],
    *,
    tmdb_id: int | str | None = None,
    imdb_id: str | None = None,
    ids_in_folders: bool = True,
    replace_chars: Mapping[str, str] = RC,
) -> str:
    """``Title (Year)/BDMV/STREAM/00000.m2ts``: a disc's inner names kept (made safe)."""
    folder = movie_dir(title, year, tmdb_id=tmdb_id, imdb_id=imdb_id,
                       ids_in_folders=ids_in_folders, replace_chars=replace_chars)
    kept = [keep_name(part, replace_chars) for part in inner]
    if not kept:
        raise ValueError("a disc rip path needs the path inside the disc")
    return "/".join([folder, *kept])


def extra_path(
    movie_dir: str, role: str, name: str, *, replace_chars: Mapping[str, str] = RC
) -> str:
    """``<movie_dir>/<role folder>/<name>``: the extra keeps its own (safe) file name.

    ``movie_dir`` must be a name built by :func:`movie_dir` (checked, not remapped,
    so it stays equal to the movie's folder); unknown roles raise ValueError.
    """
    folder = EXTRA_FOLDERS.get(role.strip().lower())
    if folder is None:
        raise ValueError(f"no Jellyfin extras folder for role {role!r}")
    for part in movie_dir.split("/"):
        if not is_safe_component(part):
            raise ValueError(f"unsafe movie folder {movie_dir!r}")
    return f"{movie_dir}/{folder}/{keep_name(name, replace_chars)}"


# --- shows -------------------------------------------------------------------


def series_dir(
    series: str | None,
    year: int | None,
    *,
    tvdb_id: int | str | None = None,
    tmdb_id: int | str | None = None,
    ids_in_folders: bool = True,
    replace_chars: Mapping[str, str] = RC,
) -> str:
    """``Series (Year)``, with ``[tvdbid-N]`` (else ``[tmdbid-N]``) when asked."""
    name = _title(series, "Unknown Series", replace_chars)
    name += year_suffix(year)
    if ids_in_folders:
        if (tvdb := _digits(tvdb_id)) is not None:
            name += f" [tvdbid-{tvdb}]"
        elif (tmdb := _digits(tmdb_id)) is not None:
            name += f" [tmdbid-{tmdb}]"
    return checked(name)


def season_dir(season: int) -> str:
    """``Season 01``; specials are ``Season 00``."""
    if not 0 <= season <= 9999:
        raise ValueError(f"season must be 0..9999, got {season}")
    return f"Season {season:02d}"


def _ep(number: int) -> str:
    if not 0 <= number <= 9999:
        raise ValueError(f"episode must be 0..9999, got {number}")
    return f"{number:03d}" if number > 99 else f"{number:02d}"


def episode_file(
    series: str | None,
    year: int | None,
    season: int,
    episodes: Iterable[int],
    ext: str,
    *,
    episode_title: str | None = None,
    replace_chars: Mapping[str, str] = RC,
) -> str:
    """``Series (Year) S01E02[-E03][ - Title].ext``; the title is defused and cut to fit."""
    numbers = sorted(set(episodes))
    if not numbers:
        raise ValueError("an episode file needs at least one episode number")
    season_dir(season)
    code = f"S{season:02d}E{_ep(numbers[0])}"
    if len(numbers) > 1:
        code += f"-E{_ep(numbers[-1])}"
    series_name = _title(series, "Unknown Series", replace_chars)
    stem = f"{series_name}{year_suffix(year)} {code}"
    if episode_title and clean(episode_title, replace_chars).strip(" ."):
        room = VIDEO_STEM_BYTES - len(stem.encode()) - 3
        stem += " - " + piece(episode_title, replace_chars, room, defused=True,
                               leading_episode=True)
    return checked(stem + extension(ext, replace_chars))


def episode_path(
    series: str | None,
    year: int | None,
    season: int,
    episodes: Iterable[int],
    ext: str,
    *,
    episode_title: str | None = None,
    tvdb_id: int | str | None = None,
    tmdb_id: int | str | None = None,
    ids_in_folders: bool = True,
    replace_chars: Mapping[str, str] = RC,
) -> str:
    """``Series (Year) [tvdbid-N]/Season 01/Series (Year) S01E02 - Title.ext``."""
    folder = series_dir(series, year, tvdb_id=tvdb_id, tmdb_id=tmdb_id,
                        ids_in_folders=ids_in_folders, replace_chars=replace_chars)
    name = episode_file(series, year, season, episodes, ext,
                        episode_title=episode_title, replace_chars=replace_chars)
    return f"{folder}/{season_dir(season)}/{name}"


_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def dated_episode_path(
    series: str | None,
    year: int | None,
    date: str,
    ext: str,
    *,
    episode_title: str | None = None,
    tvdb_id: int | str | None = None,
    tmdb_id: int | str | None = None,
    ids_in_folders: bool = True,
    replace_chars: Mapping[str, str] = RC,
) -> str:
    """``Series (Year)/Season 2023/Series (Year) 2023-05-01 - Title.ext`` for an episode
    known by its air date only (talk shows, news): Jellyfin's date expression reads
    ``YYYY-MM-DD`` in the name and matches the episode by air date."""
    found = _DATE.fullmatch(date.strip())
    if found is None:
        raise ValueError(f"an air date is YYYY-MM-DD, got {date!r}")
    folder = series_dir(series, year, tvdb_id=tvdb_id, tmdb_id=tmdb_id,
                        ids_in_folders=ids_in_folders, replace_chars=replace_chars)
    stem = f"{_title(series, 'Unknown Series', replace_chars)}{year_suffix(year)} {found[0]}"
    if episode_title and clean(episode_title, replace_chars).strip(" ."):
        room = VIDEO_STEM_BYTES - len(stem.encode()) - 3
        stem += " - " + piece(episode_title, replace_chars, room, defused=True,
                              leading_episode=True)
    name = checked(stem + extension(ext, replace_chars))
    return f"{folder}/{season_dir(int(found[1]))}/{name}"


# --- sidecars ------------------------------------------------------------------


def sidecar_name(
    video_file: str,
    ext: str,
    *,
    language: str | None = None,
    flags: Iterable[str] = (),
    replace_chars: Mapping[str, str] = RC,
) -> str:
    """``<video stem>[.lang][.default][.forced][.sdh].ext``; cc/hi are written "sdh".

    Unknown flags and malformed language codes are dropped. The video's stem is
    kept verbatim when safe (names built here leave room for any suffix).
    """
    parts = []
    if language and _LANG.fullmatch(language.strip()):
        parts.append(language.strip())
    wanted = {_SUB_FLAGS[f.strip().lower()] for f in flags if f.strip().lower() in _SUB_FLAGS}
    parts += [flag for flag in _FLAG_ORDER if flag in wanted]
    suffix = "".join("." + part for part in parts) + extension(ext, replace_chars)
    return kept_stem(video_file, replace_chars, suffix)


def image_name(
    video_stem: str | None,
    image_type: str,
    ext: str,
    *,
    replace_chars: Mapping[str, str] = RC,
) -> str:
    """``poster.jpg`` (folder-level types) or ``<video stem>-thumb.jpg`` (thumb)."""
    kind = image_type.strip().lower()
    kind = "backdrop" if kind == "fanart" else kind
    suffix = extension(ext, replace_chars)
    if kind == "thumb":
        if video_stem:
            return kept_stem(video_stem + ".x", replace_chars, "-thumb" + suffix)
        return "thumb" + suffix
    if kind not in _FOLDER_IMAGES:
        raise ValueError(f"unknown image type {image_type!r}")
    return kind + suffix


def lyrics_name(track_file: str, ext: str = "lrc", *,
                replace_chars: Mapping[str, str] = RC) -> str:
    """``<track stem>.lrc``: Jellyfin pairs lyrics with the track by stem."""
    return kept_stem(track_file, replace_chars, extension(ext, replace_chars))
