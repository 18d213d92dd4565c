"""From plan.jsonl (+ probe.jsonl) to the filesystem steps organize takes, in plan order.

Contract:

- ``read_plan(work)`` streams ``(index, entry, probe_record)`` for every plan
  entry: the source's size, mtime, inode and device as the scan saw them (and
  what the probe measured, for NFO files), by a merge join with probe.jsonl
  (the plan is in probe order), so nothing is held in memory and organize can
  refuse a source that changed since.
- ``Step`` is one operation on one path: ``mkdir``, ``move``, ``copy``,
  ``hardlink``, ``symlink`` or ``create``. ``how`` resolves a plan move in a
  mode to what happens on disk: a rename within one filesystem, a copy across
  two (then, for ``move``, the source is removed after the copy is verified).
- ``Folders`` decides which destination folders must be created, each once,
  as ``mkdir`` steps of their own, so rollback removes exactly those.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from pipeline.core.errors import ManifestError
from pipeline.core.manifest import read_manifest
from pipeline.core.paths import from_wire, to_wire
from pipeline.core.records import (
    PLAN_SCHEMA,
    PROBE_SCHEMA,
    EnrichRecord,
    PlanEntry,
    ProbeRecord,
)
from pipeline.core.renames import free_name
from pipeline.organize.fsops import device_of
from pipeline.organize.journal import Line, OpAction
from pipeline.organize.nfo import nfo_for
from pipeline.organize.options import Mode, OrganizeOptions, OrganizeStats

__all__ = ["Folders", "Step", "StepPlanner", "how", "read_plan"]



@dataclass
class Step:
    """One filesystem change (paths in os form); ``intent`` is its journal line."""

    action: OpAction
    dest: str
    entry: int | None = None
    source: str | None = None
    via: str | None = None  # move: rename or copy
    target: str | None = None  # symlink: the link's text
    size: int = 0
    dev: int | None = None
    ino: int | None = None
    mtime_ns: int | None = None
    content: bytes | None = None  # create: the file's bytes (an NFO) …
    content_hash: str | None = None
    url: str | None = None  # … or where to download it (artwork)
    replace: bool = False  # create over an existing file (kept aside, for rollback)

    def intent(self, op: int, tmp: str | None = None, backup: str | None = None) -> Line:
        return Line("intent", op, action=self.action, entry=self.entry,
                    source=to_wire(self.source) if self.source is not None else None,
                    dest=to_wire(self.dest), tmp=to_wire(tmp) if tmp is not None else None,
                    via=self.via, target=self.target, dev=self.dev, ino=self.ino,
                    size=self.size if self.action != "mkdir" else None,
                    mtime_ns=self.mtime_ns, hash=self.content_hash, url=self.url,
                    backup=to_wire(backup) if backup is not None else None)

    @property
    def copies(self) -> bool:
        """Whether bytes are written (and need free space) rather than a name changed."""
        return self.action in ("copy", "create") or self.via == "copy"


def read_plan(work: Path) -> Iterator[tuple[int, PlanEntry, ProbeRecord | None]]:
    """Every plan entry with the probe record of its source (see the module contract)."""
    _, entries = read_manifest(work / "plan.jsonl", PLAN_SCHEMA, PlanEntry)
    _, probes = read_manifest(work / "probe.jsonl", PROBE_SCHEMA, ProbeRecord)
    pending: ProbeRecord | None = None
    for index, entry in enumerate(entries):
        scan = None
        if entry.source is not None:
            while pending is None or pending.path != entry.source:
                pending = next(probes, None)
                if pending is None:
                    raise ManifestError(f"{work / 'plan.jsonl'}: {entry.source} is not in "
                                        "probe.jsonl: the plan is not of this probe; re-plan")
            scan = pending
        yield index, entry, scan


def how(mode: Mode, same_device: bool) -> tuple[OpAction, str | None]:
    """The step a plan move becomes in ``mode`` (action, and for a move: rename or copy)."""
    if mode == "move":
        return "move", "rename" if same_device else "copy"
    if mode == "hardlink-or-copy":
        return ("hardlink", None) if same_device else ("copy", None)
    return mode, None


class Folders:
    """Which folders exist or will be made; ``missing(folder)`` lists those to create, top first."""

    def __init__(self) -> None:
        self._known: set[str] = set()

    def missing(self, folder: str) -> list[str]:
        out: list[str] = []
        while folder and folder not in self._known:
            if os.path.isdir(folder):
                self._known.add(folder)
                break
            out.append(folder)
            parent = os.path.dirname(folder)
            if parent == folder:
                break
            folder = parent
        out.reverse()
        self._known.update(out)
        return out


def source_path(entry: PlanEntry) -> str:
    assert entry.source is not None
    return from_wire(entry.source)


class StepPlanner:
    """Turns plan entries into steps (twice: preflight, then the run; same answers)."""

    def __init__(self, work: Path, options: OrganizeOptions, skip_entries: set[int],
                 matches: dict[str, EnrichRecord] | None = None) -> None:
        self.work = work
        self.options = options
        self.skip_entries = skip_entries
        self.matches = matches or {}
        self.devices: dict[str, tuple[int, str]] = {}

    def device(self, folder: str) -> tuple[int, str]:
        known = self.devices.get(folder)
        if known is None:
            known = self.devices[folder] = device_of(folder)
        return known

    def steps(self, stats: OrganizeStats | None = None) -> Iterator[tuple[Step, int, int | None]]:
        """(step, destination device, source device) for every entry still to do."""
        folders = Folders()
        taken: set[str] = set()
        media: tuple[PlanEntry, ProbeRecord | None] | None = None
        for index, entry, probe in read_plan(self.work):
            if entry.action == "skip":
                if stats is not None:
                    stats.plan_skips += 1
                continue
            if entry.action == "move":
                media = (entry, probe)
            if index in self.skip_entries or entry.destination is None:
                continue
            dest = from_wire(entry.destination)
            folder = os.path.dirname(dest)
            if entry.action == "create":
                step = self._create(index, entry, dest, media, stats)
                if step is None:
                    continue
            else:
                if self.options.conflict == "rename" and (dest in taken or
                                                          os.path.lexists(dest)):
                    dest = free_name(dest, taken) or dest  # same folder
                assert entry.source is not None and probe is not None
                scan = probe.scan
                step = self._move(index, entry, dest, folder, scan.device)
                if scan.inode is not None:
                    step.dev, step.ino = scan.device, scan.inode
                    step.size, step.mtime_ns = scan.size or 0, scan.mtime_ns
            taken.add(dest)
            dest_device = self.device(folder)[0]
            for new in folders.missing(folder):
                yield Step("mkdir", new), dest_device, None
            yield step, dest_device, probe.scan.device if probe is not None and \
                entry.action == "move" else None

    def _move(self, index: int, entry: PlanEntry, dest: str, folder: str,
              source_device: int | None) -> Step:
        source = from_wire(entry.source or "")
        same = source_device is not None and source_device == self.device(folder)[0]
        action, via = how(self.options.mode, same)
        target = None
        if action == "symlink":
            target = source if self.options.absolute_links else \
                os.path.relpath(source, folder)
        return Step(action, dest, entry=index, source=source, via=via, target=target)

    def _create(self, index: int, entry: PlanEntry, dest: str,
                media: tuple[PlanEntry, ProbeRecord | None] | None,
                stats: OrganizeStats | None) -> Step | None:
        """An NFO's or an image's step; None (counted) when there is none to take."""
        image = entry.kind == "image"
        offline = image and self.options.offline and self.options.artwork
        wanted = (self.options.artwork and not self.options.offline and bool(entry.url)) \
            if image else self.options.nfo is not False
        replace = self.options.overwrite_artwork if image else self.options.overwrite_nfo
        exists = os.path.lexists(dest)
        step = None
        if wanted and (replace or not exists):
            if image:
                step = Step("create", dest, entry=index, url=entry.url, replace=exists)
            elif media is not None and media[0].source == entry.describes:
                step = self._nfo(index, dest, media[0], media[1], replace=exists)
        if step is None and stats is not None:
            if wanted and exists and not replace:
                stats.kept_existing += 1
            elif offline:
                stats.artwork_offline += 1
            else:
                stats.not_created += 1
        return step

    def _nfo(self, index: int, dest: str, media: PlanEntry, probe: ProbeRecord | None, *,
             replace: bool) -> Step | None:
        match = self.matches.get(media.source or "") if media.ids else None
        content = nfo_for(os.path.basename(dest), media, probe, match,
                          always=self.options.nfo is True)
        if content is None:
            return None
        return Step("create", dest, entry=index, size=len(content), content=content,
                    content_hash=hashlib.blake2b(content, digest_size=32).hexdigest(),
                    replace=replace)
