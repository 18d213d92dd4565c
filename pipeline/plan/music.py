"""Who, which album, which disc and track a music file is: tags first, then names.

``read_track(folders, stem, tags)`` is pure. ``folders`` are the file's
folders relative to the library root (the root itself is never a level).
Every field a tag gives wins; the names fill in what the tags leave out.

How the names are read, nearest the file first:

- below the album, a disc level (``CD1``, ``CD 2``, ``Disc 2``, ``Disk02``)
  or a format level (``FLAC``, ``MP3``) is not the album;
- the album folder: a scene name (``Artist-Album-WEB-2020-GROUP``, see
  ``scene``), else ``Artist - Album (Year) [tags]``, ``YYYY - Album``,
  ``Artist - YYYY - Album``, ``VA - Album``; an album folder ending in a disc
  label (``Album (Disc 2)``) is that disc of the album;
- the folder above the album is the artist, unless it is a container or the
  album folder already named one. When it is a real artist level, a spaced
  dash in the album folder is part of the album (``Artist/Album - Live``),
  unless the part before it is that artist (``Artist/Artist - Album``);
- the file: ``NN - Title``, ``NN. Title``, ``NN Title``, ``D-NN Title``
  (disc D), ``DNN`` in scene names, ``Artist - Album - NN - Title``, and
  ``NN - Artist - Title`` where the artist is the album's, a compilation's
  track artist, or not known from the folders.

Compilations (``VA``, ``Various Artists``, iTunes' ``Compilations`` or a
``Soundtracks`` folder at the artist level, the compilation tag) are filed
under "Various Artists". Placeholder tags ("Unknown Artist", "Track 01")
count as missing.
"""

from __future__ import annotations

import functools
import re

import msgspec

from pipeline.core.records import Tags
from pipeline.plan import scene
from pipeline.plan.folders import (
    dash_parts,
    disc_label,
    fold,
    is_container,
    is_various,
    levels,
    nfc,
    plain_spaces,
    split_year,
    strip_tags,
    year_first,
)

__all__ = ["TrackName", "read_track", "scene_release"]

_FORMATS = frozenset({"flac", "mp3", "aac", "alac", "ogg", "opus", "wav", "m4a", "320", "v0",
                      "hi res", "hires", "24bit", "16bit", "lossless", "mp3 320", "flac 24bit"})
_ALBUM_DISC = re.compile(r"\s*[-–(\[]?\s*\b(?:cd|disc|disk)\s*[-_.]?\s*(\d{1,2})"
                         r"(?:\s*of\s*\d+)?\s*[)\]]?\s*$", re.IGNORECASE)
# "2-01 Title", "2-01 - Title" (iTunes: disc-track), "01 - Title", "01. Title", "01 Title".
_DISC_TRACK = re.compile(r"^(\d{1,2})-(\d{2})(?:\s*[-–.]\s*|\s+)(\S.*)$")
_TRACK = re.compile(r"^(?:(\d{2,3})(?:\s*[-–.)\]]\s*|\s+)|(\d)(?:\s*[-–.)]\s+))(\S.*)$")
_NUMBER = re.compile(r"^(?:(\d{1,2})-)?(\d{1,3})$")
_RIPPER_DEFAULT = re.compile(r"^(?:audio\s*)?(?:track|piste|titel|pista)\s*(\d{1,3})$",
                             re.IGNORECASE)
# A ripper's placeholder tags: "Unknown Artist", "<unknown>", "Track 01", "".
_PLACEHOLDER = re.compile(r"^[\s<\[(]*(?:unknown(?:[\s_]+(?:artist|album|title))?|untitled|"
                          r"no[\s_]+title|artist|album|title|none|null|"
                          r"(?:audio[\s_]*)?track[\s_]*\d+)?[\s>\])]*$", re.IGNORECASE)


class TrackName(msgspec.Struct, frozen=True):
    """What names and tags say of one track ("" never: None when unknown)."""

    artist: str | None
    album: str | None
    year: int | None
    title: str | None
    track: int | None
    disc: int | None
    multi_disc: bool
    compilation: bool


