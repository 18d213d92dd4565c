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
import tempfile
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


GNU_TIME = "/usr/bin/time"


def run_command(argv: Sequence[str], stdout_path: Path | None = None,
                env: dict[str, str] | None = None) -> tuple[float, int]:
    """Run a whole command; return (wall seconds, its peak RSS in KiB, 0 if unknown).

    The peak comes from GNU time, which forks from its own small process:
    rusage of a child forked straight from pytest would report pytest's
    resident size, which the child inherits until it execs.
    """
    prefix: list[str] = []
    rss_file = None
    if Path(GNU_TIME).exists():
        fd, rss_file = tempfile.mkstemp(prefix="jforg-rss-")
        os.close(fd)
        prefix = [GNU_TIME, "-f", "%M", "-o", rss_file]
    with open(stdout_path or os.devnull, "wb") as out:
        start = time.perf_counter()
        code = subprocess.call([*prefix, *argv], stdout=out, stderr=subprocess.DEVNULL,
                               env=env, cwd=REPO)
        elapsed = time.perf_counter() - start
    assert code in (0, 1), f"{argv[0]} exited {code}"
    peak = 0
    if rss_file is not None:
        text = Path(rss_file).read_text().strip().splitlines()
        Path(rss_file).unlink()
        peak = int(text[-1]) if text and text[-1].isdigit() else 0
    return elapsed, peak


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
