"""Benchmark plumbing: the generated libraries, whole-command timing, the figures table.

Each benchmark compares jforg against a baseline measured in the same run
and records the ratio with ``record_figure``; the figures are printed at
the end of ``make bench``. Nothing here fails on time.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pytest

from benchmarks.libgen import make_library

REPO = Path(__file__).resolve().parent.parent
FIGURES: list[str] = []


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if FIGURES:
        terminalreporter.section("jforg benchmark figures")
        for line in FIGURES:
            terminalreporter.write_line(line)


@pytest.fixture(scope="session")
def record_figure() -> Callable[[str], None]:
    return FIGURES.append


@pytest.fixture(scope="session")
def library_100k(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The deterministic 100 000-file library (sparse files: almost no disk)."""
    root = tmp_path_factory.mktemp("bench") / "library"
    make_library(root, 100_000, seed=1, sizes="sparse")
    yield root


def run_command(argv: Sequence[str], stdout_path: Path | None = None,
                env: dict[str, str] | None = None) -> tuple[float, int]:
    """Run a whole command; return (wall seconds, peak RSS in KiB of it and its children)."""
    out = open(stdout_path or os.devnull, "wb")  # noqa: SIM115 - closed below
    try:
        start = time.perf_counter()
        child = subprocess.Popen(list(argv), stdout=out, stderr=subprocess.DEVNULL,
                                 env=env, cwd=REPO)
        _, status, usage = os.wait4(child.pid, 0)
        elapsed = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
    finally:
        out.close()
    assert child.returncode in (0, 1), f"{argv[0]} exited {child.returncode}"
    return elapsed, usage.ru_maxrss


def median_run(argv: Sequence[str], rounds: int, **kwargs: object) -> tuple[float, int]:
    times, peaks = [], []
    for _ in range(rounds):
        elapsed, peak = run_command(argv, **kwargs)  # type: ignore[arg-type]
        times.append(elapsed)
        peaks.append(peak)
    return statistics.median(times), max(peaks)


def jforg_argv(*args: str) -> list[str]:
    # The console script, as a user runs it (it skips `python -m`'s runpy work).
    script = Path(sys.executable).with_name("jforg")
    return [str(script), *args] if script.exists() else [sys.executable, "-m", "pipeline", *args]


def drop_caches() -> bool:
    """Empty the page, dentry and inode caches (root only); False when not allowed."""
    try:
        os.sync()
        with open("/proc/sys/vm/drop_caches", "w") as handle:
            handle.write("3\n")
    except OSError:
        return False
    return True
