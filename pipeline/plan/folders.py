"""What a library's folder and file names say, before any kind-specific rule.

Pure text rules shared by the music, book and disc-rip readers: which
folders are containers (never an artist or author), which are disc or part
levels, how a year, tags or an id in brackets are told apart, and how names
split on a spaced dash. Nothing here touches the disk.

Containers are decided by position first: the library root is never a
level (callers pass folders *relative* to the scan root), and only a leading
run of well-known container names (``Music``, ``iTunes Media``, ``FLAC``,
``Downloads``, ``complete``, ``Books``, ``Calibre Library`` …) or of index
folders (``A``, ``0-9``, ``#``) is dropped. Deeper down such a folder is a
level like any other, but the readers never take it for an artist or author
(``home/bob/Music/Album``: no artist from the folders).
"""

from __future__ import annotations

import functools
import re
import unicodedata

from pipeline.core import titles

__all__ = [
    "AUDIOBOOK_WORDS",
    "BOOK_WORDS",
    "dash_parts",
    "disc_label",
    "fold",
    "is_container",
    "is_various",
    "levels",
    "nfc",
    "plain_spaces",
    "split_year",
    "strip_tags",
    "title_case",
    "year_first",
]

# Folded names of folders that hold a library rather than name a work.
_MUSIC_WORDS = frozenset({
    "music", "my music", "musik", "musique", "música", "musica", "itunes", "itunes media",
    "itunes music", "media", "audio", "albums", "artists", "library", "music library",
    "flac", "mp3", "aac", "alac", "ogg", "opus", "lossless", "lossy", "hires", "hi res",
    "downloads", "download", "complete", "completed", "incoming", "torrents", "seeding",
    "new", "unsorted", "share", "shared", "public", "data", "nas", "volume1",
})
BOOK_WORDS = frozenset({
    "books", "book", "ebooks", "ebook", "e books", "e book", "my books", "calibre",
    "calibre library", "bücher", "livres", "libros", "epub", "pdf", "kindle",
})
AUDIOBOOK_WORDS = frozenset({
    "audiobooks", "audiobook", "audio books", "audio book", "hörbücher", "hörbuch",
    "livres audio", "audiolibros", "spoken word",
})
_CONTAINERS = _MUSIC_WORDS | BOOK_WORDS | AUDIOBOOK_WORDS
# Index folders: "A", "#", "0-9", "A-C" (ASCII only: "嵐" is a band).
_INDEX = re.compile(r"^(?:[A-Za-z0-9#]|0-9|[A-Za-z]\s*-\s*[A-Za-z])$")
# Folders that file albums of many artists: compilations, and soundtracks.
_VARIOUS = frozenset({"va", "v a", "various", "various artists", "various artist",
                      "compilations", "compilation", "verschiedene interpreten",
                      "artistes divers", "varios artistas", "soundtracks", "soundtrack", "ost",
                      "original soundtrack", "filmmusik", "bandes originales"})

# "CD1", "CD 2", "Disc 2", "Disk02", "cd - 1", "Disc 01 (Encores)", "CD1 of 2"
# (Jellyfin's multi-disc folder names; "vol N" is left out: it names albums too).
_DISC = re.compile(r"^(?:cd|disc|disk|dvd)\s*[-_.]?\s*(\d{1,2})(?!\d)(?:\s*of\s*\d+)?"
                   r"(?:\s*(?:[-:(\[].*)?)?$", re.IGNORECASE)
_BRACKETS = r"[(\[（［【]"
_CLOSE = r"[)\]）］】]"
# "(1999)", "[1999]", full-width parentheses, a release date "[2018.06.27]" / "(2018-06-27)".
_YEAR_IN = re.compile(_BRACKETS + r"\s*(\d{4})(?:[-./]\d\d[-./]\d\d)?\s*" + _CLOSE)
_TAG = re.compile(r"\s*(?:\[[^\]]*\]|\{[^}]*\}|【[^】]*】|［[^］]*］)")
# Parenthesised text that is only format or source words: "(FLAC)", "(320 kbps)", "(24-96)".
_FORMAT_PAREN = re.compile(
    r"\s*[(（]\s*(?:(?:flac|mp3|aac|alac|ogg|opus|wav|m4a|web|cd|vinyl|lp|sacd|dsd|hi-?res|"
    r"lossless|cbr|vbr|v0|v2|\d{2,3}\s*kbps|128|160|192|256|320|\d{2}\s*bit|\d{2}(?:\.\d)?\s*khz|"
    r"\d{2}[-/]\d{2,3}|\d\s*cds?|retail|remastered|unabridged|abridged)[\s,+/&-]*)+[)）]",
    re.IGNORECASE)
