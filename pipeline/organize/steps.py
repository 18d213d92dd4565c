"""From plan.jsonl (+ probe.jsonl) to the filesystem steps organize takes, in plan order.

Contract:

- ``read_plan(work)`` streams ``(index, entry, source_stat)`` for every plan
  entry: the source's size, mtime, inode and device as the scan saw them, by
  a merge join with probe.jsonl (the plan is in probe order), so nothing is
  held in memory and organize can refuse a source that changed since.
- ``Step`` is one operation on one path: ``mkdir``, ``move``, ``copy``,
  ``hardlink``, ``symlink`` or ``create``. ``how`` resolves a plan move in a
  mode to what happens on disk: a rename within one filesystem, a copy across
  two (then, for ``move``, the source is removed after the copy is verified).
- ``Folders`` decides which destination folders must be created, each once,
  as ``mkdir`` steps of their own, so rollback removes exactly those.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pipeline.core.errors import ManifestError
from pipeline.core.manifest import read_manifest
from pipeline.core.paths import from_wire, to_wire
from pipeline.core.records import PLAN_SCHEMA, PROBE_SCHEMA, PlanEntry, ProbeRecord, ScanRecord
from pipeline.organize.journal import Line, OpAction

__all__ = ["MODES", "Folders", "Mode", "Step", "how", "read_plan"]

Mode = Literal["move", "copy", "hardlink", "hardlink-or-copy", "symlink"]
MODES: tuple[str, ...] = ("move", "copy", "hardlink", "hardlink-or-copy", "symlink")


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
    content: bytes | None = None  # create: the file's bytes
    content_hash: str | None = None

    def intent(self, op: int, tmp: str | None = None) -> Line:
        return Line("intent", op, action=self.action, entry=self.entry,
                    source=to_wire(self.source) if self.source is not None else None,
                    dest=to_wire(self.dest), tmp=to_wire(tmp) if tmp is not None else None,
                    via=self.via, target=self.target, dev=self.dev, ino=self.ino,
                    size=self.size if self.action != "mkdir" else None,
                    mtime_ns=self.mtime_ns, hash=self.content_hash)

    @property
    def copies(self) -> bool:
        """Whether bytes are written (and need free space) rather than a name changed."""
        return self.action in ("copy", "create") or self.via == "copy"


def read_plan(work: Path) -> Iterator[tuple[int, PlanEntry, ScanRecord | None]]:
    """Every plan entry with the scan record of its source (see the module contract)."""
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
            scan = pending.scan
        yield index, entry, scan


def how(mode: Mode, same_device: bool) -> tuple[OpAction, str | None]:
    """The step a plan move becomes in ``mode`` (action, and for a move: rename or copy)."""
    if mode == "move":
        return "move", "rename" if same_device else "copy"
    if mode == "hardlink-or-copy":
        return ("hardlink", None) if same_device else ("copy", None)
    return mode, None


class Folders:
    """Which folders exist or will be made; ``missing(dest)`` lists those to create, top first."""

    def __init__(self) -> None:
        self._known: set[str] = set()

    def missing(self, path: str) -> list[str]:
        out: list[str] = []
        folder = os.path.dirname(path)
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
