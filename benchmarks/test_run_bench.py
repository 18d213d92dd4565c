"""Nightly re-run benchmark (make bench): `jforg run` over an unchanged 20 000-file library.

The first `jforg run LIB --offline --dest OUT` does every stage; the same
command again finds the library as it was and skips every stage after the
scan. Whole commands, as cron runs them. Both times are printed; the figure
is the re-run as a percentage of the first run (goal <= 3 %), once with
sparse files of realistic sizes (a NAS of preallocated downloads) and once
with zero-byte files (what jforg's own work costs when no file has content).
Nothing fails on time; the test checks that every stage said "unchanged".
"""

from __future__ import annotations

import re
import statistics
from pathlib import Path
from typing import Literal

import pytest

from benchmarks.conftest import RecordFigure, jforg_argv, run_command
from benchmarks.libgen import make_library

FILES = 20_000
RERUNS = 3
Sizes = Literal["sparse", "empty"]
STAGES = ("scan", "probe", "enrich", "verify", "plan", "report")


@pytest.mark.timeout(3600)
@pytest.mark.parametrize("sizes", ["sparse", "empty"])
def test_unchanged_nightly_rerun_against_the_first_run(tmp_path: Path, sizes: Sizes,
                                                        record_figure: RecordFigure) -> None:
    library, work = tmp_path / "library", tmp_path / "work"
    make_library(library, FILES, seed=20, sizes=sizes)
    argv = jforg_argv("run", str(library), "--work", str(work), "--offline",
                      "--dest", str(tmp_path / "dest"))
    first_s, first_rss = run_command(argv)
    output = tmp_path / "rerun.txt"
    reruns = [run_command(argv, stdout_path=output) for _ in range(RERUNS)]
    rerun_s = statistics.median(seconds for seconds, _ in reruns)
    said = output.read_text().splitlines()
    assert said[:-1] == [f"{stage}: unchanged" for stage in STAGES], said
    assert re.match(r"run: [\d,]+ files, 0 new, 0 changed, ", said[-1]), said[-1]
    record_figure(f"rerun-{sizes}", 100 * rerun_s / first_s,
                  detail=f"first run {first_s:.1f} s (peak RSS {first_rss / 1024:.0f} MiB), "
                         f"unchanged re-run {rerun_s:.2f} s (median of {RERUNS}, peak RSS "
                         f"{max(rss for _, rss in reruns) / 1024:.0f} MiB)")
