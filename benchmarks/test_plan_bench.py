"""Plan benchmark (make bench): `jforg plan` over 100 000 generated probe records.

The probe manifest is synthesised (see test_report_bench.py), so this
measures the plan alone: three streaming passes, the naming rules and the
conflict set. Reports time and peak RSS; nothing fails on time.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from benchmarks.conftest import jforg_argv, run_command
from benchmarks.test_report_bench import _write_manifests


def test_plan_over_100k_generated_records(benchmark, tmp_path: Path,
                                          record_figure: Callable[[str], None]) -> None:
    _write_manifests(tmp_path, 100_000)
    argv = jforg_argv("plan", "--work", str(tmp_path), "--dest", str(tmp_path / "dest"))
    peaks: list[int] = []
    benchmark.pedantic(lambda: peaks.append(run_command(argv)[1]), rounds=3, iterations=1)
    record_figure(f"plan 100,000 records: {benchmark.stats.stats.median:.2f} s, "
                  f"peak RSS {max(peaks) / 1024:.1f} MiB")
    assert (tmp_path / "plan.jsonl").stat().st_size > 100_000 * 50
