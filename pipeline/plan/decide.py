"""What one probed file is and where it goes: the plan's per-record rule.

``decide(record, settings, inputs)`` is pure: from a probe record (and what
the plan learnt in its first pass: movies claimed twice, enrich matches) to a
``Decision`` — a kind root and a path relative to it from ``layout``, or a
skip with its reason. Sidecars get None: they follow their owner's decision.
"""

from __future__ import annotations

import os
import re

import msgspec

from pipeline.core.paths import from_wire
from pipeline.core.records import EnrichRecord, Parse, PlanKind, ProbeRecord
from pipeline.core.settings import Settings
from pipeline.plan import layout

__all__ = ["Decision", "PlanInputs", "decide"]

_HARD_ERRORS = frozenset({"vanished", "unreadable", "permission_denied", "broken_symlink"})
_AUDIOBOOK_FOLDERS = frozenset({"audiobook", "audiobooks", "audio books", "hörbücher"})
_TRACK = re.compile(r"^\s*(?:(\d{1,2})[-.])?(\d{1,3})\s*[-._ ]\s*(.+)$")
_YEAR = re.compile(r"\s*[(\[](\d{4})[)\]]")
_TAGS = re.compile(r"\s*\[[^\]]*\]|\s*\{[^}]*\}")


class Decision(msgspec.Struct, frozen=True):
    """Where one media file goes, relative to its kind's root, or why it stays."""

    kind: PlanKind
    root: str | None = None  # movies, shows, music, books, audiobooks
    rel: str | None = None
    reason: str | None = None
    title: str | None = None
    year: int | None = None
    season: int | None = None
    episodes: list[int] = []


def _skip(kind: PlanKind, reason: str) -> Decision:
    return Decision(kind, reason=reason)


_LEVELS = {"strong": 3, "medium": 2, "low": 1, "none": 0}


class PlanInputs(msgspec.Struct, frozen=True):
    """What the plan knows beyond one record.

    ``versions`` holds the movie paths (relative, unlabelled) that several
    files claim: those files are named as versions (`` - 2160p``,
    `` - [Director's Cut]``) so Jellyfin groups them under one movie.
    ``matches`` maps a file (wire path) to its work's enrich record;
    ``accept`` is the lowest confidence applied without review.
    """

    versions: frozenset[str] = frozenset()
    matches: dict[str, EnrichRecord] = {}
    accept: str = "strong"


_NOTHING = PlanInputs()


def decide(record: ProbeRecord, settings: Settings,
           inputs: PlanInputs = _NOTHING) -> Decision | None:
    """The decision for a media file; None for sidecars, which follow their owner."""
    scan = record.scan
    if scan.error is not None:
        return _skip("other", f"not readable at scan: {scan.error.code}")
    if record.error is not None and record.error.code in _HARD_ERRORS:
        return _skip("other", f"not readable: {record.error.code}")
    if scan.cls == "video":
        return _video(record, settings, inputs)
    if scan.cls == "audio":
        return _audio(record, settings)
    if scan.cls == "book":
        return _book(record, settings)
    if scan.cls in ("subtitle", "image", "nfo"):
        return None
    return _skip("other", "not a media file")


def _identity(record: ProbeRecord, inputs: PlanInputs) -> tuple[Parse | None, EnrichRecord | None,
                                                                  str | None]:
    """The parse to name a video from, the accepted match, or why it needs review."""
    parse = record.parse
    match = inputs.matches.get(record.path)
    if parse is None or match is None or match.confidence == "none":
        return parse, None, None
    if _LEVELS[match.confidence] < _LEVELS.get(inputs.accept, 3):
        return parse, None, (f"needs review: enrich matched at {match.confidence} "
                             f"confidence (plan --accept {match.confidence} to use it)")
    changes: dict[str, object] = {"title": match.title or parse.title,
                                  "year": match.year or parse.year}
    if parse.type == "episode" and parse.absolute_episodes and match.season_episodes:
        mapped = _absolute_to_season(parse.absolute_episodes, match.season_episodes)
        if mapped is not None:
            changes["season"], changes["episodes"] = mapped
    return msgspec.structs.replace(parse, **changes), match, None


def _absolute_to_season(absolute: list[int], seasons: dict[str, list[int]]
                        ) -> tuple[int, list[int]] | None:
    """Anime numbering: episode 15 of a 12 + 12 show is S02E03 (specials don't count)."""
    offset = 0
    for season in sorted(int(s) for s in seasons if int(s) > 0):
        count = len(seasons[str(season)])
        if offset < absolute[0] <= offset + count:
            return season, [n - offset for n in absolute]
        offset += count
    return None


