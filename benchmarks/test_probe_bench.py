"""Probe benchmarks (make bench): what a second worker gains, and incremental re-runs.

(a) `jforg probe --jobs 2` against `--jobs 1`, whole commands, on 1 200
    release names: zero-byte files named like the movies of
    benchmarks/namepools.py, so the figure measures jforg's own work (guessit,
    the wrapper, the fingerprint, the manifests) and what it costs to start
    workers. Goal >= 1.75x on two cores.
(c) a re-run over an unchanged 10 000-file library vs the first run
    (target <= 5 %).
Nothing fails on time.
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import msgspec
import pytest

from benchmarks.conftest import jforg_argv, run_command
from benchmarks.libgen import classify, make_library
from benchmarks.namepools import plan_paths
from pipeline.core.settings import Settings
from pipeline.probe import stage as probe
from pipeline.scan import stage as scan

NAMES = 1_200
ROUNDS = 3
# The top folders under which namepools puts movies (Jellyfin folders, scene releases).
_MOVIE_FOLDERS = frozenset({"Movies", "Kids Movies", "Movies (unsorted)", "Films", "Downloads",
                            "incoming"})


def _settings(jobs: int) -> Settings:
    base = Settings()
    return msgspec.structs.replace(
        base, probe=msgspec.structs.replace(base.probe, jobs=jobs),
        scan=msgspec.structs.replace(base.scan, jobs=1, extensions=base.scan.extensions))


def movie_release_paths(count: int, seed: int = 7) -> list[str]:
    """The first ``count`` movie video paths of the generated library of ``seed``."""
    found: list[str] = []
    total = 4 * count
    while len(found) < count:
        found = [rel for rel, _ in plan_paths(total, seed)
                 if classify(rel) == "video" and rel.split("/", 1)[0] in _MOVIE_FOLDERS]
        total *= 2
    return found[:count]


@pytest.fixture(scope="module")
def names_1200(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A work folder whose scan holds 1 200 zero-byte movie videos."""
    root = tmp_path_factory.mktemp("probe1200")
    library = root / "library"
    for rel in movie_release_paths(NAMES):
        path = library / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o644))
    work = root / "work"
    _, stats = scan.run(work, [str(library)], _settings(1).scan)
    assert stats.files["video"] == NAMES
    return work


def test_probe_1200_names_jobs_2_against_jobs_1(benchmark: Any, names_1200: Path,
                                                tmp_path: Path,
                                                record_figure: Callable[..., None]) -> None:
    works = {}
    for jobs in (1, 2):  # a work folder each: a run never reuses the other's records
        works[jobs] = tmp_path / f"jobs{jobs}"
        works[jobs].mkdir()
        (works[jobs] / "scan.jsonl").write_bytes((names_1200 / "scan.jsonl").read_bytes())

    def argv(jobs: int) -> list[str]:
        return jforg_argv("probe", "--work", str(works[jobs]), "--jobs", str(jobs), "--force")

    run_command(argv(2))  # warm: bytecode and page caches
    times: dict[int, list[float]] = {1: [], 2: []}

    def one_round() -> None:
        for jobs in (1, 2):
            times[jobs].append(run_command(argv(jobs))[0])

    benchmark.pedantic(one_round, rounds=ROUNDS, iterations=1)
    one, two = statistics.median(times[1]), statistics.median(times[2])
    load = "/".join(f"{x:.1f}" for x in os.getloadavg())
    benchmark.extra_info.update(jobs1_s=one, jobs2_s=two, speed_up=one / two, load=load)
    record_figure("probe-jobs", one / two,
                  detail=f"--jobs 1 {one:.2f} s, --jobs 2 {two:.2f} s, whole commands, "
                  f"medians of {ROUNDS}; load {load}")
    for jobs in (1, 2):
        lines = (works[jobs] / "probe.jsonl").read_bytes().split(b"\n", 1)[1]
        assert lines.count(b"\n") == NAMES
    assert (works[1] / "probe.jsonl").read_bytes().split(b"\n", 1)[1] == \
        (works[2] / "probe.jsonl").read_bytes().split(b"\n", 1)[1]


def test_probe_rerun_over_an_unchanged_10k_library(tmp_path: Path,
                                                    record_figure: Callable[..., None]) -> None:
    library = tmp_path / "library"
    make_library(library, 10_000, seed=4, sizes="empty", media=24)
    work = tmp_path / "work"
    settings = _settings(0)
    scan.run(work, [str(library)], settings.scan)
    start = time.perf_counter()
    _, first = probe.run(work, settings)
    first_s = time.perf_counter() - start
    start = time.perf_counter()
    _, second = probe.run(work, settings)
    second_s = time.perf_counter() - start
    record_figure("probe re-run / first run, unchanged 10k library", 100 * second_s / first_s,
                  "%", goal=5.0,
                  detail=f"first run {first_s:.2f} s ({first.probed} probed), re-run "
                  f"{second_s:.2f} s ({second.reused} reused, {second.probed} sidecars looked "
                  "at), in-process")
    assert second.reused > 0 and second.reused + second.probed == second.total
