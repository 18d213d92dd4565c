"""The organize stage: plan.jsonl in, the Jellyfin library and one journal out.

Contract:

- ``run(work, settings, options)`` applies ``WORK/plan.jsonl`` under the
  plan's destination: ``move`` entries in the chosen mode, ``create`` entries
  (NFO files) written; ``skip`` entries are counted and never touched. It
  refuses — changing nothing, exit 2 — a plan whose inputs changed since it
  was made, a destination other than the plan's, and anything preflight
  finds (see ``preflight``). ``dry_run`` stops after preflight and says what
  would happen.
- Every change is a journaled step (``journal``): intents of a batch of steps
  are made durable, the steps run, their folders are made durable, then their
  outcomes are written. A batch is at most 1 024 steps or 64 MiB of copying, so
  a signal is honoured within one step: Ctrl-C / SIGTERM finish the current
  step, record it, and end with 130; the next ``organize`` resumes.
- An unfinished transaction found at start is settled (``execute.settle``):
  if it applied this same plan, organize finishes it; otherwise it is closed
  as interrupted, and ``rollback`` can still undo it.
- Per-item failures (a vanished source, a destination that appeared, a
  read-only folder) are recorded and the rest goes on; a full disk stops the
  run with one message (``execute.Stop``); nothing is ever lost.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import hashlib
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import msgspec

from pipeline import __version__
from pipeline.core.errors import UsageError
from pipeline.core.manifest import file_sha256, read_header
from pipeline.core.paths import from_wire, to_wire
from pipeline.core.records import PLAN_SCHEMA, PlanEntry
from pipeline.core.settings import Settings
from pipeline.organize import fsops
from pipeline.organize.execute import Stop, apply, prepare, settle, tmp_name
from pipeline.organize.journal import (
    JOURNAL_SCHEMA,
    Header,
    Journal,
    Line,
    Transaction,
    load,
    new_txn_id,
    transactions,
)
from pipeline.organize.nfo import nfo_for
from pipeline.organize.preflight import Preflight, device_of
from pipeline.organize.signals import Deferred
from pipeline.organize.steps import Folders, Mode, Step, how, read_plan

__all__ = ["OrganizeOptions", "OrganizeStats", "run"]

_BATCH_STEPS = 1024
_BATCH_BYTES = 64 << 20
_EXAMPLES = 10


class OrganizeOptions(msgspec.Struct, frozen=True):
    """What ``jforg organize`` was asked for (flags over ``organize.*`` settings)."""

    dest: str | None = None  # default: the plan's destination
    mode: Mode = "move"
    conflict: Literal["skip", "rename", "fail"] = "skip"
    dry_run: bool = False
    absolute_links: bool = False
    nfo: bool = True

    @classmethod
    def from_settings(cls, settings: Settings, **flags: Any) -> OrganizeOptions:
        given = {k: v for k, v in flags.items() if v is not None}
        base = cls(mode=settings.organize.mode, conflict=settings.organize.conflict,
                   nfo=settings.organize.nfo)
        return msgspec.structs.replace(base, **given)


@dataclass
class OrganizeStats:
    txn: str | None = None
    journal: Path | None = None
    steps: dict[str, int] = field(default_factory=dict)  # done steps per action
    failures: dict[str, int] = field(default_factory=dict)  # per error code
    examples: list[str] = field(default_factory=list)  # "path: code: message"
    plan_skips: int = 0
    not_created: int = 0  # create entries with nothing to write (or --no-nfo)
    bytes_copied: int = 0
    resumed: str | None = None  # the transaction this run finished
    notes: list[str] = field(default_factory=list)
    dry_run: list[str] = field(default_factory=list)
    elapsed: float = 0.0

    @property
    def failed(self) -> int:
        return sum(self.failures.values())


def _check_plan(work: Path, options: OrganizeOptions) -> tuple[str, str]:
    """The plan's destination (os form) and hash, or UsageError: re-plan / wrong --dest."""
    plan_path = work / "plan.jsonl"
    header = read_header(plan_path, PLAN_SCHEMA) if plan_path.exists() else None
    if header is None:
        raise UsageError(f"{plan_path}: no plan; run jforg plan --dest DIR first")
    for name, digest in sorted(header.inputs.items()):
        path = work / name
        if not path.exists() or file_sha256(path) != digest:
            raise UsageError(f"the plan is out of date: {name} changed since it was made; "
                             "run jforg plan again")
    if header.dest is None:
        raise UsageError("the plan does not say where it organizes to (made by an older "
                         "jforg); run jforg plan again")
    dest = from_wire(header.dest)
    if options.dest is not None and os.path.abspath(options.dest) != dest:
        raise UsageError(f"--dest {os.path.abspath(options.dest)} is not the plan's "
                         f"destination {dest}; run jforg plan --dest "
                         f"{os.path.abspath(options.dest)} first")
    return dest, file_sha256(plan_path)