def _video(record: ProbeRecord, settings: Settings, inputs: PlanInputs) -> Decision:
    rc = settings.naming.replace_chars
    ids = settings.naming.provider_ids_in_folders
    versions = inputs.versions
    if record.role == "sample":
        return _skip("sample", f"sample ({record.role_reason or 'by name'})")
    parse, match, review = _identity(record, inputs)
    if review is not None:
        return _skip("episode" if parse and parse.type == "episode" else "movie", review)
    if parse is None or not parse.title:
        return _skip("other", "unidentified: no title in the name or folders")
    found = match.ids if match is not None else {}
    tmdb, imdb, tvdb = found.get("tmdb"), found.get("imdb"), found.get("tvdb")
    path = from_wire(record.path)
    ext = os.path.splitext(path)[1].lower().lstrip(".")
    name = os.path.basename(path)
    if record.role not in (None, "main"):
        if parse.type == "episode":
            base = layout.series_dir(parse.title, parse.year, replace_chars=rc,
                                     ids_in_folders=ids, tvdb_id=tvdb, tmdb_id=tmdb)
        else:
            base = layout.movie_dir(parse.title, parse.year, replace_chars=rc,
                                    ids_in_folders=ids, tmdb_id=tmdb, imdb_id=imdb)
        root = "shows" if parse.type == "episode" else "movies"
        rel = layout.extra_path(base, record.role or "extra", name, replace_chars=rc)
        return Decision("extra", root, rel, title=parse.title, year=parse.year)
    if parse.type == "episode":
        if parse.season is None or not parse.episodes:
            return _skip("episode", "episode without a season or episode number")
        key = f"S{parse.season:02d}E{parse.episodes[0]:02d}"
        episode_title = (match.episode_titles.get(key) if match is not None else None) \
            or parse.episode_title
        rel = layout.episode_path(parse.title, parse.year, parse.season, parse.episodes, ext,
                                  episode_title=episode_title, replace_chars=rc,
                                  ids_in_folders=ids, tvdb_id=tvdb, tmdb_id=tmdb)
        return Decision("episode", "shows", rel, title=parse.title, year=parse.year,
                        season=parse.season, episodes=list(parse.episodes))
    rel = layout.movie_path(parse.title, parse.year, ext, part=parse.part, replace_chars=rc,
                            ids_in_folders=ids, tmdb_id=tmdb, imdb_id=imdb)
    if rel in versions and parse.part is None:
        tech = record.technical
        label = (tech.resolution if tech is not None else None) or parse.screen_size
        if label or parse.edition:
            rel = layout.movie_path(parse.title, parse.year, ext, version=label,
                                    edition=parse.edition, replace_chars=rc, ids_in_folders=ids,
                                    tmdb_id=tmdb, imdb_id=imdb)
    return Decision("movie", "movies", rel, title=parse.title, year=parse.year)


def _folder_parts(path: str, root: str) -> list[str]:
    rel = os.path.relpath(os.path.dirname(path), root)
    return [] if rel == "." else rel.split("/")


def _clean(folder: str) -> tuple[str, int | None]:
    match = _YEAR.search(folder)
    year = int(match.group(1)) if match else None
    text = _TAGS.sub("", _YEAR.sub("", folder)).strip(" -_.")
    return text, year


def _audio(record: ProbeRecord, settings: Settings) -> Decision:
    rc = settings.naming.replace_chars
    path = from_wire(record.path)
    root = from_wire(record.scan.root)
    folders = _folder_parts(path, root)
    name = os.path.basename(path)
    stem, ext = os.path.splitext(name)
    tags = record.tags
    if ext.lower() == ".m4b" or any(f.casefold() in _AUDIOBOOK_FOLDERS for f in folders):
        author = (tags.album_artist or tags.artist) if tags else None
        title = tags.album if tags else None
        year = tags.year if tags else None
        if folders and not title:
            title, year = _clean(folders[-1])
        if len(folders) >= 2 and not author:
            author = _clean(folders[-2])[0]
        rel = layout.audiobook_path(author=author, title=title or stem, year=year, name=name,
                                    replace_chars=rc)
        return Decision("audiobook", "audiobooks", rel, title=title, year=year)
    album_artist = tags.album_artist if tags else None
    artist = tags.artist if tags else None
    album = tags.album if tags else None
    year = tags.year if tags else None
    title = tags.title if tags else None
    track = tags.track if tags else None
    disc = tags.disc if tags else None
    if not album and folders:
        album, folder_year = _clean(folders[-1])
        year = year or folder_year
    if not (album_artist or artist) and len(folders) >= 2:
        artist = _clean(folders[-2])[0]
    if not title or track is None:
        match = _TRACK.match(stem)
        if match:
            track = track if track is not None else int(match.group(2))
            title = title or match.group(3)
        title = title or stem
    rel = layout.music_path(album_artist=album_artist, artist=artist, album=album, year=year,
                            track=track, title=title, ext=ext.lower().lstrip("."), disc=disc,
                            disc_total=tags.disc_total if tags else None,
                            compilation=bool(tags and tags.compilation), replace_chars=rc)
    return Decision("music", "music", rel, title=title, year=year)


def _book(record: ProbeRecord, settings: Settings) -> Decision:
    rc = settings.naming.replace_chars
    path = from_wire(record.path)
    folders = _folder_parts(path, from_wire(record.scan.root))
    stem, ext = os.path.splitext(os.path.basename(path))
    meta = record.book
    title = meta.title if meta and meta.title else None
    author = meta.creators[0] if meta and meta.creators else None
    year = meta.year if meta else None
    folder_title, folder_year = _clean(folders[-1]) if folders else ("", None)
    if not title:
        title = _clean(stem)[0] or stem
    year = year or folder_year or _clean(stem)[1]
    if not author and folders:
        # Author/Title (Year)/file or Author/file
        author = _clean(folders[-2])[0] if len(folders) >= 2 and folder_year else folder_title
    rel = layout.book_path(author=author, title=title, year=year, ext=ext.lower().lstrip("."),
                           replace_chars=rc)
    return Decision("book", "books", rel, title=title, year=year)
