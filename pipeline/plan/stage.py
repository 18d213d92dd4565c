"""The plan stage: probe.jsonl in, plan.jsonl out — where every file should go.

Total over the scan: every scanned file gets exactly one entry, "move" to
a Jellyfin destination or "skip" with a reason; NFO files the organizer
will write are "create" entries after the file they describe. Nothing is
touched on disk: the plan is what ``organize`` will carry out.

Three streaming passes over probe.jsonl, so memory holds only the
destinations of files that sidecars point at and the set of destinations
taken (to catch two sources aimed at one place):
1. which files own sidecars (subtitles, images, lyrics), and which movies
   several files claim (they become versions: `` - 2160p``);
2. where those owners go;
3. every entry, in manifest order, with conflicts resolved by policy.
Names come from ``naming`` (pure rules); identity from the probe's parse,
tags and book metadata (enrich results will take precedence once they exist).
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Literal

import msgspec

from pipeline.core.errors import JforgError
from pipeline.core.manifest import ManifestWriter, file_sha256, read_manifest
from pipeline.core.paths import from_wire, to_wire
from pipeline.core.records import (
    ENRICH_SCHEMA,
    PLAN_SCHEMA,
    PROBE_SCHEMA,
    EnrichRecord,
    Parse,
    PlanEntry,
    PlanKind,
    ProbeRecord,
)
from pipeline.core.settings import Settings
from pipeline.plan import names as naming

__all__ = ["MANIFEST", "PlanInputs", "PlanStats", "decide", "run"]

MANIFEST = "plan.jsonl"
_HARD_ERRORS = frozenset({"vanished", "unreadable", "permission_denied", "broken_symlink"})
_AUDIOBOOK_FOLDERS = frozenset({"audiobook", "audiobooks", "audio books", "hörbücher"})
_TRACK = re.compile(r"^\s*(?:(\d{1,2})[-.])?(\d{1,3})\s*[-._ ]\s*(.+)$")
_YEAR = re.compile(r"\s*[(\[](\d{4})[)\]]")
_TAGS = re.compile(r"\s*\[[^\]]*\]|\s*\{[^}]*\}")


class PlanStats(msgspec.Struct):
    moves: int = 0
    skips: int = 0
    creates: int = 0
    conflicts: int = 0
    in_place: int = 0
    skip_reasons: dict[str, int] = msgspec.field(default_factory=dict)
    elapsed: float = 0.0


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
            base = naming.series_dir(parse.title, parse.year, replace_chars=rc,
                                     ids_in_folders=ids, tvdb_id=tvdb, tmdb_id=tmdb)
        else:
            base = naming.movie_dir(parse.title, parse.year, replace_chars=rc,
                                    ids_in_folders=ids, tmdb_id=tmdb, imdb_id=imdb)
        root = "shows" if parse.type == "episode" else "movies"
        rel = naming.extra_path(base, record.role or "extra", name, replace_chars=rc)
        return Decision("extra", root, rel, title=parse.title, year=parse.year)
    if parse.type == "episode":
        if parse.season is None or not parse.episodes:
            return _skip("episode", "episode without a season or episode number")
        key = f"S{parse.season:02d}E{parse.episodes[0]:02d}"
        episode_title = (match.episode_titles.get(key) if match is not None else None) \
            or parse.episode_title
        rel = naming.episode_path(parse.title, parse.year, parse.season, parse.episodes, ext,
                                  episode_title=episode_title, replace_chars=rc,
                                  ids_in_folders=ids, tvdb_id=tvdb, tmdb_id=tmdb)
        return Decision("episode", "shows", rel, title=parse.title, year=parse.year,
                        season=parse.season, episodes=list(parse.episodes))
    rel = naming.movie_path(parse.title, parse.year, ext, part=parse.part, replace_chars=rc,
                            ids_in_folders=ids, tmdb_id=tmdb, imdb_id=imdb)
    if rel in versions and parse.part is None:
        tech = record.technical
        label = (tech.resolution if tech is not None else None) or parse.screen_size
        if label or parse.edition:
            rel = naming.movie_path(parse.title, parse.year, ext, version=label,
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
        rel = naming.audiobook_path(author=author, title=title or stem, year=year, name=name,
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
    rel = naming.music_path(album_artist=album_artist, artist=artist, album=album, year=year,
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
    rel = naming.book_path(author=author, title=title, year=year, ext=ext.lower().lstrip("."),
                           replace_chars=rc)
    return Decision("book", "books", rel, title=title, year=year)


# --- the stage -------------------------------------------------------------------


def _records(work: Path) -> Iterator[ProbeRecord]:
    _, records = read_manifest(work / "probe.jsonl", PROBE_SCHEMA, ProbeRecord)
    return records


class _Planner:
    """Pass 3: turns decisions into entries, resolving destination conflicts."""

    def __init__(self, dest: str, settings: Settings, policy: Literal["skip", "rename", "fail"],
                 owner_dest: dict[str, str], folder_dest: dict[str, str],
                 inputs: PlanInputs = _NOTHING) -> None:
        self.inputs = inputs
        self.dest = dest
        self.settings = settings
        self.policy = policy
        self.owner_dest = owner_dest
        self.folder_dest = folder_dest
        self.taken: dict[str, str] = {}
        self.stats = PlanStats()
        self.failures: list[str] = []

    def absolute(self, decision: Decision) -> str:
        assert decision.root is not None and decision.rel is not None
        kind_root = getattr(self.settings.naming.roots, decision.root)
        return naming.join_under(os.path.join(self.dest, kind_root), decision.rel)

    def entries(self, record: ProbeRecord) -> list[PlanEntry]:
        decision = decide(record, self.settings, self.inputs)
        if decision is None:
            return [self._sidecar(record)]
        if decision.rel is None:
            return [self._skip(record.path, decision.kind, decision.reason or "skipped")]
        target = self.absolute(decision)
        entry = self._move(record.path, decision.kind, target, decision)
        out = [entry]
        if (entry.action == "move" and decision.kind in ("movie", "episode")
                and self.settings.organize.nfo and entry.destination is not None):
            nfo = os.path.splitext(from_wire(entry.destination))[0] + ".nfo"
            if nfo not in self.taken and not os.path.lexists(nfo):
                self.taken[nfo] = ""
                self.stats.creates += 1
                out.append(PlanEntry("create", "nfo", destination=to_wire(nfo),
                                     describes=record.path))
        return out

    def _sidecar(self, record: ProbeRecord) -> PlanEntry:
        path = from_wire(record.path)
        cls = record.scan.cls
        kind: PlanKind = "lyrics" if path.lower().endswith(".lrc") else (
            "subtitle" if cls == "subtitle" else "image" if cls == "image" else "nfo")
        if kind == "nfo" and self.settings.organize.nfo:
            return self._skip(record.path, kind, "a release NFO: jforg writes its own")
        sidecar = record.sidecar
        owner = sidecar.belongs_to if sidecar is not None else None
        rc = self.settings.naming.replace_chars
        ext = os.path.splitext(path)[1].lower().lstrip(".")
        if owner is not None and owner in self.owner_dest:
            owner_target = self.owner_dest[owner]
            folder, video_file = os.path.split(owner_target)
            if kind == "subtitle":
                name = naming.sidecar_name(video_file, ext, language=sidecar.language if sidecar
                                           else None, flags=tuple(sidecar.flags if sidecar
                                                                   else ()), replace_chars=rc)
            elif kind == "image":
                name = self._image_name(os.path.splitext(video_file)[0], record, ext)
            else:
                name = naming.lyrics_name(video_file, ext, replace_chars=rc)
            return self._move(record.path, kind, os.path.join(folder, name), None)
        if owner is not None and owner in self.folder_dest:
            name = naming.safe_component(os.path.basename(path), rc)
            return self._move(record.path, kind, os.path.join(self.folder_dest[owner], name),
                              None)
        return self._skip(record.path, kind, f"orphan {kind}: no media file to follow")

    def _image_name(self, stem: str, record: ProbeRecord, ext: str) -> str:
        rc = self.settings.naming.replace_chars
        image_type = record.sidecar.image_type if record.sidecar is not None else None
        if image_type is not None:
            try:
                return naming.image_name(stem, image_type, ext, replace_chars=rc)
            except ValueError:  # a type Jellyfin has no name for: keep the file's own
                pass
        return naming.safe_component(os.path.basename(from_wire(record.path)), rc)

    def _skip(self, source: str, kind: PlanKind, reason: str) -> PlanEntry:
        self.stats.skips += 1
        key = reason.split(":", maxsplit=1)[0]
        self.stats.skip_reasons[key] = self.stats.skip_reasons.get(key, 0) + 1
        return PlanEntry("skip", kind, source=source, reason=reason)

    def _move(self, source: str, kind: PlanKind, target: str,
              decision: Decision | None) -> PlanEntry:
        source_os = from_wire(source)
        if target == source_os:
            self.stats.in_place += 1
            self.taken[target] = source_os
            return self._skip(source, kind, "already in place")
        clash = self.taken.get(target)
        exists = clash is None and os.path.lexists(target)
        if clash is not None or exists:
            self.stats.conflicts += 1
            why = (f"conflict: {os.path.basename(clash) or 'a created file'} goes there too"
                   if clash is not None else "conflict: the destination exists")
            if self.policy == "fail":
                self.failures.append(f"{target}: {why}")
                return self._skip(source, kind, why)
            if self.policy == "skip":
                return self._skip(source, kind, why)
            target = self._free_name(target)
        self.taken[target] = source_os
        self.stats.moves += 1
        if decision is None:
            return PlanEntry("move", kind, source=source, destination=to_wire(target))
        return PlanEntry("move", kind, source=source, destination=to_wire(target),
                         title=decision.title, year=decision.year, season=decision.season,
                         episodes=decision.episodes)

    def _free_name(self, target: str) -> str:
        stem, ext = os.path.splitext(target)
        for n in range(2, 10_000):
            candidate = f"{stem} ({n}){ext}"
            if candidate not in self.taken and not os.path.lexists(candidate):
                return candidate
        raise JforgError(f"{target}: no free name for a conflicting file")


def _matches(work: Path) -> dict[str, EnrichRecord]:
    """Each enriched file's work record, if enrich.jsonl belongs to this probe."""
    path = work / "enrich.jsonl"
    if not path.exists():
        return {}
    header, records = read_manifest(path, ENRICH_SCHEMA, EnrichRecord)
    if header.inputs.get("probe.jsonl") != file_sha256(work / "probe.jsonl"):
        return {}  # made from another probe: its files may have changed since
    found: dict[str, EnrichRecord] = {}
    for record in records:
        if record.confidence == "none":
            continue  # nothing to apply: the plan names from the parse anyway
        for path_of in record.work.files:
            found[path_of] = record
    return found


