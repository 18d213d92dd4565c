"""``jforg rollback``: undo a transaction, list them, show one.

Contract:

- ``rollback(work, txn)`` first settles any step the transaction left in
  flight (``execute.settle``: a dead organize may have stopped mid-step),
  then undoes its done steps newest first (``undo``), journaling each undo
  like organize journals each step: an ``undo`` intent made durable before
  the change, the outcome (``undone`` or ``kept`` with the reason) after.
  Killed midway, it resumes where it stopped. It ends the journal with
  ``rolled-back``; rolling back again is a no-op that says so.
- Files the user changed, moved or deleted since are left as they are and
  listed; folders are removed only when the transaction made them and they
  are empty again; nothing the transaction did not create is ever deleted.
"""

from __future__ import annotations

import os
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.core.errors import UsageError
from pipeline.core.paths import display, from_wire
from pipeline.organize import fsops
from pipeline.organize.execute import settle
from pipeline.organize.journal import Journal, Line, Op, Transaction, load, peek, transactions
from pipeline.organize.signals import Deferred
from pipeline.organize.undo import settle_undo, undo

__all__ = ["RollbackStats", "describe", "find", "listing", "rollback"]

_BATCH = 1024


@dataclass
class RollbackStats:
    txn: str
    already: bool = False
    put_back: int = 0  # moved files back at their source
    removed: int = 0  # copies, links and created files removed
    kept: list[str] = field(default_factory=list)  # files left as they are: "path: why"
    folders_kept: list[str] = field(default_factory=list)  # made by it, not empty now
    newer: list[str] = field(default_factory=list)  # later transactions not rolled back
    elapsed: float = 0.0


def find(work: Path, txn: str | None, *, last: bool) -> Path:
    """The journal of ``txn``, or of the newest transaction with ``last``."""
    paths = list(transactions(work))
    if not paths:
        raise UsageError(f"{work}: no organize transaction to roll back")
    if last:
        return paths[-1]
    matches = [p for p in paths if p.stem == txn or (txn and p.stem.startswith(txn))]
    if len(matches) != 1:
        known = ", ".join(p.stem for p in paths[-5:])
        raise UsageError(f"no single transaction {txn!r} in {work} (latest: {known}); "
                         "see jforg rollback --list")
    return matches[0]


def rollback(work: Path, path: Path) -> RollbackStats:
    start = time.monotonic()
    txn = load(path)
    stats = RollbackStats(txn.id)
    if txn.state == "rolled back":
        stats.already = True
        return stats
    stats.newer = [p.stem for p in transactions(work)
                   if p.stem > txn.id and peek(p)[1] != "rolled back"]
    with Journal(path) as journal, Deferred() as signals:
        _settle(txn, journal)
        txn = load(path)
        todo = [op for op in reversed(txn.ops) if op.state in ("done", "undo")]
        for first in range(0, len(todo), _BATCH):
            _undo_batch(todo[first:first + _BATCH], txn.id, journal, stats, signals)
        journal.append(Line("rolled-back"))
    stats.elapsed = time.monotonic() - start
    return stats


def _settle(txn: Transaction, journal: Journal) -> None:
    """Outcomes of steps a dead organize left in flight (undos in flight are redone)."""
    flying = [op for op in txn.ops if op.state in ("intent", "placed")]
    lines = [settle(op, txn.id) for op in flying]
    fsops.durable({os.path.dirname(from_wire(op.intent.dest or "/")) for op in flying})
    for line in lines:
        journal.append(line)
    journal.sync()


def _undo_batch(ops: list[Op], txn: str, journal: Journal, stats: RollbackStats,
                signals: Deferred) -> None:
    for op in ops:
        if op.state != "undo":
            journal.append(Line("undo", op.number))
    journal.sync()
    outcomes = []
    for op in ops:
        if signals.requested:
            break  # the rest keep their undo intent: the next rollback redoes them
        line = settle_undo(op, txn) if op.state == "undo" else None
        if line is None:
            line = undo(op, txn)
        outcomes.append(line)
        action = op.intent.action
        if line.type == "undone":
            if action == "move":
                stats.put_back += 1
            elif action != "mkdir":
                stats.removed += 1
        elif action == "mkdir":
            stats.folders_kept.append(display(line.dest or ""))
        else:
            stats.kept.append(f"{display(line.dest or '')}: {line.message}")
    fsops.durable({os.path.dirname(from_wire(p)) for op in ops
                   for p in (op.intent.dest, op.intent.source) if p is not None})
    for line in outcomes:
        journal.append(line)
    journal.sync()
    if signals.requested:
        raise KeyboardInterrupt


def listing(work: Path) -> list[str]:
    """One line per transaction: id, time, mode, files placed, state."""
    lines = []
    for path in transactions(work):
        txn = load(path)
        files = sum(1 for op in txn.ops if op.intent.action != "mkdir" and op.state in
                    ("done", "undo", "undone", "kept"))
        lines.append(f"{txn.id}  {txn.header.created}  {txn.header.mode:<16}  "
                     f"{files:>7} files  {txn.state}")
    return lines or ["no transactions"]


def describe(path: Path, limit: int = 50) -> list[str]:
    """A transaction's header, its steps per action and outcome, and its first steps."""
    txn = load(path)
    header = txn.header
    counts = Counter(f"{op.intent.action} {op.state}" for op in txn.ops)
    lines = [f"transaction {txn.id}: {txn.state}", f"  created {header.created} by jforg "
             f"{header.tool}; mode {header.mode}; destination {display(header.dest)}",
             "  steps: " + ", ".join(f"{k} {n}" for k, n in sorted(counts.items()))]
    for op in txn.ops[:limit]:
        intent = op.intent
        source = f"{display(intent.source)} -> " if intent.source else ""
        why = f" ({op.last.code or op.last.message})" if op.last is not None and (
            op.last.code or op.last.message) else ""
        lines.append(f"  {op.number:>6} {intent.action:<8} {op.state:<9} "
                     f"{source}{display(intent.dest or '')}{why}")
    if len(txn.ops) > limit:
        lines.append(f"  … and {len(txn.ops) - limit} more steps in {display(str(path))}")
    return lines
