"""Scan benchmarks: whole `jforg scan` commands against `find`, and the start-up.

Run with `make bench`. Every figure times whole commands, as a user runs
them, in the same run and interleaved (find, then jforg, round after round),
so a load that comes and goes on the machine falls on both; medians are
reported, with the load average. Warm cache unless named "cold". Nothing
fails on time.

- scan start-up: `jforg scan` of an empty folder (goal <= 0.10 s);
- the 60 000-file tree: 3 000 folders of 20 files, half of them siblings
  under one flat parent (goal <= 1.5x find, limit 2.0x), and --jobs 2
  against --jobs 1 there;
- the generated 100 000-file library against find; cold cache (root only).
"""

from __future__ import annotations

import os
import statistics
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest

from benchmarks.conftest import drop_caches, jforg_argv, run_command

ROUNDS = 9
STARTUP_ROUNDS = 21


def _find(library: Path) -> list[str]:
    return ["find", str(library), "-type", "f", "-printf", r"%s %T@ %p\n"]


def _load() -> str:
    return "/".join(f"{x:.1f}" for x in os.getloadavg())


def _interleaved(commands: Mapping[str, tuple[Sequence[str], Path | None]], rounds: int,
                 env: dict[str, str] | None = None) -> dict[str, list[float]]:
    """Wall seconds of each command, run round after round in turn."""
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(rounds):
        for name, (argv, stdout) in commands.items():
            times[name].append(run_command(argv, stdout_path=stdout, env=env)[0])
    return times


def make_flat_and_deep_tree(root: Path) -> int:
    """3 000 folders of 20 zero-byte files: 1 500 of them side by side in
    ``Unsorted/``, the other 1 500 as ``Shows/<50 shows>/<30 seasons>/``.

    The flat half is what a downloads folder looks like, and what a split
    by subtree count gets wrong: its folders are many but small.
    """
    folders = [root / "Unsorted" / f"Some.Download.{n:04d}.1080p.WEB-DL.x264-GRP"
               for n in range(1_500)]
    folders += [root / "Shows" / f"Show Number {show:02d} (20{show % 24:02d})" / f"Season {s:02d}"
                for show in range(50) for s in range(1, 31)]
    count = 0
    for folder in folders:
        folder.mkdir(parents=True)
        for n in range(20):
            name = f"{folder.name}.E{n:02d}.mkv" if folder.parent.name != "Unsorted" \
                else f"{folder.name}.part{n:02d}.mkv"
            os.close(os.open(folder / name, os.O_CREAT | os.O_WRONLY, 0o644))
            count += 1
    return count


