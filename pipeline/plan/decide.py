"""What one probed file is and where it goes: the plan's per-record rule.

``decide(record, settings, inputs)`` is pure: from a probe record (and what
the plan learnt in its first pass: movies claimed twice, enrich matches, one
identity per disc rip, the artist of each scene music release) to a
``Decision`` — a kind root and a path relative to it from ``layout``, or a
skip with its reason. Sidecars get None: they follow their owner's decision.
Music, books and audiobooks are read by ``music`` and ``books`` (tags and
metadata first, then folders and names); every file of a disc rip by
``discs`` (one unit below the movie's folder, one identity for all).
"""

from __future__ import annotations

import os
import re

import msgspec

from pipeline.core.paths import from_wire
from pipeline.core.records import EnrichRecord, Parse, PlanKind, ProbeRecord
from pipeline.core.settings import Settings
from pipeline.plan import layout, shelves
from pipeline.plan.books import read_audiobook, read_book
from pipeline.plan.discs import DiscCollector, DiscMovie, disc_place, folder_movie
from pipeline.plan.folders import AUDIOBOOK_WORDS, BOOK_WORDS, fold
from pipeline.plan.music import read_track, scene_release

__all__ = ["Decision", "FirstPass", "Owner", "PlanInputs", "accepted", "decide"]

_HARD_ERRORS = frozenset({"vanished", "unreadable", "permission_denied", "broken_symlink"})
_AUDIOBOOK_EXTS = frozenset({".m4b", ".aax", ".aa"})
_SCENE_HINT = re.compile(r"-(?:19|20)\d\d-[^/ ]+/")


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
    nfo: str | None = None  # the NFO's place (relative) when not beside the file: disc rips
    ids: dict[str, str] = {}  # provider ids of the enrich match the name was made from


def _skip(kind: PlanKind, reason: str) -> Decision:
    return Decision(kind, reason=reason)


_LEVELS = {"strong": 3, "medium": 2, "low": 1, "none": 0}


class PlanInputs(msgspec.Struct, frozen=True):
    """What the plan knows beyond one record.

    ``versions`` holds the movie paths (relative, unlabelled) that several
    files claim: those files are named as versions (`` - 2160p``,
    `` - [Director's Cut]``) so Jellyfin groups them under one movie.
    ``matches`` maps a file (wire path) to its work's enrich record;
    ``accept`` is the lowest confidence applied without review;
    ``discs`` maps each disc rip's holding folder (wire path) to its identity;
    ``scene_artists`` each scene music release folder to its artist's field count;
    ``owners`` each folder holding a main video to that video's identity, so an
    extra beside it (``-trailer``) or in an extras folder below it
    (``trailers/``) goes with it rather than under a title of its own.
    """

    versions: frozenset[str] = frozenset()
    matches: dict[str, EnrichRecord] = {}
    accept: str = "strong"
    discs: dict[str, DiscMovie] = {}
    scene_artists: dict[str, int] = {}
    owners: dict[str, Owner] = {}


class Owner(msgspec.Struct, frozen=True):
    """The main video of a folder, as the plan names it (for that folder's extras)."""

    type: str  # movie or episode
    title: str
    year: int | None = None
    ids: dict[str, str] = {}


_NOTHING = PlanInputs()


def decide(record: ProbeRecord, settings: Settings,
           inputs: PlanInputs = _NOTHING) -> Decision | None:
    """The decision for a media file; None for sidecars, which follow their owner."""
    scan = record.scan
    if scan.error is not None:
        return _skip("other", f"not readable at scan: {scan.error.code}")
    if record.error is not None and record.error.code in _HARD_ERRORS:
        return _skip("other", f"not readable: {record.error.code}")
    place = disc_place(record.path, inputs.discs)
    if place is not None:
        movie = inputs.discs.get(place.holder) or folder_movie(place.holder)
        return _disc(movie, place.inner, settings)
    if scan.cls == "image" and inputs.discs:
        holder, _, name = record.path.rpartition("/")
        owner = record.sidecar.belongs_to if record.sidecar is not None else None
        if holder in inputs.discs and owner in (None, holder):
            # poster.jpg beside VIDEO_TS/: the disc movie's artwork, kept by its name
            return _disc(inputs.discs[holder], [name], settings, "image")
    if scan.cls == "video":
        return _video(record, settings, inputs)
    if scan.cls == "audio":
        return _audio(record, settings, inputs)
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


