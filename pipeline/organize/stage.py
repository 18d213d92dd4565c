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

import datetime as _dt
import os
import time
from collections.abc import Callable
from pathlib import Path

from pipeline import __version__
from pipeline.core.errors import UsageError
from pipeline.core.manifest import file_sha256, read_header
from pipeline.core.matched import matches_by_file
from pipeline.core.paths import from_wire, to_wire
from pipeline.core.records import PLAN_SCHEMA
from pipeline.core.settings import Settings
from pipeline.organize import fsops
from pipeline.organize.artwork import Artwork
from pipeline.organize.batches import BatchRunner
from pipeline.organize.execute import settle
from pipeline.organize.journal import (
    JOURNAL_SCHEMA,
    Header,
    Journal,
    Line,
    Transaction,
    load,
    new_txn_id,
    peek,
    transactions,
)
from pipeline.organize.options import OrganizeOptions, OrganizeStats
from pipeline.organize.preflight import Preflight
from pipeline.organize.signals import Deferred
from pipeline.organize.steps import StepPlanner

__all__ = ["OrganizeOptions", "OrganizeStats", "run"]



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


def _settle_open(work: Path, plan_hash: str, options: OrganizeOptions, dest: str,
                 stats: OrganizeStats) -> Transaction | None:
    """Settle every unfinished transaction; return the one to resume, if any.

    An open transaction (its run died) has steps in flight: the filesystem says
    how they ended. One that applied this very plan — open, or interrupted by a
    signal or a full disk — is resumed; an open one of another plan is closed.
    """
    resume = None
    for path in transactions(work):
        if peek(path)[1] not in ("open", "interrupted"):
            continue
        txn = load(path)
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


def _already_applied(work: Path, plan_hash: str) -> str | None:
    """The id of a committed transaction of this very plan."""
    for path in transactions(work):
        header, state = peek(path)
        if header.plan == plan_hash and state == "committed":
            return header.txn
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
        stats.notes.append(f"this plan was applied by transaction {applied}; run jforg "
                           "plan again to organize what changed since")
        stats.txn = applied
        return stats
    # Entries a resumed transaction settled stay settled; a step stopped by a full
    # disk is tried again.
    finished = {op.intent.entry for op in resume.ops if op.intent.entry is not None and (
        op.state == "done" or (op.state == "failed" and op.last is not None
                               and op.last.code != "no_space"))} if resume is not None else set()
    planner = StepPlanner(work, options, finished, matches_by_file(work))
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
    artwork = Artwork(settings) if options.artwork and not options.offline else None
    try:
        with journal, Deferred() as signals:
            fetch = artwork.fetch if artwork is not None else None
            BatchRunner(journal, stats.txn, signals, stats, tick, fetch).run(
                planner.steps(stats), first_op)
            journal.append(Line("commit"))
    finally:
        if artwork is not None:
            artwork.close()
    if stats.artwork_offline:
        stats.notes.append(f"{stats.artwork_offline} image(s) not downloaded: offline")
    stats.elapsed = time.monotonic() - start
    return stats


def _now() -> str:
    return _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds")


