"""Sidecars: subtitles, NFO, images and lyrics, and what each belongs to.

Owns the reading of sidecar *names*, following Jellyfin's rules (docs
"External files", "Metadata images", "Lyrics"; Emby.Naming's
ExternalPathParser and LocalImageProvider). Pure functions: the probe stage
lists the folders and passes the candidate owners in; nothing here touches
the disk. Languages go through ``languages.normalise_language`` only.

Subtitle names: ``<video stem>.<tokens>.<ext>``; tokens split on ``.``, then
``_``, ``-`` and spaces (a whole token is tried first, so ``pt-BR`` and
``zh-Hans`` stay one language). Flags: ``default``; ``forced``/``foreign``;
``sdh``/``cc``/``hi`` (hearing impaired), returned as ``default``, ``forced``,
``sdh`` in that order. ``hi`` is Hindi when no other language is named and
the hearing-impaired flag when one is (``Movie.hi.srt`` -> hi;
``Movie.en.hi.srt`` -> en + sdh), as in Jellyfin. The last language named
wins. Numbers (track indices) and unknown words are ignored. Three-letter
tokens count only as ISO 639-2 codes of languages that have a two-letter
code (plus a few common ones that have none, like ``yue``), so English words
such as "the" or "one" are not read as ISO 639-3 languages.

Owners (``find_owner``), from the candidates the caller passes (absolute
paths of videos, or of audio files for lyrics, in the sidecar's folder and,
for ``Subs`` folders, its parent):

    subtitle/lyrics  the candidate whose stem is the longest prefix of the
                     sidecar's stem, followed by . _ - or space (same stem
                     twice, "Movie.mkv" + "Movie.mp4": the first by path);
                     else, in ``Subs/<video stem>/`` the video of that stem;
                     else, in ``Subs/`` the single video of the parent folder;
                     else a name of only languages, flags and numbers
                     ("English.srt", "2_eng.srt") -> the single video of its
                     folder. Several videos there are ambiguous: None.
    nfo              ``<stem>.nfo`` -> that video; ``movie.nfo`` -> the single
                     video of the folder, else the folder; ``tvshow.nfo`` and
                     ``season.nfo`` -> the folder.
    image            ``<stem>.jpg`` / ``<stem>-<type>.jpg`` -> that video;
                     ``poster.jpg``, ``fanart2.jpg``, ``season01-poster.jpg``
                     ... -> the folder; images in ``extrafanart/`` or
                     ``extrathumbs/`` -> the folder above.

The owner is returned as a path: a file's for a video or track, the folder's
own path for folder-level files. None means an orphan.
"""

from __future__ import annotations

import re

from pipeline.core.paths import to_wire
from pipeline.core.records import Sidecar
from pipeline.probe.languages import normalise_language

__all__ = ["find_owner", "image_type", "sidecar_for", "subtitle_language_and_flags"]

FLAG_ORDER = ("default", "forced", "sdh")
_FLAGS = {"default": "default", "forced": "forced", "foreign": "forced",
          "sdh": "sdh", "cc": "sdh", "hi": "sdh"}
# Common subtitle languages without an ISO 639-1 code, accepted as 3 letters.
_THREE_LETTER_ONLY = frozenset({"yue", "cmn", "fil", "haw", "ast", "ckb", "tlh"})
_SUBS_FOLDERS = frozenset({"subs", "subtitles", "sub", "subtitle"})
_LYRICS_EXT = frozenset({"lrc", "elrc"})
_IMAGE_EXT = frozenset({"jpg", "jpeg", "png", "webp", "gif", "bmp", "tbn"})
_SEPARATORS = "._- "

# Jellyfin's image file names (LocalImageProvider) -> jforg image type.
_IMAGE_NAMES = {
    "poster": "poster", "default": "poster", "movie": "poster", "show": "poster",
    "folder": "folder", "cover": "cover", "jacket": "cover",
    "fanart": "fanart", "backdrop": "backdrop", "background": "backdrop", "art": "backdrop",
    "logo": "logo", "clearlogo": "logo", "banner": "banner", "landscape": "landscape",
    "thumb": "thumb", "disc": "disc", "cdart": "disc", "discart": "disc",
    "clearart": "clearart",
}
# Names Jellyfin numbers for several backdrops: fanart1, fanart-2, backdrop3.
_NUMBERED = re.compile(r"(fanart|backdrop|background|art)-?\d+")
# Season images kept in the series folder: season01-poster, season-specials-banner.
_SEASON_IMAGE = re.compile(r"season(?:\d+|-specials|-all)-(\w+)")
_EXTRA_IMAGE_FOLDERS = {"extrafanart": "fanart", "extrathumbs": "thumb"}
_FOLDER_NFO = frozenset({"tvshow", "season"})
_TOKEN_SPLIT = re.compile(r"[_\- ]+")