def run(work: Path, dest: str, settings: Settings, *,
        conflict: Literal["skip", "rename", "fail"] | None = None,
        accept: str | None = None) -> tuple[Path, PlanStats]:
    """Plan every file of ``work/probe.jsonl`` under ``dest`` into ``work/plan.jsonl``."""
    start = time.monotonic()
    dest = os.path.abspath(dest)
    policy = conflict or settings.organize.conflict
    base = PlanInputs(matches=_matches(work),
                      accept=accept or settings.enrich.confidence.accept)
    # Pass 1: which files and folders own sidecars; which movies come in versions.
    owners: set[str] = set()
    movies: dict[str, int] = {}
    for record in _records(work):
        if record.sidecar is not None and record.sidecar.belongs_to is not None:
            owners.add(record.sidecar.belongs_to)
        if record.scan.cls == "video" and record.role in (None, "main"):
            decision = decide(record, settings, base)
            if decision is not None and decision.kind == "movie" and decision.rel:
                movies[decision.rel] = movies.get(decision.rel, 0) + 1
    inputs = msgspec.structs.replace(
        base, versions=frozenset(rel for rel, count in movies.items() if count > 1))
    del movies
    # Pass 2: where those owners go.
    planner = _Planner(dest, settings, policy, {}, {}, inputs)
    for record in _records(work):
        if record.path not in owners and to_wire(os.path.dirname(from_wire(record.path))) \
                not in owners:
            continue
        decision = decide(record, settings, inputs)
        if decision is None or decision.rel is None or decision.kind == "extra":
            continue
        target = planner.absolute(decision)
        if record.path in owners:
            planner.owner_dest[record.path] = target
        folder = to_wire(os.path.dirname(from_wire(record.path)))
        if folder in owners:
            planner.folder_dest.setdefault(folder, os.path.dirname(target))
    # Pass 3: every entry, in manifest order.
    out = work / MANIFEST
    hashes = {"probe.jsonl": file_sha256(work / "probe.jsonl")}
    with ManifestWriter[PlanEntry](out, PLAN_SCHEMA, hashes) as writer:
        for record in _records(work):
            writer.write_all(planner.entries(record))
        if planner.failures:
            shown = "; ".join(planner.failures[:3])
            raise JforgError(f"{len(planner.failures)} destination conflicts and conflict "
                             f"policy 'fail': {shown}")
    planner.stats.elapsed = time.monotonic() - start
    return out, planner.stats