def accepted(record: ProbeRecord, inputs: PlanInputs) -> EnrichRecord | None:
    """The enrich match of ``record``'s work when the plan applies it, else None."""
    match = inputs.matches.get(record.path)
    if match is None or match.confidence == "none" or \
            _LEVELS[match.confidence] < _LEVELS.get(inputs.accept, 3):
        return None
    return match


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
        folder = record.path.rsplit("/", 1)[0]
        owner = inputs.owners.get(folder) or inputs.owners.get(folder.rsplit("/", 1)[0])
        if owner is not None:  # the main video beside it, or above its extras folder
            kind, title, year = owner.type, owner.title, owner.year
            tmdb, imdb, tvdb = (owner.ids.get(k) for k in ("tmdb", "imdb", "tvdb"))
        else:
            kind, title, year = parse.type or "movie", parse.title, parse.year
        if kind == "episode":
            base = layout.series_dir(title, year, replace_chars=rc,
                                     ids_in_folders=ids, tvdb_id=tvdb, tmdb_id=tmdb)
        else:
            base = layout.movie_dir(title, year, replace_chars=rc,
                                    ids_in_folders=ids, tmdb_id=tmdb, imdb_id=imdb)
        root = "shows" if kind == "episode" else "movies"
        rel = layout.extra_path(base, record.role or "extra", name, replace_chars=rc)
        return Decision("extra", root, rel, title=title, year=year)
    if parse.type == "episode":
        if (parse.season is None or not parse.episodes) and parse.date:
            # Known by its air date only: Season YYYY, named by the date.
            rel = layout.dated_episode_path(parse.title, parse.year, parse.date, ext,
                                            episode_title=parse.episode_title,
                                            replace_chars=rc, ids_in_folders=ids,
                                            tvdb_id=tvdb, tmdb_id=tmdb)
            return Decision("episode", "shows", rel, title=parse.title, year=parse.year,
                            season=int(parse.date[:4]), episodes=[], ids=dict(found))
        if parse.season is None or not parse.episodes:
            return _skip("episode", "episode without a season or episode number")
        key = f"S{parse.season:02d}E{parse.episodes[0]:02d}"
        episode_title = (match.episode_titles.get(key) if match is not None else None) \
            or parse.episode_title
        rel = layout.episode_path(parse.title, parse.year, parse.season, parse.episodes, ext,
                                  episode_title=episode_title, replace_chars=rc,
                                  ids_in_folders=ids, tvdb_id=tvdb, tmdb_id=tmdb)
        return Decision("episode", "shows", rel, title=parse.title, year=parse.year,
                        season=parse.season, episodes=list(parse.episodes), ids=dict(found))
    rel = layout.movie_path(parse.title, parse.year, ext, part=parse.part, replace_chars=rc,
                            ids_in_folders=ids, tmdb_id=tmdb, imdb_id=imdb)
    if rel in versions and parse.part is None:
        tech = record.technical
        label = (tech.resolution if tech is not None else None) or parse.screen_size
        if label or parse.edition:
            rel = layout.movie_path(parse.title, parse.year, ext, version=label,
                                    edition=parse.edition, replace_chars=rc, ids_in_folders=ids,
                                    tmdb_id=tmdb, imdb_id=imdb)
    return Decision("movie", "movies", rel, title=parse.title, year=parse.year, ids=dict(found))


class FirstPass:
    """What the plan learns across files before deciding any: see ``PlanInputs``.

    ``see`` every record (cheap for most), then ``inputs`` completes the
    plan's inputs with one identity per disc rip and, per scene music
    release, how many of its folder's fields name the artist.
    """

    def __init__(self, inputs: PlanInputs) -> None:
        self._inputs = inputs
        self._discs = DiscCollector(lambda record: _identity(record, inputs))
        self._scene: dict[str, int] = {}
        self._owners: dict[str, Owner] = {}

    def see(self, record: ProbeRecord) -> None:
        self._discs.see(record)
        if record.scan.cls == "video" and record.role in (None, "main") \
                and record.scan.error is None:
            parse, match, review = _identity(record, self._inputs)
            if parse is not None and parse.title and review is None:
                folder = record.path.rsplit("/", 1)[0]
                self._owners.setdefault(folder, Owner(
                    parse.type or "movie", parse.title, parse.year,
                    dict(match.ids) if match is not None else {}))
        if record.scan.cls == "audio" and record.scan.error is None:
            place = _scene_place(record)
            if place is not None and place[1] > self._scene.get(place[0], 0):
                self._scene[place[0]] = place[1]

    def inputs(self, base: PlanInputs) -> PlanInputs:
        return msgspec.structs.replace(base, discs=self._discs.found(),
                                       scene_artists=dict(self._scene),
                                       owners=dict(self._owners))