# --- languages and flags -------------------------------------------------------


def subtitle_language_and_flags(name: str, video_stem: str | None) -> tuple[str | None, list[str]]:
    """Language (stored code) and flags (canonical order) of a subtitle file name.

    Reads the part after ``video_stem`` when the name starts with it;
    otherwise the trailing tokens of the name, stopping at the first word
    that is neither a language, a flag nor a number (so a title is not read).
    """
    stem = name.rpartition(".")[0] or name
    if video_stem and _starts_with_stem(stem, video_stem):
        units = _units(stem[len(video_stem):])
        trailing_only = False
    else:
        units = _units(stem)
        trailing_only = True
    languages: list[str] = []
    flags: set[str] = set()
    saw_hi = False
    for unit in reversed(units):
        low = unit.casefold()
        if low.isdigit():
            continue
        if low == "hi":
            saw_hi = True  # Hindi or hearing impaired: decided below
            continue
        if low in _FLAGS:
            flags.add(_FLAGS[low])
            continue
        code = _language(unit)
        if code is not None:
            languages.append(code)
        elif trailing_only:
            break
    language = languages[0] if languages else None  # reversed: the last one named
    if saw_hi:
        if language is None:
            language = "hi"
        else:
            flags.add("sdh")
    return language, [f for f in FLAG_ORDER if f in flags]


def _units(text: str) -> list[str]:
    """Dot tokens, each split further on _ - and spaces unless whole it names a language."""
    units: list[str] = []
    for raw in text.split("."):
        token = raw.strip()
        if not token:
            continue
        if token.casefold() in _FLAGS or _language(token) is not None:
            units.append(token)
        else:
            units.extend(t for t in _TOKEN_SPLIT.split(token) if t)
    return units


def _language(token: str) -> str | None:
    if token.isdigit() or token.casefold() in _FLAGS:
        return None
    code = normalise_language(token)
    if code is None:
        return None
    if len(token) == 3 and len(code) != 2 and token.casefold() not in _THREE_LETTER_ONLY:
        return None  # an ISO 639-3 code that is more likely an English word
    return code


# --- owners --------------------------------------------------------------------


def find_owner(path: str, media_names: list[str], cls: str) -> str | None:
    """The path of what the sidecar at ``path`` belongs to, or None (orphan).

    ``media_names`` are absolute os-form paths of candidate owners. ``cls``
    is the scan class ("subtitle", "nfo", "image", "other"); the extension
    decides for lyrics (``.lrc``) and images.
    """
    return _owner(path, media_names, cls)[0]


def _owner(path: str, candidates: list[str], cls: str) -> tuple[str | None, bool]:
    """(owner, owner is a media file rather than a folder)."""
    folder, _, name = path.rpartition("/")
    stem, _, ext = name.rpartition(".")
    ext = ext.casefold()
    if not stem:
        stem, ext = name, ""
    local = [c for c in candidates if c.rpartition("/")[0] == folder]
    if cls == "image" or ext in _IMAGE_EXT:
        return _image_owner(folder, stem, local)
    if cls == "nfo" or ext == "nfo":
        return _nfo_owner(folder, stem, local)
    owner = _prefix_owner(stem, candidates, folder)
    if owner is not None:
        return owner, True
    if ext in _LYRICS_EXT or cls != "subtitle":
        return None, False
    parent, _, holder = folder.rpartition("/")
    grand, _, above = parent.rpartition("/")
    if above.casefold() in _SUBS_FOLDERS:  # RARBG: Subs/<episode stem>/2_English.srt
        named = [c for c in candidates if _stem_of(c).casefold() == holder.casefold()
                 and c.rpartition("/")[0] in (grand, parent)]
        return (named[0], True) if len(named) == 1 else (None, False)
    if holder.casefold() in _SUBS_FOLDERS:  # Subs/2_English.srt: the parent's one video
        videos = [c for c in candidates if c.rpartition("/")[0] == parent]
        return (videos[0], True) if len(videos) == 1 else (None, False)
    if len(local) == 1 and _only_tags(stem):  # "English.srt" beside a lone video
        return local[0], True
    return None, False


def _only_tags(stem: str) -> bool:
    """Whether a name says nothing but languages, flags and track numbers."""
    units = _units(stem)
    return bool(units) and all(
        u.isdigit() or u.casefold() in _FLAGS or _language(u) is not None for u in units)


def _prefix_owner(stem: str, candidates: list[str], folder: str) -> str | None:
    best: list[tuple[int, int, int, str]] = []
    for cand in candidates:
        cstem = _stem_of(cand)
        if _starts_with_stem(stem, cstem):
            exact = stem.startswith(cstem)
            here = cand.rpartition("/")[0] == folder
            best.append((-len(cstem), not exact, not here, cand))
    if not best:
        return None
    best.sort()
    # Same stem, same case, same folder ("Movie.mkv" and "Movie.mp4"): not
    # ambiguous for a user, so the first in path order wins, deterministically.
    return best[0][3]


