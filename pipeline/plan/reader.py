"""The Jellyfin reader: what Jellyfin would make of a path below one of its libraries.

``read(rel, kind)`` is the inverse of jforg's naming rules (``layout``):
given a path relative to its kind's root (``Movies``, ``Shows``, ``Music``,
``Books``, ``Audiobooks``) it returns the ``Identity`` Jellyfin would read
from the names alone — the movie folder's title, year and provider ids and
whether the file is a version, part or extra of it; the series, season and
episodes; the album, disc and track; the book or audiobook. It follows
Jellyfin's own resolvers (Emby.Naming), as its naming tests pin them down;
the name rules live in ``read_movies``, ``read_episodes`` and
``read_music_books``. Pure: no disk, no settings, no guessit.

``mismatch`` compares what a plan entry was named from with what is read
back, and says in a few words what Jellyfin would get wrong.

Deliberate limits (see tests/data/jellyfin-naming*.tsv for the cases):

- One path at a time. Jellyfin groups versions and parts by looking at a
  folder's other files; the reader says whether *this* file would group
  with its folder's movie (``grouped``) and reads the movie from the folder,
  as Jellyfin does for a folder holding one movie.
- Music identity comes from tags in Jellyfin; the reader reads the folder
  convention Jellyfin groups albums by (``Artist/Album (Year)/[Disc N/]NN -
  Title``) and flags an album folder Jellyfin would take for a disc.
- A provider id in the folder name (``[tmdbid-603]``) makes Jellyfin look
  the item up by id, so a title or year misread beside it is harmless:
  ``mismatch`` then checks the kind and numbers only.
"""

from __future__ import annotations

import os
from functools import lru_cache
from typing import Final, Literal

import msgspec

from pipeline.core.titles import fold
from pipeline.plan.read_episodes import read_episode_path, season_of_folder, series_name
from pipeline.plan.read_movies import (
    extra_of_file,
    extra_of_folder,
    parse_name,
    part_label,
    part_of,
    provider_ids,
    version_of,
)
from pipeline.plan.read_music_books import (
    audiobook_name,
    book_name,
    disc_of_folder,
    is_part_folder,
    strip_year,
    track_name,
)

__all__ = ["KINDS", "Identity", "Kind", "mismatch", "read", "same_title"]

Kind = Literal["movies", "shows", "music", "books", "audiobooks"]
KINDS: Final = ("movies", "shows", "music", "books", "audiobooks")
ReadKind = Literal["movie", "episode", "extra", "music", "book", "audiobook", "other"]

# A disc structure and the companions that sit beside it on the disc: Jellyfin
# takes the folder holding them as the movie and ignores what is inside.
_DISC_ROOTS: Final = frozenset({"bdmv", "video_ts", "hvdvd_ts", "audio_ts", "certificate"})


class Identity(msgspec.Struct, frozen=True):
    """What Jellyfin reads from one path (fields that do not apply stay None / empty).

    ``title`` is the movie's or series' lookup name, a track's or book's title;
    ``episodes`` is ``[first]`` or ``[first, last]``; ``extra`` the extra type
    (trailer, featurette …) of an extra, whose title/year are its owner's;
    ``problem`` says what Jellyfin would take wrongly beyond these fields.
    """

    kind: ReadKind
    title: str | None = None
    year: int | None = None
    season: int | None = None
    episodes: list[int] = []
    date: str | None = None
    version: str | None = None
    part: int | None = None
    grouped: bool = False
    extra: str | None = None
    artist: str | None = None
    album: str | None = None
    disc: int | None = None
    track: int | None = None
    author: str | None = None
    ids: dict[str, str] = {}
    problem: str | None = None


def read(rel: str, kind: Kind) -> Identity:
    """The identity Jellyfin reads from ``rel`` ("/"-separated, below the ``kind`` root)."""
    parts = [p for p in rel.split("/") if p]
    if not parts:
        return Identity("other", problem="an empty path")
    if kind == "movies":
        return _movie(parts)
    if kind == "shows":
        return _episode(parts)
    if kind == "music":
        return _music(parts)
    if kind == "books":
        return _book(parts)
    return _audiobook(parts)


@lru_cache(maxsize=4096)
def _folder(name: str) -> tuple[str, int | None, tuple[tuple[str, str], ...]]:
    """A movie or series folder's lookup name, year and provider ids (folders repeat)."""
    found = parse_name(name)
    return found.name, found.year, tuple(sorted(provider_ids(name).items()))


def _owner(parts: list[str], index: int, extra: str) -> Identity:
    """An extra whose owner is the movie folder ``parts[index]`` (index -1: none)."""
    if index < 0:
        return Identity("extra", extra=extra)
    title, year, ids = _folder(parts[index])
    return Identity("extra", title=title, year=year, extra=extra, ids=dict(ids))