def _free_name(dest: str, taken: set[str]) -> str:
    stem, ext = os.path.splitext(dest)
    for n in range(2, 10_000):
        candidate = f"{stem} ({n}){ext}"
        if candidate not in taken and not os.path.lexists(candidate):
            return candidate
    return dest


class _Planner:
    """Turns plan entries into steps (twice: preflight, then the run; same answers)."""

    def __init__(self, work: Path, options: OrganizeOptions, skip_entries: set[int]) -> None:
        self.work = work
        self.options = options
        self.skip_entries = skip_entries
        self.devices: dict[str, tuple[int, str]] = {}

    def device(self, folder: str) -> tuple[int, str]:
        if folder not in self.devices:
            self.devices[folder] = device_of(folder)
        return self.devices[folder]

    def steps(self, stats: OrganizeStats | None = None) -> Iterator[tuple[Step, int, int | None]]:
        """(step, destination device, source device) for every entry still to do."""
        folders = Folders()
        taken: set[str] = set()
        media: PlanEntry | None = None
        for index, entry, scan in read_plan(self.work):
            if entry.action == "skip":
                if stats is not None:
                    stats.plan_skips += 1
                continue
            if entry.action == "move":
                media = entry
            if index in self.skip_entries or entry.destination is None:
                continue
            dest = from_wire(entry.destination)
            if self.options.conflict == "rename" and (dest in taken or os.path.lexists(dest)):
                dest = _free_name(dest, taken)
            taken.add(dest)
            if entry.action == "create":
                step = self._create(index, entry, dest, media)
                if step is None:
                    if stats is not None:
                        stats.not_created += 1
                    continue
            else:
                assert entry.source is not None and scan is not None
                step = self._move(index, entry, dest, scan.device)
                if scan.inode is not None:
                    step.dev, step.ino = scan.device, scan.inode
                    step.size, step.mtime_ns = scan.size or 0, scan.mtime_ns
            dest_device = self.device(os.path.dirname(dest))[0]
            for folder in folders.missing(dest):
                yield Step("mkdir", folder), dest_device, None
            yield step, dest_device, scan.device if scan is not None else None

    def _move(self, index: int, entry: PlanEntry, dest: str, source_device: int | None) -> Step:
        source = from_wire(entry.source or "")
        same = source_device is not None and \
            source_device == self.device(os.path.dirname(dest))[0]
        action, via = how(self.options.mode, same)
        target = None
        if action == "symlink":
            target = source if self.options.absolute_links else \
                os.path.relpath(source, os.path.dirname(dest))
        return Step(action, dest, entry=index, source=source, via=via, target=target)

    def _create(self, index: int, entry: PlanEntry, dest: str,
                media: PlanEntry | None) -> Step | None:
        if entry.kind != "nfo" or not self.options.nfo or media is None or \
                media.source != entry.describes:
            return None
        content = nfo_for(media)
        if content is None:
            return None
        return Step("create", dest, entry=index, size=len(content), content=content,
                    content_hash=hashlib.blake2b(content, digest_size=32).hexdigest())


