"""Plan benchmark (make bench): `jforg plan` over 100 000 generated probe records.

The probe manifest is synthesised (see test_report_bench.py), so this
measures the plan alone: three streaming passes, the naming rules, the
conflict set and the read-back of every media destination as Jellyfin
would read it. Reports time and peak RSS against the figures measured
before the read-back existed (target: at most 1.5x the time, 1.2x the
RSS); nothing fails on time. The synthetic series titles run "Title 0" to
"Title 1999" without a year, and Jellyfin reads "Title 1987" as "Title"
of 1987: the figure says how many files the read-back keeps for that.
"""

from __future__ import annotations

import re
from pathlib import Path

from benchmarks.conftest import RecordFigure, jforg_argv, run_command
from benchmarks.test_report_bench import _write_manifests

# `jforg plan` over the same 100 000 records before the read-back (README, 2026-11-29).
BEFORE_S = 6.50
BEFORE_MIB = 58.4


def test_plan_over_100k_generated_records(benchmark, tmp_path: Path,
                                          record_figure: RecordFigure) -> None:
    _write_manifests(tmp_path, 100_000)
    argv = jforg_argv("plan", "--work", str(tmp_path), "--dest", str(tmp_path / "dest"))
    summary = tmp_path / "summary.txt"
    peaks: list[int] = []
    benchmark.pedantic(lambda: peaks.append(run_command(argv, stdout_path=summary)[1]),
                       rounds=3, iterations=1)
    median = benchmark.stats.stats.median
    peak = max(peaks) / 1024
    misread = re.search(r"(\d+) Jellyfin would misread", summary.read_text())
    assert misread is not None
    record_figure("plan-100k-time", median,
                  detail=f"with the Jellyfin read-back: {median / BEFORE_S:.2f}x the "
                         f"{BEFORE_S:.2f} s before it; {misread.group(1)} files kept as misread")
    record_figure("plan-100k-rss", peak,
                  detail=f"{peak / BEFORE_MIB:.2f}x the {BEFORE_MIB} MiB before the read-back")
    assert (tmp_path / "plan.jsonl").stat().st_size > 100_000 * 50