def _movie(parts: list[str]) -> Identity:
    folders, name = parts[:-1], parts[-1]
    for i, folder in enumerate(folders):
        if folder.casefold() in _DISC_ROOTS:
            return _disc_rip(folders[:i])
    for i, folder in enumerate(folders):
        extra = extra_of_folder(folder)
        if extra is not None:
            return _owner(parts, i - 1, extra)
    stem = os.path.splitext(name)[0]
    extra = extra_of_file(stem)
    if extra is not None:
        if folders:
            return _owner(parts, len(folders) - 1, extra)
        found = parse_name(stem)
        return Identity("extra", title=found.name, year=found.year, extra=extra)
    part = part_of(stem)
    if not folders:
        found = parse_name(part.name if part is not None else stem)
        return Identity("movie", title=found.name, year=found.year,
                        part=part.number if part is not None else None,
                        ids=provider_ids(stem))
    folder = folders[-1]
    title, year, ids = _folder(folder)
    version = version_of(stem, folder)
    number = None
    if version and (only := part_label(version)) is not None:
        number, version = only, ""  # "Title (Year)-part2": a part of the folder's movie
    elif version is not None and part is not None:
        number = part.number  # "Title (Year) - 2160p part1": a stacked version
    return Identity("movie", title=title, year=year, ids=dict(ids), version=version or None,
                    part=number, grouped=version is not None)


def _disc_rip(above: list[str]) -> Identity:
    """A BDMV / VIDEO_TS structure is its movie folder's; ``Disc 2`` (or ``Title (Year)
    Disc 2``) between them is one disc of a set, so the movie is the folder above."""
    if above and disc_of_folder(above[-1]) is not None:
        above = above[:-1]
    if not above:
        return Identity("movie", problem="a disc structure with no movie folder above it")
    name = above[-1]
    part = part_of(name)
    title, year, ids = _folder(part.name if part is not None else name)
    return Identity("movie", title=title, year=year, ids=dict(ids), grouped=True,
                    part=part.number if part is not None else None)


def _episode(parts: list[str]) -> Identity:
    if len(parts) < 2:
        return Identity("other", problem="a file directly in the shows root belongs to no series")
    series = parts[0]
    for folder in parts[1:-1]:
        # Jellyfin takes an extras folder's contents as extras before it looks for
        # seasons, so "extras" is not the specials season here.
        extra = extra_of_folder(folder)
        if extra is not None:
            return _series_extra(series, extra)
    stem = os.path.splitext(parts[-1])[0]
    extra = extra_of_file(stem)
    if extra is not None:
        return _series_extra(series, extra)
    title, year, ids = _series(series)
    folder_season = season_of_folder(parts[1]) if len(parts) > 2 else None
    reading = read_episode_path("/".join(parts))
    if reading is None:
        return Identity("episode", title=title, year=year, season=folder_season, ids=dict(ids),
                        problem="no episode number in the name")
    season = reading.season if reading.season is not None else folder_season
    episodes: list[int] = []
    if reading.episode is not None:
        episodes = [reading.episode]
        if reading.ending is not None and reading.ending != reading.episode:
            episodes.append(reading.ending)
    return Identity("episode", title=title, year=year, season=season, episodes=episodes,
                    date=reading.date, ids=dict(ids))


@lru_cache(maxsize=4096)
def _series(folder: str) -> tuple[str, int | None, tuple[tuple[str, str], ...]]:
    found = parse_name(series_name(folder))
    year = found.year if found.year is not None else parse_name(folder).year
    return found.name, year, tuple(sorted(provider_ids(folder).items()))


def _series_extra(series: str, extra: str) -> Identity:
    title, year, ids = _series(series)
    return Identity("extra", title=title, year=year, extra=extra, ids=dict(ids))


def _music(parts: list[str]) -> Identity:
    folders = parts[:-1]
    track = track_name(os.path.splitext(parts[-1])[0])
    disc = problem = None
    if folders and (number := disc_of_folder(folders[-1])) is not None:
        disc = number
        if len(folders) < 3:
            # Jellyfin takes a disc folder's parent for the album: here, the artist.
            above = f" of {folders[-2]!r}" if len(folders) == 2 else ""
            problem = f"the album folder {folders[-1]!r} reads as a disc{above}"
        folders = folders[:-1]
    album, year = strip_year(folders[-1]) if folders else (None, None)
    artist = folders[-2] if len(folders) >= 2 else None
    return Identity("music", title=track.title, year=year, artist=artist, album=album,
                    disc=disc, track=track.track, problem=problem)


