"""Benchmark plumbing: the generated libraries, whole-command timing, the figures table.

Each benchmark compares jforg against a reference measured in the same run
and records the figure with ``record_figure`` (see benchmarks/figures.py for
the forms it takes); at the end of ``make bench`` one table is printed —
figure, this run, goal, ratio to benchmarks/results/baseline.json — and the
figures join pytest-benchmark's JSON (``--benchmark-json``), with the machine
and its load. Nothing here fails on time.
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, Protocol

import msgspec
import pytest

from benchmarks.figures import RESULTS, Better, Figure, load_figures, render_table
from benchmarks.libgen import make_library

REPO = Path(__file__).resolve().parent.parent
FIGURES: list[Figure] = []
_SESSION: dict[str, Any] = {}


class RecordFigure(Protocol):
    def __call__(self, name: str, value: float | None = None, unit: str = "", *,
                 goal: float | None = None, better: Better = "lower",
                 detail: str = "") -> None: ...


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--full-rate", action="store_true", default=False,
                     help="enrich benchmark under the configured provider rate limits "
                          "(minutes of waiting; make bench-full)")


def pytest_sessionstart(session: pytest.Session) -> None:
    _SESSION.update(start=time.monotonic(), started=dt.datetime.now().isoformat("T", "seconds"),
                    load_start=os.getloadavg())


def _machine() -> dict[str, Any]:
    elapsed = time.monotonic() - _SESSION.get("start", time.monotonic())
    return {"started": _SESSION.get("started"), "wall_s": round(elapsed, 1),
            "cores": os.cpu_count(), "load_start": _SESSION.get("load_start"),
            "load_end": os.getloadavg()}


def pytest_benchmark_update_json(config: pytest.Config, benchmarks: object,
                                 output_json: dict[str, Any]) -> None:
    """Our figures (and the load the machine was under) join pytest-benchmark's JSON."""
    output_json["jforg"] = {"figures": msgspec.to_builtins(FIGURES), **_machine()}


@pytest.hookimpl(trylast=True)  # after pytest-benchmark's own table: ours ends the run
def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not FIGURES:
        return
    machine = _machine()
    load = "/".join(f"{x:.1f}" for x in machine["load_start"] or ())
    terminalreporter.section("jforg benchmark figures")
    terminalreporter.write_line(
        f"{machine['started']}, {machine['cores']} cores, load {load} at the start and "
        f"{machine['load_end'][0]:.1f} at the end, wall time {machine['wall_s'] / 60:.1f} min; "
        f"ratio baseline = this run / benchmarks/results/baseline.json")
    for line in render_table(FIGURES, load_figures(RESULTS / "baseline.json")):
        terminalreporter.write_line(line)


@pytest.fixture(scope="session")
def record_figure() -> RecordFigure:
    def record(name: str, value: float | None = None, unit: str = "", *,
               goal: float | None = None, better: Better = "lower", detail: str = "") -> None:
        FIGURES.append(Figure(name, value, unit, goal, better, detail))

    return record


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