class _Album(msgspec.Struct):
    artist: str | None = None
    album: str | None = None
    year: int | None = None
    disc: int | None = None
    multi_disc: bool = False
    compilation: bool = False
    release: scene.SceneFolder | None = None


def _below_album(found: list[str]) -> tuple[int, int | None]:
    """How many trailing folders are disc or format levels, and the disc they name."""
    depth, disc = 0, None
    while depth < len(found):
        folder = found[len(found) - 1 - depth]
        number = disc_label(folder)
        if number is not None:
            disc = number if disc is None else disc
        elif fold(folder) not in _FORMATS or depth == len(found) - 1:
            break
        depth += 1
    return depth, disc


def scene_release(folders: list[str], stem: str) -> tuple[int, int] | None:
    """(folders between the file and its scene release folder, fields it repeats), or None.

    The plan's first pass keeps the most fields any file of a release repeats,
    so every track of ``Wu-Tang_Clan-…`` names the same artist, even one whose
    own name does not repeat it.
    """
    found = levels([nfc(folder) for folder in folders])
    depth, _ = _below_album(found)
    if depth >= len(found):
        return None
    release = scene.read_folder(found[len(found) - 1 - depth])
    heard = scene.read_file(nfc(stem), release) if release is not None else None
    return (depth, heard.artist_fields) if heard is not None else None


def _album(found: list[str], stem: str, artist_fields: int | None) -> _Album:
    """Artist, album, year and disc from the folders (containers already dropped)."""
    depth, _ = _below_album(found)
    fields = 0
    if depth < len(found) and (release := scene.read_folder(found[-1 - depth])) is not None:
        heard = scene.read_file(stem, release)
        fields = max(heard.artist_fields if heard is not None else 0, artist_fields or 0)
    return _album_of(tuple(found), fields)


@functools.lru_cache(maxsize=256)
def _album_of(found_levels: tuple[str, ...], artist_fields: int) -> _Album:
    """:func:`_album` once per album folder (its tracks share it: callers only read it)."""
    out = _Album()
    depth, out.disc = _below_album(list(found_levels))
    out.multi_disc = out.disc is not None
    found = found_levels[: len(found_levels) - depth]
    if not found:
        return out
    folder, above = found[-1], (found[-2] if len(found) >= 2 else None)
    if above is not None and is_various(above):
        out.compilation, above = True, None
    elif above is not None and is_container(above):
        above = None  # users/bob/Music/Album: a container deeper down names no artist
    release = scene.read_folder(folder)
    if release is not None:
        out.release = release
        out.artist, out.album = release.names(artist_fields)
        out.year, out.multi_disc = release.year, out.multi_disc or release.discs > 1
        if out.artist is None and above is not None:
            out.artist = plain_spaces(strip_tags(above))
        if out.artist is not None and is_various(out.artist):
            out.compilation, out.artist = True, None
        return out
    text = plain_spaces(folder)
    if out.disc is None and (disc := _ALBUM_DISC.search(text)) and disc.start() > 0:
        out.disc, out.multi_disc = int(disc.group(1)), True
        text = text[: disc.start()]
    text, out.year = split_year(text)
    text = strip_tags(text)
    text, first = year_first(text)
    out.year = out.year or first
    parts = dash_parts(text)
    artist_level = plain_spaces(strip_tags(above)) if above is not None else None
    if len(parts) >= 2 and is_various(parts[0]):
        out.compilation, parts = True, parts[1:]
    elif len(parts) >= 2 and artist_level and fold(parts[0]) == fold(artist_level):
        parts = parts[1:]
    elif len(parts) >= 3 and (year := _year(parts[1])) is not None:
        out.artist, out.year, parts = parts[0], out.year or year, parts[2:]
    elif len(parts) >= 3 and (year := _year(parts[-1])) is not None:  # Artist - Album - 1971
        out.year, parts = out.year or year, parts[:-1]
        if artist_level is None:
            out.artist, parts = parts[0], parts[1:]
    elif len(parts) >= 2 and artist_level is None:
        out.artist, parts = parts[0], parts[1:]
    if parts:
        rest, year = year_first(" - ".join(parts))
        out.album, out.year = rest, out.year or year
    if out.artist is None and artist_level and not out.compilation:
        out.artist = artist_level
    if out.artist is not None and is_various(out.artist):
        out.compilation, out.artist = True, None
    return out