def _scene_place(record: ProbeRecord) -> tuple[str, int] | None:
    """(the scene release folder's wire path, fields this file repeats) or None."""
    if _SCENE_HINT.search(record.path) is None:
        return None  # no folder ends "-YEAR-GROUP": the cheap answer for most files
    path = from_wire(record.path)
    folders = _folder_parts(path, from_wire(record.scan.root))
    found = scene_release(folders, os.path.splitext(os.path.basename(path))[0])
    if found is None:
        return None
    depth, fields = found
    return record.path.rsplit("/", depth + 1)[0], fields


def _disc(movie: DiscMovie, inner: list[str], settings: Settings,
          kind: PlanKind = "movie") -> Decision:
    rc = settings.naming.replace_chars
    ids = settings.naming.provider_ids_in_folders
    rel = layout.disc_rip_path(movie.title, movie.year, [from_wire(p) for p in inner],
                               replace_chars=rc, ids_in_folders=ids, tmdb_id=movie.tmdb,
                               imdb_id=movie.imdb)
    if kind != "movie":
        return Decision(kind, "movies", rel, title=movie.title, year=movie.year)
    folder = rel.split("/", 1)[0]
    # Jellyfin reads a disc movie's NFO as <folder>/<folder>.nfo (MovieNfoProvider).
    return Decision("movie", "movies", rel, title=movie.title, year=movie.year,
                    nfo=f"{folder}/{folder}.nfo")


def _folder_parts(path: str, root: str) -> list[str]:
    """The folders between the library root and the file (never the root itself)."""
    prefix = root.rstrip("/") + "/"
    if not path.startswith(prefix):
        return []
    return path[len(prefix):].split("/")[:-1]


def _is_audiobook(ext: str, folders: list[str]) -> bool:
    """An .m4b, or audio under an audiobook folder (or a books container at the top)."""
    if ext in _AUDIOBOOK_EXTS:
        return True
    keys = [fold(folder) for folder in folders]
    return any(key in AUDIOBOOK_WORDS for key in keys) or bool(keys and keys[0] in BOOK_WORDS)


def _audio(record: ProbeRecord, settings: Settings, inputs: PlanInputs) -> Decision:
    rc = settings.naming.replace_chars
    path = from_wire(record.path)
    folders = _folder_parts(path, from_wire(record.scan.root))
    name = os.path.basename(path)
    stem, ext = os.path.splitext(name)
    if _is_audiobook(ext.lower(), folders):
        book = read_audiobook(folders, stem, ext, record.tags)
        rel = shelves.audiobook_path(author=book.author, title=book.title, year=book.year,
                                    name=name, levels=book.levels, replace_chars=rc)
        return Decision("audiobook", "audiobooks", rel, title=book.title, year=book.year)
    known = None
    if inputs.scene_artists and (place := _scene_place(record)) is not None:
        known = inputs.scene_artists.get(place[0])
    track = read_track(folders, stem, record.tags, known)
    rel = shelves.music_path(album_artist=track.artist, artist=None, album=track.album,
                            year=track.year, track=track.track, title=track.title,
                            ext=ext.lower().lstrip("."), disc=track.disc,
                            compilation=track.compilation, multi_disc=track.multi_disc,
                            replace_chars=rc)
    return Decision("music", "music", rel, title=track.title, year=track.year)


def _book(record: ProbeRecord, settings: Settings) -> Decision:
    rc = settings.naming.replace_chars
    path = from_wire(record.path)
    folders = _folder_parts(path, from_wire(record.scan.root))
    stem, ext = os.path.splitext(os.path.basename(path))
    book = read_book(folders, stem, record.book)
    rel = shelves.book_path(author=book.author, title=book.title, year=book.year,
                           ext=ext.lower().lstrip("."), replace_chars=rc)
    return Decision("book", "books", rel, title=book.title, year=book.year)