def _starts_with_stem(stem: str, video_stem: str) -> bool:
    """Whether ``stem`` is ``video_stem`` or it followed by a separator (any case)."""
    if not video_stem or len(stem) < len(video_stem):
        return False
    if stem[:len(video_stem)].casefold() != video_stem.casefold():
        return False
    return len(stem) == len(video_stem) or stem[len(video_stem)] in _SEPARATORS


def _stem_of(path: str) -> str:
    name = path.rpartition("/")[2]
    return name.rpartition(".")[0] or name


def _nfo_owner(folder: str, stem: str, local: list[str]) -> tuple[str | None, bool]:
    same = [c for c in local if _stem_of(c).casefold() == stem.casefold()]
    if same:
        exact = [c for c in same if _stem_of(c) == stem]
        return (exact or same)[0], True
    low = stem.casefold()
    if low == "movie":
        # movie.nfo describes the movie of its folder (every version of it).
        return (local[0], True) if len(local) == 1 else (folder, False)
    if low in _FOLDER_NFO:
        return folder, False
    return None, False


def _image_owner(folder: str, stem: str, local: list[str]) -> tuple[str | None, bool]:
    low = stem.casefold()
    for cand in sorted(local, key=lambda c: (-len(_stem_of(c)), c)):
        cstem = _stem_of(cand).casefold()
        if low == cstem:
            return cand, True
        if low.startswith(cstem + "-") and _type_word(low[len(cstem) + 1:]) is not None:
            return cand, True
    holder = folder.rpartition("/")[2].casefold()
    if holder in _EXTRA_IMAGE_FOLDERS:
        return folder.rpartition("/")[0], False
    if _folder_image_type(low) is not None:
        return folder, False
    return None, False


# --- image types ---------------------------------------------------------------


def image_type(name: str) -> str | None:
    """The image type a file name states (poster, fanart, thumb ...), else None.

    ``poster.jpg``, ``fanart2.jpg``, ``Movie (2010)-poster.jpg``,
    ``season01-banner.jpg`` state one; ``Movie (2010).jpg`` does not (it is
    its video's primary image: ``sidecar_for`` calls that a poster).
    """
    stem = (name.rpartition(".")[0] or name).casefold()
    found = _folder_image_type(stem)
    if found is not None:
        return found
    head, dash, tail = stem.rpartition("-")
    if dash and head:
        return _type_word(tail)
    return None


def _folder_image_type(stem: str) -> str | None:
    if stem in _IMAGE_NAMES:
        return _IMAGE_NAMES[stem]
    numbered = _NUMBERED.fullmatch(stem)
    if numbered:
        return _IMAGE_NAMES[numbered.group(1)]
    season = _SEASON_IMAGE.fullmatch(stem)
    if season:
        return _type_word(season.group(1))
    return None


def _type_word(word: str) -> str | None:
    numbered = _NUMBERED.fullmatch(word)
    return _IMAGE_NAMES.get(numbered.group(1) if numbered else word)


# --- the record ----------------------------------------------------------------


def sidecar_for(path: str, cls: str, siblings: list[str]) -> Sidecar:
    """The ``Sidecar`` of the file at ``path`` (os form), given candidate owners.

    ``cls`` is the scan class; ``siblings`` the absolute paths of candidate
    owners (videos, or audio for ``.lrc``) in the same folder and, for
    ``Subs`` folders, the parent. ``belongs_to`` is in wire form.
    """
    name = path.rpartition("/")[2]
    ext = name.rpartition(".")[2].casefold() if "." in name else ""
    owner, is_media = _owner(path, siblings, cls)
    belongs_to = to_wire(owner) if owner is not None else None
    if cls == "image" or ext in _IMAGE_EXT:
        kind = image_type(name)
        if kind is None and is_media:
            kind = "poster"  # <video stem>.jpg: Jellyfin's primary image of that video
        holder = path.rpartition("/")[0].rpartition("/")[2].casefold()
        kind = kind or _EXTRA_IMAGE_FOLDERS.get(holder)
        return Sidecar(belongs_to=belongs_to, image_type=kind)
    if cls == "subtitle" or ext in _LYRICS_EXT:
        stem = _stem_of(owner) if owner is not None and is_media else None
        language, flags = subtitle_language_and_flags(name, stem)
        if ext in _LYRICS_EXT:
            flags = []  # default/forced/sdh mean nothing for lyrics
        return Sidecar(language=language, flags=flags, belongs_to=belongs_to)
    return Sidecar(belongs_to=belongs_to)