_YEAR_FIRST = re.compile(r"^\s*(?:" + _BRACKETS + r"\s*)?((?:1[89]|20)\d\d)\s*(?:" + _CLOSE +
                         r"\s*)?(?:[-–—.:]\s*|\s+)(\S.*)$")
# A spaced hyphen, its look-alikes (en/em dash, minus, full-width) included.
_DASH = re.compile("\\s+[-\u2010-\u2015\u2212\ufe63\uff0d]\\s+")


@functools.lru_cache(maxsize=1024)
def fold(text: str) -> str:
    """``core.titles.fold``, remembered: a library repeats its folder names per file."""
    return titles.fold(text)


def nfc(text: str) -> str:
    """NFC: decomposed names (macOS) compare and match like composed ones."""
    return unicodedata.normalize("NFC", text)


def is_container(folder: str) -> bool:
    """A well-known container name (``Music``, ``FLAC``, ``Books`` …) or an index letter."""
    return fold(folder) in _CONTAINERS or bool(_INDEX.match(folder.strip()))


def levels(folders: list[str]) -> list[str]:
    """The folders below the leading run of containers (and index letters)."""
    start = 0
    while start < len(folders) and is_container(folders[start]):
        start += 1
    return folders[start:]


def is_various(text: str) -> bool:
    """``VA``, ``V.A.``, ``Various Artists``, iTunes' ``Compilations``, ``Soundtracks``."""
    return fold(text) in _VARIOUS


def disc_label(folder: str) -> int | None:
    """The disc number a folder such as ``CD 2`` or ``Disc 01 (Encores)`` stands for."""
    match = _DISC.match(folder.strip())
    return int(match.group(1)) if match and int(match.group(1)) > 0 else None


def plain_spaces(text: str) -> str:
    """Underscores read as spaces in a name that has none (``Dua_Lipa``)."""
    if " " not in text and "_" in text:
        text = text.replace("_", " ")
    return " ".join(text.split())


def split_year(text: str, plausible: range = range(1900, 2101)) -> tuple[str, int | None]:
    """``Album (1999)`` -> ("Album", 1999); the last bracketed plausible year wins.

    A bracketed number that is not a plausible year stays in the text.
    """
    found = None
    for match in _YEAR_IN.finditer(text):
        if int(match.group(1)) in plausible:
            found = match
    if found is None:
        return text.strip(), None
    rest = (text[: found.start()] + " " + text[found.end():]).strip()
    return " ".join(rest.split()).strip(" -_.–—"), int(found.group(1))


def strip_tags(text: str) -> str:
    """Drop ``[FLAC]``, ``{tags}``, ``【WEB】`` and format-only parentheses."""
    text = _FORMAT_PAREN.sub("", _TAG.sub("", text))
    return " ".join(text.split()).strip(" -_.–—")


def year_first(text: str) -> tuple[str, int | None]:
    """``1971 - Blue`` / ``(1971) Blue`` / ``[1971] Blue`` -> ("Blue", 1971)."""
    match = _YEAR_FIRST.match(text)
    if match and match.group(2).strip(" -–—."):
        return match.group(2).strip(), int(match.group(1))
    return text, None


def dash_parts(text: str) -> list[str]:
    """Split on a spaced dash (hyphen, en or em dash); unspaced hyphens stay."""
    return [part.strip() for part in _DASH.split(text) if part.strip()]


def title_case(text: str) -> str:
    """A scene name's all-lowercase words capitalised; any other casing is kept."""
    if text != text.lower():
        return text
    return " ".join(word[:1].upper() + word[1:] for word in text.split(" "))