def _year(text: str) -> int | None:
    return int(text) if re.fullmatch(r"(?:19|20)\d\d", text) else None


class _File(msgspec.Struct):
    title: str | None = None
    track: int | None = None
    disc: int | None = None
    artist: str | None = None


def _file(stem: str, album: _Album) -> _File:
    """Track number, disc, title (and a track artist) from the file's own name."""
    if album.album and abs(len(stem) - len(album.album)) <= 8 and \
            fold(plain_spaces(stem)) == fold(album.album):
        return _File(title=stem)  # the title track, unnumbered: "99 Luftballons"
    heard = scene.read_file(stem, album.release)
    if heard is not None:
        return _File(heard.title, heard.track, heard.disc, heard.artist)
    text = plain_spaces(stem).strip()
    out = _File()
    if match := _RIPPER_DEFAULT.match(text):  # "Track 01": a number, no title
        return _File(text, int(match.group(1)))
    if match := _DISC_TRACK.match(text):
        out.disc, out.track, text = int(match.group(1)), int(match.group(2)), match.group(3)
    elif match := _TRACK.match(text):
        number = int(match.group(1) or match.group(2))
        if number >= 101 and number % 100 and len(match.group(1) or "") == 3:
            out.disc, out.track = divmod(number, 100)
        else:
            out.track = number
        text = match.group(3)
    else:
        parts = dash_parts(text)
        at, found = next(((i, m) for i, part in enumerate(parts)
                          if i and (m := _NUMBER.match(part))), (0, None))
        if found is not None and at + 1 < len(parts):  # Artist - Album - NN - Title
            out.disc = int(found.group(1)) if found.group(1) else None
            out.track = int(found.group(2))
            if album.artist is None and not album.compilation:
                out.artist = parts[0]
            text = " - ".join(parts[at + 1:])
    parts = dash_parts(text)
    if len(parts) >= 2:
        if album.artist is not None and fold(parts[0]) == fold(album.artist):
            parts = parts[1:]
        elif album.compilation or album.artist is None:
            out.artist, parts = out.artist or parts[0], parts[1:]
    out.title = " - ".join(parts) or None
    return out


def _plausible(tags: Tags) -> Tags:
    """The tags less a ripper's placeholders ("Unknown Artist", "Track 01"): names say more."""
    changes = {field: None for field in ("artist", "album_artist", "album", "title")
               if (value := getattr(tags, field)) is not None and _PLACEHOLDER.match(value)}
    return msgspec.structs.replace(tags, **changes) if changes else tags


def read_track(folders: list[str], stem: str, tags: Tags | None,
               artist_fields: int | None = None) -> TrackName:
    """The track's identity: tags where they speak, the names for the rest.

    ``artist_fields``: what the first pass learnt of this file's scene release
    (see :func:`scene_release`).
    """
    stem = nfc(stem)
    album = _album(levels([nfc(folder) for folder in folders]), stem, artist_fields)
    name = _file(stem, album)
    tags = _plausible(tags) if tags is not None else Tags()
    compilation = tags.compilation or (album.compilation and not tags.album_artist) or \
        bool(tags.album_artist and is_various(tags.album_artist))
    artist = tags.album_artist or tags.artist or album.artist or name.artist
    disc = tags.disc if tags.disc is not None else (name.disc or album.disc)
    multi = (tags.disc_total or 0) > 1 or album.multi_disc or name.disc is not None
    if tags.disc_total == 1 and tags.disc is not None:
        multi = False  # the tags know the album has one disc
    return TrackName(
        artist=None if compilation else artist,
        album=tags.album or album.album,
        year=tags.year or album.year,
        title=tags.title or name.title or stem,
        track=tags.track if tags.track is not None else name.track,
        disc=disc,
        multi_disc=multi,
        compilation=compilation,
    )