def _settle_open(work: Path, plan_hash: str, options: OrganizeOptions, dest: str,
                 stats: OrganizeStats) -> Transaction | None:
    """Settle every unfinished transaction; return the one to resume, if any.

    An open transaction (its run died) has steps in flight: the filesystem says
    how they ended. One that applied this very plan — open, or interrupted by a
    signal or a full disk — is resumed; an open one of another plan is closed.
    """
    resume = None
    for path in transactions(work):
        txn = load(path)
        if txn.state not in ("open", "interrupted"):
            continue
        same = (txn.header.plan == plan_hash and txn.header.mode == options.mode
                and from_wire(txn.header.dest) == dest)
        if txn.header.plan == plan_hash and not same and not options.dry_run:
            raise UsageError(f"transaction {txn.id} applied this plan in {txn.header.mode} mode "
                             f"and did not finish: run jforg organize --mode "
                             f"{txn.header.mode} to finish it, or jforg rollback {txn.id}")
        if txn.state == "open":
            with Journal(path) as journal:
                flying = txn.in_flight()
                outcomes = [settle(op, txn.id) for op in flying]
                fsops.durable({os.path.dirname(from_wire(op.intent.dest or "/"))
                               for op in flying})
                for line in outcomes:
                    journal.append(line)
                if not same:
                    journal.append(Line("interrupted"))
                    stats.notes.append(f"closed the interrupted transaction {txn.id} (it "
                                       "applied another plan); jforg rollback can undo it")
        if same:
            resume = load(path)  # the newest of this plan wins
    return resume


def _already_applied(work: Path, plan_hash: str) -> Transaction | None:
    for path in transactions(work):
        txn = load(path)
        if txn.header.plan == plan_hash and txn.state == "committed":
            return txn
    return None


def run(work: Path, settings: Settings, options: OrganizeOptions, *,
        tick: Callable[[int, int], None] | None = None) -> OrganizeStats:
    """Apply ``work/plan.jsonl`` (see the module contract)."""
    start = time.monotonic()
    stats = OrganizeStats()
    dest, plan_hash = _check_plan(work, options)
    # A dry run touches nothing, not even a dead run's leftovers.
    resume = None if options.dry_run else _settle_open(work, plan_hash, options, dest, stats)
    if resume is None and (applied := _already_applied(work, plan_hash)) is not None:
        stats.notes.append(f"this plan was applied by transaction {applied.id}; run jforg "
                           "plan again to organize what changed since")
        stats.txn = applied.id
        return stats
    # Entries a resumed transaction settled stay settled; a step stopped by a full
    # disk is tried again.
    finished = {op.intent.entry for op in resume.ops if op.intent.entry is not None and (
        op.state == "done" or (op.state == "failed" and op.last is not None
                               and op.last.code != "no_space"))} if resume is not None else set()
    planner = _Planner(work, options, finished)
    check = Preflight(options.conflict)
    check.roots(dest)
    for step, dest_device, source_device in planner.steps():
        check.check(step, dest_device, source_device)
    for device, path in {dev: p for dev, p in planner.devices.values()}.items():
        check.device_paths.setdefault(device, path)
    check.space()
    if options.dry_run:
        stats.dry_run = [*check.summary(), *(f"  {line}" for line in check.first)]
        if check.refused:
            stats.dry_run.append(check.refusal())
        return stats
    if check.refused:
        raise UsageError(check.refusal())
    if resume is not None:
        journal = Journal(resume.path)
        stats.txn, stats.resumed = resume.id, resume.id
        first_op = max((op.number for op in resume.ops), default=-1) + 1
    else:
        header = Header(JOURNAL_SCHEMA, new_txn_id(), _now(), __version__, plan_hash,
                        options.mode, to_wire(dest), probe=file_sha256(work / "probe.jsonl"),
                        absolute_links=options.absolute_links)
        journal = Journal.create(work, header)
        stats.txn = header.txn
        first_op = 0
    stats.journal = journal.path
    with journal, Deferred() as signals:
        _execute(planner.steps(stats), journal, stats.txn, first_op, signals, stats, tick)
        journal.append(Line("commit"))
    stats.elapsed = time.monotonic() - start
    return stats


