"""Embedded metadata that agrees with a generated path, as a tagger would have written it.

``benchmarks.media`` and ``benchmarks.books`` write fixed metadata, and the
library generator copies one file to many paths. jforg trusts tags over
folder names, so an album whose tracks all say "track 3 of Lanterns on the
Water" plans every track to one destination. A real tagged library's tags
agree with its folders; these functions make the generated one do the same.

- ``track_of(rel)`` reads a track off a generated music or audiobook path
  (the shapes ``benchmarks.namepools`` draws); ``retag(path, track)``
  rewrites the audio file's tags to say just that, dropping every other tag
  (the copied MusicBrainz ids would make enrich fetch one album for all).
- ``book_of(rel)`` reads a book or comic off its path, for
  ``benchmarks.books.make_book``.

Values are NFC: taggers write composed text, and the decomposed names are
what macOS clients did to the share's file names.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import mutagen
from mutagen import id3
from mutagen.mp4 import MP4Tags

from benchmarks.books import About

__all__ = ["Track", "book_of", "retag", "track_of"]

_DISC: Final = re.compile(r"(?:Disc |CD)(\d+)")
_ALBUM: Final = re.compile(r"(?P<album>.+) \((?P<year>\d{4})\)")
_FLAT_ALBUM: Final = re.compile(r"(?P<artist>.+?) - (?P<album>.+) \((?P<year>\d{4})\) \[\w+\]")
_TRACK: Final = re.compile(r"(?P<n>\d+) - (?P<title>.+)")
_VARIOUS_TRACK: Final = re.compile(r"(?P<n>\d+) - (?P<artist>.+?) - (?P<title>.+)")
_VARIOUS: Final = "Various Artists"
_ISSUE: Final = re.compile(r"(?P<title>.+ (?P<n>\d{3})) \((?P<year>\d{4})\)")


@dataclass(frozen=True)
class Track:
    """The tags of one audio file."""

    title: str
    artist: str
    album: str
    album_artist: str
    track: int | None = None
    disc: int | None = None
    year: int | None = None


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def track_of(rel: str) -> Track | None:
    """The tags a music track or audiobook at generated path ``rel`` would carry, else None."""
    top, *folders, name = rel.split("/")
    stem = _nfc(name.rpartition(".")[0])
    folders = [_nfc(folder) for folder in folders]
    if top == "Music":
        return _music(folders, stem)
    if top == "Audiobooks" and len(folders) == 2:
        return _audiobook(folders[0], folders[1], stem)
    return None


def _music(folders: list[str], stem: str) -> Track | None:
    """``Artist/Album (Year)/[Disc N|CDN/]NN - Title`` or ``Artist - Album (Year) [FMT]/…``;
    a Various Artists track is ``NN - Band - Title``."""
    disc = _DISC.fullmatch(folders[-1]) if folders else None
    if disc:
        folders = folders[:-1]
    if len(folders) == 2 and (album := _ALBUM.fullmatch(folders[1])):
        album_artist = folders[0]
    elif len(folders) == 1 and (album := _FLAT_ALBUM.fullmatch(folders[0])):
        album_artist = album["artist"]
    else:
        return None
    various = album_artist == _VARIOUS
    track = (_VARIOUS_TRACK if various else _TRACK).fullmatch(stem)
    if track is None:
        return None
    return Track(title=track["title"], artist=track["artist"] if various else album_artist,
                 album=album["album"], album_artist=album_artist, track=int(track["n"]),
                 disc=int(disc[1]) if disc else 1, year=int(album["year"]))


def _audiobook(author: str, title: str, stem: str) -> Track:
    """``Author/Title/NN - Chapter N`` or ``Author/Title/Title`` (one .m4b); no year."""
    chapter = _TRACK.fullmatch(stem)
    if chapter is None:
        return Track(title=title, artist=author, album=title, album_artist=author)
    return Track(title=chapter["title"], artist=author, album=title, album_artist=author,
                 track=int(chapter["n"]))


def book_of(rel: str) -> About | None:
    """What ``Books/Author/Title (Year)/Title.ext`` or ``Comics/Series/Series NNN (Year).ext``
    says, else None."""
    top, *folders, name = (_nfc(part) for part in rel.split("/"))
    stem = name.rpartition(".")[0]
    if top == "Books" and len(folders) == 2 and (book := _ALBUM.fullmatch(folders[1])):
        return About(title=book["album"], author=folders[0], year=int(book["year"]))
    if top == "Comics" and len(folders) == 1 and (issue := _ISSUE.fullmatch(stem)):
        # The path names no story; the issue's own name keeps every issue distinct.
        return About(title=issue["title"], year=int(issue["year"]), series=folders[0],
                     number=int(issue["n"]))
    return None


def retag(path: Path, track: Track) -> None:
    """Replace every tag of the audio file at ``path`` (MP3, FLAC, MP4, Ogg) with ``track``'s."""
    audio = mutagen.File(path)
    if audio is None:
        raise ValueError(f"{path}: mutagen does not recognise this file")
    if audio.tags is None:
        audio.add_tags()
    tags = audio.tags
    tags.clear()
    fields = _fields(track)
    if isinstance(tags, id3.ID3):
        _id3(tags, fields)
        audio.save(v2_version=3)  # what benchmarks.media writes into MP3s
        return
    if isinstance(tags, MP4Tags):
        _mp4(tags, fields)
    else:  # Vorbis comments (FLAC, Ogg Opus), named as Picard names them
        for key, value in fields.items():
            tags[key.upper()] = value
    audio.save()


def _fields(track: Track) -> dict[str, str]:
    """Tag name (Vorbis comment style) -> value, for the fields ``track`` has."""
    fields = {"title": track.title, "artist": track.artist, "album": track.album,
              "albumartist": track.album_artist, "tracknumber": track.track,
              "discnumber": track.disc, "date": track.year}
    return {key: str(value) for key, value in fields.items() if value is not None}


_ID3_FRAMES: Final[dict[str, type[id3.TextFrame]]] = {
    "title": id3.TIT2, "artist": id3.TPE1, "album": id3.TALB, "albumartist": id3.TPE2,
    "tracknumber": id3.TRCK, "discnumber": id3.TPOS, "date": id3.TDRC}
_MP4_ATOMS: Final = {"title": "©nam", "artist": "©ART", "album": "©alb", "albumartist": "aART",
                     "date": "©day"}


def _id3(tags: id3.ID3, fields: dict[str, str]) -> None:
    for key, value in fields.items():
        # UTF-16: ID3v2.3 has no UTF-8, and the names are not all Latin-1.
        tags.add(_ID3_FRAMES[key](encoding=id3.Encoding.UTF16, text=[value]))


def _mp4(tags: MP4Tags, fields: dict[str, str]) -> None:
    for key, value in fields.items():
        if key in _MP4_ATOMS:
            tags[_MP4_ATOMS[key]] = [value]
    for key, atom in (("tracknumber", "trkn"), ("discnumber", "disk")):
        if key in fields:
            tags[atom] = [(int(fields[key]), 0)]  # (number, total); 0: total unknown
