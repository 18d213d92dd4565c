"""Name heuristics for ``parse``: what a folder is, what a title is not, how a title is tidied.

Pure string functions and tables, no guessit and no I/O. ``parse`` uses
them to decide, without a second guessit call, whether a file name already
says what the video is or whether its folders must be read too; most names
pass through here with a few regex tests.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Final

__all__ = [
    "clean_folder",
    "clean_title",
    "is_generic_folder",
    "looks_obfuscated",
    "part_of",
    "readable",
    "season_of_folder",
    "words",
]

# Folders that organise a share but name no work: they must never become a
# title. Casefolded; "Movies (2)" style bucket numbers are stripped first.
_GENERIC_FOLDERS: Final = frozenset(", ".join((
    "downloads, download, downloaded, unsorted, sorted, incoming, complete, completed, done",
    "finished, incomplete, new, temp, tmp, torrents, torrent, usenet, nzb, sabnzbd",
    "transmission, qbittorrent, deluge, rtorrent, films, film, movies, kids movies",
    "movies (unsorted), tv, tv shows, tvshows, shows, series, serier, serien, séries",
    "videos, video, vids, media, multimedia, mnt, home, srv, data, volume1, volume2, share",
    "shares, public, storage, nas, library, libraries, pool, tank, disk, usb, external",
    "backup, plex, jellyfin, emby, kodi, anime, cartoons, documentaries, documentary, docs",
    "concerts, 4k, uhd, hd, sd, 1080p, 2160p, 720p, action, adventure, animation, comedy",
    "crime, drama, family, fantasy, horror, romance, sci-fi, scifi, science fiction",
    "thriller, western, war, musicals, foreign, classics, misc, other, others, various",
    "to sort, to watch, watched, archive, old",
    # Folders inside a work: what they hold is named by the folder above.
    "sample, samples, proof, subs, subtitles, extras, featurettes, trailers, behind the scenes",
    "deleted scenes, interviews, scenes, shorts",
)).split(", "))
_BUCKET_SUFFIX: Final = re.compile(r"\s*\(\d+\)$")
# "Star Wars Collection": a shelf of works, not one.
_COLLECTION: Final = re.compile(
    r"\b(?:collection|trilogy|quadrilogy|saga|box ?set|anthology|filmography)\b", re.IGNORECASE)
# A-Z, "#", "0-9", "A-F" index folders.
_INDEX_FOLDER: Final = re.compile(r"^(?:\W|\w|0-9|\w\s*-\s*\w)$")

# Season folders in the languages users name them in; "S3"; "Specials" is 0.
_SEASON_WORDS: Final = (
    "season|series|staffel|saison|temporada|stagione|seizoen|sezon|sezona|sezóna|sæson|"
    "säsong|sesong|kausi|évad|сезон|sezonul"
)
_SEASON_FOLDER: Final = re.compile(
    rf"^(?:(?:{_SEASON_WORDS})[\s._-]*|s)(\d{{1,3}})(?:\s*[-–(\[].*)?$", re.IGNORECASE)
_SPECIALS_FOLDER: Final = re.compile(r"^(?:specials?|speciale?s?|especiales?)$", re.IGNORECASE)

# File names that say nothing about the work (guessit takes them as titles).
_GENERIC_TITLES: Final = frozenset((
    "movie", "video", "film", "sample", "main", "feature", "title", "untitled", "output", "file",
    "vid", "clip", "default", "index", "full", "complete", "final", "rip"))
_HEX: Final = re.compile(r"[0-9a-f]{8,}", re.IGNORECASE)

# A clean series or movie folder: "Doctor Who (2005)", "Dark [tvdbid-1234]",
# "E.T. the Extra-Terrestrial (1982)"; no underscores, long numbers, "S02" or
# dots between words (dots only as a spaced title's punctuation) that would
# hint at a release name.
_CLEAN_FOLDER: Final = re.compile(
    r"^(?P<title>[^\[\](){}_]+?)\s*(?:\((?P<year>(?:19|20)\d{2})\))?\s*(?:\[[^\]]*\]\s*)*$")
_RELEASE_HINT: Final = re.compile(r"\d{3,}|\b[Ss]\d{1,2}(?:[Ee]\d+)?\b")

_DISC: Final = re.compile(r"^(?:disc|disk|cd|dvd|part|pt)[\s._-]*(\d{1,2})$", re.IGNORECASE)
_TRAILING_ARTICLE: Final = re.compile(
    r"^(?P<rest>.+?),\s*(?P<article>the|a|an|der|die|das|le|la|les|el|los|las|il|lo|de|het)$",
    re.IGNORECASE)
_ACRONYM: Final = re.compile(r"^(?:\w\.)+\w?\.?$")
_WORD: Final = re.compile(r"[^\W_]+")
_SURROGATE: Final = re.compile("[\udc80-\udcff]+")


def words(text: str) -> list[str]:
    """Casefolded words of a name, separators and punctuation dropped."""
    return _WORD.findall(text.casefold())


def is_generic_folder(name: str) -> bool:
    """True for folders that organise a share (Downloads, Movies, A, Sci-Fi) but name no work."""
    key = _BUCKET_SUFFIX.sub("", name.strip()).casefold()
    return (key in _GENERIC_FOLDERS or not key or bool(_INDEX_FOLDER.match(key))
            or bool(_COLLECTION.search(key)))


def season_of_folder(name: str) -> int | None:
    """The season a folder stands for ("Season 2", "Staffel 02", "S3", "Specials" -> 0)."""
    match = _SEASON_FOLDER.match(name.strip())
    if match:
        return int(match.group(1))
    return 0 if _SPECIALS_FOLDER.match(name.strip()) else None


def looks_obfuscated(title: str) -> bool:
    """True for titles no person wrote: hashes, random tokens, "movie", undecodable bytes.

    Only consulted when a folder could say better, so a rare real title
    caught here ("Area51") still gets its identity, from the folder.
    """
    compact = title.strip()
    if compact.casefold() in _GENERIC_TITLES or "\ufffd" in compact:  # undecodable bytes
        return True
    if " " in compact:
        return False
    digits = sum(c.isdigit() for c in compact)
    if digits and _HEX.fullmatch(compact):
        return True
    letters = sum(c.isalpha() for c in compact)
    # Random alnum tokens (RZ4kQxP2, abc123xyz) mix letters and digits;
    # real one-word titles with digits (Se7en, M3GAN) carry one digit.
    return len(compact) >= 6 and digits >= 2 and letters >= 2


def clean_folder(name: str) -> tuple[str, int | None] | None:
    """(title, year) of a plainly named folder, or None when it needs guessit."""
    match = _CLEAN_FOLDER.match(name.strip())
    if not match or _RELEASE_HINT.search(match.group("title")):
        return None
    if "." in match.group("title") and " " not in match.group("title"):
        return None  # "Some.Title": a release name, for guessit
    title = clean_title(match.group("title"))
    if title is None:
        return None
    year = match.group("year")
    return title, int(year) if year else None


def part_of(text: str) -> int | None:
    """The part number of "Disc 1", "CD2", "Part 3" (guessit leaves "Disc N" as a title)."""
    match = _DISC.match(text.strip())
    return int(match.group(1)) if match else None


def clean_title(text: str) -> str | None:
    """A title as people write it: NFC, no separators left, "Matrix, The" -> "The Matrix"."""
    text = unicodedata.normalize("NFC", text).replace("_", " ")
    # A title still dotted is a leftover separator ("Some.Title"), unless it
    # is an acronym ("S.W.A.T."); titles with spaces keep their dots ("Mr. Robot").
    if "." in text and " " not in text.strip() and not _ACRONYM.match(text.strip()):
        text = text.replace(".", " ")
    text = " ".join(text.split()).strip(" -")
    match = _TRAILING_ARTICLE.match(text)
    if match:
        text = f"{match.group('article')} {match.group('rest')}"
    return text or None


def readable(text: str) -> str:
    """Text guessit can read and JSON can hold: undecodable bytes as cp1252, then NFC.

    Names that are not UTF-8 (os-form lone surrogates) are nearly always
    Windows-1252/Latin-1 ("caf\\xe9"); decoding each such byte that way gives
    "café" instead of a title msgspec cannot encode. NFD names (macOS) are
    composed so guessit sees whole words.
    """
    if text.isascii():
        return text
    if _SURROGATE.search(text):
        text = _SURROGATE.sub(
            lambda m: bytes(ord(c) - 0xDC00 for c in m.group()).decode("cp1252", "replace"), text)
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return text
