"""Everything organize checks before its first change, and the dry run's figures.

Contract: ``Preflight`` is fed every step organize would take (in plan
order) and collects, without touching anything:
- reasons to refuse the whole run (``problems``): a source that changed since
  the plan (size, mtime or inode — re-plan), a name over 255 bytes or a path
  over 4 096, a destination root that is not writable, a source that can't be
  read or moved, a hard link across devices, a destination inside a source,
  an existing destination under ``--conflict fail``, and too little free
  space on a destination device (bytes to copy + 10 %);
- what would happen: steps per action, bytes copied per device, the first
  steps, for the dry run and the summary.
A vanished source is not a problem here: it is a per-item error at its step.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field

from pipeline.core.progress import human_bytes
from pipeline.organize.fsops import device_of
from pipeline.organize.steps import Step

__all__ = ["MAX_NAME", "MAX_PATH", "Preflight"]

MAX_NAME = 255
MAX_PATH = 4096
_SHOWN = 20
_SPARE = 1.10  # free space wanted: bytes to copy + 10 %


@dataclass
class Preflight:
    conflict: str
    problems: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    copy_bytes: dict[int, int] = field(default_factory=dict)  # device -> bytes
    device_paths: dict[int, str] = field(default_factory=dict)
    first: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)  # sources that changed since the plan
    _problem_count: int = 0
    _writable: dict[str, bool] = field(default_factory=dict)

    def problem(self, text: str) -> None:
        self._problem_count += 1
        if len(self.problems) < _SHOWN:
            self.problems.append(text)

    def check(self, step: Step, dest_device: int, source_device: int | None) -> None:
        label = step.action if step.action != "move" else f"move ({step.via})"
        self.counts[label] = self.counts.get(label, 0) + 1
        if len(self.first) < _SHOWN:
            arrow = f"{step.source} -> " if step.source is not None else ""
            self.first.append(f"{label}: {arrow}{step.dest}")
        if step.copies:
            self.copy_bytes[dest_device] = self.copy_bytes.get(dest_device, 0) + step.size
        self._lengths(step.dest)
        if step.action == "mkdir":
            return
        if step.source is not None:
            self._source(step, dest_device, source_device)
        if self.conflict == "fail" and os.path.lexists(step.dest):
            self.problem(f"{step.dest}: exists, and --conflict is fail")

    def _lengths(self, path: str) -> None:
        data = os.fsencode(path)
        if len(data) > MAX_PATH:
            self.problem(f"{path}: path longer than {MAX_PATH} bytes")
        for part in data.split(b"/"):
            if len(part) > MAX_NAME:
                self.problem(f"{path}: a name longer than {MAX_NAME} bytes")
                break

    def _source(self, step: Step, dest_device: int, source_device: int | None) -> None:
        assert step.source is not None
        try:
            st = os.lstat(step.source)
        except FileNotFoundError:
            return  # reported at its step, the rest goes on
        if step.ino is not None and \
                (st.st_ino, st.st_size, st.st_mtime_ns) != (step.ino, step.size, step.mtime_ns):
            self.changed.append(step.source)
        if step.dest.startswith(step.source.rstrip("/") + "/"):
            self.problem(f"{step.dest}: inside its own source {step.source}")
        if step.action == "hardlink" and source_device is not None and \
                source_device != dest_device:
            self.problem(f"{step.source}: a hard link can't cross devices (use --mode "
                         "hardlink-or-copy or copy)")
        if step.action in ("move",) and not self._may_write(os.path.dirname(step.source)):
            self.problem(f"{step.source}: its folder is not writable, so it can't be moved")
        if step.copies and not os.access(step.source, os.R_OK):
            self.problem(f"{step.source}: not readable")

    def _may_write(self, folder: str) -> bool:
        if folder not in self._writable:
            self._writable[folder] = os.access(folder, os.W_OK | os.X_OK)
        return self._writable[folder]

    def roots(self, dest: str) -> None:
        """The destination (or its nearest existing ancestor) must be writable."""
        _, existing = device_of(dest)
        if not os.access(existing, os.W_OK | os.X_OK):
            self.problem(f"{existing}: the destination is not writable")

    def space(self) -> None:
        for device, needed in self.copy_bytes.items():
            path = self.device_paths.get(device)
            if path is None or needed == 0:
                continue
            free = shutil.disk_usage(path).free
            if free < needed * _SPARE:
                self.problem(f"{path}: {human_bytes(free)} free, {human_bytes(needed)} to copy "
                             "(+10 %)")

    @property
    def refused(self) -> bool:
        return self._problem_count > 0 or bool(self.changed)

    def refusal(self) -> str:
        if self.changed:
            return (f"organize changed nothing: {len(self.changed)} source file(s) changed "
                    f"since the plan was made (first: {self.changed[0]}); run jforg plan again")
        more = self._problem_count - len(self.problems)
        lines = "; ".join(self.problems) + (f"; … and {more} more" if more > 0 else "")
        return f"organize changed nothing: {self._problem_count} problem(s): {lines}"

    def summary(self) -> list[str]:
        steps = ", ".join(f"{label} {n}" for label, n in sorted(self.counts.items()))
        lines = [f"steps: {steps or 'none'}"]
        for device, size in sorted(self.copy_bytes.items()):
            where = self.device_paths.get(device, "?")
            lines.append(f"bytes to copy onto {where} (device {os.major(device)}:"
                         f"{os.minor(device)}): {human_bytes(size)}")
        return lines
