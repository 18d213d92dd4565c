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
Each media file's place comes from ``decide`` (pure, per record; names from
``layout``); identity from the probe's parse, tags and book metadata, or from
enrich's match when it is accepted.

Every media destination is then read back as Jellyfin would read it
(``reader``): a name Jellyfin would take for another title, year, season or
episode, or for an extra, is not moved — the entry is a skip with reason
``would not be recognised by Jellyfin: …``, counted in ``PlanStats.unrecognised``
— and its sidecars stay where they are with it.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Literal

import msgspec

from pipeline.core.errors import JforgError
from pipeline.core.manifest import ManifestWriter, file_sha256, read_manifest
from pipeline.core.matched import matches_by_file
from pipeline.core.paths import from_wire, to_wire
from pipeline.core.records import (
    PLAN_SCHEMA,
    PROBE_SCHEMA,
    PlanEntry,
    PlanKind,
    ProbeRecord,
)
from pipeline.core.renames import free_name
from pipeline.core.settings import Settings
from pipeline.plan import layout, names
from pipeline.plan.creates import Creates
from pipeline.plan.decide import Decision, FirstPass, PlanInputs, accepted, decide
from pipeline.plan.reader import Kind, mismatch, read

__all__ = ["MANIFEST", "PlanStats", "run"]

MANIFEST = "plan.jsonl"


class PlanStats(msgspec.Struct):
    moves: int = 0
    skips: int = 0
    creates: int = 0
    conflicts: int = 0
    in_place: int = 0
    unrecognised: int = 0  # destinations Jellyfin would read as something else
    skip_reasons: dict[str, int] = msgspec.field(default_factory=dict)
    elapsed: float = 0.0


def _records(work: Path) -> Iterator[ProbeRecord]:
    _, records = read_manifest(work / "probe.jsonl", PROBE_SCHEMA, ProbeRecord)
    return records


class _Planner:
    """Pass 3: turns decisions into entries, resolving destination conflicts."""

    def __init__(self, dest: str, settings: Settings, policy: Literal["skip", "rename", "fail"],
                 owner_dest: dict[str, str], folder_dest: dict[str, str],
                 inputs: PlanInputs | None = None) -> None:
        self.inputs = inputs if inputs is not None else PlanInputs()
        self.dest = dest
        self.settings = settings
        self.policy = policy
        self.owner_dest = owner_dest
        self.folder_dest = folder_dest
        self.taken: dict[str, str] = {}
        self.stats = PlanStats()
        self.failures: list[str] = []
        self.creates = Creates(settings)

    def kind_root(self, decision: Decision) -> str:
        assert decision.root is not None
        return os.path.join(self.dest, getattr(self.settings.naming.roots, decision.root))

    def absolute(self, decision: Decision) -> str:
        assert decision.rel is not None
        return names.join_under(self.kind_root(decision), decision.rel)

    def misread(self, decision: Decision, target: str | None = None) -> str | None:
        """Why Jellyfin would not read ``target`` (default: the decided place) back as
        the identity it was named from; None when it would."""
        assert decision.root is not None and decision.rel is not None
        rel = decision.rel if target is None else os.path.relpath(target,
                                                                   self.kind_root(decision))
        kind: Kind = decision.root  # type: ignore[assignment]
        return mismatch(decision.kind, decision.title, decision.year, decision.season,
                        decision.episodes, read(rel, kind))

    def entries(self, record: ProbeRecord) -> list[PlanEntry]:
        decision = decide(record, self.settings, self.inputs)
        if decision is None:
            return [self._sidecar(record)]
        if decision.rel is None:
            return [self._skip(record.path, decision.kind, decision.reason or "skipped")]
        target = self.absolute(decision)
        entry = self._move(record.path, decision.kind, target, decision)
        if entry.action != "move":
            return [entry]
        match = accepted(record, self.inputs)
        if match is not None and not entry.ids:
            entry = msgspec.structs.replace(entry, ids=dict(match.ids))
        nfo = names.join_under(os.path.join(self.dest, self.settings.naming.roots.movies),
                               decision.nfo) if decision.nfo is not None else None
        created = self.creates.after(decision, entry, match, nfo)
        for extra in created:
            assert extra.destination is not None
            self.taken[from_wire(extra.destination)] = ""
        self.stats.creates += len(created)
        return [entry, *created]

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
                name = layout.sidecar_name(video_file, ext, language=sidecar.language if sidecar
                                           else None, flags=tuple(sidecar.flags if sidecar
                                                                   else ()), replace_chars=rc)
            elif kind == "image":
                name = self._image_name(os.path.splitext(video_file)[0], record, ext)
            else:
                name = layout.lyrics_name(video_file, ext, replace_chars=rc)
            return self._move(record.path, kind, os.path.join(folder, name), None)
        if owner is not None and owner in self.folder_dest:
            name = names.safe_component(os.path.basename(path), rc)
            return self._move(record.path, kind, os.path.join(self.folder_dest[owner], name),
                              None)
        return self._skip(record.path, kind, f"orphan {kind}: no media file to follow")

    def _image_name(self, stem: str, record: ProbeRecord, ext: str) -> str:
        rc = self.settings.naming.replace_chars
        image_type = record.sidecar.image_type if record.sidecar is not None else None
        if image_type is not None:
            try:
                return layout.image_name(stem, image_type, ext, replace_chars=rc)
            except ValueError:  # a type Jellyfin has no name for: keep the file's own
                pass
        return names.safe_component(os.path.basename(from_wire(record.path)), rc)

    def _skip(self, source: str, kind: PlanKind, reason: str) -> PlanEntry:
        self.stats.skips += 1
        key = reason.split(":", maxsplit=1)[0]
        self.stats.skip_reasons[key] = self.stats.skip_reasons.get(key, 0) + 1
        return PlanEntry("skip", kind, source=source, reason=reason)

    def _move(self, source: str, kind: PlanKind, target: str,
              decision: Decision | None) -> PlanEntry:
        source_os = from_wire(source)
        if decision is not None and (why := self.misread(decision)) is not None:
            self.stats.unrecognised += 1
            return self._skip(source, kind, f"would not be recognised by Jellyfin: {why}")
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
            if decision is not None and (why := self.misread(decision, target)) is not None:
                self.stats.unrecognised += 1
                return self._skip(source, kind, f"would not be recognised by Jellyfin: {why}")
        self.taken[target] = source_os
        self.stats.moves += 1
        if decision is None:
            return PlanEntry("move", kind, source=source, destination=to_wire(target))
        return PlanEntry("move", kind, source=source, destination=to_wire(target),
                         title=decision.title, year=decision.year, season=decision.season,
                         episodes=decision.episodes, ids=dict(decision.ids))

    def _free_name(self, target: str) -> str:
        free = free_name(target, self.taken)
        if free is None:
            raise JforgError(f"{target}: no free name for a conflicting file")
        return free