@pytest.fixture(scope="module")
def tree_60k(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("scan60k") / "library"
    assert make_flat_and_deep_tree(root) == 60_000
    return root


def _without_bytecode_flag() -> dict[str, str]:
    # A user's jforg reads its modules from bytecode caches written on the
    # first run; PYTHONDONTWRITEBYTECODE (set in some CI shells) would make
    # every run compile them again, which is not what a user waits for.
    return {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def test_scan_start_up_on_an_empty_folder(benchmark: Any, tmp_path: Path,
                                          record_figure: Callable[..., None]) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    argv = jforg_argv("scan", str(empty), "--work", str(tmp_path / "work"))
    cached, plain = _without_bytecode_flag(), dict(os.environ)
    for _ in range(3):  # the first writes the bytecode caches, as a user's first run does
        run_command(argv, env=cached)
    times: dict[str, list[float]] = {"cached": [], "as set": []}
    for _ in range(STARTUP_ROUNDS):
        times["cached"].append(run_command(argv, env=cached)[0])
        times["as set"].append(run_command(argv, env=plain)[0])
    benchmark.pedantic(lambda: run_command(argv, env=cached), rounds=5, iterations=1)
    start_up = statistics.median(times["cached"])
    as_set = statistics.median(times["as set"])
    benchmark.extra_info.update(median_s=start_up, min_s=min(times["cached"]),
                                environment_as_set_s=as_set, load=_load())
    record_figure("scan-startup", start_up,
                  detail=f"median of {STARTUP_ROUNDS}, min {min(times['cached']):.3f} s; "
                  f"{as_set:.3f} s with this shell's environment (PYTHONDONTWRITEBYTECODE="
                  f"{os.environ.get('PYTHONDONTWRITEBYTECODE', 'unset')}); load {_load()}")
    assert (tmp_path / "work" / "scan.jsonl").exists()


def test_scan_60k_flat_and_deep_against_find(benchmark: Any, tree_60k: Path, tmp_path: Path,
                                             record_figure: Callable[..., None]) -> None:
    commands = {
        "find": (_find(tree_60k), tmp_path / "find.out"),
        "jforg": (jforg_argv("scan", str(tree_60k), "--work", str(tmp_path / "w")), None),
        "jobs 1": (jforg_argv("scan", str(tree_60k), "--work", str(tmp_path / "w1"),
                              "--jobs", "1"), None),
    }
    _interleaved(commands, 1)  # warm the page and dentry caches, write the bytecode caches
    times: dict[str, list[float]] = {name: [] for name in commands}

    def one_round() -> None:
        for name, values in _interleaved(commands, 1).items():
            times[name] += values

    benchmark.pedantic(one_round, rounds=ROUNDS, iterations=1)
    find_s, scan_s, one_s = (statistics.median(times[n]) for n in ("find", "jforg", "jobs 1"))
    ratio = scan_s / find_s
    benchmark.extra_info.update(find_s=find_s, scan_s=scan_s, jobs1_s=one_s, ratio=ratio,
                                load=_load())
    record_figure("scan-vs-find", ratio,
                  detail=f"jforg scan {scan_s:.3f} s (one walker per core, {os.cpu_count()} "
                  f"cores), find {find_s:.3f} s; --jobs 1 {one_s:.3f} s = {one_s / find_s:.2f}x "
                  f"find, so the second walker gains {one_s / scan_s:.2f}x; medians of {ROUNDS}, "
                  f"load {_load()}")
    lines = (tmp_path / "w" / "scan.jsonl").read_bytes().count(b"\n")
    assert lines == 60_001  # the header and every file
    assert (tmp_path / "w1" / "scan.jsonl").read_bytes().split(b"\n", 1)[1] == \
        (tmp_path / "w" / "scan.jsonl").read_bytes().split(b"\n", 1)[1]


def test_scan_100k_library_against_find(benchmark: Any, library_100k: Path, tmp_path: Path,
                                        record_figure: Callable[..., None]) -> None:
    commands = {
        "find": (_find(library_100k), tmp_path / "find.out"),
        "jforg": (jforg_argv("scan", str(library_100k), "--work", str(tmp_path / "w")), None),
    }
    _interleaved(commands, 1)
    times: dict[str, list[float]] = {name: [] for name in commands}

    def one_round() -> None:
        for name, values in _interleaved(commands, 1).items():
            times[name] += values

    benchmark.pedantic(one_round, rounds=5, iterations=1)
    find_s, scan_s = statistics.median(times["find"]), statistics.median(times["jforg"])
    benchmark.extra_info.update(find_s=find_s, scan_s=scan_s, ratio=scan_s / find_s)
    record_figure("scan 100k generated library vs find", scan_s / find_s, "x",
                  detail=f"jforg {scan_s:.3f} s, find {find_s:.3f} s; medians of 5, load {_load()}")
    assert (tmp_path / "w" / "scan.jsonl").stat().st_size > 100_000 * 50


def test_scan_100k_cold_cache(library_100k: Path, tmp_path: Path,
                              record_figure: Callable[..., None]) -> None:
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
    record_figure("scan 100k cold cache, jobs 2 vs find", results["jobs 2"] / results["find"],
                  "x", detail="medians of 3: " + ", ".join(
                      f"{name} {s:.3f} s" for name, s in results.items()))
    assert all(seconds > 0 for seconds in results.values())