def _now() -> str:
    return _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds")


def _execute(steps: Iterator[tuple[Step, int, int | None]], journal: Journal, txn: str,
             first_op: int, signals: Deferred, stats: OrganizeStats,
             tick: Callable[[int, int], None] | None) -> None:
    op = first_op
    batch: list[tuple[Step, int, str | None]] = []
    size = 0
    for step, _, _ in steps:
        tmp = tmp_name(step.dest, txn, op) if step.copies else None
        batch.append((step, op, tmp))
        op += 1
        size += step.size if step.copies else 0
        if len(batch) >= _BATCH_STEPS or size >= _BATCH_BYTES:
            _run_batch(batch, journal, signals, stats, tick)
            batch, size = [], 0
    _run_batch(batch, journal, signals, stats, tick)


def _run_batch(batch: list[tuple[Step, int, str | None]], journal: Journal, signals: Deferred,
               stats: OrganizeStats, tick: Callable[[int, int], None] | None) -> None:
    """Intents durable, steps, folders durable, outcomes durable (see the module contract)."""
    if not batch:
        return
    for step, op, tmp in batch:
        journal.append(step.intent(op, tmp))
    journal.sync()
    # Folders first (their steps come before their files anyway), so the new
    # files of the batch can all be written aside and synced at once.
    ordered = [b for b in batch if b[0].action == "mkdir"] + \
        [b for b in batch if b[0].action != "mkdir"]
    first_file = sum(1 for b in batch if b[0].action == "mkdir")
    outcomes: list[Line] = []
    stopped: BaseException | None = None
    for position, (step, op, tmp) in enumerate(ordered):
        if position == first_file:
            _prepare_creates(batch)
        if signals.requested:
            stopped = KeyboardInterrupt()
            outcomes += [Line("cancelled", later) for _, later, _ in ordered[position:]]
            break
        try:
            line = apply(step, op, tmp)
        except Stop as exc:
            stopped = exc
            line = Line("failed", op, code="no_space", message=str(exc))
        outcomes.append(line)
        _count(stats, step, line)
        if tick is not None:
            tick(sum(stats.steps.values()) + stats.failed, stats.bytes_copied)
        if stopped is not None:
            outcomes += [Line("cancelled", later) for _, later, _ in ordered[position + 1:]]
            break
    cancelled = {line.op for line in outcomes if line.type == "cancelled"}
    for _, op, tmp in batch:
        if op in cancelled and tmp is not None:  # a new file written aside, never placed
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
    fsops.durable({os.path.dirname(p) for step, _, _ in batch
                   for p in (step.dest, step.source) if p is not None})
    for line in outcomes:
        journal.append(line)
    if stopped is not None:
        journal.append(Line("interrupted"))
    journal.sync()
    if stopped is not None:
        raise stopped


def _prepare_creates(batch: list[tuple[Step, int, str | None]]) -> None:
    """Write the batch's new files aside and sync them once (see ``execute.prepare``)."""
    written = []
    for step, _, tmp in batch:
        if step.action == "create" and tmp is not None and os.path.isdir(os.path.dirname(tmp)):
            try:
                prepare(step, tmp)
            except OSError:
                continue  # the step itself will meet the error and record it
            written.append(os.path.dirname(tmp))
    if written:
        fsops.durable(written)


def _count(stats: OrganizeStats, step: Step, line: Line) -> None:
    if line.type == "done":
        label = step.action if step.action != "move" else f"move ({step.via})"
        stats.steps[label] = stats.steps.get(label, 0) + 1
        if step.copies:
            stats.bytes_copied += step.size
        return
    code = line.code or "failed"
    stats.failures[code] = stats.failures.get(code, 0) + 1
    if len(stats.examples) < _EXAMPLES:
        stats.examples.append(f"{step.source or step.dest}: {code}: {line.message}")
