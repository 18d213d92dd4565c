"""The stage table: which stages exist, in which order, and how one runs.

``jforg run`` walks the table; ``jforg scan`` runs one row of it. Decisions
that cut across stages (which work folder, the lock, progress output) are
made here once, not inside stages. ``jforg run`` is what cron runs: it skips
each stage whose inputs are unchanged since it last ran (``freshness``
decides), logs the day's runs (``runlog``) and ends with one summary line.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import msgspec

from pipeline import __version__
from pipeline.core.errors import EXIT_FAILED_ITEMS, EXIT_OK
from pipeline.core.paths import display
from pipeline.core.progress import Progress, human_bytes
from pipeline.core.records import (
    FILE_CLASSES,
    PROBE_SCHEMA,
    SCAN_SCHEMA,
    ProbeRecord,
    ScanRecord,
)
from pipeline.core.settings import Settings
from pipeline.core.streams import Output
from pipeline.scan import stage as scan

if TYPE_CHECKING:
    from pipeline.freshness import Ledger, RunFlags
    from pipeline.organize.options import OrganizeOptions

__all__ = ["STAGES", "Context", "StageResult", "run_enrich", "run_pipeline", "run_probe",
           "run_report", "run_scan", "run_verify", "write_naming_issues"]


class Context(msgspec.Struct, frozen=True):
    """What every stage gets: where manifests live, the settings, where to talk."""

    work: Path
    settings: Settings
    out: Output
    err: Output
    progress_interval: float = 10.0
    force: bool = False  # re-do work that could be reused (probe --force)
    report_format: str = "text"  # what `jforg report` prints: text, json or html
    dest: str | None = None  # plan: where the organized library goes
    conflict: str | None = None  # plan: skip, rename or fail (default organize.conflict)
    offline: bool | None = None  # enrich: ask no provider (default enrich.offline)
    providers: tuple[str, ...] = ()  # enrich: only these providers
    accept: str | None = None  # plan: lowest enrich confidence applied without review
    organize: Any = None  # OrganizeOptions: organize's own options (None: from settings)


class StageResult(msgspec.Struct, frozen=True):
    stage: str
    manifest: Path
    summary: list[str] = msgspec.field(default_factory=list)
    failed_items: int = 0
    unchanged: bool = False  # skipped (or, for scan, found the library as it was)
    counts: dict[str, int] = msgspec.field(default_factory=dict)  # for the run's summary line

    @property
    def exit_code(self) -> int:
        return EXIT_FAILED_ITEMS if self.failed_items else EXIT_OK


_MAX_ERRORS_SHOWN = 10


def run_scan(ctx: Context, libraries: Sequence[str]) -> StageResult:
    from pipeline import freshness

    # The previous scan is held aside: when the new one has the same records it
    # stays, bytes and all, so the stages after it can tell nothing changed.
    held = freshness.hold_previous(ctx.work / scan.MANIFEST)
    try:
        with Progress("scan", stream=ctx.err, interval=ctx.progress_interval) as progress:
            manifest, stats = scan.run(
                ctx.work, libraries, ctx.settings.scan,
                tick=lambda s: progress.update(s.total, s.bytes),
            )
    except BaseException:
        freshness.release_previous(ctx.work / scan.MANIFEST, held)
        raise
    change = freshness.settle_scan(manifest, held, stats.total)
    per_class = ", ".join(f"{c} {stats.files[c]}" for c in FILE_CLASSES if stats.files[c])
    lines = [
        f"scan: {stats.total} files ({per_class or 'none'}), {human_bytes(stats.bytes)}, "
        f"{stats.errors} errors, {stats.elapsed:.2f} s -> {display(str(manifest))}"
    ]
    if stats.skipped:
        skipped = ", ".join(f"{why}: {n}" for why, n in sorted(stats.skipped.items()))
        lines.append(f"  skipped: {skipped}")
    if change.unchanged:
        lines.append("  unchanged since the last scan")
    elif not change.first:
        lines.append(f"  since the last scan: {change.new:,} new, {change.changed:,} changed, "
                     f"{change.gone:,} gone")
    if stats.errors:
        lines.extend(_error_lines(manifest, SCAN_SCHEMA, ScanRecord))
    return StageResult("scan", manifest, lines, stats.errors, unchanged=change.unchanged,
                       counts={"files": stats.total, "new": change.new,
                               "changed": change.changed})


def run_probe(ctx: Context, libraries: Sequence[str]) -> StageResult:
    from pipeline.probe import stage as probe

    with Progress("probe", stream=ctx.err, interval=ctx.progress_interval) as progress:
        manifest, stats = probe.run(
            ctx.work, ctx.settings, force=ctx.force,
            tick=lambda s: progress.update(
                s.probed + s.reused, note=f"{s.probed} probed, {s.reused} reused, "
                                          f"{s.failed} failed"),
        )
    lines = [
        f"probe: {stats.total} files: {stats.probed} probed, {stats.reused} reused, "
        f"{stats.failed} failed, {stats.elapsed:.2f} s -> {display(str(manifest))}"
    ]
    if stats.failures:
        by_code = ", ".join(f"{code}: {n}" for code, n in sorted(stats.failures.items()))
        lines.append(f"  failed by reason: {by_code}")
        lines.extend(_error_lines(manifest, PROBE_SCHEMA, ProbeRecord))
    return StageResult("probe", manifest, lines, stats.failed)


def run_report(ctx: Context, libraries: Sequence[str]) -> StageResult:
    from pipeline.report import stage as report
    from pipeline.report.text import render_text

    result, json_path, html_path = report.run(ctx.work)
    if ctx.report_format == "json":
        text = json_path.read_text(encoding="utf-8")
    elif ctx.report_format == "html":
        text = html_path.read_text(encoding="utf-8")
    else:
        text = render_text(result, json_path, html_path, color=ctx.out.isatty())
    # The report describes failures; it is not one of them.
    return StageResult("report", json_path, text.rstrip("\n").split("\n"), 0)


def run_enrich(ctx: Context, libraries: Sequence[str]) -> StageResult:
    from pipeline.enrich import stage as enrich

    manifest, stats = enrich.run(ctx.work, ctx.settings, offline=ctx.offline,
                                 providers=ctx.providers)
    kinds = ", ".join(f"{kind} {n}" for kind, n in sorted(stats.by_kind.items()))
    sure = ", ".join(f"{level} {stats.confidence[level]}"
                     for level in ("strong", "medium", "low", "none") if level in stats.confidence)
    asked = ", ".join(f"{name} {n}" for name, n in sorted(stats.requests.items()))
    lines = [f"enrich: {stats.works} works ({kinds or 'none'}); confidence: {sure or 'none'}; "
             f"requests: {asked or 'none'}; {stats.elapsed:.2f} s -> {display(str(manifest))}"]
    if stats.skipped:
        # Said once per run, not once per work: the stage goes on from the names.
        lines.append("  providers skipped: " + "; ".join(stats.skipped))
    for why in stats.disabled:
        lines.append(f"  provider disabled for this run: {why}")
    return StageResult("enrich", manifest, lines, 0)


def write_naming_issues(work: Path, roots: Sequence[str]) -> tuple[Path, list[tuple[str, int]]]:
    """Verify ``roots`` and write ``work/verify.json`` (the report's naming issues):
    per rule its count and first files, tied to the scan it was made beside."""
    import datetime as _dt
    import os

    from pipeline import __version__
    from pipeline.core.manifest import file_sha256, write_file_atomic
    from pipeline.plan.verify import ByRule, verify_into
    from pipeline.report.model import (
        NAMING_FILES_CAP,
        VERIFY_SCHEMA,
        NamingIssue,
        NamingIssues,
        NamingRule,
    )

    found = ByRule(NAMING_FILES_CAP)
    absolute = sorted({os.path.abspath(root) for root in roots})
    for root in absolute:
        verify_into(root, found)
    groups = found.groups()
    inputs = {"scan.jsonl": file_sha256(work / "scan.jsonl")} \
        if (work / "scan.jsonl").exists() else {}
    document = NamingIssues(
        VERIFY_SCHEMA, _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"), __version__,
        inputs, absolute,
        [NamingRule(rule, count, [NamingIssue(v.path, v.message, v.fix) for v in first])
         for rule, count, first in groups])
    path = work / "verify.json"
    write_file_atomic(path, msgspec.json.encode(document) + b"\n")
    return path, [(rule, count) for rule, count, _ in groups]


def run_verify(ctx: Context, libraries: Sequence[str]) -> StageResult:
    """Naming issues of the libraries as they are, for the report (never a failure)."""
    import time

    start = time.monotonic()
    path, counts = write_naming_issues(ctx.work, libraries)
    total = sum(n for _, n in counts)
    rules = ", ".join(f"{rule} {n:,}" for rule, n in counts[:4])
    more = f", {len(counts) - 4} more rules" if len(counts) > 4 else ""
    return StageResult("verify", path, [
        f"verify: {total:,} naming issues ({rules or 'none'}{more}), "
        f"{time.monotonic() - start:.2f} s -> {display(str(path))}"], 0)


def run_plan(ctx: Context, libraries: Sequence[str]) -> StageResult:
    from pipeline.core.errors import UsageError
    from pipeline.plan import stage as plan

    if not ctx.dest:
        raise UsageError("plan needs --dest DIR: the folder the organized library goes to")
    manifest, stats = plan.run(ctx.work, ctx.dest, ctx.settings,
                               conflict=ctx.conflict,  # type: ignore[arg-type]
                               accept=ctx.accept)
    lines = [
        f"plan: {stats.moves} moves, {stats.skips} skips ({stats.in_place} already in place, "
        f"{stats.unrecognised} Jellyfin would misread), "
        f"{stats.creates} creates, {stats.conflicts} conflicts, {stats.elapsed:.2f} s "
        f"-> {display(str(manifest))}"
    ]
    if stats.skip_reasons:
        reasons = ", ".join(f"{why}: {n}" for why, n in sorted(stats.skip_reasons.items(),
                                                              key=lambda kv: -kv[1]))
        lines.append(f"  skipped: {reasons}")
    return StageResult("plan", manifest, lines, 0)


def run_organize(ctx: Context, libraries: Sequence[str]) -> StageResult:
    from pipeline.organize import stage as organize

    options: OrganizeOptions = ctx.organize or organize.OrganizeOptions.from_settings(
        ctx.settings, dest=ctx.dest)
    planned: list[str] = []
    if options.dest and not (ctx.work / "plan.jsonl").exists():
        # `organize --dest DIR` straight after a scan: there is nothing to disagree
        # with yet, so plan first (and say so) rather than send the user back.
        planned = run_plan(msgspec.structs.replace(ctx, dest=options.dest), libraries).summary
        planned = ["organize: no plan yet, so planned first:", *(f"  {x}" for x in planned)]
    with Progress("organize", stream=ctx.err, interval=ctx.progress_interval) as progress:
        stats = organize.run(ctx.work, ctx.settings, options,
                             tick=progress.update)
    if options.dry_run:
        return StageResult("organize", ctx.work / "plan.jsonl",
                           [*planned, "organize (dry run, nothing was changed):",
                            *(f"  {line}" for line in stats.dry_run)], 0)
    journal = ctx.work / "plan.jsonl" if stats.journal is None else stats.journal
    if stats.journal is None:  # nothing to do: the plan was applied already
        # For `jforg run` that is one word, unless organize had more to say (it
        # closed another plan's interrupted transaction).
        return StageResult("organize", journal,
                           [*planned, *(f"organize: {n}" for n in stats.notes)], 0,
                           unchanged=not planned and len(stats.notes) == 1)
    placed = sum(n for label, n in stats.steps.items() if label not in ("mkdir", "create"))
    done = ", ".join(f"{label} {n}" for label, n in sorted(stats.steps.items()))
    lines = [*planned, f"organize: transaction {stats.txn}: {done or 'nothing to do'}; "
             f"{stats.failed} failed, {stats.plan_skips} skipped by the plan, "
             f"{human_bytes(stats.bytes_copied)} copied, {stats.elapsed:.2f} s "
             f"-> {display(str(journal))}"]
    if stats.resumed:
        lines.append(f"  finished the interrupted transaction {stats.resumed}")
    lines += [f"  {note}" for note in stats.notes]
    if stats.failures:
        by_code = ", ".join(f"{code}: {n}" for code, n in sorted(stats.failures.items()))
        lines.append(f"  failed by reason: {by_code}")
        lines += [f"  error: {display(example)}" for example in stats.examples]
    return StageResult("organize", journal, lines, stats.failed, counts={"organized": placed})


def rollback(ctx: Context, txn: str | None, *, last: bool = False, show: str | None = None,
             listing: bool = False) -> StageResult:
    """``jforg rollback``: undo a transaction, or list / show them."""
    from pipeline.organize import rollback as undo

    journal = ctx.work / "journal"
    if listing:
        return StageResult("rollback", journal, undo.listing(ctx.work), 0)
    if show is not None:
        return StageResult("rollback", journal, undo.describe(undo.find(ctx.work, show,
                                                                          last=False)), 0)
    path = undo.find(ctx.work, txn, last=last)
    stats = undo.rollback(ctx.work, path)
    if stats.already:
        return StageResult("rollback", path, [f"rollback: transaction {stats.txn} was already "
                                              "rolled back; nothing to do"], 0)
    lines = [f"rollback: transaction {stats.txn}: {stats.put_back} files put back, "
             f"{stats.removed} files it made removed, {len(stats.kept)} left as they are, "
             f"{stats.elapsed:.2f} s -> {display(str(path))}"]
    lines += [f"  kept: {why}" for why in stats.kept[:_MAX_ERRORS_SHOWN]]
    if stats.folders_kept:
        lines.append(f"  {len(stats.folders_kept)} folder(s) it made hold other files now and "
                     f"stay: {', '.join(stats.folders_kept[:3])}")
    if len(stats.kept) > _MAX_ERRORS_SHOWN:
        lines.append(f"  ... and {len(stats.kept) - _MAX_ERRORS_SHOWN} more; see "
                     f"jforg rollback --show {stats.txn}")
    if stats.newer:
        lines.append(f"  note: later transactions were not rolled back first: "
                     f"{', '.join(stats.newer)}; files they moved stay where they are")
    return StageResult("rollback", path, lines, len(stats.kept))


def _error_lines(manifest: Path, schema: str, record_type: type[ScanRecord | ProbeRecord]
                 ) -> list[str]:
    from pipeline.core.manifest import read_manifest

    lines: list[str] = []
    shown = 0
    _, records = read_manifest(manifest, schema, record_type)
    total = 0
    for record in records:
        if record.error is None:
            continue
        total += 1
        if shown < _MAX_ERRORS_SHOWN:
            shown += 1
            lines.append(
                f"  error: {display(record.path)}: {record.error.code}: {record.error.message}"
            )
    if total > shown:
        lines.append(f"  ... and {total - shown} more errors in {display(str(manifest))}")
    return lines


# The order of the pipeline. Each row takes the context and the library roots.
STAGES: list[tuple[str, Callable[[Context, Sequence[str]], StageResult]]] = [
    ("scan", run_scan),
    ("probe", run_probe),
    ("enrich", run_enrich),
    ("verify", run_verify),
    ("report", run_report),
]

# Stages that run only when asked for by name (or by `run --dest`).
ON_REQUEST: dict[str, Callable[[Context, Sequence[str]], StageResult]] = {
    "plan": run_plan, "organize": run_organize}


def run_pipeline(ctx: Context, libraries: Sequence[str],
                 only: str | None = None) -> list[StageResult]:
    """Run every stage in order (``jforg run``), or just ``only``, printing each summary."""
    table = list(STAGES)
    if ctx.dest:
        # With a destination the plan comes before the report, which shows it;
        # `run --organize` applies it right after (cron).
        table.insert(len(table) - 1, ("plan", run_plan))
        if ctx.organize is not None and only is None:
            table.insert(len(table) - 1, ("organize", run_organize))
    if only is None:
        return _run_all(ctx, libraries, table)
    if only in ON_REQUEST:
        table = [(only, ON_REQUEST[only])]
    results = []
    for name, stage in table:
        if name != only:
            continue
        result = stage(ctx, libraries)
        for line in result.summary:
            print(line, file=ctx.out, flush=True)
        results.append(result)
    return results


def _run_all(ctx: Context, libraries: Sequence[str],
             table: list[tuple[str, Callable[[Context, Sequence[str]], StageResult]]]
             ) -> list[StageResult]:
    """``jforg run``: every row, skipping the unchanged, logged, ending with one line."""
    import os
    import time

    from pipeline import freshness, runlog

    start = time.monotonic()
    title = " ".join(["jforg", __version__, "run", *libraries,
                      *(["--dest", ctx.dest] if ctx.dest else []),
                      *(["--organize"] if ctx.organize is not None else [])])
    with runlog.RunLog(ctx.work, ctx.settings.run.log_days, title) as log:
        ctx = msgspec.structs.replace(ctx, out=runlog.LoggedOutput(ctx.out, log))
        ledger = freshness.Ledger(ctx.work)
        offline = ctx.settings.enrich.offline if ctx.offline is None else ctx.offline
        flags = freshness.RunFlags(
            roots=tuple(scan.normalise_roots(libraries)), offline=offline,
            providers=ctx.providers, dest=os.path.abspath(ctx.dest) if ctx.dest else None,
            conflict=ctx.conflict, accept=ctx.accept,
            force=ctx.force)
        results = []
        for name, stage in table:
            result = _run_or_skip(ctx, libraries, name, stage, ledger, flags)
            for line in [f"{name}: unchanged"] if result.unchanged else result.summary:
                print(line, file=ctx.out, flush=True)
            results.append(result)
        ledger.save()
        totals = runlog.totals([r.counts for r in results], sum(r.failed_items for r in results),
                               ctx.work / "report.json", time.monotonic() - start)
        print(runlog.summary_line(totals), file=ctx.out, flush=True)
    return results


def _run_or_skip(ctx: Context, libraries: Sequence[str], name: str,
                 stage: Callable[[Context, Sequence[str]], StageResult],
                 ledger: Ledger, flags: RunFlags) -> StageResult:
    """One row of ``jforg run``: skipped when ``freshness`` finds its inputs unchanged."""
    from pipeline.freshness import SKIPPABLE

    if name not in SKIPPABLE:
        return stage(ctx, libraries)
    inputs, entry = ledger.check(name, ctx.settings, flags)
    if entry is not None:
        return StageResult(name, ctx.work, [], entry.failed, unchanged=True)
    result = stage(ctx, libraries)
    ledger.record(name, inputs, result.failed_items)
    return result
