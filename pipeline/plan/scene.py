"""Scene music release names: ``Artist-Album-(CAT01)-WEB-2020-GROUP/02-artist-title.flac``.

The scene's rules for music: words joined by ``_``, fields by ``-``; the
folder ends ``-YEAR-GROUP`` after source and format tags (``WEB``, ``CD``,
``2CD``, ``VINYL``, ``FLAC``, ``24BIT`` …, and catalog numbers in
parentheses); files are ``NN-artist-title`` or, on multi-disc releases,
``DNN-artist-title`` (``101-…`` is disc 1, track 1).

Hyphens inside names (``Wu-Tang_Clan``) are the same character as the field
separator, so the artist is settled by the file names when they repeat it:
the longest run of leading folder fields that every file starts with is the
artist. Without that evidence the first field is the artist.
"""

from __future__ import annotations

import re

import msgspec

from pipeline.plan.folders import fold, is_various, title_case

__all__ = ["SceneFile", "SceneFolder", "read_file", "read_folder"]

_GROUP = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.]{1,15}$")
_YEAR = re.compile(r"^(?:19|20)\d\d$")
_DISCS = re.compile(r"^(\d{1,2})(?:cd|dvd|lp|xlp)$", re.IGNORECASE)
_TAGS = frozenset({
    "web", "cd", "cdm", "cds", "cdr", "cdep", "ep", "lp", "vinyl", "vls", "sat", "dab", "fm",
    "dvb", "cable", "line", "live", "tape", "dvd", "bd", "sacd", "hdcd", "flac", "mp3", "aac",
    "alac", "24bit", "16bit", "44khz", "48khz", "88khz", "96khz", "176khz", "192khz",
    "lossless", "hires", "hi-res", "proper", "repack", "rerip", "remastered", "reissue",
    "retail", "promo", "advance", "bootleg", "ltd", "limited", "limited_edition",
    "readnfo", "read_nfo", "dirfix", "nfofix", "int", "bonus", "ost", "oost", "ost_ost",
    "de", "en", "fr", "es", "it", "jp", "nl", "pl", "ru", "se", "us", "uk",
})
# "(88883716862)", "(CAT001)", "(WEB)": no underscore, so not words ("(36_Chambers)").
_CATALOG = re.compile(r"^\((?:[A-Z0-9.-]*\d[A-Z0-9.-]*|[A-Z]{2,})\)$")
_FILE = re.compile(r"^(\d{2,3})-(\S+)$")


class SceneFolder(msgspec.Struct, frozen=True):
    """A scene release folder, read: its artist-and-album fields as written."""

    fields: list[str]
    year: int
    discs: int

    def names(self, artist_fields: int) -> tuple[str | None, str]:
        """(artist, album) with the first ``artist_fields`` fields as the artist (0: one).

        A folder of one field names only the album.
        """
        if len(self.fields) == 1:
            return None, _words(self.fields)
        cut = min(max(artist_fields, 1), len(self.fields) - 1)
        return _words(self.fields[:cut]), _words(self.fields[cut:])


class SceneFile(msgspec.Struct, frozen=True):
    """``NN-artist-title``, read; ``artist_fields``: how many folder fields it repeats."""

    track: int
    disc: int | None
    artist_fields: int
    artist: str | None
    title: str | None


def _words(tokens: list[str]) -> str:
    """Fields joined back, ``_`` read as a space.

    Between two fields of several words (``Future_Nostalgia-Deluxe_Edition``)
    the hyphen was a field break: `` - ``; a one-word side is a hyphenated
    name (``Wu-Tang_Clan``, ``Jay-Z``); ``-(`` opens a parenthesis.
    """
    text, last = "", ""
    for token in tokens:
        if not text:
            sep = ""
        elif token.startswith("("):
            sep = " "
        elif "_" in token.strip("_") and "_" in last.strip("_"):
            sep = " - "
        else:
            sep = "-"
        text += sep + token
        last = token
    return " ".join(text.replace("_", " ").split())


def _rejoin(tokens: list[str]) -> list[str]:
    """A parenthesis cut by the field separator, ``(B0026645`` ``02)``, made one field."""
    out: list[str] = []
    open_ = False
    for token in tokens:
        if open_:
            out[-1] += "-" + token
        else:
            out.append(token)
        open_ = out[-1].count("(") > out[-1].count(")")
    return out


def read_folder(name: str) -> SceneFolder | None:
    """The release folder's fields, or None if ``name`` is not a scene music name."""
    if " " in name or name.count("-") < 2:
        return None
    tokens = _rejoin([token for token in name.split("-") if token])
    if len(tokens) < 3 or not _GROUP.match(tokens[-1]) or not _YEAR.match(tokens[-2]):
        return None
    year, end, discs = int(tokens[-2]), len(tokens) - 2, 1
    while end > 1:
        token = tokens[end - 1]
        number = _DISCS.match(token)
        if number:
            discs = max(discs, int(number.group(1)))
        elif token.casefold() not in _TAGS and not _CATALOG.match(token):
            break
        end -= 1
    return SceneFolder(tokens[:end], year, discs)


def _artist_fields(fields: list[str], folder: list[str]) -> int:
    """The most leading folder fields (leaving one for the album) the file starts with.

    Compared as text, so ``wu-tang_clan_feat_x-title`` repeats ``Wu-Tang_Clan``.
    """
    text = fold("-".join(fields).replace("-", " - "))
    best = 0
    for count in range(1, len(folder)):
        prefix = fold("-".join(folder[:count]).replace("-", " - "))
        if text == prefix or text.startswith(prefix + " "):
            best = count
    return best


def read_file(stem: str, folder: SceneFolder | None) -> SceneFile | None:
    """``NN-artist-title`` / ``DNN-artist-title`` (underscores as spaces), else None.

    Outside a scene folder only a name without spaces and with underscores is read.
    """
    match = _FILE.match(stem)
    if match is None or (folder is None and "_" not in stem):
        return None
    number, fields = match.group(1), [f for f in match.group(2).split("-") if f]
    disc = None
    track = int(number)
    if len(number) == 3 and track >= 101 and track % 100:
        disc, track = divmod(track, 100)
    if not fields:
        return SceneFile(track, disc, 0, None, None)
    various = folder is not None and is_various(folder.fields[0])
    known = _artist_fields(fields, folder.fields) if folder is not None and not various else 0
    artist_n = known if 0 < known < len(fields) else 1 if len(fields) >= 2 else 0
    artist = _words(fields[:artist_n]) if artist_n else None
    title = _words(fields[artist_n:])
    return SceneFile(track, disc, known, title_case(artist) if artist else None,
                     title_case(title) if title else None)
