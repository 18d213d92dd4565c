"""Journaled batches: intents durable, steps, folders durable, outcomes durable.

A batch is at most 1 024 steps or 64 MiB of copying. Its intents are written
and fsynced before any of its steps runs; its folders are made first, then the
new files it creates are written aside and synced at once; after the steps,
every folder they touched is made durable (one syncfs per filesystem) and only
then are their outcomes written. A signal stops the batch between two steps:
the rest are recorded as cancelled and the transaction as interrupted.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator

from pipeline.organize import fsops
from pipeline.organize.execute import Fetch, Stop, apply, backup_name, prepare, tmp_name
from pipeline.organize.journal import Journal, Line
from pipeline.organize.options import OrganizeStats
from pipeline.organize.signals import Deferred
from pipeline.organize.steps import Step

__all__ = ["BatchRunner"]

_BATCH_STEPS = 1024
_BATCH_BYTES = 64 << 20
_EXAMPLES = 10


class BatchRunner:
    """Runs the steps in journaled batches (see the module contract)."""

    def __init__(self, journal: Journal, txn: str, signals: Deferred, stats: OrganizeStats,
                 tick: Callable[[int, int], None] | None, fetch: Fetch | None) -> None:
        self.journal = journal
        self.txn = txn
        self.signals = signals
        self.stats = stats
        self.tick = tick
        self.fetch = fetch

    def run(self, steps: Iterator[tuple[Step, int, int | None]], first_op: int) -> None:
        op = first_op
        batch: list[tuple[Step, int, str | None]] = []
        size = 0
        for step, _, _ in steps:
            tmp = tmp_name(step.dest, self.txn, op) if step.copies else None
            batch.append((step, op, tmp))
            op += 1
            size += step.size if step.copies else 0
            if len(batch) >= _BATCH_STEPS or size >= _BATCH_BYTES:
                self.batch(batch)
                batch, size = [], 0
        self.batch(batch)

    def _backup(self, step: Step, op: int) -> str | None:
        return backup_name(step.dest, self.txn, op) if step.replace else None

    def batch(self, batch: list[tuple[Step, int, str | None]]) -> None:
        """Intents durable, steps, folders durable, outcomes durable."""
        if not batch:
            return
        journal = self.journal
        for step, op, tmp in batch:
            journal.append(step.intent(op, tmp, self._backup(step, op)))
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
            if self.signals.requested:
                stopped = KeyboardInterrupt()
                outcomes += [Line("cancelled", later) for _, later, _ in ordered[position:]]
                break
            try:
                line = apply(step, op, tmp, fetch=self.fetch, backup=self._backup(step, op))
            except Stop as exc:
                stopped = exc
                line = Line("failed", op, code="no_space", message=str(exc))
            outcomes.append(line)
            _count(self.stats, step, line)
            if self.tick is not None:
                self.tick(sum(self.stats.steps.values()) + self.stats.failed,
                          self.stats.bytes_copied)
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
        if step.content is not None and tmp is not None and os.path.isdir(os.path.dirname(tmp)):
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
