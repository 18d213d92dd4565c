"""Scan benchmarks: `jforg scan` vs `find` on a generated 100 000-file library.

Run with `make bench`. Whole commands, same run, warm cache unless named
"cold". The figures land in the "jforg benchmark figures" section of the
output and in pytest-benchmark's table; nothing fails on time.

Measured on the 2-core development machine (2026-11-29):
see the closing note of issue 2 for the numbers of that run.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from benchmarks.conftest import drop_caches, jforg_argv, median_run, run_command

ROUNDS = 7


def _find(library: Path) -> list[str]:
    return ["find", str(library), "-type", "f", "-printf", r"%s %T@ %p\n"]


def _mib(kib: int) -> str:
    return f"{kib / 1024:.1f} MiB" if kib else "n/a (no /usr/bin/time)"


def _warm(library: Path, tmp_path: Path) -> None:
    run_command(_find(library))
    run_command(jforg_argv("scan", str(library), "--work", str(tmp_path / "warm")))


def test_scan_100k_against_find_warm(benchmark, library_100k: Path, tmp_path: Path,
                                     record_figure: Callable[[str], None]) -> None:
    _warm(library_100k, tmp_path)
    work = tmp_path / "work"
    find_s, find_rss = median_run(_find(library_100k), ROUNDS,
                                  stdout_path=tmp_path / "find.out")
    argv = jforg_argv("scan", str(library_100k), "--work", str(work))
    peaks: list[int] = []

    def scan() -> None:
        peaks.append(run_command(argv)[1])

    benchmark.pedantic(scan, rounds=ROUNDS, iterations=1, warmup_rounds=1)
    scan_s = benchmark.stats.stats.median
    ratio = scan_s / find_s
    benchmark.extra_info.update(find_s=find_s, ratio=ratio, peak_rss_kib=max(peaks))
    record_figure(f"scan 100k warm: jforg {scan_s:.3f} s, find {find_s:.3f} s, "
                  f"ratio {ratio:.2f}x (target <= 1.5, limit 2.5); peak RSS jforg "
                  f"{_mib(max(peaks))}, find {_mib(find_rss)}")
    assert (work / "scan.jsonl").stat().st_size > 100_000 * 50  # it really wrote 100k records


@pytest.mark.parametrize("jobs", [1, 2])
def test_scan_100k_workers_warm(benchmark, library_100k: Path, tmp_path: Path, jobs: int,
                                record_figure: Callable[[str], None]) -> None:
    _warm(library_100k, tmp_path)
    argv = jforg_argv("scan", str(library_100k), "--work", str(tmp_path / "w"),
                      "--jobs", str(jobs))
    benchmark.pedantic(lambda: run_command(argv), rounds=ROUNDS, iterations=1, warmup_rounds=1)
    record_figure(f"scan 100k warm, --jobs {jobs}: {benchmark.stats.stats.median:.3f} s")


def test_scan_100k_cold_cache(library_100k: Path, tmp_path: Path,
                              record_figure: Callable[[str], None]) -> None:
    """Cold cache: does a second walker help when the disk, not Python, is the limit?"""
    if not drop_caches():
        pytest.skip("dropping the page cache needs root")
    results = {}
    for name, argv in [
        ("find", _find(library_100k)),
        ("jobs 1", jforg_argv("scan", str(library_100k), "--work", str(tmp_path / "c1"),
                              "--jobs", "1")),
        ("jobs 2", jforg_argv("scan", str(library_100k), "--work", str(tmp_path / "c2"),
                              "--jobs", "2")),
    ]:
        times = []
        for _ in range(3):
            drop_caches()
            times.append(run_command(argv)[0])
        results[name] = sorted(times)[1]
    record_figure("scan 100k cold cache (median of 3): " + ", ".join(
        f"{name} {seconds:.3f} s" for name, seconds in results.items())
        + f"; jobs 2 / find {results['jobs 2'] / results['find']:.2f}x")
    assert all(seconds > 0 for seconds in results.values())