def run(work: Path, dest: str, settings: Settings, *,
        conflict: Literal["skip", "rename", "fail"] | None = None,
        accept: str | None = None) -> tuple[Path, PlanStats]:
    """Plan every file of ``work/probe.jsonl`` under ``dest`` into ``work/plan.jsonl``."""
    start = time.monotonic()
    dest = os.path.abspath(dest)
    policy = conflict or settings.organize.conflict
    base = PlanInputs(matches=matches_by_file(work),
                      accept=accept or settings.enrich.confidence.accept)
    # Pass 1: which files and folders own sidecars; which movies come in versions.
    owners: set[str] = set()
    movies: dict[str, int] = {}
    learnt = FirstPass(base)  # one identity per disc rip, per scene music release
    for record in _records(work):
        learnt.see(record)
        if record.sidecar is not None and record.sidecar.belongs_to is not None:
            owners.add(record.sidecar.belongs_to)
        if record.scan.cls == "video" and record.role in (None, "main"):
            decision = decide(record, settings, base)
            if decision is not None and decision.kind == "movie" and decision.rel:
                movies[decision.rel] = movies.get(decision.rel, 0) + 1
    inputs = learnt.inputs(msgspec.structs.replace(
        base, versions=frozenset(rel for rel, count in movies.items() if count > 1)))
    del movies
    # Pass 2: where those owners go.
    planner = _Planner(dest, settings, policy, {}, {}, inputs)
    for record in _records(work):
        if record.path not in owners and to_wire(os.path.dirname(from_wire(record.path))) \
                not in owners:
            continue
        decision = decide(record, settings, inputs)
        if decision is None or decision.rel is None or decision.kind == "extra" \
                or planner.misread(decision) is not None:
            continue  # a file that stays stays with its sidecars
        target = planner.absolute(decision)
        if record.path in owners:
            planner.owner_dest[record.path] = target
        folder = to_wire(os.path.dirname(from_wire(record.path)))
        if folder in owners:
            planner.folder_dest.setdefault(folder, os.path.dirname(target))
    # Pass 3: every entry, in manifest order.
    out = work / MANIFEST
    hashes = {"probe.jsonl": file_sha256(work / "probe.jsonl")}
    if base.matches:  # the plan used enrich's answers: organize refuses it if they change
        hashes["enrich.jsonl"] = file_sha256(work / "enrich.jsonl")
    with ManifestWriter[PlanEntry](out, PLAN_SCHEMA, hashes, dest=to_wire(dest)) as writer:
        for record in _records(work):
            writer.write_all(planner.entries(record))
        for art in planner.creates.artwork_entries(planner.taken):
            planner.stats.creates += 1
            writer.write(art)
        if planner.failures:
            shown = "; ".join(planner.failures[:3])
            raise JforgError(f"{len(planner.failures)} destination conflicts and conflict "
                             f"policy 'fail': {shown}")
    planner.stats.elapsed = time.monotonic() - start
    return out, planner.stats