def _book(parts: list[str]) -> Identity:
    stem = os.path.splitext(parts[-1])[0]
    source = parts[-2] if len(parts) >= 3 else stem
    found = book_name(source)
    author = parts[-3] if len(parts) >= 3 else parts[-2] if len(parts) == 2 else None
    title = found.name if found.name is not None else found.series
    problem = None
    if found.name is None or found.series is not None or found.number is not None:
        problem = (f"{source!r} reads as number {found.number} of the series "
                   f"{found.series!r}" if found.series else f"{source!r} reads as book "
                   f"number {found.number}")
    return Identity("book", title=title, year=found.year, author=author, problem=problem)


def _audiobook(parts: list[str]) -> Identity:
    folders = parts[:-1]
    if len(folders) <= 1:  # a single-file audiobook: Author/Title.m4b
        title, year = audiobook_name(os.path.splitext(parts[-1])[0])
        return Identity("audiobook", title=title, year=year,
                        author=folders[0] if folders else None)
    # Disc and part levels below the book ("CD 01", "Part 2") are not the book.
    while len(folders) > 2 and (disc_of_folder(folders[-1]) is not None
                                or is_part_folder(folders[-1])):
        folders = folders[:-1]
    title, year = audiobook_name(folders[-1])
    return Identity("audiobook", title=title, year=year, author=folders[-2])


# What names.defuse writes for what Jellyfin would read as an episode: the same title.
_UNDEFUSE: Final = str.maketrans({"\u00d7": "x", "\u00b7": "", "\u2013": "-"})


@lru_cache(maxsize=8192)  # titles repeat: every episode of a series, every version
def _title_keys(text: str) -> tuple[str, str]:
    text = text.translate(_UNDEFUSE)
    spaced = "".join(c if c.isalnum() else " " for c in fold(text.replace("-", " ")
                                                                 .replace(".", " ")
                                                                 .replace("_", " ")))
    return fold(text), " ".join(spaced.split())


def same_title(planned: str, read_back: str | None) -> bool:
    """Titles equal when folded (case, composition, punctuation), read either with
    punctuation dropped or as a space (Jellyfin shows dotted names with spaces), and
    with jforg's defused marks (multiplication sign, middle dot, en dash: see
    ``names.defuse``) read as the characters they stand for."""
    if read_back is None:
        return False
    if planned == read_back:
        return True
    mine, theirs = _title_keys(planned), _title_keys(read_back)
    return mine[0] == theirs[0] or mine[1] == theirs[1]


_READ_KIND: Final = {"movie": "movie", "episode": "episode", "extra": "extra", "music": "music",
                     "book": "book", "audiobook": "audiobook"}


def mismatch(kind: str, title: str | None, year: int | None, season: int | None,
             episodes: list[int], found: Identity) -> str | None:
    """What Jellyfin would read differently from the identity a file was named from
    (a few words), or None when it reads it back."""
    expected = _READ_KIND.get(kind)
    if expected is None:
        return None
    if found.kind != expected:
        what = f"{found.extra} extra" if found.kind == "extra" else found.kind
        return f"read as {_a(what)}, not {_a(kind)}"
    if found.problem is not None:
        return found.problem
    by_id = bool(found.ids) and kind in ("movie", "episode", "extra")
    if not by_id:
        if title and not same_title(title, found.title) and not _numbered_title(
                kind, title, found):
            return f"title read as {found.title!r}"
        if year is not None and found.year != year:
            return f"year read as {found.year}" if found.year else "year not read"
        if year is None and found.year is not None and kind in ("movie", "episode"):
            return f"year read as {found.year}"
    if kind == "episode":
        if found.season != season:
            return f"season read as {found.season}" if found.season is not None \
                else "no season read"
        wanted = (min(episodes), max(episodes)) if episodes else None
        got = (found.episodes[0], found.episodes[-1]) if found.episodes else None
        if wanted != got:
            return f"episodes read as {_episodes(found.episodes)}"
    return None


def _numbered_title(kind: str, title: str, found: Identity) -> bool:
    """A track title that starts with a number (``99 Luftballons``, ``7 Seconds``) and
    was written without a track number: the whole name is the title. Jellyfin takes
    a track's title from its tags, the file name only when there are none."""
    return kind == "music" and found.track is not None and \
        same_title(title, f"{found.track} {found.title}")


def _a(word: str) -> str:
    return f"{'an' if word[0] in 'aeiou' else 'a'} {word}"


def _episodes(numbers: list[int]) -> str:
    if not numbers:
        return "none"
    return "-".join(f"E{n:02d}" for n in numbers)
