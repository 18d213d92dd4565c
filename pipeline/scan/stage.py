"""The scan stage: library roots in, ``WORK/scan.jsonl`` out.

The walk itself lives in ``walk``. This module decides how to spread it:
a library is cut at its top folders into subtrees, contiguous runs of
subtrees go to ``jobs`` forked walkers (``forked``), each run's records go
to a part file, and the parts are joined in order. Records come out in
exactly the order a single walk gives, so the manifest is the same bytes
whatever ``jobs`` is. A library with fewer than two subtrees to spread (an
empty folder, a handful of files) is walked here: forking would cost more
than it saves. Figures: benchmarks/test_scan_bench.py.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import msgspec

from pipeline.core.digest import sha256_hex
from pipeline.core.errors import UsageError
from pipeline.core.fileclass import classifier
from pipeline.core.manifest import ManifestWriter
from pipeline.core.paths import sort_key, to_wire
from pipeline.core.records import SCAN_SCHEMA, ScanRecord
from pipeline.core.settings import ScanSettings
from pipeline.scan.walk import Rules, ScanStats, Subtree, walk_tree

__all__ = ["MANIFEST", "ScanStats", "classifier", "normalise_roots", "run", "walk"]

MANIFEST = "scan.jsonl"
_PART_PREFIX = ".scan.part-"
# Cut the library into many subtrees (listing the top levels costs little)
# and hand them out as many small tasks: workers pull tasks as they finish,
# so one huge folder (Music/ beside fifty "Unsorted (N)" folders) can't
# leave the other core idle. Measured on a generated 100k library: 8
# subtrees per job gave 1.2x on two cores, 256 with 32 tasks per job 1.8x.
_SUBTREES_PER_JOB = 256
_TASKS_PER_JOB = 32
_MAX_SPLIT_DEPTH = 3


def normalise_roots(libraries: Sequence[str]) -> list[str]:
    """Absolute, existing folders, sorted, with roots inside other roots dropped."""
    roots: list[str] = []
    for lib in libraries:
        path = os.path.abspath(lib)
        if not os.path.isdir(path):
            what = "does not exist" if not os.path.lexists(path) else "is not a folder"
            raise UsageError(f"{lib}: library root {what}")
        roots.append(path)
    kept: list[str] = []
    for root in sorted(set(roots), key=sort_key):
        if not any(root.startswith(k.rstrip("/") + "/") for k in kept):
            kept.append(root)
    return kept


def _root_trees(roots: Sequence[str], stats: ScanStats,
                seen: set[tuple[int, int]]) -> list[Subtree]:
    trees = []
    for root in roots:
        st = os.stat(root)
        if (st.st_dev, st.st_ino) in seen:
            stats.skip("already walked")
            continue
        seen.add((st.st_dev, st.st_ino))
        trees.append(Subtree(to_wire(root), root, ""))
    return trees


def walk(
    roots: Sequence[str],
    settings: ScanSettings,
    stats: ScanStats,
    *,
    skip_dirs: Sequence[str] = (),
    tick: Callable[[ScanStats], None] | None = None,
) -> Iterator[ScanRecord]:
    """Walk ``roots`` (normalised) in one process, yielding records in manifest order."""
    yield from _walk_rules(roots, Rules.build(settings, skip_dirs), stats, tick)


def _walk_rules(roots: Sequence[str], rules: Rules, stats: ScanStats,
                tick: Callable[[ScanStats], None] | None) -> Iterator[ScanRecord]:
    seen: set[tuple[int, int]] = set()
    for tree in _root_trees(roots, stats, seen):
        for item in walk_tree(tree, rules, stats, seen, tick=tick):
            assert isinstance(item, ScanRecord)  # no max_depth: never a Subtree
            yield item


def run(
    work: Path,
    libraries: Sequence[str],
    settings: ScanSettings,
    *,
    tick: Callable[[ScanStats], None] | None = None,
) -> tuple[Path, ScanStats]:
    """Scan ``libraries`` into ``work/scan.jsonl``; return its path and the stats."""
    roots = normalise_roots(libraries)
    rules = Rules.build(settings, [str(work)])
    jobs = settings.jobs or os.cpu_count() or 1
    stats = ScanStats()
    start = time.monotonic()
    out = work / MANIFEST
    with ManifestWriter[ScanRecord](out, SCAN_SCHEMA, _inputs(roots, settings)) as writer:
        if jobs == 1 or rules.follow:
            # Loop detection needs one set of walked folders: one process.
            writer.write_all(_walk_rules(roots, rules, stats, tick))
        else:
            _run_parallel(writer, roots, rules, stats, jobs, tick)
    stats.elapsed = time.monotonic() - start
    return out, stats


def _inputs(roots: Sequence[str], settings: ScanSettings) -> dict[str, str]:
    """What decided this manifest, so later stages can tell a changed scan apart."""
    # jobs changes the speed, not the records: leave it out of the fingerprint.
    what = msgspec.json.encode([[to_wire(r) for r in roots], msgspec.structs.replace(settings,
                                                                                      jobs=0)])
    return {"settings": sha256_hex(what)}


def _split(roots: Sequence[str], rules: Rules, stats: ScanStats,
           target: int) -> list[ScanRecord | Subtree]:
    """Records of the top levels and subtrees below them, in manifest order."""
    seen: set[tuple[int, int]] = set()
    items: list[ScanRecord | Subtree] = list(_root_trees(roots, stats, seen))
    for _ in range(_MAX_SPLIT_DEPTH):
        if sum(isinstance(i, Subtree) for i in items) >= target:
            break
        expanded: list[ScanRecord | Subtree] = []
        for item in items:
            if isinstance(item, Subtree):
                expanded.extend(walk_tree(item, rules, stats, seen, max_depth=1))
            else:
                expanded.append(item)
        items = expanded
    return items


def _groups(items: list[ScanRecord | Subtree], count: int) -> list[list[ScanRecord | Subtree]]:
    """Cut ``items`` into ``count`` contiguous runs holding about as many subtrees."""
    trees = sum(isinstance(i, Subtree) for i in items)
    per_group = max(1, -(-trees // count))
    groups: list[list[ScanRecord | Subtree]] = [[]]
    in_group = 0
    for item in items:
        if isinstance(item, Subtree):
            if in_group == per_group:
                groups.append([])
                in_group = 0
            in_group += 1
        groups[-1].append(item)
    return groups


def _run_parallel(writer: ManifestWriter[ScanRecord], roots: Sequence[str], rules: Rules,
                  stats: ScanStats, jobs: int, tick: Callable[[ScanStats], None] | None) -> None:
    items = _split(roots, rules, stats, jobs * _SUBTREES_PER_JOB)
    if sum(isinstance(i, Subtree) for i in items) < 2:
        # Nothing to spread (an empty or tiny library, or one deep folder):
        # forking would cost more than it could save.
        writer.write_all(_walk_items(items, rules, stats, tick))
        return
    from pipeline.scan.forked import MAX_TASKS, run_forked

    groups = _groups(items, min(jobs * _TASKS_PER_JOB, MAX_TASKS))
    prefix = str(writer.path.parent / f"{_PART_PREFIX}{os.getpid()}-")
    parts = [f"{prefix}{i}" for i in range(len(groups))]

    def work(slot: int, index: int) -> bytes:
        count, part_stats = _walk_group(parts[index], groups[index], rules)
        return msgspec.msgpack.encode((count, part_stats))

    try:
        with contextlib.closing(run_forked(len(groups), work, jobs)) as results:
            for index, _, payload in results:
                count, part_stats = msgspec.msgpack.decode(payload, type=tuple[int, ScanStats])
                writer.append_encoded(Path(parts[index]), count)
                os.unlink(parts[index])
                stats.merge(part_stats)
                if tick is not None:
                    tick(stats)
    finally:
        # A walker killed mid-write (Ctrl-C ends them) leaves its part behind.
        for part in parts:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(part)


def _walk_items(items: Sequence[ScanRecord | Subtree], rules: Rules, stats: ScanStats,
                tick: Callable[[ScanStats], None] | None) -> Iterator[ScanRecord]:
    seen: set[tuple[int, int]] = set()
    for item in items:
        if isinstance(item, ScanRecord):
            yield item
            continue
        for record in walk_tree(item, rules, stats, seen, tick=tick):
            assert isinstance(record, ScanRecord)  # no max_depth: never a Subtree
            yield record


def _walk_group(part: str, items: list[ScanRecord | Subtree], rules: Rules
                ) -> tuple[int, ScanStats]:
    stats = ScanStats()
    seen: set[tuple[int, int]] = set()
    # No max_depth: the walks yield records only. Chunks are cut by islice in
    # C: this loop runs once per 4 096 records, not once per record.
    records = itertools.chain.from_iterable(
        walk_tree(item, rules, stats, seen) if isinstance(item, Subtree) else (item,)
        for item in items)
    encode = msgspec.json.Encoder().encode_lines
    count = 0
    with open(part, "wb") as handle:
        while chunk := list(itertools.islice(records, 4096)):
            handle.write(encode(chunk))
            count += len(chunk)
    return count, stats
