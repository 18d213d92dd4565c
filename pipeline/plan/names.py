"""Jellyfin naming rules: pure functions from metadata to relative paths.

Contract:

- Every function returns a path *relative to its kind's root* ("/"
  separators), or a single file name; nothing here touches the disk or reads
  settings: the replace map comes in as ``replace_chars`` (default: the
  settings' default map).
- Every component goes through :func:`safe_component`: NFC, no reserved
  ``<>:"/\\|?*`` (mapped by ``replace_chars``, else removed), no control
  characters, whitespace collapsed, no leading dot (hidden files are ignored
  by Jellyfin and Unix tools), no trailing dot or space, never empty, "." or
  "..", not a Windows device name, at most 255 bytes of UTF-8 cut on a
  character boundary, the suffix (extension and flags) always kept. So no
  title, from a file name or an API, can make a path leave its root;
  :func:`join_under` checks that again.
- Video file stems stay within ``VIDEO_STEM_BYTES`` so every sidecar
  (``.en.default.forced.sdh.srt``, ``-thumb.jpg``) still fits in 255 bytes and
  keeps the video's stem as its prefix, which is how Jellyfin pairs them.

Decisions (Jellyfin docs: media/movies, media/shows, media/music, media/books):

- Versions: the docs require the part before " - " to be *exactly* the folder
  name, "including any years and/or metadata provider IDs". So a movie's file
  stem is its folder name: ``Title (1999) [tmdbid-603]/Title (1999) [tmdbid-603]
  - 2160p.mkv``. Version labels are plain (``- 2160p``), editions bracketed
  (``- [Director's Cut]``), both: ``- 2160p [Director's Cut]``. Parts
  (``-part1``) cannot be combined with a version label (Jellyfin does not
  support it): ValueError.
- Defusing titles (movie, series and episode titles; not music, books or kept
  file names): Jellyfin's episode expressions allow ``[][ ._-]`` between
  ``S01`` and ``E02`` and read ``1x02``, dates ``2020.01.02`` and ranges
  ``-E03``. So in a title ``S01E02`` becomes ``S01`` U+00B7 ``E02`` (middle
  dot), the ``x`` of ``1x02`` becomes U+00D7 (multiplication sign), ``-`` or
  ``_`` between digit groups (``1-23-45``) and any ``._ -`` in a run of three or
  more digit groups (``2020 01 02``) become U+2013 (en dash), which no
  Jellyfin expression treats as a separator; ``1.5`` and ``Apollo 13`` stay.
  Provider-id tags inside titles (``[tmdbid-1]``) lose their ``-`` so only ids
  we add are read. An episode title starting like ``E3``, ``x3`` or ``2e3``
  gets a space before the digits so ``S01E02 - E3`` is not read as a range.
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
import unicodedata
from collections.abc import Iterable, Mapping
from types import MappingProxyType

from pipeline.core.settings import NamingSettings

__all__ = [
    "DEFAULT_REPLACE_CHARS",
    "EXTRA_FOLDERS",
    "VIDEO_STEM_BYTES",
    "audiobook_path",
    "book_path",
    "defuse",
    "episode_file",
    "episode_path",
    "extra_path",
    "image_name",
    "is_safe_component",
    "join_under",
    "lyrics_name",
    "movie_dir",
    "movie_file",
    "movie_path",
    "music_path",
    "safe_component",
    "season_dir",
    "series_dir",
    "sidecar_name",
]

DEFAULT_REPLACE_CHARS: Mapping[str, str] = MappingProxyType(NamingSettings().replace_chars)
RC = DEFAULT_REPLACE_CHARS

MAX_BYTES = 255
VIDEO_STEM_BYTES = 191  # 255 - 64 bytes kept free for sidecar suffixes
_TITLE_BYTES = 100  # a movie or series title, before " (Year) [tmdbid-N]"
_LABEL_BYTES = 24  # a version / edition label
_EXT_BYTES = 16

_RESERVED = frozenset('<>:"/\\|?*')
_DEVICE_NAMES = frozenset(
    ["CON", "PRN", "AUX", "NUL"] + [f"{p}{n}" for p in ("COM", "LPT") for n in range(1, 10)]
)

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

_SXE = re.compile(r"(?i)(s)(\d+)[\[\] ._\-]*(e)(?=\d)")
_NXN = re.compile(r"(?i)(?<=\d)x(?=\d)")
_DIGIT_SEP = re.compile(r"(?<=\d)[ ._\-]+(?=\d)")
_DIGIT_DASH = re.compile(r"(?<=\d)[_\-]+(?=\d)")
_DIGIT_RUN = re.compile(r"\d+(?:[ ._\-]+\d+)+")
_ID_TAG = re.compile(r"(?i)\b(tmdb|imdb|tvdb|anidb)(id)?\s*[-=]")
_LEADING_EP = re.compile(r"(?i)^(s?\d{0,4}[ex]+)(?=\d)")
_IMDB = re.compile(r"tt\d{5,10}")
_LANG = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})?")


def _clean(text: str, replace_chars: Mapping[str, str]) -> str:
    """Map, strip reserved/control characters and collapse whitespace (no cutting)."""
    out: list[str] = []
    for char in unicodedata.normalize("NFC", text):
        mapped = replace_chars.get(char, char)
        for piece in mapped:
            category = unicodedata.category(piece)
            if piece in _RESERVED or category in ("Cc", "Cs", "Co", "Cn"):
                continue
            out.append(" " if category in ("Zl", "Zp") or piece.isspace() else piece)
    return " ".join("".join(out).split())


def _tidy(text: str) -> str:
    text = text.strip(" ").lstrip(".").strip(" ")
    return text.rstrip(". ")


def _cut(text: str, max_bytes: int) -> str:
    data = text.encode("utf-8")
    if len(data) <= max_bytes:
        return text
    return data[: max(max_bytes, 0)].decode("utf-8", errors="ignore")


def _dash_digits(match: re.Match[str]) -> str:
    run = match.group(0)
    groups = len(re.findall(r"\d+", run))
    return (_DIGIT_SEP if groups >= 3 else _DIGIT_DASH).sub("\u2013", run)


def defuse(text: str, *, leading_episode: bool = False) -> str:
    """Rewrite what Jellyfin would read as an episode number, range, date or provider id."""
    text = _ID_TAG.sub(lambda m: m.group(1) + (m.group(2) or "") + " ", text)
    text = _SXE.sub(lambda m: f"{m.group(1)}{m.group(2)}\u00b7{m.group(3)}", text)
    text = _NXN.sub("\u00d7", text)
    text = _DIGIT_RUN.sub(_dash_digits, text)
    if leading_episode:
        text = _LEADING_EP.sub(r"\1 ", text)
    return text


def _piece(text: str, rc: Mapping[str, str], max_bytes: int, *, defused: bool = False,
           leading_episode: bool = False) -> str:
    """A cleaned, optionally defused, tidied text of at most ``max_bytes`` (never empty)."""
    body = _clean(text, rc)
    if defused:
        body = defuse(body, leading_episode=leading_episode)
    body = _tidy(_cut(_tidy(body), max_bytes))
    if not body:
        body = "_"
    if body.split(".")[0].strip().upper() in _DEVICE_NAMES:
        body = _tidy(_cut(body, max_bytes - 1)) + "_"
    return body


def safe_component(
    text: str,
    replace_chars: Mapping[str, str] = RC,
    *,
    suffix: str = "",
    max_bytes: int = MAX_BYTES,
    defused: bool = False,
) -> str:
    """One path component: safe on every NAS filesystem, ``text`` cut so text+suffix fits.

    ``suffix`` (extension, language and flags) is cleaned but never cut;
    ``defused=True`` also applies :func:`defuse` (for titles Jellyfin parses).
    """
    suffix = _clean(suffix, replace_chars).replace(" ", "").rstrip(".")
    budget = max_bytes - len(suffix.encode("utf-8"))
    if budget < 1:
        raise ValueError(f"suffix {suffix!r} leaves no room within {max_bytes} bytes")
    return _piece(text, replace_chars, budget, defused=defused) + suffix


def is_safe_component(name: str) -> bool:
    """True if ``name`` is a component :func:`safe_component` could have produced."""
    return (
        0 < len(name.encode("utf-8", errors="replace")) <= MAX_BYTES
        and name not in (".", "..")
        and not name.startswith((".", " "))
        and not name.endswith((".", " "))
        and not any(c in _RESERVED or unicodedata.category(c) in ("Cc", "Cs") for c in name)
    )


def _ext(ext: str, replace_chars: Mapping[str, str]) -> str:
    cleaned = _clean(ext, replace_chars).replace(" ", "").strip(".")
    cleaned = _cut(cleaned, _EXT_BYTES).rstrip(".")
    return "." + cleaned if cleaned else ""


def _year(year: int | None) -> str:
    return f" ({year})" if year is not None and 0 < year < 10000 else ""


def _digits(value: int | str | None) -> str | None:
    text = str(value).strip() if value is not None else ""
    return text if text.isdigit() and len(text) <= 12 else None


def _checked(name: str) -> str:
    if not is_safe_component(name):  # by construction; a bug if it fires
        raise ValueError(f"unsafe component built: {name!r}")
    return name


def _keep_name(name: str, rc: Mapping[str, str]) -> str:
    """A kept file name made safe; its extension survives any cut."""
    cleaned = _clean(name, rc)
    stem, dot, ext = cleaned.rpartition(".")
    if dot and stem.strip(" .") and ext and len(ext.encode()) <= _EXT_BYTES and " " not in ext:
        return safe_component(stem, rc, suffix="." + ext)
    return safe_component(cleaned, rc)


def _kept_stem(file_name: str, rc: Mapping[str, str], suffix: str) -> str:
    """The stem of a name built here, kept verbatim (so sidecars pair), else made safe."""
    stem, dot, _ = file_name.rpartition(".")
    stem = stem if dot and stem else file_name
    if is_safe_component(stem) and len((stem + suffix).encode()) <= MAX_BYTES:
        return _checked(stem + suffix)
    return safe_component(stem, rc, suffix=suffix)


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
    name = _piece(title or "Unknown Movie", replace_chars, _TITLE_BYTES, defused=True)
    name += _year(year)
    if ids_in_folders:
        if (tmdb := _digits(tmdb_id)) is not None:
            name += f" [tmdbid-{tmdb}]"
        elif imdb_id and _IMDB.fullmatch(imdb_id.strip()):
            name += f" [imdbid-{imdb_id.strip()}]"
    return _checked(name)


def _label(text: str, rc: Mapping[str, str]) -> str:
    cleaned = _clean(text, rc).replace("[", "").replace("]", "")
    return _piece(cleaned, rc, _LABEL_BYTES, defused=True)


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
    return _checked(stem + _ext(ext, replace_chars))


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
    name = movie_file(title, year, ext, version=version, edition=edition, part=part,
                      tmdb_id=tmdb_id, imdb_id=imdb_id, ids_in_folders=ids_in_folders,
                      replace_chars=replace_chars)
    return f"{folder}/{name}"


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
    return f"{movie_dir}/{folder}/{_keep_name(name, replace_chars)}"


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
    name = _piece(series or "Unknown Series", replace_chars, _TITLE_BYTES, defused=True)
    name += _year(year)
    if ids_in_folders:
        if (tvdb := _digits(tvdb_id)) is not None:
            name += f" [tvdbid-{tvdb}]"
        elif (tmdb := _digits(tmdb_id)) is not None:
            name += f" [tmdbid-{tmdb}]"
    return _checked(name)


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
    series_name = _piece(series or "Unknown Series", replace_chars, _TITLE_BYTES, defused=True)
    stem = f"{series_name}{_year(year)} {code}"
    if episode_title and _clean(episode_title, replace_chars).strip(" ."):
        room = VIDEO_STEM_BYTES - len(stem.encode()) - 3
        stem += " - " + _piece(episode_title, replace_chars, room, defused=True,
                               leading_episode=True)
    return _checked(stem + _ext(ext, replace_chars))


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


# --- music and books -----------------------------------------------------------


def music_path(
    *,
    album_artist: str | None,
    artist: str | None,
    album: str | None,
    year: int | None,
    track: int | None,
    title: str | None,
    ext: str,
    disc: int | None = None,
    disc_total: int | None = None,
    compilation: bool = False,
    replace_chars: Mapping[str, str] = RC,
) -> str:
    """``Artist/Album (Year)/[Disc N/]01 - Title.ext`` (album artist over track artist)."""
    rc = replace_chars
    who = "Various Artists" if compilation else (album_artist or artist or "Unknown Artist")
    folder = safe_component(who, rc) + "/"
    folder += safe_component(_piece(album or "Unknown Album", rc, _TITLE_BYTES) + _year(year),
                             rc) + "/"
    if (disc_total or 0) > 1 or (disc or 0) > 1:
        folder += f"Disc {max(disc or 1, 1)}/"
    name = title or "Unknown Title"
    if track is not None and track >= 0:
        name = f"{track:03d} - {name}" if track > 99 else f"{track:02d} - {name}"
    return folder + safe_component(name, rc, suffix=_ext(ext, rc))


def _work_dir(author: str | None, title: str | None, year: int | None,
              rc: Mapping[str, str]) -> tuple[str, str]:
    safe_title = _piece(title or "Unknown Title", rc, _TITLE_BYTES)
    folder = safe_component(author or "Unknown Author", rc)
    return f"{folder}/{_checked(safe_title + _year(year))}", safe_title


def book_path(
    *,
    author: str | None,
    title: str | None,
    year: int | None,
    ext: str,
    replace_chars: Mapping[str, str] = RC,
) -> str:
    """``Author/Title (Year)/Title.ext`` ("Unknown Author" / "Unknown Title" when missing)."""
    folder, safe_title = _work_dir(author, title, year, replace_chars)
    return f"{folder}/{_checked(safe_title + _ext(ext, replace_chars))}"


def audiobook_path(
    *,
    author: str | None,
    title: str | None,
    year: int | None,
    name: str,
    replace_chars: Mapping[str, str] = RC,
) -> str:
    """``Author/Title (Year)/<name>``: chapter files keep their (safe) names."""
    folder, _ = _work_dir(author, title, year, replace_chars)
    return f"{folder}/{_keep_name(name, replace_chars)}"


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
    suffix = "".join("." + part for part in parts) + _ext(ext, replace_chars)
    return _kept_stem(video_file, replace_chars, suffix)


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
    suffix = _ext(ext, replace_chars)
    if kind == "thumb":
        if video_stem:
            return _kept_stem(video_stem + ".x", replace_chars, "-thumb" + suffix)
        return "thumb" + suffix
    if kind not in _FOLDER_IMAGES:
        raise ValueError(f"unknown image type {image_type!r}")
    return kind + suffix


def lyrics_name(track_file: str, ext: str = "lrc", *,
                replace_chars: Mapping[str, str] = RC) -> str:
    """``<track stem>.lrc``: Jellyfin pairs lyrics with the track by stem."""
    return _kept_stem(track_file, replace_chars, _ext(ext, replace_chars))


# --- joining -------------------------------------------------------------------


def join_under(root: str, rel: str) -> str:
    """``root/rel`` after checking ``rel`` is relative and has no empty, "." or ".." part."""
    if not rel or rel.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", rel):
        raise ValueError(f"not a relative path: {rel!r}")
    for part in rel.split("/"):
        if part in ("", ".", "..") or "\\" in part or "\x00" in part:
            raise ValueError(f"unsafe path component {part!r} in {rel!r}")
    base = root.rstrip("/")
    return f"{base}/{rel}"
